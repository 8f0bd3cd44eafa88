//! Each route's gate: who may call it (bearer tokens: 401, 403) and the
//! largest body it takes (413 for a body declared larger, before any of it
//! is read); and the route's template on its answer, for the access log and
//! the metrics. An operation's handler passes its gate itself; the service's
//! own routes pass it in a middleware (app.rs).

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::auth::Denied;
use super::error::{ApiError, HttpError};
use super::observe::RouteTemplate;
use super::routes::Access;
use super::service::Loaded;

/// What a route's guard checks: who may call it and the largest body it
/// takes; and the route's template, for the access log and the metrics.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gate {
    pub(crate) path: &'static str,
    pub(crate) access: Access,
    pub(crate) limit: usize,
}

/// The answer refusing a request its route, if its gate does: the caller's
/// token (401, 403), then a body declared larger than the route takes (413,
/// before any of it is read). `None`: the request goes on.
pub(crate) fn refusal(loaded: &Loaded, gate: &Gate, headers: &HeaderMap) -> Option<Response> {
    let denied = loaded.tokens.check(
        gate.access,
        headers
            .get(header::AUTHORIZATION)
            .map(HeaderValue::as_bytes),
    );
    match denied {
        Err(denied) => Some(refused(denied)),
        Ok(()) => declared_too_large(headers, gate.limit).map(IntoResponse::into_response),
    }
}

/// An answer marked with the route's template, for the access log and the
/// metrics.
pub(crate) trait Routed {
    fn routed(self, template: &'static str) -> Response;
}

impl Routed for Response {
    fn routed(mut self, template: &'static str) -> Response {
        self.extensions_mut().insert(RouteTemplate(template));
        self
    }
}

/// 401 (with `WWW-Authenticate: Bearer`) or 403.
fn refused(denied: Denied) -> Response {
    match denied {
        Denied::Unauthenticated => {
            let mut response = ApiError::http(
                HttpError::Unauthorized,
                "expected a bearer token the service knows (Authorization: Bearer TOKEN)",
                serde_json::json!({}),
            )
            .into_response();
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"ladder\""),
            );
            response
        }
        Denied::Forbidden => ApiError::http(
            HttpError::Forbidden,
            "this endpoint needs an admin token",
            serde_json::json!({}),
        )
        .into_response(),
    }
}

/// A request whose `Content-Length` is over `limit`: refused before any of
/// its body is read (a body without one is cut off at the limit as it is
/// read).
fn declared_too_large(headers: &HeaderMap, limit: usize) -> Option<ApiError> {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())?;
    (length > limit as u64).then(|| {
        ApiError::http(
            HttpError::BodyTooLarge,
            format!("the request body ({length} bytes) is larger than this endpoint accepts ({limit} bytes)"),
            serde_json::json!({"limit": limit, "length": length}),
        )
    })
}
