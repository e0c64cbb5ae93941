//! The passphrase's promises: what it accepts, what typos it catches, and that it
//! never shows itself.

use custody_notice::{Passphrase, PassphraseError};
use proptest::prelude::*;
use secrecy::ExposeSecret;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHECK_ALPHABET: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

fn canonical_of(sym: &[u8]) -> String {
    sym.chunks(5)
        .map(|g| g.iter().map(|&v| char::from(ALPHABET[usize::from(v)])).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The 24 symbols of a typed form, separators dropped.
fn typed_symbols(p: &Passphrase) -> Vec<u8> {
    p.typed_form().bytes().filter(|&b| b != b'-').collect()
}

fn group_of(position: usize) -> usize {
    position / 6 + 1
}

#[test]
fn vectors_from_the_docs() {
    let text = include_str!("data/passphrase-vectors.txt");
    let mut n = 0;
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let (input, expected) = line.split_once('\t').expect("tab-separated vector");
        let input = input.replace("\\t", "\t");
        let got = match Passphrase::parse(&input) {
            Ok(p) => format!("ok {} {}", p.canonical(), p.typed_form().as_str()),
            Err(PassphraseError::TypoInGroup { group }) => format!("typo {group}"),
            Err(PassphraseError::WrongLength { symbols }) => format!("length {symbols}"),
            Err(PassphraseError::InvalidCharacter { position }) => format!("invalid {position}"),
            Err(e) => format!("other {e}"),
        };
        assert_eq!(got, expected, "input {input:?}");
        n += 1;
    }
    assert!(n >= 20, "only {n} vectors");
}

#[test]
fn debug_display_and_errors_never_show_the_passphrase() {
    let p = Passphrase::generate().unwrap();
    let canonical = p.canonical().to_string();
    let first_group = &canonical[..5];
    for shown in [format!("{p:?}"), format!("{p}"), format!("{:?}", p.to_secret_string())] {
        assert!(!shown.contains(first_group), "{shown}");
        assert!(shown.contains("redacted") || shown.contains("REDACTED"), "{shown}");
    }
    assert_eq!(p.to_secret_string().expose_secret(), canonical);
    let mut typed = p.typed_form().to_string();
    typed.replace_range(0..1, if typed.starts_with('Z') { "Y" } else { "Z" });
    let e = Passphrase::parse(&typed).unwrap_err();
    assert!(!format!("{e} {e:?}").contains(&typed[1..5]));
}

/// Single substitutions over many random passphrases: every position of the typed form
/// (data and check symbols) replaced by every other symbol of the check alphabet.
/// Every one is refused, and a data-symbol substitution names its group.
#[test]
fn every_single_substitution_is_caught() {
    let mut tried = 0u64;
    for _ in 0..300 {
        let p = Passphrase::generate().unwrap();
        let sym = typed_symbols(&p);
        for pos in 0..24 {
            for &other in CHECK_ALPHABET.iter().filter(|&&c| c != sym[pos]) {
                let mut s = sym.clone();
                s[pos] = other;
                let input = String::from_utf8(s).unwrap();
                let err = Passphrase::parse(&input).unwrap_err();
                let is_check_position = pos % 6 == 5;
                match err {
                    PassphraseError::TypoInGroup { group } => assert_eq!(group, group_of(pos)),
                    // A check-only symbol (*~$=U) where a data symbol belongs.
                    PassphraseError::InvalidCharacter { position } => {
                        assert!(!is_check_position && b"*~$=U".contains(&other));
                        assert_eq!(position, pos + 1);
                    }
                    e => panic!("unexpected {e:?}"),
                }
                tried += 1;
            }
        }
    }
    assert_eq!(tried, 300 * 24 * 36);
}

/// Every adjacent transposition of two different symbols in the typed form, within a
/// group, with the check symbol, or across two groups, is refused.
#[test]
fn every_adjacent_transposition_is_caught() {
    let mut tried = 0u64;
    for _ in 0..2000 {
        let p = Passphrase::generate().unwrap();
        let sym = typed_symbols(&p);
        for pos in 0..23 {
            if sym[pos] == sym[pos + 1] {
                continue;
            }
            let mut s = sym.clone();
            s.swap(pos, pos + 1);
            let input = String::from_utf8(s).unwrap();
            assert!(Passphrase::parse(&input).is_err(), "swap at {pos} not caught");
            tried += 1;
        }
    }
    assert!(tried > 2000 * 20);
}

proptest! {
    #[test]
    fn canonical_and_typed_forms_round_trip(sym in proptest::collection::vec(0u8..32, 20)) {
        let canonical = canonical_of(&sym);
        let p = Passphrase::parse(&canonical).unwrap();
        prop_assert_eq!(p.canonical(), canonical.as_str());
        let again = Passphrase::parse(&p.typed_form()).unwrap();
        prop_assert_eq!(again.canonical(), canonical.as_str());
        let (t1, t2) = (again.typed_form(), p.typed_form());
        prop_assert_eq!(t1.as_str(), t2.as_str());
        let secret = p.to_secret_string();
        prop_assert_eq!(secret.expose_secret(), canonical.as_str());
    }

    /// What a person or an IME may do to the typed form does not change the passphrase.
    #[test]
    fn tolerated_variations_read_the_same(
        sym in proptest::collection::vec(0u8..32, 20),
        edits in proptest::collection::vec((0usize..8, any::<bool>()), 24),
    ) {
        let p = Passphrase::parse(&canonical_of(&sym)).unwrap();
        let mut input = String::new();
        for (c, (edit, flag)) in typed_symbols(&p).into_iter().map(char::from).zip(edits) {
            let c = match (c, edit) {
                ('0', 0) => if flag { 'O' } else { 'o' },
                ('1', 0) => ['I', 'i', 'L', 'l'][usize::from(flag) * 2],
                (c, 1) => c.to_ascii_lowercase(),
                // Full-width form (U+FF01..U+FF5E).
                (c, 2) => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                ('~', 3) => '〜',
                (c, _) => c,
            };
            input.push(c);
            match edit {
                4 => input.push(if flag { ' ' } else { '\u{3000}' }),
                5 => input.push(if flag { 'ー' } else { '－' }),
                6 => input.push(if flag { '−' } else { '-' }),
                _ => {}
            }
        }
        let q = Passphrase::parse(&format!(" {input}\n")).unwrap();
        prop_assert_eq!(q.canonical(), p.canonical());
    }

    #[test]
    fn parse_never_panics(s in any::<String>()) {
        let _ = Passphrase::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_near_passphrases(s in "[0-9A-Za-z*~$=U \\-ー－　\u{FF10}-\u{FF5A}#]{0,40}") {
        if let Err(PassphraseError::WrongLength { symbols }) = Passphrase::parse(&s) {
            prop_assert!(symbols != 20 && symbols != 24);
        }
    }
}
