//! The log: references an operator can follow (guild, user, entry ids, outcomes, error kinds),
//! never what a member wrote and never a secret, at any `RUST_LOG` level, `trace` included.
//!
//! liaison's own lines are written with that in mind. Its dependencies' are not: below WARN,
//! serenity's spans record every request it makes (`Http::request` is instrumented with the
//! request's body and its route, and an interaction's route holds the interaction's token) and
//! every gateway event it reads (messages, notes, interaction tokens); tungstenite's trace dumps
//! each websocket frame as hex (the IDENTIFY frame carries the bot token); reqwest and hyper can
//! dump raw connection bytes, headers included. So whatever `RUST_LOG` asks for, everything but
//! liaison's own lines and sqlx's (which log the SQL, with `?` placeholders, never bound values)
//! is capped at WARN, and the two serenity modules whose warnings quote a route or a raw frame are
//! silenced.

use tracing::level_filters::LevelFilter;
use tracing::Subscriber;
use tracing_subscriber::filter::{EnvFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

/// Targets that `RUST_LOG` governs in full.
const OPEN: &[&str] = &["liaison", "sqlx"];

/// Targets silenced whatever the level: `serenity::http` warns "Mismatched successful response
/// status from {route}" (an interaction's route holds its token), and `serenity::gateway::ws`
/// warns with the text of a frame it could not parse.
const SILENCED: &[&str] = &["serenity::http", "serenity::gateway::ws"];

/// The most any other crate may log.
const OTHERS: LevelFilter = LevelFilter::WARN;

/// The ceiling `RUST_LOG` cannot lift.
fn ceiling() -> Targets {
    let open = OPEN.iter().map(|target| (*target, LevelFilter::TRACE));
    let silenced = SILENCED.iter().map(|target| (*target, LevelFilter::OFF));
    Targets::new().with_default(OTHERS).with_targets(open.chain(silenced))
}

/// The filter `RUST_LOG` asks for, or `default` when it is unset or cannot be read.
fn requested(default: &str) -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default))
}

/// The subscriber: `filter` within the ceiling, formatted for `writer`.
fn subscriber<W>(filter: EnvFilter, writer: W, ansi: bool) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let format = tracing_subscriber::fmt::layer().with_writer(writer).with_ansi(ansi);
    tracing_subscriber::registry().with(ceiling()).with(filter).with(format)
}

/// Logs go to stderr, at `RUST_LOG`'s level (`default` otherwise) within the ceiling, without
/// colour codes unless stderr is a terminal.
pub fn init(default: &str) {
    use std::io::IsTerminal;
    use tracing_subscriber::util::SubscriberInitExt;
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = subscriber(requested(default), std::io::stderr, ansi).try_init();
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Everything written, shared with the test.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn logged(directives: &str, emit: impl FnOnce()) -> String {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = subscriber(EnvFilter::new(directives), move || writer.clone(), false);
        tracing::subscriber::with_default(subscriber, emit);
        let bytes = buffer.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// What serenity, its clients and liaison say, at every level, in the shapes they use.
    fn everything() {
        let span = tracing::info_span!(target: "serenity::http::client", "request", req = "body-in-a-span");
        span.in_scope(|| tracing::warn!(target: "serenity::gateway::shard", "event-in-a-body-span"));
        tracing::trace!(target: "serenity::gateway::shard", "serenity-trace");
        tracing::debug!(target: "serenity::gateway::shard", "serenity-debug");
        tracing::info!(target: "serenity::gateway::shard", "serenity-info");
        tracing::warn!(target: "serenity::gateway::shard", "serenity-warn");
        tracing::warn!(target: "serenity::http::client", "mismatched-status-with-route");
        tracing::warn!(target: "serenity::gateway::ws", "unparsed-frame");
        tracing::trace!(target: "tungstenite::protocol", "frame-as-hex");
        tracing::debug!(target: "reqwest::connect", "raw-bytes");
        tracing::trace!(target: "hyper_util::client::legacy::pool", "pool-trace");
        tracing::warn!(target: "hyper", "hyper-warn");
        tracing::trace!(target: "liaison::discord::interaction", "liaison-trace");
        tracing::info!(target: "liaison::discord::interaction", "liaison-info");
        tracing::debug!(target: "sqlx::query", "sqlx-debug");
    }

    #[test]
    fn rust_log_cannot_lift_other_crates_above_warn() {
        for directives in
            ["trace", "serenity=trace,tungstenite=trace,reqwest=trace,hyper=trace", "serenity::http=trace"]
        {
            let log = logged(directives, everything);
            for hidden in [
                "body-in-a-span",
                "serenity-trace",
                "serenity-debug",
                "serenity-info",
                "mismatched-status-with-route",
                "unparsed-frame",
                "frame-as-hex",
                "raw-bytes",
                "pool-trace",
            ] {
                assert!(!log.contains(hidden), "RUST_LOG={directives} let {hidden} through:\n{log}");
            }
        }
        let log = logged("trace", everything);
        for shown in ["event-in-a-body-span", "serenity-warn", "hyper-warn", "liaison-trace", "sqlx-debug"] {
            assert!(log.contains(shown), "{shown} is logged:\n{log}");
        }
    }

    #[test]
    fn rust_log_still_chooses_within_the_ceiling() {
        let log = logged("warn,liaison=info", everything);
        assert!(log.contains("liaison-info") && log.contains("serenity-warn"), "{log}");
        assert!(!log.contains("liaison-trace") && !log.contains("sqlx-debug"), "{log}");
    }
}
