//! `open`: the contractor decrypts a payload into an owner-only work folder (R9),
//! and the ledger records which machine holds the plaintext (R16).

use std::fs;
use std::path::{Path, PathBuf};

use custody_ledger::events::{self, Event};
use custody_ledger::Hash;
use custody_notice::Passphrase;
use custody_seal::Label;
use serde::Serialize;

use crate::{Error, Machine, Session};

#[derive(Debug)]
pub struct OpenRequest<'a> {
    pub payload: PathBuf,
    pub dest: PathBuf,
    pub passphrase: &'a Passphrase,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenReport {
    pub payload_id: String,
    pub dest: PathBuf,
    pub file_count: u64,
    pub total_bytes: u64,
    pub manifest_root: String,
    /// Whether a label was found beside the payload and matched it.
    pub label_checked: bool,
    pub machine: Machine,
    pub ledger_seq: u64,
}

/// `progress(done, total)` receives the file bytes extracted so far and the total
/// the label announces (0 without a label).
pub fn open_delivery(
    session: &Session<'_>,
    req: &OpenRequest<'_>,
    progress: &dyn Fn(u64, u64),
) -> Result<OpenReport, Error> {
    let label_path = Label::path_beside(&req.payload);
    let label = if label_path.exists() { Some(Label::read(&label_path)?) } else { None };
    let dest_existed = req.dest.exists();
    let total = label.as_ref().map(|l| l.total_bytes).unwrap_or(0);
    let opened =
        custody_seal::open(&req.payload, &req.passphrase.to_secret_string(), &req.dest, label.as_ref(), &|done| {
            progress(done, total)
        })?;

    let machine = Machine::current();
    let manifest_root = hex::encode(opened.manifest_root);
    let payload_id = opened.manifest.payload_id.to_string();
    let opened_event = match session.home().folder_hmac(&opened.dest) {
        Ok(folder_hmac) => Event::Opened(events::Opened {
            v: events::BODY_VERSION,
            payload_id: payload_id.clone(),
            manifest_root: Hash(opened.manifest_root),
            file_count: opened.file_count,
            total_bytes: opened.total_bytes,
            label_checked: label.is_some(),
            machine: events::Machine { hostname: machine.hostname.clone(), machine_id: machine.machine_id.clone() },
            folder_hmac,
        }),
        Err(e) => {
            remove_opened(&req.dest, dest_existed);
            return Err(e);
        }
    };
    let appended = match session.record_event(&opened_event) {
        Ok(a) => a,
        Err(e) => {
            // Plaintext that the ledger does not know about is an unrecorded copy
            // (R16): take it away again.
            remove_opened(&req.dest, dest_existed);
            return Err(e);
        }
    };
    // What the wipe of this folder needs to account for every manifest entry.
    let time = serde_json::from_str::<serde_json::Value>(&appended.line)
        .ok()
        .and_then(|v| v.get("time").and_then(|t| t.as_str()).map(str::to_owned))
        .unwrap_or_default();
    crate::coverage::note_opened(session.home(), &opened.manifest, &manifest_root, &opened.dest, appended.seq, &time)?;
    Ok(OpenReport {
        payload_id,
        dest: opened.dest,
        file_count: opened.file_count,
        total_bytes: opened.total_bytes,
        manifest_root,
        label_checked: label.is_some(),
        machine,
        ledger_seq: appended.seq,
    })
}

fn remove_opened(dest: &Path, existed_before: bool) {
    let _ = fs::remove_dir_all(dest);
    if existed_before {
        let _ = fs::create_dir(dest);
    }
}

/// Reads a passphrase from a file: either the `.txt` password notice itself or a
/// file holding just the passphrase (typed or canonical form).
pub fn read_passphrase_file(path: &Path) -> Result<Passphrase, Error> {
    let text = zeroize::Zeroizing::new(fs::read_to_string(path).map_err(Error::io(path))?);
    if let Ok(parsed) = custody_notice::parse_text_notice(&text) {
        return Ok(parsed.passphrase);
    }
    Ok(Passphrase::parse(text.trim())?)
}
