//! The OpenAPI 3.1 document of the service, generated from the route table
//! (served at `GET /openapi.json`; `schema/openapi.json` is this, committed).

use serde_json::{json, Map, Value};

use super::routes::{routes, JSON};

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad input: a request that is not the operation's (request.*), a date out of range (calendar.*), a state of another ladder or release (state.*)",
        404 => "Unknown ladder (ladder.unknown)",
        409 => "The stored state is not at the expected version (state.version-conflict)",
        413 => "The request body is too large (http.body-too-large)",
        422 => "Refused: an event the state does not allow (refused.*), a state to recompute first (state.calendar-changed, state.ladder-changed), a trail that does not match (trail.*), a refused procedure file (ladder.*)",
        500 => "The service failed (http.panic) or a reload failed (http.reload-failed)",
        _ => "Error",
    }
}

/// The service's own component schemas (requests and answers that are not
/// the contract's).
fn service_components() -> Map<String, Value> {
    let date = json!({"type": "string", "format": "date"});
    let r = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let object = |properties: Value, required: &[&str]| json!({"type": "object", "properties": properties, "required": required});
    let mut map = Map::new();
    let mut add = |name: &str, value: Value| {
        map.insert(name.to_string(), value);
    };
    add(
        "Health",
        object(json!({"status": {"const": "ok"}}), &["status"]),
    );
    add(
        "Ready",
        object(
            json!({"status": {"const": "ready"}, "generation": {"type": "integer"}, "procedures": {"type": "integer"}}),
            &["status", "generation", "procedures"],
        ),
    );
    add(
        "LoadSummary",
        object(
            json!({"generation": {"type": "integer"}, "procedures": {"type": "integer"},
                   "warnings": {"type": "array", "items": {"type": "string"}}}),
            &["generation", "procedures", "warnings"],
        ),
    );
    add(
        "ProcedureListing",
        object(
            json!({"id": {"type": "string"}, "title": {"type": "string"},
                   "kind": {"enum": ["ladder", "schedule"]}}),
            &["id", "title", "kind"],
        ),
    );
    add(
        "Validated",
        object(
            json!({"id": {"type": "string"}, "title": {"type": "string"},
                   "kind": {"enum": ["ladder", "schedule"]},
                   "stages": {"type": ["integer", "null"]}, "milestones": {"type": ["integer", "null"]},
                   "ceiling_working_days": {"type": ["integer", "null"]}, "assumptions": {"type": "integer"}}),
            &["id", "title", "kind", "assumptions"],
        ),
    );
    add(
        "Procedure",
        json!({"type": "object", "description": "A procedure file as JSON (docs/ladder-schema.md)"}),
    );
    add(
        "TimelineRow",
        object(
            json!({"stage": {"type": "string"}, "entered": date, "respond_by": {"type": ["string", "null"], "format": "date"}}),
            &["stage", "entered", "respond_by"],
        ),
    );
    add(
        "LadderTimeline",
        object(
            json!({"procedure": {"type": "string"}, "raised": date,
                   "stages": {"type": "array", "items": r("TimelineRow")},
                   "ceiling": {"type": ["string", "null"], "format": "date"}}),
            &["procedure", "raised", "stages", "ceiling"],
        ),
    );
    add(
        "ScheduleTimeline",
        object(
            json!({"procedure": {"type": "string"}, "day_one": date,
                   "milestones": {"type": "array", "items": {"type": "object"}}}),
            &["procedure", "day_one", "milestones"],
        ),
    );
    let ladder = json!({"type": "string", "description": "The ladder's id; the path gives it, and a body naming another is refused"});
    add(
        "ApplyRequest",
        json!({"type": "object", "additionalProperties": false,
               "properties": {"ladder": ladder, "state": {"oneOf": [r("AlertState"), {"type": "null"}]}, "event": r("Event"),
                              "expect_version": {"type": ["integer", "null"], "minimum": 0}},
               "required": ["event"]}),
    );
    add(
        "AsOfRequest",
        json!({"type": "object", "additionalProperties": false,
               "properties": {"ladder": ladder, "state": r("AlertState"), "as_of": date}, "required": ["state", "as_of"]}),
    );
    add(
        "RecomputeRequest",
        json!({"type": "object", "additionalProperties": false,
               "properties": {"ladder": ladder, "state": r("AlertState"),
                              "trail": {"type": "array", "items": r("AuditEntry")},
                              "expect_version": {"type": ["integer", "null"], "minimum": 0},
                              "as_of": {"type": ["string", "null"], "format": "date"}},
               "required": ["state", "trail"]}),
    );
    add(
        "ReplayRequest",
        json!({"type": "object", "additionalProperties": false,
               "properties": {"ladder": ladder, "events": {"type": "array", "items": r("Event")},
                              "as_of": {"type": ["string", "null"], "format": "date"}},
               "required": ["events"]}),
    );
    add(
        "Applied",
        object(
            json!({"state": r("AlertState"), "transitions": {"type": "array", "items": r("OwnedTransition")}}),
            &["state", "transitions"],
        ),
    );
    add(
        "Replayed",
        json!({"type": "object", "properties": {"state": r("AlertState"), "trail": {"type": "array", "items": r("AuditEntry")},
               "status": {"oneOf": [r("Status"), {"type": "null"}]}},
               "required": ["state", "trail", "status"]}),
    );
    add(
        "BankHoliday",
        object(
            json!({"date": date, "name": {"type": "string"},
                   "kind": {"enum": ["regular", "substitute", "moved", "proclaimed"]}}),
            &["date", "name", "kind"],
        ),
    );
    let region =
        json!({"enum": ["england-and-wales", "scotland", "northern-ireland", "united-kingdom"]});
    add(
        "WorkingDaysAdded",
        object(
            json!({"from": date, "working_days": {"type": "integer"}, "result": date, "region": region}),
            &["from", "working_days", "result", "region"],
        ),
    );
    add(
        "WorkingDaysCounted",
        object(
            json!({"from": date, "to": date, "working_days": {"type": "integer"}, "region": region}),
            &["from", "to", "working_days", "region"],
        ),
    );
    add(
        "Explanation",
        json!({"type": "object", "description": "ladder explain --json: region, from, working_days, result and walked"}),
    );
    correction_and_batch_components(&mut map);
    map
}

/// The service's component schemas of a recompute's or a correction's
/// answer and of the operations over many stored alerts.
fn correction_and_batch_components(map: &mut Map<String, Value>) {
    let r = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let object = |properties: Value, required: &[&str]| json!({"type": "object", "properties": properties, "required": required});
    let ladder = json!({"type": "string", "description": "The ladder's id; the path gives it, and a body naming another is refused"});
    let mut add = |name: &str, value: Value| {
        map.insert(name.to_string(), value);
    };
    add(
        "Rebased",
        json!({"type": "object", "properties": {"moved": {"type": "boolean"}, "before": {"type": "object"},
               "after": {"type": "object"}, "state": r("AlertState"), "trail": {"type": "array", "items": r("AuditEntry")}},
               "required": ["moved", "before", "after", "state", "trail"]}),
    );
    add(
        "CorrectRequest",
        json!({"type": "object", "additionalProperties": false,
               "properties": {"ladder": ladder, "state": r("AlertState"),
                              "trail": {"type": "array", "items": r("AuditEntry")},
                              "correction": r("Correction"),
                              "expect_version": {"type": ["integer", "null"], "minimum": 0},
                              "as_of": {"type": ["string", "null"], "format": "date"}},
               "required": ["state", "trail", "correction"]}),
    );
    add(
        "Correction",
        json!({"oneOf": [
            {"type": "object", "additionalProperties": false,
             "properties": {"type": {"const": "insert"}, "event": r("Event")}, "required": ["type", "event"]},
            {"type": "object", "additionalProperties": false,
             "properties": {"type": {"const": "void"}, "id": {"type": ["string", "null"]},
                            "sequence": {"type": ["integer", "null"], "minimum": 1}}, "required": ["type"]},
            {"type": "object", "additionalProperties": false,
             "properties": {"type": {"const": "replace"}, "id": {"type": ["string", "null"]},
                            "sequence": {"type": ["integer", "null"], "minimum": 1}, "event": r("Event")},
             "required": ["type", "event"]}],
            "description": "An event recorded late inserted at its own date, one voided, or one replaced; void and replace name the event by exactly one of id and sequence (its trail entry's number)"}),
    );
    let meta = json!({"type": ["object", "null"], "description": "The case system's own data, echoed and never read"});
    add(
        "StoredAlert",
        json!({"type": "object", "additionalProperties": false,
               "properties": {"alert": {"type": "string"}, "ladder": {"type": "string"},
                              "state": r("AlertState"), "meta": meta},
               "required": ["alert", "ladder", "state"]}),
    );
    add(
        "StoredHistory",
        json!({"type": "object", "additionalProperties": false,
               "properties": {"alert": {"type": "string"}, "ladder": {"type": "string"},
                              "state": r("AlertState"), "trail": {"type": "array", "items": r("AuditEntry")},
                              "expect_version": {"type": ["integer", "null"], "minimum": 0}, "meta": meta},
               "required": ["alert", "ladder", "state", "trail"]}),
    );
    let nullable = |name: &str| json!({"oneOf": [r(name), {"type": "null"}]});
    add(
        "AlertAdvanced",
        object(
            json!({"alert": {"type": ["string", "null"]}, "ladder": {"type": ["string", "null"]},
                   "line": {"type": "integer"}, "expect_version": {"type": ["integer", "null"]},
                   "state": nullable("AlertState"),
                   "transitions": {"type": "array", "items": r("OwnedTransition")},
                   "meta": meta, "error": nullable("ErrorDocument")}),
            &[
                "alert",
                "ladder",
                "line",
                "expect_version",
                "state",
                "transitions",
                "meta",
                "error",
            ],
        ),
    );
    add(
        "AlertRebased",
        object(
            json!({"alert": {"type": ["string", "null"]}, "ladder": {"type": ["string", "null"]},
                   "line": {"type": "integer"}, "expect_version": {"type": ["integer", "null"]},
                   "moved": {"type": ["boolean", "null"]}, "state": nullable("AlertState"),
                   "trail": {"type": "array", "items": r("AuditEntry")},
                   "before": {"type": ["object", "null"]}, "after": {"type": ["object", "null"]},
                   "meta": meta, "error": nullable("ErrorDocument")}),
            &[
                "alert",
                "ladder",
                "line",
                "expect_version",
                "moved",
                "state",
                "trail",
                "before",
                "after",
                "meta",
                "error",
            ],
        ),
    );
}

/// The contract's component schemas (Event, AlertState, OwnedTransition,
/// Status, CaseRecord, Report, ErrorDocument and every type they name), from
/// the same JSON Schema the committed `schema/*.schema.json` files are.
fn contract_components() -> Map<String, Value> {
    crate::contract::schema::components()
}

/// The OpenAPI 3.1 document of the service, built from the route table
/// (served at `GET /openapi.json`; `schema/openapi.json` is this, committed).
pub fn openapi() -> Value {
    let mut paths = Map::new();
    for route in routes() {
        let mut parameters = Vec::new();
        for param in route.params {
            parameters.push(json!({
                "name": param.name,
                "in": if param.in_path { "path" } else { "query" },
                "required": param.required,
                "description": param.description,
                "schema": serde_json::from_str::<Value>(param.schema).unwrap_or(Value::Null),
            }));
        }
        let mut responses = Map::new();
        responses.insert(
            "200".into(),
            json!({"description": "OK", "content": {route.ok.0: {"schema": route.ok.1.to_value()}}}),
        );
        let mut errors = route.errors.to_vec();
        for always in [500, 503] {
            if !errors.contains(&always) {
                errors.push(always);
            }
        }
        errors.sort_unstable();
        for status in errors {
            let description = match status {
                503 => "The request took longer than the service's timeout (http.timeout)",
                _ => status_text(status),
            };
            responses.insert(
                status.to_string(),
                json!({"description": description,
                       "content": {JSON: {"schema": {"$ref": "#/components/schemas/ErrorDocument"}}}}),
            );
        }
        let mut operation = json!({
            "operationId": route.operation_id,
            "tags": [route.tag],
            "summary": route.summary,
            "description": route.description,
            "responses": responses,
        });
        if !parameters.is_empty() {
            operation["parameters"] = Value::Array(parameters);
        }
        if let Some((media, schema)) = route.body {
            operation["requestBody"] =
                json!({"required": true, "content": {media: {"schema": schema.to_value()}}});
        }
        let item = paths
            .entry(route.path.to_string())
            .or_insert_with(|| json!({}));
        item[route.method] = operation;
    }
    let mut schemas = contract_components();
    for (name, schema) in service_components() {
        // The contract's own schema wins where both name a type.
        schemas.entry(name).or_insert(schema);
    }
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "escalation-ladder service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "UK working-day calendars and escalation ladders as a stateless HTTP JSON service (ladder serve). Every error is an ErrorDocument {code, message, fields}; codes are listed in docs/errors.md.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    })
}
