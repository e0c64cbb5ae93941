//! C2SP CCTV Ed25519 edge cases against `PublicKey::verify` (ed25519-dalek `verify_strict`).
//!
//! Expected: a vector is accepted exactly when its only flags are
//! `low_order_component_A` / `low_order_component_R` (points with a small-order
//! component that no blocklist can spot); every `low_order_*`, `non_canonical_*` and
//! `low_order_residue` vector is rejected.

use custody_keys::PublicKey;

#[derive(serde::Deserialize)]
struct Vector {
    number: u32,
    key: String,
    sig: String,
    msg: String,
    flags: Option<Vec<String>>,
}

fn unhex<const N: usize>(s: &str) -> [u8; N] {
    let v: Vec<u8> = (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect();
    v.try_into().unwrap()
}

#[test]
fn cctv_ed25519_vectors() {
    let text = include_str!("data/ed25519vectors.json");
    let vectors: Vec<Vector> = serde_json::from_str(text).unwrap();
    assert!(vectors.len() > 100);
    let (mut accepted, mut rejected) = (0, 0);
    for v in &vectors {
        let flags = v.flags.clone().unwrap_or_default();
        let expect_ok = flags.iter().all(|f| f == "low_order_component_A" || f == "low_order_component_R");
        let key: [u8; 32] = unhex(&v.key);
        let sig: [u8; 64] = unhex(&v.sig);
        // Keys enter custody as minisign text, so go through the same parser.
        let mut raw = Vec::from(*b"Ed");
        raw.extend_from_slice(&[0; 8]);
        raw.extend_from_slice(&key);
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&raw);
        let ok = match PublicKey::from_minisign(&b64) {
            Ok(pk) => pk.verify(v.msg.as_bytes(), &sig).is_ok(),
            Err(_) => false,
        };
        assert_eq!(ok, expect_ok, "vector {} flags {:?}", v.number, flags);
        if ok {
            accepted += 1
        } else {
            rejected += 1
        }
    }
    println!("cctv ed25519: {accepted} accepted, {rejected} rejected");
}
