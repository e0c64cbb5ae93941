//! The gate before the first destructive step. A caller that still has slow,
//! fallible work to finish before it may destroy anything (decrypting the signing key
//! that will sign the record) lets the engine start the read-only work (content
//! hashes) meanwhile; the engine waits at the gate before it overwrites, truncates,
//! renames or unlinks anything, and stops untouched if the gate stays closed.

use std::fmt;
use std::sync::Arc;

/// Permission to destroy, possibly still pending.
pub trait Gate: Send + Sync {
    /// Whether [`Gate::wait`] would return at once. While it is not, the engine may go
    /// on with read-only work.
    fn ready(&self) -> bool;
    /// Block until the decision is known: `true` lets the run go on, `false` stops it
    /// before anything is touched (the caller keeps the reason).
    fn wait(&self) -> bool;
}

/// A shared gate in [`crate::WipeOptions`].
#[derive(Clone)]
pub struct GateRef(pub Arc<dyn Gate>);

impl fmt::Debug for GateRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GateRef")
    }
}
