//! The readers of files a person or a medium hands us — label, payload passphrase file
//! (a bare passphrase or the .txt notice), key passphrase file — on arbitrary bytes in
//! a real file: never a panic, never more than their bound read.
#![no_main]

use std::io::Write;
use std::os::unix::fs::PermissionsExt;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut f) = tempfile::NamedTempFile::new() else { return };
    if f.write_all(data).is_err() {
        return;
    }
    let path = f.path().to_path_buf();
    let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    if let Ok(label) = custody_seal::Label::read(&path) {
        assert_eq!(label.to_bytes(), data);
    }
    let _ = custody_lifecycle::read_passphrase_file(&path);
    if let Ok(small) = custody_seal::read_small_file(&path, 64) {
        assert!(small.bytes.len() <= 64 && small.bytes[..] == data[..]);
    }
    let _ = custody_lifecycle::read_key_passphrase_file(&path);
});
