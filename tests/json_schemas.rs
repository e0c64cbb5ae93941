//! Every command's `--json` output, produced by the real binary, validates against its
//! JSON Schema in docs/schemas/ (docs/json-output.md), and every schema there is used.
//! No output carries Rust Debug text.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schemas")
}

/// Checks `out` (stdout of a `--json` run) against docs/schemas/NAME.schema.json.
#[track_caller]
fn check(name: &str, out: &std::process::Output, seen: &mut BTreeSet<String>) -> Value {
    let doc = json(out);
    let path = schema_dir().join(format!("{name}.schema.json"));
    let schema: Value = serde_json::from_slice(&fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))).unwrap();
    jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{name}.schema.json is not a valid schema: {e}"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{name} output does not match docs/schemas/{name}.schema.json (update the schema and docs/json-output.md if the change is meant):\n{}\n{doc:#}", errors.join("\n"));
    assert_no_debug_text(name, &doc);
    seen.insert(name.to_string());
    doc
}

/// Rust's Debug form of a struct or enum (`Filesystem { mount_point: … }`,
/// `Some(…)`) in any string of the document.
#[track_caller]
fn assert_no_debug_text(name: &str, v: &Value) {
    match v {
        Value::String(s) => {
            let looks_debug = s.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| {
                w[0].chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && w[0].chars().all(|c| c.is_ascii_alphanumeric())
                    && w[1] == "{"
            }) || s.starts_with("Some(")
                || s.contains("\", ")
                || s.contains(": \"");
            assert!(!looks_debug, "{name}: Debug text in JSON output: {s}");
        }
        Value::Array(a) => a.iter().for_each(|x| assert_no_debug_text(name, x)),
        Value::Object(o) => o.values().for_each(|x| assert_no_debug_text(name, x)),
        _ => {}
    }
}

#[test]
fn every_commands_json_output_matches_its_schema() {
    let mut seen = BTreeSet::new();
    let p = Person::new();
    let out = p
        .cmd()
        .args(["--json", "init", "--org", "新宿区", "--name", "山田", "--role", "responsible"])
        .output()
        .unwrap();
    assert_ok(&out);
    check("init", &out, &mut seen);

    let out = p.cmd().args(["--json", "key", "export"]).output().unwrap();
    assert_ok(&out);
    assert!(check("key-export", &out, &mut seen)["minisign"].is_string());
    let out = p.cmd().args(["--json", "key", "export", "--out"]).arg(p.path("me.pub")).output().unwrap();
    assert_ok(&out);
    assert!(check("key-export", &out, &mut seen)["path"].is_string());

    let src = p.path("src");
    fs::create_dir_all(src.join("申請書")).unwrap();
    fs::write(src.join("一覧.csv"), "氏名,住所\n山田,新宿\n").unwrap();
    fs::write(src.join("申請書").join("a.txt"), "a").unwrap();
    let media = p.path("usb");
    let notice = p.path("notice.txt");
    let out = p.seal(&src, &media, &notice, &["--category", "氏名"]);
    assert_ok(&out);
    let sealed = check("seal", &out, &mut seen);
    let payload = sealed["payload"].as_str().unwrap().to_string();

    let work = p.path("work");
    let out = p
        .cmd()
        .args(["--json", "open", &payload, "--dest"])
        .arg(&work)
        .arg("--passphrase-file")
        .arg(&notice)
        .output()
        .unwrap();
    assert_ok(&out);
    check("open", &out, &mut seen);

    let out = p.cmd().args(["--json", "ledger", "verify"]).output().unwrap();
    assert_ok(&out);
    check("ledger-verify", &out, &mut seen);
    let out = p.cmd().args(["--json", "ledger", "checkpoint"]).output().unwrap();
    assert_ok(&out);
    check("ledger-checkpoint", &out, &mut seen);
    let out = p.cmd().args(["--json", "ledger", "prove", "1"]).output().unwrap();
    assert_ok(&out);
    assert_eq!(check("ledger-prove", &out, &mut seen)["proof"]["seq"], 1);
    let out = p.cmd().args(["--json", "ledger", "repair"]).output().unwrap();
    assert_ok(&out);
    assert_eq!(check("ledger-repair", &out, &mut seen)["repaired"], false);

    // A file with a second name outside the tree makes the plan warn: the warning is
    // data, not Debug text.
    fs::hard_link(work.join("一覧.csv"), p.path("second-name.csv")).unwrap();
    let out = p.cmd().args(["--json", "wipe", "--dry-run"]).arg(&work).output().unwrap();
    assert_ok(&out);
    let plan = check("wipe-dry-run", &out, &mut seen);
    let warnings = plan["plan"]["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w["kind"] == "hard-linked" && w["links"] == 2), "{plan:#}");
    fs::remove_file(p.path("second-name.csv")).unwrap();

    let out = p.cmd().args(["--json", "wipe", "--yes"]).arg(&work).output().unwrap();
    assert_ok(&out);
    check("wipe", &out, &mut seen);

    let out = p.cmd().args(["--json", "--lang", "en", "demo"]).output().unwrap();
    assert_ok(&out);
    check("demo", &out, &mut seen);

    let out = p.cmd().args(["--json", "completions", "zsh"]).output().unwrap();
    assert_ok(&out);
    check("completions", &out, &mut seen);
    let out = p.cmd().args(["--json", "man", "--out"]).arg(p.path("man")).output().unwrap();
    assert_ok(&out);
    check("man", &out, &mut seen);

    // Failures: a library error, a refusal, and a command-line mistake.
    let out = p
        .cmd()
        .args(["--json", "open", &payload, "--dest"])
        .arg(p.path("w2"))
        .arg("--passphrase-file")
        .arg(p.path("none.txt"))
        .output()
        .unwrap();
    assert_exit(&out, 12);
    check("error", &out, &mut seen);
    let out = p.cmd().args(["--json", "wipe", "--dry-run", "/"]).output().unwrap();
    assert_exit(&out, 8);
    check("error", &out, &mut seen);
    let out = p.cmd().args(["--json", "seal", "--to"]).output().unwrap();
    assert_exit(&out, 2);
    check("error", &out, &mut seen);

    let files: BTreeSet<String> = fs::read_dir(schema_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".schema.json").map(str::to_string))
        .collect();
    assert_eq!(files, seen, "every schema in docs/schemas is checked against real output");
}
