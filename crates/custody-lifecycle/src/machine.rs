//! Which machine a step ran on (R16: every open is recorded with the machine).

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The host name and a stable machine identifier. The raw `/etc/machine-id` is
/// treated as confidential by systemd, so only a hash of it, scoped to custody, is
/// recorded: enough to tell two PCs apart in an audit.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Machine {
    pub hostname: String,
    pub machine_id: Option<String>,
}

impl Machine {
    pub fn current() -> Machine {
        let hostname = crate::sys::hostname();
        let machine_id = ["/etc/machine-id", "/var/lib/dbus/machine-id"]
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok())
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
            .map(|id| {
                let mut h = Sha256::new();
                h.update(b"custody machine id\n");
                h.update(id.as_bytes());
                hex::encode(&h.finalize()[..16])
            });
        Machine { hostname, machine_id }
    }
}
