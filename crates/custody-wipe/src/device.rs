//! Whole media: every addressable byte of a block device or an image file.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::method::{PassFiller, RunSeed};
use crate::mounts::{self, makedev_parts};
use crate::record::{
    self, Assurance, DeviceInfo, ErasureRecord, ItemKind, ItemRecord, ItemResult, NameResidue, PathKey,
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
    let path = dev.canonicalize().map_err(|_| refuse(RefuseReason::NotFound))?;
    let md = std::fs::metadata(&path).map_err(|_| refuse(RefuseReason::NotFound))?;
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
        return Err(refuse(RefuseReason::UnsupportedType));
    }
    info.size = size_of(&path)?;
    if info.rotational == Some(false) {
        caveats.push(Caveat::Flash);
    }
    Ok(DevicePlan { path, info, caveats, block, image_on_block_device })
}

fn open_for_wipe(p: &DevicePlan) -> Result<File, WipeError> {
    crate::sys::open_device_rw(&p.path, p.block).map_err(|source| WipeError::Device { path: p.path.clone(), source })
}

/// Overwrite and verify a whole device or image.
pub fn execute_device(
    plan: &DevicePlan,
    opts: &WipeOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<ErasureRecord, WipeError> {
    let started = record::now_rfc3339();
    let key = PathKey::generate()?;
    let seed = RunSeed::generate()?;
    let f = open_for_wipe(plan)?;
    let size = plan.info.size;
    let id = key.hash_path(&plan.path);
    let passes = opts.method.passes();
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
        resumed: None,
    };
    let mut info = plan.info.clone();
    let mut interrupted = false;
    // Nothing to read first on a device: wait for the caller's permission right away.
    if let Some(g) = &opts.gate {
        if !g.0.wait() {
            return Err(WipeError::GateClosed);
        }
    }
    'run: {
        for (n, pass) in passes.iter().enumerate() {
            progress.phase(Phase::Overwriting { pass: n as u32 + 1, of: passes.len() as u32 }, size);
            let filler = PassFiller::new(&seed, id.as_bytes(), n as u32, *pass);
            if let Err(p) = work::write_pass(&f, size, &filler, &mut buf, progress, cancel) {
                interrupted = cancel.load(Ordering::SeqCst);
                rec_item.result = ItemResult::Failed;
                rec_item.problem = Some(p);
                break 'run;
            }
            // Each pass reaches the medium before the next one (or the read-back) starts.
            if let Err(e) = f.sync_all() {
                rec_item.result = ItemResult::Failed;
                rec_item.problem = Some(work::problem("fsync", &e));
                break 'run;
            }
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
                    rec_item.verification = Some(v)
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
    Ok(ErasureRecord {
        format: record::RECORD_FORMAT.into(),
        tool: record::tool(),
        operator: opts.operator.clone(),
        host: crate::sys::hostname(),
        started,
        finished: record::now_rfc3339(),
        method: opts.method,
        passes: passes.to_vec(),
        verification: opts.verify,
        path_hash: "HMAC-SHA-256".into(),
        notice_destroyed: opts.notice_destroyed,
        filesystems: Vec::new(),
        device: Some(info),
        items: vec![rec_item],
        interrupted,
        stopped_by: None,
        path_key: Some(key),
    })
}

/// Sample locations come from the item id, which is itself keyed by a secret.
fn seed_salt(id: &str) -> [u8; 8] {
    let mut s = [0u8; 8];
    for (i, b) in id.bytes().take(16).enumerate() {
        s[i % 8] ^= b.wrapping_mul(i as u8 + 1);
    }
    s
}
