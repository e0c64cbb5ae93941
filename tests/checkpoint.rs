//! `ledger checkpoint`, `ledger cosign` and `ledger prove` through the binary: the ward
//! cosigns a contractor's growing ledger and refuses a truncated, rewritten or forked
//! one with the evidence, leaving what it holds unchanged (R10).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use custody_ledger::checkpoint::Checkpoint;
use custody_ledger::proof::InclusionProof;
use custody_ledger::{merkle, Hash};

/// Appends one `sealed` entry to `p`'s ledger by sealing a tiny folder.
fn seal_one(p: &Person, tag: &str) {
    let src = p.path(&format!("src-{tag}"));
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("a.txt"), format!("data {tag}")).unwrap();
    let out = p.seal(&src, &p.path(&format!("media-{tag}")), &p.path(&format!("notice-{tag}.txt")), &[]);
    assert_ok(&out);
}

fn checkpoint(p: &Person, name: &str) -> PathBuf {
    let path = p.path(name);
    let out = p.cmd().args(["--json", "ledger", "checkpoint", "--out"]).arg(&path).output().unwrap();
    assert_ok(&out);
    assert_eq!(json(&out)["path"], path.display().to_string());
    path
}

fn export_key(p: &Person) -> PathBuf {
    let path = p.path("contractor.pub");
    if !path.exists() {
        assert_ok(&p.cmd().args(["key", "export", "--out"]).arg(&path).output().unwrap());
    }
    path
}

/// A copy of the contractor's ledger, as handed to the ward.
fn ledger_copy(p: &Person, name: &str) -> PathBuf {
    let path = p.path(name);
    fs::copy(p.ledger(), &path).unwrap();
    path
}

fn cosign(ward: &Person, cp: &Path, ledger: &Path, trust: Option<&Path>) -> std::process::Output {
    let mut c = ward.cmd();
    c.args(["--json", "ledger", "cosign"]).arg(cp).arg("--ledger").arg(ledger);
    if let Some(t) = trust {
        c.arg("--trust").arg(t);
    }
    c.output().unwrap()
}

/// Everything the ward holds as a witness: file names and bytes.
fn witness_state(ward: &Person) -> Vec<(String, Vec<u8>)> {
    let dir = ward.home.join("witness");
    list_tree(&dir)
        .into_iter()
        .filter(|f| dir.join(f).is_file())
        .map(|f| {
            let bytes = fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// Keeps the first `n` lines of the contractor's home ledger.
fn truncate_ledger(p: &Person, n: usize) {
    let text = fs::read_to_string(p.ledger()).unwrap();
    let kept: String = text.lines().take(n).map(|l| format!("{l}\n")).collect();
    fs::write(p.ledger(), kept).unwrap();
    // A contractor rewriting their own ledger on purpose also drops the verified-prefix
    // marker (else the home's own append refuses the shortened ledger, exit 14): what
    // must catch the rewrite is the ward's checkpoint.
    let mut marker = p.ledger().into_os_string();
    marker.push(".verified");
    let _ = fs::remove_file(marker);
}

/// The contractor with a 3-entry ledger whose checkpoint the ward cosigned once.
fn cosigned_once() -> (Person, Person, PathBuf) {
    let contractor = Person::init("株式会社サンプル", "佐藤");
    let ward = Person::init("新宿区", "山田");
    seal_one(&contractor, "1");
    seal_one(&contractor, "2");
    let cp = checkpoint(&contractor, "cp1.checkpoint");
    let out = cosign(&ward, &cp, &ledger_copy(&contractor, "copy1.jsonl"), Some(&export_key(&contractor)));
    assert_ok(&out);
    (contractor, ward, cp)
}

#[test]
fn r10_the_ward_cosigns_a_growing_ledger_and_keeps_its_latest_checkpoint() {
    let (contractor, ward, cp1) = cosigned_once();
    let note = fs::read_to_string(&cp1).unwrap();
    let lines: Vec<&str> = note.lines().collect();
    assert_eq!(lines[1], "3", "size line: {note}");
    assert!(lines[0].starts_with("custody/ledger/"), "{note}");
    assert_eq!(note.matches('\u{2014}').count(), 2, "owner's signature and the ward's cosignature:\n{note}");
    assert!(note.contains("\u{2014} custody/witness/"), "{note}");
    let held = witness_state(&ward);
    assert_eq!(held.len(), 2, "log.pub and latest.checkpoint: {held:?}");
    assert!(held.iter().any(|(f, b)| f.ends_with("latest.checkpoint") && *b == note.as_bytes()));

    seal_one(&contractor, "3");
    let cp2 = checkpoint(&contractor, "cp2.checkpoint");
    // no --trust: the key pinned at the first cosign is used
    let out = cosign(&ward, &cp2, &ledger_copy(&contractor, "copy2.jsonl"), None);
    assert_ok(&out);
    let j = json(&out);
    assert_eq!(
        (j["size"].as_u64(), j["previous_size"].as_u64(), j["first"].as_bool()),
        (Some(4), Some(3), Some(false))
    );
    assert_eq!(j["consistency_proof"]["old_size"], 3);
    let note2 = fs::read_to_string(&cp2).unwrap();
    assert_eq!(j["note"], note2.as_str());
    assert!(witness_state(&ward).iter().any(|(f, b)| f.ends_with("latest.checkpoint") && *b == note2.as_bytes()));

    // The same checkpoint again is fine (re-cosigned, timestamp refreshed).
    assert_ok(&cosign(&ward, &cp2, &ledger_copy(&contractor, "copy3.jsonl"), None));
}

#[test]
fn r10_a_truncated_ledger_is_refused_at_cosigning_and_the_stored_checkpoint_is_unchanged() {
    let (contractor, ward, _) = cosigned_once();
    let held = witness_state(&ward);
    truncate_ledger(&contractor, 2);
    let cp = checkpoint(&contractor, "truncated.checkpoint");
    let out = cosign(&ward, &cp, &ledger_copy(&contractor, "copy-t.jsonl"), None);
    assert_exit(&out, 17);
    let j = json(&out);
    assert_eq!(j["error"]["code"], "checkpoint-inconsistent");
    assert_eq!(j["error"]["evidence"]["smaller"], true);
    assert_eq!(
        (j["error"]["evidence"]["stored_size"].as_u64(), j["error"]["evidence"]["submitted_size"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(witness_state(&ward), held, "the ward's stored checkpoint must not change");
    let before = fs::read_to_string(&cp).unwrap();
    assert_eq!(before.matches('\u{2014}').count(), 1, "the refused checkpoint is not cosigned");

    // In human form the message shows both checkpoints, in the user's language.
    let out = ward
        .cmd()
        .args(["--lang", "ja", "ledger", "cosign"])
        .arg(&cp)
        .arg("--ledger")
        .arg(contractor.path("copy-t.jsonl"))
        .output()
        .unwrap();
    assert_exit(&out, 17);
    let err = stderr(&out);
    assert!(err.contains("切り詰め") && err.contains(before.lines().nth(2).unwrap()), "{err}");
    let stored_root_line =
        String::from_utf8(held.iter().find(|(f, _)| f.ends_with("latest.checkpoint")).unwrap().1.clone()).unwrap();
    assert!(err.contains(stored_root_line.lines().nth(2).unwrap()), "{err}");
}

#[test]
fn r10_a_rewritten_or_forked_ledger_is_refused_at_cosigning_with_the_proof_as_evidence() {
    let (contractor, ward, _) = cosigned_once();
    let held = witness_state(&ward);
    // Rewritten: same size (3), other entries after the first.
    truncate_ledger(&contractor, 1);
    seal_one(&contractor, "x");
    seal_one(&contractor, "y");
    let cp = checkpoint(&contractor, "rewritten.checkpoint");
    let out = cosign(&ward, &cp, &ledger_copy(&contractor, "copy-r.jsonl"), None);
    assert_exit(&out, 17);
    let j = json(&out);
    assert_eq!(j["error"]["code"], "checkpoint-inconsistent");
    assert_eq!(j["error"]["evidence"]["smaller"], false);
    assert_eq!(witness_state(&ward), held);

    // Forked: larger (4) but not an extension of what the ward holds.
    seal_one(&contractor, "z");
    let cp = checkpoint(&contractor, "forked.checkpoint");
    let out = cosign(&ward, &cp, &ledger_copy(&contractor, "copy-f.jsonl"), None);
    assert_exit(&out, 17);
    let ev = &json(&out)["error"]["evidence"];
    assert_eq!((ev["stored_size"].as_u64(), ev["submitted_size"].as_u64()), (Some(3), Some(4)));
    assert!(ev["proof"]["hashes"].as_array().is_some_and(|h| !h.is_empty()), "{ev}");
    assert_eq!(ev["submitted"], fs::read_to_string(&cp).unwrap().as_str());
    assert_eq!(witness_state(&ward), held);
}

#[test]
fn cosign_checks_the_key_the_ledger_and_the_checkpoint_before_anything_is_stored() {
    let contractor = Person::init("株式会社サンプル", "佐藤");
    let ward = Person::init("新宿区", "山田");
    let stranger = Person::init("他社", "鈴木");
    seal_one(&contractor, "1");
    let cp = checkpoint(&contractor, "cp.checkpoint");
    let copy = ledger_copy(&contractor, "copy.jsonl");

    // No key trusted yet for this ledger.
    let out = cosign(&ward, &cp, &copy, None);
    assert_exit(&out, 5);
    assert_eq!(json(&out)["error"]["code"], "witness-no-trust");
    // The wrong key.
    let out = cosign(&ward, &cp, &copy, Some(&export_key(&stranger)));
    assert_exit(&out, 7);
    assert_eq!(json(&out)["error"]["code"], "checkpoint-untrusted");
    // A ledger copy that is not the one the checkpoint describes.
    let short = contractor.path("short.jsonl");
    fs::write(&short, fs::read_to_string(contractor.ledger()).unwrap().lines().next().unwrap().to_owned() + "\n")
        .unwrap();
    let out = cosign(&ward, &cp, &short, Some(&export_key(&contractor)));
    assert_exit(&out, 7);
    assert_eq!(json(&out)["error"]["code"], "checkpoint-mismatch");
    // A ledger line changed.
    let tampered = contractor.path("tampered.jsonl");
    fs::write(
        &tampered,
        fs::read_to_string(contractor.ledger()).unwrap().replacen("株式会社サンプル", "株式会社サンプノ", 1),
    )
    .unwrap();
    let out = cosign(&ward, &cp, &tampered, Some(&export_key(&contractor)));
    assert_exit(&out, 7);
    assert_eq!(json(&out)["error"]["code"], "ledger-invalid");
    // A checkpoint that is not a signed note; a folder; a changed root.
    let junk = contractor.path("junk.checkpoint");
    fs::write(&junk, "hello\n").unwrap();
    assert_eq!(
        json(&cosign(&ward, &junk, &copy, Some(&export_key(&contractor))))["error"]["code"],
        "checkpoint-invalid"
    );
    assert_eq!(
        json(&cosign(&ward, contractor.dir.path(), &copy, Some(&export_key(&contractor))))["error"]["code"],
        "not-a-file"
    );
    let forged = contractor.path("forged.checkpoint");
    let note = fs::read_to_string(&cp).unwrap();
    fs::write(&forged, note.replacen("\n2\n", "\n1\n", 1)).unwrap();
    assert_eq!(
        json(&cosign(&ward, &forged, &copy, Some(&export_key(&contractor))))["error"]["code"],
        "checkpoint-untrusted"
    );
    assert!(witness_state(&ward).is_empty(), "nothing stored after refusals");

    // An existing --out file is never replaced by `ledger checkpoint`.
    let out = contractor.cmd().args(["ledger", "checkpoint", "--out"]).arg(&cp).output().unwrap();
    assert_exit(&out, 12);
    assert_eq!(fs::read_to_string(&cp).unwrap(), note);
}

#[test]
fn prove_gives_an_inclusion_proof_that_verifies_against_the_checkpoint() {
    let contractor = Person::init("株式会社サンプル", "佐藤");
    seal_one(&contractor, "1");
    seal_one(&contractor, "2");
    let cp_path = checkpoint(&contractor, "cp.checkpoint");
    seal_one(&contractor, "3"); // the ledger grows past the checkpoint
    let note = fs::read_to_string(&cp_path).unwrap();
    let text = &note[..note.rfind("\n\n").unwrap() + 1];
    let cp = Checkpoint::parse_body(text).unwrap();
    assert_eq!(cp.size, 3);
    let lines: Vec<String> = fs::read_to_string(contractor.ledger()).unwrap().lines().map(str::to_owned).collect();

    for seq in 0..3u64 {
        let out = contractor
            .cmd()
            .args(["--json", "ledger", "prove", &seq.to_string(), "--checkpoint"])
            .arg(&cp_path)
            .output()
            .unwrap();
        assert_ok(&out);
        let j = json(&out);
        let proof = InclusionProof::parse(serde_json::to_string(&j["proof"]).unwrap().as_bytes()).unwrap();
        assert!(proof.verify_against(&cp), "seq {seq}");
        assert!(proof.proves_line(lines[seq as usize].as_bytes()));
        assert_eq!(j["line"], lines[seq as usize].as_str());
        assert_eq!(j["checkpoint"], note.as_str());
    }
    // Without a checkpoint: against the whole ledger (4 entries).
    let out = contractor.cmd().args(["--json", "ledger", "prove", "3"]).output().unwrap();
    assert_ok(&out);
    let proof = InclusionProof::parse(serde_json::to_string(&json(&out)["proof"]).unwrap().as_bytes()).unwrap();
    let leaves: Vec<Hash> = lines.iter().map(|l| merkle::leaf_hash(l.as_bytes())).collect();
    assert_eq!((proof.size, proof.root), (4, merkle::root(&leaves)));
    assert!(proof.verify());
    // Past the end of the checkpoint.
    let out = contractor.cmd().args(["--json", "ledger", "prove", "3", "--checkpoint"]).arg(&cp_path).output().unwrap();
    assert_exit(&out, 5);
    assert_eq!(json(&out)["error"]["code"], "entry-not-found");
    // Human output in Japanese names the entry and its kind.
    let out = contractor.cmd().args(["--lang", "ja", "ledger", "prove", "1"]).output().unwrap();
    assert_ok(&out);
    assert!(
        stdout(&out).contains("記録 1") && stdout(&out).contains("暗号化して媒体に書き込み（sealed）"),
        "{}",
        stdout(&out)
    );
}
