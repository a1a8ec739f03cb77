//! Privacy: what liaison keeps, for how long, and what it shares. Each concern in its own file:
//! a guild's choices (`settings`), access and erasure requests (`erasure`).

pub mod erasure;
pub mod settings;
