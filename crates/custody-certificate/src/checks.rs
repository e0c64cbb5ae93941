//! Every check `custody verify` runs, each by name with its outcome and reason.
//!
//! A reason is a stable code with named arguments; the CLI turns it into a sentence
//! in the user's language (`verify-why-<code>`). Nothing here reads files: the caller
//! gathers the evidence, so the same checks run on a ward PC, in a test or a fuzzer.

use chrono::{DateTime, FixedOffset};
use custody_keys::PublicKey;
use custody_ledger::checkpoint::Checkpoint;
use custody_ledger::{merkle, Hash};

use crate::model::{Certificate, EntryStatus};

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Passed,
    Failed,
    /// The evidence it needs was not given (no `--chain`, no ledger…).
    Skipped,
}

/// Why, as a code and named values for the message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reason {
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Reason {
    pub fn new(code: &'static str) -> Reason {
        Reason { code, args: vec![] }
    }
    pub fn with(mut self, k: &'static str, v: impl ToString) -> Reason {
        self.args.push((k, v.to_string()));
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// `signature`, `countersignature`, `strict-parsing`, `chain`, `checkpoint`,
    /// `inclusion`, `cosignature`, `ledger`, `label`, `coverage`, `timeline`.
    pub name: &'static str,
    pub outcome: Outcome,
    pub reasons: Vec<Reason>,
}

impl Check {
    fn pass(name: &'static str, r: Reason) -> Check {
        Check { name, outcome: Outcome::Passed, reasons: vec![r] }
    }
    fn fail(name: &'static str, r: Reason) -> Check {
        Check { name, outcome: Outcome::Failed, reasons: vec![r] }
    }
    fn skip(name: &'static str, r: Reason) -> Check {
        Check { name, outcome: Outcome::Skipped, reasons: vec![r] }
    }
    fn of(name: &'static str, fails: Vec<Reason>, ok: Reason) -> Check {
        if fails.is_empty() {
            Check::pass(name, ok)
        } else {
            Check { name, outcome: Outcome::Failed, reasons: fails }
        }
    }
}

/// A checkpoint a ward key cosigned, as the witness module read it.
#[derive(Debug, Clone)]
pub struct Cosigned {
    pub checkpoint: Checkpoint,
    /// Key ids of the trusted keys whose cosignatures verified.
    pub cosigners: Vec<String>,
}

/// What the ward holds about one payload it sealed.
#[derive(Debug, Clone)]
pub struct DeliveredManifest {
    pub payload_id: String,
    /// SHA-256 of the manifest bytes, hex.
    pub root: String,
    pub created: Option<String>,
    /// (path, sha256 hex) in manifest order.
    pub files: Vec<(String, String)>,
}

/// The label of a payload (no names): its id, manifest root, file count, time.
#[derive(Debug, Clone)]
pub struct LabelFacts {
    pub payload_id: String,
    pub manifest_root: String,
    pub file_count: u64,
    pub created: String,
}

/// One `.minisig` beside the certificate.
#[derive(Debug, Clone)]
pub struct SignatureFile {
    pub name: String,
    pub text: String,
}

/// Everything the checks look at.
pub struct Evidence<'a> {
    pub cert: &'a Certificate,
    pub bytes: &'a [u8],
    pub signature: Option<SignatureFile>,
    pub countersignatures: Vec<SignatureFile>,
    pub trusted: &'a [PublicKey],
    /// The issuer's key from the package, used for the structural checks when no
    /// trusted key is the issuer's (the signature check still fails then).
    pub issuer_key: Option<PublicKey>,
    /// Files of the issuer's certificate chain: (file name, bytes).
    pub chain: Option<Vec<(String, Vec<u8>)>>,
    pub ledger: Option<&'a [u8]>,
    pub cosigned: Option<Cosigned>,
    pub labels: Vec<LabelFacts>,
    pub manifests: Vec<DeliveredManifest>,
    /// The note verifier name of the issuer's checkpoint key (see the anchor module).
    pub note_name: Option<String>,
}

/// Runs every check, in the order a reader follows them.
pub fn check_all(ev: &Evidence<'_>) -> Vec<Check> {
    let issuer = issuer_key(ev);
    let mut out = vec![Check::pass("strict-parsing", Reason::new("strict-ok"))];
    out.push(signature(ev));
    out.extend(countersignatures(ev));
    out.push(match &ev.chain {
        Some(files) => crate::chain::check_chain(ev.cert, ev.bytes, files),
        None => Check::skip("chain", Reason::new("no-chain")),
    });
    let cp = checkpoint(ev, issuer.as_ref());
    let parsed = cp.as_ref().ok().cloned();
    out.push(match cp {
        Ok(c) => Check::pass("checkpoint", Reason::new("checkpoint-ok").with("size", c.size)),
        Err(r) => Check::fail("checkpoint", r),
    });
    out.push(inclusion(ev, parsed.as_ref()));
    let leaves = ev.ledger.map(|l| ledger_leaves(l, issuer.as_ref()));
    out.push(cosignature(ev, parsed.as_ref(), leaves.as_ref().and_then(|l| l.as_ref().ok())));
    out.push(match &leaves {
        None => Check::skip("ledger", Reason::new("no-ledger")),
        Some(Err(r)) => Check::fail("ledger", r.clone()),
        Some(Ok(l)) => ledger(ev, parsed.as_ref(), l),
    });
    out.push(labels(ev));
    out.push(coverage(ev));
    out.push(timeline(ev));
    out
}

/// True when no check failed.
pub fn all_passed(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.outcome != Outcome::Failed)
}

fn issuer_key(ev: &Evidence<'_>) -> Option<PublicKey> {
    ev.trusted
        .iter()
        .find(|k| k.key_id().to_string() == ev.cert.issuer.key_id)
        .cloned()
        .or_else(|| ev.issuer_key.clone().filter(|k| k.key_id().to_string() == ev.cert.issuer.key_id))
}

fn verify_sig(ev: &Evidence<'_>, sig: &SignatureFile, expect_comment: bool) -> Result<String, Reason> {
    let parsed = custody_keys::MinisignSignature::parse(&sig.text)
        .map_err(|_| Reason::new("signature-malformed").with("file", &sig.name))?;
    let kid = parsed.key_id.to_string();
    let Some(key) = ev.trusted.iter().find(|k| k.key_id() == parsed.key_id) else {
        return Err(Reason::new("signature-untrusted").with("file", &sig.name).with("key", kid));
    };
    let comment = key
        .verify_minisign(ev.bytes, &sig.text)
        .map_err(|_| Reason::new("signature-bad").with("file", &sig.name).with("key", &kid))?;
    if expect_comment && comment.0 != ev.cert.trusted_comment() {
        return Err(Reason::new("signature-comment").with("file", &sig.name));
    }
    Ok(kid)
}

fn signature(ev: &Evidence<'_>) -> Check {
    let Some(sig) = &ev.signature else {
        return Check::fail("signature", Reason::new("signature-missing"));
    };
    match verify_sig(ev, sig, true) {
        Ok(kid) if kid == ev.cert.issuer.key_id => {
            Check::pass("signature", Reason::new("signature-ok").with("key", kid))
        }
        Ok(kid) => Check::fail(
            "signature",
            Reason::new("signature-not-issuer").with("key", kid).with("issuer", &ev.cert.issuer.key_id),
        ),
        Err(r) => Check::fail("signature", r),
    }
}

fn countersignatures(ev: &Evidence<'_>) -> Vec<Check> {
    ev.countersignatures
        .iter()
        .map(|s| match verify_sig(ev, s, false) {
            Ok(kid) => Check::pass("countersignature", Reason::new("countersignature-ok").with("key", kid)),
            Err(r) => Check::fail("countersignature", r),
        })
        .collect()
}

fn checkpoint(ev: &Evidence<'_>, issuer: Option<&PublicKey>) -> Result<Checkpoint, Reason> {
    let Some(key) = issuer else {
        return Err(Reason::new("no-issuer-key").with("key", &ev.cert.issuer.key_id));
    };
    let name = ev.note_name.clone().unwrap_or_default();
    let verifier =
        custody_ledger::checkpoint::NoteVerifier::new(&name, key).map_err(|_| Reason::new("checkpoint-malformed"))?;
    let (text, _) = custody_ledger::checkpoint::open_note(&ev.cert.anchor.checkpoint, &[verifier])
        .map_err(|_| Reason::new("checkpoint-signature"))?;
    Checkpoint::parse_body(text).map_err(|_| Reason::new("checkpoint-malformed"))
}

fn hash(s: &str) -> Hash {
    s.parse().unwrap_or(Hash::ZERO)
}

fn inclusion(ev: &Evidence<'_>, cp: Option<&Checkpoint>) -> Check {
    let Some(cp) = cp else {
        return Check::fail("inclusion", Reason::new("inclusion-no-checkpoint"));
    };
    let mut fails = vec![];
    for item in &ev.cert.items {
        let proof = ev.cert.anchor.proofs.iter().find(|p| p.seq == item.ledger_seq && p.leaf == item.ledger_leaf);
        let ok = proof.is_some_and(|p| {
            let path: Vec<Hash> = p.path.iter().map(|h| hash(h)).collect();
            merkle::verify_inclusion(&hash(&p.leaf), p.seq, cp.size, &path, &cp.root)
        });
        if !ok {
            fails.push(Reason::new("inclusion-bad").with("seq", item.ledger_seq));
        }
    }
    Check::of("inclusion", fails, Reason::new("inclusion-ok").with("n", ev.cert.items.len()).with("size", cp.size))
}

/// Leaf hashes of a ledger that verifies line by line under the issuer's key.
pub(crate) struct Leaves {
    pub leaves: Vec<Hash>,
    pub entries: Vec<custody_ledger::Entry>,
}

fn ledger_leaves(bytes: &[u8], issuer: Option<&PublicKey>) -> Result<Leaves, Reason> {
    let Some(key) = issuer else {
        return Err(Reason::new("no-issuer-key").with("key", "?"));
    };
    if let Err(e) = custody_ledger::verify(bytes, key) {
        return Err(Reason::new("ledger-invalid").with("line", e.line).with("detail", e.problem));
    }
    let mut leaves = vec![];
    let mut entries = vec![];
    for r in custody_ledger::read_entries(bytes) {
        let (e, leaf) = r.map_err(|e| Reason::new("ledger-invalid").with("line", e.line).with("detail", e.problem))?;
        leaves.push(leaf);
        entries.push(e);
    }
    Ok(Leaves { leaves, entries })
}

fn root_at(leaves: &[Hash], size: u64) -> Option<Hash> {
    let n = usize::try_from(size).ok()?;
    (n <= leaves.len()).then(|| merkle::root(&leaves[..n]))
}

fn cosignature(ev: &Evidence<'_>, cp: Option<&Checkpoint>, leaves: Option<&Leaves>) -> Check {
    let Some(c) = &ev.cosigned else {
        return Check::fail("cosignature", Reason::new("cosignature-none"));
    };
    let Some(cp) = cp else {
        return Check::fail("cosignature", Reason::new("inclusion-no-checkpoint"));
    };
    if c.cosigners.is_empty() {
        return Check::fail("cosignature", Reason::new("cosignature-untrusted"));
    }
    let w = &c.checkpoint;
    if w.origin != cp.origin {
        return Check::fail("cosignature", Reason::new("cosignature-origin").with("origin", &w.origin));
    }
    let consistent = if w.size == cp.size {
        w.root == cp.root
    } else if let Some(l) = leaves {
        root_at(&l.leaves, cp.size) == Some(cp.root) && root_at(&l.leaves, w.size) == Some(w.root)
    } else {
        return Check::fail("cosignature", Reason::new("cosignature-needs-ledger"));
    };
    if !consistent {
        return Check::fail(
            "cosignature",
            Reason::new("cosignature-inconsistent").with("size", cp.size).with("cosigned", w.size),
        );
    }
    let newest_cited = ev.cert.items.iter().map(|i| i.ledger_seq + 1).max().unwrap_or(0);
    if w.size < newest_cited {
        return Check::fail("cosignature", Reason::new("cosignature-too-old").with("cosigned", w.size));
    }
    Check::pass(
        "cosignature",
        Reason::new("cosignature-ok").with("keys", c.cosigners.join(", ")).with("cosigned", w.size),
    )
}

fn ledger(ev: &Evidence<'_>, cp: Option<&Checkpoint>, l: &Leaves) -> Check {
    let mut fails = vec![];
    if let Some(cp) = cp {
        if root_at(&l.leaves, cp.size) != Some(cp.root) {
            fails.push(Reason::new("ledger-root").with("size", cp.size));
        }
    }
    let mut last = None;
    for item in &ev.cert.items {
        let i = item.ledger_seq as usize;
        let same = l.leaves.get(i).is_some_and(|h| h.to_string() == item.ledger_leaf)
            && l.entries.get(i).is_some_and(|e| {
                e.kind == "erased"
                    && e.body.get("record_sha256").and_then(|v| v.as_str()) == Some(item.record_sha256.as_str())
            });
        if !same {
            fails.push(Reason::new("ledger-entry").with("seq", item.ledger_seq));
        }
        if last.is_some_and(|p| p >= item.ledger_seq) {
            fails.push(Reason::new("ledger-order").with("seq", item.ledger_seq));
        }
        last = Some(item.ledger_seq);
    }
    for p in &ev.cert.payloads {
        if let Some(seq) = p.opened_seq {
            let ok = l.entries.get(seq as usize).is_some_and(|e| {
                e.kind == "opened"
                    && e.body.get("payload_id").and_then(|v| v.as_str()) == Some(p.payload_id.as_str())
                    && p.opened.as_deref() == Some(e.time.as_str())
            });
            if !ok {
                fails.push(Reason::new("ledger-entry").with("seq", seq));
            }
        }
    }
    Check::of("ledger", fails, Reason::new("ledger-ok").with("entries", l.leaves.len()))
}

fn labels(ev: &Evidence<'_>) -> Check {
    if ev.labels.is_empty() {
        return Check::skip("label", Reason::new("no-label"));
    }
    let mut fails = vec![];
    for l in &ev.labels {
        match ev.cert.payloads.iter().find(|p| p.payload_id == l.payload_id) {
            None => fails.push(Reason::new("label-not-covered").with("payload", &l.payload_id)),
            Some(p) if p.manifest_root != l.manifest_root || p.file_count != l.file_count => {
                fails.push(Reason::new("label-mismatch").with("payload", &l.payload_id))
            }
            Some(_) => {}
        }
    }
    Check::of("label", fails, Reason::new("label-ok").with("n", ev.labels.len()))
}

fn coverage(ev: &Evidence<'_>) -> Check {
    if ev.manifests.is_empty() {
        return Check::skip("coverage", Reason::new("no-manifest"));
    }
    let mut fails = vec![];
    let mut caveats = 0u64;
    let mut files = 0u64;
    for m in &ev.manifests {
        let Some(p) = ev.cert.payloads.iter().find(|p| p.payload_id == m.payload_id) else {
            fails.push(Reason::new("coverage-not-covered").with("payload", &m.payload_id));
            continue;
        };
        // Never opened here and erased as ciphertext: every file went with it.
        let as_ciphertext = p.entries.is_empty() && p.opened_seq.is_none() && p.ciphertext_erased;
        if p.manifest_root != m.root || (!as_ciphertext && p.file_count != m.files.len() as u64) {
            fails.push(Reason::new("coverage-root").with("payload", &m.payload_id));
            continue;
        }
        files += m.files.len() as u64;
        if as_ciphertext {
            continue;
        }
        for (i, (path, sha)) in m.files.iter().enumerate() {
            let status = p.entries.get(i).filter(|e| &e.sha256 == sha).map(|e| e.status);
            let why = match status {
                Some(EntryStatus::ErasedVerified) => continue,
                Some(EntryStatus::ErasedWithCaveat) => {
                    caveats += 1;
                    continue;
                }
                Some(EntryStatus::Changed) => "coverage-changed",
                Some(EntryStatus::NotErased) => "coverage-not-erased",
                None => "coverage-missing",
            };
            fails.push(Reason::new(why).with("payload", &m.payload_id).with("path", path));
        }
    }
    Check::of("coverage", fails, Reason::new("coverage-ok").with("files", files).with("caveats", caveats))
}

fn time(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

fn timeline(ev: &Evidence<'_>) -> Check {
    let c = ev.cert;
    let mut fails = vec![];
    let issued = time(&c.issued);
    let mut before =
        |a: Option<DateTime<FixedOffset>>, b: Option<DateTime<FixedOffset>>, what: &'static str, id: &str| {
            if let (Some(a), Some(b)) = (a, b) {
                if a > b {
                    fails.push(Reason::new(what).with("payload", id));
                }
            }
        };
    for item in &c.items {
        before(time(&item.started), time(&item.finished), "timeline-erased-order", &item.record_sha256[..12]);
        before(time(&item.finished), issued, "timeline-certified-before-erased", &item.record_sha256[..12]);
    }
    for p in &c.payloads {
        let sealed = ev
            .manifests
            .iter()
            .filter(|m| m.payload_id == p.payload_id)
            .find_map(|m| m.created.as_deref().and_then(time))
            .or_else(|| ev.labels.iter().filter(|l| l.payload_id == p.payload_id).find_map(|l| time(&l.created)));
        let opened = p.opened.as_deref().and_then(time);
        before(sealed, opened, "timeline-opened-before-sealed", &p.payload_id);
        for item in c.items.iter().filter(|i| i.payloads.contains(&p.payload_id)) {
            before(opened, time(&item.started), "timeline-erased-before-opened", &p.payload_id);
            before(sealed, time(&item.started), "timeline-erased-before-sealed", &p.payload_id);
        }
    }
    Check::of("timeline", fails, Reason::new("timeline-ok"))
}
