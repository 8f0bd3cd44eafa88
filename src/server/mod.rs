//! The library as a stateless HTTP JSON service (feature `server`): what
//! `ladder serve` runs, and what a council can embed in its own tokio app.
//!
//! Stateless like the library: the case system sends the alert state it
//! stores and gets the new state back. The service keeps only the ladders and
//! calendars loaded at start (the built-ins, a council's ladder files, extra
//! bank holidays and closures: [`Sources`]), and loads them again on
//! [`Service::reload`] (`POST /v1/admin/reload`, or SIGHUP under `ladder
//! serve`) without dropping a request: each request takes the set loaded when
//! it started, and a reload swaps in a new set whole.
//!
//! Every endpoint is in one route table ([`openapi`] is generated from it and
//! served at `GET /openapi.json`); every error is an
//! [`ErrorDocument`](crate::contract::ErrorDocument) with its HTTP status
//! (400 bad input, 401 and 403 tokens, 404 unknown ladder or path, 408 a
//! client too slow, 409 version conflict, 413 body too large, 415 a body of
//! another type, 422 refused event, 500 a panic, 503 timeout;
//! docs/errors.md).
//!
//! [`serve`] is the service's own accept loop: a time limit on each
//! request's head and body, permits taken only once a body has arrived,
//! optional TLS, and a graceful shutdown with a deadline. Optional bearer
//! tokens ([`ServerConfig::tokens`]), one access-log line a request with its
//! `X-Request-Id`, and Prometheus metrics at `GET /metrics`.
//!
//! # Example
//!
//! Embedding the service in an application's own router:
//!
//! ```no_run
//! use escalation_ladder::server::{ServerConfig, Service};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let service = Service::new(ServerConfig::default())?;
//! let app = axum::Router::new().nest("/ladder", service.router());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! // or, with the service's own time limits, TLS and shutdown deadline:
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8081").await?;
//! escalation_ladder::server::serve(listener, &service, async {}).await?;
//! # Ok(())
//! # }
//! ```

mod app;
mod auth;
mod error;
mod gate;
mod generators;
mod handlers;
mod listen;
mod metrics;
mod observe;
mod openapi;
mod routes;
mod service;

pub use app::{reload_on_sighup, router, shutdown_signal};
pub use error::{ApiError, HttpError};
pub use listen::{check_tls, serve};
pub use openapi::openapi;
pub use service::{LoadSummary, ServerConfig, Service, TlsFiles};
