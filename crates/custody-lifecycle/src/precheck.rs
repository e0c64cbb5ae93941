//! Everything `seal` and `open` can check before a secret is asked for: a clerk who
//! typed the key passphrase and then learns the notice path was wrong must retype the
//! whole command. These checks only read; the steps themselves check again.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use custody_keys::PublicKey;
use custody_notice::{NoticeFormat, NoticeId};
use custody_seal::{EntryKind, Label, LabelInfo, ManifestMeta, PayloadId, SourceTree};
use serde::Serialize;

use crate::open::{check_dest_place, check_sender, Sender};
use crate::seal::{check_notice_place, check_source_outside_home, SealRequest};
use crate::{now, Error, Home};
use custody_fsio::parent_dir;

/// How many names a plan lists before it only counts.
pub const PLAN_NAMES: usize = 5;

/// What `seal` would do, known before anything is written or asked for.
#[derive(Debug, Clone, Serialize)]
pub struct SealPlan {
    pub src: PathBuf,
    pub media_dir: PathBuf,
    pub notice_path: PathBuf,
    pub file_count: u64,
    pub dir_count: u64,
    pub total_bytes: u64,
    /// Upper bound of the payload's size on the media.
    pub payload_size_bound: u64,
    /// The first [`PLAN_NAMES`] files, relative to the source, as found (the caller
    /// escapes them: they are names from the person's tree).
    pub first_files: Vec<String>,
    pub issuer: String,
    pub recipient: Option<String>,
    pub contract: Option<String>,
    pub categories: Vec<String>,
    /// The notice's issue date if sealed now.
    pub issued: DateTime<FixedOffset>,
    #[serde(skip)]
    pub(crate) tree: SourceTree,
}

/// The seal's preconditions, in the order a person would fix them: the notice's
/// place, the source, the media, the label's fields, the home's key file.
pub fn check_seal(home: &Home, req: &SealRequest) -> Result<SealPlan, Error> {
    NoticeFormat::from_path(&req.notice_path).ok_or_else(|| Error::NoticeFormat { path: req.notice_path.clone() })?;
    let notice_dir = parent_dir(&req.notice_path);
    if !notice_dir.is_dir() {
        return Err(Error::NoticeFolderMissing { path: notice_dir });
    }
    check_notice_place(&req.notice_path, &req.media_dir)?;
    if !writable(&notice_dir) {
        return Err(Error::NoticeFolderNotWritable { path: notice_dir });
    }
    check_source_outside_home(&req.src, home.root())?;
    let tree = custody_seal::scan(&req.src)?;
    if !req.media_dir.is_dir() {
        return Err(Error::MediaNotAFolder { path: req.media_dir.clone() });
    }
    if !writable(&req.media_dir) {
        return Err(Error::MediaNotWritable { path: req.media_dir.clone() });
    }
    let issued = now();
    // Stand-ins with the real shapes: the ids are drawn again when the seal runs.
    let meta = ManifestMeta {
        payload_id: PayloadId::generate(issued.date_naive())
            .map_err(|_| custody_notice::PassphraseError::RandomnessUnavailable)?,
        created: issued,
        categories: req.categories.clone(),
    };
    let person = home.person();
    let info = LabelInfo {
        issuer: person.org.clone(),
        recipient: req.recipient.clone(),
        contract: req.contract.clone(),
        notice_id: NoticeId::generate(issued.date_naive())?.to_string(),
        sealed_by: home.key_id().to_string(),
    };
    custody_seal::check_before_seal(&tree, &meta, &info, &req.media_dir)?;
    home.check_key_file()?;
    let first_files =
        tree.entries().iter().filter(|e| e.kind == EntryKind::File).take(PLAN_NAMES).map(|e| e.rel.clone()).collect();
    Ok(SealPlan {
        src: req.src.clone(),
        media_dir: req.media_dir.clone(),
        notice_path: req.notice_path.clone(),
        file_count: tree.file_count(),
        dir_count: tree.dir_count(),
        total_bytes: tree.total_bytes(),
        payload_size_bound: custody_seal::estimate_payload_size(&tree, &meta),
        first_files,
        issuer: person.org.clone(),
        recipient: req.recipient.clone(),
        contract: req.contract.clone(),
        categories: req.categories.clone(),
        issued,
        tree,
    })
}

/// What `open` knows before the passphrase: which payload this is and the code the
/// recipient compares with the password notice.
#[derive(Debug, Clone, Serialize)]
pub struct OpenPreview {
    /// From the label; `None` without a label.
    pub payload_id: Option<String>,
    /// The label's fingerprint (computed for a label written before it carried one).
    pub fingerprint: Option<String>,
    pub total_bytes: Option<u64>,
    pub file_count: Option<u64>,
    pub sender: Sender,
    #[serde(skip)]
    pub(crate) label: Option<(Label, Vec<u8>)>,
}

/// The open's preconditions: the work folder's place and emptiness, the label and
/// (with trusted keys) its signature, the payload's type, size and header, the key file.
pub fn check_open(home: &Home, payload: &Path, dest: &Path, trusted: &[PublicKey]) -> Result<OpenPreview, Error> {
    check_dest_place(dest, payload)?;
    let label_path = Label::path_beside(payload);
    let label = match fs::symlink_metadata(&label_path) {
        Ok(_) => Some(Label::read_bytes(&label_path)?),
        Err(_) => None,
    };
    let sender = check_sender(payload, &label_path, label.as_ref(), trusted)?;
    custody_seal::check_before_open(payload, dest, label.as_ref().map(|(l, _)| l))?;
    home.check_key_file()?;
    let l = label.as_ref().map(|(l, _)| l);
    Ok(OpenPreview {
        payload_id: l.map(|l| l.payload_id.to_string()),
        fingerprint: l.map(Label::fingerprint),
        total_bytes: l.map(|l| l.total_bytes),
        file_count: l.map(|l| l.file_count),
        sender,
        label,
    })
}

/// Whether this process may create files in `dir`. `access(2)` asks the kernel with
/// the process's real ids, so ACLs and read-only mounts count; nothing is written.
fn writable(dir: &Path) -> bool {
    crate::sys::may_write(dir)
}
