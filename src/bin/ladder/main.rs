//! `ladder`: UK working-day calendars on the command line.
//!
//! Each subcommand lives in its own module with an `Args` struct and a `run`
//! function; to add one, add a module, a variant of [`Command`] and its arm in
//! [`Command::run`].

/// mimalloc for the tool's allocations: reading a large cases file allocates
/// and frees a few texts per event on every worker thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod add_working_days;
mod alert;
mod cases_file;
mod common;
mod count_working_days;
mod explain;
mod holidays;
mod ics;
mod procedures;
mod report;
mod run;
#[cfg(feature = "server")]
mod serve;
mod timeline;

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use clap::builder::styling::Styles;
use clap::error::{ContextValue, ErrorKind};
use clap::{CommandFactory, Parser, Subcommand};
use escalation_ladder::escape::{escape, needs_escaping, Escaped};

use common::Failure;

const EXIT_STATUS: &str = "\
Exit status: 0 on success (also when the reader closes the output early, as
`| head -1` does); 1 for bad data (a date out of range, a bad input line, an
unreadable holidays file); 2 for bad usage (an unknown option or region, a
malformed date or count, a missing or extra argument). Errors are one line on
standard error, starting 'ladder: '.";

/// UK working days and bank holidays (1978 to 2199), and the escalation ladders
/// that count deadlines in them.
#[derive(Debug, Parser)]
#[command(name = "ladder", version, after_help = EXIT_STATUS, arg_required_else_help = false)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Holidays(holidays::HolidaysArgs),
    AddWorkingDays(add_working_days::AddArgs),
    CountWorkingDays(count_working_days::CountArgs),
    Explain(explain::ExplainArgs),
    Ladders(procedures::LaddersArgs),
    Show(procedures::ShowArgs),
    Validate(procedures::ValidateArgs),
    Timeline(timeline::TimelineArgs),
    Run(run::RunArgs),
    Apply(alert::ApplyArgs),
    Status(alert::StatusArgs),
    Recompute(alert::RecomputeArgs),
    Report(report::ReportArgs),
    Ics(ics::IcsArgs),
    #[cfg(feature = "server")]
    Serve(serve::ServeArgs),
}

impl Command {
    fn run(self, input: impl BufRead, out: &mut impl Write) -> Result<(), Failure> {
        match self {
            Command::Holidays(args) => holidays::run(args, out),
            Command::AddWorkingDays(args) => add_working_days::run(args, input, out),
            Command::CountWorkingDays(args) => count_working_days::run(args, input, out),
            Command::Explain(args) => explain::run(args, out),
            Command::Ladders(args) => procedures::run_ladders(args, out),
            Command::Show(args) => procedures::run_show(args, out),
            Command::Validate(args) => procedures::run_validate(args, out),
            Command::Timeline(args) => timeline::run(args, out),
            Command::Run(args) => run::run(args, input, out),
            Command::Apply(args) => alert::run_apply(args, input, out),
            Command::Status(args) => alert::run_status(args, input, out),
            Command::Recompute(args) => alert::run_recompute(args, input, out),
            Command::Report(args) => report::run(args, input, out),
            Command::Ics(args) => ics::run(args, input, out),
            #[cfg(feature = "server")]
            Command::Serve(args) => serve::run(args, out),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let result = cli.command.run(io::stdin().lock(), &mut out);
    // Flush what was computed, also before reporting a streaming error.
    let flushed = out.flush().map_err(Failure::from);
    match result.and(flushed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if failure.is_broken_pipe() => ExitCode::SUCCESS,
        Err(failure) => {
            // The message quotes input escaped already; escaping the whole line
            // again changes nothing then, and keeps it one line if a quote was
            // missed.
            let _ = writeln!(io::stderr(), "ladder: {}", Escaped(&failure.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// Prints help and version as clap does; any other clap error as one line.
fn usage_error(err: clap::Error) -> ExitCode {
    let code = u8::try_from(err.exit_code()).unwrap_or(2);
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return ExitCode::from(code);
    }
    let _ = writeln!(io::stderr(), "ladder: {}", one_line(err));
    ExitCode::from(code)
}

/// The first paragraph of a clap error (its message, without usage or tips), on
/// one line.
///
/// Clap quotes the values it refuses as typed. The error is rendered without
/// styles (so with the values' own terminal codes, which clap's plain rendering
/// would strip, misquoting the value), each quoted value holding a line break or
/// a terminal code is [escaped](escalation_ladder::escape), so that the first
/// paragraph ends where clap's own text ends, and the line is escaped again as a
/// guard.
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
