//! Our files against the stock `minisign` binary, both directions.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use custody_keys::{KeyError, PublicKey, SecretKey};
use secrecy::SecretString;

const MINISIGN: &str = "/usr/bin/minisign";

#[path = "../../../tests/common/skip.rs"]
mod skip;

fn minisign_available() -> bool {
    if Path::new(MINISIGN).exists() {
        true
    } else {
        skip::skip(&format!("{MINISIGN} is not installed (bash .ci/run installs it)"));
        false
    }
}

fn data(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)).unwrap()
}

/// Stock minisign prompts for the password; when stdin is not a tty it reads it from stdin.
fn minisign_with_stdin(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(MINISIGN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn our_key_and_signature_verify_with_stock_minisign() {
    if !minisign_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::generate().unwrap();
    let payload = b"certificate of erasure\n\x00\xff".repeat(1000);
    let sig = key.sign_minisign(&payload[..], "cert 2026-0001\tward=shinjuku", "custody").unwrap();
    std::fs::write(dir.path().join("k.pub"), key.public_key().to_minisign("x")).unwrap();
    std::fs::write(dir.path().join("doc"), &payload).unwrap();
    std::fs::write(dir.path().join("doc.minisig"), &sig).unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let out = Command::new(MINISIGN)
        .args(["-V", "-p", &d("k.pub"), "-m", &d("doc"), "-x", &d("doc.minisig")])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout} {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Trusted comment: cert 2026-0001\tward=shinjuku"), "{stdout}");

    // -P with the bare base64 line, and -H (require prehashed)
    let out = Command::new(MINISIGN)
        .args(["-V", "-H", "-P", &key.public_key().to_base64(), "-m", &d("doc"), "-x", &d("doc.minisig")])
        .output()
        .unwrap();
    assert!(out.status.success());

    // a flipped data byte is refused by minisign too
    let mut bad = payload.clone();
    bad[7] ^= 1;
    std::fs::write(dir.path().join("doc"), &bad).unwrap();
    let out = Command::new(MINISIGN)
        .args(["-V", "-p", &d("k.pub"), "-m", &d("doc"), "-x", &d("doc.minisig")])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn our_encrypted_key_is_usable_by_stock_minisign() {
    if !minisign_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let key = SecretKey::generate().unwrap();
    let pass = SecretString::from("jp ward 甲 passphrase");
    let file = key.to_encrypted_minisign(&pass, "custody secret key").unwrap();
    std::fs::write(d("k.key"), file.as_bytes()).unwrap();
    std::fs::write(d("doc"), b"hello").unwrap();
    let out = minisign_with_stdin(
        &["-S", "-s", &d("k.key"), "-m", &d("doc"), "-t", "signed by minisign"],
        "jp ward 甲 passphrase\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sig = std::fs::read_to_string(d("doc.minisig")).unwrap();
    let tc = key.public_key().verify_minisign(&b"hello"[..], &sig).unwrap();
    assert_eq!(tc.0, "signed by minisign");
}

#[test]
fn key_made_by_stock_minisign_loads_and_its_signatures_verify() {
    if !minisign_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let out = minisign_with_stdin(&["-G", "-p", &d("m.pub"), "-s", &d("m.key")], "s3cret\ns3cret\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(d("doc"), b"payload label").unwrap();
    let out = minisign_with_stdin(&["-S", "-s", &d("m.key"), "-m", &d("doc"), "-t", "trusted words"], "s3cret\n");
    assert!(out.status.success());

    let pubkey = PublicKey::from_minisign(&std::fs::read_to_string(d("m.pub")).unwrap()).unwrap();
    let sig = std::fs::read_to_string(d("doc.minisig")).unwrap();
    let tc = pubkey.verify_minisign(&b"payload label"[..], &sig).unwrap();
    assert_eq!(tc.0, "trusted words");

    let key_text = std::fs::read_to_string(d("m.key")).unwrap();
    let key = SecretKey::from_encrypted_minisign(&key_text, &SecretString::from("s3cret")).unwrap();
    assert_eq!(key.public_key(), pubkey);
    assert!(matches!(
        SecretKey::from_encrypted_minisign(&key_text, &SecretString::from("s3cret ")),
        Err(KeyError::WrongPassphrase)
    ));
}

/// The same checks against files stock minisign made once (tests/data), so they run
/// even where minisign is not installed.
#[test]
fn stored_minisign_vectors() {
    let pubkey = PublicKey::from_minisign(&data("minisign-0.11.pub")).unwrap();
    assert_eq!(pubkey.key_id().to_string(), "F6C27802FD8749BE");
    assert_eq!(pubkey.to_base64(), "RWS+SYf9AnjC9lkKCHcvp2Wwj+IGqPstlkv8a6bB/qF8rp3XZFYgr2hV");
    assert_eq!(PublicKey::from_minisign("RWS+SYf9AnjC9lkKCHcvp2Wwj+IGqPstlkv8a6bB/qF8rp3XZFYgr2hV").unwrap(), pubkey);
    let tc =
        pubkey.verify_minisign(data("minisign-0.11.data").as_bytes(), &data("minisign-0.11.data.minisig")).unwrap();
    assert_eq!(tc.0, "tc here");
    assert!(matches!(
        pubkey.verify_minisign(&b"hellO\n"[..], &data("minisign-0.11.data.minisig")),
        Err(KeyError::BadSignature)
    ));
    let pass = SecretString::from(data("minisign-0.11.password"));
    let key = SecretKey::from_encrypted_minisign(&data("minisign-0.11.key"), &pass).unwrap();
    assert_eq!(key.public_key(), pubkey);
}
