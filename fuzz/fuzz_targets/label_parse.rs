//! Untrusted label bytes through the strict parser; whatever it accepts must
//! re-serialise to the identical bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    custody_seal::fuzzing::label_parse(data);
});
