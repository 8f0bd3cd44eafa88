//! The service's errors: every one an [`ErrorDocument`], with the HTTP status
//! of its class.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::contract::ErrorDocument;

/// The errors of the HTTP layer itself (codes `http.*`): what goes wrong in
/// the transport before an operation sees the request, beside the library's
/// own codes that the service passes on. Each code's status is its
/// [`ErrorClass`](crate::contract::ErrorClass)'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpError {
    /// A request body larger than the endpoint accepts.
    BodyTooLarge,
    /// A body that could not be read (the connection failed).
    BadBody,
    /// A path whose id is not UTF-8 once decoded (`%FF`).
    BadPath,
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
    /// No bearer token, or one the service does not know.
    Unauthorized,
    /// An API token on an admin endpoint.
    Forbidden,
    /// A body of a media type the endpoint does not read.
    UnsupportedMediaType,
    /// The request's head did not arrive within the header timeout.
    HeaderTimeout,
    /// The request's body did not arrive within the body timeout.
    BodyTimeout,
}

impl HttpError {
    /// The stable code (`http.…`); codes are listed in docs/errors.md and never
    /// change meaning.
    pub fn code(self) -> &'static str {
        match self {
            HttpError::BodyTooLarge => "http.body-too-large",
            HttpError::BadBody => "http.bad-body",
            HttpError::BadPath => "http.bad-path",
            HttpError::Timeout => "http.timeout",
            HttpError::Panic => "http.panic",
            HttpError::NotFound => "http.not-found",
            HttpError::MethodNotAllowed => "http.method-not-allowed",
            HttpError::ReloadFailed => "http.reload-failed",
            HttpError::Unauthorized => "http.unauthorized",
            HttpError::Forbidden => "http.forbidden",
            HttpError::UnsupportedMediaType => "http.unsupported-media-type",
            HttpError::HeaderTimeout => "http.header-timeout",
            HttpError::BodyTimeout => "http.body-timeout",
        }
    }

    /// The HTTP status that goes with the code (its class's).
    pub fn status(self) -> StatusCode {
        StatusCode::from_u16(crate::contract::ErrorClass::of(self.code()).http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
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

impl From<ErrorDocument> for ApiError {
    /// The document with the HTTP status of its class.
    fn from(document: ErrorDocument) -> Self {
        let status = StatusCode::from_u16(document.class().http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        ApiError { status, document }
    }
}

impl ApiError {
    /// 500 `http.reload-failed`, with the files' error document as `cause`.
    pub fn reload_failed(cause: ErrorDocument) -> Self {
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

/// The JSON text of an error document.
pub(crate) fn error_body(document: &ErrorDocument) -> Vec<u8> {
    serde_json::to_vec(document).unwrap_or_else(|_| {
        br#"{"code":"http.panic","message":"cannot write the error document","fields":{}}"#.to_vec()
    })
}

/// The JSON response for an error document.
pub(crate) fn error_response(status: StatusCode, document: &ErrorDocument) -> Response {
    let body = error_body(document);
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
