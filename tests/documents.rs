//! The printed documents in a real browser: headless Chromium prints each HTML
//! document to PDF, `pdfinfo` counts its pages and `pdftotext` reads its text back.
//! With `CUSTODY_DOC_IMAGES=DIR` the same run writes a PNG of each page there
//! (`pdftoppm`): that is how the pictures in docs/ are made.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_ok, have, json, Person};

/// The browser harness: HTML in, page count and text out.
struct Printed {
    pages: u32,
    text: String,
    pdf: PathBuf,
}

fn tools(test: &str) -> bool {
    ["chromium", "pdfinfo", "pdftotext"].iter().all(|t| have(t, test))
}

fn print(html: &Path, work: &Path) -> Printed {
    let pdf = work.join(format!("{}.pdf", html.file_stem().unwrap().to_string_lossy()));
    let profile = work.join("chromium-profile");
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    let out = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(pdf.is_file(), "chromium wrote no PDF: {}", String::from_utf8_lossy(&out.stderr));
    let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"));
    let text = Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().expect("pdftotext");
    Printed { pages, text: String::from_utf8_lossy(&text.stdout).into_owned(), pdf }
}

/// Writes `<name>.png` of the first page to $CUSTODY_DOC_IMAGES when it is set.
fn picture(p: &Printed, name: &str) {
    let Some(dir) = std::env::var_os("CUSTODY_DOC_IMAGES") else { return };
    if !have("pdftoppm", "document pictures") {
        return;
    }
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "70", "-singlefile", "-f", "1"])
        .arg(&p.pdf)
        .arg(Path::new(&dir).join(name))
        .output()
        .expect("pdftoppm");
    assert!(out.status.success());
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

/// The canonical passphrase `XXXXX-XXXXX-XXXXX-XXXXX` printed in the notice's HTML.
fn canonical_in(html: &str) -> Vec<String> {
    let b = html.as_bytes();
    let sym = |c: u8| c.is_ascii_digit() || c.is_ascii_uppercase();
    for i in 0..b.len().saturating_sub(23) {
        let w = &b[i..i + 23];
        let shape = w.iter().enumerate().all(|(j, &c)| if j % 6 == 5 { c == b'-' } else { sym(c) });
        if shape && (i == 0 || !sym(b[i - 1])) {
            return std::str::from_utf8(w).unwrap().split('-').map(str::to_owned).collect();
        }
    }
    panic!("no canonical passphrase in the notice");
}

#[test]
fn documents_print_on_one_a4_page_with_their_key_facts() {
    if !tools("documents_print_on_one_a4_page_with_their_key_facts") {
        return;
    }
    let ward = Person::init("新宿区 地域調整課", "区 太郎");
    let contractor = Person::init("株式会社サンプル", "乙 花子");
    let src = ward.path("src");
    fs::create_dir_all(src.join("申請書")).unwrap();
    for i in 0..12 {
        fs::write(src.join(format!("申請書/申請{i:02}.txt")), format!("返還申請書 {i}\n")).unwrap();
    }
    fs::write(src.join("一覧.csv"), "氏名,住所\n").unwrap();
    let media = ward.path("media");
    let notice = ward.path("notice.html");
    let out = ward.seal(&src, &media, &notice, &["--contract", "R8-001", "--recipient", "株式会社サンプル"]);
    assert_ok(&out);
    let sealed = json(&out);
    let payload_id = sealed["payload_id"].as_str().unwrap().to_string();

    // The password notice: number, payload id, fingerprint and the four groups.
    let printed = print(&notice, ward.dir.path());
    assert_eq!(printed.pages, 1, "the notice takes {} pages", printed.pages);
    let text = squeeze(&printed.text);
    for fact in [sealed["notice_id"].as_str().unwrap(), &payload_id, sealed["fingerprint"].as_str().unwrap()] {
        assert!(text.contains(&squeeze(fact)), "{fact} not in the notice's PDF text:\n{}", printed.text);
    }
    let groups = canonical_in(&fs::read_to_string(&notice).unwrap());
    assert_eq!(groups.len(), 4);
    for g in &groups {
        assert!(text.contains(g.as_str()), "group {g} not in the PDF text");
    }
    picture(&printed, "notice");

    // The certificate of a typical delivery: one page, id, payload id, result.
    let txt_notice = ward.path("notice2.txt");
    let out = ward.seal(&src, &ward.path("media2"), &txt_notice, &[]);
    assert_ok(&out);
    let payload2 = std::path::PathBuf::from(json(&out)["payload"].as_str().unwrap());
    let work = contractor.path("work");
    let out = contractor
        .cmd()
        .args(["--json", "open"])
        .arg(&payload2)
        .arg("--dest")
        .arg(&work)
        .arg("--passphrase-file")
        .arg(&txt_notice)
        .output()
        .unwrap();
    assert_ok(&out);
    let opened_id = json(&out)["payload_id"].as_str().unwrap().to_string();
    let record = contractor.path("record.json");
    let out = contractor
        .cmd()
        .args(["--json", "wipe", "--yes", "--notice-destroyed", "--record"])
        .arg(&record)
        .arg(&work)
        .arg(&payload2)
        .arg(payload2.with_extension("").with_extension("label.json"))
        .output()
        .unwrap();
    assert_ok(&out);
    let cert = contractor.path("CERT.json");
    let out = contractor
        .cmd()
        .env("LANG", "ja_JP.UTF-8")
        .args(["--json", "certify"])
        .arg(&record)
        .arg("--out")
        .arg(&cert)
        .args(["--contract", "R8-001", "--to", "新宿区長", "--media-destination", "返却"])
        .output()
        .unwrap();
    assert_ok(&out);
    let id = json(&out)["certificate"]["id"].as_str().unwrap().to_string();
    let printed = print(&cert.with_extension("html"), contractor.dir.path());
    assert_eq!(printed.pages, 1, "the certificate takes {} pages", printed.pages);
    let text = squeeze(&printed.text);
    // pdftotext loses a few CJK glyphs of bold and heading runs (its ToUnicode maps for
    // synthetic bold), so the words checked are ones printed in regular weight.
    for fact in
        [id.as_str(), opened_id.as_str(), "証明書番号", "消去・確認済み", "確認済み", "作業者", "取扱責任者", "令和"]
    {
        assert!(text.contains(&squeeze(fact)), "{fact} not in the certificate's PDF text:\n{}", printed.text);
    }
    picture(&printed, "certificate");
}

/// The longest fields a notice takes in practice: a 60-character recipient, a
/// 50-character contract name and 15 data categories, in Japanese. The handoff record
/// (受渡しの記録) must stay on the first page with everything else.
#[test]
fn the_notice_stays_on_one_page_with_long_fields() {
    if !tools("the_notice_stays_on_one_page_with_long_fields") {
        return;
    }
    let ward = Person::init("新宿区 地域振興部 地域調整課 個人情報保護担当", "区 太郎");
    let src = ward.path("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("一覧.csv"), "氏名,住所\n").unwrap();
    let recipient: String =
        "株式会社サンプル情報処理サービス東日本支社第二システム開発部門個人情報保護推進室データ管理課"
            .chars()
            .chain(std::iter::repeat('課'))
            .take(60)
            .collect();
    let contract: String =
        "令和八年度新宿区住民基本台帳システム運用保守及びデータ移行業務委託契約".chars().cycle().take(50).collect();
    assert_eq!((recipient.chars().count(), contract.chars().count()), (60, 50));
    let categories = [
        "氏名",
        "住所",
        "生年月日",
        "性別",
        "電話番号",
        "電子メールアドレス",
        "個人番号",
        "住民票コード",
        "世帯構成",
        "国民健康保険情報",
        "介護保険情報",
        "税額情報",
        "口座情報",
        "障害者手帳情報",
        "生活保護受給情報",
    ];
    let mut extra = vec!["--recipient", recipient.as_str(), "--contract", contract.as_str()];
    for c in &categories {
        extra.extend(["--category", c]);
    }
    let notice = ward.path("long.html");
    let out = ward.seal(&src, &ward.path("media"), &notice, &extra);
    assert_ok(&out);
    let sealed = json(&out);

    let printed = print(&notice, ward.dir.path());
    assert_eq!(printed.pages, 1, "the notice with long fields takes {} pages:\n{}", printed.pages, printed.text);
    let text = squeeze(&printed.text);
    for key in ["notice_id", "payload_id", "fingerprint"] {
        let fact = sealed[key].as_str().unwrap();
        assert!(text.contains(&squeeze(fact)), "{key} {fact} not in the PDF text:\n{}", printed.text);
    }
    let groups = canonical_in(&fs::read_to_string(&notice).unwrap());
    assert_eq!(groups.len(), 4);
    for g in &groups {
        assert!(text.contains(g.as_str()), "group {g} not in the PDF text");
    }
    // The handoff record is on this one page, after the rules.
    assert!(text.contains("受渡しの記録"), "no handoff record on the page:\n{}", printed.text);
}
