use custody_certificate::{Check, Outcome};
use custody_lifecycle::{verify_certificate, Home, VerifyRequest};
use serde_json::json;

use crate::args::{Cli, VerifyArgs};
use crate::errors::CliError;
use crate::output::Output;

/// The sentence for one reason, in the user's language.
fn reason_text(out: &Output, r: &custody_certificate::Reason) -> String {
    let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
        r.args.iter().map(|(k, v)| (*k, fluent_bundle::FluentValue::from(v.as_str()))).collect();
    out.ta(&format!("verify-why-{}", r.code), &args)
}

fn outcome_id(o: Outcome) -> &'static str {
    match o {
        Outcome::Passed => "verify-passed",
        Outcome::Failed => "verify-failed",
        Outcome::Skipped => "verify-skipped",
    }
}

fn check_json(out: &Output, c: &Check) -> serde_json::Value {
    json!({"name": c.name, "title": out.t(&format!("check-{}", c.name)), "outcome": c.outcome,
           "reasons": c.reasons.iter().map(|r| json!({"code": r.code,
               "args": r.args.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
               "text": reason_text(out, r)})).collect::<Vec<_>>()})
}

pub fn run(cli: &Cli, a: &VerifyArgs, out: &Output) -> Result<(), CliError> {
    // The verifier's own home is optional: an auditor may have none. When there is
    // one, its key is trusted for cosignatures and its kept manifests are used.
    let home = Home::locate(cli.home.as_deref()).ok().and_then(|root| Home::open(&root).ok());
    let req = VerifyRequest {
        input: a.input.clone(),
        trust: a.trust.clone(),
        chain: a.chain.clone(),
        ledger: a.ledger.clone(),
        checkpoint: a.checkpoint.clone(),
        labels: a.labels.clone(),
        manifests: a.manifests.clone(),
    };
    let report = verify_certificate(&req, home.as_ref())?;
    let failed = report.checks.iter().filter(|c| c.outcome == Outcome::Failed).count();
    let mut lines = vec![];
    for c in &report.checks {
        let mark = match c.outcome {
            Outcome::Passed => "✓",
            Outcome::Failed => "✗",
            Outcome::Skipped => "-",
        };
        lines.push(format!("{mark} {} [{}]", out.t(&format!("check-{}", c.name)), out.t(outcome_id(c.outcome))));
        for r in &c.reasons {
            lines.push(format!("    {}", reason_text(out, r)));
        }
    }
    lines.push(String::new());
    lines.push(if report.passed {
        out.ta("verify-ok", &[("id", report.id.clone().into())])
    } else {
        out.ta("verify-not-ok", &[("id", report.id.clone().into()), ("failed", failed.into())])
    });
    out.result(
        &lines,
        json!({"ok": report.passed, "id": report.id, "cert_seq": report.cert_seq, "issuer": report.issuer,
               "issuer_key": report.issuer_key, "payloads": report.payloads, "package": report.package,
               "checks": report.checks.iter().map(|c| check_json(out, c)).collect::<Vec<_>>()}),
    );
    if report.passed {
        Ok(())
    } else {
        Err(CliError::NotVerified { failed: failed as u64 })
    }
}
