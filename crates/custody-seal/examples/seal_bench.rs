//! Seals a folder and opens it again, for bench/seal.sh (the CLI does not exist yet).
//!
//! usage: seal_bench seal SRC MEDIA_DIR PASSFILE
//!        seal_bench open PAYLOAD DEST PASSFILE
//! The passphrase is read from PASSFILE (first line), never from argv.

use std::path::Path;
use std::process::ExitCode;

use custody_seal::{open, scan, seal_to_media, Label, LabelInfo, ManifestMeta, PayloadId};
use secrecy::SecretString;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: seal_bench seal SRC MEDIA PASSFILE | open PAYLOAD DEST PASSFILE");
        return ExitCode::from(2);
    }
    let pass = match std::fs::read_to_string(&args[4]) {
        Ok(s) => SecretString::from(s.lines().next().unwrap_or("").to_owned()),
        Err(e) => {
            eprintln!("{}: {e}", args[4]);
            return ExitCode::from(2);
        }
    };
    let result = match args[1].as_str() {
        "seal" => seal_cmd(Path::new(&args[2]), Path::new(&args[3]), &pass),
        "open" => open_cmd(Path::new(&args[2]), Path::new(&args[3]), &pass),
        // seal-null SRC - PASSFILE: seal into a discarding writer, the crate's own cost
        // without the media's.
        "seal-null" => seal_null(Path::new(&args[2]), &pass),
        _ => Err("first argument must be seal or open".into()),
    };
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The manifest metadata of a bench payload sealed now.
fn bench_meta() -> Result<ManifestMeta, Box<dyn std::error::Error>> {
    let now = chrono::Local::now().fixed_offset();
    Ok(ManifestMeta {
        payload_id: PayloadId::generate(now.date_naive())?,
        created: now,
        categories: vec!["bench".into()],
    })
}

fn seal_cmd(src: &Path, media: &Path, pass: &SecretString) -> Result<String, Box<dyn std::error::Error>> {
    let tree = scan(src)?;
    let meta = bench_meta()?;
    let info = LabelInfo {
        issuer: "bench".into(),
        recipient: None,
        contract: None,
        notice_id: "bench".into(),
        sealed_by: "bench".into(),
    };
    let s = seal_to_media(&tree, &meta, &info, pass, media, &|_| {})?;
    Ok(format!("{} {}", s.payload_path.display(), s.label.fingerprint()))
}

fn seal_null(src: &Path, pass: &SecretString) -> Result<String, Box<dyn std::error::Error>> {
    let tree = scan(src)?;
    let meta = bench_meta()?;
    let o = custody_seal::seal(&tree, &meta, pass, std::io::sink(), &|_| {})?;
    Ok(format!("{} bytes", o.ciphertext_len))
}

fn open_cmd(payload: &Path, dest: &Path, pass: &SecretString) -> Result<String, Box<dyn std::error::Error>> {
    let label = Label::read(&Label::path_beside(payload))?;
    let o = open(payload, pass, dest, Some(&label), &|_| {})?;
    Ok(format!("{} files, {} bytes", o.file_count, o.total_bytes))
}
