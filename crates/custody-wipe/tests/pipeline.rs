//! Large files, erased window by window (hash, overwrite, durable, read back): the
//! record's content hash is the original's, and a run stopped mid-file says so and
//! lets the next run finish the hash from the journal.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use custody_wipe::*;

/// Over two of the pipeline's durable parts (128 MiB) and two of its kept hash states
/// (64 MiB), with a tail that is not a whole block.
const BIG: usize = (160 << 20) + 777;

fn opts(journal: &Path) -> WipeOptions {
    let mut o = WipeOptions::new("t");
    o.home = None;
    o.journal = Some(journal.to_owned());
    o
}

fn original(len: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The digest `sha256sum` prints, from the tool itself where it is installed.
fn sha256sum(path: &Path, bytes: &[u8]) -> String {
    match std::process::Command::new("sha256sum").arg(path).output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).split_whitespace().next().unwrap().to_owned(),
        _ => {
            eprintln!("NOTE: no sha256sum on PATH; the digest comes from the sha2 crate");
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(bytes))
        }
    }
}

#[test]
fn a_file_over_many_windows_is_erased_and_recorded_with_the_sha256sum_of_its_original() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir_all(&root).unwrap();
    let big = root.join("住民記録.bin");
    let bytes = original(BIG);
    std::fs::write(&big, &bytes).unwrap();
    let want = sha256sum(&big, &bytes);
    std::fs::write(root.join("small.txt"), b"a small file beside it").unwrap();
    let journal = dir.path().join("wipe.json.partial");
    let o = opts(&journal);
    let p = plan(std::slice::from_ref(&root), &o).unwrap();
    let rec = execute(&p, &o, &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(rec.outcome(), Outcome::AllErased, "{:#?}", rec.items);
    let item = rec.items.iter().find(|i| i.size == BIG as u64).unwrap();
    assert_eq!(item.result, ItemResult::Erased);
    assert_eq!(item.content_sha256.as_deref(), Some(want.as_str()));
    let v = item.verification.as_ref().unwrap();
    assert!(v.passed);
    assert_eq!(v.bytes_read, item.overwritten_bytes, "every written byte read back");
    assert!(item.overwritten_bytes >= BIG as u64);
    assert!(!root.exists());
    assert!(journal.exists(), "the journal stays until the caller has recorded the result");
    custody_wipe::journal::remove(&journal).unwrap();
}

/// Raises the cancel flag once `after` bytes of overwrite are written.
struct CancelMidPass<'a> {
    cancel: &'a AtomicBool,
    after: u64,
    writing: AtomicBool,
    written: AtomicU64,
}

impl Progress for CancelMidPass<'_> {
    fn phase(&self, phase: Phase, _: u64) {
        self.writing.store(matches!(phase, Phase::Overwriting { .. }), Ordering::SeqCst);
    }
    fn advance(&self, n: u64) {
        if self.writing.load(Ordering::SeqCst) && self.written.fetch_add(n, Ordering::SeqCst) + n >= self.after {
            self.cancel.store(true, Ordering::SeqCst);
        }
    }
}

#[test]
fn a_file_interrupted_in_its_pipelined_pass_is_recorded_interrupted_and_the_next_run_has_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("w");
    std::fs::create_dir_all(&root).unwrap();
    let big = root.join("住民記録.bin");
    let bytes = original(BIG);
    std::fs::write(&big, &bytes).unwrap();
    let want = sha256sum(&big, &bytes);
    let journal = dir.path().join("wipe.json.partial");
    let o = opts(&journal);

    let cancel = AtomicBool::new(false);
    let progress =
        CancelMidPass { cancel: &cancel, after: 24 << 20, writing: AtomicBool::new(false), written: AtomicU64::new(0) };
    let p1 = plan(std::slice::from_ref(&root), &o).unwrap();
    let first = execute(&p1, &o, &progress, &cancel).unwrap();
    assert_eq!(first.outcome(), Outcome::Interrupted);
    let item = &first.items.iter().find(|i| i.kind == ItemKind::File).unwrap();
    assert_eq!(item.result, ItemResult::Failed, "{item:?}");
    assert_eq!(item.problem, Some(Problem::Interrupted));
    assert!(item.still_reachable);
    // A hash in the record is the original's; an incomplete one is not recorded.
    assert!(item.content_sha256.as_deref().is_none_or(|h| h == want), "{:?}", item.content_sha256);
    let half = std::fs::read(&big).unwrap();
    assert_ne!(half[..4 << 20], bytes[..4 << 20], "the pass had begun");
    assert_eq!(half[BIG - (32 << 20)..], bytes[BIG - (32 << 20)..], "the pass stopped before the end");

    // The journal's last word on the file: the complete hash, or the state of the hash
    // up to a point from which the file is still the original.
    let text = std::fs::read_to_string(&journal).unwrap();
    let last: journal::Entry =
        text.lines().skip(1).filter_map(|l| serde_json::from_str::<journal::Entry>(l).ok()).last().unwrap();
    assert_eq!(last.stage, journal::Stage::Hashed);
    match (&last.hash_prefix, &last.item.content_sha256) {
        (Some(p), None) => {
            assert!(p.bytes >= 24 << 20, "the writer never passes the kept state ({})", p.bytes);
            assert_eq!(half[p.bytes as usize..], bytes[p.bytes as usize..], "untouched from the kept state on");
        }
        (None, Some(h)) => assert_eq!(h, &want),
        other => panic!("neither a hash nor a state: {other:?}"),
    }

    let p2 = plan(std::slice::from_ref(&root), &o).unwrap();
    let second = execute(&p2, &o, &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(second.outcome(), Outcome::AllErased, "{:#?}", second.items);
    let item = second.items.iter().find(|i| i.kind == ItemKind::File).unwrap();
    assert_eq!(item.result, ItemResult::Erased);
    // Matched on device, inode and size although the first run changed its contents.
    assert_eq!(item.resumed.as_ref().map(|r| r.kind), Some(ResumeKind::Continued), "{item:?}");
    assert!(item.verification.as_ref().unwrap().passed);
    assert_eq!(item.content_sha256.as_deref(), Some(want.as_str()), "the original's hash, finished from the journal");
    assert!(!root.exists());
    assert!(journal.exists(), "the journal stays until the caller has recorded the result");
    custody_wipe::journal::remove(&journal).unwrap();
}
