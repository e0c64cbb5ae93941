//! The one way a test says it cannot run here. Shared by the end-to-end tests
//! (`tests/common`) and the crates' own tests, which include this file by path.
//!
//! A test that needs a peer tool (age, minisign, python3, mkfs…) or root calls
//! `need_tool`/`need_root`/`skip` and returns when told to. The line goes straight to
//! the process's standard error, past the test harness's capture, so a run shows every
//! skip as `SKIP: <test>: <reason>`. Under `CI=true` as root, where `.ci/run` has
//! installed every tool, a skip is a failure: a green CI means the test really ran.

#![allow(dead_code)]

use std::io::Write;

/// Reports that the current test cannot run here (or fails it under CI as root).
/// The test's name is the harness's name for the current thread.
#[track_caller]
pub fn skip(reason: &str) {
    let current = std::thread::current();
    skip_named(current.name().unwrap_or("(unnamed test)"), reason);
}

/// As [`skip`], for a caller that names the test itself.
#[track_caller]
pub fn skip_named(test: &str, reason: &str) {
    if skips_fail() {
        panic!("SKIP is a failure under CI=true as root: {test}: {reason} (make .ci/run provide it)");
    }
    let _ = writeln!(std::io::stderr(), "SKIP: {test}: {reason}");
}

/// Under `CI=true` as root every tool is installed and every privilege held.
pub fn skips_fail() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true") && is_root()
}

/// The effective user is root (read from /proc, so no crate is needed).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let uids = s.lines().find_map(|l| l.strip_prefix("Uid:"))?.to_owned();
            uids.split_whitespace().nth(1).map(|euid| euid == "0")
        })
        .unwrap_or(false)
}

/// The program is on PATH.
pub fn installed(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
        .unwrap_or(false)
}

/// True when every program is on PATH; otherwise skips, naming the first missing one.
#[track_caller]
pub fn need_tools(programs: &[&str]) -> bool {
    match programs.iter().find(|p| !installed(p)) {
        None => true,
        Some(p) => {
            skip(&format!("`{p}` is not installed (bash .ci/run installs it)"));
            false
        }
    }
}

/// True when running as root; otherwise skips, saying what root is needed for.
#[track_caller]
pub fn need_root(for_what: &str) -> bool {
    if is_root() {
        true
    } else {
        skip(&format!("needs root to {for_what}"));
        false
    }
}
