//! A writer that hashes and counts what passes through: the ciphertext is hashed on its
//! way to the media, so it is never read a second time. The hashing runs on its own
//! thread, so SHA-256 of the ciphertext overlaps with encryption on a second core.
//! Dropped without `finish`, the channel closes and the thread ends on its own.

use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

/// Chunks in flight to the hashing thread: age writes 64 KiB chunks, so this bounds the
/// copy to 1 MiB.
const IN_FLIGHT: usize = 16;

pub(crate) struct HashingWriter<W> {
    inner: W,
    tx: Option<SyncSender<Vec<u8>>>,
    worker: Option<JoinHandle<Sha256>>,
    len: u64,
}

impl<W: Write> HashingWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        let (tx, rx) = sync_channel::<Vec<u8>>(IN_FLIGHT);
        let worker = std::thread::spawn(move || {
            let mut h = Sha256::new();
            for chunk in rx {
                h.update(&chunk);
            }
            h
        });
        HashingWriter { inner, tx: Some(tx), worker: Some(worker), len: 0 }
    }

    /// The wrapped writer, the SHA-256 and the length of everything written.
    pub(crate) fn finish(mut self) -> io::Result<(W, [u8; 32], u64)> {
        drop(self.tx.take());
        let h = self
            .worker
            .take()
            .ok_or_else(|| io::Error::other("hasher already finished"))?
            .join()
            .map_err(|_| io::Error::other("hashing thread panicked"))?;
        let Self { inner, len, .. } = self;
        Ok((inner, h.finalize().into(), len))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        let tx = self.tx.as_ref().ok_or_else(|| io::Error::other("hasher already finished"))?;
        tx.send(buf[..n].to_vec()).map_err(|_| io::Error::other("hashing thread stopped"))?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_everything_written() {
        let mut w = HashingWriter::new(Vec::new());
        for _ in 0..100 {
            w.write_all(&[0x61; 1000]).unwrap();
        }
        let (out, h, len) = w.finish().unwrap();
        assert_eq!(len, 100_000);
        assert_eq!(out.len(), 100_000);
        assert_eq!(h, <[u8; 32]>::from(Sha256::digest(vec![0x61; 100_000])));
    }
}
