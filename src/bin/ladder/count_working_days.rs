//! `ladder count-working-days`: the working days between two dates.

use std::io::{BufRead, Write};

use chrono::NaiveDate;
use clap::Args;
use escalation_ladder::WorkingCalendar;
use serde::Serialize;

use crate::common::{date_field, for_each_pair, parse_date, CalendarArgs, Failure};

/// Print the number of working days from FROM to TO.
///
/// Counts the working days in (FROM, TO]: FROM excluded, TO included, so
/// `add-working-days D N` gives a date whose count from D is N. Negative when TO is
/// before FROM. Output: one integer line, or with --json one
/// {"from", "to", "count"} object.
///
/// Without FROM and TO, reads `FROM TO` lines (whitespace separated) from standard
/// input and writes one answer per line, in the same order (JSON Lines with
/// --json). Every input line must hold exactly two fields, so output line K
/// answers input line K. The first bad line stops the run with exit status 1 and
/// one message naming the line ("stdin line K: ..."); the answers to the lines
/// before it have already been written.
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder count-working-days 2025-12-19 2025-12-30   # 5")]
pub struct CountArgs {
    #[command(flatten)]
    pub calendar: CalendarArgs,

    /// The first date, YYYY-MM-DD (excluded); omit FROM and TO to read lines from stdin
    #[arg(value_name = "FROM", value_parser = parse_date, requires = "to")]
    pub from: Option<NaiveDate>,

    /// The last date, YYYY-MM-DD (included)
    #[arg(value_name = "TO", value_parser = parse_date)]
    pub to: Option<NaiveDate>,

    /// Print JSON: {"from": ..., "to": ..., "count": ...} (one object per line)
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Answer {
    from: NaiveDate,
    to: NaiveDate,
    count: i64,
}

pub fn run(args: CountArgs, input: impl BufRead, out: &mut impl Write) -> Result<(), Failure> {
    let calendar = args.calendar.build()?;
    let json = args.json;
    match (args.from, args.to) {
        (Some(from), Some(to)) => answer(&calendar, from, to, json, out),
        _ => for_each_pair(input, "FROM TO", |from, to| {
            answer(&calendar, date_field(from)?, date_field(to)?, json, out)
        }),
    }
}

fn answer(
    calendar: &WorkingCalendar,
    from: NaiveDate,
    to: NaiveDate,
    json: bool,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let count = calendar.count_working_days(from, to)?;
    if json {
        serde_json::to_writer(&mut *out, &Answer { from, to, count })?;
        writeln!(out)?;
    } else {
        writeln!(out, "{count}")?;
    }
    Ok(())
}
