//! Errors as data: every error of the crate as one JSON document with a
//! stable code, its message, and the fields it names.
//!
//! A case system written in another language matches on `code`, shows
//! `message` to people, and reads the values it needs from `fields`:
//!
//! ```json
//! {"schema_version": 1, "code": "refused.not-an-entry-stage",
//!  "message": "event 'raise' on 2026-12-21 refused in state not-raised of ladder 'iro-dispute-resolution': stage 'informal' …",
//!  "fields": {"kind": "refused", "event": "raise", "on": "2026-12-21", …}}
//! ```
//!
//! Codes are `area.name` in kebab case (`refused.*` for an event the state
//! does not allow, `calendar.*`, `ladder.*`, `record.*`, `state.*`, `event.*`,
//! `status.*`, `trail.*`); docs/errors.md lists them. A code never changes
//! meaning; a new kind of error gets a new code.

use serde::Serialize;

use crate::version::{SchemaVersion, ERROR_SCHEMA_VERSION};

use crate::calendar::CalendarError;
use crate::engine::EngineError;
use crate::ics::IcsError;
use crate::ladder::LadderError;
use crate::report::{CaseError, RecordError, ReportError};

/// One error as data: its stable code, its one-line message, and its fields.
///
/// # Example
///
/// An alert raised at a stage that is not an entry stage, on the Monday
/// before Christmas 2026:
///
/// ```
/// use escalation_ladder::contract::ErrorDocument;
/// use escalation_ladder::engine::{apply, AlertState, Event};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise: Event = serde_json::from_str(
///     r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"nowhere","reason":"drift"}"#)?;
/// let err = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise).unwrap_err();
/// let doc = ErrorDocument::from(&err);
/// assert_eq!(doc.code, "refused.unknown-stage");
/// assert_eq!(doc.fields["on"], "2026-12-21");
/// assert_eq!(doc.fields["reason"]["stage"], "nowhere");
/// let json = serde_json::to_value(&doc)?;
/// assert_eq!(json["code"], "refused.unknown-stage");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorDocument {
    /// The document's schema version ([`ERROR_SCHEMA_VERSION`]).
    pub schema_version: SchemaVersion<ERROR_SCHEMA_VERSION>,
    /// The stable code (`refused.unknown-stage`).
    pub code: &'static str,
    /// The one-line message, as the error displays.
    pub message: String,
    /// The values the error names, by field (the date, the stage, the limit…).
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl ErrorDocument {
    /// A document for an error of the caller's own (a service's, a binding's),
    /// with its code, message and fields.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::contract::ErrorDocument;
    ///
    /// let mut fields = serde_json::Map::new();
    /// fields.insert("limit".into(), 2_097_152.into());
    /// let doc = ErrorDocument::new("http.body-too-large", "the body is over 2 MiB".into(), fields);
    /// assert_eq!(serde_json::to_value(&doc)?["schema_version"], 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        code: &'static str,
        message: String,
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> ErrorDocument {
        ErrorDocument {
            schema_version: SchemaVersion,
            code,
            message,
            fields,
        }
    }

    /// The document's [`ErrorClass`](super::ErrorClass): what the HTTP
    /// status and the command line's exit status are.
    pub fn class(&self) -> super::ErrorClass {
        super::ErrorClass::of(self.code)
    }

    /// A document from an error's code, message and serializable fields.
    pub(crate) fn of(code: &'static str, message: String, fields: impl Serialize) -> ErrorDocument {
        let fields = match serde_json::to_value(fields) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        ErrorDocument {
            schema_version: SchemaVersion,
            code,
            message,
            fields,
        }
    }
}

impl std::fmt::Display for ErrorDocument {
    /// The message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorDocument {}

impl From<&EngineError> for ErrorDocument {
    /// The error's fields; for an event a corrected history refuses, the
    /// engine's own error's, with the event's place (`event_number`, from
    /// 1), the history's length (`event_count`) and whether it is the
    /// correction's event (`corrected`).
    fn from(err: &EngineError) -> ErrorDocument {
        if let EngineError::CorrectedHistory {
            number,
            count,
            corrected,
            source,
        } = err
        {
            let mut fields = ErrorDocument::from(&**source).fields;
            fields.insert("event_number".into(), (*number).into());
            fields.insert("event_count".into(), (*count).into());
            fields.insert("corrected".into(), (*corrected).into());
            return ErrorDocument::of(err.code(), err.to_string(), fields);
        }
        ErrorDocument::of(err.code(), err.to_string(), err)
    }
}

impl From<&CalendarError> for ErrorDocument {
    fn from(err: &CalendarError) -> ErrorDocument {
        ErrorDocument::of(err.code(), err.to_string(), err)
    }
}

impl From<&LadderError> for ErrorDocument {
    fn from(err: &LadderError) -> ErrorDocument {
        ErrorDocument::of(err.code(), err.to_string(), err)
    }
}

impl From<&CaseError> for ErrorDocument {
    /// The record's line and case, with the engine's fields for a refused
    /// event, and for a record that could not be read the field it names (a
    /// date not written `YYYY-MM-DD`: `field`, `expected`, `found`; an
    /// unknown field: `field`, `expected`).
    fn from(err: &CaseError) -> ErrorDocument {
        let mut fields = match &err.reason {
            RecordError::Event { source, number, .. } => {
                let mut inner = ErrorDocument::from(&**source).fields;
                inner.insert("event_number".into(), (*number).into());
                inner
            }
            // A date not written YYYY-MM-DD, or an unknown field, named.
            RecordError::Json { source } => {
                let mut named = serde_json::Map::new();
                crate::input::name_the_field(&mut named, &source.to_string());
                named
            }
            _ => serde_json::Map::new(),
        };
        fields.insert("line".into(), err.line.into());
        if let Some(case) = &err.case {
            fields.insert("case".into(), case.clone().into());
        }
        ErrorDocument {
            schema_version: SchemaVersion,
            code: err.reason.code(),
            message: err.to_string(),
            fields,
        }
    }
}

impl From<&ReportError> for ErrorDocument {
    /// The engine's or the calendar's document where one of them refused, with
    /// the case; the case and dates otherwise.
    fn from(err: &ReportError) -> ErrorDocument {
        let mut fields = match err {
            ReportError::Calendar(e) => ErrorDocument::from(e).fields,
            ReportError::Engine { source, .. } => ErrorDocument::from(&**source).fields,
            _ => serde_json::Map::new(),
        };
        match err {
            ReportError::UnknownLadder {
                case,
                ladder,
                known,
            } => {
                fields.insert("case".into(), case.clone().into());
                fields.insert("ladder".into(), ladder.clone().into());
                fields.insert("known".into(), known.clone().into());
            }
            ReportError::EventsAfterAsOf {
                case,
                last_event_on,
                as_of,
            } => {
                fields.insert("case".into(), case.clone().into());
                fields.insert("last_event_on".into(), last_event_on.to_string().into());
                fields.insert("as_of".into(), as_of.to_string().into());
            }
            ReportError::Engine { case, .. } => {
                fields.insert("case".into(), case.clone().into());
            }
            _ => {}
        }
        ErrorDocument::of(err.code(), err.to_string(), fields)
    }
}

impl From<&IcsError> for ErrorDocument {
    /// The report's or the calendar's document where one of them refused.
    fn from(err: &IcsError) -> ErrorDocument {
        match err {
            IcsError::Case(e) => ErrorDocument::from(e),
            IcsError::AsOf(e) => {
                let mut doc = ErrorDocument::from(e);
                doc.message = err.to_string();
                doc
            }
            IcsError::UidDomain { found } => ErrorDocument::of(
                err.code(),
                err.to_string(),
                serde_json::json!({"field": "uid_domain", "found": found}),
            ),
        }
    }
}
