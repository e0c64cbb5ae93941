//! Untrusted cosigned checkpoints (C2SP tlog-cosignature v1 lines under a checkpoint):
//! opening with log and cosigner keys, listing cosignatures unverified, and adding
//! a cosignature must never panic; a cosignature we add must verify.
#![no_main]

use custody_keys::{KeyId, SecretKey};
use custody_ledger::checkpoint::NoteVerifier;
use custody_ledger::cosignature::{self, CosignerVerifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The keys of docs/checkpoint.md's worked example, so the seed verifies.
    let owner = SecretKey::from_seed(KeyId(*b"custody1"), &[7u8; 32]);
    let ward = SecretKey::from_seed(KeyId(*b"ward0001"), &[9u8; 32]);
    let log = NoteVerifier::new("custody/ledger/3179646F74737563", &owner.public_key()).unwrap();
    let w = CosignerVerifier::new("custody/witness/3130303064726177", &ward.public_key()).unwrap();
    let _ = cosignature::unverified_cosignatures(text);
    let _ = CosignerVerifier::parse(text.trim_end());
    if cosignature::open_checkpoint(text, std::slice::from_ref(&log), &[]).is_ok() {
        let added = cosignature::add_cosignature(text, &w.name, &ward, 1_764_547_200).unwrap();
        let opened = cosignature::open_checkpoint(&added, &[log], std::slice::from_ref(&w)).unwrap();
        assert_eq!(opened.cosigned_by(&w).map(|c| c.timestamp), Some(1_764_547_200));
    } else {
        let _ = cosignature::open_checkpoint(text, &[log], &[w]);
    }
});
