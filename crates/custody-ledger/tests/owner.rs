//! An owner's append never extends a forged, foreign, damaged or future tail; the
//! verified-prefix marker keeps the check O(1); a torn tail is moved aside, never lost.

mod common;

use chrono::Duration;
use common::*;
use custody_keys::{KeyId, SecretKey};
use custody_ledger::{Ledger, LedgerError, Problem};
use serde_json::json;

fn owned(dir: &std::path::Path, n: u64, key: &SecretKey) -> Ledger {
    let l = Ledger::create(&dir.join("ledger.jsonl")).unwrap();
    for i in 0..n {
        l.append_as_owner("k", body(json!({"i": i})), key, &key.public_key(), t0() + Duration::seconds(i as i64))
            .unwrap();
    }
    l
}

fn later(n: i64) -> chrono::DateTime<chrono::FixedOffset> {
    t0() + Duration::minutes(n)
}

#[test]
fn a_forged_tail_is_never_extended() {
    let dir = tempfile::tempdir().unwrap();
    let key = example_key();
    let l = owned(dir.path(), 3, &key);
    let text = std::fs::read_to_string(l.path()).unwrap();
    // Same shape, other content: the signature no longer covers it.
    let forged = text.replacen("\"i\":2", "\"i\":7", 1);
    assert_ne!(forged, text);
    std::fs::write(l.path(), &forged).unwrap();
    std::fs::remove_file(dir.path().join("ledger.jsonl.verified")).unwrap();
    match l.append_as_owner("k", body(json!({})), &key, &key.public_key(), later(5)) {
        Err(LedgerError::TailRefused { line: 3, problem: Problem::BadSignature, .. }) => {}
        r => panic!("{r:?}"),
    }
    assert_eq!(std::fs::read_to_string(l.path()).unwrap(), forged, "nothing was appended");
}

#[test]
fn a_foreign_tail_is_never_extended() {
    let dir = tempfile::tempdir().unwrap();
    let key = example_key();
    let l = owned(dir.path(), 2, &key);
    let other = SecretKey::from_seed(KeyId([9; 8]), &[9; 32]);
    // Someone else's correctly signed line, chained correctly.
    l.append("k", body(json!({"evil": true})), &other, later(1)).unwrap();
    let before = std::fs::read(l.path()).unwrap();
    match l.append_as_owner("k", body(json!({})), &key, &key.public_key(), later(2)) {
        Err(LedgerError::TailRefused { line: 3, problem: Problem::UnknownActor(id), .. }) => {
            assert_eq!(id, other.key_id())
        }
        r => panic!("{r:?}"),
    }
    assert_eq!(std::fs::read(l.path()).unwrap(), before);
}

#[test]
fn the_marker_keeps_appends_from_rereading_the_prefix_but_a_changed_prefix_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let key = example_key();
    let l = owned(dir.path(), 4, &key);
    let marker = dir.path().join("ledger.jsonl.verified");
    assert!(marker.is_file(), "the marker is written by an owner's append");
    // Damage line 2 in place (same length): the marker vouches for it, so the append
    // does not read it again (O(1)) ...
    let text = std::fs::read_to_string(l.path()).unwrap();
    let damaged = text.replacen("\"i\":1", "\"i\":8", 1);
    std::fs::write(l.path(), &damaged).unwrap();
    l.append_as_owner("k", body(json!({})), &key, &key.public_key(), later(1)).unwrap();
    // ... but without the marker the whole file is checked and line 2 is refused.
    std::fs::remove_file(&marker).unwrap();
    match l.append_as_owner("k", body(json!({})), &key, &key.public_key(), later(2)) {
        Err(LedgerError::TailRefused { line: 2, problem: Problem::BadSignature, .. }) => {}
        r => panic!("{r:?}"),
    }
    // A ledger cut short below the verified prefix is caught by the marker.
    std::fs::write(l.path(), &text).unwrap();
    l.append_as_owner("k", body(json!({})), &key, &key.public_key(), later(3)).unwrap();
    let lines = std::fs::read_to_string(l.path()).unwrap();
    let cut: String = lines.lines().take(2).map(|x| format!("{x}\n")).collect();
    std::fs::write(l.path(), cut).unwrap();
    match l.append_as_owner("k", body(json!({})), &key, &key.public_key(), later(4)) {
        Err(LedgerError::PrefixChanged { .. }) => {}
        r => panic!("{r:?}"),
    }
}

#[test]
fn a_tail_from_the_far_future_is_data_damage() {
    let dir = tempfile::tempdir().unwrap();
    let key = example_key();
    let l = owned(dir.path(), 1, &key);
    l.append_as_owner("k", body(json!({})), &key, &key.public_key(), t0() + Duration::days(400)).unwrap();
    match l.append_as_owner("k", body(json!({})), &key, &key.public_key(), later(1)) {
        Err(LedgerError::TailInFuture { .. }) => {}
        r => panic!("{r:?}"),
    }
}

#[test]
fn a_torn_tail_is_moved_aside_whole_and_the_ledger_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let key = example_key();
    let l = owned(dir.path(), 3, &key);
    let good = std::fs::read(l.path()).unwrap();
    // A crash in the middle of the fourth append: part of a line, no newline.
    let partial = &good[..40];
    let mut torn = good.clone();
    torn.extend_from_slice(partial);
    std::fs::write(l.path(), &torn).unwrap();
    assert!(matches!(
        l.append_as_owner("k", body(json!({})), &key, &key.public_key(), later(1)),
        Err(LedgerError::TornTail { line: 4, .. })
    ));
    let r = l.repair_torn_tail().unwrap().expect("a torn tail");
    assert_eq!((r.line, r.offset, r.bytes), (4, good.len() as u64, 40));
    assert_eq!(std::fs::read(&r.saved_as).unwrap(), partial, "the torn bytes are kept");
    assert_eq!(std::fs::read(l.path()).unwrap(), good);
    assert!(l.repair_torn_tail().unwrap().is_none(), "nothing left to repair");
    l.append_as_owner("k", body(json!({})), &key, &key.public_key(), later(2)).unwrap();
    let v = verify_bytes(&std::fs::read(l.path()).unwrap(), &key).unwrap();
    assert_eq!(v.size, 4);
    // Repair never cuts into the verified prefix: that is not a torn write.
    let verified = std::fs::read(l.path()).unwrap();
    std::fs::write(l.path(), &verified[..verified.len() - 10]).unwrap();
    assert!(matches!(l.repair_torn_tail(), Err(LedgerError::PrefixChanged { .. })));
    std::fs::write(l.path(), &verified).unwrap();
    // A complete but garbled last line is torn too.
    let mut garbled = std::fs::read(l.path()).unwrap();
    garbled.extend_from_slice(b"{\"v\":1}\n");
    std::fs::write(l.path(), &garbled).unwrap();
    let r = l.repair_torn_tail().unwrap().expect("a garbled tail");
    assert_eq!(std::fs::read(&r.saved_as).unwrap(), b"{\"v\":1}\n");
}

#[test]
fn only_the_owner_appends_as_owner() {
    let dir = tempfile::tempdir().unwrap();
    let key = example_key();
    let l = owned(dir.path(), 1, &key);
    let other = SecretKey::from_seed(KeyId([9; 8]), &[9; 32]);
    assert!(matches!(
        l.append_as_owner("k", body(json!({})), &other, &key.public_key(), later(1)),
        Err(LedgerError::NotOwner { .. })
    ));
}
