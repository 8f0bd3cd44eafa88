//! The `ladder` command line (feature `cli`): an adapter over the
//! [operations](crate::ops).
//!
//! Each subcommand reads its options into an operation's request, calls the
//! operation with the [`Registry`] the options make (built-in procedures, a
//! `--file` or `--ladder-file`, `--holidays`, `--closure`, `--region`), and
//! prints the answer: the operation's JSON as it is with `--json` (one line),
//! or text for people. It checks and defaults nothing of its own.
//!
//! # Errors and exit status
//!
//! A failure is the operation's error document: one line on standard error,
//! `ladder: MESSAGE` for people, or the document itself as JSON with
//! `--error-format json` (the default when the output is JSON). The exit
//! status is the document's [`ErrorClass`](crate::contract::ErrorClass)'s:
//! 1 for input that cannot be used, 3 for a version conflict, 4 for a refused
//! event (or a state to recompute first, a refused procedure file), 5 for a
//! bug; 2 stays bad usage (an unknown option, a malformed date argument).
//!
//! [`run`] takes the arguments and the standard streams as values, so a test
//! (the parity test among them) runs the command line in process.

#[cfg(feature = "server")]
mod access_log;
mod alert;
mod alerts;
mod cases;
mod common;
mod procedures;
#[cfg(feature = "server")]
mod serve;

use std::ffi::OsString;
use std::io::{self, BufRead, IsTerminal, Write};

use clap::builder::styling::Styles;
use clap::error::{ContextValue, ErrorKind};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::escape::{escape, needs_escaping, Escaped};
use crate::ops::Registry;
use crate::sources::Sources;

use common::Failure;

const EXIT_STATUS: &str = "\
Exit status: 0 on success (also when the reader closes the output early, as
`| head -1` does); 1 for input that cannot be used (a date out of range, a bad
line, an unreadable file, an unknown ladder); 3 for a version conflict
(--expect-version); 4 for a refused event, a state to recompute first or a
refused procedure file; 2 for bad usage (an unknown option or region, a
malformed date or count argument, a missing or extra argument). Errors are one
line on standard error: 'ladder: MESSAGE', or the JSON error document with
--error-format json (the default when --json or --format json is given).";

/// UK working days and bank holidays (1978 to 2199), and the escalation ladders
/// that count deadlines in them.
#[derive(Debug, Parser)]
#[command(name = "ladder", version, after_help = EXIT_STATUS, arg_required_else_help = false)]
pub(crate) struct Cli {
    /// How errors are printed on standard error [default: json when the output
    /// is JSON, else text]
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    error_format: Option<ErrorFormat>,

    #[command(subcommand)]
    command: Command,
}

/// How an error is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ErrorFormat {
    /// `ladder: MESSAGE`.
    Text,
    /// The error document, one line of JSON.
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    Holidays(procedures::HolidaysArgs),
    AddWorkingDays(procedures::AddArgs),
    CountWorkingDays(procedures::CountArgs),
    Explain(procedures::ExplainArgs),
    Ladders(procedures::LaddersArgs),
    Show(procedures::ShowArgs),
    Validate(procedures::ValidateArgs),
    Timeline(procedures::TimelineArgs),
    Run(alert::RunArgs),
    Apply(alert::ApplyArgs),
    Advance(alert::AdvanceArgs),
    Status(alert::StatusArgs),
    Recompute(alert::RecomputeArgs),
    Correct(alert::CorrectArgs),
    Report(cases::ReportArgs),
    Ics(cases::IcsArgs),
    #[cfg(feature = "server")]
    Serve(serve::ServeArgs),
    #[cfg(not(feature = "server"))]
    Serve(NoServe),
}

/// Serve the library over HTTP: not in this build. Build `ladder` with the
/// `server` feature: cargo run --release --features server --bin ladder --
/// serve --listen 127.0.0.1:8080
#[cfg(not(feature = "server"))]
#[derive(Debug, clap::Args)]
struct NoServe {
    /// Anything given to `serve` (ignored: this build cannot serve)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    args: Vec<OsString>,
}

/// The standard streams a run uses, and whether standard error is a terminal
/// (progress lines are shown only there).
pub struct Io<'a> {
    /// Standard input.
    pub stdin: &'a mut dyn BufRead,
    /// Standard output.
    pub stdout: &'a mut dyn Write,
    /// Standard error.
    pub stderr: &'a mut dyn Write,
    /// Whether standard error is a terminal.
    pub stderr_is_terminal: bool,
}

impl Command {
    /// The sources the command's registry is made from.
    fn sources(&self) -> Sources {
        match self {
            Command::Holidays(_) | Command::Ladders(_) | Command::Validate(_) => Sources::default(),
            Command::AddWorkingDays(a) => a.adjust.sources(Vec::new(), None),
            Command::CountWorkingDays(a) => a.adjust.sources(Vec::new(), None),
            Command::Explain(a) => a.adjust.sources(Vec::new(), None),
            Command::Show(a) => Sources {
                ladder_files: a.procedure.files(),
                ..Sources::default()
            },
            Command::Timeline(a) => a.calendar.sources(&a.procedure),
            Command::Run(a) => a.calendar.sources(&a.procedure),
            Command::Apply(a) => a.calendar.sources(&a.procedure),
            Command::Advance(a) => {
                let mut sources = a.calendar.sources(&a.procedure.procedure());
                sources.ladder_files.extend(a.ladder_files.iter().cloned());
                sources
            }
            Command::Status(a) => a.calendar.sources(&a.procedure),
            Command::Recompute(a) => {
                let mut sources = a.calendar.sources(&a.procedure.procedure());
                sources.ladder_files.extend(a.ladder_files.iter().cloned());
                sources
            }
            Command::Correct(a) => a.calendar.sources(&a.procedure),
            Command::Report(a) => a.adjust.sources(a.ladder_files.clone(), None),
            Command::Ics(a) => a.adjust.sources(a.ladder_files.clone(), None),
            Command::Serve(_) => Sources::default(),
        }
    }

    /// Whether the command prints JSON (so errors are JSON by default).
    fn prints_json(&self) -> bool {
        match self {
            Command::Holidays(a) => a.json,
            Command::Ladders(a) => a.json,
            Command::AddWorkingDays(a) => a.json,
            Command::CountWorkingDays(a) => a.json,
            Command::Explain(a) => a.json,
            Command::Show(a) => a.json,
            Command::Validate(a) => a.json,
            Command::Timeline(a) => a.json,
            Command::Run(a) => a.json,
            Command::Apply(a) => a.json,
            Command::Advance(a) => a.json || a.alerts.is_some(),
            Command::Status(a) => a.json,
            Command::Recompute(a) => {
                a.json || (a.alerts.is_some() && a.format.as_deref() != Some("csv"))
            }
            Command::Correct(a) => a.json,
            Command::Report(a) => a.format == cases::Format::Json,
            _ => false,
        }
    }

    fn run(self, registry: &Registry, io: &mut Io<'_>) -> Result<(), Failure> {
        match self {
            Command::Holidays(args) => procedures::holidays(args, registry, io),
            Command::AddWorkingDays(args) => procedures::add(args, registry, io),
            Command::CountWorkingDays(args) => procedures::count(args, registry, io),
            Command::Explain(args) => procedures::explain(args, registry, io),
            Command::Ladders(args) => procedures::ladders(args, registry, io),
            Command::Show(args) => procedures::show(args, registry, io),
            Command::Validate(args) => procedures::validate(args, registry, io),
            Command::Timeline(args) => procedures::timeline(args, registry, io),
            Command::Run(args) => alert::run(args, registry, io),
            Command::Apply(args) => alert::apply(args, registry, io),
            Command::Advance(args) if args.alerts.is_some() => alerts::advance(args, registry, io),
            Command::Advance(args) => alert::advance(args, registry, io),
            Command::Status(args) => alert::status(args, registry, io),
            Command::Recompute(args) if args.alerts.is_some() => {
                alerts::recompute(args, registry, io)
            }
            Command::Recompute(args) => alert::recompute(args, registry, io),
            Command::Correct(args) => alert::correct(args, registry, io),
            Command::Report(args) => cases::report(args, registry, io),
            Command::Ics(args) => cases::ics(args, registry, io),
            #[cfg(feature = "server")]
            Command::Serve(args) => serve::run(args, io),
            #[cfg(not(feature = "server"))]
            Command::Serve(_) => Err(Failure::from(crate::contract::ErrorDocument::new(
                "cli.serve",
                "this ladder was built without the HTTP service: build it with the `server` \
                 feature (cargo run --release --features server --bin ladder -- serve \
                 --listen 127.0.0.1:8080)"
                    .to_string(),
                serde_json::Map::new(),
            ))),
        }
    }
}

/// The `ladder` program: the process's arguments and standard streams.
pub fn main() -> std::process::ExitCode {
    let stdin = io::stdin();
    let mut stdin = stdin.lock();
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    // Standard error is not held locked: the service logs on it from its
    // worker threads.
    let mut stderr = io::stderr();
    let stderr_is_terminal = stderr.is_terminal();
    let code = run(
        std::env::args_os(),
        &mut Io {
            stdin: &mut stdin,
            stdout: &mut stdout,
            stderr: &mut stderr,
            stderr_is_terminal,
        },
    );
    std::process::ExitCode::from(code)
}

/// Runs `ladder` with `args` (the program's name first) on `io`: the exit
/// status.
///
/// # Example
///
/// ```
/// use escalation_ladder::cli::{run, Io};
///
/// let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
/// let code = run(["ladder", "add-working-days", "2026-12-24", "1"], &mut Io {
///     stdin: &mut &b""[..],
///     stdout: &mut stdout,
///     stderr: &mut stderr,
///     stderr_is_terminal: false,
/// });
/// assert_eq!(code, 0);
/// assert_eq!(stdout, b"2026-12-29\n");
/// ```
pub fn run<I, T>(args: I, io: &mut Io<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => return usage_error(err, io),
    };
    let registry = match cli.command.sources().registry() {
        Ok((registry, warnings)) => {
            for warning in warnings {
                let _ = writeln!(io.stderr, "ladder: warning: {}", Escaped(&warning));
            }
            registry
        }
        Err(e) => {
            let format = error_format(&cli);
            return report_failure(Failure::from(e), format, io);
        }
    };
    run_parsed(cli, &registry, io)
}

/// Runs `ladder` with `args` on a registry made already (what a test that
/// runs many commands on the same procedures does), ignoring the options that
/// would make another; the exit status.
pub fn run_with_registry<I, T>(args: I, registry: &Registry, io: &mut Io<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => run_parsed(cli, registry, io),
        Err(err) => usage_error(err, io),
    }
}

fn error_format(cli: &Cli) -> ErrorFormat {
    cli.error_format.unwrap_or(match cli.command.prints_json() {
        true => ErrorFormat::Json,
        false => ErrorFormat::Text,
    })
}

fn run_parsed(cli: Cli, registry: &Registry, io: &mut Io<'_>) -> u8 {
    let format = error_format(&cli);
    let result = cli.command.run(registry, io);
    // Flush what was computed, also before reporting a streaming error.
    let flushed = io.stdout.flush().map_err(Failure::from);
    match result.and(flushed) {
        Ok(()) => 0,
        Err(failure) => report_failure(failure, format, io),
    }
}

/// Prints a failure on standard error; its exit status.
fn report_failure(failure: Failure, format: ErrorFormat, io: &mut Io<'_>) -> u8 {
    if failure.is_broken_pipe() {
        return 0;
    }
    let (document, context) = match failure {
        Failure::Refused { document, context } => (document, context),
        Failure::Output(e) => {
            let _ = writeln!(io.stderr, "ladder: cannot write the output: {e}");
            return 1;
        }
    };
    match format {
        ErrorFormat::Json => {
            let json = serde_json::to_string(&document).unwrap_or_default();
            let _ = writeln!(io.stderr, "{json}");
        }
        ErrorFormat::Text => {
            let message = match context {
                // A record's message starts with its line.
                Some(file) if document.message.starts_with("line ") => {
                    format!("{file} {}", document.message)
                }
                Some(file) => format!("{file}: {}", document.message),
                None => document.message.clone(),
            };
            // The message quotes input escaped already; escaping the whole line
            // again changes nothing then, and keeps it one line if a quote was
            // missed.
            let _ = writeln!(io.stderr, "ladder: {}", Escaped(&message));
        }
    }
    document.class().exit_code()
}

/// Prints help and version as clap does; any other clap error as one line.
fn usage_error(err: clap::Error, io: &mut Io<'_>) -> u8 {
    let code = u8::try_from(err.exit_code()).unwrap_or(2);
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let text = err.render().to_string();
        let out: &mut dyn Write = match err.use_stderr() {
            true => io.stderr,
            false => io.stdout,
        };
        let _ = write!(out, "{text}");
        let _ = out.flush();
        return code;
    }
    let _ = writeln!(io.stderr, "ladder: {}", one_line(err));
    code
}

/// The first paragraph of a clap error (its message, without usage or tips), on
/// one line.
///
/// Clap quotes the values it refuses as typed. The error is rendered without
/// styles (so with the values' own terminal codes, which clap's plain rendering
/// would strip, misquoting the value), each quoted value holding a line break or
/// a terminal code is [escaped](crate::escape), so that the first paragraph ends
/// where clap's own text ends, and the line is escaped again as a guard.
fn one_line(err: clap::Error) -> String {
    let plain = Cli::command().styles(Styles::plain());
    let err = err.with_cmd(&plain);
    let mut rendered = err.render().ansi().to_string();
    for (_, value) in err.context() {
        let values = match value {
            ContextValue::String(value) => std::slice::from_ref(value),
            ContextValue::Strings(values) => values.as_slice(),
            _ => &[],
        };
        for value in values.iter().filter(|v| v.contains(needs_escaping)) {
            rendered = rendered.replace(&format!("'{value}'"), &format!("'{}'", escape(value)));
        }
    }
    let message = rendered.trim_start().trim_start_matches("error: ");
    let line = message
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    escape(&line).into_owned()
}

/// Writes an operation's JSON answer as `--json` prints it: the bytes every
/// door sends, then a newline.
fn print_json(io: &mut Io<'_>, value: &impl serde::Serialize) -> Result<(), Failure> {
    let answer = crate::ops::Answer::json(value)?;
    io.stdout.write_all(&answer.body)?;
    io.stdout.write_all(b"\n")?;
    Ok(())
}
