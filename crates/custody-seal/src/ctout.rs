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
    let mut writeback = sys::WritebackWindow::starting_at(prefix_len);
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
        writeback.advance(&file, pos);
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

#[cfg(test)]
mod tests {
    use std::sync::mpsc::sync_channel;

    use super::*;

    /// Feeds `batches` to `drain_file`, sending the prefix after `prefix_after` of them
    /// (or never, leaving it to arrive once the batches are done).
    fn run(prefix: io::Result<Vec<u8>>, prefix_len: u64, prefix_after: usize) -> (io::Result<[u8; 32]>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p");
        let file = File::options().read(true).write(true).create_new(true).open(&path).unwrap();
        let batches: Vec<Vec<u8>> = (0..5u8).map(|i| vec![i; 300_000 + usize::from(i)]).collect();
        let (ptx, prx) = sync_channel(1);
        let (tx, rx) = sync_channel(IN_FLIGHT);
        let (pool_tx, _pool_rx) = sync_channel(IN_FLIGHT + 2);
        let result = std::thread::scope(|s| {
            let t = s.spawn(move || drain_file(file, prefix_len, prx, rx, pool_tx));
            let mut prefix = Some(prefix);
            for (i, b) in batches.iter().enumerate() {
                if i == prefix_after {
                    let _ = ptx.send(prefix.take().unwrap());
                    // Let the drain see it before the next batch, as a slow scrypt would.
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                // A drain that failed has hung up.
                let _ = tx.send(b.clone());
            }
            drop(tx);
            if let Some(p) = prefix {
                let _ = ptx.send(p);
            }
            t.join().unwrap()
        });
        let on_disk = std::fs::read(&path).unwrap();
        (
            result.map(|(_, h, len)| {
                assert_eq!(len, on_disk.len() as u64);
                h
            }),
            on_disk,
        )
    }

    #[test]
    fn the_hash_covers_the_file_wherever_the_header_arrives() {
        let prefix = b"age-encryption.org/v1\nheader".to_vec();
        for after in [0, 1, 3, 5, usize::MAX] {
            let (h, on_disk) = run(Ok(prefix.clone()), prefix.len() as u64, after);
            assert!(on_disk.starts_with(&prefix));
            assert_eq!(h.unwrap(), <[u8; 32]>::from(Sha256::digest(&on_disk)), "prefix after {after} batches");
        }
    }

    #[test]
    fn a_failed_or_misfit_header_fails_the_drain() {
        let (h, _) = run(Err(io::Error::other("scrypt failed")), 10, 2);
        assert!(h.is_err());
        let (h, _) = run(Ok(vec![1; 9]), 10, usize::MAX);
        assert_eq!(h.unwrap_err().to_string(), "the age header has an unexpected length");
    }
}
