//! Getting secrets from the person, never from argv or the environment: a prompt
//! without echo on the terminal, or a file named by a flag (or, for the key
//! passphrase, by the *path* in CUSTODY_KEY_PASSPHRASE_FILE).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use custody_notice::Passphrase;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use custody_lifecycle::{Home, Session};

use crate::errors::CliError;
use crate::output::Output;

const KEY_FILE_VAR: &str = "CUSTODY_KEY_PASSPHRASE_FILE";

fn can_prompt() -> bool {
    std::io::stdin().is_terminal() || std::fs::File::open("/dev/tty").is_ok()
}

fn read_secret_file(path: &Path) -> Result<SecretString, CliError> {
    Ok(custody_lifecycle::read_key_passphrase_file(path)?)
}

/// The key passphrase: `--key-passphrase-file`, else the file named by
/// CUSTODY_KEY_PASSPHRASE_FILE, else a prompt (twice when `confirm`).
pub fn key_passphrase(out: &Output, file: Option<&Path>, confirm: bool) -> Result<SecretString, CliError> {
    let pass = if let Some(path) = key_file(file) {
        read_secret_file(&path)?
    } else {
        if !can_prompt() {
            return Err(CliError::NoTerminal { what: "key" });
        }
        let first = prompt(&out.t("prompt-key-passphrase"))?;
        if confirm {
            let again = prompt(&out.t("prompt-key-passphrase-again"))?;
            if first.expose_secret() != again.expose_secret() {
                return Err(CliError::PassphrasesDiffer);
            }
        }
        first
    };
    if confirm && pass.expose_secret().chars().count() < 8 {
        return Err(CliError::KeyPassphraseTooShort);
    }
    Ok(pass)
}

/// How many times a person at a terminal may type a passphrase that turns out wrong.
pub const TRIES: u32 = 3;

/// Where a secret came from: a prompt may be asked again, a file may not (it would
/// give the same wrong answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    File,
    Prompt,
}

fn key_file(file: Option<&Path>) -> Option<PathBuf> {
    let from_env = std::env::var_os(KEY_FILE_VAR).filter(|v| !v.is_empty()).map(PathBuf::from);
    file.map(Path::to_path_buf).or(from_env)
}

/// Unlocks the home's secret key: from the passphrase file once, or at the terminal
/// up to [`TRIES`] times, saying after each wrong one how many tries are left.
pub fn unlock<'h>(out: &Output, home: &'h Home, file: Option<&Path>) -> Result<Session<'h>, CliError> {
    if let Some(path) = key_file(file) {
        let pass = read_secret_file(&path)?;
        return Ok(home.unlock(&pass)?);
    }
    if !can_prompt() {
        return Err(CliError::NoTerminal { what: "key" });
    }
    let mut tries = 0;
    loop {
        tries += 1;
        let pass = prompt(&out.t("prompt-key-passphrase"))?;
        match home.unlock(&pass) {
            Err(custody_lifecycle::Error::WrongKeyPassphrase) if tries < TRIES => {
                out.err_line(&out.ta("ux-key-passphrase-again", &[("left", (TRIES - tries).into())]));
            }
            other => return Ok(other?),
        }
    }
}

/// As [`payload_passphrase`], also saying where it came from.
pub fn payload_passphrase_from(out: &Output, file: Option<&Path>) -> Result<(Passphrase, Source), CliError> {
    let source = if file.is_some() { Source::File } else { Source::Prompt };
    payload_passphrase(out, file).map(|p| (p, source))
}

/// The payload passphrase: a file (plain passphrase or the .txt notice), else a
/// prompt that says which group has a typo and asks again, before any slow KDF.
pub fn payload_passphrase(out: &Output, file: Option<&Path>) -> Result<Passphrase, CliError> {
    if let Some(path) = file {
        return custody_lifecycle::read_passphrase_file(path).map_err(CliError::from);
    }
    if !can_prompt() {
        return Err(CliError::NoTerminal { what: "payload" });
    }
    let mut attempts = 0;
    loop {
        let typed = prompt(&out.t("prompt-payload-passphrase"))?;
        match Passphrase::parse(typed.expose_secret()) {
            Ok(p) => return Ok(p),
            Err(e) if attempts < 2 => {
                attempts += 1;
                out.err_line(&crate::errors::passphrase_problem(out, &e));
            }
            Err(e) => return Err(CliError::from(custody_lifecycle::Error::from(e))),
        }
    }
}

fn prompt(text: &str) -> Result<SecretString, CliError> {
    let typed = Zeroizing::new(
        rpassword::prompt_password(format!("{text} "))
            .map_err(|source| CliError::Io { path: PathBuf::from("/dev/tty"), source })?,
    );
    Ok(SecretString::from(typed.to_string()))
}
