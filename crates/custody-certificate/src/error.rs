/// Why bytes are not a certificate this version reads. Each is a "could not read"
/// outcome (exit 16), not a failed check: nothing can be said about a document that
/// does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    #[error("the certificate is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("the certificate is not JSON")]
    NotJson,
    #[error("the key {key:?} appears twice")]
    DuplicateKey { key: String },
    #[error("the certificate does not have the expected fields: {detail}")]
    Schema { detail: String },
    #[error("unsupported format {found:?} (expected custody-certificate/1)")]
    UnsupportedFormat { found: String },
    #[error("the certificate is not in canonical (RFC 8785) form")]
    NotCanonical,
    #[error("the field {field} is not valid: {why}")]
    BadField { field: &'static str, why: &'static str },
}
