//! Escalation ladders as data.
//!
//! A procedure file is TOML (or JSON) with a top-level `kind`: `"ladder"` for a
//! [`Ladder`] of stages, `"schedule"` for a [`Schedule`] of milestones. The
//! format is documented key by key, with a ladder to copy, in
//! `docs/ladder-schema.md`. Load one with [`Procedure::from_toml_str`] (or
//! [`Ladder::from_toml_str`], [`Schedule::from_toml_str`]), from JSON with
//! [`Procedure::from_json_str`] (same schema, same validation), or from a file
//! with [`Procedure::from_path`] (`.json` files as JSON, others as TOML); the
//! built-in ones are in [`builtin`]. Every loader validates what it loads and
//! refuses, with a [`LadderError`] that names the file, line (in TOML), stage
//! and field, anything that breaks the rules below. So does serde's
//! `Deserialize` for [`Ladder`] and [`Schedule`]: there is no way to read a
//! procedure that skips the rules. A procedure built or changed in code is
//! checked with [`Ladder::validate`], [`Schedule::validate`] or
//! [`Procedure::validate`].
//!
//! # Validation rules
//!
//! A ladder is refused when:
//!
//! - its `kind` is not `"ladder"`;
//! - a list is longer than its limit ([`MAX_STAGES`](crate::input::limits::MAX_STAGES)
//!   stages, [`MAX_LIST_ITEMS`](crate::input::limits::MAX_LIST_ITEMS) roles,
//!   categories, referrals, duties, omissions, or outcomes or steps of a stage),
//!   an id is longer than [`MAX_NAME_BYTES`](crate::input::limits::MAX_NAME_BYTES)
//!   or another required text longer than
//!   [`MAX_TEXT_BYTES`](crate::input::limits::MAX_TEXT_BYTES);
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
//! - a stage's window is `agreed-date` (for duties only), a stage's
//!   `window.from` names no step of the stage, or a duty's window has a `from`;
//! - `window.max_working_days` is set on a window without a count, is below
//!   the window itself or is more than 250;
//! - `on_expiry` is `deemed-agreed` or `escalates-automatically` on a
//!   `none-stated` window, or `escalates-automatically` on a stage without
//!   `next`;
//! - a stage has `optional_outcome` but no outcomes; a step's `by` is empty or
//!   names an unknown role, or two steps of one stage share an id;
//! - a duty's `owners` is empty or names an unknown role, its
//!   `available.stages` is empty or names an unknown stage, or two duties share
//!   an id;
//! - an outcome's `starts`, a duty's `then_starts` or `on_resolve.starts`
//!   names an unknown duty or an `agreed-date` duty, or more than
//!   [`MAX_STARTS`] duties;
//! - the ceiling or the open threshold is 0 or more than 250 working days, or
//!   `open_threshold.from` is not `{ stages = [...] }` naming known stages;
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
//! A schedule is refused when its `kind` is not `"schedule"`, a required text
//! is empty, it has no milestones (or more than
//! [`MAX_LIST_ITEMS`](crate::input::limits::MAX_LIST_ITEMS)), two milestones
//! share an id, a day is outside 1..=250 ([`MAX_SCHEDULE_DAY`]), an
//! `until_day` is before its `day`, a `repeats` is not 1..=5 times a week or
//! ends before its `day`, or the milestones are not in day order.
//!
//! # Where each rule lives
//!
//! - the file format, field by field, and each field's default: `model.rs`
//!   (the serde types; docs/ladder-schema.md is its account for people);
//! - reading TOML or JSON (`kind` first), writing it back, and the lookups
//!   (`stage`, `duty`, entry stages, the default path): `load.rs`; the line
//!   of a broken rule in the TOML text: `locate.rs`;
//! - the checks ladders and schedules share (the header, required texts and
//!   their lengths, provenance, ids used once, list limits, omissions,
//!   windows): `validate/mod.rs` ([`MAX_WORKING_DAYS`] and the other window
//!   bounds);
//! - one checker per section of a ladder, in the order the first broken rule
//!   is reported: `validate/ladder.rs` (limits; the top level; roles,
//!   categories and referrals; stages, their windows, steps, outcomes and
//!   routes; duties; `on_resolve`; `omitted`; the rules across the whole
//!   ladder: reachability, cycles and the default path against the ceiling);
//! - the schedule's checker: `validate/schedule.rs`;
//! - tables and Markdown for people: `render.rs`; the built-in procedures:
//!   [`builtin`]; the error: [`LadderError`].
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
mod diagram;
mod error;
mod load;
mod locate;
mod model;
mod render;
mod validate;

pub use error::LadderError;
pub use model::*;
pub use validate::{MAX_CALENDAR_DAYS, MAX_SCHEDULE_DAY, MAX_STARTS, MAX_WEEKS, MAX_WORKING_DAYS};
