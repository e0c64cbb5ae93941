//! Puts the Fluent help texts into the clap command tree, so `--help` speaks the
//! user's language. A message `help-seal` replaces the `seal` command's about text;
//! `help-seal-to` the help of its `--to` argument. Missing messages keep the
//! English text written in `args.rs`.

use clap::Command;
use custody_l10n::Localizer;

pub fn localize(cmd: Command, l: &Localizer) -> Command {
    localize_at(cmd, l, "help")
}

fn localize_at(mut cmd: Command, l: &Localizer, prefix: &str) -> Command {
    if l.has(prefix) {
        cmd = cmd.about(l.msg(prefix));
    }
    let arg_ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in arg_ids {
        let key = format!("{prefix}-{}", id.replace('_', "-"));
        let global_key = format!("help-{}", id.replace('_', "-"));
        let text = if l.has(&key) {
            Some(l.msg(&key))
        } else if l.has(&global_key) {
            Some(l.msg(&global_key))
        } else {
            None
        };
        if let Some(text) = text {
            cmd = cmd.mut_arg(id.as_str(), |a| a.help(text));
        }
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        let sub_prefix = if prefix == "help" { format!("help-{name}") } else { format!("{prefix}-{name}") };
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize_at(s, l, &sub_prefix));
    }
    cmd
}
