//! An `opened` entry names its work folder by a keyed hash: the same folder is found
//! again (so a wipe of it can name its payload), another folder is not, and the ledger
//! holds no path.

use std::fs;

use custody_l10n::Lang;
use custody_lifecycle::{open_delivery, payload_opened_in, read_passphrase_file, seal_delivery};
use custody_lifecycle::{Home, OpenRequest, Person, Role, SealRequest};
use secrecy::SecretString;

#[test]
fn opened_records_the_folder_as_a_keyed_hash_that_finds_its_payload() {
    let dir = tempfile::tempdir().unwrap();
    let pass = SecretString::from("correct horse battery staple".to_string());
    let person = Person { org: "株式会社サンプル".into(), name: "佐藤".into(), role: Role::Handler };
    let home = Home::init(&dir.path().join("home"), person, &pass).unwrap();
    let session = home.unlock(&pass).unwrap();
    let src = dir.path().join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("a.txt"), "山田太郎").unwrap();
    let media = dir.path().join("media");
    fs::create_dir_all(&media).unwrap();
    let req = SealRequest {
        src,
        media_dir: media,
        notice_path: dir.path().join("notice.txt"),
        recipient: None,
        contract: None,
        categories: vec![],
        lang: Lang::En,
    };
    let sealed = seal_delivery(&session, &req, &|_, _| {}).unwrap();
    let passphrase = read_passphrase_file(&req.notice_path).unwrap();
    let work = dir.path().join("work");
    let open = OpenRequest {
        payload: sealed.payload_path.clone(),
        dest: work.clone(),
        passphrase: &passphrase,
        trusted: &[],
        cancel: None,
    };
    open_delivery(&session, &open, &|_, _| {}).unwrap();

    let found = payload_opened_in(&home, &work).unwrap().expect("the work folder names its payload");
    assert_eq!(found.payload_id, sealed.payload_id);
    assert_eq!(found.manifest_root.to_string(), sealed.manifest_root);
    // through another spelling of the same path too
    assert!(payload_opened_in(&home, &dir.path().join("src/../work")).unwrap().is_some());
    // a copy elsewhere is another folder
    let other = dir.path().join("copy");
    fs::create_dir_all(&other).unwrap();
    assert_eq!(payload_opened_in(&home, &other).unwrap(), None);

    let ledger = fs::read_to_string(home.ledger_path()).unwrap();
    let opened = ledger.lines().find(|l| l.contains("\"kind\":\"opened\"")).unwrap();
    assert!(opened.contains(&format!("\"folder_hmac\":\"{}\"", home.folder_hmac(&work).unwrap())));
    assert!(!ledger.contains(work.to_str().unwrap()), "no path in the ledger");
    let key = fs::metadata(home.root().join("folder.key")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(key.permissions().mode() & 0o777, 0o600);
}
