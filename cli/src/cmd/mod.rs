//! One module per command.

mod certify;
mod checkpoint;
mod completions;
mod demo;
mod init;
mod key;
mod ledger;
mod man;
mod open;
mod seal;
mod verify;
mod wipe;

use custody_lifecycle::Home;

use crate::args::{Cli, Command};
use crate::errors::CliError;
use crate::output::Output;

pub fn run(cli: &Cli, out: &Output) -> Result<(), CliError> {
    match &cli.command {
        Command::Init(a) => init::run(cli, a, out),
        Command::Key(k) => key::run(cli, k, out),
        Command::Seal(a) => seal::run(cli, a, out),
        Command::Open(a) => open::run(cli, a, out),
        Command::Ledger(c) => ledger::run(cli, c, out),
        Command::Wipe(a) => wipe::run(cli, a, out),
        Command::Certify(a) => certify::run(cli, a, out),
        Command::Verify(a) => verify::run(cli, a, out),
        Command::Demo(a) => demo::run(cli, a, out),
        Command::Completions(a) => completions::run(a, out),
        Command::Man(a) => man::run(a, out),
    }
}

pub(crate) fn open_home(cli: &Cli) -> Result<Home, CliError> {
    let root = Home::locate(cli.home.as_deref())?;
    Ok(Home::open(&root)?)
}
