//! `ledger checkpoint`, `ledger cosign`, `ledger prove`: the ledger's anchor.

use custody_keys::PublicKey;
use custody_lifecycle::{check_cosign, cosign, make_checkpoint, prove_entry, CosignRequest};
use serde_json::json;

use crate::args::{Cli, LedgerCommand};
use crate::errors::CliError;
use crate::output::Output;
use crate::secret;

pub fn run(cli: &Cli, c: &LedgerCommand, out: &Output) -> Result<(), CliError> {
    match c {
        LedgerCommand::Checkpoint { out: file } => checkpoint(cli, file.as_deref(), out),
        LedgerCommand::Cosign { checkpoint, ledger, trust, out: file } => {
            let trust = trust.as_deref().map(read_public_key).transpose()?;
            let req =
                CosignRequest { checkpoint: checkpoint.clone(), ledger: ledger.clone(), trust, out: file.clone() };
            run_cosign(cli, &req, out)
        }
        LedgerCommand::Prove { seq, checkpoint } => prove(cli, *seq, checkpoint.as_deref(), out),
        LedgerCommand::Verify { .. } | LedgerCommand::Repair => {
            unreachable!("ledger verify and repair are dispatched in cmd/ledger.rs")
        }
    }
}

fn read_public_key(path: &std::path::Path) -> Result<PublicKey, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Io { path: path.to_path_buf(), source })?;
    Ok(PublicKey::from_minisign(&text).map_err(custody_lifecycle::Error::from)?)
}

fn checkpoint(cli: &Cli, file: Option<&std::path::Path>, out: &Output) -> Result<(), CliError> {
    let home = super::open_home(cli)?;
    if let Some(f) = file {
        // Checked before the key passphrase is asked for.
        if f.symlink_metadata().is_ok() {
            return Err(CliError::Io {
                path: f.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "already exists"),
            });
        }
    }
    let key_pass = secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), false)?;
    let session = home.unlock(&key_pass)?;
    drop(key_pass);
    let r = make_checkpoint(&session, file)?;
    let mut lines = vec![
        out.ta("checkpoint-made", &[("entries", r.size.into())]),
        out.fact("checkpoint-label-origin", &r.origin),
        out.fact("label-root", r.root),
    ];
    match &r.out {
        Some(p) => {
            lines.push(out.fact("checkpoint-label-file", p.display()));
            lines.push(String::new());
            lines.push(out.t("checkpoint-next"));
        }
        None => lines = vec![r.note.trim_end().to_owned()],
    }
    out.result(
        &lines,
        json!({"ok": true, "origin": r.origin, "size": r.size, "root": r.root, "note": r.note, "path": r.out}),
    );
    Ok(())
}

fn run_cosign(cli: &Cli, req: &CosignRequest, out: &Output) -> Result<(), CliError> {
    let home = super::open_home(cli)?;
    // Every check first: a refused checkpoint is refused without asking for a key.
    let plan = check_cosign(&home, req)?;
    out.say("cosign-checked", &[("origin", plan.origin().into()), ("entries", plan.size().into())]);
    let key_pass = secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), false)?;
    let session = home.unlock(&key_pass)?;
    drop(key_pass);
    let r = cosign(&session, plan)?;
    let mut lines = vec![
        out.ta("cosign-done", &[("entries", r.size.into())]),
        out.fact("checkpoint-label-origin", &r.origin),
        out.fact("label-root", r.root),
        out.fact("cosign-label-cosigner", &r.cosigner),
    ];
    match (r.previous_size, r.first) {
        (_, true) => lines.push(out.t("cosign-first")),
        (Some(prev), false) => lines.push(out.ta("cosign-consistent", &[("previous", prev.into())])),
        (None, false) => {}
    }
    lines.push(out.fact("checkpoint-label-file", r.out.display()));
    out.result(
        &lines,
        json!({"ok": true, "origin": r.origin, "size": r.size, "root": r.root, "cosigner": r.cosigner,
               "timestamp": r.timestamp, "previous_size": r.previous_size, "previous_root": r.previous_root,
               "consistency_proof": r.consistency, "first": r.first, "note": r.note, "path": r.out}),
    );
    Ok(())
}

fn prove(cli: &Cli, seq: u64, checkpoint: Option<&std::path::Path>, out: &Output) -> Result<(), CliError> {
    let home = super::open_home(cli)?;
    let r = prove_entry(&home, seq, checkpoint)?;
    let p = &r.proof;
    let mut lines = vec![
        out.ta("prove-done", &[("seq", p.seq.into()), ("entries", p.size.into())]),
        out.fact("prove-label-kind", kind_name(out, &r.kind)),
        out.fact("prove-label-time", &r.time),
        out.fact("prove-label-leaf", p.leaf),
        out.fact("label-root", p.root),
    ];
    for (i, h) in p.hashes.iter().enumerate() {
        lines.push(format!("    {i:>2}  {h}"));
    }
    lines.push(String::new());
    lines.push(out.t(if r.checkpoint.is_some() { "prove-against-checkpoint" } else { "prove-against-ledger" }));
    out.result(
        &lines,
        json!({"ok": true, "origin": r.origin, "proof": p, "line": r.line, "kind": r.kind, "time": r.time,
               "checkpoint": r.checkpoint}),
    );
    Ok(())
}

/// A kind in the user's language (with its ledger name, which is what `--json` and the
/// docs show); a kind this release does not know, as written.
fn kind_name(out: &Output, kind: &str) -> String {
    let id = format!("event-kind-{kind}");
    if out.l.has(&id) {
        out.t(&id)
    } else {
        kind.to_owned()
    }
}
