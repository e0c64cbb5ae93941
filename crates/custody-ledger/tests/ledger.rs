mod common;

use std::io::BufReader;

use chrono::Duration;
use common::*;
use custody_keys::SecretKey;
use custody_ledger::{merkle, read_entries, verify, Hash, Ledger, LedgerError, Problem};
use serde_json::json;

/// The worked example of docs/ledger.md, byte for byte.
#[test]
fn worked_example_matches_docs() {
    let dir = tempfile::tempdir().unwrap();
    let key = example_key();
    let l = Ledger::create(&dir.path().join("ex.jsonl")).unwrap();
    let a = l.append("seal", body(json!({"payload": "P-2026-0001", "files": 12})), &key, t0()).unwrap();
    let b = l
        .append(
            "handoff",
            body(json!({"payload": "P-2026-0001", "to": "乙", "item": "media"})),
            &key,
            t0() + Duration::minutes(30),
        )
        .unwrap();
    let stored = std::fs::read_to_string(l.path()).unwrap();
    let expected = include_str!("data/example.jsonl");
    assert_eq!(stored, expected);
    assert_eq!(a.leaf, merkle::leaf_hash(a.line.as_bytes()));
    let v = verify_bytes(stored.as_bytes(), &key).unwrap();
    assert_eq!(v.size, 2);
    assert_eq!(v.root, merkle::node_hash(&a.leaf, &b.leaf));
    assert_eq!(v.last_leaf, Some(b.leaf));
    println!("key {}", key.public_key().to_base64());
    println!("leaf0 {}\nleaf1 {}\nroot {}", a.leaf, b.leaf, v.root);
    let doc = include_str!("../../../docs/ledger.md");
    for h in [a.leaf, b.leaf, v.root] {
        assert!(doc.contains(&h.to_string()), "docs/ledger.md lacks {h}");
    }
    assert!(doc.contains(a.line.as_str()) && doc.contains(b.line.as_str()));
}

#[test]
fn append_and_verify_many() {
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::generate().unwrap();
    let l = make_ledger(dir.path(), 50, &key);
    let bytes = std::fs::read(l.path()).unwrap();
    let v = verify_bytes(&bytes, &key).unwrap();
    assert_eq!(v.size, 50);
    assert_eq!(v.kinds["seal"], 25);
    assert_eq!(v.kinds["handoff"], 25);
    assert_eq!(v.actors.len(), 1);
    let entries: Vec<_> = read_entries(BufReader::new(&bytes[..])).collect::<Result<_, _>>().unwrap();
    let leaves: Vec<Hash> = entries.iter().map(|(_, h)| *h).collect();
    assert_eq!(merkle::root(&leaves), v.root);
    assert_eq!(entries[7].0.seq, 7);
    assert_eq!(entries[7].0.prev, leaves[6]);
    assert_eq!(entries[7].0.body["note"], "entry 7");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(l.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(matches!(Ledger::create(l.path()), Err(LedgerError::AlreadyExists { .. })));
    assert_eq!(verify_bytes(b"", &key).unwrap().root, merkle::root(&[]));
}

#[test]
fn unknown_actor_and_wrong_key_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::generate().unwrap();
    let l = make_ledger(dir.path(), 3, &key);
    let bytes = std::fs::read(l.path()).unwrap();
    let other = SecretKey::generate().unwrap();
    let err = verify(BufReader::new(&bytes[..]), &other.public_key()).unwrap_err();
    assert_eq!(err.line, 1);
    assert_eq!(err.problem, Problem::UnknownActor(key.key_id()));
    // same key id, different key: the signature fails
    let impostor = SecretKey::from_seed(key.key_id(), &[9; 32]);
    let err = verify(BufReader::new(&bytes[..]), &impostor.public_key()).unwrap_err();
    assert_eq!((err.line, err.problem.clone()), (1, Problem::BadSignature));
    assert_eq!(err.to_string(), "ledger line 1: the signature does not verify");
}

#[test]
fn torn_tail_is_refused_by_append_and_reported_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::generate().unwrap();
    let l = make_ledger(dir.path(), 3, &key);
    let good = std::fs::read(l.path()).unwrap();
    let second_nl = good.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(1).unwrap().0;
    // a crash halfway through writing line 3
    let torn = &good[..good.len() - 20];
    std::fs::write(l.path(), torn).unwrap();
    let err = l.append("x", body(json!({})), &key, t0() + Duration::hours(1)).unwrap_err();
    match err {
        LedgerError::TornTail { line, offset, problem, .. } => {
            assert_eq!(line, 3);
            assert_eq!(offset, second_nl as u64 + 1);
            assert_eq!(problem, Problem::TornLine);
        }
        e => panic!("{e}"),
    }
    assert_eq!(std::fs::read(l.path()).unwrap(), torn, "nothing was written");
    let err = verify_bytes(torn, &key).unwrap_err();
    assert_eq!((err.line, err.problem), (3, Problem::TornLine));

    // a complete but garbled last line is refused the same way
    let mut garbled = good[..second_nl + 1].to_vec();
    garbled.extend_from_slice(b"{\"v\":1}\n");
    std::fs::write(l.path(), &garbled).unwrap();
    match l.append("x", body(json!({})), &key, t0() + Duration::hours(1)) {
        Err(LedgerError::TornTail { line: 3, .. }) => {}
        r => panic!("{r:?}"),
    }
    assert_eq!(std::fs::read(l.path()).unwrap(), garbled);
}

#[test]
fn duplicate_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::generate().unwrap();
    let l = make_ledger(dir.path(), 2, &key);
    let text = std::fs::read_to_string(l.path()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // duplicate top-level key: `"v":1` twice
    let dup = lines[1].replacen("\"v\":1}", "\"v\":1,\"v\":1}", 1);
    assert_ne!(dup, lines[1]);
    let bad = format!("{}\n{}\n", lines[0], dup);
    let err = verify_bytes(bad.as_bytes(), &key).unwrap_err();
    assert_eq!((err.line, err.problem), (2, Problem::DuplicateKey("v".into())));
    // duplicate inside the body
    let dup = lines[1].replacen("\"body\":{", "\"body\":{\"i\":0,", 1);
    let bad = format!("{}\n{}\n", lines[0], dup);
    let err = verify_bytes(bad.as_bytes(), &key).unwrap_err();
    assert_eq!((err.line, err.problem), (2, Problem::DuplicateKey("i".into())));
    std::fs::write(l.path(), &bad).unwrap();
    assert!(matches!(
        l.append("x", body(json!({})), &key, t0() + Duration::hours(1)),
        Err(LedgerError::TornTail { line: 2, problem: Problem::DuplicateKey(_), .. })
    ));
}

#[test]
fn non_canonical_lines_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::generate().unwrap();
    let l = make_ledger(dir.path(), 1, &key);
    let text = std::fs::read_to_string(l.path()).unwrap();
    let line = text.trim_end();
    for bad in [
        line.replacen("{", "{ ", 1),
        line.replacen("\"actor\"", "\"\\u0061ctor\"", 1),
        format!("{line} "),
        format!("{line}\r"),
    ] {
        let err = verify_bytes(format!("{bad}\n").as_bytes(), &key).unwrap_err();
        assert_eq!((err.line, err.problem), (1, Problem::NotCanonical), "{bad}");
    }
}

#[test]
fn bodies_with_floats_or_huge_integers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::generate().unwrap();
    let l = make_ledger(dir.path(), 0, &key);
    for (v, ptr) in [
        (json!({"x": 1.5}), "/x"),
        (json!({"a": [1, {"b": 9007199254740992u64}]}), "/a/1/b"),
        (json!({"n": -9007199254740992i64}), "/n"),
    ] {
        match l.append("k", body(v), &key, t0()) {
            Err(LedgerError::BadNumber { pointer }) => assert_eq!(pointer, ptr),
            r => panic!("{r:?}"),
        }
    }
    l.append("k", body(json!({"max": 9007199254740991u64, "min": -9007199254740991i64})), &key, t0()).unwrap();
    assert!(matches!(l.append("Bad_Kind", body(json!({})), &key, t0()), Err(LedgerError::BadKind { .. })));
    assert!(matches!(
        l.append("k", body(json!({})), &key, t0() - Duration::minutes(6)),
        Err(LedgerError::TimeWentBackwards { .. })
    ));
    l.append("k", body(json!({})), &key, t0() - Duration::minutes(4)).unwrap();
    let v = verify_bytes(&std::fs::read(l.path()).unwrap(), &key).unwrap();
    assert_eq!(v.size, 2);
}

#[test]
fn times_must_be_canonical_and_not_go_back() {
    let key = example_key();
    let dir = tempfile::tempdir().unwrap();
    let l = Ledger::create(&dir.path().join("l")).unwrap();
    let t = chrono::DateTime::parse_from_rfc3339("2026-11-24T09:00:00.250Z").unwrap();
    let a = l.append("k", body(json!({})), &key, t).unwrap();
    // fractions are dropped and Z is written +00:00
    assert!(a.line.contains("\"time\":\"2026-11-24T09:00:00+00:00\""), "{}", a.line);
}
