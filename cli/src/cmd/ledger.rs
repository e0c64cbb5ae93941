use custody_lifecycle::{read_public_key_file, repair_ledger, verify_ledger};
use serde_json::json;

use crate::args::{Cli, LedgerCommand};
use crate::errors::{self, CliError};
use crate::output::Output;
use crate::secret;

pub fn run(cli: &Cli, c: &LedgerCommand, out: &Output) -> Result<(), CliError> {
    match c {
        LedgerCommand::Verify { file, key } => verify(cli, file.as_deref(), key.as_deref(), out),
        LedgerCommand::Repair => repair(cli, out),
        other => super::checkpoint::run(cli, other, out),
    }
}

fn verify(
    cli: &Cli,
    file: Option<&std::path::Path>,
    key: Option<&std::path::Path>,
    out: &Output,
) -> Result<(), CliError> {
    let key = key.map(read_public_key_file).transpose()?;
    // Without a file, the home's own ledger, checked against the home's own key.
    let (path, key) = match file {
        Some(f) => (f.to_path_buf(), key),
        None => {
            let home = super::open_home(cli)?;
            (home.ledger_path(), key.or_else(|| Some(home.public_key().clone())))
        }
    };
    let report = verify_ledger(&path, key.as_ref())?;
    let mut lines = vec![
        out.ta("ledger-ok", &[("entries", report.entries.into())]),
        out.fact("label-ledger", crate::output::esc(&report.path.display().to_string())),
        out.fact("label-root", &report.root),
    ];
    if let Some(owner) = &report.owner {
        lines.push(out.fact("label-owner", owner));
    }
    let mut doc = json!({"ok": true, "path": report.path, "entries": report.entries, "root": report.root,
                         "owner": report.owner, "owner_key_confirmed": report.owner_key_confirmed,
                         "kinds": report.kinds});
    if report.owner_key_confirmed {
        out.result(&lines, doc);
        return Ok(());
    }
    // The chain and signatures hold, but only against a key the ledger itself names:
    // anyone can write such a ledger. Its own exit code, so no script takes it for
    // a verified ledger.
    let err = CliError::LedgerOwnerUnconfirmed { path: path.clone(), owner: report.owner.clone().unwrap_or_default() };
    let rendered = errors::render(&err, out);
    lines.push(out.t("ledger-owner-unconfirmed"));
    doc["ok"] = json!(false);
    doc["error"] = json!({"code": rendered.code, "exit": rendered.exit as u8, "message": rendered.message,
                          "hint": rendered.hint});
    out.result(&lines, doc);
    Err(err)
}

fn repair(cli: &Cli, out: &Output) -> Result<(), CliError> {
    let home = super::open_home(cli)?;
    let pass = secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), false)?;
    let session = home.unlock(&pass)?;
    drop(pass);
    match repair_ledger(&session)? {
        None => {
            out.result(&[out.t("repair-nothing")], json!({"ok": true, "repaired": false, "ledger": home.ledger_path()}))
        }
        Some(r) => out.result(
            &[
                out.ta("repair-done", &[("line", r.line.into()), ("bytes", r.bytes.into())]),
                out.fact("repair-label-saved", crate::output::esc(&r.saved_as.display().to_string())),
                out.fact("repair-label-sha256", &r.sha256),
                out.fact("repair-label-seq", r.ledger_seq),
            ],
            json!({"ok": true, "repaired": true, "ledger": r.ledger, "line": r.line, "offset": r.offset,
                   "bytes": r.bytes, "sha256": r.sha256, "saved_as": r.saved_as, "ledger_seq": r.ledger_seq}),
        ),
    }
    Ok(())
}
