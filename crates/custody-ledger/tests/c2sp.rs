//! The examples of the C2SP specs (signed-note, tlog-checkpoint, tlog-cosignature, as
//! of C2SP/C2SP 5ba5ee8) as test vectors, and our own cosignature vector (the specs
//! publish no cosigner key), which docs/checkpoint.md shows.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use custody_keys::{KeyId, SecretKey};
use custody_ledger::checkpoint::{self, Checkpoint, NoteVerifier};
use custody_ledger::cosignature::{self, CosignerVerifier};
use custody_ledger::proof::{ConsistencyProof, InclusionProof};
use custody_ledger::{merkle, Hash, LedgerError};

const EXAMPLE_VKEY: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const EXAMPLE_NOTE: &str = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

const QUASIMODO: &str = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n\u{2014} quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

const SOFA: &str = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n\u{2014} witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

#[test]
fn signed_note_spec_example_verifies_and_a_change_does_not() {
    let v = NoteVerifier::parse(EXAMPLE_VKEY).unwrap();
    assert_eq!(v.to_key_string(), EXAMPLE_VKEY);
    let (text, by) = checkpoint::open_note(EXAMPLE_NOTE, std::slice::from_ref(&v)).unwrap();
    assert_eq!(text, "This is an example message.\n");
    assert_eq!(by, ["example.com/foo"]);
    let changed = EXAMPLE_NOTE.replace("example message", "example messagE");
    assert!(matches!(checkpoint::open_note(&changed, &[v]), Err(LedgerError::BadNoteSignature { .. })));
}

#[test]
fn signed_note_text_may_hold_blank_lines_and_ends_at_the_last() {
    let (text, sigs) = checkpoint::parse_note(QUASIMODO).unwrap();
    assert_eq!(text, "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n");
    assert_eq!(sigs.len(), 1);
    assert_eq!(sigs[0].name, "quasimodo.example/salvatore");
    assert_eq!(sigs[0].key_id, [0x36, 0x7b, 0xa0, 0x4b]);
    assert_eq!(sigs[0].signature.len(), 64);
    // no known key: the note must be rejected
    let v = NoteVerifier::parse(EXAMPLE_VKEY).unwrap();
    assert!(matches!(checkpoint::open_note(QUASIMODO, &[v]), Err(LedgerError::NoteNotVerified)));
}

#[test]
fn checkpoint_and_cosignature_spec_examples_parse() {
    let (text, sigs) = checkpoint::parse_note(SOFA).unwrap();
    let cp = Checkpoint::parse_body(text).unwrap();
    assert_eq!(cp.origin, "example.com/behind-the-sofa");
    assert_eq!(cp.size, 20852163);
    assert_eq!(STANDARD.encode(cp.root.0), "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
    assert_eq!(cp.to_body(), text);
    assert_eq!(sigs.len(), 2);
    assert_eq!(sigs[0].signature.len(), 64, "the log's Ed25519 note signature");
    // The cosignature: key id ‖ 8-byte timestamp ‖ 64-byte signature.
    let cos = cosignature::unverified_cosignatures(SOFA).unwrap();
    assert_eq!(cos.len(), 1);
    assert_eq!(cos[0].name, "witness.example.com/w1");
    assert_eq!(cos[0].key_id, [0x8d, 0x66, 0xcf, 0x3f]);
    assert_eq!(cos[0].timestamp, 1679315147);
    // The spec's signed-message example for this cosignature, byte for byte.
    assert_eq!(
        cosignature::cosigned_message(text, 1679315147),
        b"cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    );
}

/// The worked example of docs/checkpoint.md: fixed seeds, fixed time.
fn owner() -> SecretKey {
    SecretKey::from_seed(KeyId(*b"custody1"), &[7u8; 32])
}
fn ward() -> SecretKey {
    SecretKey::from_seed(KeyId(*b"ward0001"), &[9u8; 32])
}

pub const WORKED_ORIGIN: &str = "custody/ledger/3179646F74737563";
pub const WORKED_WITNESS: &str = "custody/witness/3130303064726177";

#[test]
fn cosignature_round_trip_and_worked_example_in_docs() {
    let leaves: Vec<Hash> = (0..5u8).map(|i| merkle::leaf_hash(&[i])).collect();
    let cp = Checkpoint::of_leaves(WORKED_ORIGIN, &leaves);
    let note = cp.sign(&owner()).unwrap();
    let log = cp.log_verifier(&owner().public_key()).unwrap();
    let w = CosignerVerifier::new(WORKED_WITNESS, &ward().public_key()).unwrap();
    assert_eq!(CosignerVerifier::parse(&w.to_key_string()).unwrap(), w);
    assert!(NoteVerifier::parse(&w.to_key_string()).is_err(), "a cosigner vkey is type 0x04, not 0x01");
    let cosigned = cosignature::add_cosignature(&note, WORKED_WITNESS, &ward(), 1764547200).unwrap();
    let opened = cosignature::open_checkpoint(&cosigned, std::slice::from_ref(&log), std::slice::from_ref(&w)).unwrap();
    assert_eq!(opened.checkpoint, cp);
    assert_eq!(opened.signed_by, [WORKED_ORIGIN]);
    assert_eq!(opened.cosigned_by(&w).unwrap().timestamp, 1764547200);
    // Cosigning again replaces the old line instead of adding one.
    let again = cosignature::add_cosignature(&cosigned, WORKED_WITNESS, &ward(), 1764547201).unwrap();
    assert_eq!(again.matches('\u{2014}').count(), 2);

    // The docs show this exact note and these vkeys.
    let docs = include_str!("../../../docs/checkpoint.md");
    for piece in [cosigned.as_str(), &log.to_key_string(), &w.to_key_string()] {
        assert!(docs.contains(piece), "docs/checkpoint.md lacks:\n{piece}");
    }

    // A changed timestamp, text or key breaks it.
    let bad_time = cosigned.replace(&cosigned[cosigned.rfind(' ').unwrap() + 1..], "AAAA\n");
    assert!(cosignature::open_checkpoint(&bad_time, std::slice::from_ref(&log), std::slice::from_ref(&w)).is_err());
    let other = CosignerVerifier::new(WORKED_WITNESS, &SecretKey::generate().unwrap().public_key()).unwrap();
    let o = cosignature::open_checkpoint(&cosigned, std::slice::from_ref(&log), std::slice::from_ref(&other)).unwrap();
    assert!(o.cosigned_by(&other).is_none(), "an unknown cosigner key is ignored, not trusted");
    let forged = cosigned.replace("\n5\n", "\n6\n");
    assert!(cosignature::open_checkpoint(&forged, &[log], &[w]).is_err());
}

#[test]
fn proofs_round_trip_and_refuse_tampering() {
    let leaves: Vec<Hash> = (0..11u8).map(|i| merkle::leaf_hash(&[i])).collect();
    for size in 1..=11u64 {
        for seq in 0..size {
            let p = InclusionProof::build(&leaves, seq, size).unwrap();
            assert!(p.verify());
            assert!(p.proves_line(&[seq as u8]));
            assert_eq!(InclusionProof::parse(p.to_json().as_bytes()).unwrap(), p);
            let cp = Checkpoint::of_leaves("o", &leaves[..size as usize]);
            assert!(p.verify_against(&cp));
        }
        for old in 1..=size {
            let c = ConsistencyProof::build(&leaves, old, size).unwrap();
            assert!(c.verify(), "{old}->{size}");
            assert_eq!(ConsistencyProof::parse(c.to_json().as_bytes()).unwrap(), c);
        }
    }
    let p = InclusionProof::build(&leaves, 3, 11).unwrap();
    let mut q = p.clone();
    q.leaf = merkle::leaf_hash(b"other");
    assert!(!q.verify());
    let json = p.to_json();
    for bad in [
        json.replace("\"v\":1", "\"v\":2"),
        json.replace("{", "{\"x\":1,"),
        json.replace("\"seq\":3", "\"seq\":3,\"seq\":3"),
        json.replace("\"seq\":3", "\"seq\":11"),
        "[]".into(),
        "x".repeat(20_000),
    ] {
        assert!(InclusionProof::parse(bad.as_bytes()).is_err(), "{bad:.80}");
    }
    assert!(ConsistencyProof::build(&leaves, 0, 5).is_err());
    assert!(ConsistencyProof::build(&leaves, 6, 5).is_err());
    assert!(InclusionProof::build(&leaves, 5, 5).is_err());
    assert!(InclusionProof::build(&leaves, 0, 12).is_err());
}

mod parsers_never_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn cosigned_notes(s in "([ -~]{0,12}\n){0,4}\n?(\u{2014} [a-z/]{0,8} [A-Za-z0-9+/=]{0,104}\n?){0,3}") {
            let log = NoteVerifier::parse(EXAMPLE_VKEY).unwrap();
            let w = CosignerVerifier::new("w", &ward().public_key()).unwrap();
            let _ = cosignature::open_checkpoint(&s, &[log], &[w]);
            let _ = cosignature::unverified_cosignatures(&s);
        }

        #[test]
        fn proofs(s in "\\{(\"[a-z_]{1,8}\":([0-9]{1,3}|\"[0-9a-f]{0,64}\"|\\[(\"[0-9a-f]{64}\",?){0,3}\\]),?){0,7}\\}") {
            let _ = InclusionProof::parse(s.as_bytes());
            let _ = ConsistencyProof::parse(s.as_bytes());
        }
    }
}
