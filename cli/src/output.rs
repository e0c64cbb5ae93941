//! Where words go. Human text: narration and errors on standard error, results on
//! standard output. With `--json`: exactly one JSON document on standard output,
//! for success and failure alike, and nothing else there. With `--quiet`: errors and
//! the result only; no narration and no progress bar.

use std::io::{IsTerminal, Write};

use custody_l10n::{Args, Localizer};
use serde_json::Value;

pub struct Output {
    pub l: Localizer,
    pub json: bool,
    pub quiet: bool,
}

impl Output {
    pub fn new(l: Localizer, json: bool, quiet: bool) -> Output {
        Output { l, json, quiet }
    }

    pub fn t(&self, id: &str) -> String {
        self.l.msg(id)
    }

    pub fn ta(&self, id: &str, args: &Args<'_>) -> String {
        self.l.msg_args(id, args)
    }

    /// A line of narration on standard error (suppressed with --json and --quiet).
    pub fn say(&self, id: &str, args: &Args<'_>) {
        if self.narrates() {
            eprintln!("{}", self.l.msg_args(id, args));
        }
    }

    /// The result of a command: text lines for people, or the JSON document.
    pub fn result(&self, text: &[String], json: Value) {
        let mut out = std::io::stdout().lock();
        if self.json {
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&json).unwrap_or_default());
        } else {
            for line in text {
                let _ = writeln!(out, "{line}");
            }
        }
    }

    /// A labelled fact, aligned for reading ("  label: value").
    pub fn fact(&self, id: &str, value: impl std::fmt::Display) -> String {
        format!("  {}: {}", self.l.msg(id), value)
    }

    /// Whether narration goes to standard error.
    pub fn narrates(&self) -> bool {
        !self.json && !self.quiet
    }

    /// Whether progress bars can be shown: a terminal, and neither --json nor --quiet.
    pub fn interactive(&self) -> bool {
        self.narrates() && std::io::stderr().is_terminal()
    }
}
