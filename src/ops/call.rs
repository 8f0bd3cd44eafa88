//! The JSON entry point: an operation's name and its request as JSON in, the
//! answer's bytes or the error document out. What the C ABI and any other
//! binding call.

use std::fmt;
use std::str::FromStr;

use crate::contract::ErrorDocument;
use crate::engine::write_applied_json;
use crate::escape::Escaped;

use super::answer::{cannot_write, Answer};
use super::request::{read_json, read_query, with_route_id, Routed, REQUEST};
use super::{alert, batch, calendar, cases, procedure, Registry};

/// An operation, by the name every door knows it by.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::Operation;
///
/// let op: Operation = "add-working-days".parse()?;
/// assert_eq!(op, Operation::AddWorkingDays);
/// assert_eq!(op.name(), "add-working-days");
/// assert!(Operation::Report.takes_payload());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// [`ladders`](super::ladders).
    Ladders,
    /// [`show`](super::show).
    Show,
    /// [`validate`](super::validate) (the procedure file is the payload).
    Validate,
    /// [`timeline`](super::timeline).
    Timeline,
    /// [`apply`](super::apply).
    Apply,
    /// [`advance`](super::advance).
    Advance,
    /// [`status`](super::status).
    Status,
    /// [`recompute`](super::recompute).
    Recompute,
    /// [`replay`](super::replay).
    Replay,
    /// [`holidays`](super::holidays).
    Holidays,
    /// [`add_working_days`](super::add_working_days).
    AddWorkingDays,
    /// [`count_working_days`](super::count_working_days).
    CountWorkingDays,
    /// [`explain`](super::explain).
    Explain,
    /// [`report`](super::report) (the cases file is the payload).
    Report,
    /// [`ics`](super::ics) (the cases file is the payload).
    Ics,
    /// [`correct`](super::correct).
    Correct,
    /// [`advance_alerts`](super::advance_alerts) (the stored alerts are the
    /// payload).
    AdvanceAlerts,
    /// [`recompute_alerts`](super::recompute_alerts) (the stored alerts,
    /// with their trails, are the payload).
    RecomputeAlerts,
}

impl Operation {
    /// Every operation, in the order the documentation lists them.
    pub const ALL: [Operation; 18] = [
        Operation::Ladders,
        Operation::Show,
        Operation::Validate,
        Operation::Timeline,
        Operation::Apply,
        Operation::Advance,
        Operation::Status,
        Operation::Recompute,
        Operation::Replay,
        Operation::Holidays,
        Operation::AddWorkingDays,
        Operation::CountWorkingDays,
        Operation::Explain,
        Operation::Report,
        Operation::Ics,
        Operation::Correct,
        Operation::AdvanceAlerts,
        Operation::RecomputeAlerts,
    ];

    /// The operation's name (kebab case).
    pub fn name(self) -> &'static str {
        match self {
            Operation::Ladders => "ladders",
            Operation::Show => "show",
            Operation::Validate => "validate",
            Operation::Timeline => "timeline",
            Operation::Apply => "apply",
            Operation::Advance => "advance",
            Operation::Status => "status",
            Operation::Recompute => "recompute",
            Operation::Replay => "replay",
            Operation::Holidays => "holidays",
            Operation::AddWorkingDays => "add-working-days",
            Operation::CountWorkingDays => "count-working-days",
            Operation::Explain => "explain",
            Operation::Report => "report",
            Operation::Ics => "ics",
            Operation::Correct => "correct",
            Operation::AdvanceAlerts => "advance-alerts",
            Operation::RecomputeAlerts => "recompute-alerts",
        }
    }

    /// Whether the operation reads a payload beside its request: a cases
    /// file (`report`, `ics`), a procedure file (`validate`), or stored
    /// alerts (`advance-alerts`, `recompute-alerts`).
    pub fn takes_payload(self) -> bool {
        matches!(
            self,
            Operation::Validate
                | Operation::Report
                | Operation::Ics
                | Operation::AdvanceAlerts
                | Operation::RecomputeAlerts
        )
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Operation {
    type Err = ErrorDocument;

    /// # Errors
    ///
    /// `request.unknown-operation`, naming the operations there are.
    fn from_str(name: &str) -> Result<Operation, ErrorDocument> {
        Operation::ALL
            .into_iter()
            .find(|op| op.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Operation::ALL.iter().map(|op| op.name()).collect();
                let mut fields = serde_json::Map::new();
                fields.insert("operation".into(), name.into());
                fields.insert("known".into(), known.join(", ").into());
                ErrorDocument::new(
                    "request.unknown-operation",
                    format!(
                        "expected an operation ({}), found '{}'",
                        known.join(", "),
                        Escaped(name)
                    ),
                    fields,
                )
            })
    }
}

/// A request as a door received it: JSON (a body, a C string), or a URL
/// query string (`from=2026-12-24&working_days=1`, the HTTP service's GET
/// endpoints). Both are read into the operation's one request type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestText<'a> {
    /// A JSON object (empty text is `{}`).
    Json(&'a [u8]),
    /// A URL query string, without the `?`.
    Query(&'a str),
}

/// Reads a request of type `T` from `text`, with the id a door found outside
/// it (the HTTP path's) put into its id field.
fn read<T: Routed>(text: RequestText<'_>, route_id: Option<&str>) -> Result<T, ErrorDocument> {
    let mut request: T = match text {
        RequestText::Json(json) => read_json(REQUEST, json)?,
        RequestText::Query(query) => read_query(query)?,
    };
    if let (Some(id), Some((name, field))) = (route_id, request.id_field()) {
        with_route_id(name, field, id)?;
    }
    Ok(request)
}

/// Runs `operation` on a request given as JSON (and, for `report`, `ics` and
/// `validate`, its payload: the cases file or the procedure file), and gives
/// the answer's bytes or the error document: every door's one entry point.
///
/// An empty request is `{}`; a payload given to an operation that takes none
/// is refused.
///
/// # Errors
///
/// The operation's own error document; `request.malformed-json` and
/// `request.invalid-document` for a request that is not its JSON;
/// `request.unexpected-payload`.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{call, Operation, Registry};
///
/// let registry = Registry::builtin()?;
/// let answer = call(&registry, Operation::AddWorkingDays,
///     br#"{"from": "2026-12-24", "working_days": 1}"#, b"")?;
/// assert_eq!(answer.body,
///     br#"{"from":"2026-12-24","working_days":1,"result":"2026-12-29","region":"england-and-wales"}"#);
/// let refused = call(&registry, Operation::AddWorkingDays, br#"{"from": "24/12/2026", "working_days": 1}"#, b"")
///     .unwrap_err();
/// assert_eq!(refused.code, "request.invalid-document");
/// assert_eq!(refused.fields["field"], "from");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn call(
    registry: &Registry,
    operation: Operation,
    request: &[u8],
    payload: &[u8],
) -> Result<Answer, ErrorDocument> {
    call_at(
        registry,
        operation,
        None,
        RequestText::Json(request),
        payload,
    )
}

/// [`call`] for a door that finds part of the request outside it: the id of
/// the ladder or procedure (the HTTP service's path, `/v1/ladders/{id}/…`),
/// put into the request's `ladder` or `procedure` field (a request naming
/// another is refused), and a request that may be a URL query.
///
/// # Errors
///
/// As [`call`]; `request.invalid-value` for a request naming another id than
/// `route_id`.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{call_at, Operation, Registry, RequestText};
///
/// let registry = Registry::builtin()?;
/// let answer = call_at(&registry, Operation::Timeline, Some("iro-dispute-resolution"),
///     RequestText::Query("raised=2026-12-21"), b"")?;
/// let timeline: serde_json::Value = serde_json::from_slice(&answer.body)?;
/// assert_eq!(timeline["ceiling"], "2027-01-21");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn call_at(
    registry: &Registry,
    operation: Operation,
    route_id: Option<&str>,
    request: RequestText<'_>,
    payload: &[u8],
) -> Result<Answer, ErrorDocument> {
    if !operation.takes_payload() && !payload.is_empty() {
        let mut fields = serde_json::Map::new();
        fields.insert("operation".into(), operation.name().into());
        return Err(ErrorDocument::new(
            "request.unexpected-payload",
            format!(
                "operation '{operation}' takes its request alone, found a payload of {} bytes",
                payload.len()
            ),
            fields,
        ));
    }
    let (r, id) = (request, route_id);
    match operation {
        Operation::Ladders => Answer::json(&procedure::ladders(registry, &read(r, id)?)),
        Operation::Show => Answer::json(procedure::show(registry, &read(r, id)?)?),
        Operation::Validate => {
            Answer::json(&procedure::validate(registry, &read(r, id)?, payload)?)
        }
        Operation::Timeline => Answer::json(&procedure::timeline(registry, &read(r, id)?)?),
        Operation::Apply => {
            let request = read(r, id)?;
            let applied = alert::apply(registry, &request)?;
            let mut body = Vec::with_capacity(4096);
            write_applied_json(&mut body, &applied.by_time, &applied.transition)
                .map_err(|e| cannot_write(&e))?;
            Ok(Answer {
                media_type: super::MediaType::Json,
                body,
            })
        }
        Operation::Advance => Answer::json(&alert::advance(registry, &read(r, id)?)?),
        Operation::Status => Answer::json(&alert::status(registry, &read(r, id)?)?),
        Operation::Recompute => Answer::json(&alert::recompute(registry, &read(r, id)?)?),
        Operation::Replay => Answer::json(&alert::replay(registry, &read(r, id)?)?),
        Operation::Holidays => Answer::json(&calendar::holidays(registry, &read(r, id)?)?),
        Operation::AddWorkingDays => {
            Answer::json(&calendar::add_working_days(registry, &read(r, id)?)?)
        }
        Operation::CountWorkingDays => {
            Answer::json(&calendar::count_working_days(registry, &read(r, id)?)?)
        }
        Operation::Explain => Answer::json(&calendar::explain(registry, &read(r, id)?)?),
        Operation::Report => {
            let mut body = Vec::new();
            let media_type =
                cases::report(registry, &read(r, id)?, payload, &mut body, &mut |_| {})
                    .map_err(cases::StreamError::into_document)?;
            Ok(Answer { media_type, body })
        }
        Operation::Ics => {
            let mut body = Vec::new();
            let media_type = cases::ics(registry, &read(r, id)?, payload, &mut body, &mut |_| {})
                .map_err(cases::StreamError::into_document)?;
            Ok(Answer { media_type, body })
        }
        Operation::Correct => Answer::json(&alert::correct(registry, &read(r, id)?)?),
        Operation::AdvanceAlerts => {
            let mut body = Vec::new();
            let media_type =
                batch::advance_alerts(registry, &read(r, id)?, payload, &mut body, &mut |_| {})
                    .map_err(cases::StreamError::into_document)?;
            Ok(Answer { media_type, body })
        }
        Operation::RecomputeAlerts => {
            let mut body = Vec::new();
            let request = read(r, id)?;
            let media_type =
                batch::recompute_alerts(registry, &request, payload, &mut body, None, &mut |_| {})
                    .map_err(cases::StreamError::into_document)?;
            Ok(Answer { media_type, body })
        }
    }
}

/// [`call`] with the operation by name.
///
/// # Errors
///
/// `request.unknown-operation`; as [`call`].
pub fn call_named(
    registry: &Registry,
    operation: &str,
    request: &[u8],
    payload: &[u8],
) -> Result<Answer, ErrorDocument> {
    call(registry, operation.parse()?, request, payload)
}
