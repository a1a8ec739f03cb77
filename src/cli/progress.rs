//! Progress bars for long imports and exports: shown only to a person watching a terminal, so
//! scripts and pipes get clean output.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting to `total` (a spinner when unknown), drawn on stderr when `visible` and stderr
/// is a terminal; hidden otherwise.
pub fn bar(total: Option<u64>, message: &str, visible: bool) -> ProgressBar {
    if !visible || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner(),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.set_message(message.to_string());
    bar
}

/// Whether stdout is a terminal: the rule for showing progress at all.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
