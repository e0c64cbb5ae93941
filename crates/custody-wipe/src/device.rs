//! Whole media: every addressable byte of a block device or an image file.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::fault;
use crate::journal::{Entry, Ident, Journal, Stage};
use crate::method::{PassFiller, RunSeed};
use crate::mounts::{self, makedev_parts};
use crate::record::{
    self, Assurance, DeviceInfo, ErasureRecord, ItemKind, ItemRecord, ItemResult, NameResidue, PathKey, Problem,
    ResumeKind, Resumed,
};
use crate::sys::AlignedBuf;
use crate::work::{self, CHUNK};
use crate::{guard, Caveat, Method, Phase, Progress, RefuseReason, VerifyMode, WipeError, WipeOptions};

/// What a device wipe would do; `plan_device` changes nothing.
#[derive(Debug, Clone)]
pub struct DevicePlan {
    pub path: PathBuf,
    pub info: DeviceInfo,
    pub caveats: Vec<Caveat>,
    pub(crate) block: bool,
    /// An image file whose filesystem sits on a block device.
    pub(crate) image_on_block_device: bool,
    /// The medium is not attached any more, and an interrupted run of this job began
    /// overwriting it: nothing can be done to it now, but what happened is recorded.
    /// `info` then comes from that run's journal.
    pub absent: bool,
    pub(crate) ident: Option<Ident>,
}

fn read_trim(p: &Path) -> Option<String> {
    std::fs::read_to_string(p).ok().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Device numbers of a disk and all its partitions.
fn with_partitions(sys: &Path, major: u32, minor: u32) -> Vec<(u32, u32)> {
    let mut out = vec![(major, minor)];
    if let Ok(rd) = std::fs::read_dir(sys) {
        for e in rd.flatten() {
            let p = e.path();
            if p.join("partition").exists() {
                if let Some((a, b)) = read_trim(&p.join("dev")).and_then(|d| {
                    let (a, b) = d.split_once(':')?;
                    Some((a.parse().ok()?, b.parse().ok()?))
                }) {
                    out.push((a, b));
                }
            }
        }
    }
    out
}

fn has_holders(sys: &Path) -> bool {
    let busy = |p: PathBuf| std::fs::read_dir(p).map(|mut r| r.next().is_some()).unwrap_or(false);
    if busy(sys.join("holders")) {
        return true;
    }
    std::fs::read_dir(sys)
        .map(|rd| rd.flatten().any(|e| e.path().join("partition").exists() && busy(e.path().join("holders"))))
        .unwrap_or(false)
}

/// The disk (not partition) holding "/".
fn system_disk(mounts: &[mounts::MountEntry]) -> Option<(u32, u32)> {
    let root = mounts.iter().rev().find(|m| m.mount_point == Path::new("/"))?;
    let sys = mounts::sysfs_block(root.major, root.minor)?;
    if sys.join("partition").exists() {
        let d = read_trim(&sys.join("../dev"))?;
        let (a, b) = d.split_once(':')?;
        return Some((a.parse().ok()?, b.parse().ok()?));
    }
    Some((root.major, root.minor))
}

/// The USB (or other) device's serial: sysfs puts it on an ancestor of the block device.
fn walk_up_serial(start: &Path) -> Option<String> {
    let mut p = start.canonicalize().ok()?;
    for _ in 0..12 {
        if let Some(s) = read_trim(&p.join("serial")) {
            return Some(s);
        }
        if !p.pop() {
            break;
        }
    }
    None
}

fn bus_of(sys: &Path) -> Option<String> {
    let real = sys.canonicalize().ok()?;
    let s = real.to_string_lossy();
    ["usb", "nvme", "mmc", "ata", "virtio", "loop", "scsi"]
        .into_iter()
        .find(|b| s.contains(&format!("/{b}")))
        .map(str::to_owned)
}

fn size_of(path: &Path) -> Result<u64, WipeError> {
    let mut f = File::open(path).map_err(|source| WipeError::Device { path: path.to_owned(), source })?;
    f.seek(SeekFrom::End(0)).map_err(|source| WipeError::Device { path: path.to_owned(), source })
}

/// Check and describe a device; nothing is changed.
pub fn plan_device(dev: &Path, opts: &WipeOptions) -> Result<DevicePlan, WipeError> {
    let refuse = |reason| WipeError::Refused { path: dev.to_owned(), reason };
    let found = dev.canonicalize().and_then(|p| std::fs::metadata(&p).map(|md| (p, md)));
    let (path, md) = match found {
        Ok(x) => x,
        Err(_) => return absent_medium(dev, opts).ok_or_else(|| refuse(RefuseReason::NotFound)),
    };
    let mounts = mounts::read_mounts()?;
    let mut info = DeviceInfo::default();
    let mut caveats = Vec::new();
    let block = md.file_type().is_block_device();
    let mut image_on_block_device = false;
    if block {
        let (ma, mi) = makedev_parts(md.rdev());
        let sys = mounts::sysfs_block(ma, mi).unwrap_or_else(|| PathBuf::from("/nonexistent"));
        let nums = with_partitions(&sys, ma, mi);
        // The system disk first: it is also mounted, but this is the clearer reason.
        if let Some(sd) = system_disk(&mounts) {
            let parent = read_trim(&sys.join("../dev")).filter(|_| sys.join("partition").exists());
            if nums.contains(&sd) || parent.as_deref() == Some(&format!("{}:{}", sd.0, sd.1)) {
                return Err(refuse(RefuseReason::SystemDisk));
            }
        }
        if mounts.iter().any(|m| nums.contains(&(m.major, m.minor))) || has_holders(&sys) {
            return Err(refuse(RefuseReason::MountedDevice));
        }
        info.kind = "block_device".into();
        info.vendor = read_trim(&sys.join("device/vendor"));
        info.model = read_trim(&sys.join("device/model"));
        info.serial = read_trim(&sys.join("device/serial"))
            .or_else(|| read_trim(&sys.join("serial")))
            .or_else(|| walk_up_serial(&sys.join("device")));
        info.bus = bus_of(&sys);
        info.rotational = mounts::rotational_of(ma, mi);
        info.logical_block_size = read_trim(&sys.join("queue/logical_block_size")).and_then(|s| s.parse().ok());
    } else if md.file_type().is_file() {
        guard::check_path(&path, &opts.protected, opts.force).map_err(refuse)?;
        if guard::touches_protected(&path, &opts.protected) {
            return Err(refuse(RefuseReason::ToolHome));
        }
        // An image attached to a loop device is in use, mounted or not.
        if let Ok(rd) = std::fs::read_dir("/sys/block") {
            for e in rd.flatten() {
                if let Some(b) = read_trim(&e.path().join("loop/backing_file")) {
                    if Path::new(b.trim_end_matches(" (deleted)")) == path {
                        return Err(refuse(RefuseReason::MountedDevice));
                    }
                }
            }
        }
        info.kind = "image_file".into();
        // The image's own medium decides what overwrite can reach.
        if let Some(m) = mounts::mount_for(&mounts, &path, md.dev()) {
            let fs = mounts::fs_info(m, md.dev());
            image_on_block_device = fs.block_device;
            caveats.extend(fs.caveats.into_iter().filter(Caveat::affects_contents));
        }
    } else {
        // A FIFO or a folder where an interrupted run's medium was: that medium is
        // gone, and what the run did to it is still to be recorded.
        return absent_medium(dev, opts).ok_or_else(|| refuse(RefuseReason::UnsupportedType));
    }
    info.size = size_of(&path)?;
    if info.rotational == Some(false) {
        caveats.push(Caveat::Flash);
    }
    // Which medium this is, beyond its path: a different stick in the same slot has
    // the same device number, so the size and serial in `info` are compared too.
    let ident = Some(if block {
        Ident { dev: md.rdev(), ino: 0, ctime: (0, 0) }
    } else {
        Ident { dev: md.dev(), ino: md.ino(), ctime: (0, 0) }
    });
    Ok(DevicePlan { path, info, caveats, block, image_on_block_device, absent: false, ident })
}

/// The plan of a job whose medium is gone after an interrupted run began overwriting
/// it: `None` unless the job's journal has a medium not yet recorded (unfinished, or
/// finished by a run that died before its record).
fn absent_medium(dev: &Path, opts: &WipeOptions) -> Option<DevicePlan> {
    let entries = crate::journal::entries(opts.journal.as_deref()?)?;
    let e = entries.into_iter().find(|e| e.device.is_some())?;
    Some(absent_plan(dev, e.device?, e.item.caveats))
}

/// The plan of a job whose medium cannot be planned any more (gone, or something else
/// at its path) while an earlier run of it still has something to record: nothing is
/// written, and the run only records what the journal and any pending record say.
pub fn plan_gone_device(dev: &Path, opts: &WipeOptions) -> DevicePlan {
    absent_medium(dev, opts).unwrap_or_else(|| absent_plan(dev, DeviceInfo::default(), Vec::new()))
}

fn absent_plan(dev: &Path, info: DeviceInfo, caveats: Vec<Caveat>) -> DevicePlan {
    DevicePlan {
        path: dev.to_owned(),
        info,
        caveats,
        block: false,
        image_on_block_device: false,
        absent: true,
        ident: None,
    }
}

/// What identifies the medium now at the plan's path, as text to keep and compare:
/// kind, size, model, serial, device numbers, and for an image its inode and
/// status-change time (a file written since, or another under a reused inode number,
/// differs). `None` when nothing is there.
pub fn medium_stamp(plan: &DevicePlan) -> Option<String> {
    let md = std::fs::metadata(&plan.path).ok()?;
    let i = &plan.info;
    Some(if plan.block {
        format!("block {} {:?} {:?} {}", i.size, i.model, i.serial, md.rdev())
    } else {
        format!("image {} {} {} {}.{}", i.size, md.dev(), md.ino(), md.ctime(), md.ctime_nsec())
    })
}

/// Whether a journalled medium is the one planned now.
fn same_medium(e: &Entry, plan: &DevicePlan, id: &str) -> bool {
    let Some(was) = &e.device else { return false };
    !plan.absent
        && e.item.path_hmac == id
        && e.ident == plan.ident
        && (was.kind.as_str(), was.size, &was.model, &was.serial)
            == (plan.info.kind.as_str(), plan.info.size, &plan.info.model, &plan.info.serial)
}

/// A journalled medium whose erasure began and was never finished: recorded as failed,
/// with what stopped it, and as still holding whatever the passes did not reach.
fn unfinished(e: &Entry, problem: Problem) -> ItemRecord {
    let mut it = e.item.clone();
    it.result = ItemResult::Failed;
    it.problem = Some(problem);
    // How far its passes got is not known: nothing is claimed.
    it.overwritten_bytes = 0;
    it.verification = None;
    it.assurance = Assurance::None;
    it.still_reachable = true;
    it
}

fn open_for_wipe(p: &DevicePlan) -> Result<File, WipeError> {
    crate::sys::open_device_rw(&p.path, p.block).map_err(|source| WipeError::Device { path: p.path.clone(), source })
}

/// Overwrite and verify a whole device or image.
///
/// With a journal (`opts.journal`), the medium is journalled before the first write
/// and again once it is done, so that a run killed anywhere in between is completed,
/// and recorded, by running the same job again: the medium is overwritten afresh, even
/// one the earlier run finished (nothing tells how far the passes got, nor that it was
/// left alone since); a medium that is gone, or was swapped for another at the same
/// path, is recorded as the journal left it (finished, or not erased) and a new one is
/// erased as new.
pub fn execute_device(
    plan: &DevicePlan,
    opts: &WipeOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<ErasureRecord, WipeError> {
    let mut started = record::now_rfc3339();
    let (mut journal, loaded) = match &opts.journal {
        Some(jp) => {
            let (j, l) = Journal::open_or_create(jp, opts.method, opts.verify)?;
            (Some(j), l)
        }
        None => (None, None),
    };
    let key = match &loaded {
        Some(l) => {
            started = l.started.clone();
            l.key.clone()
        }
        None => PathKey::generate()?,
    };
    let size = plan.info.size;
    let id = key.hash_path(&plan.path);
    let passes = opts.method.passes();
    let mut info = plan.info.clone();

    // What earlier runs of this job did.
    let mut carried = Vec::new();
    let mut closed = Vec::new();
    let mut resumed = None;
    for e in loaded.iter().flat_map(|l| &l.entries) {
        let same = same_medium(e, plan, &id);
        match (same, e.stage) {
            // Even a medium the earlier run finished is overwritten again: nothing
            // shows that it was left alone since (an image rewritten in place, another
            // stick of the same model without a serial), and the record must not claim
            // an overwrite this run cannot vouch for.
            (true, _) => resumed = Some(ResumeKind::Continued),
            (false, Stage::Done) => carried.push(e.item.clone()),
            (false, _) => {
                let why = if plan.absent { Problem::Vanished } else { Problem::ReplacedBetweenRuns };
                carried.push(unfinished(e, why.clone()));
                // Once recorded, it is not recorded again: its line is closed now,
                // before the record is made.
                closed.push(Entry { stage: Stage::Done, item: unfinished(e, why), ..e.clone() });
                if e.item.path_hmac == id && !plan.absent {
                    resumed = Some(ResumeKind::Replaced);
                }
            }
        }
    }
    let record =
        |items: Vec<ItemRecord>, info: DeviceInfo, interrupted: bool, stopped_by: Option<String>| ErasureRecord {
            format: record::RECORD_FORMAT.into(),
            tool: record::tool(),
            operator: opts.operator.clone(),
            host: crate::sys::hostname(),
            started: started.clone(),
            finished: record::now_rfc3339(),
            method: opts.method,
            passes: passes.to_vec(),
            verification: opts.verify,
            path_hash: "HMAC-SHA-256".into(),
            notice_destroyed: opts.notice_destroyed,
            filesystems: Vec::new(),
            device: Some(info),
            items,
            interrupted,
            stopped_by,
            path_key: Some(key.clone()),
        };
    if let Some(j) = journal.as_mut() {
        j.append(&closed)?;
    }
    if plan.absent {
        return Ok(record(carried, info, false, None));
    }

    let seed = RunSeed::generate()?;
    let f = open_for_wipe(plan)?;
    let mut buf = AlignedBuf::new(CHUNK);
    let mut rec_item = ItemRecord {
        path_hmac: id.clone(),
        kind: ItemKind::Device,
        size,
        overwritten_bytes: size,
        content_sha256: None,
        result: ItemResult::NotAttempted,
        problem: None,
        verification: None,
        assurance: Assurance::None,
        names: NameResidue::NotApplicable,
        caveats: plan.caveats.clone(),
        still_reachable: true,
        resumed: resumed.map(|kind| Resumed { kind, bytes_written_by_this_run: size * passes.len() as u64 }),
    };
    let mut interrupted = false;
    let mut stopped_by = None;
    // Nothing to read first on a device: wait for the caller's permission right away.
    if let Some(g) = &opts.gate {
        if !g.0.wait() {
            if let (Some(j), None) = (journal.take(), &loaded) {
                j.remove()?;
            }
            return Err(WipeError::GateClosed);
        }
    }
    fault::point("gate-passed");
    // Before the first write: from here on, a run killed at any point leaves this
    // entry, and the next run of the job records what became of the medium.
    if let Some(j) = journal.as_mut() {
        if loaded.is_none() {
            j.write_header(&key, opts.method, opts.verify, &started)?;
        }
        let mut begun = rec_item.clone();
        begun.result = ItemResult::Failed;
        begun.problem = Some(Problem::Interrupted);
        let entry = Entry {
            stage: Stage::Hashed,
            item: begun,
            renamed_hmac: None,
            ident: plan.ident,
            hash_prefix: None,
            device: Some(plan.info.clone()),
        };
        j.append(&[entry])?;
    }
    'run: {
        for (n, pass) in passes.iter().enumerate() {
            progress.phase(Phase::Overwriting { pass: n as u32 + 1, of: passes.len() as u32 }, size);
            let filler = PassFiller::new(&seed, id.as_bytes(), n as u32, *pass);
            if let Err(p) = work::write_pass(&f, size, &filler, &mut buf, progress, cancel) {
                interrupted = cancel.load(Ordering::SeqCst);
                rec_item.result = ItemResult::Failed;
                rec_item.problem = Some(p);
                // Not every pass reached every byte: no overwrite is claimed.
                rec_item.overwritten_bytes = 0;
                break 'run;
            }
            // Each pass reaches the medium before the next one (or the read-back) starts.
            if let Err(e) = f.sync_all() {
                rec_item.result = ItemResult::Failed;
                rec_item.problem = Some(work::problem("fsync", &e));
                rec_item.overwritten_bytes = 0;
                break 'run;
            }
            fault::point("pass-written");
        }
        if opts.verify != VerifyMode::None {
            let last = passes.len() - 1;
            let filler = PassFiller::new(&seed, id.as_bytes(), last as u32, passes[last]);
            let ranges = work::verify_ranges(size, opts.verify, u64::from_le_bytes(seed_salt(&id)));
            progress.phase(Phase::Verifying, ranges.iter().map(|r| r.1).sum());
            if opts.verify == VerifyMode::Sample {
                info.sample_ranges = Some(ranges.len() as u64);
                info.sample_bytes = Some(ranges.iter().map(|r| r.1).sum());
            }
            let mut bufs = (AlignedBuf::new(CHUNK), vec![0u8; CHUNK]);
            match work::verify(&plan.path, &f, &ranges, &filler, opts.verify, &mut bufs, progress) {
                Ok(mut v) => {
                    v.block_device = plan.block || plan.image_on_block_device;
                    rec_item.verification = Some(v);
                    fault::point("verified");
                }
                Err(p) => {
                    rec_item.result = ItemResult::Failed;
                    rec_item.problem = Some(p);
                    break 'run;
                }
            }
        }
        rec_item.result = ItemResult::Overwritten;
        rec_item.still_reachable = false;
        let flash_ok = opts.method == Method::NistClear || opts.method.passes().len() >= 2;
        let limiting = plan.caveats.iter().any(|c| c.affects_contents() && !(*c == Caveat::Flash && flash_ok));
        rec_item.assurance = match (&rec_item.verification, limiting) {
            (None, _) => Assurance::Unverified,
            (Some(_), true) => Assurance::NotAssured,
            (Some(_), false) => Assurance::Clear,
        };
    }
    if let Some(j) = journal.as_mut() {
        let entry = Entry {
            stage: Stage::Done,
            item: rec_item.clone(),
            renamed_hmac: None,
            ident: plan.ident,
            hash_prefix: None,
            device: Some(plan.info.clone()),
        };
        // The medium is overwritten already: a journal that cannot take the line
        // does not undo that, and the record says why the run stopped there.
        if let Err(e) = j.append(&[entry]) {
            stopped_by = Some(e.to_string());
        }
    }
    carried.push(rec_item);
    Ok(record(carried, info, interrupted, stopped_by))
}

/// Sample locations come from the item id, which is itself keyed by a secret.
fn seed_salt(id: &str) -> [u8; 8] {
    let mut s = [0u8; 8];
    for (i, b) in id.bytes().take(16).enumerate() {
        s[i % 8] ^= b.wrapping_mul(i as u8 + 1);
    }
    s
}
