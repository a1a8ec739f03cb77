//! The Discord edge: serenity used directly, with a small command layer of our own. An
//! interaction comes in, its options are read out of serenity once ([`options`]), a command
//! module parses them into a typed request and handles it through a service, and a
//! [`Reply`](crate::message::Reply) value goes out through the gateway transport (`send`).
//! Discord's markup (escaping, mentions, timestamps, attachment links) is written in one place,
//! [`markup`].

pub mod app;
pub mod audience;
pub mod bot;
pub mod caller;
pub mod commands;
pub mod custom_id;
pub mod errors;
pub mod interaction;
pub mod markup;
pub mod notices;
pub mod options;
pub mod post;
pub mod render;
pub mod scheduler;
pub mod send;
pub mod shards;
pub mod throttle;
