//! What filesystem a path lives on, and what in-place overwrite cannot reach there.
//! The mount table (/proc/self/mountinfo) is parsed here; the parser takes any bytes.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::WipeError;

/// Something about a filesystem or medium that limits what overwriting can promise.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Caveat {
    /// New bytes are written elsewhere (btrfs, zfs, bcachefs, f2fs, nilfs2): old blocks remain.
    #[serde(alias = "copy_on_write")]
    CopyOnWrite,
    /// Data is compressed: the overwrite does not land on the old blocks byte for byte.
    Compression,
    /// ext3/ext4 with data=journal: file contents pass through the journal.
    #[serde(alias = "data_journalled")]
    DataJournalled,
    /// NFS, SMB, 9p, Ceph…: the server decides where bytes go and may keep snapshots.
    #[serde(alias = "network_fs")]
    NetworkFs,
    /// A FUSE filesystem: a user-space program decides where bytes go.
    Fuse,
    /// tmpfs/ramfs: memory, and pages may have been swapped out.
    Tmpfs,
    /// overlayfs: files copied up from a lower layer leave the lower copy untouched.
    Overlay,
    /// Non-rotational medium (SSD, USB flash, SD): wear levelling keeps old blocks.
    Flash,
    /// The metadata journal (ext3/ext4 jbd2, XFS log) keeps copies of directory blocks,
    /// so original file names may remain until it is overwritten by later activity.
    #[serde(alias = "journal_may_keep_names")]
    JournalMayKeepNames,
    /// Directory entries freed by unlink keep their name bytes in place (FAT, ext4 linear
    /// directories) unless overwritten.
    #[serde(alias = "deleted_entries_keep_names")]
    DeletedEntriesKeepNames,
    /// The filesystem type is not one this engine knows.
    #[serde(alias = "unknown_filesystem")]
    UnknownFilesystem,
}

impl Caveat {
    /// Whether this caveat means overwritten *contents* may survive somewhere.
    pub fn affects_contents(&self) -> bool {
        !matches!(self, Caveat::JournalMayKeepNames | Caveat::DeletedEntriesKeepNames)
    }
}

/// One filesystem a plan touches.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FsInfo {
    pub mount_point: PathBuf,
    pub fstype: String,
    /// The mount source as the mount table gives it (e.g. `/dev/sdb1`).
    pub device: String,
    /// From /sys/dev/block/M:m/queue/rotational; `None` when there is no block device.
    pub rotational: Option<bool>,
    pub caveats: Vec<Caveat>,
    /// Whether a block device backs it (false for tmpfs, network and FUSE
    /// filesystems): only then can a read-back reach a medium.
    #[serde(default)]
    pub block_device: bool,
    /// st_dev of files on it, to match items to filesystems.
    #[serde(skip)]
    pub(crate) dev: u64,
}

/// One line of /proc/self/mountinfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountEntry {
    pub major: u32,
    pub minor: u32,
    pub root: PathBuf,
    pub mount_point: PathBuf,
    pub fstype: String,
    pub source: String,
    pub super_options: String,
}

/// Undo the kernel's octal escapes (`\040` for space, etc.) in mountinfo fields.
fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() {
            let d = &b[i + 1..i + 4];
            if d.iter().all(|c| (b'0'..=b'7').contains(c)) {
                let v = (d[0] - b'0') as u32 * 64 + (d[1] - b'0') as u32 * 8 + (d[2] - b'0') as u32;
                if v <= 255 {
                    out.push(v as u8);
                    i += 4;
                    continue;
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn os_path(s: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(unescape(s)))
}

/// Parse one mountinfo line; `None` for anything malformed.
pub fn parse_mountinfo_line(line: &str) -> Option<MountEntry> {
    let mut it = line.split(' ');
    let _id = it.next()?;
    let _parent = it.next()?;
    let (maj, min) = it.next()?.split_once(':')?;
    let root = it.next()?;
    let mount_point = it.next()?;
    let _opts = it.next()?;
    // Optional fields end at a lone "-".
    loop {
        if it.next()? == "-" {
            break;
        }
    }
    let fstype = it.next()?;
    let source = it.next()?;
    let super_options = it.next().unwrap_or("");
    if fstype.is_empty() {
        return None;
    }
    Some(MountEntry {
        major: maj.parse().ok()?,
        minor: min.parse().ok()?,
        root: os_path(root),
        mount_point: os_path(mount_point),
        fstype: fstype.to_owned(),
        source: String::from_utf8_lossy(&unescape(source)).into_owned(),
        super_options: super_options.to_owned(),
    })
}

/// Parse a whole mountinfo text, skipping malformed lines.
pub fn parse_mountinfo(text: &str) -> Vec<MountEntry> {
    text.lines().filter_map(parse_mountinfo_line).collect()
}

pub(crate) const MOUNTINFO: &str = "/proc/self/mountinfo";

pub(crate) fn read_mounts() -> Result<Vec<MountEntry>, WipeError> {
    std::fs::read_to_string(MOUNTINFO)
        .map(|t| parse_mountinfo(&t))
        .map_err(|source| WipeError::MountTable { path: MOUNTINFO.into(), source })
}

pub(crate) fn makedev_parts(dev: u64) -> (u32, u32) {
    crate::sys::major_minor(dev)
}

/// The mount entry a path (already canonical) lives on: same device number, longest
/// mount point prefix; falls back to the longest prefix alone.
pub(crate) fn mount_for<'a>(mounts: &'a [MountEntry], path: &Path, dev: u64) -> Option<&'a MountEntry> {
    let (ma, mi) = makedev_parts(dev);
    let best = |only_dev: bool| {
        mounts
            .iter()
            .filter(|m| path.starts_with(&m.mount_point))
            .filter(|m| !only_dev || (m.major == ma && m.minor == mi))
            .max_by_key(|m| m.mount_point.as_os_str().len())
    };
    best(true).or_else(|| best(false))
}

/// Every mount point in the table: a directory (or file) the walk must not enter or
/// remove, even when it is a bind mount of the same filesystem (same `st_dev`).
pub(crate) fn mount_points(mounts: &[MountEntry]) -> std::collections::HashSet<PathBuf> {
    mounts.iter().map(|m| m.mount_point.clone()).collect()
}

/// Sysfs directory of a block device number, if any.
pub(crate) fn sysfs_block(major: u32, minor: u32) -> Option<PathBuf> {
    let p = PathBuf::from(format!("/sys/dev/block/{major}:{minor}"));
    p.exists().then_some(p)
}

/// queue/rotational of a block device or, for a partition, of its disk.
pub(crate) fn rotational_of(major: u32, minor: u32) -> Option<bool> {
    let dir = sysfs_block(major, minor)?;
    for q in [dir.join("queue/rotational"), dir.join("../queue/rotational")] {
        if let Ok(s) = std::fs::read_to_string(&q) {
            return Some(s.trim() == "1");
        }
    }
    None
}

fn source_devnum(source: &str) -> Option<(u32, u32)> {
    if !source.starts_with("/dev/") {
        return None;
    }
    let md = std::fs::metadata(source).ok()?;
    use std::os::unix::fs::FileTypeExt;
    md.file_type().is_block_device().then(|| makedev_parts(md.rdev()))
}

/// Describe the filesystem of a mount entry.
pub(crate) fn fs_info(m: &MountEntry, dev: u64) -> FsInfo {
    let t = m.fstype.as_str();
    let opts: Vec<&str> = m.super_options.split(',').collect();
    let mut caveats = Vec::new();
    let base = t.split('.').next().unwrap_or(t);
    match base {
        "btrfs" | "zfs" | "bcachefs" | "nilfs2" | "f2fs" => caveats.push(Caveat::CopyOnWrite),
        "ext4" | "ext3" | "ext2" | "xfs" | "vfat" | "msdos" | "exfat" | "fuseblk" | "fuse" | "tmpfs" | "ramfs"
        | "overlay" | "nfs" | "nfs4" | "cifs" | "smb3" | "9p" | "ceph" | "glusterfs" | "ntfs" | "ntfs3" | "hfsplus"
        | "jfs" | "reiserfs" => {}
        _ => caveats.push(Caveat::UnknownFilesystem),
    }
    if opts.iter().any(|o| o.starts_with("compress") || o.starts_with("compression")) {
        caveats.push(Caveat::Compression);
    }
    if matches!(base, "ext3" | "ext4") && opts.contains(&"data=journal") {
        caveats.push(Caveat::DataJournalled);
    }
    if matches!(base, "nfs" | "nfs4" | "cifs" | "smb3" | "9p" | "ceph" | "glusterfs") || t == "fuse.sshfs" {
        caveats.push(Caveat::NetworkFs);
    }
    if base == "fuse" || base == "fuseblk" {
        caveats.push(Caveat::Fuse);
    }
    if matches!(base, "tmpfs" | "ramfs") {
        caveats.push(Caveat::Tmpfs);
    }
    if base == "overlay" {
        caveats.push(Caveat::Overlay);
    }
    let devnum = source_devnum(&m.source).or_else(|| (m.major != 0).then_some((m.major, m.minor)));
    let block_device =
        devnum.is_some_and(|(a, b)| sysfs_block(a, b).is_some()) && !matches!(base, "fuse" | "tmpfs" | "ramfs");
    let rotational = devnum.and_then(|(a, b)| rotational_of(a, b));
    if rotational == Some(false) {
        caveats.push(Caveat::Flash);
    }
    if matches!(base, "ext3" | "ext4" | "xfs" | "jfs" | "reiserfs") {
        caveats.push(Caveat::JournalMayKeepNames);
    }
    if matches!(base, "ext2" | "ext3" | "ext4" | "vfat" | "msdos" | "exfat") || t.starts_with("fuse.fusefat") {
        caveats.push(Caveat::DeletedEntriesKeepNames);
    }
    FsInfo {
        mount_point: m.mount_point.clone(),
        fstype: m.fstype.clone(),
        device: m.source.clone(),
        rotational,
        caveats,
        block_device,
        dev,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_kernel_example() {
        let m = parse_mountinfo_line(
            "36 35 98:0 /mnt1 /mnt/par\\040ent rw,noatime master:1 - ext3 /dev/root rw,errors=continue",
        )
        .unwrap();
        assert_eq!((m.major, m.minor), (98, 0));
        assert_eq!(m.mount_point, PathBuf::from("/mnt/par ent"));
        assert_eq!(m.fstype, "ext3");
        assert_eq!(m.source, "/dev/root");
        assert_eq!(m.super_options, "rw,errors=continue");
    }

    #[test]
    fn rejects_lines_without_separator() {
        assert!(parse_mountinfo_line("36 35 98:0 / /mnt rw master:1 ext3").is_none());
        assert!(parse_mountinfo_line("").is_none());
    }

    #[test]
    fn btrfs_with_compression_has_both_caveats() {
        let m =
            parse_mountinfo_line("50 1 0:45 / /data rw - btrfs /dev/nonexistent-xyz rw,compress=zstd:3,space_cache=v2")
                .unwrap();
        let f = fs_info(&m, 0);
        assert!(f.caveats.contains(&Caveat::CopyOnWrite));
        assert!(f.caveats.contains(&Caveat::Compression));
    }

    #[test]
    fn fusefat_is_fuse() {
        let m = parse_mountinfo_line("60 1 0:50 / /mnt/usb rw - fuse.fusefat /dev/fuse rw,user_id=0").unwrap();
        assert!(fs_info(&m, 0).caveats.contains(&Caveat::Fuse));
    }

    proptest! {
        #[test]
        fn parser_never_panics(s in ".*") {
            let _ = parse_mountinfo(&s);
        }

        #[test]
        fn escaped_mount_points_round_trip(name in "[a-z \\t\\\\]{1,20}") {
            let esc: String = name.chars().map(|c| match c {
                ' ' => "\\040".to_string(), '\t' => "\\011".to_string(), '\\' => "\\134".to_string(),
                c => c.to_string() }).collect();
            let line = format!("1 2 8:1 / /m/{esc} rw - ext4 /dev/sda1 rw");
            let m = parse_mountinfo_line(&line).unwrap();
            prop_assert_eq!(m.mount_point, PathBuf::from(format!("/m/{name}")));
        }
    }
}
