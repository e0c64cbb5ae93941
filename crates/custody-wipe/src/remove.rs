//! Removing names: rename to a random name of the same length (so that filesystems
//! that rewrite the entry in place lose the original), then unlink.

use std::collections::HashSet;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

use crate::record::Problem;
use crate::work::problem;

/// A random, unused name with as many bytes as `old`, from [a-z0-9] so that every
/// filesystem (FAT included, which folds case) accepts it unchanged. Short names can
/// collide with siblings: after a few tries the name grows by a byte. Names are
/// picked for a whole batch before the first rename, so a name already given to
/// another item (`taken`, which the new name joins) counts as used too.
pub(crate) fn random_name(old: &Path, taken: &mut HashSet<PathBuf>) -> Result<PathBuf, Problem> {
    const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut n = old.file_name().map(|n| n.len()).unwrap_or(8).max(1);
    for attempt in 0..64 {
        if attempt > 0 && attempt % 8 == 0 {
            n += 1;
        }
        let mut raw = vec![0u8; n];
        custody_fsio::fill_random(&mut raw)
            .map_err(|e| Problem::Io { step: "random name".into(), error: e.to_string() })?;
        // 256 % 36 != 0 gives a slight bias; irrelevant for a throwaway name.
        let name: Vec<u8> = raw.iter().map(|b| ALPHABET[(*b as usize) % 36]).collect();
        let candidate = old.with_file_name(OsString::from_vec(name));
        if !taken.contains(&candidate) && std::fs::symlink_metadata(&candidate).is_err() {
            taken.insert(candidate.clone());
            return Ok(candidate);
        }
    }
    Err(Problem::Io { step: "random name".into(), error: "no unused random name found".into() })
}

/// Rename without replacing anything that already has the new name.
pub(crate) fn rename_noreplace(old: &Path, new: &Path) -> Result<(), Problem> {
    match custody_fsio::rename_noreplace(old, new) {
        Ok(()) => Ok(()),
        Err(custody_fsio::FsioError::Exists { .. }) => {
            Err(Problem::Io { step: "rename".into(), error: "random name already taken".into() })
        }
        Err(e) => Err(problem("rename", &std::io::Error::from(e))),
    }
}

/// Unlink a non-directory or remove an empty directory.
pub(crate) fn unlink(path: &Path, dir: bool) -> Result<(), Problem> {
    let r = if dir { std::fs::remove_dir(path) } else { std::fs::remove_file(path) };
    r.map_err(|e| problem("unlink", &e))
}
