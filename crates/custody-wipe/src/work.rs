//! The steps applied to one open file: hash, overwrite, read back. Errors become the
//! item's [`Problem`], never a whole-run failure.

use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::method::PassFiller;
use crate::record::{ItemVerification, Problem};
use crate::sys::{self, AlignedBuf};
use crate::{Progress, VerifyMode};

/// Largest single read or write.
pub(crate) const CHUNK: usize = 4 << 20;

pub(crate) fn problem(step: &str, e: &io::Error) -> Problem {
    match e.raw_os_error() {
        Some(libc_enoent) if libc_enoent == rustix::io::Errno::NOENT.raw_os_error() => Problem::Vanished,
        Some(c) if c == rustix::io::Errno::ACCESS.raw_os_error() || c == rustix::io::Errno::PERM.raw_os_error() => {
            Problem::PermissionDenied
        }
        Some(c) if c == rustix::io::Errno::ROFS.raw_os_error() => Problem::ReadOnlyFilesystem,
        // O_NOFOLLOW met a symlink where the plan saw a file.
        Some(c) if c == rustix::io::Errno::LOOP.raw_os_error() => Problem::ChangedDuringWipe,
        Some(c) if c == rustix::io::Errno::NOTEMPTY.raw_os_error() => Problem::NotEmpty,
        _ => Problem::Io { step: step.to_owned(), error: e.to_string() },
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
fn read_block_aligned(f: &File, buf: &mut AlignedBuf, off: u64, n: usize) -> io::Result<()> {
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

/// Write one pass over `len` bytes. Large items are written with O_DIRECT through a
/// handle of their own (no copy into the page cache, no writeback lag before the
/// fsync), and a random pass is generated by a second thread while this one writes.
pub(crate) fn write_pass(
    path: &Path,
    f: &File,
    len: u64,
    filler: &PassFiller,
    buf: &mut AlignedBuf,
    progress: &dyn Progress,
) -> Result<(), Problem> {
    let max = buf.as_mut().len();
    let direct = if len > PIPELINE_MIN && len % sys::ALIGN as u64 == 0 {
        sys::open_direct_write(path).ok().filter(|d| {
            let same = |x: &File| x.metadata().map(|m| (m.dev(), m.ino())).ok();
            same(d).is_some() && same(d) == same(f)
        })
    } else {
        None
    };
    let out = direct.as_ref().unwrap_or(f);
    if len <= PIPELINE_MIN {
        let b = buf.as_mut();
        let mut off = 0u64;
        while off < len {
            let n = (len - off).min(b.len() as u64) as usize;
            filler.fill(off, &mut b[..n]);
            out.write_all_at(&b[..n], off).map_err(|e| problem("overwrite", &e))?;
            off += n as u64;
            progress.advance(n as u64);
        }
        return Ok(());
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<AlignedBuf>(2);
    let (back_tx, back_rx) = std::sync::mpsc::channel::<AlignedBuf>();
    std::thread::scope(|sc| {
        sc.spawn(move || {
            for (off, n) in chunks(&[(0, len)], max) {
                let mut b = back_rx.try_recv().unwrap_or_else(|_| AlignedBuf::new(max));
                filler.fill(off, &mut b.as_mut()[..n]);
                if tx.send(b).is_err() {
                    break;
                }
            }
        });
        for (off, n) in chunks(&[(0, len)], max) {
            let mut b =
                rx.recv().map_err(|_| Problem::Io { step: "overwrite".into(), error: "generator stopped".into() })?;
            out.write_all_at(&b.as_mut()[..n], off).map_err(|e| problem("overwrite", &e))?;
            progress.advance(n as u64);
            let _ = back_tx.send(b);
        }
        Ok(())
    })
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
fn chunks(ranges: &[(u64, u64)], max: usize) -> impl Iterator<Item = (u64, usize)> + '_ {
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
                Err(e) if reader.is_some() && e.raw_os_error() == Some(rustix::io::Errno::INVAL.raw_os_error()) => {
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
}
