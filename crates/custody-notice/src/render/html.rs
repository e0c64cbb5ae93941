//! The HTML notice: one print-ready A4 page.
//!
//! Nothing is loaded from anywhere: no fonts, images or scripts, and a
//! Content-Security-Policy that forbids them, so opening the file never makes a
//! network request and an escaped field could not make one either. The font stacks
//! name fonts a ward PC (Windows, macOS, Linux) already has.

use std::fmt::Write as _;

use custody_l10n::Localizer;

use super::text::{FORMAT_TAG, RULES};
use super::{Doc, Facts};
use crate::passphrase::Passphrase;

// Sized so that the longest fields a notice takes in practice (a 60-character
// recipient, a 50-character contract name, 15 data categories) still leave the
// handoff record on the first page: tests/documents.rs prints that case.
const STYLE: &str = r#"
@page { size: A4; margin: 10mm 13mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; background: #fff; font-size: 9.5pt; line-height: 1.35;
  font-family: "Noto Sans CJK JP", "Noto Sans JP", "BIZ UDPGothic", "Yu Gothic", YuGothic,
    "Hiragino Kaku Gothic ProN", "Hiragino Sans", Meiryo, sans-serif; }
@media screen { body { background: #e8e8e8; }
  .sheet { width: 210mm; min-height: 297mm; margin: 0 auto; padding: 12mm 14mm; background: #fff; } }
.mono { font-family: Consolas, "DejaVu Sans Mono", "Noto Sans Mono", Menlo, "BIZ UDGothic",
    "Courier New", monospace; font-variant-numeric: slashed-zero; font-feature-settings: "zero" 1; }
header { display: flex; justify-content: space-between; align-items: flex-start; }
.mark { border: 2px solid #000; padding: 1mm 3mm; font-weight: bold; font-size: 10pt; }
.meta { text-align: right; font-size: 10pt; }
h1 { text-align: center; font-size: 18pt; letter-spacing: 0.04em; margin: 1mm 0 1.5mm; }
html[lang="ja"] h1 { letter-spacing: 0.3em; }
h2 { font-size: 11pt; margin: 0 0 1.5mm; border-left: 4px solid #000; padding-left: 2mm; }
p { margin: 0 0 1mm; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
.facts th, .facts td { border: 1px solid #555; padding: 0.3mm 2mm; font-size: 9pt; text-align: left; vertical-align: top; }
.facts th { background: #f0f0f0; font-weight: normal; }
.facts col.l { width: 30mm; }
.fp { font-size: 12pt; font-weight: bold; letter-spacing: 0.05em; }
.hint { font-size: 8pt; line-height: 1.3; }
section { margin-top: 2.2mm; break-inside: avoid; page-break-inside: avoid; }
section.rules { break-inside: auto; page-break-inside: auto; }
.pass { border: 2px solid #000; padding: 1.5mm 4mm; }
.groups { display: flex; justify-content: center; align-items: flex-start; gap: 1.5mm; margin: 1.5mm 0 1.5mm; }
.group { text-align: center; }
.sym { display: block; border: 1.5px solid #000; padding: 0.5mm 1.5mm 0.5mm 2mm; font-size: 22pt; font-weight: bold;
  letter-spacing: 0.06em; line-height: 1.2; white-space: pre; }
.chk { background: #e0e0e0; }
.gno { display: block; font-size: 8pt; color: #444; }
.dash { font-size: 18pt; line-height: 1.9; color: #666; }
.canon { margin-top: 1.5mm; padding-top: 1.5mm; border-top: 1px dashed #666; }
.canon .mono { font-size: 13pt; font-weight: bold; letter-spacing: 0.08em; white-space: nowrap; }
ol { margin: 0; padding-left: 6mm; font-size: 9pt; line-height: 1.3; }
li { margin-bottom: 0; }
.sign th, .sign td { border: 1px solid #000; padding: 0.5mm 2.5mm; text-align: left; vertical-align: top; }
.sign thead th { text-align: center; background: #f0f0f0; width: 50%; }
.sign .row { height: 6.5mm; }
.sign .seal { height: 14mm; }
.k { font-size: 8.5pt; color: #333; display: block; }
footer { margin-top: 2mm; font-size: 8pt; color: #444; display: flex; justify-content: space-between; }
"#;

/// Prints the notice number and page count in the bottom margin of every page, so a
/// sheet that long fields pushed onto a second page still says which notice it is.
fn page_box(notice_id: &str) -> String {
    // A NoticeId is only ever `N-`, digits, `-` and Crockford symbols (checked when it
    // is made), so it needs no escaping inside a CSS string; anything else is dropped
    // rather than trusted.
    let id: String = notice_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    format!(
        "@page {{ @bottom-right {{ content: \"{id} \\00B7  \" counter(page) \" / \" counter(pages); \
         font-size: 8pt; color: #444; }} }}\n"
    )
}

/// HTML-escapes a caller's value (already single-line; see `Facts`).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render(doc: &mut Doc, f: &Facts, pass: &Passphrase, l: &Localizer) {
    // Doc's fmt::Write never fails, so write! results are ignored throughout.
    let m = |id: &str| esc(&l.msg(id));
    let opt = |v: &Option<String>| esc(v.as_deref().unwrap_or(&f.not_given));

    let _ = write!(
        doc,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>{title} {id}</title>
<style>{STYLE}{page_box}</style>
</head>
<body>
<main class="sheet">
<header>
<div class="mark">{conf}</div>
<div class="meta">{id_l}: <span class="mono">{id}</span><br>{issued_l}: {issued}</div>
</header>
<h1>{title}</h1>
<p>{intro}</p>
<table class="facts">
<colgroup><col class="l"><col><col class="l"><col></colgroup>
<tr><th>{payload_l}</th><td colspan="3" class="mono">{payload}</td></tr>
<tr><th>{fp_l}</th><td colspan="3"><span class="mono fp">{fp}</span><br><span class="hint">{fp_hint}</span></td></tr>
<tr><th>{cat_l}</th><td colspan="3">{cat}</td></tr>
<tr><th>{files_l}</th><td>{files}</td><th>{size_l}</th><td>{size}</td></tr>
<tr><th>{contract_l}</th><td colspan="3">{contract}</td></tr>
<tr><th>{recipient_l}</th><td colspan="3">{recipient}</td></tr>
<tr><th>{org_l}</th><td>{org}</td><th>{name_l}</th><td>{name}</td></tr>
</table>
<section class="pass">
<h2>{typed_l}</h2>
<div class="groups mono">"#,
        lang = l.lang().tag(),
        page_box = page_box(&f.notice_id),
        title = m("notice-title"),
        conf = m("notice-confidential"),
        id_l = m("notice-label-id"),
        id = esc(&f.notice_id),
        issued_l = m("notice-label-issued"),
        issued = esc(&f.issued),
        intro = m("notice-intro"),
        payload_l = m("notice-label-payload"),
        payload = esc(&f.payload_id),
        fp_l = m("notice-label-fingerprint"),
        fp = esc(&f.fingerprint),
        fp_hint = m("notice-fingerprint-hint"),
        cat_l = m("notice-label-categories"),
        cat = esc(&f.categories),
        files_l = m("notice-label-file-count"),
        files = esc(&f.file_count),
        size_l = m("notice-label-total-size"),
        size = esc(&f.total_size),
        contract_l = m("notice-label-contract"),
        contract = opt(&f.contract),
        recipient_l = m("notice-label-recipient"),
        recipient = opt(&f.recipient),
        org_l = m("notice-label-issuer-org"),
        org = esc(&f.issuer_org),
        name_l = m("notice-label-issuer-name"),
        name = esc(&f.issuer_name),
        typed_l = m("notice-label-typed"),
    );

    // Passphrase symbols (Crockford and `*~$=U`) need no escaping.
    for (i, group) in pass.typed_groups().iter().enumerate() {
        if i > 0 {
            doc.public(r#"<span class="dash">-</span>"#);
        }
        let (data, check) = group.split_at(group.len() - 1);
        doc.public(r#"<span class="group"><span class="sym">"#);
        doc.secret(data);
        doc.public(r#"<span class="chk">"#);
        doc.secret(check);
        let _ = write!(
            doc,
            r#"</span></span><span class="gno">{}</span></span>"#,
            esc(&l.msg_args("notice-group", &[("n", (i + 1).into())]))
        );
    }

    let _ = write!(
        doc,
        r#"</div>
<p class="hint">{typed_hint}</p>
<p class="hint">{symbol_note}</p>
<p class="canon">{canon_l}: <span class="mono">"#,
        typed_hint = m("notice-typed-hint"),
        symbol_note = m("notice-symbol-note"),
        canon_l = m("notice-label-canonical"),
    );
    doc.secret(pass.canonical());
    let _ = write!(
        doc,
        r#"</span><br><span class="hint">{canon_hint}</span></p>
</section>
<section class="rules">
<h2>{rules_h}</h2>
<ol>
"#,
        canon_hint = m("notice-canonical-hint"),
        rules_h = m("notice-rules-heading"),
    );
    for id in RULES {
        let _ = writeln!(doc, "<li>{}</li>", m(id));
    }
    let _ = write!(
        doc,
        r#"</ol>
</section>
<section>
<h2>{handover_h}</h2>
<table class="sign">
<thead><tr><th>{by}</th><th>{to}</th></tr></thead>
<tr class="row"><td><span class="k">{aff}</span></td><td><span class="k">{aff}</span></td></tr>
<tr class="row"><td><span class="k">{nm}</span></td><td><span class="k">{nm}</span></td></tr>
<tr><td class="seal"><span class="k">{seal}</span></td><td class="seal"><span class="k">{seal}</span></td></tr>
<tr class="row"><td><span class="k">{date}</span>{blank}</td><td><span class="k">{date}</span>{blank}</td></tr>
</table>
</section>
<footer><span>{footer}</span><span class="mono">{FORMAT_TAG} · {id}</span></footer>
</main>
</body>
</html>
"#,
        handover_h = m("notice-handover-heading"),
        by = m("notice-handed-by"),
        to = m("notice-received-by"),
        aff = m("notice-sign-affiliation"),
        nm = m("notice-sign-name"),
        seal = m("notice-sign-seal"),
        date = m("notice-sign-date"),
        blank = m("notice-sign-date-blank"),
        footer = m("notice-footer"),
        id = esc(&f.notice_id),
    );
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc(r#"<script>alert('x')</script>&"#), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
        assert_eq!(esc("\"a\""), "&quot;a&quot;");
    }
}
