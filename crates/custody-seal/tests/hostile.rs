//! Hand-crafted hostile archives, each wrapped in a genuine age file with the right
//! passphrase: every one is refused, and nothing is left in or beside the destination.

mod common;

use std::fs;

use chrono::DateTime;
use common::*;
use custody_seal::{open, Manifest, ManifestFile, MismatchKind, OpenError, PathProblem, UnsafeReason};
use sha2::{Digest, Sha256};
use tar::{EntryType, Header};

fn hdr(name: &[u8], ty: u8, size: u64) -> Vec<u8> {
    let mut h = Header::new_gnu();
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    h.set_entry_type(EntryType::new(ty));
    h.set_mode(0o644);
    h.set_size(size);
    h.set_mtime(0);
    if ty == b'1' || ty == b'2' {
        h.as_old_mut().linkname[..6].copy_from_slice(b"target");
    }
    h.set_cksum();
    h.as_bytes().to_vec()
}

fn entry(name: &str, ty: u8, data: &[u8]) -> Vec<u8> {
    let mut v = hdr(name.as_bytes(), ty, data.len() as u64);
    v.extend_from_slice(data);
    v.resize(v.len().div_ceil(512) * 512, 0);
    v
}

fn file(name: &str, data: &[u8]) -> Vec<u8> {
    entry(name, b'0', data)
}

fn dir(name: &str) -> Vec<u8> {
    entry(&format!("{name}/"), b'5', b"")
}

fn manifest(files: &[(&str, &[u8])], dirs: &[&str]) -> Vec<u8> {
    let mut files: Vec<ManifestFile> = files
        .iter()
        .map(|(p, d)| ManifestFile { path: (*p).into(), size: d.len() as u64, sha256: Sha256::digest(d).into() })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Manifest {
        v: 1,
        payload_id: "20261124-0123ABCD".parse().unwrap(),
        created: DateTime::parse_from_rfc3339("2026-11-24T09:30:00+09:00").unwrap(),
        categories: vec![],
        files,
        dirs: dirs.iter().map(|d| (*d).to_owned()).collect(),
    }
    .to_jcs()
}

fn tar_of(parts: Vec<Vec<u8>>) -> Vec<u8> {
    let mut v: Vec<u8> = parts.concat();
    v.extend_from_slice(&[0u8; 1024]);
    v
}

/// Opens `plain` wrapped in age; returns the error and checks nothing was left behind.
fn open_plain(plain: Vec<u8>) -> Result<(), OpenError> {
    let t = tmp();
    let payload = p(&t, "x.age");
    // Work factor 10 keeps the test fast; the reader accepts anything up to 22.
    fs::write(&payload, age_wrap(&plain, PASS, 10)).unwrap();
    let dest = p(&t, "dest");
    let r = open(&payload, &pass(), &dest, None, &|_| {}).map(|_| ());
    if r.is_err() {
        assert_eq!(names(t.path()), vec!["x.age"], "left behind after {r:?}");
    }
    r
}

fn unsafe_reason(plain: Vec<u8>) -> UnsafeReason {
    match open_plain(plain) {
        Err(OpenError::UnsafeEntry { reason, .. }) => reason,
        other => panic!("expected UnsafeEntry, got {other:?}"),
    }
}

#[test]
fn a_well_formed_crafted_archive_opens() {
    let plain = tar_of(vec![
        dir("d"),
        file("d/a.txt", b"abc"),
        file("MANIFEST.json", &manifest(&[("d/a.txt", b"abc")], &["d"])),
    ]);
    open_plain(plain).unwrap();
}

#[test]
fn path_escapes_are_refused() {
    let m = manifest(&[], &[]);
    for (name, want) in [
        ("../x", PathProblem::DotComponent),
        ("/abs", PathProblem::Absolute),
        ("a\\b", PathProblem::ForbiddenChar('\\')),
        ("c:x", PathProblem::ForbiddenChar(':')),
        ("CON", PathProblem::WindowsReservedName),
    ] {
        let plain = tar_of(vec![file(name, b"x"), file("MANIFEST.json", &m)]);
        assert_eq!(unsafe_reason(plain), UnsafeReason::Path(want), "{name}");
    }
}

#[test]
fn links_devices_and_fifos_are_refused() {
    let m = manifest(&[], &[]);
    for (ty, want) in [
        (b'2', UnsafeReason::Symlink),
        (b'1', UnsafeReason::HardLink),
        (b'3', UnsafeReason::Device),
        (b'4', UnsafeReason::Device),
        (b'6', UnsafeReason::Fifo),
        (b'S', UnsafeReason::OtherType(b'S')),
    ] {
        let plain = tar_of(vec![entry("l", ty, b""), file("MANIFEST.json", &m)]);
        assert_eq!(unsafe_reason(plain), want);
    }
}

#[test]
fn duplicates_are_refused_also_ignoring_case() {
    let m = manifest(&[("a.txt", b"1")], &[]);
    let plain = tar_of(vec![file("a.txt", b"1"), file("a.txt", b"1"), file("MANIFEST.json", &m)]);
    assert_eq!(unsafe_reason(plain), UnsafeReason::Duplicate);
    let plain = tar_of(vec![file("A.txt", b"1"), file("a.txt", b"1"), file("MANIFEST.json", &m)]);
    assert_eq!(unsafe_reason(plain), UnsafeReason::CaseFoldDuplicate);
    let plain = tar_of(vec![file("manifest.json", b"1"), file("MANIFEST.json", &m)]);
    assert_eq!(unsafe_reason(plain), UnsafeReason::CaseFoldDuplicate);
}

#[test]
fn undeclared_parent_and_entries_after_manifest_are_refused() {
    let m = manifest(&[("d/a", b"1")], &["d"]);
    let plain = tar_of(vec![file("d/a", b"1"), file("MANIFEST.json", &m)]);
    assert_eq!(unsafe_reason(plain), UnsafeReason::ParentNotDeclared);
    let m = manifest(&[], &[]);
    let plain = tar_of(vec![file("MANIFEST.json", &m), file("late", b"1")]);
    assert_eq!(unsafe_reason(plain), UnsafeReason::AfterManifest);
}

#[test]
fn manifest_and_archive_must_agree() {
    let mismatch = |plain| match open_plain(plain) {
        Err(OpenError::ManifestMismatch { path, what }) => (path, what),
        other => panic!("expected ManifestMismatch, got {other:?}"),
    };
    // Entry missing from the manifest.
    let m = manifest(&[], &[]);
    let got = mismatch(tar_of(vec![file("extra", b"1"), file("MANIFEST.json", &m)]));
    assert_eq!(got, ("extra".into(), MismatchKind::MissingFromManifest));
    // Manifest lists a file not present.
    let m = manifest(&[("ghost", b"1")], &[]);
    let got = mismatch(tar_of(vec![file("MANIFEST.json", &m)]));
    assert_eq!(got, ("ghost".into(), MismatchKind::MissingFromArchive));
    // Size and content mismatches.
    let m = manifest(&[("f", b"12345")], &[]);
    let got = mismatch(tar_of(vec![file("f", b"123"), file("MANIFEST.json", &m)]));
    assert_eq!(got, ("f".into(), MismatchKind::Size));
    let m = manifest(&[("f", b"abc")], &[]);
    let got = mismatch(tar_of(vec![file("f", b"abd"), file("MANIFEST.json", &m)]));
    assert_eq!(got, ("f".into(), MismatchKind::Sha256));
    // Directories too.
    let m = manifest(&[], &["d"]);
    let got = mismatch(tar_of(vec![file("MANIFEST.json", &m)]));
    assert_eq!(got, ("d".into(), MismatchKind::MissingFromArchive));
}

#[test]
fn missing_or_non_canonical_manifest_is_refused() {
    let plain = tar_of(vec![file("a", b"1")]);
    assert!(matches!(open_plain(plain), Err(OpenError::ManifestMissing)));
    let m = String::from_utf8(manifest(&[("a", b"1")], &[])).unwrap();
    // A duplicate key: serde_json would keep the last; canonical JCS has none.
    let dup = m.replacen("{\"categories\":[]", "{\"categories\":[],\"categories\":[]", 1);
    let plain = tar_of(vec![file("a", b"1"), file("MANIFEST.json", dup.as_bytes())]);
    assert!(matches!(open_plain(plain), Err(OpenError::ManifestInvalid { .. })));
    let pretty = m.replace(",", ", ");
    let plain = tar_of(vec![file("a", b"1"), file("MANIFEST.json", pretty.as_bytes())]);
    assert!(matches!(open_plain(plain), Err(OpenError::ManifestInvalid { .. })));
}

fn pax(records: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in records {
        let rest = format!(" {k}={v}\n");
        let mut len = rest.len() + 1;
        while format!("{len}{rest}").len() != len {
            len += 1;
        }
        body.extend_from_slice(format!("{len}{rest}").as_bytes());
    }
    entry("././@PaxHeader", b'x', &body)
}

fn long_name(name: &str) -> Vec<u8> {
    let mut d = name.as_bytes().to_vec();
    d.push(0);
    entry("././@LongLink", b'L', &d)
}

#[test]
fn gnu_long_name_and_pax_smuggling_is_refused() {
    let m = manifest(&[("innocent", b"1")], &[]);
    let plain = tar_of(vec![
        long_name("innocent"),
        pax(&[("path", "../../etc/cron.d/x")]),
        file("innocent", b"1"),
        file("MANIFEST.json", &m),
    ]);
    assert_eq!(unsafe_reason(plain), UnsafeReason::LongNameAndPax);
    // PAX keys other than path and size.
    let plain = tar_of(vec![pax(&[("linkpath", "/etc")]), file("a", b"1"), file("MANIFEST.json", &m)]);
    assert!(matches!(unsafe_reason(plain), UnsafeReason::PaxExtension(_)));
    // A PAX size that disagrees with the header (the parser-differential trick).
    let plain = tar_of(vec![pax(&[("size", "0")]), file("a", b"1"), file("MANIFEST.json", &m)]);
    assert!(matches!(unsafe_reason(plain), UnsafeReason::PaxExtension(_)));
    // A PAX path through ../ is still checked.
    let plain = tar_of(vec![pax(&[("path", "../x")]), file("a", b"1"), file("MANIFEST.json", &m)]);
    assert_eq!(unsafe_reason(plain), UnsafeReason::Path(PathProblem::DotComponent));
    // A global header.
    let plain = tar_of(vec![entry("g", b'g', b""), file("MANIFEST.json", &m)]);
    assert!(matches!(unsafe_reason(plain), UnsafeReason::PaxExtension(_)));
}

#[test]
fn long_names_via_gnu_and_pax_are_accepted_alone() {
    let long = format!("{}.txt", "名".repeat(40));
    let m = manifest(&[(&long, b"1")], &[]);
    let plain = tar_of(vec![long_name(&long), file("x", b"1"), file("MANIFEST.json", &m)]);
    open_plain(plain).unwrap();
    let plain = tar_of(vec![pax(&[("path", &long), ("size", "1")]), file("x", b"1"), file("MANIFEST.json", &m)]);
    open_plain(plain).unwrap();
}

#[test]
fn bytes_after_the_archive_or_no_end_are_refused() {
    let m = manifest(&[], &[]);
    let mut plain = tar_of(vec![file("MANIFEST.json", &m)]);
    plain.extend_from_slice(b"hidden");
    assert!(matches!(open_plain(plain), Err(OpenError::MalformedArchive { .. })));
    // Cut inside an entry's data: authentic but malformed.
    let plain = file("a", &[1u8; 2000])[..1000].to_vec();
    assert!(matches!(open_plain(plain), Err(OpenError::MalformedArchive { .. })));
}
