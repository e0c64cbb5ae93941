//! NIST SP 800-88 Rev.1 §4.7 sampled verification: at least 1,000 equal subsections,
//! two non-overlapping pseudorandom locations in each plus the first and last block,
//! together at least 10 % of the media.

/// Ranges (offset, length), sorted and non-overlapping, aligned to `block`.
/// Media too small for 1,000 subsections of 20 blocks each are read whole.
pub fn ranges(len: u64, block: u64, salt: u64) -> Vec<(u64, u64)> {
    match locations(len, block, salt) {
        Some(l) => merge(l),
        None => vec![(0, len)],
    }
}

const SUBSECTIONS: u64 = 1000;

/// Every sampled location before merging: first block, two per subsection, last block.
fn locations(len: u64, block: u64, salt: u64) -> Option<Vec<(u64, u64)>> {
    let blocks = len / block;
    if blocks < SUBSECTIONS * 20 {
        return None;
    }
    let per = blocks / SUBSECTIONS;
    // 2,000 disjoint locations of this many blocks cover >= 10 % of the whole length.
    let loc = len.div_ceil(block).div_ceil(SUBSECTIONS * 20);
    let mut state = salt ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        // splitmix64: locations need only be unpredictable to the medium, not secret.
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut out = vec![(0, block)];
    for s in 0..SUBSECTIONS {
        let base = s * per;
        // Two halves, one location in each: never overlapping.
        let half = per / 2;
        for h in 0..2 {
            let room = half.saturating_sub(loc);
            let at = base + h * half + if room > 0 { next() % (room + 1) } else { 0 };
            out.push((at * block, loc * block));
        }
    }
    let tail = if len % block == 0 { len - block } else { len - len % block };
    out.push((tail, len - tail));
    Some(out)
}

fn merge(mut out: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    out.sort();
    // Merge overlaps (first/last block may touch a sampled location).
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(out.len());
    for (o, l) in out {
        if let Some(last) = merged.last_mut() {
            if o <= last.0 + last.1 {
                let end = (o + l).max(last.0 + last.1);
                last.1 = end - last.0;
                continue;
            }
        }
        merged.push((o, l));
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn meets_nist_recipe(blocks in 20_000u64..3_000_000, extra in 0u64..4096, salt: u64) {
            let len = blocks * 4096 + extra;
            let r = ranges(len, 4096, salt);
            let covered: u64 = r.iter().map(|x| x.1).sum();
            prop_assert!(covered * 10 >= len, "coverage {} of {}", covered, len);
            prop_assert_eq!(locations(len, 4096, salt).map(|l| l.len()), Some(2002));
            prop_assert_eq!(r[0].0, 0);
            let last = r[r.len() - 1];
            prop_assert_eq!(last.0 + last.1, len);
            for w in r.windows(2) {
                prop_assert!(w[0].0 + w[0].1 < w[1].0 + 1);
            }
        }
    }

    #[test]
    fn small_media_are_read_whole() {
        assert_eq!(ranges(8 << 20, 4096, 1), vec![(0, 8 << 20)]);
    }
}
