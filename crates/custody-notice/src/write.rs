//! Writes a notice file so that it is either complete or absent.

use std::io::{ErrorKind, Write};
use std::path::Path;

use custody_l10n::{Lang, Localizer};

use crate::error::NoticeError;
use crate::notice::{Notice, NoticeFormat};
use crate::passphrase::Passphrase;
use crate::render::render;

/// Writes the notice to `path` as HTML (`.html`, `.htm`) or text (`.txt`), in `lang`.
///
/// The file is written to a temporary file in the same directory, readable by its
/// owner only (0600 on Unix), synced, and then moved into place; on any failure no
/// file is left at `path` and the temporary file is removed. An existing file is
/// never replaced ([`NoticeError::AlreadyExists`]): it may be the only copy of
/// another payload's passphrase.
pub fn write_notice(path: &Path, notice: &Notice, pass: &Passphrase, lang: Lang) -> Result<(), NoticeError> {
    let format =
        NoticeFormat::from_path(path).ok_or_else(|| NoticeError::UnsupportedExtension { path: path.to_path_buf() })?;
    notice.validate()?;
    if path.symlink_metadata().is_ok() {
        return Err(NoticeError::AlreadyExists { path: path.to_path_buf() });
    }
    let io = |source| NoticeError::Io { path: path.to_path_buf(), source };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let body = render(notice, pass, format, &Localizer::new(lang));

    // tempfile creates the file with O_EXCL and mode 0600 on Unix, and deletes it when
    // dropped, which is what cleans up after every early return below.
    let mut tmp = tempfile::Builder::new().prefix(".custody-notice-").suffix(".tmp").tempfile_in(dir).map_err(io)?;
    tmp.write_all(body.as_bytes()).map_err(io)?;
    // Durable before it becomes visible: a crash must not leave an empty notice where
    // the ledger says one was issued.
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist_noclobber(path).map_err(|e| match e.error.kind() {
        ErrorKind::AlreadyExists => NoticeError::AlreadyExists { path: path.to_path_buf() },
        _ => io(e.error),
    })?;
    sync_dir(dir).map_err(|source| NoticeError::Io { path: dir.to_path_buf(), source })
}

/// Makes the new directory entry durable (the rename itself lives in the directory).
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    // Windows cannot open a directory as a file; NTFS journals the rename.
    Ok(())
}
