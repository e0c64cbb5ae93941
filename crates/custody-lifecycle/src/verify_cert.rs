//! `verify`: gathers everything a certificate (or a return package) can be checked
//! against — trusted keys, the chain, the ledger copy, the ward's cosigned
//! checkpoint, labels and the manifests the ward kept — and runs every check.

use std::fs;
use std::path::{Path, PathBuf};

use custody_certificate::{
    check_all, Certificate, Check, DeliveredManifest, Evidence, LabelFacts, Outcome, SignatureFile, MAX_CERT_BYTES,
};
use custody_keys::PublicKey;
use custody_seal::{Label, Manifest, MAX_MANIFEST_BYTES};
use serde::Serialize;

use crate::certify::package;
use crate::fsutil::read_regular;
use crate::{anchor, Error, Home, Unreadable};

const MAX_SMALL: u64 = 1 << 20;
const MAX_LEDGER: u64 = 1 << 30;
const MAX_CHAIN: usize = 100_000;

#[derive(Debug, Clone, Default)]
pub struct VerifyRequest {
    /// `CERT.json`, or the folder of a return package.
    pub input: PathBuf,
    pub trust: Vec<PathBuf>,
    pub chain: Option<PathBuf>,
    pub ledger: Option<PathBuf>,
    pub checkpoint: Option<PathBuf>,
    pub labels: Vec<PathBuf>,
    pub manifests: Vec<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub id: String,
    pub cert_seq: u64,
    pub issuer: String,
    pub issuer_key: String,
    pub payloads: Vec<String>,
    pub package: bool,
    pub passed: bool,
    pub checks: Vec<Check>,
}

fn read(path: &Path, max: u64) -> Result<Vec<u8>, Error> {
    read_regular(path, max).map_err(|reason| Error::VerifyInputUnreadable { path: path.to_path_buf(), reason })
}

fn bad(path: &Path, reason: Unreadable) -> Error {
    Error::VerifyInputUnreadable { path: path.to_path_buf(), reason }
}

fn read_key(path: &Path) -> Result<PublicKey, Error> {
    let bytes = read(path, MAX_SMALL)?;
    let text = String::from_utf8(bytes).map_err(|_| bad(path, Unreadable::PublicKey))?;
    PublicKey::from_minisign(&text).map_err(|_| bad(path, Unreadable::PublicKey))
}

fn read_text(path: &Path) -> Result<String, Error> {
    String::from_utf8(read(path, MAX_SMALL)?).map_err(|_| bad(path, Unreadable::NotAFile))
}

/// `.minisig` files beside the certificate: the issuer's (`<cert>.minisig`) and the
/// countersignatures (`<cert>.<16 hex>.minisig`).
fn signatures(cert: &Path) -> Result<(Option<SignatureFile>, Vec<SignatureFile>), Error> {
    let name = cert.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
    let dir = custody_fsio::parent_dir(cert);
    let main_path = dir.join(format!("{name}.minisig"));
    let main = match main_path.symlink_metadata() {
        Ok(_) => Some(SignatureFile { name: format!("{name}.minisig"), text: read_text(&main_path)? }),
        Err(_) => None,
    };
    let mut counter = vec![];
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map_err(|e| bad(&dir, Unreadable::Io(e)))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| {
            n.strip_prefix(&format!("{name}."))
                .and_then(|r| r.strip_suffix(".minisig"))
                .is_some_and(|k| k.len() == 16 && k.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    names.sort();
    for n in names {
        counter.push(SignatureFile { text: read_text(&dir.join(&n))?, name: n });
    }
    Ok((main, counter))
}

fn chain_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(|e| bad(dir, Unreadable::Io(e)))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().filter(|n| n.ends_with(".json")).map(str::to_owned))
        .take(MAX_CHAIN)
        .collect();
    names.sort();
    names.into_iter().map(|n| Ok((n.clone(), read(&dir.join(&n), MAX_CERT_BYTES as u64)?))).collect()
}

fn manifest(path: &Path) -> Result<DeliveredManifest, Error> {
    let bytes = read(path, MAX_MANIFEST_BYTES)?;
    let m = Manifest::parse(&bytes).map_err(|_| bad(path, Unreadable::Manifest))?;
    Ok(delivered(&m, &bytes))
}

fn delivered(m: &Manifest, bytes: &[u8]) -> DeliveredManifest {
    DeliveredManifest {
        payload_id: m.payload_id.to_string(),
        root: hex::encode(Manifest::root_of(bytes)),
        created: Some(custody_ledger::format_time(&m.created)),
        files: m.files.iter().map(|f| (f.path.clone(), hex::encode(f.sha256))).collect(),
    }
}

/// Runs every check. `home` is the verifier's own (the ward's): its key is trusted
/// for cosignatures, and its kept manifests and cosigned checkpoints are used.
/// Errors only when an input cannot be read at all; a failed check is in the report.
pub fn verify_certificate(req: &VerifyRequest, home: Option<&Home>) -> Result<VerifyReport, Error> {
    let is_package = req.input.is_dir();
    let in_pkg = |name: &str| req.input.join(name);
    let cert_path = if is_package { in_pkg(package::CERTIFICATE) } else { req.input.clone() };
    let bytes = read(&cert_path, MAX_CERT_BYTES as u64)?;
    let cert = Certificate::parse(&bytes).map_err(|e| bad(&cert_path, Unreadable::Certificate(e)))?;
    let (signature, countersignatures) = signatures(&cert_path)?;

    let mut trusted = vec![];
    for t in &req.trust {
        trusted.push(read_key(t)?);
    }
    if let Some(h) = home {
        trusted.push(h.public_key().clone());
    }
    let issuer_key = match is_package.then(|| in_pkg(package::PUBLIC_KEY)).filter(|p| p.exists()) {
        Some(p) => Some(read_key(&p)?),
        None => None,
    };
    let chain_dir = req.chain.clone().or_else(|| is_package.then(|| in_pkg(package::CHAIN)).filter(|p| p.is_dir()));
    let chain = chain_dir.as_deref().map(chain_files).transpose()?;
    let ledger_path = req.ledger.clone().or_else(|| is_package.then(|| in_pkg(package::LEDGER)).filter(|p| p.exists()));
    let ledger = ledger_path.as_deref().map(|p| read(p, MAX_LEDGER)).transpose()?;

    // The key the cosigned note must carry the issuer's signature by.
    let issuer_for_notes = trusted
        .iter()
        .find(|k| k.key_id().to_string() == cert.issuer.key_id)
        .cloned()
        .or_else(|| issuer_key.clone().filter(|k| k.key_id().to_string() == cert.issuer.key_id));
    let mut notes = vec![];
    if let Some(p) = &req.checkpoint {
        notes.push(read_text(p)?);
    }
    if is_package && in_pkg(package::CHECKPOINT).exists() {
        notes.push(read_text(&in_pkg(package::CHECKPOINT))?);
    }
    let mut cosigned = None;
    if let Some(issuer) = &issuer_for_notes {
        let origin = anchor::origin(&cert.issuer.key_id);
        if let Some(h) = home {
            notes.extend(anchor::stored_cosigned(h, &origin)?);
        }
        let read: Vec<_> = notes.iter().filter_map(|n| anchor::read_cosigned(n, issuer, &trusted)).collect();
        cosigned =
            read.iter().filter(|c| !c.cosigners.is_empty()).max_by_key(|c| c.checkpoint.size).or(read.first()).cloned();
    }

    let mut labels = vec![];
    for l in &req.labels {
        let label = Label::read(l).map_err(|_| bad(l, Unreadable::Label))?;
        labels.push(LabelFacts {
            payload_id: label.payload_id.to_string(),
            manifest_root: hex::encode(label.manifest_root),
            file_count: label.file_count,
            created: custody_ledger::format_time(&label.created),
        });
    }
    let mut manifests = vec![];
    for m in &req.manifests {
        manifests.push(manifest(m)?);
    }
    if let Some(h) = home {
        for p in &cert.payloads {
            let kept = h.root().join("manifests").join(format!("{}.json", p.payload_id));
            if !manifests.iter().any(|m| m.payload_id == p.payload_id) && kept.exists() {
                manifests.push(manifest(&kept)?);
            }
        }
    }

    let ev = Evidence {
        cert: &cert,
        bytes: &bytes,
        signature,
        countersignatures,
        trusted: &trusted,
        issuer_key,
        chain,
        ledger: ledger.as_deref(),
        cosigned,
        labels,
        manifests,
        note_name: Some(anchor::origin(&cert.issuer.key_id)),
    };
    let checks = check_all(&ev);
    Ok(VerifyReport {
        id: cert.id.clone(),
        cert_seq: cert.cert_seq,
        issuer: format!("{} {}", cert.issuer.org, cert.issuer.name),
        issuer_key: cert.issuer.key_id.clone(),
        payloads: cert.payloads.iter().map(|p| p.payload_id.clone()).collect(),
        package: is_package,
        passed: checks.iter().all(|c| c.outcome != Outcome::Failed),
        checks,
    })
}
