#![no_main]
//! Erasure records come back from contractors and are read by the ward.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = custody_wipe::ErasureRecord::from_json(data) {
        let _ = r.outcome();
        let again = custody_wipe::ErasureRecord::from_json(&r.to_json()).expect("own output parses");
        assert_eq!(again.items, r.items);
    }
});
