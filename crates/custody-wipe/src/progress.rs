//! Progress reporting and cancellation hooks for long runs.

/// A step of the work. Small files are handled in batches, so phases repeat once per
/// batch; `total_bytes` is the size of the step about to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading contents for the pre-erasure SHA-256.
    Hashing,
    /// Writing pass `pass` (1-based) of `of`.
    Overwriting { pass: u32, of: u32 },
    /// Reading the last pass back from the device.
    Verifying,
    /// Truncating, renaming and unlinking; counted in items, not bytes.
    Removing,
}

/// Receives progress; called from worker threads.
pub trait Progress: Sync {
    fn phase(&self, phase: Phase, total_bytes: u64);
    fn advance(&self, bytes: u64);
}

/// Ignores progress.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn phase(&self, _: Phase, _: u64) {}
    fn advance(&self, _: u64) {}
}
