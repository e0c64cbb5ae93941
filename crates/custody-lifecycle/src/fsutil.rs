//! Small file helpers: where a path lies, and reading files someone handed us.
//! Writing goes through `custody_fsio`.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::Error;

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
    let f = crate::sys::open_read_nofollow(path).map_err(|e| {
        if crate::sys::is_symlink_refused(&e) {
            Error::NotAFile { path: path.to_path_buf() }
        } else {
            Error::Io { path: path.to_path_buf(), source: e }
        }
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
    let f = crate::sys::open_read_nofollow(path).map_err(Unreadable::Io)?;
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
