use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use custody_lifecycle::{check_open, open_delivery, read_public_key_file, sweep_staging, OpenRequest};
use custody_seal::OpenError;
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
    // Every cheap check before any secret: the work folder, the label and its
    // signature, the payload's type and size, the key file.
    let preview = check_open(&home, &a.payload, &a.dest, &trusted)?;
    // What the recipient compares with the notice, shown before the notice's
    // passphrase is typed: a notice for another payload is caught here.
    out.say(
        "ux-open-compare",
        &[
            ("id", preview.payload_id.as_deref().map(esc).unwrap_or_else(|| out.t("no-label")).into()),
            ("fingerprint", preview.fingerprint.clone().unwrap_or_else(|| out.t("no-label")).into()),
        ],
    );
    // The payload passphrase first: a typo is caught per group before any slow KDF
    // runs, and before the key passphrase is asked for.
    let (mut passphrase, source) = secret::payload_passphrase_from(out, a.passphrase_file.as_deref())?;
    let session = secret::unlock(out, &home, cli.key_passphrase_file.as_deref())?;
    let mut tries = 1;
    let report = loop {
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
        match report {
            // A wrong passphrase is found only by the KDF; at a terminal the person
            // may type it again, from a file it would be the same wrong one.
            Err(custody_lifecycle::Error::Open(OpenError::WrongPassphrase))
                if source == secret::Source::Prompt && tries < secret::TRIES =>
            {
                out.err_line(&out.ta("ux-payload-passphrase-again", &[("left", (secret::TRIES - tries).into())]));
                tries += 1;
                passphrase = secret::payload_passphrase(out, None)?;
            }
            other => break other,
        }
    };
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
            out.fact("label-fingerprint", preview.fingerprint.as_deref().unwrap_or("-")),
            out.fact("label-dest", esc(&report.dest.display().to_string())),
            out.fact("label-files", report.file_count),
            out.fact("label-size", human_bytes(report.total_bytes)),
            out.fact("label-label-checked", out.t(if report.label_checked { "yes" } else { "no-label" })),
            out.fact("hostile-label-sender", sender_line),
            String::new(),
            out.t("open-next"),
        ],
        json!({"ok": true, "payload_id": report.payload_id, "fingerprint": preview.fingerprint, "dest": report.dest, "file_count": report.file_count,
               "total_bytes": report.total_bytes, "manifest_root": report.manifest_root,
               "label_checked": report.label_checked, "sender_confirmed": sender.confirmed,
               "sender_key": sender.key_id, "sender_issuer": sender.issuer,
               "staging_removed": swept, "machine": report.machine, "ledger_seq": report.ledger_seq}),
    );
    Ok(())
}
