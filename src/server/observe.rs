//! The service's front: what every request passes through once, before
//! and after its route. Its id (`X-Request-Id`, taken from the request when
//! it is a safe one, else made); the service's timeout (503 `http.timeout`);
//! a panic answered 500 `http.panic`; an error document for an error
//! response that has no body (axum's 405); its
//! metrics; and one access-log line (method, route template, status,
//! duration, request id; never a body, a query or a header's value).
//!
//! One hand-written [`Front`] rather than a stack of middleware: each
//! `from_fn` or `map_response` layer boxes a future and clones a route at
//! every request, and on 2 cores the stack cost the service about a tenth
//! of its throughput (docs/performance.md).

use std::convert::Infallible;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;

use super::error::HttpError;
use super::metrics::{Metrics, UNMATCHED};
use super::service::Service;
use crate::contract::ErrorDocument;

/// The header that carries a request's id, both ways.
pub(crate) static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id taken from a request.
pub(crate) const MAX_REQUEST_ID: usize = 128;

/// The route template a response answered (`/v1/ladders/{id}/apply`), for
/// the access log and the metrics; set by the route's guard.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouteTemplate(pub &'static str);

/// Counts a request in flight until dropped (also when the client goes away
/// and the request's future is dropped).
struct InFlight<'m>(&'m Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.finished();
    }
}

/// The front of a service `S` (the service's router, or one of its routes):
/// see the module's documentation.
#[derive(Clone)]
pub(crate) struct Front<S> {
    pub(crate) service: Service,
    pub(crate) inner: S,
}

/// [`Front`] as a layer, for `Router::layer` (the router
/// [`Service::router`] gives an application to embed).
#[derive(Clone)]
pub(crate) struct FrontLayer(pub(crate) Service);

impl<S> tower::Layer<S> for FrontLayer {
    type Service = Front<S>;

    fn layer(&self, inner: S) -> Front<S> {
        Front {
            service: self.0.clone(),
            inner,
        }
    }
}

impl<S, B> tower::Service<axum::http::Request<B>> for Front<S>
where
    S: tower::Service<axum::http::Request<B>, Response = Response, Error = Infallible>,
    S::Future: Unpin + Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: axum::http::Request<B>) -> Self::Future {
        let start = Instant::now();
        let id = request
            .headers()
            .get(&REQUEST_ID)
            .filter(|given| is_safe_id(given.as_bytes()))
            .cloned()
            .unwrap_or_else(new_id);
        let method = method_label(request.method());
        let service = self.service.clone();
        // A panic while the route makes its future is a panic of the request
        // too.
        let routed = std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(request)));
        Box::pin(async move {
            let metrics = service.metrics();
            metrics.started();
            let in_flight = InFlight(metrics);
            let answered = match routed {
                Ok(future) => {
                    tokio::time::timeout(service.config().timeout, Unwinding(future)).await
                }
                Err(panic) => Ok(Err(panic)),
            };
            drop(in_flight);
            let mut response = match answered {
                Ok(Ok(Ok(response))) => fill_empty_errors(response),
                Ok(Ok(Err(never))) => match never {},
                Ok(Err(panic)) => panic_response(&*panic),
                Err(_elapsed) => document(
                    HttpError::Timeout,
                    "the request took longer than the service's timeout",
                ),
            };
            let route = response
                .extensions()
                .get::<RouteTemplate>()
                .map_or(UNMATCHED, |r| r.0);
            let status = response.status().as_u16();
            let elapsed = start.elapsed().as_secs_f64();
            metrics.counted(route, method, status, elapsed);
            tracing::info!(
                target: "access",
                method,
                route,
                status,
                duration_ms = elapsed * 1e3,
                request_id = id.to_str().unwrap_or(""),
            );
            response.headers_mut().insert(REQUEST_ID.clone(), id);
            Ok(response)
        })
    }
}

/// A future whose panic is caught: `Err` with the panic's payload.
struct Unwinding<F>(F);

impl<F: Future + Unpin> Future for Unwinding<F> {
    type Output = Result<F::Output, Box<dyn std::any::Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.0;
        match std::panic::catch_unwind(AssertUnwindSafe(|| Pin::new(inner).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

/// An error document of the HTTP layer, with its status.
fn document(kind: HttpError, message: &str) -> Response {
    let document = ErrorDocument::new(kind.code(), message.to_string(), serde_json::Map::new());
    let status = StatusCode::from_u16(document.class().http_status())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    super::error::error_response(status, &document)
}

/// A panic while handling a request: logged, answered 500 `http.panic`.
pub(crate) fn panic_response(panic: &(dyn std::any::Any + Send)) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic");
    tracing::error!("a request panicked: {what}");
    document(
        HttpError::Panic,
        "the service failed while handling the request (logged)",
    )
}

/// Gives an error document to an error response that has no body of its own:
/// axum's 405 for a method a route does not take, and its 404 for a path a
/// router without the service's fallback does not know. Every other error
/// is a document where it is made.
fn fill_empty_errors(response: Response) -> Response {
    let status = response.status();
    if response
        .headers()
        .contains_key(axum::http::header::CONTENT_TYPE)
    {
        return response;
    }
    let (kind, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            HttpError::MethodNotAllowed,
            "this path does not take this method",
        ),
        StatusCode::NOT_FOUND => (HttpError::NotFound, "no endpoint at this path"),
        _ => return response,
    };
    let (parts, _) = response.into_parts();
    let mut filled = document(kind, message);
    // The route's template and a 405's `Allow` header stay.
    filled.extensions_mut().extend(parts.extensions);
    if let Some(allow) = parts.headers.get(axum::http::header::ALLOW) {
        filled
            .headers_mut()
            .insert(axum::http::header::ALLOW, allow.clone());
    }
    filled
}

/// The method as a label (one of a few, so that a client cannot make new
/// metric series at will).
pub(crate) fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A request id the service takes as given: 1 to 128 characters, each a
/// letter, a digit or one of `-_.:+/=@`.
pub(crate) fn is_safe_id(id: &[u8]) -> bool {
    (1..=MAX_REQUEST_ID).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:+/=@".contains(b))
}

/// A new request id: 16 hex digits, unique within the process (a counter
/// through a bijective mix, from a start that differs per process).
pub(crate) fn new_id() -> HeaderValue {
    static START: OnceLock<u64> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let start = *START.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(std::process::id().into());
        hasher.finish()
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed).wrapping_add(start);
    // splitmix64's finaliser: a bijection, so distinct counts give distinct ids.
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    let text = format!("{z:016x}");
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids() {
        assert!(is_safe_id(b"3f2a-9c1d"));
        assert!(is_safe_id(b"trace:abc/1=="));
        assert!(!is_safe_id(b""));
        assert!(!is_safe_id(b"has space"));
        assert!(!is_safe_id(b"line\nbreak"));
        assert!(!is_safe_id(&[b'a'; 129]));
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 16);
        assert!(is_safe_id(a.as_bytes()));
    }
}
