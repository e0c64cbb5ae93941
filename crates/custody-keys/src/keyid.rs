use std::fmt;
use std::str::FromStr;

use crate::KeyError;

/// The 8-byte key number minisign stores in keys and signatures.
///
/// Shown (and parsed) as minisign shows it: 16 uppercase hex digits of the
/// little-endian `u64`, so the text is byte-reversed relative to the stored bytes.
/// Only the uppercase form parses, so a key id has exactly one spelling in the ledger.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    /// The bytes as they appear inside minisign files.
    pub fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016X}", u64::from_le_bytes(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl FromStr for KeyId {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<KeyId, KeyError> {
        let ok = s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
        if !ok {
            return Err(KeyError::Malformed { what: "key id (16 uppercase hex digits)" });
        }
        let n = u64::from_str_radix(s, 16).map_err(|_| KeyError::Malformed { what: "key id" })?;
        Ok(KeyId(n.to_le_bytes()))
    }
}

impl serde::Serialize for KeyId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for KeyId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<KeyId, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = KeyId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a minisign key id (16 uppercase hex digits)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyId, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_byte_reversed_uppercase_hex() {
        let id = KeyId([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xAB]);
        assert_eq!(id.to_string(), "AB07060504030201");
        assert_eq!("AB07060504030201".parse::<KeyId>().unwrap(), id);
        assert!("ab07060504030201".parse::<KeyId>().is_err());
        assert!("AB0706050403020".parse::<KeyId>().is_err());
        assert!("+B07060504030201".parse::<KeyId>().is_err());
    }
}
