//! Line handling shared by the three minisign file kinds.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::KeyError;

pub const UNTRUSTED_PREFIX: &str = "untrusted comment: ";
pub const TRUSTED_PREFIX: &str = "trusted comment: ";
/// minisign's COMMENTMAXBYTES is 1024 including the prefix and line end.
pub const MAX_UNTRUSTED: usize = 1000;
/// minisign's TRUSTEDCOMMENTMAXBYTES is 8192 including the prefix and line end.
pub const MAX_TRUSTED: usize = 8000;

/// Lines as minisign reads them: split at `\n`, a trailing `\r` dropped.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// The base64 payload of a one-line key file body, decoded to exactly `N` bytes.
pub fn decode_exact<const N: usize>(line: &str, what: &'static str) -> Result<[u8; N], KeyError> {
    let bytes = STANDARD.decode(line.trim()).map_err(|_| KeyError::Malformed { what })?;
    bytes.try_into().map_err(|_| KeyError::Malformed { what })
}

pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// The key body line of a `.pub` or `.key` file: after an optional untrusted comment line.
pub fn key_body<'a>(text: &'a str, what: &'static str) -> Result<&'a str, KeyError> {
    let mut it = lines(text).filter(|l| !l.trim().is_empty());
    let first = it.next().ok_or(KeyError::Malformed { what })?;
    let body = if first.starts_with(UNTRUSTED_PREFIX) { it.next().ok_or(KeyError::Malformed { what })? } else { first };
    if it.next().is_some() {
        return Err(KeyError::Malformed { what: "unexpected text after the key line" });
    }
    Ok(body)
}

/// A comment must stay on one line and within stock minisign's buffers.
pub fn check_comment(c: &str, which: &'static str, max: usize) -> Result<(), KeyError> {
    if c.len() > max || c.contains(['\n', '\r']) {
        return Err(KeyError::BadComment { which, max });
    }
    Ok(())
}

/// For writers that return plain text: line breaks become spaces, length is capped.
pub fn sanitize_comment(c: &str) -> String {
    let mut s: String = c.chars().map(|ch| if ch == '\n' || ch == '\r' { ' ' } else { ch }).collect();
    if s.len() > MAX_UNTRUSTED {
        let mut end = MAX_UNTRUSTED;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}

/// Both the key-file and the signature algorithm tags are two ASCII bytes.
pub fn alg_name(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
