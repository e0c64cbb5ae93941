//! Every argument and cheap precondition of `seal` and `open` is checked before any
//! secret is asked for; `seal --dry-run` shows the plan and writes nothing; `open`
//! shows the payload id and fingerprint (照合コード) before the passphrase.
//!
//! Each run here has no passphrase file and no terminal to ask on: had the command
//! reached a secret, it would fail with `no-terminal`. The error must be the
//! precondition's, and nothing may be written.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// `custody --json ARGS` with no key passphrase file and stdin not a terminal.
fn run_without_secrets(p: &Person, args: &[&std::ffi::OsStr]) -> std::process::Output {
    p.cmd().env_remove("CUSTODY_KEY_PASSPHRASE_FILE").arg("--json").args(args).output().unwrap()
}

#[track_caller]
fn assert_refused(out: &std::process::Output, exit: i32, code: &str) {
    let j = json(out);
    assert_eq!(j["error"]["code"], code, "{j:#}");
    assert_eq!(out.status.code(), Some(exit), "{j:#}");
}

fn tree(p: &Person) -> PathBuf {
    let src = p.path("src");
    fs::create_dir_all(src.join("申請書")).unwrap();
    fs::write(src.join("名簿.csv"), "氏名\n山田\n").unwrap();
    fs::write(src.join("申請書/a.txt"), "a").unwrap();
    src
}

fn seal_args<'a>(src: &'a Path, media: &'a Path, notice: &'a Path) -> Vec<&'a std::ffi::OsStr> {
    vec!["seal".as_ref(), src.as_os_str(), "--to".as_ref(), media.as_os_str(), "--notice".as_ref(), notice.as_os_str()]
}

#[test]
fn seal_refuses_each_bad_precondition_before_asking_for_the_key_passphrase() {
    let p = Person::init("新宿区", "山田");
    let src = tree(&p);
    let media = p.path("media");
    fs::create_dir_all(&media).unwrap();
    let notice = p.path("notice.html");
    let lines = p.ledger_lines().len();

    // The reference case: all preconditions hold, so the missing secret is what fails.
    let out = run_without_secrets(&p, &seal_args(&src, &media, &notice));
    assert_refused(&out, 4, "no-terminal");

    let missing_folder = p.path("no-such-folder/notice.html");
    let out = run_without_secrets(&p, &seal_args(&src, &media, &missing_folder));
    assert_refused(&out, 5, "notice-folder-missing");

    let out = run_without_secrets(&p, &seal_args(&src, &media, &media.join("notice.html")));
    assert_refused(&out, 5, "notice-on-media");

    fs::write(p.path("old.html"), "an earlier notice").unwrap();
    let out = run_without_secrets(&p, &seal_args(&src, &media, &p.path("old.html")));
    assert_refused(&out, 5, "notice-exists");

    let out = run_without_secrets(&p, &seal_args(&src, &media, &p.path("notice.pdf")));
    assert_refused(&out, 5, "notice-format");

    let out = run_without_secrets(&p, &seal_args(&p.path("no-such-src"), &media, &notice));
    assert_refused(&out, 12, "io");

    let out = run_without_secrets(&p, &seal_args(&src, &p.path("no-such-media"), &notice));
    assert_refused(&out, 6, "media-not-a-folder");

    let mut args = seal_args(&src, &media, &notice);
    args.extend(["--category", "氏\u{7}名"].map(std::ffi::OsStr::new));
    let out = run_without_secrets(&p, &args);
    assert_refused(&out, 5, "invalid-category");

    // A damaged key file is found without its passphrase.
    let key = p.home.join("identity.key");
    let good_key = fs::read(&key).unwrap();
    fs::write(&key, "untrusted comment: x\nnot base64 at all\n").unwrap();
    let out = run_without_secrets(&p, &seal_args(&src, &media, &notice));
    assert_refused(&out, 7, "key-malformed");
    fs::write(&key, good_key).unwrap();

    assert!(list_tree(&media).is_empty(), "nothing on the media: {:?}", list_tree(&media));
    assert!(!notice.exists());
    assert_eq!(p.ledger_lines().len(), lines, "nothing appended to the ledger");
}

#[test]
fn seal_dry_run_shows_files_destination_and_notice_fields_and_writes_nothing() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    fs::create_dir_all(&src).unwrap();
    for i in 0..8 {
        fs::write(src.join(format!("{i:02}-名簿.csv")), "氏名\n".repeat(250)).unwrap();
    }
    // A name that reads differently than it is: a right-to-left override.
    fs::write(src.join("00-evil\u{202E}txt.exe"), "x").unwrap();
    let media = p.path("media");
    fs::create_dir_all(&media).unwrap();
    let notice = p.path("notice.html");
    let mut args = seal_args(&src, &media, &notice);
    args.extend(
        [
            "--recipient",
            "株式会社サンプル",
            "--contract",
            "R8-委託-001",
            "--category",
            "氏名",
            "--category",
            "住所",
            "--dry-run",
        ]
        .map(std::ffi::OsStr::new),
    );
    let lines = p.ledger_lines().len();
    // No key passphrase file: a dry run asks for no secret.
    let out = p.cmd().env_remove("CUSTODY_KEY_PASSPHRASE_FILE").args(&args).output().unwrap();
    assert_ok(&out);
    let screen = stdout(&out);
    assert!(screen.contains("Files: 9"), "{screen}");
    // Sizes in the one unit of the notice: 8 × 1,750 bytes + 1.
    assert!(screen.contains("Size: 14.0 kB"), "{screen}");
    assert!(screen.contains("00-evil\\u{202E}txt.exe") && !screen.contains('\u{202E}'), "names escaped: {screen}");
    assert!(screen.contains("and 4 more"), "the first five names, then a count: {screen}");
    for fact in ["株式会社サンプル", "R8-委託-001", "氏名, 住所", &media.display().to_string(), "Date issued: "]
    {
        assert!(screen.contains(fact), "{fact} missing:\n{screen}");
    }
    assert!(list_tree(&media).is_empty() && !notice.exists(), "a dry run writes nothing");
    assert_eq!(p.ledger_lines().len(), lines, "a dry run appends nothing to the ledger");

    // A dry run checks the same preconditions as the seal.
    let on_media = media.join("n.html");
    let mut bad = seal_args(&src, &media, &on_media);
    bad.push(std::ffi::OsStr::new("--dry-run"));
    assert_refused(&run_without_secrets(&p, &bad), 5, "notice-on-media");
}

struct Delivery {
    ward: Person,
    contractor: Person,
    payload: PathBuf,
    label: PathBuf,
    notice: PathBuf,
    fingerprint: String,
}

fn delivery() -> Delivery {
    let ward = Person::init("新宿区", "区 太郎");
    let contractor = Person::init("株式会社サンプル", "乙 花子");
    let src = tree(&ward);
    let notice = ward.path("notice.txt");
    let out = ward.seal(&src, &ward.path("media"), &notice, &[]);
    assert_ok(&out);
    let j = json(&out);
    Delivery {
        payload: PathBuf::from(j["payload"].as_str().unwrap()),
        label: PathBuf::from(j["label"].as_str().unwrap()),
        fingerprint: j["fingerprint"].as_str().unwrap().to_string(),
        notice,
        ward,
        contractor,
    }
}

fn open_args<'a>(payload: &'a Path, dest: &'a Path) -> Vec<&'a std::ffi::OsStr> {
    vec!["open".as_ref(), payload.as_os_str(), "--dest".as_ref(), dest.as_os_str()]
}

/// The contractor opens the delivery with the `.txt` notice as the passphrase file.
fn open_with_notice(d: &Delivery, dest: &Path, global: &[&str]) -> std::process::Output {
    let mut args = global.to_vec();
    args.push("open");
    let c = &d.contractor;
    c.cmd().args(args).arg(&d.payload).arg("--dest").arg(dest).arg("--passphrase-file").arg(&d.notice).output().unwrap()
}

#[test]
fn open_refuses_each_bad_precondition_before_asking_for_any_passphrase() {
    let d = delivery();
    let c = &d.contractor;
    let dest = c.path("work");

    let out = run_without_secrets(c, &open_args(&d.payload, &dest));
    assert_refused(&out, 4, "no-terminal");

    let out = run_without_secrets(c, &open_args(&d.payload.with_file_name("none.age"), &dest));
    assert_refused(&out, 12, "io");

    fs::create_dir_all(&dest).unwrap();
    fs::write(dest.join("old.txt"), "x").unwrap();
    let out = run_without_secrets(c, &open_args(&d.payload, &dest));
    assert_refused(&out, 6, "dest-not-empty");
    let dest = c.path("work2");

    // Trusting another key than the sealer's: the label's signature does not check.
    let stranger = Person::init("他区", "他");
    let stranger_pub = stranger.path("stranger.pub");
    assert_ok(&stranger.cmd().args(["key", "export", "--out"]).arg(&stranger_pub).output().unwrap());
    let mut args = open_args(&d.payload, &dest);
    args.extend([std::ffi::OsStr::new("--trust"), stranger_pub.as_os_str()]);
    assert_refused(&run_without_secrets(c, &args), 7, "label-signature-invalid");

    // The payload no longer matches its label's size.
    let bytes = fs::read(&d.payload).unwrap();
    fs::write(&d.payload, &bytes[..bytes.len() - 1]).unwrap();
    assert_refused(&run_without_secrets(c, &open_args(&d.payload, &dest)), 7, "label-mismatch");
    fs::write(&d.payload, &bytes).unwrap();

    assert!(!dest.exists(), "nothing extracted");
    assert_eq!(c.ledger_lines().len(), 1, "nothing appended to the ledger");
    let _ = &d.ward;
}

#[test]
fn the_label_carries_the_fingerprint_and_open_shows_it_before_the_passphrase() {
    let d = delivery();
    let label: serde_json::Value = serde_json::from_slice(&fs::read(&d.label).unwrap()).unwrap();
    assert_eq!(label["fingerprint"], d.fingerprint.as_str());
    assert_eq!(notice_field(&d.notice, "照合コード"), d.fingerprint, "the notice prints the same code");

    // Without a passphrase the open stops at the secret, after showing what to compare.
    let dest = d.contractor.path("work");
    let out = d
        .contractor
        .cmd()
        .env_remove("CUSTODY_KEY_PASSPHRASE_FILE")
        .args(["--lang", "ja"])
        .args(open_args(&d.payload, &dest))
        .output()
        .unwrap();
    assert_exit(&out, 4);
    let said = stderr(&out);
    let id = d.payload.file_stem().unwrap().to_str().unwrap();
    let shown = said.find(&d.fingerprint).unwrap_or_else(|| panic!("no fingerprint:\n{said}"));
    assert!(said.contains(&format!("暗号化データID {id}")) && said.contains("照合コード"), "{said}");
    assert!(shown < said.find("エラー").unwrap_or(usize::MAX), "shown before the error:\n{said}");
    assert!(!said.contains("確認コード"), "one name for the code:\n{said}");

    let out = open_with_notice(&d, &dest, &["--json"]);
    assert_ok(&out);
    assert_eq!(json(&out)["fingerprint"], d.fingerprint.as_str());
}

#[test]
fn a_label_from_before_the_fingerprint_field_still_opens_and_shows_the_computed_code() {
    let d = delivery();
    let mut label: serde_json::Value = serde_json::from_slice(&fs::read(&d.label).unwrap()).unwrap();
    label.as_object_mut().unwrap().remove("fingerprint");
    // serde_json's map is ordered by key and compact: the JCS form of this label.
    fs::write(&d.label, format!("{}\n", serde_json::to_string(&label).unwrap())).unwrap();
    let dest = d.contractor.path("work");
    let out = open_with_notice(&d, &dest, &[]);
    assert_ok(&out);
    assert!(stderr(&out).contains(&format!("fingerprint {}", d.fingerprint)), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("Fingerprint: {}", d.fingerprint)), "{}", stdout(&out));
    assert_eq!(fs::read_to_string(dest.join("名簿.csv")).unwrap(), "氏名\n山田\n");

    // A label whose fingerprint is not its own is refused.
    let d = delivery();
    let text = fs::read_to_string(&d.label).unwrap();
    let other = if d.fingerprint.starts_with('0') { "1" } else { "0" };
    fs::write(&d.label, text.replace(&d.fingerprint, &format!("{other}{}", &d.fingerprint[1..]))).unwrap();
    let out = run_without_secrets(&d.contractor, &open_args(&d.payload, &d.contractor.path("w")));
    assert_refused(&out, 7, "label-invalid");
}
