//! Where words go. Human text: narration and errors on standard error, results on
//! standard output. With `--json`: exactly one JSON document on standard output,
//! for success and failure alike, and nothing else there. With `--quiet`: errors and
//! the result only; no narration and no progress bar.

use std::cell::Cell;
use std::io::{IsTerminal, Write};

use custody_l10n::{Args, Localizer};
use serde_json::Value;

pub struct Output {
    pub l: Localizer,
    pub json: bool,
    pub quiet: bool,
    /// Set when the result could not be written (a closed or full standard output):
    /// the command then ends with the I/O exit code instead of success.
    result_lost: Cell<bool>,
}

impl Output {
    pub fn new(l: Localizer, json: bool, quiet: bool) -> Output {
        Output { l, json, quiet, result_lost: Cell::new(false) }
    }

    /// Whether writing the result failed.
    pub fn result_lost(&self) -> bool {
        self.result_lost.get()
    }

    /// A line on standard error. A closed or full standard error is not a reason to
    /// stop (and must never panic, as `eprintln!` does): the line is dropped.
    pub fn err_line(&self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
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
            self.err_line(&self.l.msg_args(id, args));
        }
    }

    /// The result of a command: text lines for people, or the JSON document.
    pub fn result(&self, text: &[String], json: Value) {
        let mut out = std::io::stdout().lock();
        let written = if self.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&json).unwrap_or_default())
        } else {
            text.iter().try_for_each(|line| writeln!(out, "{line}"))
        };
        if written.and_then(|()| out.flush()).is_err() {
            self.result_lost.set(true);
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

/// A name from a payload, a source tree, a ledger or a label, made safe to print:
/// control characters (C0, C1, DEL, so ESC and CR too), bidirectional overrides and
/// isolates, and other invisible format characters become `\u{XXXX}`; anything past
/// [`MAX_SHOWN`] characters is cut. Nothing from outside reaches the terminal raw.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_SHOWN * 4));
    for (n, c) in s.chars().enumerate() {
        if n == MAX_SHOWN {
            out.push('…');
            break;
        }
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Most characters of one untrusted value shown.
pub const MAX_SHOWN: usize = 300;

fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn control_and_bidi_characters_never_pass() {
        assert_eq!(esc("a\u{1b}[31mb"), "a\\u{001B}[31mb");
        assert_eq!(esc("x\ry"), "x\\u{000D}y");
        assert_eq!(esc("evil\u{202E}txt.exe"), "evil\\u{202E}txt.exe");
        assert_eq!(esc("\u{9b}"), "\\u{009B}");
        assert_eq!(esc("氏名.csv"), "氏名.csv");
        let long = "a".repeat(10_000);
        assert_eq!(esc(&long).chars().count(), super::MAX_SHOWN + 1);
    }
}
