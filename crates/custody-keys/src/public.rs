use std::io::Read;

use blake2::{Blake2b512, Digest};
use ed25519_dalek::{Signature, VerifyingKey};

use crate::signature::MinisignSignature;
use crate::text::{self, UNTRUSTED_PREFIX};
use crate::{KeyError, KeyId};

/// The key-file signature algorithm tag: Ed25519.
pub(crate) const ALG_ED: [u8; 2] = *b"Ed";

/// A person's Ed25519 public key with its minisign key id.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub(crate) key_id: KeyId,
    pub(crate) vk: VerifyingKey,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({}, {})", self.key_id, self.to_base64())
    }
}

/// The trusted comment of a verified minisign signature (covered by the global signature).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedComment(pub String);

impl PublicKey {
    /// Parse a `.pub` file (untrusted comment line + base64 line) or the bare base64 line.
    pub fn from_minisign(text: &str) -> Result<PublicKey, KeyError> {
        let body = text::key_body(text, "public key")?;
        let raw: [u8; 42] = text::decode_exact(body, "public key (42 bytes of base64)")?;
        if raw[..2] != ALG_ED {
            return Err(KeyError::UnsupportedAlgorithm { field: "public key", found: text::alg_name(&raw[..2]) });
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&raw[2..10]);
        let mut pk = [0u8; 32];
        pk.copy_from_slice(&raw[10..]);
        let vk = VerifyingKey::from_bytes(&pk)
            .map_err(|_| KeyError::Malformed { what: "public key is not a curve point" })?;
        Ok(PublicKey { key_id: KeyId(id), vk })
    }

    /// A public key from its raw Ed25519 bytes and the minisign key id to show with it
    /// (used by formats that carry bare keys, such as C2SP signed notes).
    pub fn from_ed25519_bytes(key_id: KeyId, bytes: &[u8; 32]) -> Result<PublicKey, KeyError> {
        let vk = VerifyingKey::from_bytes(bytes)
            .map_err(|_| KeyError::Malformed { what: "public key is not a curve point" })?;
        Ok(PublicKey { key_id, vk })
    }

    /// The `.pub` file text. Line breaks in the comment become spaces.
    pub fn to_minisign(&self, untrusted_comment: &str) -> String {
        format!("{UNTRUSTED_PREFIX}{}\n{}\n", text::sanitize_comment(untrusted_comment), self.to_base64())
    }

    /// The base64 line (`RWQ…`), as `minisign -P` takes it.
    pub fn to_base64(&self) -> String {
        let mut raw = [0u8; 42];
        raw[..2].copy_from_slice(&ALG_ED);
        raw[2..10].copy_from_slice(&self.key_id.0);
        raw[10..].copy_from_slice(self.vk.as_bytes());
        text::encode(&raw)
    }

    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    pub fn ed25519_bytes(&self) -> [u8; 32] {
        self.vk.to_bytes()
    }

    /// Raw Ed25519 with `verify_strict`: rejects small-order keys and R, and
    /// non-canonical encodings (see docs/keys.md for the vectors it rejects).
    pub fn verify(&self, msg: &[u8], sig: &[u8; 64]) -> Result<(), KeyError> {
        self.vk.verify_strict(msg, &Signature::from_bytes(sig)).map_err(|_| KeyError::BadSignature)
    }

    /// Verify a `.minisig` over `data`: the prehashed (`ED`) signature of the BLAKE2b-512
    /// of the data, then the global signature over signature ‖ trusted comment.
    ///
    /// Legacy `Ed` signatures (over the raw data) are refused: they need the whole file
    /// in memory and minisign itself has not made them by default since 0.8.
    pub fn verify_minisign<R: Read>(&self, data: R, sig_text: &str) -> Result<TrustedComment, KeyError> {
        let sig = MinisignSignature::parse(sig_text)?;
        if sig.key_id != self.key_id {
            return Err(KeyError::KeyIdMismatch { expected: self.key_id, found: sig.key_id });
        }
        let digest = blake2b512_of(data)?;
        self.verify(&digest, &sig.signature)?;
        let mut global_msg = Vec::with_capacity(64 + sig.trusted_comment.len());
        global_msg.extend_from_slice(&sig.signature);
        global_msg.extend_from_slice(sig.trusted_comment.as_bytes());
        self.verify(&global_msg, &sig.global_signature)?;
        Ok(TrustedComment(sig.trusted_comment))
    }
}

/// Stream the data through BLAKE2b-512, as minisign's prehashed mode does.
pub(crate) fn blake2b512_of<R: Read>(mut data: R) -> Result<[u8; 64], KeyError> {
    let mut h = Blake2b512::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match data.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(KeyError::Io(e)),
        };
        h.update(&buf[..n]);
    }
    Ok(h.finalize().into())
}
