//! Shared set-up for the end-to-end tests: a temporary home per person, key
//! passphrases in files (never argv), and the real `custody` binary.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Mutex, OnceLock};

use assert_cmd::Command;
use tempfile::TempDir;

#[path = "skip.rs"]
mod skip;
pub use skip::*;

pub const KEY_PASS: &str = "correct horse battery staple";

/// One person with their own custody home inside a temporary folder.
pub struct Person {
    pub dir: TempDir,
    pub home: PathBuf,
    pub key_pass_file: PathBuf,
}

impl Person {
    pub fn new() -> Person {
        Person::in_dir(tempfile::Builder::new().prefix("custody-e2e-").tempdir().expect("tempdir"))
    }

    fn in_dir(dir: TempDir) -> Person {
        let home = dir.path().join("home");
        let key_pass_file = dir.path().join("key-pass.txt");
        fs::write(&key_pass_file, format!("{KEY_PASS}\n")).expect("write key pass");
        fs::set_permissions(&key_pass_file, fs::Permissions::from_mode(0o600)).expect("chmod");
        Person { dir, home, key_pass_file }
    }

    /// An initialised person: a copy of the home `custody init` made for this org and
    /// name earlier in this test binary (see [`template_home`]).
    pub fn init(org: &str, name: &str) -> Person {
        let p = Person::new();
        copy_home(&template_home(org, name), &p.home);
        p
    }

    /// `custody` with this person's home and key passphrase file, English messages.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("custody").expect("binary");
        c.env("CUSTODY_HOME", &self.home)
            .env("CUSTODY_KEY_PASSPHRASE_FILE", &self.key_pass_file)
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .write_stdin("");
        c
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `custody --json seal SRC --to MEDIA --notice NOTICE`, creating MEDIA first.
    pub fn seal(&self, src: &Path, media: &Path, notice: &Path, extra: &[&str]) -> Output {
        fs::create_dir_all(media).expect("media dir");
        self.cmd()
            .args(["--json", "seal"])
            .arg(src)
            .arg("--to")
            .arg(media)
            .arg("--notice")
            .arg(notice)
            .args(extra)
            .output()
            .expect("run")
    }

    pub fn ledger(&self) -> PathBuf {
        self.home.join("ledger.jsonl")
    }

    pub fn ledger_lines(&self) -> Vec<serde_json::Value> {
        fs::read_to_string(self.ledger())
            .expect("ledger")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
pub fn assert_ok(o: &Output) {
    assert!(o.status.success(), "expected success, got {:?}\nstdout:\n{}\nstderr:\n{}", o.status, stdout(o), stderr(o));
}

#[track_caller]
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// Every file below `dir`, relative, sorted.
pub fn list_tree(dir: &Path) -> Vec<String> {
    let mut out = vec![];
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        let Ok(rd) = fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(base).unwrap_or(&p).display().to_string());
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                walk(base, &p, out);
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// True when the program is on PATH; otherwise the test skips (see skip.rs). `_test`
/// is kept for the callers written before the harness's thread name was used.
#[track_caller]
pub fn have(program: &str, _test: &str) -> bool {
    need_tools(&[program])
}

/// Reads the passphrase fields of a `.txt` notice.
pub fn notice_field(notice: &Path, label_prefix: &str) -> String {
    let text = fs::read_to_string(notice).expect("notice");
    text.lines()
        .find_map(|l| l.strip_prefix(label_prefix))
        .map(|v| v.trim_start_matches([':', ' ']).trim().to_string())
        .unwrap_or_else(|| panic!("no line starting {label_prefix:?} in notice:\n{text}"))
}

/// The home the real `custody init` wrote for `org` and `name`, once per test binary.
/// Every `init` derives a key (scrypt, work factor 18: about 0.75 s of a core) and the
/// tests need some ninety initialised people; copying the home instead took 1.5
/// minutes off the CLI tests' run on 2 cores. Tests of `init` itself run the command.
/// People with the same org and name in one binary share a key, which no test
/// compares across tests.
fn template_home(org: &str, name: &str) -> PathBuf {
    /// (org, name) -> the template's folder (kept alive) and its home.
    type Homes = HashMap<(String, String), (TempDir, PathBuf)>;
    static HOMES: OnceLock<Mutex<Homes>> = OnceLock::new();
    // Held while `init` runs: a second thread asking for the same home waits for it.
    let mut homes = HOMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    let key = (org.to_string(), name.to_string());
    if let Some((_, home)) = homes.get(&key) {
        return home.clone();
    }
    // Under cargo's folder for test files: a static is never dropped, so the folder
    // outlives the binary, and there it is gone with `cargo clean`.
    let dir = tempfile::Builder::new().prefix("home-template-").tempdir_in(env!("CARGO_TARGET_TMPDIR"));
    let p = Person::in_dir(dir.expect("template dir"));
    let out = p.cmd().args(["init", "--org", org, "--name", name, "--role", "responsible"]).output().expect("run");
    assert_ok(&out);
    let home = p.home.clone();
    homes.insert(key, (p.dir, home.clone()));
    home
}

/// Copies a home folder (flat: files only) keeping each file's permissions.
fn copy_home(from: &Path, to: &Path) {
    fs::create_dir(to).expect("create home");
    fs::set_permissions(to, fs::metadata(from).expect("stat template").permissions()).expect("chmod home");
    for e in fs::read_dir(from).expect("read template") {
        let e = e.expect("entry");
        assert!(e.file_type().expect("type").is_file(), "a fresh home holds only files: {:?}", e.path());
        fs::copy(e.path(), to.join(e.file_name())).expect("copy home file");
    }
}
