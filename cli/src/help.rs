//! Puts the Fluent help texts into the clap command tree, so `--help` speaks the
//! user's language. A message `help-seal` replaces the `seal` command's about text;
//! `help-seal-to` the help of its `--to` argument. Missing messages keep the
//! English text written in `args.rs`.
//!
//! clap writes its own words too (`Usage:`, `Options:`, `Print help`, `[OPTIONS]`,
//! `[default: …]`); they are replaced here by messages of `interface.ftl`: the usage
//! heading through the help template, the section headings as every argument's help
//! heading, `--help`/`--version` as our own arguments, `[OPTIONS]` by a rendered usage.
//! Defaults and possible values are hidden: every help text names them in words.

use clap::{Arg, ArgAction, Command};
use custody_l10n::Localizer;

pub fn localize(cmd: Command, l: &Localizer) -> Command {
    let cmd = localize_at(cmd, l, "help", true);
    localize_usage(cmd, l)
}

fn localize_at(mut cmd: Command, l: &Localizer, prefix: &str, root: bool) -> Command {
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
        let (args_heading, options_heading, global_heading) =
            (l.msg("help-heading-arguments"), l.msg("help-heading-options"), l.msg("help-heading-global"));
        cmd = cmd.mut_arg(id.as_str(), |a| {
            let a = match text {
                Some(text) => a.help(text),
                None => a,
            };
            // Options every command takes get their own section, after the command's own.
            let heading = if a.is_positional() {
                args_heading
            } else if a.is_global_set() {
                global_heading
            } else {
                options_heading
            };
            let a = a.help_heading(heading);
            if a.get_action().takes_values() {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        });
    }
    cmd = cmd
        .help_template(template(l))
        .subcommand_help_heading(l.msg("help-heading-commands"))
        .subcommand_value_name(l.msg("help-value-command"))
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(l.msg("help-help"))
                .help_heading(l.msg("help-heading-options")),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(l.msg("help-version"))
                .help_heading(l.msg("help-heading-options")),
        );
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        let sub_prefix = if prefix == "help" { format!("help-{name}") } else { format!("{prefix}-{name}") };
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize_at(s, l, &sub_prefix, false));
    }
    cmd
}

/// clap's own layout with the usage heading in the user's language.
fn template(l: &Localizer) -> String {
    let heading = l.msg("help-heading-usage").replace(['{', '}'], "");
    format!("{{before-help}}{{about-with-newline}}\n{heading} {{usage}}\n\n{{all-args}}{{after-help}}")
}

/// clap writes `[OPTIONS]` into every usage line; the usage is rendered once from the
/// built tree and given back with that word translated.
fn localize_usage(cmd: Command, l: &Localizer) -> Command {
    let mut built = cmd.clone();
    built.build();
    let options = l.msg("help-usage-options");
    apply_usage(cmd, &mut built, &options)
}

fn apply_usage(mut cmd: Command, built: &mut Command, options: &str) -> Command {
    let usage = built.render_usage().to_string();
    // render_usage starts with clap's own heading ("Usage: "), which the template replaces.
    let usage = usage.split_once(": ").map(|(_, u)| u).unwrap_or(&usage);
    cmd = cmd.override_usage(usage.replace("[OPTIONS]", options));
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        if let Some(b) = built.find_subcommand_mut(&name) {
            cmd = cmd.mut_subcommand(name.as_str(), |s| apply_usage(s, b, options));
        }
    }
    cmd
}
