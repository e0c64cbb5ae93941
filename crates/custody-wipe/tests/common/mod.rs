//! Real filesystem images for the erasure tests: made with mkfs, mounted through loop
//! devices or fusefat, searched byte by byte after the wipe.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use custody_wipe::{Phase, Progress};

#[path = "../../../../tests/common/skip.rs"]
mod skip;
// Not every test binary that includes this module uses both.
#[allow(unused_imports)]
pub use skip::{is_root, skip};

/// Returns false (and says why, see tests/common/skip.rs) when the test cannot run here.
pub fn can_mount(tools: &[&str]) -> bool {
    skip::need_root("mount filesystem images") && skip::need_tools(tools)
}

pub fn run(cmd: &str, args: &[&str]) {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(out.status.success(), "{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

pub fn output(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub struct Marker {
    pub bytes: [u8; 16],
}

impl Marker {
    pub fn new() -> Self {
        let mut bytes = [0u8; 16];
        custody_fsio::fill_random(&mut bytes).unwrap();
        Marker { bytes }
    }
    pub fn hex(&self) -> String {
        hex::encode(self.bytes)
    }
    /// Contents: the marker repeated to `len` bytes.
    pub fn fill(&self, len: usize) -> Vec<u8> {
        self.bytes.iter().copied().cycle().take(len).collect()
    }
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

pub fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// A mounted filesystem image; unmounted (and its loop device freed) on drop.
pub struct Image {
    pub dir: tempfile::TempDir,
    pub image: PathBuf,
    pub mnt: PathBuf,
    pub fuse: bool,
    mounted: bool,
}

impl Image {
    pub fn new(fstype: &str, size_mib: u64) -> Image {
        let dir = tempfile::Builder::new().prefix("wipe-img").tempdir_in("/var/tmp").unwrap();
        let image = dir.path().join(format!("{fstype}.img"));
        let f = std::fs::File::create(&image).unwrap();
        f.set_len(size_mib << 20).unwrap();
        drop(f);
        let img = image.to_str().unwrap();
        match fstype {
            "ext4" => run("mkfs.ext4", &["-q", "-F", img]),
            "xfs" => run("mkfs.xfs", &["-q", "-f", img]),
            "btrfs" => run("mkfs.btrfs", &["-q", "-f", img]),
            "vfat" => run("mkfs.vfat", &["-F", "32", img]),
            _ => panic!("fstype {fstype}"),
        }
        let mnt = dir.path().join("mnt");
        std::fs::create_dir(&mnt).unwrap();
        let mut me = Image { dir, image, mnt, fuse: fstype == "vfat", mounted: false };
        me.mount(&[]);
        me
    }

    pub fn mount(&mut self, opts: &[&str]) {
        let img = self.image.to_str().unwrap().to_owned();
        let mnt = self.mnt.to_str().unwrap().to_owned();
        if self.fuse {
            run("fusefat", &["-o", "rw+", &img, &mnt]);
        } else {
            let o = if opts.is_empty() { "loop".to_string() } else { format!("loop,{}", opts.join(",")) };
            run("mount", &["-o", &o, &img, &mnt]);
        }
        self.mounted = true;
    }

    pub fn umount(&mut self) {
        if self.mounted {
            run("sync", &[]);
            run("umount", &[self.mnt.to_str().unwrap()]);
            self.mounted = false;
        }
    }

    /// Unmount and read the whole raw image.
    pub fn raw(&mut self) -> Vec<u8> {
        self.umount();
        std::fs::read(&self.image).unwrap()
    }
}

impl Drop for Image {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg(&self.mnt).status();
        }
    }
}

/// Counts progress and raises a cancel flag after `after` hashing advances.
pub struct CancelAfter<'a> {
    pub cancel: &'a AtomicBool,
    pub after: u64,
    pub hashing: AtomicBool,
    pub seen: AtomicU64,
}

impl Progress for CancelAfter<'_> {
    fn phase(&self, phase: Phase, _: u64) {
        self.hashing.store(phase == Phase::Hashing, Ordering::SeqCst);
    }
    fn advance(&self, _: u64) {
        if self.hashing.load(Ordering::SeqCst) && self.seen.fetch_add(1, Ordering::SeqCst) + 1 >= self.after {
            self.cancel.store(true, Ordering::SeqCst);
        }
    }
}

/// A tree of files whose contents and names carry markers; returns the root.
/// fusefat takes ASCII names only: `ascii` swaps the Japanese parts for romaji.
pub fn marked_tree_with(base: &Path, content: &Marker, name: &Marker, ascii: bool) -> PathBuf {
    let (person, folder) = if ascii { ("yamada_taro", "shinseisho") } else { ("山田太郎", "申請書類") };
    let root = base.join("work");
    let sub = root.join(folder).join("2026");
    std::fs::create_dir_all(&sub).unwrap();
    // The last one is above the size where reads and writes go through O_DIRECT and a
    // second thread.
    let sizes = [1usize, 100, 4095, 4096, 4097, 65_536, 1 << 20, (3 << 20) + 17, (12 << 20) + 5];
    for (i, s) in sizes.iter().enumerate() {
        let dir = if i % 2 == 0 { &root } else { &sub };
        std::fs::write(dir.join(format!("{person}_{}_{i}.pdf", name.hex())), content.fill(*s)).unwrap();
    }
    // A long name, for LFN slots and ext4 entries that are not the shortest.
    std::fs::write(sub.join(format!("{}_{}_long_name_of_a_resident.txt", name.hex(), name.hex())), content.fill(5000))
        .unwrap();
    root
}

pub fn marked_tree(base: &Path, content: &Marker, name: &Marker) -> PathBuf {
    marked_tree_with(base, content, name, false)
}
