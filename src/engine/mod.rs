//! The pure, deterministic state machine that runs an alert up a ladder.
//!
//! [`apply`] takes a ladder, a calendar, a state and an event, and returns a
//! [`Transition`]: the new state, its [`Effect`]s and an [`AuditEntry`]. It never
//! reads a clock and never changes the state it is given. A transition borrows from
//! the ladder and the event and spells out its effects on demand, so applying an
//! event allocates nothing beyond the new state. [`status`] says, as at a
//! date, what is due, by whom, and what is breached.

mod apply;
mod error;
mod types;

pub use apply::{
    apply, replay, replay_trail, schedule_dates, status, window_end, worst_case_timeline,
    MilestoneDate, TimelineRow,
};
pub use error::{EngineError, Refusal};
pub use types::{
    AlertState, AuditEntry, Breaches, Effect, Effects, Event, EventKind, OwnedTransition, Phase,
    Status, Transition, STATE_SCHEMA_VERSION,
};
