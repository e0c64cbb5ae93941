//! Sealing a scanned tree into an age stream: tar entries, then `MANIFEST.json`, with
//! every file read exactly once and hashed as it streams.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use chrono::{DateTime, FixedOffset, Timelike};
use secrecy::SecretString;
use sha2::{Digest, Sha256};

use crate::error::SealError;
use crate::hashio::HashingWriter;
use crate::id::PayloadId;
use crate::manifest::{self, Manifest, ManifestFile};
use crate::names::MANIFEST_NAME;
use crate::scan::{EntryKind, SourceTree};
use crate::tarw::TarWriter;

/// The scrypt work factor of every payload: Go age's choice, ~1 s on a PC, and well under
/// the 22 that Go age and our reader accept.
pub const SCRYPT_WORK_FACTOR: u8 = 18;

/// Read size per file: large enough that syscalls do not dominate, small enough that
/// memory stays flat.
const READ_BUF: usize = 256 << 10;

/// What the sealer declares about a payload, beyond the files.
#[derive(Debug, Clone)]
pub struct ManifestMeta {
    /// The payload id.
    pub payload_id: PayloadId,
    /// The seal time; stored to whole seconds.
    pub created: DateTime<FixedOffset>,
    /// Declared data categories (住所, 氏名 …), one line each.
    pub categories: Vec<String>,
}

/// What sealing produced.
#[derive(Debug, Clone)]
pub struct SealOutcome {
    /// The manifest stored as the last tar entry.
    pub manifest: Manifest,
    /// SHA-256 of the exact `MANIFEST.json` bytes.
    pub manifest_root: [u8; 32],
    /// SHA-256 of the whole age file.
    pub ciphertext_sha256: [u8; 32],
    /// Length of the whole age file.
    pub ciphertext_len: u64,
    /// Number of regular files.
    pub file_count: u64,
    /// Sum of file sizes.
    pub total_bytes: u64,
}

/// Seals `tree` into `out` as an age v1 file with one scrypt recipient (work factor 18).
///
/// Streams: memory stays flat whatever the size. `progress` receives the number of file
/// bytes sealed so far. A file whose size or type changed since the scan fails with
/// [`SealError::SourceChanged`]; whatever was written to `out` is then worthless (and
/// not a valid age file, since the stream was never finished).
pub fn seal<W: Write>(
    tree: &SourceTree,
    meta: &ManifestMeta,
    passphrase: &SecretString,
    out: W,
    progress: &dyn Fn(u64),
) -> Result<SealOutcome, SealError> {
    for c in &meta.categories {
        manifest::check_category(c).map_err(|_| SealError::InvalidCategory {
            category: c.clone(),
        })?;
    }
    let created = meta.created.with_nanosecond(0).unwrap_or(meta.created);
    let out_err = |source: io::Error| SealError::Output { source };

    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(SCRYPT_WORK_FACTOR);
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| out_err(io::Error::other(e.to_string())))?;
    let stream = encryptor
        .wrap_output(HashingWriter::new(out))
        .map_err(out_err)?;
    let mtime = u64::try_from(created.timestamp()).unwrap_or(0);
    let mut tar = TarWriter::new(stream, mtime);

    let mut files = Vec::with_capacity(tree.file_count() as usize);
    let mut dirs = Vec::with_capacity(tree.dir_count() as usize);
    let mut buf = vec![0u8; READ_BUF];
    let mut done = 0u64;
    for e in tree.entries() {
        match e.kind {
            EntryKind::Dir => {
                tar.header(&e.rel, EntryKind::Dir, 0).map_err(out_err)?;
                dirs.push(e.rel.clone());
            }
            EntryKind::File => {
                let path = tree.root().join(&e.rel);
                tar.header(&e.rel, EntryKind::File, e.size).map_err(out_err)?;
                let sha256 = copy_file(&path, e.size, &mut tar, &mut buf, &mut done, progress)?;
                tar.pad(e.size).map_err(out_err)?;
                files.push(ManifestFile {
                    path: e.rel.clone(),
                    size: e.size,
                    sha256,
                });
            }
        }
    }
    let manifest = Manifest {
        v: 1,
        payload_id: meta.payload_id.clone(),
        created,
        categories: meta.categories.clone(),
        files,
        dirs,
    };
    let bytes = manifest.to_jcs();
    tar.header(MANIFEST_NAME, EntryKind::File, bytes.len() as u64)
        .map_err(out_err)?;
    tar.get_mut().write_all(&bytes).map_err(out_err)?;
    tar.pad(bytes.len() as u64).map_err(out_err)?;
    // `finish` writes the last, flagged chunk: without it the file is truncated.
    let stream = tar.finish().map_err(out_err)?;
    let mut hashing = stream.finish().map_err(out_err)?;
    hashing.flush().map_err(out_err)?;
    let (_, ciphertext_sha256, ciphertext_len) = hashing.finish();
    Ok(SealOutcome {
        manifest_root: Manifest::root_of(&bytes),
        file_count: manifest.files.len() as u64,
        total_bytes: manifest.files.iter().map(|f| f.size).sum(),
        manifest,
        ciphertext_sha256,
        ciphertext_len,
    })
}

/// Copies exactly `size` bytes of the file at `path` into the tar, hashing them.
fn copy_file<W: Write>(
    path: &Path,
    size: u64,
    tar: &mut TarWriter<W>,
    buf: &mut [u8],
    done: &mut u64,
    progress: &dyn Fn(u64),
) -> Result<[u8; 32], SealError> {
    let changed = || SealError::SourceChanged {
        path: path.to_path_buf(),
    };
    // O_NOFOLLOW: a file swapped for a symlink since the scan must not be followed.
    let mut f = File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                changed()
            } else {
                SealError::Io {
                    path: path.to_path_buf(),
                    source: e,
                }
            }
        })?;
    let meta = f.metadata().map_err(SealError::io(path))?;
    if !meta.is_file() || meta.len() != size {
        return Err(changed());
    }
    let mut hasher = Sha256::new();
    let mut left = size;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = match f.read(&mut buf[..want]) {
            Ok(0) => return Err(changed()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(SealError::io(path)(e)),
        };
        hasher.update(&buf[..n]);
        tar.get_mut()
            .write_all(&buf[..n])
            .map_err(|source| SealError::Output { source })?;
        left -= n as u64;
        *done += n as u64;
        progress(*done);
    }
    // A file that grew would be sealed truncated without anyone noticing.
    let mut one = [0u8; 1];
    if f.read(&mut one).map_err(SealError::io(path))? != 0 {
        return Err(changed());
    }
    Ok(hasher.finalize().into())
}
