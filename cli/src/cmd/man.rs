//! `custody man --out DIR` (hidden): one man page for `custody` and one per command
//! (`custody-seal.1`, …), generated from the clap definitions with the help texts in
//! the user's language. Packagers run it once; nothing is written by hand.

use std::path::PathBuf;

use clap::{Command, CommandFactory};
use serde_json::json;

use crate::args::{Cli, ManArgs};
use crate::errors::CliError;
use crate::help;
use crate::output::Output;

pub fn run(a: &ManArgs, out: &Output) -> Result<(), CliError> {
    let mut cmd = help::localize(Cli::command(), &out.l);
    cmd.build();
    let mut pages = vec![];
    collect(&cmd, out, &mut pages).map_err(|source| CliError::Io { path: a.out.clone(), source })?;

    std::fs::create_dir_all(&a.out).map_err(|source| CliError::Io { path: a.out.clone(), source })?;
    // Every name is checked before the first page is written, so a refusal leaves the
    // folder as it was; each page is then written whole or not at all.
    let targets: Vec<(PathBuf, Vec<u8>)> = pages.into_iter().map(|(name, bytes)| (a.out.join(name), bytes)).collect();
    if let Some((path, _)) = targets.iter().find(|(p, _)| p.symlink_metadata().is_ok()) {
        return Err(CliError::Io { path: path.clone(), source: std::io::ErrorKind::AlreadyExists.into() });
    }
    for (path, bytes) in &targets {
        custody_fsio::write_new(path, bytes, 0o666)?;
    }
    let written: Vec<&PathBuf> = targets.iter().map(|(p, _)| p).collect();
    let mut lines =
        vec![out.ta("man-written", &[("count", written.len().into()), ("dir", a.out.display().to_string().into())])];
    lines.extend(written.iter().map(|p| format!("  {}", p.display())));
    out.result(&lines, json!({"ok": true, "dir": a.out, "pages": written}));
    Ok(())
}

/// (file name, page) for the command and each visible subcommand, depth first.
fn collect(cmd: &Command, out: &Output, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    let mut page = vec![];
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    pages.push((format!("{name}.1"), section_headings(&page, out)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, out, pages)?;
    }
    Ok(())
}

/// The section headings clap_mangen writes in English (`.SH NAME`, …), in the user's
/// language; the headings of option groups are already localised by `help`.
fn section_headings(page: &[u8], out: &Output) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut done = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let heading = line.strip_prefix(".SH ").map(|h| h.trim_end().trim_matches('"'));
        let id = match heading {
            Some("NAME") => Some("ux-man-name"),
            Some("SYNOPSIS") => Some("ux-man-synopsis"),
            Some("DESCRIPTION") => Some("ux-man-description"),
            Some("OPTIONS") => Some("ux-man-options"),
            Some("SUBCOMMANDS") => Some("ux-man-subcommands"),
            Some("VERSION") => Some("ux-man-version"),
            Some("AUTHORS") => Some("ux-man-authors"),
            _ => None,
        };
        match id {
            Some(id) => {
                done.push_str(".SH ");
                done.push_str(&out.t(id));
                done.push('\n');
            }
            None => done.push_str(line),
        }
    }
    done.into_bytes()
}
