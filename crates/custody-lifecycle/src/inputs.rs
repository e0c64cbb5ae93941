//! Files the person names on the command line or the media hands us: each read with a
//! size bound and a type check (`custody_seal::read_small_file`), so `/dev/zero`, a
//! FIFO or a 100 GB file named by mistake or by an attacker ends in an error, not an
//! out-of-memory kill or a hang.

use std::path::Path;

use custody_keys::PublicKey;
use custody_notice::Passphrase;
use custody_seal::{read_small_file, FileProblem, SmallFile};
use secrecy::SecretString;

use crate::Error;

/// Largest payload passphrase file: the `.txt` notice itself is a few KiB.
pub const MAX_PASSPHRASE_FILE: u64 = 64 << 10;
/// Largest key passphrase file.
pub const MAX_KEY_PASSPHRASE_FILE: u64 = 4 << 10;
/// Largest public key or signature file (minisign's are under 1 KiB, plus comments).
pub const MAX_KEY_FILE: u64 = 16 << 10;

pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<SmallFile, Error> {
    read_small_file(path, max).map_err(|problem| match problem {
        FileProblem::Io(source) => Error::Io { path: path.to_path_buf(), source },
        problem => Error::InputFile { path: path.to_path_buf(), problem },
    })
}

fn utf8(path: &Path, bytes: &[u8]) -> Result<String, Error> {
    String::from_utf8(bytes.to_vec()).map_err(|_| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
    })
}

/// Reads a passphrase from a file: either the `.txt` password notice itself or a
/// file holding just the passphrase (typed or canonical form).
pub fn read_passphrase_file(path: &Path) -> Result<Passphrase, Error> {
    let file = read_bounded(path, MAX_PASSPHRASE_FILE)?;
    let text = zeroize::Zeroizing::new(utf8(path, &file.bytes)?);
    if let Ok(parsed) = custody_notice::parse_text_notice(&text) {
        return Ok(parsed.passphrase);
    }
    Ok(Passphrase::parse(text.trim())?)
}

/// Reads the key passphrase from a file that only its owner can read: a file that
/// group or others can read is refused, as ssh refuses such a private key. Only the
/// line ending is trimmed: spaces may be part of a key passphrase.
pub fn read_key_passphrase_file(path: &Path) -> Result<SecretString, Error> {
    let file = read_bounded(path, MAX_KEY_PASSPHRASE_FILE)?;
    if file.mode & 0o077 != 0 {
        return Err(Error::KeyPassphraseFileExposed { path: path.to_path_buf(), mode: file.mode });
    }
    let text = zeroize::Zeroizing::new(utf8(path, &file.bytes)?);
    let line = text.strip_suffix('\n').unwrap_or(&text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    Ok(SecretString::from(line.to_string()))
}

/// Reads a minisign public key file.
pub fn read_public_key_file(path: &Path) -> Result<PublicKey, Error> {
    let file = read_bounded(path, MAX_KEY_FILE)?;
    Ok(PublicKey::from_minisign(&utf8(path, &file.bytes)?)?)
}
