//! Turns a [`Notice`] and its passphrase into a printable document.
//!
//! The output is assembled from public pieces and secret pieces and copied once into
//! a buffer of exactly the final size: a growing `String` would reallocate and leave
//! unzeroized copies of the passphrase in freed memory.

mod html;
mod text;

use chrono::NaiveDate;
use custody_l10n::{human_size, Lang, Localizer};
use zeroize::Zeroizing;

use crate::era::{era_year_en, gregorian_ja, japanese_date};
use crate::notice::{Notice, NoticeFormat};
use crate::passphrase::Passphrase;

pub(crate) use text::{labels, FORMAT_TAG, TITLES};

/// The notice as `format`, in the language of `l`.
pub fn render(notice: &Notice, pass: &Passphrase, format: NoticeFormat, l: &Localizer) -> Zeroizing<String> {
    let mut doc = Doc::default();
    let facts = Facts::new(notice, l);
    match format {
        NoticeFormat::Html => html::render(&mut doc, &facts, pass, l),
        NoticeFormat::Text => text::render(&mut doc, &facts, pass, l),
    }
    doc.finish()
}

/// A document under construction: public text and secret pieces in order.
#[derive(Default)]
pub(crate) struct Doc {
    parts: Vec<Part>,
}

enum Part {
    Public(String),
    Secret(Zeroizing<String>),
}

impl Doc {
    pub(crate) fn public(&mut self, s: &str) {
        match self.parts.last_mut() {
            Some(Part::Public(p)) => p.push_str(s),
            _ => self.parts.push(Part::Public(s.to_string())),
        }
    }

    pub(crate) fn secret(&mut self, s: &str) {
        // String::from(&str) allocates exactly once; the copy is zeroized on drop.
        self.parts.push(Part::Secret(Zeroizing::new(String::from(s))));
    }

    fn finish(self) -> Zeroizing<String> {
        let len = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Public(s) => s.len(),
                Part::Secret(s) => s.len(),
            })
            .sum();
        let mut out = Zeroizing::new(String::with_capacity(len));
        for p in &self.parts {
            match p {
                Part::Public(s) => out.push_str(s),
                Part::Secret(s) => out.push_str(s),
            }
        }
        out
    }
}

impl std::fmt::Write for Doc {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.public(s);
        Ok(())
    }
}

/// The displayed (non-secret) values, worded once for both formats. Every value
/// from the caller is already made single-line and free of bidi controls here.
pub(crate) struct Facts {
    pub notice_id: String,
    pub payload_id: String,
    pub fingerprint: String,
    pub issuer_org: String,
    pub issuer_name: String,
    pub recipient: Option<String>,
    pub contract: Option<String>,
    pub categories: String,
    pub file_count: String,
    pub total_size: String,
    pub issued: String,
    pub not_given: String,
}

impl Facts {
    fn new(n: &Notice, l: &Localizer) -> Facts {
        let sep = l.msg("notice-value-category-separator");
        let categories: Vec<String> = n.categories.iter().map(|c| one_line(c)).collect();
        let categories = if categories.is_empty() { l.msg("notice-value-not-given") } else { categories.join(&sep) };
        Facts {
            notice_id: n.notice_id.to_string(),
            payload_id: one_line(&n.payload_id),
            fingerprint: one_line(&n.fingerprint),
            issuer_org: one_line(&n.issuer_org),
            issuer_name: one_line(&n.issuer_name),
            recipient: n.recipient.as_deref().map(one_line),
            contract: n.contract.as_deref().map(one_line),
            categories,
            file_count: l.msg_args("notice-value-files", &[("count", group_digits(n.file_count).into())]),
            total_size: l.msg_args(
                "notice-value-size",
                &[("bytes", group_digits(n.total_bytes).into()), ("human", human_size(n.total_bytes).into())],
            ),
            issued: issued_date(n.issued.date_naive(), l.lang()),
            not_given: l.msg("notice-value-not-given"),
        }
    }
}

/// `2026年11月24日（令和8年11月24日）` or `2026-11-24 (Reiwa 8)`.
fn issued_date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Ja => {
            let era = japanese_date(d);
            let greg = gregorian_ja(d);
            if era == greg {
                greg
            } else {
                format!("{greg}（{era}）")
            }
        }
        Lang::En => match era_year_en(d) {
            Some(era) => format!("{} ({era})", d.format("%Y-%m-%d")),
            None => d.format("%Y-%m-%d").to_string(),
        },
    }
}

/// Characters that change how text is laid out without being seen: bidi embeddings,
/// overrides and isolates, line and paragraph separators. A hostile field could use
/// them to make a printed value read differently from its bytes.
pub(crate) fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Makes a caller's value safe for one line of a text notice: control and layout
/// characters become spaces, so a value can never start a labelled line of its own.
pub(crate) fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() || is_format_char(c) { ' ' } else { c }).collect()
}

/// `1234567` → `1,234,567`.
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(1234567), "1,234,567");
        assert_eq!(group_digits(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn one_line_removes_breaks_and_bidi() {
        assert_eq!(one_line("a\nb\r\nc\u{2028}d\u{202E}e\u{85}"), "a b  c d e ");
    }

    #[test]
    fn issued_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(issued_date(d, Lang::Ja), "2026年11月24日（令和8年11月24日）");
        assert_eq!(issued_date(d, Lang::En), "2026-11-24 (Reiwa 8)");
    }
}
