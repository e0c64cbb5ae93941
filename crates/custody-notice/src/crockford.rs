//! Crockford base32 symbols and the mod-37 check symbol.
//!
//! Kept apart from the passphrase so the check arithmetic, which carries the typo
//! guarantees documented in `docs/passphrase.md`, can be read and tested on its own.

/// The 32 data symbols, in value order. No I, L, O or U: I/L/O read as 1/1/0 and U
/// is left for the check alphabet.
pub(crate) const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Check symbols for values 0..=36: the 32 data symbols, then `*~$=U` (Crockford).
pub(crate) const CHECK_ALPHABET: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

/// Symbols per group before the check symbol.
pub(crate) const GROUP_LEN: usize = 5;
/// Groups in a passphrase.
pub(crate) const GROUPS: usize = 4;

/// What one input character means once case, full-width forms and look-alikes are
/// folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sym {
    /// A character that only separates groups and is otherwise ignored.
    Separator,
    /// A value in 0..=36 (32..=36 are the check-only symbols `*~$=U`).
    Value(u8),
    Invalid,
}

/// Folds one input character. Full-width ASCII (U+FF01..U+FF5E, what a Japanese IME
/// types in 全角 mode) is read as its ASCII twin; the dashes and long-vowel marks an
/// IME puts in place of `-`, and every kind of white space, separate groups.
pub(crate) fn classify(c: char) -> Sym {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => {
            // In range, so the subtraction lands on printable ASCII 0x21..=0x7E.
            char::from_u32(c as u32 - 0xFEE0).unwrap_or('\u{0}')
        }
        // WAVE DASH is what macOS IMEs type for a full-width tilde.
        '\u{301C}' => '~',
        _ => c,
    };
    match c {
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' => Sym::Separator,
        c if c.is_whitespace() => Sym::Separator,
        _ => match c.to_ascii_uppercase() {
            'O' => Sym::Value(0),
            'I' | 'L' => Sym::Value(1),
            u if u.is_ascii() => match CHECK_ALPHABET.iter().position(|&s| s == u as u8) {
                // position < 37, fits in u8.
                Some(v) => Sym::Value(v as u8),
                None => Sym::Invalid,
            },
            _ => Sym::Invalid,
        },
    }
}

/// The check value of one group: its 25-bit big-endian value mod 37. Because 37 is a
/// prime above 32, no single substitution and no transposition within a group leaves
/// this unchanged (see the tests and `docs/passphrase.md`).
pub(crate) fn check_value(group: &[u8; GROUP_LEN]) -> u8 {
    let v = group.iter().fold(0u32, |acc, &s| (acc << 5) | u32::from(s & 31));
    // < 37, fits in u8.
    (v % 37) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_folds() {
        assert_eq!(classify('o'), Sym::Value(0));
        assert_eq!(classify('l'), Sym::Value(1));
        assert_eq!(classify('I'), Sym::Value(1));
        assert_eq!(classify('z'), Sym::Value(31));
        assert_eq!(classify('u'), Sym::Value(36));
        assert_eq!(classify('*'), Sym::Value(32));
        assert_eq!(classify('～'), Sym::Value(33));
        assert_eq!(classify('〜'), Sym::Value(33));
        assert_eq!(classify('＄'), Sym::Value(34));
        assert_eq!(classify('＝'), Sym::Value(35));
        assert_eq!(classify('Ｋ'), Sym::Value(19));
        assert_eq!(classify('ｋ'), Sym::Value(19));
        assert_eq!(classify('７'), Sym::Value(7));
        for sep in ['-', ' ', '\t', '\n', '\u{3000}', 'ー', '−', '－', '‐', '—', 'ｰ'] {
            assert_eq!(classify(sep), Sym::Separator, "{sep:?}");
        }
        for bad in ['#', '_', '.', 'あ', '\u{0}', 'é', '+', '/'] {
            assert_eq!(classify(bad), Sym::Invalid, "{bad:?}");
        }
    }

    /// The proof behind "every single substitution is caught": the check is linear in
    /// the symbol values, so a substitution of delta d at weight 32^k goes unnoticed
    /// only if d·32^k ≡ 0 (mod 37). Enumerating every weight and delta shows it never is.
    #[test]
    fn every_single_substitution_changes_the_check() {
        for k in 0..GROUP_LEN as u32 {
            let w = 32u64.pow(k) % 37;
            for d in 1..32u64 {
                assert_ne!((d * w) % 37, 0, "weight {k}, delta {d}");
            }
        }
    }

    /// A transposition of symbols a, b at weights 32^i, 32^j changes the value by
    /// (a−b)(32^i − 32^j); it goes unnoticed only if that is ≡ 0 (mod 37).
    #[test]
    fn every_transposition_within_a_group_changes_the_check() {
        for i in 0..GROUP_LEN as u32 {
            for j in 0..i {
                let diff = (32u64.pow(i) - 32u64.pow(j)) % 37;
                for d in 1..32u64 {
                    assert_ne!((d * diff) % 37, 0, "positions {i},{j}, delta {d}");
                }
            }
        }
    }
}
