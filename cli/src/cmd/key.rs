use serde_json::json;

use crate::args::{Cli, KeyCommand};
use crate::errors::CliError;
use crate::output::Output;

pub fn run(cli: &Cli, k: &KeyCommand, out: &Output) -> Result<(), CliError> {
    let KeyCommand::Export { out: file } = k;
    let home = super::open_home(cli)?;
    let person = home.person();
    let text = home.public_key().to_minisign(&format!("custody public key of {} ({})", person.name, person.org));
    match file {
        Some(path) => {
            std::fs::write(path, &text).map_err(|source| CliError::Io { path: path.clone(), source })?;
            out.result(
                &[out.ta("key-exported", &[("path", path.display().to_string().into())])],
                json!({"ok": true, "key_id": home.key_id().to_string(), "path": path, "public_key": home.public_key().to_base64()}),
            );
        }
        None => out.result(
            &[text.trim_end().to_string()],
            json!({"ok": true, "key_id": home.key_id().to_string(), "minisign": text, "public_key": home.public_key().to_base64()}),
        ),
    }
    Ok(())
}
