//! Times the verification of an issuer's chain of N certificates (default 1,000):
//! strict parsing of every certificate, every `prev_cert` link and sequence number,
//! and every certificate's minisign signature. Used by bench/verify.sh.
//!
//! cargo run --release -p custody-certificate --example chain_bench [N]

use std::time::Instant;

use custody_certificate::{certificate_id, chain, Anchor, Certificate, Party, FORMAT};
use custody_keys::{KeyId, SecretKey};

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let key = SecretKey::from_seed(KeyId([3; 8]), &[5; 32]);
    let kid = key.key_id().to_string();
    let mut files = vec![];
    let mut sigs = vec![];
    let mut prev = None;
    for seq in 1..=n {
        let c = Certificate {
            format: FORMAT.into(),
            id: certificate_id(&kid, seq),
            cert_seq: seq,
            prev_cert: prev.clone(),
            issued: "2026-12-01T10:00:00+09:00".into(),
            lang: "ja".into(),
            issuer: Party {
                org: "株式会社サンプル".into(),
                name: "山田 花子".into(),
                role: "responsible".into(),
                key_id: kid.clone(),
            },
            contract: Some(format!("R8-{seq:04}")),
            addressed_to: vec!["新宿区長".into()],
            media_destination: None,
            notes: None,
            items: vec![],
            payloads: vec![],
            anchor: Anchor { checkpoint: String::new(), proofs: vec![] },
        };
        let b = c.to_bytes();
        sigs.push(key.sign_minisign(&b[..], &c.trusted_comment(), "sig").expect("sign"));
        prev = Some(Certificate::hash_of(&b));
        files.push((format!("{seq:06}.json"), b));
    }
    let public = key.public_key();
    let last = files.last().expect("n >= 1").1.clone();
    let t = Instant::now();
    let cert = Certificate::parse(&last).expect("parse");
    let check = chain::check_chain(&cert, &last, &files);
    for ((_, b), s) in files.iter().zip(&sigs) {
        public.verify_minisign(&b[..], s).expect("signature");
    }
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(check.outcome, custody_certificate::Outcome::Passed, "{check:?}");
    println!("chain of {n} certificates (parse, links, signatures): {secs:.3} s (target < 0.5 s for 1,000)");
}
