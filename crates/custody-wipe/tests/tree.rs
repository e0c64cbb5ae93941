//! Tree wipes on the host filesystem: refusals, per-item problems, symlinks, hard
//! links, cryptographic erase, and an interrupted run completed from its journal.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64};

use common::*;
use custody_wipe::*;

fn opts() -> WipeOptions {
    let mut o = WipeOptions::new("t");
    o.home = None;
    o
}

fn refused(paths: &[PathBuf], o: &WipeOptions) -> RefuseReason {
    match plan(paths, o) {
        Err(WipeError::Refused { reason, .. }) => reason,
        other => panic!("not refused: {:?}", other.map(|p| p.items.len())),
    }
}

fn wipe(paths: &[PathBuf], o: &WipeOptions) -> ErasureRecord {
    let p = plan(paths, o).unwrap();
    execute(&p, o, &NoProgress, &AtomicBool::new(false)).unwrap()
}

#[test]
fn refuses_root_system_home_tool_home_and_missing() {
    let o = opts();
    assert_eq!(refused(&["/".into()], &o), RefuseReason::Root);
    assert_eq!(refused(&["/usr".into()], &o), RefuseReason::SystemDirectory);
    assert_eq!(refused(&["/etc/passwd".into()], &o), RefuseReason::SystemDirectory);
    assert_eq!(refused(&["/tmp".into()], &o), RefuseReason::SystemDirectory);
    assert_eq!(refused(&["/nonexistent/x".into()], &o), RefuseReason::NotFound);

    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join("work")).unwrap();
    let mut o = opts();
    o.home = Some(home.clone());
    assert_eq!(refused(std::slice::from_ref(&home), &o), RefuseReason::HomeDirectory);
    assert_eq!(refused(&[dir.path().to_owned()], &o), RefuseReason::HomeDirectory);
    // Inside the home is fine.
    assert!(plan(&[home.join("work")], &o).is_ok());

    let mut o = opts();
    o.protected = vec![home.join("work/.custody")];
    assert_eq!(refused(std::slice::from_ref(&home), &o), RefuseReason::ToolHome);

    assert_eq!(refused(&[home.clone(), home.join("work")], &opts()), RefuseReason::Overlapping);
}

#[test]
fn refuses_a_tree_another_process_writes_to_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir(&root).unwrap();
    let f = root.join("log.txt");
    std::fs::write(&f, b"x").unwrap();
    let mut child = std::process::Command::new("sh")
        .args(["-c", &format!("exec 3>>'{}'; echo ready; exec sleep 30", f.display())])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let r = refused(std::slice::from_ref(&root), &opts());
    let mut o = opts();
    o.force = true;
    let forced = plan(std::slice::from_ref(&root), &o);
    let _ = child.kill();
    let _ = child.wait();
    match r {
        RefuseReason::OpenForWriting { pid, process } => {
            assert_eq!(pid, child.id());
            // The scan may run before or after the shell execs sleep.
            assert!(process == "sleep" || process == "sh", "{process}");
        }
        other => panic!("{other:?}"),
    }
    assert!(forced.unwrap().warnings.iter().any(|w| matches!(w, Warning::OpenForWriting { .. })));
}

#[test]
fn plan_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let m = Marker::new();
    let root = marked_tree(dir.path(), &m, &Marker::new());
    let before: Vec<_> = walk(&root);
    let p = plan(std::slice::from_ref(&root), &opts()).unwrap();
    assert_eq!(p.files, 10);
    assert_eq!(p.dirs, 3);
    assert_eq!(before, walk(&root));
}

fn walk(p: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).unwrap().flatten() {
        let md = e.metadata().unwrap();
        if md.is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push((e.path(), std::fs::read(e.path()).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn symlinks_are_removed_and_their_targets_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir(&root).unwrap();
    let outside_dir = dir.path().join("outside");
    std::fs::create_dir(&outside_dir).unwrap();
    std::fs::write(outside_dir.join("target.txt"), b"precious").unwrap();
    std::os::unix::fs::symlink(outside_dir.join("target.txt"), root.join("to-file")).unwrap();
    std::os::unix::fs::symlink(&outside_dir, root.join("to-dir")).unwrap();
    std::os::unix::fs::symlink("/nonexistent", root.join("dangling")).unwrap();
    // A symlink given on the command line is removed too, not followed.
    let top_link = dir.path().join("top-link");
    std::os::unix::fs::symlink(&outside_dir, &top_link).unwrap();
    let rec = wipe(&[root.clone(), top_link.clone()], &opts());
    assert_eq!(rec.outcome(), Outcome::AllErased);
    assert_eq!(rec.items.iter().filter(|i| i.kind == ItemKind::Symlink).count(), 4);
    assert!(!root.exists());
    assert!(std::fs::symlink_metadata(&top_link).is_err());
    assert_eq!(std::fs::read(outside_dir.join("target.txt")).unwrap(), b"precious");
}

#[test]
fn vanished_and_changed_files_fail_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = marked_tree(dir.path(), &Marker::new(), &Marker::new());
    let o = opts();
    let p = plan(std::slice::from_ref(&root), &o).unwrap();
    let files: Vec<&PlannedItem> = p.items.iter().filter(|i| i.kind == ItemKind::File).collect();
    std::fs::remove_file(&files[0].path).unwrap();
    std::fs::OpenOptions::new().append(true).open(&files[1].path).unwrap();
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().append(true).open(&files[1].path).unwrap();
        f.write_all(b"more").unwrap();
    }
    let changed = files[1].path.clone();
    let rec = execute(&p, &o, &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(rec.outcome(), Outcome::SomeFailed);
    let problems: Vec<_> = rec.items.iter().filter_map(|i| i.problem.clone()).collect();
    assert!(problems.contains(&Problem::Vanished), "{problems:?}");
    assert!(problems.contains(&Problem::ChangedDuringWipe), "{problems:?}");
    assert_eq!(rec.items.iter().filter(|i| i.result == ItemResult::Erased).count(), 8);
    assert!(changed.exists(), "a changed file must not be touched");
}

#[test]
fn hard_links_outside_the_tree_are_left_and_reported_reachable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("shared.txt"), b"also elsewhere").unwrap();
    std::fs::hard_link(root.join("shared.txt"), dir.path().join("other-name.txt")).unwrap();
    std::fs::write(root.join("pair-a.txt"), b"both names inside").unwrap();
    std::fs::hard_link(root.join("pair-a.txt"), root.join("pair-b.txt")).unwrap();
    let p = plan(std::slice::from_ref(&root), &opts()).unwrap();
    assert!(p.warnings.iter().any(|w| matches!(w, Warning::HardLinked { links: 2, .. })));
    let rec = execute(&p, &opts(), &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(rec.outcome(), Outcome::SomeFailed);
    let hl: Vec<_> = rec.items.iter().filter(|i| matches!(i.problem, Some(Problem::HardLinked { links: 2 }))).collect();
    assert_eq!(hl.len(), 1);
    assert!(hl[0].still_reachable);
    assert_eq!(std::fs::read(dir.path().join("other-name.txt")).unwrap(), b"also elsewhere");
    assert!(root.join("shared.txt").exists());
    // Both names inside: data erased once, both names gone.
    assert!(!root.join("pair-a.txt").exists() && !root.join("pair-b.txt").exists());
    assert_eq!(rec.items.iter().filter(|i| i.result == ItemResult::Erased).count(), 1);
}

#[test]
fn record_round_trips_and_hides_names() {
    let dir = tempfile::tempdir().unwrap();
    let name = Marker::new();
    let root = marked_tree(dir.path(), &Marker::new(), &name);
    let rec = wipe(std::slice::from_ref(&root), &opts());
    let json = rec.to_json();
    let text = String::from_utf8(json.clone()).unwrap();
    assert!(!text.contains(&name.hex()));
    assert!(!text.contains("山田"));
    let back = ErasureRecord::from_json(&json).unwrap();
    assert_eq!(back.items, rec.items);
    assert_eq!(back.outcome(), Outcome::AllErased);
    // The caller may keep the key to prove a path was in the record.
    let key = rec.path_key().unwrap();
    assert!(back.items.iter().any(|i| i.path_hmac == key.hash_path(&root)));
    for it in back.items.iter().filter(|i| i.kind == ItemKind::File) {
        assert_eq!(it.assurance, Assurance::Clear, "{it:?}");
    }
}

#[test]
fn payload_with_destroyed_notice_is_a_cryptographic_erase() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("media");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("P-2026-0001.age"), b"age-encryption.org/v1\n...").unwrap();
    std::fs::write(root.join("P-2026-0001.label.json"), b"{}").unwrap();
    std::fs::write(root.join("notes.txt"), b"n").unwrap();
    let mut o = opts();
    o.notice_destroyed = true;
    let rec = wipe(std::slice::from_ref(&root), &o);
    let crypto = rec.items.iter().filter(|i| i.assurance == Assurance::CryptographicErase).count();
    assert_eq!(crypto, 1);
    assert!(rec.notice_destroyed);
    let rec2 = {
        let root = dir.path().join("media2");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("P.age"), b"x").unwrap();
        std::fs::write(root.join("P.label.json"), b"{}").unwrap();
        wipe(&[root], &opts())
    };
    assert_eq!(rec2.items.iter().filter(|i| i.assurance == Assurance::CryptographicErase).count(), 0);
}

#[test]
fn every_method_erases_and_verifies() {
    for m in Method::ALL {
        let dir = tempfile::tempdir().unwrap();
        let content = Marker::new();
        let root = marked_tree(dir.path(), &content, &Marker::new());
        let mut o = opts();
        o.method = m;
        let rec = wipe(std::slice::from_ref(&root), &o);
        assert_eq!(rec.outcome(), Outcome::AllErased, "{m}");
        assert_eq!(rec.passes.len(), m.passes().len());
        assert!(!root.exists());
    }
}

#[test]
fn interrupted_run_is_completed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    for i in 0..60 {
        let d = if i % 3 == 0 { root.join("a/b") } else { root.clone() };
        std::fs::write(d.join(format!("file-{i:03}.txt")), vec![i as u8; 1000 + i]).unwrap();
    }
    let journal = dir.path().join("wipe.json.partial");
    let mut o = opts();
    o.journal = Some(journal.clone());

    let cancel = AtomicBool::new(false);
    let progress = CancelAfter { cancel: &cancel, after: 20, hashing: AtomicBool::new(false), seen: AtomicU64::new(0) };
    let p1 = plan(std::slice::from_ref(&root), &o).unwrap();
    let first = execute(&p1, &o, &progress, &cancel).unwrap();
    assert_eq!(first.outcome(), Outcome::Interrupted);
    let erased1 = first.items.iter().filter(|i| i.result == ItemResult::Erased).count();
    let left1 = first.items.iter().filter(|i| i.result == ItemResult::NotAttempted).count();
    assert!((20..60).contains(&erased1), "erased {erased1}");
    assert!(left1 > 0);
    assert!(journal.exists());
    assert!(root.exists());

    let p2 = plan(std::slice::from_ref(&root), &o).unwrap();
    assert_eq!(p2.files as usize, 60 - erased1);
    let second = execute(&p2, &o, &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(
        second.outcome(),
        Outcome::AllErased,
        "{:#?}",
        second.items.iter().filter(|i| i.result != ItemResult::Erased).collect::<Vec<_>>()
    );
    assert_eq!(second.items.iter().filter(|i| i.kind == ItemKind::File && i.result == ItemResult::Erased).count(), 60);
    assert_eq!(second.items.iter().filter(|i| i.kind == ItemKind::Directory).count(), 3);
    assert_eq!(second.started, first.started);
    // Same key across both runs: the record of the first run's items is consistent.
    let firsts: Vec<_> = first.items.iter().filter(|i| i.result == ItemResult::Erased).map(|i| &i.path_hmac).collect();
    assert!(firsts.iter().all(|h| second.items.iter().any(|i| &i.path_hmac == *h)));
    assert!(!root.exists());
    assert!(journal.exists(), "the journal stays until the caller has recorded the result");
    custody_wipe::journal::remove(&journal).unwrap();
    assert!(!journal.exists());
}

#[test]
fn journal_inside_the_tree_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir(&root).unwrap();
    let mut o = opts();
    o.journal = Some(root.join("j.partial"));
    let p = plan(std::slice::from_ref(&root), &o).unwrap();
    assert!(matches!(execute(&p, &o, &NoProgress, &AtomicBool::new(false)), Err(WipeError::Refused { .. })));
}

/// A crash (not a clean cancel) can leave items verified but not removed, renamed to a
/// random name but not unlinked, or unlinked before "done" was journalled. The journal
/// is written here by hand, as a killed run would have left it.
#[test]
fn rerun_after_a_crash_finds_renamed_files_and_keeps_first_hashes() {
    use custody_wipe::journal::{Entry, Ident, Stage, JOURNAL_FORMAT};
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir(&root).unwrap();
    let (a, b, c) = (root.join("a-verified.txt"), root.join("b-renamed.txt"), root.join("c-unlinked.txt"));
    std::fs::write(&a, b"already overwritten").unwrap();
    let b_random = root.join("q7x0k2m9z1p3a");
    std::fs::write(&b_random, b"already overwritten too").unwrap();

    let key = PathKey::from_bytes([9; 32]);
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(10);
    let ident = |p: &Path| {
        std::fs::metadata(p).ok().map(|m| Ident { dev: m.dev(), ino: m.ino(), ctime: (m.ctime(), m.ctime_nsec()) })
    };
    let item = |p: &Path, sha: &str| ItemRecord {
        path_hmac: key.hash_path(p),
        kind: ItemKind::File,
        size: size(p),
        overwritten_bytes: 4096,
        content_sha256: Some(sha.repeat(64)),
        result: ItemResult::NotAttempted,
        problem: None,
        verification: Some(ItemVerification {
            mode: VerifyMode::Full,
            read: "o_direct".into(),
            bytes_read: 4096,
            passed: true,
            block_device: true,
        }),
        assurance: Assurance::None,
        names: NameResidue::Untouched,
        caveats: vec![],
        still_reachable: true,
        resumed: None,
    };
    // b's entry describes the file now under its random name (same inode, same size).
    let mut b_item = item(&b, "b");
    b_item.size = size(&b_random);
    let entries = [
        Entry {
            stage: Stage::Verified,
            item: item(&a, "a"),
            renamed_hmac: None,
            ident: ident(&a),
            hash_prefix: None,
            device: None,
        },
        Entry {
            stage: Stage::Renaming,
            item: b_item,
            renamed_hmac: Some(key.hash_path(&b_random)),
            ident: ident(&b_random),
            hash_prefix: None,
            device: None,
        },
        Entry {
            stage: Stage::Renaming,
            item: item(&c, "c"),
            renamed_hmac: Some(key.hash_path(&root.join("zzzzzzzzzzzzzz"))),
            ident: None,
            hash_prefix: None,
            device: None,
        },
        // A folder removed after its rename was journalled: removed, not "erased".
        Entry {
            stage: Stage::Renaming,
            item: ItemRecord { kind: ItemKind::Directory, verification: None, ..item(&root.join("gone-dir"), "d") },
            renamed_hmac: Some(key.hash_path(&root.join("yyyyyyyy"))),
            ident: None,
            hash_prefix: None,
            device: None,
        },
    ];
    let journal = dir.path().join("j.partial");
    let mut text = format!(
        "{{\"journal\":\"{JOURNAL_FORMAT}\",\"path_key\":\"{}\",\"method\":\"random\",\"verify\":\"full\",\"started\":\"2026-01-01T00:00:00Z\"}}\n",
        hex::encode([9u8; 32])
    );
    for e in &entries {
        text.push_str(&serde_json::to_string(e).unwrap());
        text.push('\n');
    }
    std::fs::write(&journal, text).unwrap();

    let mut o = opts();
    o.journal = Some(journal.clone());
    let rec = wipe(std::slice::from_ref(&root), &o);
    assert_eq!(rec.outcome(), Outcome::AllErased, "{:#?}", rec.items);
    assert_eq!(rec.started, "2026-01-01T00:00:00Z");
    for (p, sha) in [(&a, "a"), (&b, "b"), (&c, "c")] {
        let it = rec.items.iter().find(|i| i.path_hmac == key.hash_path(p)).unwrap();
        assert_eq!(it.result, ItemResult::Erased, "{p:?}");
        // The hash taken before the first overwrite, not one of the overwritten bytes.
        assert_eq!(it.content_sha256.as_deref(), Some(sha.repeat(64).as_str()));
    }
    for p in [&a, &b] {
        let it = rec.items.iter().find(|i| i.path_hmac == key.hash_path(p)).unwrap();
        let r = it.resumed.expect("resumed from the journal");
        assert_eq!(r.kind, ResumeKind::Continued);
        assert_eq!(r.bytes_written_by_this_run, 0, "verified by the earlier run: not written again");
    }
    let dir_item = rec.items.iter().find(|i| i.path_hmac == key.hash_path(&root.join("gone-dir"))).unwrap();
    assert_eq!((dir_item.result, dir_item.assurance), (ItemResult::Removed, Assurance::NameOnly));
    assert!(!root.exists());
    assert!(journal.exists(), "removed by the caller once recorded");
}

/// A journal entry is trusted only for the file it describes: a file replaced at the
/// same path between two runs is erased from the start, and the record says so.
#[test]
fn a_file_replaced_between_two_runs_is_treated_as_new() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir_all(&root).unwrap();
    let big = root.join("big.bin");
    std::fs::write(&big, vec![0x11u8; 40 << 20]).unwrap();
    let journal = dir.path().join("wipe.json.partial");
    let mut o = opts();
    o.journal = Some(journal.clone());
    let cancel = AtomicBool::new(false);
    let progress =
        CancelMidPass { cancel: &cancel, after: 12 << 20, writing: AtomicBool::new(false), written: AtomicU64::new(0) };
    let first = execute(&plan(std::slice::from_ref(&root), &o).unwrap(), &o, &progress, &cancel).unwrap();
    assert_eq!(first.outcome(), Outcome::Interrupted);

    // Another file takes the path: other inode, other size, other contents.
    let fresh = vec![0x22u8; 3000];
    std::fs::write(root.join("new.tmp"), &fresh).unwrap();
    std::fs::rename(root.join("new.tmp"), &big).unwrap();
    let second = wipe(std::slice::from_ref(&root), &o);
    let files: Vec<_> = second.items.iter().filter(|i| i.kind == ItemKind::File).collect();
    assert_eq!(files.len(), 2, "{files:#?}");
    let new = files.iter().find(|i| i.result == ItemResult::Erased).expect("the new file is erased");
    let want = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&fresh))
    };
    assert_eq!(new.content_sha256.as_deref(), Some(want.as_str()), "hashed afresh");
    assert_eq!(new.size, 3000);
    let r = new.resumed.expect("the record says a different file stood here");
    assert_eq!(r.kind, ResumeKind::Replaced);
    assert_eq!(r.bytes_written_by_this_run, new.overwritten_bytes, "overwritten from the start");
    assert!(new.verification.as_ref().unwrap().passed);
    let old = files.iter().find(|i| i.result == ItemResult::Failed).expect("the old file's fate is recorded");
    assert_eq!(old.problem, Some(Problem::ReplacedBetweenRuns));
    assert_eq!(old.size, 40 << 20);
    assert!(!root.exists());
}

/// A gate that opens (or closes) after it has been asked `ready` a few times, so the
/// engine hashes ahead meanwhile.
struct SlowGate {
    open: bool,
    asked: AtomicU64,
    waited: AtomicU64,
}

impl Gate for SlowGate {
    fn ready(&self) -> bool {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 5
    }
    fn wait(&self) -> bool {
        self.waited.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.open
    }
}

fn gated_tree(root: &Path) {
    // More than one batch (512 files), so later batches are hashed ahead.
    for i in 0..1100 {
        let d = root.join(format!("d{}", i % 7));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(format!("f{i}")), format!("content {i} ").repeat(i % 50 + 1)).unwrap();
    }
}

#[test]
fn a_closed_gate_stops_the_run_before_anything_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    gated_tree(&root);
    std::os::unix::fs::symlink("/etc/hostname", root.join("link")).unwrap();
    let before = walk(&root);
    let journal = dir.path().join("wipe.json.partial");
    let gate = std::sync::Arc::new(SlowGate { open: false, asked: AtomicU64::new(0), waited: AtomicU64::new(0) });
    let mut o = opts();
    o.journal = Some(journal.clone());
    o.gate = Some(GateRef(gate.clone()));
    let p = plan(std::slice::from_ref(&root), &o).unwrap();
    let r = execute(&p, &o, &NoProgress, &AtomicBool::new(false));
    assert!(matches!(r, Err(WipeError::GateClosed)), "{:?}", r.map(|r| r.outcome()));
    assert_eq!(walk(&root), before, "names and contents untouched");
    assert!(root.join("link").symlink_metadata().is_ok());
    assert!(!journal.exists(), "the journal this run created is gone");
    assert_eq!(gate.waited.load(std::sync::atomic::Ordering::SeqCst), 1);

    // Nothing but a directory and a symlink: the gate still comes first.
    let other = dir.path().join("o");
    std::fs::create_dir(&other).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", other.join("link")).unwrap();
    let p = plan(std::slice::from_ref(&other), &o).unwrap();
    assert!(matches!(execute(&p, &o, &NoProgress, &AtomicBool::new(false)), Err(WipeError::GateClosed)));
    assert!(other.join("link").symlink_metadata().is_ok());
}

#[test]
fn hashes_taken_ahead_while_the_gate_is_pending_are_the_contents() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    gated_tree(&root);
    let mut want: Vec<String> = walk(&root).iter().map(|(_, c)| hex::encode(Sha256::digest(c))).collect();
    want.sort();
    let gate = std::sync::Arc::new(SlowGate { open: true, asked: AtomicU64::new(0), waited: AtomicU64::new(0) });
    let mut o = opts();
    o.journal = Some(dir.path().join("wipe.json.partial"));
    o.gate = Some(GateRef(gate.clone()));
    let rec = wipe(std::slice::from_ref(&root), &o);
    assert_eq!(rec.outcome(), Outcome::AllErased);
    assert!(gate.asked.load(std::sync::atomic::Ordering::SeqCst) > 5, "hashed ahead while pending");
    assert_eq!(gate.waited.load(std::sync::atomic::Ordering::SeqCst), 1, "waited on once");
    let mut got: Vec<String> = rec
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::File)
        .map(|i| i.content_sha256.clone().expect("hash"))
        .collect();
    got.sort();
    assert_eq!(got, want);
    assert!(!root.exists());
}

/// Raises the cancel flag once `after` bytes of the first overwrite pass are written.
struct CancelMidPass<'a> {
    cancel: &'a AtomicBool,
    after: u64,
    writing: AtomicBool,
    written: AtomicU64,
}

impl Progress for CancelMidPass<'_> {
    fn phase(&self, phase: Phase, _: u64) {
        self.writing.store(matches!(phase, Phase::Overwriting { .. }), std::sync::atomic::Ordering::SeqCst);
    }
    fn advance(&self, n: u64) {
        use std::sync::atomic::Ordering::SeqCst;
        if self.writing.load(SeqCst) && self.written.fetch_add(n, SeqCst) + n >= self.after {
            self.cancel.store(true, SeqCst);
        }
    }
}

#[test]
fn a_large_file_interrupted_mid_pass_is_completed_by_the_next_run() {
    // Ctrl-C in the middle of a large file stops the pass at once; the record says the
    // file is not erased, and the next run overwrites it again from the start while
    // keeping the hash of the contents taken before the first overwrite.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir_all(&root).unwrap();
    let big = root.join("住民票_一覧.bin");
    let original: Vec<u8> = (0..40u32 << 20).map(|i| (i % 251) as u8).collect();
    std::fs::write(&big, &original).unwrap();
    let journal = dir.path().join("wipe.json.partial");
    let mut o = opts();
    o.journal = Some(journal.clone());

    let cancel = AtomicBool::new(false);
    let progress =
        CancelMidPass { cancel: &cancel, after: 12 << 20, writing: AtomicBool::new(false), written: AtomicU64::new(0) };
    let p1 = plan(std::slice::from_ref(&root), &o).unwrap();
    let first = execute(&p1, &o, &progress, &cancel).unwrap();
    assert_eq!(first.outcome(), Outcome::Interrupted);
    let item = first.items.iter().find(|i| i.kind == ItemKind::File).unwrap();
    assert_eq!(item.result, ItemResult::Failed, "{item:?}");
    assert_eq!(item.problem, Some(Problem::Interrupted));
    assert!(item.still_reachable);
    let half = std::fs::read(&big).unwrap();
    assert_eq!(half.len(), original.len(), "the file keeps its size");
    assert_ne!(half[..4 << 20], original[..4 << 20], "the pass had begun");
    assert_eq!(half[36 << 20..], original[36 << 20..], "the pass stopped before the end");
    assert!(journal.exists());

    let p2 = plan(std::slice::from_ref(&root), &o).unwrap();
    let second = execute(&p2, &o, &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(second.outcome(), Outcome::AllErased, "{:#?}", second.items);
    let item = second.items.iter().find(|i| i.kind == ItemKind::File).unwrap();
    assert_eq!(item.result, ItemResult::Erased);
    assert!(item.verification.as_ref().unwrap().passed);
    let want = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&original))
    };
    assert_eq!(item.content_sha256.as_deref(), Some(want.as_str()), "the hash from before the first overwrite");
    let r = item.resumed.expect("continued from the first run");
    assert_eq!(r.kind, ResumeKind::Continued);
    assert_eq!(r.bytes_written_by_this_run, item.overwritten_bytes, "the whole pass written again");
    assert!(!root.exists());
    assert!(journal.exists(), "removed by the caller once recorded");
}
