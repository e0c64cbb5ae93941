//! `<id>.label.json`: the plaintext label beside a payload. It names parties and
//! hashes, never a file name or any personal data.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::error::SealError;
use crate::id::{crockford_bits, PayloadId};
use crate::manifest::{hex32, rfc3339};
use crate::seal::SealOutcome;
use crate::untrusted::{read_small_file, FileProblem};

/// The `format` value of every label this version writes.
pub const LABEL_FORMAT: &str = "age-v1-scrypt+tar+manifest-v1";

/// Largest label file we read; real ones are under 2 KiB.
pub const MAX_LABEL_BYTES: u64 = 64 << 10;

/// Who seals, for whom, under which notice: the label's non-derived fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelInfo {
    /// The issuing organisation (e.g. the ward).
    pub issuer: String,
    /// The receiving organisation, if known.
    pub recipient: Option<String>,
    /// The contract reference, if any.
    pub contract: Option<String>,
    /// The id of the password notice that carries the passphrase.
    pub notice_id: String,
    /// Key id of the person who sealed.
    pub sealed_by: String,
}

/// The label of one payload (docs/label.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Format version, 1.
    pub v: u32,
    /// Always [`LABEL_FORMAT`].
    pub format: String,
    /// The payload id.
    pub payload_id: PayloadId,
    /// SHA-256 of the whole age file (hex in JSON).
    #[serde(with = "hex32")]
    pub ciphertext_sha256: [u8; 32],
    /// Size of the age file in bytes.
    pub ciphertext_size: u64,
    /// Number of files inside.
    pub file_count: u64,
    /// What a person compares with the password notice ([`fingerprint`] of
    /// `ciphertext_sha256`). Labels written before it existed lack it: readers then
    /// compute it, and a label that carries it must carry the right one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Number of directories inside.
    pub dir_count: u64,
    /// Sum of file sizes inside.
    pub total_bytes: u64,
    /// SHA-256 of `MANIFEST.json` (hex in JSON).
    #[serde(with = "hex32")]
    pub manifest_root: [u8; 32],
    /// Declared data categories.
    pub categories: Vec<String>,
    /// Seal time.
    #[serde(with = "rfc3339")]
    pub created: DateTime<FixedOffset>,
    /// Issuing organisation.
    pub issuer: String,
    /// Receiving organisation.
    pub recipient: Option<String>,
    /// Contract reference.
    pub contract: Option<String>,
    /// Password notice id.
    pub notice_id: String,
    /// Key id of the sealer.
    pub sealed_by: String,
}

/// Why label bytes are not a label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelProblem {
    #[error("too large")]
    TooLarge,
    /// A FIFO, device, directory or symlink where the label should be.
    #[error("not a regular file")]
    NotARegularFile,
    /// Not JSON, or JSON without exactly the label's fields; where the parser stopped.
    #[error("not a label (line {line}, column {column})")]
    NotALabel { line: usize, column: usize },
    #[error("unsupported version {v} / format {format:?}")]
    UnsupportedFormat { v: u32, format: String },
    #[error("not canonical JCS followed by one newline")]
    NotCanonical,
    #[error("{field}: not one line of text")]
    FieldNotOneLine { field: &'static str },
    /// The `fingerprint` field is not the one `ciphertext_sha256` gives.
    #[error("the fingerprint does not match ciphertext_sha256")]
    FingerprintMismatch,
}

impl Label {
    /// The label for a sealed payload.
    pub fn from_outcome(outcome: &SealOutcome, info: &LabelInfo) -> Label {
        let m = &outcome.manifest;
        Label {
            v: 1,
            format: LABEL_FORMAT.into(),
            payload_id: m.payload_id.clone(),
            ciphertext_sha256: outcome.ciphertext_sha256,
            ciphertext_size: outcome.ciphertext_len,
            file_count: outcome.file_count,
            fingerprint: Some(fingerprint(&outcome.ciphertext_sha256)),
            dir_count: m.dirs.len() as u64,
            total_bytes: outcome.total_bytes,
            manifest_root: outcome.manifest_root,
            categories: m.categories.clone(),
            created: m.created,
            issuer: info.issuer.clone(),
            recipient: info.recipient.clone(),
            contract: info.contract.clone(),
            notice_id: info.notice_id.clone(),
            sealed_by: info.sealed_by.clone(),
        }
    }

    /// The exact bytes of the label file: JCS and one newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Strings, integers and arrays always serialise.
        let mut b = serde_jcs::to_vec(self).unwrap_or_default();
        b.push(b'\n');
        b
    }

    /// Parses label bytes strictly: canonical JCS plus one newline, known fields only.
    pub fn parse(bytes: &[u8]) -> Result<Label, LabelProblem> {
        if bytes.len() as u64 > MAX_LABEL_BYTES {
            return Err(LabelProblem::TooLarge);
        }
        let label: Label = serde_json::from_slice(bytes)
            .map_err(|e| LabelProblem::NotALabel { line: e.line(), column: e.column() })?;
        if label.v != 1 || label.format != LABEL_FORMAT {
            return Err(LabelProblem::UnsupportedFormat { v: label.v, format: label.format });
        }
        if label.to_bytes() != bytes {
            return Err(LabelProblem::NotCanonical);
        }
        if label.fingerprint.as_ref().is_some_and(|f| *f != fingerprint(&label.ciphertext_sha256)) {
            return Err(LabelProblem::FingerprintMismatch);
        }
        for (field, value) in label.text_fields() {
            check_text(value).map_err(|_| LabelProblem::FieldNotOneLine { field })?;
        }
        Ok(label)
    }

    /// Reads and strictly parses a label file.
    /// A FIFO, device or symlink named as the label is refused before it is read.
    pub fn read(path: &Path) -> Result<Label, SealError> {
        Label::read_bytes(path).map(|(l, _)| l)
    }

    /// As [`Label::read`], also returning the exact bytes (what a signature covers).
    pub fn read_bytes(path: &Path) -> Result<(Label, Vec<u8>), SealError> {
        let invalid = |reason| SealError::LabelInvalid { path: path.to_path_buf(), reason };
        let bytes = match read_small_file(path, MAX_LABEL_BYTES) {
            Ok(f) => f.bytes.to_vec(),
            Err(FileProblem::NotRegular) => return Err(invalid(LabelProblem::NotARegularFile)),
            Err(FileProblem::TooLarge { .. }) => return Err(invalid(LabelProblem::TooLarge)),
            Err(FileProblem::Io(e)) => return Err(SealError::io(path)(e)),
        };
        let label = Label::parse(&bytes).map_err(invalid)?;
        Ok((label, bytes))
    }

    /// What a person compares between the notice and the label: the first 80 bits of the
    /// ciphertext SHA-256 as 16 Crockford base32 symbols, `XXXX-XXXX-XXXX-XXXX`.
    /// Computed, so an old label without the field gives it too.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.ciphertext_sha256)
    }

    /// `<dir>/<id>.label.json` for `<dir>/<id>.age`.
    pub fn path_beside(payload: &Path) -> PathBuf {
        let name = payload.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = name.strip_suffix(".age").unwrap_or(&name);
        payload.with_file_name(format!("{stem}.label.json"))
    }

    fn text_fields(&self) -> Vec<(&'static str, &str)> {
        let mut v = vec![
            ("issuer", self.issuer.as_str()),
            ("notice_id", self.notice_id.as_str()),
            ("sealed_by", self.sealed_by.as_str()),
        ];
        if let Some(r) = &self.recipient {
            v.push(("recipient", r));
        }
        if let Some(c) = &self.contract {
            v.push(("contract", c));
        }
        for c in &self.categories {
            v.push(("categories", c));
        }
        v
    }
}

/// The fingerprint of a ciphertext SHA-256 (see [`Label::fingerprint`]).
pub fn fingerprint(ciphertext_sha256: &[u8; 32]) -> String {
    let s = crockford_bits(&ciphertext_sha256[..10], 16);
    format!("{}-{}-{}-{}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
}

/// Label text is one line of printable characters, not empty, bounded.
pub(crate) fn check_text(s: &str) -> Result<(), ()> {
    if s.is_empty() || s.len() > 1024 || s.chars().any(char::is_control) {
        return Err(());
    }
    Ok(())
}

/// Checks the caller-supplied label fields before anything is written.
pub(crate) fn check_info(info: &LabelInfo) -> Result<(), SealError> {
    let mut fields = vec![
        ("issuer", info.issuer.as_str()),
        ("notice_id", info.notice_id.as_str()),
        ("sealed_by", info.sealed_by.as_str()),
    ];
    if let Some(r) = &info.recipient {
        fields.push(("recipient", r));
    }
    if let Some(c) = &info.contract {
        fields.push(("contract", c));
    }
    for (field, value) in fields {
        check_text(value).map_err(|_| SealError::InvalidLabelField { field })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_of_known_digest() {
        // SHA-256("") = e3b0c442...; expected value computed independently with Python.
        let d: [u8; 32] = hex32::parse("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855").unwrap();
        assert_eq!(fingerprint(&d), "WERC-8GMR-ZGE1-96QV");
    }

    fn sample() -> Label {
        Label {
            v: 1,
            format: LABEL_FORMAT.into(),
            payload_id: "20261124-0123ABCD".parse().unwrap(),
            ciphertext_sha256: [7; 32],
            ciphertext_size: 100,
            file_count: 1,
            fingerprint: Some(fingerprint(&[7; 32])),
            dir_count: 0,
            total_bytes: 10,
            manifest_root: [9; 32],
            categories: vec!["氏名".into()],
            created: chrono::DateTime::parse_from_rfc3339("2026-11-24T09:30:00+09:00").unwrap(),
            issuer: "新宿区".into(),
            recipient: None,
            contract: None,
            notice_id: "N-20261124-01".into(),
            sealed_by: "RWQ4M2ZK".into(),
        }
    }

    #[test]
    fn fingerprint_field_is_signed_bytes_and_checked() {
        let l = sample();
        let bytes = l.to_bytes();
        assert!(String::from_utf8_lossy(&bytes).contains(&format!("\"fingerprint\":\"{}\"", fingerprint(&[7; 32]))));
        assert_eq!(Label::parse(&bytes).unwrap(), l);
        let mut wrong = l.clone();
        wrong.fingerprint = Some(fingerprint(&[8; 32]));
        assert_eq!(Label::parse(&wrong.to_bytes()), Err(LabelProblem::FingerprintMismatch));
    }

    #[test]
    fn label_without_fingerprint_still_reads_and_computes_it() {
        let mut old = sample();
        old.fingerprint = None;
        let bytes = old.to_bytes();
        assert!(!String::from_utf8_lossy(&bytes).contains("fingerprint"));
        let parsed = Label::parse(&bytes).unwrap();
        assert_eq!(parsed.fingerprint(), fingerprint(&[7; 32]));
    }

    #[test]
    fn path_beside_swaps_extension() {
        assert_eq!(
            Label::path_beside(Path::new("/m/20261124-0123ABCD.age")),
            PathBuf::from("/m/20261124-0123ABCD.label.json")
        );
        assert_eq!(Label::path_beside(Path::new("x.bin")), PathBuf::from("x.bin.label.json"));
    }
}
