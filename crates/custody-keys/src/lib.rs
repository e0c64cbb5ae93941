//! One Ed25519 identity per person, in minisign's file formats.
//!
//! This crate reads and writes minisign public keys (`.pub`), passphrase-encrypted
//! secret keys (`.key`, `EdScB2`) and prehashed signatures (`.minisig`) that the stock
//! `minisign` tool verifies, and gives raw Ed25519 signatures for ledger lines. It does
//! no file I/O of its own beyond reading the data it signs: where keys live, prompting
//! for passphrases and writing files is left to the caller. Formats: `docs/keys.md`.
//!
//! ```no_run
//! use custody_keys::{PublicKey, SecretKey};
//! use secrecy::SecretString;
//!
//! # fn main() -> Result<(), custody_keys::KeyError> {
//! let key = SecretKey::generate()?;
//! let pass = SecretString::from("correct horse battery staple");
//! let key_file = key.to_encrypted_minisign(&pass, "custody secret key")?;
//! let pub_file = key.public_key().to_minisign("custody public key");
//!
//! let key = SecretKey::from_encrypted_minisign(&key_file, &pass)?;
//! let sig = key.sign_minisign(&b"certificate"[..], "cert 42", "signed by custody")?;
//! let trusted = PublicKey::from_minisign(&pub_file)?.verify_minisign(&b"certificate"[..], &sig)?;
//! assert_eq!(trusted.0, "cert 42");
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

mod error;
pub mod kdf;
mod keyid;
mod public;
mod secret;
mod signature;
mod text;

pub use error::KeyError;
pub use kdf::{KdfLimits, KEY_KDF};
pub use keyid::KeyId;
pub use public::{PublicKey, TrustedComment};
pub use secret::SecretKey;
pub use signature::MinisignSignature;
