use crate::FsioError;

/// Fills `buf` from the operating system's random generator (`getrandom(2)` on Linux,
/// `ProcessPrng` on Windows). Fails rather than falling back to anything weaker.
pub fn fill_random(buf: &mut [u8]) -> Result<(), FsioError> {
    getrandom::fill(buf).map_err(|e| FsioError::Random(e.into()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_draws_differ() {
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        super::fill_random(&mut a).unwrap();
        super::fill_random(&mut b).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 32]);
    }
}
