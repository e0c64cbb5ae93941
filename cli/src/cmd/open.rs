use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use custody_lifecycle::{open_delivery, read_public_key_file, sweep_staging, OpenRequest};
use serde_json::json;

use crate::args::{Cli, OpenArgs};
use crate::errors::{human_bytes, CliError};
use crate::output::{esc, Output};
use crate::{progress, secret};

pub fn run(cli: &Cli, a: &OpenArgs, out: &Output) -> Result<(), CliError> {
    // Registered before anything is decrypted: from here on Ctrl-C, SIGTERM or a
    // closing terminal stop the open at its next read, and the staging directory with
    // its plaintext is removed before the process exits.
    let cancel = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&cancel));
    }
    // Plaintext left by an open that was killed outright (SIGKILL, power loss).
    let swept = sweep_staging(&a.dest);
    for path in &swept {
        out.say("hostile-staging-removed", &[("path", esc(&path.display().to_string()).into())]);
    }
    let home = super::open_home(cli)?;
    let trusted = a.trust.iter().map(|p| read_public_key_file(p)).collect::<Result<Vec<_>, _>>()?;
    // The payload passphrase first: a typo is caught per group before any slow KDF
    // runs, and before the key passphrase is asked for.
    let passphrase = secret::payload_passphrase(out, a.passphrase_file.as_deref())?;
    let key_pass = secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), false)?;
    let session = home.unlock(&key_pass)?;
    drop(key_pass);
    let bar = progress::bytes_bar(out, 0, out.t("open-progress"));
    let req = OpenRequest {
        payload: a.payload.clone(),
        dest: a.dest.clone(),
        passphrase: &passphrase,
        trusted: &trusted,
        cancel: Some(&cancel),
    };
    let report = open_delivery(&session, &req, &progress::follow(&bar));
    bar.finish_and_clear();
    let report = report?;
    let sender = &report.sender;
    let sender_line = if sender.confirmed {
        out.ta(
            "hostile-sender-confirmed",
            &[
                ("issuer", esc(sender.issuer.as_deref().unwrap_or("-")).into()),
                ("key", esc(sender.key_id.as_deref().unwrap_or("-")).into()),
            ],
        )
    } else {
        out.t("hostile-sender-unconfirmed")
    };
    out.result(
        &[
            out.t("open-done"),
            out.fact("label-payload-id", &report.payload_id),
            out.fact("label-dest", esc(&report.dest.display().to_string())),
            out.fact("label-files", report.file_count),
            out.fact("label-size", human_bytes(report.total_bytes)),
            out.fact("label-label-checked", out.t(if report.label_checked { "yes" } else { "no-label" })),
            out.fact("hostile-label-sender", sender_line),
            String::new(),
            out.t("open-next"),
        ],
        json!({"ok": true, "payload_id": report.payload_id, "dest": report.dest, "file_count": report.file_count,
               "total_bytes": report.total_bytes, "manifest_root": report.manifest_root,
               "label_checked": report.label_checked, "sender_confirmed": sender.confirmed,
               "sender_key": sender.key_id, "sender_issuer": sender.issuer,
               "staging_removed": swept, "machine": report.machine, "ledger_seq": report.ledger_seq}),
    );
    Ok(())
}
