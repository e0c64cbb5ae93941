//! The `.minisig` file: four lines.
//!
//! ```text
//! untrusted comment: <text>
//! base64("ED" ‖ key id (8) ‖ Ed25519(BLAKE2b-512(data)) (64))
//! trusted comment: <text>
//! base64(Ed25519(signature (64) ‖ trusted comment bytes))
//! ```

use crate::text::{self, TRUSTED_PREFIX, UNTRUSTED_PREFIX};
use crate::{KeyError, KeyId};

/// Prehashed: the signature covers BLAKE2b-512 of the data.
pub(crate) const SIG_ALG_PREHASHED: [u8; 2] = *b"ED";
/// Legacy: the signature covers the data itself.
pub(crate) const SIG_ALG_LEGACY: [u8; 2] = *b"Ed";

/// A parsed, not yet verified, `.minisig`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinisignSignature {
    pub untrusted_comment: String,
    pub key_id: KeyId,
    pub signature: [u8; 64],
    pub trusted_comment: String,
    pub global_signature: [u8; 64],
}

impl MinisignSignature {
    /// Parse the four lines; only prehashed (`ED`) signatures are accepted.
    pub fn parse(sig_text: &str) -> Result<MinisignSignature, KeyError> {
        let mut lines = text::lines(sig_text);
        let mut next = |what: &'static str| lines.next().ok_or(KeyError::Malformed { what });
        let untrusted = next("signature: untrusted comment line")?
            .strip_prefix(UNTRUSTED_PREFIX)
            .ok_or(KeyError::Malformed { what: "signature: first line must start with \"untrusted comment: \"" })?
            .to_owned();
        let raw: [u8; 74] = text::decode_exact(next("signature line")?, "signature line (74 bytes of base64)")?;
        let trusted = next("trusted comment line")?
            .strip_prefix(TRUSTED_PREFIX)
            .ok_or(KeyError::Malformed { what: "signature: third line must start with \"trusted comment: \"" })?
            .to_owned();
        let global: [u8; 64] =
            text::decode_exact(next("global signature line")?, "global signature (64 bytes of base64)")?;
        if lines.any(|l| !l.trim().is_empty()) {
            return Err(KeyError::Malformed { what: "signature: text after the global signature" });
        }
        // One line ending (\n or \r\n) is stripped; a comment that still holds a \r
        // would not survive being written back, and stock minisign would read a
        // different comment than we verified.
        if untrusted.contains('\r') || trusted.contains('\r') {
            return Err(KeyError::Malformed { what: "signature: a comment contains a carriage return" });
        }
        if raw[..2] != SIG_ALG_PREHASHED {
            let found = if raw[..2] == SIG_ALG_LEGACY {
                "Ed (legacy, not prehashed)".to_owned()
            } else {
                text::alg_name(&raw[..2])
            };
            return Err(KeyError::UnsupportedAlgorithm { field: "signature", found });
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&raw[2..10]);
        let mut signature = [0u8; 64];
        signature.copy_from_slice(&raw[10..]);
        Ok(MinisignSignature {
            untrusted_comment: untrusted,
            key_id: KeyId(id),
            signature,
            trusted_comment: trusted,
            global_signature: global,
        })
    }

    /// The `.minisig` text.
    pub fn to_text(&self) -> String {
        let mut raw = [0u8; 74];
        raw[..2].copy_from_slice(&SIG_ALG_PREHASHED);
        raw[2..10].copy_from_slice(&self.key_id.0);
        raw[10..].copy_from_slice(&self.signature);
        format!(
            "{UNTRUSTED_PREFIX}{}\n{}\n{TRUSTED_PREFIX}{}\n{}\n",
            self.untrusted_comment,
            text::encode(&raw),
            self.trusted_comment,
            text::encode(&self.global_signature)
        )
    }
}
