//! Checkpoints as C2SP signed notes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use custody_keys::{KeyId, SecretKey};
use custody_ledger::checkpoint::{self, Checkpoint, NoteVerifier};
use custody_ledger::{merkle, Hash, LedgerError};

// golang.org/x/mod/sumdb/note note_test.go (the Go reference implementation's vector;
// the C2SP signed-note spec itself carries no test vector).
const VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const SKEY: &str = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const TEXT: &str =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

fn peter_key() -> SecretKey {
    let b64 = SKEY.splitn(5, '+').nth(4).unwrap();
    let raw = STANDARD.decode(b64).unwrap();
    assert_eq!(raw[0], 1);
    SecretKey::from_seed(KeyId([0; 8]), &raw[1..].try_into().unwrap())
}

#[test]
fn go_reference_vector() {
    let v = NoteVerifier::parse(VKEY).unwrap();
    assert_eq!(v.to_key_string(), VKEY);
    let key = peter_key();
    assert_eq!(NoteVerifier::new("PeterNeumann", &key.public_key()).unwrap(), v);
    let note = checkpoint::sign_note(TEXT, "PeterNeumann", &key).unwrap();
    assert_eq!(note, format!("{TEXT}\n{SIG}"));
    let (text, by) = checkpoint::open_note(&note, std::slice::from_ref(&v)).unwrap();
    assert_eq!((text, by), (TEXT, vec!["PeterNeumann".to_owned()]));
    let forged = note.replace("cryptography", "cryptographY");
    assert!(matches!(checkpoint::open_note(&forged, &[v]), Err(LedgerError::BadNoteSignature { .. })));
    for bad in [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ApRc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ] {
        assert!(NoteVerifier::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn checkpoint_signed_and_cosigned() {
    let leaves: Vec<Hash> = (0..5u8).map(|i| merkle::leaf_hash(&[i])).collect();
    let cp = Checkpoint {
        origin: "custody.example/shinjuku/contractor".into(),
        size: 5,
        root: merkle::root(&leaves),
        extensions: vec![],
    };
    let body = cp.to_body();
    assert_eq!(body, format!("custody.example/shinjuku/contractor\n5\n{}\n", STANDARD.encode(cp.root.0)));
    assert_eq!(Checkpoint::parse_body(&body).unwrap(), cp);
    for bad in ["x\n05\nAAAA\n", "x\n5\n", "\n5\nAAAA\n", "x\n5\nAAAA"] {
        assert!(Checkpoint::parse_body(bad).is_err(), "{bad:?}");
    }

    let owner = SecretKey::generate().unwrap();
    let ward = SecretKey::generate().unwrap();
    let owner_v = NoteVerifier::new("contractor", &owner.public_key()).unwrap();
    let ward_v = NoteVerifier::new("shinjuku-ward", &ward.public_key()).unwrap();
    let note = checkpoint::sign_note(&body, "contractor", &owner).unwrap();
    let cosigned = checkpoint::cosign_note(&note, "shinjuku-ward", &ward).unwrap();
    assert_eq!(cosigned.lines().filter(|l| l.starts_with('\u{2014}')).count(), 2);
    let (text, by) = checkpoint::open_note(&cosigned, &[owner_v.clone(), ward_v.clone()]).unwrap();
    assert_eq!(Checkpoint::parse_body(text).unwrap(), cp);
    assert_eq!(by, ["contractor", "shinjuku-ward"]);
    assert!(matches!(checkpoint::open_note(&note, &[ward_v]), Err(LedgerError::NoteNotVerified)));
    let stranger = NoteVerifier::new("contractor", &SecretKey::generate().unwrap().public_key()).unwrap();
    assert!(checkpoint::open_note(&note, &[stranger]).is_err());
    // The signed-note spec lets a text hold blank lines: it ends at the last one.
    let two = checkpoint::sign_note("two\n\nparagraphs\n", "x", &owner).unwrap();
    let x = NoteVerifier::new("x", &owner.public_key()).unwrap();
    assert_eq!(checkpoint::open_note(&two, &[x]).unwrap().0, "two\n\nparagraphs\n");
    assert!(checkpoint::sign_note("no newline", "x", &owner).is_err());
    assert!(checkpoint::sign_note("tab\there\n", "x", &owner).is_err());
}

mod parsers_never_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn checkpoint_body(s in "[a-z/.]{0,8}\n[0-9]{0,4}\n[A-Za-z0-9+/=]{0,48}\n?([ -~]{0,8}\n){0,2}") {
            if let Ok(cp) = Checkpoint::parse_body(&s) {
                prop_assert_eq!(cp.to_body(), s);
            }
        }

        #[test]
        fn note(s in "([ -~]{0,10}\n){0,3}\n?(\u{2014} [a-z]{0,5} [A-Za-z0-9+/=]{0,92}\n?){0,2}") {
            let v = NoteVerifier::parse(VKEY).unwrap();
            let _ = checkpoint::open_note(&s, &[v]);
        }

        #[test]
        fn verifier_key(s in "[A-Za-z+]{0,14}\\+[0-9a-f]{0,9}\\+[A-Za-z0-9+/=]{0,46}") {
            if let Ok(v) = NoteVerifier::parse(&s) {
                prop_assert_eq!(v.to_key_string(), s);
            }
        }
    }
}
