//! `wipe`: erasure at contract end (R6, R7, R11, R19). The engine in `custody-wipe`
//! does the work; this module decides what is protected, where the journal and the
//! record are kept, which payloads the erasure covers, and what the ledger says.
//!
//! Every erasure is recorded, whatever stops it: the engine's journal is the source of
//! truth about what was destroyed, and goes only after the record and its signed
//! `erased` entry are durable. In between, the record waits beside the journal
//! ("pending"), so that running the same command again finishes the recording of a
//! run that died after its last unlink, without recording anything twice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use custody_ledger::events::{self, Event};
use custody_ledger::Hash;
use custody_seal::Label;
use custody_wipe::{
    Assurance, DevicePlan, ErasureRecord, Gate, GateRef, ItemResult, Method, Outcome, Plan, Problem, Progress,
    VerifyMode, WipeOptions,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::HomeDamage;
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

impl PayloadRef {
    fn to_event(&self) -> Result<events::PayloadRef, Error> {
        let manifest_root = self.manifest_root.parse().map_err(|_| Error::HomeDamaged {
            path: PathBuf::from(&self.payload_id),
            part: HomeDamage::PayloadReference,
            what: format!("the manifest root of payload {} is not a SHA-256 value", self.payload_id),
        })?;
        Ok(events::PayloadRef { payload_id: self.payload_id.clone(), manifest_root })
    }
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
    _lock: JobLock,
}

/// The lock of one job, held from planning to the end of the run: two runs of one job
/// at once would each erase and each record (the kernel drops it if the process dies).
/// A job with nothing left to finish (no journal, no pending record), or whose planning
/// failed before anything started, takes its lock file with it, still holding the lock
/// while it goes.
#[derive(Debug)]
struct JobLock {
    journal: PathBuf,
    _file: std::fs::File,
}

impl JobLock {
    fn take(journal: &Path) -> Result<JobLock, Error> {
        let path = journal.with_extension("lock");
        let file = crate::sys::try_lock(&path).map_err(Error::io(&path))?.ok_or(Error::WipeInProgress { path })?;
        // A run killed while writing one of the job's files (a journal before its
        // header, a pending record) left a temporary file: no other run of the job can
        // be writing now, so it goes.
        for f in [
            journal.to_path_buf(),
            pending_path(journal),
            pending_key_path(journal),
            pending_medium_path(journal),
            payloads_path(journal),
        ] {
            custody_fsio::remove_stale_temps(&f)?;
        }
        Ok(JobLock { journal: journal.to_path_buf(), _file: file })
    }
}

impl Drop for JobLock {
    fn drop(&mut self) {
        if !self.journal.exists() && !pending_path(&self.journal).exists() {
            let _ = std::fs::remove_file(self.journal.with_extension("lock"));
        }
    }
}

impl WipeJob {
    /// Whether an earlier interrupted run of the same job left a journal (or a record
    /// not yet in the ledger) that this run will complete.
    pub fn resumes(&self) -> bool {
        self.opts.journal.as_deref().is_some_and(|j| custody_wipe::journal::has_work(j) || pending_path(j).exists())
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
    /// Where the copy asked for with `--record` went: the file named, or, when an
    /// earlier run of the same job already left its record there, a numbered sibling
    /// (an existing file is never replaced).
    pub record_copy: Option<PathBuf>,
    /// An earlier run's record that this run had to put into the ledger first.
    pub recovered: Option<Box<WipeReport>>,
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
    let journal_dir = custody_fsio::parent_dir(&journal);
    std::fs::create_dir_all(&journal_dir).map_err(Error::io(&journal_dir))?;
    let lock = JobLock::take(&journal)?;
    // Targets that an interrupted run of this job already erased (a file gone, a
    // folder removed) are covered by its journal: running the same command again must
    // complete the job, not refuse it.
    let resuming = custody_wipe::journal::has_work(&journal) || pending_path(&journal).exists();
    opts.journal = Some(journal);
    let (planned, payloads) = match &req.device {
        Some(dev) => {
            let plan = match custody_wipe::plan_device(dev, &opts) {
                Ok(p) => p,
                // Gone, or something else at its path, while an earlier run's record
                // still waits: that record is completed, nothing is written.
                Err(custody_wipe::WipeError::Refused {
                    reason: custody_wipe::RefuseReason::NotFound | custody_wipe::RefuseReason::UnsupportedType,
                    ..
                }) if opts.journal.as_deref().is_some_and(|j| pending_path(j).exists()) => {
                    custody_wipe::plan_gone_device(dev, &opts)
                }
                Err(e) => return Err(e.into()),
            };
            (Planned::Device(plan), vec![])
        }
        None => {
            let paths: Vec<PathBuf> = if resuming {
                req.paths.iter().filter(|p| p.symlink_metadata().is_ok()).cloned().collect()
            } else {
                req.paths.clone()
            };
            let plan = custody_wipe::plan(&paths, &opts)?;
            let mut payloads = find_payloads(&paths);
            // A folder `open` made names its payload twice over: by the home's note
            // (which also carries what coverage needs) and by the `opened` entry's
            // folder_hmac, which survives a lost note. A ledger that cannot be read
            // here is refused, with its own error, before anything is erased.
            let by_entry = paths
                .iter()
                .filter(|p| p.is_dir())
                .filter_map(|p| crate::opened::payload_opened_in(home, p).ok().flatten())
                .map(|e| PayloadRef { payload_id: e.payload_id, manifest_root: e.manifest_root.to_string() });
            for p in crate::coverage::opened_payloads_within(home, &paths).into_iter().chain(by_entry) {
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
    Ok(WipeJob { planned, payloads, opts, _lock: lock })
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
    check_can_record(session.home(), job, record_out)?;
    // Asked before the recovery, which removes the pending record and the description of
    // its medium kept beside it: whether that record is about the medium now at the
    // path, or about one since unplugged or swapped.
    let same_medium = match &job.planned {
        Planned::Device(d) => {
            d.absent
                || job.opts.journal.as_deref().is_some_and(|j| {
                    custody_wipe::medium_stamp(d).is_some_and(|now| {
                        std::fs::read_to_string(pending_medium_path(j)).is_ok_and(|kept| kept.trim() == now)
                    })
                })
        }
        Planned::Files(_) => false,
    };
    let recovered = recover_pending(session, job, record_out)?;
    if let Some(done) = recovered_job_is_complete(job, &recovered, same_medium) {
        return Ok(done);
    }
    let record = erase(job, &job.opts, progress, cancel)?;
    let mut report = finish(session, job, record, record_out, false)?;
    report.recovered = recovered.map(Box::new);
    Ok(report)
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
    check_can_record(home, job, record_out)?;
    if job.opts.journal.as_deref().is_some_and(|j| pending_path(j).exists()) {
        // An earlier run's record must reach the ledger before anything else happens,
        // and that needs the key first.
        let session = unlock.into_session(home)?;
        return execute_wipe(&session, job, progress, cancel, record_out);
    }
    let mut opts = job.opts.clone();
    opts.gate = Some(GateRef(Arc::new(KeyGate(unlock.watch()))));
    let erased = erase(job, &opts, progress, cancel);
    // The key signs the ledger entry whatever the engine did; when it could not be
    // unlocked, that is the error to report.
    let session = unlock.into_session(home)?;
    finish(&session, job, erased?, record_out, false)
}

/// Before anything is destroyed: the home must be able to record the result. The
/// ledger verifies and its last line is whole (a torn tail would refuse the `erased`
/// entry after the data is gone), the records folder takes a file, and `--record`
/// does not name an existing file that is not this job's.
fn check_can_record(home: &Home, job: &WipeJob, record_out: Option<&Path>) -> Result<(), Error> {
    let ledger = home.ledger_path();
    crate::verify_ledger(&ledger, Some(home.public_key())).map_err(|e| match e {
        Error::LedgerInvalid { path, source } => Error::LedgerCannotRecord { path, source },
        other => other,
    })?;
    let records = home.root().join("records");
    std::fs::create_dir_all(&records).map_err(Error::io(&records))?;
    // Created and removed again (on drop): can records be written here at all? No
    // record is ever named like this.
    custody_fsio::NewFile::create(&records.join(".write-probe"), 0o600)
        .map_err(|e| Error::Io { path: records.clone(), source: e.into() })?;
    if let Some(out) = record_out {
        if out.symlink_metadata().is_ok() && !is_record_of_job(out, job) {
            return Err(Error::RecordExists { path: out.to_path_buf() });
        }
        let dir = custody_fsio::parent_dir(out);
        if !dir.is_dir() {
            return Err(Error::Io {
                path: out.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder"),
            });
        }
    }
    Ok(())
}

/// Whether `path` holds an erasure record of this job (an earlier run of the same
/// command left it there): records of one job share the `started` of its first run.
fn is_record_of_job(path: &Path, job: &WipeJob) -> bool {
    let Some(started) = job.opts.journal.as_deref().and_then(|j| {
        custody_wipe::journal::started(j).or_else(|| pending_record(j).ok().flatten().map(|(r, _)| r.started))
    }) else {
        return false;
    };
    read_small(path).ok().and_then(|b| ErasureRecord::from_json(&b).ok()).is_some_and(|r| r.started == started)
}

/// A user-named file, read without following a symlink or blocking on a FIFO, and
/// only if it is a regular file of a record's size.
fn read_small(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    const MAX: u64 = 64 << 20;
    let f = crate::sys::open_read_nofollow(path)?;
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not a regular file"));
    }
    let mut v = Vec::new();
    f.take(MAX).read_to_end(&mut v)?;
    Ok(v)
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

/// Where a record waits between the engine's return and its ledger entry.
fn pending_path(journal: &Path) -> PathBuf {
    journal.with_extension("record.json")
}

/// The medium a pending device record is about ([`custody_wipe::medium_stamp`]), kept
/// with the record: once the journal is gone, it tells the medium the record covers
/// from one swapped in before the rerun.
fn pending_medium_path(journal: &Path) -> PathBuf {
    journal.with_extension("record.medium")
}

fn pending_key_path(journal: &Path) -> PathBuf {
    journal.with_extension("record.pathkey")
}

/// The record an earlier run left pending, with its exact bytes.
fn pending_record(journal: &Path) -> Result<Option<(ErasureRecord, Vec<u8>)>, Error> {
    let path = pending_path(journal);
    let bytes = match read_small(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path)(e)),
    };
    let damaged = |what: String| Error::HomeDamaged { path: path.clone(), part: HomeDamage::InterruptedErasure, what };
    let mut record = ErasureRecord::from_json(&bytes).map_err(|e| damaged(e.to_string()))?;
    if let Ok(text) = std::fs::read_to_string(pending_key_path(journal)) {
        let mut key = [0u8; 32];
        if hex::decode_to_slice(text.trim(), &mut key).is_ok() {
            record.set_path_key(custody_wipe::PathKey::from_bytes(key));
        }
    }
    Ok(Some((record, bytes)))
}

/// Finish recording a run that died between writing its record and removing its
/// journal: the ledger gets its `erased` entry unless it already has it.
fn recover_pending(
    session: &Session<'_>,
    job: &WipeJob,
    record_out: Option<&Path>,
) -> Result<Option<WipeReport>, Error> {
    let Some(journal) = job.opts.journal.as_deref() else { return Ok(None) };
    let Some((record, _)) = pending_record(journal)? else { return Ok(None) };
    finish(session, job, record, record_out, true).map(Some)
}

/// After a recovery, whether nothing is left to do: then the recovered run's report is
/// this run's answer (running the engine again would only record an empty erasure).
fn recovered_job_is_complete(job: &WipeJob, recovered: &Option<WipeReport>, same_medium: bool) -> Option<WipeReport> {
    let r = recovered.as_ref()?;
    let journal_done = job.opts.journal.as_deref().is_none_or(|j| !custody_wipe::journal::has_work(j));
    let complete = match &job.planned {
        Planned::Files(plan) => journal_done && plan.items.is_empty(),
        // The recovered record covers this medium, erased or not: running the engine
        // again would overwrite it a second time and record it twice (to try a failed
        // medium again, the same command is run once more). A medium swapped in since,
        // or one the journal cannot vouch for, is erased by this run.
        Planned::Device(_) => same_medium,
    };
    // The report says that it is the earlier run's record, completed now.
    complete.then(|| WipeReport { recovered: Some(Box::new(r.clone())), ..r.clone() })
}

/// Whether the ledger already holds the `erased` entry of the record with this hash.
fn ledger_has_record(home: &Home, record_sha256: &str) -> Result<Option<u64>, Error> {
    let path = home.ledger_path();
    let f = std::fs::File::open(&path).map_err(Error::io(&path))?;
    for e in custody_ledger::read_entries(std::io::BufReader::new(f)) {
        let (entry, _) = e.map_err(|source| Error::LedgerInvalid { path: path.clone(), source })?;
        if entry.kind == "erased" && entry.body.get("record_sha256").and_then(|v| v.as_str()) == Some(record_sha256) {
            return Ok(Some(entry.seq));
        }
    }
    Ok(None)
}

/// Keeps the record and appends the signed `erased` entry, in an order that a crash
/// at any point leaves completable: pending record beside the journal, the home's copy
/// (and `--record`), the ledger entry, then the journal goes (or, for an incomplete
/// job, is marked as recorded), and the pending record last. `recovering` redoes the
/// steps of a run that died on the way; each step is skipped if already done.
fn finish(
    session: &Session<'_>,
    job: &WipeJob,
    record: ErasureRecord,
    record_out: Option<&Path>,
    recovering: bool,
) -> Result<WipeReport, Error> {
    let bytes = record.to_json();
    let record_sha256 = hex::encode(Sha256::digest(&bytes));
    let home = session.home();
    let journal = job.opts.journal.as_deref();
    custody_wipe::fault::point("engine-done");
    if let (Some(j), false) = (journal, recovering) {
        if let Some(key) = record.path_key() {
            let text = format!("{}\n", hex::encode(key.expose_bytes()));
            custody_fsio::write_replace(&pending_key_path(j), text.as_bytes(), 0o600)?;
        }
        if let Planned::Device(d) = &job.planned {
            if let Some(stamp) = custody_wipe::medium_stamp(d).filter(|_| !d.absent) {
                custody_fsio::write_replace(&pending_medium_path(j), format!("{stamp}\n").as_bytes(), 0o600)?;
            }
        }
        custody_fsio::write_replace(&pending_path(j), &bytes, 0o600)?;
        custody_wipe::fault::point("record-pending");
    }

    let records = home.root().join("records");
    std::fs::create_dir_all(&records).map_err(Error::io(&records))?;
    let stamp = record.started.replace([':', '-'], "");
    let record_path = records.join(format!("erasure-{stamp}-{}.json", &record_sha256[..12]));
    // Named by the record's own hash: an existing file of that name is this record.
    custody_fsio::write_replace(&record_path, &bytes, 0o600)?;
    let record_copy = match record_out {
        Some(out) => Some(keep_copy(out, &bytes)?),
        None => None,
    };
    // The record names items only by keyed hashes. The key stays with the operator
    // (owner-only, beside the home's copy of the record): with it, and only with it,
    // an auditor who is told a path can check that it was among the items erased.
    if let Some(key) = record.path_key() {
        let key_path = record_path.with_extension("pathkey");
        custody_fsio::write_replace(&key_path, format!("{}\n", hex::encode(key.expose_bytes())).as_bytes(), 0o600)?;
    }
    custody_wipe::fault::point("record-kept");

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

    let already = if recovering { ledger_has_record(home, &record_sha256)? } else { None };
    let ledger_seq = match already {
        Some(seq) => seq,
        None => {
            let erased_event = Event::Erased(events::Erased {
                v: events::BODY_VERSION,
                record_sha256: Hash(Sha256::digest(&bytes).into()),
                format: record.format.clone(),
                method: record.method.name().into(),
                verification: record.verification.name().into(),
                outcome: match outcome {
                    Outcome::AllErased => events::Outcome::AllErased,
                    Outcome::SomeFailed => events::Outcome::SomeFailed,
                    Outcome::Interrupted => events::Outcome::Interrupted,
                },
                started: record.started.clone(),
                finished: record.finished.clone(),
                items: record.items.len() as u64,
                erased: counts.0,
                failed: counts.1,
                not_attempted: counts.2,
                bytes_overwritten: overwritten,
                assurance: record.items.iter().fold(BTreeMap::new(), |mut m, i| {
                    *m.entry(event_assurance(i.assurance)).or_insert(0) += 1;
                    m
                }),
                cryptographic_erase: record.notice_destroyed && !job.payloads.is_empty(),
                payloads: job.payloads.iter().map(PayloadRef::to_event).collect::<Result<_, _>>()?,
                device: record.device.as_ref().map(|dev| events::Device {
                    model: dev.model.clone(),
                    serial: dev.serial.clone(),
                    size: dev.size,
                    bus: dev.bus.clone(),
                }),
            });
            session.record_event(&erased_event)?.seq
        }
    };
    // After the entry: whatever happens here, the erasure itself is on record. A
    // coverage that could not be kept shows later as files the certificate cannot
    // account for, never as a silent pass. Before the journal goes, so that a run
    // that dies here settles it when the same command is run again.
    if let Planned::Files(plan) = &job.planned {
        crate::coverage::settle(home, &plan.items, &record, &record_sha256)?;
    }
    custody_wipe::fault::point("ledger-appended");
    if let Some(j) = journal {
        if outcome == Outcome::AllErased {
            custody_wipe::journal::remove(j)?;
            let _ = std::fs::remove_file(payloads_path(j));
        } else if j.exists() {
            // The items finished so far are in this record; the run that completes
            // the job records only the rest.
            custody_wipe::journal::mark_recorded(j, &record_sha256)?;
        }
        custody_wipe::fault::point("journal-removed");
        let _ = std::fs::remove_file(pending_key_path(j));
        let _ = std::fs::remove_file(pending_medium_path(j));
        let _ = std::fs::remove_file(pending_path(j));
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
        ledger_seq,
        record_copy,
        recovered: None,
        record,
    })
}

/// Writes the `--record` copy without ever replacing a file: when the name is taken
/// by this very record (a recovery), nothing is written; when it is taken by an
/// earlier record of the same job (checked before the wipe began), the copy goes to
/// the first free `NAME.N.json`.
fn keep_copy(out: &Path, bytes: &[u8]) -> Result<PathBuf, Error> {
    let mut candidate = out.to_path_buf();
    for n in 2..1000 {
        match read_small(&candidate) {
            Ok(existing) if existing == bytes => return Ok(candidate),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match custody_fsio::write_new(&candidate, bytes, 0o600) {
                    Ok(()) => return Ok(candidate),
                    Err(custody_fsio::FsioError::Exists { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Err(_) => {}
        }
        let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let ext = out.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
        candidate = out.with_file_name(format!("{stem}.{n}{ext}"));
    }
    Err(Error::RecordExists { path: out.to_path_buf() })
}

fn item_problems(planned: &Planned, record: &ErasureRecord) -> Vec<ItemProblem> {
    let mut paths = std::collections::HashMap::new();
    match (planned, record.path_key()) {
        (Planned::Files(plan), Some(key)) => {
            for item in &plan.items {
                paths.insert(key.hash_path(&item.path), item.path.clone());
            }
        }
        // One path, whichever medium was at it.
        (Planned::Device(d), _) => {
            for item in &record.items {
                paths.insert(item.path_hmac.clone(), d.path.clone());
            }
        }
        _ => {}
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

/// The one spelling of each assurance level, shared by the ledger and `--json`.
fn event_assurance(a: Assurance) -> events::Assurance {
    match a {
        Assurance::None => events::Assurance::None,
        Assurance::Unverified => events::Assurance::Unverified,
        Assurance::NotAssured => events::Assurance::NotAssured,
        Assurance::NameOnly => events::Assurance::NameOnly,
        Assurance::Clear => events::Assurance::Clear,
        Assurance::CryptographicErase => events::Assurance::CryptographicErase,
    }
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
    // A device by the name given, its last component not resolved: /dev/disk/by-id/…
    // links vanish with the stick, and the rerun must still find the job. The method is
    // not part of the key: a rerun with another method finds the journal and is told
    // to use the interrupted run's method, instead of starting a second job.
    let mut targets: Vec<PathBuf> = req.paths.iter().map(|p| absolute(p)).collect();
    targets.extend(req.device.iter().map(|d| std::path::absolute(d).unwrap_or_else(|_| d.clone())));
    targets.sort();
    for t in &targets {
        h.update(t.as_os_str().as_encoded_bytes());
        h.update([0]);
    }
    if req.device.is_some() {
        h.update(b"device");
    }
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
    custody_fsio::write_replace(&path, &bytes, 0o600).map_err(Error::from)
}

fn remembered_payloads(journal: Option<&Path>) -> Result<Vec<PayloadRef>, Error> {
    let Some(path) = journal.map(payloads_path) else { return Ok(vec![]) };
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::HomeDamaged {
            path: path.clone(),
            part: HomeDamage::InterruptedErasure,
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
    fn the_record_copy_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.json");
        assert_eq!(keep_copy(&out, b"first").unwrap(), out);
        assert_eq!(std::fs::read(&out).unwrap(), b"first");
        // The same record again (a recovery): nothing written, same place.
        assert_eq!(keep_copy(&out, b"first").unwrap(), out);
        // Another record of the job: beside it, numbered.
        assert_eq!(keep_copy(&out, b"second").unwrap(), dir.path().join("r.2.json"));
        assert_eq!(keep_copy(&out, b"third").unwrap(), dir.path().join("r.3.json"));
        assert_eq!(std::fs::read(&out).unwrap(), b"first");
        assert_eq!(std::fs::read(dir.path().join("r.2.json")).unwrap(), b"second");
        // The rename itself refuses a name taken meanwhile.
        let taken = dir.path().join("taken");
        std::fs::write(&taken, b"x").unwrap();
        assert!(custody_fsio::write_new(&taken, b"y", 0o600).is_err());
        assert_eq!(std::fs::read(&taken).unwrap(), b"x");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 4, "no temporary file is left: {left:?}");
    }

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
