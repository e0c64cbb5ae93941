//! The linear scan that bounds an age header before the `age` crate (whose reader is
//! quadratic in a stanza's length) sees it: never panics, and its cost is one pass
//! over at most MAX_HEADER_BYTES whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    custody_seal::fuzzing::age_header(data);
});
