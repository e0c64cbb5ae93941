//! `execute`: the tree wipe. Files go through in batches so that one syncfs makes a
//! whole batch durable; within a batch, workers (one per core) hash, overwrite and
//! verify files side by side. No name is unlinked before its overwrite is durable and
//! verified, and every stage is journalled before the next begins.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::journal::{Entry, Journal, Stage};
use crate::method::{PassFiller, RunSeed};
use crate::plan::{Plan, PlannedItem, WipeOptions};
use crate::record::{self, Assurance, ErasureRecord, ItemRecord, ItemResult, NameResidue, PathKey, Problem};
use crate::sys::{self, AlignedBuf};
use crate::work::{self, CHUNK};
use crate::{remove, Caveat, ItemKind, Phase, Progress, RefuseReason, VerifyMode, WipeError};

/// A batch ends at this many files or bytes, whichever comes first: enough to amortise
/// the durability points, small enough that an interruption loses little work.
const BATCH_FILES: usize = 512;
const BATCH_BYTES: u64 = 256 << 20;
/// Up to this many items, durability comes from fsync of each file or directory
/// rather than one syncfs.
const FEW: usize = 4;

type Bufs = (AlignedBuf, Vec<u8>);

fn workers() -> usize {
    std::thread::available_parallelism().map(|n| n.get().clamp(1, 4)).unwrap_or(2)
}

/// Run `f` on every slot, spread over the cores; each worker has its own buffers.
fn par_slots<T: Send>(slots: &mut [T], f: impl Fn(&mut T, &mut Bufs) + Sync) {
    let n = workers().min(slots.len());
    if n <= 1 {
        let mut b = (AlignedBuf::new(CHUNK), vec![0u8; CHUNK]);
        slots.iter_mut().for_each(|s| f(s, &mut b));
        return;
    }
    let queue = Mutex::new(slots.iter_mut());
    std::thread::scope(|sc| {
        for _ in 0..n {
            sc.spawn(|| {
                let mut b = (AlignedBuf::new(CHUNK), vec![0u8; CHUNK]);
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
}

struct Run<'p> {
    plan: &'p Plan,
    opts: &'p WipeOptions,
    key: PathKey,
    seed: RunSeed,
    journal: Option<Journal>,
    recs: Vec<ItemRecord>,
    stages: Vec<Option<Stage>>,
    /// Durability handles, one directory per filesystem.
    sync_dirs: HashMap<u64, File>,
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
        }
    }

    fn fail(&mut self, idx: usize, p: Problem) {
        let r = &mut self.recs[idx];
        r.result = ItemResult::Failed;
        r.problem = Some(p);
        r.assurance = Assurance::None;
        r.still_reachable = true;
    }

    fn journal(&mut self, entries: Vec<Entry>) -> Result<(), WipeError> {
        match self.journal.as_mut() {
            Some(j) => j.append(&entries),
            None => Ok(()),
        }
    }

    fn entry(&self, idx: usize, stage: Stage, renamed: Option<&Path>) -> Entry {
        Entry { stage, item: self.recs[idx].clone(), renamed_hmac: renamed.map(|p| self.key.hash_path(p)) }
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

    fn files(&mut self, progress: &dyn Progress, cancel: &AtomicBool) -> Result<bool, WipeError> {
        let todo: Vec<usize> = (0..self.plan.items.len())
            .filter(|&i| {
                let it = &self.plan.items[i];
                it.kind == ItemKind::File && !it.alias && it.skip.is_none()
            })
            .collect();
        let mut start = 0;
        while start < todo.len() {
            if cancel.load(Ordering::SeqCst) {
                return Ok(true);
            }
            let mut end = start;
            let mut bytes = 0u64;
            while end < todo.len() && end - start < BATCH_FILES && (end == start || bytes < BATCH_BYTES) {
                bytes += self.plan.items[todo[end]].size;
                end += 1;
            }
            if self.batch(&todo[start..end], progress, cancel)? {
                return Ok(true);
            }
            start = end;
        }
        Ok(false)
    }

    /// One batch of files through every stage. Returns whether it was cancelled.
    fn batch(&mut self, idxs: &[usize], progress: &dyn Progress, cancel: &AtomicBool) -> Result<bool, WipeError> {
        let plan = self.plan;
        let mut slots: Vec<Slot> = idxs
            .iter()
            .map(|&i| {
                let it = &plan.items[i];
                Slot {
                    idx: i,
                    item: it,
                    file: None,
                    len: work::overwrite_len(it.size, it.blocks, it.blksize),
                    stage: self.stages[i],
                    sha: self.recs[i].content_sha256.clone(),
                    problem: None,
                    verification: self.recs[i].verification.clone(),
                    cancelled: false,
                }
            })
            .collect();

        // Hashing, and the check that each file is still the one planned.
        progress.phase(Phase::Hashing, slots.iter().filter(|s| s.stage.is_none()).map(|s| s.item.size).sum());
        par_slots(&mut slots, |s, b| {
            if cancel.load(Ordering::SeqCst) {
                s.cancelled = true;
                return;
            }
            let it = s.item;
            match work::open_checked(&it.path, it.dev, it.ino, it.size, it.mtime) {
                Ok(f) => {
                    if s.stage.is_none() {
                        match work::hash_by_name(&it.path, it.ino, it.size, &mut b.0, progress) {
                            Ok(h) => s.sha = Some(hex::encode(h)),
                            Err(p) => s.problem = Some(p),
                        }
                    }
                    s.file = Some(f);
                }
                Err(p) => s.problem = Some(p),
            }
        });
        let mut entries = Vec::new();
        for s in &slots {
            let r = &mut self.recs[s.idx];
            r.content_sha256 = s.sha.clone();
            r.overwritten_bytes = s.len;
            if s.problem.is_none() && !s.cancelled && s.stage.is_none() {
                entries.push(Entry { stage: Stage::Hashed, item: r.clone(), renamed_hmac: None });
            }
        }
        for s in slots.iter_mut().filter(|s| s.problem.is_some()) {
            s.file = None;
        }
        for s in &slots {
            if let Some(p) = &s.problem {
                self.fail(s.idx, p.clone());
            }
        }
        self.journal(entries)?;
        let any_cancelled = slots.iter().any(|s| s.cancelled);
        slots.retain(|s| s.file.is_some());

        // Overwrite, pass by pass; each pass but the last is made durable before the
        // next is written, so the media really sees every pass.
        let passes = self.opts.method.passes();
        let seed_owned = self.seed.clone();
        let seed = &seed_owned;
        let key = self.key.clone();
        let item_ids: Vec<String> = slots.iter().map(|s| key.hash_path(&s.item.path)).collect();
        let ids: HashMap<usize, &String> = slots.iter().map(|s| s.idx).zip(item_ids.iter()).collect();
        for (n, pass) in passes.iter().enumerate() {
            let need: Vec<&Slot> = slots.iter().filter(|s| s.stage.is_none_or(|st| st < Stage::Verified)).collect();
            progress.phase(
                Phase::Overwriting { pass: n as u32 + 1, of: passes.len() as u32 },
                need.iter().map(|s| s.len).sum(),
            );
            let last = n + 1 == passes.len();
            par_slots(&mut slots, |s, b| {
                if s.problem.is_some() || s.stage.is_some_and(|st| st >= Stage::Verified) {
                    return;
                }
                let (Some(f), Some(id)) = (s.file.as_ref(), ids.get(&s.idx)) else { return };
                let filler = PassFiller::new(seed, id.as_bytes(), n as u32, *pass);
                if let Err(p) = work::write_pass(f, s.len, &filler, &mut b.0, progress) {
                    s.problem = Some(p);
                } else if !last {
                    if let Err(e) = f.sync_data() {
                        s.problem = Some(work::problem("fdatasync", &e));
                    }
                }
            });
        }

        // One durability point for the batch's last pass. FUSE and network filesystems
        // do not pass syncfs on to their server (dirty pages stay in the kernel), so
        // their files are fsynced one by one.
        // A batch of a few (large) files is cheaper to flush file by file than to flush
        // every dirty page of a shared filesystem.
        let few = slots.len() <= FEW;
        let per_file: HashSet<u64> =
            plan.filesystems.iter().filter(|f| few || !syncfs_reaches_storage(&f.caveats)).map(|f| f.dev).collect();
        par_slots(&mut slots, |s, _| {
            if s.problem.is_some() || !per_file.contains(&s.item.dev) {
                return;
            }
            if let Some(Err(e)) = s.file.as_ref().map(|f| f.sync_data()) {
                s.problem = Some(work::problem("fdatasync", &e));
            }
        });
        let live: Vec<usize> =
            slots.iter().filter(|s| s.problem.is_none() && !per_file.contains(&s.item.dev)).map(|s| s.idx).collect();
        self.sync_devs(&live);
        for s in slots.iter_mut() {
            if s.problem.is_none() && self.recs[s.idx].result == ItemResult::Failed {
                s.problem = self.recs[s.idx].problem.clone();
            }
        }

        // Read back from the device.
        let mode = self.opts.verify;
        let last_pass = passes.len() - 1;
        let last_kind = passes[last_pass];
        if mode != VerifyMode::None {
            progress.phase(Phase::Verifying, slots.iter().filter(|s| s.problem.is_none()).map(|s| s.len).sum());
            par_slots(&mut slots, |s, b| {
                if s.problem.is_some() || s.stage.is_some_and(|st| st >= Stage::Verified) {
                    return;
                }
                let (Some(f), Some(id)) = (s.file.as_ref(), ids.get(&s.idx)) else { return };
                let filler = PassFiller::new(seed, id.as_bytes(), last_pass as u32, last_kind);
                let salt = s.item.ino;
                let ranges = work::verify_ranges(s.len, mode, salt);
                match work::verify(&s.item.path, f, &ranges, &filler, mode, b, progress) {
                    Ok(v) => s.verification = Some(v),
                    Err(p) => s.problem = Some(p),
                }
            });
        }
        let mut entries = Vec::new();
        for s in &slots {
            if let Some(p) = &s.problem {
                self.fail(s.idx, p.clone());
                if let Some(Problem::VerifyMismatch { .. }) = &s.problem {
                    self.recs[s.idx].verification =
                        Some(record::ItemVerification { mode, read: "o_direct".into(), bytes_read: 0, passed: false });
                }
            } else {
                self.recs[s.idx].verification = s.verification.clone();
                if s.stage.is_none_or(|st| st < Stage::Verified) {
                    entries.push(self.entry(s.idx, Stage::Verified, None));
                }
            }
        }
        self.journal(entries)?;

        // Only now may names go: truncate, journal the random names, rename, unlink.
        progress.phase(Phase::Removing, slots.len() as u64);
        let mut renames = Vec::new();
        for s in slots.iter_mut().filter(|s| s.problem.is_none()) {
            if let Some(f) = s.file.take() {
                if let Err(e) = f.set_len(0) {
                    s.problem = Some(work::problem("truncate", &e));
                    continue;
                }
            }
            match remove::random_name(&s.item.path) {
                Ok(n) => renames.push((s.idx, n)),
                Err(p) => s.problem = Some(p),
            }
        }
        for s in &slots {
            if let Some(p) = &s.problem {
                if self.recs[s.idx].result != ItemResult::Failed {
                    self.fail(s.idx, p.clone());
                }
            }
        }
        let done = self.rename_and_unlink(&renames, false, progress)?;
        let _ = done;
        Ok(any_cancelled)
    }

    /// Journal the new names, rename, unlink, make durable, journal the results.
    fn rename_and_unlink(
        &mut self,
        renames: &[(usize, PathBuf)],
        dirs: bool,
        progress: &dyn Progress,
    ) -> Result<Vec<usize>, WipeError> {
        let entries: Vec<Entry> = renames.iter().map(|(i, n)| self.entry(*i, Stage::Renaming, Some(n))).collect();
        self.journal(entries)?;
        let mut ok = Vec::new();
        for (i, new) in renames {
            let it = &self.plan.items[*i];
            let r = remove::rename_noreplace(&it.path, new).and_then(|()| remove::unlink(new, dirs));
            match r {
                Ok(()) => ok.push(*i),
                Err(p) => self.fail(*i, p),
            }
            progress.advance(1);
        }
        let touched: Vec<usize> = renames.iter().map(|r| r.0).collect();
        if ok.len() <= FEW {
            self.sync_parents(&ok);
        } else {
            self.sync_devs(&ok);
        }
        let mut entries = Vec::new();
        for &i in &touched {
            if self.recs[i].result != ItemResult::Failed {
                let kind = if self.plan.items[i].kind == ItemKind::File && !self.plan.items[i].alias {
                    ItemResult::Erased
                } else {
                    ItemResult::Removed
                };
                self.finish_erased(i, kind);
            }
            entries.push(self.entry(i, Stage::Done, None));
        }
        self.journal(entries)?;
        Ok(ok)
    }

    /// Other names: symlinks, special files, further hard links of erased files.
    fn names(&mut self, erased: &HashSet<(u64, u64)>, progress: &dyn Progress) -> Result<(), WipeError> {
        let mut renames = Vec::new();
        progress.phase(Phase::Removing, 0);
        for i in 0..self.plan.items.len() {
            let it = &self.plan.items[i];
            let other =
                matches!(it.kind, ItemKind::Symlink | ItemKind::Special) || (it.kind == ItemKind::File && it.alias);
            if !other || it.skip.is_some() {
                continue;
            }
            if it.alias && !erased.contains(&(it.dev, it.ino)) {
                // The data behind this name was not erased: leave the name to find it.
                self.fail(i, Problem::HardLinked { links: 0 });
                continue;
            }
            match std::fs::symlink_metadata(&it.path) {
                Ok(md) if md.ino() == it.ino && md.dev() == it.dev => {}
                Ok(_) => {
                    self.fail(i, Problem::ChangedDuringWipe);
                    continue;
                }
                Err(e) => {
                    self.fail(i, work::problem("stat", &e));
                    continue;
                }
            }
            match remove::random_name(&it.path) {
                Ok(n) => renames.push((i, n)),
                Err(p) => self.fail(i, p),
            }
        }
        for chunk in renames.chunks(BATCH_FILES) {
            self.rename_and_unlink(chunk, false, progress)?;
        }
        Ok(())
    }

    /// Directories, deepest first, one depth at a time: directories of the same depth
    /// are never inside each other, so each depth is one batch with one durability point.
    fn dirs(&mut self, progress: &dyn Progress, cancel: &AtomicBool) -> Result<bool, WipeError> {
        progress.phase(Phase::Removing, self.plan.dirs);
        let plan = self.plan;
        let dirs: Vec<usize> = (0..plan.items.len())
            .filter(|&i| plan.items[i].kind == ItemKind::Directory && plan.items[i].skip.is_none())
            .collect();
        let depth = |i: usize| plan.items[i].path.components().count();
        let mut start = 0;
        while start < dirs.len() {
            if cancel.load(Ordering::SeqCst) {
                return Ok(true);
            }
            let d = depth(dirs[start]);
            let end = start + dirs[start..].iter().take_while(|&&i| depth(i) == d).count();
            let mut renames = Vec::new();
            for &i in &dirs[start..end] {
                match std::fs::read_dir(&plan.items[i].path).map(|mut rd| rd.next().is_none()) {
                    Ok(false) => self.fail(i, Problem::NotEmpty),
                    Ok(true) => match remove::random_name(&plan.items[i].path) {
                        Ok(n) => renames.push((i, n)),
                        Err(p) => self.fail(i, p),
                    },
                    Err(e) => self.fail(i, work::problem("read directory", &e)),
                }
            }
            self.rename_and_unlink(&renames, true, progress)?;
            start = end;
        }
        Ok(false)
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
        sync_dirs: HashMap::new(),
    };
    run.recs = plan.items.iter().map(|it| run.base_record(it)).collect();

    // Carry over what an earlier run did.
    let mut carried: Vec<ItemRecord> = Vec::new();
    if let Some(l) = &loaded {
        let by = l.by_hmac();
        let mut used = HashSet::new();
        for (i, r) in run.recs.iter_mut().enumerate() {
            if let Some(&e) = by.get(&r.path_hmac) {
                let en = &l.entries[e];
                if en.stage != Stage::Done {
                    *r = en.item.clone();
                    r.caveats = caveats_of(plan, plan.items[i].dev);
                    run.stages[i] = Some(en.stage);
                }
                used.insert(e);
            }
        }
        for (e, en) in l.entries.iter().enumerate() {
            if used.contains(&e) {
                continue;
            }
            let mut item = en.item.clone();
            match en.stage {
                Stage::Done => {}
                // Verified, then renamed and unlinked before "done" reached the journal.
                Stage::Renaming => {
                    item.result = ItemResult::Erased;
                    item.still_reachable = false;
                    item.names = names_residue(&item.caveats);
                    item.assurance = match &item.verification {
                        None => Assurance::Unverified,
                        Some(v) if !v.passed => Assurance::None,
                        _ if item.caveats.iter().any(Caveat::affects_contents) => Assurance::NotAssured,
                        _ => Assurance::Clear,
                    };
                }
                // Gone under both names without our doing.
                Stage::Hashed | Stage::Verified => {
                    item.result = ItemResult::Failed;
                    item.problem = Some(Problem::Vanished);
                }
            }
            carried.push(item);
        }
    }

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

    let mut interrupted = run.files(progress, cancel)?;
    if !interrupted {
        let erased: HashSet<(u64, u64)> = plan
            .items
            .iter()
            .zip(&run.recs)
            .filter(|(it, r)| it.kind == ItemKind::File && !it.alias && r.result == ItemResult::Erased)
            .map(|(it, _)| (it.dev, it.ino))
            .collect();
        run.names(&erased, progress)?;
        interrupted = run.dirs(progress, cancel)?;
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
        interrupted,
        path_key: Some(run.key),
    };
    if let Some(j) = run.journal {
        if rec.outcome() == record::Outcome::AllErased {
            j.remove()?;
        }
    }
    Ok(rec)
}
