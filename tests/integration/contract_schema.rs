//! The published JSON Schemas (issue 10 §1): the committed files under
//! `schema/` are exactly what the types generate, and real documents the
//! crate writes (and the documents a case system sends) validate against
//! them, with no property the schema does not name.
//!
//! After a deliberate change to a document's shape, regenerate the files with
//! `UPDATE_SCHEMAS=1 cargo test --all-features committed_schemas` and say
//! in CHANGELOG.md what changed (and bump the document's version if an old
//! reader could misread it: the contract's rules, `src/contract/mod.rs`).

use std::path::PathBuf;

use escalation_ladder::contract::{schema, ErrorDocument};
use escalation_ladder::engine::{apply, status, AlertState, Event};
use escalation_ladder::ladder::builtin;
use escalation_ladder::report::{CaseReader, CaseRecord, Procedures, Report, ReportOptions};
use escalation_ladder::{Region, WorkingCalendar};
use serde_json::{json, Value};

use crate::calendar::d;

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema")
}

#[test]
fn committed_schemas_match_the_types() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut drifted = Vec::new();
    for document in schema::documents() {
        let path = schema_dir().join(document.file);
        let generated = schema::to_pretty_json(&document.schema);
        if update {
            std::fs::create_dir_all(schema_dir()).unwrap();
            std::fs::write(&path, &generated).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(&generated) {
            drifted.push(document.file);
        }
    }
    assert!(
        drifted.is_empty(),
        "schema/{drifted:?} differ from the types: if the change is meant, run \
         `UPDATE_SCHEMAS=1 cargo test --all-features committed_schemas` and record it in CHANGELOG.md"
    );
}

#[test]
fn every_schema_file_is_a_document_of_the_contract() {
    let known: Vec<&str> = schema::documents().iter().map(|d| d.file).collect();
    for entry in std::fs::read_dir(schema_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".schema.json") {
            assert!(known.contains(&name.as_str()), "schema/{name} is stale");
        }
    }
}

/// The schema as published, made strict for the test: the document and each
/// named definition may hold no property the schema does not name.
fn strict_validator(name: &str) -> jsonschema::Validator {
    let document = schema::documents()
        .into_iter()
        .find(|d| d.name == name)
        .unwrap();
    let mut value = document.schema.to_value();
    close(&mut value);
    if let Some(Value::Object(defs)) = value.get_mut("$defs") {
        for def in defs.values_mut() {
            close(def);
        }
    }
    jsonschema::options()
        .should_validate_formats(true)
        .build(&value)
        .unwrap()
}

fn close(schema: &mut Value) {
    if let Value::Object(map) = schema {
        let is_object = map.get("type") == Some(&json!("object")) || map.contains_key("properties");
        if is_object && !map.contains_key("additionalProperties") {
            map.insert("unevaluatedProperties".into(), json!(false));
        }
    }
}

fn assert_valid(name: &str, document: &Value) {
    let validator = strict_validator(name);
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{document:#}");
}

fn event(json: &str) -> Event {
    serde_json::from_str(json).unwrap()
}

/// An IRO dispute raised on Monday 21 December 2026 and taken through a
/// response, an escalation, a referral, an extension and a resolution: every
/// transition, state and status it produces validates.
#[test]
fn real_states_transitions_and_statuses_validate() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let events = [
        r#"{"type":"raise","on":"2026-12-21","actor":"iro","id":"ev-1","meta":{"ticket":7},"stage":"team-manager","category":"drift-in-permanence-planning","reason":"no permanence plan"}"#,
        r#"{"type":"respond","on":"2026-12-23","actor":"tm"}"#,
        r#"{"type":"escalate","on":"2026-12-24","actor":"iro","reason":"not agreed"}"#,
        r#"{"type":"refer","on":"2026-12-29","actor":"iro","referral":"cafcass"}"#,
        r#"{"type":"extend","on":"2026-12-30","actor":"hos","until":"2027-01-08","reason":"leave"}"#,
        r#"{"type":"resolve","on":"2027-01-06","actor":"hos","outcome":"plan amended"}"#,
    ];
    let mut state = AlertState::new(&ladder.id);
    assert_valid("alert-state", &serde_json::to_value(&state).unwrap());
    for (i, text) in events.iter().enumerate() {
        let raw: Value = serde_json::from_str(text).unwrap();
        assert_valid("event", &raw);
        let event = event(text);
        assert_valid("event", &serde_json::to_value(&event).unwrap());
        let transition =
            apply(&ladder, &calendar, &state, &event).unwrap_or_else(|e| panic!("event {i}: {e}"));
        assert_valid("transition", &serde_json::to_value(&transition).unwrap());
        assert_valid(
            "transition",
            &serde_json::to_value(transition.clone().into_owned()).unwrap(),
        );
        state = transition.state;
        assert_valid("alert-state", &serde_json::to_value(&state).unwrap());
        let status = status(&ladder, &calendar, &state, event.on).unwrap();
        assert_valid("status", &serde_json::to_value(&status).unwrap());
    }
    assert_eq!(state.referrals.len(), 1);
}

#[test]
fn records_reports_and_errors_validate() {
    let line = r#"{"case":"IRO-2026-0107","child":"C-20417","team":"North Locality","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
    let raw: Value = serde_json::from_str(line).unwrap();
    assert_valid("case-record", &raw);
    let record: CaseRecord = serde_json::from_str(line).unwrap();
    assert_valid("case-record", &serde_json::to_value(&record).unwrap());

    let procedures = Procedures::builtin().unwrap();
    let as_of = d(2027, 1, 4);
    let cases = CaseReader::new(line.as_bytes(), &procedures)
        .events_until(as_of)
        .read_all()
        .unwrap();
    let report = Report::build(&procedures, &cases, as_of, &ReportOptions::default()).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    // Raised Friday 18 December 2026, due Tuesday 29th (25th and 28th are
    // bank holidays): overdue on 4 January 2027.
    assert_eq!(json["overdue"]["count"], 1);
    assert_eq!(json["schema_version"], 1);
    assert_valid("report", &json);

    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let err = apply(
        &ladder,
        &calendar,
        &AlertState::new(&ladder.id),
        &event(r#"{"on":"2026-12-21","actor":"iro","type":"respond"}"#),
    )
    .unwrap_err();
    let doc = serde_json::to_value(ErrorDocument::from(&err)).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_valid("error", &doc);
}

/// What a case system might send wrongly, refused by the schema as the
/// reader refuses it.
#[test]
fn the_schema_refuses_what_the_reader_refuses() {
    let validator = strict_validator("event");
    for bad in [
        // A .NET DateTime instead of a date.
        json!({"type":"respond","on":"2026-12-14T00:00:00","actor":"tm"}),
        // No type.
        json!({"on":"2026-12-14","actor":"tm"}),
        // A field another kind takes.
        json!({"type":"deem-agreed","on":"2026-12-14","actor":"tm","until":"2026-12-18"}),
        // A field no kind has.
        json!({"type":"respond","on":"2026-12-14","actor":"tm","colour":"red"}),
        // A later version.
        json!({"type":"respond","schema_version":2,"on":"2026-12-14","actor":"tm"}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
        assert!(
            serde_json::from_value::<Event>(bad.clone()).is_err(),
            "{bad}"
        );
    }
}
