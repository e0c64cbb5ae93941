//! The passphrase: 100 random bits as 20 Crockford base32 symbols, with a check
//! symbol per group of five so a typo is named before the slow KDF runs.

use std::fmt;

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::crockford::{check_value, classify, Sym, ALPHABET, CHECK_ALPHABET, GROUPS, GROUP_LEN};
use crate::error::PassphraseError;

const SYMBOLS: usize = GROUPS * GROUP_LEN;
const TYPED_SYMBOLS: usize = GROUPS * (GROUP_LEN + 1);
/// `XXXXX-XXXXX-XXXXX-XXXXX`
const CANONICAL_LEN: usize = SYMBOLS + GROUPS - 1;
/// `XXXXXC-XXXXXC-XXXXXC-XXXXXC`
const TYPED_LEN: usize = TYPED_SYMBOLS + GROUPS - 1;

/// A passphrase for one payload.
///
/// The canonical form (`7K3QZ-9XW2P-ABCDE-FGHJK`) is what scrypt sees and what stock
/// `age -d` is given; the typed form adds a check symbol to each group. The value is
/// zeroized on drop, never printed by `Debug` or `Display`, and cannot be cloned, so
/// the number of copies in memory is the number of places that asked for one.
pub struct Passphrase {
    symbols: Zeroizing<[u8; SYMBOLS]>,
    canonical: Zeroizing<String>,
}

impl Passphrase {
    /// A fresh passphrase from the operating system's random source, or
    /// [`PassphraseError::RandomnessUnavailable`]: there is no safe passphrase to return
    /// without it.
    pub fn generate() -> Result<Passphrase, PassphraseError> {
        let mut symbols = Zeroizing::new([0u8; SYMBOLS]);
        crate::random::fill_symbols(&mut symbols[..])?;
        Ok(Passphrase::from_symbols(symbols))
    }

    /// Reads a passphrase as a person types it: the typed form (24 symbols, each group's
    /// check verified) or the canonical form (20 symbols). Case, white space (including
    /// U+3000), hyphens and IME dashes (ー − ‐ – —), and full-width letters are
    /// tolerated; O reads as 0 and I/L as 1. Errors never contain the input.
    pub fn parse(input: &str) -> Result<Passphrase, PassphraseError> {
        let mut seen = Zeroizing::new([0u8; TYPED_SYMBOLS]);
        let mut count = 0usize;
        for c in input.chars() {
            match classify(c) {
                Sym::Separator => {}
                Sym::Invalid => return Err(PassphraseError::InvalidCharacter { position: count + 1 }),
                Sym::Value(v) => {
                    if count < TYPED_SYMBOLS {
                        seen[count] = v;
                    }
                    count += 1;
                }
            }
        }
        let mut symbols = Zeroizing::new([0u8; SYMBOLS]);
        match count {
            TYPED_SYMBOLS => {
                for g in 0..GROUPS {
                    let start = g * (GROUP_LEN + 1);
                    let mut group = Zeroizing::new([0u8; GROUP_LEN]);
                    for i in 0..GROUP_LEN {
                        let v = seen[start + i];
                        if usize::from(v) >= ALPHABET.len() {
                            return Err(PassphraseError::InvalidCharacter { position: start + i + 1 });
                        }
                        group[i] = v;
                    }
                    if check_value(&group) != seen[start + GROUP_LEN] {
                        return Err(PassphraseError::TypoInGroup { group: g + 1 });
                    }
                    symbols[g * GROUP_LEN..(g + 1) * GROUP_LEN].copy_from_slice(&group[..]);
                }
            }
            SYMBOLS => {
                for (i, &v) in seen[..SYMBOLS].iter().enumerate() {
                    if usize::from(v) >= ALPHABET.len() {
                        return Err(PassphraseError::InvalidCharacter { position: i + 1 });
                    }
                }
                symbols.copy_from_slice(&seen[..SYMBOLS]);
            }
            n => return Err(PassphraseError::WrongLength { symbols: n }),
        }
        Ok(Passphrase::from_symbols(symbols))
    }

    /// The canonical form, `XXXXX-XXXXX-XXXXX-XXXXX` in upper case: the exact bytes
    /// scrypt derives the key from.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The form printed for typing: each group followed by its check symbol, groups
    /// joined by `-`, e.g. `7K3QZ4-9XW2PX-ABCDE*-FGHJK0`.
    pub fn typed_form(&self) -> Zeroizing<String> {
        // Exact capacity: pushing never reallocates, so no stray copy is left behind.
        let mut out = Zeroizing::new(String::with_capacity(TYPED_LEN));
        for (g, group) in self.groups().enumerate() {
            if g > 0 {
                out.push('-');
            }
            for &v in group.iter() {
                out.push(char::from(ALPHABET[usize::from(v)]));
            }
            out.push(char::from(CHECK_ALPHABET[usize::from(check_value(&group))]));
        }
        out
    }

    /// The typed form of each group in order, for layouts that print the groups apart.
    pub(crate) fn typed_groups(&self) -> Vec<Zeroizing<String>> {
        self.groups()
            .map(|group| {
                let mut s = Zeroizing::new(String::with_capacity(GROUP_LEN + 1));
                for &v in group.iter() {
                    s.push(char::from(ALPHABET[usize::from(v)]));
                }
                s.push(char::from(CHECK_ALPHABET[usize::from(check_value(&group))]));
                s
            })
            .collect()
    }

    /// The canonical form as a [`SecretString`], for `age::scrypt`.
    pub fn to_secret_string(&self) -> SecretString {
        // From<&str> allocates exactly the length, so the boxed str is the only copy.
        SecretString::from(self.canonical())
    }

    fn groups(&self) -> impl Iterator<Item = Zeroizing<[u8; GROUP_LEN]>> + '_ {
        self.symbols.chunks_exact(GROUP_LEN).map(|c| {
            let mut g = Zeroizing::new([0u8; GROUP_LEN]);
            g.copy_from_slice(c);
            g
        })
    }

    fn from_symbols(symbols: Zeroizing<[u8; SYMBOLS]>) -> Passphrase {
        let mut canonical = Zeroizing::new(String::with_capacity(CANONICAL_LEN));
        for (i, &v) in symbols.iter().enumerate() {
            if i > 0 && i % GROUP_LEN == 0 {
                canonical.push('-');
            }
            canonical.push(char::from(ALPHABET[usize::from(v & 31)]));
        }
        Passphrase { symbols, canonical }
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase([redacted])")
    }
}

impl fmt::Display for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn known_vector() {
        // Group values computed by hand: 00000 → 0; 11111 = 1·(32⁴+32³+32²+32+1) =
        // 1082401 ≡ 1082401 − 37·29254 = 3 → '3'.
        let p = Passphrase::parse("00000-11111-ZZZZZ-7K3QZ").unwrap();
        assert_eq!(p.canonical(), "00000-11111-ZZZZZ-7K3QZ");
        let typed = p.typed_form();
        assert_eq!(&typed[..14], "000000-111113-");
        assert_eq!(typed.len(), TYPED_LEN);
        assert_eq!(p.to_secret_string().expose_secret(), p.canonical());
    }

    #[test]
    fn generated_passphrases_differ_and_are_well_formed() {
        let a = Passphrase::generate().unwrap();
        let b = Passphrase::generate().unwrap();
        assert_ne!(a.canonical(), b.canonical());
        assert_eq!(a.canonical().len(), CANONICAL_LEN);
        assert_eq!(Passphrase::parse(&a.typed_form()).unwrap().canonical(), a.canonical());
        assert_eq!(a.typed_groups().len(), GROUPS);
    }
}
