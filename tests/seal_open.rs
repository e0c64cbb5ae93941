//! `custody seal` and `custody open` through the binary: R1, R2, R8, R9, R16, R17.

mod common;

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use common::*;

/// A source tree with the awkward cases: Japanese names, an empty file, an empty
/// directory, a long path, nested folders.
fn sample_tree(root: &Path) {
    fs::create_dir_all(root.join("申請書/2026年度")).unwrap();
    fs::write(root.join("申請書/2026年度/山田太郎_申請書.txt"), "氏名: 山田太郎\n住所: 新宿区\n".repeat(100)).unwrap();
    fs::write(root.join("empty.txt"), "").unwrap();
    fs::create_dir_all(root.join("空のフォルダ")).unwrap();
    let long = "a".repeat(120);
    fs::create_dir_all(root.join(&long)).unwrap();
    fs::write(root.join(&long).join("b".repeat(120)), b"long path").unwrap();
    fs::write(root.join("名簿.csv"), "氏名,電話番号\n山田,03-0000-0000\n").unwrap();
}

struct Sealed {
    payload: PathBuf,
    label: PathBuf,
    notice: PathBuf,
    json: serde_json::Value,
}

fn seal(p: &Person, src: &Path, media: &Path, notice: &Path, extra: &[&str]) -> std::process::Output {
    p.seal(src, media, notice, extra)
}

fn seal_ok(p: &Person, src: &Path) -> Sealed {
    let media = p.path("media");
    let notice = p.path("notice.txt");
    let out =
        seal(p, src, &media, &notice, &["--recipient", "株式会社委託", "--category", "氏名", "--category", "住所"]);
    assert_ok(&out);
    let j = json(&out);
    Sealed {
        payload: PathBuf::from(j["payload"].as_str().unwrap()),
        label: PathBuf::from(j["label"].as_str().unwrap()),
        notice,
        json: j,
    }
}

fn canonical_passphrase(notice: &Path) -> String {
    let text = fs::read_to_string(notice).unwrap();
    let parsed = custody_notice::parse_text_notice(&text).expect("notice parses");
    parsed.passphrase.canonical().to_string()
}

fn open(p: &Person, payload: &Path, dest: &Path, pass_file: &Path) -> std::process::Output {
    p.cmd()
        .args(["--json", "open"])
        .arg(payload)
        .arg("--dest")
        .arg(dest)
        .arg("--passphrase-file")
        .arg(pass_file)
        .output()
        .unwrap()
}

fn assert_same_tree(a: &Path, b: &Path) {
    assert_eq!(list_tree(a), list_tree(b));
    for rel in list_tree(a) {
        let (fa, fb) = (a.join(&rel), b.join(&rel));
        if fa.is_file() {
            assert_eq!(fs::read(&fa).unwrap(), fs::read(&fb).unwrap(), "{rel} differs");
        }
    }
}

#[test]
fn r01_seal_then_open_round_trips_the_tree_into_an_owner_only_folder() {
    let p = Person::init("新宿区 地域調整課", "山田 花子");
    let src = p.path("src");
    sample_tree(&src);
    let s = seal_ok(&p, &src);
    assert!(s.payload.starts_with(p.path("media")) && s.payload.extension().unwrap() == "age");
    assert!(s.label.exists());
    let media_files = list_tree(&p.path("media"));
    assert_eq!(media_files.len(), 3, "only the payload, its label and its signature on the media: {media_files:?}");
    assert!(!fs::read_to_string(&s.label).unwrap().contains("山田太郎"), "no personal data on the label");

    let dest = p.path("work");
    let out = open(&p, &s.payload, &dest, &s.notice);
    assert_ok(&out);
    let j = json(&out);
    assert_eq!(j["payload_id"], s.json["payload_id"]);
    assert_eq!(j["label_checked"], true);
    assert_same_tree(&src, &dest);
    assert_eq!(fs::metadata(&dest).unwrap().permissions().mode() & 0o777, 0o700);
    let f = dest.join("申請書/2026年度/山田太郎_申請書.txt");
    assert_eq!(fs::metadata(f).unwrap().permissions().mode() & 0o777, 0o600);

    let kinds: Vec<String> = p.ledger_lines().iter().map(|l| l["kind"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, ["init", "sealed", "opened"]);
    let sealed = &p.ledger_lines()[1]["body"];
    assert_eq!(sealed["payload_id"], s.json["payload_id"]);
    assert_eq!(sealed["categories"], serde_json::json!(["氏名", "住所"]));
    let ledger = fs::read_to_string(p.ledger()).unwrap();
    assert!(!ledger.contains("山田太郎"), "no file names in the ledger");
    assert!(!ledger.contains(&canonical_passphrase(&s.notice)), "no passphrase in the ledger");
    assert_ok(&p.cmd().args(["ledger", "verify"]).output().unwrap());
}

#[test]
fn r01_a_payload_decrypts_with_stock_age_to_the_original_tree() {
    if !have("age", "r01_a_payload_decrypts_with_stock_age_to_the_original_tree") {
        return;
    }
    let (p, src, s, pass_file) = sealed_for_stock_age();
    let tar = p.path("payload.tar");
    assert!(
        stock_age(&pass_file, &["-d".as_ref(), "-o".as_ref(), tar.as_ref(), s.payload.as_ref()], None),
        "stock age -d failed"
    );
    let out_dir = p.path("untarred");
    fs::create_dir(&out_dir).unwrap();
    let st = StdCommand::new("tar").arg("-xf").arg(&tar).arg("-C").arg(&out_dir).status().unwrap();
    assert!(st.success());
    // The tree at the top level, plus MANIFEST.json, whose SHA-256 is the manifest
    // root on the label (docs/payload.md).
    let manifest_path = out_dir.join("MANIFEST.json");
    let manifest = fs::read(&manifest_path).unwrap();
    assert_eq!(sha256_hex(&manifest), s.json["manifest_root"].as_str().unwrap());
    fs::remove_file(&manifest_path).unwrap();
    assert_same_tree(&src, &out_dir);
}

/// A sealed sample tree and a file holding its canonical passphrase (what stock age is
/// given), for the tests that use stock age.
fn sealed_for_stock_age() -> (Person, PathBuf, Sealed, PathBuf) {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    let s = seal_ok(&p, &src);
    let pass_file = p.path("canonical.txt");
    fs::write(&pass_file, canonical_passphrase(&s.notice)).unwrap();
    (p, src, s, pass_file)
}

/// Runs stock `age ARGS` with the passphrase in `pass_file` typed at its prompt.
fn stock_age(pass_file: &Path, args: &[&std::ffi::OsStr], stdin: Option<&Path>) -> bool {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/support/age_pty.py");
    let mut c = StdCommand::new("python3");
    c.arg(script).arg(pass_file).arg("age").args(args);
    if let Some(f) = stdin {
        c.stdin(fs::File::open(f).unwrap());
    }
    c.status().unwrap().success()
}

fn sha256_hex(data: &[u8]) -> String {
    let out =
        StdCommand::new("sha256sum").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn();
    let mut child = out.unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(data).unwrap();
    let o = child.wait_with_output().unwrap();
    String::from_utf8(o.stdout).unwrap().split_whitespace().next().unwrap().to_string()
}

#[test]
fn r02_a_notice_on_the_media_is_refused_and_nothing_is_written() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    let media = p.path("media");
    let out = seal(&p, &src, &media, &media.join("notice.html"), &[]);
    assert_exit(&out, 5);
    assert_eq!(json(&out)["error"]["code"], "notice-on-media");
    assert!(list_tree(&media).is_empty());
    assert_eq!(p.ledger_lines().len(), 1);
}

#[test]
fn seal_refuses_symlinks_and_special_files_listing_every_offender() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    symlink("/etc/passwd", src.join("link-out")).unwrap();
    symlink("名簿.csv", src.join("申請書/link-in")).unwrap();
    let fifo = src.join("pipe");
    assert!(StdCommand::new("mkfifo").arg(&fifo).status().unwrap().success());
    let media = p.path("media");
    fs::create_dir_all(&media).unwrap();
    let out =
        p.cmd().arg("seal").arg(&src).arg("--to").arg(&media).arg("--notice").arg(p.path("n.txt")).output().unwrap();
    assert_exit(&out, 5);
    let e = stderr(&out);
    assert!(e.contains("link-out") && e.contains("link-in") && e.contains("pipe"), "every offender is listed: {e}");
    assert!(e.contains("symbolic link"), "{e}");
    assert!(list_tree(&media).is_empty());
    assert!(!p.path("n.txt").exists());
}

#[test]
fn seal_refuses_a_source_inside_the_media() {
    let p = Person::init("新宿区", "山田");
    let media = p.path("media");
    let src = media.join("src");
    sample_tree(&src);
    let out = seal(&p, &src, &media, &p.path("n.txt"), &[]);
    assert_exit(&out, 5);
    assert_eq!(list_tree(&media).iter().filter(|f| f.ends_with(".age") || f.ends_with(".json")).count(), 0);
}

#[test]
fn seal_refuses_to_overwrite_an_existing_notice() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    fs::write(p.path("n.txt"), "old notice").unwrap();
    let out = seal(&p, &src, &p.path("media"), &p.path("n.txt"), &[]);
    assert_exit(&out, 5);
    assert_eq!(fs::read_to_string(p.path("n.txt")).unwrap(), "old notice");
}

#[test]
fn the_html_notice_is_a_printable_page_with_the_facts_the_recipient_checks() {
    let p = Person::init("新宿区 地域調整課", "山田 花子");
    let src = p.path("src");
    sample_tree(&src);
    let notice = p.path("notice.html");
    let out = seal(&p, &src, &p.path("media"), &notice, &["--recipient", "株式会社委託", "--contract", "R8-地調-001"]);
    assert_ok(&out);
    let j = json(&out);
    let html = fs::read_to_string(&notice).unwrap();
    for needle in ["パスワード通知書", "株式会社委託", "R8-地調-001", "令和", "新宿区 地域調整課"]
    {
        assert!(html.contains(needle), "notice lacks {needle}");
    }
    assert!(html.contains(j["payload_id"].as_str().unwrap()));
    assert!(html.contains(j["fingerprint"].as_str().unwrap()));
    assert!(html.contains(j["notice_id"].as_str().unwrap()));
    assert_eq!(fs::metadata(&notice).unwrap().permissions().mode() & 0o077, 0, "notice is owner-only");
}

#[test]
fn open_with_a_wrong_passphrase_leaves_nothing() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    let s = seal_ok(&p, &src);
    // A valid passphrase (checks correct), but not this payload's.
    let other = custody_notice::Passphrase::generate().unwrap();
    let wrong = p.path("wrong.txt");
    fs::write(&wrong, &*other.typed_form()).unwrap();
    let dest = p.path("work");
    let out = open(&p, &s.payload, &dest, &wrong);
    assert_exit(&out, 4);
    assert_eq!(json(&out)["error"]["code"], "wrong-passphrase");
    assert!(!dest.exists());
    assert_no_staging(&p.path(""));
    assert_eq!(p.ledger_lines().len(), 2, "a failed open records nothing");
}

fn assert_no_staging(dir: &Path) {
    let left: Vec<_> =
        fs::read_dir(dir).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains("staging")).collect();
    assert!(left.is_empty(), "staging left behind: {left:?}");
}

#[test]
fn open_names_the_group_with_a_typo_before_any_slow_work() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    let s = seal_ok(&p, &src);
    let text = fs::read_to_string(&s.notice).unwrap();
    let pass = custody_notice::parse_text_notice(&text).unwrap().passphrase;
    let mut typed: Vec<char> = pass.typed_form().chars().collect();
    // Change the first symbol of the second group.
    let groups: Vec<usize> = typed
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_ascii_alphanumeric() && !"*~$=".contains(**c))
        .map(|(i, _)| i)
        .collect();
    let i = groups[0] + 1;
    typed[i] = if typed[i] == '7' { '8' } else { '7' };
    let bad = p.path("typo.txt");
    fs::write(&bad, typed.iter().collect::<String>()).unwrap();
    let out = p
        .cmd()
        .args(["--lang", "en", "open"])
        .arg(&s.payload)
        .arg("--dest")
        .arg(p.path("w"))
        .arg("--passphrase-file")
        .arg(&bad)
        .output()
        .unwrap();
    assert_exit(&out, 4);
    assert!(stderr(&out).contains("group 2"), "{}", stderr(&out));
    assert!(!p.path("w").exists());
}

#[test]
fn open_refuses_a_payload_that_does_not_match_its_label() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    let s = seal_ok(&p, &src);
    // Keep the label canonical (it is strict JSON) but name another ciphertext.
    let text = fs::read_to_string(&s.label).unwrap();
    let sha = s.json["ciphertext_sha256"].as_str().unwrap().to_string();
    assert!(text.contains(&sha));
    let flipped = format!("{}{}", if sha.starts_with('0') { "1" } else { "0" }, &sha[1..]);
    // The label's fingerprint follows its SHA-256, or the label would contradict itself.
    let mut digest = [0u8; 32];
    for (i, b) in digest.iter_mut().enumerate() {
        *b = u8::from_str_radix(&flipped[2 * i..2 * i + 2], 16).unwrap();
    }
    let fingerprint = s.json["fingerprint"].as_str().unwrap();
    let relabelled = text.replace(&sha, &flipped).replace(fingerprint, &custody_seal::fingerprint(&digest));
    fs::write(&s.label, relabelled).unwrap();
    let dest = p.path("work");
    let out = open(&p, &s.payload, &dest, &s.notice);
    assert_exit(&out, 7);
    assert_eq!(json(&out)["error"]["code"], "label-mismatch");
    assert!(!dest.exists());

    // A label that is not a label at all is an integrity failure too, not a crash.
    fs::write(&s.label, "{\"v\":1,\"payload_id\":").unwrap();
    let out = open(&p, &s.payload, &dest, &s.notice);
    assert_exit(&out, 7);
    assert_eq!(json(&out)["error"]["code"], "label-invalid");
    assert!(!dest.exists());

    // Why, in the user's language: an edited label (one space added) and a truncated one.
    let edited = text.replacen(':', ": ", 1);
    for (bytes, ja, en) in [
        (edited.as_str(), "編集された可能性があります", "it was edited"),
        ("{\"v\":1,\"payload_id\":", "ラベルの形式ではありません", "it is not a label"),
    ] {
        fs::write(&s.label, bytes).unwrap();
        for (lang, words) in [("ja", ja), ("en", en)] {
            let out = p
                .cmd()
                .args(["--lang", lang, "--json", "open"])
                .arg(&s.payload)
                .arg("--dest")
                .arg(&dest)
                .arg("--passphrase-file")
                .arg(&s.notice)
                .output()
                .unwrap();
            assert_exit(&out, 7);
            let message = json(&out)["error"]["message"].as_str().unwrap().to_owned();
            assert!(message.contains(words), "{lang}: {message}");
            if lang == "ja" {
                assert!(!message.contains("canonical") && !message.contains("EOF"), "{message}");
            }
        }
    }
}

#[test]
fn open_refuses_a_truncated_or_corrupted_payload_and_leaves_nothing() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    // Big enough for several age chunks, so truncation cuts after plaintext was produced.
    fs::write(src.join("big.bin"), vec![7u8; 300 * 1024]).unwrap();
    let s = seal_ok(&p, &src);
    fs::remove_file(&s.label).unwrap(); // test the decryption path, not the label check
    let bytes = fs::read(&s.payload).unwrap();
    for (name, damaged) in [
        ("truncated", bytes[..bytes.len() - 1000].to_vec()),
        ("corrupted", {
            let mut b = bytes.clone();
            let n = b.len();
            b[n / 2] ^= 0x40;
            b
        }),
    ] {
        // In a folder of its own: a work folder beside the payload is refused.
        fs::create_dir_all(p.path("damaged")).unwrap();
        let payload = p.path(&format!("damaged/{name}.age"));
        fs::write(&payload, &damaged).unwrap();
        let dest = p.path(&format!("work-{name}"));
        let out = open(&p, &payload, &dest, &s.notice);
        assert_exit(&out, 7);
        assert!(!dest.exists(), "{name}: nothing may be left in DEST");
        assert_no_staging(&p.path(""));
    }
}

#[test]
fn open_refuses_a_destination_that_is_not_empty() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    let s = seal_ok(&p, &src);
    let dest = p.path("work");
    fs::create_dir(&dest).unwrap();
    fs::write(dest.join("mine.txt"), "keep me").unwrap();
    let out = open(&p, &s.payload, &dest, &s.notice);
    assert_exit(&out, 6);
    assert_eq!(list_tree(&dest), ["mine.txt"]);
}

#[test]
fn r16_every_open_is_recorded_with_the_machine() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    let s = seal_ok(&p, &src);
    for d in ["w1", "w2"] {
        assert_ok(&open(&p, &s.payload, &p.path(d), &s.notice));
    }
    let opened: Vec<_> = p.ledger_lines().into_iter().filter(|l| l["kind"] == "opened").collect();
    assert_eq!(opened.len(), 2);
    assert!(opened[0]["body"]["machine"]["hostname"].as_str().is_some_and(|h| !h.is_empty()));
}

#[test]
fn deep_trees_and_a_multi_gib_sparse_file_round_trip() {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    let mut deep = src.clone();
    for i in 0..60 {
        deep = deep.join(format!("階層{i:02}"));
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("底.txt"), "bottom").unwrap();
    let sparse = fs::File::create(src.join("sparse.img")).unwrap();
    let size = 2 * 1024 * 1024 * 1024 + 12345u64;
    sparse.set_len(size).unwrap();
    drop(sparse);
    let s = seal_ok(&p, &src);
    assert_eq!(s.json["total_bytes"].as_u64().unwrap(), size + 6);
    let dest = p.path("work");
    assert_ok(&open(&p, &s.payload, &dest, &s.notice));
    assert_eq!(fs::metadata(dest.join("sparse.img")).unwrap().len(), size);
    assert_eq!(fs::read_to_string(dest.join(deep.strip_prefix(&src).unwrap()).join("底.txt")).unwrap(), "bottom");
}

#[test]
fn seal_refuses_media_without_room_before_writing_anything() {
    if !need_root("mount a small tmpfs") {
        return;
    }
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    sample_tree(&src);
    fs::write(src.join("big.bin"), vec![1u8; 2 << 20]).unwrap();
    let media = p.path("small-media");
    fs::create_dir_all(&media).unwrap();
    let st = StdCommand::new("mount").args(["-t", "tmpfs", "-o", "size=512k", "tmpfs"]).arg(&media).status().unwrap();
    if !st.success() {
        skip("cannot mount tmpfs here");
        return;
    }
    let out = seal(&p, &src, &media, &p.path("n.txt"), &[]);
    let listed = list_tree(&media);
    let _ = StdCommand::new("umount").arg(&media).status();
    assert_exit(&out, 6);
    assert_eq!(json(&out)["error"]["code"], "no-room");
    assert!(listed.is_empty(), "nothing written: {listed:?}");
    assert!(!p.path("n.txt").exists());
}

#[test]
fn open_names_an_unsafe_entry_in_the_users_language() {
    // A payload made with stock age around a tar holding a symbolic link: what an
    // attacker (or a careless sender) could put on a stick with the right passphrase.
    if !have("age", "open_names_an_unsafe_entry_in_the_users_language") {
        return;
    }
    let (p, _, s, pass_file) = sealed_for_stock_age();
    let tar = p.path("hostile.tar");
    let st = StdCommand::new("python3")
        .arg("-c")
        .arg(
            "import io, sys, tarfile\n\
             t = tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT)\n\
             i = tarfile.TarInfo('a.txt'); i.size = 2; t.addfile(i, io.BytesIO(b'hi'))\n\
             l = tarfile.TarInfo('link'); l.type = tarfile.SYMTYPE; l.linkname = '/etc/passwd'; t.addfile(l)\n\
             t.close()",
        )
        .arg(&tar)
        .status()
        .unwrap();
    assert!(st.success());
    // In a folder of its own: a work folder beside the payload would be refused first.
    std::fs::create_dir_all(p.path("stick")).unwrap();
    let hostile = p.path("stick/hostile.age");
    assert!(
        stock_age(&pass_file, &["-p".as_ref(), "-o".as_ref(), hostile.as_ref()], Some(&tar)),
        "stock age -p failed"
    );

    for (lang, words) in [("ja", "シンボリックリンク"), ("en", "a symbolic link")] {
        let dest = p.path(&format!("work-{lang}"));
        let out = p
            .cmd()
            .args(["--lang", lang, "open"])
            .arg(&hostile)
            .arg("--dest")
            .arg(&dest)
            .arg("--passphrase-file")
            .arg(&s.notice)
            .output()
            .unwrap();
        assert_exit(&out, 7);
        let err = stderr(&out);
        assert!(err.contains("link") && err.contains(words), "{lang}: {err}");
        assert!(!err.contains("symbolic link") || lang == "en", "no English inside the Japanese message: {err}");
        assert!(!dest.exists());
        assert_no_staging(&p.path(""));
    }
}
