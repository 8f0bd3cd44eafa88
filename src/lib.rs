//! UK working-day calendars and data-driven escalation ladders for children's
//! social care.
//!
//! English councils run formal escalation procedures when something goes wrong in
//! a child's case: an Independent Reviewing Officer (IRO) disputes a care plan, a
//! child protection conference chair raises a concern, a placement provider's
//! quality slips. Each procedure is a ladder of stages with response windows in
//! *working days* and, often, a statutory ceiling (an IRO dispute: 20 working days
//! in all). This crate gives a case system five things:
//!
//! - [`calendar`]: the bank holidays of England and Wales, Scotland and Northern
//!   Ireland from 1978 to 2199, and [`WorkingCalendar`], which adds and counts
//!   working days in constant time under a named counting convention.
//! - [`ladder`]: procedures as TOML data with the provenance of every rule; eight
//!   built-in procedures from five councils' documents; validation on load.
//! - [`engine`]: a pure state machine ([`engine::apply`], [`engine::status`]) that
//!   raises, escalates and resolves alerts and says what is due, by whom.
//! - [`report`]: cases read from a case system's export (JSON Lines), replayed
//!   into compact [`Case`]s, and the monitoring reports the procedures ask for.
//! - [`ics`]: the deadlines of open alerts as iCalendar events for people's
//!   calendars, with UIDs stable across runs.
//!
//! Errors and text outputs quote values from input through [`escape`], so a
//! line break or a terminal code in the data prints as a visible escape.
//!
//! # The counting convention
//!
//! N working days after D is the N-th working day strictly after D: the day of
//! receipt is day 0, and receipt on a non-working day makes the next working day
//! day 1. The count from FROM to TO is the number of working days in (FROM, TO].
//!
//! # Example
//!
//! An IRO raises an alert with a team manager on Friday 18 December 2026. The
//! manager has 5 working days; Christmas Day (Friday) and Boxing Day's substitute
//! (Monday 28th) do not count:
//!
//! ```
//! use chrono::NaiveDate;
//! use escalation_ladder::engine::{apply, status, AlertState, Event, EventKind};
//! use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
//!
//! let ladder = builtin::ladder("iro-dispute-resolution")?;
//! let calendar = WorkingCalendar::new(Region::EnglandAndWales);
//! let raise = Event {
//!     on: NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(),
//!     actor: "iro".into(),
//!     id: None,
//!     meta: None,
//!     kind: EventKind::Raise {
//!         stage: Some("team-manager".into()),
//!         category: Some("drift-in-permanence-planning".into()),
//!         reason: "no permanence plan at the second review".into(),
//!     },
//! };
//! let state = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)?.state;
//! let now = status(&ladder, &calendar, &state, NaiveDate::from_ymd_opt(2026, 12, 24).unwrap())?;
//! assert_eq!(now.next_deadline, NaiveDate::from_ymd_opt(2026, 12, 29));
//! assert_eq!(now.working_days_left, Some(1));
//! assert_eq!(now.who_must_act[..], ["team-manager"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! - `cli`: the `ladder` command-line tool (adds `clap`). Off by default, so the
//!   library's dependency tree stays small.
//! - `server`: [`server`], the library as a stateless HTTP JSON service (axum on
//!   tokio), and the `ladder serve` subcommand. Implies `cli`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod calendar;
#[cfg(feature = "cli")]
pub mod cli;
pub mod contract;
pub mod engine;
pub mod escape;
pub mod ics;
pub mod input;
pub mod ladder;
pub mod ops;
pub mod picture;
pub mod report;
#[cfg(feature = "server")]
pub mod server;
pub mod sources;
mod svg;
mod version;

pub use calendar::{CalendarError, Region, Roll, WorkingCalendar};
/// The date types of the crate's API ([`chrono::NaiveDate`]), re-exported so that
/// a caller needs no dependency of its own to name them.
pub use chrono;
pub use engine::{apply, status, EngineError};
pub use ladder::{Ladder, LadderError, Procedure};
pub use report::{Case, Procedures};
