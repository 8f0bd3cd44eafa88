//! `ladder report` and `ladder ics`: the operations over a cases file, with
//! a progress line on a terminal.

use std::fmt::Display;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::ops::{self, IcsRequest, Progress as Read, Registry, ReportRequest, StreamError};
use crate::sources::label;

use super::common::{parse_date, unreadable, AdjustArgs, Failure};
use super::Io;

/// Cases read between two progress lines, unless a command's hidden
/// `--progress-every` says otherwise (the tests do).
pub(crate) const PROGRESS_EVERY: usize = 100_000;

/// Report on the alerts of a cases file as at a date: open alerts by ladder,
/// stage, category, team and worker; overdue, due soon, open longer, ceiling
/// breaches and extensions; timeliness, escalations, closures and alerts raised
/// in the period.
///
/// The cases file is JSON Lines, one alert a line: {"case": ID, "child": ID,
/// "team": NAME, "worker": NAME, "ladder": LADDER, "events": [EVENT, ...]}
/// (child, team and worker optional; events as for `ladder run`). Events after
/// the as-of date are ignored. A bad record stops the report with one message
/// naming the file, its line and the reason; nothing is printed on standard
/// output then.
///
/// The period (month, quarter, half-year) is the most recent complete one ending
/// on or before the as-of date; half-years run April to September and October
/// to March; FROM..TO is inclusive.
#[derive(Debug, Args)]
#[command(
    after_help = "Example: ladder report --as-of 2026-11-23 --cases examples/data/cases.jsonl --period quarter"
)]
pub(crate) struct ReportArgs {
    /// The date the report is as at (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: NaiveDate,

    /// The cases file (JSON Lines), or - for standard input
    #[arg(long, value_name = "FILE")]
    pub cases: PathBuf,

    /// month, quarter, half-year, or FROM..TO (dates YYYY-MM-DD, both included)
    /// [default: month]
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,

    /// text: aligned tables; json: every figure and list; csv: the IRO tracking
    /// spreadsheet (one row per alert and per escalation); summary-csv: the
    /// figures in long form (section,ladder,group,measure,value)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// A council's own ladder (TOML, or JSON if named .json; the schema:
    /// docs/ladder-schema.md); one with a built-in's id replaces it. Repeatable
    #[arg(long = "ladder-file", value_name = "FILE")]
    pub ladder_files: Vec<PathBuf>,

    #[command(flatten)]
    pub adjust: AdjustArgs,

    /// Due soon: a response due within N working days of the as-of date [default: 2]
    #[arg(long, value_name = "N")]
    pub due_within: Option<u32>,

    /// Due soon: a response window at least PERCENT used (1 to 100) [default: 80]
    #[arg(long, value_name = "PERCENT")]
    pub warn_at: Option<u32>,

    /// Open longer: alerts open more than N working days [default: 20]
    #[arg(long, value_name = "N")]
    pub open_longer_than: Option<u32>,

    /// Cases read between two progress lines on a terminal (for tests)
    #[arg(long, value_name = "N", default_value_t = PROGRESS_EVERY, hide = true)]
    pub progress_every: usize,
}

/// The output format: the command line prints text for people unless asked
/// for another (the operation's own default, for a program, is JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned tables for people.
    Text,
    /// The whole report as JSON.
    Json,
    /// The IRO tracking spreadsheet.
    Csv,
    /// The report's figures as CSV, one a row.
    SummaryCsv,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::SummaryCsv => "summary-csv",
        }
    }
}

/// The cases file (`what`), or standard input for `-`, with the label its
/// errors use (the path, escaped).
pub(crate) fn open<'a>(
    what: &str,
    path: &Path,
    stdin: &'a mut dyn BufRead,
) -> Result<(String, Box<dyn BufRead + 'a>), Failure> {
    if path.as_os_str() == "-" {
        return Ok(("stdin".to_string(), Box::new(stdin)));
    }
    let name = label(path);
    let file = std::fs::File::open(path).map_err(|e| unreadable(what, &name, &e))?;
    Ok((name, Box::new(io::BufReader::with_capacity(1 << 16, file))))
}

/// A stream operation's failure: a record's (with its line) told in the
/// context of the cases file, the request's as it is.
pub(crate) fn in_file(e: StreamError, file: &str) -> Failure {
    match e {
        StreamError::Refused(document) if document.fields.contains_key("line") => {
            Failure::in_file(document, file)
        }
        StreamError::Refused(document) => Failure::from(document),
        StreamError::Output(e) => Failure::Output(e),
    }
}

pub(crate) fn report(
    args: ReportArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let request = ReportRequest {
        as_of: args.as_of,
        format: Some(args.format.name().to_string()),
        period: args.period.clone(),
        due_within: args.due_within,
        warn_at: args.warn_at,
        open_longer_than: args.open_longer_than,
    };
    let (name, input) = open("cases file", &args.cases, io.stdin)?;
    let terminal = io.stderr_is_terminal.then_some(&mut *io.stderr);
    let mut progress = Progress::new("report", terminal, args.progress_every);
    let result = ops::report(registry, &request, input, io.stdout, &mut |read: Read| {
        progress.case_read(read.cases, "")
    });
    progress.finish("");
    // JSON ends its line, as every `--json` answer of the command line does.
    if result.map_err(|e| in_file(e, &name))? == ops::MediaType::Json {
        io.stdout.write_all(b"\n")?;
    }
    Ok(())
}

/// Print the deadlines of open alerts as an iCalendar (RFC 5545) file.
///
/// Reads a cases file (JSON Lines: one alert a line, {"case", "ladder",
/// "events", ...}), replays each alert's events up to the as-of date, and
/// prints one all-day event per open alert's response date and one per
/// ceiling. UIDs name the case, the ladder and the deadline (never its date),
/// so re-importing tomorrow's file updates the same events; SEQUENCE is the
/// alert's number of events; DTSTAMP is the as-of date at 00:00:00Z. A bad
/// record stops the run with one message naming the file, its line and the
/// reason; nothing is printed on standard output then. Progress goes to
/// standard error when it is a terminal.
#[derive(Debug, Args)]
#[command(
    after_help = "Example: ladder ics --as-of 2026-12-24 --cases cases.jsonl > deadlines.ics"
)]
pub(crate) struct IcsArgs {
    /// The date the deadlines are computed as at (YYYY-MM-DD); events after it
    /// are not replayed
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: NaiveDate,

    /// The cases file (JSON Lines), or - for standard input
    #[arg(long, value_name = "FILE")]
    pub cases: PathBuf,

    /// A council's own ladder (TOML, or JSON if named .json; the schema:
    /// docs/ladder-schema.md), added to the built-in ones; one with a built-in
    /// id replaces it. Repeatable
    #[arg(long = "ladder-file", value_name = "FILE")]
    pub ladder_files: Vec<PathBuf>,

    #[command(flatten)]
    pub adjust: AdjustArgs,

    /// The calendar's name in calendar lists [default: Escalation deadlines]
    #[arg(long, value_name = "NAME")]
    pub calendar_name: Option<String>,

    /// The domain after the @ of every UID, e.g. ics.anytown.gov.uk
    /// [default: escalation-ladder]
    #[arg(long, value_name = "DOMAIN")]
    pub uid_domain: Option<String>,

    /// Cases read between two progress lines on a terminal (for tests)
    #[arg(long, value_name = "N", default_value_t = PROGRESS_EVERY, hide = true)]
    pub progress_every: usize,
}

pub(crate) fn ics(args: IcsArgs, registry: &Registry, io: &mut Io<'_>) -> Result<(), Failure> {
    let request = IcsRequest {
        as_of: args.as_of,
        calendar_name: args.calendar_name.clone(),
        uid_domain: args.uid_domain.clone(),
    };
    let (name, input) = open("cases file", &args.cases, io.stdin)?;
    let terminal = io.stderr_is_terminal.then_some(&mut *io.stderr);
    let mut progress = Progress::new("ics", terminal, args.progress_every);
    let mut events = 0;
    let result = ops::ics(registry, &request, input, io.stdout, &mut |read: Read| {
        events = read.events;
        progress.case_read(read.cases, format_args!(", {} events", read.events));
    });
    progress.finish(format_args!(", {events} events"));
    result.map(|_| ()).map_err(|e| in_file(e, &name))
}

/// Progress lines on a terminal: `ladder ics: 300000 cases read, 412345
/// events`, rewritten in place every `every` cases. Without a terminal it
/// writes nothing. The line is ended before an error message, so that the
/// message starts on a line of its own.
pub(crate) struct Progress<W: Write> {
    command: &'static str,
    terminal: Option<W>,
    every: usize,
    cases: usize,
    shown: bool,
}

impl<W: Write> Progress<W> {
    pub(crate) fn new(command: &'static str, terminal: Option<W>, every: usize) -> Progress<W> {
        Progress {
            command,
            terminal,
            every: every.max(1),
            cases: 0,
            shown: false,
        }
    }

    /// `cases` read so far; `detail` is what the line adds (e.g. ", 12 events").
    pub(crate) fn case_read(&mut self, cases: usize, detail: impl Display) {
        self.cases = cases;
        if self.cases % self.every == 0 {
            self.show(detail);
        }
    }

    /// The last line, with the totals, if any line was shown; then the line
    /// ends.
    pub(crate) fn finish(&mut self, detail: impl Display) {
        if self.shown {
            self.show(detail);
        }
        self.end_line();
    }

    /// Ends the progress line, if one was shown.
    pub(crate) fn end_line(&mut self) {
        if let (true, Some(terminal)) = (self.shown, &mut self.terminal) {
            let _ = writeln!(terminal);
            self.shown = false;
        }
    }

    fn show(&mut self, detail: impl Display) {
        if let Some(terminal) = &mut self.terminal {
            // Progress is a courtesy: a failure to show it is not the run's.
            let _ = write!(
                terminal,
                "\rladder {}: {} cases read{detail}",
                self.command, self.cases
            );
            let _ = terminal.flush();
            self.shown = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(cases: usize, every: usize) -> String {
        let mut sink = Vec::new();
        {
            let mut progress = Progress::new("ics", Some(&mut sink), every);
            for n in 1..=cases {
                progress.case_read(n, format_args!(", {} events", (n - 1) * 2));
            }
            progress.finish(format_args!(", {} events", cases * 2));
        }
        String::from_utf8(sink).unwrap()
    }

    #[test]
    fn progress_every_n_cases_then_the_total_on_one_line() {
        assert_eq!(
            shown(7, 3),
            "\rladder ics: 3 cases read, 4 events\
             \rladder ics: 6 cases read, 10 events\
             \rladder ics: 7 cases read, 14 events\n"
        );
    }

    #[test]
    fn no_progress_for_a_short_run_or_without_a_terminal() {
        assert_eq!(shown(2, 3), "");
        let mut progress = Progress::<Vec<u8>>::new("report", None, 1);
        progress.case_read(1, "");
        progress.finish("");
        assert!(!progress.shown);
    }
}
