//! Command-line mistakes in the user's language, as the same error document as every
//! other failure (exit 2). clap's own English text is never shown: its error carries
//! the facts (which argument, which value, what was expected) and we say them.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use custody_l10n::Args;
use fluent_bundle::FluentValue;

use crate::errors::{r, Rendered};
use crate::exit::Exit;
use crate::output::Output;

/// The stable code (`error.code` in `--json`) of each kind of mistake; documented in
/// docs/exit-codes.md.
pub fn code(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::UnknownArgument => "unknown-argument",
        ErrorKind::InvalidSubcommand => "unknown-command",
        ErrorKind::MissingRequiredArgument => "missing-argument",
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => "missing-command",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation | ErrorKind::InvalidUtf8 => "invalid-value",
        ErrorKind::ArgumentConflict => "argument-conflict",
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues | ErrorKind::NoEquals => {
            "wrong-number-of-values"
        }
        _ => "usage",
    }
}

/// A clap error made ready to show. `command` is the subcommand path typed so far
/// (`custody seal`), for the hint that points to its help.
pub fn render(e: &clap::Error, out: &Output, command: &str) -> Rendered {
    let text = |k: ContextKind| -> String {
        match e.get(k) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join(", "),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let v = |s: String| FluentValue::from(printable(&s));
    let args: Vec<(&str, FluentValue<'static>)> = vec![
        ("arg", v(text(ContextKind::InvalidArg))),
        ("value", v(text(ContextKind::InvalidValue))),
        ("valid", v(text(ContextKind::ValidValue))),
        ("other", v(text(ContextKind::PriorArg))),
        ("command", v(text(ContextKind::InvalidSubcommand))),
        ("usage", FluentValue::from(format!("{command} --help"))),
    ];
    let args: &Args<'_> = &args;
    let code = code(e.kind());
    let mut rendered = r(out, code, Exit::Usage, args);
    let mut extra = vec![];
    if !text(ContextKind::ValidValue).is_empty() && code == "invalid-value" {
        extra.push(out.ta("parse-valid-values", args));
    }
    let suggestion = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand, ContextKind::SuggestedValue]
        .into_iter()
        .map(text)
        .find(|s| !s.is_empty());
    if let Some(s) = suggestion {
        extra.push(out.ta("parse-did-you-mean", &[("suggestion", v(s))]));
    }
    for line in extra {
        rendered.message.push(' ');
        rendered.message.push_str(&line);
    }
    rendered
}

/// What the user typed, with control characters (an escape sequence pasted into a
/// terminal) shown as `\u{..}` rather than acted on.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
