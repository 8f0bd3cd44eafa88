//! What the subcommands share: the failure type, strict parsers for dates and
//! counts, the calendar options, and the reader for streamed input lines.

use std::fmt;
use std::io::{self, BufRead};
use std::num::IntErrorKind;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use escalation_ladder::escape::Escaped;
use escalation_ladder::sources::{SourceError, Sources};
use escalation_ladder::{CalendarError, Region, WorkingCalendar};

/// Why a subcommand stopped.
///
/// A message quotes values from input (a path, a field, an id) through
/// [`Escaped`] or a library error's own escaping, so that it stays one line and
/// writes no terminal codes; `main` escapes the whole line once more as a guard.
#[derive(Debug)]
pub enum Failure {
    /// Bad data (a value, a line of input, a file): one line for standard error.
    Data(String),
    /// Writing the output failed (a closed pipe is reported by `main` as success).
    Output(io::Error),
}

impl Failure {
    /// Whether the output pipe was closed by the reader (`ladder ... | head -1`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Failure::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Data(message) => f.write_str(message),
            Failure::Output(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

impl From<CalendarError> for Failure {
    fn from(e: CalendarError) -> Self {
        Failure::Data(e.to_string())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        match e.io_error_kind() {
            Some(kind) => Failure::Output(io::Error::new(kind, e)),
            None => Failure::Data(format!("cannot write JSON: {e}")),
        }
    }
}

/// What a date must look like.
pub const DATE_EXPECTED: &str = escalation_ladder::input::DATE_EXPECTED;

/// Parses a date strictly as `YYYY-MM-DD` (exactly 10 characters, a real day),
/// by the library's one rule for dates ([`escalation_ladder::input::parse_date`]).
///
/// The error says what was expected; the caller adds the value it refused.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    escalation_ladder::input::parse_date(text).ok_or_else(|| DATE_EXPECTED.to_string())
}

/// Parses a number of working days: a whole number that fits in an `i32`.
///
/// The error says what was expected; the caller adds the value it refused.
pub fn parse_count(text: &str) -> Result<i32, String> {
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
pub fn parse_region(text: &str) -> Result<Region, String> {
    text.parse::<Region>().map_err(|e| e.to_string())
}

/// The region option, shared by every subcommand that uses a calendar.
#[derive(Debug, Args)]
pub struct RegionArg {
    /// Bank-holiday division: england-and-wales, scotland, northern-ireland, or
    /// united-kingdom (a holiday anywhere in the UK)
    #[arg(
        long,
        value_name = "REGION",
        default_value = "england-and-wales",
        value_parser = parse_region
    )]
    pub region: Region,
}

/// The options that choose and adjust a working calendar.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    #[command(flatten)]
    pub region: RegionArg,

    #[command(flatten)]
    pub adjust: AdjustArgs,
}

impl CalendarArgs {
    /// Builds the calendar once: the region's tables plus the files and closures.
    pub fn build(&self) -> Result<WorkingCalendar, Failure> {
        self.adjust.build_for(self.region.region)
    }
}

/// The options that adjust a working calendar: every command that counts days
/// takes them.
#[derive(Debug, Args)]
pub struct AdjustArgs {
    /// Extra bank holidays, e.g. proclaimed after this release: GOV.UK's
    /// bank-holidays JSON if FILE ends in .json, else one `YYYY-MM-DD name` per line
    /// (# comments and blank lines ignored). Repeatable
    #[arg(long, value_name = "FILE")]
    pub holidays: Vec<PathBuf>,

    /// A weekday on which the service is closed (e.g. a Christmas shutdown), as
    /// YYYY-MM-DD. Repeatable
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub closure: Vec<NaiveDate>,
}

/// The calendar options of a command that runs a procedure: the division
/// (the procedure's own unless given) and the adjustments.
#[derive(Debug, Args)]
pub struct ProcedureCalendarArgs {
    /// Bank-holiday division [default: the procedure's own]
    #[arg(long, value_name = "REGION", value_parser = parse_region)]
    pub region: Option<Region>,

    #[command(flatten)]
    pub adjust: AdjustArgs,
}

impl ProcedureCalendarArgs {
    /// The calendar: `--region`, else the procedure's own division, adjusted.
    pub fn build_for(&self, procedure_region: Region) -> Result<WorkingCalendar, Failure> {
        self.adjust
            .build_for(self.region.unwrap_or(procedure_region))
    }
}

/// The reason recorded for a `--closure` day (shown by `explain`).
pub const CLOSURE_REASON: &str = "given with --closure";

impl AdjustArgs {
    /// Builds `region`'s calendar with the files and closures (the library's
    /// [`Sources::calendar`]), warning on standard error of a closure that
    /// changes nothing.
    pub fn build_for(&self, region: Region) -> Result<WorkingCalendar, Failure> {
        let (calendar, warnings) = self.sources(&[]).calendar(region, CLOSURE_REASON)?;
        warn(&warnings);
        Ok(calendar)
    }

    /// The sources these options and `ladder_files` name.
    pub fn sources(&self, ladder_files: &[PathBuf]) -> Sources {
        Sources {
            ladder_files: ladder_files.to_vec(),
            holidays: self.holidays.clone(),
            closures: self.closure.clone(),
        }
    }
}

/// Prints each warning on standard error as one `ladder: warning: ` line.
pub fn warn(warnings: &[String]) {
    for warning in warnings {
        eprintln!("ladder: warning: {warning}");
    }
}

impl From<SourceError> for Failure {
    fn from(e: SourceError) -> Self {
        Failure::Data(e.to_string())
    }
}

pub use escalation_ladder::sources::label;

/// Reads `A B` lines (two whitespace-separated fields) from `input`, calling
/// `each` with the fields of each line in turn.
///
/// Every line must have exactly two fields (an empty line is an error too), so
/// that output line N answers input line N. A UTF-8 byte-order mark at the start
/// of the input is skipped. A data error from `each` is prefixed with
/// `stdin line N: `; output errors pass through unchanged.
pub fn for_each_pair(
    mut input: impl BufRead,
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
            .map_err(|e| Failure::Data(format!("cannot read stdin: {e}")))?;
        if read == 0 {
            return Ok(());
        }
        let at_line = |message: String| Failure::Data(format!("stdin line {number}: {message}"));
        // A UTF-8 byte-order mark starts the input, not its first field.
        let bytes = match number {
            1 => buffer.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&buffer),
            _ => &buffer,
        };
        let line =
            std::str::from_utf8(bytes).map_err(|_| at_line("expected UTF-8 text".to_string()))?;
        let mut fields = line.split_whitespace();
        let pair = match (fields.next(), fields.next(), fields.next()) {
            (Some(a), Some(b), None) => (a, b),
            _ => {
                let found = match line.split_whitespace().count() {
                    0 => "an empty line".to_string(),
                    n => format!("{n} in '{}'", Escaped(line.trim())),
                };
                return Err(at_line(format!(
                    "expected 2 fields '{expected}', found {found}"
                )));
            }
        };
        each(pair.0, pair.1).map_err(|failure| match failure {
            Failure::Data(message) => at_line(message),
            output => output,
        })?;
    }
}

/// Parses a streamed date field, naming the value when it is refused.
pub fn date_field(text: &str) -> Result<NaiveDate, Failure> {
    parse_date(text).map_err(|e| Failure::Data(format!("{e}, found '{}'", Escaped(text))))
}

/// Parses a streamed count field, naming the value when it is refused.
pub fn count_field(text: &str) -> Result<i32, Failure> {
    parse_count(text).map_err(|e| Failure::Data(format!("{e}, found '{}'", Escaped(text))))
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
