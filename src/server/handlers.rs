//! The service's handlers. Every endpoint of an operation is the one
//! [`operation`] handler: it reads the body (within its media types, size
//! and time), takes a permit, takes the path's id, the query or the body as
//! the request (and, for a cases or procedure file, the body as the
//! payload), calls [`ops::call_at`](crate::ops::call_at), and sends the
//! answer or the error document with the status its class gives. Nothing
//! here checks or defaults a value of a request: the operations do.

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, HttpError};
use super::gate::{refusal, Gate, Routed};
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

/// What an operation's endpoint takes from its route: the operation, where
/// its request is, the media types its body may have and its body limit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Endpoint {
    pub operation: Operation,
    pub source: Source,
    pub media: &'static [&'static str],
    /// Who may call it, its body limit and its template.
    pub gate: Gate,
}

/// The body's media type, if the request gives one: one the endpoint reads,
/// or 415.
fn media_type(headers: &HeaderMap, endpoint: &Endpoint) -> Result<(), ApiError> {
    let Some(given) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let essence = given
        .to_str()
        .ok()
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    if endpoint.media.is_empty()
        || endpoint
            .media
            .iter()
            .any(|m| m.eq_ignore_ascii_case(essence))
    {
        return Ok(());
    }
    Err(ApiError::http(
        HttpError::UnsupportedMediaType,
        format!(
            "expected a body of type {}, found '{}'",
            endpoint.media.join(" or "),
            crate::escape::Escaped(&String::from_utf8_lossy(given.as_bytes()))
        ),
        serde_json::json!({"expected": endpoint.media, "found": String::from_utf8_lossy(given.as_bytes())}),
    ))
}

/// Reads the body whole, within the endpoint's limit and the service's body
/// timeout: 413, 408 or 400 otherwise.
async fn read_body(service: &Service, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let timeout = service.config().body_timeout;
    let limited = http_body_util::Limited::new(body, limit);
    match tokio::time::timeout(timeout, http_body_util::BodyExt::collect(limited)).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(ApiError::http(
            HttpError::BodyTooLarge,
            format!("the request body is larger than this endpoint accepts ({limit} bytes)"),
            serde_json::json!({"limit": limit}),
        )),
        Ok(Err(e)) => Err(ApiError::http(
            HttpError::BadBody,
            format!("cannot read the request body: {e}"),
            serde_json::json!({}),
        )),
        Err(_) => Err(ApiError::http(
            HttpError::BodyTimeout,
            format!(
                "the request body did not arrive within {} s",
                timeout.as_secs_f64()
            ),
            serde_json::json!({"seconds": timeout.as_secs_f64()}),
        )),
    }
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

/// Runs an operation for an endpoint: the request admitted by its route's
/// gate (token, declared length), `id` from the path, the request from the
/// body or the query, and the body as the payload of an operation that
/// reads one. The body is read whole first; only then does the request take
/// one of the service's permits, so a client that sends its body slowly
/// holds none. A cases file is read off the async threads.
pub(crate) async fn operation(
    service: Service,
    endpoint: Endpoint,
    id: Option<String>,
    query: Option<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    // The set loaded when the request arrived, for its tokens and its
    // operation alike, whatever a reload swaps in meanwhile.
    let loaded = service.loaded();
    if let Some(refused) = refusal(&loaded, &endpoint.gate, &parts.headers) {
        return refused;
    }
    if let Err(e) = media_type(&parts.headers, &endpoint) {
        return e.into_response();
    }
    let body = match read_body(&service, body, endpoint.gate.limit).await {
        Ok(body) => body,
        Err(e) => return e.into_response(),
    };
    let Ok(_permit) = service.permits().clone().acquire_owned().await else {
        return internal("the service's permits are closed");
    };
    let Endpoint {
        operation, source, ..
    } = endpoint;
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
                return internal("the service failed while handling the request (logged)");
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

fn internal(message: &str) -> Response {
    ApiError::http(HttpError::Panic, message, serde_json::json!({})).into_response()
}

/// The handler of an operation's endpoint with an id in its path.
pub(crate) async fn with_id(
    State(service): State<Service>,
    endpoint: Endpoint,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    request: Request,
) -> Response {
    match path_id(path) {
        Ok(id) => operation(service, endpoint, Some(id), query, request).await,
        Err(e) => e.into_response(),
    }
    .routed(endpoint.gate.path)
}

/// The handler of an operation's endpoint without an id.
pub(crate) async fn without_id(
    State(service): State<Service>,
    endpoint: Endpoint,
    RawQuery(query): RawQuery,
    request: Request,
) -> Response {
    operation(service, endpoint, None, query, request)
        .await
        .routed(endpoint.gate.path)
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

pub(crate) async fn metrics(State(service): State<Service>) -> Response {
    let mut response = service.metrics().encode().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    response
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
