//! Progress bars on standard error, shown only on a terminal and never with --json.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::Output;

pub fn bytes_bar(out: &Output, total: u64, message: String) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if !out.interactive() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let style = ProgressStyle::with_template(&template(&out.t("progress-eta"), true))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(message);
    bar
}

/// The bar's layout; `eta` is the word before the time left, in the user's language.
fn template(eta: &str, bytes: bool) -> String {
    // Braces in the translated word would be read as placeholders.
    let eta = eta.replace(['{', '}'], "");
    if bytes {
        format!("{{msg}} [{{bar:30}}] {{bytes}}/{{total_bytes}} {{bytes_per_sec}} {eta} {{eta}}")
    } else {
        format!("{{msg}} [{{bar:30}}] {{pos}}/{{len}} {eta} {{eta}}")
    }
}

/// A bar already known to be wanted (the caller checked for a terminal); counts
/// bytes, or items when `bytes` is false.
pub fn plain_bar(total: u64, message: String, bytes: bool, eta: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(&template(eta, bytes))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// Feeds a bar from a `(done, total)` callback, learning the total as it comes.
pub fn follow(bar: &ProgressBar) -> impl Fn(u64, u64) + '_ {
    move |done, total| {
        if bar.length() != Some(total) {
            bar.set_length(total);
        }
        bar.set_position(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_takes_the_translated_word_and_stays_valid() {
        for (eta, bytes) in [("残り", true), ("ETA", false), ("{bad}", true)] {
            let t = template(eta, bytes);
            assert!(ProgressStyle::with_template(&t).is_ok(), "{t}");
            assert!(t.contains(&eta.replace(['{', '}'], "")), "{t}");
            assert_eq!(t.contains("{bytes_per_sec}"), bytes);
        }
    }
}
