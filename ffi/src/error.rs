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

/// An error of the boundary, before or around the library's own: what a
/// caller in another language can get wrong before the library sees its
/// text (every other error is the operation's own document).
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
    /// The library panicked (a bug): the call did nothing.
    Panic { detail: String },
}

impl FfiError {
    /// The stable code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            FfiError::NullPointer { .. } => "ffi.null-pointer",
            FfiError::InvalidUtf8 { .. } => "ffi.invalid-utf8",
            FfiError::Panic { .. } => "ffi.panic",
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
