use custody_lifecycle::{open_delivery, OpenRequest};
use serde_json::json;

use crate::args::{Cli, OpenArgs};
use crate::errors::{human_bytes, CliError};
use crate::output::Output;
use crate::{progress, secret};

pub fn run(cli: &Cli, a: &OpenArgs, out: &Output) -> Result<(), CliError> {
    let home = super::open_home(cli)?;
    // The payload passphrase first: a typo is caught per group before any slow KDF
    // runs, and before the key passphrase is asked for.
    let passphrase = secret::payload_passphrase(out, a.passphrase_file.as_deref())?;
    let key_pass = secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), false)?;
    let session = home.unlock(&key_pass)?;
    drop(key_pass);
    let bar = progress::bytes_bar(out, 0, out.t("open-progress"));
    let req = OpenRequest { payload: a.payload.clone(), dest: a.dest.clone(), passphrase: &passphrase };
    let report = open_delivery(&session, &req, &progress::follow(&bar))?;
    bar.finish_and_clear();
    out.result(
        &[
            out.t("open-done"),
            out.fact("label-payload-id", &report.payload_id),
            out.fact("label-dest", report.dest.display()),
            out.fact("label-files", report.file_count),
            out.fact("label-size", human_bytes(report.total_bytes)),
            out.fact("label-label-checked", out.t(if report.label_checked { "yes" } else { "no-label" })),
            String::new(),
            out.t("open-next"),
        ],
        json!({"ok": true, "payload_id": report.payload_id, "dest": report.dest, "file_count": report.file_count,
               "total_bytes": report.total_bytes, "manifest_root": report.manifest_root,
               "label_checked": report.label_checked, "machine": report.machine, "ledger_seq": report.ledger_seq}),
    );
    Ok(())
}
