//! Which payload a work folder holds: the `opened` entries of the home ledger name
//! their folder by a keyed hash (`folder_hmac`, docs/ledger-events.md), so a wipe of
//! that folder can name its payload without any path in the ledger.

use std::io::BufReader;
use std::path::Path;

use custody_ledger::events::{self, Event};

use crate::{Error, Home};

/// The payload the home opened into `folder`, from the last `opened` entry whose
/// `folder_hmac` is this folder's (None when no entry matches: a folder this home did
/// not make, or one since moved or replaced). The ledger is read, not verified.
pub fn payload_opened_in(home: &Home, folder: &Path) -> Result<Option<events::PayloadRef>, Error> {
    let tag = home.folder_hmac(folder)?;
    let path = home.ledger_path();
    let file = std::fs::File::open(&path).map(BufReader::new).map_err(Error::io(&path))?;
    let mut found = None;
    for item in custody_ledger::read_entries(file) {
        let (entry, _) = item.map_err(|source| Error::LedgerInvalid { path: path.clone(), source })?;
        if entry.kind != "opened" {
            continue;
        }
        if let Ok(Some(Event::Opened(o))) = Event::parse(&entry.kind, &entry.body) {
            if o.folder_hmac == tag {
                found = Some(events::PayloadRef { payload_id: o.payload_id, manifest_root: o.manifest_root });
            }
        }
    }
    Ok(found)
}
