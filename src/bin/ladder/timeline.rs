//! `ladder timeline`: a ladder's worst case, or a schedule's dates.

use std::io::Write;

use chrono::NaiveDate;
use clap::Args;
use escalation_ladder::engine::{
    schedule_dates, worst_case_timeline, EngineError, LadderTimeline, ScheduleTimeline,
};
use escalation_ladder::escape::Escaped;
use escalation_ladder::ladder::Procedure;

use crate::common::{parse_date, Failure, ProcedureCalendarArgs};
use crate::procedures::ProcedureArg;

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Self {
        Failure::Data(e.to_string())
    }
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
pub struct TimelineArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// The day the alert is raised (day 0), or a schedule's day 1, YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub raised: NaiveDate,

    /// Print the timeline as JSON: `{"procedure", "raised", "stages", "ceiling"}`
    /// for a ladder, `{"procedure", "day_one", "milestones"}` for a schedule
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,
}

fn cell(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

pub fn run(args: TimelineArgs, out: &mut impl Write) -> Result<(), Failure> {
    let procedure = args.procedure.load()?;
    match &procedure {
        Procedure::Ladder(ladder) => {
            let calendar = args.calendar.build_for(ladder.working_days.region)?;
            let (rows, ceiling) = worst_case_timeline(ladder, &calendar, args.raised)?;
            if args.json {
                let timeline = LadderTimeline {
                    procedure: ladder.id.to_string(),
                    raised: args.raised,
                    stages: rows,
                    ceiling,
                };
                serde_json::to_writer_pretty(&mut *out, &timeline)?;
                writeln!(out)?;
                return Ok(());
            }
            for row in rows {
                writeln!(
                    out,
                    "{}\t{}\t{}",
                    Escaped(&row.stage),
                    row.entered,
                    cell(row.respond_by)
                )?;
            }
            if let Some(ceiling) = ceiling {
                writeln!(out, "ceiling\t{ceiling}")?;
            }
        }
        Procedure::Schedule(schedule) => {
            let calendar = args.calendar.build_for(schedule.working_days.region)?;
            let milestones = schedule_dates(schedule, &calendar, args.raised)?;
            if args.json {
                let timeline = ScheduleTimeline {
                    procedure: schedule.id.to_string(),
                    day_one: args.raised,
                    milestones,
                };
                serde_json::to_writer_pretty(&mut *out, &timeline)?;
                writeln!(out)?;
                return Ok(());
            }
            for milestone in milestones {
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
