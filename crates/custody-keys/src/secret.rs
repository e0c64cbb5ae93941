//! The passphrase-encrypted secret key file (`EdScB2`).
//!
//! ```text
//! "Ed" ‖ "Sc" ‖ "B2" ‖ salt (32) ‖ opslimit (u64 LE) ‖ memlimit (u64 LE)
//!   ‖ [ key id (8) ‖ seed (32) ‖ public key (32) ‖ checksum (32) ] XOR scrypt stream (104)
//! checksum = BLAKE2b-256("Ed" ‖ key id ‖ seed ‖ public key)
//! ```

use std::fmt;
use std::io::Read;

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use ed25519_dalek::{Signer as _, SigningKey};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::kdf::{self, KdfLimits, KEY_KDF};
use crate::public::{blake2b512_of, ALG_ED};
use crate::signature::MinisignSignature;
use crate::text::{self, MAX_TRUSTED, MAX_UNTRUSTED, UNTRUSTED_PREFIX};
use crate::{KeyError, KeyId, PublicKey};

const KDF_SCRYPT: [u8; 2] = *b"Sc";
const KDF_NONE: [u8; 2] = [0, 0];
const CHK_BLAKE2B: [u8; 2] = *b"B2";
const FILE_LEN: usize = 158;
const SEALED_LEN: usize = 104;
const SEALED_AT: usize = 54;

/// A person's Ed25519 secret key. Zeroized on drop (ed25519-dalek's `zeroize`), never
/// printed, not `Clone`, so one copy lives as long as the command that decrypted it.
pub struct SecretKey {
    key_id: KeyId,
    sk: SigningKey,
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({}, [redacted])", self.key_id)
    }
}

fn random(buf: &mut [u8]) -> Result<(), KeyError> {
    custody_fsio::fill_random(buf).map_err(|e| KeyError::Io(e.into()))
}

fn checksum(key_id: &KeyId, seed: &[u8; 32], pk: &[u8; 32]) -> [u8; 32] {
    let mut h = Blake2b::<U32>::new();
    h.update(ALG_ED);
    h.update(key_id.0);
    h.update(seed);
    h.update(pk);
    h.finalize().into()
}

impl SecretKey {
    /// A fresh key pair and a random key id, as `minisign -G` makes them. Fails only
    /// when the operating system's random source does ([`KeyError::Io`]).
    pub fn generate() -> Result<SecretKey, KeyError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        random(&mut seed[..])?;
        let mut id = [0u8; 8];
        random(&mut id)?;
        Ok(SecretKey { key_id: KeyId(id), sk: SigningKey::from_bytes(&seed) })
    }

    /// A key from its 32-byte Ed25519 seed and a chosen key id: for test vectors and
    /// for importing keys made elsewhere. Prefer [`Self::generate`].
    pub fn from_seed(key_id: KeyId, seed: &[u8; 32]) -> SecretKey {
        SecretKey { key_id, sk: SigningKey::from_bytes(seed) }
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey { key_id: self.key_id, vk: self.sk.verifying_key() }
    }

    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The `.key` file, always passphrase-encrypted with [`KEY_KDF`].
    pub fn to_encrypted_minisign(
        &self,
        passphrase: &SecretString,
        untrusted_comment: &str,
    ) -> Result<Zeroizing<String>, KeyError> {
        self.to_encrypted_minisign_with(passphrase, untrusted_comment, KEY_KDF)
    }

    /// As [`Self::to_encrypted_minisign`] with explicit KDF limits (tests, migration).
    pub fn to_encrypted_minisign_with(
        &self,
        passphrase: &SecretString,
        untrusted_comment: &str,
        limits: KdfLimits,
    ) -> Result<Zeroizing<String>, KeyError> {
        text::check_comment(untrusted_comment, "untrusted", MAX_UNTRUSTED)?;
        let mut salt = [0u8; 32];
        random(&mut salt)?;
        let mut stream = kdf::stream::<SEALED_LEN>();
        kdf::derive(passphrase.expose_secret().as_bytes(), &salt, limits, &mut stream[..])?;

        let seed = Zeroizing::new(self.sk.to_bytes());
        let pk = self.sk.verifying_key().to_bytes();
        let mut raw = Zeroizing::new([0u8; FILE_LEN]);
        raw[0..2].copy_from_slice(&ALG_ED);
        raw[2..4].copy_from_slice(&KDF_SCRYPT);
        raw[4..6].copy_from_slice(&CHK_BLAKE2B);
        raw[6..38].copy_from_slice(&salt);
        raw[38..46].copy_from_slice(&limits.opslimit.to_le_bytes());
        raw[46..54].copy_from_slice(&limits.memlimit.to_le_bytes());
        {
            let sealed = &mut raw[SEALED_AT..];
            sealed[0..8].copy_from_slice(&self.key_id.0);
            sealed[8..40].copy_from_slice(&seed[..]);
            sealed[40..72].copy_from_slice(&pk);
            sealed[72..104].copy_from_slice(&checksum(&self.key_id, &seed, &pk));
            for (b, s) in sealed.iter_mut().zip(stream.iter()) {
                *b ^= s;
            }
        }
        let mut out = Zeroizing::new(String::with_capacity(300));
        out.push_str(UNTRUSTED_PREFIX);
        out.push_str(untrusted_comment);
        out.push('\n');
        out.push_str(&text::encode(&raw[..]));
        out.push('\n');
        Ok(out)
    }

    /// Checks that `text` is an encrypted secret key this version can decrypt, without
    /// the passphrase: the CLI calls it before it asks for the passphrase, so a damaged
    /// key file is reported before anyone types a secret for nothing.
    pub fn check_encrypted_minisign(text: &str) -> Result<(), KeyError> {
        let (_, _, limits) = parse_encrypted(text)?;
        kdf::pickparams(limits.opslimit, limits.memlimit).check_bounds()
    }

    /// Read a `.key` file. [`KeyError::WrongPassphrase`] when the checksum fails.
    pub fn from_encrypted_minisign(text: &str, passphrase: &SecretString) -> Result<SecretKey, KeyError> {
        let (raw, salt, limits) = parse_encrypted(text)?;
        let mut stream = kdf::stream::<SEALED_LEN>();
        kdf::derive(passphrase.expose_secret().as_bytes(), &salt, limits, &mut stream[..])?;
        let mut open = Zeroizing::new([0u8; SEALED_LEN]);
        for ((o, c), s) in open.iter_mut().zip(&raw[SEALED_AT..]).zip(stream.iter()) {
            *o = c ^ s;
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&open[0..8]);
        let key_id = KeyId(id);
        let mut seed = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&open[8..40]);
        let mut pk = [0u8; 32];
        pk.copy_from_slice(&open[40..72]);
        let want = checksum(&key_id, &seed, &pk);
        // Constant-time compare, so timing says nothing about how close a guess came.
        let diff = want.iter().zip(&open[72..104]).fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff != 0 {
            return Err(KeyError::WrongPassphrase);
        }
        let sk = SigningKey::from_bytes(&seed);
        if sk.verifying_key().to_bytes() != pk {
            return Err(KeyError::Malformed { what: "secret key: stored public key does not match the seed" });
        }
        Ok(SecretKey { key_id, sk })
    }

    /// Raw Ed25519 signature (ledger lines).
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.sk.sign(msg).to_bytes()
    }

    /// A `.minisig` for `data`, streamed through BLAKE2b-512, that `minisign -V` verifies.
    /// Comments must be single lines (trusted ≤ 8000 bytes, untrusted ≤ 1000 bytes).
    pub fn sign_minisign<R: Read>(
        &self,
        data: R,
        trusted_comment: &str,
        untrusted_comment: &str,
    ) -> Result<String, KeyError> {
        text::check_comment(trusted_comment, "trusted", MAX_TRUSTED)?;
        text::check_comment(untrusted_comment, "untrusted", MAX_UNTRUSTED)?;
        let digest = blake2b512_of(data)?;
        let signature = self.sign(&digest);
        let mut global_msg = Vec::with_capacity(64 + trusted_comment.len());
        global_msg.extend_from_slice(&signature);
        global_msg.extend_from_slice(trusted_comment.as_bytes());
        let global_signature = self.sign(&global_msg);
        Ok(MinisignSignature {
            untrusted_comment: untrusted_comment.to_owned(),
            key_id: self.key_id,
            signature,
            trusted_comment: trusted_comment.to_owned(),
            global_signature,
        }
        .to_text())
    }
}

type Parsed = (Zeroizing<[u8; FILE_LEN]>, [u8; 32], KdfLimits);

/// The fields of an encrypted `.key` file that need no passphrase.
fn parse_encrypted(text: &str) -> Result<Parsed, KeyError> {
    let body = text::key_body(text, "secret key")?;
    let raw: Zeroizing<[u8; FILE_LEN]> = Zeroizing::new(text::decode_exact(body, "secret key (158 bytes of base64)")?);
    if raw[0..2] != ALG_ED {
        return Err(KeyError::UnsupportedAlgorithm {
            field: "secret key signature",
            found: text::alg_name(&raw[0..2]),
        });
    }
    if raw[2..4] == KDF_NONE {
        return Err(KeyError::NotEncrypted);
    }
    if raw[2..4] != KDF_SCRYPT {
        return Err(KeyError::UnsupportedAlgorithm { field: "secret key KDF", found: text::alg_name(&raw[2..4]) });
    }
    if raw[4..6] != CHK_BLAKE2B {
        return Err(KeyError::UnsupportedAlgorithm { field: "secret key checksum", found: text::alg_name(&raw[4..6]) });
    }
    let mut salt = [0u8; 32];
    salt.copy_from_slice(&raw[6..38]);
    let le = |r: &[u8]| {
        let mut b = [0u8; 8];
        b.copy_from_slice(r);
        u64::from_le_bytes(b)
    };
    let limits = KdfLimits { opslimit: le(&raw[38..46]), memlimit: le(&raw[46..54]) };
    Ok((raw, salt, limits))
}
