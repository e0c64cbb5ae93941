#![no_main]
//! A journal left by a crashed run may be torn or tampered with.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = custody_wipe::journal::parse(std::path::Path::new("fuzz.partial"), &text);
});
