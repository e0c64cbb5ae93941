//! `wipe`: erasure at contract end (R6, R7, R11, R19). The engine in `custody-wipe`
//! does the work; this module decides what is protected, where the journal and the
//! record are kept, which payloads the erasure covers, and what the ledger says.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use custody_seal::Label;
use custody_wipe::{
    Assurance, DevicePlan, ErasureRecord, Gate, GateRef, ItemResult, Method, Outcome, Plan, Problem, Progress,
    VerifyMode, WipeOptions,
};
use serde::Serialize;
use serde_json::{json, Map};
use sha2::{Digest, Sha256};

use crate::fsutil::write_atomic;
use crate::home::{PendingUnlock, UnlockWatch};
use crate::{Error, Home, Session};

#[derive(Debug, Clone)]
pub struct WipeRequest {
    pub paths: Vec<PathBuf>,
    pub device: Option<PathBuf>,
    pub method: Method,
    pub verify: VerifyMode,
    pub force: bool,
    pub notice_destroyed: bool,
}

/// A payload the erasure covers, identified from the label beside it.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct PayloadRef {
    pub payload_id: String,
    pub manifest_root: String,
}

#[derive(Debug)]
pub enum Planned {
    Files(Plan),
    Device(DevicePlan),
}

/// What will be erased, checked and ready; nothing has been touched yet.
#[derive(Debug)]
pub struct WipeJob {
    pub planned: Planned,
    pub payloads: Vec<PayloadRef>,
    opts: WipeOptions,
}

impl WipeJob {
    /// Whether an earlier interrupted run of the same job left a journal that this
    /// run will complete.
    pub fn resumes(&self) -> bool {
        self.opts.journal.as_deref().is_some_and(Path::exists)
    }
}

/// An item that was not erased, with its path when this run planned it (the record
/// itself holds only the keyed hash).
#[derive(Debug, Clone, Serialize)]
pub struct ItemProblem {
    pub path: Option<PathBuf>,
    pub path_hmac: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, Serialize)]
pub struct WipeReport {
    pub outcome: Outcome,
    pub record_path: PathBuf,
    pub record_sha256: String,
    pub items: u64,
    pub erased: u64,
    pub failed: u64,
    pub not_attempted: u64,
    pub bytes: u64,
    pub assurance: BTreeMap<String, u64>,
    pub payloads: Vec<PayloadRef>,
    pub problems: Vec<ItemProblem>,
    pub ledger_seq: u64,
    #[serde(skip)]
    pub record: ErasureRecord,
}

/// Plans the erasure. The custody home (keys, ledger, records) is always protected:
/// erasing it would destroy the evidence of the erasure.
pub fn plan_wipe(home: &Home, req: &WipeRequest) -> Result<WipeJob, Error> {
    let person = home.person();
    let mut opts = WipeOptions::new(format!("{} ({}) key {}", person.name, person.org, home.key_id()));
    opts.method = req.method;
    opts.verify = req.verify;
    opts.force = req.force;
    opts.notice_destroyed = req.notice_destroyed;
    opts.protected.push(home.root().to_path_buf());
    let journal = journal_path(home, req);
    let journal_dir = crate::fsutil::parent_dir(&journal);
    std::fs::create_dir_all(&journal_dir).map_err(Error::io(&journal_dir))?;
    opts.journal = Some(journal);
    let (planned, payloads) = match &req.device {
        Some(dev) => (Planned::Device(custody_wipe::plan_device(dev, &opts)?), vec![]),
        None => {
            let plan = custody_wipe::plan(&req.paths, &opts)?;
            let mut payloads = find_payloads(&req.paths);
            for p in crate::coverage::opened_payloads_within(home, &req.paths) {
                if !payloads.contains(&p) {
                    payloads.push(p);
                }
            }
            // An interrupted run may have erased a payload and its label already: what
            // it found is still part of this job.
            for p in remembered_payloads(opts.journal.as_deref())? {
                if !payloads.contains(&p) {
                    payloads.push(p);
                }
            }
            (Planned::Files(plan), payloads)
        }
    };
    Ok(WipeJob { planned, payloads, opts })
}

/// Erases, keeps the record in the home (and at `record_out`), and appends a signed
/// `erased` entry whatever the outcome: an interrupted or partly failed erasure is
/// recorded as exactly that.
pub fn execute_wipe(
    session: &Session<'_>,
    job: &WipeJob,
    progress: &dyn Progress,
    cancel: &AtomicBool,
    record_out: Option<&Path>,
) -> Result<WipeReport, Error> {
    let record = erase(job, &job.opts, progress, cancel)?;
    finish(session, job, record, record_out)
}

/// [`execute_wipe`] while the key is still being unlocked: the engine does its
/// read-only work (content hashes) meanwhile and waits for the key before its first
/// destructive step. A wrong key passphrase stops it there with nothing touched, and
/// is returned as the same error [`Home::unlock`] gives.
pub fn execute_wipe_unlocking(
    home: &Home,
    unlock: PendingUnlock,
    job: &WipeJob,
    progress: &dyn Progress,
    cancel: &AtomicBool,
    record_out: Option<&Path>,
) -> Result<WipeReport, Error> {
    let mut opts = job.opts.clone();
    opts.gate = Some(GateRef(Arc::new(KeyGate(unlock.watch()))));
    let erased = erase(job, &opts, progress, cancel);
    // The key signs the ledger entry whatever the engine did; when it could not be
    // unlocked, that is the error to report.
    let session = unlock.into_session(home)?;
    finish(&session, job, erased?, record_out)
}

/// The engine's gate: open once the key is unlocked, closed if it cannot be.
struct KeyGate(UnlockWatch);

impl Gate for KeyGate {
    fn ready(&self) -> bool {
        self.0.is_finished()
    }
    fn wait(&self) -> bool {
        self.0.wait()
    }
}

/// Notes the job's payloads beside the journal, then runs the engine with `opts`.
fn erase(
    job: &WipeJob,
    opts: &WipeOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<ErasureRecord, Error> {
    remember_payloads(job)?;
    Ok(match &job.planned {
        Planned::Files(plan) => custody_wipe::execute(plan, opts, progress, cancel)?,
        Planned::Device(plan) => custody_wipe::execute_device(plan, opts, progress, cancel)?,
    })
}

/// Keeps the record and appends the signed `erased` entry.
fn finish(
    session: &Session<'_>,
    job: &WipeJob,
    record: ErasureRecord,
    record_out: Option<&Path>,
) -> Result<WipeReport, Error> {
    let bytes = record.to_json();
    let record_sha256 = hex::encode(Sha256::digest(&bytes));
    let home = session.home();
    let records = home.root().join("records");
    std::fs::create_dir_all(&records).map_err(Error::io(&records))?;
    let stamp = record.started.replace([':', '-'], "");
    let record_path = records.join(format!("erasure-{stamp}-{}.json", &record_sha256[..12]));
    write_atomic(&record_path, &bytes, 0o600, false)?;
    if let Some(out) = record_out {
        write_atomic(out, &bytes, 0o600, false)?;
    }
    // The record names items only by keyed hashes. The key stays with the operator
    // (owner-only, beside the home's copy of the record): with it, and only with it,
    // an auditor who is told a path can check that it was among the items erased.
    if let Some(key) = record.path_key() {
        let key_path = record_path.with_extension("pathkey");
        write_atomic(&key_path, format!("{}\n", hex::encode(key.expose_bytes())).as_bytes(), 0o600, false)?;
    }

    let mut counts = (0u64, 0u64, 0u64);
    let mut assurance: BTreeMap<String, u64> = BTreeMap::new();
    for item in &record.items {
        match item.result {
            ItemResult::Erased | ItemResult::Removed | ItemResult::Overwritten => counts.0 += 1,
            ItemResult::Failed => counts.1 += 1,
            ItemResult::NotAttempted => counts.2 += 1,
        }
        *assurance.entry(assurance_name(item.assurance).to_string()).or_default() += 1;
    }
    let overwritten: u64 = record.items.iter().map(|i| i.overwritten_bytes).sum();
    let outcome = record.outcome();

    let mut body = Map::new();
    body.insert("record_sha256".into(), json!(record_sha256));
    body.insert("format".into(), json!(record.format));
    body.insert("method".into(), json!(record.method.name()));
    body.insert("verification".into(), json!(record.verification.name()));
    body.insert("outcome".into(), json!(outcome_name(outcome)));
    body.insert("started".into(), json!(record.started));
    body.insert("finished".into(), json!(record.finished));
    body.insert("items".into(), json!(record.items.len()));
    body.insert("erased".into(), json!(counts.0));
    body.insert("failed".into(), json!(counts.1));
    body.insert("not_attempted".into(), json!(counts.2));
    body.insert("bytes_overwritten".into(), json!(overwritten));
    body.insert("assurance".into(), json!(assurance));
    body.insert("cryptographic_erase".into(), json!(record.notice_destroyed && !job.payloads.is_empty()));
    body.insert("payloads".into(), json!(job.payloads));
    if let Some(dev) = &record.device {
        body.insert(
            "device".into(),
            json!({"model": dev.model, "serial": dev.serial, "size": dev.size, "bus": dev.bus}),
        );
    }
    let appended = session.record("erased", body)?;
    // After the entry: whatever happens here, the erasure itself is on record. A
    // coverage that could not be kept shows later as files the certificate cannot
    // account for, never as a silent pass.
    if let Planned::Files(plan) = &job.planned {
        crate::coverage::settle(home, &plan.items, &record, &record_sha256)?;
    }
    if outcome == Outcome::AllErased {
        if let Some(j) = &job.opts.journal {
            let _ = std::fs::remove_file(payloads_path(j));
            let _ = std::fs::remove_file(j);
        }
    }
    let problems = item_problems(&job.planned, &record);
    Ok(WipeReport {
        outcome,
        record_path,
        record_sha256,
        items: record.items.len() as u64,
        erased: counts.0,
        failed: counts.1,
        not_attempted: counts.2,
        bytes: overwritten,
        assurance,
        payloads: job.payloads.clone(),
        problems,
        ledger_seq: appended.seq,
        record,
    })
}

fn item_problems(planned: &Planned, record: &ErasureRecord) -> Vec<ItemProblem> {
    let mut paths = std::collections::HashMap::new();
    if let (Planned::Files(plan), Some(key)) = (planned, record.path_key()) {
        for item in &plan.items {
            paths.insert(key.hash_path(&item.path), item.path.clone());
        }
    }
    record
        .items
        .iter()
        .filter_map(|i| {
            let problem = i.problem.clone()?;
            Some(ItemProblem { path: paths.get(&i.path_hmac).cloned(), path_hmac: i.path_hmac.clone(), problem })
        })
        .collect()
}

pub fn assurance_name(a: Assurance) -> &'static str {
    match a {
        Assurance::None => "none",
        Assurance::Unverified => "unverified",
        Assurance::NotAssured => "not-assured",
        Assurance::NameOnly => "name-only",
        Assurance::Clear => "clear",
        Assurance::CryptographicErase => "cryptographic-erase",
    }
}

pub fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::AllErased => "all-erased",
        Outcome::SomeFailed => "some-failed",
        Outcome::Interrupted => "interrupted",
    }
}

/// The same request always maps to the same journal, so running the same command
/// again after an interruption finds it and completes the job.
fn journal_path(home: &Home, req: &WipeRequest) -> PathBuf {
    let mut h = Sha256::new();
    let mut targets: Vec<PathBuf> = req.paths.iter().chain(&req.device).map(|p| absolute(p)).collect();
    targets.sort();
    for t in &targets {
        h.update(t.as_os_str().as_encoded_bytes());
        h.update([0]);
    }
    h.update(req.method.name().as_bytes());
    home.root().join("journal").join(format!("wipe-{}.json", &hex::encode(h.finalize())[..24]))
}

fn absolute(p: &Path) -> PathBuf {
    crate::fsutil::resolve_lenient(p).unwrap_or_else(|| p.to_path_buf())
}

/// The payloads of a job, kept beside its journal until the job is complete.
fn payloads_path(journal: &Path) -> PathBuf {
    journal.with_extension("payloads.json")
}

/// Before anything is erased, note the job's payloads beside its journal: if the run
/// is interrupted after a payload and its label are gone, the run that completes the
/// job can no longer find them on disk, and its ledger entry must still name them.
fn remember_payloads(job: &WipeJob) -> Result<(), Error> {
    let Some(journal) = job.opts.journal.as_deref() else { return Ok(()) };
    if job.payloads.is_empty() {
        return Ok(());
    }
    let path = payloads_path(journal);
    let bytes = serde_json::to_vec(&job.payloads).map_err(|e| Error::io(&path)(std::io::Error::other(e)))?;
    write_atomic(&path, &bytes, 0o600, false)
}

fn remembered_payloads(journal: Option<&Path>) -> Result<Vec<PayloadRef>, Error> {
    let Some(path) = journal.map(payloads_path) else { return Ok(vec![]) };
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::HomeDamaged {
            path: path.clone(),
            what: format!("the payload list of an interrupted erasure is not valid: {e}"),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(vec![]),
        Err(e) => Err(Error::io(&path)(e)),
    }
}

/// Payloads among the paths: `<id>.age` files with a readable label beside them,
/// or labels whose payload is also being erased.
fn find_payloads(paths: &[PathBuf]) -> Vec<PayloadRef> {
    let mut found = vec![];
    for root in paths {
        for entry in walkdir::WalkDir::new(root).follow_links(false).same_file_system(true).into_iter().flatten() {
            let p = entry.path();
            if !entry.file_type().is_file() || p.extension().is_none_or(|e| e != "age") {
                continue;
            }
            if let Ok(label) = Label::read(&Label::path_beside(p)) {
                let r = PayloadRef {
                    payload_id: label.payload_id.to_string(),
                    manifest_root: hex::encode(label.manifest_root),
                };
                if !found.contains(&r) {
                    found.push(r);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_payloads_are_read_back_and_a_damaged_list_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("wipe-0123.json");
        assert_eq!(remembered_payloads(Some(&journal)).unwrap(), vec![], "none yet");
        assert_eq!(remembered_payloads(None).unwrap(), vec![]);
        let p = PayloadRef { payload_id: "P-1".into(), manifest_root: "ab".repeat(32) };
        std::fs::write(payloads_path(&journal), serde_json::to_vec(&[&p]).unwrap()).unwrap();
        assert_eq!(payloads_path(&journal), dir.path().join("wipe-0123.payloads.json"));
        assert_eq!(remembered_payloads(Some(&journal)).unwrap(), vec![p]);
        std::fs::write(payloads_path(&journal), b"[{\"payload_id\":").unwrap();
        match remembered_payloads(Some(&journal)) {
            Err(Error::HomeDamaged { path, .. }) => assert_eq!(path, payloads_path(&journal)),
            other => panic!("{other:?}"),
        }
    }
}
