//! Every operation's answer: one type per answer, written as JSON by one
//! writer, so that every door sends the same bytes.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::Region;
use crate::contract::ErrorDocument;
use crate::engine::{
    AlertState, AuditEntry, Deadlines, LadderTimeline, Recomputed, ScheduleTimeline, Status,
};
use crate::ladder::ProcedureKind;

/// What an answer's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaType {
    /// JSON (every answer but the cases file's other formats).
    Json,
    /// Text for people (`report` with `format` `text`).
    Text,
    /// CSV (`report` with `format` `csv` or `summary-csv`).
    Csv,
    /// iCalendar (`ics`).
    Calendar,
    /// JSON Lines, one document a line (`advance-alerts`,
    /// `recompute-alerts`).
    JsonLines,
    /// An HTML page (`report` with `format` `html`, a timeline's page).
    Html,
    /// An SVG picture (a ladder's diagram, a timeline).
    Svg,
    /// An Excel workbook (`report` with `format` `xlsx`): binary, not text.
    Xlsx,
}

impl MediaType {
    /// The HTTP `Content-Type` of the media type.
    pub fn content_type(self) -> &'static str {
        match self {
            MediaType::Json => "application/json",
            MediaType::Text => "text/plain; charset=utf-8",
            MediaType::Csv => "text/csv; charset=utf-8",
            MediaType::Calendar => "text/calendar; charset=utf-8",
            MediaType::JsonLines => "application/x-ndjson",
            MediaType::Html => "text/html; charset=utf-8",
            MediaType::Svg => "image/svg+xml",
            MediaType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// Whether the answer is text (UTF-8): every media type but `Xlsx`.
    pub fn is_text(self) -> bool {
        self != MediaType::Xlsx
    }
}

/// An operation's answer as bytes, ready for any door: what
/// [`call`](super::call) gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// What the bytes are.
    pub media_type: MediaType,
    /// The answer (JSON is compact, on one line, without a final newline).
    pub body: Vec<u8>,
}

impl Answer {
    /// A JSON answer: `value` written compactly.
    ///
    /// # Errors
    ///
    /// `internal.write` should serde refuse the value (not expected for any
    /// answer of the crate).
    pub fn json(value: &impl Serialize) -> Result<Answer, ErrorDocument> {
        // Most answers are a few KB: one allocation instead of doubling.
        let mut body = Vec::with_capacity(4096);
        serde_json::to_writer(&mut body, value).map_err(|e| cannot_write(&e))?;
        Ok(Answer {
            media_type: MediaType::Json,
            body,
        })
    }
}

/// The error of an answer that could not be written (a bug).
pub(crate) fn cannot_write(e: &dyn std::fmt::Display) -> ErrorDocument {
    ErrorDocument::new(
        "internal.write",
        format!("cannot write the answer: {e}"),
        serde_json::Map::new(),
    )
}

/// One procedure of `ladders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Listed<'r> {
    /// Its id.
    pub id: &'r str,
    /// Its title.
    pub title: &'r str,
    /// A ladder or a schedule.
    pub kind: ProcedureKind,
}

/// `validate`'s answer: what the file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Validated {
    /// The procedure's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// A ladder or a schedule.
    pub kind: ProcedureKind,
    /// A ladder's stages.
    pub stages: Option<usize>,
    /// A schedule's milestones.
    pub milestones: Option<usize>,
    /// A ladder's ceiling, in working days.
    pub ceiling_working_days: Option<u32>,
    /// How many of its rules are assumptions rather than the document's words.
    pub assumptions: usize,
}

/// `timeline`'s answer: a ladder's worst case or a schedule's dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Timeline {
    /// A ladder's.
    Ladder(LadderTimeline),
    /// A schedule's.
    Schedule(ScheduleTimeline),
}

/// `recompute`'s answer: the state and trail to store from now on, and what
/// moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Rebased<'r> {
    /// Whether anything a QA service watches moved (`before` ≠ `after`).
    pub moved: bool,
    /// The state to store.
    pub state: AlertState,
    /// The new audit trail.
    pub trail: Vec<AuditEntry<'r>>,
    /// The deadlines as stored.
    pub before: Deadlines,
    /// The deadlines as recomputed.
    pub after: Deadlines,
}

impl<'r> From<Recomputed<'r>> for Rebased<'r> {
    fn from(recomputed: Recomputed<'r>) -> Rebased<'r> {
        Rebased {
            moved: recomputed.moved(),
            state: recomputed.state,
            trail: recomputed.trail,
            before: recomputed.before,
            after: recomputed.after,
        }
    }
}

/// `replay`'s answer: the state the events give, their audit trail (time's
/// transitions included), and the status as at the date time acted to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Replayed<'r> {
    /// The state to store.
    pub state: AlertState,
    /// Every transition's audit entry, in order (re-deliveries left out).
    pub trail: Vec<AuditEntry<'static>>,
    /// The status as at `as_of` (or the last event's date); `null` without
    /// events or a date.
    pub status: Option<Status<'r>>,
}

/// `add-working-days`'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WorkingDaysAdded {
    /// The start (day 0).
    #[serde(serialize_with = "crate::input::write::date")]
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    pub from: NaiveDate,
    /// The working days added.
    pub working_days: i32,
    /// The `working_days`-th working day after `from`.
    #[serde(serialize_with = "crate::input::write::date")]
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    pub result: NaiveDate,
    /// The division of the calendar that answered.
    pub region: Region,
}

/// `count-working-days`'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WorkingDaysCounted {
    /// Excluded.
    #[serde(serialize_with = "crate::input::write::date")]
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    pub from: NaiveDate,
    /// Included.
    #[serde(serialize_with = "crate::input::write::date")]
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    pub to: NaiveDate,
    /// The working days in (`from`, `to`]; negative when `to` is before `from`.
    pub working_days: i64,
    /// The division of the calendar that answered.
    pub region: Region,
}
