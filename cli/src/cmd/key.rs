use serde_json::json;

use crate::args::{Cli, KeyCommand};
use crate::errors::CliError;
use crate::output::Output;

pub fn run(cli: &Cli, k: &KeyCommand, out: &Output) -> Result<(), CliError> {
    let KeyCommand::Export { out: file } = k;
    let home = super::open_home(cli)?;
    let text = home.public_key_text();
    match file {
        Some(path) => {
            home.export_public_key(path)?;
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
