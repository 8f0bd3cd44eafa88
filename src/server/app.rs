//! The service's router: every endpoint of the route table with its handler,
//! the body limits, the timeout, the concurrency limit, panics answered 500,
//! request logs; and serving it with graceful shutdown and reloads on SIGHUP.

use std::future::Future;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::routing::{MethodFilter, MethodRouter};

use super::error::{ApiError, HttpError};
use super::handlers;
use super::routes::{self, Handler, Own, Route};
use super::service::{ServerConfig, Service};
use crate::contract::ErrorDocument;

impl Service {
    /// The service's router: every endpoint of the route table, with the body
    /// limits, the timeout, the concurrency limit, panics answered 500 and
    /// request logs (tracing).
    pub fn router(&self) -> Router {
        let config = self.config();
        let mut router = Router::new();
        for route in routes::routes() {
            let limit = if route.bulk {
                config.bulk_body_limit
            } else {
                config.body_limit
            };
            // One `layer` call for both: each call boxes the route's service
            // once more, and every request clones each box.
            router = router.route(
                route.path,
                method_router(&route).layer(
                    tower::ServiceBuilder::new()
                        .layer(axum::middleware::from_fn_with_state(
                            limit,
                            refuse_declared_too_large,
                        ))
                        .layer(DefaultBodyLimit::max(limit)),
                ),
            );
        }
        self.layered(router)
    }

    /// `router` with the fallback, the service's state and its layers.
    fn layered(&self, router: Router<Service>) -> Router {
        use tower_http::catch_panic::CatchPanicLayer;
        use tower_http::timeout::TimeoutLayer;
        use tower_http::trace::TraceLayer;

        let config = self.config();
        // Outermost first. One stack in one `layer` call: axum boxes a route's
        // service at every call and each request clones every box, so six
        // calls cost six allocations (and frees) a request, one call costs one.
        let layers = tower::ServiceBuilder::new()
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(axum::middleware::map_response(fill_empty_errors))
            // Between layers of one stack bodies keep their own types: the
            // trace's body back into axum's.
            .map_response(into_axum_response)
            .layer(TraceLayer::new_for_http())
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                config.concurrency.max(1),
            ))
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

/// The method router of a route: an operation's through the one operation
/// handler, or one of the service's own.
fn method_router(route: &Route) -> MethodRouter<Service> {
    let (op, source) = match route.handler {
        Handler::Own(Own::Healthz) => return axum::routing::get(handlers::healthz),
        Handler::Own(Own::Readyz) => return axum::routing::get(handlers::readyz),
        Handler::Own(Own::OpenApi) => return axum::routing::get(handlers::openapi_json),
        Handler::Own(Own::Reload) => return axum::routing::post(handlers::reload),
        Handler::Op(op, source) => (op, source),
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
                  body: Result<Bytes, BytesRejection>| {
                handlers::with_id(state, (op, source), path, query, body)
            },
        )
    } else {
        axum::routing::on(
            filter,
            move |state: State<Service>, query: RawQuery, body: Result<Bytes, BytesRejection>| {
                handlers::without_id(state, (op, source), query, body)
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

/// Serves `service` on `listener` until `shutdown` completes, then finishes
/// the requests in flight (graceful shutdown).
///
/// # Errors
///
/// The listener's I/O error.
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: &Service,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, service.router())
        .with_graceful_shutdown(shutdown)
        .await
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

/// Refuses a request whose `Content-Length` is over `limit` before reading
/// any of its body (a body without one is cut off at the limit as it is read).
async fn refuse_declared_too_large(
    axum::extract::State(limit): axum::extract::State<usize>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => ApiError::http(
            HttpError::BodyTooLarge,
            format!("the request body ({length} bytes) is larger than this endpoint accepts ({limit} bytes)"),
            serde_json::json!({"limit": limit, "length": length}),
        )
        .into_response(),
        _ => next.run(request).await,
    }
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
