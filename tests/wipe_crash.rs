//! Issue 8, through the binary: every erasure is recorded whatever kills the process,
//! running the same command again always completes the job, and the record is true to
//! what happened on disk. Kills land at exact, named steps through the test-only
//! fault hook (`CUSTODY_FAULT=kill:STEP`, compiled in for these tests only).
//! Tests that need root and a throwaway mount namespace (`unshare -m`) say so when
//! they skip.

mod common;

use std::collections::HashMap;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::*;
use custody_wipe::PathKey;

/// Files in several folders, one of them large enough for more than one write.
fn work_tree(root: &Path) -> Vec<PathBuf> {
    fs::create_dir_all(root.join("申請書/2026")).unwrap();
    let files = [
        (root.join("名簿.csv"), "氏名,電話番号\n".repeat(300).into_bytes()),
        (root.join("申請書/2026/山田太郎.txt"), vec![0x5a; 70_000]),
        (root.join("申請書/メモ.txt"), b"memo".to_vec()),
        (root.join("empty"), Vec::new()),
    ];
    for (p, data) in &files {
        fs::write(p, data).unwrap();
    }
    files.into_iter().map(|(p, _)| p).collect()
}

/// A person with an erasure job ready: their work tree (see [`work_tree`]) and its files.
fn person_with_work() -> (Person, PathBuf, Vec<PathBuf>) {
    let p = Person::init("株式会社サンプル", "佐藤");
    let work = p.path("work");
    let files = work_tree(&work);
    (p, work, files)
}

/// Every path in `all` is in exactly one of the person's erasure records.
#[track_caller]
fn assert_each_recorded_once(p: &Person, all: &[PathBuf], step: &str) {
    for (path, n) in coverage(p, all) {
        assert_eq!(n, 1, "{step}: {} is recorded {n} times", path.display());
    }
}

fn wipe_cmd(p: &Person, work: &Path, record: &Path) -> assert_cmd::Command {
    let mut c = p.cmd();
    c.args(["--json", "wipe", "--yes", "--method", "dod-3", "--record"]).arg(record).arg(work);
    c
}

/// Every `erased` entry's record, with the path key kept beside it in the home.
fn recorded(p: &Person) -> Vec<(serde_json::Value, PathKey)> {
    let mut out = vec![];
    for entry in p.ledger_lines().into_iter().filter(|l| l["kind"] == "erased") {
        let sha = entry["body"]["record_sha256"].as_str().unwrap().to_string();
        let found = fs::read_dir(p.home.join("records"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|f| f.to_string_lossy().ends_with(&format!("-{}.json", &sha[..12])))
            .unwrap_or_else(|| panic!("no record file for ledger entry {sha}"));
        let bytes = fs::read(&found).unwrap();
        let sha_of_file = StdCommand::new("sha256sum").arg(&found).output().unwrap();
        assert!(String::from_utf8_lossy(&sha_of_file.stdout).starts_with(&sha), "record file matches its entry");
        let key_hex = fs::read_to_string(found.with_extension("pathkey")).unwrap();
        let mut key = [0u8; 32];
        for (i, b) in key.iter_mut().enumerate() {
            *b = u8::from_str_radix(&key_hex.trim()[2 * i..2 * i + 2], 16).unwrap();
        }
        out.push((serde_json::from_slice(&bytes).unwrap(), PathKey::from_bytes(key)));
    }
    out
}

/// How many times each path is recorded as erased (files) or removed (folders)
/// across every record in the ledger.
fn coverage(p: &Person, paths: &[PathBuf]) -> HashMap<PathBuf, usize> {
    let mut count: HashMap<PathBuf, usize> = paths.iter().map(|p| (p.clone(), 0)).collect();
    for (rec, key) in recorded(p) {
        for item in rec["items"].as_array().unwrap() {
            if item["result"] != "erased" && item["result"] != "removed" {
                continue;
            }
            for path in paths {
                if key.hash_path(path) == item["path_hmac"].as_str().unwrap() {
                    *count.get_mut(path).unwrap() += 1;
                }
            }
        }
    }
    count
}

/// Files and folders of the tree, absolute and canonical as the engine sees them.
fn targets(work: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    let canon_work = work.canonicalize().unwrap();
    let mut all: Vec<PathBuf> = files.iter().map(|f| canon_work.join(f.strip_prefix(work).unwrap())).collect();
    for d in ["", "申請書", "申請書/2026"] {
        all.push(if d.is_empty() { canon_work.clone() } else { canon_work.join(d) });
    }
    all
}

fn journal_files(p: &Person) -> Vec<PathBuf> {
    fs::read_dir(p.home.join("journal")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}

#[track_caller]
fn assert_killed(o: &std::process::Output, step: &str) {
    assert_eq!(o.status.signal(), Some(9), "{step}: expected SIGKILL at the step, got {:?}\n{}", o.status, stderr(o));
}

#[test]
fn killed_at_any_step_a_rerun_of_the_same_command_records_every_target_exactly_once() {
    // Every step the crate defines, less the operations that can only be made to fail.
    let steps = custody_wipe::fault::STEPS.iter().copied().filter(|s| *s != "journal-append");
    for step in steps {
        let (p, work, files) = person_with_work();
        let all = targets(&work, &files);
        let record = p.path("erasure.json");
        let first = wipe_cmd(&p, &work, &record).env("CUSTODY_FAULT", format!("kill:{step}")).output().unwrap();
        assert_killed(&first, step);

        let again = wipe_cmd(&p, &work, &record).output().unwrap();
        assert!(again.status.success(), "{step}: {}\n{}", stdout(&again), stderr(&again));
        let j = json(&again);
        assert_eq!(j["outcome"], "all-erased", "{step}: {j}");
        assert!(!work.exists(), "{step}: every target is erased");
        assert_each_recorded_once(&p, &all, step);
        assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
        assert_eq!(journal_files(&p), Vec::<PathBuf>::new(), "{step}: no journal or pending record is left");
        let copy = j["record_copy"].as_str().expect("the --record copy");
        assert!(Path::new(copy).exists(), "{step}");
    }
}

#[test]
fn an_engine_error_after_destruction_began_still_yields_a_record_and_the_rerun_completes() {
    // The second journal append (the random names, after the overwrite is verified)
    // fails: the files are overwritten but the run cannot go on. It must still record
    // what it did, and the same command again must finish the job.
    let (p, work, files) = person_with_work();
    let all = targets(&work, &files);
    let record = p.path("erasure.json");
    let first = wipe_cmd(&p, &work, &record).env("CUSTODY_FAULT", "fail:journal-append:2").output().unwrap();
    assert_exit(&first, 10);
    assert_eq!(json(&first)["outcome"], "interrupted");
    let rec: serde_json::Value = serde_json::from_slice(&fs::read(&record).unwrap()).unwrap();
    assert!(rec["stopped_by"].as_str().unwrap().contains("injected fault"), "{rec}");
    assert_eq!(rec["interrupted"], true);
    assert_eq!(p.ledger_lines().last().unwrap()["body"]["outcome"], "interrupted");
    assert!(files.iter().all(|f| f.exists()), "stopped before any name went");

    let again = wipe_cmd(&p, &work, &record).output().unwrap();
    assert_ok(&again);
    assert!(!work.exists());
    assert_each_recorded_once(&p, &all, "");
    assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
}

#[test]
fn an_interrupted_run_with_a_record_copy_is_rerun_without_replacing_the_first_copy() {
    // Killed after the engine removed everything but before the record: the rerun
    // (same command, same --record) records the job; a record file already there from
    // an earlier run of the same job is kept, and the new copy goes beside it.
    let (p, work, files) = person_with_work();
    fs::create_dir_all(work.join("more")).unwrap();
    fs::write(work.join("more/x.bin"), vec![1u8; 50_000]).unwrap();
    let record = p.path("erasure.json");
    // A clean interruption first (Ctrl-C while stopped at a step): the first record is
    // written with outcome "interrupted".
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("custody"))
        .env("CUSTODY_HOME", &p.home)
        .env("CUSTODY_KEY_PASSPHRASE_FILE", &p.key_pass_file)
        .env("CUSTODY_FAULT", "stop:overwritten")
        .args(["--json", "wipe", "--yes", "--method", "dod-3", "--record"])
        .arg(&record)
        .arg(&work)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_stopped(child.id());
    for sig in ["-INT", "-CONT"] {
        StdCommand::new("kill").arg(sig).arg(child.id().to_string()).status().unwrap();
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(10), "interrupted");
    let first_copy = fs::read(&record).unwrap();
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&first_copy).unwrap()["interrupted"], true);

    let again = wipe_cmd(&p, &work, &record).output().unwrap();
    assert_ok(&again);
    assert_eq!(fs::read(&record).unwrap(), first_copy, "the first copy is never replaced");
    let copy = json(&again)["record_copy"].as_str().unwrap().to_string();
    assert_ne!(Path::new(&copy), record.as_path());
    assert!(Path::new(&copy).exists());
    assert!(!work.exists());
    assert_each_recorded_once(&p, &targets_after(&p, &files), "");
}

/// Targets of a tree that no longer exists: its folder's canonical parent is.
fn targets_after(p: &Person, files: &[PathBuf]) -> Vec<PathBuf> {
    let base = p.dir.path().canonicalize().unwrap().join("work");
    let mut all: Vec<PathBuf> = files.iter().map(|f| base.join(f.strip_prefix(p.path("work")).unwrap())).collect();
    for d in ["", "申請書", "申請書/2026", "more", "more/x.bin"] {
        all.push(if d.is_empty() { base.clone() } else { base.join(d) });
    }
    all
}

/// Wait until the process is stopped (SIGSTOP raised at its fault step).
fn wait_stopped(pid: u32) {
    let start = Instant::now();
    loop {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat.rsplit(')').next().and_then(|r| r.split_whitespace().next()).unwrap_or("");
        if state == "T" || state == "t" {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "the process never reached its stop: {stat}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Stop the wipe at `step`, let `meanwhile` change the files, and let it go on.
fn run_stopped_at(p: &Person, work: &Path, step: &str, meanwhile: impl FnOnce()) -> std::process::Output {
    let child = StdCommand::new(assert_cmd::cargo::cargo_bin("custody"))
        .env("CUSTODY_HOME", &p.home)
        .env("CUSTODY_KEY_PASSPHRASE_FILE", &p.key_pass_file)
        .env("CUSTODY_FAULT", format!("stop:{step}"))
        .env("LANG", "en_US.UTF-8")
        .args(["--json", "wipe", "--yes"])
        .arg(work)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_stopped(child.id());
    meanwhile();
    StdCommand::new("kill").arg("-CONT").arg(child.id().to_string()).status().unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_file_growing_during_the_wipe_is_left_in_place_and_reported() {
    // Two moments: while the key is derived (after hashing, before any overwrite), and
    // after the passes, before truncation.
    for step in ["gate-passed", "overwritten"] {
        let p = Person::init("株式会社サンプル", "佐藤");
        let work = p.path("work");
        fs::create_dir_all(&work).unwrap();
        let f = work.join("growing.log");
        fs::write(&f, vec![b'a'; 1000]).unwrap();
        let out = run_stopped_at(&p, &work, step, || {
            let mut h = fs::OpenOptions::new().append(true).open(&f).unwrap();
            std::io::Write::write_all(&mut h, &vec![b'b'; 172_032]).unwrap();
        });
        assert_exit(&out, 9);
        let j = json(&out);
        assert_eq!(j["outcome"], "some-failed", "{step}: {j}");
        let problem =
            &j["problems"].as_array().unwrap().iter().find(|p| p["problem"]["kind"] == "grew").unwrap()["problem"];
        assert_eq!(problem["planned"], 1000, "{step}");
        // After the passes the file is as long as the whole blocks they wrote.
        let base = if step == "overwritten" { 4096 } else { 1000 };
        assert_eq!(problem["now"], base + 172_032, "{step}");
        assert_eq!(fs::metadata(&f).unwrap().len(), base + 172_032, "{step}: left in place, not truncated");
        let rec: serde_json::Value =
            serde_json::from_slice(&fs::read(json(&out)["record"].as_str().unwrap()).unwrap()).unwrap();
        let item = rec["items"].as_array().unwrap().iter().find(|i| i["kind"] == "file").unwrap();
        assert_eq!(item["result"], "failed", "{step}: never recorded as erased");
        assert_eq!(item["still_reachable"], true);
    }
}

#[test]
fn a_torn_ledger_stops_the_wipe_before_anything_is_touched() {
    let (p, work, files) = person_with_work();
    let mut h = fs::OpenOptions::new().append(true).open(p.ledger()).unwrap();
    std::io::Write::write_all(&mut h, b"{\"actor\":\"RWS").unwrap();
    let out = p.cmd().args(["--json", "wipe", "--yes"]).arg(&work).output().unwrap();
    assert_exit(&out, 3);
    let j = json(&out);
    assert_eq!(j["error"]["code"], "wipe-ledger-cannot-record", "{j}");
    assert!(j["error"]["hint"].as_str().unwrap().contains("custody ledger repair"), "{j}");
    for f in &files {
        assert!(f.exists(), "{} untouched", f.display());
    }
    assert_eq!(fs::read(&files[1]).unwrap(), vec![0x5a; 70_000]);
    assert_eq!(journal_files(&p), Vec::<PathBuf>::new(), "no journal");
    // In Japanese too, with the glossary's words.
    let out = p.cmd().args(["--lang", "ja", "wipe", "--yes"]).arg(&work).output().unwrap();
    assert_exit(&out, 3);
    assert!(stderr(&out).contains("台帳"), "{}", stderr(&out));
    assert!(stderr(&out).contains("custody ledger repair"), "{}", stderr(&out));
}

#[test]
fn record_never_overwrites_an_existing_file() {
    let (p, work, files) = person_with_work();
    let record = p.path("r.json");
    fs::write(&record, "keep me").unwrap();
    let out = p.cmd().args(["--json", "wipe", "--yes", "--record"]).arg(&record).arg(&work).output().unwrap();
    assert_exit(&out, 5);
    assert_eq!(json(&out)["error"]["code"], "wipe-record-exists");
    assert_eq!(fs::read_to_string(&record).unwrap(), "keep me");
    assert!(files.iter().all(|f| f.exists()), "nothing erased");
    assert_eq!(p.ledger_lines().len(), 1, "nothing recorded");
}

/// The journal of the job `work` belongs to, created by a run killed before it
/// touched anything.
fn journal_of_killed_run(p: &Person, work: &Path, record: &Path) -> PathBuf {
    let first = wipe_cmd(p, work, record).env("CUSTODY_FAULT", "kill:hashing").output().unwrap();
    assert_killed(&first, "hashing");
    let j: Vec<PathBuf> = journal_files(p)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json") && !f.to_string_lossy().contains(".payloads"))
        .collect();
    assert_eq!(j.len(), 1, "{j:?}");
    j[0].clone()
}

#[test]
fn a_torn_or_empty_journal_never_blocks_the_job() {
    for torn in [0usize, 17] {
        let (p, work, _) = person_with_work();
        let record = p.path("r.json");
        let journal = journal_of_killed_run(&p, &work, &record);
        // Killed between creating the file and writing its header (empty), or in the
        // middle of writing the header (torn).
        let text = fs::read(&journal).unwrap();
        fs::write(&journal, &text[..torn]).unwrap();
        let out = wipe_cmd(&p, &work, &record).output().unwrap();
        assert_ok(&out);
        assert!(!work.exists());
    }
    // A torn last line after real work: the rerun completes the job from what the
    // journal holds and records every target once.
    let (p, work, files) = person_with_work();
    let all = targets(&work, &files);
    let record = p.path("r.json");
    let first = wipe_cmd(&p, &work, &record).env("CUSTODY_FAULT", "kill:unlinked:2").output().unwrap();
    assert_killed(&first, "unlinked");
    let journal = journal_files(&p).into_iter().find(|f| !f.to_string_lossy().contains(".payloads")).unwrap();
    let mut h = fs::OpenOptions::new().append(true).open(&journal).unwrap();
    std::io::Write::write_all(&mut h, b"{\"stage\":\"renam").unwrap();
    let out = wipe_cmd(&p, &work, &record).output().unwrap();
    assert_ok(&out);
    assert!(!work.exists());
    assert_each_recorded_once(&p, &all, "");
}

#[test]
fn nothing_inside_the_custody_home_is_ever_touched() {
    let p = Person::init("株式会社サンプル", "佐藤");
    fs::create_dir_all(p.home.join("records")).unwrap();
    fs::create_dir_all(p.home.join("journal")).unwrap();
    fs::write(p.home.join("records/erasure-x.json"), "{}").unwrap();
    let alias = p.path("alias");
    std::os::unix::fs::symlink(&p.home, &alias).unwrap();
    let before: Vec<(String, Vec<u8>)> =
        list_tree(&p.home).into_iter().map(|r| (r.clone(), fs::read(p.home.join(&r)).unwrap_or_default())).collect();
    let targets = [
        p.home.clone(),
        p.home.join("ledger.jsonl"),
        p.home.join("identity.key"),
        p.home.join("identity.pub"),
        p.home.join("person.json"),
        p.home.join("records"),
        p.home.join("records/erasure-x.json"),
        p.home.join("journal"),
        alias.join("ledger.jsonl"),
        alias.join("records"),
        p.home.join("records/../ledger.jsonl"),
    ];
    for t in &targets {
        for mode in ["--dry-run", "--yes"] {
            let out = p.cmd().args(["--json", "wipe", mode]).arg(t).output().unwrap();
            assert_exit(&out, 8);
            assert_eq!(json(&out)["error"]["code"], "wipe-refused", "{}", t.display());
        }
    }
    for dev in [p.home.join("ledger.jsonl"), alias.join("identity.key")] {
        let out = p.cmd().args(["--json", "wipe", "--dry-run", "--device"]).arg(&dev).output().unwrap();
        assert_exit(&out, 8);
    }
    let after: Vec<(String, Vec<u8>)> =
        list_tree(&p.home).into_iter().map(|r| (r.clone(), fs::read(p.home.join(&r)).unwrap_or_default())).collect();
    assert!(before == after, "the home is untouched");
    assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
}

/// True when this test can make mounts in a throwaway mount namespace.
fn can_unshare(test: &str) -> bool {
    let root = rustix_uid_is_root();
    let ok = root
        && have("unshare", test)
        && StdCommand::new("unshare")
            .args(["-m", "--propagation", "private", "true"])
            .status()
            .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIP {test}: needs root and `unshare -m` (a private mount namespace)");
    }
    ok
}

fn rustix_uid_is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

/// `sh -c SCRIPT` in a private mount namespace, with the person's environment.
fn in_namespace(p: &Person, script: &str) -> std::process::Output {
    StdCommand::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", script])
        .env("CUSTODY_HOME", &p.home)
        .env("CUSTODY_KEY_PASSPHRASE_FILE", &p.key_pass_file)
        .env("CUSTODY", assert_cmd::cargo::cargo_bin("custody"))
        .env("LANG", "en_US.UTF-8")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_bind_mount_inside_the_tree_and_a_bind_mounted_home_are_left_alone() {
    let test = "a_bind_mount_inside_the_tree_and_a_bind_mounted_home_are_left_alone";
    if !can_unshare(test) {
        return;
    }
    let (p, work, _) = person_with_work();
    let outside = p.path("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("keep.txt"), "not part of the job").unwrap();
    fs::create_dir_all(work.join("bound")).unwrap();
    let alias = p.path("home-alias");
    fs::create_dir_all(&alias).unwrap();
    let script = format!(
        "mount --bind '{o}' '{b}' && mount --bind '{h}' '{a}' && \
         \"$CUSTODY\" --json wipe --dry-run '{w}' > '{d}/dry.json'; \
         \"$CUSTODY\" --json wipe --yes '{a}/ledger.jsonl' > '{d}/alias.json'; echo $? > '{d}/alias.code'; \
         \"$CUSTODY\" --json wipe --yes '{w}' > '{d}/wipe.json'; echo $? > '{d}/wipe.code'",
        o = outside.display(),
        b = work.join("bound").display(),
        h = p.home.display(),
        a = alias.display(),
        w = work.display(),
        d = p.dir.path().display(),
    );
    let out = in_namespace(&p, &script);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |n: &str| fs::read_to_string(p.path(n)).unwrap();
    let dry: serde_json::Value = serde_json::from_str(&read("dry.json")).unwrap();
    assert_eq!(dry["plan"]["files"], 4, "the bound folder's file is not planned: {dry}");
    assert_eq!(read("alias.code").trim(), "8", "the home through a bind mount is refused: {}", read("alias.json"));
    assert_eq!(read("wipe.code").trim(), "9", "{}", read("wipe.json"));
    let wiped: serde_json::Value = serde_json::from_str(&read("wipe.json")).unwrap();
    assert!(wiped["problems"].as_array().unwrap().iter().any(|p| p["problem"]["kind"] == "mount-point"), "{wiped}");
    assert_eq!(fs::read_to_string(outside.join("keep.txt")).unwrap(), "not part of the job");
    assert!(p.ledger().exists());
    assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
}

#[test]
fn a_mount_point_given_as_the_target_is_emptied_not_removed_and_the_record_says_no_device_backs_tmpfs() {
    let test = "a_mount_point_given_as_the_target_is_emptied_not_removed";
    if !can_unshare(test) {
        return;
    }
    let p = Person::init("株式会社サンプル", "佐藤");
    let usb = p.path("usb");
    fs::create_dir_all(&usb).unwrap();
    let record = p.path("r.json");
    let script = format!(
        "mount -t tmpfs custody-test '{u}' && mkdir '{u}/sub' && echo 住民 > '{u}/sub/a.txt' && \
         head -c 20000 /dev/zero > '{u}/b.bin' && \
         \"$CUSTODY\" --json wipe --yes --notice-destroyed --record '{r}' '{u}/' > '{d}/out.json'; echo $? > '{d}/code'; \
         mountpoint -q '{u}' && ls -A '{u}' > '{d}/left'",
        u = usb.display(),
        r = record.display(),
        d = p.dir.path().display(),
    );
    let out = in_namespace(&p, &script);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |n: &str| fs::read_to_string(p.path(n)).unwrap();
    assert_eq!(read("code").trim(), "0", "{}", read("out.json"));
    assert_eq!(read("left"), "", "emptied, and still a mount point");
    let rec: serde_json::Value = serde_json::from_slice(&fs::read(&record).unwrap()).unwrap();
    let files: Vec<&serde_json::Value> =
        rec["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "file").collect();
    assert_eq!(files.len(), 2);
    for f in files {
        let v = &f["verification"];
        assert!(v["read"] == "o_direct" || v["read"] == "drop_cache", "{v}");
        assert_eq!(v["block_device"], false, "tmpfs is memory: no device was read: {v}");
    }
    assert_eq!(rec["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "directory").count(), 1, "only sub/");
}

#[test]
fn the_read_back_fields_match_the_filesystem_actually_read() {
    let (p, work, _) = person_with_work();
    let record = p.path("r.json");
    assert_ok(&p.cmd().args(["--json", "wipe", "--yes", "--record"]).arg(&record).arg(&work).output().unwrap());
    let rec: serde_json::Value = serde_json::from_slice(&fs::read(&record).unwrap()).unwrap();
    let fs_block = rec["filesystems"][0]["block_device"].as_bool().expect("filesystem says whether a device backs it");
    for item in rec["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "file") {
        assert_eq!(item["verification"]["block_device"], fs_block, "{item}");
        assert!(item["verification"]["read"] == "o_direct" || item["verification"]["read"] == "drop_cache");
        assert!(item.get("resumed").is_none(), "a run without an earlier one resumes nothing");
    }
}

/// A file large enough to be erased window by window (hashed just ahead of its
/// overwrite, the hash state journalled every 64 MiB), killed inside its pipelined
/// pass: the rerun records it exactly once, with the SHA-256 of the original.
#[test]
fn a_large_file_killed_inside_its_pipelined_pass_is_recorded_once_with_the_original_sha256() {
    // 160 MiB and a tail: hash states kept at 64 and 128 MiB, then the complete hash.
    const BIG: usize = (160 << 20) + 777;
    // The first `hashing` is the batch's (nothing journalled yet); the 2nd and 3rd are
    // the hash states journalled inside the pass (the writer follows the 1st state
    // kept, so at the 3rd the start of the file is being overwritten, the hash still
    // incomplete); the 4th is the complete hash, the pass still going.
    for step in ["hashing:3", "hashing:4", "gate-passed", "pass-written"] {
        let p = Person::init("株式会社サンプル", "佐藤");
        let work = p.path("work");
        fs::create_dir_all(&work).unwrap();
        let big = work.join("住民記録.bin");
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let bytes: Vec<u8> = (0..BIG)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        fs::write(&big, &bytes).unwrap();
        drop(bytes);
        let sum = StdCommand::new("sha256sum").arg(&big).output().unwrap();
        let want = String::from_utf8_lossy(&sum.stdout).split_whitespace().next().unwrap().to_owned();
        let canon = big.canonicalize().unwrap();
        let record = p.path("erasure.json");

        let first = wipe_cmd(&p, &work, &record).env("CUSTODY_FAULT", format!("kill:{step}")).output().unwrap();
        assert_killed(&first, step);
        if step == "hashing:3" {
            // The case to resume: a hash state, no hash, the contents partly gone.
            let text = journal_files(&p)
                .iter()
                .filter_map(|f| fs::read_to_string(f).ok())
                .find(|t| t.starts_with("{\"journal\""))
                .expect("the journal of the killed run");
            let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
            assert_eq!(last["stage"], "hashed", "{step}: {last}");
            assert_eq!(last["item"]["content_sha256"], serde_json::Value::Null, "{step}: {last}");
            assert_eq!(last["hash_prefix"]["bytes"], 128u64 << 20, "{step}: {last}");
            assert!(last["ident"].is_object(), "{step}: {last}");
        }

        let again = wipe_cmd(&p, &work, &record).output().unwrap();
        assert!(again.status.success(), "{step}: {}\n{}", stdout(&again), stderr(&again));
        let j = json(&again);
        assert_eq!(j["outcome"], "all-erased", "{step}: {j}");
        assert!(!work.exists(), "{step}: erased");
        let items: Vec<serde_json::Value> = recorded(&p)
            .into_iter()
            .flat_map(|(rec, key)| {
                let h = key.hash_path(&canon);
                rec["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|i| i["path_hmac"] == h.as_str())
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .filter(|i| i["result"] == "erased")
            .collect();
        assert_eq!(items.len(), 1, "{step}: recorded exactly once: {items:#?}");
        assert_eq!(items[0]["content_sha256"], want.as_str(), "{step}: the original's hash: {:#}", items[0]);
        assert_eq!(items[0]["size"], BIG as u64, "{step}");
        assert_eq!(items[0]["verification"]["passed"], true, "{step}");
        assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
        assert_eq!(journal_files(&p), Vec::<PathBuf>::new(), "{step}: no journal or pending record is left");
    }
}

/// The same for a file large enough for the pipelined pass, where the gate is waited
/// for inside the pass: grown after the gate, or after the pass, it is left in place.
#[test]
fn a_large_file_growing_during_its_pipelined_pass_is_left_in_place_and_reported() {
    const SIZE: u64 = (64 << 20) + 1000;
    for step in ["gate-passed", "overwritten"] {
        let p = Person::init("株式会社サンプル", "佐藤");
        let work = p.path("work");
        fs::create_dir_all(&work).unwrap();
        let f = work.join("growing.bin");
        fs::write(&f, vec![b'a'; SIZE as usize]).unwrap();
        let out = run_stopped_at(&p, &work, step, || {
            let mut h = fs::OpenOptions::new().append(true).open(&f).unwrap();
            std::io::Write::write_all(&mut h, &vec![b'b'; 172_032]).unwrap();
        });
        assert_exit(&out, 9);
        let j = json(&out);
        assert_eq!(j["outcome"], "some-failed", "{step}: {j}");
        let problem =
            &j["problems"].as_array().unwrap().iter().find(|p| p["problem"]["kind"] == "grew").unwrap()["problem"];
        assert_eq!(problem["planned"], SIZE, "{step}");
        let base = if step == "overwritten" { (64 << 20) + 4096 } else { SIZE };
        assert_eq!(problem["now"], base + 172_032, "{step}");
        assert_eq!(fs::metadata(&f).unwrap().len(), base + 172_032, "{step}: left in place, not truncated");
        let rec: serde_json::Value =
            serde_json::from_slice(&fs::read(json(&out)["record"].as_str().unwrap()).unwrap()).unwrap();
        let item = rec["items"].as_array().unwrap().iter().find(|i| i["kind"] == "file").unwrap();
        assert_eq!(item["result"], "failed", "{step}: never recorded as erased");
        assert_eq!(item["still_reachable"], true);
    }
}
