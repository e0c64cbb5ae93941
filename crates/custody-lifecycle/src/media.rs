//! What kind of medium a path is on: a filesystem of its own (a USB stick), a
//! removable device. Linux: `st_dev`, statfs and sysfs.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// True when `dir` is on a filesystem mounted somewhere other than `/` and not a
/// memory filesystem: that is what a USB stick looks like.
pub(crate) fn on_separate_medium(dir: &Path) -> bool {
    let Ok(dir) = dir.canonicalize() else { return false };
    let Ok(root) = fs::metadata("/") else { return false };
    let Ok(meta) = fs::metadata(&dir) else { return false };
    if meta.dev() == root.dev() {
        return false;
    }
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    match crate::sys::fs_magic(&dir) {
        Ok(magic) => magic != TMPFS_MAGIC,
        Err(_) => true,
    }
}

/// Whether two existing paths are on the same filesystem.
pub(crate) fn same_device(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev(),
        _ => false,
    }
}

/// True when the block device under `path` says it is removable (sysfs `removable`
/// of the disk, or of the disk a partition belongs to). Filesystems without a block
/// device (tmpfs, network) are not removable.
pub(crate) fn on_removable_device(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else { return false };
    let dev = meta.dev();
    let (major, minor) = crate::sys::major_minor(dev);
    let base = format!("/sys/dev/block/{major}:{minor}");
    let read_flag = |p: String| fs::read_to_string(p).map(|s| s.trim() == "1").unwrap_or(false);
    read_flag(format!("{base}/removable")) || read_flag(format!("{base}/../removable"))
}

/// True when `dir` looks like a medium that travels: on a removable device, on a
/// filesystem USB sticks carry (FAT, exFAT, NTFS through FUSE), or mounted where
/// desktops mount sticks (`/media`, `/run/media`). A separate partition for `/home`
/// is none of these, so a payload copied there can still be opened beside it.
pub(crate) fn on_travelling_medium(dir: &Path) -> bool {
    if !on_separate_medium(dir) {
        return false;
    }
    if on_removable_device(dir) {
        return true;
    }
    let Ok(abs) = dir.canonicalize() else { return false };
    let Some((mnt, fstype)) = mount_of(&abs) else { return false };
    let stick_fs = matches!(fstype.as_str(), "vfat" | "msdos" | "exfat" | "ntfs" | "ntfs3" | "fuseblk")
        || fstype.starts_with("fuse.fusefat")
        || fstype.contains("fat");
    stick_fs || mnt.starts_with("/media/") || mnt.starts_with("/run/media/")
}

/// The mount point and filesystem type of the mount holding `path`, from
/// /proc/self/mountinfo (the longest mount point that is a prefix of it).
fn mount_of(path: &Path) -> Option<(String, String)> {
    let table = fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut best: Option<(String, String)> = None;
    for line in table.lines() {
        // id parent major:minor root mountpoint options [optional…] - fstype source super
        let fields: Vec<&str> = line.split(' ').collect();
        let Some(dash) = fields.iter().position(|f| *f == "-") else { continue };
        let (Some(mnt), Some(fstype)) = (fields.get(4), fields.get(dash + 1)) else { continue };
        let mnt = mnt.replace("\\040", " ");
        if path.starts_with(&mnt) && best.as_ref().is_none_or(|(m, _)| mnt.len() >= m.len()) {
            best = Some((mnt, (*fstype).to_owned()));
        }
    }
    best
}
