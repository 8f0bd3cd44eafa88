//! The service's handlers. Every endpoint of an operation is the one
//! [`operation`] handler: it takes the path's id, the query or the body as the
//! request (and, for a cases or procedure file, the body as the payload),
//! calls [`ops::call_at`](crate::ops::call_at), and sends the answer or the
//! error document with the status its class gives. Nothing here checks or
//! defaults a value: the operations do.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, HttpError};
use super::routes::Source;
use super::service::Service;
use crate::contract::ErrorDocument;
use crate::ops::{self, Operation, RequestText};

/// A JSON response (compact).
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Response {
    match ops::Answer::json(value) {
        Ok(answer) => with_type(StatusCode::OK, answer.body, "application/json"),
        Err(doc) => error_response(&doc),
    }
}

pub(crate) fn with_type(status: StatusCode, body: Vec<u8>, content_type: &'static str) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// An error document with the HTTP status of its class.
pub(crate) fn error_response(document: &ErrorDocument) -> Response {
    let status = StatusCode::from_u16(document.class().http_status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    super::error::error_response(status, document)
}

/// The body, or 413 / 400.
fn body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::http(
                HttpError::BodyTooLarge,
                "the request body is larger than this endpoint accepts",
                serde_json::json!({}),
            )
        } else {
            ApiError::http(
                HttpError::BadBody,
                format!("cannot read the request body: {}", rejection.body_text()),
                serde_json::json!({}),
            )
        }
    })
}

/// The path's id, or 400 `http.bad-path` (not UTF-8 once decoded).
fn path_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(id)| id).map_err(|rejection| {
        ApiError::http(
            HttpError::BadPath,
            format!(
                "expected a procedure's id in the path: {}",
                crate::escape::Escaped(&rejection.body_text())
            ),
            serde_json::json!({}),
        )
    })
}

/// Runs an operation for an endpoint: `id` from the path, the request from
/// the body or the query, and the body as the payload of an operation that
/// reads one. A cases file is read off the async threads.
pub(crate) async fn operation(
    service: Service,
    operation: Operation,
    source: Source,
    id: Option<String>,
    query: Option<String>,
    body: Bytes,
) -> Response {
    let loaded = service.loaded();
    let work = move || {
        let (request, payload): (RequestText<'_>, &[u8]) = match source {
            Source::Body => (RequestText::Json(&body), &[]),
            Source::Query => (RequestText::Query(query.as_deref().unwrap_or("")), &body),
        };
        ops::call_at(&loaded.registry, operation, id.as_deref(), request, payload)
    };
    let result = match operation {
        Operation::Report
        | Operation::Ics
        | Operation::AdvanceAlerts
        | Operation::RecomputeAlerts => match tokio::task::spawn_blocking(work).await {
            Ok(result) => result,
            Err(e) => {
                tracing::error!("a request panicked: {e}");
                return ApiError::http(
                    HttpError::Panic,
                    "the service failed while handling the request (logged)",
                    serde_json::json!({}),
                )
                .into_response();
            }
        },
        _ => work(),
    };
    match result {
        Ok(answer) => with_type(
            StatusCode::OK,
            answer.body,
            answer.media_type.content_type(),
        ),
        Err(doc) => error_response(&doc),
    }
}

/// The handler of an operation's endpoint with an id in its path.
pub(crate) async fn with_id(
    State(service): State<Service>,
    operation_and_source: (Operation, Source),
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    raw: Result<Bytes, BytesRejection>,
) -> Response {
    let (op, source) = operation_and_source;
    let id = match path_id(path) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    match body(raw) {
        Ok(bytes) => operation(service, op, source, Some(id), query, bytes).await,
        Err(e) => e.into_response(),
    }
}

/// The handler of an operation's endpoint without an id.
pub(crate) async fn without_id(
    State(service): State<Service>,
    operation_and_source: (Operation, Source),
    RawQuery(query): RawQuery,
    raw: Result<Bytes, BytesRejection>,
) -> Response {
    let (op, source) = operation_and_source;
    match body(raw) {
        Ok(bytes) => operation(service, op, source, None, query, bytes).await,
        Err(e) => e.into_response(),
    }
}

// ---- the service's own endpoints ---------------------------------------------

pub(crate) async fn healthz() -> Response {
    json(&serde_json::json!({"status": "ok"}))
}

pub(crate) async fn readyz(State(service): State<Service>) -> Response {
    let loaded = service.loaded();
    json(&serde_json::json!({
        "status": "ready",
        "generation": loaded.generation,
        "procedures": loaded.registry.procedures().len(),
    }))
}

pub(crate) async fn openapi_json() -> Response {
    json(&super::openapi::openapi())
}

pub(crate) async fn not_found() -> Response {
    ApiError::http(
        HttpError::NotFound,
        "no endpoint at this path (GET /openapi.json lists them)",
        serde_json::json!({}),
    )
    .into_response()
}

pub(crate) async fn reload(State(service): State<Service>) -> Response {
    match tokio::task::spawn_blocking(move || service.reload()).await {
        Ok(Ok(summary)) => json(&summary),
        Ok(Err(e)) => ApiError::reload_failed(e).into_response(),
        Err(e) => {
            tracing::error!("a reload panicked: {e}");
            ApiError::http(
                HttpError::Panic,
                "the service failed while handling the request (logged)",
                serde_json::json!({}),
            )
            .into_response()
        }
    }
}
