//! Sealing a scanned tree into an age stream: tar entries, then `MANIFEST.json`, with
//! every file read exactly once and hashed as it streams.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use chrono::{DateTime, FixedOffset, Timelike};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::SealError;
use crate::id::PayloadId;
use crate::manifest::{self, Manifest, ManifestFile};
use crate::names::MANIFEST_NAME;
use crate::scan::{EntryKind, SourceTree};
use crate::tarw::TarWriter;
use crate::{agew, ctout};

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
pub fn seal<W: Write + Send>(
    tree: &SourceTree,
    meta: &ManifestMeta,
    passphrase: &SecretString,
    out: W,
    progress: &dyn Fn(u64),
) -> Result<SealOutcome, SealError> {
    check_categories(meta)?;
    let out_err = |source: io::Error| SealError::Output { source };
    let keys = agew::FileKeys::generate().map_err(out_err)?;
    let key = keys.payload_key().map_err(out_err)?;
    let prefix = keys.prefix(passphrase, SCRYPT_WORK_FACTOR).map_err(out_err)?;
    let (outcome, _) = run(tree, meta, key, progress, move |rx, pool| ctout::drain(out, prefix, rx, pool))?;
    Ok(outcome)
}

/// [`seal`] into a fresh, empty file opened for reading and writing, with the scrypt
/// derivation of the header running beside the encryption rather than before it (see
/// `ctout::drain_file`). Returns the file, not yet synced.
pub(crate) fn seal_file(
    tree: &SourceTree,
    meta: &ManifestMeta,
    passphrase: &SecretString,
    file: File,
    progress: &dyn Fn(u64),
) -> Result<(SealOutcome, File), SealError> {
    check_categories(meta)?;
    let out_err = |source: io::Error| SealError::Output { source };
    let keys = agew::FileKeys::generate().map_err(out_err)?;
    let key = keys.payload_key().map_err(out_err)?;
    let prefix_len = agew::prefix_len(SCRYPT_WORK_FACTOR) as u64;
    run(tree, meta, key, progress, move |rx, pool| {
        std::thread::scope(|scope| {
            let (prefix_tx, prefix_rx) = sync_channel(1);
            scope.spawn(move || {
                let _ = prefix_tx.send(keys.prefix(passphrase, SCRYPT_WORK_FACTOR));
            });
            ctout::drain_file(file, prefix_len, prefix_rx, rx, pool)
        })
    })
}

/// Checked before the slow key derivation, so a bad category fails at once.
pub(crate) fn check_categories(meta: &ManifestMeta) -> Result<(), SealError> {
    for c in &meta.categories {
        manifest::check_category(c).map_err(|_| SealError::InvalidCategory { category: c.clone() })?;
    }
    Ok(())
}

/// The sealing pipeline: three stages on their own threads, reading and hashing the
/// source; tar framing and encryption (the calling thread); and `drain`, which hashes
/// and writes the ciphertext. On two cores they overlap well enough that the slowest
/// stage, not their sum, sets the pace.
fn run<T: Send>(
    tree: &SourceTree,
    meta: &ManifestMeta,
    key: agew::PayloadKey,
    progress: &dyn Fn(u64),
    drain: impl FnOnce(Receiver<Vec<u8>>, SyncSender<Vec<u8>>) -> io::Result<(T, [u8; 32], u64)> + Send,
) -> Result<(SealOutcome, T), SealError> {
    let created = meta.created.with_nanosecond(0).unwrap_or(meta.created);
    let out_err = |source: io::Error| SealError::Output { source };
    let mtime = u64::try_from(created.timestamp()).unwrap_or(0);

    let (manifest, bytes, (out, ciphertext_sha256, ciphertext_len)) = std::thread::scope(|scope| {
        let (ct_tx, ct_rx) = sync_channel::<Vec<u8>>(ctout::IN_FLIGHT);
        let (ct_pool_tx, ct_pool_rx) = sync_channel::<Vec<u8>>(ctout::IN_FLIGHT + 2);
        let writer = scope.spawn(move || drain(ct_rx, ct_pool_tx));
        let (data_tx, data_rx) = sync_channel::<Block>(IN_FLIGHT);
        let (pool_tx, pool_rx) = sync_channel::<Zeroizing<Vec<u8>>>(IN_FLIGHT + 2);
        let reader = scope.spawn(move || read_files(tree, data_tx, pool_rx));

        let sealed = (|| {
            let mut tar = TarWriter::new(agew::Sealer::new(key, ct_tx, ct_pool_rx), mtime);
            let (files, dirs) = write_entries(tree, &mut tar, data_rx, pool_tx, progress)?;
            let manifest = Manifest {
                v: 1,
                payload_id: meta.payload_id.clone(),
                created,
                categories: meta.categories.clone(),
                files,
                dirs,
            };
            let bytes = manifest.to_jcs();
            tar.header(MANIFEST_NAME, EntryKind::File, bytes.len() as u64).map_err(out_err)?;
            tar.get_mut().write_all(&bytes).map_err(out_err)?;
            tar.pad(bytes.len() as u64).map_err(out_err)?;
            // `finish` seals the last, flagged chunk: without it the file is truncated.
            tar.finish().map_err(out_err)?.finish().map_err(out_err)?;
            Ok::<_, SealError>((manifest, bytes))
        })();
        // Whichever stage failed first is the cause; the others only saw a closed
        // channel. The writer fails only on its own account (the media), while the
        // reader may still meet a changed file after the writer stopped; so the
        // writer's error comes first, then the reader's, then ours.
        let read = reader.join();
        let written = writer.join();
        match (read, written, sealed) {
            (Err(_), _, _) | (_, Err(_), _) => Err(out_err(io::Error::other("a sealing thread panicked"))),
            (_, Ok(Err(e)), _) => Err(out_err(e)),
            (Ok(Err(e)), Ok(Ok(_)), _) => Err(e),
            (Ok(Ok(())), Ok(Ok(_)), Err(e)) => Err(e),
            (Ok(Ok(())), Ok(Ok(w)), Ok((manifest, bytes))) => Ok((manifest, bytes, w)),
        }
    })?;
    let outcome = SealOutcome {
        manifest_root: Manifest::root_of(&bytes),
        file_count: manifest.files.len() as u64,
        total_bytes: manifest.files.iter().map(|f| f.size).sum(),
        manifest,
        ciphertext_sha256,
        ciphertext_len,
    };
    Ok((outcome, out))
}

/// What the reading thread hands to the writer: file data, then the file's digest.
enum Block {
    /// Plaintext: wiped when the buffer is finally dropped.
    Data(Zeroizing<Vec<u8>>),
    End([u8; 32]),
}

/// Blocks in flight between reader and writer: 8 × 256 KiB = 2 MiB.
const IN_FLIGHT: usize = 8;

/// Writes the tar entries in order, taking file data from the reading thread.
fn write_entries<W: Write>(
    tree: &SourceTree,
    tar: &mut TarWriter<W>,
    data: Receiver<Block>,
    pool: SyncSender<Zeroizing<Vec<u8>>>,
    progress: &dyn Fn(u64),
) -> Result<(Vec<ManifestFile>, Vec<String>), SealError> {
    let out_err = |source: io::Error| SealError::Output { source };
    // The reader stopped early; its join result carries the reason.
    let reader_gone = || SealError::Output { source: io::Error::other("source reader stopped") };
    let mut files = Vec::with_capacity(tree.file_count() as usize);
    let mut dirs = Vec::with_capacity(tree.dir_count() as usize);
    let mut done = 0u64;
    for e in tree.entries() {
        match e.kind {
            EntryKind::Dir => {
                tar.header(&e.rel, EntryKind::Dir, 0).map_err(out_err)?;
                dirs.push(e.rel.clone());
            }
            EntryKind::File => {
                tar.header(&e.rel, EntryKind::File, e.size).map_err(out_err)?;
                let sha256 = loop {
                    match data.recv().map_err(|_| reader_gone())? {
                        Block::Data(buf) => {
                            tar.get_mut().write_all(&buf).map_err(out_err)?;
                            done += buf.len() as u64;
                            progress(done);
                            // A full pool only means the reader allocates less.
                            let _ = pool.try_send(buf);
                        }
                        Block::End(sha) => break sha,
                    }
                };
                tar.pad(e.size).map_err(out_err)?;
                files.push(ManifestFile { path: e.rel.clone(), size: e.size, sha256 });
            }
        }
    }
    Ok((files, dirs))
}

/// Reads every file of the tree in order, hashing it, and sends the blocks.
fn read_files(tree: &SourceTree, data: SyncSender<Block>, pool: Receiver<Zeroizing<Vec<u8>>>) -> Result<(), SealError> {
    for e in tree.entries().iter().filter(|e| e.kind == EntryKind::File) {
        let path = tree.root().join(&e.rel);
        let Some(sha) = copy_file(&path, e.size, &data, &pool)? else {
            // The writer hung up: it reports its own error.
            return Ok(());
        };
        if data.send(Block::End(sha)).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// Reads exactly `size` bytes of the file at `path` into blocks, hashing them. `None`
/// when the writer went away.
fn copy_file(
    path: &Path,
    size: u64,
    data: &SyncSender<Block>,
    pool: &Receiver<Zeroizing<Vec<u8>>>,
) -> Result<Option<[u8; 32]>, SealError> {
    let changed = || SealError::SourceChanged { path: path.to_path_buf() };
    // O_NOFOLLOW: a file swapped for a symlink since the scan must not be followed.
    // O_NONBLOCK: a file swapped for a FIFO must not block the open; the fstat below
    // then finds it is not a regular file. (Regular files ignore the flag.)
    let mut f = crate::sys::open_read_nofollow(path).map_err(|e| {
        if crate::sys::is_symlink_refused(&e) || crate::sys::is_device_refused(&e) {
            changed()
        } else {
            SealError::Io { path: path.to_path_buf(), source: e }
        }
    })?;
    let meta = f.metadata().map_err(SealError::io(path))?;
    if !meta.is_file() || meta.len() != size {
        return Err(changed());
    }
    let mut hasher = Sha256::new();
    let mut left = size;
    while left > 0 {
        let mut buf = pool.try_recv().unwrap_or_default();
        let want = READ_BUF.min(usize::try_from(left).unwrap_or(usize::MAX));
        buf.resize(want, 0);
        let mut got = 0;
        while got < want {
            match f.read(&mut buf[got..]) {
                Ok(0) => return Err(changed()),
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(SealError::io(path)(e)),
            }
        }
        hasher.update(&buf);
        left -= want as u64;
        if data.send(Block::Data(buf)).is_err() {
            return Ok(None);
        }
    }
    // A file that grew would be sealed truncated without anyone noticing.
    let mut one = [0u8; 1];
    if f.read(&mut one).map_err(SealError::io(path))? != 0 {
        return Err(changed());
    }
    Ok(Some(hasher.finalize().into()))
}
