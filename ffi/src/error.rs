//! The errors of the boundary itself (`ffi.*`): what a caller in another
//! language can get wrong before the library sees its input, and a panic.
//!
//! Every one becomes an [`ErrorDocument`], the shape of every other error of
//! the crate (`{"schema_version", "code", "message", "fields"}`); docs/errors.md lists the codes
//! (the root crate's `every_error_code_is_documented` reads this file).

use std::fmt;

use escalation_ladder::contract::ErrorDocument;
use escalation_ladder::escape::Escaped;
use serde::Serialize;

/// An error of the boundary, before or around the library's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum FfiError {
    /// A required pointer argument was NULL.
    NullPointer { argument: &'static str },
    /// A text argument is not UTF-8.
    InvalidUtf8 {
        argument: &'static str,
        valid_up_to: usize,
    },
    /// A JSON argument is not well-formed JSON.
    MalformedJson {
        argument: &'static str,
        expected: &'static str,
        line: usize,
        column: usize,
        detail: String,
    },
    /// A JSON argument is well-formed but not the document expected.
    InvalidDocument {
        argument: &'static str,
        expected: &'static str,
        line: usize,
        column: usize,
        detail: String,
    },
    /// A date argument is not a real day written `YYYY-MM-DD`.
    InvalidDate { argument: String, found: String },
    /// A number argument outside what it may be.
    InvalidArgument {
        argument: &'static str,
        reason: String,
    },
    /// No ladder of the handle has this id.
    UnknownLadder { ladder: String, known: Vec<String> },
    /// The library panicked (a bug): the call did nothing.
    Panic { detail: String },
}

impl FfiError {
    /// The stable code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            FfiError::NullPointer { .. } => "ffi.null-pointer",
            FfiError::InvalidUtf8 { .. } => "ffi.invalid-utf8",
            FfiError::MalformedJson { .. } => "ffi.malformed-json",
            FfiError::InvalidDocument { .. } => "ffi.invalid-document",
            FfiError::InvalidDate { .. } => "ffi.invalid-date",
            FfiError::InvalidArgument { .. } => "ffi.invalid-argument",
            FfiError::UnknownLadder { .. } => "ffi.unknown-ladder",
            FfiError::Panic { .. } => "ffi.panic",
        }
    }

    /// A JSON argument's parse error, malformed or of the wrong shape.
    pub(crate) fn json(
        argument: &'static str,
        expected: &'static str,
        err: &serde_json::Error,
    ) -> FfiError {
        let (line, column, detail) = (err.line(), err.column(), err.to_string());
        match err.classify() {
            serde_json::error::Category::Data => FfiError::InvalidDocument {
                argument,
                expected,
                line,
                column,
                detail,
            },
            _ => FfiError::MalformedJson {
                argument,
                expected,
                line,
                column,
                detail,
            },
        }
    }

    /// A panic's payload as an error.
    pub(crate) fn panic(payload: &(dyn std::any::Any + Send)) -> FfiError {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        FfiError::Panic { detail }
    }
}

impl fmt::Display for FfiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FfiError::NullPointer { argument } => {
                write!(f, "{argument}: expected a pointer, found NULL")
            }
            FfiError::InvalidUtf8 {
                argument,
                valid_up_to,
            } => write!(
                f,
                "{argument}: expected UTF-8 text, found an invalid byte after {valid_up_to} bytes"
            ),
            FfiError::MalformedJson {
                argument,
                expected,
                detail,
                ..
            } => write!(
                f,
                "{argument}: expected {expected} as JSON, found malformed JSON: {}",
                Escaped(detail)
            ),
            FfiError::InvalidDocument {
                argument,
                expected,
                detail,
                ..
            } => write!(f, "{argument}: expected {expected}: {}", Escaped(detail)),
            FfiError::InvalidDate { argument, found } => write!(
                f,
                "{argument}: {}, found '{}'",
                escalation_ladder::input::DATE_EXPECTED,
                Escaped(found)
            ),
            FfiError::InvalidArgument { argument, reason } => write!(f, "{argument}: {reason}"),
            FfiError::UnknownLadder { ladder, known } => write!(
                f,
                "no ladder '{}' in this handle (it has: {})",
                Escaped(ladder),
                known.join(", ")
            ),
            FfiError::Panic { detail } => write!(
                f,
                "the library panicked (a bug; the call did nothing): {}",
                Escaped(detail)
            ),
        }
    }
}

impl From<FfiError> for ErrorDocument {
    fn from(err: FfiError) -> ErrorDocument {
        let fields = match serde_json::to_value(&err) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        ErrorDocument::new(err.code(), err.to_string(), fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_has_the_code_the_message_and_the_fields() {
        let doc = ErrorDocument::from(FfiError::NullPointer {
            argument: "event_json",
        });
        assert_eq!(doc.code, "ffi.null-pointer");
        assert_eq!(doc.message, "event_json: expected a pointer, found NULL");
        assert_eq!(doc.fields["kind"], "null-pointer");
        assert_eq!(doc.fields["argument"], "event_json");
    }

    #[test]
    fn a_panic_keeps_its_message() {
        let payload: Box<dyn std::any::Any + Send> = Box::new("boom");
        assert_eq!(
            FfiError::panic(&*payload),
            FfiError::Panic {
                detail: "boom".into()
            }
        );
        let payload: Box<dyn std::any::Any + Send> = Box::new(String::from("bang"));
        assert_eq!(FfiError::panic(&*payload).code(), "ffi.panic");
    }
}
