//! Which delivered files an erasure covered, without keeping their names.
//!
//! `open` leaves a note in the contractor's home (`opened/`, owner-only) of the
//! folder it made and the manifest's files (path and hash). The wipe that erases
//! that folder matches its items to the manifest by place (folder + path) and
//! content hash, writes the result as entry index, hash and status under
//! `coverage/<record sha256>.json`, and deletes the note: from then on no file name
//! is kept anywhere, and `certify` reads only the name-free coverage.
//!
//! ```text
//! $CUSTODY_HOME/opened/<payload id>-<ledger seq>.json   until the folder is wiped
//! $CUSTODY_HOME/coverage/<record sha256>.json            name-free, kept
//! ```

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use custody_certificate::{EntryCoverage, EntryStatus, PayloadCoverage};
use custody_seal::Manifest;
use custody_wipe::{Assurance, ErasureRecord, ItemKind, ItemResult, PlannedItem};
use serde::{Deserialize, Serialize};

use crate::error::HomeDamage;
use crate::wipe::PayloadRef;
use crate::{Error, Home};

/// The note `open` leaves until the folder is wiped. Holds file names: owner-only.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenedNote {
    payload_id: String,
    manifest_root: String,
    opened_seq: u64,
    opened: String,
    dest: PathBuf,
    files: Vec<(String, String)>,
}

fn opened_dir(home: &Home) -> PathBuf {
    home.root().join("opened")
}

fn coverage_path(home: &Home, record_sha256: &str) -> PathBuf {
    home.root().join("coverage").join(format!("{record_sha256}.json"))
}

/// Called by `open` once the `opened` entry is recorded.
pub(crate) fn note_opened(
    home: &Home,
    manifest: &Manifest,
    manifest_root: &str,
    dest: &Path,
    seq: u64,
    time: &str,
) -> Result<(), Error> {
    let dir = opened_dir(home);
    fs::create_dir_all(&dir).map_err(Error::io(&dir))?;
    let dest = dest.canonicalize().map_err(Error::io(dest))?;
    let note = OpenedNote {
        payload_id: manifest.payload_id.to_string(),
        manifest_root: manifest_root.to_owned(),
        opened_seq: seq,
        opened: time.to_owned(),
        dest,
        files: manifest.files.iter().map(|f| (f.path.clone(), hex::encode(f.sha256))).collect(),
    };
    let path = dir.join(format!("{}-{seq}.json", note.payload_id));
    let bytes = serde_json::to_vec(&note).map_err(|e| Error::io(&path)(std::io::Error::other(e)))?;
    custody_fsio::write_replace(&path, &bytes, 0o600).map_err(Error::from)
}

fn notes(home: &Home) -> Vec<(PathBuf, OpenedNote)> {
    let Ok(rd) = fs::read_dir(opened_dir(home)) else { return vec![] };
    let mut out: Vec<(PathBuf, OpenedNote)> = rd
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            let bytes = fs::read(&p).ok()?;
            Some((p, serde_json::from_slice(&bytes).ok()?))
        })
        .collect();
    out.sort_by_key(|(_, n)| n.opened_seq);
    out
}

/// Payloads whose opened folders lie within `paths`: a wipe of an opened copy names
/// its payload.
pub(crate) fn opened_payloads_within(home: &Home, paths: &[PathBuf]) -> Vec<PayloadRef> {
    let roots: Vec<PathBuf> = paths.iter().filter_map(|p| p.canonicalize().ok()).collect();
    notes(home)
        .into_iter()
        .filter(|(_, n)| roots.iter().any(|r| n.dest.starts_with(r) || r.starts_with(&n.dest)))
        .map(|(_, n)| PayloadRef { payload_id: n.payload_id, manifest_root: n.manifest_root })
        .collect()
}

fn status(item: Option<&custody_wipe::ItemRecord>, sha256: &str) -> EntryStatus {
    let Some(item) = item else { return EntryStatus::NotErased };
    if item.result != ItemResult::Erased || item.still_reachable {
        return EntryStatus::NotErased;
    }
    if item.content_sha256.as_deref() != Some(sha256) {
        return EntryStatus::Changed;
    }
    match item.assurance {
        Assurance::Clear | Assurance::CryptographicErase => EntryStatus::ErasedVerified,
        _ => EntryStatus::ErasedWithCaveat,
    }
}

/// Called by `wipe` once the record is kept: the coverage of every opened folder
/// the erasure reached, by entry index and hash. A note whose folder was itself
/// erased is deleted, names and all.
pub(crate) fn settle(
    home: &Home,
    planned: &[PlannedItem],
    record: &ErasureRecord,
    record_sha256: &str,
) -> Result<(), Error> {
    let Some(key) = record.path_key() else { return Ok(()) };
    let by_hmac: HashMap<&str, &custody_wipe::ItemRecord> =
        record.items.iter().map(|i| (i.path_hmac.as_str(), i)).collect();
    let mut covered = vec![];
    for (note_path, note) in notes(home) {
        let inside: Vec<&PlannedItem> = planned.iter().filter(|i| i.path.starts_with(&note.dest)).collect();
        if inside.is_empty() {
            continue;
        }
        let mut listed = std::collections::HashSet::new();
        let entries: Vec<EntryCoverage> = note
            .files
            .iter()
            .enumerate()
            .map(|(index, (rel, sha))| {
                let abs = note.dest.join(rel);
                let item = inside
                    .iter()
                    .find(|i| i.path == abs)
                    .and_then(|i| by_hmac.get(key.hash_path(&i.path).as_str()).copied());
                listed.insert(abs);
                EntryCoverage { index: index as u64, sha256: sha.clone(), status: status(item, sha) }
            })
            .collect();
        let unlisted = inside.iter().filter(|i| i.kind == ItemKind::File && !listed.contains(&i.path)).count();
        covered.push(PayloadCoverage {
            payload_id: note.payload_id.clone(),
            manifest_root: note.manifest_root.clone(),
            file_count: note.files.len() as u64,
            opened_seq: Some(note.opened_seq),
            opened: Some(note.opened.clone()),
            ciphertext_erased: false,
            entries,
            unlisted_erased: unlisted as u64,
        });
        if inside.iter().any(|i| i.path == note.dest) {
            fs::remove_file(&note_path).map_err(Error::io(&note_path))?;
        }
    }
    if covered.is_empty() {
        return Ok(());
    }
    let path = coverage_path(home, record_sha256);
    let dir = custody_fsio::parent_dir(&path);
    fs::create_dir_all(&dir).map_err(Error::io(&dir))?;
    let bytes = serde_json::to_vec(&covered).map_err(|e| Error::io(&path)(std::io::Error::other(e)))?;
    custody_fsio::write_replace(&path, &bytes, 0o600).map_err(Error::from)
}

/// The coverage a wipe left for a record, if any.
pub(crate) fn load(home: &Home, record_sha256: &str) -> Result<Vec<PayloadCoverage>, Error> {
    let path = coverage_path(home, record_sha256);
    match fs::read(&path) {
        Ok(b) => serde_json::from_slice(&b).map_err(|e| Error::HomeDamaged {
            path: path.clone(),
            part: HomeDamage::Coverage,
            what: format!("coverage: {e}"),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(vec![]),
        Err(e) => Err(Error::io(&path)(e)),
    }
}
