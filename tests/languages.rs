//! Every command, and the errors a clerk meets most, in Japanese and in English: no
//! message id left untranslated, no raw identifier (`all-erased`, `not-assured`) in
//! human output, and no English inside Japanese beyond names, paths and commands.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::*;
use custody_l10n::{message_ids, Lang};

/// What one run showed a person: standard output and standard error.
fn shown(o: &std::process::Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// Runs each scenario in `lang` and returns (what was run, what it showed).
fn run_everything(lang: &str) -> Vec<(String, String)> {
    let mut seen = vec![];
    let p = Person::new();
    let mut run = |what: &str, args: &[&str], expect: Option<i32>| {
        let mut c = p.cmd();
        c.args(["--lang", lang]).args(args);
        let out = c.output().unwrap();
        if let Some(code) = expect {
            assert_exit(&out, code);
        }
        seen.push((what.to_string(), shown(&out)));
    };
    let (src, media, notice, work) = (p.path("src"), p.path("usb"), p.path("notice.txt"), p.path("work"));
    let s = |p: &std::path::Path| p.to_str().unwrap().to_string();
    fs::create_dir_all(src.join("申請書")).unwrap();
    fs::write(src.join("一覧.csv"), "氏名,住所\n").unwrap();
    fs::write(src.join("申請書").join("a.txt"), "a").unwrap();
    fs::create_dir_all(&media).unwrap();

    run("key export before init", &["key", "export"], Some(3));
    run("init", &["init", "--org", "新宿区", "--name", "山田", "--role", "responsible"], Some(0));
    run("init again", &["init", "--org", "新宿区", "--name", "山田"], Some(3));
    run("key export", &["key", "export"], Some(0));
    run("key export --out", &["key", "export", "--out", &s(&p.path("me.pub"))], Some(0));
    run("seal a file", &["seal", &s(&src.join("一覧.csv")), "--to", &s(&media), "--notice", &s(&notice)], Some(5));
    run("seal notice on media", &["seal", &s(&src), "--to", &s(&media), "--notice", &s(&media.join("n.txt"))], Some(5));
    run("seal", &["seal", &s(&src), "--to", &s(&media), "--notice", &s(&notice), "--category", "氏名"], Some(0));
    let payload = fs::read_dir(&media)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "age"))
        .unwrap();
    run(
        "open without passphrase file",
        &["open", &s(&payload), "--dest", &s(&work), "--passphrase-file", &s(&p.path("none"))],
        Some(12),
    );
    let wrong = p.path("wrong.txt");
    fs::write(&wrong, "00000-00000-00000-00000\n").unwrap();
    run(
        "open mistyped passphrase",
        &["open", &s(&payload), "--dest", &s(&work), "--passphrase-file", &s(&wrong)],
        Some(4),
    );
    run("open", &["open", &s(&payload), "--dest", &s(&work), "--passphrase-file", &s(&notice)], Some(0));
    run(
        "open into a full folder",
        &["open", &s(&payload), "--dest", &s(&work), "--passphrase-file", &s(&notice)],
        Some(6),
    );
    run("ledger verify", &["ledger", "verify"], Some(0));
    run("ledger verify other key", &["ledger", "verify", "--key", &s(&p.path("me.pub"))], Some(0));
    run("wipe dry run", &["wipe", "--dry-run", &s(&work)], Some(0));
    run("wipe refused", &["wipe", "--dry-run", "/"], Some(8));
    run("wipe unknown method", &["wipe", "--method", "shred", &s(&work)], Some(2));
    run("wipe", &["wipe", "--yes", &s(&work), &s(&payload)], Some(0));
    run("parse error", &["seal", "--bogus"], Some(2));
    run("unknown command", &["sael"], Some(2));
    run("invalid value", &["wipe", "--verify", "everything", "x"], Some(2));
    run("missing argument", &["open"], Some(2));
    // A ledger whose last line was altered: the reason is in the user's language.
    let ledger = p.home.join("ledger.jsonl");
    let text = fs::read_to_string(&ledger).unwrap();
    fs::write(&ledger, text.replacen("\"kind\":\"erased\"", "\"kind\":\"erasex\"", 1)).unwrap();
    run("ledger verify tampered", &["ledger", "verify"], Some(7));
    fs::write(&ledger, format!("{text}{{\"v\":1,\"v\":1}}\n")).unwrap();
    run("ledger verify duplicate key", &["ledger", "verify"], Some(7));
    run("demo", &["demo"], Some(0));
    // Identifiers that used to reach Japanese sentences raw: a label field's name and
    // the parser's words about a damaged home.
    let media2 = p.path("usb2");
    fs::create_dir_all(&media2).unwrap();
    let n2 = s(&p.path("notice2.txt"));
    run(
        "seal bad recipient",
        &["seal", &s(&src), "--to", &s(&media2), "--notice", &n2, "--recipient", "a\u{7}b"],
        Some(5),
    );
    run("seal dry run", &["seal", &s(&src), "--to", &s(&media2), "--notice", &n2, "--dry-run"], Some(0));
    fs::write(p.home.join("person.json"), "{\"v\": 1, \"org\": ").unwrap();
    run("damaged home", &["key", "export"], Some(3));
    seen
}

/// Identifiers of values that must be said in words, never shown raw.
const RAW: &[&str] = &[
    "EOF while parsing",
    "recipient",
    "all-erased",
    "some-failed",
    "not-assured",
    "not_assured",
    "name-only",
    "cryptographic-erase",
    "cryptographic_erase",
    "copy_on_write",
    "copy-on-write",
    "AllErased",
    "SomeFailed",
    "NotFound",
    "PermissionDenied",
];

/// ASCII words allowed inside Japanese text: names of programs, formats, standards and
/// units, which stay as they are in Japanese documents too.
const NAMES: &[&str] = &[
    "custody",
    "age",
    "minisign",
    "JSON",
    "OS",
    "PC",
    "USB",
    "ID",
    "NIST",
    "Clear",
    "SHA",
    "RFC",
    "UTF",
    "DoD",
    "VSITR",
    "KiB",
    "MiB",
    "GiB",
    "TiB",
    "kB",
    "MB",
    "GB",
    "TB",
    "html",
    "txt",
    "pub",
    "pid",
    "yes",
    "FAT",
    "SSD",
    "FUSE",
    "MANIFEST",
    "ext",
    "tmpfs",
    "xfs",
    "btrfs",
    "vfat",
    "overlay",
    "csv",
    "init",
    "key",
    "export",
    "out",
    "seal",
    "open",
    "wipe",
    "ledger",
    "verify",
    "demo",
    "help",
    "org",
    "name",
    "home",
    // Values the user types, named in hints: methods, modes, languages, shells, roles.
    "random",
    "zero",
    "nistclear",
    "vsitr",
    "full",
    "sample",
    "none",
    "ja",
    "en",
    "bash",
    "zsh",
    "fish",
    "powershell",
    "responsible",
    "handler",
];

/// The ASCII words of a Japanese line once paths, options, code spans, hex, what the
/// user typed (quoted in 「」), placeholders and environment variable names are taken
/// out. The public key file's own comment line is data, not a message.
fn english_words(line: &str) -> Vec<String> {
    let mut words = vec![];
    if line.starts_with("untrusted comment:") {
        return words;
    }
    let mut unquoted = String::new();
    let mut depth = 0;
    for c in line.chars() {
        match c {
            '「' => depth += 1,
            '」' => depth -= 1,
            _ if depth == 0 => unquoted.push(c),
            _ => {}
        }
    }
    let mut in_code = false;
    for piece in unquoted.split('`') {
        if !in_code {
            for token in piece.split(|c: char| c.is_whitespace() || "（）()「」、。:：,[]<>=".contains(c)) {
                if token.contains(['/', '.', '_'])
                    || token.starts_with('-')
                    || token.chars().any(|c| c.is_ascii_digit())
                {
                    continue;
                }
                if token.chars().all(|c| !c.is_ascii_lowercase()) {
                    // Acronyms (USB, JSON) and placeholders (<DIR>).
                    continue;
                }
                let ascii: String = token.chars().filter(|c| c.is_ascii_alphabetic()).collect();
                if ascii.len() >= 2 && !NAMES.contains(&ascii.as_str()) {
                    words.push(ascii);
                }
            }
        }
        in_code = !in_code;
    }
    words
}

#[test]
fn every_command_speaks_japanese_and_english_without_raw_identifiers() {
    let ids: BTreeSet<String> =
        message_ids(Lang::En).into_iter().map(|(_, id)| id).filter(|id| id.contains('-')).collect();
    let mut problems = vec![];
    for lang in ["ja", "en"] {
        for (what, text) in run_everything(lang) {
            for token in text.split(|c: char| c.is_whitespace() || "（）()「」、。:：,\"“”".contains(c)) {
                let bare = token.trim_end_matches('.');
                if ids.contains(bare) || ids.iter().any(|id| bare == format!("{id}.hint")) {
                    problems.push(format!("[{lang}] {what}: untranslated message id {bare}"));
                }
            }
            for raw in RAW {
                if text.contains(raw) {
                    problems.push(format!("[{lang}] {what}: raw identifier {raw}:\n{text}"));
                }
            }
            if lang == "ja" {
                for line in text.lines() {
                    let words = english_words(line);
                    if !words.is_empty() {
                        problems.push(format!("[ja] {what}: English {words:?} in: {line}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_english_check_finds_english_and_spares_names() {
    assert_eq!(english_words("消去しました（all erased）"), ["all", "erased"]);
    assert!(english_words("`custody ledger verify` で /tmp/a.txt を確認（--key）、SHA-256").is_empty());
    assert_eq!(english_words("台帳 の 3 行目が正しくありません: the line is not JSON"), ["the", "line", "is", "not"]);
    assert!(english_words("エラー: 消去方式「shred」はありません。CUSTODY_HOME を <DIR> に").is_empty());
}
