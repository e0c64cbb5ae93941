//! Writes a notice file so that it is either complete or absent.

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
    let body = render(notice, pass, format, &Localizer::new(lang));
    // Owner-only (0600 on Unix): the notice carries the passphrase. Durable before it
    // becomes visible: a crash must not leave an empty notice where the ledger says
    // one was issued.
    custody_fsio::write_new(path, body.as_bytes(), 0o600).map_err(|e| match e {
        custody_fsio::FsioError::Exists { .. } => NoticeError::AlreadyExists { path: path.to_path_buf() },
        e => NoticeError::Io { path: e.path().unwrap_or(path).to_path_buf(), source: e.into() },
    })
}
