//! The few Linux system calls the engine needs beyond `std`, through `rustix`.
//! No `unsafe` is needed: aligned buffers come from over-allocating a `Vec`.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rustix::fs::{Advice, OFlags};

/// O_DIRECT needs buffers, offsets and lengths aligned to the logical block size;
/// 4096 covers every device and filesystem we meet.
pub(crate) const ALIGN: usize = 4096;

/// A heap buffer whose usable part starts on an `ALIGN` boundary.
pub(crate) struct AlignedBuf {
    raw: Vec<u8>,
    start: usize,
    len: usize,
}

impl AlignedBuf {
    pub(crate) fn new(len: usize) -> Self {
        let raw = vec![0u8; len + ALIGN];
        let start = raw.as_ptr().align_offset(ALIGN);
        // align_offset may return usize::MAX when it cannot compute; for u8 it always can,
        // but fall back to an unaligned start rather than panic (O_DIRECT then fails and
        // the caller falls back to a cache-dropping read).
        let start = if start >= ALIGN { 0 } else { start };
        AlignedBuf { raw, start, len }
    }

    pub(crate) fn as_mut(&mut self) -> &mut [u8] {
        &mut self.raw[self.start..self.start + self.len]
    }
}

/// Open for reading straight from the device, bypassing the page cache.
pub(crate) fn open_direct(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::DIRECT | OFlags::NOFOLLOW | OFlags::CLOEXEC).bits() as i32)
        .open(path)
}

/// Open for reading without following a symlink.
pub(crate) fn open_read_nofollow(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY).bits() as i32)
        .open(path)
}

/// Open for reading without following a symlink or blocking on a FIFO.
pub(crate) fn open_read_nofollow_nonblock(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY | OFlags::NONBLOCK).bits() as i32)
        .open(path)
}

/// Open a regular file for overwriting without following a symlink planted in its place.
pub(crate) fn open_rw_nofollow(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags((OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY).bits() as i32)
        .open(path)
}

/// Open a device or image for overwriting. A block device is opened with O_EXCL, which
/// fails if anything has it mounted or claimed: a last guard against a mount that
/// appeared since planning.
pub(crate) fn open_device_rw(path: &Path, block: bool) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true);
    if block {
        o.custom_flags((OFlags::EXCL | OFlags::CLOEXEC).bits() as i32);
    }
    o.open(path)
}

/// Open an existing file for appending, without following a symlink planted in its place.
pub(crate) fn open_append_nofollow(path: &Path) -> io::Result<File> {
    OpenOptions::new().append(true).custom_flags(OFlags::NOFOLLOW.bits() as i32).open(path)
}

/// What an I/O error's errno says, for the few the engine tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Errno {
    NotFound,
    PermissionDenied,
    ReadOnly,
    /// O_NOFOLLOW met a symlink.
    Loop,
    NotEmpty,
    /// EINVAL: e.g. O_DIRECT accepted at open and refused at read time.
    Invalid,
    Other,
}

pub(crate) fn errno(e: &io::Error) -> Errno {
    use rustix::io::Errno as E;
    let Some(c) = e.raw_os_error() else { return Errno::Other };
    let is = |x: E| x.raw_os_error() == c;
    if is(E::NOENT) {
        Errno::NotFound
    } else if is(E::ACCESS) || is(E::PERM) {
        Errno::PermissionDenied
    } else if is(E::ROFS) {
        Errno::ReadOnly
    } else if is(E::LOOP) {
        Errno::Loop
    } else if is(E::NOTEMPTY) {
        Errno::NotEmpty
    } else if is(E::INVAL) {
        Errno::Invalid
    } else {
        Errno::Other
    }
}

/// (major, minor) of a device number.
pub(crate) fn major_minor(dev: u64) -> (u32, u32) {
    (rustix::fs::major(dev), rustix::fs::minor(dev))
}

/// Drop clean cached pages so the next buffered read comes from the device. Only
/// meaningful after the data was made durable: dirty pages are not dropped.
pub(crate) fn drop_cache(f: &File) -> io::Result<()> {
    rustix::fs::fadvise(f, 0, None, Advice::DontNeed).map_err(io::Error::from)
}

/// Start writing out the dirty pages of a range and drop the ones already clean,
/// without waiting: Linux's `POSIX_FADV_DONTNEED` does both. Called again on the same
/// range later, it drops the pages written out meanwhile.
pub(crate) fn write_out_and_drop(f: &File, offset: u64, len: u64) -> io::Result<()> {
    let Some(len) = std::num::NonZeroU64::new(len) else { return Ok(()) };
    rustix::fs::fadvise(f, offset, Some(len), Advice::DontNeed).map_err(io::Error::from)
}

/// One durability point for every dirty page of the filesystem holding `f`: cheaper
/// than one fsync per small file.
pub(crate) fn syncfs(f: &File) -> io::Result<()> {
    rustix::fs::syncfs(f).map_err(io::Error::from)
}

/// Host name for the record.
pub(crate) fn hostname() -> String {
    let u = rustix::system::uname();
    u.nodename().to_string_lossy().into_owned()
}

/// Ends this process at once, as a power cut would (fault injection).
#[cfg(feature = "fault-injection")]
pub(crate) fn kill_self() {
    let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
}

/// Stops this process until it is continued or killed (fault injection).
#[cfg(feature = "fault-injection")]
pub(crate) fn stop_self() {
    let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::STOP);
}

/// Our own pid, to skip ourselves when scanning /proc.
pub(crate) fn own_pid() -> u32 {
    rustix::process::getpid().as_raw_nonzero().get() as u32
}
