//! What can go wrong. No variant ever carries passphrase text.

use std::path::PathBuf;

/// A passphrase that could not be read. Positions count symbols (letters and digits,
/// not separators), from 1, so a person can find the place in what they typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PassphraseError {
    /// The group's check symbol does not match: a symbol in this group was mistyped.
    #[error("passphrase group {group} does not match its check symbol (a typo in that group)")]
    TypoInGroup { group: usize },
    /// Neither 24 symbols (with check symbols) nor 20 (canonical form).
    #[error("passphrase has {symbols} symbols; expected 24 (with check symbols) or 20")]
    WrongLength { symbols: usize },
    /// A character that is not a passphrase symbol or separator, or a check-only
    /// symbol (`*~$=U`) where a data symbol belongs.
    #[error("passphrase symbol {position} is not a valid character")]
    InvalidCharacter { position: usize },
    /// The operating system's random source failed.
    #[error("the operating system's random source is unavailable")]
    RandomnessUnavailable,
}

/// A notice that could not be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("{path}: a notice must end in .html, .htm or .txt")]
    UnsupportedExtension { path: PathBuf },
    #[error("{path}: a file already exists there; a notice is never overwritten")]
    AlreadyExists { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// A notice field that would not read back (e.g. a fingerprint not shaped
    /// `XXXX-XXXX-XXXX-XXXX`, or an empty payload id).
    #[error("notice field {field} is empty, too long or malformed")]
    InvalidField { field: &'static str },
    #[error("not a notice id (expected N-YYYYMMDD-XXXXXX)")]
    InvalidNoticeId,
    #[error("the notice text is {bytes} bytes; at most {limit} are read")]
    TooLarge { bytes: usize, limit: usize },
    #[error("line 1 is not the title of a password notice")]
    NotANotice,
    #[error("the notice has no line labelled {label:?}")]
    MissingLine { label: &'static str },
    #[error("line {line}: a second line labelled {label:?}")]
    DuplicateLine { label: &'static str, line: usize },
    #[error("line {line}: the value of {label:?} is malformed")]
    InvalidValue { label: &'static str, line: usize },
    #[error("line {line}: {source}")]
    Passphrase { line: usize, source: PassphraseError },
    #[error("line {line}: the canonical passphrase differs from the typed one")]
    PassphraseMismatch { line: usize },
}
