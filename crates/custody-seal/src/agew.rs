//! The age v1 writer for payloads (C2SP age, one scrypt stanza), spelled out in
//! docs/payload.md.
//!
//! Written here rather than through the `age` crate's `Encryptor` for speed: ring's
//! ChaCha20-Poly1305 runs about 1.7× faster than the RustCrypto one on AVX2 machines,
//! and owning the stream lets the ciphertext leave in 1 MiB batches for a second thread
//! that hashes and writes it. Reading stays with the `age` crate (see `open.rs`), and
//! tests decrypt what this writes with the `age` crate and with stock `age -d`.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender};

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
use ring::{hkdf, hmac};
use secrecy::{ExposeSecret, SecretString};
use zeroize::{Zeroize, Zeroizing};

/// Plaintext bytes per STREAM chunk, fixed by the spec.
const CHUNK: usize = 64 << 10;
const TAG: usize = 16;
/// Chunks per batch handed to the writing thread: 1 MiB of ciphertext.
const BATCH_CHUNKS: usize = 16;
const BATCH: usize = BATCH_CHUNKS * (CHUNK + TAG);

const VERSION_LINE: &[u8] = b"age-encryption.org/v1\n";
const SCRYPT_LABEL: &[u8] = b"age-encryption.org/v1/scrypt";

/// The key that seals the payload's chunks.
pub(crate) struct PayloadKey(LessSafeKey);

/// The random values of one payload: file key, scrypt salt, payload nonce. The payload
/// key follows from them at once; the header needs the slow scrypt, so it can be built
/// on another thread while the payload is already being encrypted.
pub(crate) struct FileKeys {
    file_key: Zeroizing<[u8; 16]>,
    salt: [u8; 16],
    nonce: [u8; 16],
}

impl FileKeys {
    pub(crate) fn generate() -> io::Result<Self> {
        let mut k = FileKeys { file_key: Zeroizing::new([0u8; 16]), salt: [0; 16], nonce: [0; 16] };
        for b in [&mut k.file_key[..], &mut k.salt[..], &mut k.nonce[..]] {
            custody_fsio::fill_random(b)
                .map_err(|e| io::Error::other(format!("the system random source failed: {e}")))?;
        }
        Ok(k)
    }

    /// HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload").
    pub(crate) fn payload_key(&self) -> io::Result<PayloadKey> {
        let k = hkdf_32(&self.nonce, &self.file_key[..], b"payload")?;
        let key = UnboundKey::new(&CHACHA20_POLY1305, &k[..]).map_err(|_| io::Error::other("bad key length"))?;
        Ok(PayloadKey(LessSafeKey::new(key)))
    }

    /// The header for one scrypt recipient at `work_factor` (log2 N, r = 8, p = 1),
    /// followed by the 16-byte payload nonce: everything before the first chunk. Always
    /// [`prefix_len`] bytes long.
    ///
    /// The file key and the derived keys live in zeroized buffers; ring keeps its own copy
    /// of the payload key, which it does not zeroize (nor does the `age` crate's cipher).
    pub(crate) fn prefix(&self, passphrase: &SecretString, work_factor: u8) -> io::Result<Vec<u8>> {
        let params = scrypt::Params::new(work_factor, 8, 1, 32).map_err(|e| io::Error::other(e.to_string()))?;
        let mut scrypt_salt = SCRYPT_LABEL.to_vec();
        scrypt_salt.extend_from_slice(&self.salt);
        let mut wrap_key = Zeroizing::new([0u8; 32]);
        scrypt::scrypt(passphrase.expose_secret().as_bytes(), &scrypt_salt, &params, &mut wrap_key[..])
            .map_err(|e| io::Error::other(e.to_string()))?;
        let mut body = Zeroizing::new(Vec::with_capacity(32));
        body.extend_from_slice(&self.file_key[..]);
        seal_with(&wrap_key, [0; 12], &mut body)?;

        let mut header = VERSION_LINE.to_vec();
        header.extend_from_slice(format!("-> scrypt {} {work_factor}\n", STANDARD_NO_PAD.encode(self.salt)).as_bytes());
        // A 32-byte body is 43 base64 characters: one line, under the 64-column limit.
        header.extend_from_slice(STANDARD_NO_PAD.encode(&body).as_bytes());
        header.extend_from_slice(b"\n---");
        let mac_key = hkdf_32(&[], &self.file_key[..], b"header")?;
        let mac = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &mac_key[..]), &header);
        header.push(b' ');
        header.extend_from_slice(STANDARD_NO_PAD.encode(mac.as_ref()).as_bytes());
        header.push(b'\n');
        header.extend_from_slice(&self.nonce);
        Ok(header)
    }
}

/// Length of [`FileKeys::prefix`] at `work_factor`: every field has a fixed length.
pub(crate) fn prefix_len(work_factor: u8) -> usize {
    let b64 = |n: usize| (n * 8).div_ceil(6);
    VERSION_LINE.len()
        + "-> scrypt ".len()
        + b64(16)
        + 1
        + work_factor.to_string().len()
        + 1
        + b64(32)
        + 1
        + "--- ".len()
        + b64(32)
        + 1
        + 16
}

fn crypto_failed(what: &str) -> io::Error {
    io::Error::other(format!("{what} failed"))
}

/// HKDF-SHA-256 with a 32-byte output. It cannot fail for these lengths; if it ever
/// did, the error stops the seal rather than leaving a zero key.
fn hkdf_32(salt: &[u8], ikm: &[u8], info: &[u8]) -> io::Result<Zeroizing<[u8; 32]>> {
    let mut out = Zeroizing::new([0u8; 32]);
    let info = [info];
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(ikm);
    let okm = prk.expand(&info, hkdf::HKDF_SHA256).map_err(|_| crypto_failed("HKDF"))?;
    okm.fill(&mut out[..]).map_err(|_| crypto_failed("HKDF"))?;
    Ok(out)
}

/// Seals `buf` in place with the zero-AAD ChaCha20-Poly1305 and appends the tag. On
/// error `buf` is wiped, so plaintext (a file key) can never be written out untagged.
fn seal_with(key: &[u8; 32], nonce: [u8; 12], buf: &mut Vec<u8>) -> io::Result<()> {
    let sealed = UnboundKey::new(&CHACHA20_POLY1305, key).ok().and_then(|k| {
        LessSafeKey::new(k).seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), buf).ok()
    });
    match sealed {
        Some(tag) => {
            buf.extend_from_slice(tag.as_ref());
            Ok(())
        }
        None => {
            buf.zeroize();
            Err(crypto_failed("wrapping the file key"))
        }
    }
}

/// The STREAM nonce of chunk `counter`: an 11-byte big-endian counter and the last-chunk
/// flag.
fn chunk_nonce(counter: u64, last: bool) -> Nonce {
    let mut n = [0u8; 12];
    n[3..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    Nonce::assume_unique_for_key(n)
}

/// Encrypts what is written to it and sends the ciphertext, in batches, to a
/// [`drain`] running on another thread. [`Sealer::finish`] seals the last chunk; without
/// it the payload is truncated and no age reader accepts it.
pub(crate) struct Sealer {
    key: PayloadKey,
    counter: u64,
    /// Sealed chunks, then the plaintext of the chunk being filled from `open_at`.
    batch: Vec<u8>,
    open_at: usize,
    tx: SyncSender<Vec<u8>>,
    pool: Receiver<Vec<u8>>,
}

fn stopped() -> io::Error {
    io::Error::other("the payload writer stopped")
}

impl Sealer {
    /// Sends the sealed chunks, in batches, to `tx`; the header is the drain's business.
    pub(crate) fn new(key: PayloadKey, tx: SyncSender<Vec<u8>>, pool: Receiver<Vec<u8>>) -> Self {
        Sealer { key, counter: 0, batch: Vec::with_capacity(BATCH), open_at: 0, tx, pool }
    }

    fn seal_open_chunk(&mut self, last: bool) -> io::Result<()> {
        let nonce = chunk_nonce(self.counter, last);
        let tag = self
            .key
            .0
            .seal_in_place_separate_tag(nonce, Aad::empty(), &mut self.batch[self.open_at..])
            .map_err(|_| io::Error::other("chunk encryption failed"))?;
        self.batch.extend_from_slice(tag.as_ref());
        self.counter = self.counter.checked_add(1).ok_or_else(|| io::Error::other("payload too large"))?;
        self.open_at = self.batch.len();
        Ok(())
    }

    fn send_batch(&mut self) -> io::Result<()> {
        let next = self.pool.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
        let full = std::mem::replace(&mut self.batch, next);
        self.batch.clear();
        self.open_at = 0;
        self.tx.send(full).map_err(|_| stopped())
    }

    /// Seals the final chunk (flagged last; empty only when the whole payload is) and
    /// sends what is left.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.seal_open_chunk(true)?;
        self.send_batch()
    }
}

impl Drop for Sealer {
    fn drop(&mut self) {
        // After an error the open chunk may still hold plaintext.
        self.batch.zeroize();
    }
}

impl Write for Sealer {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let n = data.len();
        while !data.is_empty() {
            let filled = self.batch.len() - self.open_at;
            if filled == CHUNK {
                // More data follows, so the full chunk is not the last one.
                self.seal_open_chunk(false)?;
                if self.batch.len() == BATCH {
                    self.send_batch()?;
                }
                continue;
            }
            let take = (CHUNK - filled).min(data.len());
            self.batch.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::sync::mpsc::sync_channel;

    use sha2::{Digest, Sha256};

    use super::*;
    use crate::ctout::{drain, IN_FLIGHT};

    fn encrypt(plain: &[u8], pass: &str, pieces: usize) -> (Vec<u8>, [u8; 32]) {
        let pass = SecretString::from(pass.to_owned());
        let keys = FileKeys::generate().unwrap();
        let prefix = keys.prefix(&pass, 10).unwrap();
        assert_eq!(prefix.len(), prefix_len(10));
        let (tx, rx) = sync_channel(IN_FLIGHT);
        let (ptx, prx) = sync_channel(IN_FLIGHT);
        std::thread::scope(|s| {
            let t = s.spawn(move || drain(Vec::new(), prefix, rx, ptx));
            let mut w = Sealer::new(keys.payload_key().unwrap(), tx, prx);
            for part in plain.chunks(pieces.max(1)) {
                w.write_all(part).unwrap();
            }
            w.finish().unwrap();
            let (out, sha, len) = t.join().unwrap().unwrap();
            assert_eq!(len, out.len() as u64);
            (out, sha)
        })
    }

    fn decrypt(ct: &[u8], pass: &str) -> Result<Vec<u8>, String> {
        let mut id = age::scrypt::Identity::new(SecretString::from(pass.to_owned()));
        id.set_max_work_factor(22);
        let d = age::Decryptor::new_buffered(ct).map_err(|e| e.to_string())?;
        let mut r = d.decrypt(std::iter::once(&id as &dyn age::Identity)).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        r.read_to_end(&mut out).map_err(|e| e.to_string())?;
        Ok(out)
    }

    #[test]
    fn the_age_crate_reads_every_chunk_boundary() {
        // Empty, one byte, exactly one chunk, one chunk and a byte, exactly two batches,
        // and ragged sizes around them, written in odd-sized pieces.
        for size in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, BATCH_CHUNKS * CHUNK, 2 * BATCH_CHUNKS * CHUNK + 7] {
            let plain: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
            for pieces in [1, 512, 100_000] {
                let (ct, sha) = encrypt(&plain, "correct horse", pieces);
                assert_eq!(sha, <[u8; 32]>::from(Sha256::digest(&ct)));
                let expected_chunks = size.div_ceil(CHUNK).max(1);
                assert_eq!(ct.len(), header_len() + size + expected_chunks * TAG, "size {size}");
                assert_eq!(decrypt(&ct, "correct horse").unwrap(), plain, "size {size} pieces {pieces}");
            }
        }
    }

    fn header_len() -> usize {
        // version line, stanza line (22 salt chars), body line (43), MAC line (43), nonce
        VERSION_LINE.len() + "-> scrypt ".len() + 22 + " 10\n".len() + 44 + "--- ".len() + 44 + 16
    }

    #[test]
    fn prefix_len_is_exact_for_every_factor() {
        let keys = FileKeys::generate().unwrap();
        assert_eq!(prefix_len(18), 166, "docs/payload.md gives this length");
        for wf in [1, 9, 10, 18] {
            assert_eq!(keys.prefix(&SecretString::from("p".to_owned()), wf).unwrap().len(), prefix_len(wf));
        }
    }

    #[test]
    fn a_wrong_passphrase_and_a_flipped_byte_are_refused() {
        let (ct, _) = encrypt(b"personal data", "right", 7);
        assert!(decrypt(&ct, "wrong").is_err());
        for at in [5, 40, 120, ct.len() - 20, ct.len() - 1] {
            let mut bad = ct.clone();
            bad[at] ^= 1;
            assert!(decrypt(&bad, "right").is_err(), "flip at {at} accepted");
        }
        assert!(decrypt(&ct[..ct.len() - 1], "right").is_err());
    }

    #[test]
    fn header_is_the_spec_shape() {
        let (ct, _) = encrypt(b"", "p", 1);
        let text = String::from_utf8_lossy(&ct[..header_len() - 16]).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "age-encryption.org/v1");
        let stanza: Vec<&str> = lines[1].split(' ').collect();
        assert_eq!((stanza[0], stanza[1], stanza[3]), ("->", "scrypt", "10"));
        assert_eq!(STANDARD_NO_PAD.decode(stanza[2]).unwrap().len(), 16);
        assert_eq!(STANDARD_NO_PAD.decode(lines[2]).unwrap().len(), 32);
        assert!(lines[3].starts_with("--- "));
        // Two files never share salt, nonce or key.
        let (again, _) = encrypt(b"", "p", 1);
        assert_ne!(ct, again);
    }
}
