//! Durable file writes and the one random source for every custody crate.
//!
//! Every file custody writes (records, certificates, checkpoints, notices, labels, the
//! payload itself) lands whole or not at all, and never over a file that was already
//! there: it is written to a temporary file with a random name in the same directory
//! (created with `O_EXCL`, owner-only when asked), fsynced, renamed onto its name only
//! if that name is still free, and the directory is fsynced so the new name survives a
//! crash. A temporary file is removed on every failure. [`write_new`] does this for a
//! whole buffer, [`NewFile`] for a file written as a stream (a payload being sealed),
//! and [`write_replace`] for the few files whose job is to be replaced (state files).
//!
//! [`fill_random`] is the only source of randomness for ids, names, salts, keys and
//! passphrases: the operating system's generator, through `getrandom`.
//!
//! Unix-only calls live in the private `sys` module; on Windows the same functions fall
//! back to what the standard library offers (documented on each).
//!
//! Left to others: what goes in the files, and reading them back.
//!
//! ```
//! # fn main() -> Result<(), custody_fsio::FsioError> {
//! # let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("record.json");
//! custody_fsio::write_new(&path, b"{}\n", 0o600)?;
//! // A second write never replaces the first.
//! assert!(custody_fsio::write_new(&path, b"[]\n", 0o600).is_err());
//! let mut salt = [0u8; 16];
//! custody_fsio::fill_random(&mut salt)?;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

mod error;
mod newfile;
mod random;
mod sys;

pub use error::FsioError;
pub use newfile::{remove_stale_temps, write_new, write_replace, NewFile};
pub use random::fill_random;

use std::path::{Path, PathBuf};

/// Renames `from` to `to` only if `to` does not exist, and fsyncs nothing: for names
/// that are moved, not written (the wipe's random renames). On a filesystem without an
/// atomic no-replace rename (FAT through FUSE, older NFS) the name is checked first and
/// then renamed: never a hard link, so the entry itself is renamed, not removed.
pub fn rename_noreplace(from: &Path, to: &Path) -> Result<(), FsioError> {
    sys::rename_noreplace(from, to, false)
}

/// Makes the entries of `dir` (a rename, a new or removed name) durable. A no-op on
/// Windows, which cannot open a directory as a file and whose NTFS journals renames.
pub fn sync_dir(dir: &Path) -> Result<(), FsioError> {
    sys::sync_dir(dir).map_err(|source| FsioError::SyncDir { dir: dir.to_path_buf(), source })
}

/// The directory a file named `path` lives in (`.` for a bare name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
