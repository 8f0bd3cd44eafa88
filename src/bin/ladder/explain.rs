//! `ladder explain`: why N working days after a date lands where it does.

use std::io::Write;

use chrono::NaiveDate;
use clap::Args;

use crate::common::{parse_count, parse_date, CalendarArgs, Failure};

/// Explain `add-working-days DATE N`: each day walked, counted or skipped, and why.
///
/// Prints one line per day walked, from the day after DATE (DATE itself when N
/// is 0; backwards when N is negative) to the answer, each counted ("day K") or
/// skipped with its reason (weekend, bank holiday, closure), then the answer and
/// the number of days skipped. With --json prints the same as a JSON object
/// with region, start, days, result and walked (each day's date, kind and
/// counted_as).
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder explain 2025-12-24 3")]
pub struct ExplainArgs {
    #[command(flatten)]
    pub calendar: CalendarArgs,

    /// The start, YYYY-MM-DD (day 0)
    #[arg(value_name = "DATE", value_parser = parse_date)]
    pub date: NaiveDate,

    /// The number of working days to add (negative counts back)
    #[arg(value_name = "N", value_parser = parse_count, allow_negative_numbers = true)]
    pub days: i32,

    /// Print the explanation as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: ExplainArgs, out: &mut impl Write) -> Result<(), Failure> {
    let calendar = args.calendar.build()?;
    let explanation = calendar.explain_add_working_days(args.date, args.days)?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &explanation)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{explanation}")?;
    }
    Ok(())
}
