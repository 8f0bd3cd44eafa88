//! The operations over a cases file: the monitoring report and the
//! iCalendar of deadlines.
//!
//! Both read the cases as they come (JSON Lines, from any `BufRead`) and run
//! every check that can refuse the data before the first byte of the answer
//! is written, so a refused file leaves the output empty.

use std::io::{self, BufRead, Write};

use chrono::NaiveDate;

use crate::contract::ErrorDocument;
use crate::ics::{DeadlineCalendar, IcsOptions};
use crate::report::{
    write_tracking_csv_with, Case, CaseReader, CsvOptions, CsvTable, Period, Procedures,
    ReportBuilder, ReportOptions,
};

use super::answer::{cannot_write, MediaType};
use super::request::{invalid_value, IcsRequest, ReportRequest};
use super::Registry;

/// Why an operation that writes onto a stream stopped: the input was
/// refused (its error document), or the output could not be written (a
/// command line whose reader closed the pipe, say).
#[derive(Debug)]
pub enum StreamError {
    /// The request or the data was refused; nothing was written.
    Refused(ErrorDocument),
    /// Writing the answer failed.
    Output(io::Error),
}

impl From<ErrorDocument> for StreamError {
    fn from(doc: ErrorDocument) -> StreamError {
        StreamError::Refused(doc)
    }
}

impl From<io::Error> for StreamError {
    fn from(e: io::Error) -> StreamError {
        StreamError::Output(e)
    }
}

impl StreamError {
    /// The error document: the refusal's own, or `internal.write` for an
    /// output that failed.
    pub fn into_document(self) -> ErrorDocument {
        match self {
            StreamError::Refused(doc) => doc,
            StreamError::Output(e) => cannot_write(&e),
        }
    }
}

/// How far reading has gone: the cases read, and (for `ics`) the calendar
/// events made. A door may show it (the command line does on a terminal).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Cases read so far.
    pub cases: usize,
    /// Calendar events made so far (`ics` only).
    pub events: usize,
}

/// What a period must be, as an error says it.
const PERIOD_EXPECTED: &str =
    "expected a period: month, quarter, half-year or FROM..TO with dates YYYY-MM-DD";

/// The report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Text,
    Csv,
    SummaryCsv,
    Html,
    Xlsx,
}

/// The formats a request may name, as an error says them.
const FORMATS_EXPECTED: &str = "expected json, text, csv, summary-csv, html or xlsx";

/// The report's options, format and CSV options from the request, with their
/// defaults.
fn report_options(
    request: &ReportRequest,
) -> Result<(ReportOptions, Format, CsvOptions), ErrorDocument> {
    let period = match request.period.as_deref() {
        None => Period::Month,
        Some(text) => text.parse::<Period>().map_err(|e| {
            let mut doc = invalid_value("period", PERIOD_EXPECTED, text);
            doc.message = format!("period: {e}");
            doc
        })?,
    };
    let warn_at = request.warn_at.unwrap_or(80);
    if !(1..=100).contains(&warn_at) {
        return Err(invalid_value(
            "warn_at",
            "expected a percentage 1 to 100",
            &warn_at.to_string(),
        ));
    }
    let format = match request.format.as_deref().unwrap_or("json") {
        "json" => Format::Json,
        "text" => Format::Text,
        "csv" => Format::Csv,
        "summary-csv" => Format::SummaryCsv,
        "html" if cfg!(feature = "html") => Format::Html,
        "xlsx" if cfg!(feature = "xlsx") => Format::Xlsx,
        "html" | "xlsx" => return Err(not_built(request.format.as_deref().unwrap_or_default())),
        other => return Err(invalid_value("format", FORMATS_EXPECTED, other)),
    };
    let options = ReportOptions {
        period,
        due_within_working_days: Some(request.due_within.unwrap_or(2)),
        warn_at_percent_used: Some(warn_at),
        open_longer_than_working_days: request.open_longer_than.unwrap_or(20),
    };
    Ok((options, format, csv_options(request, format)?))
}

/// The CSV options of the request. A value other than the default is refused
/// with a format it does not apply to; the defaults (`bom` false,
/// `formula_guard` on, `table` all) are taken with any format, as a client
/// generated from the OpenAPI document sends them.
fn csv_options(request: &ReportRequest, format: Format) -> Result<CsvOptions, ErrorDocument> {
    let is_csv = matches!(format, Format::Csv | Format::SummaryCsv);
    let only_csv = |field: &str, found: &str| {
        invalid_value(
            field,
            "expected it only with format csv or summary-csv",
            found,
        )
    };
    let mut options = CsvOptions::default();
    if let Some(bom) = request.bom {
        if !is_csv && bom {
            return Err(only_csv("bom", "true"));
        }
        options.bom = bom;
    }
    if let Some(guard) = request.formula_guard.as_deref() {
        options.formula_guard = match guard {
            "on" => true,
            "off" => false,
            other => return Err(invalid_value("formula_guard", "expected on or off", other)),
        };
        if !is_csv && !options.formula_guard {
            return Err(only_csv("formula_guard", guard));
        }
    }
    if let Some(table) = request.table.as_deref() {
        options.table = match table {
            "all" => CsvTable::All,
            "alerts" => CsvTable::Alerts,
            "escalations" => CsvTable::Escalations,
            other => {
                return Err(invalid_value(
                    "table",
                    "expected all, alerts or escalations",
                    other,
                ))
            }
        };
        if format != Format::Csv && options.table != CsvTable::All {
            return Err(invalid_value(
                "table",
                "expected it only with format csv",
                table,
            ));
        }
    }
    Ok(options)
}

fn report_error(e: crate::report::ReportError) -> ErrorDocument {
    ErrorDocument::from(&e)
}

/// The monitoring report over a cases file as at a date, written onto `out`
/// in the request's format: `json` (every figure and list), `text` (aligned
/// tables), `csv` (the IRO tracking spreadsheet, or its alerts or its
/// escalations alone), `summary-csv` (the figures in long form), `html` (one
/// self-contained page with charts, for people who decide) or `xlsx` (a
/// workbook for Excel). Each case is counted as it is read, on the thread
/// that read it; only the cases the lists name are kept (none for the
/// summary, every one for the tracking spreadsheet). `json`, `html` and
/// `xlsx` count the previous report too (the report's `previous`), from the
/// same replay of each case.
///
/// # Errors
///
/// `request.invalid-value` (a period, format, table or percentage not of its
/// form, or a CSV option with another format); `report.period` (a period that
/// cannot be placed before the as-of date); a bad record (`record.*`, or its
/// event's `refused.*`) naming its line; a write that failed.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, Registry, ReportRequest};
///
/// let registry = Registry::builtin()?;
/// let request: ReportRequest = serde_json::from_str(r#"{"as_of": "2026-12-24", "format": "summary-csv"}"#)?;
/// let cases = r#"{"case":"CP-1","ladder":"cp-conference-concerns","events":[{"on":"2026-12-24","actor":"chair","type":"raise","reason":"plan not implemented"}]}"#;
/// let mut out = Vec::new();
/// ops::report(&registry, &request, cases.as_bytes(), &mut out, &mut |_| {}).unwrap();
/// assert!(String::from_utf8(out)?.contains("cases,,,open,1,\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn report(
    registry: &Registry,
    request: &ReportRequest,
    cases: impl BufRead,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(Progress),
) -> Result<MediaType, StreamError> {
    let (options, format, csv) = report_options(request)?;
    let procedures = registry.cases();
    let as_of = request.as_of;
    // A bad period or as-of date is refused before the file is read.
    let mut builder = ReportBuilder::new(procedures, as_of, &options).map_err(report_error)?;
    if format == Format::Csv {
        let read = read_all(procedures, cases, as_of, progress)?;
        // Every check that can refuse the data has run (reading with these
        // procedures up to the as-of date is all the spreadsheet checks), so a
        // failure leaves the output empty; the spreadsheet is streamed.
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        write_tracking_csv_with(procedures, read.iter().flatten(), as_of, &csv, &mut out).map_err(
            |e| match e {
                crate::report::ReportError::Write(e) => StreamError::Output(e),
                other => StreamError::Refused(report_error(other)),
            },
        )?;
        out.flush()?;
        return Ok(MediaType::Csv);
    }
    if format != Format::SummaryCsv {
        builder = builder.keep_listed();
    }
    if matches!(format, Format::Json | Format::Html | Format::Xlsx) {
        builder = builder.with_previous();
    }
    let mut count = Progress::default();
    let reader = CaseReader::new(cases, procedures).events_until(as_of);
    let figures = builder
        .read_each(reader, |_, case| {
            case.map_err(|e| ErrorDocument::from(&e))?;
            count.cases += 1;
            progress(count);
            Ok::<(), ErrorDocument>(())
        })?
        .map_err(report_error)?;
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let media_type = match format {
        Format::SummaryCsv => {
            out.write_all(figures.report().to_summary_csv_with(&csv).as_bytes())?;
            MediaType::Csv
        }
        Format::Json => {
            let report = figures.report_with_lists().map_err(report_error)?;
            serde_json::to_writer(&mut out, &report).map_err(io::Error::from)?;
            MediaType::Json
        }
        Format::Html => {
            let report = figures.report_with_lists().map_err(report_error)?;
            out.write_all(html(&report, procedures)?.as_bytes())?;
            MediaType::Html
        }
        Format::Xlsx => {
            let report = figures.report_with_lists().map_err(report_error)?;
            out.write_all(&xlsx(&report, procedures, figures.kept_cases())?)?;
            MediaType::Xlsx
        }
        Format::Text | Format::Csv => {
            let report = figures.report_with_lists().map_err(report_error)?;
            report.write_text(&mut out)?;
            MediaType::Text
        }
    };
    out.flush()?;
    Ok(media_type)
}

/// A format the crate was built without: its feature named.
fn not_built(format: &str) -> ErrorDocument {
    invalid_value(
        "format",
        &format!("expected a format this build has (json, text, csv, summary-csv); {format} needs the crate feature `{format}`"),
        format,
    )
}

#[cfg(feature = "html")]
fn html(
    report: &crate::report::Report<'_>,
    procedures: &Procedures,
) -> Result<String, ErrorDocument> {
    report.to_html(procedures).map_err(report_error)
}

#[cfg(not(feature = "html"))]
fn html(_: &crate::report::Report<'_>, _: &Procedures) -> Result<String, ErrorDocument> {
    Err(not_built("html"))
}

#[cfg(feature = "xlsx")]
fn xlsx<'c>(
    report: &crate::report::Report<'_>,
    procedures: &Procedures,
    cases: impl Iterator<Item = &'c Case>,
) -> Result<Vec<u8>, ErrorDocument> {
    report.to_xlsx(procedures, cases).map_err(report_error)
}

#[cfg(not(feature = "xlsx"))]
fn xlsx<'c>(
    _: &crate::report::Report<'_>,
    _: &Procedures,
    _: impl Iterator<Item = &'c Case>,
) -> Result<Vec<u8>, ErrorDocument> {
    Err(not_built("xlsx"))
}

/// How many cases a chunk of the loaded cases holds: chunks of a fixed size
/// grow the store without the copies (and the doubled peak) of one growing
/// `Vec`.
const CHUNK: usize = 1 << 16;

/// Every case up to the as-of date, in chunks.
fn read_all(
    procedures: &Procedures,
    input: impl BufRead,
    as_of: NaiveDate,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<Vec<Case>>, ErrorDocument> {
    let mut chunks: Vec<Vec<Case>> = Vec::new();
    let mut count = Progress::default();
    let reader = CaseReader::new(input, procedures).events_until(as_of);
    reader.read_each(|_, case| {
        let case = case.map_err(|e| ErrorDocument::from(&e))?;
        match chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(case),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(case);
                chunks.push(chunk);
            }
        }
        count.cases += 1;
        progress(count);
        Ok::<(), ErrorDocument>(())
    })?;
    Ok(chunks)
}

/// The deadlines of the open alerts of a cases file as an iCalendar file
/// (RFC 5545), written onto `out`: one all-day event per open alert's
/// response date and one per ceiling, with UIDs stable across runs.
///
/// # Errors
///
/// `ics.uid-domain`; a date out of range; a bad record naming its line; a
/// case whose deadlines cannot be given; a write that failed.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, IcsRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let request = IcsRequest { as_of: "2026-12-21".parse()?, calendar_name: None, uid_domain: None };
/// let cases = r#"{"case":"IRO-1","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
/// let mut out = Vec::new();
/// ops::ics(&registry, &request, cases.as_bytes(), &mut out, &mut |_| {}).unwrap();
/// assert!(String::from_utf8(out)?.contains("DTSTART;VALUE=DATE:20261230"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ics(
    registry: &Registry,
    request: &IcsRequest,
    cases: impl BufRead,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(Progress),
) -> Result<MediaType, StreamError> {
    let mut options = IcsOptions::default();
    if let Some(name) = &request.calendar_name {
        options.calendar_name.clone_from(name);
    }
    if let Some(domain) = &request.uid_domain {
        options.uid_domain.clone_from(domain);
    }
    let as_of = request.as_of;
    let mut calendar =
        DeadlineCalendar::new(as_of, options).map_err(|e| ErrorDocument::from(&e))?;
    let procedures = registry.cases();
    let mut count = Progress::default();
    let reader = CaseReader::new(cases, procedures).events_until(as_of);
    reader.read_each(|line, case| {
        let case = case.map_err(|e| ErrorDocument::from(&e))?;
        calendar.add_case(&case, procedures).map_err(|e| {
            let mut doc = ErrorDocument::from(&e);
            doc.message = format!("line {line}: {}", doc.message);
            doc.fields.insert("line".into(), line.into());
            doc
        })?;
        count.cases += 1;
        count.events = calendar.event_count();
        progress(count);
        Ok::<(), ErrorDocument>(())
    })?;
    // Everything was read and computed: write it in one go.
    calendar.write_to(out)?;
    Ok(MediaType::Calendar)
}
