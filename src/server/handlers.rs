//! One handler per endpoint. Each reads its input strictly (unknown query
//! parameters and JSON fields are refused), calls the library and answers as
//! the `ladder` command's `--json` output does.

use std::str::FromStr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, HttpError};
use super::{Loaded, Service};
use crate::calendar::{bank_holidays, FIRST_YEAR, LAST_YEAR};
use crate::engine::{
    advance, apply_after_time_borrowed, recompute, schedule_dates, status, worst_case_timeline,
    write_applied_json, AlertState, Applied, AuditEntry, Event, LadderTimeline, Recomputed,
    ScheduleTimeline,
};
use crate::ics::{DeadlineCalendar, IcsOptions};
use crate::input::{parse_date, DATE_EXPECTED};
use crate::ladder::{Ladder, LadderError, Procedure};
use crate::report::{write_tracking_csv, Case, CaseReader, Period, Report, ReportOptions};
use crate::{CalendarError, Region, WorkingCalendar};

type Result<T, E = ApiError> = std::result::Result<T, E>;

/// A JSON response (compact).
pub(crate) fn json<T: Serialize>(value: &T) -> Response {
    // An apply's answer is about 2 KB: one allocation instead of doubling.
    let mut body = Vec::with_capacity(4096);
    match serde_json::to_writer(&mut body, value) {
        Ok(()) => with_type(StatusCode::OK, body, "application/json"),
        Err(e) => ApiError::http(
            HttpError::Panic,
            format!("cannot write JSON: {e}"),
            serde_json::json!({}),
        )
        .into_response(),
    }
}

fn with_type(status: StatusCode, body: Vec<u8>, content_type: &'static str) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The body, or 413 / 400.
fn body(body: Result<Bytes, BytesRejection>) -> Result<Bytes> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::http(
                HttpError::BodyTooLarge,
                "the request body is larger than this endpoint accepts",
                serde_json::json!({}),
            )
        } else {
            ApiError::http(
                HttpError::BadBody,
                format!("cannot read the request body: {}", rejection.body_text()),
                serde_json::json!({}),
            )
        }
    })
}

/// The body as `T`, or 400 `http.malformed-json` naming the line and column.
fn read_json<T: DeserializeOwned>(raw: Result<Bytes, BytesRejection>) -> Result<T> {
    let bytes = body(raw)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::http(
            HttpError::MalformedJson,
            format!(
                "expected the endpoint's JSON request: {}",
                crate::escape::Escaped(&e.to_string())
            ),
            serde_json::json!({"line": e.line(), "column": e.column()}),
        )
    })
}

/// Query parameters, read strictly.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    fn from(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
        known: &[&str],
    ) -> Result<Params> {
        let Query(pairs) = query.map_err(|e| {
            ApiError::http(HttpError::BadQuery, e.body_text(), serde_json::json!({}))
        })?;
        for (name, _) in &pairs {
            if !known.contains(&name.as_str()) {
                return Err(bad_query(
                    name,
                    &format!("expected one of the parameters {}", known.join(", ")),
                    "",
                ));
            }
        }
        for (index, (name, _)) in pairs.iter().enumerate() {
            if pairs[..index].iter().any(|(n, _)| n == name) {
                return Err(bad_query(name, "expected the parameter once", ""));
            }
        }
        Ok(Params(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn required(&self, name: &str) -> Result<&str> {
        self.get(name)
            .ok_or_else(|| bad_query(name, "expected this parameter", ""))
    }

    fn date(&self, name: &str) -> Result<NaiveDate> {
        let text = self.required(name)?;
        parse_date(text).ok_or_else(|| bad_query(name, DATE_EXPECTED, text))
    }

    fn parsed<T: FromStr>(&self, name: &str, expected: &str) -> Result<Option<T>> {
        self.get(name)
            .map(|text| text.parse().map_err(|_| bad_query(name, expected, text)))
            .transpose()
    }

    fn region(&self, default: Region) -> Result<Region> {
        Ok(self
            .parsed::<Region>(
                "region",
                "expected england-and-wales, scotland, northern-ireland or united-kingdom",
            )?
            .unwrap_or(default))
    }
}

fn bad_query(name: &str, expected: &str, found: &str) -> ApiError {
    let message = if found.is_empty() && expected.starts_with("expected this") {
        format!(
            "query parameter '{}': {expected}",
            crate::escape::Escaped(name)
        )
    } else {
        format!(
            "query parameter '{}': {expected}, found '{}'",
            crate::escape::Escaped(name),
            crate::escape::Escaped(found)
        )
    };
    ApiError::http(
        HttpError::BadQuery,
        message,
        serde_json::json!({"parameter": name, "expected": expected, "found": found}),
    )
}

/// The ladder `id` with its division's adjusted calendar, or 404 / 400.
fn ladder<'l>(loaded: &'l Loaded, id: &str) -> Result<(&'l Ladder, &'l WorkingCalendar)> {
    if let Some(found) = loaded.cases.get(id) {
        return Ok(found);
    }
    let ladders = loaded.cases.ids().collect::<Vec<_>>().join(", ");
    Err(match loaded.procedure(id) {
        Some(_) => LadderError::IsASchedule {
            id: id.to_string(),
            ladders,
        },
        None => LadderError::UnknownLadder {
            id: id.to_string(),
            expected: "ladder".to_string(),
            known: ladders,
        },
    }
    .into())
}

/// Runs CPU-heavy work (a report over a large file) off the async threads; a
/// panic there is answered 500 `http.panic` and logged, like one in a handler.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => {
            tracing::error!("a request panicked: {e}");
            Err(ApiError::http(
                HttpError::Panic,
                "the service failed while handling the request (logged)",
                serde_json::json!({}),
            ))
        }
    }
}

// ---- health ------------------------------------------------------------------

pub(crate) async fn healthz() -> Response {
    json(&serde_json::json!({"status": "ok"}))
}

pub(crate) async fn readyz(State(service): State<Service>) -> Response {
    let loaded = service.loaded();
    json(&serde_json::json!({
        "status": "ready",
        "generation": loaded.generation,
        "procedures": loaded.procedures.len(),
    }))
}

pub(crate) async fn openapi_json() -> Response {
    json(&super::routes::openapi())
}

pub(crate) async fn not_found() -> Response {
    ApiError::http(
        HttpError::NotFound,
        "no endpoint at this path (GET /openapi.json lists them)",
        serde_json::json!({}),
    )
    .into_response()
}

pub(crate) async fn reload(State(service): State<Service>) -> Result<Response> {
    let summary = blocking(move || service.reload().map_err(|e| ApiError::from(&e))).await?;
    Ok(json(&summary))
}

// ---- ladders -------------------------------------------------------------------

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    kind: crate::ladder::ProcedureKind,
}

pub(crate) async fn list_ladders(State(service): State<Service>) -> Response {
    let loaded = service.loaded();
    let listed: Vec<Listed> = loaded
        .procedures
        .iter()
        .map(|p| Listed {
            id: p.id(),
            title: p.title(),
            kind: p.kind(),
        })
        .collect();
    json(&listed)
}

pub(crate) async fn show_ladder(
    State(service): State<Service>,
    Path(id): Path<String>,
) -> Result<Response> {
    let loaded = service.loaded();
    match loaded.procedure(&id) {
        Some(procedure) => Ok(json(procedure)),
        None => Err(LadderError::UnknownLadder {
            id,
            expected: "procedure".to_string(),
            known: loaded
                .procedures
                .iter()
                .map(|p| p.id())
                .collect::<Vec<_>>()
                .join(", "),
        }
        .into()),
    }
}

/// `POST /v1/ladders/validate`'s answer.
#[derive(Serialize)]
struct Validated<'a> {
    id: &'a str,
    title: &'a str,
    kind: crate::ladder::ProcedureKind,
    stages: Option<usize>,
    milestones: Option<usize>,
    ceiling_working_days: Option<u32>,
    assumptions: usize,
}

pub(crate) async fn validate(
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let params = Params::from(query, &["format"])?;
    let format = params.get("format").unwrap_or("toml");
    let bytes = body(raw)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        ApiError::http(
            HttpError::BadBody,
            "expected the procedure as UTF-8 text",
            serde_json::json!({}),
        )
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let procedure = match format {
        "toml" => Procedure::from_toml_str(text, "request body")?,
        "json" => Procedure::from_json_str(text, "request body")?,
        other => return Err(bad_query("format", "expected toml or json", other)),
    };
    let (stages, milestones, ceiling) = match &procedure {
        Procedure::Ladder(l) => (
            Some(l.stages.len()),
            None,
            l.ceiling.as_ref().map(|c| c.working_days),
        ),
        Procedure::Schedule(s) => (None, Some(s.milestones.len()), None),
    };
    Ok(json(&Validated {
        id: procedure.id(),
        title: procedure.title(),
        kind: procedure.kind(),
        stages,
        milestones,
        ceiling_working_days: ceiling,
        assumptions: procedure.assumptions().len(),
    }))
}

pub(crate) async fn timeline(
    State(service): State<Service>,
    Path(id): Path<String>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response> {
    let params = Params::from(query, &["raised"])?;
    let raised = params.date("raised")?;
    let loaded = service.loaded();
    if let Ok((ladder, calendar)) = ladder(&loaded, &id) {
        let (stages, ceiling) = worst_case_timeline(ladder, calendar, raised)?;
        return Ok(json(&LadderTimeline {
            procedure: ladder.id.to_string(),
            raised,
            stages,
            ceiling,
        }));
    }
    match loaded.procedure(&id) {
        Some(Procedure::Schedule(schedule)) => {
            let calendar = loaded.calendar(schedule.working_days.region);
            let milestones = schedule_dates(schedule, calendar, raised)?;
            Ok(json(&ScheduleTimeline {
                procedure: schedule.id.to_string(),
                day_one: raised,
                milestones,
            }))
        }
        _ => Err(ladder(&loaded, &id).unwrap_err()),
    }
}

// ---- alerts --------------------------------------------------------------------

/// `POST /v1/ladders/{id}/apply`'s request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApplyRequest {
    #[serde(default)]
    state: Option<AlertState>,
    event: Event,
    #[serde(default)]
    expect_version: Option<u32>,
}

pub(crate) async fn apply(
    State(service): State<Service>,
    Path(id): Path<String>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let request: ApplyRequest = read_json(raw)?;
    let loaded = service.loaded();
    let (ladder, calendar) = ladder(&loaded, &id)?;
    let state = request.state.unwrap_or_else(|| AlertState::new(&ladder.id));
    // The answer written from the borrowed transition: the same bytes as
    // `apply_after_time`'s `Applied`, with less work.
    let applied = apply_after_time_borrowed(
        ladder,
        calendar,
        &state,
        &request.event,
        request.expect_version,
    )?;
    let mut body = Vec::with_capacity(4096);
    match write_applied_json(&mut body, &applied.by_time, &applied.transition) {
        Ok(()) => Ok(with_type(StatusCode::OK, body, "application/json")),
        Err(e) => Err(ApiError::http(
            HttpError::Panic,
            format!("cannot write JSON: {e}"),
            serde_json::json!({}),
        )),
    }
}

/// The request of `advance` and `status`: a stored state and a date.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AsOfRequest {
    state: AlertState,
    #[serde(deserialize_with = "strict_date")]
    as_of: NaiveDate,
}

fn strict_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    use serde::de::DeserializeSeed;
    crate::input::DateField("as_of").deserialize(deserializer)
}

pub(crate) async fn advance_to(
    State(service): State<Service>,
    Path(id): Path<String>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let request: AsOfRequest = read_json(raw)?;
    let loaded = service.loaded();
    let (ladder, calendar) = ladder(&loaded, &id)?;
    let advanced = advance(ladder, calendar, &request.state, request.as_of)?;
    let transitions = advanced.transitions;
    let state = advanced.state.into_owned();
    Ok(json(&Applied { state, transitions }))
}

pub(crate) async fn status_of(
    State(service): State<Service>,
    Path(id): Path<String>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let request: AsOfRequest = read_json(raw)?;
    let loaded = service.loaded();
    let (ladder, calendar) = ladder(&loaded, &id)?;
    let now = status(ladder, calendar, &request.state, request.as_of)?;
    Ok(json(&now))
}

/// `POST /v1/ladders/{id}/recompute`'s request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecomputeRequest {
    state: AlertState,
    trail: Vec<AuditEntry<'static>>,
}

pub(crate) async fn recompute_state(
    State(service): State<Service>,
    Path(id): Path<String>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let request: RecomputeRequest = read_json(raw)?;
    let loaded = service.loaded();
    let (ladder, calendar) = ladder(&loaded, &id)?;
    let rebased = recompute(ladder, calendar, &request.state, &request.trail)?;
    #[derive(Serialize)]
    struct Rebased<'r, 'a> {
        moved: bool,
        #[serde(flatten)]
        recomputed: &'r Recomputed<'a>,
    }
    Ok(json(&Rebased {
        moved: rebased.moved(),
        recomputed: &rebased,
    }))
}

// ---- calendars -----------------------------------------------------------------

pub(crate) async fn holidays(
    State(service): State<Service>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response> {
    let params = Params::from(query, &["region", "from", "to"])?;
    let region = params.region(service.config().region)?;
    let from: i32 = params
        .parsed("from", "expected a year")?
        .ok_or_else(|| bad_query("from", "expected this parameter", ""))?;
    let to: i32 = params.parsed("to", "expected a year")?.unwrap_or(from);
    if to < from {
        return Err(bad_query(
            "to",
            &format!("expected a year on or after from ({from})"),
            &to.to_string(),
        ));
    }
    for year in [from, to] {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(CalendarError::YearOutOfRange { year }.into());
        }
    }
    let mut all = Vec::new();
    for year in from..=to {
        all.extend(bank_holidays(region, year)?);
    }
    Ok(json(&all))
}

fn count(params: &Params, name: &str) -> Result<i32> {
    params
        .parsed::<i32>(name, "expected a whole number of working days in i32")?
        .ok_or_else(|| bad_query(name, "expected this parameter", ""))
}

/// Asks the calendar of the request's `region` (the service's own if absent).
fn on_calendar<T>(
    service: &Service,
    params: &Params,
    ask: impl FnOnce(&WorkingCalendar) -> std::result::Result<T, CalendarError>,
) -> Result<T> {
    let loaded = service.loaded();
    let calendar = loaded.calendar(params.region(service.config().region)?);
    Ok(ask(calendar)?)
}

pub(crate) async fn add_working_days(
    State(service): State<Service>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response> {
    let params = Params::from(query, &["date", "days", "region"])?;
    let (date, days) = (params.date("date")?, count(&params, "days")?);
    let result = on_calendar(&service, &params, |c| c.add_working_days(date, days))?;
    Ok(json(
        &serde_json::json!({"date": date, "days": days, "result": result}),
    ))
}

pub(crate) async fn count_working_days(
    State(service): State<Service>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response> {
    let params = Params::from(query, &["from", "to", "region"])?;
    let (from, to) = (params.date("from")?, params.date("to")?);
    let count = on_calendar(&service, &params, |c| c.count_working_days(from, to))?;
    Ok(json(
        &serde_json::json!({"from": from, "to": to, "count": count}),
    ))
}

pub(crate) async fn explain(
    State(service): State<Service>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response> {
    let params = Params::from(query, &["date", "days", "region"])?;
    let (date, days) = (params.date("date")?, count(&params, "days")?);
    let explained = on_calendar(&service, &params, |c| {
        c.explain_add_working_days(date, days)
    })?;
    Ok(json(&explained))
}

// ---- cases files ---------------------------------------------------------------

/// Reads every case of a posted cases file up to `as_of`.
fn read_cases(loaded: &Loaded, bytes: &[u8], as_of: NaiveDate) -> Result<Vec<Case>> {
    CaseReader::new(bytes, &loaded.cases)
        .events_until(as_of)
        .map(|case| case.map_err(|e| ApiError::from(&e)))
        .collect()
}

/// 400 for a period or as-of date that cannot be placed, 422 for a case the
/// report cannot take.
fn report_error(e: crate::report::ReportError) -> ApiError {
    use crate::report::ReportError;
    let kind = match e {
        ReportError::Period(_) | ReportError::Calendar(_) => HttpError::BadQuery,
        _ => HttpError::CaseRefused,
    };
    ApiError::http(kind, e.to_string(), serde_json::json!({}))
}

pub(crate) async fn report(
    State(service): State<Service>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let params = Params::from(
        query,
        &[
            "as_of",
            "format",
            "period",
            "due_within",
            "warn_at",
            "open_longer_than",
        ],
    )?;
    let as_of = params.date("as_of")?;
    let period = match params.get("period") {
        None => Period::Month,
        Some(text) => text
            .parse::<Period>()
            .map_err(|e| bad_query("period", &e.to_string(), text))?,
    };
    let warn_at: u32 = params
        .parsed("warn_at", "expected a percentage 1 to 100")?
        .unwrap_or(80);
    if !(1..=100).contains(&warn_at) {
        return Err(bad_query(
            "warn_at",
            "expected a percentage 1 to 100",
            &warn_at.to_string(),
        ));
    }
    let options = ReportOptions {
        period,
        due_within_working_days: Some(
            params
                .parsed("due_within", "expected a number of working days")?
                .unwrap_or(2),
        ),
        warn_at_percent_used: Some(warn_at),
        open_longer_than_working_days: params
            .parsed("open_longer_than", "expected a number of working days")?
            .unwrap_or(20),
    };
    let format = params.get("format").unwrap_or("json").to_string();
    if !["json", "csv", "summary-csv", "text"].contains(&format.as_str()) {
        return Err(bad_query(
            "format",
            "expected json, csv, summary-csv or text",
            &format,
        ));
    }
    let loaded = service.loaded();
    // A bad period or as-of date is refused before the file is read.
    Report::build(&loaded.cases, [], as_of, &options).map_err(report_error)?;
    let bytes = body(raw)?;
    blocking(move || {
        let cases = read_cases(&loaded, &bytes, as_of)?;
        drop(bytes);
        let procedures = &loaded.cases;
        Ok(match format.as_str() {
            "csv" => {
                let mut out = Vec::new();
                write_tracking_csv(procedures, &cases, as_of, &mut out).map_err(report_error)?;
                with_type(StatusCode::OK, out, "text/csv; charset=utf-8")
            }
            other => {
                let report =
                    Report::build(procedures, &cases, as_of, &options).map_err(report_error)?;
                match other {
                    "summary-csv" => with_type(
                        StatusCode::OK,
                        report.to_summary_csv().into_bytes(),
                        "text/csv; charset=utf-8",
                    ),
                    "text" => {
                        let mut out = Vec::new();
                        report
                            .write_text(&mut out)
                            .map_err(|e| report_error(e.into()))?;
                        with_type(StatusCode::OK, out, "text/plain; charset=utf-8")
                    }
                    _ => json(&report),
                }
            }
        })
    })
    .await
}

pub(crate) async fn ics(
    State(service): State<Service>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let params = Params::from(query, &["as_of", "calendar_name", "uid_domain"])?;
    let as_of = params.date("as_of")?;
    let mut options = IcsOptions::default();
    if let Some(name) = params.get("calendar_name") {
        options.calendar_name = name.to_string();
    }
    if let Some(domain) = params.get("uid_domain") {
        options.uid_domain = domain.to_string();
    }
    let mut calendar = DeadlineCalendar::new(as_of, options)
        .map_err(|e| ApiError::http(HttpError::BadQuery, e.to_string(), serde_json::json!({})))?;
    let bytes = body(raw)?;
    let loaded: Arc<Loaded> = service.loaded();
    blocking(move || {
        let mut reader = CaseReader::new(&bytes[..], &loaded.cases).events_until(as_of);
        while let Some(case) = reader.next() {
            let case = case.map_err(|e| ApiError::from(&e))?;
            calendar.add_case(&case, &loaded.cases).map_err(|e| {
                ApiError::http(
                    HttpError::CaseRefused,
                    format!("line {}: {e}", reader.line()),
                    serde_json::json!({"line": reader.line()}),
                )
            })?;
        }
        Ok(with_type(
            StatusCode::OK,
            calendar.into_string().into_bytes(),
            "text/calendar; charset=utf-8",
        ))
    })
    .await
}
