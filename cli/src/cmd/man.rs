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
    collect(&cmd, &mut pages).map_err(|source| CliError::Io { path: a.out.clone(), source })?;

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
fn collect(cmd: &Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    let mut page = vec![];
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    pages.push((format!("{name}.1"), page));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages)?;
    }
    Ok(())
}
