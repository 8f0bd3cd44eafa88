//! The OpenAPI 3.1 document of the service, generated from the route table
//! (served at `GET /openapi.json`; `schema/openapi.json` is this, committed).

use serde_json::{json, Map, Value};

use super::routes::{routes, Access, JSON};

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad input: a request that is not the operation's (request.*), a date out of range (calendar.*), a state of another ladder or release (state.*)",
        404 => "Unknown ladder (ladder.unknown)",
        409 => "The stored state is not at the expected version (state.version-conflict)",
        401 => "No bearer token, or one the service does not know, when the service has tokens (http.unauthorized)",
        403 => "An API token on an admin endpoint (http.forbidden)",
        408 => "The request's body did not arrive within the body timeout (http.body-timeout)",
        413 => "The request body is too large (http.body-too-large)",
        415 => "The body's Content-Type is not one this endpoint reads (http.unsupported-media-type)",
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
    add(
        "Applied",
        object(
            json!({"state": r("AlertState"), "transitions": {"type": "array", "items": r("OwnedTransition")}}),
            &["state", "transitions"],
        ),
    );
    add(
        "BankHoliday",
        object(
            json!({"date": date, "name": {"type": "string"},
                   "kind": {"enum": ["regular", "substitute", "moved", "proclaimed"]}}),
            &["date", "name", "kind"],
        ),
    );
    add(
        "Explanation",
        json!({"type": "object", "description": "ladder explain --json: region, from, working_days, result and walked"}),
    );
    correction_and_batch_components(&mut map);
    map
}

/// The component schemas of the operations' requests and answers, from the
/// Rust types that read and write them (schemars), with every type they name.
fn operation_components() -> Map<String, Value> {
    use crate::ops::{
        ApplyRequest, AsOfRequest, Listed, Rebased, RecomputeRequest, ReplayRequest, Replayed,
        Validated, WorkingDaysAdded, WorkingDaysCounted,
    };
    use schemars::generate::SchemaSettings;
    use schemars::{JsonSchema, SchemaGenerator};

    fn add<T: JsonSchema>(generator: &mut SchemaGenerator) {
        let root = T::json_schema(generator);
        let name = T::schema_name().into_owned();
        let mut definitions = generator.take_definitions(false);
        definitions.insert(name, root.to_value());
        generator.definitions_mut().extend(definitions);
    }
    let settings = SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/components/schemas".into();
    });
    let mut generator = SchemaGenerator::new(settings);
    add::<ApplyRequest>(&mut generator);
    add::<AsOfRequest>(&mut generator);
    add::<RecomputeRequest>(&mut generator);
    add::<ReplayRequest>(&mut generator);
    add::<Listed<'static>>(&mut generator);
    add::<Validated>(&mut generator);
    add::<Rebased<'static>>(&mut generator);
    add::<Replayed<'static>>(&mut generator);
    add::<WorkingDaysAdded>(&mut generator);
    add::<WorkingDaysCounted>(&mut generator);
    add::<super::LoadSummary>(&mut generator);
    generator.take_definitions(true)
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
        let mut content = Map::new();
        for (media, schema) in route.ok {
            content.insert(media.to_string(), json!({"schema": schema.to_value()}));
        }
        responses.insert(
            "200".into(),
            json!({"description": "OK", "content": content}),
        );
        let mut errors = route.errors.to_vec();
        let mut always = vec![500, 503];
        match route.access {
            Access::Public => {}
            Access::Client => always.push(401),
            Access::Admin => always.extend([401, 403]),
        }
        if route.body.is_some() {
            always.extend([408, 413, 415]);
        }
        for status in always {
            if !errors.contains(&status) {
                errors.push(status);
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
            let mut content = Map::new();
            // A cases file is declared with its one type (routes.rs, CASES_BODY).
            let declared = if route.bulk {
                media.get(..1).unwrap_or(media)
            } else {
                media
            };
            for media in declared {
                content.insert(media.to_string(), json!({"schema": schema.to_value()}));
            }
            operation["requestBody"] = json!({"required": true, "content": content});
        }
        if route.access != Access::Public {
            operation["security"] = json!([{"bearer": []}]);
        }
        let item = paths
            .entry(route.path.to_string())
            .or_insert_with(|| json!({}));
        item[route.method] = operation;
    }
    let mut schemas = contract_components();
    for (name, schema) in operation_components()
        .into_iter()
        .chain(service_components())
    {
        // The contract's own schema wins where both name a type.
        schemas.entry(name).or_insert(schema);
    }
    let mut document = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "escalation-ladder service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "UK working-day calendars and escalation ladders as a stateless HTTP JSON service (ladder serve). Every error is an ErrorDocument {code, message, fields}; codes are listed in docs/errors.md.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                "description": "A token of the service's --tokens file (--admin-tokens for /v1/admin/*); needed only when the service has tokens"}},
        },
    });
    super::generators::friendly(&mut document);
    document
}
