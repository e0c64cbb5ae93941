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
    let out = p.seal(&src, &media, &notice, &["--category", "氏名", "--dry-run"]);
    assert_ok(&out);
    let plan = check("seal-dry-run", &out, &mut seen);
    assert_eq!((plan["file_count"].as_u64(), plan["more_files"].as_u64()), (Some(2), Some(0)), "{plan:#}");
    assert!(fs::read_dir(&media).unwrap().next().is_none() && !notice.exists(), "a dry run writes nothing");
    let out = p.seal(&src, &media, &notice, &["--category", "氏名"]);
    assert_ok(&out);
    let sealed = check("seal", &out, &mut seen);
    let payload = sealed["payload"].as_str().unwrap().to_string();

    let work = p.path("work");
    let out = open_json(&p, &payload, &work, &notice);
    assert_ok(&out);
    assert_eq!(check("open", &out, &mut seen)["fingerprint"], sealed["fingerprint"]);

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

    certify_verify_and_cosign(&mut seen);

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

/// `custody --json open PAYLOAD --dest DEST --passphrase-file NOTICE` by `p`.
fn open_json(p: &Person, payload: &str, dest: &Path, notice: &Path) -> std::process::Output {
    p.cmd().args(["--json", "open", payload, "--dest"]).arg(dest).arg("--passphrase-file").arg(notice).output().unwrap()
}

/// The contractor certifies an erasure, the ward cosigns the contractor's checkpoint,
/// verifies the return package and countersigns the certificate.
fn certify_verify_and_cosign(seen: &mut BTreeSet<String>) {
    let ward = Person::init("新宿区", "区 太郎");
    let contractor = Person::init("株式会社サンプル", "乙 花子");
    let src = ward.path("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("一覧.csv"), "氏名\n佐藤\n").unwrap();
    let notice = ward.path("notice.txt");
    let out = ward.seal(&src, &ward.path("media"), &notice, &[]);
    assert_ok(&out);
    let sealed = json(&out);
    let payload = sealed["payload"].as_str().unwrap().to_string();
    let work = contractor.path("work");
    assert_ok(&open_json(&contractor, &payload, &work, &notice));
    let record = contractor.path("record.json");
    let out = contractor
        .cmd()
        .args(["--json", "wipe", "--yes", "--notice-destroyed", "--record"])
        .arg(&record)
        .arg(&work)
        .arg(&payload)
        .arg(sealed["label"].as_str().unwrap())
        .output()
        .unwrap();
    assert_ok(&out);
    let (cert, pkg) = (contractor.path("CERT.json"), contractor.path("package"));
    let out = contractor
        .cmd()
        .args(["--json", "certify"])
        .arg(&record)
        .arg("--out")
        .arg(&cert)
        .arg("--package")
        .arg(&pkg)
        .args(["--contract", "R8-001", "--to", "新宿区長"])
        .output()
        .unwrap();
    assert_ok(&out);
    assert_eq!(check("certify", &out, seen)["certificate"]["items"], 1);

    let cosigned = ward.path("cosigned.checkpoint");
    let out = ward
        .cmd()
        .args(["--json", "ledger", "cosign"])
        .arg(pkg.join("checkpoint.txt"))
        .arg("--ledger")
        .arg(pkg.join("ledger.jsonl"))
        .arg("--trust")
        .arg(pkg.join("issuer.pub"))
        .arg("--out")
        .arg(&cosigned)
        .output()
        .unwrap();
    assert_ok(&out);
    assert_eq!(check("ledger-cosign", &out, seen)["first"], true);

    let contractor_pub = contractor.path("contractor.pub");
    assert_ok(&contractor.cmd().args(["key", "export", "--out"]).arg(&contractor_pub).output().unwrap());
    let out = ward
        .cmd()
        .args(["--json", "verify"])
        .arg(&pkg)
        .arg("--trust")
        .arg(&contractor_pub)
        .arg("--checkpoint")
        .arg(&cosigned)
        .output()
        .unwrap();
    assert_ok(&out);
    let report = check("verify", &out, seen);
    assert_eq!((report["ok"].as_bool(), report["package"].as_bool()), (Some(true), Some(true)), "{report:#}");
    // A failed verification prints the same document, with ok false (exit 15).
    let out = ward.cmd().args(["--json", "verify"]).arg(&cert).output().unwrap();
    assert_exit(&out, 15);
    assert_eq!(check("verify", &out, seen)["ok"], false);

    let ward_cert = ward.path("CERT.json");
    fs::copy(&cert, &ward_cert).unwrap();
    fs::copy(contractor.path("CERT.json.minisig"), ward.path("CERT.json.minisig")).unwrap();
    let out = ward.cmd().args(["--json", "certify", "--countersign"]).arg(&ward_cert).output().unwrap();
    assert_ok(&out);
    assert!(check("certify-countersign", &out, seen)["signature"].as_str().unwrap().ends_with(".minisig"));
}
