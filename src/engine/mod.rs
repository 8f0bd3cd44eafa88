//! The pure, deterministic state machine that runs an alert up a ladder.
//!
//! [`apply`] takes a ladder, a calendar, a state and an event, and returns a
//! [`Transition`]: the new state, its [`Effect`]s and an [`AuditEntry`]. It never
//! reads a clock and never changes the state it is given. A transition borrows from
//! the ladder and the event and spells out its effects on demand, so applying an
//! event allocates nothing beyond the new state (and, for an event that starts duties, the list of them). [`advance`] applies what time does
//! by itself (deemed agreement, automatic escalation) up to a date, and [`status`]
//! says, as at a date, what is due, by whom, and what is breached.
//!
//! Where to find a rule:
//!
//! - what each event does: one handler per event kind (`handlers.rs`);
//! - every date (windows, clocks that start at a step, the ceiling cap,
//!   extension limits, when time acts): `clock.rs` ([`window_end`],
//!   [`next_time_action`], [`advance`]);
//! - what must hold for every event (order, time having acted, the ceiling
//!   breach): [`apply`];
//! - what is due as at a date: [`status`].

mod apply;
mod clock;
mod error;
mod event_de;
mod event_ser;
pub(crate) use event_de::EventFromStrings;
mod handlers;
mod list;
mod recompute;
mod status;
mod timeline;
mod types;

pub use apply::{
    apply, apply_after_time, apply_after_time_borrowed, apply_at_version, replay, replay_trail,
    write_applied_json, Applied, AppliedRef,
};
pub use clock::{advance, advance_for, next_time_action, window_end, Advanced, TIME_ACTOR};
pub use error::{EngineError, Refusal};
pub use list::ThinList;
pub use recompute::{recompute, Deadlines, Recomputed};
pub use status::status;
pub use timeline::{
    schedule_dates, worst_case_timeline, LadderTimeline, MilestoneDate, ScheduleTimeline,
    TimelineRow,
};
pub use types::{
    AlertState, AuditEntry, Breaches, DutyState, DutyStatus, Effect, Effects, Event, EventKind,
    OwnedTransition, Phase, Stale, Status, StepDone, Transition, RECENT_EVENT_IDS,
    STATE_SCHEMA_VERSION,
};
