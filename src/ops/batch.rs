//! The operations over many stored alerts at once: `advance-alerts` (time
//! acting on every alert up to a date: a nightly job) and
//! `recompute-alerts` (every alert re-based on the calendar and ladders
//! loaded: after a bank holiday is proclaimed or a ladder changes).
//!
//! Both read JSON Lines, one stored alert a line, on worker threads
//! ([`super::lines`]), and write one JSON line an alert in the order of the
//! input, as they go: memory stays bounded whatever the number of alerts. A
//! line that cannot be used (not JSON, an unknown ladder, a state to
//! recompute first) is answered with its error document in place of its
//! result, and the others are answered all the same: one stale alert does
//! not hold back a night's run.

use std::io::{BufRead, Write};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::contract::ErrorDocument;
use crate::engine::{self, AlertState, AuditEntry, Deadlines, DutyState, OwnedTransition};
use crate::escape::Escaped;

use super::answer::MediaType;
use super::cases::{Progress, StreamError};
use super::lines::{map_lines, LineIn, LinesError};
use super::request::{invalid_value, json_error, Routed};
use super::Registry;

// Their alerts name their own ladders: no ladder comes from a route.
impl Routed for AdvanceAlertsRequest {}
impl Routed for RecomputeAlertsRequest {}

/// `advance-alerts`: time acting on many stored alerts (the operation's
/// payload, [`StoredAlert`] lines) up to a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvanceAlertsRequest {
    /// The date time acts up to (today, for a nightly job).
    #[serde(
        deserialize_with = "crate::input::field::as_of",
        serialize_with = "crate::input::write::date"
    )]
    pub as_of: NaiveDate,
}

/// `recompute-alerts`: many stored alerts (the operation's payload,
/// [`StoredHistory`] lines) re-based on the calendar and ladders loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecomputeAlertsRequest {
    /// Let time act up to this date after each alert's last event (today);
    /// absent: up to the last day each stored trail reaches.
    #[serde(
        default,
        deserialize_with = "crate::input::field::optional::as_of",
        serialize_with = "crate::input::write::optional"
    )]
    pub as_of: Option<NaiveDate>,
    /// `jsonl` (the default): one [`AlertRebased`] a line; `csv`: what moved,
    /// `alert,ladder,field,before,after`, a row a field.
    #[serde(default)]
    pub format: Option<String>,
}

/// One line of `advance-alerts`' input: a stored alert.
///
/// ```json
/// {"alert": "IRO-2026-0107", "ladder": "iro-dispute-resolution", "state": {…}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredAlert {
    /// The case system's id for the alert, echoed in the answer.
    pub alert: String,
    /// The ladder the alert runs on.
    pub ladder: String,
    /// The stored state.
    pub state: AlertState,
    /// The case system's own data (a row id, a key), echoed in the answer
    /// and never read.
    #[serde(default)]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
}

/// One line of `recompute-alerts`' input: a stored alert with its trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredHistory {
    /// The case system's id for the alert, echoed in the answer.
    pub alert: String,
    /// The ladder the alert runs on.
    pub ladder: String,
    /// The stored state.
    pub state: AlertState,
    /// The stored audit trail, in order.
    pub trail: Vec<AuditEntry<'static>>,
    /// Refuse this alert (`state.version-conflict`) unless the stored
    /// state's `events_applied` is this.
    #[serde(default)]
    pub expect_version: Option<u32>,
    /// The case system's own data, echoed in the answer and never read.
    #[serde(default)]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
}

/// One line of `advance-alerts`' answer: an alert time changed (its
/// `state` to store, with `expect_version` as the version to store it
/// against, and the `transitions` time made, dated on the days they took
/// effect), or a line that could not be used (its `error`). An alert time
/// left as it was has no line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertAdvanced<'a> {
    /// The alert's id (`null` for a line that is not a stored alert).
    pub alert: Option<&'a str>,
    /// Its ladder.
    pub ladder: Option<&'a str>,
    /// The line of the input (from 1).
    pub line: usize,
    /// The version of the stored state (its `events_applied`): store the new
    /// state only if the stored one is still at it.
    pub expect_version: Option<u32>,
    /// The state to store.
    pub state: Option<&'a AlertState>,
    /// What time did, in order (none when it only moved `wakes_on`).
    pub transitions: &'a [OwnedTransition],
    /// The line's `meta`, as given.
    pub meta: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// Why the line could not be used.
    pub error: Option<ErrorDocument>,
}

/// One line of `recompute-alerts`' answer: an alert re-based (every alert
/// of the input has one), or a line that could not be used (its `error`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRebased<'a> {
    /// The alert's id (`null` for a line that is not a stored alert).
    pub alert: Option<&'a str>,
    /// Its ladder.
    pub ladder: Option<&'a str>,
    /// The line of the input (from 1).
    pub line: usize,
    /// The version of the stored state: store the new state and trail only
    /// if the stored one is still at it.
    pub expect_version: Option<u32>,
    /// Whether anything people are told about moved (`before` ≠ `after`).
    pub moved: Option<bool>,
    /// The state to store.
    pub state: Option<&'a AlertState>,
    /// The trail to store: the caller's events as before, time's own
    /// transitions made again.
    pub trail: &'a [AuditEntry<'a>],
    /// The deadlines as stored.
    pub before: Option<&'a Deadlines>,
    /// The deadlines as recomputed.
    pub after: Option<&'a Deadlines>,
    /// The line's `meta`, as given.
    pub meta: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// Why the line could not be used.
    pub error: Option<ErrorDocument>,
}

/// The columns of `recompute-alerts`' CSV.
pub const MOVED_COLUMNS: &str = "alert,ladder,field,before,after";

/// A line's error, told with its line and alert: `line 7: alert 'A-1': …`,
/// `fields.line` and `fields.alert`.
fn at_line(mut doc: ErrorDocument, line: usize, alert: Option<&str>) -> ErrorDocument {
    doc.message = match alert {
        Some(alert) => format!("line {line}: alert '{}': {}", Escaped(alert), doc.message),
        None => format!("line {line}: {}", doc.message),
    };
    doc.fields.insert("line".into(), line.into());
    if let Some(alert) = alert {
        doc.fields.insert("alert".into(), alert.into());
    }
    doc
}

/// A line read as JSON of type `T` (`document` names it in errors), or the
/// error of a line too long or not the document.
fn read_line<T: serde::de::DeserializeOwned>(
    document: &str,
    line: usize,
    given: LineIn<'_>,
) -> Result<T, ErrorDocument> {
    let text = match given {
        LineIn::Text(text) => text,
        LineIn::TooLong => {
            let limit = crate::input::limits::MAX_LINE_BYTES;
            let mut doc = ErrorDocument::from(&crate::report::CaseError {
                line,
                case: None,
                reason: crate::report::RecordError::LineTooLong { limit },
            });
            doc.fields.insert("limit".into(), limit.into());
            return Err(doc);
        }
    };
    let read = match std::str::from_utf8(text) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(text),
    };
    read.map_err(|e| {
        let alert = alert_id(text);
        at_line(json_error(document, &e), line, alert.as_deref())
    })
}

/// The `alert` of a line that could not be read whole, for its error.
fn alert_id(text: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct JustTheId {
        alert: String,
    }
    serde_json::from_slice::<JustTheId>(text)
        .ok()
        .map(|a| a.alert)
}

/// Appends `value` as one JSON line.
fn write_line(out: &mut Vec<u8>, value: &impl Serialize) {
    // Every answer of the crate serializes; should one not, its line says so.
    if let Err(e) = serde_json::to_writer(&mut *out, value) {
        let doc = super::answer::cannot_write(&e);
        let _ = serde_json::to_writer(&mut *out, &doc);
    }
    out.push(b'\n');
}

/// The failure of reading or writing the lines, as a stream error.
fn stream_error(e: LinesError) -> StreamError {
    match e {
        LinesError::Write(e) => StreamError::Output(e),
        LinesError::Read { line, error } => {
            let doc = ErrorDocument::from(&crate::report::CaseError {
                line,
                case: None,
                reason: crate::report::RecordError::Read {
                    message: error.to_string(),
                },
            });
            StreamError::Refused(doc)
        }
    }
}

/// Time acting on many stored alerts up to a date, as a nightly job runs
/// it: each line of `alerts` is a [`StoredAlert`], advanced as
/// [`advance`](super::advance) does, and each alert that changed (time
/// acted, or its [`wakes_on`](AlertState::wakes_on) moved) is written onto
/// `out` as one [`AlertAdvanced`] line, in the order of the input; a line
/// that cannot be used is written with its error, and the rest go on. The
/// lines are read and advanced on worker threads, a batch at a time, so
/// memory stays bounded.
///
/// The recipe: select the alerts whose stored `wakes_on` is on or before
/// today, advance them to today, and store each new state (and its
/// `wakes_on`) only where the stored one is still at `expect_version`.
///
/// # Errors
///
/// Only for the whole input: the input could not be read (`record.read`,
/// naming the line; the lines before it were answered), or the answer could
/// not be written. A line's own error is in its answer.
///
/// # Example
///
/// Review decisions sent to a team manager on Monday 21 December 2026 and
/// not answered are deemed agreed on Thursday 31 December; an IRO alert
/// raised the same day is overdue from then, which only moves its
/// `wakes_on` (to the day after its ceiling, Friday 22 January 2027).
///
/// ```
/// use escalation_ladder::ops::{self, AdvanceAlertsRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let state = |ladder: &str, events: serde_json::Value| -> Result<String, Box<dyn std::error::Error>> {
///     let request: ops::ReplayRequest =
///         serde_json::from_value(serde_json::json!({"ladder": ladder, "events": events}))?;
///     Ok(serde_json::to_string(&ops::replay(&registry, &request)?.state)?)
/// };
/// let decisions = state("lac-review-decisions", serde_json::json!([
///     {"on": "2026-12-14", "actor": "iro", "type": "raise", "reason": "review"},
///     {"on": "2026-12-21", "actor": "iro", "type": "escalate", "reason": "decisions sent"}]))?;
/// let dispute = state("iro-dispute-resolution", serde_json::json!([
///     {"on": "2026-12-21", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"}]))?;
/// let alerts = format!(
///     "{{\"alert\":\"L-1\",\"ladder\":\"lac-review-decisions\",\"state\":{decisions}}}\n\
///      {{\"alert\":\"I-1\",\"ladder\":\"iro-dispute-resolution\",\"state\":{dispute}}}\n");
/// let request = AdvanceAlertsRequest { as_of: "2026-12-31".parse()? };
/// let mut out = Vec::new();
/// ops::advance_alerts(&registry, &request, alerts.as_bytes(), &mut out, &mut |_| {}).unwrap();
/// let lines: Vec<serde_json::Value> = out.split(|&b| b == b'\n').filter(|l| !l.is_empty())
///     .map(serde_json::from_slice).collect::<Result<_, _>>()?;
/// assert_eq!(lines[0]["state"]["phase"], "deemed-agreed");
/// assert_eq!(lines[0]["transitions"][0]["audit"]["event"]["on"], "2026-12-31");
/// assert_eq!(lines[1]["transitions"], serde_json::json!([]));
/// assert_eq!(lines[1]["state"]["wakes_on"], "2027-01-22");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn advance_alerts(
    registry: &Registry,
    request: &AdvanceAlertsRequest,
    alerts: impl BufRead,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(Progress),
) -> Result<MediaType, StreamError> {
    let as_of = request.as_of;
    // The date is checked once, against every calendar the lines may use.
    registry
        .calendar(crate::Region::EnglandAndWales)
        .and_then(|c| c.is_working_day(as_of).map_err(|e| ErrorDocument::from(&e)))
        .map_err(StreamError::Refused)?;
    let map = |line: usize, given: LineIn<'_>, out: &mut Vec<u8>, _: &mut Vec<u8>| {
        let stored: StoredAlert = match read_line("alert", line, given) {
            Ok(stored) => stored,
            Err(error) => return write_line(out, &advance_error(line, None, error)),
        };
        let advanced = registry
            .ladder(&stored.ladder)
            .and_then(|(ladder, calendar)| {
                engine::advance(ladder, calendar, &stored.state, as_of)
                    .map_err(|e| ErrorDocument::from(&e))
            });
        let error = match advanced {
            Ok(advanced) => {
                let std::borrow::Cow::Owned(state) = &advanced.state else {
                    return;
                };
                return write_line(
                    out,
                    &AlertAdvanced {
                        alert: Some(&stored.alert),
                        ladder: Some(&stored.ladder),
                        line,
                        expect_version: Some(stored.state.events_applied),
                        state: Some(state),
                        transitions: &advanced.transitions,
                        meta: stored.meta.as_ref(),
                        error: None,
                    },
                );
            }
            Err(error) => at_line(error, line, Some(&stored.alert)),
        };
        write_line(out, &advance_error(line, Some(&stored), error));
    };
    let mut read = Progress::default();
    map_lines(alerts, &map, out, None, &mut |lines| {
        read.cases = lines;
        progress(read);
    })
    .map_err(stream_error)?;
    Ok(MediaType::JsonLines)
}

/// The answer of a line that could not be used.
fn advance_error<'a>(
    line: usize,
    stored: Option<&'a StoredAlert>,
    error: ErrorDocument,
) -> AlertAdvanced<'a> {
    AlertAdvanced {
        alert: stored.map(|s| s.alert.as_str()),
        ladder: stored.map(|s| s.ladder.as_str()),
        line,
        expect_version: stored.map(|s| s.state.events_applied),
        state: None,
        transitions: &[],
        meta: stored.and_then(|s| s.meta.as_ref()),
        error: Some(error),
    }
}

/// The output of `recompute-alerts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    JsonLines,
    Csv,
}

/// Many stored alerts re-based on the registry's calendar and ladders, as
/// after a bank holiday is proclaimed or a council changes its ladder: each
/// line of `alerts` is a [`StoredHistory`], recomputed as
/// [`recompute`](super::recompute) does (its trail replayed, time's own
/// transitions made again up to `as_of`), and written onto `out` as one
/// [`AlertRebased`] line (`format` `jsonl`, the default) or as the rows of
/// what moved (`csv`: `alert,ladder,field,before,after`, for the people
/// who must be told), in the order of the input. `moved`, if given, gets
/// the CSV as well, from the same pass (the command line's `--moved FILE`).
/// A line that cannot be used is written with its error (in the CSV, a row
/// whose field is `error`, with the code and the message), and the rest go
/// on.
///
/// # Errors
///
/// `request.invalid-value` for a format not of its form; the input could
/// not be read (`record.read`, naming the line), or an answer could not be
/// written. A line's own error is in its answer.
///
/// # Example
///
/// An IRO alert raised on Friday 18 December 2026 is due on Tuesday 29th;
/// re-based on a calendar closed from 29 to 31 December, it is due on
/// Monday 4 January 2027 and its ceiling moves from 20 to 25 January:
///
/// ```
/// use escalation_ladder::chrono::NaiveDate;
/// use escalation_ladder::ops::{self, ApplyRequest, Closure, RecomputeAlertsRequest, Registry, Setup};
///
/// let open = Registry::builtin()?;
/// let raise: ApplyRequest = serde_json::from_str(r#"{"ladder": "iro-dispute-resolution",
///   "event": {"on": "2026-12-18", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"}}"#)?;
/// let applied = ops::apply(&open, &raise)?;
/// let line = serde_json::json!({"alert": "IRO-1", "ladder": "iro-dispute-resolution",
///     "state": applied.transition.state, "trail": [applied.transition.audit()]});
/// let closures = (29..=31).map(|day| Closure {
///     date: NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
///     reason: "shutdown".into(),
/// });
/// let (closed, _) = Registry::new(Setup { closures: closures.collect(), ..Setup::default() })?;
/// let request = RecomputeAlertsRequest { as_of: None, format: Some("csv".into()) };
/// let mut csv = Vec::new();
/// ops::recompute_alerts(&closed, &request, line.to_string().as_bytes(), &mut csv, None, &mut |_| {}).unwrap();
/// assert_eq!(String::from_utf8(csv)?, "alert,ladder,field,before,after\n\
///     IRO-1,iro-dispute-resolution,respond_by,2026-12-29,2027-01-04\n\
///     IRO-1,iro-dispute-resolution,ceiling,2027-01-20,2027-01-25\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn recompute_alerts(
    registry: &Registry,
    request: &RecomputeAlertsRequest,
    alerts: impl BufRead,
    out: &mut dyn Write,
    moved: Option<&mut dyn Write>,
    progress: &mut dyn FnMut(Progress),
) -> Result<MediaType, StreamError> {
    let format = match request.format.as_deref().unwrap_or("jsonl") {
        "jsonl" => Format::JsonLines,
        "csv" => Format::Csv,
        other => return Err(invalid_value("format", "expected jsonl or csv", other).into()),
    };
    if let Some(as_of) = request.as_of {
        registry
            .calendar(crate::Region::EnglandAndWales)
            .and_then(|c| c.is_working_day(as_of).map_err(|e| ErrorDocument::from(&e)))
            .map_err(StreamError::Refused)?;
    }
    let csv = format == Format::Csv;
    let beside_too = !csv && moved.is_some();
    let map = |line: usize, given: LineIn<'_>, out: &mut Vec<u8>, beside: &mut Vec<u8>| {
        let stored: StoredHistory = match read_line("alert", line, given) {
            Ok(stored) => stored,
            Err(error) => {
                let error = Err(error);
                match csv {
                    true => moved_rows(out, None, &error),
                    false => {
                        write_line(out, &rebased_line(line, None, &error));
                        if beside_too {
                            moved_rows(beside, None, &error);
                        }
                    }
                }
                return;
            }
        };
        let result = rebase_one(registry, &stored, request.as_of)
            .map_err(|e| at_line(e, line, Some(&stored.alert)));
        match csv {
            true => moved_rows(out, Some(&stored), &result),
            false => {
                write_line(out, &rebased_line(line, Some(&stored), &result));
                if beside_too {
                    moved_rows(beside, Some(&stored), &result);
                }
            }
        }
    };
    let header = format!("{MOVED_COLUMNS}\n");
    if csv {
        out.write_all(header.as_bytes())?;
    }
    let mut moved = match csv {
        true => None,
        false => moved,
    };
    if let Some(moved) = moved.as_deref_mut() {
        moved.write_all(header.as_bytes())?;
    }
    let mut read = Progress::default();
    map_lines(alerts, &map, out, moved, &mut |lines| {
        read.cases = lines;
        progress(read);
    })
    .map_err(stream_error)?;
    Ok(match format {
        Format::JsonLines => MediaType::JsonLines,
        Format::Csv => MediaType::Csv,
    })
}

/// One alert re-based.
fn rebase_one<'s>(
    registry: &'s Registry,
    stored: &'s StoredHistory,
    as_of: Option<NaiveDate>,
) -> Result<engine::Recomputed<'s>, ErrorDocument> {
    let (ladder, calendar) = registry.ladder(&stored.ladder)?;
    if let Some(expected) = stored.expect_version {
        if stored.state.events_applied != expected {
            return Err(ErrorDocument::from(&engine::EngineError::VersionConflict {
                expected,
                found: stored.state.events_applied,
            }));
        }
    }
    engine::recompute_to(ladder, calendar, &stored.state, &stored.trail, as_of)
        .map_err(|e| ErrorDocument::from(&e))
}

/// The JSON line of one alert of `recompute-alerts`.
fn rebased_line<'a>(
    line: usize,
    stored: Option<&'a StoredHistory>,
    result: &'a Result<engine::Recomputed<'a>, ErrorDocument>,
) -> AlertRebased<'a> {
    let ok = result.as_ref().ok();
    AlertRebased {
        alert: stored.map(|s| s.alert.as_str()),
        ladder: stored.map(|s| s.ladder.as_str()),
        line,
        expect_version: stored.map(|s| s.state.events_applied),
        moved: ok.map(engine::Recomputed::moved),
        state: ok.map(|r| &r.state),
        trail: ok.map_or(&[], |r| &r.trail[..]),
        before: ok.map(|r| &r.before),
        after: ok.map(|r| &r.after),
        meta: stored.and_then(|s| s.meta.as_ref()),
        error: result.as_ref().err().cloned(),
    }
}

/// The CSV rows of what moved for one alert: a row a field that differs,
/// or one `error` row.
fn moved_rows(
    out: &mut Vec<u8>,
    stored: Option<&StoredHistory>,
    result: &Result<engine::Recomputed<'_>, ErrorDocument>,
) {
    let alert = stored.map_or("", |s| s.alert.as_str());
    let ladder = stored.map_or("", |s| s.ladder.as_str());
    let mut text = String::new();
    let mut row = |field: &str, before: &str, after: &str| {
        for (i, value) in [alert, ladder, field, before, after].iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            crate::report::push_csv_field(&mut text, value);
        }
        text.push('\n');
    };
    match result {
        Err(error) => row("error", error.code, &error.message),
        Ok(rebased) => {
            for (field, before, after) in changes(&rebased.before, &rebased.after) {
                row(&field, &before, &after);
            }
        }
    }
    out.extend_from_slice(text.as_bytes());
}

/// The fields of `before` and `after` that differ, each with its two values
/// as text (empty for none): `phase`, `stage`, `respond_by`, `ceiling`,
/// `ceiling_breached`, `extended_beyond_ceiling`, and for each duty that
/// changed `duty:ID:started_on`, `duty:ID:due`, `duty:ID:completed_on`.
pub(crate) fn changes(before: &Deadlines, after: &Deadlines) -> Vec<(String, String, String)> {
    let date = |d: Option<NaiveDate>| d.map_or_else(String::new, |d| d.to_string());
    let mut rows = Vec::new();
    let mut field = |name: String, was: String, now: String| {
        if was != now {
            rows.push((name, was, now));
        }
    };
    field(
        "phase".into(),
        before.phase.name().into(),
        after.phase.name().into(),
    );
    field(
        "stage".into(),
        before.stage.clone().unwrap_or_default(),
        after.stage.clone().unwrap_or_default(),
    );
    field(
        "respond_by".into(),
        date(before.respond_by),
        date(after.respond_by),
    );
    field("ceiling".into(), date(before.ceiling), date(after.ceiling));
    field(
        "ceiling_breached".into(),
        before.breaches.ceiling_breached.to_string(),
        after.breaches.ceiling_breached.to_string(),
    );
    field(
        "extended_beyond_ceiling".into(),
        before.breaches.extended_beyond_ceiling.to_string(),
        after.breaches.extended_beyond_ceiling.to_string(),
    );
    let duty = |list: &[DutyState], id: &str| list.iter().find(|d| &*d.duty == id).cloned();
    let mut ids: Vec<&str> = Vec::new();
    for d in before.duties.iter().chain(&after.duties) {
        if !ids.contains(&&*d.duty) {
            ids.push(&d.duty);
        }
    }
    for id in ids {
        let (was, now) = (duty(&before.duties, id), duty(&after.duties, id));
        let part = |d: &Option<DutyState>, of: fn(&DutyState) -> Option<NaiveDate>| {
            date(d.as_ref().and_then(of))
        };
        field(
            format!("duty:{id}:started_on"),
            part(&was, |d| Some(d.started_on)),
            part(&now, |d| Some(d.started_on)),
        );
        field(
            format!("duty:{id}:due"),
            part(&was, |d| d.due),
            part(&now, |d| d.due),
        );
        field(
            format!("duty:{id}:completed_on"),
            part(&was, |d| d.completed_on),
            part(&now, |d| d.completed_on),
        );
    }
    rows
}
