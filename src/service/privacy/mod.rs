//! Privacy: what liaison keeps, for how long, and what it shares. Each concern in its own file:
//! a guild's choices (`settings`), the retention pass (`retention`), access and erasure requests
//! (`erasure`), and a guild the bot was removed from (`departures`).

pub mod departures;
pub mod erasure;
pub mod retention;
pub mod settings;
