//! Every operation's request, and how a request is read from JSON: one type
//! per operation, the same for every door.
//!
//! A field a request may leave out is an `Option` here and gets its default
//! in the operation itself (never at a door); a value that must be checked
//! (a period, a format, a region) is kept as the caller wrote it and checked
//! by the operation, so every door refuses it with the same error document.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::contract::ErrorDocument;
use crate::engine::{AlertState, AuditEntry, Correction, EntryRef, Event};
use crate::escape::Escaped;
use crate::input::DATE_EXPECTED;

/// `apply`: one event applied to a stored alert, after time has acted up to
/// the event's date.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::ApplyRequest;
///
/// let request: ApplyRequest = serde_json::from_str(r#"{"ladder": "iro-dispute-resolution",
///   "event": {"on": "2026-12-21", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"}}"#)?;
/// assert!(request.state.is_none()); // a new alert
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    /// The ladder the alert runs on (the HTTP service takes it from the path).
    #[serde(default)]
    pub ladder: String,
    /// The stored state; absent or `null`: a new alert (the event is a raise).
    #[serde(default)]
    pub state: Option<AlertState>,
    /// The event.
    pub event: Event,
    /// Refuse the event (`state.version-conflict`) unless the stored state's
    /// `events_applied` is this.
    #[serde(default)]
    pub expect_version: Option<u32>,
}

/// `advance` and `status`: a stored alert as at a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AsOfRequest {
    /// The ladder the alert runs on.
    #[serde(default)]
    pub ladder: String,
    /// The stored state.
    pub state: AlertState,
    /// The date.
    #[serde(
        deserialize_with = "crate::input::field::as_of",
        serialize_with = "crate::input::write::date"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    pub as_of: NaiveDate,
}

/// `recompute`: a stored alert re-based on the registry's ladder and calendar
/// by replaying its audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecomputeRequest {
    /// The ladder the alert runs on.
    #[serde(default)]
    pub ladder: String,
    /// The stored state.
    pub state: AlertState,
    /// The stored audit trail: the `audit` of each transition, in order.
    pub trail: Vec<AuditEntry<'static>>,
    /// Refuse (`state.version-conflict`) unless the stored state's
    /// `events_applied` is this.
    #[serde(default)]
    pub expect_version: Option<u32>,
    /// Let time act up to this date after the last event; absent: up to the
    /// last day the stored trail reaches.
    #[serde(
        default,
        deserialize_with = "crate::input::field::optional::as_of",
        serialize_with = "crate::input::write::optional"
    )]
    pub as_of: Option<NaiveDate>,
}

/// `correct`: a stored alert's history corrected (an event inserted at its
/// own date, voided, or replaced) and replayed, time's own transitions made
/// again.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{CorrectRequest, CorrectionDocument};
///
/// let request: CorrectRequest = serde_json::from_str(r#"{"ladder": "lac-review-decisions",
///   "state": {"ladder": "lac-review-decisions", "phase": "not-raised", "extended": false,
///             "breaches": {"ceiling_breached": false, "extended_beyond_ceiling": false}, "events_applied": 0},
///   "trail": [],
///   "correction": {"type": "void", "id": "e7"}}"#)?;
/// assert!(matches!(request.correction, CorrectionDocument::Void { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectRequest {
    /// The ladder the alert runs on.
    #[serde(default)]
    pub ladder: String,
    /// The stored state.
    pub state: AlertState,
    /// The stored audit trail: the `audit` of each transition, in order.
    pub trail: Vec<AuditEntry<'static>>,
    /// What to correct.
    pub correction: CorrectionDocument,
    /// Refuse (`state.version-conflict`) unless the stored state's
    /// `events_applied` is this.
    #[serde(default)]
    pub expect_version: Option<u32>,
    /// Let time act up to this date (the day the correction is made) after
    /// the corrected history; absent: up to the last day the stored trail
    /// reaches. Never before the corrected history's last event.
    #[serde(
        default,
        deserialize_with = "crate::input::field::optional::as_of",
        serialize_with = "crate::input::write::optional"
    )]
    pub as_of: Option<NaiveDate>,
}

/// A correction as JSON: `{"type": "insert", "event": EVENT}`,
/// `{"type": "void", "id": ID}` (or `"sequence": N`, the trail entry's
/// number, for an event without an id), `{"type": "replace", "id": ID,
/// "event": EVENT}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum CorrectionDocument {
    /// An event recorded late, put at its own date.
    Insert {
        /// The event.
        event: Event,
    },
    /// An event recorded by mistake, taken out.
    Void {
        /// The event's id.
        #[serde(default)]
        id: Option<String>,
        /// Or the trail entry's sequence number.
        #[serde(default)]
        sequence: Option<u32>,
    },
    /// An event recorded wrongly, replaced by `event` at its own date.
    Replace {
        /// The event's id.
        #[serde(default)]
        id: Option<String>,
        /// Or the trail entry's sequence number.
        #[serde(default)]
        sequence: Option<u32>,
        /// The event to put in its place.
        event: Event,
    },
}

impl CorrectionDocument {
    /// The engine's correction.
    ///
    /// # Errors
    ///
    /// `request.invalid-value` for a void or replace that names its event by
    /// neither or both of `id` and `sequence`.
    pub fn to_correction(&self) -> Result<Correction, ErrorDocument> {
        let target = |id: &Option<String>, sequence: &Option<u32>| match (id, sequence) {
            (Some(id), None) => Ok(EntryRef::Id(id.clone())),
            (None, Some(sequence)) => Ok(EntryRef::Sequence(*sequence)),
            (id, sequence) => Err(invalid_value(
                "correction",
                "expected exactly one of id and sequence",
                &format!(
                    "id {}, sequence {}",
                    id.as_deref().unwrap_or("null"),
                    sequence.map_or_else(|| "null".to_string(), |s| s.to_string())
                ),
            )),
        };
        Ok(match self {
            CorrectionDocument::Insert { event } => Correction::Insert(event.clone()),
            CorrectionDocument::Void { id, sequence } => Correction::Void(target(id, sequence)?),
            CorrectionDocument::Replace {
                id,
                sequence,
                event,
            } => Correction::Replace(target(id, sequence)?, event.clone()),
        })
    }
}

/// `replay`: events applied in order to a new alert, time acting before each
/// and, with `as_of`, after the last (`ladder run`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReplayRequest {
    /// The ladder the alert runs on.
    #[serde(default)]
    pub ladder: String,
    /// The events, in date order.
    pub events: Vec<Event>,
    /// Let time act up to this date (not before the last event); absent: up to
    /// the last event's date.
    #[serde(
        default,
        deserialize_with = "crate::input::field::optional::as_of",
        serialize_with = "crate::input::write::optional"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    pub as_of: Option<NaiveDate>,
    /// `json` (the default: state, trail and status), `svg` (the alert as a
    /// picture) or `html` (the picture on a page, with its dates as a table).
    #[serde(default)]
    pub format: Option<String>,
}

/// `timeline`: a ladder's worst case, or a schedule's dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineRequest {
    /// The procedure's id.
    #[serde(default)]
    pub procedure: String,
    /// The day the alert is raised (day 0), or a schedule's day 1.
    #[serde(
        deserialize_with = "crate::input::field::raised",
        serialize_with = "crate::input::write::date"
    )]
    pub raised: NaiveDate,
    /// `json` (the default), `svg` (a ladder's worst case as a picture) or
    /// `html` (the picture on a page, with its dates as a table).
    #[serde(default)]
    pub format: Option<String>,
}

/// `show`: a procedure as data, or a ladder as a diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowRequest {
    /// The procedure's id.
    #[serde(default)]
    pub procedure: String,
    /// `json` (the default: the procedure as data), `svg` or `mermaid` (a
    /// ladder as a diagram).
    #[serde(default)]
    pub format: Option<String>,
}

/// `ladders`: the procedures loaded. It takes no field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaddersRequest {}

/// `validate`: a procedure file (the operation's payload) checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    /// `toml` (the default) or `json`.
    #[serde(default)]
    pub format: Option<String>,
    /// The file's name, for messages [default: `procedure`].
    #[serde(default)]
    pub name: Option<String>,
}

/// `holidays`: the bank holidays of a division over years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidaysRequest {
    /// The division [default: the registry's fixed one, else
    /// england-and-wales].
    #[serde(default)]
    pub region: Option<String>,
    /// The first year.
    pub from: i32,
    /// The last year, included [default: `from`].
    #[serde(default)]
    pub to: Option<i32>,
}

/// `add-working-days` and `explain`: the `working_days`-th working day after
/// `from` (day 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddRequest {
    /// The start (day 0).
    #[serde(
        deserialize_with = "crate::input::field::from",
        serialize_with = "crate::input::write::date"
    )]
    pub from: NaiveDate,
    /// Working days to add (negative counts back).
    pub working_days: i32,
    /// The division [default: the registry's fixed one, else
    /// england-and-wales].
    #[serde(default)]
    pub region: Option<String>,
}

/// `count-working-days`: the working days in (`from`, `to`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountRequest {
    /// Excluded.
    #[serde(
        deserialize_with = "crate::input::field::from",
        serialize_with = "crate::input::write::date"
    )]
    pub from: NaiveDate,
    /// Included.
    #[serde(
        deserialize_with = "crate::input::field::to",
        serialize_with = "crate::input::write::date"
    )]
    pub to: NaiveDate,
    /// The division [default: the registry's fixed one, else
    /// england-and-wales].
    #[serde(default)]
    pub region: Option<String>,
}

/// `report`: the monitoring report over a cases file (the operation's
/// payload, JSON Lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// The date the report is as at.
    #[serde(
        deserialize_with = "crate::input::field::as_of",
        serialize_with = "crate::input::write::date"
    )]
    pub as_of: NaiveDate,
    /// `json` (the default), `text`, `csv` (the IRO tracking spreadsheet),
    /// `summary-csv`, `html` (one self-contained page with charts) or `xlsx`
    /// (a workbook).
    #[serde(default)]
    pub format: Option<String>,
    /// `month` (the default), `quarter`, `half-year` or `FROM..TO`.
    #[serde(default)]
    pub period: Option<String>,
    /// Due soon: due within this many working days [default: 2].
    #[serde(default)]
    pub due_within: Option<u32>,
    /// Due soon: this percentage of the window used, 1 to 100 [default: 80].
    #[serde(default)]
    pub warn_at: Option<u32>,
    /// Open longer: open more than this many working days [default: 20].
    #[serde(default)]
    pub open_longer_than: Option<u32>,
    /// CSV (`csv`, `summary-csv`): start with a UTF-8 byte-order mark, for
    /// Excel [default: false].
    #[serde(default)]
    pub bom: Option<bool>,
    /// `csv`: `all` (an alert row per alert and an escalation row per move,
    /// the default), `alerts` or `escalations` (each alone, in columns of its
    /// own).
    #[serde(default)]
    pub table: Option<String>,
    /// CSV (`csv`, `summary-csv`): `on` (the default) writes a text field
    /// that starts like a formula with a leading `'`; `off` writes it as it is,
    /// for a program that joins on the ids.
    #[serde(default)]
    pub formula_guard: Option<String>,
}

/// `ics`: the deadlines of open alerts of a cases file (the operation's
/// payload) as iCalendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IcsRequest {
    /// The date the deadlines are computed as at.
    #[serde(
        deserialize_with = "crate::input::field::as_of",
        serialize_with = "crate::input::write::date"
    )]
    pub as_of: NaiveDate,
    /// The calendar's name [default: Escalation deadlines].
    #[serde(default)]
    pub calendar_name: Option<String>,
    /// The domain after the `@` of every UID [default: escalation-ladder].
    #[serde(default)]
    pub uid_domain: Option<String>,
}

/// Which document of a request an error is about: `request` for the whole,
/// or the part a door read on its own (`state`, `event`, `trail`).
pub(crate) const REQUEST: &str = "request";

/// Reads a request (or one document of it) from JSON: a UTF-8 byte-order
/// mark is skipped, and empty text is `{}` (a request without fields).
///
/// # Errors
///
/// `request.malformed-json` for text that is not JSON,
/// `request.invalid-document` for JSON that is not the document (a missing or
/// unknown field, a value of the wrong type, a date not `YYYY-MM-DD`), each
/// naming `document`, the line and the column.
pub fn read_json<T: DeserializeOwned>(document: &str, text: &[u8]) -> Result<T, ErrorDocument> {
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    let text: &[u8] = if text.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        text
    };
    // Text checked as UTF-8 once is read as a `str`: serde then need not
    // check each string of it again (a third of a state's reading). Bytes
    // that are not UTF-8 go to the byte reader, for its error's position.
    match std::str::from_utf8(text) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(text),
    }
    .map_err(|e| json_error(document, &e))
}

/// The error document of a JSON document that could not be read.
pub fn json_error(document: &str, e: &serde_json::Error) -> ErrorDocument {
    let (code, what) = match e.classify() {
        serde_json::error::Category::Data => ("request.invalid-document", expected(document)),
        _ => ("request.malformed-json", "JSON"),
    };
    let detail = e.to_string();
    let mut fields = serde_json::Map::new();
    fields.insert("document".into(), document.into());
    fields.insert("line".into(), e.line().into());
    fields.insert("column".into(), e.column().into());
    crate::input::name_the_field(&mut fields, &detail);
    fields.insert("detail".into(), detail.clone().into());
    ErrorDocument::new(
        code,
        format!(
            "{}: expected {what}: {}",
            Escaped(document),
            Escaped(&detail)
        ),
        fields,
    )
}

/// What a document of a request must be, as an error says it.
fn expected(document: &str) -> &'static str {
    match document {
        "state" => "an alert state",
        "event" => "an event",
        "trail" => "an audit entry",
        "alert" => "a stored alert",
        "correction" => "a correction",
        "query" => "the operation's query parameters",
        _ => "the operation's request",
    }
}

/// Reads a request from a URL query string (`from=2026-12-24&working_days=1`):
/// the same request type as its JSON, each value given once.
///
/// # Errors
///
/// `request.invalid-document` (document `query`) for an unknown, missing or
/// repeated parameter, or a value not of its form (a date named with its
/// field and the expected format).
pub fn read_query<T: DeserializeOwned>(query: &str) -> Result<T, ErrorDocument> {
    serde_urlencoded::from_str(query).map_err(|e| invalid_document("query", &e.to_string()))
}

/// The error document of a request that is well-formed but not the
/// operation's (without a line and column: a query, an argument).
pub fn invalid_document(document: &str, detail: &str) -> ErrorDocument {
    let mut fields = serde_json::Map::new();
    fields.insert("document".into(), document.into());
    crate::input::name_the_field(&mut fields, detail);
    fields.insert("detail".into(), detail.into());
    ErrorDocument::new(
        "request.invalid-document",
        format!(
            "{}: expected {}: {}",
            Escaped(document),
            expected(document),
            Escaped(detail)
        ),
        fields,
    )
}

/// A request with the id of the procedure it is about, which a door may find
/// outside the request (the HTTP path).
pub(crate) trait Routed: DeserializeOwned {
    /// The id field's name and the field.
    fn id_field(&mut self) -> Option<(&'static str, &mut String)> {
        None
    }
}

macro_rules! routed {
    ($($ty:ty => $field:ident),* ; $($plain:ty),*) => {
        $(impl Routed for $ty {
            fn id_field(&mut self) -> Option<(&'static str, &mut String)> {
                Some((stringify!($field), &mut self.$field))
            }
        })*
        $(impl Routed for $plain {})*
    };
}

routed!(
    ApplyRequest => ladder, AsOfRequest => ladder, RecomputeRequest => ladder,
    CorrectRequest => ladder,
    ReplayRequest => ladder, TimelineRequest => procedure, ShowRequest => procedure;
    LaddersRequest, ValidateRequest, HolidaysRequest, AddRequest, CountRequest,
    ReportRequest, IcsRequest
);

/// A value the request gave that the operation cannot take: an error naming
/// the field, what was expected and what was found (`request.invalid-value`).
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::invalid_value;
///
/// let err = invalid_value("warn_at", "expected a percentage 1 to 100", "0");
/// assert_eq!(err.message, "warn_at: expected a percentage 1 to 100, found '0'");
/// ```
pub fn invalid_value(field: &str, expected: &str, found: &str) -> ErrorDocument {
    let mut fields = serde_json::Map::new();
    fields.insert("field".into(), field.into());
    fields.insert("expected".into(), expected.into());
    fields.insert("found".into(), found.into());
    ErrorDocument::new(
        "request.invalid-value",
        format!("{}: {expected}, found '{}'", Escaped(field), Escaped(found)),
        fields,
    )
}

/// The format a request for a picture of a timeline or an alert names:
/// `json` (the default), `svg` or `html`.
///
/// # Errors
///
/// `request.invalid-value` for any other.
pub(crate) fn picture_format(given: Option<&str>) -> Result<&str, ErrorDocument> {
    let format = given.unwrap_or("json");
    match format {
        "json" | "svg" | "html" => Ok(format),
        other => Err(invalid_value("format", "expected json, svg or html", other)),
    }
}

/// A date a door was given as text on its own (an argument, a line of
/// input), read by the one rule for dates: `YYYY-MM-DD`, a real day.
///
/// # Errors
///
/// `request.invalid-value` naming `field`, the format and the text.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::date_value;
///
/// assert_eq!(date_value("as_of", "2026-12-24")?.to_string(), "2026-12-24");
/// let err = date_value("as_of", "24/12/2026").unwrap_err();
/// assert_eq!(err.fields["expected"], "expected a date YYYY-MM-DD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn date_value(field: &str, text: &str) -> Result<NaiveDate, ErrorDocument> {
    crate::input::parse_date(text).ok_or_else(|| invalid_value(field, DATE_EXPECTED, text))
}

/// Puts the ladder (or procedure) id a door found outside the request (the
/// HTTP path) into the request's own field, refusing a request whose body
/// names another.
///
/// # Errors
///
/// `request.invalid-value` when the request names another id.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::with_route_id;
///
/// let mut ladder = String::new();
/// with_route_id("ladder", &mut ladder, "iro-dispute-resolution")?;
/// assert_eq!(ladder, "iro-dispute-resolution");
/// let err = with_route_id("ladder", &mut ladder, "cp-conference-concerns").unwrap_err();
/// assert_eq!(err.code, "request.invalid-value");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn with_route_id(name: &str, field: &mut String, route: &str) -> Result<(), ErrorDocument> {
    if field.is_empty() {
        route.clone_into(field);
        return Ok(());
    }
    if field != route {
        return Err(invalid_value(
            name,
            &format!("the id the path names ('{}') or none", Escaped(route)),
            field,
        ));
    }
    Ok(())
}

/// The id a request must name: `field` itself, or `request.invalid-value`
/// when it is empty.
pub(crate) fn required_id<'r>(name: &str, field: &'r str) -> Result<&'r str, ErrorDocument> {
    if field.is_empty() {
        return Err(invalid_value(name, "expected a procedure's id", ""));
    }
    Ok(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_in_another_format_names_its_field_and_the_format() {
        let err = read_json::<AsOfRequest>(
            REQUEST,
            br#"{"ladder":"x","state":{"ladder":"x","phase":"not-raised","extended":false,"breaches":{"ceiling_breached":false,"extended_beyond_ceiling":false},"events_applied":0},"as_of":"21/12/2026"}"#,
        )
        .unwrap_err();
        assert_eq!(err.code, "request.invalid-document");
        assert_eq!(err.fields["field"], "as_of");
        assert_eq!(err.fields["expected"], DATE_EXPECTED);
        assert_eq!(err.fields["found"], "21/12/2026");
    }

    #[test]
    fn malformed_and_unknown_fields() {
        let err = read_json::<ShowRequest>(REQUEST, b"{").unwrap_err();
        assert_eq!(err.code, "request.malformed-json");
        let err = read_json::<ShowRequest>(REQUEST, br#"{"procedure":"a","extra":1}"#).unwrap_err();
        assert_eq!(err.code, "request.invalid-document");
        assert!(
            err.message.contains("unknown field `extra`"),
            "{}",
            err.message
        );
        let empty: LaddersRequest = read_json(REQUEST, b"\xef\xbb\xbf  ").unwrap();
        assert_eq!(empty, LaddersRequest {});
    }
}
