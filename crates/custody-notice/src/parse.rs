//! Reads a text notice back: `custody open --passphrase-file notice.txt` takes the
//! notice file itself. The text is untrusted (anyone can hand over a file), so the
//! reader is bounded and strict: a size limit, the title on line 1, and exactly one
//! line for each label it needs; every other line is ignored.

use custody_l10n::Lang;

use crate::error::NoticeError;
use crate::notice::{valid_fingerprint, valid_payload_id};
use crate::notice_id::NoticeId;
use crate::passphrase::Passphrase;
use crate::render::{labels, FORMAT_TAG, TITLES};

/// Largest text notice read. A rendered notice is about 3 KiB; the margin allows long
/// names and categories, and the bound keeps a hostile file from costing anything.
pub const MAX_TEXT_NOTICE_BYTES: usize = 64 * 1024;

/// What a text notice says that opening a payload needs.
#[derive(Debug)]
pub struct ParsedNotice {
    pub notice_id: NoticeId,
    pub payload_id: String,
    pub fingerprint: String,
    pub passphrase: Passphrase,
    /// The language the notice was written in.
    pub lang: Lang,
}

const FORMAT: usize = 0;
const ID: usize = 1;
const PAYLOAD: usize = 2;
const FINGERPRINT: usize = 3;
const TYPED: usize = 4;
const CANONICAL: usize = 5;

/// Reads the notice number, payload id, fingerprint and passphrase from a text
/// notice written by [`crate::write_notice`] in either language.
///
/// Lines end in `\n` or `\r\n`; a leading byte-order mark is skipped. Line 1 is the
/// title; the lines read are `<label>: <value>` with the labels of the title's
/// language (`docs/notice.md`), each exactly once. Both passphrase lines must name
/// the same passphrase. Errors name the line, never its passphrase.
pub fn parse_text_notice(text: &str) -> Result<ParsedNotice, NoticeError> {
    if text.len() > MAX_TEXT_NOTICE_BYTES {
        return Err(NoticeError::TooLarge { bytes: text.len(), limit: MAX_TEXT_NOTICE_BYTES });
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let title = lines.next().unwrap_or("").trim_end();
    let lang = TITLES.iter().find(|(_, t)| *t == title).map(|(l, _)| *l).ok_or(NoticeError::NotANotice)?;
    let lb = labels(lang);
    let wanted = [lb.format, lb.notice_id, lb.payload_id, lb.fingerprint, lb.typed, lb.canonical];

    let mut found: [Option<(usize, &str)>; 6] = [None; 6];
    for (i, line) in lines.enumerate() {
        let line_no = i + 2;
        for (slot, label) in wanted.iter().enumerate() {
            let Some(value) = line.strip_prefix(label).and_then(|r| r.strip_prefix(": ")) else {
                continue;
            };
            if found[slot].is_some() {
                return Err(NoticeError::DuplicateLine { label, line: line_no });
            }
            found[slot] = Some((line_no, value.trim()));
        }
    }
    let get = |slot: usize| found[slot].ok_or(NoticeError::MissingLine { label: wanted[slot] });

    let (line, v) = get(FORMAT)?;
    if v != FORMAT_TAG {
        return Err(NoticeError::InvalidValue { label: lb.format, line });
    }
    let (line, v) = get(ID)?;
    let notice_id: NoticeId = v.parse().map_err(|_| NoticeError::InvalidValue { label: lb.notice_id, line })?;
    let (line, v) = get(PAYLOAD)?;
    if !valid_payload_id(v) {
        return Err(NoticeError::InvalidValue { label: lb.payload_id, line });
    }
    let payload_id = v.to_string();
    let (line, v) = get(FINGERPRINT)?;
    if !valid_fingerprint(v) {
        return Err(NoticeError::InvalidValue { label: lb.fingerprint, line });
    }
    let fingerprint = v.to_string();
    let (line, v) = get(TYPED)?;
    let passphrase = Passphrase::parse(v).map_err(|source| NoticeError::Passphrase { line, source })?;
    let (line, v) = get(CANONICAL)?;
    let canonical = Passphrase::parse(v).map_err(|source| NoticeError::Passphrase { line, source })?;
    if canonical.canonical() != passphrase.canonical() {
        return Err(NoticeError::PassphraseMismatch { line });
    }
    Ok(ParsedNotice { notice_id, payload_id, fingerprint, passphrase, lang })
}
