//! `ladder holidays`: the bank holidays of a region over a span of years.

use std::io::Write;

use clap::Args;
use escalation_ladder::calendar::{bank_holidays, FIRST_YEAR, LAST_YEAR};
use escalation_ladder::CalendarError;

use crate::common::{Failure, RegionArg};

/// List the bank holidays that make a weekday non-working, in date order.
///
/// A fixed-date holiday that falls at a weekend is listed as its substitute
/// weekday, named "… (substitute day)". Output: one `YYYY-MM-DD<TAB>name` line per
/// holiday, or with --json a JSON array of {"date", "name", "kind"} objects, where
/// kind is regular, substitute, moved or proclaimed.
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder holidays --region scotland --from 2026 --to 2027")]
pub struct HolidaysArgs {
    #[command(flatten)]
    pub region: RegionArg,

    /// First year (1978..=2199)
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub from: i32,

    /// Last year, inclusive (1978..=2199) [default: the --from year]
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub to: Option<i32>,

    /// Print a JSON array instead of lines
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: HolidaysArgs, out: &mut impl Write) -> Result<(), Failure> {
    let region = args.region.region;
    let to = args.to.unwrap_or(args.from);
    if to < args.from {
        return Err(Failure::Data(format!(
            "--to {to} is before --from {}: expected --from YEAR --to YEAR in order",
            args.from
        )));
    }
    // Both years are checked first, so the error names the year given (99999),
    // not the first year past the tables (2200) that the loop would reach.
    for year in [args.from, to] {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(CalendarError::YearOutOfRange { year }.into());
        }
    }
    let mut all = Vec::new();
    for year in args.from..=to {
        all.extend(bank_holidays(region, year)?);
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &all)?;
        writeln!(out)?;
    } else {
        for holiday in &all {
            writeln!(out, "{}\t{}", holiday.date, holiday.name)?;
        }
    }
    Ok(())
}
