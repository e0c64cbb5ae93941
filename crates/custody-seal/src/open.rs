//! Opening a payload: label check, age decryption with bounded work, extraction into a
//! private staging directory, manifest verification, then one rename into place.

use std::cell::Cell;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use age::DecryptError;
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::OpenError;
use crate::label::Label;
use crate::manifest::Manifest;
use crate::sys;
use crate::unpack::{self, Unpacked};

/// Highest scrypt work factor we attempt: Go age refuses above 22 too, and each step
/// doubles time and memory (22 = 4 GiB·s of scrypt).
pub const MAX_WORK_FACTOR: u8 = 22;

/// What [`open`] extracted.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The verified manifest.
    pub manifest: Manifest,
    /// SHA-256 of the exact `MANIFEST.json` bytes.
    pub manifest_root: [u8; 32],
    /// Number of files extracted.
    pub file_count: u64,
    /// Sum of their sizes.
    pub total_bytes: u64,
    /// Where they are now (mode 0700).
    pub dest: PathBuf,
}

/// Decrypts `payload` with `passphrase` and extracts it into `dest`.
///
/// `dest` must not exist or be an empty directory. With a `label`, the payload's size is
/// checked against it first; its SHA-256 (over every byte of the file, taken as the file
/// streams into decryption), counts and manifest root before anything is moved into
/// `dest`. Extraction goes into a fresh 0700 directory beside `dest` and is renamed
/// into place only after the age stream authenticated to its end and every file matched
/// the manifest; on any error that directory is removed and `dest` is untouched. Files
/// are 0600, directories 0700. `progress` receives the file bytes extracted so far.
/// `MANIFEST.json` itself is not written to `dest`: it is returned in [`Opened`].
pub fn open(
    payload: &Path,
    passphrase: &SecretString,
    dest: &Path,
    label: Option<&Label>,
    progress: &dyn Fn(u64),
) -> Result<Opened, OpenError> {
    open_cancellable(payload, passphrase, dest, label, progress, &AtomicBool::new(false))
}

/// As [`open`], stopping with [`OpenError::Interrupted`] soon after `cancel` is set (a
/// signal handler's flag): the staging directory and everything in it is removed before
/// it returns, and `dest` is untouched.
pub fn open_cancellable(
    payload: &Path,
    passphrase: &SecretString,
    dest: &Path,
    label: Option<&Label>,
    progress: &dyn Fn(u64),
    cancel: &AtomicBool,
) -> Result<Opened, OpenError> {
    let file = checked_payload(payload, dest, label)?;
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staging = Staging::create(&parent)?;

    // Three stages on their own threads: reading and hashing the ciphertext; decrypting
    // it; and here, checking the archive, hashing and writing the files.
    let (unpacked, decrypted, hashed) = std::thread::scope(|scope| {
        let (ct_tx, ct_rx) = sync_channel(IN_FLIGHT);
        let (ct_pool_tx, ct_pool_rx) = sync_channel(IN_FLIGHT + 2);
        let reader = scope.spawn(move || read_payload(file, ct_tx, ct_pool_rx));
        let (pt_tx, pt_rx) = sync_channel(IN_FLIGHT);
        let (pt_pool_tx, pt_pool_rx) = sync_channel(IN_FLIGHT + 2);
        let decryptor = scope.spawn(move || {
            let shared = Rc::new(Shared::default());
            let result = decrypt(ChanReader::new(ct_rx, ct_pool_tx), payload, passphrase, &shared)
                .and_then(|plain| pump(plain, &pt_tx, pt_pool_rx).map_err(|e| classify(e, &shared, payload)));
            if result.is_err() {
                // Stops the archive where the decryption stopped; the error itself is
                // returned from here.
                let _ = pt_tx.send(Err(io::Error::other("decryption failed")));
            }
            result
        });
        let plain = Cancellable { inner: ChanReader::new(pt_rx, pt_pool_tx), cancel };
        let upstream_failed = plain.inner.failed.clone();
        // The decrypting thread's own error is the cause of any that came down the
        // channel; it is taken from its result below.
        let unpacked =
            unpack::extract(plain, &staging.path, progress, |e| OpenError::MalformedArchive { reason: e.to_string() })
                .map_err(|e| (e, upstream_failed.get()));
        (unpacked, decryptor.join(), reader.join())
    });
    let panicked = || OpenError::io(payload)(io::Error::other("an opening thread panicked"));
    // A panicked reader looks like the end of the file to the decryption; it must not
    // be reported as a truncated payload.
    let hashed = hashed.map_err(|_| panicked())?;
    let decrypted = decrypted.map_err(|_| panicked())?;
    // Errors in stream order: the archive's own, unless it only saw the decryption fail.
    let unpacked = match (unpacked, decrypted) {
        (Err((_, true)), Err(e)) => Err(e),
        (Err((e, _)), _) => Err(e),
        (Ok(_), Err(e)) => Err(e),
        (Ok(u), Ok(())) => Ok(u),
    };
    if cancel.load(Ordering::SeqCst) {
        return Err(OpenError::Interrupted);
    }
    let Unpacked { manifest, manifest_root } = unpacked?;
    let (ciphertext_sha256, ciphertext_len) = match hashed {
        Ok(Some(h)) => h,
        Ok(None) => return Err(OpenError::io(payload)(io::Error::other("the payload was not read to its end"))),
        Err(e) => return Err(OpenError::io(payload)(e)),
    };
    if let Some(l) = label {
        // The stream ended cleanly and the reader reached the end of the file: every
        // byte was hashed, including any that were appended after the age stream.
        if ciphertext_len != l.ciphertext_size {
            return Err(OpenError::LabelMismatch { field: "ciphertext_size" });
        }
        if ciphertext_sha256 != l.ciphertext_sha256 {
            return Err(OpenError::LabelMismatch { field: "ciphertext_sha256" });
        }
        check_label_contents(l, &manifest, &manifest_root)?;
    }

    let dir = File::open(&staging.path).map_err(OpenError::io(&staging.path))?;
    // One syncfs makes every extracted file and directory durable before the rename
    // publishes them; a crash then leaves either nothing or everything.
    sys::syncfs(&dir).map_err(OpenError::io(&staging.path))?;
    drop(dir);
    if cancel.load(Ordering::SeqCst) {
        return Err(OpenError::Interrupted);
    }
    staging.commit(dest)?;
    File::open(&parent).and_then(|d| d.sync_all()).map_err(OpenError::io(&parent))?;
    Ok(Opened {
        file_count: manifest.files.len() as u64,
        total_bytes: manifest.files.iter().map(|f| f.size).sum(),
        manifest,
        manifest_root,
        dest: dest.to_path_buf(),
    })
}

/// What [`open`] checks before it asks age for anything: the destination is free, the
/// payload is a regular age file with one scrypt stanza within the header bound, and
/// its size is the label's. A caller runs it before asking for the passphrase.
pub fn check_before_open(payload: &Path, dest: &Path, label: Option<&Label>) -> Result<(), OpenError> {
    checked_payload(payload, dest, label).map(drop)
}

/// The checks of [`check_before_open`], returning the payload opened and rewound.
fn checked_payload(payload: &Path, dest: &Path, label: Option<&Label>) -> Result<File, OpenError> {
    check_dest(dest)?;
    let mut file = open_payload(payload)?;
    if let Some(l) = label {
        // The size is cheap to check before any work; the hash is taken as the payload
        // streams through decryption, so it is read once, not twice.
        if file.metadata().map_err(OpenError::io(payload))?.len() != l.ciphertext_size {
            return Err(OpenError::LabelMismatch { field: "ciphertext_size" });
        }
    }
    check_magic(&mut file, payload)?;
    check_header(&mut file, payload)?;
    Ok(file)
}

/// Decrypts only the age layer of `payload` into `out` and returns the plaintext length,
/// with the same work-factor bound and error mapping as [`open`]. The plaintext is not
/// interpreted, and bytes reach `out` before the stream is authenticated to its end:
/// use it for hashing or for a sink that is discarded on error, never for files.
pub fn decrypt_to<W: Write>(payload: &Path, passphrase: &SecretString, mut out: W) -> Result<u64, OpenError> {
    let shared = Rc::new(Shared::default());
    let mut file = open_payload(payload)?;
    check_magic(&mut file, payload)?;
    check_header(&mut file, payload)?;
    let mut plain = decrypt(BufReader::with_capacity(1 << 20, file), payload, passphrase, &shared)?;
    let mut buf = vec![0u8; 64 << 10];
    let mut total = 0u64;
    loop {
        let n = match plain.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(classify(e, &shared, payload)),
        };
        out.write_all(&buf[..n]).map_err(|e| OpenError::io("<output>")(e))?;
        total += n as u64;
    }
    Ok(total)
}

/// Opens the payload without following a symlink or blocking on a FIFO, and requires
/// a regular file: a device named as the payload would otherwise stream forever.
fn open_payload(payload: &Path) -> Result<File, OpenError> {
    let f = sys::open_read_nofollow(payload).map_err(|e| {
        if sys::is_symlink_refused(&e) {
            OpenError::NotAnAgeFile
        } else {
            OpenError::io(payload)(e)
        }
    })?;
    if !f.metadata().map_err(OpenError::io(payload))?.is_file() {
        return Err(OpenError::NotAnAgeFile);
    }
    Ok(f)
}

/// Largest age header accepted. Ours is about 130 bytes (one scrypt stanza); the bound
/// leaves room for other tools' grease stanzas. The `age` crate's header reader is
/// quadratic in a stanza's length (str4d/rage#368), so nothing longer reaches it.
pub const MAX_HEADER_BYTES: usize = 8 << 10;

/// Reads at most [`MAX_HEADER_BYTES`] and checks, in one linear pass, that the header
/// ends within them and names only scrypt recipients. Leaves `file` at offset 0.
fn check_header(file: &mut File, payload: &Path) -> Result<(), OpenError> {
    let mut head = vec![0u8; MAX_HEADER_BYTES];
    let n = read_up_to(file, &mut head).map_err(OpenError::io(payload))?;
    file.seek(SeekFrom::Start(0)).map_err(OpenError::io(payload))?;
    match scan_header(&head[..n], n == MAX_HEADER_BYTES) {
        HeaderScan::TooLarge => Err(OpenError::HeaderTooLarge { max: MAX_HEADER_BYTES }),
        HeaderScan::OtherRecipients => Err(OpenError::NotPassphraseEncrypted),
        // Anything else malformed is age's to report, with its own words.
        HeaderScan::Scrypt | HeaderScan::Unparsed => Ok(()),
    }
}

/// What a linear scan of the header found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HeaderScan {
    /// The header ends within the bound and every stanza is scrypt.
    Scrypt,
    /// A stanza of another recipient type (alone or beside scrypt).
    OtherRecipients,
    /// No end of header within the bound.
    TooLarge,
    /// The bytes end before the header does, or are not a header: left to age.
    Unparsed,
}

/// One pass over `head`: stanza types from `-> ` lines, up to the `---` line.
/// `full` says the bound was reached (more bytes may follow).
pub(crate) fn scan_header(head: &[u8], full: bool) -> HeaderScan {
    let mut types_ok = true;
    let mut any = false;
    let mut start = 0;
    while let Some(i) = head[start..].iter().position(|&b| b == b'\n') {
        let line = &head[start..start + i];
        start += i + 1;
        if line.starts_with(b"--- ") || line == b"---" {
            return match (any, types_ok) {
                (true, true) => HeaderScan::Scrypt,
                (true, false) => HeaderScan::OtherRecipients,
                (false, _) => HeaderScan::Unparsed,
            };
        }
        if let Some(rest) = line.strip_prefix(b"-> ") {
            any = true;
            let ty = rest.split(|&b| b == b' ').next().unwrap_or_default();
            if ty != b"scrypt" {
                types_ok = false;
            }
        }
    }
    if full {
        HeaderScan::TooLarge
    } else {
        HeaderScan::Unparsed
    }
}

/// The plaintext reader of the extraction, which stops when `cancel` is set: the
/// archive then fails at once and the staging directory is removed on the way out.
struct Cancellable<'a> {
    inner: ChanReader,
    cancel: &'a AtomicBool,
}

impl Read for Cancellable<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.cancel.load(Ordering::SeqCst) {
            return Err(io::Error::other("interrupted by a signal"));
        }
        self.inner.read(out)
    }
}

fn check_dest(dest: &Path) -> Result<(), OpenError> {
    let not_empty = || OpenError::DestNotEmpty { dest: dest.to_path_buf() };
    match fs::symlink_metadata(dest) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(OpenError::io(dest)(e)),
        Ok(m) if m.is_dir() => {
            let mut rd = fs::read_dir(dest).map_err(OpenError::io(dest))?;
            if rd.next().is_some() {
                Err(not_empty())
            } else {
                Ok(())
            }
        }
        Ok(_) => Err(not_empty()),
    }
}

/// A buffer between the stages of opening; plaintext too, so wiped when dropped.
type Buf = Zeroizing<Vec<u8>>;

/// Buffers in flight between the stages of opening: 4 × 1 MiB, twice.
const IN_FLIGHT: usize = 4;
const READ_BUF: usize = 1 << 20;

/// The reading thread: reads the payload to its end, hashing every byte, and sends it on.
/// Returns the SHA-256 and length of the whole file, or `None` when the decryption side
/// hung up before the end (its own error is the one reported; a hash of part of the
/// file must never be taken for the whole).
fn read_payload(
    mut file: File,
    tx: SyncSender<io::Result<Buf>>,
    pool: Receiver<Buf>,
) -> io::Result<Option<([u8; 32], u64)>> {
    let mut h = Sha256::new();
    let mut len = 0u64;
    loop {
        let mut buf = pool.try_recv().unwrap_or_default();
        buf.resize(READ_BUF, 0);
        let n = match read_up_to(&mut file, &mut buf) {
            Ok(n) => n,
            Err(e) => {
                let kind = e.kind();
                let _ = tx.send(Err(e));
                return Err(io::Error::new(kind, "reading the payload failed"));
            }
        };
        if n == 0 {
            return Ok(Some((h.finalize().into(), len)));
        }
        buf.truncate(n);
        h.update(&buf);
        len += n as u64;
        if tx.send(Ok(buf)).is_err() {
            return Ok(None);
        }
    }
}

/// The receiving end of a stage's channel, as a reader. `failed` says whether it
/// passed on an error from upstream.
struct ChanReader {
    rx: Receiver<io::Result<Buf>>,
    pool: SyncSender<Buf>,
    cur: Buf,
    pos: usize,
    failed: Rc<Cell<bool>>,
}

impl ChanReader {
    fn new(rx: Receiver<io::Result<Buf>>, pool: SyncSender<Buf>) -> Self {
        ChanReader { rx, pool, cur: Buf::default(), pos: 0, failed: Rc::default() }
    }
}

impl Read for ChanReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.cur.len() {
            match self.rx.recv() {
                Ok(Ok(next)) => {
                    let used = std::mem::replace(&mut self.cur, next);
                    self.pos = 0;
                    // A full pool only means the reader allocates.
                    let _ = self.pool.try_send(used);
                }
                Ok(Err(e)) => {
                    self.failed.set(true);
                    return Err(e);
                }
                // The sender reached the end of its stream.
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.cur.len() - self.pos);
        out[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The decrypting thread: reads the plaintext to its end (so age authenticates the last
/// chunk) and sends it on. Returns quietly when the receiving side hung up.
fn pump<R: Read>(mut plain: R, tx: &SyncSender<io::Result<Buf>>, pool: Receiver<Buf>) -> io::Result<()> {
    loop {
        let mut buf = pool.try_recv().unwrap_or_default();
        buf.resize(READ_BUF, 0);
        let n = read_up_to(&mut plain, &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        buf.truncate(n);
        if tx.send(Ok(buf)).is_err() {
            return Ok(());
        }
    }
}

/// Checked by hand first: age's parser reports any non-age input as an invalid header,
/// which would read as "corrupted" to a person holding a PDF. Leaves `file` at offset 0.
fn check_magic(file: &mut File, payload: &Path) -> Result<(), OpenError> {
    let magic = b"age-encryption.org/";
    let mut head = [0u8; 19];
    let n = read_up_to(file, &mut head).map_err(OpenError::io(payload))?;
    if n < head.len() || &head != magic {
        return Err(OpenError::NotAnAgeFile);
    }
    file.seek(SeekFrom::Start(0)).map_err(OpenError::io(payload))?;
    Ok(())
}

fn check_label_contents(l: &Label, m: &Manifest, root: &[u8; 32]) -> Result<(), OpenError> {
    let total: u64 = m.files.iter().map(|f| f.size).sum();
    let checks: [(&'static str, bool); 5] = [
        ("payload_id", l.payload_id == m.payload_id),
        ("manifest_root", &l.manifest_root == root),
        ("file_count", l.file_count == m.files.len() as u64),
        ("dir_count", l.dir_count == m.dirs.len() as u64),
        ("total_bytes", l.total_bytes == total),
    ];
    match checks.iter().find(|(_, ok)| !ok) {
        Some((field, _)) => Err(OpenError::LabelMismatch { field }),
        None => Ok(()),
    }
}

/// Where an I/O error arose: reading the payload file, or decrypting the age stream.
#[derive(Clone, Copy, Debug)]
enum Fault {
    File,
    AgeTruncated,
    AgeCorrupted,
}

#[derive(Clone, Copy)]
enum Layer {
    File,
    Age,
}

/// State shared by the two reader layers: the first fault seen.
#[derive(Default)]
struct Shared {
    fault: Cell<Option<Fault>>,
}

/// Records the first error its inner reader returns, so an error surfacing through the
/// tar parser can be told apart: bad file, truncated or forged age stream, or a
/// malformed archive inside an authentic stream.
pub(crate) struct FaultReader<R> {
    inner: R,
    shared: Rc<Shared>,
    layer: Layer,
}

impl<R: Read> Read for FaultReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => Ok(n),
            Err(e) => {
                if self.shared.fault.get().is_none() && e.kind() != io::ErrorKind::Interrupted {
                    self.shared.fault.set(Some(match (self.layer, e.kind()) {
                        (Layer::File, _) => Fault::File,
                        (Layer::Age, io::ErrorKind::UnexpectedEof) => Fault::AgeTruncated,
                        (Layer::Age, _) => Fault::AgeCorrupted,
                    }));
                }
                Err(e)
            }
        }
    }
}

/// The plaintext reader [`unpack::extract`] consumes.
type Plain<R> = FaultReader<age::stream::StreamReader<FaultReader<R>>>;

/// Maps an error surfacing from the tar layer to what really went wrong underneath.
fn classify(e: io::Error, shared: &Shared, payload: &Path) -> OpenError {
    match shared.fault.get() {
        Some(Fault::File) => OpenError::io(payload)(e),
        Some(Fault::AgeTruncated) => OpenError::Truncated,
        Some(Fault::AgeCorrupted) => OpenError::Corrupted { reason: e.to_string() },
        None => OpenError::MalformedArchive { reason: e.to_string() },
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn decrypt<R: Read>(
    source: R,
    payload: &Path,
    passphrase: &SecretString,
    shared: &Rc<Shared>,
) -> Result<Plain<R>, OpenError> {
    let reader = FaultReader { inner: source, shared: shared.clone(), layer: Layer::File };
    let map_age = |e: DecryptError| match e {
        DecryptError::DecryptionFailed | DecryptError::KeyDecryptionFailed => OpenError::WrongPassphrase,
        DecryptError::ExcessiveWork { required, .. } => OpenError::WorkFactorTooHigh { required, max: MAX_WORK_FACTOR },
        DecryptError::InvalidHeader => OpenError::Corrupted { reason: "invalid age header".into() },
        DecryptError::InvalidMac => OpenError::Corrupted { reason: "age header MAC does not match".into() },
        DecryptError::NoMatchingKeys => OpenError::NotPassphraseEncrypted,
        DecryptError::UnknownFormat => OpenError::NotAnAgeFile,
        DecryptError::Io(e) => match shared.fault.get() {
            Some(Fault::File) => OpenError::io(payload)(e),
            _ if e.kind() == io::ErrorKind::UnexpectedEof => OpenError::Truncated,
            _ => OpenError::Corrupted { reason: e.to_string() },
        },
        other => OpenError::Corrupted { reason: other.to_string() },
    };
    let decryptor = age::Decryptor::new(reader).map_err(map_age)?;
    if !decryptor.is_scrypt() {
        return Err(OpenError::NotPassphraseEncrypted);
    }
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let stream = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(map_age)?;
    Ok(FaultReader { inner: stream, shared: shared.clone(), layer: Layer::Age })
}

/// Prefix of every staging directory's name; [`sweep_stale_staging`] looks for it.
pub const STAGING_PREFIX: &str = ".custody-staging-";

/// A fresh 0700 directory beside the destination, removed on drop unless committed.
/// While it exists, its creator holds an exclusive `flock` on it: the lock dies with
/// the process, which is how a later sweep tells a leftover from a live open.
struct Staging {
    path: PathBuf,
    committed: bool,
    _lock: Option<File>,
}

/// Removes the staging directories in `parent` that no live process holds: leftovers
/// of an `open` killed by SIGKILL or a power loss, full of plaintext. Returns what
/// was removed. Entries that are not directories, or are locked, are left alone.
pub fn sweep_stale_staging(parent: &Path) -> Vec<PathBuf> {
    let mut removed = vec![];
    let Ok(rd) = fs::read_dir(parent) else { return removed };
    for item in rd.flatten() {
        let name = item.file_name();
        if !name.to_string_lossy().starts_with(STAGING_PREFIX) {
            continue;
        }
        let path = item.path();
        let Ok(meta) = fs::symlink_metadata(&path) else { continue };
        if !meta.is_dir() {
            continue;
        }
        let Ok(dir) = File::open(&path) else { continue };
        if sys::try_lock_exclusive(&dir).unwrap_or(false) && fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

impl Staging {
    fn create(parent: &Path) -> Result<Staging, OpenError> {
        loop {
            let suffix = random_suffix().map_err(|e| OpenError::io(parent)(e.into()))?;
            let path = parent.join(format!("{STAGING_PREFIX}{suffix}"));
            match fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => {
                    // The umask may have removed bits we want; it cannot have added any,
                    // but set the mode explicitly so DEST ends exactly 0700.
                    let mut staging = Staging { path, committed: false, _lock: None };
                    let dir = File::open(&staging.path).map_err(OpenError::io(&staging.path))?;
                    // Between mkdir and this lock a sweep could take it for a leftover;
                    // it would then be removed and the extraction fail, never leak.
                    if sys::try_lock_exclusive(&dir).map_err(OpenError::io(&staging.path))? {
                        staging._lock = Some(dir);
                    }
                    fs::set_permissions(&staging.path, fs::Permissions::from_mode(0o700))
                        .map_err(OpenError::io(&staging.path))?;
                    return Ok(staging);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(OpenError::io(&path)(e)),
            }
        }
    }

    /// Renames the staging directory to `dest`. rename(2) replaces `dest` only if it is
    /// an empty directory, so a destination filled meanwhile is never merged into.
    fn commit(mut self, dest: &Path) -> Result<(), OpenError> {
        match fs::rename(&self.path, dest) {
            Ok(()) => {
                self.committed = true;
                Ok(())
            }
            Err(e) if sys::is_rename_target_taken(&e) => Err(OpenError::DestNotEmpty { dest: dest.to_path_buf() }),
            Err(e) => Err(OpenError::io(dest)(e)),
        }
    }
}

/// 12 symbols of 0-9a-z, uniform: bytes of 252 or more (7 * 36) are drawn again.
fn random_suffix() -> Result<String, custody_fsio::FsioError> {
    const SYMBOLS: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(12);
    while out.len() < 12 {
        let mut b = [0u8; 16];
        custody_fsio::fill_random(&mut b)?;
        out.extend(
            b.iter().filter(|&&x| x < 252).map(|&x| char::from(SYMBOLS[usize::from(x % 36)])).take(12 - out.len()),
        );
    }
    Ok(out)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: the error being returned already says what went wrong.
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn header(types: &[String]) -> Vec<u8> {
        let mut h = b"age-encryption.org/v1\n".to_vec();
        for t in types {
            h.extend_from_slice(format!("-> {t} arg\nYm9keQ\n").as_bytes());
        }
        h.extend_from_slice(b"--- bWFj\n");
        h
    }

    proptest! {
        /// Only headers whose every stanza is scrypt pass as passphrase headers; any
        /// other type beside them is reported as such, never as corruption.
        #[test]
        fn stanza_types_are_classified(types in prop::collection::vec(prop_oneof![
            Just("scrypt".to_owned()), Just("X25519".to_owned()), "[a-z0-9]{1,8}"], 1..6)) {
            let want = if types.iter().all(|t| t == "scrypt") { HeaderScan::Scrypt } else { HeaderScan::OtherRecipients };
            prop_assert_eq!(scan_header(&header(&types), false), want);
        }

        /// Without an end line within the bound, a full buffer is too large and a
        /// short one is left to age; never a panic.
        #[test]
        fn no_end_line_means_too_large_or_unparsed(body in prop::collection::vec(any::<u8>(), 0..2048)) {
            let cleaned: Vec<u8> = body.iter().map(|&b| if b == b'-' { b'x' } else { b }).collect();
            let got = scan_header(&cleaned, true);
            prop_assert_eq!(got, HeaderScan::TooLarge);
            let got = scan_header(&cleaned, false);
            prop_assert_eq!(got, HeaderScan::Unparsed);
        }
    }
}
