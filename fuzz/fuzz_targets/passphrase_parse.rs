//! Passphrase::parse reads what people type and what files contain: it must never
//! panic, and whatever it accepts must read back the same from both printed forms.
#![no_main]

use custody_notice::Passphrase;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(p) = Passphrase::parse(text) {
        let typed = Passphrase::parse(&p.typed_form()).expect("typed form reads back");
        assert_eq!(typed.canonical(), p.canonical());
        let canonical = Passphrase::parse(p.canonical()).expect("canonical form reads back");
        assert_eq!(canonical.canonical(), p.canonical());
    }
});
