//! Many writers at once, threads and processes: the ledger stays one valid chain.

mod common;

use std::process::Command;
use std::sync::Arc;

use common::*;
use custody_keys::{KeyId, SecretKey};
use custody_ledger::Ledger;
use serde_json::json;

const CHILD_ENV: &str = "CUSTODY_LEDGER_TEST_CHILD";

fn child_key(n: u8) -> SecretKey {
    SecretKey::from_seed(KeyId([n; 8]), &[n; 32])
}

#[test]
fn concurrent_thread_appends_make_a_valid_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let l = Arc::new(Ledger::create(&dir.path().join("l")).unwrap());
    let key = Arc::new(SecretKey::generate().unwrap());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let (l, key) = (l.clone(), key.clone());
            std::thread::spawn(move || {
                for i in 0..25 {
                    l.append("t", body(json!({"thread": t, "i": i})), &*key, t0()).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let v = verify_bytes(&std::fs::read(l.path()).unwrap(), &key).unwrap();
    assert_eq!(v.size, 100);
}

/// Runs only as a child of the test below.
#[test]
fn child_appender() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (path, n) = spec.split_once('|').unwrap();
    let n: u8 = n.parse().unwrap();
    let l = Ledger::open(path.as_ref()).unwrap();
    let key = child_key(n);
    for i in 0..20 {
        l.append("p", body(json!({"process": n, "i": i})), &key, t0()).unwrap();
    }
}

#[test]
fn concurrent_process_appends_make_a_valid_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l");
    Ledger::create(&path).unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (1..=4u8)
        .map(|n| {
            Command::new(&exe)
                .args(["--exact", "child_appender", "--test-threads=1"])
                .env(CHILD_ENV, format!("{}|{n}", path.display()))
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let keys: std::collections::HashMap<_, _> =
        (1..=4u8).map(|n| (child_key(n).key_id(), child_key(n).public_key())).collect();
    let v = custody_ledger::verify(std::io::BufReader::new(std::fs::File::open(&path).unwrap()), &keys).unwrap();
    assert_eq!(v.size, 80);
    assert_eq!(v.actors.len(), 4);
}
