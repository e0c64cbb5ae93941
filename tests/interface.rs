//! The command line as a program in the ecosystem sees it: parse errors in the user's
//! language and as JSON, help in Japanese, shell completions and man pages generated
//! from the clap definitions, `--quiet`, and colour only on a terminal without
//! NO_COLOR.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command as StdCommand;

use common::*;

fn custody() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("custody").expect("binary");
    c.env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "C").env_remove("NO_COLOR").write_stdin("");
    c
}

#[test]
fn a_parse_error_is_the_json_error_document_with_exit_2() {
    let cases: [(&[&str], &str); 6] = [
        (&["--json", "seal", "--bogus"], "unknown-argument"),
        (&["--json", "sael"], "unknown-command"),
        (&["--json", "seal", "src"], "missing-argument"),
        (&["--json", "key"], "missing-command"),
        (&["--json", "wipe", "--verify", "everything", "x"], "invalid-value"),
        (&["--json", "wipe", "x", "--device", "/dev/null"], "argument-conflict"),
    ];
    for (args, code) in cases {
        for lang in ["ja", "en"] {
            let out = custody().args(["--lang", lang]).args(args).output().unwrap();
            assert_exit(&out, 2);
            let j = json(&out);
            assert_eq!(j["ok"], false, "{args:?}");
            assert_eq!(j["error"]["code"], code, "{args:?}: {j}");
            assert_eq!(j["error"]["exit"], 2);
            let message = j["error"]["message"].as_str().unwrap();
            let hint = j["error"]["hint"].as_str().unwrap();
            assert!(!message.is_empty() && !hint.is_empty(), "{j}");
            assert!(stderr(&out).is_empty(), "nothing on stderr with --json: {}", stderr(&out));
            if lang == "ja" {
                assert!(message.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)), "{message}");
            }
            assert!(!message.contains("error:") && !message.contains("Usage"), "clap's own words leaked: {message}");
        }
    }
}

#[test]
fn a_parse_error_without_json_is_said_in_the_users_language_on_stderr() {
    let out = custody().args(["--lang", "ja", "seal", "--bogus"]).output().unwrap();
    assert_exit(&out, 2);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("エラー: 「--bogus」という引数はありません。"), "{err}");
    assert!(err.contains("custody seal --help"), "the hint names the command's help: {err}");

    let out = custody().args(["--lang", "en", "sael"]).output().unwrap();
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("There is no command “sael”") && err.contains("Did you mean seal?"), "{err}");
    // The locale decides when --lang is not given.
    let out = custody().env("LANG", "en_GB.UTF-8").args(["wipe", "--verify", "xx", "a"]).output().unwrap();
    assert!(stderr(&out).contains("Valid values: full, sample, none"), "{}", stderr(&out));
}

#[test]
fn help_headings_are_japanese_and_english() {
    for (args, must) in [
        (
            &["--lang", "ja", "--help"][..],
            &[
                "使い方: custody [オプション] <コマンド>",
                "コマンド:",
                "共通オプション:",
                "ヘルプを表示する",
                "バージョンを表示する",
            ][..],
        ),
        (
            &["--lang", "ja", "seal", "--help"],
            &["使い方: custody seal [オプション]", "引数:", "オプション:", "共通オプション:"],
        ),
        (
            &["--lang", "en", "--help"],
            &["Usage: custody [OPTIONS] <COMMAND>", "Commands:", "Print help", "Print version"],
        ),
    ] {
        let out = custody().args(args).output().unwrap();
        assert_ok(&out);
        let text = stdout(&out);
        for m in must {
            assert!(text.contains(m), "{args:?} lacks {m:?}:\n{text}");
        }
        if args[1] == "ja" {
            for english in
                ["Usage", "Options", "Commands", "Arguments", "Print help", "[OPTIONS]", "[default", "[possible"]
            {
                assert!(!text.contains(english), "{args:?} has {english:?}:\n{text}");
            }
        }
    }
    let out = custody().arg("--version").output().unwrap();
    assert_ok(&out);
    assert!(stdout(&out).starts_with("custody "), "{}", stdout(&out));
}

#[test]
fn completions_are_generated_for_every_shell_and_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = custody().args(["completions", shell]).output().unwrap();
        assert_ok(&out);
        let script = stdout(&out);
        for sub in ["init", "seal", "open", "wipe", "ledger", "demo", "completions"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
        assert!(script.contains("notice"), "{shell} completion lacks seal's options");
        let j = json(&custody().args(["--json", "completions", shell]).output().unwrap());
        assert_eq!(j["script"].as_str(), Some(script.as_str()), "--json carries the same script");
    }
    let dir = tempfile::tempdir().unwrap();
    let bash_file = dir.path().join("custody.bash");
    fs::write(&bash_file, stdout(&custody().args(["completions", "bash"]).output().unwrap())).unwrap();
    let check = StdCommand::new("bash").arg("-n").arg(&bash_file).output().unwrap();
    assert!(check.status.success(), "bash -n: {}", String::from_utf8_lossy(&check.stderr));
    // Sourced, the function completes a subcommand.
    let probe = format!(
        "source {}; COMP_WORDS=(custody se); COMP_CWORD=1; _custody custody se custody; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        bash_file.display()
    );
    let out = StdCommand::new("bash").args(["-c", &probe]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).lines().any(|l| l == "seal"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn man_pages_are_written_for_every_command_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let man = dir.path().join("man");
    let out = custody().args(["--lang", "en", "--json", "man", "--out"]).arg(&man).output().unwrap();
    assert_ok(&out);
    let j = json(&out);
    let pages: Vec<String> = j["pages"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    for name in ["custody.1", "custody-seal.1", "custody-open.1", "custody-wipe.1", "custody-ledger-verify.1"] {
        assert!(pages.iter().any(|p| p.ends_with(name)), "{name} not in {pages:?}");
        let page = fs::read_to_string(man.join(name)).unwrap();
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{name} is not roff:\n{page}");
    }
    assert!(fs::read_to_string(man.join("custody-seal.1")).unwrap().contains("\\-\\-notice"));
    // A second run refuses before writing anything, and leaves the pages as they were.
    fs::write(man.join("custody-wipe.1"), "mine").unwrap();
    let before = list_tree(&man);
    let out = custody().args(["--lang", "en", "--json", "man", "--out"]).arg(&man).output().unwrap();
    assert_exit(&out, 12);
    assert_eq!(json(&out)["error"]["code"], "io");
    assert_eq!(list_tree(&man), before);
    assert_eq!(fs::read_to_string(man.join("custody-wipe.1")).unwrap(), "mine");
}

#[test]
fn man_pages_in_japanese_have_japanese_section_headings() {
    let dir = tempfile::tempdir().unwrap();
    let (ja, en) = (dir.path().join("ja"), dir.path().join("en"));
    assert_ok(&custody().args(["--lang", "ja", "man", "--out"]).arg(&ja).output().unwrap());
    assert_ok(&custody().args(["--lang", "en", "man", "--out"]).arg(&en).output().unwrap());
    let headings = |page: &str| -> Vec<String> {
        page.lines().filter_map(|l| l.strip_prefix(".SH ")).map(|h| h.trim_matches('"').to_string()).collect()
    };
    let ja_page = fs::read_to_string(ja.join("custody-seal.1")).unwrap();
    let ja_heads = headings(&ja_page);
    for h in ["名前", "書式", "説明", "オプション"] {
        assert!(ja_heads.iter().any(|x| x == h), "{h} missing from {ja_heads:?}");
    }
    for page in fs::read_dir(&ja).unwrap() {
        let text = fs::read_to_string(page.unwrap().path()).unwrap();
        let english: Vec<String> =
            headings(&text).into_iter().filter(|h| h.chars().any(|c| c.is_ascii_alphabetic())).collect();
        assert!(english.is_empty(), "English section headings in a Japanese man page: {english:?}");
    }
    let en_heads = headings(&fs::read_to_string(en.join("custody-seal.1")).unwrap());
    for h in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS"] {
        assert!(en_heads.iter().any(|x| x == h), "{h} missing from {en_heads:?}");
    }
}

#[test]
fn quiet_prints_only_the_result_and_errors() {
    let p = Person::new();
    let out = p.cmd().args(["--lang", "ja", "-q", "demo"]).output().unwrap();
    assert_ok(&out);
    assert!(stderr(&out).is_empty(), "no narration with --quiet: {}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "デモが完了しました。");
    let loud = p.cmd().args(["--lang", "ja", "demo"]).output().unwrap();
    assert!(stderr(&loud).contains("手順 1"), "without --quiet the demo narrates");

    let out = p.cmd().args(["--quiet", "--lang", "en", "key", "export"]).output().unwrap();
    assert_exit(&out, 3);
    assert!(stderr(&out).starts_with("Error: "), "errors still show: {}", stderr(&out));
}

/// Runs `custody ARGS` on a pseudo-terminal, where colour is allowed.
fn on_terminal(env: &[(&str, &str)], args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("none.tsv");
    fs::write(&answers, "").unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/support/drive_prompts.py");
    let mut c = StdCommand::new("python3");
    c.arg(script).arg(&answers).arg("--").arg(assert_cmd::cargo::cargo_bin("custody")).args(args);
    c.env_remove("NO_COLOR").env_remove("CLICOLOR").env_remove("CLICOLOR_FORCE").env("TERM", "xterm");
    for (k, v) in env {
        c.env(k, v);
    }
    String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    if !have("python3", "colour_only_on_a_terminal_and_never_with_no_color") {
        return;
    }
    let coloured = on_terminal(&[], &["--lang", "en", "--help"]);
    assert!(coloured.contains("Usage:"), "{coloured}");
    assert!(coloured.contains('\u{1b}'), "a terminal gets clap's styles:\n{coloured}");
    let plain = on_terminal(&[("NO_COLOR", "1")], &["--lang", "en", "--help"]);
    assert!(plain.contains("Usage:"), "{plain}");
    assert!(!plain.contains('\u{1b}'), "NO_COLOR removes every escape sequence:\n{plain}");
    let piped = custody().args(["--lang", "en", "--help"]).output().unwrap();
    assert!(!stdout(&piped).contains('\u{1b}'), "no colour into a pipe");
}
