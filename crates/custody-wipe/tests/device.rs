//! Whole-media wipes: image files, loop block devices, and the refusals.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use common::*;
use custody_wipe::*;

fn marked_image(dir: &Path, mib: usize, m: &Marker) -> PathBuf {
    let p = dir.join("media.img");
    std::fs::write(&p, m.fill(mib << 20)).unwrap();
    p
}

fn opts() -> WipeOptions {
    let mut o = WipeOptions::new("t");
    o.home = None;
    o
}

#[test]
fn image_file_full_verify_leaves_no_marker() {
    let dir = tempfile::tempdir_in("/var/tmp").unwrap();
    let m = Marker::new();
    let img = marked_image(dir.path(), 24, &m);
    let plan = plan_device(&img, &opts()).unwrap();
    assert_eq!(plan.info.kind, "image_file");
    assert_eq!(plan.info.size, 24 << 20);
    let rec = execute_device(&plan, &opts(), &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(rec.outcome(), Outcome::AllErased);
    let it = &rec.items[0];
    assert_eq!(it.result, ItemResult::Overwritten);
    let v = it.verification.as_ref().unwrap();
    assert!(v.passed);
    assert_eq!(v.bytes_read, 24 << 20);
    assert_eq!(v.read, "o_direct");
    let raw = std::fs::read(&img).unwrap();
    assert!(!contains(&raw, &m.bytes));
    assert_eq!(raw.len(), 24 << 20);
}

#[test]
fn sampled_verification_follows_the_nist_recipe() {
    let dir = tempfile::tempdir_in("/var/tmp").unwrap();
    let m = Marker::new();
    let img = marked_image(dir.path(), 100, &m);
    let mut o = opts();
    o.verify = VerifyMode::Sample;
    o.method = Method::NistClear;
    let plan = plan_device(&img, &o).unwrap();
    let rec = execute_device(&plan, &o, &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(rec.outcome(), Outcome::AllErased);
    let d = rec.device.as_ref().unwrap();
    assert!(d.sample_ranges.unwrap() >= 1000, "{d:?}");
    assert!(d.sample_bytes.unwrap() * 10 >= 100 << 20, "{d:?}");
    assert!(d.sample_bytes.unwrap() < 100 << 20);
    // nist-clear ends with the complement pattern 0xAA everywhere.
    let raw = std::fs::read(&img).unwrap();
    assert!(raw.iter().all(|&b| b == 0xAA));
}

#[test]
fn zero_method_on_a_loop_block_device() {
    if !can_mount(&["losetup"]) {
        return;
    }
    let dir = tempfile::tempdir_in("/var/tmp").unwrap();
    let m = Marker::new();
    let img = marked_image(dir.path(), 16, &m);
    let loopdev = output("losetup", &["-f", "--show", img.to_str().unwrap()]).trim().to_owned();
    struct Detach(String);
    impl Drop for Detach {
        fn drop(&mut self) {
            let _ = std::process::Command::new("losetup").args(["-d", &self.0]).status();
        }
    }
    let _d = Detach(loopdev.clone());
    // The image is in use by the loop device: refused as an image.
    assert!(matches!(plan_device(&img, &opts()), Err(WipeError::Refused { reason: RefuseReason::MountedDevice, .. })));
    let mut o = opts();
    o.method = Method::Zero;
    let plan = plan_device(Path::new(&loopdev), &o).unwrap();
    assert_eq!(plan.info.kind, "block_device");
    assert_eq!(plan.info.size, 16 << 20);
    assert_eq!(plan.info.bus.as_deref(), Some("loop"));
    let rec = execute_device(&plan, &o, &NoProgress, &AtomicBool::new(false)).unwrap();
    assert_eq!(rec.outcome(), Outcome::AllErased);
    drop(_d);
    let raw = std::fs::read(&img).unwrap();
    assert!(raw.iter().all(|&b| b == 0));
}

#[test]
fn mounted_device_is_refused() {
    if !can_mount(&["mkfs.ext4"]) {
        return;
    }
    let img = Image::new("ext4", 16);
    let mi = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    let mnt = img.mnt.to_str().unwrap().to_owned();
    let src = mi
        .lines()
        .find(|l| l.split(' ').nth(4) == Some(&mnt))
        .and_then(|l| l.split(" - ").nth(1))
        .and_then(|r| r.split(' ').nth(1))
        .unwrap()
        .to_owned();
    let r = plan_device(Path::new(&src), &opts());
    assert!(matches!(r, Err(WipeError::Refused { reason: RefuseReason::MountedDevice, .. })), "{r:?}");
}

#[test]
fn system_disk_is_refused() {
    let mi = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    let Some(src) = mi
        .lines()
        .find(|l| l.split(' ').nth(4) == Some("/"))
        .and_then(|l| l.split(" - ").nth(1))
        .and_then(|r| r.split(' ').nth(1))
        .filter(|s| s.starts_with("/dev/"))
    else {
        skip("root is not on a block device here");
        return;
    };
    let r = plan_device(Path::new(src), &opts());
    assert!(matches!(r, Err(WipeError::Refused { reason: RefuseReason::SystemDisk, .. })), "{r:?}");
}

#[test]
fn missing_device_is_refused() {
    let r = plan_device(Path::new("/nonexistent/disk.img"), &opts());
    assert!(matches!(r, Err(WipeError::Refused { reason: RefuseReason::NotFound, .. })));
}
