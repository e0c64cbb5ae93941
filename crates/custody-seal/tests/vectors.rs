//! A stored payload (tests/data/payload-v1) keeps opening: the format does not drift.
//! Regenerate with `CUSTODY_REGEN_VECTORS=1 cargo test -p custody-seal --test vectors`.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use custody_seal::{open, scan, seal_to_media, Label, Manifest};
use sha2::{Digest, Sha256};

#[test]
fn stored_payload_v1_opens_and_matches_its_label_and_manifest() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/payload-v1");
    let payload = dir.join("20261124-0123ABCD.age");
    if std::env::var_os("CUSTODY_REGEN_VECTORS").is_some() {
        let t = tmp();
        sample_tree(t.path());
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let s = seal_to_media(&scan(t.path()).unwrap(), &meta(), &info(), &pass(), &dir, &|_| {}).unwrap();
        fs::write(dir.join("MANIFEST.json"), s.outcome.manifest.to_jcs()).unwrap();
        fs::write(dir.join("passphrase.txt"), format!("{PASS}\n")).unwrap();
    }
    let label = Label::read(&Label::path_beside(&payload)).unwrap();
    let manifest_bytes = fs::read(dir.join("MANIFEST.json")).unwrap();
    assert_eq!(<[u8; 32]>::from(Sha256::digest(&manifest_bytes)), label.manifest_root);
    let manifest = Manifest::parse(&manifest_bytes).unwrap();
    assert_eq!(fs::read_to_string(dir.join("passphrase.txt")).unwrap().trim(), PASS);

    let t = tmp();
    let dest = p(&t, "dest");
    let opened = open(&payload, &pass(), &dest, Some(&label), &|_| {}).unwrap();
    assert_eq!(opened.manifest, manifest);
    let expected = tmp();
    sample_tree(expected.path());
    assert_eq!(listing(&dest), listing(expected.path()));
}
