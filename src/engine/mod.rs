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
//! - what every function that reads a stored state checks first (its schema
//!   version, its ladder, the ladder and calendar its dates were computed
//!   on): `check.rs`;
//! - what each event does: one handler per event kind (`handlers.rs`);
//! - every date (windows, clocks that start at a step, the ceiling cap,
//!   extension limits, when time will act): `clock.rs` ([`window_end`],
//!   [`next_time_action`]);
//! - what must hold for every event (order, time having acted, the ceiling
//!   breach, the event count): [`apply`];
//! - what time does by itself: `time.rs` ([`advance`], [`advance_for`]);
//! - events applied as a case system applies them, time acting first:
//!   `replay.rs` ([`replay`], [`apply_after_time`]);
//! - what is due as at a date: [`status`]; when it next changes by time
//!   alone ([`AlertState::wakes_on`], `clock.rs`); re-basing a stored
//!   alert: [`recompute`]; correcting its history: [`correct`].
//!
//! The modules form layers, each importing only those below it: `types`
//! and `error`; `check` and `clock`; `handlers`; `apply`; `time`; `replay`,
//! `status`, `timeline`; `recompute`; `correct`.

mod apply;
mod check;
mod clock;
mod correct;
mod error;
mod event_de;
mod event_ser;
pub(crate) use event_de::EventFromStrings;
mod handlers;
mod ids;
mod list;
mod recompute;
mod replay;
mod status;
mod time;
mod timeline;
mod types;

/// The most event ids one alert keeps ([`AlertState::event_ids`]); defined
/// with the other limits ([`input::limits`](crate::input::limits)).
pub use crate::input::limits::MAX_EVENT_IDS;
pub use apply::{apply, apply_at_version};
pub use check::check_state;
pub use clock::{next_time_action, window_end};
pub use correct::{correct, Correction, EntryRef};
pub use error::{EngineError, Refusal, TrailMismatch};
pub use ids::EventIds;
pub use list::ThinList;
pub use recompute::{recompute, recompute_to, Deadlines, Recomputed};
pub use replay::{
    apply_after_time, apply_after_time_borrowed, replay, replay_trail, write_applied_json, Applied,
    AppliedRef,
};
pub use status::status;
pub use time::{advance, advance_for, Advanced, TIME_ACTOR};
pub use timeline::{
    schedule_dates, worst_case_timeline, LadderTimeline, MilestoneDate, ScheduleTimeline,
    TimelineRow,
};
pub use types::{
    AlertState, AuditEntry, Breaches, DutyState, DutyStatus, Effect, Effects, Event, EventKind,
    OwnedTransition, Phase, StageChange, Stale, Status, StepDone, Transition, STATE_SCHEMA_VERSION,
};
