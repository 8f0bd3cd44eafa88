//! The route table: every endpoint once, with what answers it and its
//! OpenAPI description. The router (`app.rs`) and the OpenAPI document
//! (`openapi.rs`) are both built from it, so no endpoint exists without its
//! entry. The table is data: it names the handlers, it does not call them.

use serde_json::{json, Value};

use crate::ops::Operation;

/// One endpoint.
pub(crate) struct Route {
    /// `get` or `post`.
    pub method: &'static str,
    /// The path, with `{id}` parameters (axum's and OpenAPI's syntax alike).
    pub path: &'static str,
    pub operation_id: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub params: &'static [Param],
    /// The request body's media types (the first is the one documented
    /// first; a request without a `Content-Type` is read as it) and schema.
    pub body: Option<(&'static [&'static str], Schema)>,
    /// The 200 response's media types, each with its schema.
    pub ok: &'static [(&'static str, Schema)],
    /// Who may call it.
    pub access: Access,
    /// The error statuses the endpoint answers with (each an error document).
    pub errors: &'static [u16],
    /// Takes a cases file: the larger body limit applies.
    pub bulk: bool,
    pub handler: Handler,
}

/// What a route asks of its caller when the service has tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Anyone (health, readiness, the OpenAPI document).
    Public,
    /// An API token or an admin token.
    Client,
    /// An admin token.
    Admin,
}

/// What answers an endpoint.
#[derive(Clone, Copy)]
pub(crate) enum Handler {
    /// An operation (every one of them through one handler).
    Op(Operation, Source),
    /// One of the service's own endpoints.
    Own(Own),
}

/// Where an operation's endpoint finds its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The body is the request (JSON).
    Body,
    /// The query string is the request; the body, if the operation takes
    /// one, is its payload.
    Query,
}

/// The service's own endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Own {
    Healthz,
    Readyz,
    OpenApi,
    Metrics,
    Reload,
}

/// A path or query parameter.
pub(crate) struct Param {
    pub name: &'static str,
    pub in_path: bool,
    pub required: bool,
    /// Its JSON schema, as JSON text.
    pub schema: &'static str,
    pub description: &'static str,
}

/// A schema: a named component or inline JSON text.
#[derive(Clone, Copy)]
pub(crate) enum Schema {
    Ref(&'static str),
    Inline(&'static str),
}

impl Schema {
    pub(crate) fn to_value(self) -> Value {
        match self {
            Schema::Ref(name) => json!({"$ref": format!("#/components/schemas/{name}")}),
            Schema::Inline(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        }
    }
}

macro_rules! route {
    ($method:ident $path:literal => own $own:ident, { $($field:ident : $value:expr),* $(,)? }) => {
        Route {
            method: stringify!($method),
            path: $path,
            handler: Handler::Own(Own::$own),
            $($field: $value),*
        }
    };
    ($method:ident $path:literal => $op:ident from $source:ident, { $($field:ident : $value:expr),* $(,)? }) => {
        Route {
            method: stringify!($method),
            path: $path,
            handler: Handler::Op(Operation::$op, Source::$source),
            access: Access::Client,
            $($field: $value),*
        }
    };
}

const ID: Param = Param {
    name: "id",
    in_path: true,
    required: true,
    schema: r#"{"type":"string"}"#,
    description: "A procedure's id (GET /v1/ladders lists them)",
};
const DATE: &str = r#"{"type":"string","format":"date","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}"#;
const REGION: Param = Param {
    name: "region",
    in_path: false,
    required: false,
    schema: r#"{"type":"string","enum":["england-and-wales","scotland","northern-ireland","united-kingdom"]}"#,
    description: "Bank-holiday division [default: the service's --region, else england-and-wales]",
};
const DAYS: Param = Param {
    name: "working_days",
    in_path: false,
    required: true,
    schema: r#"{"type":"integer","format":"int32"}"#,
    description: "Working days to add (negative counts back)",
};
const FROM_DATE: Param = Param {
    name: "from",
    in_path: false,
    required: true,
    schema: DATE,
    description: "The start (day 0)",
};
pub(crate) const JSON: &str = "application/json";
const JSON_BODY: &[&str] = &[JSON];
/// A procedure file: TOML, or JSON with `format=json`.
const PROCEDURE_BODY: &[&str] = &["application/toml", "text/plain", "application/json"];
/// A cases file: JSON Lines. The OpenAPI document declares the first only,
/// `application/x-ndjson`: the type HTTP tools, proxies and generators'
/// configuration know (Elasticsearch's bulk API, for one), where
/// `application/jsonl` is newer and less often recognised; neither is
/// registered with IANA. The others are read as well.
const CASES_BODY: &[&str] = &["application/x-ndjson", "application/jsonl", "text/plain"];
/// A cases file's schema: OpenAPI 3.1 describes a body whole, and a JSON
/// Lines body is a stream of bytes (3.2's `itemSchema` would name
/// `CaseRecord` a line). `format: binary` makes generators take a file or
/// bytes for it (openapi-python-client, told that `application/x-ndjson`
/// is a stream of bytes: tests/openapi/generator.yml).
const CASES_SCHEMA: Schema = Schema::Inline(
    r#"{"type":"string","format":"binary","contentMediaType":"application/x-ndjson","description":"JSON Lines: one CaseRecord (components/schemas/CaseRecord) a line"}"#,
);

/// JSON Lines answers (the batches over stored alerts): `application/x-ndjson`,
/// as the bodies are (`CASES_BODY`).
const JSON_LINES: &str = "application/x-ndjson";
/// The batches' bodies and answers, JSON Lines, described as `CASES_SCHEMA`
/// is: a byte string naming the component of a line.
const STORED_ALERTS: Schema = Schema::Inline(
    r#"{"type":"string","format":"binary","contentMediaType":"application/x-ndjson","description":"JSON Lines: one StoredAlert (components/schemas/StoredAlert) a line"}"#,
);
const STORED_HISTORIES: Schema = Schema::Inline(
    r#"{"type":"string","format":"binary","contentMediaType":"application/x-ndjson","description":"JSON Lines: one StoredHistory (components/schemas/StoredHistory) a line"}"#,
);
const ADVANCED_LINES: Schema = Schema::Inline(
    r#"{"type":"string","contentMediaType":"application/x-ndjson","description":"JSON Lines: one AlertAdvanced (components/schemas/AlertAdvanced) a line"}"#,
);
const REBASED_LINES: Schema = Schema::Inline(
    r#"{"type":"string","contentMediaType":"application/x-ndjson","description":"JSON Lines: one AlertRebased (components/schemas/AlertRebased) a line (format=jsonl), or the CSV of what moved (format=csv)"}"#,
);

/// Every endpoint, in the order the OpenAPI document lists them.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        route!(get "/healthz" => own Healthz, {
            access: Access::Public,
            operation_id: "healthz", tag: "service",
            summary: "Liveness: the process answers",
            description: "Always 200 while the process runs.",
            params: &[], body: None, ok: &[(JSON, Schema::Ref("Health"))], errors: &[], bulk: false,
        }),
        route!(get "/readyz" => own Readyz, {
            access: Access::Public,
            operation_id: "readyz", tag: "service",
            summary: "Readiness: ladders and calendars are loaded",
            description: "The generation of the loaded set (1 at start, one more per reload) and how many procedures it holds.",
            params: &[], body: None, ok: &[(JSON, Schema::Ref("Ready"))], errors: &[], bulk: false,
        }),
        route!(get "/openapi.json" => own OpenApi, {
            access: Access::Public,
            operation_id: "openapi", tag: "service",
            summary: "This document",
            description: "The OpenAPI 3.1 document of the service, generated from its route table.",
            params: &[], body: None, ok: &[(JSON, Schema::Inline(r#"{"type":"object"}"#))], errors: &[], bulk: false,
        }),
        route!(get "/metrics" => own Metrics, {
            access: Access::Client,
            operation_id: "metrics", tag: "service",
            summary: "Metrics in the Prometheus text format",
            description: "Requests by route template, method and status (ladder_http_requests_total), a latency histogram by route (ladder_http_request_duration_seconds), requests in flight, the reload generation, and the fingerprints of the ladders and calendars loaded (ladder_ladder_info, ladder_calendar_info). Needs a token when the service has tokens.",
            params: &[], body: None,
            ok: &[("application/openmetrics-text", Schema::Inline(r#"{"type":"string"}"#))],
            errors: &[401], bulk: false,
        }),
        route!(post "/v1/admin/reload" => own Reload, {
            access: Access::Admin,
            operation_id: "reload", tag: "service",
            summary: "Load the ladder files, holidays files and closures again",
            description: "Reads the files the service was started with again and swaps the new set in whole; requests in flight finish with the set they started with. SIGHUP does the same. On an error (500 http.reload-failed, the files' error document as fields.cause) the service keeps what it had.",
            params: &[], body: None, ok: &[(JSON, Schema::Ref("LoadSummary"))], errors: &[500], bulk: false,
        }),
        route!(get "/v1/ladders" => Ladders from Query, {
            operation_id: "listLadders", tag: "ladders",
            summary: "The procedures loaded (ladder list)",
            description: "Every procedure, built-in and from --ladder-file, as ladder ladders lists them, with its kind.",
            params: &[], body: None,
            ok: &[(JSON, Schema::Inline(r##"{"type":"array","items":{"$ref":"#/components/schemas/Listed"}}"##))],
            errors: &[], bulk: false,
        }),
        route!(post "/v1/ladders/validate" => Validate from Query, {
            operation_id: "validateLadder", tag: "ladders",
            summary: "Check a procedure file (ladder validate)",
            description: "The body is a procedure file, TOML or (format=json) JSON. A refused file is answered 422 with the ladder error's document (its line, stage and field).",
            params: &[Param { name: "format", in_path: false, required: false,
                schema: r#"{"type":"string","enum":["toml","json"],"default":"toml"}"#,
                description: "The body's format" },
                Param { name: "name", in_path: false, required: false,
                schema: r#"{"type":"string","default":"procedure"}"#,
                description: "The file's name in error messages" }],
            body: Some((PROCEDURE_BODY, Schema::Inline(r#"{"type":"string"}"#))),
            ok: &[(JSON, Schema::Ref("Validated"))], errors: &[400, 413, 422], bulk: false,
        }),
        route!(get "/v1/ladders/{id}" => Show from Query, {
            operation_id: "showLadder", tag: "ladders",
            summary: "A procedure as data (ladder show --json)",
            description: "The whole procedure as JSON; it loads back unchanged. format=svg (a ladder as a diagram) or mermaid (the same as a Mermaid flowchart).",
            params: &[ID, Param { name: "format", in_path: false, required: false,
                schema: r#"{"type":"string","enum":["json","svg","mermaid"],"default":"json"}"#,
                description: "json (the procedure), svg or mermaid (a ladder as a diagram)" }], body: None, ok: &[(JSON, Schema::Ref("Procedure")), ("image/svg+xml", Schema::Inline(r#"{"type":"string"}"#)),
                  ("text/plain", Schema::Inline(r#"{"type":"string"}"#))], errors: &[404], bulk: false,
        }),
        route!(get "/v1/ladders/{id}/timeline" => Timeline from Query, {
            operation_id: "timeline", tag: "ladders",
            summary: "A ladder's worst case or a schedule's dates (ladder timeline --json)",
            description: "For a ladder: each stage on the default path, entered and due, with nobody responding, and the ceiling. For a schedule: each milestone's dates from day 1.",
            params: &[ID, Param { name: "raised", in_path: false, required: true, schema: DATE,
                description: "The day the alert is raised (day 0), or a schedule's day 1" },
                Param { name: "format", in_path: false, required: false,
                schema: r#"{"type":"string","enum":["json","svg","html"],"default":"json"}"#,
                description: "json, svg (a ladder's worst case as a picture) or html (the picture on a page with its dates)" }],
            body: None,
            ok: &[(JSON, Schema::Inline(r##"{"oneOf":[{"$ref":"#/components/schemas/LadderTimeline"},{"$ref":"#/components/schemas/ScheduleTimeline"}]}"##)),
                  ("image/svg+xml", Schema::Inline(r#"{"type":"string"}"#)),
                  ("text/html", Schema::Inline(r#"{"type":"string"}"#))],
            errors: &[400, 404], bulk: false,
        }),
        route!(post "/v1/ladders/{id}/apply" => Apply from Body, {
            operation_id: "apply", tag: "alerts",
            summary: "Apply an event to a stored state (ladder apply --json)",
            description: "Time acts up to the event's date first, then the event applies; the answer is the state to store and every transition (time's, then the event's). Without state, the event applies to a new alert (a raise). With expect_version, the event is refused 409 state.version-conflict unless the stored state is at that version. A refused event is 422 with its refused.* code; the stored state is then still the one to keep. An event whose id the state already applied is a re-delivery: the state comes back unchanged with the one effect already-applied.",
            params: &[ID], body: Some((JSON_BODY, Schema::Ref("ApplyRequest"))),
            ok: &[(JSON, Schema::Ref("Applied"))], errors: &[400, 404, 409, 413, 422], bulk: false,
        }),
        route!(post "/v1/ladders/{id}/advance" => Advance from Body, {
            operation_id: "advance", tag: "alerts",
            summary: "Let time act on a stored state up to a date",
            description: "Deemed agreements and automatic escalations up to as_of, each a transition dated on the day it took effect.",
            params: &[ID], body: Some((JSON_BODY, Schema::Ref("AsOfRequest"))),
            ok: &[(JSON, Schema::Ref("Applied"))], errors: &[400, 404, 413, 422], bulk: false,
        }),
        route!(post "/v1/ladders/{id}/status" => Status from Body, {
            operation_id: "status", tag: "alerts",
            summary: "A stored state's status as at a date (ladder status --json)",
            description: "What is due, by whom, and what is breached, after time has acted.",
            params: &[ID], body: Some((JSON_BODY, Schema::Ref("AsOfRequest"))),
            ok: &[(JSON, Schema::Ref("Status"))], errors: &[400, 404, 413, 422], bulk: false,
        }),
        route!(post "/v1/ladders/{id}/recompute" => Recompute from Body, {
            operation_id: "recompute", tag: "alerts",
            summary: "Re-base a stored state on the loaded calendar and ladder (ladder recompute --json)",
            description: "Replays the audit trail (the audit of each transition, in order) and says what moved.",
            params: &[ID], body: Some((JSON_BODY, Schema::Ref("RecomputeRequest"))),
            ok: &[(JSON, Schema::Ref("Rebased"))], errors: &[400, 404, 409, 413, 422], bulk: false,
        }),
        route!(post "/v1/ladders/{id}/correct" => Correct from Body, {
            operation_id: "correct", tag: "alerts",
            summary: "Correct a stored alert's history and replay it (ladder correct --json)",
            description: "The correction inserts an event recorded late at its own date, voids one (by id, or by its trail entry's sequence), or replaces one; the caller's events are replayed with it, time's own transitions made again up to as_of (default: the last day the stored trail reaches). The answer is the corrected state and trail and what moved. The first event the corrected history refuses is 422 with the engine's code and fields.event_number; a correction naming no event, or time's own entry, is 422 correction.*.",
            params: &[ID], body: Some((JSON_BODY, Schema::Ref("CorrectRequest"))),
            ok: &[(JSON, Schema::Ref("Rebased"))], errors: &[400, 404, 409, 413, 422], bulk: false,
        }),
        route!(post "/v1/ladders/{id}/replay" => Replay from Body, {
            operation_id: "replay", tag: "alerts",
            summary: "Apply events in order to a new alert (ladder run)",
            description: "Each event applies as apply does (time acts first); then time acts up to as_of (or the last event's date). The answer is the state, the audit trail and the status then. The first refused event is 422 with fields.event_number.",
            params: &[ID], body: Some((JSON_BODY, Schema::Ref("ReplayRequest"))),
            ok: &[(JSON, Schema::Ref("Replayed")), ("image/svg+xml", Schema::Inline(r#"{"type":"string"}"#)),
                  ("text/html", Schema::Inline(r#"{"type":"string"}"#))], errors: &[400, 404, 413, 422], bulk: false,
        }),
        route!(get "/v1/holidays" => Holidays from Query, {
            operation_id: "holidays", tag: "calendar",
            summary: "Bank holidays of a division over years (ladder holidays --json)",
            description: "The built-in tables (1978 to 2199), as ladder holidays gives them.",
            params: &[REGION,
                Param { name: "from", in_path: false, required: true, schema: r#"{"type":"integer"}"#, description: "First year (1978..=2199)" },
                Param { name: "to", in_path: false, required: false, schema: r#"{"type":"integer"}"#, description: "Last year, inclusive [default: from]" }],
            body: None,
            ok: &[(JSON, Schema::Inline(r##"{"type":"array","items":{"$ref":"#/components/schemas/BankHoliday"}}"##))],
            errors: &[400], bulk: false,
        }),
        route!(get "/v1/working-days/add" => AddWorkingDays from Query, {
            operation_id: "addWorkingDays", tag: "calendar",
            summary: "The date N working days after a date (ladder add-working-days --json)",
            description: "On the loaded calendar of the division (with the service's holidays files and closures).",
            params: &[FROM_DATE, DAYS, REGION],
            body: None, ok: &[(JSON, Schema::Ref("WorkingDaysAdded"))], errors: &[400], bulk: false,
        }),
        route!(get "/v1/working-days/count" => CountWorkingDays from Query, {
            operation_id: "countWorkingDays", tag: "calendar",
            summary: "Working days from one date to another (ladder count-working-days --json)",
            description: "The working days in (from, to]; negative when to is before from.",
            params: &[Param { name: "from", in_path: false, required: true, schema: DATE, description: "Excluded" },
                Param { name: "to", in_path: false, required: true, schema: DATE, description: "Included" }, REGION],
            body: None, ok: &[(JSON, Schema::Ref("WorkingDaysCounted"))], errors: &[400], bulk: false,
        }),
        route!(get "/v1/working-days/explain" => Explain from Query, {
            operation_id: "explain", tag: "calendar",
            summary: "Why N working days after a date lands where it does (ladder explain --json)",
            description: "Each day walked, counted or skipped, and why.",
            params: &[FROM_DATE, DAYS, REGION],
            body: None, ok: &[(JSON, Schema::Ref("Explanation"))], errors: &[400], bulk: false,
        }),
        route!(post "/v1/report" => Report from Query, {
            operation_id: "report", tag: "cases",
            summary: "The monitoring report over a posted cases file (ladder report)",
            description: "The body is a cases file, JSON Lines (one CaseRecord a line). format=json (default) is the whole report, csv the IRO tracking spreadsheet, summary-csv the figures in long form, text the aligned tables, html one self-contained page with charts, xlsx a workbook (binary). bom, table and formula_guard shape the CSV. A bad record is 400 (422 for a refused event) naming its line.",
            params: &[
                Param { name: "as_of", in_path: false, required: true, schema: DATE, description: "The date the report is as at" },
                Param { name: "format", in_path: false, required: false, schema: r#"{"type":"string","enum":["json","csv","summary-csv","text","html","xlsx"],"default":"json"}"#, description: "The output format" },
                Param { name: "bom", in_path: false, required: false, schema: r#"{"type":"boolean","default":false}"#, description: "CSV: start with a UTF-8 byte-order mark, for Excel" },
                Param { name: "table", in_path: false, required: false, schema: r#"{"type":"string","enum":["all","alerts","escalations"],"default":"all"}"#, description: "csv: every row, or the alert rows or the escalation rows alone" },
                Param { name: "formula_guard", in_path: false, required: false, schema: r#"{"type":"string","enum":["on","off"],"default":"on"}"#, description: "CSV: on puts ' before text that starts like a formula; off writes it as it is" },
                Param { name: "period", in_path: false, required: false, schema: r#"{"type":"string","default":"month"}"#, description: "month, quarter, half-year, or FROM..TO" },
                Param { name: "due_within", in_path: false, required: false, schema: r#"{"type":"integer","minimum":0,"default":2}"#, description: "Due soon: due within N working days" },
                Param { name: "warn_at", in_path: false, required: false, schema: r#"{"type":"integer","minimum":1,"maximum":100,"default":80}"#, description: "Due soon: PERCENT of the window used" },
                Param { name: "open_longer_than", in_path: false, required: false, schema: r#"{"type":"integer","minimum":0,"default":20}"#, description: "Open longer: more than N working days" },
            ],
            body: Some((CASES_BODY, CASES_SCHEMA)),
            ok: &[(JSON, Schema::Ref("Report")), ("text/csv", Schema::Inline(r#"{"type":"string"}"#)),
                  ("text/plain", Schema::Inline(r#"{"type":"string"}"#)),
                  ("text/html", Schema::Inline(r#"{"type":"string"}"#)),
                  ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   Schema::Inline(r#"{"type":"string","format":"binary"}"#))], errors: &[400, 413, 422], bulk: true,
        }),
        route!(post "/v1/alerts/advance" => AdvanceAlerts from Query, {
            operation_id: "advanceAlerts", tag: "alerts",
            summary: "Let time act on many stored alerts up to a date (ladder advance --alerts)",
            description: "The body is JSON Lines, one StoredAlert a line ({alert, ladder, state}), each on its own ladder. The answer is JSON Lines, one AlertAdvanced for each alert time changed (its new state, the version to store it against, the transitions) or could not take (its error), in the order of the body; an alert time left as it was has no line. Select the alerts whose stored wakes_on is on or before as_of.",
            params: &[Param { name: "as_of", in_path: false, required: true, schema: DATE, description: "The date time acts up to (today)" }],
            body: Some((CASES_BODY, STORED_ALERTS)),
            ok: &[(JSON_LINES, ADVANCED_LINES)], errors: &[400, 413], bulk: true,
        }),
        route!(post "/v1/alerts/recompute" => RecomputeAlerts from Query, {
            operation_id: "recomputeAlerts", tag: "alerts",
            summary: "Re-base many stored alerts on the loaded calendars and ladders (ladder recompute --alerts)",
            description: "The body is JSON Lines, one StoredHistory a line ({alert, ladder, state, trail, expect_version}). format=jsonl (default): one AlertRebased a line, for every alert (its new state and trail, what moved) or its error; format=csv: what moved, alert,ladder,field,before,after, a row a field, for the people who must be told.",
            params: &[
                Param { name: "as_of", in_path: false, required: false, schema: DATE, description: "Let time act up to this date after each alert's last event [default: the last day its stored trail reaches]" },
                Param { name: "format", in_path: false, required: false, schema: r#"{"type":"string","enum":["jsonl","csv"],"default":"jsonl"}"#, description: "The output format" },
            ],
            body: Some((CASES_BODY, STORED_HISTORIES)),
            ok: &[(JSON_LINES, REBASED_LINES), ("text/csv", Schema::Inline(r#"{"type":"string"}"#))], errors: &[400, 413], bulk: true,
        }),
        route!(post "/v1/ics" => Ics from Query, {
            operation_id: "ics", tag: "cases",
            summary: "The deadlines of open alerts as iCalendar (ladder ics)",
            description: "The body is a cases file, JSON Lines. One all-day event per open alert's response date and per ceiling; UIDs stable across runs.",
            params: &[
                Param { name: "as_of", in_path: false, required: true, schema: DATE, description: "The date the deadlines are computed as at" },
                Param { name: "calendar_name", in_path: false, required: false, schema: r#"{"type":"string"}"#, description: "The calendar's name [default: Escalation deadlines]" },
                Param { name: "uid_domain", in_path: false, required: false, schema: r#"{"type":"string"}"#, description: "The domain after the @ of every UID" },
            ],
            body: Some((CASES_BODY, CASES_SCHEMA)),
            ok: &[("text/calendar", Schema::Inline(r#"{"type":"string"}"#))], errors: &[400, 413, 422], bulk: true,
        }),
    ]
}
