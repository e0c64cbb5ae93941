//! Random Crockford symbols from the operating system.

use zeroize::Zeroizing;

use crate::error::PassphraseError;

/// Fills `out` with uniform values in 0..32. Each byte is masked to 5 bits: 256 is a
/// multiple of 32, so masking keeps the distribution uniform (no modulo bias).
pub(crate) fn fill_symbols(out: &mut [u8]) -> Result<(), PassphraseError> {
    let mut bytes = Zeroizing::new(vec![0u8; out.len()]);
    custody_fsio::fill_random(&mut bytes[..]).map_err(|_| PassphraseError::RandomnessUnavailable)?;
    for (o, b) in out.iter_mut().zip(bytes.iter()) {
        *o = b & 31;
    }
    Ok(())
}
