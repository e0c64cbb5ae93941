//! R1/R9: a sealed folder opens back byte for byte, owner-only, with its manifest.

mod common;

use std::fs;

use common::*;
use custody_seal::{open, scan, seal_to_media, Label, OpenError};
use sha2::{Digest, Sha256};

#[test]
fn r01_seal_then_open_restores_tree_byte_for_byte() {
    let t = tmp();
    let src = p(&t, "src");
    sample_tree(&src);
    let media = p(&t, "media");
    fs::create_dir(&media).unwrap();

    let tree = scan(&src).unwrap();
    assert_eq!(tree.file_count(), 4);
    let sealed = seal_to_media(&tree, &meta(), &info(), &pass(), &media, &|_| {}).unwrap();
    assert_eq!(names(&media), vec!["20261124-0123ABCD.age", "20261124-0123ABCD.label.json"]);
    let bytes = fs::read(&sealed.payload_path).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "));
    assert!(String::from_utf8_lossy(&bytes[..200]).contains(" 18\n"));
    assert_eq!(bytes.len() as u64, sealed.label.ciphertext_size);
    assert_eq!(<[u8; 32]>::from(Sha256::digest(&bytes)), sealed.label.ciphertext_sha256);

    let label = Label::read(&sealed.label_path).unwrap();
    assert_eq!(label, sealed.label);
    let label_text = fs::read_to_string(&sealed.label_path).unwrap();
    assert!(!label_text.contains("山田"), "label must carry no file names");
    let fp = label.fingerprint();
    assert_eq!(fp.len(), 19);
    assert_eq!(fp.matches('-').count(), 3);

    let dest = p(&t, "work");
    let opened = open(&sealed.payload_path, &pass(), &dest, Some(&label), &|_| {}).unwrap();
    assert_eq!(listing(&src), listing(&dest));
    assert_eq!(opened.file_count, 4);
    assert_eq!(opened.manifest_root, sealed.outcome.manifest_root);
    assert_eq!(opened.manifest, sealed.outcome.manifest);
    assert_eq!(mode(&dest), 0o700);
    assert_eq!(mode(&dest.join("a/b")), 0o700);
    assert_eq!(mode(&dest.join("山田太郎_申請書.pdf")), 0o600);
    // Only the destination appeared beside the staging area.
    assert_eq!(names(t.path()), vec!["media", "src", "work"]);
}

#[test]
fn r09_open_into_existing_empty_dir_and_refuse_non_empty() {
    let t = tmp();
    let src = p(&t, "src");
    sample_tree(&src);
    let media = p(&t, "media");
    fs::create_dir(&media).unwrap();
    let sealed = seal_to_media(&scan(&src).unwrap(), &meta(), &info(), &pass(), &media, &|_| {}).unwrap();

    let dest = p(&t, "empty");
    fs::create_dir(&dest).unwrap();
    open(&sealed.payload_path, &pass(), &dest, None, &|_| {}).unwrap();
    assert_eq!(listing(&src), listing(&dest));
    assert_eq!(mode(&dest), 0o700);

    let full = p(&t, "full");
    write(&full.join("keep.txt"), b"keep");
    let err = open(&sealed.payload_path, &pass(), &full, None, &|_| {}).unwrap_err();
    assert!(matches!(err, OpenError::DestNotEmpty { .. }), "{err:?}");
    assert_eq!(names(&full), vec!["keep.txt"]);
    assert_eq!(names(t.path()), vec!["empty", "full", "media", "src"]);
}

#[test]
fn deep_tree_of_200_levels_round_trips() {
    let t = tmp();
    let src = p(&t, "src");
    let deep: String = (0..200).map(|i| format!("{}/", i % 10)).collect();
    write(&src.join(&deep).join("leaf.txt"), b"deep");
    let mut out = Vec::new();
    let tree = scan(&src).unwrap();
    assert_eq!(tree.dir_count(), 200);
    custody_seal::seal(&tree, &meta(), &pass(), &mut out, &|_| {}).unwrap();
    let payload = p(&t, "x.age");
    fs::write(&payload, &out).unwrap();
    let dest = p(&t, "dest");
    open(&payload, &pass(), &dest, None, &|_| {}).unwrap();
    assert_eq!(listing(&src), listing(&dest));
}

#[test]
fn seal_is_deterministic_inside_and_reports_progress() {
    let t = tmp();
    let src = p(&t, "src");
    sample_tree(&src);
    let tree = scan(&src).unwrap();
    let seen = std::cell::Cell::new(0u64);
    let out = custody_seal::seal(&tree, &meta(), &pass(), Vec::new(), &|n| seen.set(n)).unwrap();
    assert_eq!(seen.get(), tree.total_bytes());
    let again = custody_seal::seal(&tree, &meta(), &pass(), Vec::new(), &|_| {}).unwrap();
    // Fresh file key and salt each time, but the same manifest.
    assert_eq!(out.manifest_root, again.manifest_root);
    assert_ne!(out.ciphertext_sha256, again.ciphertext_sha256);
}
