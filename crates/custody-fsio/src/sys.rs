//! The platform calls behind the durable writes. Unix has `RENAME_NOREPLACE`, mode bits
//! and directory fsync; Windows gets the closest the standard library offers.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

use crate::FsioError;

/// Creates `path` exclusively (fails if the name exists), readable and writable, with
/// `mode` on Unix. Windows has no mode bits: the file inherits the folder's ACL.
pub(crate) fn create_excl(path: &Path, mode: u32) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    opts.open(path)
}

/// Renames without ever replacing `to`. Linux: `renameat2(RENAME_NOREPLACE)`. Where the
/// filesystem refuses the flag (FAT through FUSE, older NFS: `EINVAL`/`ENOSYS`) and
/// `link_ok` (the source is a temporary file whose own name does not matter), a hard
/// link fails on an existing name just the same; otherwise, or where there are no hard
/// links either (FAT), the name is checked and then renamed, which leaves only the
/// instant between the two open to a racing writer.
#[cfg(unix)]
pub(crate) fn rename_noreplace(from: &Path, to: &Path, link_ok: bool) -> Result<(), FsioError> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    let io = |source| FsioError::Io { path: to.to_path_buf(), source };
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(Errno::EXIST) => Err(FsioError::Exists { path: to.to_path_buf() }),
        Err(e) if (e == Errno::INVAL || e == Errno::NOSYS) && !link_ok => check_then_rename(from, to),
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS => match std::fs::hard_link(from, to) {
            Ok(()) => std::fs::remove_file(from).map_err(io),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(FsioError::Exists { path: to.to_path_buf() }),
            Err(e) if no_links(&e) => check_then_rename(from, to),
            Err(e) => Err(io(e)),
        },
        Err(e) => Err(io(io::Error::from(e))),
    }
}

#[cfg(unix)]
fn no_links(e: &io::Error) -> bool {
    use rustix::io::Errno;
    e.raw_os_error().is_some_and(|c| {
        [Errno::PERM, Errno::OPNOTSUPP, Errno::NOSYS, Errno::MLINK].iter().any(|x| x.raw_os_error() == c)
    })
}

/// Windows: `MoveFileEx` without `MOVEFILE_REPLACE_EXISTING` refuses an existing target,
/// but std's `rename` passes that flag, so the name is checked first.
#[cfg(not(unix))]
pub(crate) fn rename_noreplace(from: &Path, to: &Path, _link_ok: bool) -> Result<(), FsioError> {
    check_then_rename(from, to)
}

fn check_then_rename(from: &Path, to: &Path) -> Result<(), FsioError> {
    if to.symlink_metadata().is_ok() {
        return Err(FsioError::Exists { path: to.to_path_buf() });
    }
    std::fs::rename(from, to).map_err(|source| FsioError::Io { path: to.to_path_buf(), source })
}

/// A rename lives in the directory: it is durable only once the directory is synced.
#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Windows cannot open a directory as a file; NTFS journals the rename itself.
#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}
