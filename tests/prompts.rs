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
