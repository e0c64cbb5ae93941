#![allow(dead_code)]

use std::io::BufReader;
use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset};
use custody_keys::{KeyId, SecretKey};
use custody_ledger::{verify, Ledger, Verified, VerifyError};
use serde_json::{json, Map, Value};

/// The fixed key of the worked example in docs/ledger.md.
pub fn example_key() -> SecretKey {
    SecretKey::from_seed(KeyId(*b"custody1"), &[7u8; 32])
}

pub fn t0() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T09:00:00+09:00").unwrap()
}

pub fn body(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("body must be an object"),
    }
}

/// A ledger of `n` entries in a temp dir.
pub fn make_ledger(dir: &Path, n: u64, key: &SecretKey) -> Ledger {
    let l = Ledger::create(&dir.join("ledger.jsonl")).unwrap();
    for i in 0..n {
        l.append(
            if i % 2 == 0 { "seal" } else { "handoff" },
            body(json!({"i": i, "note": format!("entry {i}")})),
            key,
            t0() + Duration::seconds(i as i64),
        )
        .unwrap();
    }
    l
}

pub fn verify_bytes(bytes: &[u8], key: &SecretKey) -> Result<Verified, VerifyError> {
    verify(BufReader::new(bytes), &key.public_key())
}
