//! The library errors that `errors.rs` used to pass on as "unexpected error": keys,
//! ledger, notice, and the rarer seal, open and wipe failures. Each gets its own code,
//! message and next step; `internal` stays for defects. The test at the bottom lists
//! every variant of every library error type and fails on one that is not mapped.

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

pub fn keys(e: &KeyError, out: &Output) -> Rendered {
    match e {
        KeyError::WrongPassphrase => r(out, "wrong-key-passphrase", Exit::Passphrase, &[]),
        KeyError::Malformed { what } => r(out, "key-malformed", Exit::Integrity, &[("what", s(what))]),
        KeyError::UnsupportedAlgorithm { field, found } => {
            r(out, "key-algorithm", Exit::Integrity, &[("field", s(field)), ("found", s(found))])
        }
        KeyError::NotEncrypted => r(out, "key-not-encrypted", Exit::Integrity, &[]),
        KeyError::KdfTooExpensive { .. } => r(out, "key-kdf-too-expensive", Exit::Integrity, &[]),
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
        E::TornTail { path, line, problem, .. } => r(
            out,
            "ledger-torn-tail",
            Exit::Integrity,
            &[("path", p(path)), ("line", s(line)), ("detail", s(problem_text(out, problem)))],
        ),
        E::BadKind { kind } => r(out, "ledger-bad-entry", Exit::Internal, &[("detail", s(kind))]),
        E::BadNumber { pointer } => r(out, "ledger-bad-entry", Exit::Internal, &[("detail", s(pointer))]),
        E::Serialise => r(out, "ledger-bad-entry", Exit::Internal, &[("detail", s(""))]),
        E::LineTooLong { len, max } => r(out, "ledger-line-too-long", Exit::InputRefused, &[("len", s(len)), ("max", s(max))]),
        E::TimeWentBackwards { previous, time } => {
            r(out, "ledger-clock", Exit::Integrity, &[("previous", s(previous)), ("time", s(time))])
        }
        E::ShortWrite { path, .. } => r(out, "ledger-short-write", Exit::Io, &[("path", p(path))]),
        E::ProofIndex { index, size } => r(out, "proof-index", Exit::InputRefused, &[("index", s(index)), ("size", s(size))]),
        E::ProofSizes { old, new } => r(out, "proof-sizes", Exit::InputRefused, &[("old", s(old)), ("new", s(new))]),
        E::MalformedCheckpoint { .. } => r(out, "checkpoint-malformed", Exit::Integrity, &[]),
        E::MalformedNote { .. } => r(out, "note-malformed", Exit::Integrity, &[]),
        E::MalformedVerifierKey { .. } => r(out, "verifier-key-malformed", Exit::InputRefused, &[]),
        E::BadNoteSignature { name } => r(out, "note-bad-signature", Exit::Integrity, &[("name", s(name))]),
        E::NoteNotVerified => r(out, "note-not-verified", Exit::Integrity, &[]),
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
        other => return other.to_string(),
    };
    out.ta(id, &[("key", s(arg.unwrap_or_default()))])
}

pub fn notice(e: &NoticeError, out: &Output) -> Rendered {
    use NoticeError as N;
    match e {
        N::UnsupportedExtension { path } => r(out, "notice-format", Exit::InputRefused, &[("path", p(path))]),
        N::AlreadyExists { path } => r(out, "notice-exists", Exit::InputRefused, &[("path", p(path))]),
        N::Io { path, source } => crate::errors::io(out, path, source),
        N::InvalidField { field } => r(out, "notice-field", Exit::InputRefused, &[("field", s(field))]),
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
        SealError::Output { source } => r(out, "payload-write", Exit::Io, &[("detail", crate::errors::io_detail(out, source))]),
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
