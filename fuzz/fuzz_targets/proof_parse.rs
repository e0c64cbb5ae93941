//! Untrusted inclusion and consistency proofs (JSON, docs/checkpoint.md): parsing and
//! verifying must never panic, and a proof that parses is written back canonically.
#![no_main]

use custody_ledger::proof::{ConsistencyProof, InclusionProof};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = InclusionProof::parse(data) {
        let _ = p.verify();
        assert_eq!(InclusionProof::parse(p.to_json().as_bytes()).unwrap(), p);
    }
    if let Ok(p) = ConsistencyProof::parse(data) {
        let _ = p.verify();
        assert_eq!(ConsistencyProof::parse(p.to_json().as_bytes()).unwrap(), p);
    }
});
