//! Progress for long imports and exports: shown only to a person watching a terminal, so
//! scripts and pipes get clean output.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What a progress indicator shows.
pub enum Kind {
    /// A bar to a known total.
    Bar(u64),
    /// A running count of rows, total unknown.
    Count,
}

/// Drawn on stderr when `visible` and stderr is a terminal; hidden otherwise.
pub fn start(kind: Kind, message: &str, visible: bool) -> ProgressBar {
    if !visible || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match kind {
        Kind::Bar(n) => (ProgressBar::new(n), "{msg} [{bar:40}] {human_pos}/{human_len} ({eta} left)"),
        Kind::Count => (ProgressBar::new_spinner(), "{spinner} {msg}: {human_pos} rows"),
    };
    let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.set_message(message.to_string());
    if !matches!(kind, Kind::Bar(_)) {
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    }
    bar
}

/// Whether stdout is a terminal: the rule for showing progress at all.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
