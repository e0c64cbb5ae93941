//! docs/ledger-events.md against the code: every example parses as its kind and is
//! written back byte for byte, every kind is shown, every field in a kind's table is a
//! field of that kind; and the bodies `verify` and `append` refuse.

use custody_ledger::events::{self, Event, KNOWN_KINDS};
use custody_ledger::{verify, Ledger, LedgerError, Problem};
use serde_json::{json, Map, Value};

mod common;
use common::{body, example_key, t0};

const DOC: &str = include_str!("../../../docs/ledger-events.md");

/// (kind, field names in its table, example line) per `## \`kind\`` section.
fn sections() -> Vec<(String, Vec<String>, String)> {
    let mut out = Vec::new();
    for sec in DOC.split("\n## `").skip(1) {
        let kind = sec.split('`').next().unwrap().to_owned();
        let fields: Vec<String> = sec
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| l.trim_start_matches("| `").split('`').next().unwrap().to_owned())
            .collect();
        let example = sec.split("```json\n").nth(1).and_then(|r| r.split("\n```").next()).unwrap_or_default();
        out.push((kind, fields, example.to_owned()));
    }
    out
}

#[test]
fn every_kind_in_the_docs_matches_the_code() {
    let secs = sections();
    let kinds: Vec<&str> = secs.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(kinds, KNOWN_KINDS, "one section per known kind, in order");
    for (kind, fields, example) in &secs {
        let line: Value = serde_json::from_str(example).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(line["kind"], json!(kind));
        let b = line["body"].as_object().unwrap();
        let event = Event::parse(kind, b).unwrap().unwrap_or_else(|| panic!("{kind} is not known"));
        assert_eq!(event.kind(), kind);
        // written back in the same canonical bytes
        assert_eq!(
            serde_jcs::to_string(&Value::Object(event.to_body())).unwrap(),
            serde_jcs::to_string(&line["body"]).unwrap()
        );
        // the table names every field the example has, and nothing else
        let mut in_example: Vec<&String> = b.keys().collect();
        in_example.sort();
        let mut in_table: Vec<&String> = fields.iter().filter(|f| *f != "device").collect();
        in_table.sort();
        assert_eq!(in_example, in_table, "{kind}: table and example disagree");
    }
}

#[test]
fn bodies_of_known_kinds_are_checked_and_unknown_kinds_named() {
    let dir = tempfile::tempdir().unwrap();
    let key = example_key();
    let l = Ledger::create(&dir.path().join("l.jsonl")).unwrap();
    let (_, _, init_example) = &sections()[0];
    let init: Value = serde_json::from_str(init_example).unwrap();
    l.append("init", init["body"].as_object().unwrap().clone(), &key, t0()).unwrap();
    l.append("handoff", body(json!({"to": "乙"})), &key, t0()).unwrap();

    // A known kind with a body that is not its type's is refused at append.
    let mut wrong = init["body"].as_object().unwrap().clone();
    wrong.insert("role".into(), json!("Responsible"));
    match l.append("init", wrong.clone(), &key, t0()) {
        Err(LedgerError::BadBody { kind: "init", .. }) => {}
        other => panic!("{other:?}"),
    }
    for (k, v) in [("v", json!(2)), ("extra", json!(1))] {
        let mut m: Map<String, Value> = init["body"].as_object().unwrap().clone();
        m.insert(k.into(), v);
        assert!(l.append("init", m, &key, t0()).is_err(), "{k}");
    }
    let mut m = init["body"].as_object().unwrap().clone();
    m.remove("org");
    assert!(l.append("init", m, &key, t0()).is_err());

    let file = std::io::BufReader::new(std::fs::File::open(l.path()).unwrap());
    let v = verify(file, &key.public_key()).unwrap();
    assert_eq!(v.unknown_kinds().into_iter().collect::<Vec<_>>(), [("handoff".to_owned(), 1)]);

    // A line with a bad body, signed properly (written around append's check), fails
    // verify by its kind.
    let text = std::fs::read_to_string(l.path()).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    let prev = custody_ledger::merkle::leaf_hash(text.lines().last().unwrap().as_bytes());
    let mut obj = Map::new();
    obj.insert("v".into(), json!(1));
    obj.insert("seq".into(), json!(2));
    obj.insert("prev".into(), json!(prev.to_string()));
    obj.insert("time".into(), last["time"].clone());
    obj.insert("kind".into(), json!("init"));
    obj.insert("actor".into(), last["actor"].clone());
    obj.insert("body".into(), Value::Object(wrong));
    let signed = serde_jcs::to_vec(&Value::Object(obj.clone())).unwrap();
    use base64::Engine;
    let sig = base64::engine::general_purpose::STANDARD.encode(key.sign(&signed));
    obj.insert("sig".into(), json!(sig));
    let line = serde_jcs::to_string(&Value::Object(obj)).unwrap();
    std::fs::write(l.path(), format!("{text}{line}\n")).unwrap();
    let file = std::io::BufReader::new(std::fs::File::open(l.path()).unwrap());
    let err = verify(file, &key.public_key()).unwrap_err();
    assert_eq!(err.line, 3);
    match err.problem {
        Problem::BadBody(events::BodyProblem::Fields { kind: "init", .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_spelling_per_value() {
    let s = serde_json::to_value(events::Assurance::NotAssured).unwrap();
    assert_eq!(s, json!("not-assured"));
    assert!(serde_json::from_value::<events::Assurance>(json!("not_assured")).is_err());
    assert_eq!(serde_json::to_value(events::Outcome::AllErased).unwrap(), json!("all-erased"));
}
