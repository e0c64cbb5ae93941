//! `seal`: a folder becomes a payload and label on the media, and a passphrase
//! that exists only in memory and on the paper notice (R1, R2, R8, R17).

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use custody_l10n::Lang;
use custody_ledger::events::{self, Event};
use custody_ledger::Hash;
use custody_notice::{Notice, NoticeId, Passphrase};
use custody_seal::{LabelInfo, ManifestMeta, PayloadId};
use serde::Serialize;

use crate::fsutil::{is_within, resolve_lenient};
use crate::media::on_separate_medium;
use crate::open::label_signature_path;
use crate::{now, Error, Session};
use custody_fsio::parent_dir;

/// What ward staff (or a contractor returning data, R8) asks for.
#[derive(Debug, Clone)]
pub struct SealRequest {
    pub src: PathBuf,
    pub media_dir: PathBuf,
    pub notice_path: PathBuf,
    pub recipient: Option<String>,
    pub contract: Option<String>,
    pub categories: Vec<String>,
    pub lang: Lang,
}

/// What was written and recorded. Holds no secret.
#[derive(Debug, Clone, Serialize)]
pub struct SealReport {
    pub payload_id: String,
    pub payload_path: PathBuf,
    pub label_path: PathBuf,
    /// The label's detached minisign signature.
    pub label_signature_path: PathBuf,
    pub notice_path: PathBuf,
    pub notice_id: String,
    pub fingerprint: String,
    pub file_count: u64,
    pub total_bytes: u64,
    pub ciphertext_size: u64,
    pub ciphertext_sha256: String,
    pub manifest_root: String,
    pub ledger_seq: u64,
}

/// Checks everything that can be checked before a byte is written
/// ([`crate::check_seal`], which a caller also runs before asking for the key passphrase).
/// `progress(done, total)` receives the file bytes sealed so far and the total.
pub fn seal_delivery(
    session: &Session<'_>,
    req: &SealRequest,
    progress: &dyn Fn(u64, u64),
) -> Result<SealReport, Error> {
    let plan = crate::precheck::check_seal(session.home(), req)?;
    let tree = plan.tree;
    let created = now();
    let meta = ManifestMeta {
        payload_id: PayloadId::generate(created.date_naive())
            .map_err(|_| custody_notice::PassphraseError::RandomnessUnavailable)?,
        created,
        categories: req.categories.clone(),
    };
    // A failing random source stops the seal with an error, never a panic.
    let notice_id = NoticeId::generate(created.date_naive())?;
    let person = session.home().person();
    let info = LabelInfo {
        issuer: person.org.clone(),
        recipient: req.recipient.clone(),
        contract: req.contract.clone(),
        notice_id: notice_id.to_string(),
        sealed_by: session.home().key_id().to_string(),
    };
    let pass = Passphrase::generate()?;
    let sealed = {
        let total = tree.total_bytes();
        custody_seal::seal_to_media(&tree, &meta, &info, &pass.to_secret_string(), &req.media_dir, &|done| {
            progress(done, total)
        })?
    };

    let notice = Notice {
        notice_id: notice_id.clone(),
        payload_id: meta.payload_id.to_string(),
        fingerprint: sealed.label.fingerprint(),
        issuer_org: person.org.clone(),
        issuer_name: person.name.clone(),
        recipient: req.recipient.clone(),
        contract: req.contract.clone(),
        categories: req.categories.clone(),
        issued: created,
        file_count: sealed.outcome.file_count,
        total_bytes: sealed.outcome.total_bytes,
    };
    let sig_path = label_signature_path(&sealed.label_path);
    let undo_media = || {
        let _ = fs::remove_file(&sealed.payload_path);
        let _ = fs::remove_file(&sealed.label_path);
        let _ = fs::remove_file(&sig_path);
    };
    if let Err(e) = sign_label(session, &sealed.label, &sig_path) {
        undo_media();
        return Err(e);
    }
    if let Err(e) = custody_notice::write_notice(&req.notice_path, &notice, &pass, req.lang) {
        undo_media();
        return Err(e.into());
    }
    drop(pass);

    let label = &sealed.label;
    // The ward keeps the manifest of what it delivered: `verify` names a file the
    // contractor's certificate does not account for, which only this side can.
    let manifests = session.home().root().join("manifests");
    let kept = std::fs::create_dir_all(&manifests).map_err(Error::io(&manifests)).and_then(|()| {
        let path = manifests.join(format!("{}.json", label.payload_id));
        custody_fsio::write_replace(&path, &sealed.outcome.manifest.to_jcs(), 0o600).map_err(Error::from)
    });
    if let Err(e) = kept {
        undo_media();
        let _ = fs::remove_file(&req.notice_path);
        return Err(e);
    }
    let sealed_event = Event::Sealed(events::Sealed {
        v: events::BODY_VERSION,
        payload_id: label.payload_id.to_string(),
        ciphertext_sha256: Hash(label.ciphertext_sha256),
        ciphertext_size: label.ciphertext_size,
        manifest_root: Hash(label.manifest_root),
        file_count: label.file_count,
        dir_count: label.dir_count,
        total_bytes: label.total_bytes,
        categories: req.categories.clone(),
        notice_id: notice_id.to_string(),
        recipient: req.recipient.clone(),
        contract: req.contract.clone(),
    });
    let appended = match session.record_event(&sealed_event) {
        Ok(a) => a,
        Err(e) => {
            // An unrecorded payload is worse than none: the ledger is the only proof
            // of what left the office.
            undo_media();
            let _ = fs::remove_file(&req.notice_path);
            return Err(e);
        }
    };

    Ok(SealReport {
        payload_id: label.payload_id.to_string(),
        payload_path: sealed.payload_path.clone(),
        label_path: sealed.label_path.clone(),
        label_signature_path: sig_path.clone(),
        notice_path: req.notice_path.clone(),
        notice_id: notice_id.to_string(),
        fingerprint: label.fingerprint(),
        file_count: label.file_count,
        total_bytes: label.total_bytes,
        ciphertext_size: label.ciphertext_size,
        ciphertext_sha256: hex::encode(label.ciphertext_sha256),
        manifest_root: hex::encode(label.manifest_root),
        ledger_seq: appended.seq,
    })
}

/// The label's detached minisign signature, by the sealer's key: stock `minisign -V`
/// verifies it, and `open --trust` checks it before decrypting. The trusted comment
/// names the payload and the signer, so a signature cannot be moved to another label
/// unnoticed even by someone who only reads the comment.
fn sign_label(session: &Session<'_>, label: &custody_seal::Label, sig_path: &Path) -> Result<(), Error> {
    let key_id = session.home().key_id();
    let trusted = format!("custody label {} sealed_by {key_id}", label.payload_id);
    let sig = session.secret_key().sign_minisign(&label.to_bytes()[..], &trusted, "custody label signature")?;
    custody_fsio::write_new(sig_path, sig.as_bytes(), 0o644).map_err(Error::from)
}

/// Sealing the custody home would put the secret key and the ledger into the delivery.
/// Compared by device and inode along the home's ancestors, so a symlinked or
/// bind-mounted alias of the source is caught as well as a plain path.
pub(crate) fn check_source_outside_home(src: &Path, home: &Path) -> Result<(), Error> {
    let refuse = || Error::SourceContainsHome { src: src.to_path_buf(), home: home.to_path_buf() };
    if is_within(home, src) {
        return Err(refuse());
    }
    let Ok(s) = fs::metadata(src) else { return Ok(()) };
    let Some(home_abs) = resolve_lenient(home) else { return Ok(()) };
    for anc in home_abs.ancestors() {
        if let Ok(m) = fs::metadata(anc) {
            if m.dev() == s.dev() && m.ino() == s.ino() {
                return Err(refuse());
            }
        }
    }
    Ok(())
}

/// R2: the notice and the media travel on separate occasions, so the notice must
/// not be written onto the media: not inside the media directory, and not anywhere
/// on the medium when the media directory lives on a filesystem of its own (a USB
/// stick mounted at /media/usb, with `--to /media/usb/delivery`).
pub(crate) fn check_notice_place(notice: &Path, media: &Path) -> Result<(), Error> {
    let refuse = || Error::NoticeOnMedia { notice: notice.to_path_buf(), media: media.to_path_buf() };
    if notice.symlink_metadata().is_ok() {
        return Err(Error::NoticeExists { path: notice.to_path_buf() });
    }
    if is_within(notice, media) {
        return Err(refuse());
    }
    let notice_dir = resolve_lenient(&parent_dir(notice)).unwrap_or_else(|| parent_dir(notice));
    let (Ok(media_meta), Ok(notice_meta)) = (fs::metadata(media), fs::metadata(&notice_dir)) else {
        return Ok(());
    };
    if media_meta.dev() == notice_meta.dev() && on_separate_medium(media) {
        return Err(refuse());
    }
    Ok(())
}
