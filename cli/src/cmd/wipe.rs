use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use custody_lifecycle::{execute_wipe_unlocking, outcome_name, plan_wipe, Planned, WipeJob, WipeRequest};
use custody_wipe::{Caveat, Method, Outcome, Phase, Progress, VerifyMode, Warning};
use indicatif::ProgressBar;
use serde_json::json;

use crate::args::{Cli, VerifyArg, WipeArgs};
use crate::errors::{human_bytes, CliError};
use crate::output::Output;
use crate::{progress, secret};

pub fn run(cli: &Cli, a: &WipeArgs, out: &Output) -> Result<(), CliError> {
    let method: Method = a.method.parse().map_err(|_| CliError::BadMethod { given: a.method.clone() })?;
    let verify = match a.verify {
        VerifyArg::Full => VerifyMode::Full,
        VerifyArg::Sample => VerifyMode::Sample,
        VerifyArg::None => VerifyMode::None,
    };
    let home = super::open_home(cli)?;
    // With the key passphrase in a file, decrypting the key (a deliberately slow KDF)
    // starts now, in the background, while the plan is made and the contents are
    // hashed; the engine waits for it before it overwrites anything. A wrong or
    // unreadable passphrase is still reported before anything is touched, and as
    // before after the plan's own errors. A prompt keeps its place after the summary.
    let early = (!a.dry_run && passphrase_in_file(cli)).then(|| {
        secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), false).map(|p| home.unlock_in_background(p))
    });
    let req = WipeRequest {
        paths: a.paths.clone(),
        device: a.device.clone(),
        method,
        verify,
        force: a.force,
        notice_destroyed: a.notice_destroyed,
    };
    let job = plan_wipe(&home, &req)?;
    let mut summary = summary_lines(out, &job, method, verify);
    if let Planned::Files(plan) = &job.planned {
        summary.splice(1..1, target_lines(out, &a.paths, plan));
    }

    if a.dry_run {
        out.result(&summary, json!({"ok": true, "dry_run": true, "plan": plan_json(&job, method, verify)}));
        return Ok(());
    }
    // --quiet keeps the summary when a confirmation is asked: the question needs it.
    if !out.json && (!out.quiet || !a.yes) {
        for line in &summary {
            out.err_line(line);
        }
    }
    if !a.yes {
        confirm(out)?;
    }
    let unlock = match early {
        Some(pending) => pending?,
        None => home.unlock_in_background(secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), false)?),
    };

    let cancel = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        // Without the flag a signal kills the run mid-item; with it the engine stops
        // at a safe point and the record says what was and was not done.
        let _ = signal_hook::flag::register(sig, Arc::clone(&cancel));
    }
    let bar = BarProgress::new(out);
    let report = execute_wipe_unlocking(&home, unlock, &job, &bar, &cancel, a.record.as_deref());
    bar.finish();
    let report = report?;

    let mut lines = vec![
        out.t(match report.outcome {
            Outcome::AllErased => "wipe-done",
            Outcome::SomeFailed => "wipe-done-with-failures",
            Outcome::Interrupted => "wipe-interrupted",
        }),
        out.fact("wipe-label-items", report.items),
        out.fact("wipe-label-erased", report.erased),
        out.fact("wipe-label-failed", report.failed),
        out.fact("wipe-label-bytes", human_bytes(report.bytes)),
    ];
    for (level, n) in &report.assurance {
        lines.push(format!("    {}: {n}", out.t(&format!("assurance-{level}"))));
    }
    if let Some(earlier) = &report.recovered {
        lines.insert(0, out.ta("wipe-recovered", &[("record", earlier.record_path.display().to_string().into())]));
    }
    lines.push(out.fact("wipe-label-record", report.record_path.display()));
    if let Some(r) = &report.record_copy {
        lines.push(out.fact("wipe-label-record-copy", r.display()));
    }
    for p in &report.payloads {
        lines.push(out.fact("label-payload-id", &p.payload_id));
    }
    let failures: Vec<String> = report
        .problems
        .iter()
        .map(|i| {
            let name = match &i.path {
                Some(p) => p.display().to_string(),
                None => i.path_hmac.get(..16).unwrap_or(&i.path_hmac).to_string(),
            };
            format!("    {name}: {}", problem_text(out, Some(&i.problem)))
        })
        .collect();
    if !failures.is_empty() {
        lines.push(out.t("wipe-problems"));
        lines.extend(failures);
    }
    out.result(
        &lines,
        json!({"ok": report.outcome == Outcome::AllErased, "outcome": outcome_name(report.outcome),
               "items": report.items, "erased": report.erased, "failed": report.failed,
               "not_attempted": report.not_attempted, "bytes_overwritten": report.bytes,
               "assurance": report.assurance, "record": report.record_path, "record_copy": report.record_copy,
               "recovered_record": report.recovered.as_ref().map(|r| &r.record_path),
               "record_sha256": report.record_sha256, "payloads": report.payloads, "problems": report.problems,
               "ledger_seq": report.ledger_seq}),
    );
    match report.outcome {
        Outcome::AllErased => Ok(()),
        Outcome::SomeFailed => Err(CliError::WipePartial { failed: report.failed, total: report.items }),
        Outcome::Interrupted => Err(CliError::Interrupted),
    }
}

/// Whether the key passphrase comes from a file (`--key-passphrase-file` or the path
/// in CUSTODY_KEY_PASSPHRASE_FILE) rather than a prompt.
fn passphrase_in_file(cli: &Cli) -> bool {
    cli.key_passphrase_file.is_some() || std::env::var_os("CUSTODY_KEY_PASSPHRASE_FILE").is_some_and(|v| !v.is_empty())
}

fn confirm(out: &Output) -> Result<(), CliError> {
    if out.json || !std::io::stdin().is_terminal() {
        return Err(CliError::ConfirmationNeeded);
    }
    // Never eprint!: a closed or full standard error must not panic the wipe.
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{} ", out.ta("wipe-confirm", &[("word", out.t("wipe-confirm-word").into())]));
    let _ = err.flush();
    drop(err);
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|source| CliError::Io { path: "/dev/stdin".into(), source })?;
    if confirms(&answer, &out.t("wipe-confirm-word")) {
        Ok(())
    } else {
        Err(CliError::Declined)
    }
}

/// Whether the answer is the word asked for, and nothing else: "y" or "はい" do not
/// erase when "yes" was asked. Full-width letters (an input method left on) are the
/// same word.
fn confirms(answer: &str, word: &str) -> bool {
    let narrow: String = answer
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    narrow.trim() == word
}

/// How many of the named targets the summary lists one by one; the rest are counted.
const LISTED: usize = 8;

/// The targets as the user named them, each with what it holds, so that the question
/// that follows is about these and not about numbers alone.
fn target_lines(out: &Output, given: &[std::path::PathBuf], plan: &custody_wipe::Plan) -> Vec<String> {
    let mut lines = vec![out.t("wipe-label-targets")];
    for p in given.iter().take(LISTED) {
        let path = crate::output::esc(&p.display().to_string());
        let root = p.canonicalize().unwrap_or_else(|_| p.clone());
        let within =
            |i: &&custody_wipe::PlannedItem| i.path.starts_with(&root) && i.kind == custody_wipe::ItemKind::File;
        let (files, bytes) = plan.items.iter().filter(within).fold((0u64, 0u64), |(n, b), i| (n + 1, b + i.size));
        // A symlink given on the command line is removed itself, never followed.
        let is_link = p.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
        let line = if is_link {
            out.ta("wipe-target-link", &[("path", path.into())])
        } else if root.is_dir() {
            out.ta(
                "wipe-target-folder",
                &[("path", path.into()), ("files", files.into()), ("size", human_bytes(bytes).into())],
            )
        } else {
            out.ta("wipe-target-file", &[("path", path.into()), ("size", human_bytes(bytes).into())])
        };
        lines.push(format!("    - {line}"));
    }
    if given.len() > LISTED {
        lines.push(format!("    {}", out.ta("wipe-target-more", &[("count", (given.len() - LISTED).into())])));
    }
    lines
}

fn summary_lines(out: &Output, job: &WipeJob, method: Method, verify: VerifyMode) -> Vec<String> {
    let mut lines = vec![out.t("wipe-summary")];
    match &job.planned {
        Planned::Files(plan) => {
            lines.push(out.fact("wipe-label-files", plan.files));
            lines.push(out.fact("wipe-label-dirs", plan.dirs));
            if plan.symlinks > 0 {
                lines.push(out.fact("wipe-label-symlinks", plan.symlinks));
            }
            lines.push(out.fact("wipe-label-bytes", human_bytes(plan.bytes)));
            for fs in &plan.filesystems {
                lines.push(format!(
                    "  {} {} ({})",
                    out.t("wipe-label-filesystem"),
                    fs.mount_point.display(),
                    fs.fstype
                ));
                for c in &fs.caveats {
                    lines.push(format!("    ! {}", caveat_text(out, c)));
                }
            }
            for w in &plan.warnings {
                if let Some(text) = warning_text(out, w) {
                    lines.push(format!("  ! {text}"));
                }
            }
        }
        Planned::Device(d) => {
            lines.push(out.fact("wipe-label-device", d.path.display()));
            lines.push(out.fact("wipe-label-bytes", human_bytes(d.info.size)));
            for (id, v) in [("wipe-label-model", &d.info.model), ("wipe-label-serial", &d.info.serial)] {
                if let Some(v) = v {
                    lines.push(out.fact(id, v));
                }
            }
            for c in &d.caveats {
                lines.push(format!("    ! {}", caveat_text(out, c)));
            }
            if d.absent {
                lines.push(format!("  ! {}", out.t("wipe-device-absent")));
            }
        }
    }
    lines.push(out.fact("wipe-label-method", out.t(&format!("method-{}", method.name()))));
    lines.push(out.fact("wipe-label-verify", out.t(&format!("verify-{}", verify.name()))));
    for p in &job.payloads {
        lines.push(out.fact("label-payload-id", &p.payload_id));
    }
    if job.resumes() {
        lines.push(out.t("wipe-resuming"));
    }
    lines
}

fn plan_json(job: &WipeJob, method: Method, verify: VerifyMode) -> serde_json::Value {
    match &job.planned {
        Planned::Files(plan) => json!({
            "files": plan.files, "dirs": plan.dirs, "symlinks": plan.symlinks, "bytes": plan.bytes,
            "filesystems": plan.filesystems, "warnings": plan.warnings.iter().map(warning_json).collect::<Vec<_>>(),
            "method": method.name(), "verify": verify.name(), "payloads": job.payloads, "resumes": job.resumes()}),
        Planned::Device(d) => json!({"device": d.path, "info": d.info, "caveats": d.caveats, "absent": d.absent,
            "method": method.name(), "verify": verify.name(), "resumes": job.resumes()}),
    }
}

/// A plan warning as data (`kind` plus its facts), never Rust's Debug text; the
/// schema is docs/schemas/wipe-dry-run.schema.json.
fn warning_json(w: &Warning) -> serde_json::Value {
    match w {
        Warning::Filesystem { mount_point, caveat } => {
            json!({"kind": "filesystem", "mount_point": mount_point, "caveat": caveat})
        }
        Warning::HardLinked { path, links } => json!({"kind": "hard-linked", "path": path, "links": links}),
        Warning::MountPointSkipped { path } => json!({"kind": "mount-point-skipped", "path": path}),
        Warning::OpenForWriting { path, pid, process } => {
            json!({"kind": "open-for-writing", "path": path, "pid": pid, "process": process})
        }
        Warning::ForcedSystemDirectory { path } => json!({"kind": "forced-system-directory", "path": path}),
        Warning::MountPointEmptied { path } => json!({"kind": "mount-point-emptied", "path": path}),
    }
}

pub fn caveat_text(out: &Output, c: &Caveat) -> String {
    out.t(match c {
        Caveat::CopyOnWrite => "caveat-copy-on-write",
        Caveat::Compression => "caveat-compression",
        Caveat::DataJournalled => "caveat-data-journalled",
        Caveat::NetworkFs => "caveat-network",
        Caveat::Fuse => "caveat-fuse",
        Caveat::Tmpfs => "caveat-tmpfs",
        Caveat::Overlay => "caveat-overlay",
        Caveat::Flash => "caveat-flash",
        Caveat::JournalMayKeepNames => "caveat-journal-names",
        Caveat::DeletedEntriesKeepNames => "caveat-deleted-entries",
        Caveat::UnknownFilesystem => "caveat-unknown-fs",
    })
}

fn warning_text(out: &Output, w: &Warning) -> Option<String> {
    let path = |p: &std::path::Path| p.display().to_string();
    Some(match w {
        // Filesystem caveats are already listed under their filesystem.
        Warning::Filesystem { .. } => return None,
        Warning::HardLinked { path: p, links } => {
            out.ta("warning-hard-linked", &[("path", path(p).into()), ("links", (*links).into())])
        }
        Warning::MountPointSkipped { path: p } => out.ta("warning-mount-point", &[("path", path(p).into())]),
        Warning::MountPointEmptied { path: p } => out.ta("warning-mount-point-emptied", &[("path", path(p).into())]),
        Warning::OpenForWriting { path: p, pid, process } => out.ta(
            "warning-open-for-writing",
            &[("path", path(p).into()), ("pid", (*pid).into()), ("process", process.clone().into())],
        ),
        Warning::ForcedSystemDirectory { path: p } => out.ta("warning-system-directory", &[("path", path(p).into())]),
    })
}

fn problem_text(out: &Output, p: Option<&custody_wipe::Problem>) -> String {
    use custody_wipe::Problem as P;
    match p {
        None => String::new(),
        Some(P::PermissionDenied) => out.t("problem-permission-denied"),
        Some(P::Vanished) => out.t("problem-vanished"),
        Some(P::ChangedDuringWipe) => out.t("problem-changed"),
        Some(P::ReadOnlyFilesystem) => out.t("problem-read-only"),
        Some(P::HardLinked { links }) => out.ta("problem-hard-linked", &[("links", (*links).into())]),
        Some(P::NotEmpty) => out.t("problem-not-empty"),
        Some(P::VerifyMismatch { offset }) => out.ta("problem-verify-mismatch", &[("offset", (*offset).into())]),
        Some(P::MountPoint) => out.t("problem-mount-point"),
        Some(P::Interrupted) => out.t("problem-interrupted"),
        Some(P::Grew { planned, now }) => {
            out.ta("problem-grew", &[("planned", (*planned).into()), ("now", (*now).into())])
        }
        Some(P::ReplacedBetweenRuns) => out.t("problem-replaced"),
        Some(P::Io { step, error }) => out
            .ta("problem-io", &[("step", crate::words::wipe_step(out, step).into()), ("detail", error.clone().into())]),
    }
}

/// The engine's progress, drawn as one bar per phase.
struct BarProgress {
    bar: Mutex<Option<ProgressBar>>,
    interactive: bool,
    template: (String, String, String, String),
    eta: String,
    done: AtomicU64,
}

impl BarProgress {
    fn new(out: &Output) -> BarProgress {
        BarProgress {
            bar: Mutex::new(None),
            interactive: out.interactive(),
            template: (
                out.t("phase-hashing"),
                out.t("phase-overwriting"),
                out.t("phase-verifying"),
                out.t("phase-removing"),
            ),
            eta: out.t("progress-eta"),
            done: AtomicU64::new(0),
        }
    }

    fn finish(&self) {
        if let Ok(mut b) = self.bar.lock() {
            if let Some(bar) = b.take() {
                bar.finish_and_clear();
            }
        }
    }
}

impl Progress for BarProgress {
    fn phase(&self, phase: Phase, total_bytes: u64) {
        if !self.interactive {
            return;
        }
        let msg = match phase {
            Phase::Hashing => self.template.0.clone(),
            Phase::Overwriting { pass, of } => format!("{} {pass}/{of}", self.template.1),
            Phase::Verifying => self.template.2.clone(),
            Phase::Removing => self.template.3.clone(),
        };
        if let Ok(mut b) = self.bar.lock() {
            if let Some(old) = b.take() {
                old.finish_and_clear();
            }
            let bar = progress::plain_bar(total_bytes, msg, !matches!(phase, Phase::Removing), &self.eta);
            *b = Some(bar);
        }
        self.done.store(0, Ordering::Relaxed);
    }

    fn advance(&self, bytes: u64) {
        if let Ok(b) = self.bar.lock() {
            if let Some(bar) = b.as_ref() {
                bar.inc(bytes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::confirms;

    #[test]
    fn only_the_word_asked_for_confirms() {
        for yes in ["yes", " yes\n", "ｙｅｓ", "\u{3000}ｙｅｓ\r\n"] {
            assert!(confirms(yes, "yes"), "{yes:?}");
        }
        for no in ["y", "Y", "はい", "yes please", "", "no", "ye s"] {
            assert!(!confirms(no, "yes"), "{no:?}");
        }
    }
}
