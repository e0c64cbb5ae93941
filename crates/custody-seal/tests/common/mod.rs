#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::DateTime;
use custody_seal::{LabelInfo, ManifestMeta, PayloadId};
use secrecy::SecretString;

pub const PASS: &str = "7K3QD-M9XRT-VW2HZ-4PGN8";

pub fn pass() -> SecretString {
    SecretString::from(PASS.to_owned())
}

pub fn meta() -> ManifestMeta {
    ManifestMeta {
        payload_id: "20261124-0123ABCD".parse::<PayloadId>().unwrap(),
        created: DateTime::parse_from_rfc3339("2026-11-24T09:30:00+09:00").unwrap(),
        categories: vec!["氏名".into(), "住所".into()],
    }
}

pub fn info() -> LabelInfo {
    LabelInfo {
        issuer: "新宿区".into(),
        recipient: Some("株式会社サンプル".into()),
        contract: Some("R7-123".into()),
        notice_id: "N-20261124-01".into(),
        sealed_by: "RWQ4M2ZK".into(),
    }
}

pub fn write(p: &Path, data: &[u8]) {
    if let Some(d) = p.parent() {
        fs::create_dir_all(d).unwrap();
    }
    fs::File::create(p).unwrap().write_all(data).unwrap();
}

/// Sorted relative listing of a tree: (path, is_dir, content).
pub fn listing(root: &Path) -> Vec<(String, bool, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_str().unwrap().to_owned();
            let m = fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                out.push((rel, true, Vec::new()));
                stack.push(p);
            } else {
                out.push((rel, false, fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Names directly inside `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

pub fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// A sample tree: Japanese names, empty file, empty dir, nested dirs, a long path.
pub fn sample_tree(root: &Path) {
    write(&root.join("山田太郎_申請書.pdf"), b"%PDF-1.7 fake\n");
    write(&root.join("empty.txt"), b"");
    fs::create_dir_all(root.join("空のフォルダ")).unwrap();
    write(&root.join("a/b/c.csv"), "氏名,住所\n山田,新宿\n".as_bytes());
    let long = format!("{}/{}.txt", "長い名前のフォルダ".repeat(3), "x".repeat(120));
    write(&root.join(&long), &vec![7u8; 70_000]);
}

/// Encrypts `plain` to an age file with one scrypt recipient.
pub fn age_wrap(plain: &[u8], passphrase: &str, work_factor: u8) -> Vec<u8> {
    let mut r = age::scrypt::Recipient::new(SecretString::from(passphrase.to_owned()));
    r.set_work_factor(work_factor);
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).unwrap();
    w.write_all(plain).unwrap();
    w.finish().unwrap();
    out
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

pub fn p(dir: &tempfile::TempDir, rel: &str) -> PathBuf {
    dir.path().join(rel)
}
