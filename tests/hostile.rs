//! Hostile input through the binary (issue 9): an interrupted or killed `open` leaves
//! no plaintext behind, plaintext never lands on the media, the label's signature names
//! the sender, every file read is bounded and type-checked, names are escaped, a closed
//! output never panics, and the ledger is never extended past a damaged tail.

mod common;
#[path = "common/images.rs"]
mod images;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn small_tree(root: &Path) {
    fs::create_dir_all(root.join("申請書")).unwrap();
    fs::write(root.join("申請書/山田.txt"), "氏名: 山田太郎\n").unwrap();
    fs::write(root.join("名簿.csv"), "氏名,電話番号\n").unwrap();
}

/// Seals `src` onto `<dir>/media`, notice in `<dir>/notice.txt`; returns the payload path.
fn seal_ok(p: &Person, src: &Path) -> PathBuf {
    let out = p.seal(src, &p.path("media"), &p.path("notice.txt"), &["--category", "氏名"]);
    assert_ok(&out);
    PathBuf::from(json(&out)["payload"].as_str().unwrap())
}

fn open_cmd(p: &Person, payload: &Path, dest: &Path, extra: &[&str]) -> assert_cmd::Command {
    let mut c = p.cmd();
    c.args(["--json", "open"]).arg(payload).arg("--dest").arg(dest).arg("--passphrase-file").arg(p.path("notice.txt"));
    c.args(extra);
    c
}

fn staging_in(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".custody-staging-"))
        .collect()
}

fn error_code(o: &std::process::Output) -> String {
    json(o)["error"]["code"].as_str().unwrap_or_default().to_owned()
}

/// A payload large enough that opening it takes a while: 48 MiB of incompressible data.
fn big_payload(p: &Person) -> PathBuf {
    let src = p.path("big");
    fs::create_dir_all(&src).unwrap();
    let mut data = vec![0u8; 48 << 20];
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for chunk in data.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    fs::write(src.join("data.bin"), &data).unwrap();
    seal_ok(p, &src)
}

/// Starts `custody open` and waits until its staging directory exists.
fn start_open(p: &Person, payload: &Path, dest: &Path) -> std::process::Child {
    let child = StdCommand::new(assert_cmd::cargo::cargo_bin("custody"))
        .env("CUSTODY_HOME", &p.home)
        .env("CUSTODY_KEY_PASSPHRASE_FILE", &p.key_pass_file)
        .env("LANG", "en_US.UTF-8")
        .args(["--json", "open"])
        .arg(payload)
        .arg("--dest")
        .arg(dest)
        .arg("--passphrase-file")
        .arg(p.path("notice.txt"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let parent = dest.parent().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while staging_in(parent).is_empty() {
        assert!(Instant::now() < deadline, "the open never created its staging directory");
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}

fn kill(pid: u32, sig: &str) {
    assert!(StdCommand::new("kill").args(["-s", sig, &pid.to_string()]).status().unwrap().success());
}

#[test]
fn an_open_interrupted_by_sigint_sigterm_or_sighup_removes_its_staging_directory() {
    let p = Person::init("株式会社委託", "佐藤");
    let payload = big_payload(&p);
    let work = p.path("work");
    fs::create_dir_all(&work).unwrap();
    for sig in ["INT", "TERM", "HUP"] {
        let dest = work.join(format!("dest-{sig}"));
        let child = start_open(&p, &payload, &dest);
        kill(child.id(), sig);
        let out = child.wait_with_output().unwrap();
        assert_exit(&out, 10);
        assert_eq!(error_code(&out), "open-interrupted", "SIG{sig}");
        assert!(staging_in(&work).is_empty(), "SIG{sig} left {:?}", staging_in(&work));
        assert!(!dest.exists(), "SIG{sig}: the destination was created");
    }
}

#[test]
fn an_open_killed_outright_leaves_staging_that_the_next_open_removes_and_reports() {
    let p = Person::init("株式会社委託", "佐藤");
    let payload = big_payload(&p);
    let work = p.path("work");
    fs::create_dir_all(&work).unwrap();
    let child = start_open(&p, &payload, &work.join("first"));
    kill(child.id(), "KILL");
    let _ = child.wait_with_output().unwrap();
    let left = staging_in(&work);
    assert_eq!(left.len(), 1, "SIGKILL leaves the staging directory behind");

    let out = open_cmd(&p, &payload, &work.join("second"), &[]).output().unwrap();
    assert_ok(&out);
    let removed: Vec<String> =
        json(&out)["staging_removed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    assert_eq!(removed, vec![left[0].display().to_string()]);
    assert!(staging_in(&work).is_empty());
    assert!(!work.join("first").exists());
    // In text mode the person is told.
    let child = start_open(&p, &payload, &work.join("third"));
    kill(child.id(), "KILL");
    let _ = child.wait_with_output().unwrap();
    let out = p
        .cmd()
        .arg("open")
        .arg(&payload)
        .arg("--dest")
        .arg(work.join("fourth"))
        .arg("--passphrase-file")
        .arg(p.path("notice.txt"))
        .output()
        .unwrap();
    assert_ok(&out);
    assert!(stderr(&out).contains("Removed the staging folder"), "{}", stderr(&out));
}

#[test]
fn open_refuses_a_work_folder_in_the_payloads_own_folder() {
    let p = Person::init("株式会社委託", "佐藤");
    let src = p.path("src");
    small_tree(&src);
    let payload = seal_ok(&p, &src);
    let dest = payload.parent().unwrap().join("work");
    let out = open_cmd(&p, &payload, &dest, &[]).output().unwrap();
    assert_exit(&out, 5);
    assert_eq!(error_code(&out), "dest-in-payload-folder");
    assert!(!dest.exists());
    assert!(staging_in(payload.parent().unwrap()).is_empty());
}

#[test]
fn open_refuses_a_work_folder_on_the_medium_that_holds_the_payload() {
    let test = "open_refuses_a_work_folder_on_the_medium_that_holds_the_payload";
    if !images::can_mount(test, &["mkfs.ext4"]) {
        return;
    }
    // A filesystem image mounted where desktops mount USB sticks.
    struct Mounted(PathBuf);
    impl Drop for Mounted {
        fn drop(&mut self) {
            let _ = StdCommand::new("umount").arg(&self.0).status();
            let _ = fs::remove_dir(&self.0);
        }
    }
    let dir = tempfile::Builder::new().prefix("custody-hostile-img").tempdir_in("/var/tmp").unwrap();
    let image = dir.path().join("stick.img");
    fs::File::create(&image).unwrap().set_len(64 << 20).unwrap();
    images::run("mkfs.ext4", &["-q", "-F", image.to_str().unwrap()]);
    let mnt = PathBuf::from(format!("/media/custody-hostile-{}", std::process::id()));
    fs::create_dir_all(&mnt).unwrap();
    images::run("mount", &["-o", "loop", image.to_str().unwrap(), mnt.to_str().unwrap()]);
    let img = Mounted(mnt);
    let p = Person::init("株式会社委託", "佐藤");
    let src = p.path("src");
    small_tree(&src);
    let media = img.0.join("delivery");
    let out = p.seal(&src, &media, &p.path("notice.txt"), &[]);
    assert_ok(&out);
    let payload = PathBuf::from(json(&out)["payload"].as_str().unwrap());
    // Another folder, but on the same stick.
    let dest = img.0.join("work");
    let out = open_cmd(&p, &payload, &dest, &[]).output().unwrap();
    assert_exit(&out, 5);
    assert_eq!(error_code(&out), "dest-on-payload-medium");
    assert!(!dest.exists());
    assert!(staging_in(&img.0).is_empty());
    // The computer's own disk is fine.
    assert_ok(&open_cmd(&p, &payload, &p.path("work"), &[]).output().unwrap());
}

#[test]
fn seal_refuses_a_source_that_contains_the_custody_home() {
    let p = Person::init("新宿区", "山田");
    let media = p.dir.path().parent().unwrap().join(format!("media-{}", std::process::id()));
    let out = p.seal(p.dir.path(), &media, &p.path("n.txt"), &[]);
    let _ = fs::remove_dir_all(&media);
    assert_exit(&out, 5);
    assert_eq!(error_code(&out), "source-contains-home");
}

#[test]
fn seal_refuses_a_notice_folder_that_does_not_exist() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    small_tree(&src);
    let out = p.seal(&src, &p.path("media"), &p.path("no-such-folder/n.txt"), &[]);
    assert_exit(&out, 5);
    assert_eq!(error_code(&out), "notice-folder-missing");
    assert!(list_tree(&p.path("media")).is_empty(), "nothing was written");
}

#[test]
fn the_label_is_signed_for_stock_minisign_and_open_trust_names_the_sender() {
    let ward = Person::init("新宿区", "山田");
    let src = ward.path("src");
    small_tree(&src);
    let payload = seal_ok(&ward, &src);
    let label = payload.with_file_name(payload.file_name().unwrap().to_string_lossy().replace(".age", ".label.json"));
    let sig = PathBuf::from(format!("{}.minisig", label.display()));
    assert!(sig.is_file());
    let ward_pub = ward.home.join("identity.pub");
    if have("minisign", "the_label_is_signed_for_stock_minisign_and_open_trust_names_the_sender") {
        let out = StdCommand::new("minisign").arg("-Vm").arg(&label).arg("-p").arg(&ward_pub).output().unwrap();
        assert!(out.status.success(), "minisign -V: {}", String::from_utf8_lossy(&out.stderr));
    }
    let label_json: serde_json::Value = serde_json::from_slice(&fs::read(&label).unwrap()).unwrap();
    let ward_key = label_json["sealed_by"].as_str().unwrap().to_owned();

    let contractor = Person::init("株式会社委託", "佐藤");
    fs::copy(ward.path("notice.txt"), contractor.path("notice.txt")).unwrap();
    let trusted = open_cmd(&contractor, &payload, &contractor.path("w1"), &["--trust", ward_pub.to_str().unwrap()])
        .output()
        .unwrap();
    assert_ok(&trusted);
    let j = json(&trusted);
    assert_eq!(j["sender_confirmed"], true);
    assert_eq!(j["sender_key"], ward_key.as_str());
    assert_eq!(j["sender_issuer"], "新宿区");

    let plain = contractor
        .cmd()
        .arg("open")
        .arg(&payload)
        .arg("--dest")
        .arg(contractor.path("w2"))
        .arg("--passphrase-file")
        .arg(contractor.path("notice.txt"))
        .output()
        .unwrap();
    assert_ok(&plain);
    assert!(stdout(&plain).contains("unconfirmed"), "{}", stdout(&plain));

    // The contractor's own key is not the sender's: refused before any decryption.
    let own_pub = contractor.home.join("identity.pub");
    let wrong = open_cmd(&contractor, &payload, &contractor.path("w3"), &["--trust", own_pub.to_str().unwrap()])
        .output()
        .unwrap();
    assert_exit(&wrong, 7);
    assert_eq!(error_code(&wrong), "label-signature-invalid");
    assert!(!contractor.path("w3").exists());

    // A label changed after signing (here: another issuer) fails the signature.
    let forged = fs::read_to_string(&label).unwrap().replace("新宿区", "渋谷区");
    fs::write(&label, forged).unwrap();
    let out = open_cmd(&contractor, &payload, &contractor.path("w4"), &["--trust", ward_pub.to_str().unwrap()])
        .output()
        .unwrap();
    assert_exit(&out, 7);
    assert_eq!(error_code(&out), "label-signature-invalid");

    // No signature at all, with a trusted key: refused.
    fs::remove_file(&sig).unwrap();
    let out = open_cmd(&contractor, &payload, &contractor.path("w5"), &["--trust", ward_pub.to_str().unwrap()])
        .output()
        .unwrap();
    assert_exit(&out, 7);
    assert_eq!(error_code(&out), "label-unsigned");
}

#[test]
fn passphrase_files_and_labels_that_are_devices_or_fifos_are_refused_at_once() {
    let p = Person::init("株式会社委託", "佐藤");
    let src = p.path("src");
    small_tree(&src);
    let payload = seal_ok(&p, &src);
    let out = p
        .cmd()
        .args(["--json", "open"])
        .arg(&payload)
        .args(["--dest", "/nonexistent-never/x", "--passphrase-file", "/dev/zero"])
        .output()
        .unwrap();
    assert_exit(&out, 5);
    assert_eq!(error_code(&out), "input-not-a-file");
    let out = p.cmd().args(["--json", "--key-passphrase-file", "/dev/zero", "ledger", "repair"]).output().unwrap();
    assert_exit(&out, 5);
    assert_eq!(error_code(&out), "input-not-a-file");
    // A huge regular file is not read beyond the bound.
    let big = p.path("big-pass.txt");
    fs::File::create(&big).unwrap().set_len(1 << 30).unwrap();
    let out = p
        .cmd()
        .args(["--json", "open"])
        .arg(&payload)
        .arg("--dest")
        .arg(p.path("w"))
        .arg("--passphrase-file")
        .arg(&big)
        .output()
        .unwrap();
    assert_exit(&out, 5);
    assert_eq!(error_code(&out), "input-too-large");
    // A FIFO named as the label: refused, never waited on.
    let label = payload.with_file_name(payload.file_name().unwrap().to_string_lossy().replace(".age", ".label.json"));
    fs::remove_file(&label).unwrap();
    assert!(StdCommand::new("mkfifo").arg(&label).status().unwrap().success());
    let out = open_cmd(&p, &payload, &p.path("w"), &[]).timeout(Duration::from_secs(60)).output().unwrap();
    assert_exit(&out, 7);
    assert_eq!(error_code(&out), "label-invalid");
}

#[test]
fn a_key_passphrase_file_others_can_read_is_refused() {
    let p = Person::init("新宿区", "山田");
    fs::set_permissions(&p.key_pass_file, fs::Permissions::from_mode(0o644)).unwrap();
    let out = p.cmd().args(["--json", "ledger", "repair"]).output().unwrap();
    assert_exit(&out, 4);
    assert_eq!(error_code(&out), "key-passphrase-file-exposed");
    assert!(!stdout(&out).contains(KEY_PASS));
}

#[test]
fn ledger_verify_without_a_key_says_the_owner_is_unconfirmed_with_its_own_exit_code() {
    let p = Person::init("新宿区", "山田");
    let copy = p.path("copy.jsonl");
    fs::copy(p.ledger(), &copy).unwrap();
    let out = p.cmd().args(["--json", "ledger", "verify"]).arg(&copy).output().unwrap();
    assert_exit(&out, 13);
    let j = json(&out);
    assert_eq!(j["ok"], false);
    assert_eq!(j["owner_key_confirmed"], false);
    assert_eq!(j["error"]["code"], "ledger-owner-unconfirmed");
    assert_eq!(j["entries"], 1);
    let text = p.cmd().args(["ledger", "verify"]).arg(&copy).output().unwrap();
    assert_exit(&text, 13);
    assert!(stderr(&text).contains("unconfirmed"), "{}", stderr(&text));
    let key = p.home.join("identity.pub");
    let out = p.cmd().args(["--json", "ledger", "verify"]).arg(&copy).arg("--key").arg(&key).output().unwrap();
    assert_ok(&out);
    assert_eq!(json(&out)["owner_key_confirmed"], true);
}

#[test]
fn a_torn_ledger_tail_stops_recording_and_ledger_repair_moves_it_aside_into_a_signed_note() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    small_tree(&src);
    let torn = b"{\"actor\":\"ABCD\",\"bo";
    let mut bytes = fs::read(p.ledger()).unwrap();
    let whole = bytes.len();
    bytes.extend_from_slice(torn);
    fs::write(p.ledger(), &bytes).unwrap();

    let out = p.seal(&src, &p.path("media"), &p.path("n.txt"), &[]);
    assert_exit(&out, 14);
    assert_eq!(error_code(&out), "ledger-torn");
    assert!(json(&out)["error"]["hint"].as_str().unwrap().contains("custody ledger repair"));
    assert!(list_tree(&p.path("media")).is_empty(), "an unrecorded payload is removed");

    let out = p.cmd().args(["--json", "ledger", "repair"]).output().unwrap();
    assert_ok(&out);
    let j = json(&out);
    assert_eq!(j["repaired"], true);
    assert_eq!(j["line"], 2);
    assert_eq!(j["offset"], whole);
    assert_eq!(fs::read(j["saved_as"].as_str().unwrap()).unwrap(), torn, "the torn bytes are kept");
    let lines = p.ledger_lines();
    let note = lines.last().unwrap();
    assert_eq!(note["kind"], "ledger-repaired");
    assert_eq!(note["body"]["bytes"], torn.len());
    let out = p.cmd().args(["ledger", "verify"]).output().unwrap();
    assert_ok(&out);
    let again = p.cmd().args(["--json", "ledger", "repair"]).output().unwrap();
    assert_ok(&again);
    assert_eq!(json(&again)["repaired"], false);
    assert_ok(&p.seal(&src, &p.path("media"), &p.path("n.txt"), &[]));
}

#[test]
fn a_forged_ledger_line_is_never_extended() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    small_tree(&src);
    let text = fs::read_to_string(p.ledger()).unwrap();
    let forged = text.replacen("新宿区", "渋谷区", 1);
    assert_ne!(forged, text);
    fs::write(p.ledger(), &forged).unwrap();
    let out = p.seal(&src, &p.path("media"), &p.path("n.txt"), &[]);
    assert_exit(&out, 14);
    assert_eq!(error_code(&out), "ledger-tail-refused");
    assert_eq!(fs::read_to_string(p.ledger()).unwrap(), forged, "nothing was appended");
}

#[test]
fn a_ledger_whose_last_entry_lies_far_in_the_future_is_a_data_error() {
    let p = Person::init("新宿区", "山田");
    let key_text = fs::read_to_string(p.home.join("identity.key")).unwrap();
    let pass = secrecy::SecretString::from(KEY_PASS.to_owned());
    let key = custody_keys::SecretKey::from_encrypted_minisign(&key_text, &pass).unwrap();
    let future = chrono::Local::now().fixed_offset() + chrono::Duration::days(3650);
    custody_ledger::Ledger::open(&p.ledger()).unwrap().append("note", serde_json::Map::new(), &key, future).unwrap();
    let src = p.path("src");
    small_tree(&src);
    let out = p.seal(&src, &p.path("media"), &p.path("n.txt"), &[]);
    assert_exit(&out, 14);
    assert_eq!(error_code(&out), "ledger-time-future");
}

#[test]
fn a_key_file_below_the_kdf_minimum_is_refused() {
    use base64::Engine;
    let p = Person::init("新宿区", "山田");
    let path = p.home.join("identity.key");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut raw = b64.decode(&lines[1]).unwrap();
    // opslimit 32768, memlimit 1 MiB: N=2^7, far below the minimum.
    raw[38..46].copy_from_slice(&32768u64.to_le_bytes());
    raw[46..54].copy_from_slice(&(1u64 << 20).to_le_bytes());
    lines[1] = b64.encode(&raw);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out = p.cmd().args(["--json", "ledger", "repair"]).output().unwrap();
    assert_exit(&out, 3);
    assert_eq!(error_code(&out), "key-kdf");
}

#[test]
fn names_from_a_source_tree_are_escaped_before_they_reach_the_terminal() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("evil\u{1b}[2J\u{202e}txt.exe"), b"x").unwrap();
    let out = p
        .cmd()
        .arg("seal")
        .arg(&src)
        .arg("--to")
        .arg(p.path("media"))
        .arg("--notice")
        .arg(p.path("n.txt"))
        .output()
        .unwrap();
    fs::create_dir_all(p.path("media")).unwrap();
    assert_exit(&out, 5);
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{202e}'), "raw control characters reached the terminal");
    assert!(err.contains("\\u{001B}[2J\\u{202E}txt.exe"), "{err}");
}

#[test]
fn a_closed_or_full_output_ends_with_an_exit_code_never_a_panic() {
    let p = Person::init("新宿区", "山田");
    let full = || fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    // The result cannot be written: the I/O exit code.
    let out = StdCommand::new(assert_cmd::cargo::cargo_bin("custody"))
        .env("CUSTODY_HOME", &p.home)
        .args(["--json", "ledger", "verify"])
        .stdout(full())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(12), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    // An error that cannot be told on standard error keeps its own exit code.
    let out = StdCommand::new(assert_cmd::cargo::cargo_bin("custody"))
        .env("CUSTODY_HOME", p.path("no-home"))
        .args(["ledger", "verify"])
        .stdout(Stdio::null())
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    // A closed standard output (not a full one) is no reason to fail the command.
    let out = StdCommand::new("sh")
        .arg("-c")
        .arg(format!("'{}' ledger verify >&- 2>&-", assert_cmd::cargo::cargo_bin("custody").display()))
        .env("CUSTODY_HOME", &p.home)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c != 101), "{:?}", out.status);
}
