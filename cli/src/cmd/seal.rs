use custody_l10n::Lang;
use custody_lifecycle::{seal_delivery, SealRequest};
use serde_json::json;

use crate::args::{Cli, SealArgs};
use crate::errors::{human_bytes, CliError};
use crate::output::Output;
use crate::{progress, secret};

pub fn run(cli: &Cli, a: &SealArgs, out: &Output) -> Result<(), CliError> {
    // The notice is a document for the ward's files: Japanese unless --lang asks
    // otherwise, whatever the locale of the PC printing it.
    let lang: Lang = cli.lang.map(Lang::from).unwrap_or(Lang::Ja);
    let home = super::open_home(cli)?;
    let pass = secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), false)?;
    let session = home.unlock(&pass)?;
    drop(pass);
    let req = SealRequest {
        src: a.src.clone(),
        media_dir: a.to.clone(),
        notice_path: a.notice.clone(),
        recipient: a.recipient.clone(),
        contract: a.contract.clone(),
        categories: a.categories.clone(),
        lang,
    };
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
