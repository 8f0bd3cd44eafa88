//! Monitoring reports over many cases, as at a date.
//!
//! The source procedures end in monitoring: a monthly report of alerts and
//! outstanding alerts to the divisional director, a quarterly analysis of
//! categories and themes, a six-monthly thematic report, and notice of every
//! notification open longer than 20 working days. This module reads cases (one
//! alert each) from a case system's export and builds those figures.
//!
//! - [`CaseRecord`]: one line of a cases file (JSON Lines), in the crate's own
//!   shape; [`CaseReader`] and [`read_cases`] read a file and replay each
//!   record's events with the [engine](crate::engine), keeping a compact
//!   [`Case`]: shared ids, the final [`AlertState`](crate::engine::AlertState)
//!   and one [`StageVisit`] per stage visited.
//! - [`Procedures`]: the ladders cases may name (built-in and the caller's), each
//!   with the working calendar of its division.
//! - [`Period`]: the month, quarter, half-year or range a report covers.
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
//! within a file; `child`, `team` and `worker` are optional; `ladder` names a
//! built-in ladder or one the caller supplies; `events` are the engine's
//! [`Event`](crate::engine::Event)s in date order. A record that is not JSON,
//! names an unknown ladder, repeats a case id or has an event the engine refuses
//! is a [`CaseError`] with its line number, its case id when known and the reason.

mod build;
mod case;
mod csv;
mod error;
mod intern;
mod load;
mod model;
mod period;
mod procedures;
mod table;
mod text;

pub use case::{Case, CaseRecord, Closure, Departure, MoveKind, StageMove, StageVisit};
pub use csv::{tracking_csv, TRACKING_COLUMNS};
pub use error::{CaseError, PeriodError, RecordError, ReportError};
pub use load::{read_cases, CaseReader};
pub use model::{
    AlertRef, BreachAlert, CaseTotals, CategoryCount, ClosedAlert, ClosedInPeriod, ClosureSummary,
    DueSoonAlert, Escalations, ExtensionAlert, Extensions, LadderClosures, LadderCount, Listing,
    LongOpenAlert, OpenAlerts, OverdueAlert, RaisedInPeriod, Report, ReportOptions, RouteCount,
    StageCount, StageTimeliness, TeamCount, TeamTimeliness, Timeliness, TimelinessCounts,
    WorkerCount,
};
pub use period::{Period, PeriodDates};
pub use procedures::Procedures;
