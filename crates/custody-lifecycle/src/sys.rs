//! The few Unix calls the lifecycle makes itself (Linux): opening files someone handed
//! us without following symlinks or blocking on FIFOs, the host name, and the
//! filesystem type and device numbers behind a path. Logic files call these by name.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rustix::fs::OFlags;

/// Opens for reading without blocking on a FIFO (regular files ignore O_NONBLOCK); the
/// caller checks with `fstat` that it got a regular file.
pub(crate) fn open_read_nonblock(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).custom_flags(OFlags::NONBLOCK.bits() as i32).open(path)
}

/// As [`open_read_nonblock`], and never through a symlink in the last component (the
/// open then fails, see [`is_symlink_refused`]) nor making a terminal ours.
pub(crate) fn open_read_nofollow(path: &Path) -> io::Result<File> {
    let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    OpenOptions::new().read(true).custom_flags(flags.bits() as i32).open(path)
}

/// The open refused the path because its last component is a symlink (ELOOP).
pub(crate) fn is_symlink_refused(e: &io::Error) -> bool {
    e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
}

/// This machine's host name (`uname -n`).
pub(crate) fn hostname() -> String {
    rustix::system::uname().nodename().to_string_lossy().into_owned()
}

/// The `statfs` magic of the filesystem holding `path`.
pub(crate) fn fs_magic(path: &Path) -> io::Result<i64> {
    let st = rustix::fs::statfs(path)?;
    // f_type is i64 on x86_64 but u32 or i32 elsewhere.
    #[allow(clippy::unnecessary_cast)]
    Ok(st.f_type as i64)
}

/// (major, minor) of a device number (`st_dev`).
pub(crate) fn major_minor(dev: u64) -> (u32, u32) {
    (rustix::fs::major(dev), rustix::fs::minor(dev))
}

/// `access(2)` with `W_OK`: whether this process may write in `path` (real ids, ACLs
/// and read-only mounts included); nothing is written.
pub(crate) fn may_write(path: &Path) -> bool {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

/// An exclusive advisory lock on `path` (created empty and owner-only if missing, never
/// through a symlink), held while the returned file stays open; `Ok(None)` when another
/// process holds it. The kernel drops it when the holder dies, so a kill never leaves
/// a job locked.
pub(crate) fn try_lock(path: &Path) -> io::Result<Option<File>> {
    let f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .mode(0o600)
        .custom_flags((OFlags::NOFOLLOW | OFlags::CLOEXEC).bits() as i32)
        .open(path)?;
    match rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(f)),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(None),
        Err(e) => Err(e.into()),
    }
}
