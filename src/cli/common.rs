//! What the subcommands share: the failure type, strict parsers for dates and
//! counts, the options that make the registry, and the reader for streamed
//! input lines.

use std::io::{self, BufRead};
use std::num::IntErrorKind;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use crate::contract::ErrorDocument;
use crate::escape::Escaped;
use crate::ops::{read_json, Registry};
use crate::sources::{label, Sources};
use crate::Region;

/// Why a subcommand stopped.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An error document (from an operation, or a file the command could not
    /// read); `context` is what the text line says before its message (a
    /// file's name), never part of the document.
    Refused {
        document: ErrorDocument,
        context: Option<String>,
    },
    /// Writing the output failed (a closed pipe is reported as success).
    Output(io::Error),
}

impl Failure {
    /// Whether the output pipe was closed by the reader (`ladder ... | head -1`).
    pub(crate) fn is_broken_pipe(&self) -> bool {
        matches!(self, Failure::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// A refusal read in the context of a file.
    pub(crate) fn in_file(document: ErrorDocument, file: &str) -> Failure {
        Failure::Refused {
            document,
            context: Some(file.to_string()),
        }
    }
}

impl From<ErrorDocument> for Failure {
    fn from(document: ErrorDocument) -> Self {
        Failure::Refused {
            document,
            context: None,
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

/// The document of a file the command line could not read (`cli.unreadable`).
pub(crate) fn unreadable(what: &str, file: &str, e: &io::Error) -> Failure {
    let mut fields = serde_json::Map::new();
    fields.insert("file".into(), file.into());
    fields.insert("reason".into(), e.to_string().into());
    Failure::from(ErrorDocument::new(
        "cli.unreadable",
        format!("cannot read {what} '{file}': {e}"),
        fields,
    ))
}

/// Parses a date strictly as `YYYY-MM-DD` (exactly 10 characters, a real day),
/// by the library's one rule for dates ([`crate::input::parse_date`]).
///
/// The error says what was expected; clap adds the value it refused.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::input::parse_date(text).ok_or_else(|| crate::input::DATE_EXPECTED.to_string())
}

/// Parses a number of working days: a whole number that fits in an `i32`.
pub(crate) fn parse_count(text: &str) -> Result<i32, String> {
    text.parse::<i32>().map_err(|e| match e.kind() {
        IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => format!(
            "expected a number of working days in {}..={}",
            i32::MIN,
            i32::MAX
        ),
        _ => "expected a whole number of working days".to_string(),
    })
}

/// Parses a region name (for clap: the library's message names the value).
pub(crate) fn parse_region(text: &str) -> Result<Region, String> {
    text.parse::<Region>().map_err(|e| e.to_string())
}

/// The division of a working-day question: the request's own region.
#[derive(Debug, Args)]
pub(crate) struct RegionArg {
    /// Bank-holiday division: england-and-wales, scotland, northern-ireland, or
    /// united-kingdom (a holiday anywhere in the UK) [default: england-and-wales]
    #[arg(long, value_name = "REGION", value_parser = parse_region)]
    pub region: Option<Region>,
}

impl RegionArg {
    /// The region as the request names it.
    pub(crate) fn name(&self) -> Option<String> {
        self.region.map(|r| r.as_str().to_string())
    }
}

/// The options that adjust the working calendars: every command that counts
/// days takes them.
#[derive(Debug, Args)]
pub(crate) struct AdjustArgs {
    /// Extra bank holidays, e.g. proclaimed after this release: GOV.UK's
    /// bank-holidays JSON if FILE ends in .json, else one `YYYY-MM-DD name` per line
    /// (# comments and blank lines ignored). Repeatable
    #[arg(long, value_name = "FILE")]
    pub holidays: Vec<PathBuf>,

    /// A weekday on which the service is closed (e.g. a Christmas shutdown), as
    /// YYYY-MM-DD. Repeatable
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub closure: Vec<NaiveDate>,

    /// A closures file: one `YYYY-MM-DD reason` per line (the reason optional;
    /// # comments and blank lines ignored). Repeatable
    #[arg(long, value_name = "FILE")]
    pub closures: Vec<PathBuf>,
}

impl AdjustArgs {
    /// The sources these options, `ladder_files` and `region` name.
    pub(crate) fn sources(&self, ladder_files: Vec<PathBuf>, region: Option<Region>) -> Sources {
        Sources {
            ladder_files,
            holidays: self.holidays.clone(),
            closures: self.closure.clone(),
            closure_files: self.closures.clone(),
            region,
        }
    }
}

/// The calendar options of a command that runs a procedure: the division
/// every procedure counts in (its own unless given) and the adjustments.
#[derive(Debug, Args)]
pub(crate) struct ProcedureCalendarArgs {
    /// Bank-holiday division every procedure counts in [default: the procedure's own]
    #[arg(long, value_name = "REGION", value_parser = parse_region)]
    pub region: Option<Region>,

    #[command(flatten)]
    pub adjust: AdjustArgs,
}

impl ProcedureCalendarArgs {
    /// The sources of a command on `procedure`: its file, if any, the
    /// adjustments and the fixed division.
    pub(crate) fn sources(&self, procedure: &ProcedureArg) -> Sources {
        self.adjust.sources(procedure.files(), self.region)
    }
}

/// Which procedure: a built-in id, or a TOML or JSON file.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct ProcedureArg {
    /// A procedure's id (see `ladder ladders`)
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// A procedure file: TOML, or JSON if its name ends in .json (the schema,
    /// key by key: docs/ladder-schema.md)
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

impl ProcedureArg {
    /// The ladder files the registry loads for it: the file, if one is given.
    pub(crate) fn files(&self) -> Vec<PathBuf> {
        self.file.iter().cloned().collect()
    }

    /// The procedure's id: the one given, or the file's procedure's (the
    /// registry's own procedure).
    pub(crate) fn id(&self, registry: &Registry) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => registry.own_ids().next().unwrap_or_default().to_string(),
        }
    }
}

/// Which procedure, for a command that may instead read many alerts, each
/// naming its own (`advance --alerts`, `recompute --alerts`): a built-in id
/// or a file, unless `--alerts` is given.
#[derive(Debug, Args)]
#[group(required = false, multiple = false)]
pub(crate) struct ProcedureUnlessAlerts {
    /// A procedure's id (see `ladder ladders`); not with --alerts
    #[arg(value_name = "ID", required_unless_present_any = ["file", "alerts"])]
    pub id: Option<String>,

    /// A procedure file: TOML, or JSON if its name ends in .json (the schema,
    /// key by key: docs/ladder-schema.md)
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

impl ProcedureUnlessAlerts {
    /// The procedure as a [`ProcedureArg`] (an id, a file, or neither).
    pub(crate) fn procedure(&self) -> ProcedureArg {
        ProcedureArg {
            id: self.id.clone(),
            file: self.file.clone(),
        }
    }
}

/// Reads a file, or standard input for `-`: its text and the name its errors
/// use (the path, escaped).
pub(crate) fn read_text(
    what: &str,
    path: &Path,
    stdin: &mut dyn BufRead,
) -> Result<(String, Vec<u8>), Failure> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        stdin
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(what, "stdin", &e))?;
        return Ok(("stdin".to_string(), bytes));
    }
    let name = label(path);
    let bytes = std::fs::read(path).map_err(|e| unreadable(what, &name, &e))?;
    Ok((name, bytes))
}

/// Reads one JSON document of a request from a file or standard input
/// (`document` names it in errors, as every door does).
pub(crate) fn read_document<T: serde::de::DeserializeOwned>(
    document: &str,
    path: &Path,
    stdin: &mut dyn BufRead,
) -> Result<T, Failure> {
    let (name, bytes) = read_text(&format!("the {document}"), path, stdin)?;
    read_json(document, &bytes).map_err(|doc| Failure::in_file(doc, &name))
}

/// Reads `A B` lines (two whitespace-separated fields) from `input`, calling
/// `each` with the fields of each line in turn.
///
/// Every line must have exactly two fields (an empty line is an error too), so
/// that output line N answers input line N. A UTF-8 byte-order mark at the start
/// of the input is skipped. An error from `each` names the line (`stdin line
/// N: `, and `fields.line`); output errors pass through unchanged.
pub(crate) fn for_each_pair(
    input: &mut dyn BufRead,
    expected: &str,
    mut each: impl FnMut(&str, &str) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut buffer = Vec::new();
    let mut number = 0usize;
    loop {
        buffer.clear();
        number += 1;
        let read = input
            .read_until(b'\n', &mut buffer)
            .map_err(|e| unreadable("the input", "stdin", &e))?;
        if read == 0 {
            return Ok(());
        }
        let at_line = |mut document: ErrorDocument| {
            document.message = format!("stdin line {number}: {}", document.message);
            document.fields.insert("line".into(), number.into());
            Failure::from(document)
        };
        // A UTF-8 byte-order mark starts the input, not its first field.
        let bytes = match number {
            1 => buffer.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&buffer),
            _ => &buffer,
        };
        let line = std::str::from_utf8(bytes).map_err(|_| {
            at_line(ErrorDocument::new(
                "cli.bad-line",
                "expected UTF-8 text".into(),
                serde_json::Map::new(),
            ))
        })?;
        let mut fields = line.split_whitespace();
        let pair = match (fields.next(), fields.next(), fields.next()) {
            (Some(a), Some(b), None) => (a, b),
            _ => {
                let found = match line.split_whitespace().count() {
                    0 => "an empty line".to_string(),
                    n => format!("{n} in '{}'", Escaped(line.trim())),
                };
                return Err(at_line(ErrorDocument::new(
                    "cli.bad-line",
                    format!("expected 2 fields '{expected}', found {found}"),
                    serde_json::Map::new(),
                )));
            }
        };
        each(pair.0, pair.1).map_err(|failure| match failure {
            Failure::Refused { document, .. } => at_line(document),
            output => output,
        })?;
    }
}

/// Parses a streamed date field, naming the value when it is refused.
pub(crate) fn date_field(field: &str, text: &str) -> Result<NaiveDate, Failure> {
    crate::ops::date_value(field, text).map_err(Failure::from)
}

/// Parses a streamed count field, naming the value when it is refused.
pub(crate) fn count_field(field: &str, text: &str) -> Result<i32, Failure> {
    crate::ops::parse_working_days(field, text).map_err(Failure::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(
            parse_date("2026-02-28"),
            Ok(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap())
        );
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-2-28",
            "2026-02-028",
            "+2026-02-2",
            "2026/02/28",
            "2026-02-2x",
            "",
            "２026-02-28",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_fit_in_i32() {
        assert_eq!(parse_count("-5"), Ok(-5));
        assert!(parse_count("2147483648")
            .unwrap_err()
            .contains("in -2147483648..=2147483647"));
        assert!(parse_count("5.0").unwrap_err().contains("whole number"));
    }
}
