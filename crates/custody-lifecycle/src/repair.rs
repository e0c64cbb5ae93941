//! `ledger repair`: the sanctioned way out of a torn ledger tail (a crash in the middle
//! of an append). The torn bytes are moved into a file beside the ledger, never
//! deleted, and a signed `ledger-repaired` entry records where they went and their hash.

use std::path::PathBuf;

use custody_ledger::events::{self, Event};
use custody_ledger::{Hash, Ledger};
use serde::Serialize;

use crate::{Error, Session};

/// What a repair did.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerRepair {
    pub ledger: PathBuf,
    /// 1-based number of the torn line.
    pub line: u64,
    /// Where the torn bytes started.
    pub offset: u64,
    /// How many bytes were moved aside.
    pub bytes: u64,
    /// SHA-256 of those bytes.
    pub sha256: String,
    /// The file holding them now.
    pub saved_as: PathBuf,
    /// `seq` of the `ledger-repaired` entry.
    pub ledger_seq: u64,
}

/// Repairs the home ledger's torn tail, if it has one (`Ok(None)` otherwise).
pub fn repair_ledger(session: &Session<'_>) -> Result<Option<LedgerRepair>, Error> {
    let path = session.home().ledger_path();
    let ledger = Ledger::open(&path)?;
    let Some(r) = ledger.repair_torn_tail()? else {
        return Ok(None);
    };
    let saved_name = r.saved_as.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let sha256 = hex::encode(r.sha256);
    let event = Event::LedgerRepaired(events::LedgerRepaired {
        v: events::BODY_VERSION,
        line: r.line,
        offset: r.offset,
        bytes: r.bytes,
        sha256: Hash(r.sha256),
        saved_as: saved_name,
    });
    let appended = session.record_event(&event)?;
    Ok(Some(LedgerRepair {
        ledger: path,
        line: r.line,
        offset: r.offset,
        bytes: r.bytes,
        sha256,
        saved_as: r.saved_as,
        ledger_seq: appended.seq,
    }))
}
