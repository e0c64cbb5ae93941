//! parse_text_notice reads untrusted files: it must refuse, never panic.

use chrono::DateTime;
use custody_l10n::{Lang, Localizer};
use custody_notice::{parse_text_notice, render, Notice, NoticeFormat, Passphrase};
use proptest::prelude::*;

fn valid_text(lang: Lang) -> String {
    let notice = Notice {
        notice_id: "N-20261124-7K3QZ9".parse().unwrap(),
        payload_id: "P-1".into(),
        fingerprint: "AB12-CD34-EF56-GH78".into(),
        issuer_org: "区".into(),
        issuer_name: "名".into(),
        recipient: None,
        contract: None,
        categories: vec![],
        issued: DateTime::parse_from_rfc3339("2026-11-24T10:30:00+09:00").unwrap(),
        file_count: 1,
        total_bytes: 1,
    };
    let p = Passphrase::parse("7K3QZ-9XW2P-ABCDE-FGHJK").unwrap();
    render(&notice, &p, NoticeFormat::Text, &Localizer::new(lang)).to_string()
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_text(s in any::<String>()) {
        let _ = parse_text_notice(&s);
    }

    #[test]
    fn never_panics_with_a_valid_title(s in any::<String>(), en in any::<bool>()) {
        let title = if en { "Password notice\n" } else { "パスワード通知書\n" };
        let _ = parse_text_notice(&format!("{title}{s}"));
    }

    /// Valid notices with lines dropped, repeated or cut, and characters inserted.
    #[test]
    fn never_panics_on_mutated_notices(
        en in any::<bool>(),
        ops in proptest::collection::vec((0usize..4, any::<prop::sample::Index>(), any::<char>()), 1..8),
    ) {
        let text = valid_text(if en { Lang::En } else { Lang::Ja });
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (op, idx, c) in ops {
            let i = idx.index(lines.len());
            match op {
                0 => { lines.remove(i); }
                1 => { let l = lines[i].clone(); lines.insert(i, l); }
                2 => { let cut = lines[i].char_indices().nth(idx.index(lines[i].chars().count() + 1)).map_or(lines[i].len(), |(b, _)| b); lines[i].truncate(cut); }
                _ => { let at = lines[i].char_indices().nth(idx.index(lines[i].chars().count() + 1)).map_or(lines[i].len(), |(b, _)| b); lines[i].insert(at, c); }
            }
            if lines.is_empty() { break; }
        }
        let _ = parse_text_notice(&lines.join("\n"));
    }
}
