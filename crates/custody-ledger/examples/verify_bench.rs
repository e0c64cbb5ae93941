//! The ledger half of bench/verify.sh.
//!
//! ```text
//! verify_bench make N FILE         write a signed ledger of N typed entries (init, then
//!                                  sealed/opened/erased in turn), chained and signed as
//!                                  Ledger::append does, without an fsync per line
//! verify_bench verify FILE         custody_ledger::verify: every line, chain, signature
//!                                  and body; prints seconds
//! verify_bench consistency FILE M  the ward's consistency check: leaves of FILE, the
//!                                  RFC 6962 proof from size M, and its verification
//! verify_bench dalek FILE          the Ed25519 limit for the same signatures and signed
//!                                  bytes: ed25519-dalek verify_strict one by one, and
//!                                  batch verification; prints seconds for each
//! ```

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use custody_keys::{KeyId, SecretKey};
use custody_ledger::events::{self, Event};
use custody_ledger::proof::ConsistencyProof;
use custody_ledger::{merkle, Hash};
use serde_json::{json, Map, Value};

fn key() -> SecretKey {
    SecretKey::from_seed(KeyId(*b"custody1"), &[7u8; 32])
}

fn event(i: u64, public_key: &str) -> Event {
    let h = |tag: &str| Hash::sha256(format!("{tag}{i}").as_bytes());
    let payload_id = format!("P-20261124-{:06}", i / 3);
    match i % 3 {
        _ if i == 0 => Event::Init(events::Init {
            v: 1,
            tool: "custody 0.1.0".into(),
            public_key: public_key.into(),
            org: "株式会社サンプル".into(),
            name: "佐藤 一郎".into(),
            role: events::Role::Responsible,
        }),
        0 => Event::Sealed(events::Sealed {
            v: 1,
            payload_id,
            ciphertext_sha256: h("c"),
            ciphertext_size: 1704 + i,
            manifest_root: h("m"),
            file_count: 3,
            dir_count: 1,
            total_bytes: 1210,
            categories: vec!["氏名".into(), "住所".into()],
            notice_id: format!("N-20261124-{:06}", i),
            recipient: Some("株式会社サンプル".into()),
            contract: Some("R7-地調-012".into()),
        }),
        1 => Event::Opened(events::Opened {
            v: 1,
            payload_id,
            manifest_root: h("m"),
            file_count: 3,
            total_bytes: 1210,
            label_checked: true,
            sender_confirmed: false,
            machine: events::Machine { hostname: "itaku-pc-01".into(), machine_id: Some("4f1c0e3a9b2d7c6e".into()) },
            folder_hmac: h("f"),
        }),
        _ => Event::Erased(events::Erased {
            v: 1,
            record_sha256: h("r"),
            format: "custody-erasure-record/1".into(),
            method: "random".into(),
            verification: "full".into(),
            outcome: events::Outcome::AllErased,
            started: "2026-11-30T17:05:09+09:00".into(),
            finished: "2026-11-30T17:05:12+09:00".into(),
            items: 4,
            erased: 4,
            failed: 0,
            not_attempted: 0,
            bytes_overwritten: 1210,
            assurance: BTreeMap::from([(events::Assurance::Clear, 3), (events::Assurance::NameOnly, 1)]),
            cryptographic_erase: false,
            payloads: vec![events::PayloadRef { payload_id, manifest_root: h("m") }],
            device: None,
        }),
    }
}

fn make(n: u64, path: &str) {
    let key = key();
    let pk = key.public_key().to_base64();
    let mut out = BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut prev = Hash::ZERO;
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-24T09:00:00+09:00").expect("time");
    for i in 0..n {
        let e = event(i, &pk);
        let mut obj = Map::new();
        obj.insert("v".into(), json!(1));
        obj.insert("seq".into(), json!(i));
        obj.insert("prev".into(), json!(prev.to_string()));
        obj.insert("time".into(), json!(custody_ledger::format_time(&(t0 + chrono::Duration::seconds(i as i64)))));
        obj.insert("kind".into(), json!(e.kind()));
        obj.insert("actor".into(), json!(key.key_id().to_string()));
        obj.insert("body".into(), Value::Object(e.to_body()));
        let signed = serde_jcs::to_vec(&Value::Object(obj.clone())).expect("jcs");
        obj.insert("sig".into(), json!(STANDARD.encode(key.sign(&signed))));
        let line = serde_jcs::to_string(&Value::Object(obj)).expect("jcs");
        prev = merkle::leaf_hash(line.as_bytes());
        writeln!(out, "{line}").expect("write");
    }
    out.flush().expect("flush");
}

/// Signed bytes and signatures of every line, as the verifier sees them.
fn signatures(path: &str) -> Vec<(Vec<u8>, [u8; 64])> {
    let f = BufReader::new(std::fs::File::open(path).expect("open"));
    f.lines()
        .map(|l| {
            let mut v: Map<String, Value> = serde_json::from_str(&l.expect("line")).expect("json");
            let sig = STANDARD
                .decode(v.remove("sig").and_then(|s| s.as_str().map(str::to_owned)).expect("sig"))
                .expect("b64");
            (serde_jcs::to_vec(&Value::Object(v)).expect("jcs"), sig.try_into().expect("64"))
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_else(|| panic!("usage: see the file's doc comment"));
    match arg(1).as_str() {
        "make" => make(arg(2).parse().expect("N"), &arg(3)),
        "verify" => {
            let pk = key().public_key();
            let t = Instant::now();
            let f = BufReader::with_capacity(1 << 20, std::fs::File::open(arg(2)).expect("open"));
            let v = custody_ledger::verify(f, &pk).expect("the ledger verifies");
            println!("{:.3} {}", t.elapsed().as_secs_f64(), v.size);
        }
        "consistency" => {
            let m: u64 = arg(3).parse().expect("M");
            let t = Instant::now();
            let f = BufReader::with_capacity(1 << 20, std::fs::File::open(arg(2)).expect("open"));
            let leaves = custody_ledger::read_leaves(f).expect("leaves");
            let p = ConsistencyProof::build(&leaves, m, leaves.len() as u64).expect("proof");
            assert!(p.verify());
            println!("{:.3} {} {}", t.elapsed().as_secs_f64(), leaves.len(), p.hashes.len());
        }
        "dalek" => {
            let sigs = signatures(&arg(2));
            let vk = ed25519_dalek::VerifyingKey::from_bytes(&key().public_key().ed25519_bytes()).expect("key");
            let t = Instant::now();
            for (msg, sig) in &sigs {
                vk.verify_strict(msg, &ed25519_dalek::Signature::from_bytes(sig)).expect("verifies");
            }
            let single = t.elapsed().as_secs_f64();
            let t = Instant::now();
            for chunk in sigs.chunks(1024) {
                let msgs: Vec<&[u8]> = chunk.iter().map(|(m, _)| m.as_slice()).collect();
                let ss: Vec<ed25519_dalek::Signature> =
                    chunk.iter().map(|(_, s)| ed25519_dalek::Signature::from_bytes(s)).collect();
                let keys = vec![vk; chunk.len()];
                ed25519_dalek::verify_batch(&msgs, &ss, &keys).expect("batch verifies");
            }
            println!("{:.3} {:.3} {}", single, t.elapsed().as_secs_f64(), sigs.len());
        }
        other => panic!("unknown mode {other}"),
    }
}
