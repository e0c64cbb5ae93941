//! Reading a small file that a person or a medium hands us: a passphrase file, a label,
//! a signature, a public key. Whatever the path names, the read ends: a FIFO or device
//! is refused before it can block or stream forever, a symlink is not followed, and
//! nothing beyond `max` bytes is read.

use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use zeroize::Zeroizing;

/// Why a small input file was not read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileProblem {
    /// A directory, FIFO, device, socket or symbolic link.
    #[error("not a regular file")]
    NotRegular,
    /// Larger than the bound for its kind.
    #[error("larger than {max} bytes")]
    TooLarge { max: u64 },
    /// Opening or reading failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// A small file read whole, with its permission bits. The bytes are wiped when dropped:
/// some of these files hold secrets.
pub struct SmallFile {
    pub bytes: Zeroizing<Vec<u8>>,
    /// `st_mode & 0o7777`.
    pub mode: u32,
}

/// Reads at most `max` bytes of the regular file at `path`.
///
/// Opened with O_NOFOLLOW|O_NONBLOCK so that neither a symlink nor a FIFO without a
/// writer can redirect or stall the read, then `fstat` on the descriptor (not the path,
/// which may change meanwhile) must say "regular file".
pub fn read_small_file(path: &Path, max: u64) -> Result<SmallFile, FileProblem> {
    // std opens every file with O_CLOEXEC.
    let f = crate::sys::open_read_nofollow(path).map_err(|e| {
        if crate::sys::is_symlink_refused(&e) {
            FileProblem::NotRegular
        } else {
            e.into()
        }
    })?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(FileProblem::NotRegular);
    }
    if meta.len() > max {
        return Err(FileProblem::TooLarge { max });
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(meta.len() as usize));
    // The size may grow after the fstat: the read stops one byte past the bound anyway.
    f.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(FileProblem::TooLarge { max });
    }
    Ok(SmallFile { bytes, mode: meta.mode() & 0o7777 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_symlinks_are_refused_without_reading() {
        assert!(matches!(read_small_file(Path::new("/dev/zero"), 10), Err(FileProblem::NotRegular)));
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(matches!(read_small_file(&fifo, 10), Err(FileProblem::NotRegular)));
        let target = dir.path().join("t");
        std::fs::write(&target, b"abc").unwrap();
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(read_small_file(&link, 10), Err(FileProblem::NotRegular)));
        assert_eq!(&read_small_file(&target, 3).unwrap().bytes[..], b"abc");
        assert!(matches!(read_small_file(&target, 2), Err(FileProblem::TooLarge { max: 2 })));
    }
}
