//! The interactive path, on a real pseudo-terminal: prompts without echo, a typo
//! named by its group and asked again, the key passphrase typed twice at init, and the
//! confirmation before an erasure.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command as StdCommand;

use common::*;

/// Runs `custody ARGS` on a pty with `answers` ("expect", "answer") and returns
/// (exit code, what the terminal showed).
fn drive(p: &Person, answers: &[(&str, &str)], args: &[&str]) -> (i32, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/support/drive_prompts.py");
    let answers_file = p.path("answers.tsv");
    let text: String = answers.iter().map(|(e, a)| format!("{e}\t{a}\n")).collect();
    fs::write(&answers_file, text).unwrap();
    let out = StdCommand::new("python3")
        .arg(script)
        .arg(&answers_file)
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin("custody"))
        .args(args)
        .env("CUSTODY_HOME", &p.home)
        .env_remove("CUSTODY_KEY_PASSPHRASE_FILE")
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn init_asks_for_the_key_passphrase_twice_without_echo() {
    if !have("python3", "init_asks_for_the_key_passphrase_twice_without_echo") {
        return;
    }
    let p = Person::new();
    let (code, screen) = drive(
        &p,
        &[("Key passphrase", "a long key passphrase"), ("again", "a long key passphrase")],
        &["init", "--org", "新宿区", "--name", "山田"],
    );
    assert_eq!(code, 0, "{screen}");
    assert!(!screen.contains("a long key passphrase"), "the passphrase is never echoed:\n{screen}");
    assert!(p.home.join("person.json").exists());
}

#[test]
fn open_names_the_mistyped_group_asks_again_and_then_opens() {
    if !have("python3", "open_names_the_mistyped_group_asks_again_and_then_opens") {
        return;
    }
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("名簿.csv"), "氏名\n山田\n").unwrap();
    let media = p.path("media");
    let out = p.seal(&src, &media, &p.path("n.txt"), &[]);
    assert_ok(&out);
    let payload = json(&out)["payload"].as_str().unwrap().to_string();
    let pass = custody_notice::parse_text_notice(&fs::read_to_string(p.path("n.txt")).unwrap()).unwrap().passphrase;
    let typed = pass.typed_form().to_string();
    // A typo in the third group: change its first symbol.
    let mut groups: Vec<String> = typed.split('-').map(str::to_string).collect();
    let first = groups[2].remove(0);
    groups[2].insert(0, if first == '7' { '8' } else { '7' });
    let mistyped = groups.join("-");
    let dest = p.path("work");
    let dest_s = dest.to_str().unwrap();
    let (code, screen) = drive(
        &p,
        &[
            ("Passphrase from the password notice", &mistyped),
            ("Passphrase from the password notice", &typed.to_lowercase()),
            ("Key passphrase", KEY_PASS),
        ],
        &["open", &payload, "--dest", dest_s],
    );
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("typo in group 3"), "{screen}");
    assert!(!screen.contains(&typed) && !screen.contains(KEY_PASS), "nothing secret is echoed:\n{screen}");
    assert_eq!(fs::read_to_string(dest.join("名簿.csv")).unwrap(), "氏名\n山田\n");
}

#[test]
fn wipe_asks_before_erasing_and_no_changes_nothing() {
    if !have("python3", "wipe_asks_before_erasing_and_no_changes_nothing") {
        return;
    }
    let p = Person::init("委託先", "佐藤");
    let work = p.path("work");
    fs::create_dir_all(&work).unwrap();
    fs::write(work.join("a.txt"), "data").unwrap();
    let w = work.to_str().unwrap();
    let (code, screen) = drive(&p, &[("Type \"yes\"", "no")], &["wipe", w]);
    assert_eq!(code, 11, "{screen}");
    assert!(screen.contains("About to erase"), "{screen}");
    // The question names what it is about: the folder given, with what it holds.
    assert!(screen.contains(&format!("{w} (folder: 1 files")), "{screen}");
    assert!(work.join("a.txt").exists());
    // Only the word asked for erases: "y" (accepted once) no longer does.
    let (code, screen) = drive(&p, &[("Type \"yes\"", "y")], &["wipe", w]);
    assert_eq!(code, 11, "{screen}");
    assert!(work.join("a.txt").exists());
    let (code, screen) = drive(&p, &[("Type \"yes\"", "yes"), ("Key passphrase", KEY_PASS)], &["wipe", w]);
    assert_eq!(code, 0, "{screen}");
    assert!(!work.exists());
}

/// A folder sealed by `p` with its key passphrase file; returns (payload, typed passphrase).
fn sealed(p: &Person) -> (String, String) {
    let src = p.path("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("名簿.csv"), "氏名\n山田\n").unwrap();
    let out = p.seal(&src, &p.path("media"), &p.path("n.txt"), &[]);
    assert_ok(&out);
    let payload = json(&out)["payload"].as_str().unwrap().to_string();
    let pass = custody_notice::parse_text_notice(&fs::read_to_string(p.path("n.txt")).unwrap()).unwrap().passphrase;
    (payload, pass.typed_form().to_string())
}

/// A well-formed passphrase (every group's check symbol right) that is not this payload's.
fn another_passphrase() -> String {
    custody_notice::Passphrase::generate().unwrap().typed_form().to_string()
}

/// A person, an empty media folder, a notice path and the `seal` arguments for them.
fn seal_at_a_terminal() -> (Person, std::path::PathBuf, std::path::PathBuf, Vec<String>) {
    let p = Person::init("新宿区", "山田");
    let src = p.path("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("a.txt"), "a").unwrap();
    let media = p.path("media");
    fs::create_dir_all(&media).unwrap();
    let notice = p.path("n.html");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let args = vec!["seal".into(), s(&src), "--to".into(), s(&media), "--notice".into(), s(&notice)];
    (p, media, notice, args)
}

#[test]
fn a_wrong_key_passphrase_is_asked_again_and_the_second_try_seals() {
    if !have("python3", "a_wrong_key_passphrase_is_asked_again_and_the_second_try_seals") {
        return;
    }
    let (p, media, notice, args) = seal_at_a_terminal();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, screen) = drive(&p, &[("Key passphrase", "not my passphrase"), ("Key passphrase", KEY_PASS)], &args);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("The key passphrase is wrong. Type it again (2 tries left)"), "{screen}");
    assert!(notice.is_file() && fs::read_dir(&media).unwrap().count() == 3, "sealed after the second try");
}

#[test]
fn three_wrong_key_passphrases_end_with_the_wrong_key_passphrase_error_and_write_nothing() {
    if !have("python3", "three_wrong_key_passphrases_end_with_the_wrong_key_passphrase_error") {
        return;
    }
    let (p, media, notice, args) = seal_at_a_terminal();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let wrong = [("Key passphrase", "wrong 1"), ("Key passphrase", "wrong 2"), ("Key passphrase", "wrong 3")];
    let (code, screen) = drive(&p, &wrong, &args);
    assert_eq!(code, 4, "{screen}");
    assert!(screen.contains("(1 tries left)"), "{screen}");
    assert!(screen.contains("Error: The key passphrase is wrong."), "{screen}");
    assert_eq!(screen.matches("Key passphrase (protects").count(), 3, "asked three times, no more:\n{screen}");
    assert!(!notice.exists() && fs::read_dir(&media).unwrap().next().is_none(), "nothing written");
}

#[test]
fn a_wrong_payload_passphrase_is_asked_again_after_showing_what_to_compare() {
    if !have("python3", "a_wrong_payload_passphrase_is_asked_again_after_showing_what_to_compare") {
        return;
    }
    let p = Person::init("新宿区", "山田");
    let (payload, typed) = sealed(&p);
    let fingerprint = {
        let label = payload.replace(".age", ".label.json");
        let l: serde_json::Value = serde_json::from_slice(&fs::read(label).unwrap()).unwrap();
        l["fingerprint"].as_str().unwrap().to_string()
    };
    let dest = p.path("work");
    let (code, screen) = drive(
        &p,
        &[
            ("Passphrase from the password notice", &another_passphrase()),
            ("Key passphrase", KEY_PASS),
            ("Passphrase from the password notice", &typed),
        ],
        &["open", &payload, "--dest", dest.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{screen}");
    let code_at = screen.find(&format!("fingerprint {fingerprint}")).unwrap_or_else(|| panic!("{screen}"));
    assert!(code_at < screen.find("Passphrase from the password notice").unwrap(), "code first:\n{screen}");
    assert!(screen.contains("is wrong. Check the password notice and type it again (2 tries left)"), "{screen}");
    assert_eq!(fs::read_to_string(dest.join("名簿.csv")).unwrap(), "氏名\n山田\n");
}

#[test]
fn three_wrong_payload_passphrases_end_with_the_wrong_passphrase_error() {
    if !have("python3", "three_wrong_payload_passphrases_end_with_the_wrong_passphrase_error") {
        return;
    }
    let p = Person::init("新宿区", "山田");
    let (payload, _) = sealed(&p);
    let dest = p.path("work");
    let (a, b, c) = (another_passphrase(), another_passphrase(), another_passphrase());
    let (code, screen) = drive(
        &p,
        &[
            ("Passphrase from the password notice", &a),
            ("Key passphrase", KEY_PASS),
            ("Passphrase from the password notice", &b),
            ("Passphrase from the password notice", &c),
        ],
        &["open", &payload, "--dest", dest.to_str().unwrap()],
    );
    assert_eq!(code, 4, "{screen}");
    assert!(screen.contains("(1 tries left)"), "{screen}");
    assert!(screen.contains("Error: The passphrase is wrong for this payload."), "{screen}");
    assert_eq!(screen.matches("Passphrase from the password notice").count(), 3, "{screen}");
    assert!(!dest.exists(), "nothing extracted");
}
