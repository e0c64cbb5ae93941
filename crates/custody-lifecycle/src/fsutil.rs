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

fn getrandom(buf: &mut [u8]) -> std::io::Result<()> {
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
