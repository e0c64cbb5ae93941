//! Wipes on real filesystem images (ext4 and xfs through loop devices, FAT through
//! fusefat, btrfs), then searches the raw image for the markers written before.
//! Needs root; skips with a message otherwise.

mod common;

use std::sync::atomic::AtomicBool;

use common::*;
use custody_wipe::*;

struct Found {
    contents: bool,
    names_raw: bool,
    fls_lines: Vec<String>,
}

fn wipe_tree_on(fstype: &str, size_mib: u64) -> Option<(ErasureRecord, Found)> {
    let tools: &[&str] = match fstype {
        "vfat" => &["mkfs.vfat", "fusefat", "fls"],
        "xfs" => &["mkfs.xfs", "fls"],
        "btrfs" => &["mkfs.btrfs", "fls"],
        _ => &["mkfs.ext4", "fls"],
    };
    if !can_mount(tools) {
        return None;
    }
    let mut img = Image::new(fstype, size_mib);
    let content = Marker::new();
    let name = Marker::new();
    let root = marked_tree_with(&img.mnt, &content, &name, fstype == "vfat");
    let outside = img.mnt.join("keep.txt");
    std::fs::write(&outside, b"keep me").unwrap();
    if fstype != "vfat" {
        std::os::unix::fs::symlink(&outside, root.join("link-out")).unwrap();
    }
    run("sync", &[]);
    if !img.fuse {
        let before = std::fs::read(&img.image).unwrap();
        assert!(contains(&before, &content.bytes), "{fstype}: marker not on the image before the wipe");
    }

    let mut opts = WipeOptions::new("test operator");
    opts.home = None;
    let plan = plan(std::slice::from_ref(&root), &opts).unwrap();
    assert!(plan.files >= 10, "{fstype}: planned {} files", plan.files);
    let rec = execute(&plan, &opts, &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(rec.outcome(), Outcome::AllErased, "{fstype}: {:#?}", rec.items);
    for it in &rec.items {
        assert!(matches!(it.result, ItemResult::Erased | ItemResult::Removed), "{fstype}: {it:?}");
        if it.kind == ItemKind::File {
            assert!(it.verification.as_ref().unwrap().passed);
            assert!(it.content_sha256.is_some());
        }
    }
    assert!(!root.exists());
    assert_eq!(std::fs::read(&outside).unwrap(), b"keep me", "{fstype}: symlink target touched");

    let raw = img.raw();
    let hexname = name.hex();
    let found = Found {
        contents: contains(&raw, &content.bytes),
        names_raw: contains(&raw, hexname.as_bytes()) || contains(&raw, &utf16le(&hexname)),
        fls_lines: output("fls", &["-r", "-d", "-p", img.image.to_str().unwrap()])
            .lines()
            .filter(|l| l.contains(&hexname))
            .map(str::to_owned)
            .collect(),
    };
    eprintln!(
        "{fstype}: contents marker in raw image: {}; name marker in raw image: {}; fls -r -d lines with the name: {}",
        found.contents,
        found.names_raw,
        found.fls_lines.len()
    );
    for l in &found.fls_lines {
        eprintln!("{fstype}:   fls: {l}");
    }
    if found.names_raw || !found.fls_lines.is_empty() {
        // Honesty: wherever names survive, the record must say they may.
        for it in rec.items.iter().filter(|i| i.kind == ItemKind::File) {
            assert_eq!(it.names, NameResidue::MayRemain, "{fstype}: names survive but record says {:?}", it.names);
        }
    }
    Some((rec, found))
}

#[test]
fn r07_ext4_tree_wipe_leaves_no_contents_and_reports_names_honestly() {
    if let Some((rec, found)) = wipe_tree_on("ext4", 64) {
        assert!(!found.contents, "content marker survives on ext4");
        let fs = &rec.filesystems[0];
        assert_eq!(fs.fstype, "ext4");
        assert!(fs.caveats.contains(&Caveat::JournalMayKeepNames));
    }
}

#[test]
fn r07_xfs_tree_wipe_leaves_no_contents() {
    if let Some((rec, found)) = wipe_tree_on("xfs", 320) {
        assert!(!found.contents, "content marker survives on xfs");
        assert_eq!(rec.filesystems[0].fstype, "xfs");
    }
}

#[test]
fn r07_fat_tree_wipe_through_fusefat_leaves_no_contents() {
    if let Some((rec, found)) = wipe_tree_on("vfat", 64) {
        assert!(!found.contents, "content marker survives on FAT");
        assert!(rec.filesystems[0].caveats.contains(&Caveat::Fuse));
        // FUSE: we cannot know where bytes go, so never Clear.
        for it in rec.items.iter().filter(|i| i.kind == ItemKind::File) {
            assert_eq!(it.assurance, Assurance::NotAssured);
        }
    }
}

#[test]
fn r07_btrfs_record_says_overwrite_is_not_assured() {
    if let Some((rec, found)) = wipe_tree_on("btrfs", 128) {
        assert!(rec.filesystems[0].caveats.contains(&Caveat::CopyOnWrite));
        for it in rec.items.iter().filter(|i| i.kind == ItemKind::File) {
            assert_eq!(it.assurance, Assurance::NotAssured, "{it:?}");
            assert!(it.caveats.contains(&Caveat::CopyOnWrite));
        }
        eprintln!("btrfs: contents marker survives copy-on-write: {}", found.contents);
    }
}

#[test]
fn read_only_filesystem_is_a_per_item_problem() {
    if !can_mount(&["mkfs.ext4"]) {
        return;
    }
    let mut img = Image::new("ext4", 32);
    let m = Marker::new();
    let root = marked_tree(&img.mnt, &m, &Marker::new());
    img.umount();
    img.mount(&["ro"]);
    let mut opts = WipeOptions::new("t");
    opts.home = None;
    let plan = plan(std::slice::from_ref(&root), &opts).unwrap();
    let rec = execute(&plan, &opts, &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(rec.outcome(), Outcome::SomeFailed);
    let f = rec.items.iter().find(|i| i.kind == ItemKind::File).unwrap();
    assert_eq!(f.problem, Some(Problem::ReadOnlyFilesystem));
    assert!(f.still_reachable);
    assert_eq!(f.assurance, Assurance::None);
}

#[test]
fn immutable_file_is_permission_denied_and_the_rest_goes_on() {
    if !can_mount(&["mkfs.ext4", "chattr"]) {
        return;
    }
    let img = Image::new("ext4", 32);
    let root = marked_tree(&img.mnt, &Marker::new(), &Marker::new());
    let locked = root.join("locked.bin");
    std::fs::write(&locked, b"locked").unwrap();
    run("chattr", &["+i", locked.to_str().unwrap()]);
    let mut opts = WipeOptions::new("t");
    opts.home = None;
    let plan = plan(std::slice::from_ref(&root), &opts).unwrap();
    let rec = execute(&plan, &opts, &NoProgress, &AtomicBool::new(false)).unwrap();
    run("chattr", &["-i", locked.to_str().unwrap()]);
    assert_eq!(rec.outcome(), Outcome::SomeFailed);
    let failed: Vec<_> = rec.items.iter().filter(|i| i.result == ItemResult::Failed).collect();
    assert!(failed.iter().any(|i| i.problem == Some(Problem::PermissionDenied)));
    // The directory holding it stays, the rest is erased.
    assert!(failed.iter().any(|i| i.problem == Some(Problem::NotEmpty)));
    assert_eq!(rec.items.iter().filter(|i| i.result == ItemResult::Erased).count(), 10);
    assert_eq!(std::fs::read(&locked).unwrap(), b"locked");
}
