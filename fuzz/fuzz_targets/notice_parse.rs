//! parse_text_notice reads a notice file handed over by anyone: it must never panic,
//! and what it accepts must be well formed.
#![no_main]

use custody_notice::parse_text_notice;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(n) = parse_text_notice(text) {
        assert_eq!(n.notice_id.to_string().parse::<custody_notice::NoticeId>().ok().as_ref(), Some(&n.notice_id));
        assert_eq!(n.fingerprint.len(), 19);
        assert!(custody_notice::Passphrase::parse(n.passphrase.canonical()).is_ok());
    }
});
