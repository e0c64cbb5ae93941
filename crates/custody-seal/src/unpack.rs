//! Reading the tar stream inside a payload: every entry checked before anything is
//! created, files hashed as they are written, then the set compared with the manifest.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tar::{EntryType, PaxExtensions};

use crate::error::{MismatchKind, OpenError, UnsafeReason};
use crate::manifest::{Manifest, MAX_MANIFEST_BYTES};
use crate::names::{self, MANIFEST_NAME, MAX_PATH_BYTES};

/// A GNU long name holds one path and its NUL.
const MAX_LONG_NAME: u64 = MAX_PATH_BYTES as u64 + 1;
/// A PAX header with only `path` and `size` records fits easily.
const MAX_PAX: u64 = 8 << 10;

/// Where extracted entries go: the staging directory, or nowhere (fuzzing).
pub(crate) trait Sink {
    fn dir(&mut self, rel: &str) -> io::Result<()>;
    fn file(&mut self, rel: &str) -> io::Result<Box<dyn Write + '_>>;
}

/// Creates entries under a fresh staging directory: directories 0700, files 0600 with
/// `create_new`, so nothing that already exists is ever opened.
pub(crate) struct DirSink<'a> {
    pub(crate) root: &'a Path,
}

impl DirSink<'_> {
    fn join(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

impl Sink for DirSink<'_> {
    fn dir(&mut self, rel: &str) -> io::Result<()> {
        fs::DirBuilder::new().mode(0o700).create(self.join(rel))
    }

    fn file(&mut self, rel: &str) -> io::Result<Box<dyn Write + '_>> {
        let f = crate::sys::create_new_nofollow(&self.join(rel))?;
        // Writeback starts as each file is written, so the syncfs before the rename
        // waits for the tail, not the whole payload.
        Ok(Box::new(crate::sys::Writeback::new(f)))
    }
}

/// Discards everything; the checks still run.
pub(crate) struct NullSink;

impl Sink for NullSink {
    fn dir(&mut self, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, _: &str) -> io::Result<Box<dyn Write + '_>> {
        Ok(Box::new(io::sink()))
    }
}

/// A verified archive.
pub(crate) struct Unpacked {
    pub(crate) manifest: Manifest,
    pub(crate) manifest_root: [u8; 32],
}

/// Extracts `plain` into `staging`. `classify` turns an I/O error from the reader into
/// the error it really is (truncation, forgery, malformed tar).
pub(crate) fn extract<R: Read>(
    plain: R,
    staging: &Path,
    progress: &dyn Fn(u64),
    classify: impl Fn(io::Error) -> OpenError,
) -> Result<Unpacked, OpenError> {
    let mut sink = DirSink { root: staging };
    let io_err = |rel: &str| {
        let p = staging.join(rel);
        move |e| OpenError::Io { path: p, source: e }
    };
    run(plain, &mut sink, progress, &classify, &io_err)
}

/// Runs every check on a plaintext tar stream without writing anything (fuzzing).
pub(crate) fn check_only(plain: &[u8]) -> Result<Unpacked, OpenError> {
    let classify = |e: io::Error| OpenError::MalformedArchive { reason: e.to_string() };
    let io_err = |rel: &str| {
        let p = PathBuf::from(rel);
        move |e| OpenError::Io { path: p, source: e }
    };
    run(plain, &mut NullSink, &|_| {}, &classify, &io_err)
}

struct Seen {
    exact: HashSet<String>,
    folded: HashSet<String>,
    dirs: Vec<String>,
    dir_set: HashSet<String>,
    files: Vec<(String, u64, [u8; 32])>,
}

fn unsafe_entry(entry: &[u8], reason: UnsafeReason) -> OpenError {
    OpenError::UnsafeEntry { entry: String::from_utf8_lossy(entry).into_owned(), reason }
}

fn run<R: Read, F>(
    plain: R,
    sink: &mut dyn Sink,
    progress: &dyn Fn(u64),
    classify: &dyn Fn(io::Error) -> OpenError,
    io_err: &dyn Fn(&str) -> F,
) -> Result<Unpacked, OpenError>
where
    F: FnOnce(io::Error) -> OpenError,
{
    let mut archive = tar::Archive::new(plain);
    let mut seen = Seen {
        exact: HashSet::new(),
        folded: HashSet::new(),
        dirs: Vec::new(),
        dir_set: HashSet::new(),
        files: Vec::new(),
    };
    let mut manifest_bytes: Option<Vec<u8>> = None;
    let mut long_name: Option<Vec<u8>> = None;
    let mut pax: Option<Vec<u8>> = None;
    // Plaintext passes through it: wiped when dropped.
    let mut buf = zeroize::Zeroizing::new(vec![0u8; 256 << 10]);
    let mut done = 0u64;
    {
        // Raw mode: GNU long names and PAX headers come to us as entries, so we bound
        // their size and refuse combinations the tar crate would merge silently.
        let entries = archive.entries().map_err(classify)?.raw(true);
        for entry in entries {
            let mut entry = entry.map_err(classify)?;
            let header = entry.header().clone();
            if header.as_gnu().is_none() && header.as_ustar().is_none() {
                return Err(unsafe_entry(&header.path_bytes(), UnsafeReason::UnknownHeaderFormat));
            }
            if manifest_bytes.is_some() {
                return Err(unsafe_entry(&header.path_bytes(), UnsafeReason::AfterManifest));
            }
            let ty = header.entry_type();
            let size = entry.size();
            if ty.is_gnu_longname() || ty.is_pax_local_extensions() {
                let (slot, bound) =
                    if ty.is_gnu_longname() { (&mut long_name, MAX_LONG_NAME) } else { (&mut pax, MAX_PAX) };
                if slot.is_some() {
                    return Err(OpenError::MalformedArchive {
                        reason: "two extension headers of one kind for one entry".into(),
                    });
                }
                if size > bound {
                    return Err(unsafe_entry(&header.path_bytes(), UnsafeReason::ExtensionTooLarge));
                }
                let mut data = Vec::with_capacity(size as usize);
                (&mut entry).take(bound).read_to_end(&mut data).map_err(classify)?;
                *slot = Some(data);
                continue;
            }
            let path = entry_path(&header, long_name.take(), pax.take(), size)?;
            check_type(ty, &path)?;
            let is_dir = ty == EntryType::Directory;
            let rel_bytes = if is_dir { path.strip_suffix(b"/").unwrap_or(&path) } else { &path[..] };
            let rel = names::check_rel_path_bytes(rel_bytes)
                .map_err(|p| unsafe_entry(&path, UnsafeReason::Path(p)))?
                .to_owned();
            if !is_dir && rel == MANIFEST_NAME {
                if size > MAX_MANIFEST_BYTES {
                    return Err(OpenError::ManifestInvalid { reason: "too large".into() });
                }
                let mut m = Vec::with_capacity(size as usize);
                entry.read_to_end(&mut m).map_err(classify)?;
                manifest_bytes = Some(m);
                continue;
            }
            if !rel.contains('/') && names::is_manifest_name(&rel) {
                return Err(unsafe_entry(&path, UnsafeReason::CaseFoldDuplicate));
            }
            if !seen.exact.insert(rel.clone()) {
                return Err(unsafe_entry(&path, UnsafeReason::Duplicate));
            }
            if !seen.folded.insert(names::fold_key(&rel)) {
                return Err(unsafe_entry(&path, UnsafeReason::CaseFoldDuplicate));
            }
            if let Some((parent, _)) = rel.rsplit_once('/') {
                // Parents come first: then every directory we create sits inside one we
                // created, never inside something the archive did not declare.
                if !seen.dir_set.contains(parent) {
                    return Err(unsafe_entry(&path, UnsafeReason::ParentNotDeclared));
                }
            }
            if is_dir {
                if size != 0 {
                    return Err(unsafe_entry(&path, UnsafeReason::DirectoryWithData));
                }
                sink.dir(&rel).map_err(io_err(&rel))?;
                seen.dir_set.insert(rel.clone());
                seen.dirs.push(rel);
                continue;
            }
            let mut out = sink.file(&rel).map_err(io_err(&rel))?;
            let mut hasher = Sha256::new();
            let mut n_total = 0u64;
            loop {
                let n = match entry.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(classify(e)),
                };
                hasher.update(&buf[..n]);
                out.write_all(&buf[..n]).map_err(io_err(&rel))?;
                n_total += n as u64;
                done += n as u64;
                progress(done);
            }
            drop(out);
            if n_total != size {
                return Err(OpenError::MalformedArchive {
                    reason: format!("{rel}: entry shorter than its header says"),
                });
            }
            seen.files.push((rel, size, hasher.finalize().into()));
        }
    }
    if long_name.is_some() || pax.is_some() {
        return Err(OpenError::MalformedArchive { reason: "extension header without an entry".into() });
    }
    // The tar parser stops at the first zero block. Reading on to the end makes age
    // authenticate the last chunk (a truncated stream errors here), and refusing
    // non-zero bytes keeps anything from hiding after the archive.
    let mut rest = archive.into_inner();
    loop {
        let n = match rest.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(classify(e)),
        };
        if buf[..n].iter().any(|b| *b != 0) {
            return Err(OpenError::MalformedArchive { reason: "data after the end of the archive".into() });
        }
    }
    let bytes = manifest_bytes.ok_or(OpenError::ManifestMissing)?;
    let manifest = Manifest::parse(&bytes).map_err(|reason| OpenError::ManifestInvalid { reason })?;
    compare(&manifest, seen)?;
    Ok(Unpacked { manifest_root: Manifest::root_of(&bytes), manifest })
}

/// The path of an entry: GNU long name, else PAX `path`, else the header's own field.
fn entry_path(
    header: &tar::Header,
    long_name: Option<Vec<u8>>,
    pax: Option<Vec<u8>>,
    size: u64,
) -> Result<Vec<u8>, OpenError> {
    let mut pax_path = None;
    if let Some(p) = &pax {
        for ext in PaxExtensions::new(p) {
            let ext = ext.map_err(|_| {
                unsafe_entry(&header.path_bytes(), UnsafeReason::PaxExtension("malformed record".into()))
            })?;
            match ext.key_bytes() {
                b"path" => pax_path = Some(ext.value_bytes().to_vec()),
                // Raw mode reads the entry with the header's size; a PAX size that
                // disagrees is exactly the parser differential the tar crate fixed.
                b"size" => {
                    let v = std::str::from_utf8(ext.value_bytes()).ok().and_then(|s| s.parse::<u64>().ok());
                    if v != Some(size) {
                        return Err(unsafe_entry(
                            &header.path_bytes(),
                            UnsafeReason::PaxExtension("size disagrees with header".into()),
                        ));
                    }
                }
                other => {
                    return Err(unsafe_entry(
                        &header.path_bytes(),
                        UnsafeReason::PaxExtension(String::from_utf8_lossy(other).into_owned()),
                    ))
                }
            }
        }
    }
    match (long_name, pax_path) {
        (Some(l), Some(_)) => Err(unsafe_entry(&strip_nul(l), UnsafeReason::LongNameAndPax)),
        (Some(l), None) => Ok(strip_nul(l)),
        (None, Some(p)) => Ok(p),
        (None, None) => Ok(header.path_bytes().into_owned()),
    }
}

fn strip_nul(mut v: Vec<u8>) -> Vec<u8> {
    if v.last() == Some(&0) {
        v.pop();
    }
    v
}

fn check_type(ty: EntryType, path: &[u8]) -> Result<(), OpenError> {
    let reason = match ty {
        EntryType::Regular | EntryType::Directory => return Ok(()),
        EntryType::Symlink => UnsafeReason::Symlink,
        EntryType::Link => UnsafeReason::HardLink,
        EntryType::Char | EntryType::Block => UnsafeReason::Device,
        EntryType::Fifo => UnsafeReason::Fifo,
        EntryType::XGlobalHeader => UnsafeReason::PaxExtension("global header".into()),
        other => UnsafeReason::OtherType(other.as_byte()),
    };
    Err(unsafe_entry(path, reason))
}

/// The archive's files and directories must be exactly the manifest's.
fn compare(m: &Manifest, mut seen: Seen) -> Result<(), OpenError> {
    seen.files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mismatch = |path: &str, what| OpenError::ManifestMismatch { path: path.to_owned(), what };
    let (mut i, mut j) = (0, 0);
    while i < m.files.len() || j < seen.files.len() {
        match (m.files.get(i), seen.files.get(j)) {
            (Some(mf), Some((path, size, sha))) => match mf.path.as_bytes().cmp(path.as_bytes()) {
                std::cmp::Ordering::Less => return Err(mismatch(&mf.path, MismatchKind::MissingFromArchive)),
                std::cmp::Ordering::Greater => return Err(mismatch(path, MismatchKind::MissingFromManifest)),
                std::cmp::Ordering::Equal => {
                    if mf.size != *size {
                        return Err(mismatch(path, MismatchKind::Size));
                    }
                    if &mf.sha256 != sha {
                        return Err(mismatch(path, MismatchKind::Sha256));
                    }
                    i += 1;
                    j += 1;
                }
            },
            (Some(mf), None) => return Err(mismatch(&mf.path, MismatchKind::MissingFromArchive)),
            (None, Some((path, _, _))) => return Err(mismatch(path, MismatchKind::MissingFromManifest)),
            (None, None) => break,
        }
    }
    seen.dirs.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    let manifest_dirs: HashSet<&str> = m.dirs.iter().map(String::as_str).collect();
    if let Some(d) = seen.dirs.iter().find(|d| !manifest_dirs.contains(d.as_str())) {
        return Err(mismatch(d, MismatchKind::MissingFromManifest));
    }
    let seen_dirs: HashSet<&str> = seen.dirs.iter().map(String::as_str).collect();
    if let Some(d) = m.dirs.iter().find(|d| !seen_dirs.contains(d.as_str())) {
        return Err(mismatch(d, MismatchKind::MissingFromArchive));
    }
    Ok(())
}
