//! `ladder report`: the monitoring report over a cases file, as at a date.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use escalation_ladder::report::{
    write_tracking_csv, Case, CaseReader, Period, Procedures, Report, ReportBuilder, ReportOptions,
};

use crate::cases_file;
use crate::common::{parse_date, AdjustArgs, Failure};

/// Report on the alerts of a cases file as at a date: open alerts by ladder,
/// stage, category, team and worker; overdue, due soon, open longer, ceiling
/// breaches and extensions; timeliness, escalations, closures and alerts raised
/// in the period.
///
/// The cases file is JSON Lines, one alert a line: {"case": ID, "child": ID,
/// "team": NAME, "worker": NAME, "ladder": LADDER, "events": [EVENT, ...]}
/// (child, team and worker optional; events as for `ladder run`). Events after
/// the as-of date are ignored. A bad record stops the report with exit status 1
/// and one message naming the file, its line and the reason; nothing is printed
/// on standard output then.
///
/// The period (month, quarter, half-year) is the most recent complete one ending
/// on or before the as-of date; half-years run April to September and October
/// to March; FROM..TO is inclusive.
#[derive(Debug, Args)]
#[command(
    after_help = "Example: ladder report --as-of 2026-11-23 --cases examples/data/cases.jsonl --period quarter"
)]
pub struct ReportArgs {
    /// The date the report is as at (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: NaiveDate,

    /// The cases file (JSON Lines), or - for standard input
    #[arg(long, value_name = "FILE")]
    pub cases: PathBuf,

    /// month, quarter, half-year, or FROM..TO (dates YYYY-MM-DD, both included)
    #[arg(long, value_name = "PERIOD", default_value = "month", value_parser = parse_period)]
    pub period: Period,

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

    /// Due soon: a response due within N working days of the as-of date
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub due_within: u32,

    /// Due soon: a response window at least PERCENT used (1 to 100)
    #[arg(long, value_name = "PERCENT", default_value_t = 80,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub warn_at: u32,

    /// Open longer: alerts open more than N working days
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub open_longer_than: u32,

    /// Cases read between two progress lines on a terminal (for tests)
    #[arg(long, value_name = "N", default_value_t = cases_file::PROGRESS_EVERY, hide = true)]
    pub progress_every: usize,
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned tables for people.
    Text,
    /// The whole report as JSON.
    Json,
    /// The IRO tracking spreadsheet.
    Csv,
    /// The report's figures as CSV, one a row.
    SummaryCsv,
}

fn parse_period(text: &str) -> Result<Period, String> {
    text.parse::<Period>().map_err(|e| e.to_string())
}

pub fn run(args: ReportArgs, stdin: impl BufRead, out: &mut impl Write) -> Result<(), Failure> {
    let options = ReportOptions {
        period: args.period,
        due_within_working_days: Some(args.due_within),
        warn_at_percent_used: Some(args.warn_at),
        open_longer_than_working_days: args.open_longer_than,
    };
    let procedures = cases_file::procedures(&args.ladder_files, &args.adjust)?;
    // Refuse a bad period or as-of date before reading a large file: a report
    // over no cases checks both.
    Report::build(&procedures, [], args.as_of, &options)
        .map_err(|e| Failure::Data(e.to_string()))?;
    let (label, reader) = cases_file::open(&args.cases, stdin)?;
    let report_error =
        |e: escalation_ladder::report::ReportError| Failure::Data(format!("{label}: {e}"));
    if args.format != Format::Csv {
        return report(args, &procedures, &options, &label, reader, out);
    }
    // The tracking spreadsheet has a row for every alert: every case is read
    // first.
    let mut chunks: Vec<Vec<Case>> = Vec::new();
    read(
        &label,
        reader,
        &procedures,
        args.as_of,
        args.progress_every,
        |case| match chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(case),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(case);
                chunks.push(chunk);
            }
        },
    )?;

    // Every check that can refuse the data has run before the first byte is
    // written, so a failure leaves standard output empty: reading refused any bad
    // record, and the cases were read up to the as-of date with these procedures,
    // which is all the tracking spreadsheet checks (see write_tracking_csv). The
    // spreadsheet is streamed, not held in memory.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    write_tracking_csv(&procedures, chunks.iter().flatten(), args.as_of, &mut out)
        .map_err(report_error)?;
    out.flush()?;
    Ok(())
}

/// The report (text, JSON or summary CSV), each case counted as it is read,
/// on the thread that read it; text and JSON keep only the cases their lists
/// name, the summary none. Every check that can refuse the data runs before
/// the first byte is written: a bad record ends the reading, and a case the
/// report refuses is told once every line is read (as when the report is built
/// after reading: a bad record comes first), or when the lists are made.
fn report(
    args: ReportArgs,
    procedures: &Procedures,
    options: &ReportOptions,
    label: &str,
    reader: impl BufRead,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let report_error =
        |e: escalation_ladder::report::ReportError| Failure::Data(format!("{label}: {e}"));
    let mut builder = ReportBuilder::new(procedures, args.as_of, options)
        .map_err(|e| Failure::Data(e.to_string()))?;
    if args.format != Format::SummaryCsv {
        builder = builder.keep_listed();
    }
    let mut progress = cases_file::progress("report", args.progress_every);
    let reader = CaseReader::new(reader, procedures).events_until(args.as_of);
    let figures = builder
        .read_each(reader, |_, case| {
            case.map_err(|e| Failure::Data(format!("{label} {e}")))?;
            progress.case_read("");
            Ok::<(), Failure>(())
        })?
        .map_err(report_error)?;
    progress.finish("");
    drop(progress);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    match args.format {
        Format::SummaryCsv => out.write_all(figures.report().to_summary_csv().as_bytes())?,
        Format::Json => {
            let report = figures.report_with_lists().map_err(report_error)?;
            serde_json::to_writer_pretty(&mut out, &report)?;
            out.write_all(b"\n")?;
        }
        Format::Text | Format::Csv => {
            let report = figures.report_with_lists().map_err(report_error)?;
            report.write_text(&mut out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// How many cases a chunk of the loaded cases holds: chunks of a fixed size
/// grow the store without the copies (and the doubled peak) of one growing
/// `Vec`.
const CHUNK: usize = 1 << 16;

/// Reads every case up to the as-of date, handing each to `keep`, with a
/// progress line on a terminal.
fn read(
    label: &str,
    input: impl BufRead,
    procedures: &Procedures,
    as_of: NaiveDate,
    progress_every: usize,
    mut keep: impl FnMut(Case),
) -> Result<(), Failure> {
    let mut progress = cases_file::progress("report", progress_every);
    let reader = CaseReader::new(input, procedures).events_until(as_of);
    reader.read_each(|_, case| {
        keep(case.map_err(|e| Failure::Data(format!("{label} {e}")))?);
        progress.case_read("");
        Ok::<(), Failure>(())
    })?;
    progress.finish("");
    Ok(())
}
