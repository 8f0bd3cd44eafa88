//! The JSON contract: the documents that cross the boundary between this
//! crate and a case system, their shapes, their versions and their schemas.
//!
//! # The documents
//!
//! | document | Rust type | version constant |
//! |---|---|---|
//! | event | [`Event`](crate::engine::Event) | [`EVENT_SCHEMA_VERSION`] |
//! | alert state | [`AlertState`](crate::engine::AlertState) | [`STATE_SCHEMA_VERSION`](crate::engine::STATE_SCHEMA_VERSION) |
//! | transition (state, effects, audit entry) | [`OwnedTransition`](crate::engine::OwnedTransition) | [`TRANSITION_SCHEMA_VERSION`] |
//! | status | [`Status`](crate::engine::Status) | [`STATUS_SCHEMA_VERSION`] |
//! | cases-file record | [`CaseRecord`](crate::report::CaseRecord) | [`CASE_RECORD_SCHEMA_VERSION`] |
//! | report | [`Report`](crate::report::Report) | [`REPORT_SCHEMA_VERSION`] |
//! | error | [`ErrorDocument`] | [`ERROR_SCHEMA_VERSION`] |
//!
//! With the `schema` feature, [`schema`] gives each one's JSON Schema
//! (2020-12), generated from these types; the committed copies are in the
//! repository's `schema/` folder, and a test fails when they drift.
//!
//! # Rules every document keeps
//!
//! - **Versions.** Every document has a `schema_version`. The crate writes
//!   its current version; it reads every version from 1 to the current one
//!   (a state of version 1 still loads) and refuses a later one with an
//!   error naming both. A version changes when a reader of the old shape
//!   could misread the new one: a field removed, renamed, or given a new
//!   meaning. A new field that old readers may ignore does not change it.
//!   A document a case system writes (an event, a record) may leave
//!   `schema_version` out: it is then read as the current version.
//! - **`type` first.** An event writes its `type` first, then its
//!   `schema_version`, `on`, `actor`, `id`, `meta`, then its kind's own
//!   fields, so a reader can switch on the kind before it reads the rest.
//! - **Optional values are always written.** Every document the crate writes
//!   carries every field of its shape: an absent value is `null`, an empty
//!   list is `[]`. Every document the crate reads accepts a missing optional
//!   field as `null` (or `[]`). (Ladders are the exception: a ladder's JSON,
//!   like its TOML, leaves out keys at their default; docs/ladder-schema.md
//!   lists every default.)
//! - **Dates** are `YYYY-MM-DD` and nothing else; an error names the field:
//!   `"on": expected a date YYYY-MM-DD, found "2026-12-14T00:00:00"`.
//! - **`meta`** on an event is the caller's own object: kept with the event in
//!   the audit trail, echoed back, never interpreted.
//! - **Errors** are documents too ([`ErrorDocument`]): a stable `code`, the
//!   `message`, and the `fields` the error names.

mod class;
mod error;
#[cfg(feature = "schema")]
pub mod schema;

pub use crate::version::{
    SchemaVersion, CASE_RECORD_SCHEMA_VERSION, ERROR_SCHEMA_VERSION, EVENT_SCHEMA_VERSION,
    REPORT_SCHEMA_VERSION, STATUS_SCHEMA_VERSION, TRANSITION_SCHEMA_VERSION,
};
pub use class::ErrorClass;
pub use error::ErrorDocument;
