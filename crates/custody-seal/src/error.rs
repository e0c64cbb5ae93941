//! The crate's errors: [`SealError`] for scanning, sealing and labels, [`OpenError`] for
//! opening a payload. Neither ever carries a passphrase.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::names::PathProblem;

/// One entry of the source that cannot go into a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offender {
    /// The path as found on disk.
    pub path: PathBuf,
    /// Why it is refused.
    pub reason: OffenderReason,
}

/// Why a source entry is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffenderReason {
    /// A symbolic link: never followed, never stored.
    Symlink,
    /// A device, FIFO or socket.
    SpecialFile,
    /// The file or directory could not be opened for reading.
    Unreadable,
    /// The name is not valid UTF-8.
    NotUtf8Name,
    /// The name cannot be stored on the recipient's filesystems.
    ForbiddenName(PathProblem),
    /// `MANIFEST.json` at the top level (any case): that name is the payload's own
    /// manifest.
    ReservedName,
    /// Another entry has the same path once upper/lower case are ignored (they would
    /// overwrite each other on Windows or macOS).
    CaseFoldDuplicate,
}

impl fmt::Display for OffenderReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OffenderReason::Symlink => f.write_str("symbolic link"),
            OffenderReason::SpecialFile => f.write_str("device, FIFO or socket"),
            OffenderReason::Unreadable => f.write_str("cannot be read"),
            OffenderReason::NotUtf8Name => f.write_str("name is not UTF-8"),
            OffenderReason::ForbiddenName(p) => write!(f, "name not allowed: {p}"),
            OffenderReason::ReservedName => f.write_str("reserved name MANIFEST.json"),
            OffenderReason::CaseFoldDuplicate => f.write_str("differs from another name only in case"),
        }
    }
}

/// Errors from [`scan`](crate::scan), [`seal`](crate::seal),
/// [`seal_to_media`](crate::seal_to_media) and [`Label`](crate::Label).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// The source to seal is not a directory (or is a symlink to one).
    #[error("{path} is not a directory")]
    SourceNotADirectory { path: PathBuf },
    /// Entries of the source cannot be sealed; every one found is listed.
    #[error("{} entries cannot be sealed (first: {})", offenders.len(), first_offender(offenders))]
    Refused { offenders: Vec<Offender> },
    /// A file's size or type changed between the scan and the seal.
    #[error("{path} changed while it was being sealed")]
    SourceChanged { path: PathBuf },
    /// The source and the media folder overlap: the payload would seal itself.
    #[error("the source {src} and the media folder {media} overlap")]
    SourceInsideMedia { src: PathBuf, media: PathBuf },
    /// The media has less free space than the payload needs.
    #[error("not enough room on the media: {needed} bytes needed, {available} available")]
    NoRoom { needed: u64, available: u64 },
    /// The media is FAT, which cannot hold a file of 4 GiB or more.
    #[error("the payload would be {needed} bytes but {fs_type} media hold at most 4 GiB - 1 per file")]
    TooLargeForFat { needed: u64, fs_type: String },
    /// The payload or label file already exists on the media.
    #[error("{path} already exists")]
    AlreadyExists { path: PathBuf },
    /// A declared data category is empty or has control characters.
    #[error("invalid data category {category:?}")]
    InvalidCategory { category: String },
    /// A label field given by the caller is empty, too long or has control characters.
    #[error("invalid label field {field}")]
    InvalidLabelField { field: &'static str },
    /// A label file is not a valid label.
    #[error("{path} is not a valid label: {reason}")]
    LabelInvalid { path: PathBuf, reason: crate::LabelProblem },
    /// Writing the encrypted stream failed (the writer given to [`seal`](crate::seal)).
    #[error("writing the payload failed: {source}")]
    Output {
        #[source]
        source: io::Error,
    },
    /// Reading, writing or syncing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn first_offender(offenders: &[Offender]) -> String {
    offenders.first().map(|o| format!("{}: {}", o.path.display(), o.reason)).unwrap_or_default()
}

impl SealError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> SealError {
        let path = path.into();
        move |source| SealError::Io { path, source }
    }
}

/// Why an archive entry is refused when opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsafeReason {
    /// The path is not a safe relative path.
    Path(PathProblem),
    /// A symbolic link.
    Symlink,
    /// A hard link.
    HardLink,
    /// A character or block device.
    Device,
    /// A FIFO.
    Fifo,
    /// Any other tar entry type (the type flag byte).
    OtherType(u8),
    /// The same path appears twice.
    Duplicate,
    /// Differs from an earlier entry only in case.
    CaseFoldDuplicate,
    /// The parent directory was not an earlier directory entry.
    ParentNotDeclared,
    /// A PAX extended header with a key other than `path` or `size`, a global header,
    /// or a PAX size that disagrees with the tar header.
    PaxExtension(String),
    /// Both a GNU long name and a PAX path for one entry (header smuggling).
    LongNameAndPax,
    /// A GNU long name or PAX header larger than the bound.
    ExtensionTooLarge,
    /// A directory entry carrying data.
    DirectoryWithData,
    /// An entry after `MANIFEST.json`, or `MANIFEST.json` not at the top level.
    AfterManifest,
    /// A tar header that is neither ustar nor GNU.
    UnknownHeaderFormat,
}

impl fmt::Display for UnsafeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnsafeReason::Path(p) => write!(f, "unsafe path: {p}"),
            UnsafeReason::Symlink => f.write_str("symbolic link"),
            UnsafeReason::HardLink => f.write_str("hard link"),
            UnsafeReason::Device => f.write_str("device"),
            UnsafeReason::Fifo => f.write_str("FIFO"),
            UnsafeReason::OtherType(t) => write!(f, "unsupported entry type {:?}", char::from(*t)),
            UnsafeReason::Duplicate => f.write_str("duplicate entry"),
            UnsafeReason::CaseFoldDuplicate => f.write_str("duplicate entry ignoring case"),
            UnsafeReason::ParentNotDeclared => f.write_str("parent directory not declared"),
            UnsafeReason::PaxExtension(k) => write!(f, "PAX extension not allowed: {k}"),
            UnsafeReason::LongNameAndPax => f.write_str("GNU long name combined with PAX path"),
            UnsafeReason::ExtensionTooLarge => f.write_str("extension header too large"),
            UnsafeReason::DirectoryWithData => f.write_str("directory entry with data"),
            UnsafeReason::AfterManifest => f.write_str("entry after the manifest"),
            UnsafeReason::UnknownHeaderFormat => f.write_str("unknown tar header format"),
        }
    }
}

/// What differs between the manifest and the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MismatchKind {
    /// The manifest lists it; the archive does not hold it.
    MissingFromArchive,
    /// The archive holds it; the manifest does not list it.
    MissingFromManifest,
    /// Sizes differ.
    Size,
    /// SHA-256 digests differ.
    Sha256,
}

impl fmt::Display for MismatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MismatchKind::MissingFromArchive => "listed in the manifest but not in the archive",
            MismatchKind::MissingFromManifest => "in the archive but not in the manifest",
            MismatchKind::Size => "size differs from the manifest",
            MismatchKind::Sha256 => "SHA-256 differs from the manifest",
        })
    }
}

/// Errors from [`open`](crate::open). On any of them the destination is untouched and the
/// staging directory removed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The passphrase does not decrypt the payload.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The payload's scrypt work factor exceeds what we accept (22, as Go age).
    #[error("scrypt work factor {required} exceeds the maximum {max}")]
    WorkFactorTooHigh { required: u8, max: u8 },
    /// Not an age v1 file (or an armored one, which payloads never are).
    #[error("not an age file")]
    NotAnAgeFile,
    /// An age file for public-key recipients, not a passphrase.
    #[error("the age file is not encrypted with a passphrase")]
    NotPassphraseEncrypted,
    /// The file ends before the age stream's last chunk.
    #[error("the payload is truncated")]
    Truncated,
    /// The age header or an encrypted chunk failed authentication or is malformed.
    #[error("the payload is corrupted: {reason}")]
    Corrupted { reason: String },
    /// Authenticated plaintext that is not a well-formed tar stream.
    #[error("the archive inside the payload is malformed: {reason}")]
    MalformedArchive { reason: String },
    /// An archive entry that must not be extracted.
    #[error("unsafe archive entry {entry:?}: {reason}")]
    UnsafeEntry { entry: String, reason: UnsafeReason },
    /// The archive ended without `MANIFEST.json`.
    #[error("the payload has no MANIFEST.json")]
    ManifestMissing,
    /// `MANIFEST.json` is not a canonical, valid manifest.
    #[error("MANIFEST.json is invalid: {reason}")]
    ManifestInvalid { reason: String },
    /// A file differs from the manifest.
    #[error("{path}: {what}")]
    ManifestMismatch { path: String, what: MismatchKind },
    /// The payload differs from its label.
    #[error("the payload does not match its label: {field} differs")]
    LabelMismatch { field: &'static str },
    /// The age header is longer than the bound (our own are about 130 bytes).
    #[error("the age header is longer than {max} bytes")]
    HeaderTooLarge { max: usize },
    /// A signal asked the open to stop; the staging directory was removed.
    #[error("interrupted")]
    Interrupted,
    /// The destination exists and is not an empty directory.
    #[error("{dest} exists and is not an empty directory")]
    DestNotEmpty { dest: PathBuf },
    /// Reading the payload or writing the staging directory failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl OpenError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> OpenError {
        let path = path.into();
        move |source| OpenError::Io { path, source }
    }
}
