//! The certificate of erasure (消去証明書): its format, one reader and one writer,
//! its printable HTML form, and every check a verifier runs on it.
//!
//! A certificate is a JSON document in RFC 8785 (JCS) form with a detached minisign
//! signature that stock `minisign -V` verifies. It carries the NIST SP 800-88 Rev. 1
//! Appendix G fields, the contract and the parties, one item per erasure record, the
//! coverage of every delivered manifest entry by index and hash (never by file name),
//! `cert_seq`/`prev_cert` (the issuer's hash chain), and the issuer's ledger
//! checkpoint with inclusion proofs of the `erased` entries it cites. This crate does
//! no file I/O and knows nothing of homes or ledgers on disk: building a certificate
//! from records is the lifecycle crate's job, reading files the CLI's. Format:
//! `docs/certificate.md`.
//!
//! ```
//! use custody_certificate::Certificate;
//! // Anything that is not the exact canonical form of a certificate is refused.
//! assert!(Certificate::parse(br#"{"format":"custody-certificate/1"}"#).is_err());
//! ```

#![forbid(unsafe_code)]

pub mod chain;
pub mod checks;
mod codec;
mod error;
mod model;
mod render;

pub use checks::{
    all_passed, check_all, Check, Cosigned, DeliveredManifest, Evidence, LabelFacts, Outcome, Reason, SignatureFile,
};
pub use codec::{certificate_id, MAX_CERT_BYTES};
pub use error::CertError;
pub use model::{
    Anchor, Certificate, Counts, EntryCoverage, EntryStatus, Item, Media, Party, PayloadCoverage, Proof, FORMAT,
};
pub use render::render_html;

/// JCS writes numbers as IEEE doubles: integers beyond 2^53 − 1 would lose digits.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Entry point for the fuzz target; not part of the API.
#[doc(hidden)]
pub mod fuzzing {
    /// A parsed certificate must re-serialise to exactly the input.
    pub fn parse(data: &[u8]) {
        if let Ok(c) = crate::Certificate::parse(data) {
            assert_eq!(c.to_bytes(), data);
        }
    }
}
