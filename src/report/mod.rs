//! Monitoring reports over many cases, as at a date.
//!
//! The source procedures end in monitoring: a monthly report of alerts and
//! outstanding alerts to the divisional director, a quarterly analysis of
//! categories and themes and an IRO tracking spreadsheet (the QA service's
//! procedure), a six-monthly thematic report (Oxfordshire), and notice of every
//! notification open longer than 20 working days (Birmingham). This module
//! reads cases (one alert each) from a case system's export and builds those
//! figures.
//!
//! - [`CaseRecord`]: one line of a cases file (JSON Lines), in the crate's own
//!   shape; [`CaseReader`] and [`read_cases`] read a file and replay each
//!   record's events with the [engine](crate::engine), keeping a compact
//!   [`Case`]: shared ids, the final [`AlertState`](crate::engine::AlertState)
//!   and one [`StageVisit`] per stage visited.
//! - [`Procedures`]: the ladders cases may name (built-in and the caller's), each
//!   with the working calendar of its division.
//! - [`Period`]: the month, quarter, half-year or range a report covers.
//! - [`Report::build`]: the figures, as at a date; [`Report::to_text`], serde
//!   JSON and [`Report::to_summary_csv`] show them; [`tracking_csv`] writes the
//!   IRO tracking spreadsheet.
//! - [`ReportBuilder`]: the same figures counted case by case, without holding
//!   the cases (no lists of alerts): what a summary over a million cases needs.
//!
//! The module is in three parts, each using only those before it:
//!
//! - **reading** (`reading/`): a cases file into replayed cases: the line
//!   reader, the scanner of the common line shape, the shared strings, the
//!   threaded reader, and the replay, whose stage visits follow the
//!   transitions the engine returns;
//! - **figures** (`figures/`): every count of a report declared once, with
//!   `add` (one case) and `merge` (two partial counts), used by
//!   [`Report::build`] over cases in memory and by [`ReportBuilder`] (and the
//!   reader's worker threads) over cases as they are read; then the
//!   [`Report`] made from them;
//! - **formats** (`formats/`): the report as text, JSON, summary CSV, and the
//!   tracking CSV.
//!
//! Beside them are what all three share: the cases ([`Case`],
//! [`CaseRecord`]), the [`Procedures`], the [`Period`] and the errors.
//!
//! # The cases file
//!
//! One alert per line; blank lines are skipped; fields other than these are
//! ignored:
//!
//! ```text
//! {"case":"IRO-2026-0107","child":"C-20417","team":"North Locality","worker":"j.smith",
//!  "ladder":"iro-dispute-resolution","events":[
//!    {"on":"2026-11-02","actor":"iro.patel","type":"raise","stage":"team-manager",
//!     "category":"failure-to-plan","reason":"no pathway plan"},
//!    {"on":"2026-11-09","actor":"tm.khan","type":"respond"}]}
//! ```
//!
//! (shown on several lines here; one line each in the file). `case` is unique
//! within a file; `child`, `team` and `worker` are optional (a missing team or
//! worker is grouped as "(not recorded)"); `ladder` names a built-in ladder or
//! one the caller supplies; `events` are the engine's
//! [`Event`](crate::engine::Event)s in date order, starting with the raise. A
//! record that is not JSON, names an unknown ladder, has no events, repeats a
//! case id or has an event the engine refuses is a [`CaseError`] with its line
//! number, its case id when known and the reason.
//!
//! # Periods
//!
//! `month`, `quarter` and `half-year` are the most recent complete period ending
//! on or before the as-of date (a monthly report run on 1 December 2026 covers
//! November 2026, and so does one run on 30 November). Quarters are calendar
//! quarters; half-years follow the UK financial year (April to September,
//! October to March). `FROM..TO` is inclusive and must end by the as-of date.
//! See [`Period`].
//!
//! # Figures
//!
//! *As at the as-of date* (every case read up to it, [`CaseReader::events_until`]):
//!
//! - **open**: alerts awaiting a response or a decision, counted by ladder,
//!   stage, category, team and worker;
//! - **overdue**: open alerts whose response date in force is before the as-of
//!   date, with the working days overdue, (due, as-of];
//! - **due soon**: open alerts not overdue whose response is due within N
//!   working days (`due_within_working_days`, default 2) **or** that have used
//!   at least P% of their window (`warn_at_percent_used`, default 80): working
//!   days from entering the stage to the as-of date over working days from
//!   entering it to the response date in force;
//! - **open longer**: open alerts open more than N working days, (raised,
//!   as-of] (`open_longer_than_working_days`, default 20), or more than their
//!   ladder's own `open_threshold`;
//! - **ceiling breaches**: open alerts past their ceiling or given extra time
//!   beyond it, and alerts closed in the period with either flag.
//!
//! *In the period*:
//!
//! - **extensions**: stage visits whose extra time was agreed in the period,
//!   with the dates as set and as agreed; those beyond the ceiling flagged;
//! - **timeliness** (below), per stage and per team;
//! - **escalations**: moves between stages made in the period, by ladder, from
//!   stage, to stage and kind: escalated (to the next stage), bypassed (to a
//!   later stage) or routed (by a branch outcome of a response);
//! - **closed**: closures (resolved, deemed agreed, withdrawn) in the period,
//!   each with the working days taken, (raised, closed], and per ladder and in
//!   all: count, median, maximum, and how many closed on or before their
//!   ceiling;
//! - **raised**: alerts raised in the period, by ladder and category (the
//!   analysis of categories and themes) and by team.
//!
//! # Timeliness
//!
//! A stage visit counts for a period when its **response date in force** (after
//! any agreed extra time) falls within the period. Its result:
//!
//! - **on time**: the responder responded on or before that date;
//! - **late**: responded after it;
//! - **missed**: no response, and the alert left the stage after the date
//!   (escalated, closed, deemed agreed) or is still waiting past it as at the
//!   as-of date;
//! - not measured: **left before due** (the alert left the stage without a
//!   response on or before the date: escalated early, resolved, withdrawn) and
//!   **pending** (due on the as-of date, no response yet).
//!
//! The percentage on time is on time over on time + late + missed, to one
//! decimal place. Extensions are reported beside it: how many measured visits
//! had extra time, and how many were on time only because of it (responded
//! after the date as set, on or before the date agreed). Stages with no window
//! (no response date) are not measured. The first response at a stage counts.
//!
//! # Formats
//!
//! - [`Report::to_text`]: aligned tables for people.
//! - JSON: `serde_json::to_string_pretty(&report)`; every figure and every list,
//!   each listed alert with its case, child, team, worker, ladder, category and
//!   raised date; missing values are `null`.
//! - [`Report::to_summary_csv`]: the figures in long form,
//!   `section,ladder,group,measure,number,date` (a count or percentage in
//!   `number`, a date in `date`).
//! - [`tracking_csv`]: the IRO tracking spreadsheet, one row per alert and per
//!   escalation (or the alerts or the escalations alone, [`CsvTable`]).
//! - `Report::to_html` (feature `html`): one self-contained page with charts.
//! - `Report::to_xlsx` (feature `xlsx`): a workbook.
//!
//! The text writes ids and names from the cases file and the ladders
//! [escaped](crate::escape): a line break in a worker's name shows as `\n`.
//!
//! The tracking spreadsheet is opened in Excel, which runs a cell starting with
//! `=`, `+`, `-` or `@` as a formula (and one starting with a tab or a carriage
//! return can become one). So in both CSV outputs a *text* field (case and child
//! ids, team and worker names, ladder, stage, category, outcome and referral
//! ids) that starts with one of those six characters gets a leading `'`, as
//! OWASP advises against CSV injection: `=HYPERLINK(…)` is written `'=HYPERLINK(…)`
//! and `-3 North` `'-3 North`; Excel shows them as text, without the `'`, and a
//! program reading the CSV sees the `'`. The numbers and dates the crate
//! computes are written as they are.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use escalation_ladder::report::{CaseReader, Procedures, Report, ReportOptions, Period};
//!
//! let procedures = Procedures::builtin()?;
//! let file = std::fs::read_to_string("examples/data/cases.jsonl")?;
//! let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
//! let cases = CaseReader::new(file.as_bytes(), &procedures).events_until(as_of).read_all()?;
//! let options = ReportOptions { period: Period::Quarter, ..ReportOptions::default() };
//! let report = Report::build(&procedures, &cases, as_of, &options)?;
//! assert_eq!(report.period.label, "July to September 2026");
//! // LAC-2026-0203's review decisions were deemed agreed on 17 November: 6, not 7.
//! assert_eq!(report.overdue.count, 6);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod case;
mod error;
mod figures;
mod formats;
mod intern;
mod period;
mod procedures;
mod reading;

pub use case::{Case, CaseRecord, Closure, Departure, MoveKind, StageMove, StageVisit};
pub use error::{CaseError, PeriodError, RecordError, ReportError};
pub use figures::model::{
    AgeBand, Ageing, AlertRef, BreachAlert, CaseTotals, CategoryCount, ClosedAlert, ClosedInPeriod,
    ClosureSummary, DueSoonAlert, Escalations, ExtensionAlert, Extensions, Headline, LadderCeiling,
    LadderClosures, LadderCount, Listing, LongOpenAlert, MonthCount, OpenAlert, OpenAlerts,
    OverdueAlert, OverdueDuty, PreviousReport, RaisedInPeriod, Report, ReportOptions, RouteCount,
    StageCount, StageTimeliness, TeamCount, TeamTimeliness, Timeliness, TimelinessCounts,
    WorkerCount, AGE_BANDS,
};
pub use figures::stream::{ReportBuilder, ReportFigures};
pub(crate) use formats::push_csv_field;
#[cfg(feature = "html")]
pub use formats::HTML_TABLE_ROWS;
pub use formats::{
    tracking_csv, tracking_csv_with, write_tracking_csv, write_tracking_csv_with, CsvOptions,
    CsvTable, ALERT_COLUMNS, ESCALATION_COLUMNS, TRACKING_COLUMNS,
};
pub use period::{Period, PeriodDates};
pub use procedures::Procedures;
pub use reading::{read_cases, CaseReader};
pub(crate) use reading::{read_line_within, Line};
