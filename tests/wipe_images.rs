//! `custody wipe` through the binary on real filesystem images (R7): ext4 and xfs on
//! loop devices, FAT through fusefat, btrfs; then the raw image is searched for the
//! markers written before. Contents must be gone everywhere; a name may survive only
//! where the record says names may remain. Whole-media wipes of an image file, and the
//! refusal of a mounted loop device. Needs root and the mkfs tools; skips with a
//! `SKIP` line on stderr otherwise.

mod common;
#[path = "common/images.rs"]
mod images;

use std::fs;
use std::path::Path;

use common::*;
use images::*;

fn record_of(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).expect("record copy")).expect("record JSON")
}

fn files(rec: &serde_json::Value) -> Vec<&serde_json::Value> {
    rec["items"].as_array().expect("items").iter().filter(|i| i["kind"] == "file").collect()
}

/// Wipes a marked tree on a fresh `fstype` image with `custody --json wipe --yes
/// --record`, checks the run, then returns the JSON summary, the record and whether
/// the contents marker is still on the raw image. Names are checked here.
fn wipe_tree_on(test: &str, fstype: &str, size_mib: u64) -> Option<(serde_json::Value, serde_json::Value, bool)> {
    let tools: &[&str] = match fstype {
        "vfat" => &["mkfs.vfat", "fusefat"],
        "xfs" => &["mkfs.xfs"],
        "btrfs" => &["mkfs.btrfs"],
        _ => &["mkfs.ext4"],
    };
    if !can_mount(test, tools) {
        return None;
    }
    let p = Person::init("株式会社サンプル", "佐藤");
    let mut img = Image::new(fstype, size_mib);
    let content = Marker::new();
    let name = Marker::new();
    let root = marked_tree(&img.mnt, &content, &name, img.fuse);
    let outside = img.mnt.join("keep.txt");
    fs::write(&outside, b"keep me").unwrap();
    if !img.fuse {
        std::os::unix::fs::symlink(&outside, root.join("link-out")).unwrap();
        run("sync", &[]);
        // Otherwise a clean search afterwards would prove nothing.
        assert!(file_contains_any(&img.image, &[&content.bytes]), "{fstype}: marker not on the image before the wipe");
    }

    let record = p.path("erasure.json");
    let out = p.cmd().args(["--json", "wipe", "--yes", "--record"]).arg(&record).arg(&root).output().unwrap();
    assert_ok(&out);
    let j = json(&out);
    assert_eq!(j["outcome"], "all-erased", "{fstype}: {j}");
    assert_eq!(j["failed"], 0);
    assert!(!root.exists(), "{fstype}: the tree is gone");
    assert_eq!(fs::read(&outside).unwrap(), b"keep me", "{fstype}: symlink target touched");
    let rec = record_of(&record);
    assert_eq!(files(&rec).len() as u64, TREE_FILES, "{fstype}");
    for f in files(&rec) {
        assert_eq!(f["result"], "erased", "{fstype}: {f}");
        assert_eq!(f["verification"]["passed"], true, "{fstype}: {f}");
    }

    let hexname = name.hex();
    let contents = img.raw_contains_any(&[&content.bytes]);
    let names_raw = file_contains_any(&img.image, &[hexname.as_bytes(), &utf16le(&hexname)]);
    let fls = if installed("fls") {
        output("fls", &["-r", "-d", "-p", img.image.to_str().unwrap()]).lines().filter(|l| l.contains(&hexname)).count()
    } else {
        0
    };
    eprintln!(
        "{fstype}: contents marker on the raw image: {contents}; name marker: {names_raw}; fls -r -d lines: {fls}"
    );
    if names_raw || fls > 0 {
        // Honesty: wherever names survive, the record must say they may.
        for f in files(&rec) {
            assert_eq!(f["names"], "may-remain", "{fstype}: names survive but the record says {}", f["names"]);
        }
    }
    Some((j, rec, contents))
}

#[test]
fn r07_ext4_tree_wipe_through_the_binary_leaves_no_contents() {
    if let Some((j, rec, contents)) = wipe_tree_on("ext4 tree", "ext4", 64) {
        assert!(!contents, "content marker survives on ext4");
        assert_eq!(rec["filesystems"][0]["fstype"], "ext4");
        assert!(j["assurance"]["clear"].as_u64().unwrap_or(0) >= TREE_FILES, "{j}");
    }
}

#[test]
fn r07_xfs_tree_wipe_through_the_binary_leaves_no_contents() {
    // mkfs.xfs wants at least 300 MiB; the file is sparse.
    if let Some((j, rec, contents)) = wipe_tree_on("xfs tree", "xfs", 320) {
        assert!(!contents, "content marker survives on xfs");
        assert_eq!(rec["filesystems"][0]["fstype"], "xfs");
        assert!(j["assurance"]["clear"].as_u64().unwrap_or(0) >= TREE_FILES, "{j}");
    }
}

#[test]
fn r07_fat_tree_wipe_through_fusefat_leaves_no_contents_and_is_not_assured() {
    if let Some((j, rec, contents)) = wipe_tree_on("FAT tree", "vfat", 64) {
        assert!(!contents, "content marker survives on FAT");
        let caveats = rec["filesystems"][0]["caveats"].as_array().unwrap();
        assert!(caveats.iter().any(|c| c == "fuse"), "{caveats:?}");
        // Through FUSE nobody can know where the bytes went: never a Clear.
        assert!(j["assurance"].get("clear").is_none(), "{j}");
        for f in files(&rec) {
            assert_eq!(f["assurance"], "not-assured", "{f}");
        }
    }
}

#[test]
fn r07_btrfs_tree_wipe_says_the_overwrite_is_not_assured() {
    if let Some((j, rec, contents)) = wipe_tree_on("btrfs tree", "btrfs", 128) {
        assert_eq!(j["assurance"]["not-assured"].as_u64(), Some(TREE_FILES), "{j}");
        assert!(j["assurance"].get("clear").is_none(), "{j}");
        let fs0 = &rec["filesystems"][0];
        assert_eq!(fs0["fstype"], "btrfs");
        assert!(fs0["caveats"].as_array().unwrap().iter().any(|c| c == "copy-on-write"), "{fs0}");
        for f in files(&rec) {
            assert_eq!(f["assurance"], "not-assured", "{f}");
            assert!(f["caveats"].as_array().unwrap().iter().any(|c| c == "copy-on-write"), "{f}");
        }
        eprintln!("btrfs: contents marker survives copy-on-write: {contents}");
    }
}

#[test]
fn r07_device_wipe_of_an_image_leaves_no_marker_and_a_mounted_loop_device_is_refused() {
    let test = "device wipe";
    if !can_mount(test, &["mkfs.ext4", "findmnt", "losetup"]) {
        return;
    }
    let p = Person::init("株式会社サンプル", "佐藤");
    let mut img = Image::new("ext4", 64);
    let content = Marker::new();
    let name = Marker::new();
    marked_tree(&img.mnt, &content, &name, false);

    // Mounted: neither the loop device nor its backing file may be wiped.
    let loopdev = img.loop_device();
    for target in [&loopdev, &img.image] {
        let out = p.cmd().args(["--json", "wipe", "--yes", "--device"]).arg(target).output().unwrap();
        assert_exit(&out, 8);
        assert_eq!(json(&out)["error"]["code"], "wipe-refused", "{}", target.display());
    }
    assert!(img.mnt.join("work").exists(), "a refused wipe changes nothing");

    let hexname = name.hex();
    let needles: [&[u8]; 3] = [&content.bytes, hexname.as_bytes(), &utf16le(&hexname)];
    assert!(img.raw_contains_any(&needles[..1]), "marker not on the image before the wipe");
    let record = p.path("device.json");
    let out = p
        .cmd()
        .args(["--json", "wipe", "--yes", "--record"])
        .arg(&record)
        .arg("--device")
        .arg(&img.image)
        .output()
        .unwrap();
    assert_ok(&out);
    let j = json(&out);
    assert_eq!(j["outcome"], "all-erased", "{j}");
    assert_eq!(j["items"], 1);
    let rec = record_of(&record);
    let dev = &rec["device"];
    assert_eq!(dev["kind"], "image_file", "{dev}");
    assert_eq!(dev["size"], 64u64 << 20, "{dev}");
    assert_eq!(rec["filesystems"].as_array().map(Vec::len), Some(0));
    let item = &rec["items"][0];
    assert_eq!(item["kind"], "device");
    assert_eq!(item["result"], "overwritten");
    assert_eq!(fs::metadata(&img.image).unwrap().len(), 64 << 20, "the image keeps its size");
    assert!(!file_contains_any(&img.image, &needles), "a marker survives a whole-image wipe");
    let erased = p.ledger_lines().into_iter().find(|l| l["kind"] == "erased").expect("erased entry");
    assert_eq!(erased["body"]["record_sha256"], j["record_sha256"]);
}
