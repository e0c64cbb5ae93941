//! Walking the source folder: what will be sealed, and everything that cannot be.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Offender, OffenderReason, SealError};
use crate::manifest::MAX_JSON_INT;
use crate::names;

/// Whether an entry is a regular file or a directory: the only kinds a payload holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
}

/// One file or directory found by [`scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    /// Relative path, UTF-8, `/` separators, no trailing slash.
    pub rel: String,
    /// File or directory.
    pub kind: EntryKind,
    /// Size in bytes at scan time (0 for directories).
    pub size: u64,
}

/// What [`scan`] found: the root and its entries sorted by path bytes (the payload order).
#[derive(Debug, Clone)]
pub struct SourceTree {
    root: PathBuf,
    entries: Vec<SourceEntry>,
}

impl SourceTree {
    /// The scanned folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every file and directory under the root, sorted by path bytes.
    pub fn entries(&self) -> &[SourceEntry] {
        &self.entries
    }

    /// Number of regular files.
    pub fn file_count(&self) -> u64 {
        self.count(EntryKind::File)
    }

    /// Number of directories (the root itself not counted).
    pub fn dir_count(&self) -> u64 {
        self.count(EntryKind::Dir)
    }

    /// Sum of file sizes.
    pub fn total_bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }

    fn count(&self, kind: EntryKind) -> u64 {
        self.entries.iter().filter(|e| e.kind == kind).count() as u64
    }
}

/// Walks `src` without following symlinks and returns what a payload would hold.
///
/// Every entry that cannot be sealed is collected first, so one run tells the person
/// everything to fix: [`SealError::Refused`] lists them sorted by path.
pub fn scan(src: &Path) -> Result<SourceTree, SealError> {
    let meta = fs::symlink_metadata(src).map_err(SealError::io(src))?;
    if !meta.is_dir() {
        return Err(SealError::SourceNotADirectory { path: src.to_path_buf() });
    }
    let mut entries = Vec::new();
    let mut offenders = Vec::new();
    // An explicit stack rather than recursion: a hostile or generated tree thousands of
    // levels deep must not overflow the thread's stack.
    let mut stack: Vec<(PathBuf, String)> = vec![(src.to_path_buf(), String::new())];
    while let Some((dir, rel_dir)) = stack.pop() {
        let offend = |offenders: &mut Vec<Offender>, path: &Path, reason| {
            offenders.push(Offender { path: path.to_path_buf(), reason })
        };
        let rd = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(_) => {
                offend(&mut offenders, &dir, OffenderReason::Unreadable);
                continue;
            }
        };
        for item in rd {
            let item = match item {
                Ok(i) => i,
                Err(_) => {
                    offend(&mut offenders, &dir, OffenderReason::Unreadable);
                    break;
                }
            };
            let path = item.path();
            let Some(name) = item.file_name().to_str().map(str::to_owned) else {
                offend(&mut offenders, &path, OffenderReason::NotUtf8Name);
                continue;
            };
            let rel = if rel_dir.is_empty() { name.clone() } else { format!("{rel_dir}/{name}") };
            if let Err(p) = names::check_rel_path(&rel) {
                offend(&mut offenders, &path, OffenderReason::ForbiddenName(p));
            } else if rel_dir.is_empty() && names::is_manifest_name(&name) {
                offend(&mut offenders, &path, OffenderReason::ReservedName);
            }
            let ft = match fs::symlink_metadata(&path) {
                Ok(m) => m,
                Err(_) => {
                    offend(&mut offenders, &path, OffenderReason::Unreadable);
                    continue;
                }
            };
            if ft.file_type().is_symlink() {
                offend(&mut offenders, &path, OffenderReason::Symlink);
            } else if ft.is_dir() {
                entries.push(SourceEntry { rel: rel.clone(), kind: EntryKind::Dir, size: 0 });
                stack.push((path, rel));
            } else if ft.is_file() {
                // Opening now rather than mid-seal: an unreadable file found after an
                // hour of encryption wastes the hour.
                // Sizes past 2⁵³ (9 PB) cannot be written exactly in the JCS manifest.
                if fs::File::open(&path).is_err() || ft.len() > MAX_JSON_INT {
                    offend(&mut offenders, &path, OffenderReason::Unreadable);
                } else {
                    entries.push(SourceEntry { rel, kind: EntryKind::File, size: ft.len() });
                }
            } else {
                offend(&mut offenders, &path, OffenderReason::SpecialFile);
            }
        }
    }
    entries.sort_by(|a, b| a.rel.as_bytes().cmp(b.rel.as_bytes()));
    let mut folded = HashSet::with_capacity(entries.len());
    for e in &entries {
        if !folded.insert(names::fold_key(&e.rel)) {
            offenders.push(Offender { path: src.join(&e.rel), reason: OffenderReason::CaseFoldDuplicate });
        }
    }
    if !offenders.is_empty() {
        offenders.sort_by(|a, b| a.path.cmp(&b.path));
        return Err(SealError::Refused { offenders });
    }
    Ok(SourceTree { root: src.to_path_buf(), entries })
}
