//! Writing a payload and its label onto media: preflight checks, temporary names,
//! fsync, rename, and cleanup of everything written when anything fails.

use std::fs;
use std::path::{Path, PathBuf};

use custody_fsio::{FsioError, NewFile};
use secrecy::SecretString;

use crate::error::SealError;
use crate::label::{self, Label, LabelInfo};
use crate::scan::{EntryKind, SourceTree};
use crate::seal::{seal_file, ManifestMeta, SealOutcome};
use crate::sys;
use crate::tarw;

/// FAT32 stores a file size in 32 bits.
const FAT_MAX_FILE: u64 = (1 << 32) - 1;
/// age: one 16-byte tag per 64 KiB chunk; the header of a payload is 166 bytes
/// (docs/payload.md).
const AGE_CHUNK: u64 = 64 << 10;
const AGE_HEADER_BOUND: u64 = 512;

/// What [`seal_to_media`] wrote.
#[derive(Debug, Clone)]
pub struct Sealed {
    /// `<media>/<id>.age`.
    pub payload_path: PathBuf,
    /// `<media>/<id>.label.json`.
    pub label_path: PathBuf,
    /// The label as written.
    pub label: Label,
    /// The seal's results.
    pub outcome: SealOutcome,
}

/// Seals `tree` onto `media_dir` as `<id>.age` with `<id>.label.json` beside it.
///
/// Before writing anything: the source and media must not overlap, the media must have
/// room for the estimated payload, and FAT media must not be asked for a file of 4 GiB or
/// more. The payload is written under a temporary name, hashed as it goes, fsynced; then
/// the label is written the same way and renamed; then the payload is renamed. Neither
/// rename replaces a file that took the name meanwhile. On any
/// failure every file written is removed.
pub fn seal_to_media(
    tree: &SourceTree,
    meta: &ManifestMeta,
    info: &LabelInfo,
    passphrase: &SecretString,
    media_dir: &Path,
    progress: &dyn Fn(u64),
) -> Result<Sealed, SealError> {
    label::check_info(info)?;
    preflight(tree, meta, media_dir)?;
    let id = meta.payload_id.as_str();
    let payload_path = media_dir.join(format!("{id}.age"));
    let label_path = Label::path_beside(&payload_path);
    for p in [&payload_path, &label_path] {
        if fs::symlink_metadata(p).is_ok() {
            return Err(SealError::AlreadyExists { path: p.clone() });
        }
    }

    let mut cleanup = Cleanup::default();
    let result = (|| {
        // 0o666: the umask decides, as for any file a person copies to a stick. Open for
        // reading too: the payload's hash catches up by reading back (ctout::drain_file).
        let mut payload = NewFile::create(&payload_path, 0o666).map_err(fsio_error)?;
        let file = payload.file().try_clone().map_err(SealError::io(payload.temp_path()))?;
        let (outcome, file) = seal_file(tree, meta, passphrase, file, progress)?;
        drop(file);

        let label = Label::from_outcome(&outcome, info);
        let written = custody_fsio::write_new(&label_path, &label.to_bytes(), 0o666);
        // A failed directory sync comes after the rename: the label is there to remove.
        if matches!(written, Ok(()) | Err(FsioError::SyncDir { .. })) {
            cleanup.0.push(label_path.clone());
        }
        written.map_err(fsio_error)?;
        // The payload gets its name last: a payload without its label is never visible.
        match payload.persist() {
            Ok(()) => {}
            Err(e @ FsioError::SyncDir { .. }) => {
                cleanup.0.push(payload_path.clone());
                return Err(fsio_error(e));
            }
            Err(e) => return Err(fsio_error(e)),
        }
        Ok(Sealed { payload_path: payload_path.clone(), label_path: label_path.clone(), label, outcome })
    })();
    if result.is_ok() {
        cleanup.0.clear();
    }
    result
}

/// Removes, on drop, every path still listed: what a failed seal wrote.
#[derive(Default)]
struct Cleanup(Vec<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for p in self.0.drain(..) {
            // Best effort: the error being returned already says what went wrong.
            let _ = fs::remove_file(&p);
        }
    }
}

/// A name taken meanwhile is the same refusal as one taken before the seal began.
fn fsio_error(e: FsioError) -> SealError {
    match e {
        FsioError::Exists { path } => SealError::AlreadyExists { path },
        e => SealError::Io { path: e.path().map(Path::to_path_buf).unwrap_or_default(), source: e.into() },
    }
}

/// Upper bound of the age file's size for `tree`: file data, tar headers and padding,
/// the manifest, age's per-chunk tags and header.
pub fn estimate_payload_size(tree: &SourceTree, meta: &ManifestMeta) -> u64 {
    let mut tar = 1024u64; // end-of-archive blocks
    let mut manifest = 256 + meta.categories.iter().map(|c| c.len() as u64 + 3).sum::<u64>();
    for e in tree.entries() {
        tar += e.size + tarw::entry_overhead(e.rel.len(), e.kind, e.size);
        // {"path":"…","sha256":"<64>","size":<≤16 digits>}, or "…", per entry
        manifest += e.rel.len() as u64
            + match e.kind {
                EntryKind::File => 110,
                EntryKind::Dir => 3,
            };
    }
    tar += manifest + tarw::entry_overhead(13, EntryKind::File, manifest);
    let chunks = tar.div_ceil(AGE_CHUNK).max(1);
    tar + chunks * 16 + AGE_HEADER_BOUND
}

/// What [`seal_to_media`] checks before it writes a byte (label fields, categories,
/// overlap, room, FAT limit), for a caller that must fail before it asks for a secret.
pub fn check_before_seal(
    tree: &SourceTree,
    meta: &ManifestMeta,
    info: &LabelInfo,
    media_dir: &Path,
) -> Result<(), SealError> {
    label::check_info(info)?;
    crate::seal::check_categories(meta)?;
    preflight(tree, meta, media_dir)
}

fn preflight(tree: &SourceTree, meta: &ManifestMeta, media_dir: &Path) -> Result<(), SealError> {
    let src = fs::canonicalize(tree.root()).map_err(SealError::io(tree.root()))?;
    let media = fs::canonicalize(media_dir).map_err(SealError::io(media_dir))?;
    if src.starts_with(&media) || media.starts_with(&src) {
        return Err(SealError::SourceInsideMedia { src, media });
    }
    let needed = estimate_payload_size(tree, meta);
    let (available, magic) = sys::space_and_type(&media).map_err(SealError::io(&media))?;
    let fat = if magic == sys::MSDOS_SUPER_MAGIC { Some("vfat".to_owned()) } else { fat_by_mountinfo(&media) };
    if let Some(fs_type) = fat {
        if needed > FAT_MAX_FILE {
            return Err(SealError::TooLargeForFat { needed, fs_type });
        }
    }
    // The label needs a few hundred bytes more; one 4 KiB block covers it.
    let needed_total = needed + 4096;
    if needed_total > available {
        return Err(SealError::NoRoom { needed: needed_total, available });
    }
    Ok(())
}

/// FUSE mounts (fusefat, or `fuseblk` as exfat/ntfs-3g show) report FUSE's magic to
/// statfs, so the mount table is the only place their type shows. `fuseblk` may be
/// NTFS, which has no 4 GiB limit; we still refuse, because failing after an hour of
/// writing is worse than asking the person to use another stick.
fn fat_by_mountinfo(path: &Path) -> Option<String> {
    let table = fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut best: Option<(usize, String)> = None;
    for line in table.lines() {
        // id parent major:minor root mountpoint options [optional…] - fstype source super
        let fields: Vec<&str> = line.split(' ').collect();
        let Some(dash) = fields.iter().position(|f| *f == "-") else {
            continue;
        };
        let (Some(mnt), Some(fstype)) = (fields.get(4), fields.get(dash + 1)) else {
            continue;
        };
        let mnt = unescape_mount(mnt);
        if path.starts_with(&mnt) && best.as_ref().is_none_or(|(len, _)| mnt.len() >= *len) {
            best = Some((mnt.len(), (*fstype).to_owned()));
        }
    }
    let fstype = best?.1;
    let fat = matches!(fstype.as_str(), "vfat" | "msdos" | "fat" | "fuseblk")
        || fstype.starts_with("fuse.fusefat")
        || fstype.contains("fat");
    fat.then_some(fstype)
}

/// mountinfo escapes space, tab, newline and backslash as octal `\ooo`.
fn unescape_mount(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_mountinfo() {
        assert_eq!(unescape_mount("/media/USB\\040STICK"), "/media/USB STICK");
        assert_eq!(unescape_mount("/a\\"), "/a\\");
    }
}
