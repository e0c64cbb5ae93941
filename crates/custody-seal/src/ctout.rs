//! The ciphertext's way out: a thread that hashes and writes the sealed batches, so
//! SHA-256 of the ciphertext (for the label) overlaps with encryption on another core.
//!
//! Onto media, [`drain_file`] also lets the scrypt derivation of the header run beside
//! the encryption instead of before it: the header has a fixed length, so the body is
//! written at its final offset at once, and when the header arrives it is written in
//! front and the hash catches up by reading back what was already written.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::sync::mpsc::{Receiver, SyncSender};

use sha2::{Digest, Sha256};

use crate::sys;

/// Batches of ciphertext in flight between the sealer and the writing thread: 4 MiB.
pub(crate) const IN_FLIGHT: usize = 4;
/// Bytes written before the kernel is asked to start writing them to the device.
const WRITEBACK_WINDOW: u64 = 32 << 20;

/// Writes `prefix` then every batch in order, hashing all of it, and hands buffers back
/// for reuse. Returns the writer, the SHA-256 and the length of everything written.
pub(crate) fn drain<W: Write>(
    mut out: W,
    prefix: Vec<u8>,
    rx: Receiver<Vec<u8>>,
    pool: SyncSender<Vec<u8>>,
) -> io::Result<(W, [u8; 32], u64)> {
    let mut h = Sha256::new();
    h.update(&prefix);
    out.write_all(&prefix)?;
    let mut len = prefix.len() as u64;
    for batch in rx {
        h.update(&batch);
        out.write_all(&batch)?;
        len += batch.len() as u64;
        // A full pool only means the sealer allocates.
        let _ = pool.try_send(batch);
    }
    out.flush()?;
    Ok((out, h.finalize().into(), len))
}

/// Like [`drain`] into a fresh, empty `file`, with the prefix arriving on `prefix_rx`
/// whenever it is ready; it must be `prefix_len` bytes long. Starts writeback as it goes,
/// so the caller's fsync waits for the tail only.
pub(crate) fn drain_file(
    file: File,
    prefix_len: u64,
    prefix_rx: Receiver<io::Result<Vec<u8>>>,
    rx: Receiver<Vec<u8>>,
    pool: SyncSender<Vec<u8>>,
) -> io::Result<(File, [u8; 32], u64)> {
    let mut pos = prefix_len;
    let mut started = prefix_len;
    let mut hasher: Option<Sha256> = None;
    for batch in rx {
        if hasher.is_none() {
            if let Ok(prefix) = prefix_rx.try_recv() {
                hasher = Some(catch_up(&file, prefix?, prefix_len, pos)?);
            }
        }
        file.write_all_at(&batch, pos)?;
        if let Some(h) = &mut hasher {
            h.update(&batch);
        }
        pos += batch.len() as u64;
        if pos - started >= WRITEBACK_WINDOW {
            // Only a hint: a filesystem without it loses the overlap, not durability.
            let _ = sys::start_writeback(&file, started, pos - started);
            started = pos;
        }
        let _ = pool.try_send(batch);
    }
    let h = match hasher {
        Some(h) => h,
        None => {
            let prefix = prefix_rx.recv().map_err(|_| io::Error::other("the header was never derived"))??;
            catch_up(&file, prefix, prefix_len, pos)?
        }
    };
    Ok((file, h.finalize().into(), pos))
}

/// Writes the prefix at offset 0 and hashes it, then the body already written up to
/// `upto`, read back from the file (the page cache, as a rule).
fn catch_up(file: &File, prefix: Vec<u8>, prefix_len: u64, upto: u64) -> io::Result<Sha256> {
    if prefix.len() as u64 != prefix_len {
        return Err(io::Error::other("the age header has an unexpected length"));
    }
    file.write_all_at(&prefix, 0)?;
    let mut h = Sha256::new();
    h.update(&prefix);
    let mut buf = vec![0u8; 1 << 20];
    let mut at = prefix_len;
    while at < upto {
        let n = usize::try_from(upto - at).unwrap_or(usize::MAX).min(buf.len());
        file.read_exact_at(&mut buf[..n], at)?;
        h.update(&buf[..n]);
        at += n as u64;
    }
    Ok(h)
}
