//! Notice numbers: `N-YYYYMMDD-XXXXXX`.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::crockford::ALPHABET;
use crate::error::NoticeError;

const RANDOM_SYMBOLS: usize = 6;
const LEN: usize = 2 + 8 + 1 + RANDOM_SYMBOLS;

/// The number printed on a notice and recorded in the ledger and on the media label:
/// `N-`, the issue date, `-`, six random Crockford symbols (30 bits, so two notices
/// issued the same day collide with odds of about one in a billion).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NoticeId(String);

impl NoticeId {
    /// A new id for a notice issued on `date`, or
    /// [`crate::PassphraseError::RandomnessUnavailable`]: a guessable id would let
    /// notices collide.
    pub fn generate(date: NaiveDate) -> Result<NoticeId, crate::PassphraseError> {
        let mut sym = [0u8; RANDOM_SYMBOLS];
        crate::random::fill_symbols(&mut sym)?;
        let mut s = String::with_capacity(LEN);
        s.push_str("N-");
        s.push_str(&date.format("%Y%m%d").to_string());
        s.push('-');
        s.extend(sym.iter().map(|&v| char::from(ALPHABET[usize::from(v)])));
        Ok(NoticeId(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The issue date encoded in the id.
    pub fn date(&self) -> NaiveDate {
        // Checked by FromStr and written by generate, so the digits always form a date;
        // the fallback is unreachable but keeps this total.
        NaiveDate::parse_from_str(&self.0[2..10], "%Y%m%d").unwrap_or_default()
    }
}

impl FromStr for NoticeId {
    type Err = NoticeError;

    /// Strict: exactly the form [`NoticeId::generate`] writes (upper case, a real date).
    fn from_str(s: &str) -> Result<NoticeId, NoticeError> {
        let b = s.as_bytes();
        let ok = b.len() == LEN
            && b.starts_with(b"N-")
            && b[2..10].iter().all(u8::is_ascii_digit)
            && b[10] == b'-'
            && b[11..].iter().all(|c| ALPHABET.contains(c))
            && NaiveDate::parse_from_str(&s[2..10], "%Y%m%d").is_ok();
        if ok {
            Ok(NoticeId(s.to_string()))
        } else {
            Err(NoticeError::InvalidNoticeId)
        }
    }
}

impl fmt::Display for NoticeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for NoticeId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for NoticeId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NoticeId, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_parse_round_trip() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let id = NoticeId::generate(date).unwrap();
        assert!(id.as_str().starts_with("N-20261124-"), "{id}");
        assert_eq!(id.as_str().parse::<NoticeId>().unwrap(), id);
        assert_eq!(id.date(), date);
        assert_ne!(NoticeId::generate(date).unwrap(), id);
    }

    #[test]
    fn rejects_near_misses() {
        for bad in [
            "",
            "N-20261124-7K3QZ9X",
            "N-20261124-7K3QZ",
            "n-20261124-7K3QZ9",
            "N-20261124-7k3qz9",
            "N-20261124-7K3QZO",
            "N-20261124-7K3QZU",
            "N-20261324-7K3QZ9",
            "N-2026112a-7K3QZ9",
            "N_20261124-7K3QZ9",
            "N-20261124_7K3QZ9",
            "N-２0261124-7K3QZ9",
        ] {
            assert!(bad.parse::<NoticeId>().is_err(), "{bad}");
        }
        assert!("N-20261124-7K3QZ9".parse::<NoticeId>().is_ok());
    }

    #[test]
    fn serde_is_a_plain_string() {
        let id: NoticeId = "N-20261124-7K3QZ9".parse().unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"N-20261124-7K3QZ9\"");
        assert_eq!(serde_json::from_str::<NoticeId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<NoticeId>("\"N-1\"").is_err());
    }
}
