//! Bounded work and no hang on hostile input: the age header bound, recipients beside
//! scrypt, Unicode twins, manifest bounds, a label or source swapped for a FIFO, and
//! staging directories left by a killed open.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::DateTime;
use common::*;
use custody_seal::{
    decrypt_to, open, scan, seal_to_media, sweep_stale_staging, Label, LabelProblem, Manifest, ManifestFile,
    OffenderReason, OpenError, SealError, UnsafeReason, MAX_HEADER_BYTES, STAGING_PREFIX,
};
use sha2::{Digest, Sha256};
use tar::{EntryType, Header};

fn entry(name: &str, ty: u8, data: &[u8]) -> Vec<u8> {
    let mut h = Header::new_gnu();
    h.set_path(name).unwrap();
    h.set_entry_type(EntryType::new(ty));
    h.set_mode(0o644);
    h.set_size(data.len() as u64);
    h.set_mtime(0);
    h.set_cksum();
    let mut v = h.as_bytes().to_vec();
    v.extend_from_slice(data);
    v.resize(v.len().div_ceil(512) * 512, 0);
    v
}

fn manifest_with(files: &[(&str, &[u8])], categories: Vec<String>) -> Vec<u8> {
    let mut files: Vec<ManifestFile> = files
        .iter()
        .map(|(p, d)| ManifestFile { path: (*p).into(), size: d.len() as u64, sha256: Sha256::digest(d).into() })
        .collect();
    files.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    Manifest {
        v: 1,
        payload_id: "20261124-0123ABCD".parse().unwrap(),
        created: DateTime::parse_from_rfc3339("2026-11-24T09:30:00+09:00").unwrap(),
        categories,
        files,
        dirs: vec![],
    }
    .to_jcs()
}

fn archive(files: &[(&str, &[u8])], categories: Vec<String>) -> Vec<u8> {
    let mut sorted = files.to_vec();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut v: Vec<u8> = sorted.iter().flat_map(|(n, d)| entry(n, b'0', d)).collect();
    v.extend(entry("MANIFEST.json", b'0', &manifest_with(files, categories)));
    v.extend_from_slice(&[0u8; 1024]);
    v
}

fn open_bytes(bytes: &[u8]) -> (Result<(), OpenError>, tempfile::TempDir) {
    let t = tmp();
    let payload = p(&t, "x.age");
    fs::write(&payload, bytes).unwrap();
    let r = open(&payload, &pass(), &p(&t, "dest"), None, &|_| {}).map(|_| ());
    if r.is_err() {
        assert_eq!(names(t.path()), vec!["x.age"], "left behind after {r:?}");
    }
    (r, t)
}

#[test]
fn an_oversized_header_is_refused_at_once_before_age_reads_it() {
    // One stanza argument of 2 MB: the age crate's reader is quadratic in it.
    let mut bytes = b"age-encryption.org/v1\n-> scrypt ".to_vec();
    bytes.extend(std::iter::repeat_n(b'A', 2 << 20));
    bytes.extend_from_slice(b" 18\n");
    let start = Instant::now();
    let (r, _t) = open_bytes(&bytes);
    assert!(matches!(r, Err(OpenError::HeaderTooLarge { max: MAX_HEADER_BYTES })), "{r:?}");
    let t = tmp();
    let payload = p(&t, "x.age");
    fs::write(&payload, &bytes).unwrap();
    let raw = decrypt_to(&payload, &pass(), std::io::sink());
    assert!(matches!(raw, Err(OpenError::HeaderTooLarge { .. })), "{raw:?}");
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
}

#[test]
fn a_header_just_within_the_bound_still_reaches_age() {
    let plain = archive(&[("a.txt", b"abc")], vec![]);
    let good = age_wrap(&plain, PASS, 10);
    let (r, _t) = open_bytes(&good);
    r.unwrap();
}

#[test]
fn another_recipient_beside_scrypt_is_not_a_passphrase_payload() {
    let good = age_wrap(&archive(&[("a.txt", b"abc")], vec![]), PASS, 10);
    let text_end = good.windows(4).position(|w| w == b"\n-> ").unwrap() + 1;
    let mut bad = good[..text_end].to_vec();
    bad.extend_from_slice(
        b"-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\nEmECAEcKN+n/Vs9SbWiV+Hu0r+E8R77DdWYyd83nw7U\n",
    );
    bad.extend_from_slice(&good[text_end..]);
    let (r, _t) = open_bytes(&bad);
    assert!(matches!(r, Err(OpenError::NotPassphraseEncrypted)), "{r:?}");
}

#[test]
fn unicode_twins_are_refused_in_a_payload() {
    for (a, b) in [
        ("\u{304C}.txt", "\u{304B}\u{3099}.txt"), // が NFC / NFD
        ("\u{C4}.txt", "\u{E4}.txt"),             // Ä / ä
        ("\u{212A}.txt", "k.txt"),                // Kelvin sign / k
    ] {
        let (r, _t) = open_bytes(&age_wrap(&archive(&[(a, b"1"), (b, b"2")], vec![]), PASS, 10));
        assert!(matches!(r, Err(OpenError::UnsafeEntry { reason: UnsafeReason::CaseFoldDuplicate, .. })), "{r:?}");
    }
}

#[test]
fn unicode_twins_are_refused_in_a_source() {
    let t = tmp();
    let src = p(&t, "src");
    write(&src.join("\u{304C}.txt"), b"1");
    write(&src.join("\u{304B}\u{3099}.txt"), b"2");
    match scan(&src) {
        Err(SealError::Refused { offenders }) => {
            assert!(offenders.iter().any(|o| o.reason == OffenderReason::CaseFoldDuplicate), "{offenders:?}")
        }
        r => panic!("{r:?}"),
    }
}

#[test]
fn a_manifest_is_bounded_and_its_errors_never_echo_a_huge_value() {
    let many: Vec<String> = (0..65).map(|i| format!("c{i:03}")).collect();
    let (r, _t) = open_bytes(&age_wrap(&archive(&[], many), PASS, 10));
    match r {
        Err(OpenError::ManifestInvalid { reason }) => assert!(reason.contains("more than 64"), "{reason}"),
        r => panic!("{r:?}"),
    }
    let huge = vec!["\u{7}".repeat(1 << 20)];
    let (r, _t) = open_bytes(&age_wrap(&archive(&[], huge), PASS, 10));
    match r {
        Err(e @ OpenError::ManifestInvalid { .. }) => {
            assert!(e.to_string().len() < 1000, "{} bytes", e.to_string().len())
        }
        r => panic!("{r:?}"),
    }
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn a_label_that_is_a_fifo_is_refused_without_blocking() {
    let t = tmp();
    let label = p(&t, "x.label.json");
    mkfifo(&label);
    match Label::read(&label) {
        Err(SealError::LabelInvalid { reason: LabelProblem::NotARegularFile, .. }) => {}
        r => panic!("{r:?}"),
    }
    assert!(matches!(
        Label::read(Path::new("/dev/zero")),
        Err(SealError::LabelInvalid { reason: LabelProblem::NotARegularFile, .. })
    ));
}

#[test]
fn a_source_file_swapped_for_a_fifo_is_reported_as_changed_and_nothing_is_left_on_the_media() {
    let t = tmp();
    let src = p(&t, "src");
    write(&src.join("a.txt"), b"");
    write(&src.join("b.txt"), b"data");
    let media = p(&t, "media");
    fs::create_dir_all(&media).unwrap();
    let tree = scan(&src).unwrap();
    fs::remove_file(src.join("a.txt")).unwrap();
    mkfifo(&src.join("a.txt"));
    match seal_to_media(&tree, &meta(), &info(), &pass(), &media, &|_| {}) {
        Err(SealError::SourceChanged { path }) => assert_eq!(path, src.join("a.txt")),
        r => panic!("{r:?}"),
    }
    assert!(names(&media).is_empty(), "left on the media: {:?}", names(&media));
}

#[test]
fn staging_left_by_a_dead_open_is_swept_but_a_live_one_is_not() {
    let t = tmp();
    let stale = t.path().join(format!("{STAGING_PREFIX}deadbeef0000"));
    write(&stale.join("plain/氏名.csv"), b"secret");
    let live = t.path().join(format!("{STAGING_PREFIX}alive0000000"));
    fs::create_dir_all(&live).unwrap();
    // A live open holds an exclusive flock on its staging directory (-F: flock execs
    // the command itself, so killing it releases the lock).
    let mut holder = Command::new("flock").args(["-F", "-x"]).arg(&live).arg("sleep").arg("30").spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Command::new("flock").args(["-n", "-x"]).arg(&live).arg("true").status().unwrap().success() {
        assert!(Instant::now() < deadline, "flock(1) never took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
    let removed = sweep_stale_staging(t.path());
    assert_eq!(removed, vec![stale.clone()]);
    assert!(!stale.exists());
    assert!(live.exists(), "a live staging directory is never swept");
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert_eq!(sweep_stale_staging(t.path()), vec![live.clone()]);
}
