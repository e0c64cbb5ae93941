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
    /// `part` says which file of the home, for people; `what` is the parser's or
    /// check's own words, for support (`--json` only).
    #[error("the custody home at {path} is damaged: {what}")]
    HomeDamaged { path: PathBuf, part: HomeDamage, what: String },
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
    /// Checked before a wipe touches anything: the ledger could not take the `erased`
    /// entry (typically a torn last line after a crash mid-append).
    #[error("the ledger {path} cannot record an erasure: {source}")]
    LedgerCannotRecord { path: PathBuf, source: custody_ledger::VerifyError },
    /// Another run of the same erasure job (same targets) is in progress.
    #[error("another custody wipe of the same targets is running (lock {path})")]
    WipeInProgress { path: PathBuf },
    /// `--record FILE` names an existing file that is not an earlier record of the same job.
    #[error("{path} already exists; the erasure record never replaces a file")]
    RecordExists { path: PathBuf },
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
    /// A file named by the person or found on the media that is not a small regular
    /// file (a FIFO, a device, a symlink, or larger than its bound).
    #[error("{path}: {problem}")]
    InputFile { path: PathBuf, problem: custody_seal::FileProblem },
    /// The key passphrase file can be read by other users (as ssh refuses such keys).
    #[error("the key passphrase file {path} can be read by others (mode {mode:o})")]
    KeyPassphraseFileExposed { path: PathBuf, mode: u32 },
    /// `seal` was asked to seal a folder that holds the custody home.
    #[error("the source {src} contains the custody home {home}")]
    SourceContainsHome { src: PathBuf, home: PathBuf },
    /// The folder the notice is to be written into does not exist.
    #[error("the folder {path} for the password notice does not exist")]
    NoticeFolderMissing { path: PathBuf },
    /// The notice's folder exists but this user cannot create files in it.
    #[error("the folder {path} for the password notice cannot be written")]
    NoticeFolderNotWritable { path: PathBuf },
    /// `seal --to` names something that is not an existing folder.
    #[error("the media folder {path} does not exist or is not a folder")]
    MediaNotAFolder { path: PathBuf },
    /// `seal --to` names a folder this user cannot create files in.
    #[error("the media folder {path} cannot be written")]
    MediaNotWritable { path: PathBuf },
    /// `open --dest` would write plaintext onto removable media, the medium holding the
    /// payload, or the payload's own folder.
    #[error("{dest} is on the media ({why})")]
    DestOnMedia { dest: PathBuf, why: DestProblem },
    /// A trusted key was given but the label has no signature beside it.
    #[error("the label {label} has no signature {sig}")]
    LabelUnsigned { label: PathBuf, sig: PathBuf },
    /// A trusted key was given but there is no label beside the payload.
    #[error("there is no label beside {payload}")]
    LabelMissing { payload: PathBuf },
    /// The label's signature is not by any trusted key, or does not verify.
    #[error("the label signature {sig} does not verify with a trusted key: {detail}")]
    LabelSignatureInvalid { sig: PathBuf, detail: String },
    /// The label names another sealer than the key that signed it.
    #[error("the label says it was sealed by {sealed_by} but is signed by {signer}")]
    LabelSignerMismatch { sealed_by: String, signer: String },
    #[error("{path} is not a regular file")]
    NotAFile { path: PathBuf },
    #[error("{path} is larger than {max} bytes")]
    FileTooLarge { path: PathBuf, max: u64 },
    #[error("{path} is not a valid checkpoint: {source}")]
    CheckpointInvalid { path: PathBuf, source: custody_ledger::LedgerError },
    #[error("the checkpoint {path} is not signed by the key trusted for {origin}")]
    CheckpointUntrusted { path: PathBuf, origin: String },
    #[error("no key is trusted for {origin} yet: give the contractor's public key with --trust")]
    WitnessNoTrust { origin: String },
    #[error("{origin} is pinned to key {pinned}, not to the key given ({given})")]
    WitnessKeyMismatch { origin: String, pinned: String, given: String },
    #[error("the checkpoint says {checkpoint_size} entries with root {checkpoint_root}, the ledger has {ledger_size} with root {ledger_root}")]
    CheckpointMismatch { checkpoint_size: u64, checkpoint_root: String, ledger_size: u64, ledger_root: String },
    #[error("the checkpoint is inconsistent with the one held for {}", .0.origin)]
    CheckpointInconsistent(Box<crate::checkpoint::Inconsistency>),
    #[error("entry {seq} is not in a ledger of {size} entries")]
    EntryNotFound { seq: u64, size: u64 },
    #[error("{path} is not an erasure record this version reads")]
    RecordUnreadable { path: PathBuf },
    #[error("the erasure record {path} is not in this home's ledger")]
    RecordNotInLedger { path: PathBuf },
    #[error("{path} already exists")]
    CertificateExists { path: PathBuf },
    #[error("{path} could not be read: {reason}")]
    VerifyInputUnreadable { path: PathBuf, reason: Unreadable },
}

/// Which part of the custody home is damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeDamage {
    /// `person.json` cannot be read or written.
    Person,
    /// `identity.key` and `identity.pub` are different keys.
    KeyPair,
    /// `folder.key` is not a key.
    FolderKey,
    /// A coverage file (what an open delivered, for the certificate) is not valid.
    Coverage,
    /// A payload reference kept for an erasure is not valid.
    PayloadReference,
    /// The record or payload list of an interrupted erasure is not valid.
    InterruptedErasure,
    /// The key pinned for a contractor's ledger is not a public key.
    PinnedKey,
    /// The checkpoint kept for a contractor's ledger does not verify.
    KeptCheckpoint,
    /// The certificates this home issued (their chain) are not valid.
    CertificateChain,
}

impl HomeDamage {
    /// A stable kebab-case name (`--json`, message ids).
    pub fn as_str(self) -> &'static str {
        match self {
            HomeDamage::Person => "person",
            HomeDamage::KeyPair => "key-pair",
            HomeDamage::FolderKey => "folder-key",
            HomeDamage::Coverage => "coverage",
            HomeDamage::PayloadReference => "payload-reference",
            HomeDamage::InterruptedErasure => "interrupted-erasure",
            HomeDamage::PinnedKey => "pinned-key",
            HomeDamage::KeptCheckpoint => "kept-checkpoint",
            HomeDamage::CertificateChain => "certificate-chain",
        }
    }
}

/// Why `open --dest` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestProblem {
    /// The destination is inside the folder that holds the payload.
    PayloadFolder,
    /// The destination is on the same medium as the payload (a USB stick).
    PayloadMedium,
    /// The destination is on a removable device.
    Removable,
}

impl std::fmt::Display for DestProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DestProblem::PayloadFolder => "inside the payload's folder",
            DestProblem::PayloadMedium => "on the medium that holds the payload",
            DestProblem::Removable => "on a removable medium",
        })
    }
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

/// Every file the lifecycle writes goes through `custody_fsio`; its failures reach the
/// person as the same I/O error as before, `AlreadyExists` for a taken name.
impl From<custody_fsio::FsioError> for Error {
    fn from(e: custody_fsio::FsioError) -> Error {
        let path = e.path().map(PathBuf::from).unwrap_or_default();
        Error::Io { path, source: e.into() }
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}
