//! `execute`: the tree wipe. Files go through in batches so that one syncfs makes a
//! whole batch durable; within a batch, workers (one per core) hash, overwrite and
//! verify files side by side. No name is unlinked before its overwrite is durable and
//! verified, and every stage is journalled before the next begins.

mod files;
mod names;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::journal::{Entry, HashPrefix, Ident, Journal, Stage};
use crate::method::RunSeed;
use crate::plan::{Plan, PlannedItem, WipeOptions};
use crate::record::{
    self, Assurance, ErasureRecord, ItemRecord, ItemResult, NameResidue, PathKey, Problem, ResumeKind, Resumed,
};
use crate::sha::Sha256State;
use crate::sys::{self, AlignedBuf};
use crate::work::{self, CHUNK};
use crate::{Caveat, ItemKind, Progress, RefuseReason, WipeError};

/// A batch ends at this many files or bytes, whichever comes first: enough to amortise
/// the durability points, small enough that an interruption loses little work.
const BATCH_FILES: usize = 512;
const BATCH_BYTES: u64 = 256 << 20;
/// Up to this many items, durability comes from fsync of each file or directory
/// rather than one syncfs.
const FEW: usize = 4;

type Bufs = (AlignedBuf, Vec<u8>);

/// Workers for a phase whose buffers are `buf_len` bytes. Large files keep the cores
/// busy generating, hashing and comparing, one worker per core; small files mostly
/// wait for the device (a read of a few KiB, a block freed), so more workers keep
/// more requests in flight: 8 instead of 2 took 10,000 files of 4 KiB from 1.17 s to
/// 0.91 s on a virtual disk.
fn workers(buf_len: usize) -> usize {
    if buf_len <= SMALL_BUF {
        cores().max(IO_THREADS)
    } else {
        cores()
    }
}

/// One worker per core, at most 4 (more only compete for the device).
fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get().clamp(1, 4)).unwrap_or(2)
}

/// Buffers up to this size mark a batch of small files (see [`workers`]).
const SMALL_BUF: usize = 1 << 20;
/// Threads for steps that mostly wait (see [`workers`] and [`par_io`]).
const IO_THREADS: usize = 8;

/// Buffers for files of at most `max_len` bytes: as large as the largest file up to
/// `CHUNK`, in whole blocks (O_DIRECT). A batch of small files then costs no
/// megabytes of zeroed memory per worker and phase, which for 10,000 small files was
/// a tenth of the run.
fn buf_len(max_len: u64) -> usize {
    (max_len.clamp(1, CHUNK as u64) as usize).div_ceil(sys::ALIGN) * sys::ALIGN
}

/// Run `f` on every slot, spread over the cores; each worker has its own buffers of
/// `buf_len` bytes (see [`buf_len`]).
fn par_slots<T: Send>(slots: &mut [T], buf_len: usize, f: impl Fn(&mut T, &mut Bufs) + Sync) {
    let n = workers(buf_len).min(slots.len());
    if n <= 1 {
        let mut b = (AlignedBuf::new(buf_len), vec![0u8; buf_len]);
        slots.iter_mut().for_each(|s| f(s, &mut b));
        return;
    }
    let queue = Mutex::new(slots.iter_mut());
    std::thread::scope(|sc| {
        for _ in 0..n {
            sc.spawn(|| {
                let mut b = (AlignedBuf::new(buf_len), vec![0u8; buf_len]);
                loop {
                    // A poisoned lock means another worker panicked; stop taking work.
                    let next = match queue.lock() {
                        Ok(mut q) => q.next(),
                        Err(_) => None,
                    };
                    match next {
                        Some(s) => f(s, &mut b),
                        None => break,
                    }
                }
            });
        }
    });
}

/// Run `f` on every item with more threads than cores: for steps that mostly wait
/// (truncation and unlinking wait for the filesystem journal and, with `discard`, for
/// the device), so the waits overlap.
fn par_io<T: Send>(items: &mut [T], f: impl Fn(&mut T) + Sync) {
    let n = IO_THREADS.min(items.len());
    if n <= 1 {
        items.iter_mut().for_each(f);
        return;
    }
    let queue = Mutex::new(items.iter_mut());
    std::thread::scope(|sc| {
        for _ in 0..n {
            sc.spawn(|| loop {
                let next = match queue.lock() {
                    Ok(mut q) => q.next(),
                    Err(_) => None,
                };
                match next {
                    Some(t) => f(t),
                    None => break,
                }
            });
        }
    });
}

/// While the gate is pending, files of later batches are hashed ahead in steps of at
/// most this many files or bytes, checking the gate between steps.
const AHEAD_FILES: usize = 64;
const AHEAD_BYTES: u64 = 64 << 20;

struct Slot<'a> {
    idx: usize,
    item: &'a PlannedItem,
    file: Option<File>,
    len: u64,
    stage: Option<Stage>,
    sha: Option<String>,
    problem: Option<Problem>,
    verification: Option<record::ItemVerification>,
    cancelled: bool,
    /// Size, mtime and ctime once the last pass was durable: any change after that is
    /// someone else writing.
    after_pass: Option<work_stat::Stat>,
    /// A large file's hash still to take inside its pipelined pass (`crate::pipe`).
    hash: Option<Sha256State>,
    /// Its pipelined pass left it durable and read back.
    piped: bool,
}

/// Re-checking a file against what the engine knows of it.
mod work_stat {
    use std::fs::File;
    use std::os::unix::fs::MetadataExt;

    pub(super) type Stat = (u64, (i64, i64), (i64, i64));

    pub(super) fn of(f: &File) -> std::io::Result<Stat> {
        let md = f.metadata()?;
        Ok((md.len(), (md.mtime(), md.mtime_nsec()), (md.ctime(), md.ctime_nsec())))
    }
}

struct Run<'p> {
    plan: &'p Plan,
    opts: &'p WipeOptions,
    key: PathKey,
    seed: RunSeed,
    journal: Option<Journal>,
    recs: Vec<ItemRecord>,
    stages: Vec<Option<Stage>>,
    /// Which file each item is, as journalled: the plan's for new items, the earlier
    /// run's for resumed ones.
    idents: Vec<Option<Ident>>,
    /// Durability handles, one directory per filesystem.
    sync_dirs: HashMap<u64, File>,
    /// Content hashes taken ahead while the gate was pending, by item index.
    prehashed: HashMap<usize, String>,
    gate_passed: bool,
    /// "done" entries waiting for the journal's next append (see `unlink_journalled`).
    deferred: Vec<Entry>,
    /// Where an interrupted run left the hash of a large file, by item index.
    hash_prefixes: HashMap<usize, HashPrefix>,
}

fn caveats_of(plan: &Plan, dev: u64) -> Vec<Caveat> {
    plan.filesystems
        .iter()
        .find(|f| f.dev == dev)
        .map(|f| f.caveats.clone())
        .unwrap_or_else(|| vec![Caveat::UnknownFilesystem])
}

fn syncfs_reaches_storage(caveats: &[Caveat]) -> bool {
    !caveats.iter().any(|c| matches!(c, Caveat::Fuse | Caveat::NetworkFs | Caveat::UnknownFilesystem))
}

fn names_residue(caveats: &[Caveat]) -> NameResidue {
    let keeps = caveats.iter().any(|c| {
        matches!(
            c,
            Caveat::JournalMayKeepNames
                | Caveat::DeletedEntriesKeepNames
                | Caveat::CopyOnWrite
                | Caveat::Fuse
                | Caveat::NetworkFs
                | Caveat::Overlay
                | Caveat::UnknownFilesystem
                | Caveat::Flash
        )
    });
    if keeps {
        NameResidue::MayRemain
    } else {
        NameResidue::Scrubbed
    }
}

impl Run<'_> {
    /// Files, other names, directories; whether the run was interrupted. The gate is
    /// passed before the first destructive step, or at the end if there was none, so
    /// that a closed gate always stops the run the same way.
    fn destroy(&mut self, progress: &dyn Progress, cancel: &AtomicBool) -> Result<bool, WipeError> {
        let plan = self.plan;
        if self.files(progress, cancel)? {
            return Ok(true);
        }
        let erased: HashSet<(u64, u64)> = plan
            .items
            .iter()
            .zip(&self.recs)
            .filter(|(it, r)| it.kind == ItemKind::File && !it.alias && r.result == ItemResult::Erased)
            .map(|(it, _)| (it.dev, it.ino))
            .collect();
        self.names(&erased, progress)?;
        let interrupted = self.dirs(progress, cancel)?;
        self.pass_gate(&[], progress, cancel)?;
        Ok(interrupted)
    }

    fn base_record(&self, it: &PlannedItem) -> ItemRecord {
        ItemRecord {
            path_hmac: self.key.hash_path(&it.path),
            kind: it.kind,
            size: it.size,
            overwritten_bytes: 0,
            content_sha256: None,
            result: ItemResult::NotAttempted,
            problem: None,
            verification: None,
            assurance: Assurance::None,
            names: NameResidue::Untouched,
            caveats: caveats_of(self.plan, it.dev),
            still_reachable: true,
            resumed: None,
        }
    }

    fn fail(&mut self, idx: usize, p: Problem) {
        let r = &mut self.recs[idx];
        r.result = ItemResult::Failed;
        r.problem = Some(p);
        r.assurance = Assurance::None;
        r.still_reachable = true;
    }

    /// Append entries, with the queued "done" entries in front, under one fsync.
    fn journal(&mut self, entries: Vec<Entry>) -> Result<(), WipeError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut all = std::mem::take(&mut self.deferred);
        all.extend(entries);
        match self.journal.as_mut() {
            Some(j) => j.append(&all),
            None => Ok(()),
        }
    }

    fn flush_journal(&mut self) -> Result<(), WipeError> {
        let all = std::mem::take(&mut self.deferred);
        if all.is_empty() {
            return Ok(());
        }
        match self.journal.as_mut() {
            Some(j) => j.append(&all),
            None => Ok(()),
        }
    }

    /// Wait at the caller's gate, once, before the first destructive step. While it is
    /// still pending, the files in `ahead` (later batches) are hashed: read-only work
    /// that the batches would do anyway.
    fn pass_gate(&mut self, ahead: &[usize], progress: &dyn Progress, cancel: &AtomicBool) -> Result<(), WipeError> {
        if self.gate_passed {
            return Ok(());
        }
        if let Some(g) = self.opts.gate.clone() {
            let mut next = 0;
            while !g.0.ready() && next < ahead.len() && !cancel.load(Ordering::SeqCst) {
                let mut end = next;
                let mut bytes = 0;
                while end < ahead.len() && end - next < AHEAD_FILES && (end == next || bytes < AHEAD_BYTES) {
                    bytes += self.plan.items[ahead[end]].size;
                    end += 1;
                }
                self.hash_ahead(&ahead[next..end], progress, cancel);
                next = end;
            }
            if !g.0.wait() {
                return Err(WipeError::GateClosed);
            }
        }
        self.gate_passed = true;
        Ok(())
    }

    /// Hash files of later batches. A file that fails here is simply hashed again in
    /// its batch, where its problem is recorded.
    fn hash_ahead(&mut self, idxs: &[usize], progress: &dyn Progress, cancel: &AtomicBool) {
        let plan = self.plan;
        let mut todo: Vec<(usize, Option<String>)> = idxs
            .iter()
            .filter(|&&i| self.stages[i].is_none() && !self.prehashed.contains_key(&i))
            .map(|&i| (i, None))
            .collect();
        progress.phase(crate::Phase::Hashing, todo.iter().map(|t| plan.items[t.0].size).sum());
        let most = todo.iter().map(|t| plan.items[t.0].size).max().unwrap_or(0);
        par_slots(&mut todo, buf_len(most), |(i, sha), b| {
            if cancel.load(Ordering::SeqCst) {
                return;
            }
            let it = &plan.items[*i];
            if let Ok(h) = work::hash_by_name(&it.path, it.ino, it.size, &mut b.0, progress) {
                *sha = Some(hex::encode(h));
            }
        });
        for (i, sha) in todo {
            if let Some(h) = sha {
                self.prehashed.insert(i, h);
            }
        }
    }

    fn entry(&self, idx: usize, stage: Stage, renamed: Option<&Path>) -> Entry {
        Entry {
            stage,
            item: self.recs[idx].clone(),
            renamed_hmac: renamed.map(|p| self.key.hash_path(p)),
            ident: self.idents[idx],
            hash_prefix: None,
            device: None,
        }
    }

    fn sync_dev(&mut self, dev: u64, near: &Path) -> std::io::Result<()> {
        use std::collections::hash_map::Entry as MapEntry;
        let f = match self.sync_dirs.entry(dev) {
            MapEntry::Occupied(e) => e.into_mut(),
            MapEntry::Vacant(v) => v.insert(File::open(near.parent().unwrap_or(Path::new("/")))?),
        };
        sys::syncfs(f)
    }

    /// Make the removal of a few names durable by syncing their directories.
    fn sync_parents(&mut self, idxs: &[usize]) {
        let mut parents: Vec<PathBuf> =
            idxs.iter().filter_map(|&i| self.plan.items[i].path.parent().map(Path::to_path_buf)).collect();
        parents.sort();
        parents.dedup();
        for p in parents {
            if let Err(e) = File::open(&p).and_then(|d| d.sync_all()) {
                for &i in idxs {
                    if self.plan.items[i].path.parent() == Some(p.as_path()) {
                        self.fail(i, work::problem("fsync directory", &e));
                    }
                }
            }
        }
    }

    /// Make every touched filesystem durable; items whose filesystem failed are failed.
    fn sync_devs(&mut self, idxs: &[usize]) {
        let mut devs: Vec<(u64, PathBuf)> = Vec::new();
        for &i in idxs {
            let it = &self.plan.items[i];
            if !devs.iter().any(|d| d.0 == it.dev) {
                devs.push((it.dev, it.path.clone()));
            }
        }
        for (dev, p) in devs {
            if let Err(e) = self.sync_dev(dev, &p) {
                for &i in idxs {
                    if self.plan.items[i].dev == dev && self.recs[i].result != ItemResult::Failed {
                        self.fail(i, work::problem("syncfs", &e));
                    }
                }
            }
        }
    }

    fn finish_erased(&mut self, idx: usize, kind_result: ItemResult) {
        let opts = self.opts;
        let it = &self.plan.items[idx];
        let r = &mut self.recs[idx];
        r.result = kind_result;
        r.still_reachable = false;
        r.names = names_residue(&r.caveats);
        r.assurance = match (kind_result, &r.verification) {
            (ItemResult::Removed, _) => Assurance::NameOnly,
            (_, None) => Assurance::Unverified,
            (_, Some(v)) if !v.passed => Assurance::None,
            _ if r.caveats.iter().any(Caveat::affects_contents) => Assurance::NotAssured,
            _ => Assurance::Clear,
        };
        if it.payload && opts.notice_destroyed && kind_result == ItemResult::Erased {
            r.assurance = Assurance::CryptographicErase;
        }
    }
}

/// Wipe what `plan` lists. Per-item problems go into the record; `Err` only when the
/// run as a whole cannot go on (the journal cannot be written, no randomness).
pub fn execute(
    plan: &Plan,
    opts: &WipeOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<ErasureRecord, WipeError> {
    let mut started = record::now_rfc3339();
    let mut journal = None;
    let mut loaded = None;
    if let Some(jp) = &opts.journal {
        let abs = if jp.is_absolute() {
            jp.clone()
        } else {
            std::env::current_dir().map_err(|source| WipeError::Inspect { path: jp.clone(), source })?.join(jp)
        };
        if plan.roots.iter().any(|r| abs.starts_with(r)) {
            return Err(WipeError::Refused { path: jp.clone(), reason: RefuseReason::Overlapping });
        }
        let (j, l) = Journal::open_or_create(jp, opts.method, opts.verify)?;
        journal = Some(j);
        loaded = l;
    }
    let key = match &loaded {
        Some(l) => {
            started = l.started.clone();
            l.key.clone()
        }
        None => PathKey::generate()?,
    };
    if let (Some(j), None) = (journal.as_mut(), &loaded) {
        j.write_header(&key, opts.method, opts.verify, &started)?;
    }

    let mut run = Run {
        plan,
        opts,
        key,
        seed: RunSeed::generate()?,
        journal,
        recs: Vec::new(),
        stages: vec![None; plan.items.len()],
        idents: plan
            .items
            .iter()
            .map(|it| (it.kind == ItemKind::File).then_some(Ident { dev: it.dev, ino: it.ino, ctime: it.ctime }))
            .collect(),
        sync_dirs: HashMap::new(),
        prehashed: HashMap::new(),
        gate_passed: false,
        deferred: Vec::new(),
        hash_prefixes: HashMap::new(),
    };
    run.recs = plan.items.iter().map(|it| run.base_record(it)).collect();

    // Carry over what an earlier run did.
    let carried = match &loaded {
        Some(l) => carry_over(&mut run, l),
        None => Vec::new(),
    };
    let start_stages = run.stages.clone();

    for (i, it) in plan.items.iter().enumerate() {
        if let Some(p) = &it.skip {
            run.fail(i, p.clone());
        }
    }
    let skipped: Vec<Entry> = plan
        .items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.skip.is_some())
        .map(|(i, _)| run.entry(i, Stage::Done, None))
        .collect();
    run.journal(skipped)?;

    let fresh_journal = loaded.is_none();
    let mut stopped_by = None;
    let interrupted = match run.destroy(progress, cancel) {
        Ok(i) => i,
        Err(WipeError::GateClosed) => {
            // Nothing was touched: leave no journal behind that this run created.
            if let (Some(j), true) = (run.journal.take(), fresh_journal) {
                j.remove()?;
            }
            return Err(WipeError::GateClosed);
        }
        // Nothing destroyed yet: the error is the whole answer.
        Err(e) if !run.gate_passed => return Err(e),
        // Something may be destroyed already: what was done must still be recorded.
        Err(e) => {
            stopped_by = Some(e.to_string());
            true
        }
    };
    if let Err(e) = run.flush_journal() {
        stopped_by.get_or_insert(e.to_string());
    }

    let passes = opts.method.passes().len() as u64;
    for (i, r) in run.recs.iter_mut().enumerate() {
        if let Some(res) = r.resumed.as_mut() {
            let wrote = start_stages[i].is_none_or(|st| st < Stage::Verified) && r.verification.is_some();
            res.bytes_written_by_this_run = if wrote { r.overwritten_bytes * passes } else { 0 };
        }
    }
    let mut items = carried;
    items.extend(run.recs);
    let rec = ErasureRecord {
        format: record::RECORD_FORMAT.into(),
        tool: record::tool(),
        operator: opts.operator.clone(),
        host: sys::hostname(),
        started,
        finished: record::now_rfc3339(),
        method: opts.method,
        passes: opts.method.passes().to_vec(),
        verification: opts.verify,
        path_hash: "HMAC-SHA-256".into(),
        notice_destroyed: opts.notice_destroyed,
        filesystems: plan.filesystems.clone(),
        device: None,
        items,
        interrupted: interrupted || stopped_by.is_some(),
        stopped_by,
        path_key: Some(run.key),
    };
    // The journal stays: it is removed by the caller once the record and its ledger
    // entry are durable (journal::remove), never before.
    Ok(rec)
}

/// Match the earlier run's journal against this run's plan. A planned item continues
/// from its journal entry only when it is still the same file (device, inode, size);
/// otherwise it is new, and the earlier item is recorded for what became of it.
/// Returns the records of journalled items that this run will not handle.
fn carry_over(run: &mut Run<'_>, l: &crate::journal::Loaded) -> Vec<ItemRecord> {
    let plan = run.plan;
    let by = l.by_hmac();
    let mut used = HashSet::new();
    let mut replaced = HashSet::new();
    for (i, r) in run.recs.iter_mut().enumerate() {
        let Some(&e) = by.get(&r.path_hmac) else { continue };
        let en = &l.entries[e];
        let it = &plan.items[i];
        if en.stage == Stage::Done {
            if en.item.result == ItemResult::Failed || en.item.result == ItemResult::NotAttempted {
                // Tried and failed: this run tries again, and its record says how.
                used.insert(e);
            } else {
                // Erased earlier, and something stands at the path again.
                r.resumed = Some(Resumed { kind: ResumeKind::Replaced, bytes_written_by_this_run: 0 });
            }
            continue;
        }
        let same = match (&en.ident, it.kind) {
            // A pass writes whole blocks, so a file may have grown up to the bytes each
            // pass covers; past verification it is truncated before it is renamed.
            (Some(id), ItemKind::File) => {
                let size_ok = en.item.size == it.size
                    || (it.size > en.item.size && it.size <= en.item.overwritten_bytes)
                    || (en.stage == Stage::Renaming && it.size == 0);
                id.dev == it.dev && id.ino == it.ino && size_ok
            }
            // A journal without identities cannot vouch for a file.
            (None, ItemKind::File) => false,
            (_, kind) => en.item.kind == kind,
        };
        if same {
            *r = en.item.clone();
            r.caveats = caveats_of(plan, it.dev);
            r.resumed = Some(Resumed { kind: ResumeKind::Continued, bytes_written_by_this_run: 0 });
            run.stages[i] = Some(en.stage);
            run.idents[i] = en.ident;
            // A large file hashed up to here inside its pipelined pass: the rest of the
            // hash is taken from where it stands, not from the start.
            if let Some(h) = &en.hash_prefix {
                run.hash_prefixes.insert(i, h.clone());
            }
            used.insert(e);
        } else {
            r.resumed = Some(Resumed { kind: ResumeKind::Replaced, bytes_written_by_this_run: 0 });
            replaced.insert(e);
        }
    }
    let mut carried = Vec::new();
    for (e, en) in l.entries.iter().enumerate() {
        if used.contains(&e) {
            continue;
        }
        let mut item = en.item.clone();
        match en.stage {
            Stage::Done => {}
            // Verified, then renamed and unlinked before "done" reached the journal.
            // A directory has nothing to verify: it was removed.
            Stage::Renaming if item.kind != ItemKind::File => {
                item.result = ItemResult::Removed;
                item.still_reachable = false;
                item.names = names_residue(&item.caveats);
                item.assurance = Assurance::NameOnly;
                item.problem = None;
            }
            Stage::Renaming => {
                item.result = ItemResult::Erased;
                item.still_reachable = false;
                item.problem = None;
                item.names = names_residue(&item.caveats);
                item.assurance = match &item.verification {
                    None => Assurance::Unverified,
                    Some(v) if !v.passed => Assurance::None,
                    _ if item.caveats.iter().any(Caveat::affects_contents) => Assurance::NotAssured,
                    _ => Assurance::Clear,
                };
            }
            // Gone, or replaced by another file, under both names, without our doing.
            Stage::Hashed | Stage::Verified => {
                item.result = ItemResult::Failed;
                item.problem =
                    Some(if replaced.contains(&e) { Problem::ReplacedBetweenRuns } else { Problem::Vanished });
            }
        }
        carried.push(item);
    }
    carried
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_fit_the_largest_file_in_whole_blocks_up_to_a_chunk() {
        assert_eq!(buf_len(0), sys::ALIGN);
        assert_eq!(buf_len(1), sys::ALIGN);
        assert_eq!(buf_len(4096), 4096);
        assert_eq!(buf_len(5000), 8192);
        assert_eq!(buf_len(CHUNK as u64 - 1), CHUNK);
        assert_eq!(buf_len(1 << 40), CHUNK);
    }

    #[test]
    fn small_files_get_more_workers_than_cores_large_ones_do_not() {
        assert_eq!(workers(buf_len(4096)), IO_THREADS.max(cores()));
        assert!(IO_THREADS > cores(), "small files must get more workers than cores");
        assert_eq!(workers(CHUNK), cores());
    }
}
