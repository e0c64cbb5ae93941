//! The certificate document, field by field (docs/certificate.md).
//!
//! Every struct refuses unknown fields, and the reader also requires the exact JCS
//! bytes, so a field can be neither added, dropped nor respelled without the
//! certificate failing to parse.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Value of the `format` field.
pub const FORMAT: &str = "custody-certificate/1";

/// One certificate of erasure (消去証明書).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    pub format: String,
    /// `CERT-<issuer key id>-<cert_seq, 6 digits>`.
    pub id: String,
    /// 1 for an issuer's first certificate, then +1 without gaps.
    pub cert_seq: u64,
    /// SHA-256 (hex) of the exact bytes of this issuer's previous certificate; null
    /// for the first.
    pub prev_cert: Option<String>,
    /// When it was issued, RFC 3339 with offset, whole seconds.
    pub issued: String,
    /// `ja` or `en`: the language of the printed form.
    pub lang: String,
    /// Appendix G "person performing sanitization" and attestation signer.
    pub issuer: Party,
    pub contract: Option<String>,
    /// Who it is addressed to (R14: a subcontractor's goes to the ward and the contractor).
    pub addressed_to: Vec<String>,
    /// Appendix G "media destination".
    pub media_destination: Option<String>,
    pub notes: Option<String>,
    /// One per erasure record.
    pub items: Vec<Item>,
    /// One per payload the records cover.
    pub payloads: Vec<PayloadCoverage>,
    /// The issuer's ledger checkpoint and the inclusion proofs of the cited entries.
    pub anchor: Anchor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub org: String,
    pub name: String,
    /// `responsible` (取扱責任者) or `handler` (取扱者).
    pub role: String,
    /// The minisign key id (16 hex digits) that signs the certificate and the ledger.
    pub key_id: String,
}

/// One erasure record as the certificate vouches for it (Appendix G blocks 2 and 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// SHA-256 (hex) of the record's exact bytes.
    pub record_sha256: String,
    /// The `erased` ledger entry that carries this record's hash.
    pub ledger_seq: u64,
    /// Its leaf hash: SHA-256(0x00 ‖ line bytes), hex.
    pub ledger_leaf: String,
    pub tool: String,
    pub operator: String,
    /// The machine that did the work (Appendix G "location").
    pub host: String,
    pub started: String,
    pub finished: String,
    pub media: Media,
    /// `clear`, `purge` or `none` (the record does not reach a NIST category).
    pub method_type: String,
    /// The overwrite method (`random`, `nist-clear`, …).
    pub method: String,
    /// The passes in order (`random`, `0x55`, …).
    pub passes: Vec<String>,
    /// `full`, `sample` or `none`.
    pub verification: String,
    /// `passed`, `failed` or `not-verified`.
    pub verification_result: String,
    /// `all-erased`, `some-failed` or `interrupted`.
    pub outcome: String,
    pub counts: Counts,
    /// Items per assurance level (`clear`, `cryptographic-erase`, …).
    pub assurance: BTreeMap<String, u64>,
    /// Payload ids this record erased (ciphertext or opened folder).
    pub payloads: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Media {
    /// `files` (a tree on a filesystem), `block_device` or `image_file`.
    #[serde(rename = "type")]
    pub kind: String,
    pub make: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub bus: Option<String>,
    /// Bytes overwritten on the media (whole media), or the total of the files.
    pub size: u64,
    /// Filesystem types touched (`ext4`, `vfat`, …).
    pub filesystems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub items: u64,
    pub erased: u64,
    pub failed: u64,
    pub not_attempted: u64,
}

/// How every file of one delivered payload was accounted for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadCoverage {
    pub payload_id: String,
    /// SHA-256 (hex) of the payload's MANIFEST.json.
    pub manifest_root: String,
    pub file_count: u64,
    /// The `opened` ledger entry and its time; null when it was never opened here.
    pub opened_seq: Option<u64>,
    pub opened: Option<String>,
    /// The `.age` ciphertext itself was among the erased items.
    pub ciphertext_erased: bool,
    /// One per manifest file, by index, never by name.
    pub entries: Vec<EntryCoverage>,
    /// Files erased from the opened folder that were not in the manifest.
    pub unlisted_erased: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryCoverage {
    /// Position in the manifest's `files` list (0-based).
    pub index: u64,
    /// The manifest's SHA-256 of the file (hex).
    pub sha256: String,
    pub status: EntryStatus,
}

/// What happened to one delivered file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryStatus {
    /// Not among the erased items, or its erasure failed.
    NotErased,
    /// The file at its place held other content when it was erased.
    Changed,
    /// Erased, but not to NIST Clear (unverified, or the filesystem may keep copies).
    ErasedWithCaveat,
    /// Erased and verified (Clear or cryptographic erase).
    ErasedVerified,
}

impl EntryStatus {
    pub fn name(self) -> &'static str {
        match self {
            EntryStatus::NotErased => "not-erased",
            EntryStatus::Changed => "changed",
            EntryStatus::ErasedWithCaveat => "erased-with-caveat",
            EntryStatus::ErasedVerified => "erased-verified",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// The issuer's ledger checkpoint: a C2SP signed note, as text.
    pub checkpoint: String,
    /// Inclusion proofs of the entries the certificate cites.
    pub proofs: Vec<Proof>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    pub seq: u64,
    pub leaf: String,
    /// The RFC 6962 audit path, hex, leaf to root.
    pub path: Vec<String>,
}
