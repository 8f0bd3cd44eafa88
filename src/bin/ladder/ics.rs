//! `ladder ics`: the deadlines of open alerts as an iCalendar file.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use escalation_ladder::ics::{DeadlineCalendar, IcsOptions};
use escalation_ladder::report::CaseReader;

use crate::cases_file;
use crate::common::{parse_date, AdjustArgs, Failure};

/// Print the deadlines of open alerts as an iCalendar (RFC 5545) file.
///
/// Reads a cases file (JSON Lines: one alert a line, {"case", "ladder",
/// "events", ...}), replays each alert's events up to the as-of date, and
/// prints one all-day event per open alert's response date and one per
/// ceiling. UIDs name the case, the ladder and the deadline (never its date),
/// so re-importing tomorrow's file updates the same events; SEQUENCE is the
/// alert's number of events; DTSTAMP is the as-of date at 00:00:00Z. A bad
/// record stops the run with exit status 1 and one message naming the file,
/// its line and the reason; nothing is printed on standard output then.
/// Progress goes to standard error when it is a terminal.
#[derive(Debug, Args)]
#[command(
    after_help = "Example: ladder ics --as-of 2026-12-24 --cases cases.jsonl > deadlines.ics"
)]
pub struct IcsArgs {
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
    #[arg(long, value_name = "N", default_value_t = cases_file::PROGRESS_EVERY, hide = true)]
    pub progress_every: usize,
}

pub fn run(args: IcsArgs, stdin: impl BufRead, out: &mut impl Write) -> Result<(), Failure> {
    let procedures = cases_file::procedures(&args.ladder_files, &args.adjust)?;
    let mut options = IcsOptions::default();
    if let Some(name) = args.calendar_name {
        options.calendar_name = name;
    }
    if let Some(domain) = args.uid_domain {
        options.uid_domain = domain;
    }
    let mut calendar =
        DeadlineCalendar::new(args.as_of, options).map_err(|e| Failure::Data(e.to_string()))?;
    let (label, input) = cases_file::open(&args.cases, stdin)?;
    let mut progress = cases_file::progress("ics", args.progress_every);
    let reader = CaseReader::new(input, &procedures).events_until(args.as_of);
    reader.read_each(|line, case| {
        let case = case.map_err(|e| Failure::Data(format!("{label} {e}")))?;
        calendar
            .add_case(&case, &procedures)
            .map_err(|e| Failure::Data(format!("{label} line {line}: {e}")))?;
        progress.case_read(format_args!(", {} events", calendar.event_count()));
        Ok::<(), Failure>(())
    })?;
    progress.finish(format_args!(", {} events", calendar.event_count()));
    drop(progress);
    // Everything was read and computed: write it in one go.
    calendar.write_to(out)?;
    Ok(())
}
