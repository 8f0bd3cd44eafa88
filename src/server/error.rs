//! The service's errors: every one an [`ErrorDocument`] with an HTTP status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::calendar::CalendarError;
use crate::contract::ErrorDocument;
use crate::engine::EngineError;
use crate::ladder::LadderError;
use crate::report::CaseError;
use crate::sources::SourceError;

/// The errors of the HTTP layer itself (codes `http.*`), beside the library's
/// own codes that the service passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpError {
    /// A request body that is not the JSON the endpoint reads.
    MalformedJson,
    /// A query parameter missing or not of its form.
    BadQuery,
    /// A request body larger than the endpoint accepts.
    BodyTooLarge,
    /// A body that could not be read (not UTF-8, or the connection failed).
    BadBody,
    /// The request took longer than the service's timeout.
    Timeout,
    /// The service failed while handling the request (a bug: it is logged).
    Panic,
    /// No endpoint at this path.
    NotFound,
    /// The path exists, but not for this method.
    MethodNotAllowed,
    /// A reload found the files refused: the service keeps what it had.
    ReloadFailed,
    /// A case of a posted cases file that a report or calendar cannot take
    /// (its ladder unknown, its status not computable).
    CaseRefused,
}

impl HttpError {
    /// The stable code (`http.…`); codes are listed in docs/errors.md and never
    /// change meaning.
    pub fn code(self) -> &'static str {
        match self {
            HttpError::MalformedJson => "http.malformed-json",
            HttpError::BadQuery => "http.bad-query",
            HttpError::BodyTooLarge => "http.body-too-large",
            HttpError::BadBody => "http.bad-body",
            HttpError::Timeout => "http.timeout",
            HttpError::Panic => "http.panic",
            HttpError::NotFound => "http.not-found",
            HttpError::MethodNotAllowed => "http.method-not-allowed",
            HttpError::ReloadFailed => "http.reload-failed",
            HttpError::CaseRefused => "http.case-refused",
        }
    }

    /// The HTTP status that goes with the code.
    pub fn status(self) -> StatusCode {
        match self {
            HttpError::MalformedJson | HttpError::BadQuery | HttpError::BadBody => {
                StatusCode::BAD_REQUEST
            }
            HttpError::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            HttpError::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            HttpError::Panic | HttpError::ReloadFailed => StatusCode::INTERNAL_SERVER_ERROR,
            HttpError::NotFound => StatusCode::NOT_FOUND,
            HttpError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            HttpError::CaseRefused => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

/// An error response: a status and the error document sent as its body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body.
    pub document: ErrorDocument,
}

impl ApiError {
    /// A service-level error with its message and fields.
    pub fn http(kind: HttpError, message: impl Into<String>, fields: serde_json::Value) -> Self {
        let fields = match fields {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        ApiError {
            status: kind.status(),
            document: ErrorDocument::new(kind.code(), message.into(), fields),
        }
    }

    /// A library error's document with the given status.
    pub fn with_status(status: StatusCode, document: ErrorDocument) -> Self {
        ApiError { status, document }
    }
}

impl From<&EngineError> for ApiError {
    /// 422 for a refused event or a state that must be recomputed first, 409
    /// for a version conflict, 400 for the rest (a date out of range, a state
    /// of another ladder or release, an as-of date before the raise).
    fn from(err: &EngineError) -> Self {
        let status = match err {
            EngineError::Refused { .. }
            | EngineError::LadderChanged { .. }
            | EngineError::CalendarChanged { .. }
            | EngineError::CalendarMismatch { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            EngineError::VersionConflict { .. } => StatusCode::CONFLICT,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError::with_status(status, ErrorDocument::from(err))
    }
}

impl From<EngineError> for ApiError {
    fn from(err: EngineError) -> Self {
        ApiError::from(&err)
    }
}

impl From<CalendarError> for ApiError {
    /// 400: a date or count out of the calendar's range.
    fn from(err: CalendarError) -> Self {
        ApiError::with_status(StatusCode::BAD_REQUEST, ErrorDocument::from(&err))
    }
}

impl From<LadderError> for ApiError {
    /// 404 for an unknown id, 400 for a schedule where a ladder is needed, 422
    /// for a procedure file that is refused.
    fn from(err: LadderError) -> Self {
        let status = match err {
            LadderError::UnknownLadder { .. } => StatusCode::NOT_FOUND,
            LadderError::IsASchedule { .. } => StatusCode::BAD_REQUEST,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::with_status(status, ErrorDocument::from(&err))
    }
}

impl From<&CaseError> for ApiError {
    /// 422 for a refused event in a cases file, 400 for a record that cannot
    /// be read.
    fn from(err: &CaseError) -> Self {
        let document = ErrorDocument::from(err);
        let status = if document.code.starts_with("refused.") {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::BAD_REQUEST
        };
        ApiError::with_status(status, document)
    }
}

impl From<&SourceError> for ApiError {
    /// 500 `http.reload-failed`, with the files' error document as `cause`.
    fn from(err: &SourceError) -> Self {
        let cause = ErrorDocument::from(err);
        ApiError::http(
            HttpError::ReloadFailed,
            format!(
                "reload failed, the service keeps what it had: {}",
                cause.message
            ),
            serde_json::json!({ "cause": cause }),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(self.status, &self.document)
    }
}

/// The JSON response for an error document.
pub(crate) fn error_response(status: StatusCode, document: &ErrorDocument) -> Response {
    let body = serde_json::to_vec(document).unwrap_or_else(|_| {
        br#"{"code":"http.panic","message":"cannot write the error document","fields":{}}"#.to_vec()
    });
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
