//! What each kind of ledger entry says: one type per kind, the only way custody
//! writes a body, and what `verify` checks every body of a known kind against.
//! Format and a worked example: docs/ledger-events.md.
//!
//! Every body carries `v` (its own version, now 1), so a kind can change its fields
//! later without changing the line format. A body is accepted only in exactly the
//! form its type writes: no unknown field, no missing one, no second spelling of a
//! value (`not-assured`, never `not_assured`).
//!
//! ```
//! use custody_ledger::events::{Event, Init, Role, BODY_VERSION};
//! let e = Event::Init(Init {
//!     v: BODY_VERSION,
//!     tool: "custody 0.1.0".into(),
//!     public_key: "RWQ…".into(),
//!     org: "新宿区".into(),
//!     name: "山田 花子".into(),
//!     role: Role::Responsible,
//! });
//! let body = e.to_body();
//! assert_eq!(Event::parse(e.kind(), &body).unwrap(), Some(e));
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Hash;

/// The version every body of this release carries in `v`.
pub const BODY_VERSION: u64 = 1;

/// The kinds this release knows, in lifecycle order.
pub const KNOWN_KINDS: [&str; 7] =
    ["init", "sealed", "opened", "erased", "certified", "countersigned", "ledger-repaired"];

/// A person's role on the roster (R5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 取扱責任者
    Responsible,
    /// 取扱者
    Handler,
}

/// `init`: the first entry of every ledger, naming the key that signs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Init {
    pub v: u64,
    /// `custody <version>`.
    pub tool: String,
    /// The owner's public key, minisign base64 form.
    pub public_key: String,
    pub org: String,
    pub name: String,
    pub role: Role,
}

/// `sealed`: a payload was written to media and its notice issued (R1, R2, R17).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sealed {
    pub v: u64,
    pub payload_id: String,
    pub ciphertext_sha256: Hash,
    pub ciphertext_size: u64,
    pub manifest_root: Hash,
    pub file_count: u64,
    pub dir_count: u64,
    pub total_bytes: u64,
    pub categories: Vec<String>,
    pub notice_id: String,
    /// `null` when not given.
    pub recipient: Option<String>,
    /// `null` when not given.
    pub contract: Option<String>,
}

/// The machine a step ran on (R16).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Machine {
    pub hostname: String,
    /// A custody-scoped hash of `/etc/machine-id`; `null` when the machine has none.
    pub machine_id: Option<String>,
}

/// `opened`: a payload was decrypted into a work folder (R9, R16).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opened {
    pub v: u64,
    pub payload_id: String,
    pub manifest_root: Hash,
    pub file_count: u64,
    pub total_bytes: u64,
    pub label_checked: bool,
    /// Whether the label's signature was checked against a trusted key naming the
    /// sender (`open --trust`).
    pub sender_confirmed: bool,
    pub machine: Machine,
    /// HMAC-SHA256, under the home's folder key, of the work folder's identity
    /// (canonical absolute path, device and inode; docs/ledger-events.md). A later
    /// wipe of that folder computes the same value and so names the payload, without
    /// any path in the ledger.
    pub folder_hmac: Hash,
}

/// How an erasure ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    AllErased,
    SomeFailed,
    Interrupted,
}

/// How sure an item's erasure is (docs/erasure.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assurance {
    None,
    Unverified,
    NotAssured,
    NameOnly,
    Clear,
    CryptographicErase,
}

/// A payload an erasure or certificate covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadRef {
    pub payload_id: String,
    pub manifest_root: Hash,
}

/// The device of a whole-device erasure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub model: Option<String>,
    pub serial: Option<String>,
    pub size: u64,
    pub bus: Option<String>,
}

/// `erased`: an erasure ran; the record it wrote is named by its hash (R6, R11, R19).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erased {
    pub v: u64,
    /// SHA-256 of the erasure record's bytes.
    pub record_sha256: Hash,
    /// The record's format, e.g. `custody-erasure-record/2`.
    pub format: String,
    /// The overwrite method's name (`random`, `zero`, `nist-clear`, …).
    pub method: String,
    /// `full`, `sample` or `none`.
    pub verification: String,
    pub outcome: Outcome,
    pub started: String,
    pub finished: String,
    pub items: u64,
    pub erased: u64,
    pub failed: u64,
    pub not_attempted: u64,
    pub bytes_overwritten: u64,
    /// How many items reached each level.
    pub assurance: BTreeMap<Assurance, u64>,
    pub cryptographic_erase: bool,
    pub payloads: Vec<PayloadRef>,
    /// Only for a whole-device erasure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
}

/// `certified`: a certificate of erasure was issued (issue 11). Its fields belong to
/// the certificate format; they are listed in docs/ledger-events.md.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certified {
    pub v: u64,
    /// The certificate's id.
    pub certificate_id: String,
    /// SHA-256 of the certificate's canonical bytes (`CERT.json`).
    pub certificate_sha256: Hash,
    /// The issuer's certificate sequence number (1 for the first, no gaps).
    pub cert_seq: u64,
    /// SHA-256 of the issuer's previous certificate; `null` for the first.
    pub prev_cert: Option<Hash>,
    /// `record_sha256` of every erasure record the certificate covers.
    pub records: Vec<Hash>,
    pub payloads: Vec<PayloadRef>,
}

/// `countersigned`: a second person signed a certificate of erasure
/// (`custody certify --countersign`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Countersigned {
    pub v: u64,
    /// The certificate's id.
    pub certificate_id: String,
    /// SHA-256 of the certificate's canonical bytes, the bytes the signature covers.
    pub certificate_sha256: Hash,
}

/// `ledger-repaired`: a torn tail (a crash in the middle of an append) was moved aside
/// by `custody ledger repair`, never deleted. What the bytes were is kept: their place,
/// size and hash, and the file beside the ledger that holds them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerRepaired {
    pub v: u64,
    /// 1-based number of the torn line.
    pub line: u64,
    /// Byte offset in the ledger where the torn bytes began.
    pub offset: u64,
    /// How many bytes were moved aside.
    pub bytes: u64,
    /// SHA-256 of those bytes.
    pub sha256: Hash,
    /// The file beside the ledger that holds them (a name, not a path).
    pub saved_as: String,
}

/// One entry's body, by kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Init(Init),
    Sealed(Sealed),
    Opened(Opened),
    Erased(Erased),
    Certified(Certified),
    Countersigned(Countersigned),
    LedgerRepaired(LedgerRepaired),
}

/// Why a body of a known kind was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BodyProblem {
    #[error("the {kind} body has version {found}, this release reads version {BODY_VERSION}")]
    Version { kind: &'static str, found: u64 },
    #[error("the {kind} body does not have the fields of its kind: {detail}")]
    Fields { kind: &'static str, detail: String },
    #[error("the {kind} body is not written in its one canonical form")]
    NotCanonical { kind: &'static str },
}

fn to_map<T: Serialize>(t: &T) -> Map<String, Value> {
    // Every body type serialises to a JSON object: derived structs of strings,
    // integers, booleans, lists and maps with string keys.
    match serde_json::to_value(t) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

fn from_map<T: serde::de::DeserializeOwned>(kind: &'static str, body: &Map<String, Value>) -> Result<T, BodyProblem> {
    // Deserialised from the borrowed map: no copy of the body on the verifier's path.
    T::deserialize(body).map_err(|e| BodyProblem::Fields { kind, detail: e.to_string() })
}

impl Event {
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Init(_) => "init",
            Event::Sealed(_) => "sealed",
            Event::Opened(_) => "opened",
            Event::Erased(_) => "erased",
            Event::Certified(_) => "certified",
            Event::Countersigned(_) => "countersigned",
            Event::LedgerRepaired(_) => "ledger-repaired",
        }
    }

    fn version(&self) -> u64 {
        match self {
            Event::Init(b) => b.v,
            Event::Sealed(b) => b.v,
            Event::Opened(b) => b.v,
            Event::Erased(b) => b.v,
            Event::Certified(b) => b.v,
            Event::Countersigned(b) => b.v,
            Event::LedgerRepaired(b) => b.v,
        }
    }

    /// The body as it goes into the ledger line.
    pub fn to_body(&self) -> Map<String, Value> {
        match self {
            Event::Init(b) => to_map(b),
            Event::Sealed(b) => to_map(b),
            Event::Opened(b) => to_map(b),
            Event::Erased(b) => to_map(b),
            Event::Certified(b) => to_map(b),
            Event::Countersigned(b) => to_map(b),
            Event::LedgerRepaired(b) => to_map(b),
        }
    }

    /// The typed body of a known kind (`Ok(None)` for a kind this release does not
    /// know). The body must be exactly what [`Event::to_body`] writes.
    pub fn parse(kind: &str, body: &Map<String, Value>) -> Result<Option<Event>, BodyProblem> {
        let event = match kind {
            "init" => Event::Init(from_map("init", body)?),
            "sealed" => Event::Sealed(from_map("sealed", body)?),
            "opened" => Event::Opened(from_map("opened", body)?),
            "erased" => Event::Erased(from_map("erased", body)?),
            "certified" => Event::Certified(from_map("certified", body)?),
            "countersigned" => Event::Countersigned(from_map("countersigned", body)?),
            "ledger-repaired" => Event::LedgerRepaired(from_map("ledger-repaired", body)?),
            _ => return Ok(None),
        };
        if event.version() != BODY_VERSION {
            return Err(BodyProblem::Version { kind: event.kind(), found: event.version() });
        }
        if &event.to_body() != body {
            return Err(BodyProblem::NotCanonical { kind: event.kind() });
        }
        Ok(Some(event))
    }
}

/// Whether this release knows `kind`.
pub fn is_known(kind: &str) -> bool {
    KNOWN_KINDS.contains(&kind)
}
