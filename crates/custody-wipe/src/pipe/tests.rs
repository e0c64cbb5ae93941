//! The pipeline on real files, with windows small enough that a few MiB span many.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use sha2::Digest;

use super::*;
use crate::journal::HashPrefix;
use crate::method::{Method, RunSeed};
use crate::NoProgress;

const SPANS: Spans = Spans { chunk: 64 << 10, sync: 256 << 10, keep: 128 << 10 };
/// Ten durable parts and a short tail.
const SIZE: u64 = 10 * (256 << 10) + 1000;

struct Setup {
    _dir: tempfile::TempDir,
    path: PathBuf,
    file: File,
    original: Vec<u8>,
    ino: u64,
    len: u64,
}

fn setup(size: u64) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("住民票.bin");
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let original: Vec<u8> = (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(&path, &original).unwrap();
    let file = std::fs::OpenOptions::new().read(true).write(true).open(&path).unwrap();
    let md = file.metadata().unwrap();
    let len = work::overwrite_len(size, md.blocks(), md.blksize());
    Setup { ino: md.ino(), path, file, original, len, _dir: dir }
}

fn fillers(method: Method, seed: u8) -> Vec<PassFiller> {
    let seed = RunSeed::from_bytes([seed; 32]);
    method.passes().iter().enumerate().map(|(n, p)| PassFiller::new(&seed, b"item", n as u32, *p)).collect()
}

fn stream(f: &PassFiller, len: u64) -> Vec<u8> {
    let mut v = vec![0u8; len as usize];
    f.fill(0, &mut v);
    v
}

fn job<'a>(s: &'a Setup, passes: &'a [PassFiller], hash: Option<Sha256State>, mode: VerifyMode) -> Job<'a> {
    Job {
        path: &s.path,
        file: &s.file,
        ino: s.ino,
        size: s.original.len() as u64,
        len: s.len,
        passes,
        hash,
        mode,
        ranges: work::verify_ranges(s.len, mode, s.ino),
    }
}

fn open_gate() -> bool {
    true
}

fn env<'a>(progress: &'a dyn Progress, cancel: &'a AtomicBool) -> Env<'a> {
    Env { progress, cancel, spans: SPANS, gate: &open_gate, keep: None, after_sync: None, check: None }
}

fn sha256(b: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(b).into()
}

#[test]
fn every_pass_is_on_disk_as_generated_and_the_hash_is_the_originals() {
    for (method, mode) in
        [(Method::Random, VerifyMode::Full), (Method::Dod3, VerifyMode::Full), (Method::Zero, VerifyMode::None)]
    {
        let s = setup(SIZE);
        let passes = fillers(method, 3);
        let kept = Mutex::new(Vec::new());
        let keep = |cp: Checkpoint<'_>| {
            kept.lock().unwrap().push(match cp {
                Checkpoint::Prefix(h) => Err(h.prefix().unwrap()),
                Checkpoint::Done(d) => Ok(*d),
            });
            Ok(())
        };
        let cancel = AtomicBool::new(false);
        let e = Env { keep: Some(&keep), ..env(&NoProgress, &cancel) };
        let out = run(&job(&s, &passes, Some(Sha256State::default()), mode), &e);
        assert_eq!(out.sha, Some(sha256(&s.original)), "{method}");
        let v = out.result.unwrap();
        match mode {
            VerifyMode::None => assert!(v.is_none()),
            _ => {
                let v = v.unwrap();
                assert!(v.passed);
                assert_eq!(v.bytes_read, s.len, "{method}: every byte read back");
            }
        }
        let disk = std::fs::read(&s.path).unwrap();
        assert!(disk == stream(passes.last().unwrap(), s.len), "{method}: the last pass differs from its stream");
        // The state was kept every `keep` bytes, on chunk boundaries, then the digest.
        let kept = kept.into_inner().unwrap();
        let (done, prefixes) = kept.split_last().unwrap();
        assert_eq!(done.as_ref().ok(), Some(&sha256(&s.original)));
        let at: Vec<u64> = prefixes.iter().map(|p| p.as_ref().unwrap_err().bytes).collect();
        assert_eq!(at, (1..=SIZE / SPANS.keep).map(|k| k * SPANS.keep).filter(|&b| b < SIZE).collect::<Vec<_>>());
    }
}

#[test]
fn a_mismatch_in_any_window_is_caught_where_it_is() {
    let windows = SIZE.div_ceil(SPANS.sync);
    // One damaged byte in each durable part in turn, the last byte of the tail included.
    let len = setup(SIZE).len;
    let mut targets: Vec<u64> = (0..windows).map(|k| (k * SPANS.sync + 4097 + k).min(len - 2)).collect();
    targets.push(len - 1);
    for target in targets {
        let s = setup(SIZE);
        let passes = fillers(Method::Random, 4);
        let want = stream(passes.last().unwrap(), s.len);
        let done = AtomicBool::new(false);
        let damage = |to: u64| {
            if to > target && !done.swap(true, Ordering::SeqCst) {
                let g = std::fs::OpenOptions::new().write(true).open(&s.path).unwrap();
                g.write_all_at(&[!want[target as usize]], target).unwrap();
                g.sync_data().unwrap();
            }
        };
        let cancel = AtomicBool::new(false);
        let e = Env { after_sync: Some(&damage), ..env(&NoProgress, &cancel) };
        let out = run(&job(&s, &passes, Some(Sha256State::default()), VerifyMode::Full), &e);
        assert!(done.load(Ordering::SeqCst));
        match out.result {
            Err(Stop::Item(Problem::VerifyMismatch { offset })) => assert_eq!(offset, target),
            other => panic!("damage at {target} not caught: {other:?}"),
        }
        // The pass still went on to the end: the rest of the old contents is gone too.
        let mut disk = std::fs::read(&s.path).unwrap();
        disk[target as usize] = !disk[target as usize];
        assert!(disk == want, "the pass after the damaged part was not written");
    }
}

/// Raises the cancel flag once `after` bytes are written.
struct CancelAfter<'a> {
    cancel: &'a AtomicBool,
    after: u64,
    written: AtomicU64,
}

impl Progress for CancelAfter<'_> {
    fn phase(&self, _: crate::Phase, _: u64) {}
    fn advance(&self, n: u64) {
        if self.written.fetch_add(n, Ordering::SeqCst) + n >= self.after {
            self.cancel.store(true, Ordering::SeqCst);
        }
    }
}

#[test]
fn interrupted_mid_pass_it_says_so_and_keeps_what_finishing_the_hash_needs() {
    let s = setup(SIZE);
    let passes = fillers(Method::Random, 5);
    let cancel = AtomicBool::new(false);
    let progress = CancelAfter { cancel: &cancel, after: 12 * SPANS.chunk as u64, written: AtomicU64::new(0) };
    // The hash is held up halfway until the cancel has landed, so that the run stops
    // with the hash incomplete (the case that needs the state).
    let kept: Mutex<Option<HashPrefix>> = Mutex::new(None);
    let keep = |cp: Checkpoint<'_>| {
        if let Checkpoint::Prefix(h) = cp {
            *kept.lock().unwrap() = h.prefix();
            if h.bytes() >= SIZE / 2 {
                let t = Instant::now();
                while !cancel.load(Ordering::SeqCst) && t.elapsed() < Duration::from_secs(10) {
                    std::thread::sleep(Duration::from_millis(1));
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
        Ok(())
    };
    let e = Env { keep: Some(&keep), ..env(&progress, &cancel) };
    let out = run(&job(&s, &passes, Some(Sha256State::default()), VerifyMode::Full), &e);
    assert!(matches!(out.result, Err(Stop::Item(Problem::Interrupted))), "{:?}", out.result);
    assert_eq!(out.sha, None, "an incomplete hash is not a content hash");

    let p = kept.into_inner().unwrap().expect("a state was kept");
    let disk = std::fs::read(&s.path).unwrap();
    let written = progress.written.load(Ordering::SeqCst);
    assert!(written >= 12 * SPANS.chunk as u64 && written <= p.bytes, "written {written}, kept {}", p.bytes);
    assert!(disk[..written as usize] == stream(passes.last().unwrap(), s.len)[..written as usize]);
    assert!(disk[p.bytes as usize..] == s.original[p.bytes as usize..], "beyond the kept state: untouched");
    // What the next run does: take the state up and finish from the bytes on disk.
    let mut h = Sha256State::resume(&p).unwrap();
    h.update(&disk[p.bytes as usize..]);
    assert_eq!(h.finish(), sha256(&s.original));

    let again = fillers(Method::Random, 6);
    let cancel = AtomicBool::new(false);
    let out = run(&job(&s, &again, Sha256State::resume(&p), VerifyMode::Full), &env(&NoProgress, &cancel));
    assert_eq!(out.sha, Some(sha256(&s.original)), "the next run records the original's hash");
    assert!(out.result.unwrap().unwrap().passed);
    assert!(std::fs::read(&s.path).unwrap() == stream(again.last().unwrap(), s.len));
}

#[test]
fn a_closed_gate_or_a_failing_journal_stops_before_anything_is_written() {
    let s = setup(SIZE);
    let passes = fillers(Method::Random, 7);
    let cancel = AtomicBool::new(false);
    let closed = || false;
    let e = Env { gate: &closed, ..env(&NoProgress, &cancel) };
    let out = run(&job(&s, &passes, Some(Sha256State::default()), VerifyMode::Full), &e);
    assert!(matches!(out.result, Err(Stop::Run(WipeError::GateClosed))), "{:?}", out.result);
    let failing = |_: Checkpoint<'_>| Err(WipeError::Random("journal full".into()));
    let e = Env { keep: Some(&failing), ..env(&NoProgress, &cancel) };
    let out = run(&job(&s, &passes, Some(Sha256State::default()), VerifyMode::Full), &e);
    assert!(matches!(out.result, Err(Stop::Run(WipeError::Random(_)))), "{:?}", out.result);
    assert!(std::fs::read(&s.path).unwrap() == s.original, "nothing written");
}
