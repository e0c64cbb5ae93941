//! The run journal: JSON Lines, appended and fsynced as items move through their
//! stages, so an interrupted run can be completed by running it again. It holds only
//! path HMACs and random names, never the original names. Format in docs/erasure.md.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::record::{ItemRecord, PathKey};
use crate::{Method, VerifyMode, WipeError};

pub const JOURNAL_FORMAT: &str = "custody-wipe-journal/1";

#[derive(serde::Serialize, serde::Deserialize)]
struct Header {
    journal: String,
    path_key: String,
    method: Method,
    verify: VerifyMode,
    started: String,
}

/// How far an item got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Content hash taken; overwriting may have begun.
    Hashed,
    /// Last pass durable and read back.
    Verified,
    /// About to be renamed to `renamed_hmac`'s path.
    Renaming,
    /// Gone, or failed for good.
    Done,
}

/// One journal line after the header.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub stage: Stage,
    pub item: ItemRecord,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_hmac: Option<String>,
    /// A large file hashed window by window just ahead of its overwrite, with the hash
    /// not complete yet: where it stands. Every byte from `bytes` on is still the
    /// original, so the next run finishes the hash from there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_prefix: Option<HashPrefix>,
}

/// SHA-256 of a file's first `bytes` bytes (a multiple of 64), as the eight words of
/// its state, big-endian, in hex: not a digest, only the state to go on from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HashPrefix {
    pub bytes: u64,
    pub sha256_state: String,
}

/// What a previous run left.
pub(crate) struct Loaded {
    pub key: PathKey,
    pub started: String,
    /// Latest entry per original path HMAC, in first-seen order.
    pub entries: Vec<Entry>,
}

impl Loaded {
    pub(crate) fn by_hmac(&self) -> HashMap<String, usize> {
        let mut m = HashMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            m.insert(e.item.path_hmac.clone(), i);
            if let Some(r) = &e.renamed_hmac {
                m.insert(r.clone(), i);
            }
        }
        m
    }
}

/// Parse a journal text. Any malformed line is an error, except a torn last line (a
/// crash in the middle of an append), which is ignored.
pub fn parse(path: &Path, text: &str) -> Result<(String, Method, VerifyMode, String, Vec<Entry>), WipeError> {
    let damaged = |line: usize, detail: String| WipeError::JournalDamaged { path: path.to_owned(), line, detail };
    let mut lines = text.split_inclusive('\n').enumerate();
    let (_, first) = lines.next().ok_or_else(|| damaged(1, "empty".into()))?;
    let h: Header = serde_json::from_str(first).map_err(|e| damaged(1, e.to_string()))?;
    if h.journal != JOURNAL_FORMAT {
        return Err(damaged(1, format!("unknown format {:?}", h.journal)));
    }
    let mut order: Vec<String> = Vec::new();
    let mut latest: HashMap<String, Entry> = HashMap::new();
    for (i, l) in lines {
        let complete = l.ends_with('\n');
        match serde_json::from_str::<Entry>(l) {
            Ok(e) => {
                let k = e.item.path_hmac.clone();
                if !latest.contains_key(&k) {
                    order.push(k.clone());
                }
                latest.insert(k, e);
            }
            Err(_) if !complete => break,
            Err(e) => return Err(damaged(i + 1, e.to_string())),
        }
    }
    let entries = order.into_iter().filter_map(|k| latest.remove(&k)).collect();
    Ok((h.path_key, h.method, h.verify, h.started, entries))
}

pub(crate) struct Journal {
    path: PathBuf,
    file: File,
}

impl Journal {
    /// Open an existing journal (returning what it holds) or start a new one.
    pub(crate) fn open_or_create(
        path: &Path,
        method: Method,
        verify: VerifyMode,
    ) -> Result<(Journal, Option<Loaded>), WipeError> {
        let werr = |source| WipeError::JournalWrite { path: path.to_owned(), source };
        if path.exists() {
            let text = std::fs::read_to_string(path).map_err(werr)?;
            let (key_hex, m, v, started, entries) = parse(path, &text)?;
            if m != method || v != verify {
                return Err(WipeError::JournalMismatch { path: path.to_owned() });
            }
            let mut key = [0u8; 32];
            hex::decode_to_slice(&key_hex, &mut key).map_err(|e| WipeError::JournalDamaged {
                path: path.to_owned(),
                line: 1,
                detail: e.to_string(),
            })?;
            let file = OpenOptions::new().append(true).open(path).map_err(werr)?;
            let loaded = Loaded { key: PathKey::from_bytes(key), started, entries };
            return Ok((Journal { path: path.to_owned(), file }, Some(loaded)));
        }
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            // The journal holds the path key: owner only.
            .mode(0o600)
            .open(path)
            .map_err(werr)?;
        Ok((Journal { path: path.to_owned(), file }, None))
    }

    pub(crate) fn write_header(
        &mut self,
        key: &PathKey,
        method: Method,
        verify: VerifyMode,
        started: &str,
    ) -> Result<(), WipeError> {
        let h = Header {
            journal: JOURNAL_FORMAT.into(),
            path_key: hex::encode(key.expose_bytes()),
            method,
            verify,
            started: started.into(),
        };
        let mut line = serde_json::to_vec(&h).unwrap_or_default();
        line.push(b'\n');
        self.append_raw(&line)?;
        self.sync()?;
        // The new name must be durable too, or a crash loses the whole journal.
        if let Some(dir) = self.path.parent() {
            let d = File::open(if dir.as_os_str().is_empty() { Path::new(".") } else { dir })
                .map_err(|source| WipeError::JournalWrite { path: self.path.clone(), source })?;
            d.sync_all().map_err(|source| WipeError::JournalWrite { path: self.path.clone(), source })?;
        }
        Ok(())
    }

    fn append_raw(&mut self, b: &[u8]) -> Result<(), WipeError> {
        self.file.write_all(b).map_err(|source| WipeError::JournalWrite { path: self.path.clone(), source })
    }

    /// Append entries and make them durable with one fsync.
    pub(crate) fn append(&mut self, entries: &[Entry]) -> Result<(), WipeError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut buf = Vec::new();
        for e in entries {
            // Plain data structures: serialization cannot fail.
            buf.extend(serde_json::to_vec(e).unwrap_or_default());
            buf.push(b'\n');
        }
        self.append_raw(&buf)?;
        self.sync()
    }

    fn sync(&mut self) -> Result<(), WipeError> {
        self.file.sync_data().map_err(|source| WipeError::JournalWrite { path: self.path.clone(), source })
    }

    pub(crate) fn remove(self) -> Result<(), WipeError> {
        std::fs::remove_file(&self.path).map_err(|source| WipeError::JournalWrite { path: self.path.clone(), source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADER: &str = r#"{"journal":"custody-wipe-journal/1","path_key":"00","method":"random","verify":"full","started":"2026-01-01T00:00:00Z"}"#;

    #[test]
    fn torn_last_line_is_ignored_but_damage_inside_is_not() {
        let p = Path::new("j");
        let ok = format!("{HEADER}\n{{\"stage\":");
        assert_eq!(parse(p, &ok).unwrap().4.len(), 0);
        let bad = format!("{HEADER}\n{{\"stage\":\n{HEADER}\n");
        assert!(matches!(parse(p, &bad), Err(WipeError::JournalDamaged { line: 2, .. })));
    }

    proptest! {
        #[test]
        fn parser_never_panics(s in ".*") {
            let _ = parse(Path::new("j"), &s);
            let _ = parse(Path::new("j"), &format!("{HEADER}\n{s}"));
        }
    }
}
