//! Untrusted checkpoint notes (C2SP signed note + tlog-checkpoint body): the note
//! splitter, the body parser and the note verifier must give a result or an error,
//! never a panic; a body that parses must be written back to the same text.
#![no_main]

use custody_ledger::checkpoint::{self, Checkpoint, NoteVerifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(cp) = Checkpoint::parse_body(text) {
        assert_eq!(cp.to_body(), text);
    }
    if let Ok((body, sigs)) = checkpoint::parse_note(text) {
        assert!(body.ends_with('\n'));
        assert!(sigs.len() <= 100);
        let _ = Checkpoint::parse_body(body);
    }
    // The signed-note spec's example key, so its example note from the seeds verifies.
    let v = NoteVerifier::parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k").unwrap();
    let _ = checkpoint::open_note(text, &[v]);
    let _ = NoteVerifier::parse(text.trim_end());
});
