//! The one error type of this crate.

use std::path::PathBuf;

/// Why a path or device is not wiped at all.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RefuseReason {
    /// The filesystem root.
    Root,
    /// The user's home directory, or a directory that contains it.
    #[serde(alias = "home_directory")]
    HomeDirectory,
    /// A system directory (`/usr`, `/etc`, …), something inside one, or a directory that contains one.
    #[serde(alias = "system_directory")]
    SystemDirectory,
    /// The tool's own home (keys, ledger), or a directory that contains it.
    #[serde(alias = "tool_home")]
    ToolHome,
    /// Another process holds a file of the tree open for writing.
    #[serde(alias = "open_for_writing")]
    OpenForWriting { pid: u32, process: String },
    /// The device, one of its partitions, or a holder of it is mounted or in use.
    #[serde(alias = "mounted_device")]
    MountedDevice,
    /// The device holds the running system's root filesystem.
    #[serde(alias = "system_disk")]
    SystemDisk,
    /// The path does not exist.
    #[serde(alias = "not_found")]
    NotFound,
    /// A path given for a tree wipe is not a regular file, directory or symlink,
    /// or a path given for a device wipe is neither a block device nor a regular file.
    #[serde(alias = "unsupported_type")]
    UnsupportedType,
    /// A path given twice, or one given path lies inside another.
    Overlapping,
}

impl std::fmt::Display for RefuseReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefuseReason::Root => f.write_str("it is the filesystem root"),
            RefuseReason::HomeDirectory => f.write_str("it is or contains the home directory"),
            RefuseReason::SystemDirectory => f.write_str("it is, contains or lies in a system directory"),
            RefuseReason::ToolHome => f.write_str("it is or contains the tool's own home"),
            RefuseReason::OpenForWriting { pid, process } => {
                write!(f, "process {pid} ({process}) has a file in it open for writing")
            }
            RefuseReason::MountedDevice => f.write_str("the device or one of its partitions is mounted or in use"),
            RefuseReason::SystemDisk => f.write_str("the device holds the running system"),
            RefuseReason::NotFound => f.write_str("it does not exist"),
            RefuseReason::UnsupportedType => f.write_str("its file type cannot be wiped this way"),
            RefuseReason::Overlapping => f.write_str("it is given twice or lies inside another given path"),
        }
    }
}

/// Whole-run failures. Problems with single items never appear here: they are
/// recorded in the [`crate::ErasureRecord`] and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum WipeError {
    #[error("refusing to wipe {path}: {reason}")]
    Refused { path: PathBuf, reason: RefuseReason },
    #[error("cannot inspect {path}: {source}")]
    Inspect { path: PathBuf, source: std::io::Error },
    #[error("cannot read the mount table {path}: {source}")]
    MountTable { path: PathBuf, source: std::io::Error },
    #[error("cannot write the journal {path}: {source}")]
    JournalWrite { path: PathBuf, source: std::io::Error },
    #[error("journal {path} line {line} is damaged: {detail}")]
    JournalDamaged { path: PathBuf, line: usize, detail: String },
    #[error("journal {path} belongs to a run with a different method or verification")]
    JournalMismatch { path: PathBuf },
    #[error("device {path}: {source}")]
    Device { path: PathBuf, source: std::io::Error },
    #[error("the system random source failed: {0}")]
    Random(String),
    #[error("unknown method {name:?} (expected zero, random, nist-clear, dod-3 or vsitr)")]
    UnknownMethod { name: String },
    /// The caller's [`crate::Gate`] refused before the first destructive step: nothing
    /// was overwritten or removed, and a journal this run created is gone again.
    #[error("stopped before anything was touched: the caller withdrew permission")]
    GateClosed,
    #[error("unknown verification mode {name:?} (expected full, sample or none)")]
    UnknownVerifyMode { name: String },
}
