//! liaison: capture, search and share what an academic library's liaison and enquiry-desk staff hear.
//!
//! Layers, top to bottom (nothing points upward): `cli` (and later `discord`) parse input and
//! render output; `service` holds the use cases; `domain` holds pure types and rules; `store`
//! persists entries behind the [`store::Store`] trait.

pub mod cli;
pub mod config;
pub mod digest;
pub mod discord;
pub mod domain;
pub mod message;
pub mod service;
pub mod store;
