//! Streaming verification of a whole ledger.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;

use custody_keys::KeyId;

use crate::entry::{self, Entry, MAX_LINE};
use crate::merkle::{self, RootBuilder};
use crate::{Hash, KeyResolver};

/// How far a line's time may lie before the previous line's (clock corrections between
/// the people appending); anything earlier is reported as [`Problem::TimeWentBackwards`].
pub const MAX_BACKWARDS_SECS: i64 = 300;

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    #[error("the line does not end with a newline (torn write?)")]
    TornLine,
    #[error("the line is longer than {MAX_LINE} bytes")]
    LineTooLong,
    #[error("the line is not valid UTF-8")]
    NotUtf8,
    #[error("the line is not JSON")]
    NotJson,
    #[error("the line is not a JSON object")]
    NotAnObject,
    #[error("the key {0:?} appears twice")]
    DuplicateKey(String),
    #[error("the line is not in canonical (RFC 8785) form")]
    NotCanonical,
    #[error("the key {0:?} is missing")]
    MissingKey(String),
    #[error("unexpected key {0:?}")]
    UnexpectedKey(String),
    #[error("the number at {0:?} is not an integer within ±(2^53−1)")]
    BadNumber(String),
    #[error("unsupported version (expected v = 1)")]
    BadVersion,
    #[error("the field {0:?} has the wrong type or form")]
    BadField(&'static str),
    #[error("kind must be 1–64 characters of [a-z0-9-]")]
    BadKind,
    #[error("seq is {found}, expected {expected}")]
    SeqMismatch { expected: u64, found: u64 },
    #[error("prev does not match the hash of the line before: the chain is broken")]
    PrevMismatch,
    #[error("time is not RFC 3339 with whole seconds and a numeric offset")]
    BadTime,
    #[error("time is more than {MAX_BACKWARDS_SECS} s earlier than the line before")]
    TimeWentBackwards,
    #[error("the actor {0} is not a known key")]
    UnknownActor(KeyId),
    #[error("the signature does not verify")]
    BadSignature,
    #[error("reading failed: {0}")]
    Io(String),
    /// The body of a kind this release knows is not that kind's body
    /// (docs/ledger-events.md).
    #[error("{0}")]
    BadBody(crate::events::BodyProblem),
}

/// A problem at a line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ledger line {line}: {problem}")]
pub struct VerifyError {
    pub line: u64,
    pub problem: Problem,
}

/// The summary of a ledger that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub size: u64,
    pub root: Hash,
    pub last_leaf: Option<Hash>,
    pub actors: BTreeSet<KeyId>,
    pub kinds: BTreeMap<String, u64>,
}

/// Read one line including its `\n` into `buf`, at most `MAX_LINE + 1` bytes.
/// Ok(false) at end of input.
pub(crate) fn read_line<R: BufRead>(r: &mut R, buf: &mut Vec<u8>) -> Result<bool, Problem> {
    buf.clear();
    let limit = (MAX_LINE + 1) as u64;
    let n = std::io::Read::take(&mut *r, limit).read_until(b'\n', buf).map_err(|e| Problem::Io(e.to_string()))?;
    if n == 0 {
        return Ok(false);
    }
    if buf.last() != Some(&b'\n') {
        return Err(if n as u64 >= limit { Problem::LineTooLong } else { Problem::TornLine });
    }
    Ok(true)
}

impl Verified {
    /// The kinds seen that this release does not know, with their counts: reported by
    /// name, their bodies unchecked.
    pub fn unknown_kinds(&self) -> BTreeMap<String, u64> {
        self.kinds.iter().filter(|(k, _)| !crate::events::is_known(k)).map(|(k, n)| (k.clone(), *n)).collect()
    }
}

/// Check every line (see docs/ledger.md), and the body of every kind this release
/// knows (docs/ledger-events.md), and compute the Merkle root, in one pass with memory
/// bounded by the longest line plus O(log n).
pub fn verify<R: BufRead>(reader: R, keys: &dyn KeyResolver) -> Result<Verified, VerifyError> {
    verify_each(reader, keys, &mut |_| {})
}

/// [`verify`], also returning every leaf hash in order (what checkpoints and proofs
/// are built from): 32 bytes of memory per line.
pub fn verify_with_leaves<R: BufRead>(reader: R, keys: &dyn KeyResolver) -> Result<(Verified, Vec<Hash>), VerifyError> {
    let mut leaves = Vec::new();
    let v = verify_each(reader, keys, &mut |h| leaves.push(h))?;
    Ok((v, leaves))
}

/// Lines whose signatures go to the checking thread at a time.
const SIG_BATCH: usize = 256;

/// One signature for the checking thread.
struct SigJob {
    line: u64,
    key: custody_keys::PublicKey,
    signed: Vec<u8>,
    sig: [u8; 64],
}

/// Parsing, the chain and the bodies run on this thread while a second one checks the
/// signatures (most of the work: the two overlap on two cores). The first problem in
/// line order is reported, whichever thread found it.
fn verify_each<R: BufRead>(
    reader: R,
    keys: &dyn KeyResolver,
    on_leaf: &mut dyn FnMut(Hash),
) -> Result<Verified, VerifyError> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<SigJob>>(4);
        let checker = scope.spawn(move || {
            for batch in rx {
                for j in batch {
                    if j.key.verify(&j.signed, &j.sig).is_err() {
                        return Some(j.line);
                    }
                }
            }
            None
        });
        let mut pending = Vec::with_capacity(SIG_BATCH);
        let mut checker_gone = false;
        let parsed = parse_each(reader, keys, on_leaf, &mut |job| {
            pending.push(job);
            if pending.len() == SIG_BATCH {
                // A send fails only when the checker stopped at a bad signature.
                checker_gone |= tx.send(std::mem::replace(&mut pending, Vec::with_capacity(SIG_BATCH))).is_err();
            }
            !checker_gone
        });
        if !pending.is_empty() {
            let _ = tx.send(pending);
        }
        drop(tx);
        let bad_sig = match checker.join() {
            Ok(b) => b,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let sig_error = |line| VerifyError { line, problem: Problem::BadSignature };
        match (parsed, bad_sig) {
            (Err(e), Some(l)) if l < e.line => Err(sig_error(l)),
            (Err(e), _) => Err(e),
            (Ok(_), Some(l)) => Err(sig_error(l)),
            (Ok(v), None) => Ok(v),
        }
    })
}

/// Everything but the signatures; `check_sig` queues each line's signature and says
/// whether to go on. Stopping early (a bad signature was found) returns what was seen.
fn parse_each<R: BufRead>(
    mut reader: R,
    keys: &dyn KeyResolver,
    on_leaf: &mut dyn FnMut(Hash),
    check_sig: &mut dyn FnMut(SigJob) -> bool,
) -> Result<Verified, VerifyError> {
    let mut buf = Vec::new();
    let mut builder = RootBuilder::new();
    let mut prev = Hash::ZERO;
    let mut prev_time: Option<chrono::DateTime<chrono::FixedOffset>> = None;
    let mut actors = BTreeSet::new();
    let mut kinds = BTreeMap::new();
    let mut line_no = 0u64;
    loop {
        let at = |problem| VerifyError { line: line_no + 1, problem };
        if !read_line(&mut reader, &mut buf).map_err(at)? {
            break;
        }
        let bytes = &buf[..buf.len() - 1];
        let (e, signed) = entry::parse_line(bytes).map_err(at)?;
        if e.seq != line_no {
            return Err(at(Problem::SeqMismatch { expected: line_no, found: e.seq }));
        }
        if e.prev != prev {
            return Err(at(Problem::PrevMismatch));
        }
        let t = entry::parse_time(&e.time).map_err(at)?;
        if let Some(pt) = prev_time {
            if (t - pt).num_seconds() < -MAX_BACKWARDS_SECS {
                return Err(at(Problem::TimeWentBackwards));
            }
        }
        let pk = keys.public_key(&e.actor).ok_or(at(Problem::UnknownActor(e.actor)))?;
        let sig = entry::sig_bytes(&e).ok_or(at(Problem::BadField("sig")))?;
        let go_on = check_sig(SigJob { line: line_no + 1, key: pk, signed, sig });
        crate::events::Event::parse(&e.kind, &e.body).map_err(|p| at(Problem::BadBody(p)))?;

        let leaf = merkle::leaf_hash(bytes);
        on_leaf(leaf);
        builder.push(leaf);
        prev = leaf;
        prev_time = Some(t);
        actors.insert(e.actor);
        *kinds.entry(e.kind).or_insert(0) += 1;
        line_no += 1;
        if !go_on {
            break;
        }
    }
    Ok(Verified { size: line_no, root: builder.root(), last_leaf: (line_no > 0).then_some(prev), actors, kinds })
}

/// The leaf hash of every line, checking only that each line is complete and within
/// [`MAX_LINE`] — not its form, signature, chain or body: for proofs over a ledger
/// verified separately, and for the ward's consistency check (hashing is all a
/// Merkle tree needs, and a line that does not parse still has a leaf).
pub fn read_leaves<R: BufRead>(mut reader: R) -> Result<Vec<Hash>, VerifyError> {
    let mut buf = Vec::new();
    let mut leaves = Vec::new();
    loop {
        let line = leaves.len() as u64 + 1;
        if !read_line(&mut reader, &mut buf).map_err(|problem| VerifyError { line, problem })? {
            return Ok(leaves);
        }
        leaves.push(merkle::leaf_hash(&buf[..buf.len() - 1]));
    }
}

/// Parse lines and compute their leaf hashes without checking signatures or the chain
/// (for status and audit, which verify separately). Stops after the first error.
pub fn read_entries<R: BufRead>(reader: R) -> impl Iterator<Item = Result<(Entry, Hash), VerifyError>> {
    Entries { reader, buf: Vec::new(), line: 0, done: false }
}

struct Entries<R> {
    reader: R,
    buf: Vec<u8>,
    line: u64,
    done: bool,
}

impl<R: BufRead> Iterator for Entries<R> {
    type Item = Result<(Entry, Hash), VerifyError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.line += 1;
        let at = |problem| VerifyError { line: self.line, problem };
        let item = match read_line(&mut self.reader, &mut self.buf) {
            Ok(false) => {
                self.done = true;
                return None;
            }
            Ok(true) => {
                let bytes = &self.buf[..self.buf.len() - 1];
                entry::parse_line(bytes).map(|(e, _)| (e, merkle::leaf_hash(bytes))).map_err(at)
            }
            Err(p) => Err(at(p)),
        };
        if item.is_err() {
            self.done = true;
        }
        Some(item)
    }
}
