//! The system calls std does not wrap: free space, filesystem type, syncfs. Linux only.

use std::ffi::CString;
use std::fs::File;
use std::io;
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
