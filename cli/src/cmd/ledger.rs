use custody_keys::PublicKey;
use custody_lifecycle::verify_ledger;
use serde_json::json;

use crate::args::{Cli, LedgerCommand};
use crate::errors::CliError;
use crate::output::Output;

pub fn run(cli: &Cli, c: &LedgerCommand, out: &Output) -> Result<(), CliError> {
    let (file, key) = match c {
        LedgerCommand::Verify { file, key } => (file, key),
        other => return super::checkpoint::run(cli, other, out),
    };
    let key = match key {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| CliError::Io { path: path.clone(), source })?;
            Some(PublicKey::from_minisign(&text).map_err(custody_lifecycle::Error::from)?)
        }
        None => None,
    };
    // Without a file, the home's own ledger, checked against the home's own key.
    let (path, key) = match file {
        Some(f) => (f.clone(), key),
        None => {
            let home = super::open_home(cli)?;
            (home.ledger_path(), key.or_else(|| Some(home.public_key().clone())))
        }
    };
    let report = verify_ledger(&path, key.as_ref())?;
    let mut lines = vec![
        out.ta("ledger-ok", &[("entries", report.entries.into())]),
        out.fact("label-ledger", report.path.display()),
        out.fact("label-root", &report.root),
    ];
    if let Some(owner) = &report.owner {
        lines.push(out.fact("label-owner", owner));
    }
    if !report.owner_key_confirmed {
        lines.push(out.t("ledger-owner-unconfirmed"));
    }
    out.result(
        &lines,
        json!({"ok": true, "path": report.path, "entries": report.entries, "root": report.root, "owner": report.owner,
               "owner_key_confirmed": report.owner_key_confirmed, "kinds": report.kinds}),
    );
    Ok(())
}
