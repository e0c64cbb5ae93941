//! Where words go. Human text: narration and errors on standard error, results on
//! standard output. With `--json`: exactly one JSON document on standard output,
//! for success and failure alike, and nothing else there.

use std::io::{IsTerminal, Write};

use custody_l10n::{Args, Localizer};
use serde_json::Value;

pub struct Output {
    pub l: Localizer,
    pub json: bool,
}

impl Output {
    pub fn new(l: Localizer, json: bool) -> Output {
        Output { l, json }
    }

    pub fn t(&self, id: &str) -> String {
        self.l.msg(id)
    }

    pub fn ta(&self, id: &str, args: &Args<'_>) -> String {
        self.l.msg_args(id, args)
    }

    /// A line of narration on standard error (suppressed with --json).
    pub fn say(&self, id: &str, args: &Args<'_>) {
        if !self.json {
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

    /// Whether prompts and progress bars can be shown.
    pub fn interactive(&self) -> bool {
        !self.json && std::io::stderr().is_terminal()
    }
}
