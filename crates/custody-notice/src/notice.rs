//! What a notice says, and which file format it is written in.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::error::NoticeError;
use crate::notice_id::NoticeId;

/// The facts printed on a password notice. The passphrase is not part of it: it is
/// passed apart to [`crate::render`] so this struct can be logged and serialized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub notice_id: NoticeId,
    pub payload_id: String,
    /// The short fingerprint on the media label, `XXXX-XXXX-XXXX-XXXX`; the recipient
    /// compares the two before opening.
    pub fingerprint: String,
    pub issuer_org: String,
    pub issuer_name: String,
    pub recipient: Option<String>,
    pub contract: Option<String>,
    /// Data categories (情報項目), e.g. 住所, 氏名.
    pub categories: Vec<String>,
    pub issued: DateTime<FixedOffset>,
    pub file_count: u64,
    pub total_bytes: u64,
}

/// Longest payload id that reads back from a text notice.
pub(crate) const MAX_PAYLOAD_ID: usize = 128;

impl Notice {
    /// Checks that the fields the text format reads back are well formed, so a written
    /// notice always parses again with [`crate::parse_text_notice`].
    pub fn validate(&self) -> Result<(), NoticeError> {
        if !valid_payload_id(&self.payload_id) {
            return Err(NoticeError::InvalidField { field: "payload_id" });
        }
        if !valid_fingerprint(&self.fingerprint) {
            return Err(NoticeError::InvalidField { field: "fingerprint" });
        }
        Ok(())
    }
}

/// Non-empty, at most [`MAX_PAYLOAD_ID`] bytes, printable, no surrounding spaces.
pub(crate) fn valid_payload_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_PAYLOAD_ID
        && s.trim() == s
        && !s.chars().any(|c| c.is_control() || crate::render::is_format_char(c))
}

/// Four groups of four ASCII upper-case letters or digits, joined by `-`.
pub(crate) fn valid_fingerprint(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(
            |(i, c)| {
                if i % 5 == 4 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit() || c.is_ascii_uppercase()
                }
            },
        )
}

/// The file formats a notice is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeFormat {
    /// A print-ready A4 page with everything inline.
    Html,
    /// Plain UTF-8, one labelled fact per line; reads back with
    /// [`crate::parse_text_notice`].
    Text,
}

impl NoticeFormat {
    /// By extension, ignoring case: `.html`/`.htm` or `.txt`.
    pub fn from_path(path: &Path) -> Option<NoticeFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(NoticeFormat::Html),
            "txt" => Some(NoticeFormat::Text),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(NoticeFormat::from_path(Path::new("a/n.HTML")), Some(NoticeFormat::Html));
        assert_eq!(NoticeFormat::from_path(Path::new("n.htm")), Some(NoticeFormat::Html));
        assert_eq!(NoticeFormat::from_path(Path::new("n.txt")), Some(NoticeFormat::Text));
        assert_eq!(NoticeFormat::from_path(Path::new("n.pdf")), None);
        assert_eq!(NoticeFormat::from_path(Path::new("txt")), None);
    }

    #[test]
    fn fingerprint_shape() {
        assert!(valid_fingerprint("AB12-CD34-EF56-7890"));
        assert!(!valid_fingerprint("ab12-CD34-EF56-7890"));
        assert!(!valid_fingerprint("AB12CD34-EF56-7890-"));
        assert!(!valid_fingerprint("AB12-CD34-EF56-789"));
    }
}
