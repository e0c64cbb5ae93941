//! `custody completions SHELL`: a completion script generated from the same clap
//! definitions (and help texts, in the user's language) as `--help`.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;
use serde_json::json;

use crate::args::{Cli, CompletionsArgs, ShellArg};
use crate::errors::CliError;
use crate::help;
use crate::output::Output;

pub fn run(a: &CompletionsArgs, out: &Output) -> Result<(), CliError> {
    let (shell, name) = match a.shell {
        ShellArg::Bash => (Shell::Bash, "bash"),
        ShellArg::Zsh => (Shell::Zsh, "zsh"),
        ShellArg::Fish => (Shell::Fish, "fish"),
        ShellArg::Powershell => (Shell::PowerShell, "powershell"),
    };
    let mut cmd = help::localize(Cli::command(), &out.l);
    let mut script = vec![];
    clap_complete::generate(shell, &mut cmd, "custody", &mut script);
    let script = String::from_utf8_lossy(&script).into_owned();
    if out.json {
        out.result(&[], json!({"ok": true, "shell": name, "script": script}));
    } else {
        // The script as generated, byte for byte: it is meant to be sourced or saved.
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(script.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|source| CliError::Io { path: "/dev/stdout".into(), source })?;
    }
    Ok(())
}
