//! A file written under a temporary name and given its real name only when complete.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::{parent_dir, sys, FsioError};

/// A file being written to a temporary name beside `dest`. [`NewFile::persist`] syncs it
/// and renames it onto `dest` without replacing anything; dropping it unpersisted
/// removes the temporary file, so an early return leaves nothing behind.
#[derive(Debug)]
pub struct NewFile {
    file: File,
    tmp: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl NewFile {
    /// Creates the temporary file `.<name>.tmp-<random>` in `dest`'s directory with
    /// `O_EXCL` and `mode` (Unix), open for reading and writing. Fails with
    /// [`FsioError::Exists`] if `dest` already exists, so nothing is written in vain.
    pub fn create(dest: &Path, mode: u32) -> Result<NewFile, FsioError> {
        if dest.symlink_metadata().is_ok() {
            return Err(FsioError::Exists { path: dest.to_path_buf() });
        }
        Self::create_for(dest, mode)
    }

    fn create_for(dest: &Path, mode: u32) -> Result<NewFile, FsioError> {
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = parent_dir(dest);
        let mut last = None;
        // A clash with another temporary name only costs a retry.
        for _ in 0..16 {
            let tmp = dir.join(format!(".{name}.tmp-{}", temp_suffix()));
            match sys::create_excl(&tmp, mode) {
                Ok(file) => return Ok(NewFile { file, tmp, dest: dest.to_path_buf(), done: false }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(source) => return Err(FsioError::Io { path: dest.to_path_buf(), source }),
            }
        }
        let source = last.unwrap_or_else(|| io::ErrorKind::AlreadyExists.into());
        Err(FsioError::Io { path: dest.to_path_buf(), source })
    }

    /// The open temporary file (for streaming writers that need a `File`).
    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Where the bytes are until [`NewFile::persist`].
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }

    /// The name the file will get.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Syncs the data, renames the file onto its name only if that name is still free
    /// ([`FsioError::Exists`] otherwise, leaving the other file untouched) and syncs the
    /// directory. On [`FsioError::SyncDir`] the file is already in place.
    pub fn persist(self) -> Result<(), FsioError> {
        self.finish(false)
    }

    /// Like [`NewFile::persist`], but replaces whatever has the name: only for files
    /// whose job is to be replaced (state files, markers).
    pub fn persist_replacing(self) -> Result<(), FsioError> {
        self.finish(true)
    }

    fn finish(mut self, replace: bool) -> Result<(), FsioError> {
        // Durable before visible: a crash must never leave a name on a half-written file.
        self.file.sync_all().map_err(|source| FsioError::Io { path: self.dest.clone(), source })?;
        if replace {
            std::fs::rename(&self.tmp, &self.dest)
                .map_err(|source| FsioError::Io { path: self.dest.clone(), source })?;
        } else {
            sys::rename_noreplace(&self.tmp, &self.dest, true)?;
        }
        self.done = true;
        crate::sync_dir(&parent_dir(&self.dest))
    }
}

impl Write for NewFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        if !self.done {
            // Best effort: the error being returned already says what went wrong.
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to the new file `path` (see [`NewFile`]): complete or absent, never
/// over an existing file.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), FsioError> {
    let mut f = NewFile::create(path, mode)?;
    f.write_all(bytes).map_err(|source| FsioError::Io { path: f.dest.clone(), source })?;
    f.persist()
}

/// Writes `bytes` to `path` whole, replacing the file there: for state files whose job
/// is to be replaced. A crash leaves the old file or the new one, never a mix.
pub fn write_replace(path: &Path, bytes: &[u8], mode: u32) -> Result<(), FsioError> {
    let mut f = NewFile::create_for(path, mode)?;
    f.write_all(bytes).map_err(|source| FsioError::Io { path: f.dest.clone(), source })?;
    f.persist_replacing()
}

/// Removes the temporary files a killed writer of `dest` left (`.<name>.tmp-*` beside
/// it, regular files only, never through a symlink) and returns how many went. Only for
/// a caller that knows no other writer of `dest` is running, such as one holding the
/// lock of the job `dest` belongs to: a live writer's temporary file would go too.
pub fn remove_stale_temps(dest: &Path) -> Result<usize, FsioError> {
    let dir = crate::parent_dir(dest);
    let Some(name) = dest.file_name().map(|n| n.to_string_lossy().into_owned()) else { return Ok(0) };
    let prefix = format!(".{name}.tmp-");
    let io = |source| FsioError::Io { path: dir.clone(), source };
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io(e)),
    };
    let mut removed = 0;
    for e in entries {
        let e = e.map_err(io)?;
        let is_temp = e.file_name().to_str().is_some_and(|n| n.starts_with(&prefix));
        if is_temp && e.file_type().map_err(io)?.is_file() {
            std::fs::remove_file(e.path()).map_err(io)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// 12 hex digits: a name nobody else picks, even when the random source fails (then a
/// clash is only a retry, so the clock and process id are enough).
fn temp_suffix() -> String {
    let mut b = [0u8; 6];
    if crate::fill_random(&mut b).is_err() {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let mix = (nanos as u64) ^ (u64::from(std::process::id()) << 32);
        b.copy_from_slice(&mix.to_le_bytes()[..6]);
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn writes_the_bytes_and_leaves_no_temporary_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.json");
        write_new(&p, b"hello", 0o600).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        assert_eq!(names(d.path()), ["a.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn mode_is_applied() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("secret");
        write_new(&p, b"k", 0o600).unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn never_replaces_an_existing_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.json");
        std::fs::write(&p, b"first").unwrap();
        assert!(matches!(write_new(&p, b"second", 0o600), Err(FsioError::Exists { .. })));
        assert_eq!(std::fs::read(&p).unwrap(), b"first");
        assert_eq!(names(d.path()), ["a.json"]);
    }

    #[test]
    fn a_name_taken_while_writing_is_not_replaced() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.json");
        let mut f = NewFile::create(&p, 0o600).unwrap();
        f.write_all(b"late").unwrap();
        std::fs::write(&p, b"racer").unwrap();
        assert!(matches!(f.persist(), Err(FsioError::Exists { .. })));
        assert_eq!(std::fs::read(&p).unwrap(), b"racer");
        assert_eq!(names(d.path()), ["a.json"], "the temporary file is removed");
    }

    #[test]
    fn a_dropped_file_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("payload.age");
        {
            let mut f = NewFile::create(&p, 0o644).unwrap();
            f.write_all(b"partial").unwrap();
            assert!(f.temp_path().exists());
        }
        assert!(names(d.path()).is_empty());
    }

    #[test]
    fn an_error_leaves_no_temporary_file() {
        let d = tempfile::tempdir().unwrap();
        // The destination's directory does not exist: creating the temporary file fails.
        let p = d.path().join("missing").join("a.json");
        assert!(matches!(write_new(&p, b"x", 0o600), Err(FsioError::Io { .. })));
        // The destination is a directory: the rename fails after the temporary file
        // was written, and it is removed.
        let taken = d.path().join("dir");
        std::fs::create_dir(&taken).unwrap();
        assert!(write_replace(&taken, b"x", 0o600).is_err());
        assert_eq!(names(d.path()), ["dir"]);
    }

    #[test]
    fn replace_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("state.json");
        write_replace(&p, b"one", 0o600).unwrap();
        write_replace(&p, b"two", 0o600).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(names(d.path()), ["state.json"]);
    }

    #[test]
    fn rename_noreplace_refuses_a_taken_name() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        std::fs::write(&a, b"a").unwrap();
        std::fs::write(&b, b"b").unwrap();
        assert!(matches!(crate::rename_noreplace(&a, &b), Err(FsioError::Exists { .. })));
        assert_eq!(std::fs::read(&b).unwrap(), b"b");
        std::fs::remove_file(&b).unwrap();
        crate::rename_noreplace(&a, &b).unwrap();
        assert_eq!(std::fs::read(&b).unwrap(), b"a");
    }

    #[cfg(unix)]
    #[test]
    fn stale_temps_of_one_file_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("wipe-1.json");
        let left = NewFile::create(&dest, 0o600).unwrap();
        let tmp = left.temp_path().to_path_buf();
        std::mem::forget(left); // as if the writer had been killed
        std::fs::write(dir.path().join(".wipe-2.json.tmp-aaaa"), b"another file's").unwrap();
        std::fs::write(dir.path().join("wipe-1.json.tmp-bbbb"), b"not hidden: not ours").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join(".wipe-1.json.tmp-cccc")).unwrap();
        assert_eq!(remove_stale_temps(&dest).unwrap(), 1);
        assert!(!tmp.exists());
        let mut names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, [".wipe-1.json.tmp-cccc", ".wipe-2.json.tmp-aaaa", "wipe-1.json.tmp-bbbb"]);
        assert_eq!(remove_stale_temps(&dir.path().join("missing/x")).unwrap(), 0);
    }
}
