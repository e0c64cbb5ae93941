//! The erasure record: what was done to each item, and how sure we are.
//! Field by field in docs/erasure-record.md.

use std::path::Path;

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;

use crate::{Caveat, FsInfo, Method, Pass, VerifyMode, WipeError};

/// Value of the `format` field.
pub const RECORD_FORMAT: &str = "custody-erasure-record/2";

/// The per-run key of the path HMACs. Not stored in the record: with it, anyone could
/// confirm a guessed file name (山田太郎_申請書.pdf) against the record.
pub struct PathKey(SecretBox<[u8; 32]>);

impl std::fmt::Debug for PathKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PathKey([redacted])")
    }
}

impl Clone for PathKey {
    fn clone(&self) -> Self {
        PathKey::from_bytes(*self.0.expose_secret())
    }
}

impl PathKey {
    pub(crate) fn generate() -> Result<Self, WipeError> {
        let mut b = [0u8; 32];
        custody_fsio::fill_random(&mut b).map_err(|e| WipeError::Random(e.to_string()))?;
        Ok(Self::from_bytes(b))
    }

    /// Rebuild a key the caller kept (e.g. to prove later that a path is in a record).
    pub fn from_bytes(b: [u8; 32]) -> Self {
        PathKey(SecretBox::new(Box::new(b)))
    }

    /// The raw key, for a caller that decides to keep it somewhere safe.
    pub fn expose_bytes(&self) -> &[u8; 32] {
        self.0.expose_secret()
    }

    /// Lower-case hex HMAC-SHA-256 of the path's bytes, as stored in `path_hmac`.
    pub fn hash_path(&self, path: &Path) -> String {
        use std::os::unix::ffi::OsStrExt;
        // HMAC accepts keys of any length; new_from_slice cannot fail for it.
        let mut m = match <Hmac<Sha256> as Mac>::new_from_slice(self.0.expose_secret()) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC takes any key length"),
        };
        m.update(path.as_os_str().as_bytes());
        hex::encode(m.finalize().into_bytes())
    }
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    File,
    Directory,
    Symlink,
    /// FIFO, socket or device node inside a tree: only the name is removed.
    Special,
    /// A whole block device or image file.
    Device,
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemResult {
    /// Overwritten (and verified unless verification was off), then removed.
    Erased,
    /// A directory, symlink or special file: removed (there were no contents to overwrite).
    Removed,
    /// Whole media overwritten (and verified unless verification was off); nothing removed.
    Overwritten,
    /// Something went wrong: see `problem`. The item may still exist.
    Failed,
    /// The run stopped before reaching this item.
    #[serde(alias = "not_attempted")]
    NotAttempted,
}

/// Why an item failed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    #[serde(alias = "permission_denied")]
    PermissionDenied,
    /// Gone between planning and wiping.
    Vanished,
    /// Size, inode or modification time differ from the plan, or changed while wiping.
    #[serde(alias = "changed_during_wipe")]
    ChangedDuringWipe,
    #[serde(alias = "read_only_filesystem")]
    ReadOnlyFilesystem,
    /// Other names outside the wiped tree point to the same data: left untouched,
    /// the data is still reachable through them.
    #[serde(alias = "hard_linked")]
    HardLinked { links: u64 },
    /// A directory that still holds entries (failed or skipped children).
    #[serde(alias = "not_empty")]
    NotEmpty,
    /// The read-back differs from what the last pass wrote.
    #[serde(alias = "verify_mismatch")]
    VerifyMismatch { offset: u64 },
    /// Another filesystem is mounted here; it was not entered.
    #[serde(alias = "mount_point")]
    MountPoint,
    /// The run was cancelled in the middle of this item's overwrite: partly
    /// overwritten, not erased. Running the same wipe again completes it.
    Interrupted,
    /// The file grew while it was being erased: the bytes beyond the planned length
    /// were not overwritten, so it was left in place.
    Grew { planned: u64, now: u64 },
    /// An earlier, interrupted run had begun erasing the file at this path, and a
    /// different file (another inode, or another size) stands there now: the earlier
    /// file is gone under this name without its erasure being completed.
    #[serde(alias = "replaced_between_runs")]
    ReplacedBetweenRuns,
    /// Any other I/O error, with the step that failed.
    Io { step: String, error: String },
}

/// How far the record vouches for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assurance {
    /// Not erased.
    None,
    /// Overwritten but not read back.
    Unverified,
    /// Overwritten and verified through the filesystem, but the filesystem or medium
    /// may keep old copies elsewhere (see `caveats`): not a NIST Clear.
    #[serde(alias = "not_assured")]
    NotAssured,
    /// Removed; the item had no contents of its own (directory, symlink).
    #[serde(alias = "name_only")]
    NameOnly,
    /// Overwritten in place and read back from the device: NIST SP 800-88 Clear.
    Clear,
    /// An age payload whose passphrase notice the caller declared destroyed or
    /// returned: the ciphertext left anywhere is unreadable (NIST Purge by
    /// cryptographic erase), on top of the overwrite.
    #[serde(alias = "cryptographic_erase")]
    CryptographicErase,
}

/// Where an item's original name may still be found on the medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameResidue {
    /// The name was replaced in place by a random one of the same length before unlinking,
    /// and the filesystem is not known to keep copies.
    Scrubbed,
    /// Renamed and unlinked, but the filesystem may keep the original name (journal,
    /// copy-on-write, freed directory slots): see `caveats`.
    #[serde(alias = "may_remain")]
    MayRemain,
    /// The name was not touched (item failed or not attempted).
    Untouched,
    /// Whole media: there is no name.
    #[serde(alias = "not_applicable")]
    NotApplicable,
}

/// Read-back of one item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemVerification {
    pub mode: VerifyMode,
    /// `o_direct`, or `drop_cache` where O_DIRECT is not supported (FUSE) and the
    /// read came after fsync and posix_fadvise(DONTNEED).
    pub read: String,
    pub bytes_read: u64,
    pub passed: bool,
    /// Whether the filesystem read back sits on a block device, so that the read could
    /// reach the medium at all. False on tmpfs (which accepts O_DIRECT but is memory),
    /// network and FUSE filesystems whose backing the kernel cannot see.
    #[serde(default)]
    pub block_device: bool,
}

/// How an earlier, interrupted run of the same job bears on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResumeKind {
    /// The earlier run began this item's erasure; this run completed it, after
    /// matching device, inode and size (and, unless the overwrite had begun, that
    /// nothing was written to it since its content hash was taken).
    Continued,
    /// The earlier run had begun on a different file at this path: this one was
    /// treated as new (hashed, overwritten, verified from the start).
    Replaced,
}

/// See [`ItemRecord::resumed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Resumed {
    pub kind: ResumeKind,
    /// Bytes this run wrote to the item over all passes (0 when the earlier run had
    /// already overwritten and verified it).
    pub bytes_written_by_this_run: u64,
}

/// One wiped path or device.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemRecord {
    /// HMAC-SHA-256 of the absolute path's bytes under the run's [`PathKey`], hex.
    pub path_hmac: String,
    pub kind: ItemKind,
    pub size: u64,
    /// Bytes written by each pass (the allocated size, rounded to whole blocks).
    pub overwritten_bytes: u64,
    /// SHA-256 of the contents before overwriting, hex.
    pub content_sha256: Option<String>,
    pub result: ItemResult,
    pub problem: Option<Problem>,
    pub verification: Option<ItemVerification>,
    pub assurance: Assurance,
    pub names: NameResidue,
    /// What the filesystem or medium means for this item.
    pub caveats: Vec<Caveat>,
    /// True when the data can still be reached through another name (hard link) or was
    /// not removed.
    pub still_reachable: bool,
    /// Set when an earlier, interrupted run of the same job had begun on this path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resumed: Option<Resumed>,
}

/// The run's overall result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    #[serde(alias = "all_erased")]
    AllErased,
    #[serde(alias = "some_failed")]
    SomeFailed,
    Interrupted,
}

/// Make, model and serial of a wiped device, from sysfs where it has them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceInfo {
    /// `block_device` or `image_file`.
    pub kind: String,
    pub size: u64,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    /// `usb`, `ata`, `nvme`, `mmc`, `virtio`, `loop`… from the sysfs device path.
    pub bus: Option<String>,
    pub rotational: Option<bool>,
    pub logical_block_size: Option<u64>,
    /// Sampled verification: how many ranges and bytes were read.
    pub sample_ranges: Option<u64>,
    pub sample_bytes: Option<u64>,
}

/// Tool name and version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// The record of one run (or of a run completed by re-runs from its journal).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ErasureRecord {
    pub format: String,
    pub tool: Tool,
    pub operator: String,
    pub host: String,
    /// RFC 3339, UTC.
    pub started: String,
    pub finished: String,
    pub method: Method,
    pub passes: Vec<Pass>,
    pub verification: VerifyMode,
    /// Always `HMAC-SHA-256`; the key is not in the record.
    pub path_hash: String,
    /// The caller declared the payload's passphrase notice destroyed or returned.
    pub notice_destroyed: bool,
    pub filesystems: Vec<FsInfo>,
    pub device: Option<DeviceInfo>,
    pub items: Vec<ItemRecord>,
    /// Set when the run was cancelled before every item was handled.
    pub interrupted: bool,
    /// Set when an error stopped the run after it had begun destroying (the journal
    /// could not be written, no randomness): what was done so far is recorded, and
    /// `interrupted` is set too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<String>,
    #[serde(skip)]
    pub(crate) path_key: Option<PathKey>,
}

impl ErasureRecord {
    /// AllErased only when every item was erased or removed and nothing was cut short.
    pub fn outcome(&self) -> Outcome {
        if self.interrupted || self.items.iter().any(|i| i.result == ItemResult::NotAttempted) {
            Outcome::Interrupted
        } else if self
            .items
            .iter()
            .any(|i| i.result == ItemResult::Failed || (i.verification.as_ref().is_some_and(|v| !v.passed)))
        {
            Outcome::SomeFailed
        } else {
            Outcome::AllErased
        }
    }

    /// The key of `path_hmac` for this run, if the caller wants to keep it.
    pub fn path_key(&self) -> Option<&PathKey> {
        self.path_key.as_ref()
    }

    /// Attach the path key kept beside a record read back with [`ErasureRecord::from_json`].
    pub fn set_path_key(&mut self, key: PathKey) {
        self.path_key = Some(key);
    }

    /// Parse a record written by [`ErasureRecord::to_json`].
    pub fn from_json(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// Pretty JSON, UTF-8, trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        // Serializing plain structs with string keys cannot fail.
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

pub(crate) fn tool() -> Tool {
    Tool { name: "custody-wipe".into(), version: env!("CARGO_PKG_VERSION").into() }
}

/// RFC 3339 UTC timestamp with seconds, from the system clock.
pub(crate) fn now_rfc3339() -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    rfc3339(secs)
}

pub(crate) fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_known_values() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_585_699_200), "2020-04-01T00:00:00Z");
    }

    #[test]
    fn path_hmac_is_keyed() {
        let a = PathKey::from_bytes([1; 32]);
        let b = PathKey::from_bytes([2; 32]);
        let p = Path::new("/w/山田太郎_申請書.pdf");
        assert_eq!(a.hash_path(p), a.hash_path(p));
        assert_ne!(a.hash_path(p), b.hash_path(p));
        assert_eq!(a.hash_path(p).len(), 64);
        assert_eq!(format!("{a:?}"), "PathKey([redacted])");
    }

    /// One spelling per value: the record says `not-assured` as the ledger and
    /// `--json` do, and a record written before that (snake_case) still reads.
    #[test]
    fn values_are_kebab_case_and_old_snake_case_records_still_read() {
        let item = ItemRecord {
            path_hmac: "00".into(),
            kind: ItemKind::File,
            size: 1,
            overwritten_bytes: 4096,
            content_sha256: None,
            result: ItemResult::NotAttempted,
            problem: Some(Problem::ReplacedBetweenRuns),
            verification: None,
            assurance: Assurance::NotAssured,
            names: NameResidue::MayRemain,
            caveats: vec![Caveat::CopyOnWrite, Caveat::JournalMayKeepNames],
            still_reachable: true,
            resumed: None,
        };
        let text = serde_json::to_string(&item).unwrap();
        for kebab in ["not-attempted", "replaced-between-runs", "not-assured", "may-remain", "copy-on-write"] {
            assert!(text.contains(&format!("\"{kebab}\"")), "{kebab} in {text}");
        }
        assert!(!text.contains("not_assured") && !text.contains("copy_on_write"), "{text}");
        let old = text
            .replace("not-attempted", "not_attempted")
            .replace("replaced-between-runs", "replaced_between_runs")
            .replace("not-assured", "not_assured")
            .replace("may-remain", "may_remain")
            .replace("copy-on-write", "copy_on_write")
            .replace("journal-may-keep-names", "journal_may_keep_names");
        assert_eq!(serde_json::from_str::<ItemRecord>(&old).unwrap(), item);
        assert_eq!(serde_json::to_string(&Outcome::AllErased).unwrap(), "\"all-erased\"");
        assert_eq!(serde_json::from_str::<Outcome>("\"some_failed\"").unwrap(), Outcome::SomeFailed);
    }
}
