//! The system calls std does not wrap: free space, filesystem type, syncfs, early
//! writeback. Linux only.

use std::ffi::CString;
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::AsRawFd;
use std::path::Path;

/// `statfs` magic of FAT (msdos, vfat) filesystems.
pub(crate) const MSDOS_SUPER_MAGIC: i64 = 0x4d44;

/// Free bytes available to an unprivileged writer, and the filesystem magic.
pub(crate) fn space_and_type(path: &Path) -> io::Result<(u64, i64)> {
    let c = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains NUL"))?;
    let mut vfs: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated string and `vfs` a writable struct of the
    // type statvfs(3) fills; the kernel writes nothing beyond it.
    if unsafe { libc::statvfs(c.as_ptr(), &mut vfs) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: as above, for statfs(2).
    if unsafe { libc::statfs(c.as_ptr(), &mut fs) } != 0 {
        return Err(io::Error::last_os_error());
    }
    #[allow(clippy::useless_conversion)] // the field types differ between targets
    let avail = u64::from(vfs.f_bavail).saturating_mul(u64::from(vfs.f_frsize));
    #[allow(clippy::unnecessary_cast)] // f_type is i64 on x86_64 but u32/i32 elsewhere
    let magic = fs.f_type as i64;
    Ok((avail, magic))
}

/// Flushes every dirty page of the filesystem holding `dir` in one call: cheaper than
/// an fsync per extracted file, and it covers directory entries too.
pub(crate) fn syncfs(dir: &File) -> io::Result<()> {
    // SAFETY: the descriptor is owned by `dir` and open for the duration of the call.
    if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Takes an exclusive `flock` on `f` without waiting: `Ok(false)` when another open
/// file description holds it. The lock lasts until the descriptor is closed, including
/// by the death of the process.
pub(crate) fn try_lock_exclusive(f: &File) -> io::Result<bool> {
    // SAFETY: the descriptor is owned by `f` and open for the duration of the call.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(false)
    } else {
        Err(e)
    }
}

/// Asks the kernel to start writing `len` bytes at `offset` of `file` to the device, without
/// waiting. Only a hint: durability still comes from fsync, which then has less to do.
pub(crate) fn start_writeback(file: &File, offset: u64, len: u64) -> io::Result<()> {
    let (Ok(off), Ok(n)) = (libc::off64_t::try_from(offset), libc::off64_t::try_from(len)) else {
        return Ok(());
    };
    // SAFETY: the descriptor is owned by `file` and open for the duration of the call;
    // sync_file_range(2) reads no memory of ours.
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
