//! Real filesystem images for the end-to-end erasure tests: made with mkfs, mounted
//! through loop devices or fusefat, unmounted by a drop guard even when an assertion
//! fails, then searched byte by byte. Uses only std and the system's tools (the CLI's
//! dev-dependencies have no rustix or memchr).

#![allow(dead_code)]

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// True when the test can run here; otherwise it skips, saying why (see skip.rs).
#[track_caller]
pub fn can_mount(_test: &str, tools: &[&str]) -> bool {
    crate::common::need_root("mount filesystem images") && crate::common::need_tools(tools)
}

#[track_caller]
pub fn run(cmd: &str, args: &[&str]) {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(out.status.success(), "{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Stdout of a tool whose failure only means "nothing found" (fls on a filesystem it
/// does not know).
pub fn output(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd).args(args).output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
}

/// Random bytes, never starting with 0 (keeps the search quick on mostly-zero images).
pub struct Marker {
    pub bytes: [u8; 16],
}

impl Marker {
    pub fn new() -> Marker {
        let mut bytes = [0u8; 16];
        File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).expect("/dev/urandom");
        bytes[0] |= 1;
        Marker { bytes }
    }

    pub fn hex(&self) -> String {
        self.bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Contents: the marker repeated to `len` bytes.
    pub fn fill(&self, len: usize) -> Vec<u8> {
        self.bytes.iter().copied().cycle().take(len).collect()
    }
}

pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// Whether any of `needles` occurs in the file; streams it in chunks that overlap by
/// the longest needle, so memory stays flat whatever the image size.
pub fn file_contains_any(path: &Path, needles: &[&[u8]]) -> bool {
    let longest = needles.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut f = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut buf = vec![0u8; 8 << 20];
    let mut keep = 0;
    loop {
        let n = f.read(&mut buf[keep..]).expect("read image");
        if n == 0 {
            return false;
        }
        let hay = &buf[..keep + n];
        if needles.iter().any(|nd| contains(hay, nd)) {
            return true;
        }
        keep = longest.saturating_sub(1).min(hay.len());
        let from = hay.len() - keep;
        buf.copy_within(from..from + keep, 0);
    }
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else { return true };
    let mut i = 0;
    while let Some(p) = hay[i..].iter().position(|&b| b == first) {
        let at = i + p;
        if hay.len() - at - 1 < rest.len() {
            return false;
        }
        if &hay[at + 1..at + 1 + rest.len()] == rest {
            return true;
        }
        i = at + 1;
    }
    false
}

/// A sparse image file with a fresh filesystem, mounted; unmounted (and its loop
/// device freed) on drop.
pub struct Image {
    pub dir: tempfile::TempDir,
    pub image: PathBuf,
    pub mnt: PathBuf,
    pub fuse: bool,
    mounted: bool,
}

impl Image {
    pub fn new(fstype: &str, size_mib: u64) -> Image {
        // Not under /tmp: that may be a tmpfs, and the image must sit on a disk
        // filesystem for `--device IMAGE` to plan it like a real one.
        let dir = tempfile::Builder::new().prefix("custody-wipe-img").tempdir_in("/var/tmp").expect("tempdir");
        let image = dir.path().join(format!("{fstype}.img"));
        File::create(&image).and_then(|f| f.set_len(size_mib << 20)).expect("image file");
        let img = image.to_str().expect("utf-8 path");
        match fstype {
            "ext4" => run("mkfs.ext4", &["-q", "-F", img]),
            "xfs" => run("mkfs.xfs", &["-q", "-f", img]),
            "btrfs" => run("mkfs.btrfs", &["-q", "-f", img]),
            "vfat" => run("mkfs.vfat", &["-F", "32", img]),
            _ => panic!("fstype {fstype}"),
        }
        let mnt = dir.path().join("mnt");
        std::fs::create_dir(&mnt).expect("mount point");
        let mut me = Image { dir, image, mnt, fuse: fstype == "vfat", mounted: false };
        me.mount();
        me
    }

    pub fn mount(&mut self) {
        let img = self.image.to_str().expect("utf-8 path");
        let mnt = self.mnt.to_str().expect("utf-8 path");
        if self.fuse {
            run("fusefat", &["-o", "rw+", img, mnt]);
        } else {
            run("mount", &["-o", "loop", img, mnt]);
        }
        self.mounted = true;
    }

    /// The loop device the image is mounted through.
    pub fn loop_device(&self) -> PathBuf {
        let src = output("findmnt", &["-n", "-o", "SOURCE", "--mountpoint", self.mnt.to_str().expect("utf-8 path")]);
        let src = src.trim();
        assert!(src.starts_with("/dev/loop"), "mount source {src:?}");
        PathBuf::from(src)
    }

    /// Unmount, and wait until no loop device holds the image any more (the loop
    /// device's auto-clear can lag the umount a little).
    pub fn umount(&mut self) {
        if !self.mounted {
            return;
        }
        run("sync", &[]);
        run("umount", &[self.mnt.to_str().expect("utf-8 path")]);
        self.mounted = false;
        for _ in 0..100 {
            let held = output("losetup", &["-j", self.image.to_str().expect("utf-8 path")]);
            if held.trim().is_empty() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("{} is still attached to a loop device", self.image.display());
    }

    /// Unmount, then whether any needle is anywhere in the raw image.
    pub fn raw_contains_any(&mut self, needles: &[&[u8]]) -> bool {
        self.umount();
        file_contains_any(&self.image, needles)
    }
}

impl Drop for Image {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg(&self.mnt).status();
            // Something still inside (a failed test's child process): detach lazily so
            // the loop device does not stay behind.
            let _ = Command::new("umount").arg("-l").arg(&self.mnt).stderr(std::process::Stdio::null()).status();
        }
        // Loop devices set up with `-o loop` clear themselves on umount; one left
        // behind by an interrupted umount is freed here.
        if let Some(img) = self.image.to_str() {
            let _ = Command::new("losetup").args(["-j", img]).output().map(|o| {
                for line in String::from_utf8_lossy(&o.stdout).lines() {
                    if let Some(dev) = line.split(':').next() {
                        let _ = Command::new("losetup").args(["-d", dev]).status();
                    }
                }
            });
        }
    }
}

/// A tree whose file contents carry `content` and names carry `name`'s hex; one file
/// has a Japanese name unless `ascii` (fusefat takes ASCII names only). Returns the root.
pub fn marked_tree(base: &Path, content: &Marker, name: &Marker, ascii: bool) -> PathBuf {
    let (person, folder) = if ascii { ("yamada_taro", "shinseisho") } else { ("山田太郎", "申請書類") };
    let root = base.join("work");
    let sub = root.join(folder).join("2026");
    std::fs::create_dir_all(&sub).expect("mkdir");
    // Around a block, a few blocks, and one above the engine's O_DIRECT threshold.
    let sizes = [1usize, 100, 4095, 4096, 4097, 65_536, (1 << 20) + 3, (9 << 20) + 17];
    for (i, s) in sizes.iter().enumerate() {
        let dir = if i % 2 == 0 { &root } else { &sub };
        std::fs::write(dir.join(format!("{person}_{}_{i}.pdf", name.hex())), content.fill(*s)).expect("write");
    }
    // A long name: FAT LFN slots, ext4 entries that are not the shortest.
    std::fs::write(sub.join(format!("{}_{}_long_name_of_a_resident.txt", name.hex(), name.hex())), content.fill(5000))
        .expect("write");
    root
}

/// Files the tree above holds.
pub const TREE_FILES: u64 = 9;
