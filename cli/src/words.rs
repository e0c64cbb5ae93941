//! Words for the identifiers the libraries hand up with an error (a label field, a
//! part of the home, a step of an erasure): each has its own text in the user's
//! language, so no raw identifier reaches a sentence. The raw value stays in the
//! error's `detail` in `--json`, for support.

use custody_lifecycle::HomeDamage;

use crate::output::Output;

/// A label or notice field (`recipient`, `notice_id`, …) as the notice names it.
pub(crate) fn field(out: &Output, field: &str) -> String {
    let id = match field {
        "issuer" => "notice-label-issuer-org",
        "recipient" => "notice-label-recipient",
        "contract" => "notice-label-contract",
        "categories" => "notice-label-categories",
        "notice_id" => "notice-label-id",
        "payload_id" => "notice-label-payload",
        "fingerprint" => "notice-label-fingerprint",
        "sealed_by" => "ux-field-sealed-by",
        _ => "ux-field-other",
    };
    out.t(id)
}

/// Which part of the custody home is damaged.
pub(crate) fn home_damage(out: &Output, part: HomeDamage) -> String {
    out.t(&format!("ux-home-damage-{}", part.as_str()))
}

/// The steps an erasure reports in `Problem::Io` (crates/custody-wipe): each in the
/// user's language. A step this list does not know yet gets a general word.
pub(crate) fn wipe_step(out: &Output, step: &str) -> String {
    let id = match step {
        "open" => "ux-step-open",
        "stat" => "ux-step-stat",
        "hash" => "ux-step-hash",
        "overwrite" => "ux-step-overwrite",
        "verify" => "ux-step-verify",
        "fsync" | "fdatasync" | "syncfs" => "ux-step-sync",
        "fsync directory" => "ux-step-sync-directory",
        "drop cache" => "ux-step-drop-cache",
        "truncate" => "ux-step-truncate",
        "random name" | "rename" => "ux-step-rename",
        "unlink" => "ux-step-unlink",
        "read directory" => "ux-step-read-directory",
        _ => "ux-step-other",
    };
    out.t(id)
}

#[cfg(test)]
mod tests {
    use custody_l10n::{Lang, Localizer};

    use super::*;

    /// English words, not counting file names (`person.json`) and acronyms (`ID`).
    fn ascii_words(s: &str) -> bool {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .filter(|w| !w.contains(['.', '_']) && w.chars().any(|c| c.is_ascii_lowercase()))
            .any(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
    }

    /// Every step string the erasure crate can report, read from its sources (all of
    /// them, wherever they move), has its own Japanese word.
    #[test]
    fn every_step_the_wipe_crate_reports_is_said_in_japanese() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/custody-wipe/src");
        let mut dirs = vec![root];
        let mut steps = vec![];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap_or_default();
                for marker in ["step: \"", "problem(\""] {
                    for piece in src.split(marker).skip(1) {
                        steps.push(piece.split('"').next().unwrap_or_default().to_string());
                    }
                }
            }
        }
        assert!(steps.iter().any(|s| s == "fsync directory"), "the scan found only {steps:?}");
        let ja = Output::new(Localizer::new(Lang::Ja), false, false);
        let other = wipe_step(&ja, "no such step");
        for step in steps {
            let said = wipe_step(&ja, &step);
            assert_ne!(said, other, "step {step:?} has no word of its own");
            assert!(!ascii_words(&said), "step {step:?} is not said in Japanese: {said}");
        }
    }

    #[test]
    fn fields_and_home_parts_are_said_in_japanese() {
        let ja = Output::new(Localizer::new(Lang::Ja), false, false);
        let other = field(&ja, "no such field");
        for f in
            ["issuer", "recipient", "contract", "categories", "notice_id", "payload_id", "fingerprint", "sealed_by"]
        {
            let said = field(&ja, f);
            assert!(said != other && !ascii_words(&said) && !said.starts_with("ux-"), "{f}: {said}");
        }
        for part in [
            HomeDamage::Person,
            HomeDamage::KeyPair,
            HomeDamage::FolderKey,
            HomeDamage::Coverage,
            HomeDamage::PayloadReference,
            HomeDamage::InterruptedErasure,
            HomeDamage::PinnedKey,
            HomeDamage::KeptCheckpoint,
            HomeDamage::CertificateChain,
        ] {
            let said = home_damage(&ja, part);
            assert!(!said.starts_with("ux-") && !ascii_words(&said), "{part:?}: {said}");
        }
    }
}
