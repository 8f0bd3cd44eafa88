//! `ladder add-working-days`: the N-th working day after a date.

use std::io::{BufRead, Write};

use chrono::NaiveDate;
use clap::Args;
use escalation_ladder::WorkingCalendar;
use serde::Serialize;

use crate::common::{count_field, date_field, for_each_pair, parse_count, parse_date};
use crate::common::{CalendarArgs, Failure};

/// Print the date N working days after DATE.
///
/// N working days after DATE is the N-th working day strictly after DATE: DATE
/// itself is day 0, so a start on a non-working day makes the next working day
/// day 1. N = 0 gives DATE if it is a working day, else the next one; a negative N
/// counts back. Output: one YYYY-MM-DD line, or with --json one
/// {"date", "days", "result"} object.
///
/// Without DATE and N, reads `DATE N` lines (whitespace separated) from standard
/// input and writes one answer per line, in the same order (JSON Lines with
/// --json). Every input line must hold exactly two fields, so output line K
/// answers input line K. The first bad line stops the run with exit status 1 and
/// one message naming the line ("stdin line K: ..."); the answers to the lines
/// before it have already been written.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ladder add-working-days 2025-12-19 5          # 2025-12-30\n  printf '2025-12-19 5\\n2026-04-02 1\\n' | ladder add-working-days"
)]
pub struct AddArgs {
    #[command(flatten)]
    pub calendar: CalendarArgs,

    /// The start, YYYY-MM-DD (day 0); omit DATE and N to read lines from stdin
    #[arg(value_name = "DATE", value_parser = parse_date, requires = "days")]
    pub date: Option<NaiveDate>,

    /// The number of working days to add (negative counts back)
    #[arg(value_name = "N", value_parser = parse_count, allow_negative_numbers = true)]
    pub days: Option<i32>,

    /// Print JSON: {"date": ..., "days": ..., "result": ...} (one object per line)
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Answer {
    date: NaiveDate,
    days: i32,
    result: NaiveDate,
}

pub fn run(args: AddArgs, input: impl BufRead, out: &mut impl Write) -> Result<(), Failure> {
    let calendar = args.calendar.build()?;
    let json = args.json;
    match (args.date, args.days) {
        (Some(date), Some(days)) => answer(&calendar, date, days, json, out),
        _ => for_each_pair(input, "DATE N", |date, days| {
            answer(&calendar, date_field(date)?, count_field(days)?, json, out)
        }),
    }
}

fn answer(
    calendar: &WorkingCalendar,
    date: NaiveDate,
    days: i32,
    json: bool,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let result = calendar.add_working_days(date, days)?;
    if json {
        serde_json::to_writer(&mut *out, &Answer { date, days, result })?;
        writeln!(out)?;
    } else {
        writeln!(out, "{result}")?;
    }
    Ok(())
}
