//! The `custody` command: arguments in, calls into the custody crates, words out.
//! No format, crypto or filesystem logic lives here.

#![forbid(unsafe_code)]

mod args;
mod cmd;
mod errors;
mod exit;
mod help;
mod liberrors;
mod output;
mod parse_error;
mod progress;
mod secret;
mod words;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use custody_l10n::{Lang, Localizer};

use crate::args::{Cli, LangArg};
use crate::exit::Exit;
use crate::output::Output;

fn main() -> ExitCode {
    // args_os: a path that is not UTF-8 must reach clap, not panic here.
    let argv: Vec<OsString> = std::env::args_os().collect();
    let lang = Lang::detect(lang_from_argv(&argv));
    let l = Localizer::new(lang);
    let command = help::localize(Cli::command(), &l).color(color_choice());
    let matches = match command.try_get_matches_from(&argv) {
        Ok(m) => m,
        Err(e) => return parse_failure(&e, Output::new(l, flag_in_argv(&argv, "--json"), false), &argv),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return parse_failure(&e, Output::new(l, flag_in_argv(&argv, "--json"), false), &argv),
    };
    let out = Output::new(l, cli.json, cli.quiet);
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

/// Help and version go out as clap writes them (in the user's language, see help.rs);
/// a mistake is said in the user's language, as JSON with --json. A bare `custody` or
/// `custody key` shows the help, as clap does, unless JSON was asked for.
fn parse_failure(e: &clap::Error, out: Output, argv: &[OsString]) -> ExitCode {
    use clap::error::ErrorKind as K;
    match e.kind() {
        K::DisplayHelp | K::DisplayVersion => {
            let _ = e.print();
            Exit::Ok.into()
        }
        K::DisplayHelpOnMissingArgumentOrSubcommand if !out.json => {
            let _ = e.print();
            Exit::Usage.into()
        }
        _ => {
            let rendered = parse_error::render(e, &out, &command_path(argv));
            rendered.print(&out);
            rendered.exit.into()
        }
    }
}

/// `custody` and the subcommands typed so far (`custody ledger verify`), for the hint
/// that points to the right `--help`.
fn command_path(argv: &[OsString]) -> String {
    let mut path = vec!["custody".to_string()];
    let mut cmd = Cli::command();
    for a in argv.iter().skip(1).filter_map(|a| a.to_str()) {
        let Some(sub) = cmd.find_subcommand(a).cloned() else { continue };
        path.push(a.to_string());
        cmd = sub;
    }
    path.join(" ")
}

/// A flag given before any `--` (after which everything is a value).
fn flag_in_argv(argv: &[OsString], flag: &str) -> bool {
    argv.iter().skip(1).take_while(|a| *a != "--").any(|a| a == flag)
}

/// Colour only on a terminal (clap checks that), and never when NO_COLOR is set to
/// anything but the empty string (https://no-color.org).
fn color_choice() -> clap::ColorChoice {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        clap::ColorChoice::Never
    } else {
        clap::ColorChoice::Auto
    }
}

/// `--lang` must be known before clap parses, so that clap's help is localised too.
fn lang_from_argv(args: &[OsString]) -> Option<Lang> {
    let args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
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
