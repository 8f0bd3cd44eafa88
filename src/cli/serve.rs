//! `ladder serve`: the library as a stateless HTTP JSON service.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::contract::ErrorDocument;
use crate::server::{self, ServerConfig, Service};

use super::common::{parse_region, AdjustArgs, Failure};
use super::Io;

/// Serve the library over HTTP: JSON in, JSON out, no state kept between
/// requests (the case system sends the alert state it stores and gets the
/// new one back).
///
/// Prints one line, `listening on http://ADDR`, on standard output once the
/// socket is bound (port 0 picks a free port); logs go to standard error.
/// The ladders and calendars (built-ins, --ladder-file, --holidays,
/// --closure) are loaded at start and again on SIGHUP or `POST
/// /v1/admin/reload`. SIGTERM or ctrl-c stops accepting connections and
/// finishes the requests in flight. The endpoints: `GET /openapi.json`
/// (schema/openapi.json in the source).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ladder serve --listen 127.0.0.1:8080 --closure 2026-12-29
  curl -s localhost:8080/v1/ladders/iro-dispute-resolution/timeline?raised=2026-12-21")]
pub(crate) struct ServeArgs {
    /// The address to listen on (loopback unless told otherwise)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// A council's own ladder (TOML, or JSON if named .json); one with a
    /// built-in's id replaces it. Repeatable; read again on a reload
    #[arg(long = "ladder-file", value_name = "FILE")]
    pub ladder_files: Vec<PathBuf>,

    #[command(flatten)]
    pub adjust: AdjustArgs,

    /// The division every procedure and working-day question counts in, unless
    /// a request names one [default: each procedure its own, england-and-wales
    /// for working-day questions]
    #[arg(long, value_name = "REGION", value_parser = parse_region)]
    pub region: Option<crate::Region>,

    /// The largest request body, in bytes (not the report and ics endpoints)
    #[arg(long, value_name = "BYTES", default_value_t = 2 << 20)]
    pub body_limit: usize,

    /// The largest cases file the report and ics endpoints take, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 256 << 20)]
    pub bulk_body_limit: usize,

    /// Seconds a request may take before it is answered 503 http.timeout
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,

    /// The most requests handled at once (more wait their turn)
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub concurrency: usize,

    /// Worker threads [default: one per core]
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Log level on standard error: error, warn, info, debug or trace
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    pub log_level: tracing::Level,

    /// Print the OpenAPI document and exit
    #[arg(long)]
    pub print_openapi: bool,
}

/// A failure of the service itself (cannot listen, cannot start).
fn failed(message: String) -> Failure {
    Failure::from(ErrorDocument::new(
        "cli.serve",
        message,
        serde_json::Map::new(),
    ))
}

pub(crate) fn run(args: ServeArgs, io: &mut Io<'_>) -> Result<(), Failure> {
    let out = &mut *io.stdout;
    if args.print_openapi {
        serde_json::to_writer_pretty(&mut *out, &server::openapi())
            .map_err(|e| Failure::Output(e.into()))?;
        writeln!(out)?;
        return Ok(());
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(failed(format!(
            "--timeout: expected a number of seconds above 0, found {}",
            args.timeout
        )));
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(args.log_level)
        .with_ansi(false)
        .try_init();
    let config = ServerConfig {
        sources: args.adjust.sources(args.ladder_files.clone(), args.region),
        body_limit: args.body_limit,
        bulk_body_limit: args.bulk_body_limit,
        timeout: Duration::from_secs_f64(args.timeout),
        concurrency: args.concurrency,
    };
    let service = Service::new(config)?;
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(threads) = args.threads {
        runtime.worker_threads(threads.max(1));
    }
    let runtime = runtime
        .enable_all()
        .build()
        .map_err(|e| failed(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| failed(format!("cannot listen on {}: {e}", args.listen)))?;
        let bound = listener
            .local_addr()
            .map_err(|e| failed(format!("cannot read the bound address: {e}")))?;
        writeln!(out, "listening on http://{bound}")?;
        out.flush()?;
        tracing::info!(%bound, "listening");
        tokio::spawn(server::reload_on_sighup(service.clone()));
        server::serve(listener, &service, server::shutdown_signal())
            .await
            .map_err(|e| failed(format!("the server failed: {e}")))?;
        tracing::info!("stopped");
        Ok(())
    })
}
