//! Writes a sample notice with a fixed (published, therefore worthless) passphrase, to
//! look at the layout: `cargo run -p custody-notice --example sample_notice -- /tmp/n.html en`.

use chrono::DateTime;
use custody_l10n::Lang;
use custody_notice::{write_notice, Notice, Passphrase};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: sample_notice <out.html|out.txt> [ja|en]")?;
    let lang = args.next().and_then(|t| Lang::from_tag(&t)).unwrap_or(Lang::Ja);
    let notice = Notice {
        notice_id: "N-20261124-7K3QZ9".parse()?,
        payload_id: "P-20261124-0001".into(),
        fingerprint: "AB12-CD34-EF56-GH78".into(),
        issuer_org: "新宿区 都市計画部 交通対策課".into(),
        issuer_name: "新宿 花子".into(),
        recipient: Some("株式会社サイクルサービス 取扱責任者 四谷 一郎".into()),
        contract: Some("令和8年度 放置自転車撤去業務委託".into()),
        categories: vec!["住所".into(), "氏名".into(), "電話番号".into(), "防犯登録番号".into()],
        issued: DateTime::parse_from_rfc3339("2026-11-24T10:30:00+09:00")?,
        file_count: 12,
        total_bytes: 1_234_567,
    };
    let pass = Passphrase::parse("7K3QZ-9XW2P-ABCDE-FGHJK")?;
    write_notice(path.as_ref(), &notice, &pass, lang)?;
    Ok(())
}
