//! The custody payload: seal a folder into an age file with a manifest and a label, and
//! open such a payload safely.
//!
//! A payload is an age v1 file with exactly one scrypt recipient (work factor 18) whose
//! plaintext is a deterministic tar stream of the folder followed by `MANIFEST.json`
//! (docs/payload.md). Beside it, `<id>.label.json` carries hashes and counts but no file
//! names (docs/label.md). Stock `age -d` and `tar x` open it too.
//!
//! This crate leaves to others: generating and printing the passphrase (the notice
//! crate), recording seals and opens in the ledger, prompting and progress bars (the
//! CLI), and erasing anything (the wipe crate).
//!
//! ```no_run
//! use custody_seal::{scan, seal_to_media, LabelInfo, ManifestMeta, PayloadId};
//! use secrecy::SecretString;
//! use std::path::Path;
//!
//! let tree = scan(Path::new("/home/ward/delivery"))?;
//! let now = chrono::Local::now().fixed_offset();
//! let meta = ManifestMeta {
//!     payload_id: PayloadId::generate(now.date_naive())?,
//!     created: now,
//!     categories: vec!["氏名".into(), "住所".into()],
//! };
//! let info = LabelInfo {
//!     issuer: "新宿区".into(),
//!     recipient: Some("株式会社サンプル".into()),
//!     contract: None,
//!     notice_id: "N-0001".into(),
//!     sealed_by: "RWS1234".into(),
//! };
//! let pass = SecretString::from("ABCDE-FGHJK-MNPQR-STVWX".to_owned());
//! let sealed = seal_to_media(&tree, &meta, &info, &pass, Path::new("/media/usb"), &|_| {})?;
//! // The fingerprint goes on the password notice, for the recipient to compare.
//! let fingerprint = sealed.label.fingerprint();
//! # let _ = fingerprint;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// The one `unsafe` call (sync_file_range, which rustix does not wrap) is allowed on its
// own function in `sys`; nothing else may use unsafe.
#![deny(unsafe_code)]

mod agew;
mod ctout;
mod error;
mod id;
mod label;
mod manifest;
mod media;
mod names;
mod open;
mod scan;
mod seal;
mod sys;
mod tarw;
mod unpack;
mod untrusted;

pub use error::{MismatchKind, Offender, OffenderReason, OpenError, SealError, UnsafeReason};
pub use id::{InvalidPayloadId, PayloadId};
pub use label::{fingerprint, Label, LabelInfo, LabelProblem, LABEL_FORMAT, MAX_LABEL_BYTES};
pub use manifest::{Manifest, ManifestFile, MAX_MANIFEST_BYTES};
pub use media::{check_before_seal, estimate_payload_size, seal_to_media, Sealed};
pub use names::{check_rel_path, PathProblem, MANIFEST_NAME};
pub use open::{
    check_before_open, decrypt_to, open, open_cancellable, sweep_stale_staging, Opened, MAX_HEADER_BYTES,
    MAX_WORK_FACTOR, STAGING_PREFIX,
};
pub use scan::{scan, EntryKind, SourceEntry, SourceTree};
pub use seal::{seal, ManifestMeta, SealOutcome, SCRYPT_WORK_FACTOR};
pub use untrusted::{read_small_file, FileProblem, SmallFile};

/// Entry points for the fuzz targets; not part of the API.
#[doc(hidden)]
pub mod fuzzing {
    /// Runs every archive check on plaintext tar bytes, writing nothing.
    pub fn tar_entries(data: &[u8]) {
        let _ = crate::unpack::check_only(data);
    }

    /// Parses manifest bytes strictly; a parsed manifest must re-serialise to the input.
    pub fn manifest_parse(data: &[u8]) {
        if let Ok(m) = crate::Manifest::parse(data) {
            assert_eq!(m.to_jcs(), data);
        }
    }

    /// Scans an age header for its end and recipient types, as `open` does before
    /// age sees it; must be linear in the input.
    pub fn age_header(data: &[u8]) {
        let full = data.len() >= crate::MAX_HEADER_BYTES;
        let _ = crate::open::scan_header(&data[..data.len().min(crate::MAX_HEADER_BYTES)], full);
    }

    /// Parses label bytes strictly; a parsed label must re-serialise to the input.
    pub fn label_parse(data: &[u8]) {
        if let Ok(l) = crate::Label::parse(data) {
            assert_eq!(l.to_bytes(), data);
        }
    }
}
