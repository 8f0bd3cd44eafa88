//! `ladder serve`: the library as a stateless HTTP JSON service.
//!
//! Every option can be given three more ways, with the same name: an
//! environment variable (`--body-limit` is `LADDER_BODY_LIMIT`; a list is
//! comma-separated), a key of the TOML file named by `--config`
//! (`body_limit = 2097152`; a list is an array; a relative path is relative
//! to the file), or its default. A flag wins over the environment, the
//! environment over the file, the file over the default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde::Deserialize;

use crate::contract::ErrorDocument;
use crate::server::{self, ServerConfig, Service, TlsFiles};
use crate::sources::{label, Sources};

use super::access_log::{AccessLayer, Shape};
use super::common::{parse_date, parse_region, Failure};
use super::Io;

/// Serve the library over HTTP: JSON in, JSON out, no state kept between
/// requests (the case system sends the alert state it stores and gets the
/// new one back).
///
/// Prints one line, `listening on http://ADDR` (or https), on standard
/// output once the socket is bound (port 0 picks a free port); logs go to
/// standard error, one access-log line a request. The ladders, calendars
/// and tokens (built-ins, --ladder-file, --holidays, --closure, --closures,
/// --tokens, --admin-tokens) are loaded at start and again on SIGHUP or
/// `POST /v1/admin/reload`. SIGTERM or ctrl-c stops accepting connections
/// and finishes the requests in flight, for at most --shutdown-deadline.
/// The endpoints: `GET /openapi.json` (schema/openapi.json in the source).
///
/// Every option is also an environment variable (LADDER_ and its name in
/// capitals, `-` as `_`: LADDER_BODY_LIMIT; lists comma-separated) and a key
/// of the --config file (body_limit). Flags win over the environment, the
/// environment over the file, the file over the defaults.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ladder serve --listen 127.0.0.1:8080 --closures /etc/escalation-ladder/closures.txt
  LADDER_TOKENS=/etc/escalation-ladder/tokens ladder serve --listen 0.0.0.0:8080
  ladder serve --config /etc/escalation-ladder/serve.toml
  curl -s localhost:8080/v1/ladders/iro-dispute-resolution/timeline?raised=2026-12-21")]
pub(crate) struct ServeArgs {
    /// A TOML file of options (keys as the options' names, `-` as `_`)
    #[arg(long, env = "LADDER_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The address to listen on [default: 127.0.0.1:8080]. Without --tokens,
    /// a loopback address only, unless --allow-unauthenticated
    #[arg(long, env = "LADDER_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,

    /// A council's own ladder (TOML, or JSON if named .json); one with a
    /// built-in's id replaces it. Repeatable; read again on a reload
    #[arg(
        long = "ladder-file",
        env = "LADDER_LADDER_FILE",
        value_name = "FILE",
        value_delimiter = ','
    )]
    pub ladder_file: Vec<PathBuf>,

    /// Extra bank holidays: GOV.UK's bank-holidays JSON if FILE ends in
    /// .json, else one `YYYY-MM-DD name` per line. Repeatable; read again on
    /// a reload
    #[arg(
        long,
        env = "LADDER_HOLIDAYS",
        value_name = "FILE",
        value_delimiter = ','
    )]
    pub holidays: Vec<PathBuf>,

    /// A weekday on which the service is closed, YYYY-MM-DD. Repeatable
    #[arg(long, env = "LADDER_CLOSURE", value_name = "DATE", value_parser = parse_date, value_delimiter = ',')]
    pub closure: Vec<NaiveDate>,

    /// A closures file: one `YYYY-MM-DD reason` per line. Repeatable; read
    /// again on a reload
    #[arg(
        long,
        env = "LADDER_CLOSURES",
        value_name = "FILE",
        value_delimiter = ','
    )]
    pub closures: Vec<PathBuf>,

    /// The division every procedure and working-day question counts in, unless
    /// a request names one [default: each procedure its own, england-and-wales
    /// for working-day questions]
    #[arg(long, env = "LADDER_REGION", value_name = "REGION", value_parser = parse_region)]
    pub region: Option<crate::Region>,

    /// The largest request body, in bytes, but the report's and ics's
    /// [default: 2097152]
    #[arg(long, env = "LADDER_BODY_LIMIT", value_name = "BYTES")]
    pub body_limit: Option<usize>,

    /// The largest cases file the report and ics endpoints take, in bytes
    /// [default: 268435456]
    #[arg(long, env = "LADDER_BULK_BODY_LIMIT", value_name = "BYTES")]
    pub bulk_body_limit: Option<usize>,

    /// Seconds a request may take before it is answered 503 http.timeout
    /// [default: 60]
    #[arg(long, env = "LADDER_TIMEOUT", value_name = "SECONDS")]
    pub timeout: Option<f64>,

    /// Seconds a client may take to send a request's head (and a kept-alive
    /// connection may stay idle) [default: 10]
    #[arg(long, env = "LADDER_HEADER_TIMEOUT", value_name = "SECONDS")]
    pub header_timeout: Option<f64>,

    /// Seconds a client may take to send a request's body [default: 30]
    #[arg(long, env = "LADDER_BODY_TIMEOUT", value_name = "SECONDS")]
    pub body_timeout: Option<f64>,

    /// Seconds the requests in flight may take to finish after SIGTERM
    /// before the process exits anyway [default: 30]
    #[arg(long, env = "LADDER_SHUTDOWN_DEADLINE", value_name = "SECONDS")]
    pub shutdown_deadline: Option<f64>,

    /// The most operations run at once; a request takes its turn once its
    /// body has arrived [default: 1024]
    #[arg(long, env = "LADDER_CONCURRENCY", value_name = "N")]
    pub concurrency: Option<usize>,

    /// Worker threads [default: one per core]
    #[arg(long, env = "LADDER_THREADS", value_name = "N")]
    pub threads: Option<usize>,

    /// Bearer tokens of the API, one a line (at least 16 characters each);
    /// read again on a reload [default: none, no authentication]
    #[arg(long, env = "LADDER_TOKENS", value_name = "FILE")]
    pub tokens: Option<PathBuf>,

    /// Bearer tokens of /v1/admin/* (and the rest of the API), one a line
    #[arg(long, env = "LADDER_ADMIN_TOKENS", value_name = "FILE")]
    pub admin_tokens: Option<PathBuf>,

    /// Listen on an address other than loopback without tokens
    #[arg(long, env = "LADDER_ALLOW_UNAUTHENTICATED", value_name = "BOOL",
          num_args = 0..=1, default_missing_value = "true")]
    pub allow_unauthenticated: Option<bool>,

    /// The TLS certificate chain (PEM): serve HTTPS
    #[arg(
        long,
        env = "LADDER_TLS_CERT",
        value_name = "FILE",
        requires = "tls_key"
    )]
    pub tls_cert: Option<PathBuf>,

    /// The TLS private key (PEM)
    #[arg(
        long,
        env = "LADDER_TLS_KEY",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    pub tls_key: Option<PathBuf>,

    /// Log level on standard error: error, warn, info, debug or trace
    /// [default: info; access-log lines are info]
    #[arg(long, env = "LADDER_LOG_LEVEL", value_name = "LEVEL")]
    pub log_level: Option<tracing::Level>,

    /// Log lines as text or as JSON objects (one a line) [default: text]
    #[arg(long, env = "LADDER_LOG_FORMAT", value_name = "FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,

    /// One log line a request (method, route, status, duration, request id)
    /// [default: true]
    #[arg(long, env = "LADDER_ACCESS_LOG", value_name = "BOOL",
          num_args = 0..=1, default_missing_value = "true")]
    pub access_log: Option<bool>,

    /// Print the OpenAPI document and exit
    #[arg(long)]
    pub print_openapi: bool,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LogFormat {
    /// `2026-12-21T09:00:00Z  INFO access: method="POST" route=…`.
    Text,
    /// `{"timestamp":…,"level":"INFO","fields":{…},"target":"access"}`.
    Json,
}

/// The --config file: every option but --config and --print-openapi.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    listen: Option<SocketAddr>,
    ladder_file: Option<Vec<PathBuf>>,
    holidays: Option<Vec<PathBuf>>,
    closure: Option<Vec<String>>,
    closures: Option<Vec<PathBuf>>,
    region: Option<String>,
    body_limit: Option<usize>,
    bulk_body_limit: Option<usize>,
    timeout: Option<f64>,
    header_timeout: Option<f64>,
    body_timeout: Option<f64>,
    shutdown_deadline: Option<f64>,
    concurrency: Option<usize>,
    threads: Option<usize>,
    tokens: Option<PathBuf>,
    admin_tokens: Option<PathBuf>,
    allow_unauthenticated: Option<bool>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    log_level: Option<String>,
    log_format: Option<LogFormat>,
    access_log: Option<bool>,
}

impl ConfigFile {
    /// Reads the file; its relative paths are made relative to its folder.
    fn read(path: &Path) -> Result<ConfigFile, Failure> {
        let name = label(path);
        let text = std::fs::read_to_string(path)
            .map_err(|e| failed(format!("cannot read the config file '{name}': {e}")))?;
        let mut file: ConfigFile = toml::from_str(&text).map_err(|e| {
            failed(format!(
                "config file '{name}': {}",
                one_line(&e.to_string())
            ))
        })?;
        let folder = path.parent().unwrap_or(Path::new(""));
        let near = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = folder.join(&*p);
            }
        };
        for list in [
            &mut file.ladder_file,
            &mut file.holidays,
            &mut file.closures,
        ]
        .into_iter()
        .flatten()
        {
            list.iter_mut().for_each(near);
        }
        for one in [
            &mut file.tokens,
            &mut file.admin_tokens,
            &mut file.tls_cert,
            &mut file.tls_key,
        ]
        .into_iter()
        .flatten()
        {
            near(one);
        }
        Ok(file)
    }
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A failure of the service itself (cannot listen, cannot start).
fn failed(message: String) -> Failure {
    Failure::from(ErrorDocument::new(
        "cli.serve",
        message,
        serde_json::Map::new(),
    ))
}

/// The options after the flags, the environment, the file and the defaults.
struct Settings {
    listen: SocketAddr,
    config: ServerConfig,
    allow_unauthenticated: bool,
    threads: Option<usize>,
    log_level: tracing::Level,
    log_format: LogFormat,
    access_log: bool,
}

/// A number of seconds above 0.
fn seconds(name: &str, value: f64) -> Result<Duration, Failure> {
    if value.is_finite() && value > 0.0 && value < 1e9 {
        return Ok(Duration::from_secs_f64(value));
    }
    Err(failed(format!(
        "--{name}: expected a number of seconds above 0, found {value}"
    )))
}

/// A list: the flag's or the environment's (clap gives whichever is set),
/// else the file's.
fn list<T>(given: Vec<T>, file: Option<Vec<T>>) -> Vec<T> {
    if given.is_empty() {
        file.unwrap_or_default()
    } else {
        given
    }
}

impl ServeArgs {
    /// Every option from the flag, the environment (clap reads both), the
    /// --config file or the default, in that order.
    fn settings(self) -> Result<Settings, Failure> {
        let file = match &self.config {
            Some(path) => ConfigFile::read(path)?,
            None => ConfigFile::default(),
        };
        let defaults = ServerConfig::default();
        let closure = match file.closure {
            Some(days) if self.closure.is_empty() => days
                .iter()
                .map(|d| {
                    parse_date(d)
                        .map_err(|e| failed(format!("config file: closure: {e}, found '{d}'")))
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => self.closure,
        };
        let region = match (self.region, file.region) {
            (Some(region), _) => Some(region),
            (None, Some(name)) => {
                Some(parse_region(&name).map_err(|e| failed(format!("config file: region: {e}")))?)
            }
            (None, None) => None,
        };
        let log_level = match (self.log_level, file.log_level) {
            (Some(level), _) => level,
            (None, Some(name)) => name
                .parse()
                .map_err(|_| failed(format!("config file: log_level: expected error, warn, info, debug or trace, found '{name}'")))?,
            (None, None) => tracing::Level::INFO,
        };
        let tls = match (
            self.tls_cert.or(file.tls_cert),
            self.tls_key.or(file.tls_key),
        ) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            _ => return Err(failed("--tls-cert and --tls-key go together".into())),
        };
        let secs =
            |name: &str, given: Option<f64>, file: Option<f64>, default: Duration| match given
                .or(file)
            {
                Some(value) => seconds(name, value),
                None => Ok(default),
            };
        let config = ServerConfig {
            sources: Sources {
                ladder_files: list(self.ladder_file, file.ladder_file),
                holidays: list(self.holidays, file.holidays),
                closures: closure,
                closure_files: list(self.closures, file.closures),
                region,
            },
            body_limit: self
                .body_limit
                .or(file.body_limit)
                .unwrap_or(defaults.body_limit),
            bulk_body_limit: self
                .bulk_body_limit
                .or(file.bulk_body_limit)
                .unwrap_or(defaults.bulk_body_limit),
            timeout: secs("timeout", self.timeout, file.timeout, defaults.timeout)?,
            header_timeout: secs(
                "header-timeout",
                self.header_timeout,
                file.header_timeout,
                defaults.header_timeout,
            )?,
            body_timeout: secs(
                "body-timeout",
                self.body_timeout,
                file.body_timeout,
                defaults.body_timeout,
            )?,
            shutdown_deadline: secs(
                "shutdown-deadline",
                self.shutdown_deadline,
                file.shutdown_deadline,
                defaults.shutdown_deadline,
            )?,
            concurrency: self
                .concurrency
                .or(file.concurrency)
                .unwrap_or(defaults.concurrency),
            tokens: self.tokens.or(file.tokens),
            admin_tokens: self.admin_tokens.or(file.admin_tokens),
            tls,
        };
        Ok(Settings {
            listen: self
                .listen
                .or(file.listen)
                .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080))),
            config,
            allow_unauthenticated: self
                .allow_unauthenticated
                .or(file.allow_unauthenticated)
                .unwrap_or(false),
            threads: self.threads.or(file.threads),
            log_level,
            log_format: self
                .log_format
                .or(file.log_format)
                .unwrap_or(LogFormat::Text),
            access_log: self.access_log.or(file.access_log).unwrap_or(true),
        })
    }
}

/// Log lines gathered in memory and written to standard error by a thread
/// of its own every few milliseconds: a request neither waits on the
/// terminal or the journal nor wakes a thread for its access-log line (a
/// wake a line cost the service a third of its throughput on 2 cores,
/// docs/performance.md). Past [`GATHER_LIMIT`] bytes waiting, a request
/// waits for the writer: lines are never dropped.
#[derive(Clone)]
struct Gathered(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

/// How many bytes of log lines may wait for the writer.
const GATHER_LIMIT: usize = 8 << 20;
/// How often the writer writes what has gathered.
const GATHER_EVERY: std::time::Duration = std::time::Duration::from_millis(10);

impl std::io::Write for Gathered {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        loop {
            {
                let mut waiting = self.0.lock().unwrap_or_else(|e| e.into_inner());
                if waiting.len() + bytes.len() <= GATHER_LIMIT || waiting.is_empty() {
                    waiting.extend_from_slice(bytes);
                    return Ok(bytes.len());
                }
            }
            std::thread::sleep(GATHER_EVERY);
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Gathered {
    /// Writes what has gathered; whether there was any.
    fn write_out(&self) -> bool {
        use std::io::Write;
        let lines = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        if lines.is_empty() {
            return false;
        }
        let mut stderr = std::io::stderr().lock();
        // Standard error gone: nothing else to write the lines to.
        let _ = stderr.write_all(&lines).and_then(|()| stderr.flush());
        true
    }
}

/// Stops the log writer and writes what is left, when dropped.
struct LogGuard {
    lines: Gathered,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Release);
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
        self.lines.write_out();
    }
}

/// Logs to standard error through [`Gathered`]; the guard writes the last
/// lines when dropped.
fn start_logging(settings: &Settings) -> Option<LogGuard> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;

    let lines = Gathered(Default::default());
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let writer = {
        let (lines, stop) = (lines.clone(), stop.clone());
        let spawned = std::thread::Builder::new()
            .name("ladder-log".into())
            .spawn(move || {
                while !stop.load(Ordering::Acquire) {
                    lines.write_out();
                    std::thread::sleep(GATHER_EVERY);
                }
            });
        match spawned {
            Ok(writer) => Some(writer),
            // No writer: no logs, rather than requests waiting on a full buffer.
            Err(e) => {
                eprintln!("ladder serve: no logs: the log writer did not start: {e}");
                return None;
            }
        }
    };
    let level = LevelFilter::from_level(settings.log_level);
    let access = if settings.access_log {
        level
    } else {
        LevelFilter::OFF
    };
    // Everything but the access log through tracing-subscriber's formatter;
    // the access log, one line a request, through a layer of its own.
    let filter = Targets::new()
        .with_default(level)
        .with_target("access", LevelFilter::OFF);
    let shape = match settings.log_format {
        LogFormat::Text => Shape::Text,
        LogFormat::Json => Shape::Json,
    };
    let make = {
        let lines = lines.clone();
        move || lines.clone()
    };
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(make)
        .with_ansi(false);
    let installed = match settings.log_format {
        LogFormat::Text => tracing_subscriber::registry()
            .with(fmt.with_filter(filter))
            .with(access_layer(lines.clone(), shape, access))
            .try_init(),
        LogFormat::Json => tracing_subscriber::registry()
            .with(fmt.json().flatten_event(true).with_filter(filter))
            .with(access_layer(lines.clone(), shape, access))
            .try_init(),
    };
    installed.ok().map(|()| LogGuard {
        lines,
        stop,
        writer,
    })
}

/// The access log's layer, on its own target and level.
fn access_layer<S>(
    out: Gathered,
    shape: Shape,
    level: tracing_subscriber::filter::LevelFilter,
) -> impl tracing_subscriber::Layer<S>
where
    S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
{
    use tracing_subscriber::Layer as _;
    AccessLayer { out, shape }
        .with_filter(tracing_subscriber::filter::Targets::new().with_target("access", level))
}

/// Whether the address is a loopback one.
fn loopback(address: &SocketAddr) -> bool {
    address.ip().is_loopback()
}

pub(crate) fn run(args: ServeArgs, io: &mut Io<'_>) -> Result<(), Failure> {
    let out = &mut *io.stdout;
    if args.print_openapi {
        serde_json::to_writer_pretty(&mut *out, &server::openapi())
            .map_err(|e| Failure::Output(e.into()))?;
        writeln!(out)?;
        return Ok(());
    }
    let settings = args.settings()?;
    let authenticated = settings.config.tokens.is_some() || settings.config.admin_tokens.is_some();
    if !authenticated && !loopback(&settings.listen) && !settings.allow_unauthenticated {
        return Err(failed(format!(
            "refusing to listen on {} without tokens: give --tokens FILE, listen on loopback \
             (127.0.0.1), or say --allow-unauthenticated",
            settings.listen
        )));
    }
    let _flush_logs_at_exit = start_logging(&settings);
    let service = Service::new(settings.config.clone())?;
    if let Some(files) = &settings.config.tls {
        // Refused here, before the socket is bound, rather than in the loop.
        server::check_tls(files)?;
    }
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(threads) = settings.threads {
        runtime.worker_threads(threads.max(1));
    }
    let runtime = runtime
        .enable_all()
        .build()
        .map_err(|e| failed(format!("cannot start the runtime: {e}")))?;
    let listen = settings.listen;
    let scheme = if settings.config.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| failed(format!("cannot listen on {listen}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| failed(format!("cannot read the bound address: {e}")))?;
        writeln!(out, "listening on {scheme}://{bound}")?;
        out.flush()?;
        tracing::info!(%bound, scheme, "listening");
        if authenticated {
            tracing::info!("authentication on: bearer tokens from --tokens / --admin-tokens");
        } else {
            tracing::warn!(
                "authentication off (no --tokens): anyone who can reach {bound} may call every endpoint, /v1/admin/reload included"
            );
        }
        tokio::spawn(server::reload_on_sighup(service.clone()));
        server::serve(listener, &service, server::shutdown_signal())
            .await
            .map_err(|e| failed(format!("the server failed: {e}")))?;
        tracing::info!("stopped");
        Ok(())
    });
    // Past the shutdown deadline, nothing waits for a request still running.
    runtime.shutdown_background();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every option of `serve` is an environment variable and a key of the
    /// config file, with the same name.
    #[test]
    fn every_option_has_its_variable_and_its_key() {
        let command = super::super::Cli::command();
        let serve = command.find_subcommand("serve").unwrap();
        let mut checked = 0;
        for arg in serve.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if ["help", "print-openapi", "error-format"].contains(&long) {
                continue;
            }
            let key = long.replace('-', "_");
            let env = format!("LADDER_{}", key.to_uppercase());
            assert_eq!(
                arg.get_env().and_then(|e| e.to_str()),
                Some(env.as_str()),
                "--{long}"
            );
            if long == "config" {
                continue;
            }
            let err = toml::from_str::<ConfigFile>(&format!("{key} = {{}}"))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(!err.contains("unknown field"), "--{long}: {err}");
            checked += 1;
        }
        assert!(checked >= 20, "{checked}");
    }
}
