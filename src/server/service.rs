//! The service's state: what it loaded (the registry, the bearer tokens, its
//! generation) and how a reload swaps it, whole; the permits that bound the
//! work in hand, and the metrics.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde::Serialize;

use super::auth::Tokens;
use super::metrics::Metrics;
use crate::contract::ErrorDocument;
use crate::ops::Registry;
use crate::sources::Sources;

/// What the service loads, how much it accepts and how long it waits.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use escalation_ladder::server::ServerConfig;
///
/// let config = ServerConfig { shutdown_deadline: Duration::from_secs(5), ..ServerConfig::default() };
/// assert_eq!(config.header_timeout, Duration::from_secs(10));
/// assert!(config.tokens.is_none()); // no authentication unless a tokens file is given
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The ladder files, holidays and closures files, closures and fixed
    /// division to load (again on a reload).
    pub sources: Sources,
    /// The largest request body accepted, in bytes, except by the report and
    /// iCalendar endpoints. Default: 2 MiB.
    pub body_limit: usize,
    /// The largest cases file the report and iCalendar endpoints accept, in
    /// bytes. Default: 256 MiB.
    pub bulk_body_limit: usize,
    /// The longest a request may take, from its head to its answer, before it
    /// is answered 503 `http.timeout`. Default: 60 s.
    pub timeout: Duration,
    /// The longest a client may take to send a request's head (and the
    /// longest a kept-alive connection may stay idle) before it is answered
    /// 408 `http.header-timeout` and closed. Default: 10 s.
    pub header_timeout: Duration,
    /// The longest a client may take to send a request's body once its head
    /// has arrived, before it is answered 408 `http.body-timeout`. Default:
    /// 30 s.
    pub body_timeout: Duration,
    /// After SIGTERM, how long the requests in flight may take to finish
    /// before the process exits anyway. Default: 30 s.
    pub shutdown_deadline: Duration,
    /// The most operations run at once. A request takes its permit only once
    /// its body has arrived (a slow client holds none), and `/healthz`,
    /// `/readyz` and `/metrics` take none. Default: 1024.
    pub concurrency: usize,
    /// The bearer tokens of the API, one a line (`None`: no authentication,
    /// which `ladder serve` allows on loopback only). Read again on a reload.
    pub tokens: Option<PathBuf>,
    /// The bearer tokens of `/v1/admin/*` (which also call the rest of the
    /// API). Without them, the admin endpoints are refused 403 whenever
    /// `tokens` is given (SIGHUP still reloads).
    pub admin_tokens: Option<PathBuf>,
    /// The certificate chain and private key (PEM) to serve HTTPS with.
    pub tls: Option<TlsFiles>,
}

/// A certificate chain and its private key, PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain, the server's own first.
    pub cert: PathBuf,
    /// The private key (PKCS #8, PKCS #1 or SEC1).
    pub key: PathBuf,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            sources: Sources::default(),
            body_limit: 2 << 20,
            bulk_body_limit: 256 << 20,
            timeout: Duration::from_secs(60),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            shutdown_deadline: Duration::from_secs(30),
            concurrency: 1024,
            tokens: None,
            admin_tokens: None,
            tls: None,
        }
    }
}

/// The procedures, calendars and tokens the service answers with, loaded
/// whole.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// What every operation answers with.
    pub registry: Registry,
    /// Who may call what.
    pub tokens: Tokens,
    /// 1 for the set loaded at start, one more for each reload.
    pub generation: u64,
}

impl Loaded {
    fn load(
        config: &ServerConfig,
        generation: u64,
    ) -> Result<(Loaded, Vec<String>), ErrorDocument> {
        let (registry, warnings) = config.sources.registry()?;
        let tokens = Tokens::load(config.tokens.as_deref(), config.admin_tokens.as_deref())?;
        Ok((
            Loaded {
                registry,
                tokens,
                generation,
            },
            warnings,
        ))
    }
}

/// What a (re)load loaded: `POST /v1/admin/reload`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoadSummary {
    /// 1 for the set loaded at start, one more for each reload.
    pub generation: u64,
    /// How many procedures (ladders and schedules) the service now knows.
    pub procedures: usize,
    /// What loading noticed (a closure that changes nothing).
    pub warnings: Vec<String>,
}

/// The service: its configuration and the ladders and calendars loaded.
/// Cheap to clone (one shared state).
#[derive(Debug, Clone)]
pub struct Service {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    config: ServerConfig,
    /// Swapped whole by a reload; a request clones the `Arc` and keeps the set
    /// it started with.
    loaded: RwLock<Arc<Loaded>>,
    /// One reload at a time.
    reloading: Mutex<()>,
    generation: AtomicU64,
    /// The operations running at once.
    permits: Arc<tokio::sync::Semaphore>,
    metrics: Metrics,
}

impl Service {
    /// Loads the sources and the tokens, and makes the service.
    ///
    /// # Errors
    ///
    /// A ladder, holidays, closures or tokens file that cannot be read or is
    /// refused.
    pub fn new(config: ServerConfig) -> Result<Service, ErrorDocument> {
        let (loaded, warnings) = Loaded::load(&config, 1)?;
        for warning in &warnings {
            tracing::warn!("{warning}");
        }
        let metrics = Metrics::new();
        metrics.loaded(&loaded.registry, 1);
        let permits = Arc::new(tokio::sync::Semaphore::new(
            config
                .concurrency
                .clamp(1, tokio::sync::Semaphore::MAX_PERMITS),
        ));
        Ok(Service {
            shared: Arc::new(Shared {
                config,
                loaded: RwLock::new(Arc::new(loaded)),
                reloading: Mutex::new(()),
                generation: AtomicU64::new(1),
                permits,
                metrics,
            }),
        })
    }

    /// The configuration the service was made with.
    pub fn config(&self) -> &ServerConfig {
        &self.shared.config
    }

    /// Loads the sources and the tokens again (reads files: call it off the
    /// async threads, as the reload endpoint does) and swaps the new set in
    /// whole; requests already running finish with the set they started
    /// with. On an error the service keeps the set it had.
    ///
    /// # Errors
    ///
    /// As [`Service::new`].
    pub fn reload(&self) -> Result<LoadSummary, ErrorDocument> {
        let _one_at_a_time = self
            .shared
            .reloading
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let generation = self.shared.generation.load(Ordering::SeqCst) + 1;
        let (loaded, warnings) = Loaded::load(&self.shared.config, generation)?;
        let procedures = loaded.registry.procedures().len();
        self.shared.metrics.loaded(&loaded.registry, generation);
        *self
            .shared
            .loaded
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(loaded);
        self.shared.generation.store(generation, Ordering::SeqCst);
        for warning in &warnings {
            tracing::warn!("{warning}");
        }
        tracing::info!(
            generation,
            procedures,
            "reloaded the ladders, calendars and tokens"
        );
        Ok(LoadSummary {
            generation,
            procedures,
            warnings,
        })
    }

    /// The set loaded now.
    pub(crate) fn loaded(&self) -> Arc<Loaded> {
        Arc::clone(&self.shared.loaded.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The permits of the operations running at once.
    pub(crate) fn permits(&self) -> &Arc<tokio::sync::Semaphore> {
        &self.shared.permits
    }

    /// The service's metrics.
    pub(crate) fn metrics(&self) -> &Metrics {
        &self.shared.metrics
    }
}
