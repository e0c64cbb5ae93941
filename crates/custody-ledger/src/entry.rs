//! One ledger line: its strict parse, its checks, and the bytes that are signed.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, FixedOffset, SecondsFormat};
use custody_keys::KeyId;
use serde_json::{Map, Value};

use crate::strict_json::{self, JsonProblem};
use crate::{Hash, Problem};

/// The only format version.
pub const VERSION: u64 = 1;
/// The keys of a line, in JCS order.
pub const KEYS: [&str; 8] = ["actor", "body", "kind", "prev", "seq", "sig", "time", "v"];
/// Longest line accepted (bytes, without the newline): bounds memory for hostile files.
pub const MAX_LINE: usize = 1 << 20;
/// Longest `kind`.
pub const MAX_KIND: usize = 64;
/// Numbers must be integers a double holds exactly, because JCS (RFC 8785 §3.2.2.3)
/// writes numbers as IEEE doubles: beyond 2^53 two writers would round differently.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A parsed ledger line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub v: u64,
    pub seq: u64,
    pub prev: Hash,
    pub time: String,
    pub kind: String,
    pub actor: KeyId,
    pub body: Map<String, Value>,
    pub sig: String,
}

impl Entry {
    /// `time` as a date (it was checked when the line was parsed).
    pub fn time(&self) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(&self.time).ok()
    }
}

/// The one textual form of a time: RFC 3339, whole seconds, numeric offset.
pub fn format_time(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

pub(crate) fn parse_time(s: &str) -> Result<DateTime<FixedOffset>, Problem> {
    let t = DateTime::parse_from_rfc3339(s).map_err(|_| Problem::BadTime)?;
    if format_time(&t) != s {
        return Err(Problem::BadTime);
    }
    Ok(t)
}

pub(crate) fn check_kind(kind: &str) -> Result<(), Problem> {
    let ok = !kind.is_empty()
        && kind.len() <= MAX_KIND
        && kind.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Problem::BadKind)
    }
}

/// Every number anywhere in `v` is an integer within ±(2^53 − 1); returns the JSON
/// pointer of the first that is not.
pub(crate) fn check_numbers(v: &Value, at: &mut String) -> Result<(), String> {
    match v {
        Value::Number(n) => {
            let ok = match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => u <= MAX_SAFE_INTEGER,
                (None, Some(i)) => i.unsigned_abs() <= MAX_SAFE_INTEGER,
                (None, None) => false,
            };
            if ok {
                Ok(())
            } else {
                Err(at.clone())
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                check_numbers(x, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        Value::Object(m) => {
            for (k, x) in m {
                let len = at.len();
                at.push('/');
                at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                check_numbers(x, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The exact bytes the actor signs: the JCS serialisation of the object without `sig`.
pub(crate) fn signed_bytes(obj: &Map<String, Value>) -> Result<Vec<u8>, Problem> {
    let mut m = obj.clone();
    m.remove("sig");
    serde_jcs::to_vec(&Value::Object(m)).map_err(|_| Problem::NotCanonical)
}

/// The signed bytes of a line already known to be canonical: the line without its
/// top-level `,"sig":"…"` member. JCS sorts keys, so that member sits between `seq`
/// and `time`, and only `time` and `v` (a string and a number) follow it: the last
/// occurrence is the top-level one. Equal to [`signed_bytes`] of the parsed object,
/// without serialising it a second time (the verifier's hot path).
fn signed_bytes_of_canonical(line: &[u8], sig: &str) -> Result<Vec<u8>, Problem> {
    let member = format!(",\"sig\":\"{sig}\"");
    let at = line.windows(member.len()).rposition(|w| w == member.as_bytes()).ok_or(Problem::NotCanonical)?;
    let mut out = Vec::with_capacity(line.len() - member.len());
    out.extend_from_slice(&line[..at]);
    out.extend_from_slice(&line[at + member.len()..]);
    Ok(out)
}

/// Strictly parse one line (without its newline). Everything but the chain and the
/// signature is checked here; returns the entry and the signed bytes.
pub(crate) fn parse_line(line: &[u8]) -> Result<(Entry, Vec<u8>), Problem> {
    let text = std::str::from_utf8(line).map_err(|_| Problem::NotUtf8)?;
    let value = match strict_json::parse(text.as_bytes()) {
        Ok(v) => v,
        Err(JsonProblem::Syntax) => return Err(Problem::NotJson),
        Err(JsonProblem::DuplicateKey(k)) => return Err(Problem::DuplicateKey(k)),
    };
    let Value::Object(obj) = &value else {
        return Err(Problem::NotAnObject);
    };
    let canonical = serde_jcs::to_vec(&value).map_err(|_| Problem::NotCanonical)?;
    if canonical != line {
        return Err(Problem::NotCanonical);
    }
    for k in KEYS {
        if !obj.contains_key(k) {
            return Err(Problem::MissingKey(k.to_owned()));
        }
    }
    if let Some(k) = obj.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(Problem::UnexpectedKey(k.clone()));
    }
    let mut at = String::new();
    check_numbers(&value, &mut at).map_err(Problem::BadNumber)?;
    let str_field = |k: &'static str| obj[k].as_str().ok_or(Problem::BadField(k));
    let v = obj["v"].as_u64().ok_or(Problem::BadVersion)?;
    if v != VERSION {
        return Err(Problem::BadVersion);
    }
    let seq = obj["seq"].as_u64().ok_or(Problem::BadField("seq"))?;
    let prev = str_field("prev")?.parse::<Hash>().map_err(|_| Problem::BadField("prev"))?;
    let time = str_field("time")?;
    parse_time(time)?;
    let kind = str_field("kind")?;
    check_kind(kind)?;
    let actor = str_field("actor")?.parse::<KeyId>().map_err(|_| Problem::BadField("actor"))?;
    let body = obj["body"].as_object().ok_or(Problem::BadField("body"))?.clone();
    let sig = str_field("sig")?;
    let sig_ok = STANDARD.decode(sig).map(|s| s.len() == 64).unwrap_or(false);
    if !sig_ok {
        return Err(Problem::BadField("sig"));
    }
    let signed = signed_bytes_of_canonical(line, sig)?;
    Ok((Entry { v, seq, prev, time: time.to_owned(), kind: kind.to_owned(), actor, body, sig: sig.to_owned() }, signed))
}

/// The 64 signature bytes of a parsed entry.
pub(crate) fn sig_bytes(e: &Entry) -> Option<[u8; 64]> {
    STANDARD.decode(&e.sig).ok()?.try_into().ok()
}

/// Build, sign and serialise a new line.
pub(crate) fn build_line(
    seq: u64,
    prev: &Hash,
    time: &str,
    kind: &str,
    actor: KeyId,
    body: Map<String, Value>,
    sign: impl FnOnce(&[u8]) -> [u8; 64],
) -> Result<String, Problem> {
    let mut obj = Map::new();
    obj.insert("v".into(), Value::from(VERSION));
    obj.insert("seq".into(), Value::from(seq));
    obj.insert("prev".into(), Value::String(prev.to_string()));
    obj.insert("time".into(), Value::String(time.to_owned()));
    obj.insert("kind".into(), Value::String(kind.to_owned()));
    obj.insert("actor".into(), Value::String(actor.to_string()));
    obj.insert("body".into(), Value::Object(body));
    let signed = signed_bytes(&obj)?;
    let sig = sign(&signed);
    obj.insert("sig".into(), Value::String(STANDARD.encode(sig)));
    serde_jcs::to_string(&Value::Object(obj)).map_err(|_| Problem::NotCanonical)
}
