//! The checks on a real certificate: signed, anchored in a real ledger, cosigned.
//! Any change to the certificate, its signature or a ledger line it cites is caught.

use std::collections::BTreeMap;

use chrono::DateTime;
use custody_certificate::{
    all_passed, certificate_id, check_all, Anchor, Certificate, Check, Cosigned, Counts, DeliveredManifest,
    EntryCoverage, EntryStatus, Evidence, Item, Media, Outcome, Party, PayloadCoverage, Proof, SignatureFile, FORMAT,
};
use custody_keys::{KeyId, PublicKey, SecretKey};
use custody_ledger::checkpoint::{self, Checkpoint};
use custody_ledger::{merkle, Ledger};
use proptest::prelude::*;
use serde_json::{json, Map};

struct Fixture {
    key: SecretKey,
    ward: SecretKey,
    ledger: Vec<u8>,
    cert: Certificate,
    bytes: Vec<u8>,
    sig: String,
    cosigned: Cosigned,
    manifest: DeliveredManifest,
}

fn body(v: serde_json::Value) -> Map<String, serde_json::Value> {
    v.as_object().cloned().unwrap()
}

const FILES: [(&str, &str); 3] = [
    ("a.csv", "1111111111111111111111111111111111111111111111111111111111111111"),
    ("申請書/佐藤.txt", "2222222222222222222222222222222222222222222222222222222222222222"),
    ("申請書/鈴木.txt", "3333333333333333333333333333333333333333333333333333333333333333"),
];

fn cert_for(
    key: &SecretKey,
    seq: u64,
    prev: Option<String>,
    leaves: &[custody_ledger::Hash],
    cited: u64,
    leaf: &str,
) -> Certificate {
    let kid = key.key_id().to_string();
    let body = Checkpoint {
        origin: format!("custody/ledger/{kid}"),
        size: leaves.len() as u64,
        root: merkle::root(leaves),
        extensions: vec![],
    }
    .to_body();
    let note = checkpoint::sign_note(&body, &format!("custody/ledger/{kid}"), key).unwrap();
    let path = merkle::inclusion_proof(leaves, cited).unwrap().iter().map(|h| h.to_string()).collect();
    Certificate {
        format: FORMAT.into(),
        id: certificate_id(&kid, seq),
        cert_seq: seq,
        prev_cert: prev,
        issued: format!("2026-12-0{}T10:00:00+09:00", seq.min(9)),
        lang: "ja".into(),
        issuer: Party {
            org: "株式会社サンプル".into(),
            name: "山田 花子".into(),
            role: "responsible".into(),
            key_id: kid,
        },
        contract: Some("R8-001".into()),
        addressed_to: vec!["新宿区長".into()],
        media_destination: Some("返却".into()),
        notes: None,
        items: vec![Item {
            record_sha256: "ab".repeat(32),
            ledger_seq: cited,
            ledger_leaf: leaf.into(),
            tool: "custody-wipe 0.1.0".into(),
            operator: "山田".into(),
            host: "pc-1".into(),
            started: "2026-11-30T10:00:00+09:00".into(),
            finished: "2026-11-30T10:01:00+09:00".into(),
            media: Media {
                kind: "files".into(),
                make: None,
                model: None,
                serial: None,
                bus: None,
                size: 10,
                filesystems: vec!["ext4".into()],
            },
            method_type: "clear".into(),
            method: "random".into(),
            passes: vec!["random".into()],
            verification: "full".into(),
            verification_result: "passed".into(),
            outcome: "all-erased".into(),
            counts: Counts { items: 3, erased: 3, failed: 0, not_attempted: 0 },
            assurance: BTreeMap::from([("clear".to_string(), 3)]),
            payloads: vec!["P-20261130-AAAA".into()],
        }],
        payloads: vec![PayloadCoverage {
            payload_id: "P-20261130-AAAA".into(),
            manifest_root: "cd".repeat(32),
            file_count: 3,
            opened_seq: Some(1),
            opened: Some("2026-11-30T09:00:00+09:00".into()),
            ciphertext_erased: false,
            entries: FILES
                .iter()
                .enumerate()
                .map(|(i, (_, h))| EntryCoverage {
                    index: i as u64,
                    sha256: h.to_string(),
                    status: EntryStatus::ErasedVerified,
                })
                .collect(),
            unlisted_erased: 0,
        }],
        anchor: Anchor { checkpoint: note, proofs: vec![Proof { seq: cited, leaf: leaf.into(), path }] },
    }
}

fn fixture() -> Fixture {
    let key = SecretKey::from_seed(KeyId([1; 8]), &[7; 32]);
    let ward = SecretKey::from_seed(KeyId([2; 8]), &[9; 32]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.jsonl");
    let ledger = Ledger::create(&path).unwrap();
    let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
    ledger
        .append(
            "init",
            body(json!({"v": 1, "tool": "custody 0.1.0", "public_key": key.public_key().to_base64(),
                "org": "株式会社サンプル", "name": "山田 花子", "role": "responsible"})),
            &key,
            t("2026-11-30T08:00:00+09:00"),
        )
        .unwrap();
    ledger
        .append(
            "opened",
            body(json!({"v": 1, "payload_id": "P-20261130-AAAA", "manifest_root": "cd".repeat(32), "file_count": 3,
                "total_bytes": 30, "label_checked": true, "sender_confirmed": false, "machine": {"hostname": "pc1", "machine_id": null},
                "folder_hmac": "ef".repeat(32)})),
            &key,
            t("2026-11-30T09:00:00+09:00"),
        )
        .unwrap();
    let erased = ledger
        .append(
            "erased",
            body(json!({"v": 1, "record_sha256": "ab".repeat(32), "format": "custody-erasure/1", "method": "clear",
                "verification": "full", "outcome": "all-erased", "started": "2026-11-30T10:00:00+09:00",
                "finished": "2026-11-30T10:01:00+09:00", "items": 3, "erased": 3, "failed": 0, "not_attempted": 0,
                "bytes_overwritten": 30, "assurance": {"clear": 3}, "cryptographic_erase": false,
                "payloads": [{"payload_id": "P-20261130-AAAA", "manifest_root": "cd".repeat(32)}]})),
            &key,
            t("2026-11-30T10:01:00+09:00"),
        )
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let leaves: Vec<_> = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(merkle::leaf_hash).collect();
    let cert = cert_for(&key, 1, None, &leaves, erased.seq, &erased.leaf.to_string());
    let cbytes = cert.to_bytes();
    let sig = key.sign_minisign(&cbytes[..], &cert.trusted_comment(), "sig").unwrap();
    let cp_body = cert.anchor.checkpoint.split("\n\n").next().unwrap().to_string() + "\n";
    let cosigned =
        Cosigned { checkpoint: Checkpoint::parse_body(&cp_body).unwrap(), cosigners: vec![ward.key_id().to_string()] };
    let manifest = DeliveredManifest {
        payload_id: "P-20261130-AAAA".into(),
        root: "cd".repeat(32),
        created: Some("2026-11-30T08:30:00+09:00".into()),
        files: FILES.iter().map(|(p, h)| (p.to_string(), h.to_string())).collect(),
    };
    Fixture { key, ward, ledger: bytes, cert, bytes: cbytes, sig, cosigned, manifest }
}

fn run(f: &Fixture, bytes: &[u8], sig: &str, ledger: &[u8], trusted: &[PublicKey]) -> Option<Vec<Check>> {
    let cert = Certificate::parse(bytes).ok()?;
    let ev = Evidence {
        cert: &cert,
        bytes,
        signature: Some(SignatureFile { name: "CERT.json.minisig".into(), text: sig.into() }),
        countersignatures: vec![],
        trusted,
        issuer_key: None,
        chain: None,
        ledger: Some(ledger),
        cosigned: Some(f.cosigned.clone()),
        labels: vec![],
        manifests: vec![f.manifest.clone()],
        note_name: Some(format!("custody/ledger/{}", cert.issuer.key_id)),
    };
    Some(check_all(&ev))
}

fn failed(checks: &[Check]) -> Vec<&'static str> {
    checks.iter().filter(|c| c.outcome == Outcome::Failed).map(|c| c.name).collect()
}

#[test]
fn a_genuine_certificate_passes_every_check() {
    let f = fixture();
    let checks = run(&f, &f.bytes, &f.sig, &f.ledger, &[f.key.public_key(), f.ward.public_key()]).unwrap();
    assert!(all_passed(&checks), "{checks:#?}");
    assert_eq!(Certificate::parse(&f.bytes).unwrap(), f.cert);
}

#[test]
fn a_certificate_signed_by_an_untrusted_key_fails_by_name() {
    let f = fixture();
    let checks = run(&f, &f.bytes, &f.sig, &f.ledger, &[f.ward.public_key()]).unwrap();
    let sig = checks.iter().find(|c| c.name == "signature").unwrap();
    assert_eq!(sig.outcome, Outcome::Failed);
    assert_eq!(sig.reasons[0].code, "signature-untrusted");
}

#[test]
fn a_missing_delivered_file_is_named_by_its_path() {
    let f = fixture();
    let mut cert = f.cert.clone();
    cert.payloads[0].entries[1].status = EntryStatus::NotErased;
    let bytes = cert.to_bytes();
    let sig = f.key.sign_minisign(&bytes[..], &cert.trusted_comment(), "sig").unwrap();
    let checks = run(&f, &bytes, &sig, &f.ledger, &[f.key.public_key()]).unwrap();
    let cov = checks.iter().find(|c| c.name == "coverage").unwrap();
    assert_eq!(cov.outcome, Outcome::Failed);
    assert_eq!(cov.reasons[0].code, "coverage-not-erased");
    assert!(cov.reasons[0].args.contains(&("path", "申請書/佐藤.txt".to_string())), "{cov:?}");
}

#[test]
fn no_cosignature_fails_and_says_what_to_do() {
    let f = fixture();
    let cert = Certificate::parse(&f.bytes).unwrap();
    let trusted = [f.key.public_key()];
    let ev = Evidence {
        cert: &cert,
        bytes: &f.bytes,
        signature: Some(SignatureFile { name: "s".into(), text: f.sig.clone() }),
        countersignatures: vec![],
        trusted: &trusted,
        issuer_key: None,
        chain: None,
        ledger: None,
        cosigned: None,
        labels: vec![],
        manifests: vec![],
        note_name: Some(format!("custody/ledger/{}", cert.issuer.key_id)),
    };
    let checks = check_all(&ev);
    assert_eq!(failed(&checks), vec!["cosignature"]);
    let c = checks.iter().find(|c| c.name == "cosignature").unwrap();
    assert_eq!(c.reasons[0].code, "cosignature-none");
}

fn chain_of(n: u64) -> (SecretKey, Vec<(String, Vec<u8>)>) {
    let f = fixture();
    let leaves: Vec<_> = f.ledger.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(merkle::leaf_hash).collect();
    let mut prev = None;
    let mut out = vec![];
    for seq in 1..=n {
        let c = cert_for(&f.key, seq, prev.clone(), &leaves, 2, &leaves[2].to_string());
        let b = c.to_bytes();
        prev = Some(Certificate::hash_of(&b));
        out.push((format!("{seq:06}.json"), b));
    }
    (f.key, out)
}

fn chain_check(files: &[(String, Vec<u8>)], own: &[u8]) -> Check {
    let cert = Certificate::parse(own).unwrap();
    custody_certificate::chain::check_chain(&cert, own, files)
}

#[test]
fn a_deleted_inserted_or_reordered_certificate_breaks_the_chain() {
    let (key, chain) = chain_of(5);
    let last = chain[4].1.clone();
    assert_eq!(chain_check(&chain, &last).outcome, Outcome::Passed);

    let mut deleted = chain.clone();
    deleted.remove(2);
    let c = chain_check(&deleted, &last);
    assert_eq!(c.outcome, Outcome::Failed);
    assert!(c.reasons.iter().any(|r| r.code == "chain-gap"), "{c:?}");

    // An inserted certificate takes a number already used, or links to the wrong one.
    let f = fixture();
    let leaves: Vec<_> = f.ledger.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(merkle::leaf_hash).collect();
    let mut inserted = chain.clone();
    let extra = cert_for(&key, 3, Some(Certificate::hash_of(&chain[1].1)), &leaves, 2, &leaves[2].to_string());
    let mut extra = extra;
    extra.notes = Some("inserted".into());
    inserted.push(("000003b.json".into(), extra.to_bytes()));
    let c = chain_check(&inserted, &last);
    assert_eq!(c.outcome, Outcome::Failed, "{c:?}");

    // Reordered: swap the contents of two links (renumbering breaks the ids and links).
    let mut reordered = chain.clone();
    let mut a = Certificate::parse(&chain[1].1).unwrap();
    let mut b = Certificate::parse(&chain[2].1).unwrap();
    std::mem::swap(&mut a.cert_seq, &mut b.cert_seq);
    a.id = certificate_id(&a.issuer.key_id, a.cert_seq);
    b.id = certificate_id(&b.issuer.key_id, b.cert_seq);
    reordered[1].1 = b.to_bytes();
    reordered[2].1 = a.to_bytes();
    let c = chain_check(&reordered, &last);
    assert_eq!(c.outcome, Outcome::Failed, "{c:?}");
    assert!(c.reasons.iter().any(|r| r.code == "chain-link"), "{c:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_changed_byte_of_the_certificate_is_detected(pos in any::<prop::sample::Index>(), x in 1u8..=255) {
        let f = fixture();
        let mut bytes = f.bytes.clone();
        let i = pos.index(bytes.len());
        bytes[i] ^= x;
        let trusted = [f.key.public_key(), f.ward.public_key()];
        if let Some(checks) = run(&f, &bytes, &f.sig, &f.ledger, &trusted) {
            prop_assert!(!all_passed(&checks), "byte {i} changed and nothing failed");
        }
    }

    #[test]
    fn any_changed_byte_of_the_signature_is_detected(pos in any::<prop::sample::Index>(), x in 1u8..=255) {
        let f = fixture();
        let mut sig = f.sig.clone().into_bytes();
        let i = pos.index(sig.len());
        sig[i] ^= x;
        let sig = String::from_utf8_lossy(&sig).into_owned();
        // A changed byte in a line ending or in the untrusted comment is not part of
        // what is signed; minisign ignores it too.
        let untrusted_line = f.sig.find('\n').unwrap();
        let trusted = [f.key.public_key(), f.ward.public_key()];
        let checks = run(&f, &f.bytes, &sig, &f.ledger, &trusted).unwrap();
        if i > untrusted_line && f.sig.as_bytes()[i] != b'\n' {
            prop_assert!(failed(&checks).contains(&"signature"), "signature byte {i} changed and it verified");
        }
    }

    #[test]
    fn any_changed_byte_of_a_cited_ledger_line_is_detected(pos in any::<prop::sample::Index>(), x in 1u8..=255) {
        let f = fixture();
        let mut ledger = f.ledger.clone();
        // Lines 2 and 3 (opened, erased) are the ones the certificate cites.
        let start = ledger.iter().position(|b| *b == b'\n').unwrap() + 1;
        let i = start + pos.index(ledger.len() - start);
        ledger[i] ^= x;
        let trusted = [f.key.public_key(), f.ward.public_key()];
        let checks = run(&f, &f.bytes, &f.sig, &ledger, &trusted).unwrap();
        prop_assert!(failed(&checks).contains(&"ledger"), "ledger byte {i} changed and the ledger check passed");
    }
}
