use custody_lifecycle::{Home, Person, Role};
use serde_json::json;

use crate::args::{Cli, InitArgs, RoleArg};
use crate::errors::CliError;
use crate::output::Output;
use crate::secret;

pub fn run(cli: &Cli, a: &InitArgs, out: &Output) -> Result<(), CliError> {
    let root = Home::locate(cli.home.as_deref())?;
    if root.join("person.json").exists() {
        return Err(custody_lifecycle::Error::AlreadyInitialised { path: root }.into());
    }
    let role = match a.role {
        RoleArg::Responsible => Role::Responsible,
        RoleArg::Handler => Role::Handler,
    };
    out.say("init-start", &[("path", root.display().to_string().into())]);
    let pass = secret::key_passphrase(out, cli.key_passphrase_file.as_deref(), true)?;
    let person = Person { org: a.org.clone(), name: a.name.clone(), role };
    let home = Home::init(&root, person, &pass)?;
    let key_id = home.key_id().to_string();
    out.result(
        &[
            out.t("init-done"),
            out.fact("label-home", home.root().display()),
            out.fact("label-key-id", &key_id),
            out.fact("label-public-key", home.public_key_path().display()),
            out.fact("label-ledger", home.ledger_path().display()),
            String::new(),
            out.t("init-next"),
        ],
        json!({"ok": true, "home": home.root(), "key_id": key_id, "public_key": home.public_key().to_base64(),
               "org": a.org, "name": a.name, "role": role.as_str(), "ledger": home.ledger_path()}),
    );
    Ok(())
}
