use custody_l10n::Lang;
use custody_lifecycle::{check_seal, seal_delivery, SealPlan, SealRequest};
use serde_json::json;

use crate::args::{Cli, SealArgs};
use crate::errors::{human_bytes, CliError};
use crate::output::{esc, Output};
use crate::{progress, secret};

pub fn run(cli: &Cli, a: &SealArgs, out: &Output) -> Result<(), CliError> {
    // The notice is a document for the ward's files: Japanese unless --lang asks
    // otherwise, whatever the locale of the PC printing it.
    let lang: Lang = cli.lang.map(Lang::from).unwrap_or(Lang::Ja);
    let home = super::open_home(cli)?;
    let req = SealRequest {
        src: a.src.clone(),
        media_dir: a.to.clone(),
        notice_path: a.notice.clone(),
        recipient: a.recipient.clone(),
        contract: a.contract.clone(),
        categories: a.categories.clone(),
        lang,
    };
    // Every argument and cheap precondition before the key passphrase: a wrong notice
    // path must not cost the clerk a typed secret.
    let plan = check_seal(&home, &req)?;
    if a.dry_run {
        dry_run(&plan, out);
        return Ok(());
    }
    let session = secret::unlock(out, &home, cli.key_passphrase_file.as_deref())?;
    // The total is known only after the scan inside seal_delivery; the bar learns it
    // from the first call (length 0 means "not yet known").
    let bar = progress::bytes_bar(out, 0, out.t("seal-progress"));
    let report = seal_delivery(&session, &req, &progress::follow(&bar))?;
    bar.finish_and_clear();

    out.result(
        &[
            out.t("seal-done"),
            out.fact("label-payload-id", &report.payload_id),
            out.fact("label-payload", report.payload_path.display()),
            out.fact("label-label", report.label_path.display()),
            out.fact("hostile-label-signature", report.label_signature_path.display()),
            out.fact("label-notice", report.notice_path.display()),
            out.fact("label-fingerprint", &report.fingerprint),
            out.fact("label-files", report.file_count),
            out.fact("label-size", human_bytes(report.total_bytes)),
            String::new(),
            out.t("seal-next"),
        ],
        json!({"ok": true, "payload_id": report.payload_id, "payload": report.payload_path, "label": report.label_path, "label_signature": report.label_signature_path,
               "notice": report.notice_path, "notice_id": report.notice_id, "fingerprint": report.fingerprint,
               "file_count": report.file_count, "total_bytes": report.total_bytes, "ciphertext_size": report.ciphertext_size,
               "ciphertext_sha256": report.ciphertext_sha256, "manifest_root": report.manifest_root,
               "ledger_seq": report.ledger_seq}),
    );
    Ok(())
}

/// `seal --dry-run`: what would be sealed, where, and what the notice would say.
fn dry_run(plan: &SealPlan, out: &Output) {
    let shown: Vec<String> = plan.first_files.iter().map(|n| esc(n)).collect();
    let more = plan.file_count.saturating_sub(shown.len() as u64);
    let mut names = shown.join(", ");
    if more > 0 {
        names.push_str(&out.ta("ux-dry-run-more", &[("count", more.into())]));
    }
    let or_none = |v: &Option<String>| v.as_deref().map(esc).unwrap_or_else(|| out.t("notice-value-not-given"));
    let categories = if plan.categories.is_empty() {
        out.t("notice-value-not-given")
    } else {
        plan.categories.iter().map(|c| esc(c)).collect::<Vec<_>>().join(&out.t("notice-value-category-separator"))
    };
    let issued = plan.issued.format("%Y-%m-%d").to_string();
    out.result(
        &[
            out.t("ux-dry-run-title"),
            out.fact("ux-label-source", esc(&plan.src.display().to_string())),
            out.fact("label-files", plan.file_count),
            out.fact("ux-label-folders", plan.dir_count),
            out.fact("label-size", human_bytes(plan.total_bytes)),
            out.fact("ux-label-names", names),
            out.fact("ux-label-media", esc(&plan.media_dir.display().to_string())),
            out.fact("ux-label-payload-bound", human_bytes(plan.payload_size_bound)),
            out.fact("label-notice", esc(&plan.notice_path.display().to_string())),
            out.fact("notice-label-issuer-org", esc(&plan.issuer)),
            out.fact("notice-label-recipient", or_none(&plan.recipient)),
            out.fact("notice-label-contract", or_none(&plan.contract)),
            out.fact("notice-label-categories", categories),
            out.fact("notice-label-issued", &issued),
            String::new(),
            out.t("ux-dry-run-next"),
        ],
        json!({"ok": true, "dry_run": true, "src": plan.src, "media": plan.media_dir, "notice": plan.notice_path,
               "file_count": plan.file_count, "dir_count": plan.dir_count, "total_bytes": plan.total_bytes,
               "payload_size_bound": plan.payload_size_bound, "first_files": plan.first_files,
               "more_files": more,
               "issuer": plan.issuer, "recipient": plan.recipient, "contract": plan.contract,
               "categories": plan.categories, "issued": issued}),
    );
}
