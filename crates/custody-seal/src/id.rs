//! Payload ids and the Crockford base32 alphabet shared with the label fingerprint.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Crockford base32 without I, L, O, U: symbols a person can read back without
/// confusing 0/O or 1/I/L.
pub(crate) const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Number of random symbols after the date: 40 bits, so two payloads sealed on the same
/// day collide with probability ~n²/2⁴¹.
const RANDOM_SYMBOLS: usize = 8;

/// The id of one payload: `YYYYMMDD-XXXXXXXX`, the seal date and 8 random Crockford
/// base32 symbols. Only ASCII digits, upper-case letters and one hyphen, 17 bytes: safe
/// as a FAT 8.3-free long file name and in any shell without quoting.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PayloadId(String);

/// Why a string is not a payload id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a payload id (expected YYYYMMDD-XXXXXXXX with a real date and Crockford base32 symbols)")]
pub struct InvalidPayloadId;

impl PayloadId {
    /// A fresh id for a payload sealed on `date`, with 40 bits from the OS random
    /// source, or its error.
    pub fn generate(date: NaiveDate) -> Result<PayloadId, custody_fsio::FsioError> {
        let mut bytes = [0u8; RANDOM_SYMBOLS];
        custody_fsio::fill_random(&mut bytes)?;
        let mut s = date.format("%Y%m%d-").to_string();
        // 32 divides 256, so taking 5 bits of each byte keeps every symbol equally likely.
        s.extend(bytes.iter().map(|b| char::from(CROCKFORD[usize::from(b & 31)])));
        Ok(PayloadId(s))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The seal date encoded in the id.
    pub fn date(&self) -> NaiveDate {
        // The constructor and `from_str` only admit ids whose first 8 digits parse.
        NaiveDate::parse_from_str(&self.0[..8], "%Y%m%d").unwrap_or_default()
    }
}

impl FromStr for PayloadId {
    type Err = InvalidPayloadId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 9 + RANDOM_SYMBOLS || b[8] != b'-' {
            return Err(InvalidPayloadId);
        }
        if !b[..8].iter().all(u8::is_ascii_digit) {
            return Err(InvalidPayloadId);
        }
        NaiveDate::parse_from_str(&s[..8], "%Y%m%d").map_err(|_| InvalidPayloadId)?;
        if !b[9..].iter().all(|c| CROCKFORD.contains(c)) {
            return Err(InvalidPayloadId);
        }
        Ok(PayloadId(s.to_owned()))
    }
}

impl fmt::Display for PayloadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PayloadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PayloadId({})", self.0)
    }
}

impl Serialize for PayloadId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PayloadId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Encodes the first `symbols * 5` bits of `bytes` (big-endian bit order) as Crockford
/// base32. The caller guarantees `bytes` holds enough bits.
pub(crate) fn crockford_bits(bytes: &[u8], symbols: usize) -> String {
    let mut out = String::with_capacity(symbols);
    for i in 0..symbols {
        let bit = i * 5;
        let mut v = 0u16;
        for k in 0..5 {
            let b = bit + k;
            let byte = bytes.get(b / 8).copied().unwrap_or(0);
            v = (v << 1) | u16::from((byte >> (7 - b % 8)) & 1);
        }
        out.push(char::from(CROCKFORD[usize::from(v)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_parses_back() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let id = PayloadId::generate(d).unwrap();
        assert!(id.as_str().starts_with("20261124-"));
        assert_eq!(id.as_str().parse::<PayloadId>().unwrap(), id);
        assert_eq!(id.date(), d);
    }

    #[test]
    fn rejects_bad_ids() {
        for bad in [
            "",
            "20261124-ABCDEFG",
            "20261124-ABCDEFGHJ",
            "20261124_ABCDEFGH",
            "20261324-ABCDEFGH",
            "20261124-ABCDEFGI",
            "20261124-abcdefgh",
            "2026112a-ABCDEFGH",
            "+2026112-ABCDEFGH",
        ] {
            assert!(bad.parse::<PayloadId>().is_err(), "{bad}");
        }
        assert!("20261124-0123ZZZZ".parse::<PayloadId>().is_ok());
    }

    #[test]
    fn crockford_known_bits() {
        assert_eq!(crockford_bits(&[0xff; 10], 16), "ZZZZZZZZZZZZZZZZ");
        assert_eq!(crockford_bits(&[0; 10], 16), "0000000000000000");
        // 0x08 = 00001 000 -> first symbol 1, then 000 + next 2 bits 00
        assert_eq!(crockford_bits(&[0x08, 0, 0, 0, 0], 8), "10000000");
    }
}
