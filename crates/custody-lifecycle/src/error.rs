use std::path::PathBuf;

/// Everything that can go wrong in a lifecycle step. Format errors are carried as
/// they are, so the CLI can say exactly what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no custody home at {path}: run `custody init` first")]
    NotInitialised { path: PathBuf },
    #[error("a custody home already exists at {path}")]
    AlreadyInitialised { path: PathBuf },
    #[error("no place for the custody home: set CUSTODY_HOME or pass --home")]
    NoHomeDirectory,
    #[error("the custody home at {path} is damaged: {what}")]
    HomeDamaged { path: PathBuf, what: String },
    #[error("the key passphrase is wrong")]
    WrongKeyPassphrase,
    #[error("the password notice {notice} would be written onto the media {media}")]
    NoticeOnMedia { notice: PathBuf, media: PathBuf },
    #[error("the password notice {path} already exists")]
    NoticeExists { path: PathBuf },
    #[error("the notice file {path} must end in .html or .txt")]
    NoticeFormat { path: PathBuf },
    #[error(transparent)]
    Keys(#[from] custody_keys::KeyError),
    #[error(transparent)]
    Ledger(#[from] custody_ledger::LedgerError),
    #[error("the ledger {path} does not verify: {source}")]
    LedgerInvalid { path: PathBuf, source: custody_ledger::VerifyError },
    #[error("the ledger {path} was written by key {found}, not by the key given ({expected})")]
    LedgerOwnerMismatch { path: PathBuf, expected: String, found: String },
    #[error(transparent)]
    Seal(#[from] custody_seal::SealError),
    #[error(transparent)]
    Open(#[from] custody_seal::OpenError),
    #[error(transparent)]
    Notice(#[from] custody_notice::NoticeError),
    #[error(transparent)]
    Passphrase(#[from] custody_notice::PassphraseError),
    #[error(transparent)]
    Wipe(#[from] custody_wipe::WipeError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not an erasure record this version reads")]
    RecordUnreadable { path: PathBuf },
    #[error("the erasure record {path} is not in this home's ledger")]
    RecordNotInLedger { path: PathBuf },
    #[error("{path} already exists")]
    CertificateExists { path: PathBuf },
    #[error("{path} could not be read: {reason}")]
    VerifyInputUnreadable { path: PathBuf, reason: Unreadable },
}

/// Why an input of `verify` could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum Unreadable {
    #[error(transparent)]
    Io(std::io::Error),
    #[error("not a regular file")]
    NotAFile,
    #[error("larger than {max} bytes")]
    TooLarge { max: u64 },
    #[error(transparent)]
    Certificate(custody_certificate::CertError),
    #[error("not a minisign public key")]
    PublicKey,
    #[error("not a payload manifest")]
    Manifest,
    #[error("not a payload label")]
    Label,
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}
