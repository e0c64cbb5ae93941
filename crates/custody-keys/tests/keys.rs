use custody_keys::kdf::KdfLimits;
use custody_keys::{KeyError, KeyId, MinisignSignature, PublicKey, SecretKey};
use secrecy::SecretString;

/// Cheap KDF limits (N=2^14) so round trips do not spend 256 MiB each.
const FAST: KdfLimits = KdfLimits { opslimit: 524_288, memlimit: 16_777_216 };

#[test]
fn encrypted_key_round_trip_and_wrong_passphrase() {
    let key = SecretKey::generate().unwrap();
    let pass = SecretString::from("pass word");
    let file = key.to_encrypted_minisign_with(&pass, "custody secret key", FAST).unwrap();
    assert!(file.starts_with("untrusted comment: custody secret key\nRWRTY0Iy"));
    let back = SecretKey::from_encrypted_minisign(&file, &pass).unwrap();
    assert_eq!(back.public_key(), key.public_key());
    assert_eq!(back.sign(b"m"), key.sign(b"m"));
    assert!(matches!(
        SecretKey::from_encrypted_minisign(&file, &SecretString::from("pass Word")),
        Err(KeyError::WrongPassphrase)
    ));
}

#[test]
fn default_kdf_is_n18_and_round_trips() {
    let key = SecretKey::generate().unwrap();
    let pass = SecretString::from("x");
    let t = std::time::Instant::now();
    let file = key.to_encrypted_minisign(&pass, "k").unwrap();
    let enc = t.elapsed();
    let t = std::time::Instant::now();
    let back = SecretKey::from_encrypted_minisign(&file, &pass).unwrap();
    println!("KDF N=2^18 r=8 p=1: encrypt {enc:?}, decrypt {:?}", t.elapsed());
    assert_eq!(back.key_id(), key.key_id());
    // opslimit 2^23, memlimit 2^28 little-endian at bytes 38..54 of the decoded key
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD.decode(file.lines().nth(1).unwrap()).unwrap();
    assert_eq!(raw.len(), 158);
    assert_eq!(&raw[..6], b"EdScB2");
    assert_eq!(u64::from_le_bytes(raw[38..46].try_into().unwrap()), 1 << 23);
    assert_eq!(u64::from_le_bytes(raw[46..54].try_into().unwrap()), 1 << 28);
}

#[test]
fn unencrypted_and_hostile_keys_are_refused() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = SecretKey::generate().unwrap();
    let pass = SecretString::from("p");
    let file = key.to_encrypted_minisign_with(&pass, "k", FAST).unwrap();
    let mut raw = b64.decode(file.lines().nth(1).unwrap()).unwrap();
    raw[2..4].copy_from_slice(&[0, 0]);
    assert!(matches!(SecretKey::from_encrypted_minisign(&b64.encode(&raw), &pass), Err(KeyError::NotEncrypted)));
    raw[2..4].copy_from_slice(b"Sc");
    raw[38..46].copy_from_slice(&(1u64 << 40).to_le_bytes());
    raw[46..54].copy_from_slice(&(1u64 << 40).to_le_bytes());
    assert!(matches!(
        SecretKey::from_encrypted_minisign(&b64.encode(&raw), &pass),
        Err(KeyError::KdfTooExpensive { .. })
    ));
}

#[test]
fn secrets_never_print() {
    let key = SecretKey::generate().unwrap();
    let dbg = format!("{key:?}");
    assert!(dbg.contains("[redacted]"));
    assert!(dbg.contains(&key.key_id().to_string()));
    let err = SecretKey::from_encrypted_minisign("garbage", &SecretString::from("hunter2")).unwrap_err();
    assert!(!err.to_string().contains("hunter2"));
}

#[test]
fn minisign_signature_checks_trusted_comment_and_key() {
    let key = SecretKey::generate().unwrap();
    let other = SecretKey::generate().unwrap();
    let sig = key.sign_minisign(&b"doc"[..], "id=7", "u").unwrap();
    let pk = key.public_key();
    assert_eq!(pk.verify_minisign(&b"doc"[..], &sig).unwrap().0, "id=7");

    let forged = sig.replace("trusted comment: id=7", "trusted comment: id=8");
    assert!(matches!(pk.verify_minisign(&b"doc"[..], &forged), Err(KeyError::BadSignature)));
    assert!(matches!(other.public_key().verify_minisign(&b"doc"[..], &sig), Err(KeyError::KeyIdMismatch { .. })));
    // CRLF line ends (a signature edited on Windows) still verify, as with minisign
    assert!(pk.verify_minisign(&b"doc"[..], &sig.replace('\n', "\r\n")).is_ok());
    assert!(matches!(key.sign_minisign(&b"doc"[..], "two\nlines", "u"), Err(KeyError::BadComment { .. })));
}

#[test]
fn legacy_signatures_are_refused() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = SecretKey::generate().unwrap();
    let sig = key.sign_minisign(&b"doc"[..], "t", "u").unwrap();
    let mut lines: Vec<String> = sig.lines().map(str::to_owned).collect();
    let mut raw = b64.decode(&lines[1]).unwrap();
    raw[..2].copy_from_slice(b"Ed");
    lines[1] = b64.encode(&raw);
    let legacy = lines.join("\n");
    assert!(matches!(MinisignSignature::parse(&legacy), Err(KeyError::UnsupportedAlgorithm { .. })));
}

#[test]
fn public_key_text_round_trip() {
    let pk = SecretKey::generate().unwrap().public_key();
    let text = pk.to_minisign("minisign public key X\nevil: line");
    assert_eq!(text.lines().count(), 2);
    assert_eq!(PublicKey::from_minisign(&text).unwrap(), pk);
    assert_eq!(text, format!("untrusted comment: minisign public key X evil: line\n{}\n", pk.to_base64()));
    assert!(
        pk.to_base64().starts_with("RWQ")
            || pk.to_base64().starts_with("RWR")
            || pk.to_base64().starts_with("RWS")
            || pk.to_base64().starts_with("RWT")
    );
    let id: KeyId = pk.key_id().to_string().parse().unwrap();
    assert_eq!(id, pk.key_id());
    assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
    assert_eq!(serde_json::from_str::<KeyId>(&format!("\"{id}\"")).unwrap(), id);
}

mod parsers_never_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // each secret-key case runs scrypt twice; 48 cases keep the suite quick
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn public_key(s in ".{0,200}") {
            let _ = PublicKey::from_minisign(&s);
        }

        #[test]
        fn signature(s in "(untrusted comment: .{0,20}\n)?[A-Za-z0-9+/=]{0,120}\n(trusted comment: .{0,20}\n)?[A-Za-z0-9+/=]{0,100}\n?") {
            let _ = MinisignSignature::parse(&s);
        }

        #[test]
        fn key_id(s in "[0-9A-Fa-f+ -]{0,20}") {
            if let Ok(id) = s.parse::<KeyId>() {
                prop_assert_eq!(id.to_string(), s);
            }
        }

        #[test]
        fn signature_round_trip(tc in "[^\r\n]{0,100}", data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let key = SecretKey::generate().unwrap();
            let sig = key.sign_minisign(&data[..], &tc, "u").unwrap();
            let parsed = MinisignSignature::parse(&sig).unwrap();
            prop_assert_eq!(parsed.to_text(), sig.clone());
            prop_assert_eq!(key.public_key().verify_minisign(&data[..], &sig).unwrap().0, tc);
        }

        /// A damaged secret key file is always refused, never half-loaded.
        /// (The KDF limit bytes 38..54 are left alone so each case stays cheap.)
        #[test]
        fn any_flipped_bit_in_secret_key_file_is_caught(pos in (0usize..158).prop_filter("limits", |p| !(38..54).contains(p)), bit in 0u8..8) {
            use base64::Engine;
            let b64 = base64::engine::general_purpose::STANDARD;
            let pass = SecretString::from("p");
            let file = SecretKey::generate().unwrap().to_encrypted_minisign_with(&pass, "k", FAST).unwrap();
            let mut raw = b64.decode(file.lines().nth(1).unwrap()).unwrap();
            raw[pos] ^= 1 << bit;
            prop_assert!(SecretKey::from_encrypted_minisign(&b64.encode(&raw), &pass).is_err());
        }

        #[test]
        fn any_flipped_bit_in_signature_file_is_caught(bit in 0usize..(74 * 8)) {
            use base64::Engine;
            let b64 = base64::engine::general_purpose::STANDARD;
            let key = SecretKey::generate().unwrap();
            let sig = key.sign_minisign(&b"d"[..], "t", "u").unwrap();
            let mut lines: Vec<String> = sig.lines().map(str::to_owned).collect();
            let mut raw = b64.decode(&lines[1]).unwrap();
            raw[bit / 8] ^= 1 << (bit % 8);
            lines[1] = b64.encode(&raw);
            prop_assert!(key.public_key().verify_minisign(&b"d"[..], &lines.join("\n")).is_err());
        }
    }
}

/// Found by the `minisign_parse` fuzz target: a trusted comment ending in several
/// carriage returns lost one when written back. Whatever parses must round-trip.
#[test]
fn fuzz_regression_comment_with_carriage_returns_is_refused_or_round_trips() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/fuzz-regressions/minisign_parse-trailing-cr.minisig"
    ))
    .unwrap();
    if let Ok(sig) = custody_keys::MinisignSignature::parse(&text) {
        assert_eq!(custody_keys::MinisignSignature::parse(&sig.to_text()).ok(), Some(sig));
    }
}
