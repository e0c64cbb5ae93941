//! Issue 8 for whole media (`wipe --device`), through the binary: a wipe killed at
//! any step is completed and recorded exactly once by running the same command again;
//! a medium that is gone or was swapped before the rerun is recorded as not erased.
//! An image file stands in for the medium (the same code path as a block device but
//! for the `O_EXCL` open), so these need neither root nor a loop device. Kills land at
//! exact steps through the test-only fault hook (`CUSTODY_FAULT=kill:STEP`).

mod common;

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};

use common::*;

const IMAGE_LEN: usize = 3 << 20;
const MARK: &[u8] = b"CUSTODY-DEVICE-ORIGINAL-0123456789";

fn image(p: &Person, name: &str, len: usize) -> PathBuf {
    let path = p.path(name);
    fs::write(&path, MARK.iter().copied().cycle().take(len).collect::<Vec<u8>>()).unwrap();
    path
}

fn wipe(p: &Person, dev: &Path) -> assert_cmd::Command {
    let mut c = p.cmd();
    c.args(["--json", "wipe", "--yes", "--method", "dod-3", "--device"]).arg(dev);
    c
}

/// The device items of every `erased` entry's record, in ledger order.
fn device_items(p: &Person) -> Vec<serde_json::Value> {
    let mut items = vec![];
    for entry in p.ledger_lines().into_iter().filter(|l| l["kind"] == "erased") {
        let sha = entry["body"]["record_sha256"].as_str().unwrap().to_string();
        let file = fs::read_dir(p.home.join("records"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|f| f.to_string_lossy().ends_with(&format!("-{}.json", &sha[..12])))
            .unwrap_or_else(|| panic!("no record file for ledger entry {sha}"));
        let rec: serde_json::Value = serde_json::from_slice(&fs::read(file).unwrap()).unwrap();
        assert!(rec["device"].is_object(), "a device record names the medium: {rec}");
        items.extend(rec["items"].as_array().unwrap().iter().cloned());
    }
    items
}

fn journal_files(p: &Person) -> Vec<PathBuf> {
    fs::read_dir(p.home.join("journal")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}

#[track_caller]
fn assert_killed(o: &std::process::Output, step: &str) {
    assert_eq!(o.status.signal(), Some(9), "{step}: expected SIGKILL at the step, got {:?}\n{}", o.status, stderr(o));
}

#[test]
fn a_device_wipe_killed_at_any_step_is_completed_and_recorded_exactly_once() {
    // gate-passed: journalled, nothing written; pass-written (1st and 2nd of three
    // passes): partly overwritten; verified: overwritten and read back, `done` not yet
    // journalled; then the lifecycle's steps after the engine.
    let steps = [
        "gate-passed",
        "pass-written",
        "pass-written:2",
        "verified",
        "engine-done",
        "record-pending",
        "record-kept",
        "ledger-appended",
        "journal-removed",
    ];
    for step in steps {
        let p = Person::init("株式会社サンプル", "佐藤");
        let dev = image(&p, "stick.img", IMAGE_LEN);
        let first = wipe(&p, &dev).env("CUSTODY_FAULT", format!("kill:{step}")).output().unwrap();
        assert_killed(&first, step);
        if !step.starts_with("journal-removed") {
            assert!(!journal_files(&p).is_empty(), "{step}: the journal outlives the kill");
        }

        let again = wipe(&p, &dev).output().unwrap();
        assert!(again.status.success(), "{step}: {}\n{}", stdout(&again), stderr(&again));
        assert_eq!(json(&again)["outcome"], "all-erased", "{step}");
        let items = device_items(&p);
        let erased: Vec<_> = items.iter().filter(|i| i["result"] == "overwritten").collect();
        assert_eq!(erased.len(), 1, "{step}: the medium is recorded exactly once: {items:?}");
        assert_eq!(items.len(), 1, "{step}: and nothing else is recorded: {items:?}");
        assert_eq!(erased[0]["size"], IMAGE_LEN as u64, "{step}");
        assert!(erased[0]["verification"].is_object(), "{step}: read back");
        let bytes = fs::read(&dev).unwrap();
        assert_eq!(bytes.len(), IMAGE_LEN, "{step}");
        assert!(!bytes.windows(MARK.len()).any(|w| w == MARK), "{step}: no original bytes are left");
        assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
        assert_eq!(journal_files(&p), Vec::<PathBuf>::new(), "{step}: no journal or pending record is left");
    }
}

#[test]
fn a_rerun_after_the_passes_but_before_the_record_only_records_the_medium() {
    let p = Person::init("株式会社サンプル", "佐藤");
    let dev = image(&p, "stick.img", IMAGE_LEN);
    // Killed after the `done` line: the medium is finished, only its record is missing.
    let first = wipe(&p, &dev).env("CUSTODY_FAULT", "kill:engine-done").output().unwrap();
    assert_killed(&first, "engine-done");
    let after_first = fs::read(&dev).unwrap();
    let again = wipe(&p, &dev).output().unwrap();
    assert_ok(&again);
    assert_eq!(fs::read(&dev).unwrap(), after_first, "the medium is not overwritten a second time");
    let items = device_items(&p);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["resumed"]["bytes_written_by_this_run"], 0, "{items:?}");
}

#[test]
fn a_medium_gone_before_the_rerun_is_recorded_as_not_erased_and_can_be_erased_later() {
    let p = Person::init("株式会社サンプル", "佐藤");
    let dev = image(&p, "stick.img", IMAGE_LEN);
    let first = wipe(&p, &dev).env("CUSTODY_FAULT", "kill:pass-written").output().unwrap();
    assert_killed(&first, "pass-written");
    // The stick is unplugged: the path is gone.
    let kept = p.path("unplugged.img");
    fs::rename(&dev, &kept).unwrap();

    let plan =
        p.cmd().args(["--json", "wipe", "--dry-run", "--method", "dod-3", "--device"]).arg(&dev).output().unwrap();
    assert_ok(&plan);
    assert_eq!(json(&plan)["plan"]["absent"], true, "{}", stdout(&plan));
    let human = p
        .cmd()
        .args(["--lang", "en", "wipe", "--dry-run", "--method", "dod-3", "--device"])
        .arg(&dev)
        .output()
        .unwrap();
    assert!(stdout(&human).contains("not connected"), "{}", stdout(&human));

    let again = wipe(&p, &dev).output().unwrap();
    assert_exit(&again, 9);
    let items = device_items(&p);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["result"], "failed");
    assert_eq!(items[0]["problem"]["kind"], "vanished");
    assert_eq!(items[0]["still_reachable"], true);
    assert_eq!(items[0]["assurance"], "none");
    assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());

    // Recorded once: the same command again does not record it a second time.
    let third = wipe(&p, &dev).output().unwrap();
    assert!(!third.status.success(), "the medium is still not there");
    assert_eq!(device_items(&p).len(), 1, "the unfinished medium is recorded once");

    // Plugged in again: erased as a new job, and recorded as erased.
    fs::rename(&kept, &dev).unwrap();
    let fourth = wipe(&p, &dev).output().unwrap();
    assert_ok(&fourth);
    let items = device_items(&p);
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[1]["result"], "overwritten");
    assert!(!fs::read(&dev).unwrap().windows(MARK.len()).any(|w| w == MARK));
}

#[test]
fn a_medium_swapped_before_the_rerun_is_recorded_apart_from_the_new_one() {
    let p = Person::init("株式会社サンプル", "佐藤");
    let dev = image(&p, "stick.img", IMAGE_LEN);
    let first = wipe(&p, &dev).env("CUSTODY_FAULT", "kill:pass-written").output().unwrap();
    assert_killed(&first, "pass-written");
    // Another medium at the same path.
    fs::remove_file(&dev).unwrap();
    let dev = image(&p, "stick.img", 2 << 20);

    let again = wipe(&p, &dev).output().unwrap();
    assert_exit(&again, 9);
    let items = device_items(&p);
    assert_eq!(items.len(), 2, "{items:?}");
    let old = items.iter().find(|i| i["result"] == "failed").expect("the first medium");
    assert_eq!(old["problem"]["kind"], "replaced-between-runs");
    assert_eq!(old["size"], IMAGE_LEN as u64);
    let new = items.iter().find(|i| i["result"] == "overwritten").expect("the second medium");
    assert_eq!(new["size"], 2u64 << 20);
    assert_eq!(new["resumed"]["kind"], "replaced");
    assert!(!fs::read(&dev).unwrap().windows(MARK.len()).any(|w| w == MARK));
    assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
}

#[test]
fn a_medium_gone_is_recorded_once_even_if_that_run_is_killed_before_its_record() {
    let p = Person::init("株式会社サンプル", "佐藤");
    let dev = image(&p, "stick.img", IMAGE_LEN);
    assert_killed(&wipe(&p, &dev).env("CUSTODY_FAULT", "kill:pass-written").output().unwrap(), "pass-written");
    fs::remove_file(&dev).unwrap();
    for step in ["engine-done", "record-pending", "record-kept"] {
        assert_killed(&wipe(&p, &dev).env("CUSTODY_FAULT", format!("kill:{step}")).output().unwrap(), step);
    }
    let again = wipe(&p, &dev).output().unwrap();
    assert_exit(&again, 9);
    let items = device_items(&p);
    assert_eq!(items.len(), 1, "recorded once: {items:?}");
    assert_eq!(items[0]["problem"]["kind"], "vanished");
    // And not again.
    let _ = wipe(&p, &dev).output().unwrap();
    assert_eq!(device_items(&p).len(), 1);
    assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
}
