//! The custody lifecycle: who is acting, where their identity and ledger live, and
//! the steps of a delivery (seal, open, wipe) with the ledger entry each one records.
//!
//! The format crates each do one job — `custody-seal` the payload, `custody-notice`
//! the passphrase and paper notice, `custody-keys` identities and signatures,
//! `custody-ledger` the hash-chained log, `custody-wipe` erasure. This crate decides
//! the order they run in, what is refused as a matter of policy (a notice on the
//! media it unlocks), and what the ledger says about each step. It never prints;
//! the CLI renders its results.
//!
//! ```no_run
//! use custody_lifecycle::{Home, Person, Role};
//! use secrecy::SecretString;
//! let key_pass = SecretString::from("correct horse battery staple".to_string());
//! let person = Person { org: "新宿区".into(), name: "山田 花子".into(), role: Role::Responsible };
//! let home = Home::init("/tmp/custody-home".as_ref(), person, &key_pass)?;
//! let session = home.unlock(&key_pass)?;
//! # Ok::<(), custody_lifecycle::Error>(())
//! ```

#![forbid(unsafe_code)]

pub mod anchor;
mod certify;
mod checkpoint;
mod coverage;
mod error;
mod fsutil;
mod home;
mod inputs;
mod ledger_check;
mod machine;
mod media;
mod open;
mod opened;
mod precheck;
mod repair;
mod seal;
mod sys;
mod verify_cert;
mod wipe;

pub use certify::{certify, countersign, CertifyReport, CertifyRequest, CountersignReport};
pub use checkpoint::{
    check_cosign, cosign, log_verifier, make_checkpoint, origin_of, prove_entry, read_note, verified_leaves,
    witness_name, witness_verifier, CheckpointReport, CosignPlan, CosignReport, CosignRequest, Inconsistency,
    ProveReport,
};
pub use error::{DestProblem, Error, HomeDamage, Unreadable};
pub use home::{Home, PendingUnlock, Person, Role, Session, UnlockWatch};
pub use inputs::{
    read_key_passphrase_file, read_public_key_file, MAX_KEY_FILE, MAX_KEY_PASSPHRASE_FILE, MAX_PASSPHRASE_FILE,
};
pub use ledger_check::{verify_ledger, LedgerReport};
pub use machine::Machine;
pub use open::{
    label_signature_path, open_delivery, read_passphrase_file, sweep_staging, OpenReport, OpenRequest, Sender,
};
pub use opened::payload_opened_in;
pub use precheck::{check_open, check_seal, OpenPreview, SealPlan, PLAN_NAMES};
pub use repair::{repair_ledger, LedgerRepair};
pub use seal::{seal_delivery, SealReport, SealRequest};
pub use verify_cert::{verify_certificate, VerifyReport, VerifyRequest};
pub use wipe::{
    assurance_name, execute_wipe, execute_wipe_unlocking, outcome_name, plan_wipe, ItemProblem, PayloadRef, Planned,
    WipeJob, WipeReport, WipeRequest,
};

/// The tool's name and version as recorded in ledgers and records.
pub const TOOL: &str = concat!("custody ", env!("CARGO_PKG_VERSION"));

/// Now, in local time with its offset, to the second (ledger `time` fields).
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::Timelike;
    let t = chrono::Local::now().fixed_offset();
    t.with_nanosecond(0).unwrap_or(t)
}
