//! `MANIFEST.json`: what a payload holds, as RFC 8785 (JCS) bytes. Its SHA-256 is the
//! manifest root that labels, ledgers and certificates cite.

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::id::PayloadId;
use crate::names::{self, MANIFEST_NAME};

/// Largest manifest we read: ~1.5 million files. Bounds memory against a hostile size.
pub const MAX_MANIFEST_BYTES: u64 = 256 << 20;

/// JCS writes numbers as IEEE doubles: integers above 2⁵³−1 would lose digits.
pub(crate) const MAX_JSON_INT: u64 = (1 << 53) - 1;

/// The manifest of one payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version, 1.
    pub v: u32,
    /// The payload id (also on the label).
    pub payload_id: PayloadId,
    /// When the payload was sealed, RFC 3339 with offset, whole seconds.
    #[serde(with = "rfc3339")]
    pub created: DateTime<FixedOffset>,
    /// Declared data categories (R17), as given by the sealer.
    #[serde(deserialize_with = "bounded::categories")]
    pub categories: Vec<String>,
    /// Every regular file, sorted by path bytes.
    #[serde(deserialize_with = "bounded::files")]
    pub files: Vec<ManifestFile>,
    /// Every directory, sorted by path bytes.
    #[serde(deserialize_with = "bounded::dirs")]
    pub dirs: Vec<String>,
}

/// Most data categories a manifest may declare.
pub const MAX_CATEGORIES: usize = 64;
/// Most files a manifest may list (its byte bound allows about this many anyway).
pub const MAX_FILES: usize = 2_000_000;
/// Most directories: a directory name costs a few bytes of JSON but tens in memory, so
/// without a count of its own a manifest of tiny names would take gigabytes.
pub const MAX_DIRS: usize = 1_000_000;

/// Sequences that stop at a count while they are parsed, before memory is spent on
/// the rest.
mod bounded {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{Deserialize, Deserializer, Error, SeqAccess, Visitor};

    struct Bounded<T> {
        max: usize,
        what: &'static str,
        _t: PhantomData<T>,
    }

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Bounded<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "at most {} {}", self.max, self.what)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(x) = seq.next_element()? {
                if out.len() == self.max {
                    return Err(A::Error::custom(format!("more than {} {}", self.max, self.what)));
                }
                out.push(x);
            }
            Ok(out)
        }
    }

    fn bounded<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
        max: usize,
        what: &'static str,
    ) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(Bounded { max, what, _t: PhantomData })
    }

    pub fn categories<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        bounded(d, super::MAX_CATEGORIES, "categories")
    }
    pub fn files<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<super::ManifestFile>, D::Error> {
        bounded(d, super::MAX_FILES, "files")
    }
    pub fn dirs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        bounded(d, super::MAX_DIRS, "directories")
    }
}

/// A value from untrusted bytes, cut short for an error message: a message must never
/// carry a 100 MB string back to the terminal.
fn short(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head:?}… ({} bytes)", s.len())
    }
}

/// One file of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Relative path with `/` separators.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lower-case hex in JSON.
    #[serde(with = "hex32")]
    pub sha256: [u8; 32],
}

impl Manifest {
    /// The exact bytes of `MANIFEST.json` (JCS, no trailing newline).
    pub fn to_jcs(&self) -> Vec<u8> {
        // Serialising plain strings, integers and arrays cannot fail; an empty vector
        // would then fail the parse of any reader, never pass silently.
        serde_jcs::to_vec(self).unwrap_or_default()
    }

    /// SHA-256 of the exact manifest bytes.
    pub fn root_of(bytes: &[u8]) -> [u8; 32] {
        Sha256::digest(bytes).into()
    }

    /// Parses manifest bytes strictly: canonical JCS only (which rules out duplicate
    /// keys, whitespace and alternative number or string spellings), version 1, valid
    /// and sorted paths, sizes a JSON double holds exactly.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        if bytes.len() as u64 > MAX_MANIFEST_BYTES {
            return Err("too large".into());
        }
        // serde_json quotes the offending value in its message: keep only its head.
        let m: Manifest = serde_json::from_slice(bytes).map_err(|e| {
            let text = e.to_string();
            if text.len() > 200 {
                let head: String = text.chars().take(160).collect();
                format!("{head}… (line {}, column {})", e.line(), e.column())
            } else {
                text
            }
        })?;
        if m.v != 1 {
            return Err(format!("unsupported version {}", m.v));
        }
        if serde_jcs::to_vec(&m).map_err(|e| e.to_string())? != bytes {
            return Err("not canonical JCS".into());
        }
        m.check()?;
        Ok(m)
    }

    fn check(&self) -> Result<(), String> {
        for c in &self.categories {
            check_category(c).map_err(|_| format!("invalid category {}", short(c)))?;
        }
        check_sorted(self.dirs.iter().map(String::as_str), "dirs")?;
        check_sorted(self.files.iter().map(|f| f.path.as_str()), "files")?;
        for f in &self.files {
            if f.size > MAX_JSON_INT {
                return Err(format!("{}: size too large", short(&f.path)));
            }
            if f.path == MANIFEST_NAME {
                return Err("lists MANIFEST.json itself".into());
            }
        }
        // Files and directories are disjoint: a merge walk over both sorted lists.
        let (mut i, mut j) = (0, 0);
        while i < self.files.len() && j < self.dirs.len() {
            match self.files[i].path.as_bytes().cmp(self.dirs[j].as_bytes()) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    return Err(format!("{} is both file and directory", short(&self.dirs[j])))
                }
            }
        }
        Ok(())
    }
}

fn check_sorted<'a>(paths: impl Iterator<Item = &'a str>, what: &str) -> Result<(), String> {
    let mut prev: Option<&str> = None;
    for p in paths {
        names::check_rel_path(p).map_err(|e| format!("{what}: {}: {e}", short(p)))?;
        if let Some(q) = prev {
            if q.as_bytes() >= p.as_bytes() {
                return Err(format!("{what} not sorted or duplicated at {}", short(p)));
            }
        }
        prev = Some(p);
    }
    Ok(())
}

/// A data category is free text (住所, 氏名 …) but one line of printable characters.
pub(crate) fn check_category(c: &str) -> Result<(), ()> {
    if c.is_empty() || c.len() > 256 || c.chars().any(char::is_control) {
        return Err(());
    }
    Ok(())
}

/// `created` in the one spelling JCS round-trips: seconds precision, numeric offset.
pub(crate) fn format_time(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

pub(crate) mod rfc3339 {
    use super::*;

    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_time(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s).map_err(serde::de::Error::custom)
    }
}

pub(crate) mod hex32 {
    use super::*;

    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).ok_or_else(|| serde::de::Error::custom("expected 64 lower-case hex digits"))
    }

    pub fn parse(s: &str) -> Option<[u8; 32]> {
        if s.len() != 64 || s.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).ok()?;
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        Manifest {
            v: 1,
            payload_id: "20261124-0123ABCD".parse().unwrap(),
            created: DateTime::parse_from_rfc3339("2026-11-24T09:00:00+09:00").unwrap(),
            categories: vec!["氏名".into(), "住所".into()],
            files: vec![ManifestFile { path: "a/山田.txt".into(), size: 3, sha256: [0xab; 32] }],
            dirs: vec!["a".into()],
        }
    }

    #[test]
    fn jcs_bytes_are_exact() {
        let b = sample().to_jcs();
        let want = format!(
            "{{\"categories\":[\"氏名\",\"住所\"],\"created\":\"2026-11-24T09:00:00+09:00\",\
             \"dirs\":[\"a\"],\"files\":[{{\"path\":\"a/山田.txt\",\"sha256\":\"{}\",\"size\":3}}],\
             \"payload_id\":\"20261124-0123ABCD\",\"v\":1}}",
            "ab".repeat(32)
        );
        assert_eq!(String::from_utf8(b.clone()).unwrap(), want);
        assert_eq!(Manifest::parse(&b).unwrap(), sample());
    }

    #[test]
    fn rejects_non_canonical_and_duplicates() {
        let b = String::from_utf8(sample().to_jcs()).unwrap();
        let spaced = b.replacen(':', ": ", 1);
        assert!(Manifest::parse(spaced.as_bytes()).is_err());
        let dup = b.replacen("{", "{\"v\":1,", 1);
        assert!(Manifest::parse(dup.as_bytes()).is_err());
        let unknown = b.replacen("\"v\":1", "\"v\":1,\"x\":1", 1);
        assert!(Manifest::parse(unknown.as_bytes()).is_err());
        let zulu = b.replace("+09:00", "Z");
        assert!(Manifest::parse(zulu.as_bytes()).is_err());
    }

    #[test]
    fn rejects_unsorted_and_overlapping() {
        let mut m = sample();
        m.dirs = vec!["b".into(), "a".into()];
        assert!(Manifest::parse(&m.to_jcs()).is_err());
        let mut m = sample();
        m.dirs = vec!["a".into(), "a/山田.txt".into()];
        assert!(Manifest::parse(&m.to_jcs()).is_err());
        let mut m = sample();
        m.files[0].path = "../x".into();
        assert!(Manifest::parse(&m.to_jcs()).is_err());
    }
}
