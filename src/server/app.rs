//! The service's router: every endpoint of the route table with its handler
//! and its guard (tokens, body limits), the timeout, panics answered 500,
//! request ids, access logs and metrics; and the signals a served service
//! answers (SIGTERM, SIGHUP).

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;

use super::auth::Denied;
use super::error::{ApiError, HttpError};
use super::handlers::{self, Endpoint};
use super::observe::RouteTemplate;
use super::routes::{self, Access, Handler, Own, Route};
use super::service::{ServerConfig, Service};
use crate::contract::ErrorDocument;

impl Service {
    /// The service's router: every endpoint of the route table, with
    /// authentication, the body limits, the timeout, panics answered 500,
    /// request ids, one access-log line a request and the metrics.
    pub fn router(&self) -> Router {
        let config = self.config();
        let mut router = Router::new();
        for route in routes::routes() {
            let limit = if route.bulk {
                config.bulk_body_limit
            } else {
                config.body_limit
            };
            let gate = Gate {
                path: route.path,
                access: route.access,
                limit,
            };
            router = router.route(
                route.path,
                method_router(&route, limit).layer(axum::middleware::from_fn_with_state(
                    (self.clone(), gate),
                    guard,
                )),
            );
        }
        self.layered(router)
    }

    /// `router` with the fallback, the service's state and its layers.
    fn layered(&self, router: Router<Service>) -> Router {
        use tower_http::catch_panic::CatchPanicLayer;
        use tower_http::timeout::TimeoutLayer;

        let config = self.config();
        // Outermost first. One stack in one `layer` call: axum boxes a route's
        // service at every call and each request clones every box.
        let layers = tower::ServiceBuilder::new()
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                super::observe::observe,
            ))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(axum::middleware::map_response(fill_empty_errors))
            // Between layers of one stack bodies keep their own types: the
            // timeout's body back into axum's.
            .map_response(into_axum_response)
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                config.timeout,
            ))
            .layer(axum::middleware::map_response(fill_empty_errors));
        router
            .fallback(handlers::not_found)
            .with_state(self.clone())
            .layer(layers)
    }
}

/// What a route's guard checks: who may call it and the largest body it
/// takes; and the route's template, for the access log and the metrics.
#[derive(Debug, Clone, Copy)]
struct Gate {
    path: &'static str,
    access: Access,
    limit: usize,
}

/// Every route's guard: the caller's token (401, 403), then a body declared
/// larger than the route takes (413, before any of it is read); the answer
/// is marked with the route's template.
async fn guard(
    State((service, gate)): State<(Service, Gate)>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let denied = service.loaded().tokens.check(
        gate.access,
        request
            .headers()
            .get(header::AUTHORIZATION)
            .map(HeaderValue::as_bytes),
    );
    let mut response = match denied {
        Err(denied) => refused(denied),
        Ok(()) => match declared_too_large(&request, gate.limit) {
            Some(e) => e.into_response(),
            None => next.run(request).await,
        },
    };
    response.extensions_mut().insert(RouteTemplate(gate.path));
    response
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
fn declared_too_large(request: &axum::extract::Request, limit: usize) -> Option<ApiError> {
    let length = request
        .headers()
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

/// The method router of a route: an operation's through the one operation
/// handler, or one of the service's own.
fn method_router(route: &Route, limit: usize) -> MethodRouter<Service> {
    let (operation, source) = match route.handler {
        Handler::Own(Own::Healthz) => return axum::routing::get(handlers::healthz),
        Handler::Own(Own::Readyz) => return axum::routing::get(handlers::readyz),
        Handler::Own(Own::OpenApi) => return axum::routing::get(handlers::openapi_json),
        Handler::Own(Own::Metrics) => return axum::routing::get(handlers::metrics),
        Handler::Own(Own::Reload) => return axum::routing::post(handlers::reload),
        Handler::Op(op, source) => (op, source),
    };
    let endpoint = Endpoint {
        operation,
        source,
        media: route.body.map_or(&[], |(media, _)| media),
        limit,
    };
    let filter = match route.method {
        "get" => MethodFilter::GET,
        _ => MethodFilter::POST,
    };
    if route.path.contains("{id}") {
        axum::routing::on(
            filter,
            move |state: State<Service>,
                  path: Result<Path<String>, PathRejection>,
                  query: RawQuery,
                  headers: HeaderMap,
                  body: Body| {
                handlers::with_id(state, endpoint, path, query, headers, body)
            },
        )
    } else {
        axum::routing::on(
            filter,
            move |state: State<Service>, query: RawQuery, headers: HeaderMap, body: Body| {
                handlers::without_id(state, endpoint, query, headers, body)
            },
        )
    }
}

/// A response with any body as axum's response.
fn into_axum_response<B>(response: axum::http::Response<B>) -> axum::response::Response
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    response.map(axum::body::Body::new)
}

/// The service's router for `config` (loads its sources).
///
/// # Errors
///
/// As [`Service::new`].
pub fn router(config: ServerConfig) -> Result<Router, ErrorDocument> {
    Ok(Service::new(config)?.router())
}

/// Completes on SIGTERM or ctrl-c (SIGINT), logging which.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("ctrl-c: finishing the requests in flight"),
        () = terminate => tracing::info!("SIGTERM: finishing the requests in flight"),
    }
}

/// Reloads `service` on every SIGHUP (Unix; never completes). A failed reload
/// is logged and the service keeps what it had.
pub async fn reload_on_sighup(service: Service) {
    #[cfg(unix)]
    {
        let Ok(mut hangup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        else {
            tracing::warn!("cannot listen for SIGHUP: reload with POST /v1/admin/reload");
            return std::future::pending().await;
        };
        while hangup.recv().await.is_some() {
            let service = service.clone();
            match tokio::task::spawn_blocking(move || service.reload()).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!(
                    code = e.code,
                    "SIGHUP: reload failed, keeping what was loaded: {e}"
                ),
                Err(e) => tracing::error!("SIGHUP: reload failed: {e}"),
            }
        }
    }
    std::future::pending().await
}

/// A panic while handling a request: logged, answered 500 `http.panic`.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic");
    tracing::error!("a request panicked: {what}");
    ApiError::http(
        HttpError::Panic,
        "the service failed while handling the request (logged)",
        serde_json::json!({}),
    )
    .into_response()
}

/// Gives an error document to an error response that has no body of its own
/// (axum's 405, tower-http's timeout, a 413 from the body limit).
async fn fill_empty_errors(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response
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
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => (
            HttpError::Timeout,
            "the request took longer than the service's timeout",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            HttpError::BodyTooLarge,
            "the request body is larger than this endpoint accepts",
        ),
        StatusCode::NOT_FOUND => (HttpError::NotFound, "no endpoint at this path"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            HttpError::UnsupportedMediaType,
            "the body is not of a type this endpoint reads",
        ),
        _ => return response,
    };
    let document = ErrorDocument::new(kind.code(), message.to_string(), serde_json::Map::new());
    handlers::error_response(&document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::openapi;
    use axum::body::Body;
    use axum::http::Request;
    use std::time::Duration;
    use tower::ServiceExt;

    async fn call(router: Router, path: &str) -> (StatusCode, serde_json::Value) {
        let response = router
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    /// A handler that panics is answered 500 with an error document, and the
    /// service goes on answering.
    #[tokio::test]
    async fn a_panic_is_a_500_error_document() {
        let service = Service::new(ServerConfig::default()).unwrap();
        let router = service.layered(Router::new().route(
            "/boom",
            axum::routing::get(|| async {
                panic!("boom");
                #[allow(unreachable_code)]
                "never"
            }),
        ));
        let (status, doc) = call(router.clone(), "/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(doc["code"], "http.panic");
        let (status, doc) = call(router, "/nowhere").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(doc["code"], "http.not-found");
    }

    /// A request slower than the timeout is answered 503 `http.timeout`.
    #[tokio::test]
    async fn a_slow_request_times_out() {
        let service = Service::new(ServerConfig {
            timeout: Duration::from_millis(20),
            ..ServerConfig::default()
        })
        .unwrap();
        let router = service.layered(Router::new().route(
            "/slow",
            axum::routing::get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late"
            }),
        ));
        let (status, doc) = call(router, "/slow").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(doc["code"], "http.timeout");
    }

    /// Every route of the table has its OpenAPI operation, and no two routes
    /// share a method and path.
    #[test]
    fn every_route_is_in_the_openapi_document() {
        let document = openapi();
        let mut seen = std::collections::HashSet::new();
        for route in routes::routes() {
            assert!(seen.insert((route.method, route.path)), "{}", route.path);
            let operation = &document["paths"][route.path][route.method];
            assert_eq!(operation["operationId"], route.operation_id);
        }
    }
}
