//! `open`: the contractor decrypts a payload into an owner-only work folder (R9),
//! and the ledger records which machine holds the plaintext (R16).
//!
//! Before any decryption: the work folder must not be on the media (plaintext must not
//! travel), and with trusted keys the label's signature must name the sender.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use custody_keys::PublicKey;
use custody_ledger::events::{self, Event};
use custody_ledger::Hash;
use custody_notice::Passphrase;
use custody_seal::Label;
use serde::Serialize;

use crate::error::DestProblem;
use crate::fsutil::{is_within, resolve_lenient};
use crate::inputs::{read_bounded, MAX_KEY_FILE};
use crate::media::{on_removable_device, on_travelling_medium, same_device};
use crate::{Error, Machine, Session};
use custody_fsio::parent_dir;

pub use crate::inputs::read_passphrase_file;

#[derive(Debug)]
pub struct OpenRequest<'a> {
    pub payload: PathBuf,
    pub dest: PathBuf,
    pub passphrase: &'a Passphrase,
    /// Public keys of the senders this contractor trusts (`--trust`). With any, the
    /// label must carry a signature by one of them, checked before decryption.
    pub trusted: &'a [PublicKey],
    /// Set by a signal handler: the open stops and removes its staging directory.
    pub cancel: Option<&'a AtomicBool>,
}

/// Who sealed the payload, as far as the label's signature tells.
#[derive(Debug, Clone, Serialize)]
pub struct Sender {
    /// True when the label's signature verified with a trusted key.
    pub confirmed: bool,
    /// The signing key's id (confirmed) or the label's `sealed_by` (unconfirmed).
    pub key_id: Option<String>,
    /// The label's issuer.
    pub issuer: Option<String>,
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
    pub sender: Sender,
    pub machine: Machine,
    pub ledger_seq: u64,
}

/// The detached signature beside a label: `<id>.label.json.minisig`.
pub fn label_signature_path(label: &Path) -> PathBuf {
    let mut s = label.as_os_str().to_owned();
    s.push(".minisig");
    PathBuf::from(s)
}

/// Removes staging directories that a killed `open` left beside `dest` (see
/// `custody_seal::sweep_stale_staging`); returns what was removed, for the person to
/// be told.
pub fn sweep_staging(dest: &Path) -> Vec<PathBuf> {
    custody_seal::sweep_stale_staging(&parent_dir(dest))
}

/// `progress(done, total)` receives the file bytes extracted so far and the total
/// the label announces (0 without a label).
pub fn open_delivery(
    session: &Session<'_>,
    req: &OpenRequest<'_>,
    progress: &dyn Fn(u64, u64),
) -> Result<OpenReport, Error> {
    let preview = crate::precheck::check_open(session.home(), &req.payload, &req.dest, req.trusted)?;
    let sender = preview.sender;
    let label = preview.label;
    let label = label.map(|(l, _)| l);
    let dest_existed = req.dest.exists();
    let total = label.as_ref().map(|l| l.total_bytes).unwrap_or(0);
    let never = AtomicBool::new(false);
    let opened = custody_seal::open_cancellable(
        &req.payload,
        &req.passphrase.to_secret_string(),
        &req.dest,
        label.as_ref(),
        &|done| progress(done, total),
        req.cancel.unwrap_or(&never),
    )?;

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
            sender_confirmed: sender.confirmed,
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
        sender,
        machine,
        ledger_seq: appended.seq,
    })
}

/// Plaintext must not land where it travels: not in the payload's own folder, not on
/// the medium that holds the payload (when that looks like a stick: removable, FAT or
/// NTFS, or mounted under /media), not on any removable device.
pub(crate) fn check_dest_place(dest: &Path, payload: &Path) -> Result<(), Error> {
    let refuse = |why| Err(Error::DestOnMedia { dest: dest.to_path_buf(), why });
    let payload_dir = parent_dir(payload);
    if is_within(dest, &payload_dir) {
        return refuse(DestProblem::PayloadFolder);
    }
    // The destination may not exist yet: judge by its nearest existing ancestor.
    let existing = nearest_existing(dest);
    if same_device(&existing, &payload_dir) && on_travelling_medium(&payload_dir) {
        return refuse(DestProblem::PayloadMedium);
    }
    if on_removable_device(&existing) {
        return refuse(DestProblem::Removable);
    }
    Ok(())
}

fn nearest_existing(path: &Path) -> PathBuf {
    let full = resolve_lenient(path).unwrap_or_else(|| path.to_path_buf());
    let mut cur = full.as_path();
    loop {
        if cur.exists() {
            return cur.to_path_buf();
        }
        match cur.parent() {
            Some(p) => cur = p,
            None => return PathBuf::from("/"),
        }
    }
}

/// With trusted keys: the label must exist, carry a signature beside it by one of
/// them, and name that key as `sealed_by`. Without: the sender is unconfirmed.
pub(crate) fn check_sender(
    payload: &Path,
    label_path: &Path,
    label: Option<&(Label, Vec<u8>)>,
    trusted: &[PublicKey],
) -> Result<Sender, Error> {
    let unconfirmed = Sender {
        confirmed: false,
        key_id: label.map(|(l, _)| l.sealed_by.clone()),
        issuer: label.map(|(l, _)| l.issuer.clone()),
    };
    if trusted.is_empty() {
        return Ok(unconfirmed);
    }
    let Some((label, bytes)) = label else {
        return Err(Error::LabelMissing { payload: payload.to_path_buf() });
    };
    let sig_path = label_signature_path(label_path);
    if fs::symlink_metadata(&sig_path).is_err() {
        return Err(Error::LabelUnsigned { label: label_path.to_path_buf(), sig: sig_path });
    }
    let sig_file = read_bounded(&sig_path, MAX_KEY_FILE)?;
    let sig_text = String::from_utf8_lossy(&sig_file.bytes).into_owned();
    let invalid = |detail: String| Error::LabelSignatureInvalid { sig: sig_path.clone(), detail };
    let parsed = custody_keys::MinisignSignature::parse(&sig_text).map_err(|e| invalid(e.to_string()))?;
    let key = trusted
        .iter()
        .find(|k| k.key_id() == parsed.key_id)
        .ok_or_else(|| invalid(format!("signed by key {}, which is not trusted", parsed.key_id)))?;
    key.verify_minisign(&bytes[..], &sig_text).map_err(|e| invalid(e.to_string()))?;
    let signer = key.key_id().to_string();
    if label.sealed_by != signer {
        return Err(Error::LabelSignerMismatch { sealed_by: label.sealed_by.clone(), signer });
    }
    Ok(Sender { confirmed: true, key_id: Some(signer), issuer: Some(label.issuer.clone()) })
}

fn remove_opened(dest: &Path, existed_before: bool) {
    let _ = fs::remove_dir_all(dest);
    if existed_before {
        let _ = fs::create_dir(dest);
    }
}
