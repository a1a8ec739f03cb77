//! After a capture: the owners of open follow-ups on related entries are told by DM that someone
//! else heard about the same thing, and the capturer's reply says who was told. Sent inline,
//! before the reply: two REST calls per owner (at most three owners), and the interaction handler
//! defers after 2 s, so a slow Discord delays the reply but never loses it; a DM that fails is
//! sent again by the scheduler.

use crate::discord::app::App;
use crate::discord::render::related_notices;
use crate::service::capture::Captured;
use crate::service::related_notices::tell;

/// The reply's lines naming who was told; `None` when nobody. A failure here never undoes the
/// capture: it is logged, by the entry's id, and said in one line.
pub async fn after_capture(app: &App, captured: &Captured) -> Option<String> {
    let store = app.store.as_ref();
    match tell(store, &app.config, app.poster.as_ref(), captured, app.now()).await {
        Ok(told) => related_notices::told(&told),
        Err(e) => {
            tracing::error!(
                guild = %captured.entry.guild,
                entry = %captured.entry.id,
                error = %e.loggable(),
                "telling the owners of related follow-ups failed after a capture"
            );
            Some("I could not tell the owners of related follow-ups just now.".into())
        }
    }
}
