//! The notice: what it shows, how it escapes, how it reads back and how it is written.

use std::path::Path;

use chrono::{DateTime, NaiveDate};
use custody_l10n::{Lang, Localizer};
use custody_notice::{
    japanese_date, parse_text_notice, render, write_notice, Notice, NoticeError, NoticeFormat, Passphrase,
};

const CANONICAL: &str = "7K3QZ-9XW2P-ABCDE-FGHJK";
const TYPED: &str = "7K3QZY-9XW2PB-ABCDEJ-FGHJK~";

fn sample() -> Notice {
    Notice {
        notice_id: "N-20261124-7K3QZ9".parse().unwrap(),
        payload_id: "P-20261124-0001".into(),
        fingerprint: "AB12-CD34-EF56-GH78".into(),
        issuer_org: "新宿区 都市計画部 交通対策課".into(),
        issuer_name: "新宿 花子".into(),
        recipient: Some("株式会社サイクルサービス 取扱責任者 四谷 一郎".into()),
        contract: Some("令和8年度 放置自転車撤去業務委託".into()),
        categories: vec!["住所".into(), "氏名".into(), "電話番号".into(), "防犯登録番号".into()],
        issued: DateTime::parse_from_rfc3339("2026-11-24T10:30:00+09:00").unwrap(),
        file_count: 12,
        total_bytes: 1_234_567,
    }
}

fn pass() -> Passphrase {
    Passphrase::parse(CANONICAL).unwrap()
}

fn rendered(notice: &Notice, format: NoticeFormat, lang: Lang) -> String {
    render(notice, &pass(), format, &Localizer::new(lang)).to_string()
}

fn assert_all(out: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(out.contains(w), "missing {w:?} in:\n{out}");
    }
}

const FIELDS: &[&str] = &[
    "N-20261124-7K3QZ9",
    "P-20261124-0001",
    "AB12-CD34-EF56-GH78",
    "新宿区 都市計画部 交通対策課",
    "新宿 花子",
    "株式会社サイクルサービス 取扱責任者 四谷 一郎",
    "令和8年度 放置自転車撤去業務委託",
    "防犯登録番号",
    CANONICAL,
];

const JA_WORDS: &[&str] = &[
    "パスワード通知書",
    "通知番号",
    "照合コード",
    "情報項目",
    "住所、氏名、電話番号、防犯登録番号",
    "12 件",
    "1,234,567 バイト（1.2 MB）",
    "2026年11月24日（令和8年11月24日）",
    "別の機会",
    "手渡し",
    "施錠",
    "複写",
    "返却",
    "区の指示",
    "引渡者",
    "受領者",
    "署名／押印",
    "令和　　年　　月　　日",
    "O（オー）",
];

const EN_WORDS: &[&str] = &[
    "Password notice",
    "Notice number",
    "Fingerprint",
    "Data categories",
    "住所, 氏名, 電話番号, 防犯登録番号",
    "1,234,567 bytes (1.2 MB)",
    "2026-11-24 (Reiwa 8)",
    "separate occasion",
    "in person",
    "locked cabinet",
    "Do not copy",
    "Return this notice",
    "as the ward instructs",
    "Handed over by",
    "Received by",
    "Signature / seal",
    "never used",
];

#[test]
fn text_notice_shows_every_field_in_japanese_and_english() {
    let ja = rendered(&sample(), NoticeFormat::Text, Lang::Ja);
    assert_all(&ja, FIELDS);
    assert_all(&ja, JA_WORDS);
    assert!(ja.contains(&format!("パスワード（入力用）: {TYPED}\n")));
    assert!(ja.contains(&format!("パスワード（標準形式）: {CANONICAL}\n")));
    let en = rendered(&sample(), NoticeFormat::Text, Lang::En);
    assert_all(&en, FIELDS);
    assert_all(&en, EN_WORDS);
    assert!(en.contains(&format!("Passphrase (to type): {TYPED}\n")));
    assert!(en.contains("Files: 12\n"));
}

#[test]
fn html_notice_shows_every_field_and_loads_nothing() {
    for (lang, words) in [(Lang::Ja, JA_WORDS), (Lang::En, EN_WORDS)] {
        let html = rendered(&sample(), NoticeFormat::Html, lang);
        assert_all(&html, FIELDS);
        assert_all(&html, words);
        // The typed form is printed group by group, check symbol shaded.
        for group in TYPED.split('-') {
            let (data, check) = group.split_at(5);
            assert!(html.contains(&format!(r#"{data}<span class="chk">{check}</span>"#)), "{group}");
        }
        assert_all(&html, &["size: A4", "@page", "Noto Sans CJK JP", "default-src 'none'", "<!DOCTYPE html>"]);
        assert!(html.contains(&format!(r#"<html lang="{}">"#, lang.tag())));
        let lower = html.to_lowercase();
        for forbidden in ["http:", "https:", "//", "<script", "<img", "<link", "@import", "url(", "@font-face"] {
            // `//` would be a protocol-relative URL; the CSS has no comments.
            assert!(!lower.contains(forbidden), "{forbidden} in the HTML");
        }
    }
}

#[test]
fn hostile_fields_are_escaped_in_html() {
    let evil = r#"<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'"#;
    let mut n = sample();
    n.issuer_org = evil.into();
    n.issuer_name = evil.into();
    n.recipient = Some(evil.into());
    n.contract = Some(evil.into());
    n.categories = vec![evil.into()];
    n.payload_id = evil.into();
    n.fingerprint = evil.into();
    for lang in [Lang::Ja, Lang::En] {
        let html = rendered(&n, NoticeFormat::Html, lang);
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"));
        assert!(!lower.contains("<img"));
        assert!(html.contains(
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;&#39;"
        ));
    }
}

#[test]
fn text_notice_round_trips_in_both_languages() {
    for lang in [Lang::Ja, Lang::En] {
        let text = rendered(&sample(), NoticeFormat::Text, lang);
        let read = parse_text_notice(&text).unwrap();
        assert_eq!(read.passphrase.canonical(), CANONICAL);
        assert_eq!(read.notice_id, sample().notice_id);
        assert_eq!(read.payload_id, "P-20261124-0001");
        assert_eq!(read.fingerprint, "AB12-CD34-EF56-GH78");
        assert_eq!(read.lang, lang);
        // Saved by Notepad: CRLF and a byte-order mark.
        let crlf = format!("\u{FEFF}{}", text.replace('\n', "\r\n"));
        assert_eq!(parse_text_notice(&crlf).unwrap().passphrase.canonical(), CANONICAL);
    }
}

#[test]
fn generated_passphrases_round_trip_through_text() {
    for lang in [Lang::Ja, Lang::En] {
        for _ in 0..50 {
            let p = Passphrase::generate().unwrap();
            let text = render(&sample(), &p, NoticeFormat::Text, &Localizer::new(lang));
            assert_eq!(parse_text_notice(&text).unwrap().passphrase.canonical(), p.canonical());
        }
    }
}

/// A field cannot smuggle a line of its own: line breaks in values become spaces.
#[test]
fn a_field_cannot_inject_a_passphrase_line() {
    let mut n = sample();
    n.recipient = Some("x\nパスワード（入力用）: 000000-000000-000000-000000\r\nPassphrase (to type): 0".into());
    n.issuer_name = "y\u{2028}照合コード: ZZZZ-ZZZZ-ZZZZ-ZZZZ".into();
    for lang in [Lang::Ja, Lang::En] {
        let text = rendered(&n, NoticeFormat::Text, lang);
        let read = parse_text_notice(&text).unwrap();
        assert_eq!(read.passphrase.canonical(), CANONICAL);
        assert_eq!(read.fingerprint, "AB12-CD34-EF56-GH78");
    }
}

#[test]
fn golden_text_notices() {
    for (lang, file, golden) in [
        (Lang::Ja, "notice-ja.txt", include_str!("data/notice-ja.txt")),
        (Lang::En, "notice-en.txt", include_str!("data/notice-en.txt")),
    ] {
        let text = rendered(&sample(), NoticeFormat::Text, lang);
        if std::env::var_os("CUSTODY_UPDATE_VECTORS").is_some() {
            std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(file), &text).unwrap();
            continue;
        }
        assert_eq!(text, golden, "{file} changed: the text format is a spec (docs/notice.md)");
        let read = parse_text_notice(golden).unwrap();
        assert_eq!(read.passphrase.typed_form().as_str(), TYPED);
    }
}

#[test]
fn malformed_text_notices_are_refused_with_the_line() {
    let good = rendered(&sample(), NoticeFormat::Text, Lang::Ja);
    let line_of = |prefix: &str| good.lines().position(|l| l.starts_with(prefix)).unwrap() + 1;
    let typed_line = line_of("パスワード（入力用）");
    let canon_line = line_of("パスワード（標準形式）");

    let typo = good.replace(TYPED, "7K3QZY-9XW2PB-ABCDEJ-FGHJK0");
    assert!(matches!(
        parse_text_notice(&typo),
        Err(NoticeError::Passphrase { line, source: custody_notice::PassphraseError::TypoInGroup { group: 4 } })
            if line == typed_line
    ));
    let mismatch = good.replace(&format!("（標準形式）: {CANONICAL}"), "（標準形式）: 7K3QZ-9XW2P-ABCDE-FGHJM");
    assert!(
        matches!(parse_text_notice(&mismatch), Err(NoticeError::PassphraseMismatch { line }) if line == canon_line)
    );
    let missing: String = good.lines().filter(|l| !l.starts_with("照合コード")).map(|l| format!("{l}\n")).collect();
    assert!(matches!(parse_text_notice(&missing), Err(NoticeError::MissingLine { label: "照合コード" })));
    let dup = format!("{good}照合コード: AB12-CD34-EF56-GH78\n");
    assert!(matches!(parse_text_notice(&dup), Err(NoticeError::DuplicateLine { label: "照合コード", .. })));
    let bad_format = good.replace("書式: custody-notice/1", "書式: custody-notice/2");
    assert!(matches!(parse_text_notice(&bad_format), Err(NoticeError::InvalidValue { label: "書式", line: 3 })));
    let bad_id = good.replace("N-20261124-7K3QZ9", "N-20261124-7K3QZ");
    assert!(matches!(parse_text_notice(&bad_id), Err(NoticeError::InvalidValue { label: "通知番号", .. })));
    let bad_fp = good.replace("AB12-CD34-EF56-GH78", "ab12-cd34-ef56-gh78");
    assert!(matches!(parse_text_notice(&bad_fp), Err(NoticeError::InvalidValue { label: "照合コード", .. })));
    assert!(matches!(
        parse_text_notice(&good.replacen("パスワード通知書\n", "通知書\n", 1)),
        Err(NoticeError::NotANotice)
    ));
    assert!(matches!(parse_text_notice(""), Err(NoticeError::NotANotice)));
    // English labels under a Japanese title are not read: one language per notice.
    let en = rendered(&sample(), NoticeFormat::Text, Lang::En).replacen("Password notice", "パスワード通知書", 1);
    assert!(matches!(parse_text_notice(&en), Err(NoticeError::MissingLine { label: "書式" })));
    let huge = format!("{good}{}", " ".repeat(64 * 1024));
    assert!(matches!(parse_text_notice(&huge), Err(NoticeError::TooLarge { limit: 65536, .. })));
    // Errors never carry the passphrase.
    for e in [parse_text_notice(&typo).unwrap_err(), parse_text_notice(&mismatch).unwrap_err()] {
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("7K3QZ") && !shown.contains("FGHJ"), "{shown}");
    }
}

#[test]
fn write_notice_writes_a_private_complete_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, lang) in [("n.txt", Lang::Ja), ("n.html", Lang::En), ("N.HTM", Lang::Ja)] {
        let path = dir.path().join(name);
        write_notice(&path, &sample(), &pass(), lang).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        let format = NoticeFormat::from_path(&path).unwrap();
        assert_eq!(written, rendered(&sample(), format, lang));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
    let read = parse_text_notice(&std::fs::read_to_string(dir.path().join("n.txt")).unwrap()).unwrap();
    assert_eq!(read.passphrase.canonical(), CANONICAL);
    let mut names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names, ["N.HTM", "n.html", "n.txt"], "no temporary file is left");
}

#[test]
fn write_notice_refuses_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("n.pdf");
    assert!(matches!(
        write_notice(&pdf, &sample(), &pass(), Lang::Ja),
        Err(NoticeError::UnsupportedExtension { path }) if path == pdf
    ));
    let mut bad = sample();
    bad.fingerprint = "not a fingerprint".into();
    let txt = dir.path().join("bad.txt");
    assert!(matches!(
        write_notice(&txt, &bad, &pass(), Lang::Ja),
        Err(NoticeError::InvalidField { field: "fingerprint" })
    ));
    bad = sample();
    bad.payload_id = "a\nb".into();
    assert!(matches!(
        write_notice(&txt, &bad, &pass(), Lang::Ja),
        Err(NoticeError::InvalidField { field: "payload_id" })
    ));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let existing = dir.path().join("old.txt");
    std::fs::write(&existing, "another payload's notice").unwrap();
    assert!(matches!(write_notice(&existing, &sample(), &pass(), Lang::Ja), Err(NoticeError::AlreadyExists { .. })));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "another payload's notice");

    let missing_dir = dir.path().join("no/such/dir/n.txt");
    assert!(matches!(write_notice(&missing_dir, &sample(), &pass(), Lang::Ja), Err(NoticeError::Io { .. })));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn notice_serializes_without_the_passphrase() {
    let json = serde_json::to_string(&sample()).unwrap();
    assert!(json.contains("\"notice_id\":\"N-20261124-7K3QZ9\""));
    assert!(json.contains("2026-11-24T10:30:00+09:00"));
    let back: Notice = serde_json::from_str(&json).unwrap();
    assert_eq!(back, sample());
}

#[test]
fn japanese_dates_at_era_boundaries() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert_eq!(japanese_date(d(2026, 11, 24)), "令和8年11月24日");
    assert_eq!(japanese_date(d(2019, 5, 1)), "令和元年5月1日");
    assert_eq!(japanese_date(d(2019, 12, 31)), "令和元年12月31日");
    assert_eq!(japanese_date(d(2020, 1, 1)), "令和2年1月1日");
    assert_eq!(japanese_date(d(2019, 4, 30)), "平成31年4月30日");
    assert_eq!(japanese_date(d(1989, 1, 8)), "平成元年1月8日");
    assert_eq!(japanese_date(d(1989, 1, 7)), "昭和64年1月7日");
}
