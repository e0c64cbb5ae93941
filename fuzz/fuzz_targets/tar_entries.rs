//! Untrusted plaintext tar bytes (what an age payload decrypts to) through every check
//! `open` runs, writing nothing: any input gives a result or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    custody_seal::fuzzing::tar_entries(data);
});
