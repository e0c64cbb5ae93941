//! The C2SP CCTV age vectors through our decryption path: every scrypt vector behaves
//! as the suite expects, every other vector is refused with an error, never a panic.

mod common;

use std::fs;
use std::path::Path;

use custody_seal::{open, OpenError};
use secrecy::SecretString;
use sha2::Digest;

struct Vector {
    expect: String,
    payload_sha256: Option<String>,
    passphrase: Option<String>,
    compressed: bool,
    body: Vec<u8>,
}

fn parse(bytes: &[u8]) -> Vector {
    let split = bytes.windows(2).position(|w| w == b"\n\n").unwrap();
    let head = std::str::from_utf8(&bytes[..split]).unwrap();
    let mut v = Vector {
        expect: String::new(),
        payload_sha256: None,
        passphrase: None,
        compressed: false,
        body: bytes[split + 2..].to_vec(),
    };
    for line in head.lines() {
        let (k, val) = line.split_once(": ").unwrap();
        match k {
            "expect" => v.expect = val.to_owned(),
            "payload" => v.payload_sha256 = Some(val.to_owned()),
            "passphrase" if v.passphrase.is_none() => v.passphrase = Some(val.to_owned()),
            "compressed" => v.compressed = true,
            _ => {}
        }
    }
    if v.compressed {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&v.body[..]), &mut out).unwrap();
        v.body = out;
    }
    v
}

/// The CCTV plaintexts are not tar archives, so a success must surface as a tar or
/// manifest error *after* age accepted the whole stream; failures must be age errors.
fn is_age_success(e: &OpenError) -> bool {
    matches!(e, OpenError::MalformedArchive { .. } | OpenError::ManifestMissing | OpenError::UnsafeEntry { .. })
}

#[test]
fn cctv_age_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cctv-age");
    let t = common::tmp();
    let mut scrypt_checked = 0;
    let mut names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "README.md" && n != "LICENSE")
        .collect();
    names.sort();
    for name in names {
        let v = parse(&fs::read(dir.join(&name)).unwrap());
        let payload = t.path().join(&name);
        fs::write(&payload, &v.body).unwrap();
        let pass = SecretString::from(v.passphrase.clone().unwrap_or_else(|| "password".into()));
        let dest = t.path().join(format!("{name}.out"));
        let res = open(&payload, &pass, &dest, None, &|_| {});
        assert!(!dest.exists(), "{name}: destination created on failure");
        let err = res.expect_err("CCTV plaintexts are not payloads");
        if name.starts_with("scrypt") {
            // The raw decryption path agrees with open() on success and failure.
            let raw = custody_seal::decrypt_to(&payload, &pass, std::io::sink());
            assert_eq!(raw.is_ok(), v.expect == "success", "{name}: {raw:?}");
            scrypt_checked += 1;
            match v.expect.as_str() {
                "success" => {
                    assert!(is_age_success(&err), "{name}: {err:?}");
                    // And the plaintext itself matches.
                    let mut plain = Vec::new();
                    custody_seal::decrypt_to(&payload, &pass, &mut plain).unwrap();
                    let got = hex::encode(sha2::Sha256::digest(&plain));
                    assert_eq!(Some(got), v.payload_sha256, "{name}");
                }
                "no match" => assert!(
                    matches!(err, OpenError::WrongPassphrase | OpenError::NotPassphraseEncrypted),
                    "{name}: {err:?}"
                ),
                _ => assert!(!is_age_success(&err), "{name}: {err:?}"),
            }
            if name == "scrypt_work_factor_23" {
                assert!(matches!(err, OpenError::WorkFactorTooHigh { required: 23, max: 22 }), "{err:?}");
            }
        } else if v.expect == "success" && !name.starts_with("armor") {
            // x25519 / hybrid successes: refused as not passphrase-encrypted.
            assert!(matches!(err, OpenError::NotPassphraseEncrypted), "{name}: {err:?}");
        }
    }
    assert_eq!(scrypt_checked, 25);
}
