//! The service's router: every endpoint of the route table with its handler
//! and its guard (tokens, body limits), behind the service's front (the
//! timeout, panics answered 500, request ids, access logs and metrics); and
//! the signals a served service answers (SIGTERM, SIGHUP).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;

use super::gate::{refusal, Gate, Routed};
use super::handlers::{self, Endpoint};
use super::observe::{Front, FrontLayer};
use super::routes::{self, Handler, Own, Route};
use super::service::{ServerConfig, Service};
use crate::contract::ErrorDocument;

impl Service {
    /// The service's router: every endpoint of the route table, with
    /// authentication, the body limits, the timeout, panics answered 500,
    /// request ids, one access-log line a request and the metrics (the
    /// service's [`Front`] before each route).
    pub fn router(&self) -> Router {
        self.routes().layer(FrontLayer(self.clone()))
    }

    /// The router before its front: [`serve`](super::serve) puts one
    /// [`Front`] before the whole router rather than one before each route.
    pub(crate) fn front(&self) -> Front<Router> {
        Front {
            service: self.clone(),
            inner: self.routes(),
        }
    }

    /// Every endpoint of the route table with its handler and its guard, the
    /// fallback and the service's state.
    fn routes(&self) -> Router {
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
            router = router.route(route.path, method_router(self, &route, gate));
        }
        router
            .fallback(handlers::not_found)
            .with_state(self.clone())
    }
}

/// The guard of a route of the service's own (health, metrics, reload):
/// [`refusal`], and the answer marked with the route's template.
async fn guard(
    State((service, gate)): State<(Service, Gate)>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match refusal(&service.loaded(), &gate, request.headers()) {
        Some(refused) => refused,
        None => next.run(request).await,
    }
    .routed(gate.path)
}

/// The method router of a route: an operation's through the one operation
/// handler (which passes its gate itself), or one of the service's own
/// behind [`guard`]. A method the route does not take passes the gate first,
/// then is answered 405.
fn method_router(service: &Service, route: &Route, gate: Gate) -> MethodRouter<Service> {
    let own = match route.handler {
        Handler::Own(Own::Healthz) => Some(axum::routing::get(handlers::healthz)),
        Handler::Own(Own::Readyz) => Some(axum::routing::get(handlers::readyz)),
        Handler::Own(Own::OpenApi) => Some(axum::routing::get(handlers::openapi_json)),
        Handler::Own(Own::Metrics) => Some(axum::routing::get(handlers::metrics)),
        Handler::Own(Own::Reload) => Some(axum::routing::post(handlers::reload)),
        Handler::Op(..) => None,
    };
    if let Some(own) = own {
        return own.layer(axum::middleware::from_fn_with_state(
            (service.clone(), gate),
            guard,
        ));
    }
    let Handler::Op(operation, source) = route.handler else {
        unreachable!("the service's own routes returned above")
    };
    let endpoint = Endpoint {
        operation,
        source,
        media: route.body.map_or(&[], |(media, _)| media),
        gate,
    };
    let filter = match route.method {
        "get" => MethodFilter::GET,
        _ => MethodFilter::POST,
    };
    let not_allowed = move |State(service): State<Service>, request: axum::extract::Request| async move {
        match refusal(&service.loaded(), &gate, request.headers()) {
            Some(refused) => refused,
            None => StatusCode::METHOD_NOT_ALLOWED.into_response(),
        }
        .routed(gate.path)
    };
    let method_router = if route.path.contains("{id}") {
        axum::routing::on(
            filter,
            move |state: State<Service>,
                  path: Result<Path<String>, PathRejection>,
                  query: RawQuery,
                  request: axum::extract::Request| {
                handlers::with_id(state, endpoint, path, query, request)
            },
        )
    } else {
        axum::routing::on(
            filter,
            move |state: State<Service>, query: RawQuery, request: axum::extract::Request| {
                handlers::without_id(state, endpoint, query, request)
            },
        )
    };
    method_router.fallback(not_allowed)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::openapi;
    use axum::body::Body;
    use axum::http::Request;
    use std::time::Duration;
    use tower::ServiceExt;

    async fn call<S>(router: S, path: &str) -> (StatusCode, serde_json::Value)
    where
        S: tower::Service<Request<Body>, Response = Response, Error = std::convert::Infallible>,
    {
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
        let router = Router::new()
            .route(
                "/boom",
                axum::routing::get(|| async {
                    panic!("boom");
                    #[allow(unreachable_code)]
                    "never"
                }),
            )
            .layer(FrontLayer(service));
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
        let router = Router::new().route(
            "/slow",
            axum::routing::get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late"
            }),
        );
        // The front before the whole router, as `serve` puts it.
        let front = Front {
            service,
            inner: router,
        };
        let (status, doc) = call(front, "/slow").await;
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
