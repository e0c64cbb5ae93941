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
//! change the files under the stopped process and then let it go on (SIGCONT).

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
];

#[cfg(feature = "fault-injection")]
mod imp {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;

    struct Plan {
        stop: bool,
        step: String,
        nth: u64,
        seen: AtomicU64,
    }

    fn plan() -> Option<&'static Plan> {
        static PLAN: OnceLock<Option<Plan>> = OnceLock::new();
        PLAN.get_or_init(|| {
            let v = std::env::var("CUSTODY_FAULT").ok()?;
            let mut parts = v.split(':');
            let stop = match parts.next()? {
                "kill" => false,
                "stop" => true,
                _ => return None,
            };
            let step = parts.next()?.to_owned();
            let nth = parts.next().and_then(|n| n.parse().ok()).unwrap_or(1);
            Some(Plan { stop, step, nth, seen: AtomicU64::new(0) })
        })
        .as_ref()
    }

    pub fn point(step: &str) {
        let Some(p) = plan() else { return };
        if p.step != step || p.seen.fetch_add(1, Ordering::SeqCst) + 1 != p.nth {
            return;
        }
        let sig = if p.stop { rustix::process::Signal::STOP } else { rustix::process::Signal::KILL };
        let _ = rustix::process::kill_process(rustix::process::getpid(), sig);
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
