//! Files, batch by batch: hash, overwrite, make durable, verify, then hand the names
//! over to removal.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::{buf_len, par_io, par_slots, syncfs_reaches_storage, work_stat, Run, Slot, BATCH_BYTES, BATCH_FILES, FEW};
use crate::journal::{Entry, Ident, Journal, Stage};
use crate::method::PassFiller;
use crate::plan::PlannedItem;
use crate::record::{self, ItemRecord, ItemResult, Problem};
use crate::sha::Sha256State;
use crate::{fault, pipe, remove, sys, work, GateRef, ItemKind, Phase, Progress, VerifyMode, WipeError};

impl Run<'_> {
    pub(super) fn files(&mut self, progress: &dyn Progress, cancel: &AtomicBool) -> Result<bool, WipeError> {
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
            if self.batch(&todo[start..end], &todo[end..], progress, cancel)? {
                return Ok(true);
            }
            start = end;
        }
        Ok(false)
    }

    /// One batch of files through every stage. Returns whether it was cancelled.
    /// `ahead` lists the files of later batches, hashed ahead while the gate is pending.
    pub(super) fn batch(
        &mut self,
        idxs: &[usize],
        ahead: &[usize],
        progress: &dyn Progress,
        cancel: &AtomicBool,
    ) -> Result<bool, WipeError> {
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
                    after_pass: None,
                    hash: None,
                    piped: false,
                }
            })
            .collect();

        // Hashing, and the check that each file is still the one planned. A file hashed
        // ahead is checked here like the others: its size and mtime still being the
        // planned ones is what ties the early hash to the content about to go.
        for s in slots.iter_mut().filter(|s| s.stage.is_none()) {
            s.sha = self.prehashed.remove(&s.idx);
        }
        // A large file is hashed inside its pipelined pass, each window just before
        // it is overwritten; one an interrupted run left half-hashed goes on from the
        // state in the journal. Without that state the hash is lost for good (the
        // contents are partly overwritten) and the record says none.
        for s in slots.iter_mut().filter(|s| pipe::wanted(s.len, s.stage) && s.sha.is_none()) {
            s.hash = match s.stage {
                None => Some(Sha256State::default()),
                Some(_) => self.hash_prefixes.get(&s.idx).and_then(Sha256State::resume),
            };
        }
        progress.phase(
            Phase::Hashing,
            slots
                .iter()
                .filter(|s| s.stage.is_none() && s.sha.is_none() && s.hash.is_none())
                .map(|s| s.item.size)
                .sum(),
        );
        // Every phase of the batch uses buffers this large.
        let bl = buf_len(slots.iter().map(|s| s.len.max(s.item.size)).max().unwrap_or(0));
        par_slots(&mut slots, bl, |s, b| {
            if cancel.load(Ordering::SeqCst) {
                s.cancelled = true;
                return;
            }
            let it = s.item;
            match work::open_checked(&it.path, it.dev, it.ino, it.size, it.mtime) {
                Ok(f) => {
                    if s.stage.is_none() && s.sha.is_none() && s.hash.is_none() {
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
            let ident = self.idents[s.idx];
            let r = &mut self.recs[s.idx];
            r.content_sha256 = s.sha.clone();
            r.overwritten_bytes = s.len;
            if s.problem.is_none() && !s.cancelled && s.stage.is_none() {
                let hash_prefix = s.hash.as_ref().and_then(Sha256State::prefix);
                entries.push(Entry {
                    stage: Stage::Hashed,
                    item: r.clone(),
                    renamed_hmac: None,
                    ident,
                    hash_prefix,
                    device: None,
                });
            }
        }
        fault::point("hashing");
        for s in slots.iter_mut().filter(|s| s.problem.is_some()) {
            s.file = None;
        }
        for s in &slots {
            if let Some(p) = &s.problem {
                self.fail(s.idx, p.clone());
            }
        }
        self.journal(entries)?;
        let mut any_cancelled = slots.iter().any(|s| s.cancelled);
        slots.retain(|s| s.file.is_some());
        // A file still to be hashed in its pass waits at the gate inside it, so that
        // its hashing runs while the gate is pending.
        let hash_in_pass = slots.iter().any(|s| s.hash.is_some());
        if !slots.is_empty() && !hash_in_pass {
            self.pass_gate(ahead, progress, cancel)?;
            fault::point("gate-passed");
        }
        // The gate may have waited for a slow key derivation: a file written to or
        // grown meanwhile is no longer the one hashed, and is left alone. (A file
        // waiting at the gate inside its pass, or behind one that does, is checked
        // again there, once the gate has passed.)
        for s in slots.iter_mut() {
            if let Some(Err(p)) = s.file.as_ref().map(|f| still_planned(f, s.item)) {
                s.problem = Some(p);
            }
        }
        for s in slots.iter_mut().filter(|s| s.problem.is_some()) {
            s.file = None;
            self.fail(s.idx, s.problem.clone().unwrap_or(Problem::ChangedDuringWipe));
        }
        slots.retain(|s| s.file.is_some());
        let mode = self.opts.verify;
        let gate = GateOnce::new(if self.gate_passed { None } else { self.opts.gate.as_ref() });
        let stop: Mutex<Option<WipeError>> = Mutex::new(None);
        let journal = Mutex::new(self.journal.take());
        let hashed_recs: HashMap<usize, (ItemRecord, Option<Ident>)> = slots
            .iter()
            .filter(|s| s.hash.is_some())
            .map(|s| (s.idx, (self.recs[s.idx].clone(), self.idents[s.idx])))
            .collect();
        let fillers_of = |id: &String| -> Vec<PassFiller> {
            self.opts
                .method
                .passes()
                .iter()
                .enumerate()
                .map(|(n, p)| PassFiller::new(&self.seed, id.as_bytes(), n as u32, *p))
                .collect()
        };

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
            par_slots(&mut slots, bl, |s, b| {
                if s.problem.is_some() || s.cancelled || s.stage.is_some_and(|st| st >= Stage::Verified) {
                    return;
                }
                if pipe::wanted(s.len, s.stage) {
                    // Every pass at once, with the hash and the read-back.
                    let (Some(f), Some(id)) = (s.file.take(), ids.get(&s.idx)) else { return };
                    if n == 0 {
                        let rec = hashed_recs.get(&s.idx);
                        let keep = |cp: pipe::Checkpoint<'_>| keep_hash(&journal, rec, cp);
                        let keep_ref: &pipe::Keep<'_> = &keep;
                        let has_journal = lock(&journal).is_some();
                        let it = s.item;
                        let len = s.len;
                        let check = |step: pipe::Step| match step {
                            pipe::Step::GatePassed => {
                                fault::point("gate-passed");
                                still_planned(&f, it)
                            }
                            pipe::Step::PassWritten => {
                                fault::point("pass-written");
                                not_grown(&f, it, len)
                            }
                        };
                        let env = pipe::Env {
                            progress,
                            cancel,
                            spans: pipe::SPANS,
                            gate: &|| gate.wait(),
                            keep: (has_journal && rec.is_some()).then_some(keep_ref),
                            after_sync: None,
                            check: Some(&check),
                        };
                        run_piped(s, &f, &fillers_of(id), mode, &env, &stop);
                    }
                    s.file = Some(f);
                    return;
                }
                let (Some(f), Some(id)) = (s.file.as_ref(), ids.get(&s.idx)) else { return };
                if !gate.wait() {
                    *lock(&stop) = Some(WipeError::GateClosed);
                    return;
                }
                // Behind a file that waited at the gate inside its pass: the check after
                // the gate is this one.
                if n == 0 && hash_in_pass {
                    if let Err(p) = still_planned(f, s.item) {
                        s.problem = Some(p);
                        return;
                    }
                }
                let filler = PassFiller::new(seed, id.as_bytes(), n as u32, *pass);
                if let Err(p) = work::write_pass(f, s.len, &filler, &mut b.0, progress, cancel) {
                    // Interrupted mid-pass: the journal says "hashed", so the next run
                    // writes the file again from the start.
                    if cancel.load(Ordering::SeqCst) {
                        s.cancelled = true;
                    } else {
                        s.problem = Some(p);
                    }
                } else if !last {
                    if let Err(e) = f.sync_data() {
                        s.problem = Some(work::problem("fdatasync", &e));
                    }
                }
            });
            if !last {
                fault::point("pass-written");
            }
        }
        self.journal = journal.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = stop.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(e);
        }
        if gate.passed() {
            self.gate_passed = true;
        }
        for s in &slots {
            self.recs[s.idx].content_sha256 = s.sha.clone();
        }
        for s in slots.iter().filter(|s| s.cancelled) {
            self.fail(s.idx, Problem::Interrupted);
        }
        any_cancelled |= slots.iter().any(|s| s.cancelled);
        slots.retain(|s| !s.cancelled);

        // One durability point for the batch's last pass. FUSE and network filesystems
        // do not pass syncfs on to their server (dirty pages stay in the kernel), so
        // their files are fsynced one by one.
        // A batch of a few (large) files is cheaper to flush file by file than to flush
        // every dirty page of a shared filesystem.
        let few = slots.len() <= FEW;
        let per_file: HashSet<u64> =
            plan.filesystems.iter().filter(|f| few || !syncfs_reaches_storage(&f.caveats)).map(|f| f.dev).collect();
        par_slots(&mut slots, bl, |s, _| {
            if s.problem.is_some() || s.piped || !per_file.contains(&s.item.dev) {
                return;
            }
            if let Some(Err(e)) = s.file.as_ref().map(|f| f.sync_data()) {
                s.problem = Some(work::problem("fdatasync", &e));
            }
        });
        let live: Vec<usize> = slots
            .iter()
            .filter(|s| s.problem.is_none() && !s.piped && !per_file.contains(&s.item.dev))
            .map(|s| s.idx)
            .collect();
        self.sync_devs(&live);
        for s in slots.iter_mut() {
            if s.problem.is_none() && self.recs[s.idx].result == ItemResult::Failed {
                s.problem = self.recs[s.idx].problem.clone();
            }
            // Grown while the passes ran: the bytes beyond the pass were never
            // overwritten. Other writes inside the pass show in the read-back.
            if s.problem.is_none() {
                match s.file.as_ref().map(work_stat::of) {
                    Some(Ok(st)) if st.0 > s.len.max(s.item.size) => {
                        s.problem = Some(Problem::Grew { planned: s.item.size, now: st.0 })
                    }
                    Some(Ok(st)) => s.after_pass = Some(st),
                    Some(Err(e)) => s.problem = Some(work::problem("stat", &e)),
                    None => {}
                }
            }
        }
        fault::point("overwritten");

        // Read back from the device.
        let last_pass = passes.len() - 1;
        let last_kind = passes[last_pass];
        if mode != VerifyMode::None {
            progress
                .phase(Phase::Verifying, slots.iter().filter(|s| s.problem.is_none() && !s.piped).map(|s| s.len).sum());
            par_slots(&mut slots, bl, |s, b| {
                if s.problem.is_some() || s.piped || s.stage.is_some_and(|st| st >= Stage::Verified) {
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
        for s in &slots {
            let block_device = plan.filesystems.iter().any(|f| f.dev == s.item.dev && f.block_device);
            if let Some(p) = &s.problem {
                self.fail(s.idx, p.clone());
                if let Some(Problem::VerifyMismatch { .. }) = &s.problem {
                    // The mode the read-back could use; the mismatch is the finding.
                    let read = if sys::open_direct(&s.item.path).is_ok() { "o_direct" } else { "drop_cache" };
                    self.recs[s.idx].verification = Some(record::ItemVerification {
                        mode,
                        read: read.into(),
                        bytes_read: 0,
                        passed: false,
                        block_device,
                    });
                }
            } else {
                self.recs[s.idx].verification = s.verification.clone().map(|mut v| {
                    v.block_device = block_device;
                    v
                });
            }
        }
        fault::point("verified");

        // Only now may names go. The random names are journalled together with the
        // verification ("renaming" implies "verified"), in one durable append before
        // anything is truncated; then truncate, rename and unlink.
        progress.phase(Phase::Removing, slots.len() as u64);
        let mut renames = Vec::new();
        let mut taken = HashSet::new();
        for s in slots.iter_mut().filter(|s| s.problem.is_none()) {
            match remove::random_name(&s.item.path, &mut taken) {
                Ok(n) => renames.push((s.idx, n)),
                Err(p) => s.problem = Some(p),
            }
        }
        let mut entries: Vec<Entry> =
            renames.iter().map(|(i, n)| self.entry(*i, Stage::Renaming, Some(n.as_path()))).collect();
        // Verified but not renamed (no free random name): the next run need not
        // overwrite it again.
        for s in slots.iter().filter(|s| s.problem.is_some() && s.verification.is_some()) {
            if s.stage.is_none_or(|st| st < Stage::Verified) {
                entries.push(self.entry(s.idx, Stage::Verified, None));
            }
        }
        self.journal(entries)?;
        // Truncation frees the blocks, which on filesystems mounted with `discard`
        // waits for the device; spread over more threads than cores, the waits overlap.
        par_io(&mut slots, |s| {
            if s.problem.is_some() {
                return;
            }
            if let Some(f) = s.file.take() {
                // Written to since the pass: what is there now was not overwritten.
                match (work_stat::of(&f), s.after_pass) {
                    (Ok(now), Some(then)) if now != then => {
                        s.problem = Some(if now.0 > then.0 {
                            Problem::Grew { planned: s.item.size, now: now.0 }
                        } else {
                            Problem::ChangedDuringWipe
                        });
                        return;
                    }
                    (Err(e), _) => {
                        s.problem = Some(work::problem("stat", &e));
                        return;
                    }
                    _ => {}
                }
                if let Err(e) = f.set_len(0) {
                    s.problem = Some(work::problem("truncate", &e));
                }
            }
        });
        fault::point("truncated");
        for s in &slots {
            if let Some(p) = &s.problem {
                if self.recs[s.idx].result != ItemResult::Failed {
                    self.fail(s.idx, p.clone());
                }
            }
        }
        renames.retain(|(i, _)| self.recs[*i].result != ItemResult::Failed);
        self.unlink_journalled(&renames, false, progress)?;
        Ok(any_cancelled)
    }
}

/// The gate, waited on once for all the workers of a batch.
struct GateOnce<'a> {
    gate: Option<&'a GateRef>,
    seen: Mutex<Option<bool>>,
}

impl<'a> GateOnce<'a> {
    fn new(gate: Option<&'a GateRef>) -> Self {
        GateOnce { gate, seen: Mutex::new(None) }
    }

    fn wait(&self) -> bool {
        // Held while waiting: the other workers wait for the same answer.
        let mut seen = lock(&self.seen);
        *seen.get_or_insert_with(|| self.gate.is_none_or(|g| g.0.wait()))
    }

    fn passed(&self) -> bool {
        *lock(&self.seen) == Some(true)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Journal how far a large file's hash has got ("hashed", with the state or the
/// digest): the writer does not pass the last state kept.
fn keep_hash(
    journal: &Mutex<Option<Journal>>,
    rec: Option<&(ItemRecord, Option<Ident>)>,
    cp: pipe::Checkpoint<'_>,
) -> Result<(), WipeError> {
    let Some((rec, ident)) = rec else { return Ok(()) };
    let mut item = rec.clone();
    let hash_prefix = match cp {
        pipe::Checkpoint::Prefix(h) => h.prefix(),
        pipe::Checkpoint::Done(d) => {
            item.content_sha256 = Some(hex::encode(d));
            None
        }
    };
    match lock(journal).as_mut() {
        Some(j) => j.append(&[Entry {
            stage: Stage::Hashed,
            item,
            renamed_hmac: None,
            ident: *ident,
            hash_prefix,
            device: None,
        }])?,
        None => return Ok(()),
    }
    // Killed here, the file is partly overwritten with its hash state journalled.
    fault::point("hashing");
    Ok(())
}

/// The file is still the one planned: same size, untouched since it was planned.
fn still_planned(f: &std::fs::File, it: &PlannedItem) -> Result<(), Problem> {
    match work_stat::of(f) {
        Ok((len, mtime, ctime)) if len == it.size && mtime == it.mtime && ctime == it.ctime => Ok(()),
        Ok((len, ..)) if len > it.size => Err(Problem::Grew { planned: it.size, now: len }),
        Ok(_) => Err(Problem::ChangedDuringWipe),
        Err(e) => Err(work::problem("stat", &e)),
    }
}

/// The file has not grown past what a pass covers: bytes beyond were never overwritten.
fn not_grown(f: &std::fs::File, it: &PlannedItem, len: u64) -> Result<(), Problem> {
    match work_stat::of(f) {
        Ok((now, ..)) if now > len.max(it.size) => Err(Problem::Grew { planned: it.size, now }),
        Ok(_) => Ok(()),
        Err(e) => Err(work::problem("stat", &e)),
    }
}

/// One large file through `pipe::run`; its outcome into the slot.
fn run_piped(
    s: &mut Slot<'_>,
    f: &std::fs::File,
    fillers: &[PassFiller],
    mode: VerifyMode,
    env: &pipe::Env<'_>,
    stop: &Mutex<Option<WipeError>>,
) {
    let item = s.item;
    let job = pipe::Job {
        path: &item.path,
        file: f,
        ino: item.ino,
        size: item.size,
        len: s.len,
        passes: fillers,
        hash: s.hash.take(),
        mode,
        ranges: work::verify_ranges(s.len, mode, item.ino),
    };
    let out = pipe::run(&job, env);
    if let Some(d) = out.sha {
        s.sha = Some(hex::encode(d));
    }
    match out.result {
        Ok(v) => {
            s.verification = v;
            s.piped = true;
        }
        Err(pipe::Stop::Item(Problem::Interrupted)) => s.cancelled = true,
        Err(pipe::Stop::Item(p)) => s.problem = Some(p),
        Err(pipe::Stop::Run(e)) => {
            lock(stop).get_or_insert(e);
        }
    }
}
