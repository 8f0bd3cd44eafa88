//! The subcommands on calendars and procedures: `holidays`,
//! `add-working-days`, `count-working-days`, `explain`, `ladders`, `show`,
//! `validate` and `timeline`.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use crate::escape::Escaped;
use crate::ladder::Procedure;
use crate::ops::{
    self, AddRequest, CountRequest, HolidaysRequest, LaddersRequest, Registry, ShowRequest,
    Timeline, TimelineRequest, ValidateRequest,
};
use crate::sources::label;

use super::common::{
    count_field, date_field, for_each_pair, parse_count, parse_date, read_text, AdjustArgs,
    Failure, ProcedureArg, ProcedureCalendarArgs, RegionArg,
};
use super::{print_json, Io};

/// List the bank holidays that make a weekday non-working, in date order.
///
/// A fixed-date holiday that falls at a weekend is listed as its substitute
/// weekday, named "… (substitute day)". Output: one `YYYY-MM-DD<TAB>name` line per
/// holiday, or with --json a JSON array of {"date", "name", "kind"} objects, where
/// kind is regular, substitute, moved or proclaimed.
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder holidays --region scotland --from 2026 --to 2027")]
pub(crate) struct HolidaysArgs {
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

pub(crate) fn holidays(
    args: HolidaysArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let request = HolidaysRequest {
        region: args.region.name(),
        from: args.from,
        to: args.to,
    };
    let all = ops::holidays(registry, &request)?;
    if args.json {
        return print_json(io, &all);
    }
    for holiday in &all {
        writeln!(io.stdout, "{}\t{}", holiday.date, holiday.name)?;
    }
    Ok(())
}

/// Print the date N working days after DATE.
///
/// N working days after DATE is the N-th working day strictly after DATE: DATE
/// itself is day 0, so a start on a non-working day makes the next working day
/// day 1. N = 0 gives DATE if it is a working day, else the next one; a negative N
/// counts back. Output: one YYYY-MM-DD line, or with --json one
/// {"from", "working_days", "result", "region"} object.
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
pub(crate) struct AddArgs {
    #[command(flatten)]
    pub region: RegionArg,

    #[command(flatten)]
    pub adjust: AdjustArgs,

    /// The start, YYYY-MM-DD (day 0); omit DATE and N to read lines from stdin
    #[arg(value_name = "DATE", value_parser = parse_date, requires = "days")]
    pub date: Option<NaiveDate>,

    /// The number of working days to add (negative counts back)
    #[arg(value_name = "N", value_parser = parse_count, allow_negative_numbers = true)]
    pub days: Option<i32>,

    /// Print JSON: {"from", "working_days", "result", "region"} (one object per line)
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn add(args: AddArgs, registry: &Registry, io: &mut Io<'_>) -> Result<(), Failure> {
    let region = args.region.name();
    let json = args.json;
    let answer = |from, working_days, out: &mut dyn Write| -> Result<(), Failure> {
        let request = AddRequest {
            from,
            working_days,
            region: region.clone(),
        };
        let added = ops::add_working_days(registry, &request)?;
        if json {
            let body = ops::Answer::json(&added)?.body;
            out.write_all(&body)?;
            out.write_all(b"\n")?;
        } else {
            writeln!(out, "{}", added.result)?;
        }
        Ok(())
    };
    match (args.date, args.days) {
        (Some(date), Some(days)) => answer(date, days, io.stdout),
        _ => {
            let out = &mut *io.stdout;
            for_each_pair(io.stdin, "DATE N", |date, days| {
                answer(
                    date_field("from", date)?,
                    count_field("working_days", days)?,
                    out,
                )
            })
        }
    }
}

/// Print the number of working days from FROM to TO.
///
/// Counts the working days in (FROM, TO]: FROM excluded, TO included, so
/// `add-working-days D N` gives a date whose count from D is N. Negative when TO is
/// before FROM. Output: one integer line, or with --json one
/// {"from", "to", "working_days", "region"} object.
///
/// Without FROM and TO, reads `FROM TO` lines (whitespace separated) from standard
/// input and writes one answer per line, in the same order (JSON Lines with
/// --json). Every input line must hold exactly two fields, so output line K
/// answers input line K. The first bad line stops the run with exit status 1 and
/// one message naming the line ("stdin line K: ..."); the answers to the lines
/// before it have already been written.
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder count-working-days 2025-12-19 2025-12-30   # 5")]
pub(crate) struct CountArgs {
    #[command(flatten)]
    pub region: RegionArg,

    #[command(flatten)]
    pub adjust: AdjustArgs,

    /// The first date, YYYY-MM-DD (excluded); omit FROM and TO to read lines from stdin
    #[arg(value_name = "FROM", value_parser = parse_date, requires = "to")]
    pub from: Option<NaiveDate>,

    /// The last date, YYYY-MM-DD (included)
    #[arg(value_name = "TO", value_parser = parse_date)]
    pub to: Option<NaiveDate>,

    /// Print JSON: {"from", "to", "working_days", "region"} (one object per line)
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn count(args: CountArgs, registry: &Registry, io: &mut Io<'_>) -> Result<(), Failure> {
    let region = args.region.name();
    let json = args.json;
    let answer = |from, to, out: &mut dyn Write| -> Result<(), Failure> {
        let request = CountRequest {
            from,
            to,
            region: region.clone(),
        };
        let counted = ops::count_working_days(registry, &request)?;
        if json {
            let body = ops::Answer::json(&counted)?.body;
            out.write_all(&body)?;
            out.write_all(b"\n")?;
        } else {
            writeln!(out, "{}", counted.working_days)?;
        }
        Ok(())
    };
    match (args.from, args.to) {
        (Some(from), Some(to)) => answer(from, to, io.stdout),
        _ => {
            let out = &mut *io.stdout;
            for_each_pair(io.stdin, "FROM TO", |from, to| {
                answer(date_field("from", from)?, date_field("to", to)?, out)
            })
        }
    }
}

/// Explain `add-working-days DATE N`: each day walked, counted or skipped, and why.
///
/// Prints one line per day walked, from the day after DATE (DATE itself when N
/// is 0; backwards when N is negative) to the answer, each counted ("day K") or
/// skipped with its reason (weekend, bank holiday, closure), then the answer and
/// the number of days skipped. With --json prints the same as a JSON object
/// with region, from, working_days, result and walked (each day's date, kind
/// and counted_as).
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder explain 2025-12-24 3")]
pub(crate) struct ExplainArgs {
    #[command(flatten)]
    pub region: RegionArg,

    #[command(flatten)]
    pub adjust: AdjustArgs,

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

pub(crate) fn explain(
    args: ExplainArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let request = AddRequest {
        from: args.date,
        working_days: args.days,
        region: args.region.name(),
    };
    let explanation = ops::explain(registry, &request)?;
    if args.json {
        return print_json(io, &explanation);
    }
    writeln!(io.stdout, "{explanation}")?;
    Ok(())
}

/// List the procedures, one `id<TAB>title` line each (or with --json a JSON
/// array of {"id", "title", "kind"}).
#[derive(Debug, Args)]
pub(crate) struct LaddersArgs {
    /// Print a JSON array instead of lines
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn ladders(
    args: LaddersArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let listed = ops::ladders(registry, &LaddersRequest {});
    if args.json {
        return print_json(io, &listed);
    }
    for listed in listed {
        writeln!(io.stdout, "{}\t{}", listed.id, listed.title)?;
    }
    Ok(())
}

/// Print a procedure's stage table (or a schedule's milestones) for people.
///
/// With --json or --toml, print the whole procedure instead; either loads back
/// unchanged (`ladder validate`, `--file`; JSON from a file named .json).
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder show iro-dispute-resolution")]
pub(crate) struct ShowArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// Print the whole procedure as JSON
    #[arg(long, conflicts_with = "toml")]
    pub json: bool,

    /// Print the whole procedure as TOML
    #[arg(long, conflicts_with = "format")]
    pub toml: bool,

    /// Draw a ladder: svg (a diagram of its stages, windows, routes,
    /// bypasses and ceiling) or mermaid (the same as a Mermaid flowchart)
    #[arg(long, value_name = "svg|mermaid", conflicts_with = "json")]
    pub format: Option<String>,
}

pub(crate) fn show(args: ShowArgs, registry: &Registry, io: &mut Io<'_>) -> Result<(), Failure> {
    let request = ShowRequest {
        procedure: args.procedure.id(registry),
        format: args.format.clone(),
    };
    if args.format.is_some() {
        let answer = ops::show_as(registry, &request)?;
        io.stdout.write_all(&answer.body)?;
        return Ok(());
    }
    let procedure = ops::show(registry, &request)?;
    if args.json {
        return print_json(io, procedure);
    }
    if args.toml {
        let text = procedure
            .to_toml_string()
            .map_err(|e| Failure::from(crate::contract::ErrorDocument::from(&e)))?;
        write!(io.stdout, "{text}")?;
        return Ok(());
    }
    match procedure {
        Procedure::Ladder(ladder) => write!(io.stdout, "{}", ladder.stage_table())?,
        Procedure::Schedule(schedule) => write!(io.stdout, "{}", schedule.milestone_table())?,
    }
    Ok(())
}

/// Check a procedure file, TOML or (named .json) JSON: a summary on success,
/// the first error (file, line, stage, field) on failure. The schema, key by
/// key: docs/ladder-schema.md.
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder validate ladders/iro-dispute-resolution.toml")]
pub(crate) struct ValidateArgs {
    /// The procedure file: TOML, or JSON if its name ends in .json
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn validate(
    args: ValidateArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let (name, text) = read_text("ladder file", &args.file, io.stdin)?;
    let is_json = args
        .file
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    let request = ValidateRequest {
        format: Some(if is_json { "json" } else { "toml" }.to_string()),
        name: Some(name),
    };
    let validated = ops::validate(registry, &request, &text)?;
    if args.json {
        return print_json(io, &validated);
    }
    let shape = match (validated.stages, validated.milestones) {
        (Some(stages), _) => {
            let ceiling = validated
                .ceiling_working_days
                .map(|days| format!(", ceiling {days} working days"))
                .unwrap_or_default();
            format!("ladder, {stages} stages{ceiling}")
        }
        (None, milestones) => format!("schedule, {} milestones", milestones.unwrap_or(0)),
    };
    writeln!(
        io.stdout,
        "{}: ok: '{}' ({}): {shape}, {} assumptions",
        label(&args.file),
        Escaped(&validated.id),
        Escaped(&validated.title),
        validated.assumptions
    )?;
    Ok(())
}

/// Print a ladder's worst case: nobody responds, each stage escalated the day its
/// response is due.
///
/// One `stage-id<TAB>entered<TAB>respond-by` line per stage on the default path
/// (respond-by empty where no window applies), then `ceiling<TAB>DATE` where the
/// ladder has a ceiling. For a schedule, one `milestone-id<TAB>date<TAB>until` line
/// per milestone (until empty for a single day), followed for a repeating
/// milestone by a fourth field: every date it falls on, comma-separated. With
/// --json, the same as one JSON document.
#[derive(Debug, Args)]
#[command(after_help = "Example: ladder timeline iro-dispute-resolution --raised 2026-12-21")]
pub(crate) struct TimelineArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// The day the alert is raised (day 0), or a schedule's day 1, YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub raised: NaiveDate,

    /// Print the timeline as JSON: `{"procedure", "raised", "stages", "ceiling"}`
    /// for a ladder, `{"procedure", "day_one", "milestones"}` for a schedule
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Draw a ladder's worst case: svg (a picture of each stage from entry to
    /// response date, the ceiling and the days that are not working days) or
    /// html (the picture on a page, with its dates as a table)
    #[arg(long, value_name = "svg|html")]
    pub format: Option<String>,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,
}

fn cell(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

pub(crate) fn timeline(
    args: TimelineArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let request = TimelineRequest {
        procedure: args.procedure.id(registry),
        raised: args.raised,
        format: args.format.clone(),
    };
    if args.format.is_some() {
        let answer = ops::timeline_as(registry, &request)?;
        io.stdout.write_all(&answer.body)?;
        return Ok(());
    }
    let timeline = ops::timeline(registry, &request)?;
    if args.json {
        return print_json(io, &timeline);
    }
    let out = &mut *io.stdout;
    match timeline {
        Timeline::Ladder(timeline) => {
            for row in timeline.stages {
                writeln!(
                    out,
                    "{}\t{}\t{}",
                    Escaped(&row.stage),
                    row.entered,
                    cell(row.respond_by)
                )?;
            }
            if let Some(ceiling) = timeline.ceiling {
                writeln!(out, "ceiling\t{ceiling}")?;
            }
        }
        Timeline::Schedule(timeline) => {
            for milestone in timeline.milestones {
                write!(
                    out,
                    "{}\t{}\t{}",
                    Escaped(&milestone.id),
                    milestone.date,
                    cell(milestone.until)
                )?;
                if !milestone.occurrences.is_empty() {
                    let dates: Vec<String> = milestone
                        .occurrences
                        .iter()
                        .map(|d| d.to_string())
                        .collect();
                    write!(out, "\t{}", dates.join(","))?;
                }
                writeln!(out)?;
            }
        }
    }
    Ok(())
}
