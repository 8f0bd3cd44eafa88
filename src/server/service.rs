//! The service's state: what it loaded (the registry, its generation) and
//! how a reload swaps it, whole.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde::Serialize;

use crate::contract::ErrorDocument;
use crate::ops::Registry;
use crate::sources::Sources;

/// What the service loads and how much it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The ladder files, holidays files, closures and fixed division to load
    /// (again on a reload).
    pub sources: Sources,
    /// The largest request body accepted, in bytes, except by the report and
    /// iCalendar endpoints. Default: 2 MiB.
    pub body_limit: usize,
    /// The largest cases file the report and iCalendar endpoints accept, in
    /// bytes. Default: 256 MiB.
    pub bulk_body_limit: usize,
    /// The longest a request may take before it is answered 503
    /// `http.timeout`. Default: 60 s.
    pub timeout: Duration,
    /// The most requests handled at once; more wait their turn. Default: 1024.
    pub concurrency: usize,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            sources: Sources::default(),
            body_limit: 2 << 20,
            bulk_body_limit: 256 << 20,
            timeout: Duration::from_secs(60),
            concurrency: 1024,
        }
    }
}

/// The procedures and calendars the service answers with, loaded whole.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// What every operation answers with.
    pub registry: Registry,
    /// 1 for the set loaded at start, one more for each reload.
    pub generation: u64,
}

impl Loaded {
    fn load(sources: &Sources, generation: u64) -> Result<(Loaded, Vec<String>), ErrorDocument> {
        let (registry, warnings) = sources.registry()?;
        Ok((
            Loaded {
                registry,
                generation,
            },
            warnings,
        ))
    }
}

/// What a (re)load loaded: `POST /v1/admin/reload`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

impl Service {
    /// Loads the sources and makes the service.
    ///
    /// # Errors
    ///
    /// A ladder or holidays file that cannot be read or is refused.
    pub fn new(config: ServerConfig) -> Result<Service, ErrorDocument> {
        let (loaded, warnings) = Loaded::load(&config.sources, 1)?;
        for warning in &warnings {
            tracing::warn!("{warning}");
        }
        Ok(Service {
            shared: Arc::new(Shared {
                config,
                loaded: RwLock::new(Arc::new(loaded)),
                reloading: Mutex::new(()),
                generation: AtomicU64::new(1),
            }),
        })
    }

    /// The configuration the service was made with.
    pub fn config(&self) -> &ServerConfig {
        &self.shared.config
    }

    /// Loads the sources again (reads files: call it off the async threads, as
    /// the reload endpoint does) and swaps the new set in whole; requests
    /// already running finish with the set they started with. On an error the
    /// service keeps the set it had.
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
        let (loaded, warnings) = Loaded::load(&self.shared.config.sources, generation)?;
        let procedures = loaded.registry.procedures().len();
        *self
            .shared
            .loaded
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(loaded);
        self.shared.generation.store(generation, Ordering::SeqCst);
        for warning in &warnings {
            tracing::warn!("{warning}");
        }
        tracing::info!(generation, procedures, "reloaded the ladders and calendars");
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
}
