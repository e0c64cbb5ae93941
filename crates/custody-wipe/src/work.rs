//! The steps applied to one open file: hash, overwrite, read back. Errors become the
//! item's [`Problem`], never a whole-run failure.

use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

use crate::method::PassFiller;
use crate::record::{ItemVerification, Problem};
use crate::sys::{self, AlignedBuf, Errno};
use crate::{Progress, VerifyMode};

/// Largest single read or write.
pub(crate) const CHUNK: usize = 4 << 20;

pub(crate) fn problem(step: &str, e: &io::Error) -> Problem {
    match sys::errno(e) {
        Errno::NotFound => Problem::Vanished,
        Errno::PermissionDenied => Problem::PermissionDenied,
        Errno::ReadOnly => Problem::ReadOnlyFilesystem,
        // O_NOFOLLOW met a symlink where the plan saw a file.
        Errno::Loop => Problem::ChangedDuringWipe,
        Errno::NotEmpty => Problem::NotEmpty,
        Errno::Invalid | Errno::Other => Problem::Io { step: step.to_owned(), error: e.to_string() },
    }
}

/// Bytes each pass writes: the whole allocation, in whole blocks, so the slack after
/// EOF in the last block and any preallocated tail are covered too.
pub(crate) fn overwrite_len(size: u64, blocks: u64, blksize: u64) -> u64 {
    let bs = blksize.max(sys::ALIGN as u64);
    let want = size.max(blocks.saturating_mul(512));
    want.div_ceil(bs) * bs
}

/// Open the planned file and check it is still the one planned.
pub(crate) fn open_checked(path: &Path, dev: u64, ino: u64, size: u64, mtime: (i64, i64)) -> Result<File, Problem> {
    let f = sys::open_rw_nofollow(path).map_err(|e| problem("open", &e))?;
    let md = f.metadata().map_err(|e| problem("stat", &e))?;
    if !md.file_type().is_file()
        || md.dev() != dev
        || md.ino() != ino
        || md.len() != size
        || (md.mtime(), md.mtime_nsec()) != mtime
    {
        return Err(Problem::ChangedDuringWipe);
    }
    Ok(f)
}

/// Hash through a handle of its own: fusefat ignores pread/pwrite offsets and uses the
/// handle's position, so reading and then writing through one handle would shift the
/// overwrite by the bytes read.
pub(crate) fn hash_by_name(
    path: &Path,
    ino: u64,
    size: u64,
    buf: &mut AlignedBuf,
    progress: &dyn Progress,
) -> Result<[u8; 32], Problem> {
    // Large files are read with O_DIRECT: large device requests instead of the small
    // readahead window, and no page cache filled with data about to be destroyed.
    let direct = if size > PIPELINE_MIN { sys::open_direct(path).ok() } else { None };
    let f = match direct {
        Some(d) => d,
        None => sys::open_read_nofollow(path).map_err(|e| problem("open", &e))?,
    };
    if f.metadata().map_err(|e| problem("stat", &e))?.ino() != ino {
        return Err(Problem::ChangedDuringWipe);
    }
    hash(&f, size, buf, progress)
}

/// Read `n` bytes at `off`, reading whole blocks (O_DIRECT needs them; the file's end
/// may cut the last one short).
pub(crate) fn read_block_aligned(f: &File, buf: &mut AlignedBuf, off: u64, n: usize) -> io::Result<()> {
    let want = n.div_ceil(sys::ALIGN) * sys::ALIGN;
    let b = &mut buf.as_mut()[..want];
    let mut got = 0;
    while got < n {
        match f.read_at(&mut b[got..], off + got as u64) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn hash(f: &File, size: u64, buf: &mut AlignedBuf, progress: &dyn Progress) -> Result<[u8; 32], Problem> {
    let read_err = |e: io::Error| match e.kind() {
        io::ErrorKind::UnexpectedEof => Problem::ChangedDuringWipe,
        _ => problem("hash", &e),
    };
    let mut h = Sha256::new();
    if size <= PIPELINE_MIN {
        let b = buf.as_mut();
        let mut off = 0u64;
        while off < size {
            let n = (size - off).min(b.len() as u64) as usize;
            f.read_exact_at(&mut b[..n], off).map_err(read_err)?;
            h.update(&b[..n]);
            off += n as u64;
            progress.advance(n as u64);
        }
        return Ok(h.finalize().into());
    }
    // Large files: one thread reads while this one hashes.
    let max = buf.as_mut().len();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<(AlignedBuf, usize), Problem>>(2);
    let (back_tx, back_rx) = std::sync::mpsc::channel::<AlignedBuf>();
    std::thread::scope(|sc| {
        // Owned here so that an early return drops it before the scope joins: a
        // producer blocked on a full channel then sees the hang-up and stops.
        let rx = rx;
        sc.spawn(move || {
            let mut off = 0u64;
            while off < size {
                let n = (size - off).min(max as u64) as usize;
                let mut b = back_rx.try_recv().unwrap_or_else(|_| AlignedBuf::new(max));
                let r = read_block_aligned(f, &mut b, off, n).map(|()| (b, n)).map_err(read_err);
                let failed = r.is_err();
                if tx.send(r).is_err() || failed {
                    break;
                }
                off += n as u64;
            }
        });
        let mut got = 0u64;
        while got < size {
            let (mut b, n) =
                rx.recv().map_err(|_| Problem::Io { step: "hash".into(), error: "reader stopped".into() })??;
            h.update(&b.as_mut()[..n]);
            got += n as u64;
            progress.advance(n as u64);
            let _ = back_tx.send(b);
        }
        Ok(h.finalize().into())
    })
}

/// Write one pass over `len` bytes, front to back, through `f`. For large items a
/// second thread generates the random stream while this one writes.
///
/// Large passes go through the page cache in windows: each window's writeback starts
/// as soon as it is written, and its pages are dropped a few windows later, once the
/// device has them. The kernel's writeback keeps many large requests in flight; our
/// own `O_DIRECT` writes, one or several at a time, were slower on every device we
/// measured (docs/erasure.md, Performance). The cache never holds more than a few
/// windows of the pass, and durability still comes from the caller's fdatasync or
/// syncfs; the verification reads the device with `O_DIRECT`, not these pages.
pub(crate) fn write_pass(
    f: &File,
    len: u64,
    filler: &PassFiller,
    buf: &mut AlignedBuf,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<(), Problem> {
    let max = buf.as_mut().len();
    if len <= PIPELINE_MIN {
        let b = buf.as_mut();
        let mut off = 0u64;
        while off < len {
            let n = (len - off).min(b.len() as u64) as usize;
            filler.fill(off, &mut b[..n]);
            f.write_all_at(&b[..n], off).map_err(|e| problem("overwrite", &e))?;
            off += n as u64;
            progress.advance(n as u64);
        }
        return Ok(());
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<AlignedBuf>(2);
    let (back_tx, back_rx) = std::sync::mpsc::channel::<AlignedBuf>();
    std::thread::scope(|sc| {
        // Owned here so that an early return drops it before the scope joins: a
        // producer blocked on a full channel then sees the hang-up and stops.
        let rx = rx;
        sc.spawn(move || {
            for (off, n) in chunks(&[(0, len)], max) {
                let mut b = back_rx.try_recv().unwrap_or_else(|_| AlignedBuf::new(max));
                filler.fill(off, &mut b.as_mut()[..n]);
                if tx.send(b).is_err() {
                    break;
                }
            }
        });
        let mut window = CacheWindow::default();
        for (off, n) in chunks(&[(0, len)], max) {
            // A small item finishes its pass; a large one stops where it is, after its
            // first chunk, so that "interrupted" always means "partly overwritten".
            if off > 0 && cancel.load(Ordering::SeqCst) {
                return Err(Problem::Interrupted);
            }
            let mut b =
                rx.recv().map_err(|_| Problem::Io { step: "overwrite".into(), error: "generator stopped".into() })?;
            f.write_all_at(&b.as_mut()[..n], off).map_err(|e| problem("overwrite", &e))?;
            window.written(f, off + n as u64, false);
            progress.advance(n as u64);
            let _ = back_tx.send(b);
        }
        window.written(f, len, true);
        Ok(())
    })
}

/// Bytes per writeback window of a large pass, and how many windows stay cached.
const WINDOW: u64 = 32 << 20;
const WINDOWS_CACHED: u64 = 4;

/// The page-cache window of a pass written front to back.
#[derive(Default)]
pub(crate) struct CacheWindow {
    /// Writeback started for everything below this.
    started: u64,
    /// Pages dropped below this.
    dropped: u64,
}

impl CacheWindow {
    /// The pass is on `f` up to `end`; `last` when it is complete.
    pub(crate) fn written(&mut self, f: &File, end: u64, last: bool) {
        // Hints only: a filesystem that ignores them loses the overlap, never data.
        self.advance(end, last, &mut |off, n| {
            let _ = sys::write_out_and_drop(f, off, n);
        });
    }

    /// The ranges to hint, in order: each new window as it fills (its writeback
    /// starts), then everything more than `WINDOWS_CACHED` windows behind (written
    /// out by now, so its pages go).
    fn advance(&mut self, end: u64, last: bool, hint: &mut dyn FnMut(u64, u64)) {
        if end <= self.started || (end - self.started < WINDOW && !last) {
            return;
        }
        hint(self.started, end - self.started);
        self.started = end;
        let keep_from = end.saturating_sub(WINDOW * WINDOWS_CACHED);
        if keep_from > self.dropped {
            hint(self.dropped, keep_from - self.dropped);
            self.dropped = keep_from;
        }
    }
}

/// Byte ranges a verification reads: everything, or the NIST sample.
pub(crate) fn verify_ranges(len: u64, mode: VerifyMode, salt: u64) -> Vec<(u64, u64)> {
    match mode {
        VerifyMode::None => Vec::new(),
        VerifyMode::Full => vec![(0, len)],
        VerifyMode::Sample => crate::sample::ranges(len, sys::ALIGN as u64, salt),
    }
}

/// Chunks of at most `CHUNK` bytes covering `ranges`, in order.
pub(crate) fn chunks(ranges: &[(u64, u64)], max: usize) -> impl Iterator<Item = (u64, usize)> + '_ {
    ranges.iter().flat_map(move |&(start, len)| {
        (0..len.div_ceil(max as u64)).map(move |k| {
            let off = start + k * max as u64;
            (off, (start + len - off).min(max as u64) as usize)
        })
    })
}

/// Read the ranges back from the device and compare with the last pass.
/// O_DIRECT where the filesystem allows it; otherwise (FUSE, tmpfs) drop the clean
/// cached pages first, which only works because the data was made durable before.
/// For large items a second thread regenerates the expected bytes while this one
/// waits for the device, so verification runs at the device's read speed.
pub(crate) fn verify(
    path: &Path,
    f: &File,
    ranges: &[(u64, u64)],
    filler: &PassFiller,
    mode: VerifyMode,
    bufs: &mut (AlignedBuf, Vec<u8>),
    progress: &dyn Progress,
) -> Result<ItemVerification, Problem> {
    let ino = f.metadata().map_err(|e| problem("stat", &e))?.ino();
    let mut reader = match sys::open_direct(path) {
        Ok(d) => {
            if d.metadata().map_err(|e| problem("stat", &e))?.ino() != ino {
                return Err(Problem::ChangedDuringWipe);
            }
            Some(d)
        }
        Err(_) => {
            sys::drop_cache(f).map_err(|e| problem("drop cache", &e))?;
            None
        }
    };
    let total: u64 = ranges.iter().map(|r| r.1).sum();
    let mut read = 0u64;
    let mut check = |off: u64, n: usize, want: &[u8], got: &mut AlignedBuf| -> Result<(), Problem> {
        let got = &mut got.as_mut()[..n];
        loop {
            let r = match reader.as_ref() {
                Some(d) => d.read_exact_at(got, off),
                None => f.read_exact_at(got, off),
            };
            match r {
                Ok(()) => break,
                // Some filesystems accept O_DIRECT at open and refuse it at read time,
                // and a tail shorter than a block cannot be read directly.
                Err(e) if reader.is_some() && sys::errno(&e) == Errno::Invalid => {
                    reader = None;
                    sys::drop_cache(f).map_err(|e| problem("drop cache", &e))?;
                }
                Err(e) => return Err(problem("verify", &e)),
            }
        }
        if got != want {
            let at = got.iter().zip(want.iter()).position(|(a, b)| a != b).unwrap_or(0);
            return Err(Problem::VerifyMismatch { offset: off + at as u64 });
        }
        read += n as u64;
        progress.advance(n as u64);
        Ok(())
    };
    let max = bufs.1.len();
    if total <= PIPELINE_MIN {
        for (off, n) in chunks(ranges, max) {
            let want = &mut bufs.1[..n];
            filler.fill(off, want);
            check(off, n, want, &mut bufs.0)?;
        }
    } else {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        let got = &mut bufs.0;
        std::thread::scope(|sc| {
            // Owned here so that an early return drops it before the scope joins: a
            // producer blocked on a full channel then sees the hang-up and stops.
            let rx = rx;
            sc.spawn(move || {
                for (off, n) in chunks(ranges, max) {
                    let mut b = back_rx.try_recv().unwrap_or_default();
                    b.resize(n, 0);
                    filler.fill(off, &mut b);
                    if tx.send(b).is_err() {
                        break;
                    }
                }
            });
            for (off, n) in chunks(ranges, max) {
                let Ok(want) = rx.recv() else {
                    return Err(Problem::Io { step: "verify".into(), error: "generator stopped".into() });
                };
                check(off, n, &want, got)?;
                let _ = back_tx.send(want);
            }
            Ok(())
        })?;
    }
    let direct = reader.is_some();
    Ok(ItemVerification {
        mode,
        read: if direct { "o_direct".into() } else { "drop_cache".into() },
        bytes_read: read,
        passed: true,
        // The caller knows the filesystem and fills it in.
        block_device: false,
    })
}

/// Below this, a second thread costs more than it saves.
const PIPELINE_MIN: u64 = 8 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overwrite_covers_slack_and_allocation() {
        assert_eq!(overwrite_len(0, 0, 4096), 0);
        assert_eq!(overwrite_len(1, 8, 4096), 4096);
        assert_eq!(overwrite_len(4097, 16, 4096), 8192);
        // Preallocated beyond EOF (xfs speculative preallocation, fallocate KEEP_SIZE).
        assert_eq!(overwrite_len(100, 128, 4096), 65536);
    }

    #[test]
    fn cache_window_starts_every_window_and_keeps_only_a_few() {
        let len = 5 * WINDOW + 3 * 4096;
        let mut w = CacheWindow::default();
        let mut hints = Vec::new();
        let mut end = 0;
        while end < len {
            end = (end + (4 << 20)).min(len);
            w.advance(end, false, &mut |o, n| hints.push((o, n)));
        }
        w.advance(len, true, &mut |o, n| hints.push((o, n)));
        w.advance(len, true, &mut |o, n| hints.push((o, n)));
        let starts: Vec<(u64, u64)> = (0..5).map(|k| (k * WINDOW, WINDOW)).chain([(5 * WINDOW, 3 * 4096)]).collect();
        let drops = [(0, WINDOW), (WINDOW, 3 * 4096)];
        // Each window once, as it fills; the first window's pages go when the fifth
        // has started, and the tail beyond it when the pass ends.
        assert_eq!(hints, vec![starts[0], starts[1], starts[2], starts[3], starts[4], drops[0], starts[5], drops[1]]);
        // A pass shorter than a window is hinted once, at its end.
        let mut w = CacheWindow::default();
        let mut short = Vec::new();
        w.advance(9 << 20, false, &mut |o, n| short.push((o, n)));
        w.advance(9 << 20, true, &mut |o, n| short.push((o, n)));
        assert_eq!(short, vec![(0, 9 << 20)]);
    }

    #[test]
    fn a_large_pass_is_on_disk_as_generated() {
        // Above the pipelining threshold and over more windows than stay cached, with
        // a short last chunk: every byte must be the generated stream.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let len = WINDOW * (WINDOWS_CACHED + 1) + 5 * 4096;
        std::fs::write(&path, vec![0x5a; len as usize]).unwrap();
        let f = std::fs::OpenOptions::new().read(true).write(true).open(&path).unwrap();
        let seed = crate::method::RunSeed::from_bytes([3; 32]);
        let filler = PassFiller::new(&seed, b"item", 0, crate::method::Pass::Random);
        write_pass(&f, len, &filler, &mut AlignedBuf::new(CHUNK), &crate::NoProgress, &AtomicBool::new(false)).unwrap();
        f.sync_data().unwrap();
        let on_disk = std::fs::read(&path).unwrap();
        assert_eq!(on_disk.len() as u64, len);
        let mut want = vec![0u8; len as usize];
        filler.fill(0, &mut want);
        assert!(on_disk == want, "the pass differs from the generated stream");
        assert!(!on_disk.windows(8).any(|w| w == [0x5a; 8]), "old contents remain");
    }

    #[test]
    fn a_failing_large_pass_or_verification_returns_instead_of_hanging() {
        // The producer thread must not stay blocked on a full channel when the
        // consumer gives up early: the write fails at its first chunk, the read-back
        // differs at its first byte.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let len = 4 * CHUNK as u64;
        std::fs::write(&path, vec![0u8; len as usize]).unwrap();
        let seed = crate::method::RunSeed::from_bytes([9; 32]);
        let filler = PassFiller::new(&seed, b"item", 0, crate::method::Pass::Random);
        let read_only = File::open(&path).unwrap();
        let cancel = AtomicBool::new(false);
        let r = write_pass(&read_only, len, &filler, &mut AlignedBuf::new(CHUNK), &crate::NoProgress, &cancel);
        assert!(matches!(r, Err(Problem::Io { ref step, .. }) if step == "overwrite"), "{r:?}");
        let mut bufs = (AlignedBuf::new(CHUNK), vec![0u8; CHUNK]);
        let ranges = verify_ranges(len, VerifyMode::Full, 0);
        let r = verify(&path, &read_only, &ranges, &filler, VerifyMode::Full, &mut bufs, &crate::NoProgress);
        assert_eq!(r.unwrap_err(), Problem::VerifyMismatch { offset: 0 });
        // And a raised cancel flag stops a large pass after its first chunk.
        cancel.store(true, Ordering::SeqCst);
        let rw = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        let r = write_pass(&rw, len, &filler, &mut AlignedBuf::new(CHUNK), &crate::NoProgress, &cancel);
        assert_eq!(r.unwrap_err(), Problem::Interrupted);
        let after = std::fs::read(&path).unwrap();
        let mut first = vec![0u8; CHUNK];
        filler.fill(0, &mut first);
        assert!(after[..CHUNK] == first[..], "the first chunk is written");
        assert!(after[CHUNK..].iter().all(|&b| b == 0), "nothing after it");
    }
}
