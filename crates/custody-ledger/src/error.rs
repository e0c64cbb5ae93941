use std::path::PathBuf;

use crate::Problem;

/// Everything that can go wrong creating, opening or appending to a ledger, or
/// building a Merkle proof. Verification reports a [`crate::VerifyError`] instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: a ledger already exists here")]
    AlreadyExists { path: PathBuf },
    #[error("{path}: not a regular file")]
    NotAFile { path: PathBuf },
    /// The last line is incomplete or unreadable; nothing was appended. This is never
    /// repaired automatically: someone has to look at what happened.
    #[error("{path}: the last line (line {line}, byte offset {offset}) is damaged: {problem}; nothing was appended")]
    TornTail { path: PathBuf, line: u64, offset: u64, problem: Problem },
    /// A line the new entry would chain to (or one before it, since the last verified
    /// prefix) is not the owner's: forged, foreign or damaged. Nothing was appended.
    #[error("{path}: line {line} cannot be extended: {problem}; nothing was appended")]
    TailRefused { path: PathBuf, line: u64, problem: Problem },
    /// The ledger is shorter than, or differs within, the prefix verified before.
    #[error("{path}: the ledger changed within the part verified before ({verified} bytes; now {size} bytes)")]
    PrefixChanged { path: PathBuf, verified: u64, size: u64 },
    /// The last entry's time lies more than a day after the new entry's.
    #[error("{path}: the last entry's time {tail_time} is far after now ({time})")]
    TailInFuture { path: PathBuf, tail_time: String, time: String },
    /// The next `seq` would exceed the documented limit.
    #[error("{path}: the ledger is full (seq limit {max})")]
    SeqLimit { path: PathBuf, max: u64 },
    /// [`crate::Ledger::append_as_owner`] was given a signer that is not the owner.
    #[error("key {signer} is not the ledger owner {owner}")]
    NotOwner { signer: custody_keys::KeyId, owner: custody_keys::KeyId },
    #[error("kind {kind:?} must be 1–64 characters of [a-z0-9-]")]
    BadKind { kind: String },
    #[error("body number at {pointer:?} is not an integer within ±(2^53−1)")]
    BadNumber { pointer: String },
    #[error("the entry would be {len} bytes, over the {max}-byte line limit")]
    LineTooLong { len: usize, max: usize },
    #[error("time {time} is more than 300 s before the last entry's {previous}")]
    TimeWentBackwards { previous: String, time: String },
    #[error("{path}: only {written} of {expected} bytes were written")]
    ShortWrite { path: PathBuf, written: usize, expected: usize },
    #[error("leaf index {index} is outside a tree of size {size}")]
    ProofIndex { index: u64, size: u64 },
    #[error("no consistency proof from size {old} to size {new}")]
    ProofSizes { old: u64, new: u64 },
    #[error("could not serialise the entry")]
    Serialise,
    #[error("malformed checkpoint: {what}")]
    MalformedCheckpoint { what: &'static str },
    #[error("malformed signed note: {what}")]
    MalformedNote { what: &'static str },
    #[error("malformed note verifier key: {what}")]
    MalformedVerifierKey { what: &'static str },
    #[error("the note's signature by {name} does not verify")]
    BadNoteSignature { name: String },
    #[error("the note carries no signature by any known key")]
    NoteNotVerified,
    #[error("malformed proof: {what}")]
    MalformedProof { what: &'static str },
    #[error("the {kind} body cannot be written: {problem}")]
    BadBody { kind: &'static str, problem: crate::events::BodyProblem },
}

pub(crate) trait IoContext<T> {
    fn at(self, path: &std::path::Path) -> Result<T, LedgerError>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, path: &std::path::Path) -> Result<T, LedgerError> {
        self.map_err(|source| LedgerError::Io { path: path.to_owned(), source })
    }
}
