//! The run journal: JSON Lines, appended and fsynced as items move through their
//! stages, so an interrupted run can be completed by running it again. It holds only
//! path HMACs and random names, never the original names. Format in docs/erasure.md.
//!
//! The journal is the source of truth about what was destroyed: the engine never
//! removes it once anything was touched. The caller removes it ([`remove`]) only after
//! the record and its ledger entry are durable, or, when the job is not complete yet,
//! marks what is already in a record ([`mark_recorded`]) so that the run completing the
//! job records every item exactly once.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
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

/// Which file a journalled item is: a resumed run trusts the journal about a path
/// only while the file there is still this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ident {
    pub dev: u64,
    pub ino: u64,
    /// Status change time when the content hash was taken: unchanged means nothing,
    /// neither this tool nor anyone else, wrote to the file since.
    pub ctime: (i64, i64),
}

/// One journal line after the header.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub stage: Stage,
    pub item: ItemRecord,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_hmac: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ident: Option<Ident>,
    /// A large file hashed window by window just ahead of its overwrite, with the hash
    /// not complete yet: where it stands. Every byte from `bytes` on is still the
    /// original, so the next run finishes the hash from there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_prefix: Option<HashPrefix>,
    /// A whole device or image: what it was (size, model, serial), so that a run
    /// completing the job tells the same medium from another one plugged in at the
    /// same path, and can still record the erasure if the medium is gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<crate::record::DeviceInfo>,
}

impl Entry {
    /// What a later line about the same thing replaces. A path names one file, but a
    /// device path can name another medium after a swap: each medium keeps its own
    /// line, so the one left unfinished is still recorded.
    fn key(&self) -> String {
        match &self.device {
            None => self.item.path_hmac.clone(),
            Some(d) => format!(
                "{}/{:?}/{}/{:?}/{:?}",
                self.item.path_hmac,
                self.ident.map(|i| (i.dev, i.ino)),
                d.size,
                d.model,
                d.serial
            ),
        }
    }
}

/// SHA-256 of a file's first `bytes` bytes (a multiple of 64), as the eight words of
/// its state, big-endian, in hex: not a digest, only the state to go on from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HashPrefix {
    pub bytes: u64,
    pub sha256_state: String,
}

/// A line saying that every item then at `done` is in a record (with its ledger
/// entry): a later run does not record those items again.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Recorded {
    recorded: String,
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
/// crash in the middle of an append), which is ignored. Items already recorded (see
/// [`mark_recorded`]) are left out.
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
        if let Ok(Recorded { .. }) = serde_json::from_str::<Recorded>(l) {
            if complete {
                latest.retain(|_, e| e.stage != Stage::Done);
                order.retain(|k| latest.contains_key(k));
            }
            continue;
        }
        match serde_json::from_str::<Entry>(l) {
            Ok(e) => {
                let k = e.key();
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
    /// A new journal until its header is durable: under a temporary name, so that a
    /// journal never exists without its header (and path key).
    pending: Option<custody_fsio::NewFile>,
}

impl Journal {
    /// Open an existing journal (returning what it holds) or start a new one.
    pub(crate) fn open_or_create(
        path: &Path,
        method: Method,
        verify: VerifyMode,
    ) -> Result<(Journal, Option<Loaded>), WipeError> {
        let werr = |source| WipeError::JournalWrite { path: path.to_owned(), source };
        if path.symlink_metadata().is_ok() {
            let text = read_bounded(path).map_err(werr)?;
            if !text.contains('\n') {
                // Killed between creating the file and making its header durable:
                // nothing was touched before the header was, so start afresh.
                std::fs::remove_file(path).map_err(werr)?;
                return Self::open_or_create(path, method, verify);
            }
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
            // A torn last line is dropped from the file too: the next append must
            // start a line of its own, or the torn bytes would damage it.
            if !text.ends_with('\n') {
                let keep = text.rfind('\n').map_or(0, |i| i + 1);
                file.set_len(keep as u64).map_err(werr)?;
                file.sync_data().map_err(werr)?;
            }
            let loaded = Loaded { key: PathKey::from_bytes(key), started, entries };
            return Ok((Journal { path: path.to_owned(), file, pending: None }, Some(loaded)));
        }
        // The journal holds the path key: owner only.
        let mut new = custody_fsio::NewFile::create(path, 0o600).map_err(|e| werr(e.into()))?;
        // Written front to back only, so the clone's offset is where an append would go.
        let file = new.file().try_clone().map_err(werr)?;
        Ok((Journal { path: path.to_owned(), file, pending: Some(new) }, None))
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
        // Synced, given its name (never over another journal) and the name made durable,
        // or a crash loses the whole journal.
        match self.pending.take() {
            Some(new) => {
                new.persist().map_err(|e| WipeError::JournalWrite { path: self.path.clone(), source: e.into() })
            }
            None => self.sync(),
        }
    }

    fn append_raw(&mut self, b: &[u8]) -> Result<(), WipeError> {
        self.file.write_all(b).map_err(|source| WipeError::JournalWrite { path: self.path.clone(), source })
    }

    /// Append entries and make them durable with one fsync.
    pub(crate) fn append(&mut self, entries: &[Entry]) -> Result<(), WipeError> {
        if entries.is_empty() {
            return Ok(());
        }
        if crate::fault::fails("journal-append") {
            let source = std::io::Error::other("injected fault");
            return Err(WipeError::JournalWrite { path: self.path.clone(), source });
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
        remove(&self.path)
    }
}

/// Journals are ours, but a home can be damaged: read at most this much, and only a
/// regular file (never a FIFO or a device planted in its place).
const MAX_JOURNAL: u64 = 1 << 30;

fn read_bounded(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let f = crate::sys::open_read_nofollow_nonblock(path)?;
    let md = f.metadata()?;
    if !md.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not a regular file"));
    }
    let mut text = String::new();
    f.take(MAX_JOURNAL).read_to_string(&mut text)?;
    Ok(text)
}

/// The entries of a journal not yet recorded, if it can be read and parsed.
pub(crate) fn entries(path: &Path) -> Option<Vec<Entry>> {
    let text = read_bounded(path).ok()?;
    parse(path, &text).ok().map(|(_, _, _, _, e)| e)
}

/// Whether a journal at `path` holds items not yet in a record.
pub fn has_unrecorded(path: &Path) -> bool {
    entries(path).is_some_and(|e| !e.is_empty())
}

/// Whether a journal at `path` records anything done: false for none, an empty file, or
/// one torn before its header was complete (nothing was touched before the header was).
pub fn has_work(path: &Path) -> bool {
    read_bounded(path).map(|t| t.contains('\n')).unwrap_or(false)
}

/// When the job a journal belongs to started (its first run), if the journal has a
/// complete header.
pub fn started(path: &Path) -> Option<String> {
    let text = read_bounded(path).ok()?;
    let first = text.split_inclusive('\n').next().filter(|l| l.ends_with('\n'))?;
    serde_json::from_str::<Header>(first).ok().map(|h| h.started)
}

/// Note, durably, that every item now at `done` is in the record whose SHA-256 is
/// `record_sha256` (hex), with its ledger entry.
pub fn mark_recorded(path: &Path, record_sha256: &str) -> Result<(), WipeError> {
    let werr = |source| WipeError::JournalWrite { path: path.to_owned(), source };
    let mut line = serde_json::to_vec(&Recorded { recorded: record_sha256.to_owned() }).unwrap_or_default();
    line.push(b'\n');
    let mut f = crate::sys::open_append_nofollow(path).map_err(werr)?;
    f.write_all(&line).map_err(werr)?;
    f.sync_data().map_err(werr)
}

/// Remove a journal whose job is recorded in full, and make the removal durable.
pub fn remove(path: &Path) -> Result<(), WipeError> {
    let werr = |source| WipeError::JournalWrite { path: path.to_owned(), source };
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(werr(e)),
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir).and_then(|d| d.sync_all()).map_err(werr)
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

    fn entry(hmac: &str, stage: &str) -> String {
        format!(
            r#"{{"stage":"{stage}","item":{{"path_hmac":"{hmac}","kind":"file","size":1,"overwritten_bytes":4096,"content_sha256":null,"result":"not_attempted","problem":null,"verification":null,"assurance":"none","names":"untouched","caveats":[],"still_reachable":true}}}}"#
        )
    }

    #[test]
    fn a_recorded_mark_drops_done_items_but_keeps_unfinished_ones() {
        let p = Path::new("j");
        let text = format!(
            "{HEADER}\n{}\n{}\n{{\"recorded\":\"ab\"}}\n{}\n",
            entry("a", "done"),
            entry("b", "hashed"),
            entry("c", "done")
        );
        let entries = parse(p, &text).unwrap().4;
        let kept: Vec<&str> = entries.iter().map(|e| e.item.path_hmac.as_str()).collect();
        assert_eq!(kept, ["b", "c"]);
        // A torn mark marks nothing.
        let torn = format!("{HEADER}\n{}\n{{\"recorded\":\"ab\"}}", entry("a", "done"));
        assert_eq!(parse(p, &torn).unwrap().4.len(), 1);
    }

    #[test]
    fn an_empty_or_header_torn_journal_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        for text in ["", "{\"journal\":\"custody-wi"] {
            let path = dir.path().join("j.json");
            std::fs::write(&path, text).unwrap();
            assert!(!has_work(&path));
            let (journal, loaded) = Journal::open_or_create(&path, Method::Random, VerifyMode::Full).unwrap();
            assert!(loaded.is_none(), "{text:?} is a fresh start");
            assert!(!path.exists(), "{text:?}: the new journal has no name before its header is durable");
            drop(journal);
        }
    }

    #[test]
    fn a_new_journal_gets_its_name_with_its_header_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.json");
        let (mut journal, _) = Journal::open_or_create(&path, Method::Random, VerifyMode::Full).unwrap();
        journal
            .write_header(&PathKey::from_bytes([7; 32]), Method::Random, VerifyMode::Full, "2026-11-24T00:00:00Z")
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("{\"journal\":\"custody-wipe-journal/1\""), "{text}");
        assert!(text.ends_with('\n'));
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["j.json"], "no temporary file is left");
        // A second run's journal never replaces this one.
        std::fs::rename(&path, dir.path().join("kept.json")).unwrap();
        let (mut second, _) = Journal::open_or_create(&path, Method::Random, VerifyMode::Full).unwrap();
        std::fs::write(&path, "racer").unwrap();
        assert!(second.write_header(&PathKey::from_bytes([8; 32]), Method::Random, VerifyMode::Full, "x").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "racer");
    }

    proptest! {
        #[test]
        fn parser_never_panics(s in ".*") {
            let _ = parse(Path::new("j"), &s);
            let _ = parse(Path::new("j"), &format!("{HEADER}\n{s}"));
        }
    }
}
