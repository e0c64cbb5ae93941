//! The library errors that `errors.rs` used to pass on as "unexpected error": keys,
//! ledger, notice, and the rarer seal, open and wipe failures. Each gets its own code,
//! message and next step; `internal` stays for defects. The test at the bottom lists
//! every variant of every library error type and fails on one that is not mapped.

use custody_fsio::FsioError;
use custody_keys::KeyError;
use custody_ledger::{LedgerError, Problem};
use custody_notice::NoticeError;
use custody_seal::{OpenError, SealError};
use custody_wipe::WipeError;
use fluent_bundle::FluentValue;

use crate::errors::{r, Rendered};
use crate::exit::Exit;
use crate::output::Output;

fn s(v: impl ToString) -> FluentValue<'static> {
    FluentValue::from(v.to_string())
}

fn p(path: &std::path::Path) -> FluentValue<'static> {
    FluentValue::from(path.display().to_string())
}

fn unmapped(out: &Output, e: &dyn std::fmt::Display) -> Rendered {
    r(out, "internal", Exit::Internal, &[("detail", s(e))])
}

/// A write through `custody_fsio`: the same words as any other file error, a taken
/// name as "already exists", a failing random source as in a seal.
pub fn fsio(e: &FsioError, out: &Output) -> Rendered {
    match e {
        FsioError::Exists { path } => crate::errors::io(out, path, &std::io::ErrorKind::AlreadyExists.into()),
        FsioError::Io { path, source } => crate::errors::io(out, path, source),
        FsioError::SyncDir { dir, source } => crate::errors::io(out, dir, source),
        FsioError::Random(_) => r(out, "random-unavailable", Exit::Internal, &[]),
        other => unmapped(out, other),
    }
}

pub fn keys(e: &KeyError, out: &Output) -> Rendered {
    match e {
        KeyError::WrongPassphrase => r(out, "wrong-key-passphrase", Exit::Passphrase, &[]),
        KeyError::Malformed { what } => r(out, "key-malformed", Exit::Integrity, &[("what", s(what))]),
        KeyError::UnsupportedAlgorithm { field, found } => {
            r(out, "key-algorithm", Exit::Integrity, &[("field", s(field)), ("found", s(found))])
        }
        KeyError::NotEncrypted => r(out, "key-not-encrypted", Exit::Integrity, &[]),
        KeyError::KdfTooExpensive { .. } => r(out, "key-kdf-too-expensive", Exit::Integrity, &[]),
        KeyError::KdfTooWeak { log_n, min_log_n, .. } => {
            r(out, "key-kdf", Exit::Home, &[("found", s(log_n)), ("min", s(min_log_n))])
        }
        KeyError::KeyIdMismatch { expected, found } => {
            r(out, "key-id-mismatch", Exit::Integrity, &[("expected", s(expected)), ("found", s(found))])
        }
        KeyError::BadSignature => r(out, "bad-signature", Exit::Integrity, &[]),
        KeyError::BadComment { max, .. } => r(out, "bad-comment", Exit::InputRefused, &[("max", s(max))]),
        KeyError::Io(source) => r(out, "key-io", Exit::Io, &[("detail", crate::errors::io_detail(out, source))]),
        other => unmapped(out, other),
    }
}

pub fn ledger(e: &LedgerError, out: &Output) -> Rendered {
    use LedgerError as E;
    match e {
        E::Io { path, source } => crate::errors::io(out, path, source),
        E::AlreadyExists { path } => r(out, "ledger-exists", Exit::Home, &[("path", p(path))]),
        E::NotAFile { path } => r(out, "ledger-not-a-file", Exit::Home, &[("path", p(path))]),
        // Data damage found before an append: exit 14, each with its own next step.
        E::TornTail { path, line, .. } => {
            r(out, "ledger-torn", Exit::LedgerDamaged, &[("path", p(path)), ("line", s(line))])
        }
        E::TailRefused { path, line, problem } => r(
            out,
            "ledger-tail-refused",
            Exit::LedgerDamaged,
            &[("path", p(path)), ("line", s(line)), ("detail", s(problem_text(out, problem)))],
        ),
        E::PrefixChanged { path, .. } => r(out, "ledger-prefix-changed", Exit::LedgerDamaged, &[("path", p(path))]),
        E::TailInFuture { path, tail_time, time } => r(
            out,
            "ledger-time-future",
            Exit::LedgerDamaged,
            &[("path", p(path)), ("tail", s(crate::output::esc(&tail_time.to_string()))), ("now", s(time))],
        ),
        E::SeqLimit { path, max } => r(out, "ledger-full", Exit::LedgerDamaged, &[("path", p(path)), ("max", s(max))]),
        E::BadKind { kind } => r(out, "ledger-bad-entry", Exit::Internal, &[("detail", s(kind))]),
        E::BadNumber { pointer } => r(out, "ledger-bad-entry", Exit::Internal, &[("detail", s(pointer))]),
        E::Serialise => r(out, "ledger-bad-entry", Exit::Internal, &[("detail", s(""))]),
        E::LineTooLong { len, max } => {
            r(out, "ledger-line-too-long", Exit::InputRefused, &[("len", s(len)), ("max", s(max))])
        }
        E::TimeWentBackwards { previous, time } => {
            r(out, "ledger-time-backwards", Exit::LedgerDamaged, &[("tail", s(previous)), ("now", s(time))])
        }
        E::ShortWrite { path, .. } => r(out, "ledger-short-write", Exit::Io, &[("path", p(path))]),
        E::ProofIndex { index, size } => {
            r(out, "proof-index", Exit::InputRefused, &[("index", s(index)), ("size", s(size))])
        }
        E::ProofSizes { old, new } => r(out, "proof-sizes", Exit::InputRefused, &[("old", s(old)), ("new", s(new))]),
        E::MalformedCheckpoint { .. } => r(out, "checkpoint-malformed", Exit::Integrity, &[]),
        E::MalformedNote { .. } => r(out, "note-malformed", Exit::Integrity, &[]),
        E::MalformedVerifierKey { .. } => r(out, "verifier-key-malformed", Exit::InputRefused, &[]),
        E::BadNoteSignature { name } => r(out, "note-bad-signature", Exit::Integrity, &[("name", s(name))]),
        E::NoteNotVerified => r(out, "note-not-verified", Exit::Integrity, &[]),
        E::MalformedProof { .. } => r(out, "proof-malformed", Exit::Integrity, &[]),
        E::BadBody { kind, .. } => r(out, "ledger-bad-body", Exit::Internal, &[("kind", s(kind))]),
        E::NotOwner { signer, owner } => {
            r(out, "ledger-owner", Exit::Integrity, &[("path", s("-")), ("expected", s(owner)), ("found", s(signer))])
        }
        other => unmapped(out, other),
    }
}

/// Why a ledger line failed verification, in the user's language.
pub fn problem_text(out: &Output, problem: &Problem) -> String {
    use Problem as P;
    let (id, arg) = match problem {
        P::TornLine => ("ledger-problem-torn-line", None),
        P::LineTooLong => ("ledger-problem-line-too-long", None),
        P::NotUtf8 => ("ledger-problem-not-utf8", None),
        P::NotJson => ("ledger-problem-not-json", None),
        P::NotAnObject => ("ledger-problem-not-an-object", None),
        P::DuplicateKey(k) => ("ledger-problem-duplicate-key", Some(k.clone())),
        P::NotCanonical => ("ledger-problem-not-canonical", None),
        P::MissingKey(k) => ("ledger-problem-missing-key", Some(k.clone())),
        P::UnexpectedKey(k) => ("ledger-problem-unexpected-key", Some(k.clone())),
        P::BadNumber(k) => ("ledger-problem-bad-number", Some(k.clone())),
        P::BadVersion => ("ledger-problem-bad-version", None),
        P::BadField(k) => ("ledger-problem-bad-field", Some(k.to_string())),
        P::BadKind => ("ledger-problem-bad-kind", None),
        P::SeqMismatch { expected, found } => {
            return out.ta("ledger-problem-seq", &[("expected", s(expected)), ("found", s(found))])
        }
        P::PrevMismatch => ("ledger-problem-prev", None),
        P::BadTime => ("ledger-problem-bad-time", None),
        P::TimeWentBackwards => ("ledger-problem-time-backwards", None),
        P::UnknownActor(k) => ("ledger-problem-unknown-actor", Some(k.to_string())),
        P::BadSignature => ("ledger-problem-bad-signature", None),
        P::Io(detail) => ("ledger-problem-io", Some(detail.clone())),
        P::BadBody(bp) => ("ledger-problem-bad-body", Some(body_problem_kind(bp).to_owned())),
        other => return other.to_string(),
    };
    out.ta(id, &[("key", s(arg.unwrap_or_default()))])
}

/// The entry kind a refused body was of.
fn body_problem_kind(bp: &custody_ledger::events::BodyProblem) -> &'static str {
    use custody_ledger::events::BodyProblem as B;
    match bp {
        B::Version { kind, .. } | B::Fields { kind, .. } | B::NotCanonical { kind } => kind,
    }
}

pub fn notice(e: &NoticeError, out: &Output) -> Rendered {
    use NoticeError as N;
    match e {
        N::UnsupportedExtension { path } => r(out, "notice-format", Exit::InputRefused, &[("path", p(path))]),
        N::AlreadyExists { path } => r(out, "notice-exists", Exit::InputRefused, &[("path", p(path))]),
        N::Io { path, source } => crate::errors::io(out, path, source),
        N::InvalidField { field } => {
            let mut rendered =
                r(out, "notice-field", Exit::InputRefused, &[("field", s(crate::words::field(out, field)))]);
            rendered.detail = Some(serde_json::json!({ "field": field }));
            rendered
        }
        N::InvalidNoticeId => r(out, "notice-id", Exit::InputRefused, &[]),
        N::TooLarge { limit, .. } => r(out, "notice-too-large", Exit::InputRefused, &[("limit", s(limit))]),
        N::NotANotice => r(out, "notice-not-a-notice", Exit::InputRefused, &[]),
        N::MissingLine { label } => r(out, "notice-missing-line", Exit::InputRefused, &[("label", s(label))]),
        N::DuplicateLine { label, line } => {
            r(out, "notice-duplicate-line", Exit::InputRefused, &[("label", s(label)), ("line", s(line))])
        }
        N::InvalidValue { label, line } => {
            r(out, "notice-invalid-value", Exit::InputRefused, &[("label", s(label)), ("line", s(line))])
        }
        N::Passphrase { line, source } => {
            let detail = crate::errors::passphrase_problem(out, source);
            r(out, "notice-passphrase", Exit::Passphrase, &[("line", s(line)), ("detail", s(detail))])
        }
        N::PassphraseMismatch { line } => r(out, "notice-passphrase-mismatch", Exit::Passphrase, &[("line", s(line))]),
    }
}

/// Seal failures that `errors.rs` does not name itself.
pub fn seal(e: &SealError, out: &Output) -> Rendered {
    match e {
        SealError::Output { source } => {
            r(out, "payload-write", Exit::Io, &[("detail", crate::errors::io_detail(out, source))])
        }
        other => unmapped(out, other),
    }
}

/// Open failures that `errors.rs` does not name itself.
pub fn open(e: &OpenError, out: &Output) -> Rendered {
    match e {
        OpenError::MalformedArchive { .. } => r(out, "archive-malformed", Exit::Integrity, &[]),
        OpenError::ManifestMissing => r(out, "manifest-missing", Exit::Integrity, &[]),
        OpenError::ManifestInvalid { .. } => r(out, "manifest-invalid", Exit::Integrity, &[]),
        other => unmapped(out, other),
    }
}

/// Wipe failures that `errors.rs` does not name itself.
pub fn wipe(e: &WipeError, out: &Output) -> Rendered {
    match e {
        WipeError::JournalDamaged { path, line, .. } => {
            r(out, "journal-damaged", Exit::Integrity, &[("path", p(path)), ("line", s(line))])
        }
        WipeError::JournalMismatch { path } => r(out, "journal-mismatch", Exit::Usage, &[("path", p(path))]),
        WipeError::Random(_) => r(out, "random-unavailable", Exit::Internal, &[]),
        WipeError::GateClosed => r(out, "wipe-gate-closed", Exit::Declined, &[]),
        WipeError::UnknownVerifyMode { name } => r(out, "bad-verify-mode", Exit::Usage, &[("given", s(name))]),
        other => unmapped(out, other),
    }
}

#[cfg(test)]
mod tests {
    //! The error-mapping test. For each library error type: the variants its source
    //! declares (read from the file, so a variant added anywhere is seen) must each
    //! have a sample below, and each sample must render to its own code (never
    //! `internal` or a generic `*-failed`), with a message and a next step in Japanese
    //! and English that do not fall back to the library's English text.
    //!
    //! Adding a variant: add one sample to the list of its type, map it in
    //! `errors.rs` or here, and give it `err-<code>` with `.hint` in both languages.

    use std::io;
    use std::path::PathBuf;

    use custody_fsio::FsioError;
    use custody_keys::{KeyError, KeyId};
    use custody_l10n::{Lang, Localizer};
    use custody_ledger::{LedgerError, Problem, VerifyError};
    use custody_lifecycle::Error as L;
    use custody_notice::{NoticeError, PassphraseError};
    use custody_seal::{LabelProblem, MismatchKind, OpenError, SealError, UnsafeReason};
    use custody_wipe::{RefuseReason, WipeError};

    use crate::errors::{render, CliError};
    use crate::output::Output;

    fn path() -> PathBuf {
        PathBuf::from("/media/usb/20260401-ABCDEFGH.age")
    }

    fn io_err() -> io::Error {
        io::Error::from_raw_os_error(5)
    }

    fn key_errors() -> Vec<KeyError> {
        let id = KeyId([1, 2, 3, 4, 5, 6, 7, 8]);
        vec![
            KeyError::WrongPassphrase,
            KeyError::Malformed { what: "base64" },
            KeyError::UnsupportedAlgorithm { field: "signature", found: "ED".into() },
            KeyError::NotEncrypted,
            KeyError::KdfTooExpensive { log_n: 30, r: 8, p: 1, max_log_n: 20, max_mem: 1 << 30, max_p: 1 },
            KeyError::KeyIdMismatch { expected: id, found: KeyId([8; 8]) },
            KeyError::BadSignature,
            KeyError::BadComment { which: "trusted", max: 1024 },
            KeyError::Io(io_err()),
            KeyError::KdfTooWeak { log_n: 10, r: 8, min_log_n: 14, min_mem: 16 << 20 },
        ]
    }

    fn ledger_errors() -> Vec<LedgerError> {
        vec![
            LedgerError::Io { path: path(), source: io_err() },
            LedgerError::AlreadyExists { path: path() },
            LedgerError::NotAFile { path: path() },
            LedgerError::TornTail { path: path(), line: 3, offset: 900, problem: Problem::TornLine },
            LedgerError::BadKind { kind: "Bad Kind".into() },
            LedgerError::BadNumber { pointer: "/body/n".into() },
            LedgerError::LineTooLong { len: 70000, max: 65536 },
            LedgerError::TimeWentBackwards {
                previous: "2026-04-01T10:00:00+09:00".into(),
                time: "2026-03-01T10:00:00+09:00".into(),
            },
            LedgerError::ShortWrite { path: path(), written: 3, expected: 10 },
            LedgerError::ProofIndex { index: 9, size: 3 },
            LedgerError::ProofSizes { old: 9, new: 3 },
            LedgerError::Serialise,
            LedgerError::MalformedCheckpoint { what: "origin" },
            LedgerError::MalformedNote { what: "signature line" },
            LedgerError::MalformedVerifierKey { what: "name" },
            LedgerError::BadNoteSignature { name: "ward".into() },
            LedgerError::NoteNotVerified,
            LedgerError::TailRefused { path: path(), line: 3, problem: Problem::BadSignature },
            LedgerError::PrefixChanged { path: path(), verified: 900, size: 10 },
            LedgerError::TailInFuture {
                path: path(),
                tail_time: "2099-01-01T00:00:00+09:00".into(),
                time: "2026-12-01T09:00:00+09:00".into(),
            },
            LedgerError::SeqLimit { path: path(), max: (1 << 53) - 1 },
            LedgerError::NotOwner { signer: KeyId([1; 8]), owner: KeyId([2; 8]) },
            LedgerError::MalformedProof { what: "hash count" },
            LedgerError::BadBody {
                kind: "opened",
                problem: custody_ledger::events::BodyProblem::NotCanonical { kind: "opened" },
            },
        ]
    }

    fn ledger_problems() -> Vec<Problem> {
        vec![
            Problem::TornLine,
            Problem::LineTooLong,
            Problem::NotUtf8,
            Problem::NotJson,
            Problem::NotAnObject,
            Problem::DuplicateKey("v".into()),
            Problem::NotCanonical,
            Problem::MissingKey("sig".into()),
            Problem::UnexpectedKey("extra".into()),
            Problem::BadNumber("/body/n".into()),
            Problem::BadVersion,
            Problem::BadField("prev"),
            Problem::BadKind,
            Problem::SeqMismatch { expected: 2, found: 3 },
            Problem::PrevMismatch,
            Problem::BadTime,
            Problem::TimeWentBackwards,
            Problem::UnknownActor(KeyId([7; 8])),
            Problem::BadSignature,
            Problem::Io("Input/output error".into()),
            Problem::BadBody(custody_ledger::events::BodyProblem::Version { kind: "sealed", found: 2 }),
        ]
    }

    fn fsio_errors() -> Vec<FsioError> {
        vec![
            FsioError::Exists { path: path() },
            FsioError::Io { path: path(), source: io_err() },
            FsioError::SyncDir { dir: path(), source: io_err() },
            FsioError::Random(io_err()),
        ]
    }

    fn notice_errors() -> Vec<NoticeError> {
        vec![
            NoticeError::UnsupportedExtension { path: path() },
            NoticeError::AlreadyExists { path: path() },
            NoticeError::Io { path: path(), source: io_err() },
            NoticeError::InvalidField { field: "fingerprint" },
            NoticeError::InvalidNoticeId,
            NoticeError::TooLarge { bytes: 1 << 20, limit: 65536 },
            NoticeError::NotANotice,
            NoticeError::MissingLine { label: "パスワード" },
            NoticeError::DuplicateLine { label: "パスワード", line: 9 },
            NoticeError::InvalidValue { label: "暗号化データID", line: 4 },
            NoticeError::Passphrase { line: 7, source: PassphraseError::TypoInGroup { group: 2 } },
            NoticeError::PassphraseMismatch { line: 8 },
        ]
    }

    fn passphrase_errors() -> Vec<PassphraseError> {
        vec![
            PassphraseError::TypoInGroup { group: 2 },
            PassphraseError::WrongLength { symbols: 19 },
            PassphraseError::InvalidCharacter { position: 4 },
            PassphraseError::RandomnessUnavailable,
        ]
    }

    fn seal_errors() -> Vec<SealError> {
        vec![
            SealError::SourceNotADirectory { path: path() },
            SealError::Refused {
                offenders: vec![custody_seal::Offender { path: path(), reason: custody_seal::OffenderReason::Symlink }],
            },
            SealError::SourceChanged { path: path() },
            SealError::SourceInsideMedia { src: path(), media: path() },
            SealError::NoRoom { needed: 10 << 20, available: 1 << 20 },
            SealError::TooLargeForFat { needed: 5 << 30, fs_type: "vfat".into() },
            SealError::AlreadyExists { path: path() },
            SealError::InvalidCategory { category: "\u{7}".into() },
            SealError::InvalidLabelField { field: "recipient" },
            SealError::LabelInvalid { path: path(), reason: LabelProblem::NotCanonical },
            SealError::Output { source: io_err() },
            SealError::Io { path: path(), source: io_err() },
        ]
    }

    fn open_errors() -> Vec<OpenError> {
        vec![
            OpenError::WrongPassphrase,
            OpenError::WorkFactorTooHigh { required: 30, max: 22 },
            OpenError::NotAnAgeFile,
            OpenError::NotPassphraseEncrypted,
            OpenError::Truncated,
            OpenError::Corrupted { reason: "header MAC".into() },
            OpenError::MalformedArchive { reason: "tar checksum".into() },
            OpenError::UnsafeEntry { entry: "../x".into(), reason: UnsafeReason::Symlink },
            OpenError::ManifestMissing,
            OpenError::ManifestInvalid { reason: "duplicate key".into() },
            OpenError::ManifestMismatch { path: "a.txt".into(), what: MismatchKind::Sha256 },
            OpenError::LabelMismatch { field: "ciphertext_sha256" },
            OpenError::DestNotEmpty { dest: path() },
            OpenError::HeaderTooLarge { max: 8192 },
            OpenError::Interrupted,
            OpenError::Io { path: path(), source: io_err() },
        ]
    }

    fn wipe_errors() -> Vec<WipeError> {
        vec![
            WipeError::Refused { path: path(), reason: RefuseReason::MountedDevice },
            WipeError::Inspect { path: path(), source: io_err() },
            WipeError::MountTable { path: path(), source: io_err() },
            WipeError::JournalWrite { path: path(), source: io_err() },
            WipeError::JournalDamaged { path: path(), line: 4, detail: "not JSON".into() },
            WipeError::JournalMismatch { path: path() },
            WipeError::Device { path: path(), source: io_err() },
            WipeError::Random("getrandom failed".into()),
            WipeError::UnknownMethod { name: "shred".into() },
            WipeError::GateClosed,
            WipeError::UnknownVerifyMode { name: "most".into() },
        ]
    }

    /// The lifecycle's own variants; those that wrap a library error are covered by
    /// that library's list (one sample each, below, to see the wrapping is mapped).
    fn lifecycle_errors() -> Vec<L> {
        vec![
            L::NotInitialised { path: path() },
            L::AlreadyInitialised { path: path() },
            L::NoHomeDirectory,
            L::HomeDamaged { path: path(), part: custody_lifecycle::HomeDamage::Person, what: "expected value".into() },
            L::WrongKeyPassphrase,
            L::NoticeOnMedia { notice: path(), media: path() },
            L::NoticeExists { path: path() },
            L::NoticeFormat { path: path() },
            L::Keys(KeyError::BadSignature),
            L::Ledger(LedgerError::NoteNotVerified),
            L::LedgerInvalid { path: path(), source: VerifyError { line: 2, problem: Problem::PrevMismatch } },
            L::LedgerOwnerMismatch { path: path(), expected: "A".into(), found: "B".into() },
            L::Seal(SealError::NoRoom { needed: 2, available: 1 }),
            L::Open(OpenError::Truncated),
            L::Notice(NoticeError::NotANotice),
            L::Passphrase(PassphraseError::WrongLength { symbols: 3 }),
            L::Wipe(WipeError::GateClosed),
            L::Io { path: path(), source: io_err() },
            L::LedgerCannotRecord { path: path(), source: VerifyError { line: 5, problem: Problem::TornLine } },
            L::RecordExists { path: path() },
            L::WipeInProgress { path: path() },
            L::InputFile { path: path(), problem: custody_seal::FileProblem::TooLarge { max: 65536 } },
            L::KeyPassphraseFileExposed { path: path(), mode: 0o644 },
            L::SourceContainsHome { src: path(), home: path() },
            L::NoticeFolderMissing { path: path() },
            L::NoticeFolderNotWritable { path: path() },
            L::MediaNotAFolder { path: path() },
            L::MediaNotWritable { path: path() },
            L::DestOnMedia { dest: path(), why: custody_lifecycle::DestProblem::PayloadMedium },
            L::LabelUnsigned { label: path(), sig: path() },
            L::LabelMissing { payload: path() },
            L::LabelSignatureInvalid { sig: path(), detail: "untrusted key".into() },
            L::LabelSignerMismatch { sealed_by: "A".into(), signer: "B".into() },
            L::NotAFile { path: path() },
            L::FileTooLarge { path: path(), max: 65536 },
            L::CheckpointInvalid { path: path(), source: LedgerError::MalformedNote { what: "signature line" } },
            L::CheckpointUntrusted { path: path(), origin: "custody/ledger/0102030405060708".into() },
            L::WitnessNoTrust { origin: "custody/ledger/0102030405060708".into() },
            L::WitnessKeyMismatch {
                origin: "custody/ledger/0102030405060708".into(),
                pinned: "0102030405060708".into(),
                given: "0807060504030201".into(),
            },
            L::CheckpointMismatch {
                checkpoint_size: 4,
                checkpoint_root: "aa".into(),
                ledger_size: 5,
                ledger_root: "bb".into(),
            },
            L::CheckpointInconsistent(Box::new(custody_lifecycle::Inconsistency {
                origin: "custody/ledger/0102030405060708".into(),
                stored: "stored".into(),
                submitted: "submitted".into(),
                stored_size: 5,
                stored_root: custody_ledger::Hash([1; 32]),
                submitted_size: 4,
                submitted_root: custody_ledger::Hash([2; 32]),
                smaller: true,
                proof: None,
            })),
            L::EntryNotFound { seq: 9, size: 3 },
            L::RecordUnreadable { path: path() },
            L::RecordNotInLedger { path: path() },
            L::CertificateExists { path: path() },
            L::VerifyInputUnreadable { path: path(), reason: custody_lifecycle::Unreadable::Label },
        ]
    }

    /// The variant names an enum declares in its source file.
    fn declared(src: &str, name: &str) -> Vec<String> {
        let start = src.find(&format!("pub enum {name} {{")).unwrap_or_else(|| panic!("enum {name} not found"));
        let body = &src[start + src[start..].find('{').unwrap() + 1..];
        let (mut out, mut depth) = (vec![], 0i32);
        for line in body.lines() {
            let t = line.trim();
            if depth == 0 {
                if t.starts_with('}') {
                    break;
                }
                let ident: String = t.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !t.starts_with('#') && ident.starts_with(|c: char| c.is_ascii_uppercase()) {
                    out.push(ident);
                }
            }
            for c in t.chars() {
                match c {
                    '{' | '(' | '[' => depth += 1,
                    '}' | ')' | ']' => depth -= 1,
                    _ => {}
                }
            }
        }
        out
    }

    fn variant(e: &impl std::fmt::Debug) -> String {
        format!("{e:?}").chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
    }

    #[track_caller]
    fn assert_covered<E: std::fmt::Debug>(src: &str, name: &str, samples: &[E]) {
        let have: Vec<String> = samples.iter().map(variant).collect();
        let declared = declared(src, name);
        // The scan itself must see every variant sampled, or it would pass on nothing.
        let unseen: Vec<&String> = have.iter().filter(|v| !declared.contains(v)).collect();
        assert!(unseen.is_empty(), "the source scan of {name} missed {unseen:?} (declared: {declared:?})");
        let missing: Vec<String> = declared.into_iter().filter(|v| !have.contains(v)).collect();
        assert!(
            missing.is_empty(),
            "{name} has variants without a sample in cli/src/liberrors.rs tests: {missing:?}. Add a sample, map it to its own code, and give err-<code> (+ .hint) in ja and en."
        );
    }

    #[test]
    fn every_library_error_variant_has_a_sample() {
        let keys = include_str!("../../crates/custody-keys/src/error.rs");
        let ledger = include_str!("../../crates/custody-ledger/src/error.rs");
        let verify = include_str!("../../crates/custody-ledger/src/verify.rs");
        let notice = include_str!("../../crates/custody-notice/src/error.rs");
        let seal = include_str!("../../crates/custody-seal/src/error.rs");
        let wipe = include_str!("../../crates/custody-wipe/src/error.rs");
        let lifecycle = include_str!("../../crates/custody-lifecycle/src/error.rs");
        let fsio = include_str!("../../crates/custody-fsio/src/error.rs");
        assert_covered(fsio, "FsioError", &fsio_errors());
        assert_covered(keys, "KeyError", &key_errors());
        assert_covered(ledger, "LedgerError", &ledger_errors());
        assert_covered(verify, "Problem", &ledger_problems());
        assert_covered(notice, "NoticeError", &notice_errors());
        assert_covered(notice, "PassphraseError", &passphrase_errors());
        assert_covered(seal, "SealError", &seal_errors());
        assert_covered(seal, "OpenError", &open_errors());
        assert_covered(wipe, "WipeError", &wipe_errors());
        assert_covered(lifecycle, "Error", &lifecycle_errors());
    }

    #[test]
    fn every_library_error_has_its_own_code_message_and_next_step() {
        let mut all: Vec<(String, L)> = vec![];
        all.extend(key_errors().into_iter().map(|e| (format!("KeyError::{}", variant(&e)), L::Keys(e))));
        all.extend(ledger_errors().into_iter().map(|e| (format!("LedgerError::{}", variant(&e)), L::Ledger(e))));
        all.extend(notice_errors().into_iter().map(|e| (format!("NoticeError::{}", variant(&e)), L::Notice(e))));
        all.extend(
            passphrase_errors().into_iter().map(|e| (format!("PassphraseError::{}", variant(&e)), L::Passphrase(e))),
        );
        all.extend(seal_errors().into_iter().map(|e| (format!("SealError::{}", variant(&e)), L::Seal(e))));
        all.extend(open_errors().into_iter().map(|e| (format!("OpenError::{}", variant(&e)), L::Open(e))));
        all.extend(wipe_errors().into_iter().map(|e| (format!("WipeError::{}", variant(&e)), L::Wipe(e))));
        all.extend(lifecycle_errors().into_iter().map(|e| (format!("Error::{}", variant(&e)), e)));
        let mut all: Vec<(String, CliError)> = all.into_iter().map(|(n, e)| (n, CliError::Lifecycle(e))).collect();
        all.extend(fsio_errors().into_iter().map(|e| (format!("FsioError::{}", variant(&e)), CliError::File(e))));
        let mut problems = vec![];
        for (name, e) in all {
            let english = match &e {
                CliError::Lifecycle(l) => l.to_string(),
                other => other.to_string(),
            };
            for lang in [Lang::Ja, Lang::En] {
                let out = Output::new(Localizer::new(lang), false, false);
                let r = render(&e, &out);
                if r.code == "internal" || r.code.ends_with("-failed") {
                    problems.push(format!("{name}: mapped to the generic `{}`", r.code));
                }
                if !out.l.has(&format!("err-{}", r.code)) {
                    problems.push(format!("{name}: no message err-{} in {lang:?}", r.code));
                }
                if r.hint.is_none() {
                    problems.push(format!("{name}: err-{} has no .hint (what to do next) in {lang:?}", r.code));
                }
                if lang == Lang::Ja && r.message.contains(&english) {
                    problems.push(format!("{name}: the library's English text inside Japanese: {}", r.message));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_ledger_problem_is_said_in_japanese() {
        let out = Output::new(Localizer::new(Lang::Ja), false, false);
        for p in ledger_problems() {
            let text = super::problem_text(&out, &p);
            assert_ne!(text, p.to_string(), "{p:?} falls back to English");
            assert!(!text.starts_with("ledger-problem-"), "{p:?}: missing message {text}");
        }
    }
}
