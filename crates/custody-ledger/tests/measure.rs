//! Numbers for the report, not assertions of speed: `cargo test -p custody-ledger
//! --test measure -- --ignored --nocapture`. Runs in /dev/shm when present so fsync
//! does not dominate.

mod common;

use std::time::Instant;

use chrono::Duration;
use common::*;
use custody_ledger::Ledger;
use serde_json::json;

#[test]
#[ignore]
fn append_cost_does_not_grow_and_verify_rate() {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        tempfile::tempdir_in("/dev/shm").unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let key = example_key();
    let l = Ledger::create(&base.path().join("big.jsonl")).unwrap();
    let n = 20_000u64;
    let mut first = std::time::Duration::ZERO;
    let mut last = std::time::Duration::ZERO;
    for i in 0..n {
        let t = Instant::now();
        l.append(
            "handoff",
            body(json!({"payload": "P-2026-0001", "i": i, "to": "乙"})),
            &key,
            t0() + Duration::seconds(i as i64),
        )
        .unwrap();
        let e = t.elapsed();
        if i < 1000 {
            first += e;
        }
        if i >= n - 1000 {
            last += e;
        }
    }
    println!("append: first 1000 avg {:?}, last 1000 avg {:?} (ledger of {n})", first / 1000, last / 1000);
    let bytes = std::fs::read(l.path()).unwrap();
    let t = Instant::now();
    let v = verify_bytes(&bytes, &key).unwrap();
    let e = t.elapsed();
    println!(
        "verify: {} lines, {} bytes in {:?} ({:.0} lines/s)",
        v.size,
        bytes.len(),
        e,
        v.size as f64 / e.as_secs_f64()
    );
}

/// The owner's append checks the lines after the verified-prefix marker only: its cost
/// must not grow with the ledger either.
#[test]
#[ignore]
fn owner_append_cost_does_not_grow() {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        tempfile::tempdir_in("/dev/shm").unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let key = example_key();
    let public = key.public_key();
    let l = Ledger::create(&base.path().join("owned.jsonl")).unwrap();
    let n = 20_000u64;
    let mut first = std::time::Duration::ZERO;
    let mut last = std::time::Duration::ZERO;
    for i in 0..n {
        let t = Instant::now();
        l.append_as_owner("handoff", body(json!({"i": i})), &key, &public, t0() + Duration::seconds(i as i64)).unwrap();
        let e = t.elapsed();
        if i < 1000 {
            first += e;
        }
        if i >= n - 1000 {
            last += e;
        }
    }
    println!("owner append: first 1000 avg {:?}, last 1000 avg {:?} (ledger of {n})", first / 1000, last / 1000);
    std::fs::remove_file(base.path().join("owned.jsonl.verified")).unwrap();
    let t = Instant::now();
    l.append_as_owner("handoff", body(json!({})), &key, &public, t0() + Duration::seconds(n as i64)).unwrap();
    println!("owner append without the marker (checks all {n} lines once): {:?}", t.elapsed());
}
