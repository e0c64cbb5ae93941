//! Untrusted minisign text: public keys and signatures (the secret-key reader is not
//! fuzzed here because every well-formed input runs the scrypt KDF).
#![no_main]

use custody_keys::{MinisignSignature, PublicKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(pk) = PublicKey::from_minisign(text) {
        // what we parse, we write back identically (modulo the comment)
        assert_eq!(PublicKey::from_minisign(&pk.to_base64()).ok(), Some(pk.clone()));
        let _ = pk.verify_minisign(&b"fuzz"[..], text);
    }
    if let Ok(sig) = MinisignSignature::parse(text) {
        assert_eq!(MinisignSignature::parse(&sig.to_text()).ok(), Some(sig));
    }
});
