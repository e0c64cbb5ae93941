//! `custody demo`: the whole lifecycle on built-in sample data, in a temporary
//! folder, narrated step by step. Everything it does goes through the same library
//! calls as the real commands.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use custody_certificate::Outcome;
use custody_l10n::Lang;
use custody_lifecycle::{
    certify, check_cosign, cosign, execute_wipe, open_delivery, outcome_name, plan_wipe, read_passphrase_file,
    seal_delivery, verify_certificate, verify_ledger, CertifyRequest, CosignRequest, Home, OpenRequest, Person, Role,
    SealRequest, VerifyRequest, WipeRequest,
};
use custody_wipe::{Method, NoProgress, VerifyMode};
use secrecy::SecretString;
use serde_json::json;

use crate::args::{Cli, DemoArgs};
use crate::errors::{human_bytes, CliError};
use crate::output::Output;

pub fn run(cli: &Cli, a: &DemoArgs, out: &Output) -> Result<(), CliError> {
    let lang: Lang = cli.lang.map(Lang::from).unwrap_or(Lang::Ja);
    let tmp = tempfile::Builder::new()
        .prefix("custody-demo-")
        .tempdir()
        .map_err(|source| CliError::Io { path: std::env::temp_dir(), source })?;
    let root = match &a.keep {
        Some(dir) => {
            fs::create_dir_all(dir).map_err(|source| CliError::Io { path: dir.clone(), source })?;
            dir.clone()
        }
        None => tmp.path().to_path_buf(),
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CliError::Io { path, source }
    };
    let step = |n: u32, id: &str| {
        if out.narrates() {
            out.err_line("");
        }
        out.say("demo-step", &[("n", n.into()), ("text", out.t(id).into())]);
    };
    out.say("demo-intro", &[("path", root.display().to_string().into())]);

    // Demo keys are protected by random passphrases that live only in memory.
    let demo_pass = || {
        custody_notice::Passphrase::generate()
            .map(|p| SecretString::from(p.canonical().to_string()))
            .map_err(custody_lifecycle::Error::from)
    };
    let ward_pass = demo_pass()?;
    let contractor_pass = demo_pass()?;

    step(1, "demo-step-init");
    let ward = Home::init(
        &root.join("ward-home"),
        Person { org: out.t("demo-ward-org"), name: out.t("demo-ward-name"), role: Role::Responsible },
        &ward_pass,
    )?;
    let contractor = Home::init(
        &root.join("contractor-home"),
        Person { org: out.t("demo-contractor-org"), name: out.t("demo-contractor-name"), role: Role::Responsible },
        &contractor_pass,
    )?;
    out.say(
        "demo-keys",
        &[("ward", ward.key_id().to_string().into()), ("contractor", contractor.key_id().to_string().into())],
    );

    step(2, "demo-step-seal");
    let src = root.join(out.t("demo-folder"));
    write_sample_data(&src).map_err(io(&src))?;
    let media = root.join("USB");
    fs::create_dir_all(&media).map_err(io(&media))?;
    let notice_dir = root.join("notices");
    fs::create_dir_all(&notice_dir).map_err(io(&notice_dir))?;
    let ward_session = ward.unlock(&ward_pass)?;
    let sealed = seal_delivery(
        &ward_session,
        &SealRequest {
            src: src.clone(),
            media_dir: media.clone(),
            notice_path: notice_dir.join("notice.txt"),
            recipient: Some(out.t("demo-contractor-org")),
            contract: Some("R8-DEMO-001".into()),
            categories: vec![out.t("demo-cat-name"), out.t("demo-cat-address"), out.t("demo-cat-phone")],
            lang,
        },
        &|_, _| {},
    )?;
    out.say(
        "demo-sealed",
        &[
            ("id", sealed.payload_id.clone().into()),
            ("files", sealed.file_count.into()),
            ("size", human_bytes(sealed.ciphertext_size).into()),
            ("fingerprint", sealed.fingerprint.clone().into()),
        ],
    );
    out.say("demo-notice", &[("path", sealed.notice_path.display().to_string().into())]);

    step(3, "demo-step-handoff");

    step(4, "demo-step-open");
    let contractor_session = contractor.unlock(&contractor_pass)?;
    let passphrase = read_passphrase_file(&sealed.notice_path)?;
    // The documents a person would print, left for the user to open.
    let documents = match &a.keep {
        Some(_) => root.join("documents"),
        None => tempfile::Builder::new()
            .prefix("custody-demo-documents-")
            .tempdir()
            .map_err(|source| CliError::Io { path: std::env::temp_dir(), source })?
            .keep(),
    };
    fs::create_dir_all(&documents).map_err(io(&documents))?;
    let notice_html = documents.join("notice.html");
    write_notice_copy(&sealed, &passphrase, &ward, out, lang, &notice_html)?;
    let work = root.join("contractor-work");
    let opened = open_delivery(
        &contractor_session,
        &OpenRequest {
            payload: sealed.payload_path.clone(),
            dest: work.clone(),
            passphrase: &passphrase,
            trusted: std::slice::from_ref(ward.public_key()),
            cancel: None,
        },
        &|_, _| {},
    )?;
    drop(passphrase);
    out.say("demo-opened", &[("path", opened.dest.display().to_string().into()), ("files", opened.file_count.into())]);

    step(5, "demo-step-wipe");
    let job = plan_wipe(
        &contractor,
        &WipeRequest {
            paths: vec![work.clone(), sealed.payload_path.clone(), sealed.label_path.clone()],
            device: None,
            method: Method::Random,
            verify: VerifyMode::Full,
            force: false,
            notice_destroyed: true,
        },
    )?;
    let record_path = root.join("erasure-record.json");
    let wiped = execute_wipe(&contractor_session, &job, &NoProgress, &AtomicBool::new(false), Some(&record_path))?;
    out.say(
        "demo-wiped",
        &[
            ("items", wiped.items.into()),
            ("erased", wiped.erased.into()),
            ("outcome", out.t(&format!("outcome-{}", outcome_name(wiped.outcome))).into()),
            ("record", record_path.display().to_string().into()),
        ],
    );
    for (level, n) in &wiped.assurance {
        out.say("demo-assurance", &[("level", out.t(&format!("assurance-{level}")).into()), ("n", (*n).into())]);
    }
    fs::remove_file(&sealed.notice_path).map_err(io(&sealed.notice_path))?;

    step(6, "demo-step-certify");
    let package = root.join("return-package");
    let cert = certify(
        &contractor_session,
        &CertifyRequest {
            records: vec![record_path.clone()],
            out: documents.join("CERT.json"),
            contract: Some("R8-DEMO-001".into()),
            to: vec![out.t("demo-ward-org")],
            media_destination: Some(out.t("demo-media-destination")),
            notes: None,
            lang,
            package: Some(package.clone()),
        },
    )?;
    out.say("demo-certified", &[("id", cert.id.clone().into()), ("package", package.display().to_string().into())]);

    step(7, "demo-step-cosign");
    // What `custody ledger cosign` does: every check, then the ward's cosignature,
    // kept in the ward's home as the latest checkpoint of the contractor's ledger.
    let cosigned_path = root.join("cosigned.checkpoint");
    let cosign_req = CosignRequest {
        checkpoint: package.join("checkpoint.txt"),
        ledger: package.join("ledger.jsonl"),
        trust: Some(contractor.public_key().clone()),
        out: Some(cosigned_path.clone()),
    };
    let plan = check_cosign(&ward, &cosign_req)?;
    cosign(&ward_session, plan)?;
    let contractor_pub = root.join("contractor.pub");
    contractor.export_public_key(&contractor_pub)?;
    let verified = verify_certificate(
        &VerifyRequest {
            input: package.clone(),
            trust: vec![contractor_pub],
            checkpoint: Some(cosigned_path),
            ..VerifyRequest::default()
        },
        Some(&ward),
    )?;
    for c in &verified.checks {
        let outcome = match c.outcome {
            Outcome::Passed => "verify-passed",
            Outcome::Failed => "verify-failed",
            Outcome::Skipped => "verify-skipped",
        };
        out.say(
            "demo-check",
            &[("check", out.t(&format!("check-{}", c.name)).into()), ("outcome", out.t(outcome).into())],
        );
    }
    out.say("demo-documents", &[("path", documents.display().to_string().into())]);

    step(8, "demo-step-verify");
    let ward_report = verify_ledger(&ward.ledger_path(), Some(ward.public_key()))?;
    let contractor_report = verify_ledger(&contractor.ledger_path(), Some(contractor.public_key()))?;
    for (who, r) in [(out.t("demo-ward-org"), &ward_report), (out.t("demo-contractor-org"), &contractor_report)] {
        let kinds: Vec<String> = r.kinds.iter().map(|(k, n)| format!("{}×{n}", kind_name(out, k))).collect();
        out.say(
            "demo-ledger",
            &[
                ("who", who.into()),
                ("entries", r.entries.into()),
                ("kinds", kinds.join(&out.t("list-separator")).into()),
                ("root", r.root.clone().into()),
            ],
        );
    }
    let left = remaining(&[&work, &sealed.payload_path, &sealed.label_path]);
    if out.narrates() {
        out.err_line("");
    }
    out.say("demo-done", &[]);
    if a.keep.is_some() {
        out.say("demo-kept", &[("path", root.display().to_string().into())]);
    }
    out.result(
        &[out.t("demo-summary")],
        json!({"ok": left.is_empty() && verified.passed, "payload_id": sealed.payload_id, "fingerprint": sealed.fingerprint,
               "opened_files": opened.file_count, "wipe_outcome": outcome_name(wiped.outcome),
               "wipe_assurance": wiped.assurance, "record": record_path,
               "ward_ledger": {"entries": ward_report.entries, "root": ward_report.root},
               "contractor_ledger": {"entries": contractor_report.entries, "root": contractor_report.root},
               "left_after_wipe": left, "kept": a.keep,
               "certificate": {"id": cert.id, "verified": verified.passed,
                               "checks": verified.checks.iter().map(|c| json!({"name": c.name, "outcome": c.outcome})).collect::<Vec<_>>()},
               "documents": {"notice": notice_html, "certificate": cert.html, "package": package}}),
    );
    Ok(())
}

/// A ledger entry kind in words; a kind this version does not know keeps its name.
fn kind_name(out: &Output, kind: &str) -> String {
    let id = format!("ledger-kind-{kind}");
    if out.l.has(&id) {
        out.t(&id)
    } else {
        kind.to_string()
    }
}

/// An HTML copy of the password notice for the user to look at; the text notice the
/// demo opened with is destroyed at contract end, as the real one would be.
fn write_notice_copy(
    sealed: &custody_lifecycle::SealReport,
    pass: &custody_notice::Passphrase,
    ward: &Home,
    out: &Output,
    lang: Lang,
    path: &Path,
) -> Result<(), CliError> {
    let notice = custody_notice::Notice {
        notice_id: sealed.notice_id.parse().map_err(|_| CliError::Usage { what: "notice id" })?,
        payload_id: sealed.payload_id.clone(),
        fingerprint: sealed.fingerprint.clone(),
        issuer_org: ward.person().org.clone(),
        issuer_name: ward.person().name.clone(),
        recipient: Some(out.t("demo-contractor-org")),
        contract: Some("R8-DEMO-001".into()),
        categories: vec![out.t("demo-cat-name"), out.t("demo-cat-address"), out.t("demo-cat-phone")],
        issued: custody_lifecycle::now(),
        file_count: sealed.file_count,
        total_bytes: sealed.total_bytes,
    };
    custody_notice::write_notice(path, &notice, pass, lang).map_err(custody_lifecycle::Error::from)?;
    Ok(())
}

fn remaining(paths: &[&PathBuf]) -> Vec<PathBuf> {
    paths.iter().filter(|p| p.symlink_metadata().is_ok()).map(|p| p.to_path_buf()).collect()
}

/// Fictional residents: names, addresses, phone numbers and bicycle registration
/// numbers of the kind the ward's outsourcing rules name (R17). Generated, not real.
fn write_sample_data(dir: &Path) -> std::io::Result<()> {
    const FAMILY: [&str; 8] = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村"];
    const GIVEN: [&str; 6] = ["太郎", "花子", "一郎", "美咲", "健", "陽子"];
    const TOWN: [&str; 5] = ["西新宿", "高田馬場", "神楽坂", "四谷", "大久保"];
    fs::create_dir_all(dir.join("申請書"))?;
    let mut csv = String::from("氏名,住所,電話番号,防犯登録番号\n");
    for i in 0..48 {
        csv.push_str(&format!(
            "{}{},東京都新宿区{}{}-{}-{},03-{:04}-{:04},{:02}-{:06}\n",
            FAMILY[i % FAMILY.len()],
            GIVEN[i % GIVEN.len()],
            TOWN[i % TOWN.len()],
            1 + i % 5,
            1 + i % 20,
            1 + i % 9,
            1000 + i * 37 % 9000,
            2000 + i * 53 % 8000,
            13,
            100_000 + i * 7919 % 900_000
        ));
    }
    fs::write(dir.join("放置自転車_所有者一覧.csv"), csv)?;
    for (i, name) in ["佐藤太郎", "鈴木花子", "高橋一郎"].iter().enumerate() {
        fs::write(
            dir.join("申請書").join(format!("{name}_返還申請書.txt")),
            format!(
                "返還申請書\n申請者: {name}\n住所: 東京都新宿区西新宿{}-1-1\n電話番号: 03-1234-{:04}\n",
                i + 1,
                5678 + i
            ),
        )?;
    }
    fs::write(dir.join("申請書").join("空のメモ.txt"), "")?;
    Ok(())
}
