//! Escalation ladders as data.

mod model;

pub use model::*;
