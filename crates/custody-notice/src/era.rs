//! Japanese era dates (和暦) for printed forms.

use chrono::{Datelike, NaiveDate};

/// An era: its first day, its names, and the Gregorian year of its year 1.
struct Era {
    start: (i32, u32, u32),
    ja: &'static str,
    en: &'static str,
    year_one: i32,
}

/// Newest first. Meiji starts here at 1873-01-01, the day Japan adopted the Gregorian
/// calendar: earlier Meiji dates were lunisolar and cannot be written from a
/// Gregorian date by arithmetic.
const ERAS: &[Era] = &[
    Era { start: (2019, 5, 1), ja: "令和", en: "Reiwa", year_one: 2019 },
    Era { start: (1989, 1, 8), ja: "平成", en: "Heisei", year_one: 1989 },
    Era { start: (1926, 12, 25), ja: "昭和", en: "Shōwa", year_one: 1926 },
    Era { start: (1912, 7, 30), ja: "大正", en: "Taishō", year_one: 1912 },
    Era { start: (1873, 1, 1), ja: "明治", en: "Meiji", year_one: 1868 },
];

fn era_of(date: NaiveDate) -> Option<(&'static Era, i32)> {
    ERAS.iter().find_map(|e| {
        let (y, m, d) = e.start;
        let start = NaiveDate::from_ymd_opt(y, m, d)?;
        (date >= start).then(|| (e, date.year() - e.year_one + 1))
    })
}

/// The date in the Japanese era, as printed on ward forms: `令和8年11月24日`; the
/// first year of an era is 元年 (`令和元年5月1日`).
///
/// Supported from 1873-01-01 (明治6年1月1日) on, with 令和 continuing for any later
/// year. Earlier dates have no arithmetic era form and are returned in Gregorian
/// form (`1850年1月1日`).
pub fn japanese_date(date: NaiveDate) -> String {
    match era_of(date) {
        Some((era, 1)) => format!("{}元年{}月{}日", era.ja, date.month(), date.day()),
        Some((era, year)) => format!("{}{}年{}月{}日", era.ja, year, date.month(), date.day()),
        None => gregorian_ja(date),
    }
}

/// `2026年11月24日`.
pub(crate) fn gregorian_ja(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// `Reiwa 8`, for English documents; `None` outside the supported range.
pub(crate) fn era_year_en(date: NaiveDate) -> Option<String> {
    era_of(date).map(|(era, year)| format!("{} {}", era.en, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn era_boundaries() {
        assert_eq!(japanese_date(d(2026, 11, 24)), "令和8年11月24日");
        assert_eq!(japanese_date(d(2025, 4, 1)), "令和7年4月1日");
        assert_eq!(japanese_date(d(2020, 4, 1)), "令和2年4月1日");
        assert_eq!(japanese_date(d(2019, 12, 31)), "令和元年12月31日");
        assert_eq!(japanese_date(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(japanese_date(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(japanese_date(d(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(japanese_date(d(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(japanese_date(d(1926, 12, 25)), "昭和元年12月25日");
        assert_eq!(japanese_date(d(1926, 12, 24)), "大正15年12月24日");
        assert_eq!(japanese_date(d(1912, 7, 30)), "大正元年7月30日");
        assert_eq!(japanese_date(d(1912, 7, 29)), "明治45年7月29日");
        assert_eq!(japanese_date(d(1873, 1, 1)), "明治6年1月1日");
        assert_eq!(japanese_date(d(1872, 12, 31)), "1872年12月31日");
        assert_eq!(japanese_date(d(2100, 1, 1)), "令和82年1月1日");
    }

    #[test]
    fn english_era() {
        assert_eq!(era_year_en(d(2026, 11, 24)).as_deref(), Some("Reiwa 8"));
        assert_eq!(era_year_en(d(2019, 4, 30)).as_deref(), Some("Heisei 31"));
        assert_eq!(era_year_en(d(1800, 1, 1)), None);
    }
}
