//! Escalation ladders as data.
//!
//! A procedure file is TOML with a top-level `kind`: `"ladder"` for a
//! [`Ladder`] of stages, `"schedule"` for a [`Schedule`] of milestones. Load one
//! with [`Procedure::from_toml_str`] (or [`Ladder::from_toml_str`],
//! [`Schedule::from_toml_str`], [`Procedure::from_path`]); the built-in ones are
//! in [`builtin`]. Every loader validates what it loads and refuses, with a
//! [`LadderError`] that names the file, line, stage and field, anything that
//! breaks the rules below.
//!
//! # Validation rules
//!
//! A ladder is refused when:
//!
//! - a required text (ids, names, titles, conditions, provenance quotes and
//!   reasons, record forms) is empty or blank;
//! - it has no stages;
//! - two roles, categories, referrals or stages share an id, or two outcomes of
//!   one stage do;
//! - a stage's `raised_by`, `responders` or `notify` names a role that is not in
//!   `[[roles]]`, or its `responders` list is empty;
//! - a window has no `count` for `working-days`, `calendar-days` or `weeks`, or
//!   has one for `immediately` or `none-stated`;
//! - a window is absurd: a count of 0 (use `immediately`), or more than 250
//!   working days, 365 calendar days or 52 weeks
//!   ([`MAX_WORKING_DAYS`], [`MAX_CALENDAR_DAYS`], [`MAX_WEEKS`]);
//! - the ceiling or the open threshold is 0 or more than 250 working days;
//! - a `next`, `bypass` or outcome route names an unknown stage, or a `bypass`
//!   list is empty or names a stage that is not *later* in stage order;
//! - a stage cannot be reached: reachable stages are the entry stages, then
//!   everything their `next`, `bypass` and outcome routes lead to;
//! - the routes form a cycle (an alert could escalate forever); the error names
//!   the route that closes it;
//! - the default path (the first stage, then `next` only) can take longer than
//!   the ceiling. Each window counts as its [`Window::working_day_bound`]:
//!   working days as they are, calendar days as the same number of working
//!   days, weeks as five working days each, and `immediately` and `none-stated`
//!   as 0.
//!
//! **The first stage is always an entry stage**, with or without an `entry`
//! table, so a ladder with stages always has somewhere to start; other stages
//! are entry stages when they have an `entry` table.
//!
//! A schedule is refused when a required text is empty, it has no milestones,
//! two milestones share an id, a day is outside 1..=250
//! ([`MAX_SCHEDULE_DAY`]), an `until_day` is before its `day`, or the
//! milestones are not in day order.
//!
//! # Example
//!
//! ```
//! use escalation_ladder::ladder::builtin;
//!
//! let ladder = builtin::ladder("iro-dispute-resolution")?;
//! assert_eq!(ladder.ceiling.as_ref().map(|c| c.working_days), Some(20));
//! assert!(ladder.entry_stages().len() == ladder.stages.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// `LadderError::Invalid` carries the file, stage, field, expectation and finding
// as owned strings so messages stand alone; errors are the cold path, so its
// size is accepted rather than boxing the fields away from pattern matching.
#![allow(clippy::result_large_err)]

pub mod builtin;
mod error;
mod load;
mod locate;
mod model;
mod render;
mod validate;

pub use error::LadderError;
pub use model::*;
pub use validate::{MAX_CALENDAR_DAYS, MAX_SCHEDULE_DAY, MAX_STARTS, MAX_WEEKS, MAX_WORKING_DAYS};
