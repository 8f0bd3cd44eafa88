//! JSON Schema (2020-12) for every document of the contract, generated from
//! the Rust types (feature `schema`).
//!
//! The repository commits each one under `schema/` (`schema/event.schema.json`
//! …); a test regenerates them and fails when a committed file differs, so
//! the published schemas can never drift from the types. A schema describes
//! what the crate *reads*: an optional field may be missing. What the crate
//! *writes* always carries every field (the [contract's rules](super)).
//!
//! # Example
//!
//! ```
//! use escalation_ladder::contract::schema;
//!
//! let event = schema::documents().into_iter().find(|d| d.name == "event").unwrap();
//! assert_eq!(event.file, "event.schema.json");
//! let json = serde_json::to_value(&event.schema)?;
//! assert_eq!(json["$schema"], "https://json-schema.org/draft/2020-12/schema");
//! assert_eq!(json["$id"], "urn:escalation-ladder:schema:event:1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};

use super::ErrorDocument;
use crate::engine::{AlertState, Event, OwnedTransition, Status, STATE_SCHEMA_VERSION};
use crate::report::{CaseRecord, Report};
use crate::version::{
    CASE_RECORD_SCHEMA_VERSION, ERROR_SCHEMA_VERSION, EVENT_SCHEMA_VERSION, REPORT_SCHEMA_VERSION,
    STATUS_SCHEMA_VERSION, TRANSITION_SCHEMA_VERSION,
};

/// One document's schema: its name, its file under `schema/`, and the schema.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document's name (`event`, `alert-state`, …).
    pub name: &'static str,
    /// Its file name under `schema/` (`event.schema.json`).
    pub file: &'static str,
    /// Its schema version (the document's `schema_version`).
    pub version: u32,
    /// The schema, with its `$schema`, `$id` and `$defs`.
    pub schema: Schema,
}

/// The documents, their files, their versions, and the type of each.
macro_rules! documents {
    ($( $name:literal, $file:literal, $version:expr, $ty:ty; )*) => {
        /// Every document of the contract with its JSON Schema (2020-12).
        ///
        /// # Properties
        ///
        /// The same on every call and every platform (the committed files
        /// are these, written by [`to_pretty_json`]).
        pub fn documents() -> Vec<Document> {
            vec![$( document::<$ty>($name, $file, $version), )*]
        }

        /// Every named schema of the contract, keyed by name, with every
        /// `$ref` written `#/components/schemas/Name`: the `components.schemas`
        /// of an OpenAPI 3.1 document. Each document is there under its type's
        /// name (`Event`, `AlertState`, `OwnedTransition`, `Status`,
        /// `CaseRecord`, `Report`, `ErrorDocument`) beside every type it
        /// names.
        ///
        /// # Example
        ///
        /// ```
        /// let components = escalation_ladder::contract::schema::components();
        /// assert!(components.contains_key("Event"));
        /// let text = serde_json::to_string(&components)?;
        /// assert!(!text.contains("#/$defs/"));
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn components() -> serde_json::Map<String, serde_json::Value> {
            let settings = SchemaSettings::draft2020_12().with(|s| {
                s.definitions_path = "/components/schemas".into();
            });
            let mut generator = SchemaGenerator::new(settings);
            $(
                let root = <$ty>::json_schema(&mut generator);
                let name = <$ty>::schema_name().into_owned();
                let mut definitions = generator.take_definitions(false);
                definitions.insert(name, root.to_value());
                generator.definitions_mut().extend(definitions);
            )*
            generator.take_definitions(true)
        }
    };
}

documents! {
    "event", "event.schema.json", EVENT_SCHEMA_VERSION, Event;
    "alert-state", "alert-state.schema.json", STATE_SCHEMA_VERSION as u32, AlertState;
    "transition", "transition.schema.json", TRANSITION_SCHEMA_VERSION, OwnedTransition;
    "status", "status.schema.json", STATUS_SCHEMA_VERSION, Status<'static>;
    "case-record", "case-record.schema.json", CASE_RECORD_SCHEMA_VERSION, CaseRecord;
    "report", "report.schema.json", REPORT_SCHEMA_VERSION, Report<'static>;
    "error", "error.schema.json", ERROR_SCHEMA_VERSION, ErrorDocument;
}

fn document<T: JsonSchema>(name: &'static str, file: &'static str, version: u32) -> Document {
    let generator = SchemaGenerator::new(SchemaSettings::draft2020_12());
    let mut schema = generator.into_root_schema_for::<T>();
    schema.insert(
        "$id".into(),
        format!("urn:escalation-ladder:schema:{name}:{version}").into(),
    );
    Document {
        name,
        file,
        version,
        schema,
    }
}

/// A schema as the committed file writes it: pretty JSON, two-space
/// indent, a final newline.
pub fn to_pretty_json(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
