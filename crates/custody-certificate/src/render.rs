//! The printable certificate: one A4 page of HTML with the same facts as the JSON.
//!
//! Self-contained like the password notice: no fonts, images or scripts, and a
//! Content-Security-Policy that forbids loading any. Every value from the document is
//! escaped. The JSON and its signature are the certificate; the page is its readable
//! form and carries the seal boxes (作業者 / 取扱責任者 / 確認者) for the paper copy.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::DateTime;
use custody_l10n::{Lang, Localizer};

use crate::model::{Certificate, EntryStatus};

const STYLE: &str = r#"
@page { size: A4; margin: 11mm 13mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; background: #fff; font-size: 9pt; line-height: 1.35;
  font-family: "Noto Sans CJK JP", "Noto Sans JP", "BIZ UDPGothic", "Yu Gothic", YuGothic,
    "Hiragino Kaku Gothic ProN", "Hiragino Sans", Meiryo, sans-serif; }
@media screen { body { background: #e8e8e8; }
  .sheet { width: 210mm; min-height: 297mm; margin: 0 auto; padding: 11mm 13mm; background: #fff; } }
.mono { font-family: Consolas, "DejaVu Sans Mono", "Noto Sans Mono", Menlo, "BIZ UDGothic", monospace;
  font-size: 8pt; word-break: break-all; }
header { display: flex; justify-content: space-between; align-items: flex-start; }
.to { font-size: 10.5pt; }
.meta { text-align: right; }
h1 { text-align: center; font-size: 18pt; margin: 1mm 0 2mm; }
html[lang="ja"] h1 { letter-spacing: 0.3em; }
h2 { font-size: 10pt; margin: 2.5mm 0 1mm; border-left: 4px solid #000; padding-left: 2mm; }
p { margin: 0 0 1mm; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #555; padding: 0.4mm 1.8mm; text-align: left; vertical-align: top; }
th { background: #f0f0f0; font-weight: normal; }
col.l { width: 29mm; }
.ok { font-weight: bold; }
.ng { font-weight: bold; text-decoration: underline; }
.sign { margin-top: 3mm; }
.sign thead th { text-align: center; }
.sign .seal { height: 17mm; }
footer { margin-top: 2mm; font-size: 7.5pt; color: #333; }
section { break-inside: avoid; page-break-inside: avoid; }
"#;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The date as a ward form writes it: the Japanese era in Japanese, ISO in English.
fn date(l: &Localizer, rfc3339: &str) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) if l.lang() == Lang::Ja => {
            format!("{} {}", custody_notice::japanese_date(t.date_naive()), t.format("%H:%M"))
        }
        Ok(t) => t.format("%Y-%m-%d %H:%M (%:z)").to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

/// The HTML page for `cert` in `l`'s language.
pub fn render_html(cert: &Certificate, l: &Localizer) -> String {
    let m = |id: &str| esc(&l.msg(id));
    let none = m("cert-not-given");
    let opt = |v: &Option<String>| v.as_deref().map(esc).unwrap_or_else(|| none.clone());
    let mut h = String::new();
    // String's fmt::Write never fails: write! results are ignored throughout.
    let _ = write!(
        h,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>{title} {id}</title>
<style>{STYLE}</style>
</head>
<body>
<main class="sheet">
<header>
<div class="to">"#,
        lang = l.lang().tag(),
        title = m("cert-title"),
        id = esc(&cert.id),
    );
    for to in &cert.addressed_to {
        let _ = write!(h, "{}<br>", esc(&l.msg_args("cert-addressed", &[("party", to.as_str().into())])));
    }
    let _ = write!(
        h,
        r#"</div>
<div class="meta">{id_l}: <span class="mono">{id}</span><br>{issued_l}: {issued}<br>{seq_l}: {seq}</div>
</header>
<h1>{title}</h1>
<p>{intro}</p>
<h2>{issuer_h}</h2>
<table><colgroup><col class="l"><col><col class="l"><col></colgroup>
<tr><th>{org_l}</th><td>{org}</td><th>{name_l}</th><td>{name}</td></tr>
<tr><th>{key_l}</th><td class="mono">{key}</td><th>{contract_l}</th><td>{contract}</td></tr>
</table>
"#,
        id_l = m("cert-label-id"),
        id = esc(&cert.id),
        issued_l = m("cert-label-issued"),
        issued = esc(&date(l, &cert.issued)),
        seq_l = m("cert-label-seq"),
        seq = cert.cert_seq,
        title = m("cert-title"),
        intro = m("cert-intro"),
        issuer_h = m("cert-heading-issuer"),
        org_l = m("cert-label-org"),
        org = esc(&cert.issuer.org),
        name_l = m("cert-label-name"),
        name = esc(&cert.issuer.name),
        key_l = m("cert-label-key"),
        key = esc(&cert.issuer.key_id),
        contract_l = m("cert-label-contract"),
        contract = opt(&cert.contract),
    );
    for (n, item) in cert.items.iter().enumerate() {
        let media = &item.media;
        let make: Vec<&str> = [&media.make, &media.model, &media.serial].iter().filter_map(|v| v.as_deref()).collect();
        let result_class = if item.outcome == "all-erased" { "ok" } else { "ng" };
        let assurance: Vec<String> =
            item.assurance.iter().map(|(k, v)| format!("{} {}", l.msg(&format!("assurance-{k}")), v)).collect();
        let _ = write!(
            h,
            r#"<section><h2>{item_h} {n}</h2>
<table><colgroup><col class="l"><col><col class="l"><col></colgroup>
<tr><th>{media_l}</th><td>{media}</td><th>{make_l}</th><td>{make}</td></tr>
<tr><th>{type_l}</th><td>{mtype}</td><th>{method_l}</th><td>{method} ({passes})</td></tr>
<tr><th>{tool_l}</th><td>{tool}</td><th>{verif_l}</th><td>{verif}: {vres}</td></tr>
<tr><th>{place_l}</th><td>{host}</td><th>{when_l}</th><td>{started} – {finished}</td></tr>
<tr><th>{result_l}</th><td colspan="3"><span class="{result_class}">{outcome}</span> {counts}<br>{assurance}</td></tr>
<tr><th>{payloads_l}</th><td colspan="3" class="mono">{payloads}</td></tr>
</table></section>
"#,
            item_h = m("cert-heading-item"),
            n = n + 1,
            media_l = m("cert-label-media"),
            media = m(&format!("cert-media-{}", media.kind.replace('_', "-"))),
            make_l = m("cert-label-make"),
            make = if make.is_empty() { none.clone() } else { esc(&make.join(" / ")) },
            type_l = m("cert-label-method-type"),
            mtype = m(&format!("cert-method-type-{}", item.method_type)),
            method_l = m("cert-label-method"),
            method = esc(&item.method),
            passes = esc(&item.passes.join(", ")),
            tool_l = m("cert-label-tool"),
            tool = esc(&item.tool),
            verif_l = m("cert-label-verification"),
            verif = esc(&item.verification),
            vres = m(&format!("cert-verification-{}", item.verification_result)),
            place_l = m("cert-label-place"),
            host = esc(&item.host),
            when_l = m("cert-label-when"),
            started = esc(&date(l, &item.started)),
            finished = esc(&date(l, &item.finished)),
            result_l = m("cert-label-result"),
            outcome = m(&format!("cert-outcome-{}", item.outcome)),
            counts = esc(&l.msg_args(
                "cert-counts",
                &[
                    ("items", item.counts.items.into()),
                    ("erased", item.counts.erased.into()),
                    ("failed", item.counts.failed.into()),
                    ("not_attempted", item.counts.not_attempted.into()),
                ]
            )),
            assurance = esc(&assurance.join(" / ")),
            payloads_l = m("cert-label-payloads"),
            payloads = if item.payloads.is_empty() { none.clone() } else { esc(&item.payloads.join(", ")) },
        );
    }
    let _ = write!(
        h,
        r#"<section><h2>{cov_h}</h2>
<table><colgroup><col style="width:40mm"><col style="width:14mm"><col><col style="width:30mm"></colgroup>
<thead><tr><th>{pid_l}</th><th>{files_l}</th><th>{cov_l}</th><th>{opened_l}</th></tr></thead>
"#,
        cov_h = m("cert-heading-coverage"),
        pid_l = m("cert-label-payload"),
        files_l = m("cert-label-files"),
        cov_l = m("cert-label-coverage"),
        opened_l = m("cert-label-opened"),
    );
    for p in &cert.payloads {
        let mut by: BTreeMap<EntryStatus, u64> = BTreeMap::new();
        for e in &p.entries {
            *by.entry(e.status).or_default() += 1;
        }
        let mut parts: Vec<String> =
            by.iter().rev().map(|(s, n)| format!("{} {n}", l.msg(&format!("cert-status-{}", s.name())))).collect();
        if p.entries.is_empty() && p.ciphertext_erased {
            parts.push(l.msg("cert-status-ciphertext"));
        }
        if p.unlisted_erased > 0 {
            parts.push(l.msg_args("cert-unlisted", &[("n", p.unlisted_erased.into())]));
        }
        let _ = writeln!(
            h,
            "<tr><td class=\"mono\">{}<br>{}…</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.payload_id),
            esc(&p.manifest_root[..16.min(p.manifest_root.len())]),
            p.file_count,
            esc(&parts.join(" / ")),
            p.opened.as_deref().map(|t| esc(&date(l, t))).unwrap_or_else(|| none.clone()),
        );
    }
    let root = custody_ledger::checkpoint::Checkpoint::parse_body(
        cert.anchor.checkpoint.split("\n\n").next().map(|t| format!("{t}\n")).as_deref().unwrap_or(""),
    );
    let anchor = match root {
        Ok(c) => format!("{} / {}", c.size, c.root),
        Err(_) => none.clone(),
    };
    let _ = write!(
        h,
        r#"</table></section>
<section><h2>{other_h}</h2>
<table><colgroup><col class="l"><col></colgroup>
<tr><th>{dest_l}</th><td>{dest}</td></tr>
<tr><th>{notes_l}</th><td>{notes}</td></tr>
<tr><th>{anchor_l}</th><td class="mono">{anchor}</td></tr>
<tr><th>{prev_l}</th><td class="mono">{prev}</td></tr>
</table></section>
<p>{attest}</p>
<table class="sign"><thead><tr><th>{worker}</th><th>{responsible}</th><th>{validator}</th></tr></thead>
<tr><td class="seal"></td><td class="seal"></td><td class="seal"></td></tr></table>
<footer>{footer}</footer>
</main>
</body>
</html>
"#,
        other_h = m("cert-heading-other"),
        dest_l = m("cert-label-destination"),
        dest = opt(&cert.media_destination),
        notes_l = m("cert-label-notes"),
        notes = opt(&cert.notes),
        anchor_l = m("cert-label-anchor"),
        anchor = esc(&anchor),
        prev_l = m("cert-label-prev"),
        prev = opt(&cert.prev_cert),
        attest = m("cert-attestation"),
        worker = m("cert-seal-worker"),
        responsible = m("cert-seal-responsible"),
        validator = m("cert-seal-validator"),
        footer = esc(&l.msg_args("cert-footer", &[("id", cert.id.as_str().into())])),
    );
    h
}
