//! The owner's checks before an append, the verified-prefix marker that keeps them O(1),
//! and the sanctioned repair of a torn tail.
//!
//! An owner's ledger (a custody home's) holds only lines its owner signed. Before a new
//! line is chained to the tail, every line the marker does not already vouch for is
//! checked: its parse, `seq`, `prev`, its actor (the owner) and its signature. The
//! marker (`<ledger>.verified`) records the size, line count and last leaf hash of the
//! prefix checked so far; the line that ends the prefix is re-read and compared on every
//! append, so a rewritten or truncated prefix is caught there too. The marker is only a
//! cache: without it the whole file is checked once.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use custody_keys::PublicKey;
use sha2::{Digest, Sha256};

use crate::entry::{self, MAX_LINE};
use crate::error::IoContext;
use crate::verify::read_line;
use crate::{merkle, Hash, LedgerError, Problem};

/// The highest `seq` a ledger may hold: the largest integer a JSON number carries
/// exactly (JCS writes numbers as doubles). An append past it is refused.
pub const MAX_SEQ: u64 = entry::MAX_SAFE_INTEGER;

/// How far in the future (against the new entry's time) the tail's time may lie: a day
/// covers any time zone or clock mistake; beyond it the tail is data damage, not drift.
pub const MAX_FUTURE_SECS: i64 = 24 * 3600;

/// The verified prefix: `size` bytes holding `count` lines whose last leaf is `leaf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marker {
    pub size: u64,
    pub count: u64,
    pub leaf: Hash,
}

pub(crate) fn marker_path(ledger: &Path) -> PathBuf {
    let mut s = ledger.as_os_str().to_owned();
    s.push(".verified");
    PathBuf::from(s)
}

/// Reads the marker; a missing, unreadable or malformed one means "nothing verified yet".
pub(crate) fn read_marker(ledger: &Path) -> Marker {
    let none = Marker { size: 0, count: 0, leaf: Hash::ZERO };
    let Ok(f) = File::open(marker_path(ledger)) else { return none };
    let mut text = String::new();
    if f.take(256).read_to_string(&mut text).is_err() {
        return none;
    }
    let parts: Vec<&str> = text.split_whitespace().collect();
    match parts.as_slice() {
        ["custody-ledger-verified-v1", size, count, leaf] => match (size.parse(), count.parse(), leaf.parse()) {
            (Ok(size), Ok(count), Ok(leaf)) => Marker { size, count, leaf },
            _ => none,
        },
        _ => none,
    }
}

/// Replaces the marker whole. A failure is ignored: a lost or stale marker only makes
/// the next append check more lines.
pub(crate) fn write_marker(ledger: &Path, m: &Marker) {
    let text = format!("custody-ledger-verified-v1 {} {} {}\n", m.size, m.count, m.leaf);
    let _ = custody_fsio::write_replace(&marker_path(ledger), text.as_bytes(), 0o644);
}

/// What the owner's checks established about the tail.
pub(crate) struct CheckedTail {
    pub marker: Marker,
}

/// Checks every line after the marker's prefix (and the line that ends it) against
/// `owner`. `file` is locked by the caller; `len` is its size.
pub(crate) fn check_owner_tail(
    file: &mut File,
    path: &Path,
    len: u64,
    owner: &PublicKey,
) -> Result<CheckedTail, LedgerError> {
    let mut m = read_marker(path);
    if m.size > len {
        return Err(LedgerError::PrefixChanged { path: path.to_owned(), verified: m.size, size: len });
    }
    if m.size > 0 {
        // The line that ends the prefix must still be the one that was verified.
        let (line, _) = last_line_before(file, path, m.size)?;
        let leaf = merkle::leaf_hash(&line);
        if leaf != m.leaf {
            return Err(LedgerError::PrefixChanged { path: path.to_owned(), verified: m.size, size: len });
        }
    }
    file.seek(SeekFrom::Start(m.size)).at(path)?;
    let mut r = BufReader::new(Read::take(&mut *file, len - m.size));
    let mut buf = Vec::new();
    let mut offset = m.size;
    loop {
        let line_no = m.count + 1;
        let refuse = |problem| LedgerError::TailRefused { path: path.to_owned(), line: line_no, problem };
        let torn = |problem| LedgerError::TornTail { path: path.to_owned(), line: line_no, offset, problem };
        match read_line(&mut r, &mut buf) {
            Ok(false) => break,
            Ok(true) => {}
            Err(p) => return Err(torn(p)),
        }
        let bytes = &buf[..buf.len() - 1];
        let is_last = offset + buf.len() as u64 == len;
        let (e, signed) = match entry::parse_line(bytes) {
            Ok(x) => x,
            Err(p) if is_last => return Err(torn(p)),
            Err(p) => return Err(refuse(p)),
        };
        if e.seq != m.count {
            return Err(refuse(Problem::SeqMismatch { expected: m.count, found: e.seq }));
        }
        if e.prev != m.leaf {
            return Err(refuse(Problem::PrevMismatch));
        }
        if e.actor != owner.key_id() {
            return Err(refuse(Problem::UnknownActor(e.actor)));
        }
        let sig = entry::sig_bytes(&e).ok_or_else(|| refuse(Problem::BadField("sig")))?;
        owner.verify(&signed, &sig).map_err(|_| refuse(Problem::BadSignature))?;
        m = Marker { size: offset + buf.len() as u64, count: m.count + 1, leaf: merkle::leaf_hash(bytes) };
        offset = m.size;
    }
    Ok(CheckedTail { marker: m })
}

/// The complete line that ends at byte `end` (exclusive of nothing: `end` is just past
/// its newline), and where it starts.
fn last_line_before(file: &mut File, path: &Path, end: u64) -> Result<(Vec<u8>, u64), LedgerError> {
    let content_end = end - 1;
    let lower = content_end.saturating_sub(MAX_LINE as u64 + 1);
    let mut chunk = vec![0u8; 8192];
    let mut pos = content_end;
    let mut start = lower;
    while pos > lower {
        let n = (pos - lower).min(chunk.len() as u64) as usize;
        file.seek(SeekFrom::Start(pos - n as u64)).at(path)?;
        file.read_exact(&mut chunk[..n]).at(path)?;
        if let Some(i) = chunk[..n].iter().rposition(|&b| b == b'\n') {
            start = pos - n as u64 + i as u64 + 1;
            break;
        }
        pos -= n as u64;
    }
    let mut line = vec![0u8; (content_end - start) as usize];
    file.seek(SeekFrom::Start(start)).at(path)?;
    file.read_exact(&mut line).at(path)?;
    Ok((line, start))
}

/// What [`crate::Ledger::repair_torn_tail`] moved aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// 1-based number of the torn line.
    pub line: u64,
    /// Byte offset where the torn bytes started; the ledger now ends there.
    pub offset: u64,
    /// How many bytes were moved.
    pub bytes: u64,
    /// SHA-256 of the moved bytes.
    pub sha256: [u8; 32],
    /// The file that now holds them (beside the ledger, 0600).
    pub saved_as: PathBuf,
}

/// The torn tail of a locked ledger: where it starts and its line number, or `None`
/// when the last line is complete and parses.
pub(crate) fn find_torn_tail(file: &mut File, path: &Path) -> Result<Option<(u64, u64)>, LedgerError> {
    let len = file.metadata().at(path)?.len();
    if len == 0 {
        return Ok(None);
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1)).at(path)?;
    file.read_exact(&mut last).at(path)?;
    let start = if last[0] == b'\n' {
        let (line, start) = last_line_before(file, path, len)?;
        if line.len() <= MAX_LINE && entry::parse_line(&line).is_ok() {
            return Ok(None);
        }
        start
    } else {
        // Bytes after the last newline: an incomplete line.
        let (_, start) = last_line_before(file, path, len + 1)?;
        start
    };
    Ok(Some((start, line_number_at(file, path, start)?)))
}

/// Moves bytes `offset..` of the ledger into a new file beside it, then cuts them off.
/// The copy is durable before the ledger is shortened, so a crash in between leaves
/// the bytes in both places, never in neither.
pub(crate) fn move_aside(file: &mut File, path: &Path, offset: u64, line: u64) -> Result<Repaired, LedgerError> {
    let len = file.metadata().at(path)?.len();
    let mut torn = vec![0u8; (len - offset) as usize];
    file.seek(SeekFrom::Start(offset)).at(path)?;
    file.read_exact(&mut torn).at(path)?;
    let sha256: [u8; 32] = Sha256::digest(&torn).into();
    let dir = custody_fsio::parent_dir(path);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut n = 0u32;
    let saved_as = loop {
        let suffix = if n == 0 { String::new() } else { format!(".{n}") };
        let candidate = dir.join(format!("{name}.torn-line{line}{suffix}"));
        match custody_fsio::write_new(&candidate, &torn, 0o600) {
            Ok(()) => break candidate,
            Err(custody_fsio::FsioError::Exists { .. }) if n < 1000 => n += 1,
            Err(e) => return Err(LedgerError::Io { path: candidate, source: e.into() }),
        }
    };
    file.set_len(offset).at(path)?;
    file.sync_all().at(path)?;
    Ok(Repaired { line, offset, bytes: torn.len() as u64, sha256, saved_as })
}

fn line_number_at(file: &mut File, path: &Path, offset: u64) -> Result<u64, LedgerError> {
    file.seek(SeekFrom::Start(0)).at(path)?;
    let mut r = BufReader::new(Read::take(&mut *file, offset));
    let mut count = 1u64;
    let mut buf = [0u8; 64 << 10];
    loop {
        let n = r.read(&mut buf).at(path)?;
        if n == 0 {
            break;
        }
        count += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
    }
    Ok(count)
}
