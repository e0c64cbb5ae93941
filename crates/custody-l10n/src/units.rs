//! Sizes as a person reads them. One formatter for every screen and document, so the
//! notice, the seal screen, the demo and `open` show the same figure for the same
//! payload: a clerk who compares "1.6 MiB" with "1.7 MB" sees two different numbers.

/// Decimal units, one decimal place (`1.2 MB`): what a file manager shows a clerk.
/// The units are SI symbols, written the same in Japanese text.
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 6] = ["kB", "MB", "GB", "TB", "PB", "EB"];
    if n < 1000 {
        return format!("{n} B");
    }
    // f64 is exact enough for one decimal place of a display value.
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    // 999.95 would print as "1000.0": move up a unit before rounding gets there.
    while v >= 999.95 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn decimal_units_one_place() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(1000), "1.0 kB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
        assert_eq!(human_size(999_999), "1.0 MB");
        assert_eq!(human_size(999_949), "999.9 kB");
        assert_eq!(human_size(u64::MAX), "18.4 EB");
    }

    /// The case from the issue: 1,700,000 bytes were "1.6 MiB" on screen and "1.7 MB"
    /// on the notice.
    #[test]
    fn the_payload_that_had_two_sizes_has_one() {
        assert_eq!(human_size(1_700_000), "1.7 MB");
    }
}
