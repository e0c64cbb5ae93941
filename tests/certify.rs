//! `custody certify` and `custody verify` end to end: the ward seals, the contractor
//! opens, wipes and certifies, the ward cosigns the contractor's checkpoint and
//! verifies the return package against the manifest it kept.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_exit, assert_ok, have, json, stderr, stdout, Person};

struct Delivery {
    ward: Person,
    contractor: Person,
    payload: PathBuf,
    label: PathBuf,
    notice: PathBuf,
    work: PathBuf,
    record: PathBuf,
}

fn delivery() -> Delivery {
    let ward = Person::init("新宿区 地域調整課", "区 太郎");
    let contractor = Person::init("株式会社サンプル", "乙 花子");
    let src = ward.path("src");
    fs::create_dir_all(src.join("申請書")).unwrap();
    fs::write(src.join("一覧.csv"), "氏名,住所\n佐藤太郎,西新宿\n").unwrap();
    fs::write(src.join("申請書/佐藤太郎.txt"), "返還申請書\n").unwrap();
    fs::write(src.join("申請書/鈴木花子.txt"), "返還申請書 2\n").unwrap();
    let media = ward.path("media");
    let notice = ward.path("notice.txt");
    let out = ward.seal(&src, &media, &notice, &["--contract", "R8-001"]);
    assert_ok(&out);
    let sealed = json(&out);
    let payload = PathBuf::from(sealed["payload"].as_str().unwrap());
    let label = PathBuf::from(sealed["label"].as_str().unwrap());
    fs::copy(&label, ward.path("label-copy.json")).unwrap();
    let work = contractor.path("work");
    let out = contractor
        .cmd()
        .args(["--json", "open"])
        .arg(&payload)
        .arg("--dest")
        .arg(&work)
        .arg("--passphrase-file")
        .arg(&notice)
        .output()
        .unwrap();
    assert_ok(&out);
    let record = contractor.path("record.json");
    Delivery { ward, contractor, payload, label, notice, work, record }
}

fn wipe(d: &Delivery, paths: &[&Path]) {
    let out = d
        .contractor
        .cmd()
        .args(["--json", "wipe", "--yes", "--notice-destroyed", "--record"])
        .arg(&d.record)
        .args(paths)
        .output()
        .unwrap();
    assert_ok(&out);
}

fn certify(d: &Delivery, extra: &[&str]) -> (PathBuf, PathBuf) {
    let cert = d.contractor.path("CERT.json");
    let pkg = d.contractor.path("package");
    let out = d
        .contractor
        .cmd()
        .args(["--json", "certify"])
        .arg(&d.record)
        .arg("--out")
        .arg(&cert)
        .arg("--package")
        .arg(&pkg)
        .args(["--contract", "R8-001", "--to", "新宿区長"])
        .args(extra)
        .output()
        .unwrap();
    assert_ok(&out);
    (cert, pkg)
}

fn export_key(p: &Person, name: &str) -> PathBuf {
    let path = p.path(name);
    assert_ok(&p.cmd().args(["key", "export", "--out"]).arg(&path).output().unwrap());
    path
}

/// The ward's cosignature on the package's checkpoint: `custody ledger cosign`, which
/// also keeps it in the ward's home as the latest checkpoint of that ledger.
fn cosign(d: &Delivery, pkg: &Path) -> PathBuf {
    let path = d.ward.path("cosigned.checkpoint");
    let out = d
        .ward
        .cmd()
        .args(["--json", "ledger", "cosign"])
        .arg(pkg.join("checkpoint.txt"))
        .arg("--ledger")
        .arg(pkg.join("ledger.jsonl"))
        .arg("--trust")
        .arg(pkg.join("issuer.pub"))
        .arg("--out")
        .arg(&path)
        .output()
        .unwrap();
    assert_ok(&out);
    path
}

fn verify(d: &Delivery, input: &Path, extra: &[&std::ffi::OsStr]) -> std::process::Output {
    d.ward.cmd().args(["--json", "verify"]).arg(input).args(extra).output().unwrap()
}

fn check<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn r11_ward_verifies_the_return_package_in_one_step() {
    let d = delivery();
    wipe(&d, &[&d.work, &d.payload, &d.label]);
    let (cert, pkg) = certify(&d, &[]);
    for f in ["CERT.json", "CERT.json.minisig", "CERT.html"] {
        assert!(d.contractor.path(f).is_file(), "{f}");
    }
    for f in [
        "certificate.json",
        "certificate.json.minisig",
        "certificate.html",
        "issuer.pub",
        "ledger.jsonl",
        "checkpoint.txt",
        "SHA256SUMS",
        "chain/000001.json",
    ] {
        assert!(pkg.join(f).is_file(), "package lacks {f}");
    }
    assert_eq!(fs::read(&cert).unwrap(), fs::read(pkg.join("certificate.json")).unwrap());
    // No file name anywhere in the certificate or left in the contractor's home.
    let text = fs::read_to_string(&cert).unwrap();
    assert!(!text.contains("佐藤太郎") && !text.contains("一覧.csv"), "a file name leaked: {text}");
    let opened = d.contractor.home.join("opened");
    assert!(fs::read_dir(&opened).map(|r| r.count()).unwrap_or(0) == 0, "the open note survived the wipe");
    let last = d.contractor.ledger_lines().pop().unwrap();
    assert_eq!(last["kind"], "certified");
    assert_eq!(
        last["body"]["certificate_sha256"],
        custody_certificate::Certificate::hash_of(&fs::read(&cert).unwrap())
    );

    let contractor_pub = export_key(&d.contractor, "contractor.pub");
    // Before the ward cosigned: that check fails by name, and says to run ledger cosign.
    let out = verify(&d, &pkg, &["--trust".as_ref(), contractor_pub.as_os_str()]);
    assert_exit(&out, 15);
    let report = json(&out);
    assert_eq!(check(&report, "cosignature")["outcome"], "failed");
    assert!(check(&report, "cosignature")["reasons"][0]["text"].as_str().unwrap().contains("ledger cosign"));
    assert_eq!(check(&report, "signature")["outcome"], "passed");

    let cosigned = cosign(&d, &pkg);
    let out = verify(
        &d,
        &pkg,
        &[
            "--trust".as_ref(),
            contractor_pub.as_os_str(),
            "--checkpoint".as_ref(),
            cosigned.as_os_str(),
            "--label".as_ref(),
            d.label_copy().as_os_str(),
        ],
    );
    assert_ok(&out);
    let report = json(&out);
    for name in
        ["signature", "chain", "checkpoint", "inclusion", "cosignature", "ledger", "label", "coverage", "timeline"]
    {
        assert_eq!(check(&report, name)["outcome"], "passed", "{name}: {}", stdout(&out));
    }
    // The ward kept the manifest when it sealed: coverage ran without --manifest.
    assert!(check(&report, "coverage")["reasons"][0]["text"].as_str().unwrap().contains("All 3"));

    // Without --checkpoint: the latest checkpoint `ledger cosign` stored in the ward's
    // home is the cosigned one.
    let out = verify(&d, &pkg, &["--trust".as_ref(), contractor_pub.as_os_str()]);
    assert_ok(&out);
    assert_eq!(check(&json(&out), "cosignature")["outcome"], "passed", "{}", stdout(&out));

    // Human output in Japanese names each check.
    let out = d
        .ward
        .cmd()
        .env("LANG", "ja_JP.UTF-8")
        .arg("verify")
        .arg(&pkg)
        .arg("--trust")
        .arg(&contractor_pub)
        .arg("--checkpoint")
        .arg(&cosigned)
        .output()
        .unwrap();
    assert_ok(&out);
    assert!(stdout(&out).contains("納品ファイルの消去") && stdout(&out).contains("合格"), "{}", stdout(&out));
}

impl Delivery {
    /// The label was erased with the payload; the ward's copy is what it compares.
    fn label_copy(&self) -> PathBuf {
        self.ward.path("label-copy.json")
    }
}

#[test]
fn r11_a_delivered_file_the_records_miss_fails_verify_naming_it() {
    let d = delivery();
    // The contractor wipes everything but one delivered file.
    let kept = d.work.join("申請書/鈴木花子.txt");
    let moved = d.contractor.path("kept.txt");
    fs::rename(&kept, &moved).unwrap();
    wipe(&d, &[&d.work]);
    let (_, pkg) = certify(&d, &[]);
    let contractor_pub = export_key(&d.contractor, "contractor.pub");
    let cosigned = cosign(&d, &pkg);
    let out = verify(
        &d,
        &pkg,
        &["--trust".as_ref(), contractor_pub.as_os_str(), "--checkpoint".as_ref(), cosigned.as_os_str()],
    );
    assert_exit(&out, 15);
    let report = json(&out);
    let cov = check(&report, "coverage");
    assert_eq!(cov["outcome"], "failed");
    let texts: Vec<&str> = cov["reasons"].as_array().unwrap().iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("申請書/鈴木花子.txt"), "{texts:?}");
    // The label was not given; the rest still holds.
    assert_eq!(check(&report, "signature")["outcome"], "passed");
}

#[test]
fn r11_untrusted_key_tampered_certificate_and_unreadable_input_have_distinct_exits() {
    let d = delivery();
    wipe(&d, &[&d.work, &d.payload, &d.label]);
    let (cert, pkg) = certify(&d, &[]);
    // The ward's own key is not the issuer's: the signature is not trusted.
    let out = verify(&d, &cert, &[]);
    assert_exit(&out, 15);
    assert_eq!(check(&json(&out), "signature")["reasons"][0]["code"], "signature-untrusted");

    // One byte changed: no longer canonical or no longer signed; never passes.
    let mut bytes = fs::read(&cert).unwrap();
    let i = bytes.windows(6).position(|w| w == b"R8-001").unwrap();
    bytes[i + 5] = b'2';
    let tampered = d.contractor.path("tampered/CERT.json");
    fs::create_dir_all(tampered.parent().unwrap()).unwrap();
    fs::write(&tampered, &bytes).unwrap();
    fs::copy(d.contractor.path("CERT.json.minisig"), d.contractor.path("tampered/CERT.json.minisig")).unwrap();
    let contractor_pub = export_key(&d.contractor, "contractor.pub");
    let out = verify(&d, &tampered, &["--trust".as_ref(), contractor_pub.as_os_str()]);
    assert_exit(&out, 15);
    assert_eq!(check(&json(&out), "signature")["reasons"][0]["code"], "signature-bad");

    // Not a certificate at all: 16, and nothing is reported as checked.
    let junk = d.contractor.path("junk.json");
    fs::write(&junk, b"{\"format\":\"custody-certificate/1\",\"format\":\"x\"}").unwrap();
    let out = verify(&d, &junk, &[]);
    assert_exit(&out, 16);
    assert!(stdout(&out).contains("verify-input-unreadable"), "{}", stdout(&out));
    let out = verify(&d, Path::new("/nonexistent/CERT.json"), &[]);
    assert_exit(&out, 16);
    let _ = pkg;
}

#[test]
fn r11_stock_minisign_verifies_the_certificate_and_a_countersignature_is_reported() {
    let d = delivery();
    wipe(&d, &[&d.work, &d.payload, &d.label]);
    let (cert, _) = certify(&d, &[]);
    let contractor_pub = export_key(&d.contractor, "contractor.pub");
    if have("minisign", "r11_stock_minisign_verifies_the_certificate") {
        let out = std::process::Command::new("minisign")
            .arg("-Vm")
            .arg(&cert)
            .arg("-p")
            .arg(&contractor_pub)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
        let said = stdout(&out) + &stderr(&out);
        assert!(said.contains("custody certificate CERT-") && said.contains("株式会社サンプル"), "{said}");
    }
    // The ward's staff countersign (Appendix G validation) and verify reports it.
    let ward_cert = d.ward.path("CERT.json");
    fs::copy(&cert, &ward_cert).unwrap();
    fs::copy(d.contractor.path("CERT.json.minisig"), d.ward.path("CERT.json.minisig")).unwrap();
    let out = d.ward.cmd().args(["--json", "certify", "--countersign"]).arg(&ward_cert).output().unwrap();
    assert_ok(&out);
    let sig = PathBuf::from(json(&out)["signature"].as_str().unwrap());
    assert!(sig.file_name().unwrap().to_str().unwrap().starts_with("CERT.json.") && sig.is_file());
    assert_eq!(d.ward.ledger_lines().pop().unwrap()["kind"], "countersigned");
    let out = verify(&d, &ward_cert, &["--trust".as_ref(), contractor_pub.as_os_str()]);
    let report = json(&out);
    assert_eq!(check(&report, "countersignature")["outcome"], "passed", "{}", stdout(&out));
    if have("minisign", "r11_countersignature_stock_minisign") {
        let ward_pub = export_key(&d.ward, "ward.pub");
        let out = std::process::Command::new("minisign")
            .arg("-Vm")
            .arg(&ward_cert)
            .arg("-x")
            .arg(&sig)
            .arg("-p")
            .arg(&ward_pub)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[test]
fn r11_a_record_of_another_home_is_refused_and_nothing_is_written() {
    let d = delivery();
    wipe(&d, &[&d.work]);
    let other = Person::init("別会社", "丙");
    let out = other.cmd().args(["certify"]).arg(&d.record).arg("--out").arg(other.path("CERT.json")).output().unwrap();
    assert_exit(&out, 5);
    assert!(stderr(&out).contains("not in this home's ledger"), "{}", stderr(&out));
    assert!(!other.path("CERT.json").exists() && !other.path("CERT.html").exists());
    let _ = &d.notice;
}

/// docs/guide-auditor.md: the package checks with stock tools only.
#[test]
fn r11_the_return_package_checks_with_stock_tools_only() {
    let d = delivery();
    wipe(&d, &[&d.work, &d.payload, &d.label]);
    let (_, pkg) = certify(&d, &[]);
    let sh = |script: &str| {
        let out = std::process::Command::new("bash").arg("-c").arg(script).current_dir(&pkg).output().unwrap();
        assert!(out.status.success(), "{script}\n{}{}", stdout(&out), stderr(&out));
        stdout(&out)
    };
    let ok = sh("sha256sum -c SHA256SUMS");
    assert!(ok.contains("certificate.json: OK") && ok.contains("ledger.jsonl: OK"), "{ok}");
    if have("minisign", "r11_the_return_package_checks_with_stock_tools_only") {
        sh("minisign -Vm certificate.json -p issuer.pub");
    }
    if have("jq", "r11_the_return_package_checks_with_stock_tools_only") {
        // Canonical: jq's sorted compact form is the same bytes.
        sh("jq -S -c . certificate.json | cmp - <(cat certificate.json; echo)");
        let h = custody_certificate::Certificate::hash_of(&fs::read(pkg.join("certificate.json")).unwrap());
        let found = sh(&format!(
            "jq -c 'select(.kind==\"certified\" and .body.certificate_sha256==\"{h}\") | .seq' ledger.jsonl"
        ));
        assert_eq!(found.trim(), "3", "the certified entry follows init, opened, erased");
    }
    // Changing one byte of the package is caught by the sums.
    let mut b = fs::read(pkg.join("ledger.jsonl")).unwrap();
    b[10] ^= 1;
    fs::write(pkg.join("ledger.jsonl"), b).unwrap();
    let out = std::process::Command::new("sha256sum").arg("-c").arg("SHA256SUMS").current_dir(&pkg).output().unwrap();
    assert!(!out.status.success());
}

#[test]
fn a_wipe_of_an_opened_folder_names_its_payload_from_the_opened_entry_alone() {
    let d = delivery();
    let label: serde_json::Value = serde_json::from_slice(&fs::read(&d.label).unwrap()).unwrap();
    // The home's open note gone (the ledger's `opened` entry, with the folder's keyed
    // hash, is all that is left): the folder still names its payload.
    let opened = d.contractor.home.join("opened");
    if opened.exists() {
        fs::remove_dir_all(&opened).unwrap();
    }
    let out = d.contractor.cmd().args(["--json", "wipe", "--dry-run"]).arg(&d.work).output().unwrap();
    assert_ok(&out);
    let payloads = json(&out)["plan"]["payloads"].clone();
    assert_eq!(payloads.as_array().map(Vec::len), Some(1), "{}", stdout(&out));
    assert_eq!(payloads[0]["payload_id"], label["payload_id"], "{}", stdout(&out));
}
