//! Untrusted ledger bytes through the streaming verifier and the entry reader:
//! any input must give a result or a located error, never a panic.
#![no_main]

use custody_keys::{KeyId, SecretKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The worked-example key of docs/ledger.md, so signed lines from the corpus verify.
    let key = SecretKey::from_seed(KeyId(*b"custody1"), &[7u8; 32]).public_key();
    if let Err(e) = custody_ledger::verify(data, &key) {
        assert!(e.line >= 1);
    }
    for item in custody_ledger::read_entries(data) {
        if item.is_err() {
            break;
        }
    }
});
