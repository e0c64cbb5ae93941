//! Every word `custody` shows a person, in Japanese or English.
//!
//! The text lives in Fluent files under `i18n/<lang>/<component>.ftl`, one file per
//! component (the CLI, the password notice, erasure, …), compiled into the binary so a
//! ward PC needs nothing installed beside it. This crate only looks text up; deciding
//! *what* to say is the job of the CLI and of the crates that render documents.
//!
//! ```
//! use custody_l10n::{Lang, Localizer};
//! let l = Localizer::new(Lang::En);
//! assert_eq!(l.msg("lang-name"), "English");
//! let ja = Localizer::new(Lang::Ja);
//! assert_eq!(ja.msg("lang-name"), "日本語");
//! ```

#![forbid(unsafe_code)]

use std::borrow::Cow;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

mod units;
pub use units::human_size;

/// The languages ward staff and contractors read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// Parses `ja`, `en`, or a locale such as `ja_JP.UTF-8` / `en-US`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        if t.starts_with("ja") {
            Some(Lang::Ja)
        } else if t.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language to use: the explicit choice (`--lang`) if any, else the first of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG` that names Japanese or English, else Japanese —
    /// the ward's own language, and the safe choice for a clerk's PC set to `C`.
    pub fn detect(explicit: Option<Lang>) -> Lang {
        if let Some(l) = explicit {
            return l;
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if v.is_empty() {
                    continue;
                }
                // The first non-empty variable decides, as in POSIX; `C` means "no
                // preference", which for this tool is Japanese.
                return Lang::from_tag(&v).unwrap_or(Lang::Ja);
            }
        }
        Lang::Ja
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

macro_rules! ftl_files {
    ($lang:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../i18n/", $lang, "/", $name, ".ftl")))),*]
    };
}

/// One file per component, so that the people working on different commands do not
/// edit the same file. Every file must exist in both languages with the same ids
/// (checked by the tests).
const JA: &[(&str, &str)] = ftl_files!("ja": "common", "cli", "notice", "seal", "open", "keys", "ledger", "wipe", "erasure", "interface", "hostile", "checkpoint", "certificate", "ux");
const EN: &[(&str, &str)] = ftl_files!("en": "common", "cli", "notice", "seal", "open", "keys", "ledger", "wipe", "erasure", "interface", "hostile", "checkpoint", "certificate", "ux");

/// Message arguments: `&[("path", "a/b".into()), ("count", 3.into())]`.
pub type Args<'a> = [(&'a str, FluentValue<'a>)];

/// Looks up messages for one language.
pub struct Localizer {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Localizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Localizer").field("lang", &self.lang).finish()
    }
}

impl Localizer {
    pub fn new(lang: Lang) -> Localizer {
        let (id, files) = match lang {
            Lang::Ja => (unic_langid::langid!("ja"), JA),
            Lang::En => (unic_langid::langid!("en"), EN),
        };
        let mut bundle = FluentBundle::new(vec![id]);
        // Isolation marks (U+2068/U+2069) around arguments help right-to-left scripts,
        // which we do not have, and would end up in file names pasted from messages.
        bundle.set_use_isolating(false);
        for (name, text) in files {
            let res = match FluentResource::try_new(text.to_string()) {
                Ok(r) => r,
                // A syntax error in a compiled-in file is a build defect that the tests
                // catch; at run time keep whatever parsed rather than show no text.
                Err((r, _)) => {
                    debug_assert!(false, "syntax error in {}/{}.ftl", lang.tag(), name);
                    r
                }
            };
            // Duplicate ids across files are caught by the tests; keep the first.
            let _ = bundle.add_resource(res);
        }
        Localizer { lang, bundle }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` with no arguments.
    pub fn msg(&self, id: &str) -> String {
        self.msg_args(id, &[])
    }

    /// The message `id` with arguments. An unknown id yields the id itself, so a
    /// missing translation is visible but never hides what happened.
    pub fn msg_args(&self, id: &str, args: &Args<'_>) -> String {
        let (msg_id, attr) = match id.split_once('.') {
            Some((m, a)) => (m, Some(a)),
            None => (id, None),
        };
        let Some(msg) = self.bundle.get_message(msg_id) else {
            return id.to_string();
        };
        let pattern = match attr {
            Some(a) => msg.get_attribute(a).map(|at| at.value()),
            None => msg.value(),
        };
        let Some(pattern) = pattern else {
            return id.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = vec![];
        let out: Cow<'_, str> = self.bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        out.into_owned()
    }

    /// True when the message exists (for optional lines such as hints).
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }
}

/// All message ids of a language, for consistency checks.
pub fn message_ids(lang: Lang) -> Vec<(String, String)> {
    let files = match lang {
        Lang::Ja => JA,
        Lang::En => EN,
    };
    let mut ids = vec![];
    for (name, text) in files {
        if let Ok(res) = FluentResource::try_new(text.to_string()) {
            for entry in res.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    ids.push((name.to_string(), m.id.name.to_string()));
                }
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_file_parses_in_both_languages() {
        for files in [JA, EN] {
            for (name, text) in files {
                if let Err((_, errs)) = FluentResource::try_new(text.to_string()) {
                    panic!("{name}.ftl: {errs:?}");
                }
            }
        }
    }

    #[test]
    fn japanese_and_english_have_the_same_messages() {
        let ja: BTreeSet<_> = message_ids(Lang::Ja).into_iter().collect();
        let en: BTreeSet<_> = message_ids(Lang::En).into_iter().collect();
        let only_ja: Vec<_> = ja.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&ja).collect();
        assert!(only_ja.is_empty() && only_en.is_empty(), "only in ja: {only_ja:?}; only in en: {only_en:?}");
    }

    #[test]
    fn no_message_id_is_defined_twice() {
        for lang in [Lang::Ja, Lang::En] {
            let mut seen = BTreeSet::new();
            for (file, id) in message_ids(lang) {
                assert!(seen.insert(id.clone()), "{id} defined twice ({file}.ftl, {lang:?})");
            }
        }
    }

    #[test]
    fn arguments_are_substituted_without_isolation_marks() {
        let l = Localizer::new(Lang::En);
        let s = l.msg_args("test-greeting", &[("name", "山田".into())]);
        assert_eq!(s, "Hello, 山田");
    }

    #[test]
    fn unknown_ids_are_shown_as_themselves() {
        assert_eq!(Localizer::new(Lang::Ja).msg("no-such-id"), "no-such-id");
    }

    #[test]
    fn locale_tags() {
        assert_eq!(Lang::from_tag("ja_JP.UTF-8"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("C"), None);
        assert_eq!(Lang::detect(Some(Lang::En)), Lang::En);
    }
}
