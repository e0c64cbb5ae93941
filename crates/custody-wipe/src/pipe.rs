//! A large file's erasure, window by window: its old contents are read and hashed just
//! ahead of the overwrite, and each part of the last pass is made durable and read back
//! while the next part is written. Phase after phase (hash everything, overwrite
//! everything, read everything back), a disk that reads faster than SHA-256 hashes
//! waits for the CPU; here the hash runs beside the device's own work.
//!
//! The orderings of the phase-by-phase engine still hold, per byte instead of per file:
//! nothing is overwritten before the old contents under it are hashed (and, with a
//! journal, before the hash state covering them is durable there, so a run stopped
//! mid-file can finish the hash from the bytes still untouched); a range is read back
//! only after an fdatasync that covers it; the whole file is durable before the caller
//! removes anything.

use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::journal::Stage;
use crate::method::PassFiller;
use crate::record::{ItemVerification, Problem};
use crate::sha::Sha256State;
use crate::sys::{self, AlignedBuf};
use crate::work::{self, CacheWindow};
use crate::{Progress, VerifyMode, WipeError};

/// The sizes the pipeline works in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spans {
    /// One read or write.
    pub chunk: usize,
    /// The last pass is made durable (and then read back) in parts of about this size:
    /// each fdatasync waits for the device, so not at every chunk.
    pub sync: u64,
    /// With a journal, the hash state is written there at least this often; the
    /// writer never passes the last state kept.
    pub keep: u64,
}

pub(crate) const SPANS: Spans = Spans { chunk: work::CHUNK, sync: 64 << 20, keep: 64 << 20 };

/// Files whose pass writes at least this much go through the pipeline; below it,
/// phase after phase costs no more and a batch shares one durability point.
pub(crate) const MIN: u64 = 64 << 20;

/// Whether a file is erased through the pipeline: large, and not yet read back.
pub(crate) fn wanted(len: u64, stage: Option<Stage>) -> bool {
    len >= MIN && stage.is_none_or(|st| st < Stage::Verified)
}

/// One file to erase.
pub(crate) struct Job<'a> {
    pub path: &'a Path,
    /// Read-write handle, checked against the plan.
    pub file: &'a File,
    pub ino: u64,
    /// Bytes of content: what the hash covers.
    pub size: u64,
    /// Bytes each pass writes (whole blocks).
    pub len: u64,
    /// One filler per pass, in order; the last one is verified.
    pub passes: &'a [PassFiller],
    /// The hash still to take, from where an earlier run left it (a fresh state for a
    /// new file); `None` when it is known already or cannot be had any more.
    pub hash: Option<Sha256State>,
    pub mode: VerifyMode,
    /// Ranges to read back (all of them, or the NIST sample).
    pub ranges: Vec<(u64, u64)>,
}

/// Hash progress worth keeping.
pub(crate) enum Checkpoint<'a> {
    /// Hashed this far; everything beyond is still untouched.
    Prefix(&'a Sha256State),
    /// The content hash is complete.
    Done(&'a [u8; 32]),
}

/// Makes hash progress durable.
pub(crate) type Keep<'a> = dyn Fn(Checkpoint<'_>) -> Result<(), WipeError> + Sync + 'a;

/// What the pipeline needs from the run around it.
pub(crate) struct Env<'a> {
    pub progress: &'a dyn Progress,
    pub cancel: &'a AtomicBool,
    pub spans: Spans,
    /// Blocks until the first write may happen; `false`: stop with nothing written.
    pub gate: &'a (dyn Fn() -> bool + Sync),
    /// Makes hash progress durable (the journal); `None` when nothing is kept.
    pub keep: Option<&'a Keep<'a>>,
    /// Called with the end of each durable part of the last pass, before any of it is
    /// read back: where tests damage the medium, to see the read-back catch it.
    pub after_sync: Option<&'a (dyn Fn(u64) + Sync)>,
    /// Called at each step where the run re-checks the file (someone else writing to
    /// it, or making it grow); an error stops this file's pipeline with that problem.
    pub check: Option<&'a (dyn Fn(Step) -> Result<(), Problem> + Sync)>,
}

/// Where the pipeline lets the run look at the file again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// The gate has passed; nothing is written yet.
    GatePassed,
    /// A pass other than the last is written and durable.
    PassWritten,
}

/// Why a file's pipeline stopped early.
#[derive(Debug)]
pub(crate) enum Stop {
    /// This file failed (or was interrupted); the run goes on.
    Item(Problem),
    /// The run cannot go on (the gate closed, the journal cannot be written).
    Run(WipeError),
}

/// What became of the file.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The content hash, if it was completed (also when the pass then failed).
    pub sha: Option<[u8; 32]>,
    /// The read-back, `None` when the mode is `none`: the whole file is durable.
    pub result: Result<Option<ItemVerification>, Stop>,
}

/// How far each stage has got, in bytes from the start of the file.
#[derive(Default)]
struct Marks {
    /// Hashed and kept below this: the writer's limit on the first pass.
    kept: u64,
    /// The last pass is written below this.
    written: u64,
    writing_done: bool,
    /// The last pass is durable below this.
    durable: u64,
    stop: Option<Stop>,
    /// The read-back failed. The pass still goes on to the end: it destroys the rest
    /// of the old contents even though the file is not recorded as erased.
    verify_failed: Option<Problem>,
}

struct Shared {
    m: Mutex<Marks>,
    cv: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Marks> {
        // A stage that panicked leaves plain numbers behind, still meaningful.
        self.m.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wait until `ready`; `None` once any stage has stopped.
    fn wait(&self, ready: impl Fn(&Marks) -> bool) -> Option<MutexGuard<'_, Marks>> {
        let mut g = self.lock();
        loop {
            if g.stop.is_some() {
                return None;
            }
            if ready(&g) {
                return Some(g);
            }
            g = self.cv.wait(g).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn update(&self, f: impl FnOnce(&mut Marks)) {
        f(&mut self.lock());
        self.cv.notify_all();
    }

    fn stopped(&self) -> bool {
        self.lock().stop.is_some()
    }

    /// The first reason wins; the others are consequences.
    fn fail(&self, s: Stop) {
        self.update(|m| {
            if m.stop.is_none() {
                m.stop = Some(s);
            }
        });
    }
}

/// A written chunk of the last pass on its way to the read-back: offset, length, bytes.
type Written = (u64, usize, AlignedBuf);

/// The chunk buffers of one file. Bounded: a buffer written and not yet read back is
/// held until it is, so this is also how far the writer may run ahead of the
/// read-back.
struct Pool {
    tx: Sender<AlignedBuf>,
    rx: Mutex<Receiver<AlignedBuf>>,
    made: AtomicUsize,
    cap: usize,
}

/// Enough buffers for a whole durable part and the chunks in flight around it, so that
/// the writer always gets far enough ahead for the next fdatasync to come due.
fn pool_cap(spans: Spans) -> usize {
    (spans.sync / spans.chunk as u64) as usize + 8
}

impl Pool {
    /// A free buffer; `None` once the file's erasure has stopped.
    fn take(&self, size: usize, shared: &Shared) -> Option<AlignedBuf> {
        let rx = self.rx.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(b) = rx.try_recv() {
            return Some(b);
        }
        if self.made.fetch_add(1, Ordering::SeqCst) < self.cap {
            return Some(AlignedBuf::new(size));
        }
        loop {
            match rx.recv_timeout(Duration::from_millis(20)) {
                Ok(b) => return Some(b),
                Err(RecvTimeoutError::Timeout) if !shared.stopped() => {}
                Err(_) => return None,
            }
        }
    }

    fn give(&self, b: AlignedBuf) {
        let _ = self.tx.send(b);
    }
}

/// Erase one file window by window. Its handle stays open for the caller, who removes
/// it once the outcome is known.
pub(crate) fn run(job: &Job<'_>, env: &Env<'_>) -> Outcome {
    let shared = Shared { m: Mutex::new(Marks::default()), cv: Condvar::new() };
    let mut sha = None;
    // Below where the hash stands, the bytes were hashed (and overwritten) before.
    let kept = job.hash.as_ref().map_or(u64::MAX, Sha256State::bytes);
    shared.update(|m| m.kept = kept);
    let sh = &shared;
    let (pool_tx, pool_rx) = channel::<AlignedBuf>();
    let pool = Pool { tx: pool_tx, rx: Mutex::new(pool_rx), made: AtomicUsize::new(0), cap: pool_cap(env.spans) };
    let pool = &pool;
    // A full read-back compares with the very buffers written, kept until then,
    // instead of generating the stream a second time (a third of the CPU work).
    let (kept_tx, kept_rx) = channel::<Written>();
    let kept_tx = (job.mode == VerifyMode::Full).then_some(kept_tx);
    let verified = std::thread::scope(|sc| {
        let hasher = job.hash.clone().map(|h| sc.spawn(move || hash(job, env, h, sh)));
        sc.spawn(move || sync(job, env, sh));
        let verifier =
            (job.mode != VerifyMode::None).then(|| sc.spawn(move || verify(job, env.spans, sh, kept_rx, pool)));
        write(job, env, sh, pool, kept_tx);
        if let Some(h) = hasher {
            sha = h.join().ok().flatten();
        }
        verifier.map(|v| v.join().ok().flatten())
    });
    let (stop, verify_failed) = {
        let mut m = shared.lock();
        (m.stop.take(), m.verify_failed.take())
    };
    let result = match (stop.or(verify_failed.map(Stop::Item)), verified) {
        (Some(s), _) => Err(s),
        (None, Some(Some(v))) => Ok(Some(v)),
        (None, None) => Ok(None),
        // The verifier panicked: nothing vouches for the read-back.
        (None, Some(None)) => Err(Stop::Item(Problem::Io { step: "verify".into(), error: "verifier stopped".into() })),
    };
    Outcome { sha, result }
}

/// Read the old contents from where the hash stands and hash them, keeping the state
/// every `spans.keep` bytes. Returns the digest once complete.
fn hash(job: &Job<'_>, env: &Env<'_>, mut h: Sha256State, shared: &Shared) -> Option<[u8; 32]> {
    let start = h.bytes();
    // A handle of its own: fusefat reads and writes at the handle's position, whatever
    // offset is asked (docs/erasure.md, File names).
    let reader = match open_own(job.path, job.ino, true) {
        Ok(r) => r,
        Err(p) => {
            shared.fail(Stop::Item(p));
            return None;
        }
    };
    let read_err = |e: io::Error| match e.kind() {
        io::ErrorKind::UnexpectedEof => Problem::ChangedDuringWipe,
        _ => work::problem("hash", &e),
    };
    let max = env.spans.chunk;
    let size = job.size;
    let (tx, rx) = sync_channel::<Result<(AlignedBuf, u64, usize), Problem>>(2);
    let (back_tx, back_rx) = channel::<AlignedBuf>();
    std::thread::scope(|sc| {
        // Owned here so that returning drops it and a reader blocked on a full channel
        // sees the hang-up.
        let rx = rx;
        let reader = &reader;
        sc.spawn(move || {
            let mut off = start;
            while off < size {
                let n = (size - off).min(max as u64) as usize;
                let mut b = back_rx.try_recv().unwrap_or_else(|_| AlignedBuf::new(max));
                let r = read_at(reader, &mut b, off, n).map(|()| (b, off, n)).map_err(read_err);
                let failed = r.is_err();
                if tx.send(r).is_err() || failed {
                    break;
                }
                off += n as u64;
            }
        });
        let mut kept = start;
        while h.bytes() < size {
            let got = rx.recv().map_err(|_| Problem::Io { step: "hash".into(), error: "reader stopped".into() });
            let (mut b, off, n) = match got.and_then(|r| r) {
                Ok(x) => x,
                Err(p) => {
                    shared.fail(Stop::Item(p));
                    return None;
                }
            };
            h.update(&b.as_mut()[..n]);
            let _ = back_tx.send(b);
            let end = off + n as u64;
            if shared.stopped() {
                return None;
            }
            if end == size {
                break;
            }
            if end - kept >= env.spans.keep || env.keep.is_none() {
                if let Some(keep) = env.keep {
                    if let Err(e) = keep(Checkpoint::Prefix(&h)) {
                        shared.fail(Stop::Run(e));
                        return None;
                    }
                }
                kept = end;
                shared.update(|m| m.kept = end);
            }
        }
        let digest = h.finish();
        if let Some(keep) = env.keep {
            if let Err(e) = keep(Checkpoint::Done(&digest)) {
                shared.fail(Stop::Run(e));
                return None;
            }
        }
        shared.update(|m| m.kept = u64::MAX);
        Some(digest)
    })
}

/// Write every pass, front to back. Passes before the last are made durable before
/// the next begins, so the medium sees each; the last is handed on as it is written.
fn write(job: &Job<'_>, env: &Env<'_>, shared: &Shared, pool: &Pool, mut kept_tx: Option<Sender<Written>>) {
    let max = env.spans.chunk;
    let mut gated = false;
    let last = job.passes.len().saturating_sub(1);
    for (p, filler) in job.passes.iter().enumerate() {
        let (tx, rx) = sync_channel::<AlignedBuf>(2);
        let to_verify = if p == last { kept_tx.take() } else { None };
        let ok = std::thread::scope(|sc| {
            let rx = rx;
            sc.spawn(move || {
                for (off, n) in work::chunks(&[(0, job.len)], max) {
                    let Some(mut b) = pool.take(max, shared) else { break };
                    filler.fill(off, &mut b.as_mut()[..n]);
                    if tx.send(b).is_err() {
                        break;
                    }
                }
            });
            let mut window = CacheWindow::default();
            for (off, n) in work::chunks(&[(0, job.len)], max) {
                // Stopped only after a first chunk: "interrupted" always means "partly
                // overwritten".
                if (off > 0 || p > 0) && env.cancel.load(Ordering::SeqCst) {
                    shared.fail(Stop::Item(Problem::Interrupted));
                    return false;
                }
                if p == 0 {
                    let end = (off + n as u64).min(job.size);
                    if shared.wait(|m| m.kept >= end).is_none() {
                        return false;
                    }
                }
                if !gated {
                    if !(env.gate)() {
                        shared.fail(Stop::Run(WipeError::GateClosed));
                        return false;
                    }
                    gated = true;
                    if let Err(p) = env.check.map_or(Ok(()), |c| c(Step::GatePassed)) {
                        shared.fail(Stop::Item(p));
                        return false;
                    }
                }
                let Ok(mut b) = rx.recv() else {
                    shared
                        .fail(Stop::Item(Problem::Io { step: "overwrite".into(), error: "generator stopped".into() }));
                    return false;
                };
                if let Err(e) = job.file.write_all_at(&b.as_mut()[..n], off) {
                    shared.fail(Stop::Item(work::problem("overwrite", &e)));
                    return false;
                }
                window.written(job.file, off + n as u64, false);
                env.progress.advance(n as u64);
                match &to_verify {
                    Some(v) => {
                        let _ = v.send((off, n, b));
                    }
                    None => pool.give(b),
                }
                if p == last {
                    shared.update(|m| m.written = off + n as u64);
                }
            }
            window.written(job.file, job.len, true);
            true
        });
        if !ok {
            return;
        }
        if p != last {
            if let Err(e) = job.file.sync_data() {
                shared.fail(Stop::Item(work::problem("fdatasync", &e)));
                return;
            }
            if let Err(p) = env.check.map_or(Ok(()), |c| c(Step::PassWritten)) {
                shared.fail(Stop::Item(p));
                return;
            }
        }
    }
    shared.update(|m| m.writing_done = true);
}

/// Make the last pass durable part by part, and all of it at the end.
fn sync(job: &Job<'_>, env: &Env<'_>, shared: &Shared) {
    let after_sync = env.after_sync;
    let step = if job.mode == VerifyMode::None { u64::MAX } else { env.spans.sync };
    loop {
        let to = {
            let Some(m) =
                shared.wait(|m| m.written.saturating_sub(m.durable) >= step || (m.writing_done && m.durable < job.len))
            else {
                return;
            };
            m.written
        };
        // Everything written before the call is durable after it.
        if let Err(e) = job.file.sync_data() {
            shared.fail(Stop::Item(work::problem("fdatasync", &e)));
            return;
        }
        if let Some(h) = after_sync {
            h(to);
        }
        shared.update(|m| m.durable = to);
        if to >= job.len {
            return;
        }
    }
}

/// Read the last pass back from the device, each chunk once an fdatasync covers it,
/// and compare it with the regenerated stream.
fn verify(
    job: &Job<'_>,
    spans: Spans,
    shared: &Shared,
    kept: Receiver<Written>,
    pool: &Pool,
) -> Option<ItemVerification> {
    let filler = job.passes.last()?;
    let full = job.mode == VerifyMode::Full;
    // Record why, and hand back whatever the writer still sends, so that it can finish.
    let give_up = |p: Problem| {
        shared.update(|m| {
            m.verify_failed.get_or_insert(p);
        });
        while let Ok((_, _, b)) = kept.recv() {
            pool.give(b);
        }
        None
    };
    let max = spans.chunk;
    let mut reader = match sys::open_direct(job.path) {
        Ok(d) => match d.metadata() {
            Ok(md) if md.ino() == job.ino => Some(d),
            _ => return give_up(Problem::ChangedDuringWipe),
        },
        // Refused (FUSE): a buffered handle and dropped pages instead.
        Err(_) => None,
    };
    let mut buffered: Option<File> = None;
    let mut got = AlignedBuf::new(max);
    let mut want = vec![0u8; max];
    let mut read = 0u64;
    for (off, n) in work::chunks(&job.ranges, max) {
        // The bytes written there, or (sampling) the stream generated again.
        let kept_buf = if full {
            match kept.recv() {
                Ok((o, k, b)) if o == off && k == n => Some(b),
                Ok(_) => return give_up(Problem::Io { step: "verify".into(), error: "out of order".into() }),
                // The writer stopped: so has the file's erasure.
                Err(_) => return None,
            }
        } else {
            None
        };
        drop(shared.wait(|m| m.durable >= off + n as u64)?);
        loop {
            let r = match (&reader, &buffered) {
                (Some(d), _) => read_at(d, &mut got, off, n),
                (None, Some(b)) => {
                    // Durable, hence clean: dropping the pages makes the read go to
                    // the device.
                    let _ = sys::write_out_and_drop(b, off, n as u64);
                    b.read_exact_at(&mut got.as_mut()[..n], off)
                }
                (None, None) => match open_own(job.path, job.ino, false) {
                    Ok(b) => {
                        buffered = Some(b);
                        continue;
                    }
                    Err(p) => return give_up(p),
                },
            };
            match r {
                Ok(()) => break,
                // Some filesystems accept O_DIRECT at open and refuse it at read time.
                Err(e) if reader.is_some() && crate::sys::errno(&e) == crate::sys::Errno::Invalid => {
                    reader = None;
                }
                Err(e) => return give_up(work::problem("verify", &e)),
            }
        }
        let mut kept_buf = kept_buf;
        let want: &[u8] = match kept_buf.as_mut() {
            Some(b) => &b.as_mut()[..n],
            None => {
                filler.fill(off, &mut want[..n]);
                &want[..n]
            }
        };
        let got = &got.as_mut()[..n];
        if got != want {
            let at = got.iter().zip(want.iter()).position(|(a, b)| a != b).unwrap_or(0);
            return give_up(Problem::VerifyMismatch { offset: off + at as u64 });
        }
        if let Some(b) = kept_buf {
            pool.give(b);
        }
        read += n as u64;
    }
    Some(ItemVerification {
        mode: job.mode,
        read: if buffered.is_none() { "o_direct".into() } else { "drop_cache".into() },
        bytes_read: read,
        passed: true,
        // Filled in by the engine, which knows the filesystem.
        block_device: false,
    })
}

/// A read-only handle of our own on the planned file: `O_DIRECT` if asked and
/// allowed, else a buffered one.
fn open_own(path: &Path, ino: u64, direct: bool) -> Result<File, Problem> {
    let f = match direct.then(|| sys::open_direct(path)) {
        Some(Ok(d)) => d,
        _ => sys::open_read_nofollow(path).map_err(|e| work::problem("open", &e))?,
    };
    if f.metadata().map_err(|e| work::problem("stat", &e))?.ino() != ino {
        return Err(Problem::ChangedDuringWipe);
    }
    Ok(f)
}

/// Read `n` bytes at `off` in whole blocks (O_DIRECT needs them; the file's end may cut
/// the last one short).
fn read_at(f: &File, buf: &mut AlignedBuf, off: u64, n: usize) -> io::Result<()> {
    work::read_block_aligned(f, buf, off, n)
}

#[cfg(test)]
mod tests;
