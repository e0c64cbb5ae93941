//! Small file helpers: every document custody writes lands whole or not at all.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::Error;

/// Writes `bytes` to `path` through a temporary file in the same directory, fsyncs
/// it, renames it into place and fsyncs the directory, so a crash leaves either the
/// old state or the whole new file. `create_new` refuses to replace an existing file.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], mode: u32, create_new: bool) -> Result<(), Error> {
    let dir = parent_dir(path);
    if create_new && path.symlink_metadata().is_ok() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "already exists"),
        });
    }
    let tmp = temp_sibling(path);
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).mode(mode).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(&dir)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::Io { path: path.to_path_buf(), source: e });
    }
    Ok(())
}

/// Like [`write_atomic`], but the final rename refuses to replace anything that took
/// the name meanwhile (`RENAME_NOREPLACE`): an existing file is never overwritten,
/// even one created between a check and the write.
pub(crate) fn write_atomic_noreplace(path: &Path, bytes: &[u8], mode: u32) -> Result<(), Error> {
    let dir = parent_dir(path);
    let tmp = temp_sibling(path);
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).mode(mode).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        match rustix::fs::renameat_with(
            rustix::fs::CWD,
            &tmp,
            rustix::fs::CWD,
            path,
            rustix::fs::RenameFlags::NOREPLACE,
        ) {
            Ok(()) => {}
            // Filesystems without RENAME_NOREPLACE (FAT through FUSE, older NFS): a
            // hard link fails on an existing name just the same.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
                fs::hard_link(&tmp, path)?;
                fs::remove_file(&tmp)?;
            }
            Err(e) => return Err(std::io::Error::from(e)),
        }
        sync_dir(&dir)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::Io { path: path.to_path_buf(), source: e });
    }
    Ok(())
}

pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub(crate) fn temp_sibling(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut rnd = [0u8; 6];
    // A name clash only makes create_new fail, so a weak fallback is harmless.
    if getrandom(&mut rnd).is_err() {
        rnd = (std::process::id() as u64).to_le_bytes()[..6].try_into().unwrap_or([0; 6]);
    }
    parent_dir(path).join(format!(".{name}.tmp-{}", hex::encode(rnd)))
}

pub(crate) fn getrandom(buf: &mut [u8]) -> std::io::Result<()> {
    let mut f = File::open("/dev/urandom")?;
    std::io::Read::read_exact(&mut f, buf)
}

pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// True when `inner` is `outer` or lies below it, after resolving symlinks of the
/// parts that exist (the last component may not exist yet).
pub(crate) fn is_within(inner: &Path, outer: &Path) -> bool {
    let (Some(i), Ok(o)) = (resolve_lenient(inner), outer.canonicalize()) else {
        return false;
    };
    i.starts_with(o)
}

/// Canonicalises the longest existing prefix of `path` and appends the rest.
pub(crate) fn resolve_lenient(path: &Path) -> Option<PathBuf> {
    let abs = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().ok()?.join(path) };
    let mut rest = vec![];
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = cur.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Some(out);
        }
        rest.push(cur.file_name()?.to_os_string());
        cur = cur.parent()?;
    }
}

/// Opens a file someone else handed us (a checkpoint, a ledger copy): never through a
/// symlink, never blocking on a FIFO or device, and only if it is a regular file.
pub(crate) fn open_untrusted(path: &Path) -> Result<File, Error> {
    use rustix::fs::OFlags;
    let f = OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY).bits() as i32)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            // ELOOP: the last component is a symlink.
            Some(40) => Error::NotAFile { path: path.to_path_buf() },
            _ => Error::Io { path: path.to_path_buf(), source: e },
        })?;
    let meta = f.metadata().map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    if !meta.is_file() {
        return Err(Error::NotAFile { path: path.to_path_buf() });
    }
    Ok(f)
}

/// Reads a small untrusted file whole, refusing more than `max` bytes.
pub(crate) fn read_untrusted(path: &Path, max: usize) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let f = open_untrusted(path)?;
    let mut buf = Vec::new();
    f.take(max as u64 + 1).read_to_end(&mut buf).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    if buf.len() > max {
        return Err(Error::FileTooLarge { path: path.to_path_buf(), max: max as u64 });
    }
    Ok(buf)
}

/// Reads a file someone handed us: never through a symlink, never a FIFO or device
/// (O_NONBLOCK keeps the open from hanging on a FIFO), never more than `max` bytes.
pub(crate) fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, crate::error::Unreadable> {
    use crate::error::Unreadable;
    use std::io::Read;
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    let f = OpenOptions::new().read(true).custom_flags(flags.bits() as i32).open(path).map_err(Unreadable::Io)?;
    let meta = f.metadata().map_err(Unreadable::Io)?;
    if !meta.is_file() {
        return Err(Unreadable::NotAFile);
    }
    if meta.len() > max {
        return Err(Unreadable::TooLarge { max });
    }
    let mut out = Vec::with_capacity(meta.len() as usize);
    f.take(max + 1).read_to_end(&mut out).map_err(Unreadable::Io)?;
    if out.len() as u64 > max {
        return Err(Unreadable::TooLarge { max });
    }
    Ok(out)
}
