//! Test-only fault injection: the crash-consistency tests make the process die (or
//! stop) at an exact, named step of an erasure, every run, instead of killing it after
//! a sleep and hoping the scheduler put it where the test meant.
//!
//! Compiled in only with the hidden `fault-injection` feature (the end-to-end tests
//! turn it on through a dev-dependency); in every other build [`point`] is an empty
//! inline function and the environment is never read.
//!
//! `CUSTODY_FAULT=kill:STEP[:N]` raises SIGKILL the Nth time (default 1st) the run
//! reaches STEP; `stop:STEP[:N]` raises SIGSTOP there instead, so that a test can
//! change the files under the stopped process and then let it go on (SIGCONT);
//! `fail:STEP[:N]` makes the operation at STEP (see [`fails`]) fail with an I/O error.

/// Steps, in the order a file meets them.
pub const STEPS: &[&str] = &[
    // The engine.
    "hashing",
    "gate-passed",
    "pass-written",
    "overwritten",
    "verified",
    "truncated",
    "renamed",
    "unlinked",
    "dir-removed",
    // The lifecycle, after the engine returned.
    "engine-done",
    "record-pending",
    "record-kept",
    "ledger-appended",
    "journal-removed",
    // Operations that `fail:` can make fail.
    "journal-append",
];

#[cfg(feature = "fault-injection")]
mod imp {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;

    #[derive(PartialEq)]
    enum Mode {
        Kill,
        Stop,
        Fail,
    }

    struct Plan {
        mode: Mode,
        step: String,
        nth: u64,
        seen: AtomicU64,
    }

    fn plan() -> Option<&'static Plan> {
        static PLAN: OnceLock<Option<Plan>> = OnceLock::new();
        PLAN.get_or_init(|| {
            let v = std::env::var("CUSTODY_FAULT").ok()?;
            let mut parts = v.split(':');
            let mode = match parts.next()? {
                "kill" => Mode::Kill,
                "stop" => Mode::Stop,
                "fail" => Mode::Fail,
                _ => return None,
            };
            let step = parts.next()?.to_owned();
            let nth = parts.next().and_then(|n| n.parse().ok()).unwrap_or(1);
            Some(Plan { mode, step, nth, seen: AtomicU64::new(0) })
        })
        .as_ref()
    }

    fn hit(step: &str, mode: Mode) -> bool {
        let Some(p) = plan() else { return false };
        p.mode == mode && p.step == step && p.seen.fetch_add(1, Ordering::SeqCst) + 1 == p.nth
    }

    pub fn point(step: &str) {
        if hit(step, Mode::Kill) {
            crate::sys::kill_self();
        } else if hit(step, Mode::Stop) {
            crate::sys::stop_self();
        }
    }

    pub fn fails(step: &str) -> bool {
        hit(step, Mode::Fail)
    }
}

/// Reached a named step: with fault injection on, die or stop here if told to.
#[cfg(feature = "fault-injection")]
pub fn point(step: &str) {
    debug_assert!(STEPS.contains(&step), "unknown fault step {step}");
    imp::point(step);
}

/// Reached a named step (fault injection is compiled out).
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn point(_step: &str) {}

/// Whether the operation at `step` is to fail this time.
#[cfg(feature = "fault-injection")]
pub fn fails(step: &str) -> bool {
    debug_assert!(STEPS.contains(&step), "unknown fault step {step}");
    imp::fails(step)
}

/// Whether the operation at `step` is to fail (fault injection is compiled out: never).
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn fails(_step: &str) -> bool {
    false
}
