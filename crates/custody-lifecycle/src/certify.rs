//! `certify`: one certificate of erasure from one or more of this home's erasure
//! records, signed, chained to the issuer's previous certificate, anchored in the
//! ledger, and recorded there (R6, R11, R14, R19). Also the second person's
//! countersignature and the return package.
//!
//! ```text
//! $CUSTODY_HOME/certificates/<cert_seq, 6 digits>.json   the issuer's chain
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use custody_certificate::{
    certificate_id, render_html, Anchor, Certificate, Counts, Item, Media, Party, PayloadCoverage, Proof, FORMAT,
};
use custody_l10n::{Lang, Localizer};
use custody_ledger::events::{self, Event};
use custody_ledger::{Entry, Hash};
use custody_wipe::{Assurance, ErasureRecord, ItemResult, Pass};
use serde::Serialize;
use serde_json::Value;

use crate::anchor;
use crate::fsutil::read_regular;
use crate::{assurance_name, outcome_name, Error, Home, Session};

/// Largest erasure record read.
const MAX_RECORD: u64 = 256 << 20;

#[derive(Debug, Clone)]
pub struct CertifyRequest {
    pub records: Vec<PathBuf>,
    pub out: PathBuf,
    pub contract: Option<String>,
    pub to: Vec<String>,
    pub media_destination: Option<String>,
    pub notes: Option<String>,
    pub lang: Lang,
    /// Also write the return package (a new folder) here.
    pub package: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertifyReport {
    pub id: String,
    pub cert_seq: u64,
    pub sha256: String,
    pub certificate: PathBuf,
    pub signature: PathBuf,
    pub html: PathBuf,
    pub package: Option<PathBuf>,
    pub payloads: Vec<String>,
    pub items: usize,
    pub ledger_seq: u64,
}

fn chain_dir(home: &Home) -> PathBuf {
    home.root().join("certificates")
}

/// The last certificate of this home's chain: (seq, bytes).
fn last_certificate(home: &Home) -> Result<Option<(u64, Vec<u8>)>, Error> {
    let dir = chain_dir(home);
    let Ok(rd) = fs::read_dir(&dir) else { return Ok(None) };
    let last = rd.flatten().filter_map(|e| e.file_name().to_str()?.strip_suffix(".json")?.parse::<u64>().ok()).max();
    match last {
        None => Ok(None),
        Some(seq) => {
            let p = dir.join(format!("{seq:06}.json"));
            Ok(Some((seq, fs::read(&p).map_err(Error::io(&p))?)))
        }
    }
}

fn pass_name(p: &Pass) -> String {
    match p {
        Pass::Pattern(b) => format!("0x{b:02x}"),
        Pass::Random => "random".into(),
    }
}

/// NIST category the record reaches: every file cryptographically erased is Purge,
/// every file overwritten and read back from the device is Clear.
fn method_type(r: &ErasureRecord) -> &'static str {
    let content: Vec<Assurance> =
        r.items.iter().filter(|i| i.assurance != Assurance::NameOnly).map(|i| i.assurance).collect();
    if content.is_empty() || r.outcome() != custody_wipe::Outcome::AllErased {
        "none"
    } else if content.iter().all(|a| *a == Assurance::CryptographicErase) {
        "purge"
    } else if content.iter().all(|a| *a >= Assurance::Clear) {
        "clear"
    } else {
        "none"
    }
}

fn item_of(r: &ErasureRecord, sha: &str, seq: u64, leaf: String, entry: &Entry) -> Item {
    let mut counts = Counts { items: r.items.len() as u64, erased: 0, failed: 0, not_attempted: 0 };
    let mut assurance: BTreeMap<String, u64> = BTreeMap::new();
    for i in &r.items {
        match i.result {
            ItemResult::Erased | ItemResult::Removed | ItemResult::Overwritten => counts.erased += 1,
            ItemResult::Failed => counts.failed += 1,
            ItemResult::NotAttempted => counts.not_attempted += 1,
        }
        *assurance.entry(assurance_name(i.assurance).to_owned()).or_default() += 1;
    }
    let verified: Vec<bool> = r.items.iter().filter_map(|i| i.verification.as_ref().map(|v| v.passed)).collect();
    let verification_result = if verified.is_empty() {
        "not-verified"
    } else if verified.iter().all(|p| *p) {
        "passed"
    } else {
        "failed"
    };
    let dev = r.device.as_ref();
    let mut fs_types: Vec<String> = r.filesystems.iter().map(|f| f.fstype.clone()).collect();
    fs_types.dedup();
    let payloads = entry
        .body
        .get("payloads")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|p| p.get("payload_id")?.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    Item {
        record_sha256: sha.to_owned(),
        ledger_seq: seq,
        ledger_leaf: leaf,
        tool: format!("{} {}", r.tool.name, r.tool.version),
        operator: r.operator.clone(),
        host: r.host.clone(),
        started: r.started.clone(),
        finished: r.finished.clone(),
        media: Media {
            kind: dev.map(|d| d.kind.clone()).unwrap_or_else(|| "files".into()),
            make: dev.and_then(|d| d.vendor.clone()),
            model: dev.and_then(|d| d.model.clone()),
            serial: dev.and_then(|d| d.serial.clone()),
            bus: dev.and_then(|d| d.bus.clone()),
            size: dev.map(|d| d.size).unwrap_or_else(|| r.items.iter().map(|i| i.size).sum()),
            filesystems: fs_types,
        },
        method_type: method_type(r).into(),
        method: r.method.name().into(),
        passes: r.passes.iter().map(pass_name).collect(),
        verification: r.verification.name().into(),
        verification_result: verification_result.into(),
        outcome: outcome_name(r.outcome()).into(),
        counts,
        assurance,
        payloads,
    }
}

/// Merges the coverage of several records of one payload: per entry the best status.
fn merge(into: &mut Vec<PayloadCoverage>, p: PayloadCoverage) {
    match into.iter_mut().find(|q| q.payload_id == p.payload_id && q.manifest_root == p.manifest_root) {
        None => into.push(p),
        Some(q) => {
            if q.entries.is_empty() {
                q.entries = p.entries;
            } else {
                for (a, b) in q.entries.iter_mut().zip(p.entries) {
                    a.status = a.status.max(b.status);
                }
            }
            q.unlisted_erased += p.unlisted_erased;
            q.ciphertext_erased |= p.ciphertext_erased;
            if q.opened_seq.is_none() {
                q.opened_seq = p.opened_seq;
                q.opened = p.opened;
            }
        }
    }
}

fn refuse_existing(path: &Path) -> Result<(), Error> {
    if path.symlink_metadata().is_ok() {
        return Err(Error::CertificateExists { path: path.to_path_buf() });
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Issues the certificate. Nothing is written unless every record is this home's and
/// readable; the outputs are refused rather than replaced if they exist.
pub fn certify(session: &Session<'_>, req: &CertifyRequest) -> Result<CertifyReport, Error> {
    let home = session.home();
    let key = session.secret_key();
    let html_path = req.out.with_extension("html");
    let sig_path = with_suffix(&req.out, ".minisig");
    for p in [&req.out, &sig_path, &html_path].into_iter().chain(&req.package) {
        refuse_existing(p)?;
    }
    let (entries, leaves) = anchor::read_ledger(&home.ledger_path())?;

    let mut items = vec![];
    let mut payloads: Vec<PayloadCoverage> = vec![];
    for path in &req.records {
        let bytes = read_regular(path, MAX_RECORD).map_err(|_| Error::RecordUnreadable { path: path.clone() })?;
        let record = ErasureRecord::from_json(&bytes).map_err(|_| Error::RecordUnreadable { path: path.clone() })?;
        let sha = Certificate::hash_of(&bytes);
        let found = entries.iter().zip(&leaves).find(|(e, _)| {
            e.kind == "erased" && e.body.get("record_sha256").and_then(Value::as_str) == Some(sha.as_str())
        });
        let Some((entry, leaf)) = found else {
            return Err(Error::RecordNotInLedger { path: path.clone() });
        };
        if items.iter().any(|i: &Item| i.record_sha256 == sha) {
            continue;
        }
        let item = item_of(&record, &sha, entry.seq, leaf.to_string(), entry);
        let covered = crate::coverage::load(home, &sha)?;
        for id in &item.payloads {
            if !covered.iter().any(|c| &c.payload_id == id) {
                let root = entry
                    .body
                    .get("payloads")
                    .and_then(Value::as_array)
                    .and_then(|a| a.iter().find(|p| p.get("payload_id").and_then(Value::as_str) == Some(id)))
                    .and_then(|p| p.get("manifest_root")?.as_str())
                    .unwrap_or_default()
                    .to_owned();
                merge(
                    &mut payloads,
                    PayloadCoverage {
                        payload_id: id.clone(),
                        manifest_root: root,
                        file_count: 0,
                        opened_seq: None,
                        opened: None,
                        ciphertext_erased: true,
                        entries: vec![],
                        unlisted_erased: 0,
                    },
                );
            }
        }
        for c in covered {
            merge(&mut payloads, c);
        }
        items.push(item);
    }
    items.sort_by_key(|i| i.ledger_seq);
    for p in &mut payloads {
        if p.file_count == 0 {
            p.file_count = p.entries.len() as u64;
        }
        // An entry seen only as ciphertext of a payload also opened is accounted by
        // its opened folder; keep the status order stable for readers.
        p.entries.sort_by_key(|e| e.index);
    }

    let last = last_certificate(home)?;
    let cert_seq = last.as_ref().map_or(1, |(s, _)| s + 1);
    let prev_cert = last.as_ref().map(|(_, b)| Certificate::hash_of(b));
    let snap = anchor::snapshot(&home.ledger_path(), key)?;
    let mut proofs = vec![];
    for i in &items {
        proofs.push(Proof {
            seq: i.ledger_seq,
            leaf: i.ledger_leaf.clone(),
            path: anchor::inclusion_proof(&snap.leaves, i.ledger_seq)?,
        });
    }
    let person = home.person();
    let key_id = home.key_id().to_string();
    let cert = Certificate {
        format: FORMAT.into(),
        id: certificate_id(&key_id, cert_seq),
        cert_seq,
        prev_cert,
        issued: custody_ledger::format_time(&crate::now()),
        lang: req.lang.tag().into(),
        issuer: Party { org: person.org.clone(), name: person.name.clone(), role: person.role.as_str().into(), key_id },
        contract: req.contract.clone(),
        addressed_to: req.to.clone(),
        media_destination: req.media_destination.clone(),
        notes: req.notes.clone(),
        items,
        payloads,
        anchor: Anchor { checkpoint: snap.note, proofs },
    };
    let bytes = cert.to_bytes();
    let sha256 = Certificate::hash_of(&bytes);
    let sig = key.sign_minisign(&bytes[..], &cert.trusted_comment(), &format!("signature of {}", cert.id))?;
    let html = render_html(&cert, &Localizer::new(req.lang));

    let chain_copy = chain_dir(home).join(format!("{cert_seq:06}.json"));
    fs::create_dir_all(chain_dir(home)).map_err(Error::io(chain_dir(home)))?;
    let written = [(&req.out, bytes.as_slice()), (&sig_path, sig.as_bytes()), (&html_path, html.as_bytes())];
    let undo = |upto: usize| {
        for (p, _) in &written[..upto] {
            let _ = fs::remove_file(p);
        }
    };
    for (n, (p, b)) in written.iter().enumerate() {
        if let Err(e) = custody_fsio::write_new(p, b, 0o644).map_err(Error::from) {
            undo(n);
            return Err(e);
        }
    }
    // The home's copy is the chain the next certificate links to: write it before the
    // ledger entry, so a recorded certificate is always in the chain.
    if let Err(e) = custody_fsio::write_new(&chain_copy, &bytes, 0o644).map_err(Error::from) {
        undo(written.len());
        return Err(e);
    }
    let event = certified_event(&cert, &sha256, &chain_copy);
    let appended = match event.and_then(|e| session.record_event(&e)) {
        Ok(a) => a,
        Err(e) => {
            undo(written.len());
            let _ = fs::remove_file(&chain_copy);
            return Err(e);
        }
    };
    if let Some(dir) = &req.package {
        // The certificate stands (signed, chained, recorded); a package that could not
        // be written whole is removed rather than handed over half-made, and the error
        // says what failed.
        if let Err(e) = write_package(session, dir, &bytes, &sig, &html) {
            let _ = fs::remove_dir_all(dir);
            return Err(e);
        }
    }
    Ok(CertifyReport {
        id: cert.id.clone(),
        cert_seq,
        sha256,
        certificate: req.out.clone(),
        signature: sig_path,
        html: html_path,
        package: req.package.clone(),
        payloads: cert.payloads.iter().map(|p| p.payload_id.clone()).collect(),
        items: cert.items.len(),
        ledger_seq: appended.seq,
    })
}

/// The names inside a return package.
pub mod package {
    pub const CERTIFICATE: &str = "certificate.json";
    pub const SIGNATURE: &str = "certificate.json.minisig";
    pub const HTML: &str = "certificate.html";
    pub const PUBLIC_KEY: &str = "issuer.pub";
    pub const LEDGER: &str = "ledger.jsonl";
    pub const CHECKPOINT: &str = "checkpoint.txt";
    pub const CHAIN: &str = "chain";
    pub const SUMS: &str = "SHA256SUMS";
}

/// The return package: one new folder with everything `verify` needs, and a
/// SHA256SUMS that stock `sha256sum -c` checks. The checkpoint is taken after the
/// `certified` entry, so the ward's cosignature anchors that entry too.
fn write_package(session: &Session<'_>, dir: &Path, cert: &[u8], sig: &str, html: &str) -> Result<(), Error> {
    use package::*;
    let home = session.home();
    fs::create_dir(dir).map_err(Error::io(dir))?;
    let ledger = fs::read(home.ledger_path()).map_err(Error::io(home.ledger_path()))?;
    let snap = anchor::snapshot(&home.ledger_path(), session.secret_key())?;
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (CERTIFICATE.into(), cert.to_vec()),
        (SIGNATURE.into(), sig.as_bytes().to_vec()),
        (HTML.into(), html.as_bytes().to_vec()),
        (PUBLIC_KEY.into(), home.public_key_text().into_bytes()),
        (LEDGER.into(), ledger),
        (CHECKPOINT.into(), snap.note.into_bytes()),
    ];
    let chain = chain_dir(home);
    let mut names: Vec<String> = fs::read_dir(&chain)
        .map_err(Error::io(&chain))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().filter(|n| n.ends_with(".json")).map(str::to_owned))
        .collect();
    names.sort();
    fs::create_dir(dir.join(CHAIN)).map_err(Error::io(dir.join(CHAIN)))?;
    for n in names {
        let p = chain.join(&n);
        files.push((format!("{CHAIN}/{n}"), fs::read(&p).map_err(Error::io(&p))?));
    }
    let mut sums = String::new();
    for (name, bytes) in &files {
        custody_fsio::write_new(&dir.join(name), bytes, 0o644)?;
        sums.push_str(&format!("{}  {name}\n", Certificate::hash_of(bytes)));
    }
    custody_fsio::write_new(&dir.join(SUMS), sums.as_bytes(), 0o644).map_err(Error::from)
}

#[derive(Debug, Clone, Serialize)]
pub struct CountersignReport {
    pub id: String,
    pub signature: PathBuf,
    pub key_id: String,
    pub ledger_seq: u64,
}

/// A second person's signature (Appendix G validation): `CERT.json.<key id>.minisig`.
/// The `certified` entry of a certificate just written (docs/ledger-events.md).
fn certified_event(cert: &Certificate, sha256: &str, at: &Path) -> Result<Event, Error> {
    Ok(Event::Certified(events::Certified {
        v: events::BODY_VERSION,
        certificate_id: cert.id.clone(),
        certificate_sha256: parse_hash(sha256, at)?,
        cert_seq: cert.cert_seq,
        prev_cert: cert.prev_cert.as_deref().map(|h| parse_hash(h, at)).transpose()?,
        records: cert.items.iter().map(|i| parse_hash(&i.record_sha256, at)).collect::<Result<_, _>>()?,
        payloads: cert
            .payloads
            .iter()
            .map(|p| {
                Ok(events::PayloadRef {
                    payload_id: p.payload_id.clone(),
                    manifest_root: parse_hash(&p.manifest_root, at)?,
                })
            })
            .collect::<Result<_, Error>>()?,
    }))
}

/// A SHA-256 in hex from a certificate this release built or parsed strictly.
fn parse_hash(hex: &str, at: &Path) -> Result<Hash, Error> {
    hex.parse().map_err(|_| Error::HomeDamaged {
        path: at.to_path_buf(),
        part: crate::HomeDamage::CertificateChain,
        what: format!("{hex:?} is not a SHA-256 value"),
    })
}

pub fn countersign(session: &Session<'_>, cert_path: &Path) -> Result<CountersignReport, Error> {
    let unreadable = |reason| Error::VerifyInputUnreadable { path: cert_path.to_path_buf(), reason };
    let bytes = read_regular(cert_path, custody_certificate::MAX_CERT_BYTES as u64).map_err(unreadable)?;
    let cert = Certificate::parse(&bytes).map_err(|e| unreadable(crate::Unreadable::Certificate(e)))?;
    let key = session.secret_key();
    let key_id = key.key_id().to_string();
    let sig_path = with_suffix(cert_path, &format!(".{key_id}.minisig"));
    refuse_existing(&sig_path)?;
    let person = session.home().person();
    let comment =
        format!("custody countersignature of {} by {} ({key_id})", cert.id, person.name.replace(['\n', '\r'], " "));
    let sig = key.sign_minisign(&bytes[..], &comment, &format!("countersignature of {}", cert.id))?;
    custody_fsio::write_new(&sig_path, sig.as_bytes(), 0o644)?;
    let event = parse_hash(&Certificate::hash_of(&bytes), cert_path).map(|certificate_sha256| {
        Event::Countersigned(events::Countersigned {
            v: events::BODY_VERSION,
            certificate_id: cert.id.clone(),
            certificate_sha256,
        })
    });
    let appended = match event.and_then(|e| session.record_event(&e)) {
        Ok(a) => a,
        Err(e) => {
            let _ = fs::remove_file(&sig_path);
            return Err(e);
        }
    };
    Ok(CountersignReport { id: cert.id, signature: sig_path, key_id, ledger_seq: appended.seq })
}
