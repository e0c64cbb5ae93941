//! R1: a payload opens with stock tools only: `age -d` (driven through a pty, since age
//! reads passphrases from the terminal), `tar x`, `sha256sum`.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use custody_seal::{scan, seal_to_media};
use sha2::{Digest, Sha256};

#[path = "../../../tests/common/skip.rs"]
mod skip;

#[test]
fn r01_stock_age_and_tar_extract_the_original_tree() {
    if !skip::need_tools(&["age", "python3", "tar"]) {
        return;
    }
    let t = tmp();
    let src = p(&t, "src");
    sample_tree(&src);
    let media = p(&t, "media");
    fs::create_dir(&media).unwrap();
    let sealed = seal_to_media(&scan(&src).unwrap(), &meta(), &info(), &pass(), &media, &|_| {}).unwrap();

    let passfile = p(&t, "pass");
    fs::write(&passfile, PASS).unwrap();
    let tarfile = p(&t, "plain.tar");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/agepty.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(&passfile)
        .args(["age", "-d", "-o"])
        .arg(&tarfile)
        .arg(&sealed.payload_path)
        .output()
        .unwrap();
    assert!(out.status.success(), "age -d failed: {}", String::from_utf8_lossy(&out.stderr));

    let x = p(&t, "x");
    fs::create_dir(&x).unwrap();
    let st = Command::new("tar").arg("-xf").arg(&tarfile).arg("-C").arg(&x).status().unwrap();
    assert!(st.success());
    let manifest = fs::read(x.join("MANIFEST.json")).unwrap();
    assert_eq!(<[u8; 32]>::from(Sha256::digest(&manifest)), sealed.outcome.manifest_root);
    fs::remove_file(x.join("MANIFEST.json")).unwrap();
    assert_eq!(listing(&src), listing(&x));

    // The listing stock tar shows: fixed owner, modes and times.
    let tv = Command::new("tar").args(["--numeric-owner", "-tvf"]).arg(&tarfile).output().unwrap();
    let tv = String::from_utf8(tv.stdout).unwrap();
    for line in tv.lines() {
        assert!(line.starts_with("drwxr-xr-x 0/0") || line.starts_with("-rw-r--r-- 0/0"), "{line}");
    }
    assert!(tv.lines().last().unwrap().ends_with("MANIFEST.json"));
}
