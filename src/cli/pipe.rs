//! A one-shot command piped into `head`, or a pager that quits early, stops quietly as `cat` or
//! `grep` would. Rust starts every program with SIGPIPE ignored, so a write to a closed pipe fails
//! instead: `println!` panics on that failure, and a command that checks its writes says
//! "Broken pipe". Restoring the signal's default lets it end the process at the first such write.
//! Not for `liaison run`: the bot must outlive whatever reads its output.

/// Lets SIGPIPE end the process. Called before the runtime starts any thread.
#[cfg(unix)]
pub fn end_when_the_reader_goes() {
    // SAFETY: sets the disposition of one signal to the system's default: no handler of ours
    // runs, and nothing else in the process has changed SIGPIPE's disposition or relies on it.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
pub fn end_when_the_reader_goes() {}
