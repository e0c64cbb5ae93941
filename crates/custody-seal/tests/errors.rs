//! Every OpenError on real payloads, and every refusal of scan / seal / seal_to_media,
//! with the destination and media listed afterwards: nothing left behind.

mod common;
#[path = "../../../tests/common/skip.rs"]
mod skip;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use custody_seal::{
    open, scan, seal, seal_to_media, Label, LabelProblem, OffenderReason, OpenError, PathProblem, SealError,
};
use secrecy::SecretString;

/// A sealed sample payload in `t/media`, with its label.
fn sealed(t: &tempfile::TempDir) -> (PathBuf, Label) {
    let src = p(t, "src");
    sample_tree(&src);
    let media = p(t, "media");
    fs::create_dir(&media).unwrap();
    let s = seal_to_media(&scan(&src).unwrap(), &meta(), &info(), &pass(), &media, &|_| {}).unwrap();
    (s.payload_path, s.label)
}

fn open_err(payload: &Path, pass: &SecretString, label: Option<&Label>) -> OpenError {
    let parent = payload.parent().unwrap().parent().unwrap().join("out");
    fs::create_dir_all(&parent).unwrap();
    let dest = parent.join("dest");
    let err = open(payload, pass, &dest, label, &|_| {}).unwrap_err();
    assert!(names(&parent).is_empty(), "left behind after {err:?}: {:?}", names(&parent));
    err
}

#[test]
fn wrong_passphrase() {
    let t = tmp();
    let (payload, _) = sealed(&t);
    let wrong = SecretString::from("7K3QD-M9XRT-VW2HZ-4PGN9".to_owned());
    assert!(matches!(open_err(&payload, &wrong, None), OpenError::WrongPassphrase));
}

#[test]
fn truncation_is_detected() {
    let t = tmp();
    let (payload, label) = sealed(&t);
    let bytes = fs::read(&payload).unwrap();
    // "--- " + 43 base64 MAC + "\n", then the 16-byte nonce.
    let body = bytes.windows(4).position(|w| w == b"--- ").unwrap() + 48 + 16;
    let p2 = payload.with_extension("cut");
    // Cut at a chunk boundary (or inside the header): the stream provably ends early.
    for cut in [body + 65536 + 16, body, 40] {
        fs::write(&p2, &bytes[..cut]).unwrap();
        let err = open_err(&p2, &pass(), None);
        assert!(matches!(err, OpenError::Truncated), "cut at {cut}: {err:?}");
    }
    // Cut inside a chunk: the remainder is taken for a short last chunk whose tag fails,
    // indistinguishable from a forged last chunk without the label...
    fs::write(&p2, &bytes[..body + 100]).unwrap();
    let err = open_err(&p2, &pass(), None);
    assert!(matches!(err, OpenError::Truncated | OpenError::Corrupted { .. }), "{err:?}");
    // ...and named exactly with it.
    let err = open_err(&p2, &pass(), Some(&label));
    assert!(matches!(err, OpenError::LabelMismatch { field: "ciphertext_size" }), "{err:?}");
}

#[test]
fn flipped_bits_are_corruption() {
    let t = tmp();
    let (payload, _) = sealed(&t);
    let bytes = fs::read(&payload).unwrap();
    let mac = bytes.windows(4).position(|w| w == b"--- ").unwrap() + 6;
    for at in [bytes.len() / 2, bytes.len() - 3, mac] {
        let mut b = bytes.clone();
        // In the header MAC, swap one base64 symbol for another valid one: a flipped
        // bit could make it an invalid symbol, which is a parse error, not a bad MAC.
        if at == mac {
            b[at] = if b[at] == b'A' { b'B' } else { b'A' };
        } else {
            b[at] ^= 0x80;
        }
        let p2 = payload.with_extension("flip");
        fs::write(&p2, &b).unwrap();
        let err = open_err(&p2, &pass(), None);
        assert!(matches!(err, OpenError::Corrupted { .. }), "flip at {at}: {err:?}");
    }
}

#[test]
fn not_age_and_not_passphrase() {
    let t = tmp();
    let (payload, _) = sealed(&t);
    let pdf = payload.with_file_name("x.pdf");
    fs::write(&pdf, b"%PDF-1.7\n").unwrap();
    assert!(matches!(open_err(&pdf, &pass(), None), OpenError::NotAnAgeFile));
    let empty = payload.with_file_name("empty");
    fs::write(&empty, b"").unwrap();
    assert!(matches!(open_err(&empty, &pass(), None), OpenError::NotAnAgeFile));

    let id = age::x25519::Identity::generate();
    let enc = age::Encryptor::with_recipients(std::iter::once(&id.to_public() as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).unwrap();
    std::io::Write::write_all(&mut w, b"x").unwrap();
    w.finish().unwrap();
    let x = payload.with_file_name("x25519.age");
    fs::write(&x, &out).unwrap();
    assert!(matches!(open_err(&x, &pass(), None), OpenError::NotPassphraseEncrypted));
}

#[test]
fn work_factor_above_22_is_refused_before_any_work() {
    let t = tmp();
    let v = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cctv-age/scrypt_work_factor_23")).unwrap();
    let body = &v[v.windows(2).position(|w| w == b"\n\n").unwrap() + 2..];
    fs::create_dir(p(&t, "media")).unwrap();
    let f = p(&t, "media/wf23.age");
    fs::write(&f, body).unwrap();
    let err = open_err(&f, &SecretString::from("password".to_owned()), None);
    assert!(matches!(err, OpenError::WorkFactorTooHigh { required: 23, max: 22 }), "{err:?}");
}

#[test]
fn label_mismatches_are_named() {
    let t = tmp();
    let (payload, label) = sealed(&t);
    let mut l = label.clone();
    l.ciphertext_size += 1;
    assert!(matches!(open_err(&payload, &pass(), Some(&l)), OpenError::LabelMismatch { field: "ciphertext_size" }));
    let mut l = label.clone();
    l.ciphertext_sha256[0] ^= 1;
    assert!(matches!(open_err(&payload, &pass(), Some(&l)), OpenError::LabelMismatch { field: "ciphertext_sha256" }));
    let mut l = label.clone();
    l.file_count += 1;
    assert!(matches!(open_err(&payload, &pass(), Some(&l)), OpenError::LabelMismatch { field: "file_count" }));
    let mut l = label.clone();
    l.manifest_root[31] ^= 1;
    assert!(matches!(open_err(&payload, &pass(), Some(&l)), OpenError::LabelMismatch { field: "manifest_root" }));
}

#[test]
fn appended_bytes_and_a_same_size_swap_are_refused() {
    // The hash is taken while the payload streams through decryption. Bytes after the
    // end of the age stream are refused by the age reader itself (so a label naming
    // the longer file does not help); a payload swapped for another of the same size
    // decrypts cleanly and must fail the label's hash.
    let t = tmp();
    let (payload, label) = sealed(&t);
    let original = fs::read(&payload).unwrap();
    let mut appended = original.clone();
    appended.extend_from_slice(b"tail");
    fs::write(&payload, &appended).unwrap();
    let mut l = label.clone();
    l.ciphertext_size += 4;
    let err = open_err(&payload, &pass(), Some(&l));
    assert!(matches!(err, OpenError::Corrupted { .. }), "{err:?}");

    let other = tmp();
    let (other_payload, other_label) = sealed(&other);
    assert_eq!(other_label.ciphertext_size, label.ciphertext_size, "same tree, same size");
    fs::copy(&other_payload, &payload).unwrap();
    let err = open_err(&payload, &pass(), Some(&label));
    assert!(matches!(err, OpenError::LabelMismatch { field: "ciphertext_sha256" }), "{err:?}");

    fs::write(&payload, &original).unwrap();
    let dest = t.path().join("out").join("ok");
    open(&payload, &pass(), &dest, Some(&label), &|_| {}).unwrap();
}

#[test]
fn missing_payload_and_file_dest_are_errors() {
    let t = tmp();
    let (payload, _) = sealed(&t);
    let missing = payload.with_file_name("nope.age");
    assert!(matches!(open_err(&missing, &pass(), None), OpenError::Io { .. }));
    let dest = p(&t, "a-file");
    fs::write(&dest, b"x").unwrap();
    let err = open(&payload, &pass(), &dest, None, &|_| {}).unwrap_err();
    assert!(matches!(err, OpenError::DestNotEmpty { .. }));
    assert_eq!(fs::read(&dest).unwrap(), b"x");
}

#[test]
fn label_read_is_strict() {
    let t = tmp();
    let (payload, label) = sealed(&t);
    let lp = Label::path_beside(&payload);
    assert_eq!(Label::read(&lp).unwrap(), label);
    let text = fs::read_to_string(&lp).unwrap();
    type Want<'a> = &'a dyn Fn(&LabelProblem) -> bool;
    let not_a_label = |r: &LabelProblem| matches!(r, LabelProblem::NotALabel { .. });
    let edited = |r: &LabelProblem| *r == LabelProblem::NotCanonical;
    let too_large = |r: &LabelProblem| *r == LabelProblem::TooLarge;
    let cases: [(String, Want); 6] = [
        (text.replacen("{", "{\"extra\":1,", 1), &not_a_label),
        (text.replacen(":", ": ", 1), &edited),
        (text.trim_end().to_owned(), &edited),
        (text.replacen("{", "{\"v\":1,", 1), &not_a_label),
        ("x".repeat(70_000), &too_large),
        (text.replacen("\"v\":1", "\"v\":2", 1), &|r: &LabelProblem| {
            matches!(r, LabelProblem::UnsupportedFormat { v: 2, .. })
        }),
    ];
    for (bad, want) in cases {
        fs::write(&lp, &bad).unwrap();
        match Label::read(&lp) {
            Err(SealError::LabelInvalid { reason, .. }) => assert!(want(&reason), "{reason:?} for {bad:.80}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn scan_lists_every_offender() {
    let t = tmp();
    let src = p(&t, "src");
    write(&src.join("ok.txt"), b"ok");
    write(&src.join("a:b.txt"), b"x");
    write(&src.join("MANIFEST.json"), b"{}");
    write(&src.join("d/Report.txt"), b"1");
    write(&src.join("d/report.TXT"), b"2");
    symlink("/etc/passwd", src.join("link")).unwrap();
    let fifo = src.join("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    write(&src.join(OsStr::from_bytes(b"bad\xffname")), b"x");
    let err = scan(&src).unwrap_err();
    let SealError::Refused { offenders } = err else { panic!("{err:?}") };
    let got: Vec<(String, OffenderReason)> = offenders
        .into_iter()
        .map(|o| (o.path.strip_prefix(&src).unwrap().to_string_lossy().into_owned(), o.reason))
        .collect();
    let want = vec![
        ("MANIFEST.json".to_owned(), OffenderReason::ReservedName),
        ("a:b.txt".to_owned(), OffenderReason::ForbiddenName(PathProblem::ForbiddenChar(':'))),
        ("bad\u{fffd}name".to_owned(), OffenderReason::NotUtf8Name),
        ("d/report.TXT".to_owned(), OffenderReason::CaseFoldDuplicate),
        ("link".to_owned(), OffenderReason::Symlink),
        ("pipe".to_owned(), OffenderReason::SpecialFile),
    ];
    assert_eq!(got, want);
    assert!(matches!(scan(&src.join("ok.txt")), Err(SealError::SourceNotADirectory { .. })));
}

#[test]
fn source_changed_during_seal_is_refused_and_media_left_clean() {
    let t = tmp();
    let src = p(&t, "src");
    sample_tree(&src);
    let media = p(&t, "media");
    fs::create_dir(&media).unwrap();
    let tree = scan(&src).unwrap();
    fs::write(src.join("empty.txt"), b"now longer").unwrap();
    let err = seal_to_media(&tree, &meta(), &info(), &pass(), &media, &|_| {}).unwrap_err();
    assert!(matches!(err, SealError::SourceChanged { .. }), "{err:?}");
    assert!(names(&media).is_empty());
    // A file swapped for a symlink is not followed.
    fs::write(src.join("empty.txt"), b"").unwrap();
    let tree = scan(&src).unwrap();
    fs::remove_file(src.join("empty.txt")).unwrap();
    symlink("/etc/hostname", src.join("empty.txt")).unwrap();
    let err = seal(&tree, &meta(), &pass(), Vec::new(), &|_| {}).unwrap_err();
    assert!(matches!(err, SealError::SourceChanged { .. }), "{err:?}");
}

#[test]
fn overlapping_source_and_media_are_refused() {
    let t = tmp();
    let src = p(&t, "src");
    sample_tree(&src);
    let tree = scan(&src).unwrap();
    let inner = src.join("a");
    let err = seal_to_media(&tree, &meta(), &info(), &pass(), &inner, &|_| {}).unwrap_err();
    assert!(matches!(err, SealError::SourceInsideMedia { .. }), "{err:?}");
    let err = seal_to_media(&tree, &meta(), &info(), &pass(), t.path(), &|_| {}).unwrap_err();
    assert!(matches!(err, SealError::SourceInsideMedia { .. }), "{err:?}");
    assert_eq!(listing(&src), {
        let t2 = tmp();
        sample_tree(t2.path());
        listing(t2.path())
    });
}

#[test]
fn no_room_is_refused_before_writing() {
    let t = tmp();
    let src = p(&t, "src");
    fs::create_dir(&src).unwrap();
    // A sparse file far larger than the disk: scan reads only its size.
    let f = fs::File::create(src.join("huge.bin")).unwrap();
    f.set_len(15 << 40).unwrap();
    let media = p(&t, "media");
    fs::create_dir(&media).unwrap();
    let err = seal_to_media(&scan(&src).unwrap(), &meta(), &info(), &pass(), &media, &|_| {}).unwrap_err();
    assert!(matches!(err, SealError::NoRoom { needed, .. } if needed > 15 << 40), "{err:?}");
    assert!(names(&media).is_empty());
}

#[test]
fn existing_payload_is_not_overwritten() {
    let t = tmp();
    let (payload, _) = sealed(&t);
    let before = fs::read(&payload).unwrap();
    let err =
        seal_to_media(&scan(&p(&t, "src")).unwrap(), &meta(), &info(), &pass(), &p(&t, "media"), &|_| {}).unwrap_err();
    assert!(matches!(err, SealError::AlreadyExists { .. }));
    assert_eq!(fs::read(&payload).unwrap(), before);
    assert_eq!(names(&p(&t, "media")).len(), 2);
}

#[test]
fn bad_label_fields_and_categories_are_refused() {
    let t = tmp();
    let src = p(&t, "src");
    sample_tree(&src);
    fs::create_dir(p(&t, "media")).unwrap();
    let tree = scan(&src).unwrap();
    let mut i = info();
    i.issuer = "two\nlines".into();
    let err = seal_to_media(&tree, &meta(), &i, &pass(), &p(&t, "media"), &|_| {}).unwrap_err();
    assert!(matches!(err, SealError::InvalidLabelField { field: "issuer" }));
    let mut m = meta();
    m.categories.push(String::new());
    let err = seal_to_media(&tree, &m, &info(), &pass(), &p(&t, "media"), &|_| {}).unwrap_err();
    assert!(matches!(err, SealError::InvalidCategory { .. }));
    assert!(names(&p(&t, "media")).is_empty());
}

/// FAT media: needs root and loop devices; skipped with a message otherwise.
#[test]
fn fat_media_refuses_payloads_of_4_gib() {
    let t = tmp();
    let img = p(&t, "fat.img");
    let mnt = p(&t, "mnt");
    fs::create_dir(&mnt).unwrap();
    fs::File::create(&img).unwrap().set_len(64 << 20).unwrap();
    let run = |c: &mut Command| c.output().map(|o| o.status.success()).unwrap_or(false);
    // A kernel vfat mount where allowed, else FUSE (fusefat), which statfs reports as
    // FUSE: the mount table is what identifies it.
    let ok = run(Command::new("mkfs.vfat").arg(&img))
        && (run(Command::new("mount").args(["-o", "loop"]).arg(&img).arg(&mnt))
            || run(Command::new("fusefat").args(["-o", "rw+"]).arg(&img).arg(&mnt)));
    if !ok {
        skip::skip("cannot mount a FAT image (mount -o loop or fusefat) here");
        return;
    }
    let src = p(&t, "src");
    fs::create_dir(&src).unwrap();
    fs::File::create(src.join("big.bin")).unwrap().set_len(4 << 30).unwrap();
    let res = seal_to_media(&scan(&src).unwrap(), &meta(), &info(), &pass(), &mnt, &|_| {});
    let listed = names(&mnt);
    // A small payload fits on the same stick.
    let small = p(&t, "small");
    sample_tree(&small);
    let ok = seal_to_media(&scan(&small).unwrap(), &meta(), &info(), &pass(), &mnt, &|_| {});
    let listed_after = names(&mnt);
    let _ = Command::new("umount").arg(&mnt).status();
    let err = res.unwrap_err();
    assert!(matches!(err, SealError::TooLargeForFat { .. }), "{err:?}");
    assert!(listed.is_empty());
    ok.unwrap();
    assert_eq!(listed_after, vec!["20261124-0123ABCD.age", "20261124-0123ABCD.label.json"]);
}
