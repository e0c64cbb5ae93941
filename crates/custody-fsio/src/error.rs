use std::path::PathBuf;

/// What went wrong while writing a file or drawing random bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FsioError {
    /// The name is taken: nothing was written over it.
    #[error("{path}: already exists")]
    Exists {
        /// The name asked for.
        path: PathBuf,
    },
    /// Creating, writing, syncing or renaming failed; the temporary file is gone and
    /// nothing is at `path`.
    #[error("{path}: {source}")]
    Io {
        /// The file being written.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is in place under its name, but syncing its directory failed, so the
    /// name may not survive a power loss.
    #[error("{dir}: {source}")]
    SyncDir {
        /// The directory that could not be synced.
        dir: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The operating system's random source failed.
    #[error("random source: {0}")]
    Random(std::io::Error),
}

impl FsioError {
    /// The path the error is about.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            FsioError::Exists { path } | FsioError::Io { path, .. } => Some(path),
            FsioError::SyncDir { dir, .. } => Some(dir),
            FsioError::Random(_) => None,
        }
    }
}

/// For callers whose own error carries an `io::Error`: the kind says what happened
/// (`AlreadyExists` for [`FsioError::Exists`]).
impl From<FsioError> for std::io::Error {
    fn from(e: FsioError) -> std::io::Error {
        match e {
            FsioError::Exists { .. } => std::io::ErrorKind::AlreadyExists.into(),
            FsioError::Io { source, .. } | FsioError::SyncDir { source, .. } => source,
            FsioError::Random(r) => r,
        }
    }
}
