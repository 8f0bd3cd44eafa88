//! What the service says about each request: its id (`X-Request-Id`, taken
//! from the request when it is a safe one, else made), one access-log line
//! (method, route template, status, duration, request id; never a body, a
//! query or a header's value) and its metrics.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use super::metrics::{Metrics, UNMATCHED};
use super::service::Service;

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

/// The request id, the access-log line and the metrics of every request.
pub(crate) async fn observe(
    State(service): State<Service>,
    request: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .filter(|given| is_safe_id(given.as_bytes()))
        .cloned()
        .unwrap_or_else(new_id);
    let method = method_label(request.method());
    let metrics = service.metrics();
    metrics.started();
    let in_flight = InFlight(metrics);
    let mut response = next.run(request).await;
    drop(in_flight);
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
    response
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
