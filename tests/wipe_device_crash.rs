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
fn a_rerun_after_the_passes_overwrites_the_medium_again_and_records_it_once() {
    let p = Person::init("株式会社サンプル", "佐藤");
    let dev = image(&p, "stick.img", IMAGE_LEN);
    // Killed after the `done` line, before the record: nothing shows that the medium
    // was left alone since, so the rerun overwrites it again rather than vouch for it.
    let first = wipe(&p, &dev).env("CUSTODY_FAULT", "kill:engine-done").output().unwrap();
    assert_killed(&first, "engine-done");
    // Someone writes the original data back in place (same file, same size).
    fs::write(&dev, MARK.iter().copied().cycle().take(IMAGE_LEN).collect::<Vec<u8>>()).unwrap();
    let again = wipe(&p, &dev).output().unwrap();
    assert_ok(&again);
    assert!(!fs::read(&dev).unwrap().windows(MARK.len()).any(|w| w == MARK), "overwritten again");
    let items = device_items(&p);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["resumed"]["kind"], "continued", "{items:?}");
    assert_eq!(items[0]["resumed"]["bytes_written_by_this_run"], 3 * IMAGE_LEN as u64, "{items:?}");
}

#[test]
fn a_finished_erasure_whose_medium_is_gone_before_its_record_is_still_recorded() {
    for step in ["engine-done", "record-pending", "record-kept", "ledger-appended", "journal-removed"] {
        let p = Person::init("株式会社サンプル", "佐藤");
        let dev = image(&p, "stick.img", IMAGE_LEN);
        assert_killed(&wipe(&p, &dev).env("CUSTODY_FAULT", format!("kill:{step}")).output().unwrap(), step);
        fs::remove_file(&dev).unwrap();
        let again = wipe(&p, &dev).output().unwrap();
        assert_ok(&again);
        let items = device_items(&p);
        assert_eq!(items.len(), 1, "{step}: recorded once: {items:?}");
        assert_eq!(items[0]["result"], "overwritten", "{step}: the overwrite did happen: {items:?}");
        assert_eq!(journal_files(&p).iter().filter(|f| !f.to_string_lossy().ends_with(".lock")).count(), 0, "{step}");
        assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
        // Nothing more to record: the next run says the medium is not there.
        let third = wipe(&p, &dev).output().unwrap();
        assert_exit(&third, 8);
        assert_eq!(device_items(&p).len(), 1, "{step}");
    }
}

#[test]
fn a_medium_swapped_after_its_record_was_made_but_not_yet_signed_is_erased_too() {
    for step in ["record-pending", "record-kept", "ledger-appended", "journal-removed"] {
        let p = Person::init("株式会社サンプル", "佐藤");
        let dev = image(&p, "stick.img", IMAGE_LEN);
        assert_killed(&wipe(&p, &dev).env("CUSTODY_FAULT", format!("kill:{step}")).output().unwrap(), step);
        // Another stick of the same size at the same path.
        fs::remove_file(&dev).unwrap();
        let dev = image(&p, "stick.img", IMAGE_LEN);
        let again = wipe(&p, &dev).output().unwrap();
        assert_ok(&again);
        assert!(!fs::read(&dev).unwrap().windows(MARK.len()).any(|w| w == MARK), "{step}: the new medium is erased");
        let items = device_items(&p);
        assert_eq!(items.iter().filter(|i| i["result"] == "overwritten").count(), 2, "{step}: both media: {items:?}");
    }
}

#[test]
fn a_device_named_by_a_symlink_is_still_found_when_the_link_dangles() {
    let p = Person::init("株式会社サンプル", "佐藤");
    let dev = image(&p, "stick.img", IMAGE_LEN);
    let link = p.path("by-id-usb-stick");
    std::os::unix::fs::symlink(&dev, &link).unwrap();
    assert_killed(&wipe(&p, &link).env("CUSTODY_FAULT", "kill:pass-written").output().unwrap(), "pass-written");
    fs::remove_file(&dev).unwrap();
    let again = wipe(&p, &link).output().unwrap();
    assert_exit(&again, 9);
    let items = device_items(&p);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["problem"]["kind"], "vanished");
    assert_eq!(items[0]["overwritten_bytes"], 0, "how far the passes got is not known: nothing is claimed");
}

#[test]
fn a_rerun_with_another_method_is_told_to_use_the_first_and_then_completes() {
    let p = Person::init("株式会社サンプル", "佐藤");
    let dev = image(&p, "stick.img", IMAGE_LEN);
    assert_killed(&wipe(&p, &dev).env("CUSTODY_FAULT", "kill:pass-written").output().unwrap(), "pass-written");
    let other = p.cmd().args(["--json", "wipe", "--yes", "--method", "zero", "--device"]).arg(&dev).output().unwrap();
    assert_exit(&other, 2);
    assert_eq!(json(&other)["error"]["code"], "journal-mismatch", "{}", stdout(&other));
    assert!(device_items(&p).is_empty(), "nothing recorded, nothing started");
    assert_ok(&wipe(&p, &dev).output().unwrap());
    assert_eq!(device_items(&p).len(), 1);
}

#[test]
fn a_second_run_of_the_same_job_is_refused_while_the_first_runs() {
    let p = Person::init("株式会社サンプル", "佐藤");
    let dev = image(&p, "stick.img", IMAGE_LEN);
    let first = std::process::Command::new(assert_cmd::cargo::cargo_bin("custody"))
        .env("CUSTODY_HOME", &p.home)
        .env("CUSTODY_KEY_PASSPHRASE_FILE", &p.key_pass_file)
        .env("CUSTODY_FAULT", "stop:pass-written")
        .args(["--json", "wipe", "--yes", "--method", "dod-3", "--device"])
        .arg(&dev)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Stopped at its step (state T in /proc), holding the job.
    let stat = format!("/proc/{}/stat", first.id());
    let start = std::time::Instant::now();
    while !fs::read_to_string(&stat).unwrap_or_default().split(") ").nth(1).is_some_and(|r| r.starts_with('T')) {
        assert!(start.elapsed() < std::time::Duration::from_secs(120), "the first run never reached its stop");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let second = wipe(&p, &dev).output().unwrap();
    assert_exit(&second, 8);
    assert_eq!(json(&second)["error"]["code"], "wipe-in-progress", "{}", stdout(&second));
    std::process::Command::new("kill").arg("-CONT").arg(first.id().to_string()).status().unwrap();
    let done = first.wait_with_output().unwrap();
    assert!(done.status.success(), "the first run completes: {}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(device_items(&p).len(), 1, "one run, one record");
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
