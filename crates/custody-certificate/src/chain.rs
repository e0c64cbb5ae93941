//! The issuer's hash chain of certificates: `cert_seq` 1, 2, 3… without a gap, each
//! `prev_cert` the SHA-256 of the previous certificate's bytes. A withdrawn, replaced,
//! inserted or back-dated certificate breaks it.

use crate::checks::{Check, Outcome, Reason};
use crate::model::Certificate;

/// Checks the chain in `files` (name, bytes) and that `cert` (with `bytes`) has its
/// place in it: either in it unchanged, or as the next link after its last one.
pub fn check_chain(cert: &Certificate, bytes: &[u8], files: &[(String, Vec<u8>)]) -> Check {
    let mut fails = vec![];
    let mut links: Vec<(Certificate, String, &str)> = vec![];
    for (name, b) in files {
        match Certificate::parse(b) {
            Ok(c) if c.issuer.key_id == cert.issuer.key_id => links.push((c, Certificate::hash_of(b), name)),
            Ok(_) => {}
            Err(_) => fails.push(Reason::new("chain-unreadable").with("file", name)),
        }
    }
    links.sort_by_key(|(c, _, _)| c.cert_seq);
    let mut expected = 1u64;
    let mut prev: Option<(&str, &Certificate)> = None;
    let mut prev_hash: Option<String> = None;
    for (c, h, name) in &links {
        if c.cert_seq < expected {
            fails.push(Reason::new("chain-duplicate").with("seq", c.cert_seq).with("file", name));
            continue;
        }
        if c.cert_seq > expected {
            fails.push(Reason::new("chain-gap").with("seq", expected));
        }
        if c.cert_seq == expected && c.prev_cert != prev_hash {
            fails.push(Reason::new("chain-link").with("seq", c.cert_seq).with("file", name));
        }
        if let Some((_, p)) = prev {
            if c.issued < p.issued && same_offset(&c.issued, &p.issued) {
                fails.push(Reason::new("chain-backdated").with("seq", c.cert_seq).with("file", name));
            }
        }
        prev = Some((name, c));
        prev_hash = Some(h.clone());
        expected = c.cert_seq + 1;
    }
    let own = Certificate::hash_of(bytes);
    let present = links.iter().find(|(c, _, _)| c.cert_seq == cert.cert_seq);
    match present {
        Some((_, h, _)) if *h == own => {}
        Some((_, _, name)) => fails.push(Reason::new("chain-replaced").with("seq", cert.cert_seq).with("file", name)),
        None if cert.cert_seq == expected && cert.prev_cert == prev_hash => {}
        None => fails.push(Reason::new("chain-not-in").with("seq", cert.cert_seq)),
    }
    if fails.is_empty() {
        Check { name: "chain", outcome: Outcome::Passed, reasons: vec![Reason::new("chain-ok").with("n", links.len())] }
    } else {
        Check { name: "chain", outcome: Outcome::Failed, reasons: fails }
    }
}

/// RFC 3339 strings compare as times only with the same offset; the issuer's own
/// certificates normally share one.
fn same_offset(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.get(19..) == b.get(19..)
}
