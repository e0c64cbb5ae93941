//! The plain-text notice: a title line, then one `Label: value` fact per line.
//!
//! The labels in [`Labels`] are the file format that [`crate::parse_text_notice`]
//! reads back. They are also in `custody-l10n/i18n/*/notice.ftl`, from which the
//! renderer takes them; a test keeps both in step.

use std::fmt::Write as _;

use custody_l10n::{Lang, Localizer};

use super::{Doc, Facts};
use crate::passphrase::Passphrase;

/// The value of the format line; bump it when the parsed labels change meaning.
pub(crate) const FORMAT_TAG: &str = "custody-notice/1";

/// The first line of a text notice, per language.
pub(crate) const TITLES: [(Lang, &str); 2] = [(Lang::Ja, "パスワード通知書"), (Lang::En, "Password notice")];

/// The labels of the lines that are read back.
pub(crate) struct Labels {
    pub format: &'static str,
    pub notice_id: &'static str,
    pub payload_id: &'static str,
    pub fingerprint: &'static str,
    pub typed: &'static str,
    pub canonical: &'static str,
}

const JA: Labels = Labels {
    format: "書式",
    notice_id: "通知番号",
    payload_id: "暗号化データID",
    fingerprint: "照合コード",
    typed: "パスワード（入力用）",
    canonical: "パスワード（標準形式）",
};

const EN: Labels = Labels {
    format: "Format",
    notice_id: "Notice number",
    payload_id: "Payload ID",
    fingerprint: "Fingerprint",
    typed: "Passphrase (to type)",
    canonical: "Passphrase (canonical)",
};

pub(crate) fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

pub(super) fn render(doc: &mut Doc, f: &Facts, pass: &Passphrase, l: &Localizer) {
    // Writing into a Doc cannot fail (its fmt::Write never errors), so the results of
    // writeln! are ignored throughout.
    let line = |doc: &mut Doc, id: &str, value: &str| {
        let _ = writeln!(doc, "{}: {}", l.msg(id), value);
    };
    let note = |doc: &mut Doc, id: &str| {
        let _ = writeln!(doc, "{} {}", l.msg("notice-note-prefix"), l.msg(id));
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| f.not_given.clone());

    let _ = writeln!(doc, "{}", l.msg("notice-title"));
    let _ = writeln!(doc, "{}", l.msg("notice-confidential"));
    line(doc, "notice-label-format", FORMAT_TAG);
    line(doc, "notice-label-id", &f.notice_id);
    line(doc, "notice-label-issued", &f.issued);
    doc.public("\n");
    let _ = writeln!(doc, "{}", l.msg("notice-intro"));
    line(doc, "notice-label-payload", &f.payload_id);
    line(doc, "notice-label-fingerprint", &f.fingerprint);
    note(doc, "notice-fingerprint-hint");
    doc.public("\n");

    let _ = write!(doc, "{}: ", l.msg("notice-label-typed"));
    doc.secret(&pass.typed_form());
    doc.public("\n");
    note(doc, "notice-typed-hint");
    note(doc, "notice-symbol-note");
    let _ = write!(doc, "{}: ", l.msg("notice-label-canonical"));
    doc.secret(pass.canonical());
    doc.public("\n");
    note(doc, "notice-canonical-hint");
    doc.public("\n");

    line(doc, "notice-label-categories", &f.categories);
    line(doc, "notice-label-file-count", &f.file_count);
    line(doc, "notice-label-total-size", &f.total_size);
    line(doc, "notice-label-contract", &opt(&f.contract));
    line(doc, "notice-label-recipient", &opt(&f.recipient));
    line(doc, "notice-label-issuer-org", &f.issuer_org);
    line(doc, "notice-label-issuer-name", &f.issuer_name);
    doc.public("\n");

    let _ = writeln!(doc, "{}", l.msg("notice-rules-heading"));
    for (i, id) in RULES.iter().enumerate() {
        let _ = writeln!(doc, "{}. {}", i + 1, l.msg(id));
    }
    doc.public("\n");

    let _ = writeln!(doc, "{}", l.msg("notice-handover-heading"));
    for who in ["notice-handed-by", "notice-received-by"] {
        let _ = writeln!(
            doc,
            "{who} {aff}: ____________________  {name}: ____________________",
            who = l.msg(who),
            aff = l.msg("notice-sign-affiliation"),
            name = l.msg("notice-sign-name"),
        );
        let _ = writeln!(
            doc,
            "{who} {seal}: ____________________  {date}: {blank}",
            who = l.msg(who),
            seal = l.msg("notice-sign-seal"),
            date = l.msg("notice-sign-date"),
            blank = l.msg("notice-sign-date-blank"),
        );
    }
    doc.public("\n");
    let _ = writeln!(doc, "{}", l.msg("notice-footer"));
}

/// The handling rules, in the order printed (R2, R4, R16, R6/R15, R6, R13).
pub(crate) const RULES: [&str; 6] = [
    "notice-rule-separate",
    "notice-rule-cabinet",
    "notice-rule-no-copy",
    "notice-rule-return",
    "notice-rule-destroy",
    "notice-rule-incident",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser's labels are the format; the ftl files must say the same.
    #[test]
    fn ftl_labels_match_the_format() {
        for lang in [Lang::Ja, Lang::En] {
            let l = Localizer::new(lang);
            let lb = labels(lang);
            assert_eq!(l.msg("notice-label-format"), lb.format);
            assert_eq!(l.msg("notice-label-id"), lb.notice_id);
            assert_eq!(l.msg("notice-label-payload"), lb.payload_id);
            assert_eq!(l.msg("notice-label-fingerprint"), lb.fingerprint);
            assert_eq!(l.msg("notice-label-typed"), lb.typed);
            assert_eq!(l.msg("notice-label-canonical"), lb.canonical);
            let title = TITLES.iter().find(|(t, _)| *t == lang).map(|(_, s)| *s);
            assert_eq!(Some(l.msg("notice-title").as_str()), title);
        }
    }
}
