//! Erasure engine for custody: overwrites files, whole trees and whole media in place,
//! makes every pass durable before anything is unlinked, reads the last pass back from
//! the device (never the page cache), removes names (renaming to random names of the
//! same length first), and returns an [`ErasureRecord`] that states per item what was
//! done and how sure it is: nothing is called erased that was not overwritten and
//! verified, and filesystems or media that keep old copies (copy-on-write, flash,
//! journals, FUSE, network) are named in the record.
//!
//! Left to others: prompts, progress bars and the text of messages (the CLI), signing
//! the record into a certificate (the certificate crate), ledger entries.
//!
//! ```no_run
//! use std::sync::atomic::AtomicBool;
//! use custody_wipe::{execute, plan, NoProgress, WipeOptions};
//!
//! let opts = WipeOptions::new("山田 花子");
//! let plan = plan(&["/srv/work/case-42".into()], &opts)?;
//! // The caller shows plan.files, plan.bytes and the warnings, and asks to go on.
//! let record = execute(&plan, &opts, &NoProgress, &AtomicBool::new(false))?;
//! std::fs::write("erasure.json", record.to_json())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod device;
mod engine;
mod error;
#[doc(hidden)]
pub mod fault;
mod gate;
mod guard;
pub mod journal;
mod method;
pub mod mounts;
mod pipe;
mod plan;
mod progress;
mod record;
mod remove;
pub mod sample;
mod sha;
mod sys;
mod work;

pub use device::{execute_device, medium_stamp, plan_device, plan_gone_device, DevicePlan};
pub use engine::execute;
pub use error::{RefuseReason, WipeError};
pub use gate::{Gate, GateRef};
pub use guard::parse_fdinfo_flags;
pub use method::{Method, Pass, VerifyMode};
pub use mounts::{Caveat, FsInfo};
pub use plan::{plan, Plan, PlannedItem, Warning, WipeOptions};
pub use progress::{NoProgress, Phase, Progress};
pub use record::{
    Assurance, DeviceInfo, ErasureRecord, ItemKind, ItemRecord, ItemResult, ItemVerification, NameResidue, Outcome,
    PathKey, Problem, ResumeKind, Resumed, Tool, RECORD_FORMAT,
};
