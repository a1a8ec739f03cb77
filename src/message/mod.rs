//! The chat-neutral message model: what the bot says, as plain values. Renderers (the digest,
//! the services' notices, the command replies) build [`Message`]s and [`Reply`]s, fitted to the
//! platform [`limits`], and write formatting through a [`Markup`]; only a front end
//! (`src/discord/`) knows a chat's syntax and turns these values into what it sends.
//!
//! Layer: below `service` and `digest`, above `domain`. No chat library here.

pub mod attachments;
pub mod limits;
mod markup;
mod model;
mod reply;

pub use markup::{Markup, TimeStyle};
pub use model::{Attachment, Button, ButtonStyle, Embed, Field, Image, Message};
pub use reply::{Modal, Reply, TextInput};
