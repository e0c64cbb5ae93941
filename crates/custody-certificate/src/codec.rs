//! The one reader and the one writer of certificate bytes.

use chrono::DateTime;
use sha2::{Digest, Sha256};

use crate::model::{Certificate, FORMAT};
use crate::CertError;
use custody_ledger::strict_json::{self, JsonProblem};

/// Largest certificate read: a delivery of a million files stays well below it.
pub const MAX_CERT_BYTES: usize = 64 << 20;

impl Certificate {
    /// The exact bytes to sign and store: RFC 8785 (JCS), no trailing newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Plain strings, integers, arrays and maps always serialise.
        serde_jcs::to_vec(self).unwrap_or_default()
    }

    /// Strict reading: bounded, no duplicate keys, no unknown or missing fields, the
    /// exact canonical bytes, and every field in its one form.
    pub fn parse(bytes: &[u8]) -> Result<Certificate, CertError> {
        if bytes.len() > MAX_CERT_BYTES {
            return Err(CertError::TooLarge { max: MAX_CERT_BYTES });
        }
        let value = match strict_json::parse(bytes) {
            Ok(v) => v,
            Err(JsonProblem::Syntax) => return Err(CertError::NotJson),
            Err(JsonProblem::DuplicateKey(key)) => return Err(CertError::DuplicateKey { key }),
        };
        if let Some(f) = value.get("format").and_then(|f| f.as_str()) {
            if f != FORMAT {
                return Err(CertError::UnsupportedFormat { found: f.to_owned() });
            }
        }
        let cert: Certificate =
            serde_json::from_value(value).map_err(|e| CertError::Schema { detail: e.to_string() })?;
        if cert.format != FORMAT {
            return Err(CertError::UnsupportedFormat { found: cert.format });
        }
        if cert.to_bytes() != bytes {
            return Err(CertError::NotCanonical);
        }
        cert.check_fields()?;
        Ok(cert)
    }

    fn check_fields(&self) -> Result<(), CertError> {
        let bad = |field, why| Err(CertError::BadField { field, why });
        if self.cert_seq == 0 || self.cert_seq > crate::MAX_SAFE_INTEGER {
            return bad("cert_seq", "must be 1 or more");
        }
        match (&self.prev_cert, self.cert_seq) {
            (None, 1) => {}
            (Some(h), s) if s > 1 && is_hex32(h) => {}
            _ => return bad("prev_cert", "null for the first certificate, else 64 lowercase hex digits"),
        }
        if self.id != certificate_id(&self.issuer.key_id, self.cert_seq) {
            return bad("id", "must be CERT-<issuer key id>-<cert_seq>");
        }
        if !is_time(&self.issued) {
            return bad("issued", "not RFC 3339 with whole seconds");
        }
        if self.lang != "ja" && self.lang != "en" {
            return bad("lang", "must be ja or en");
        }
        let key_ok = self.issuer.key_id.len() == 16
            && self.issuer.key_id.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
        if !key_ok {
            return bad("issuer.key_id", "must be 16 uppercase hex digits");
        }
        for item in &self.items {
            if !is_hex32(&item.record_sha256) || !is_hex32(&item.ledger_leaf) {
                return bad("items.record_sha256", "must be 64 lowercase hex digits");
            }
        }
        for p in &self.payloads {
            if !is_hex32(&p.manifest_root) {
                return bad("payloads.manifest_root", "must be 64 lowercase hex digits");
            }
            for (i, e) in p.entries.iter().enumerate() {
                if e.index != i as u64 || !is_hex32(&e.sha256) {
                    return bad("payloads.entries", "indexes must run 0, 1, 2, … with 64-hex-digit hashes");
                }
            }
        }
        for pr in &self.anchor.proofs {
            if !is_hex32(&pr.leaf) || !pr.path.iter().all(|h| is_hex32(h)) || pr.path.len() > 64 {
                return bad("anchor.proofs", "hashes must be 64 lowercase hex digits");
            }
        }
        Ok(())
    }

    /// SHA-256 of the exact bytes, hex: what `prev_cert` and the ledger cite.
    pub fn hash_of(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    /// The `trusted comment` of its minisign signature: names the certificate, the
    /// issuer and the date, one line.
    pub fn trusted_comment(&self) -> String {
        let one_line = |s: &str| s.replace(['\n', '\r'], " ");
        format!(
            "custody certificate {} issuer {} {} ({}) date {}",
            self.id,
            one_line(&self.issuer.org),
            one_line(&self.issuer.name),
            self.issuer.key_id,
            self.issued
        )
    }
}

/// `CERT-<key id>-<seq, 6 digits>`.
pub fn certificate_id(key_id: &str, seq: u64) -> String {
    format!("CERT-{key_id}-{seq:06}")
}

pub(crate) fn is_hex32(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(crate) fn is_time(s: &str) -> bool {
    DateTime::parse_from_rfc3339(s)
        .map(|t| {
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false) == s
                || t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true) == s
        })
        .unwrap_or(false)
}
