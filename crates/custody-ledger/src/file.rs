//! The ledger file: create, open, append under an exclusive lock.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use crate::entry::{self, MAX_LINE};
use crate::error::IoContext;
use crate::owner::{self, Repaired, MAX_FUTURE_SECS, MAX_SEQ};
use crate::verify::MAX_BACKWARDS_SECS;
use crate::{merkle, Hash, LedgerError, Problem, Signer};
use custody_keys::PublicKey;

/// A ledger file. Holds only the path: every append opens its own descriptor, because
/// `flock` excludes open file descriptions, not threads sharing one.
#[derive(Debug, Clone)]
pub struct Ledger {
    path: PathBuf,
}

/// What [`Ledger::append`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub seq: u64,
    pub leaf: Hash,
    /// The line as stored, without its newline.
    pub line: String,
}

/// The last complete line, as append needs it.
struct Tail {
    seq: u64,
    leaf: Hash,
    time: DateTime<FixedOffset>,
}

impl Ledger {
    /// Create an empty ledger (mode 0600); fails if the file exists. The file and its
    /// directory are synced so the ledger's existence survives a crash.
    pub fn create(path: &Path) -> Result<Ledger, LedgerError> {
        custody_fsio::write_new(path, b"", 0o600).map_err(|e| match e {
            custody_fsio::FsioError::Exists { .. } => LedgerError::AlreadyExists { path: path.to_owned() },
            e => LedgerError::Io { path: e.path().unwrap_or(path).to_owned(), source: e.into() },
        })?;
        Ok(Ledger { path: path.to_owned() })
    }

    /// Open an existing ledger. Nothing is read until the next append or verify.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        let meta = std::fs::metadata(path).at(path)?;
        if !meta.is_file() {
            return Err(LedgerError::NotAFile { path: path.to_owned() });
        }
        Ok(Ledger { path: path.to_owned() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sign and append one typed entry ([`crate::events`]): the way custody writes.
    pub fn append_event(
        &self,
        event: &crate::events::Event,
        signer: &dyn Signer,
        time: DateTime<FixedOffset>,
    ) -> Result<Appended, LedgerError> {
        self.append(event.kind(), event.to_body(), signer, time)
    }

    /// Sign and append one entry. Under an exclusive lock: read the last line only
    /// (O(1) in the ledger size), refuse a damaged tail, write line + "\n" in one
    /// `write(2)` with `O_APPEND`, then fsync. A body of a kind [`crate::events`]
    /// knows must be that kind's body: `verify` would refuse anything else.
    pub fn append(
        &self,
        kind: &str,
        body: Map<String, Value>,
        signer: &dyn Signer,
        time: DateTime<FixedOffset>,
    ) -> Result<Appended, LedgerError> {
        self.append_inner(kind, body, signer, time, None)
    }

    /// As [`Self::append`], for a ledger that only `owner` writes (a custody home's):
    /// before chaining to the tail, every line not yet vouched for by the
    /// verified-prefix marker is checked (parse, `seq`, `prev`, actor = `owner`,
    /// signature), so an append never extends a forged, foreign or damaged tail. The
    /// marker then moves to the new line, keeping the check O(1) per append.
    pub fn append_as_owner(
        &self,
        kind: &str,
        body: Map<String, Value>,
        signer: &dyn Signer,
        owner: &PublicKey,
        time: DateTime<FixedOffset>,
    ) -> Result<Appended, LedgerError> {
        if signer.key_id() != owner.key_id() {
            return Err(LedgerError::NotOwner { signer: signer.key_id(), owner: owner.key_id() });
        }
        self.append_inner(kind, body, signer, time, Some(owner))
    }

    /// Moves a torn tail (an incomplete or unparsable last line, left by a crash
    /// mid-append) into a file beside the ledger and cuts it off, under the lock.
    /// Nothing is deleted: the bytes are kept for whoever investigates. `None` when the
    /// last line is whole. The caller records the repair as a signed entry.
    pub fn repair_torn_tail(&self) -> Result<Option<Repaired>, LedgerError> {
        let path = &self.path;
        let mut file = OpenOptions::new().read(true).write(true).open(path).at(path)?;
        fs4::FileExt::lock(&file).at(path)?;
        match owner::find_torn_tail(&mut file, path)? {
            None => Ok(None),
            Some((offset, _)) if owner::read_marker(path).size > offset => {
                // A crash tears only the line being appended, which lies beyond the
                // verified prefix: damage inside it is not a torn write.
                let size = file.metadata().at(path)?.len();
                Err(LedgerError::PrefixChanged { path: path.clone(), verified: owner::read_marker(path).size, size })
            }
            Some((offset, line)) => owner::move_aside(&mut file, path, offset, line).map(Some),
        }
    }

    fn append_inner(
        &self,
        kind: &str,
        body: Map<String, Value>,
        signer: &dyn Signer,
        time: DateTime<FixedOffset>,
        owner: Option<&PublicKey>,
    ) -> Result<Appended, LedgerError> {
        entry::check_kind(kind).map_err(|_| LedgerError::BadKind { kind: kind.to_owned() })?;
        if let Err(problem) = crate::events::Event::parse(kind, &body) {
            let kind = crate::events::KNOWN_KINDS.into_iter().find(|k| *k == kind).unwrap_or("unknown");
            return Err(LedgerError::BadBody { kind, problem });
        }
        let body_value = Value::Object(body);
        let mut ptr = String::new();
        entry::check_numbers(&body_value, &mut ptr).map_err(|pointer| LedgerError::BadNumber { pointer })?;
        let Value::Object(body) = body_value else {
            return Err(LedgerError::Serialise);
        };
        let time_text = entry::format_time(&time);

        let path = &self.path;
        let mut file = OpenOptions::new().read(true).append(true).open(path).at(path)?;
        // Fully qualified: std's File::lock (Rust 1.89) would shadow it above our MSRV.
        fs4::FileExt::lock(&file).at(path)?;

        let tail = read_tail(&mut file, path)?;
        let checked = match owner {
            Some(o) => {
                let len = file.metadata().at(path)?.len();
                Some(owner::check_owner_tail(&mut file, path, len, o)?)
            }
            None => None,
        };
        let (seq, prev) = match &tail {
            None => (0, Hash::ZERO),
            Some(t) if t.seq >= MAX_SEQ => return Err(LedgerError::SeqLimit { path: path.clone(), max: MAX_SEQ }),
            Some(t) => (t.seq + 1, t.leaf),
        };
        if let Some(t) = &tail {
            let ahead = (t.time - time).num_seconds();
            if ahead > MAX_FUTURE_SECS {
                return Err(LedgerError::TailInFuture {
                    path: path.clone(),
                    tail_time: entry::format_time(&t.time),
                    time: time_text,
                });
            }
            if ahead > MAX_BACKWARDS_SECS {
                return Err(LedgerError::TimeWentBackwards { previous: entry::format_time(&t.time), time: time_text });
            }
        }
        let line = entry::build_line(seq, &prev, &time_text, kind, signer.key_id(), body, |m| signer.sign(m))
            .map_err(|_| LedgerError::Serialise)?;
        if line.len() > MAX_LINE {
            return Err(LedgerError::LineTooLong { len: line.len(), max: MAX_LINE });
        }
        let mut out = Vec::with_capacity(line.len() + 1);
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
        // One write with O_APPEND: other writers (even ones ignoring the lock) cannot
        // interleave inside the line. A short write leaves a torn tail, which the next
        // append and verify report.
        let written = file.write(&out).at(path)?;
        if written != out.len() {
            return Err(LedgerError::ShortWrite { path: path.clone(), written, expected: out.len() });
        }
        // fdatasync also makes the new size durable, which is all an append changes.
        file.sync_data().at(path)?;
        let leaf = merkle::leaf_hash(line.as_bytes());
        if let Some(c) = checked {
            let m = owner::Marker { size: c.marker.size + out.len() as u64, count: seq + 1, leaf };
            owner::write_marker(path, &m);
        }
        Ok(Appended { seq, leaf, line })
    }
}

fn read_at(file: &mut File, path: &Path, pos: u64, buf: &mut [u8]) -> Result<(), LedgerError> {
    file.seek(SeekFrom::Start(pos)).at(path)?;
    file.read_exact(buf).at(path)
}

/// Find and parse the last line by reading backwards from the end.
fn read_tail(file: &mut File, path: &Path) -> Result<Option<Tail>, LedgerError> {
    let len = file.metadata().at(path)?.len();
    if len == 0 {
        return Ok(None);
    }
    let mut last = [0u8; 1];
    read_at(file, path, len - 1, &mut last)?;
    let complete = last[0] == b'\n';
    let content_end = if complete { len - 1 } else { len };

    let lower = content_end.saturating_sub(MAX_LINE as u64 + 1);
    let mut chunk = vec![0u8; 8192];
    let mut pos = content_end;
    let mut start = None;
    while pos > lower {
        let n = (pos - lower).min(chunk.len() as u64) as usize;
        read_at(file, path, pos - n as u64, &mut chunk[..n])?;
        if let Some(i) = chunk[..n].iter().rposition(|&b| b == b'\n') {
            start = Some(pos - n as u64 + i as u64 + 1);
            break;
        }
        pos -= n as u64;
    }
    let torn = |file: &mut File, offset: u64, problem: Problem| -> LedgerError {
        match line_number_at(file, path, offset) {
            Ok(line) => LedgerError::TornTail { path: path.to_owned(), line, offset, problem },
            Err(e) => e,
        }
    };
    let start = match start {
        Some(s) => s,
        None if lower == 0 => 0,
        None => return Err(torn(file, lower, Problem::LineTooLong)),
    };
    if !complete {
        return Err(torn(file, start, Problem::TornLine));
    }
    let n = usize::try_from(content_end - start)
        .map_err(|_| LedgerError::LineTooLong { len: usize::MAX, max: MAX_LINE })?;
    let mut line = vec![0u8; n];
    read_at(file, path, start, &mut line)?;
    let (e, _) = match entry::parse_line(&line) {
        Ok(x) => x,
        Err(p) => return Err(torn(file, start, p)),
    };
    let Some(time) = e.time() else {
        return Err(torn(file, start, Problem::BadTime));
    };
    Ok(Some(Tail { seq: e.seq, leaf: merkle::leaf_hash(&line), time }))
}

/// 1-based line number of the line starting at `offset`. Scans the file: only used to
/// word an error, never on the append path.
fn line_number_at(file: &mut File, path: &Path, offset: u64) -> Result<u64, LedgerError> {
    file.seek(SeekFrom::Start(0)).at(path)?;
    let mut r = BufReader::new(Read::take(&mut *file, offset));
    let mut count = 1u64;
    loop {
        let buf = r.fill_buf().at(path)?;
        if buf.is_empty() {
            break;
        }
        count += buf.iter().filter(|&&b| b == b'\n').count() as u64;
        let n = buf.len();
        r.consume(n);
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use custody_keys::{KeyId, SecretKey};

    /// A ledger whose last line has the highest seq takes no further entry.
    #[test]
    fn seq_never_exceeds_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l");
        let key = SecretKey::from_seed(KeyId([1; 8]), &[1; 32]);
        let t = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+09:00").unwrap();
        let line =
            entry::build_line(MAX_SEQ, &Hash::ZERO, &entry::format_time(&t), "k", key.key_id(), Map::new(), |m| {
                key.sign(m)
            })
            .unwrap();
        std::fs::write(&path, format!("{line}\n")).unwrap();
        let l = Ledger::open(&path).unwrap();
        match l.append("k", Map::new(), &key, t) {
            Err(LedgerError::SeqLimit { max, .. }) => assert_eq!(max, MAX_SEQ),
            r => panic!("{r:?}"),
        }
    }
}
