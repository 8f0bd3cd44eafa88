//! The service's metrics, served at `GET /metrics` in the Prometheus text
//! format (OpenMetrics 1.0, which Prometheus reads): requests by route
//! template (`/v1/ladders/:id/apply`), method and status, a latency histogram by route, the requests in flight,
//! the reload generation, and the fingerprints of the ladders and calendars
//! loaded (as `_info` gauges of value 1, their fingerprints as labels).
//!
//! `prometheus-client` is the Prometheus project's own Rust client: its
//! counters and gauges are atomics, a family of them is a map behind a
//! read-write lock, and nothing is global (each [`Service`](super::Service)
//! has its own registry, so services in one process, the tests', do not
//! share counts).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry as Prometheus;

use crate::ops::Registry;

/// The route label of a request that matched no route.
pub(crate) const UNMATCHED: &str = "(unmatched)";
/// The route label of a connection closed for not sending its head in time.
pub(crate) const NO_HEAD: &str = "(no head)";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    method: &'static str,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProcedureLabels {
    procedure: String,
    fingerprint: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CalendarLabels {
    region: String,
    fingerprint: String,
}

/// A route template as a label: `{id}` written `:id`, since text-format
/// parsers that read a label's value up to the first `}` are common.
fn route_label(template: &'static str) -> &'static str {
    static LABELS: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    let labels = LABELS.get_or_init(|| {
        super::routes::routes()
            .into_iter()
            .filter(|route| route.path.contains('{'))
            // Once per process, one short text per route.
            .map(|route| {
                let label: &'static str =
                    Box::leak(route.path.replace("{id}", ":id").into_boxed_str());
                (route.path, label)
            })
            .collect()
    });
    labels.get(template).copied().unwrap_or(template)
}

/// Latency buckets, in seconds: 100 µs to about 6.5 s, each twice the last.
fn latency_histogram() -> Histogram {
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.0001, 2.0, 17,
    ))
}

/// The service's metrics and the registry that writes them.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Prometheus,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    in_flight: Gauge,
    generation: Gauge,
    ladders: Family<ProcedureLabels, Gauge>,
    calendars: Family<CalendarLabels, Gauge>,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Prometheus::with_prefix("ladder");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        let in_flight = Gauge::default();
        let generation = Gauge::default();
        let ladders = Family::<ProcedureLabels, Gauge>::default();
        let calendars = Family::<CalendarLabels, Gauge>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status",
            requests.clone(),
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time from a request's head to its answer, by route template",
            prometheus_client::registry::Unit::Seconds,
            latency.clone(),
        );
        registry.register(
            "http_requests_in_flight",
            "Requests being answered now",
            in_flight.clone(),
        );
        registry.register(
            "reload_generation",
            "The generation of the ladders and calendars loaded: 1 at start, one more a reload",
            generation.clone(),
        );
        registry.register(
            "ladder_info",
            "Each ladder loaded, with its fingerprint (value 1)",
            ladders.clone(),
        );
        registry.register(
            "calendar_info",
            "Each division's calendar loaded, with its fingerprint (value 1)",
            calendars.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            in_flight,
            generation,
            ladders,
            calendars,
        }
    }

    /// Records what a (re)load loaded.
    pub(crate) fn loaded(&self, registry: &Registry, generation: u64) {
        self.generation
            .set(i64::try_from(generation).unwrap_or(i64::MAX));
        self.ladders.clear();
        self.calendars.clear();
        let cases = registry.cases();
        for id in cases.ids() {
            if let Some((ladder, calendar)) = cases.get(id) {
                self.ladders
                    .get_or_create(&ProcedureLabels {
                        procedure: id.to_string(),
                        fingerprint: ladder.fingerprint().to_string(),
                    })
                    .set(1);
                self.calendars
                    .get_or_create(&CalendarLabels {
                        region: calendar.region().as_str().to_string(),
                        fingerprint: calendar.fingerprint().to_string(),
                    })
                    .set(1);
            }
        }
    }

    /// A request started.
    pub(crate) fn started(&self) {
        self.in_flight.inc();
    }

    /// A request started earlier finished (answered, or dropped).
    pub(crate) fn finished(&self) {
        self.in_flight.dec();
    }

    /// A request answered.
    pub(crate) fn counted(
        &self,
        route: &'static str,
        method: &'static str,
        status: u16,
        seconds: f64,
    ) {
        let route = route_label(route);
        self.requests
            .get_or_create(&RequestLabels {
                route,
                method,
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { route })
            .observe(seconds);
    }

    /// The metrics in the text format.
    pub(crate) fn encode(&self) -> String {
        let mut text = String::with_capacity(8192);
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}
