//! Untrusted MANIFEST.json bytes through the strict parser; whatever it accepts must
//! re-serialise to the identical bytes (the canonical-JCS claim).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    custody_seal::fuzzing::manifest_parse(data);
});
