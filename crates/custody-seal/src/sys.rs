//! The system calls std does not wrap: free space, filesystem type, syncfs, flock,
//! early writeback, and opening without following symlinks. Linux only. Everything goes
//! through rustix except `sync_file_range`, which rustix does not cover: that one call
//! is the crate's only `unsafe`.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::Path;

use rustix::fs::{FlockOperation, OFlags};
use rustix::io::Errno;

/// `statfs` magic of FAT (msdos, vfat) filesystems.
pub(crate) const MSDOS_SUPER_MAGIC: i64 = 0x4d44;

/// Free bytes available to an unprivileged writer, and the filesystem magic.
pub(crate) fn space_and_type(path: &Path) -> io::Result<(u64, i64)> {
    let vfs = rustix::fs::statvfs(path)?;
    let fs = rustix::fs::statfs(path)?;
    let avail = vfs.f_bavail.saturating_mul(vfs.f_frsize);
    #[allow(clippy::unnecessary_cast)] // f_type is i64 on x86_64 but u32/i32 elsewhere
    let magic = fs.f_type as i64;
    Ok((avail, magic))
}

/// Flushes every dirty page of the filesystem holding `dir` in one call: cheaper than
/// an fsync per extracted file, and it covers directory entries too.
pub(crate) fn syncfs(dir: &File) -> io::Result<()> {
    Ok(rustix::fs::syncfs(dir)?)
}

/// Takes an exclusive `flock` on `f` without waiting: `Ok(false)` when another open
/// file description holds it. The lock lasts until the descriptor is closed, including
/// by the death of the process.
pub(crate) fn try_lock_exclusive(f: &File) -> io::Result<bool> {
    match rustix::fs::flock(f, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Opens `path` for reading someone else's file: never through a symlink in its last
/// component (the open fails with ELOOP, see [`is_symlink_refused`]) and never blocking
/// on a FIFO without a writer (regular files ignore O_NONBLOCK). The caller still checks
/// with `fstat` that it got a regular file.
pub(crate) fn open_read_nofollow(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32).open(path)
}

/// Creates a new file (mode 0600) for extracted data; a symlink planted at its name is
/// refused, not followed.
pub(crate) fn create_new_nofollow(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).mode(0o600).custom_flags(OFlags::NOFOLLOW.bits() as i32).open(path)
}

/// The open refused the path because its last component is a symlink.
pub(crate) fn is_symlink_refused(e: &io::Error) -> bool {
    e.raw_os_error() == Some(Errno::LOOP.raw_os_error())
}

/// The open refused a device or a FIFO without a writer (ENXIO).
pub(crate) fn is_device_refused(e: &io::Error) -> bool {
    e.raw_os_error() == Some(Errno::NXIO.raw_os_error())
}

/// A directory rename failed because the target is a non-empty directory, exists, or
/// is not a directory.
pub(crate) fn is_rename_target_taken(e: &io::Error) -> bool {
    [Errno::NOTEMPTY, Errno::EXIST, Errno::NOTDIR].iter().any(|x| e.raw_os_error() == Some(x.raw_os_error()))
}

/// Asks the kernel to start writing `len` bytes at `offset` of `file` to the device, without
/// waiting. Only a hint: durability still comes from fsync, which then has less to do.
#[allow(unsafe_code)]
pub(crate) fn start_writeback(file: &File, offset: u64, len: u64) -> io::Result<()> {
    let (Ok(off), Ok(n)) = (libc::off64_t::try_from(offset), libc::off64_t::try_from(len)) else {
        return Ok(());
    };
    // SAFETY: the descriptor is owned by `file` and open for the duration of the call;
    // sync_file_range(2) reads no memory of ours. rustix 1 has no wrapper for it.
    if unsafe { libc::sync_file_range(file.as_raw_fd(), off, n, libc::SYNC_FILE_RANGE_WRITE) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Bytes written before the kernel is asked to start writing them out.
const WRITEBACK_WINDOW: u64 = 8 << 20;

/// Early writeback of a file written front to back: the device works while we still
/// encrypt or decrypt, instead of everything waiting in the page cache for the final
/// fsync or syncfs.
#[derive(Default)]
pub(crate) struct WritebackWindow {
    started: u64,
}

impl WritebackWindow {
    pub(crate) fn starting_at(offset: u64) -> Self {
        WritebackWindow { started: offset }
    }

    /// `file` now holds data up to `end`: start writing out a full window of it.
    pub(crate) fn advance(&mut self, file: &File, end: u64) {
        if end - self.started >= WRITEBACK_WINDOW {
            self.flush(file, end);
        }
    }

    /// Start writing out everything up to `end`.
    pub(crate) fn flush(&mut self, file: &File, end: u64) {
        if end > self.started {
            // Only a hint: a filesystem without it loses the overlap, not durability.
            let _ = start_writeback(file, self.started, end - self.started);
            self.started = end;
        }
    }
}

/// An extracted file, with early writeback; dropped, it starts writeback of whatever is
/// left.
pub(crate) struct Writeback {
    file: File,
    written: u64,
    window: WritebackWindow,
}

impl Writeback {
    pub(crate) fn new(file: File) -> Self {
        Writeback { file, written: 0, window: WritebackWindow::default() }
    }
}

impl Write for Writeback {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        self.window.advance(&self.file, self.written);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Writeback {
    fn drop(&mut self) {
        self.window.flush(&self.file, self.written);
    }
}
