//! Describing Discord failures for the log without leaking secrets: serenity's own messages
//! include request URLs, and an interaction's URL carries its token.

use serenity::http::HttpError;

/// Status and Discord's error code and message; never the URL, headers or body.
pub fn describe(error: &serenity::Error) -> String {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            let mut s = format!(
                "Discord answered {} to {} (code {}: {})",
                r.status_code, r.method, r.error.code, r.error.message
            );
            for e in r.error.errors.iter().take(3) {
                s.push_str(&format!("; {}: {}", e.path, e.message));
            }
            s
        }
        serenity::Error::Http(HttpError::Request(e)) => {
            let kind = if e.is_timeout() {
                "timed out"
            } else if e.is_connect() {
                "could not connect"
            } else {
                "failed"
            };
            format!(
                "the request to Discord {kind}{}",
                e.status().map(|s| format!(" ({s})")).unwrap_or_default()
            )
        }
        serenity::Error::Http(other) => format!("HTTP: {other}"),
        serenity::Error::Gateway(g) => format!("gateway: {g}"),
        serenity::Error::Json(e) => format!("unexpected JSON from Discord: {e}"),
        serenity::Error::Model(e) => format!("model: {e}"),
        other => format!("{other}"),
    }
}

/// The HTTP status of a failed request, if it got that far.
pub fn status(error: &serenity::Error) -> Option<u16> {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => Some(r.status_code.as_u16()),
        serenity::Error::Http(HttpError::Request(e)) => e.status().map(|s| s.as_u16()),
        _ => None,
    }
}
