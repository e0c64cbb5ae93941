//! Every failure the person can meet, as a stable code, an exit code, a message
//! that says what went wrong and a hint that says what to do next.

use std::path::PathBuf;

use custody_l10n::Args;
use custody_lifecycle::Error as L;
use custody_notice::PassphraseError;
use custody_seal::{MismatchKind, OffenderReason, OpenError, SealError, UnsafeReason};
use custody_wipe::{RefuseReason, WipeError};
use fluent_bundle::FluentValue;
use serde_json::json;

use crate::exit::Exit;
use crate::liberrors;
use crate::output::{esc, Output};

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Lifecycle(#[from] custody_lifecycle::Error),
    #[error("no terminal to ask for the {what} passphrase")]
    NoTerminal { what: &'static str },
    #[error("the two passphrases differ")]
    PassphrasesDiffer,
    #[error("key passphrase too short")]
    KeyPassphraseTooShort,
    #[error("declined")]
    Declined,
    #[error("confirmation needed")]
    ConfirmationNeeded,
    #[error("interrupted")]
    Interrupted,
    #[error("{failed} of {total} items were not erased")]
    WipePartial { failed: u64, total: u64 },
    #[error("unknown method {given}")]
    BadMethod { given: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// A file the CLI writes itself (man pages) through `custody_fsio`.
    #[error(transparent)]
    File(#[from] custody_fsio::FsioError),
    /// `ledger verify` without `--key`: the chain holds, the owner is unconfirmed.
    #[error("the owner of the ledger {path} is unconfirmed")]
    LedgerOwnerUnconfirmed { path: PathBuf, owner: String },
    #[error("{failed} checks failed")]
    NotVerified { failed: u64 },
    #[error("{what} is required")]
    Usage { what: &'static str },
}

impl CliError {
    /// True for outcomes reported after the command printed its result (with the
    /// record of what was done); the JSON result already carries the outcome.
    pub fn result_already_printed(&self) -> bool {
        matches!(
            self,
            CliError::WipePartial { .. }
                | CliError::Interrupted
                | CliError::LedgerOwnerUnconfirmed { .. }
                | CliError::NotVerified { .. }
        )
    }
}

/// A failure made ready to show.
pub struct Rendered {
    pub code: &'static str,
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
    /// Structured evidence for `--json` (a refused checkpoint: both checkpoints and
    /// the proof); the message carries the same for people.
    pub evidence: Option<serde_json::Value>,
    /// The raw identifiers behind the message (a field name, a parser's words), for
    /// `--json` only: people read them in words in the message.
    pub detail: Option<serde_json::Value>,
}

impl Rendered {
    pub fn print(&self, out: &Output) {
        if out.json {
            let mut error =
                json!({"code": self.code, "exit": self.exit as u8, "message": self.message, "hint": self.hint});
            if let Some(e) = &self.evidence {
                error["evidence"] = e.clone();
            }
            if let Some(d) = &self.detail {
                error["detail"] = d.clone();
            }
            out.result(&[], json!({"ok": false, "error": error}));
        } else {
            out.err_line(&format!("{}: {}", out.t("error-prefix"), self.message));
            if let Some(h) = &self.hint {
                out.err_line(&format!("{}: {}", out.t("hint-prefix"), h));
            }
        }
    }
}

/// A path, escaped: it may come from a payload, a source tree or a ledger.
fn p(path: &std::path::Path) -> FluentValue<'static> {
    FluentValue::from(esc(&path.display().to_string()))
}

/// A value from outside (an entry name, a parser's detail), escaped and cut short.
fn ext(v: impl ToString) -> FluentValue<'static> {
    FluentValue::from(esc(&v.to_string()))
}

fn s(v: impl ToString) -> FluentValue<'static> {
    FluentValue::from(v.to_string())
}

/// An OS error in the user's language for the cases a clerk can act on; the OS's own
/// words (English) otherwise. The error number stays, for whoever supports them.
pub(crate) fn io_detail(out: &Output, e: &std::io::Error) -> FluentValue<'static> {
    use std::io::ErrorKind as K;
    let id = match e.kind() {
        K::NotFound => "io-not-found",
        K::PermissionDenied => "io-permission-denied",
        K::StorageFull | K::QuotaExceeded => "io-no-space",
        K::ReadOnlyFilesystem => "io-read-only",
        K::AlreadyExists => "io-exists",
        K::IsADirectory => "io-is-a-folder",
        K::NotADirectory => "io-not-a-folder",
        K::ResourceBusy => "io-busy",
        K::DirectoryNotEmpty => "io-folder-not-empty",
        K::FileTooLarge => "io-file-too-large",
        K::CrossesDevices => "io-crosses-devices",
        // The OS's own words are English: they stand as they are in English output;
        // in Japanese a general message with the error number replaces them.
        _ if out.l.lang() == custody_l10n::Lang::En => return s(e),
        _ => "io-other",
    };
    match e.raw_os_error() {
        Some(n) => s(format!("{} ({})", out.t(id), out.ta("io-os-error", &[("n", s(n))]))),
        None => s(out.t(id)),
    }
}

/// Why a label was refused, in the user's language.
fn label_problem(out: &Output, reason: &custody_seal::LabelProblem) -> String {
    use custody_seal::LabelProblem as P;
    match reason {
        P::TooLarge => out.t("label-problem-too-large"),
        P::NotALabel { line, column } => {
            out.ta("label-problem-not-a-label", &[("line", s(line)), ("column", s(column))])
        }
        P::UnsupportedFormat { v, format } => out.ta("label-problem-format", &[("v", s(v)), ("format", s(format))]),
        P::NotCanonical => out.t("label-problem-not-canonical"),
        P::NotARegularFile => out.t("hostile-label-not-a-file"),
        P::FieldNotOneLine { field } => out.ta("label-problem-field", &[("field", s(crate::words::field(out, field)))]),
        P::FingerprintMismatch => out.t("ux-label-problem-fingerprint"),
    }
}

/// Why a `verify` input could not be read, in the user's language.
fn unreadable(out: &Output, reason: &custody_lifecycle::Unreadable) -> String {
    use custody_certificate::CertError as C;
    use custody_lifecycle::Unreadable as U;
    match reason {
        U::Io(e) => match io_detail(out, e) {
            FluentValue::String(t) => t.into_owned(),
            _ => e.to_string(),
        },
        U::NotAFile => out.t("unreadable-not-a-file"),
        U::TooLarge { max } => out.ta("unreadable-too-large", &[("max", s(human_bytes(*max)))]),
        U::PublicKey => out.t("unreadable-public-key"),
        U::Manifest => out.t("unreadable-manifest"),
        U::Label => out.t("unreadable-label"),
        U::Certificate(C::TooLarge { max }) => out.ta("unreadable-too-large", &[("max", s(human_bytes(*max as u64)))]),
        U::Certificate(C::NotJson) => out.t("unreadable-not-json"),
        U::Certificate(C::DuplicateKey { key }) => out.ta("unreadable-duplicate-key", &[("key", s(key))]),
        U::Certificate(C::Schema { .. }) => out.t("unreadable-schema"),
        U::Certificate(C::UnsupportedFormat { found }) => out.ta("unreadable-format", &[("found", s(found))]),
        U::Certificate(C::NotCanonical) => out.t("unreadable-not-canonical"),
        U::Certificate(C::BadField { field, .. }) => out.ta("unreadable-field", &[("field", s(field))]),
        U::Certificate(_) => out.t("unreadable-schema"),
    }
}

/// `{path}: {io error}`, with the error in the user's language where it can be.
pub(crate) fn io(out: &Output, path: &std::path::Path, e: &std::io::Error) -> Rendered {
    r(out, "io", Exit::Io, &[("path", p(path)), ("detail", io_detail(out, e))])
}

pub(crate) fn r(out: &Output, code: &'static str, exit: Exit, args: &Args<'_>) -> Rendered {
    let id = format!("err-{code}");
    let hint_id = format!("{id}.hint");
    let hint = out.ta(&hint_id, args);
    Rendered {
        code,
        exit,
        message: out.ta(&id, args),
        hint: (hint != hint_id).then_some(hint),
        evidence: None,
        detail: None,
    }
}

pub fn passphrase_problem(out: &Output, e: &PassphraseError) -> String {
    render_passphrase(out, e).message
}

fn render_passphrase(out: &Output, e: &PassphraseError) -> Rendered {
    match e {
        PassphraseError::TypoInGroup { group } => r(out, "passphrase-typo", Exit::Passphrase, &[("group", s(group))]),
        PassphraseError::WrongLength { symbols } => {
            r(out, "passphrase-length", Exit::Passphrase, &[("symbols", s(symbols))])
        }
        PassphraseError::InvalidCharacter { position } => {
            r(out, "passphrase-character", Exit::Passphrase, &[("position", s(position))])
        }
        PassphraseError::RandomnessUnavailable => r(out, "random-unavailable", Exit::Internal, &[]),
    }
}

pub fn render(e: &CliError, out: &Output) -> Rendered {
    match e {
        CliError::Lifecycle(l) => render_lifecycle(l, out),
        CliError::NoTerminal { what } => {
            r(out, "no-terminal", Exit::Passphrase, &[("what", s(out.t(&format!("passphrase-kind-{what}"))))])
        }
        CliError::PassphrasesDiffer => r(out, "passphrases-differ", Exit::Passphrase, &[]),
        CliError::KeyPassphraseTooShort => r(out, "key-passphrase-short", Exit::Passphrase, &[]),
        CliError::Declined => r(out, "declined", Exit::Declined, &[]),
        CliError::ConfirmationNeeded => r(out, "confirmation-needed", Exit::Usage, &[]),
        CliError::Interrupted => r(out, "interrupted", Exit::Interrupted, &[]),
        CliError::WipePartial { failed, total } => {
            r(out, "wipe-partial", Exit::WipePartial, &[("failed", s(failed)), ("total", s(total))])
        }
        CliError::BadMethod { given } => r(out, "bad-method", Exit::Usage, &[("given", s(given))]),
        CliError::Io { path, source } => io(out, path, source),
        CliError::File(e) => liberrors::fsio(e, out),
        CliError::LedgerOwnerUnconfirmed { path, owner } => r(
            out,
            "ledger-owner-unconfirmed",
            Exit::LedgerOwnerUnconfirmed,
            &[("path", p(path)), ("owner", ext(owner))],
        ),
        CliError::NotVerified { failed } => r(out, "not-verified", Exit::NotVerified, &[("failed", s(failed))]),
        CliError::Usage { what } => r(out, "option-required", Exit::Usage, &[("what", s(what))]),
    }
}

fn render_lifecycle(e: &L, out: &Output) -> Rendered {
    match e {
        L::NotInitialised { path } => r(out, "not-initialised", Exit::Home, &[("path", p(path))]),
        L::AlreadyInitialised { path } => r(out, "already-initialised", Exit::Home, &[("path", p(path))]),
        L::NoHomeDirectory => r(out, "no-home-directory", Exit::Home, &[]),
        L::HomeDamaged { path, part, what } => {
            let mut rendered = r(
                out,
                "home-damaged",
                Exit::Home,
                &[("path", p(path)), ("detail", s(crate::words::home_damage(out, *part)))],
            );
            rendered.detail = Some(json!({"part": part.as_str(), "detail": what}));
            rendered
        }
        L::WrongKeyPassphrase => r(out, "wrong-key-passphrase", Exit::Passphrase, &[]),
        L::NoticeOnMedia { notice, media } => {
            r(out, "notice-on-media", Exit::InputRefused, &[("notice", p(notice)), ("media", p(media))])
        }
        L::NoticeExists { path } => r(out, "notice-exists", Exit::InputRefused, &[("path", p(path))]),
        L::NoticeFormat { path } => r(out, "notice-format", Exit::InputRefused, &[("path", p(path))]),
        L::Passphrase(pe) => render_passphrase(out, pe),
        L::LedgerInvalid { path, source } => r(
            out,
            "ledger-invalid",
            Exit::Integrity,
            &[
                ("path", p(path)),
                ("line", s(source.line)),
                ("detail", s(liberrors::problem_text(out, &source.problem))),
            ],
        ),
        L::LedgerCannotRecord { path, source } => {
            let detail = match source.problem {
                custody_ledger::Problem::TornLine => out.t("wipe-ledger-torn-line"),
                _ => source.problem.to_string(),
            };
            r(
                out,
                "wipe-ledger-cannot-record",
                Exit::Home,
                &[("path", p(path)), ("line", s(source.line)), ("detail", s(detail))],
            )
        }
        L::RecordExists { path } => r(out, "wipe-record-exists", Exit::InputRefused, &[("path", p(path))]),
        L::WipeInProgress { path } => r(out, "wipe-in-progress", Exit::WipeRefused, &[("path", p(path))]),
        L::InputFile { path, problem } => {
            let (code, max) = match problem {
                custody_seal::FileProblem::TooLarge { max } => ("input-too-large", *max),
                _ => ("input-not-a-file", 0),
            };
            r(out, code, Exit::InputRefused, &[("path", p(path)), ("max", s(human_bytes(max)))])
        }
        L::KeyPassphraseFileExposed { path, mode } => r(
            out,
            "key-passphrase-file-exposed",
            Exit::Passphrase,
            &[("path", p(path)), ("mode", s(format!("{mode:04o}")))],
        ),
        L::SourceContainsHome { src, home } => {
            r(out, "source-contains-home", Exit::InputRefused, &[("path", p(src)), ("home", p(home))])
        }
        L::NoticeFolderMissing { path } => r(out, "notice-folder-missing", Exit::InputRefused, &[("path", p(path))]),
        L::NoticeFolderNotWritable { path } => {
            r(out, "notice-folder-not-writable", Exit::InputRefused, &[("path", p(path))])
        }
        L::MediaNotAFolder { path } => r(out, "media-not-a-folder", Exit::Destination, &[("path", p(path))]),
        L::MediaNotWritable { path } => r(out, "media-not-writable", Exit::Destination, &[("path", p(path))]),
        L::DestOnMedia { dest, why } => {
            let code = match why {
                custody_lifecycle::DestProblem::PayloadFolder => "dest-in-payload-folder",
                custody_lifecycle::DestProblem::PayloadMedium => "dest-on-payload-medium",
                custody_lifecycle::DestProblem::Removable => "dest-removable",
            };
            r(out, code, Exit::InputRefused, &[("path", p(dest))])
        }
        L::LabelMissing { payload } => r(out, "label-missing", Exit::Integrity, &[("path", p(payload))]),
        L::LabelUnsigned { label, sig } => {
            r(out, "label-unsigned", Exit::Integrity, &[("path", p(label)), ("sig", p(sig))])
        }
        L::LabelSignatureInvalid { sig, detail } => {
            r(out, "label-signature-invalid", Exit::Integrity, &[("path", p(sig)), ("detail", ext(detail))])
        }
        L::LabelSignerMismatch { sealed_by, signer } => {
            r(out, "label-signer-mismatch", Exit::Integrity, &[("sealed_by", ext(sealed_by)), ("signer", ext(signer))])
        }
        L::LedgerOwnerMismatch { path, expected, found } => r(
            out,
            "ledger-owner",
            Exit::Integrity,
            &[("path", p(path)), ("expected", s(expected)), ("found", s(found))],
        ),
        L::Seal(se) => render_seal(se, out),
        L::Open(oe) => render_open(oe, out),
        L::Io { path, source } => io(out, path, source),
        L::Wipe(we) => render_wipe(we, out),
        L::Keys(k) => liberrors::keys(k, out),
        L::Ledger(le) => liberrors::ledger(le, out),
        L::Notice(n) => liberrors::notice(n, out),
        L::NotAFile { path } => r(out, "not-a-file", Exit::InputRefused, &[("path", p(path))]),
        L::FileTooLarge { path, max } => {
            r(out, "file-too-large", Exit::InputRefused, &[("path", p(path)), ("size", s(human_bytes(*max)))])
        }
        L::CheckpointInvalid { path, source } => r(
            out,
            "checkpoint-invalid",
            Exit::Integrity,
            &[("path", p(path)), ("detail", s(out.t(checkpoint_problem_id(source))))],
        ),
        L::CheckpointUntrusted { path, origin } => {
            r(out, "checkpoint-untrusted", Exit::Integrity, &[("path", p(path)), ("origin", s(origin))])
        }
        L::WitnessNoTrust { origin } => r(out, "witness-no-trust", Exit::InputRefused, &[("origin", s(origin))]),
        L::WitnessKeyMismatch { origin, pinned, given } => r(
            out,
            "witness-key-mismatch",
            Exit::Integrity,
            &[("origin", s(origin)), ("pinned", s(pinned)), ("given", s(given))],
        ),
        L::CheckpointMismatch { checkpoint_size, checkpoint_root, ledger_size, ledger_root } => r(
            out,
            "checkpoint-mismatch",
            Exit::Integrity,
            &[
                ("checkpoint_size", s(checkpoint_size)),
                ("checkpoint_root", s(checkpoint_root)),
                ("ledger_size", s(ledger_size)),
                ("ledger_root", s(ledger_root)),
            ],
        ),
        L::CheckpointInconsistent(inc) => render_inconsistent(inc, out),
        L::EntryNotFound { seq, size } => {
            r(out, "entry-not-found", Exit::InputRefused, &[("seq", s(seq)), ("size", s(size))])
        }
        L::RecordUnreadable { path } => r(out, "record-unreadable", Exit::InputRefused, &[("path", p(path))]),
        L::RecordNotInLedger { path } => r(out, "record-not-in-ledger", Exit::InputRefused, &[("path", p(path))]),
        L::CertificateExists { path } => r(out, "certificate-exists", Exit::Destination, &[("path", p(path))]),
        L::VerifyInputUnreadable { path, reason } => r(
            out,
            "verify-input-unreadable",
            Exit::VerifyInputUnreadable,
            &[("path", p(path)), ("detail", s(unreadable(out, reason)))],
        ),
    }
}

/// Why a checkpoint or proof file was refused, in the user's language.
fn checkpoint_problem_id(e: &custody_ledger::LedgerError) -> &'static str {
    use custody_ledger::LedgerError as E;
    match e {
        E::MalformedNote { .. } => "checkpoint-problem-note",
        E::MalformedCheckpoint { .. } => "checkpoint-problem-body",
        E::MalformedVerifierKey { .. } => "checkpoint-problem-key",
        E::MalformedProof { .. } => "checkpoint-problem-proof",
        _ => "checkpoint-problem-other",
    }
}

/// A checkpoint refused at cosigning: both checkpoints and the proof, as evidence.
fn render_inconsistent(inc: &custody_lifecycle::Inconsistency, out: &Output) -> Rendered {
    let proof = match &inc.proof {
        Some(p) => p.hashes.iter().map(|h| format!("  {h}")).collect::<Vec<_>>().join("\n"),
        None => out.t("checkpoint-no-proof"),
    };
    let args: &Args<'_> = &[
        ("origin", s(&inc.origin)),
        ("stored_size", s(inc.stored_size)),
        ("submitted_size", s(inc.submitted_size)),
        ("stored", s(inc.stored.trim_end())),
        ("submitted", s(inc.submitted.trim_end())),
        ("proof", s(proof)),
    ];
    let mut rendered = if inc.smaller {
        r(out, "checkpoint-smaller", Exit::CheckpointInconsistent, args)
    } else {
        r(out, "checkpoint-inconsistent", Exit::CheckpointInconsistent, args)
    };
    // One stable code for scripts; the message says which of the two it was.
    rendered.code = "checkpoint-inconsistent";
    rendered.evidence = serde_json::to_value(inc).ok();
    rendered
}

fn render_seal(e: &SealError, out: &Output) -> Rendered {
    match e {
        SealError::Refused { offenders } => {
            let list: Vec<String> = offenders
                .iter()
                .map(|o| format!("  {} ({})", esc(&o.path.display().to_string()), out.t(offender_id(&o.reason))))
                .collect();
            r(out, "source-refused", Exit::InputRefused, &[("count", s(offenders.len())), ("list", s(list.join("\n")))])
        }
        SealError::SourceNotADirectory { path } => {
            r(out, "source-not-a-folder", Exit::InputRefused, &[("path", p(path))])
        }
        SealError::InvalidCategory { category } => {
            r(out, "invalid-category", Exit::InputRefused, &[("category", ext(category))])
        }
        SealError::InvalidLabelField { field } => {
            let mut rendered =
                r(out, "invalid-field", Exit::InputRefused, &[("field", s(crate::words::field(out, field)))]);
            rendered.detail = Some(json!({"field": field}));
            rendered
        }
        SealError::AlreadyExists { path } => r(out, "payload-exists", Exit::Destination, &[("path", p(path))]),
        SealError::SourceInsideMedia { .. } => r(out, "source-inside-media", Exit::InputRefused, &[]),
        SealError::NoRoom { needed, available, .. } => r(
            out,
            "no-room",
            Exit::Destination,
            &[("needed", s(human_bytes(*needed))), ("available", s(human_bytes(*available)))],
        ),
        SealError::TooLargeForFat { .. } => r(out, "too-large-for-fat", Exit::Destination, &[]),
        SealError::LabelInvalid { path, reason } => {
            r(out, "label-invalid", Exit::Integrity, &[("path", p(path)), ("detail", s(label_problem(out, reason)))])
        }
        SealError::SourceChanged { path } => r(out, "source-changed", Exit::InputRefused, &[("path", p(path))]),
        SealError::Io { path, source } => io(out, path, source),
        other => liberrors::seal(other, out),
    }
}

fn render_open(e: &OpenError, out: &Output) -> Rendered {
    match e {
        OpenError::WrongPassphrase => r(out, "wrong-passphrase", Exit::Passphrase, &[]),
        OpenError::DestNotEmpty { dest } => r(out, "dest-not-empty", Exit::Destination, &[("path", p(dest))]),
        OpenError::LabelMismatch { field } => r(out, "label-mismatch", Exit::Integrity, &[("field", s(field))]),
        OpenError::UnsafeEntry { entry, reason } => {
            r(out, "unsafe-entry", Exit::Integrity, &[("entry", ext(entry)), ("detail", s(out.t(unsafe_id(reason))))])
        }
        OpenError::ManifestMismatch { path, what } => r(
            out,
            "manifest-mismatch",
            Exit::Integrity,
            &[("entry", ext(path)), ("detail", s(out.t(mismatch_id(what))))],
        ),
        OpenError::Truncated => r(out, "payload-truncated", Exit::Integrity, &[]),
        OpenError::Corrupted { .. } => r(out, "payload-corrupted", Exit::Integrity, &[]),
        OpenError::NotAnAgeFile => r(out, "not-a-payload", Exit::Integrity, &[]),
        OpenError::NotPassphraseEncrypted => r(out, "not-passphrase-payload", Exit::Integrity, &[]),
        OpenError::WorkFactorTooHigh { .. } => r(out, "work-factor", Exit::Integrity, &[]),
        OpenError::HeaderTooLarge { max } => r(out, "header-too-large", Exit::Integrity, &[("max", s(max))]),
        OpenError::Interrupted => r(out, "open-interrupted", Exit::Interrupted, &[]),
        OpenError::Io { path, source } => io(out, path, source),
        other => liberrors::open(other, out),
    }
}

fn render_wipe(e: &WipeError, out: &Output) -> Rendered {
    match e {
        WipeError::Refused { path, reason } => {
            let why = out.t(refuse_id(reason));
            r(out, "wipe-refused", Exit::WipeRefused, &[("path", p(path)), ("reason", s(why))])
        }
        WipeError::UnknownMethod { name } => r(out, "bad-method", Exit::Usage, &[("given", s(name))]),
        WipeError::Inspect { path, source }
        | WipeError::MountTable { path, source }
        | WipeError::JournalWrite { path, source }
        | WipeError::Device { path, source } => io(out, path, source),
        other => liberrors::wipe(other, out),
    }
}

fn refuse_id(reason: &RefuseReason) -> &'static str {
    match reason {
        RefuseReason::Root => "refuse-root",
        RefuseReason::HomeDirectory => "refuse-home-directory",
        RefuseReason::SystemDirectory => "refuse-system-directory",
        RefuseReason::ToolHome => "refuse-tool-home",
        RefuseReason::OpenForWriting { .. } => "refuse-open-for-writing",
        RefuseReason::MountedDevice => "refuse-mounted-device",
        RefuseReason::SystemDisk => "refuse-system-disk",
        RefuseReason::NotFound => "refuse-not-found",
        RefuseReason::UnsupportedType => "refuse-unsupported-type",
        RefuseReason::Overlapping => "refuse-overlapping",
        #[allow(unreachable_patterns)]
        _ => "refuse-other",
    }
}

fn offender_id(reason: &OffenderReason) -> &'static str {
    match reason {
        OffenderReason::Symlink => "offender-symlink",
        OffenderReason::SpecialFile => "offender-special-file",
        OffenderReason::Unreadable => "offender-unreadable",
        OffenderReason::NotUtf8Name => "offender-not-utf8-name",
        OffenderReason::ForbiddenName(_) => "offender-forbidden-name",
        OffenderReason::ReservedName => "offender-reserved-name",
        OffenderReason::CaseFoldDuplicate => "offender-case-duplicate",
    }
}

fn unsafe_id(reason: &UnsafeReason) -> &'static str {
    match reason {
        UnsafeReason::Path(_) => "open-unsafe-path",
        UnsafeReason::Symlink => "open-unsafe-symlink",
        UnsafeReason::HardLink => "open-unsafe-hardlink",
        UnsafeReason::Device => "open-unsafe-device",
        UnsafeReason::Fifo => "open-unsafe-fifo",
        UnsafeReason::OtherType(_) => "open-unsafe-other-type",
        UnsafeReason::Duplicate => "open-unsafe-duplicate",
        UnsafeReason::CaseFoldDuplicate => "open-unsafe-case-duplicate",
        UnsafeReason::ParentNotDeclared => "open-unsafe-parent",
        UnsafeReason::PaxExtension(_) => "open-unsafe-pax",
        UnsafeReason::LongNameAndPax => "open-unsafe-smuggling",
        UnsafeReason::ExtensionTooLarge => "open-unsafe-extension-size",
        UnsafeReason::DirectoryWithData => "open-unsafe-dir-data",
        UnsafeReason::AfterManifest => "open-unsafe-after-manifest",
        UnsafeReason::UnknownHeaderFormat => "open-unsafe-header-format",
    }
}

fn mismatch_id(kind: &MismatchKind) -> &'static str {
    match kind {
        MismatchKind::MissingFromArchive => "open-mismatch-missing",
        MismatchKind::MissingFromManifest => "open-mismatch-extra",
        MismatchKind::Size => "open-mismatch-size",
        MismatchKind::Sha256 => "open-mismatch-sha256",
    }
}

/// Sizes on screen: the same formatter (and unit) as the password notice.
pub fn human_bytes(n: u64) -> String {
    custody_l10n::human_size(n)
}

#[cfg(test)]
mod tests {
    use custody_l10n::{Lang, Localizer};

    /// Every message id the CLI names in its source exists in both languages, so no
    /// user ever sees a bare id instead of a sentence.
    #[test]
    fn every_message_id_used_by_the_cli_exists_in_japanese_and_english() {
        let sources = [
            include_str!("errors.rs"),
            include_str!("cmd/wipe.rs"),
            include_str!("cmd/seal.rs"),
            include_str!("cmd/open.rs"),
            include_str!("cmd/init.rs"),
            include_str!("cmd/key.rs"),
            include_str!("cmd/ledger.rs"),
            include_str!("cmd/checkpoint.rs"),
            include_str!("cmd/demo.rs"),
            include_str!("cmd/certify.rs"),
            include_str!("cmd/verify.rs"),
            include_str!("secret.rs"),
            include_str!("output.rs"),
        ];
        let mut ids = vec![];
        for src in sources {
            // rustfmt may break a call over lines: fold whitespace first.
            let src = src.split_whitespace().collect::<Vec<_>>().join(" ").replace("( ", "(");
            let src = src.as_str();
            // A call r(out, CODE, …) names the message err-CODE; other ids are quoted
            // literals with a known prefix.
            let mut codes = vec![];
            for part in src.split("r(out, \"").skip(1) {
                if let Some(code) = part.split('"').next() {
                    codes.push(code.to_string());
                    ids.push(format!("err-{code}"));
                }
            }
            for piece in src.split('"') {
                let known = [
                    "offender-",
                    "refuse-",
                    "caveat-",
                    "problem-",
                    "warning-",
                    "phase-",
                    "wipe-",
                    "label-",
                    "demo-",
                    "prompt-",
                    "seal-",
                    "open-",
                    "init-",
                    "ledger-",
                    "key-",
                    "hostile-",
                    "repair-",
                    "checkpoint-",
                    "cosign-",
                    "prove-",
                    "certify-",
                    "verify-",
                    "unreadable-",
                ];
                if known.iter().any(|p| piece.starts_with(p))
                    && piece.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !piece.ends_with('-')
                    && !codes.iter().any(|c| c == piece)
                    // Values of --json output that share a prefix with message ids.
                    && !["open-for-writing"].contains(&piece)
                {
                    ids.push(piece.to_string());
                }
            }
        }
        assert!(ids.len() > 100, "found only {} ids: the scan is broken", ids.len());
        for lang in [Lang::Ja, Lang::En] {
            let l = Localizer::new(lang);
            let missing: Vec<&String> = ids.iter().filter(|id| !l.has(id)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        }
        for level in ["none", "unverified", "not-assured", "name-only", "clear", "cryptographic-erase"] {
            assert!(Localizer::new(Lang::Ja).has(&format!("assurance-{level}")));
            assert!(Localizer::new(Lang::En).has(&format!("assurance-{level}")));
        }
    }

    /// Every check name and reason code `verify` can report has its sentence in both
    /// languages: a reader never sees a bare code.
    #[test]
    fn every_verify_check_and_reason_has_words_in_japanese_and_english() {
        let sources = [
            include_str!("../../crates/custody-certificate/src/checks.rs"),
            include_str!("../../crates/custody-certificate/src/chain.rs"),
        ];
        let mut ids = vec![];
        for src in sources {
            let src = src.split_whitespace().collect::<Vec<_>>().join(" ");
            for part in src.split("Reason::new(\"").skip(1) {
                ids.push(format!("verify-why-{}", part.split('"').next().unwrap_or_default()));
            }
            for part in src
                .split("name: \"")
                .skip(1)
                .chain(src.split("Check::pass(\"").skip(1))
                .chain(src.split("Check::fail(\"").skip(1))
                .chain(src.split("Check::skip(\"").skip(1))
            {
                ids.push(format!("check-{}", part.split('"').next().unwrap_or_default()));
            }
        }
        assert!(ids.len() > 60, "found only {} ids: the scan is broken", ids.len());
        for lang in [Lang::Ja, Lang::En] {
            let l = Localizer::new(lang);
            let missing: Vec<&String> = ids.iter().filter(|id| !l.has(id)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        }
    }
}
