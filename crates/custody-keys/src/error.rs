use crate::KeyId;

/// Everything that can go wrong reading, writing or using a key or a signature.
///
/// No variant ever carries a passphrase or secret key bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The checksum inside the decrypted secret key did not match: almost always a mistyped passphrase.
    #[error("wrong passphrase for this secret key")]
    WrongPassphrase,
    /// The text is not a well-formed minisign file; `what` names the part that is wrong.
    #[error("malformed minisign data: {what}")]
    Malformed { what: &'static str },
    /// A well-formed file that uses an algorithm we do not accept.
    #[error("unsupported {field} algorithm {found:?}")]
    UnsupportedAlgorithm { field: &'static str, found: String },
    /// The secret key file is stored without a passphrase (`minisign -W`); custody requires one.
    #[error("secret key is not passphrase-protected")]
    NotEncrypted,
    /// The secret key asks for a scrypt cost above our bound (a hostile file must not exhaust memory).
    #[error(
        "secret key KDF cost too high: N=2^{log_n}, r={r}, p={p} (limit N=2^{max_log_n}, {max_mem} bytes, p<={max_p})"
    )]
    KdfTooExpensive { log_n: u32, r: u32, p: u32, max_log_n: u32, max_mem: u64, max_p: u32 },
    /// The secret key's scrypt cost is below the documented minimum (docs/keys.md).
    #[error("secret key KDF cost too low: N=2^{log_n}, r={r} (minimum N=2^{min_log_n}, {min_mem} bytes)")]
    KdfTooWeak { log_n: u32, r: u32, min_log_n: u32, min_mem: u64 },
    /// The signature was made by another key than the one we verify with.
    #[error("signature was made by key {found}, expected key {expected}")]
    KeyIdMismatch { expected: KeyId, found: KeyId },
    /// The signature does not verify (data, trusted comment or signature changed, or wrong key).
    #[error("signature verification failed")]
    BadSignature,
    /// A comment we would write contains a line break or is too long for stock minisign.
    #[error("{which} comment is not a single line of at most {max} bytes")]
    BadComment { which: &'static str, max: usize },
    /// Reading the data being signed or verified failed.
    #[error("reading data: {0}")]
    Io(#[from] std::io::Error),
}
