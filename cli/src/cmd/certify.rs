use custody_l10n::Lang;
use custody_lifecycle::{certify, countersign, CertifyRequest};
use serde_json::json;

use crate::args::{CertifyArgs, Cli};
use crate::errors::CliError;
use crate::output::Output;
use crate::secret;

pub fn run(cli: &Cli, a: &CertifyArgs, out: &Output) -> Result<(), CliError> {
    let home = super::open_home(cli)?;
    let key_pass = secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), false)?;
    let session = home.unlock(&key_pass)?;
    drop(key_pass);
    if let Some(cert) = &a.countersign {
        let r = countersign(&session, cert)?;
        out.result(
            &[
                out.ta("certify-countersigned", &[("id", r.id.clone().into())]),
                out.fact("certify-label-signature", r.signature.display()),
            ],
            json!({"ok": true, "id": r.id, "signature": r.signature, "key_id": r.key_id, "ledger_seq": r.ledger_seq}),
        );
        return Ok(());
    }
    let Some(cert_out) = &a.out else {
        return Err(CliError::Usage { what: "--out" });
    };
    let lang = cli.lang.map(Lang::from).unwrap_or_else(|| out.l.lang());
    let req = CertifyRequest {
        records: a.records.clone(),
        out: cert_out.clone(),
        contract: a.contract.clone(),
        to: a.to.clone(),
        media_destination: a.media_destination.clone(),
        notes: a.notes.clone(),
        lang,
        package: a.package.clone(),
    };
    let r = certify(&session, &req)?;
    let mut lines = vec![
        out.ta("certify-written", &[("id", r.id.clone().into()), ("seq", r.cert_seq.into())]),
        out.fact("certify-label-certificate", r.certificate.display()),
        out.fact("certify-label-signature", r.signature.display()),
        out.fact("certify-label-html", r.html.display()),
        out.fact("certify-label-payloads", r.payloads.join(", ")),
        out.fact("certify-label-items", r.items),
        out.fact("certify-label-ledger-seq", r.ledger_seq),
    ];
    if let Some(p) = &r.package {
        lines.push(out.fact("certify-label-package", p.display()));
    }
    out.result(&lines, json!({"ok": true, "certificate": r}));
    Ok(())
}
