#![no_main]
//! The mount table and /proc fdinfo come from the kernel, but paths in them are chosen
//! by whoever mounted or named things: any bytes must parse or be skipped, never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for e in custody_wipe::mounts::parse_mountinfo(&text) {
        assert!(!e.fstype.is_empty());
    }
    let _ = custody_wipe::parse_fdinfo_flags(&text);
});
