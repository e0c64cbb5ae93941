//! Untrusted certificate bytes through the strict reader; whatever it accepts must
//! re-serialise to the identical bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    custody_certificate::fuzzing::parse(data);
});
