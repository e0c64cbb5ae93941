//! The `custody` command: arguments in, calls into the custody crates, words out.
//! No format, crypto or filesystem logic lives here.

mod args;
mod cmd;
mod errors;
mod exit;
mod help;
mod output;
mod progress;
mod secret;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use custody_l10n::{Lang, Localizer};

use crate::args::{Cli, LangArg};
use crate::exit::Exit;
use crate::output::Output;

fn main() -> ExitCode {
    let lang = Lang::detect(lang_from_argv());
    let l = Localizer::new(lang);
    let command = help::localize(Cli::command(), &l);
    let matches = match command.try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { Exit::Usage.into() } else { Exit::Ok.into() };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return Exit::Usage.into();
        }
    };
    let out = Output::new(l, cli.json);
    match cmd::run(&cli, &out) {
        // The work is done, but whoever asked never got the result.
        Ok(()) if out.result_lost() => Exit::Io.into(),
        Ok(()) => Exit::Ok.into(),
        Err(e) => {
            let rendered = errors::render(&e, &out);
            // With --json a command whose result was already printed (a wipe that
            // ended partly failed, a ledger whose owner is unconfirmed) must not
            // print a second document.
            if !(out.json && e.result_already_printed()) {
                rendered.print(&out);
            }
            rendered.exit.into()
        }
    }
}

/// `--lang` must be known before clap parses, so that clap's help is localised too.
fn lang_from_argv() -> Option<Lang> {
    let args: Vec<String> = std::env::args().collect();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = if let Some(v) = a.strip_prefix("--lang=") {
            Some(v.to_string())
        } else if a == "--lang" {
            it.next().cloned()
        } else {
            None
        };
        if let Some(v) = value {
            return Lang::from_tag(&v);
        }
    }
    None
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        }
    }
}
