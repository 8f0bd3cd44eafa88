//! `ladder run`: apply JSON-lines events, let time act, and print the resulting
//! state or its status.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use escalation_ladder::engine::{advance, advance_for, apply, status, AlertState, Event, Status};
use escalation_ladder::escape::Escaped;
use escalation_ladder::ladder::Procedure;

use crate::common::{label, parse_date, Failure, ProcedureCalendarArgs};
use crate::procedures::ProcedureArg;

/// Apply events (JSON Lines) to a new alert and print the resulting state as JSON.
///
/// Each line is one event, e.g. {"on": "2026-12-21", "actor": "iro", "type":
/// "raise", "reason": "drift"}; blank lines are skipped. Before each event, time
/// acts up to its date (review decisions nobody answered are deemed agreed, on
/// the first working day after their window); with --as-of, time then acts up to
/// that date too. The first bad event stops the run with exit status 1 and one
/// message naming its line; nothing is printed on standard output then.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ladder run iro-dispute-resolution --events examples/data/iro-events.jsonl
  ladder run lac-review-decisions --events FILE --as-of 2027-01-04 --status")]
pub struct RunArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// The events file, or - for standard input
    #[arg(long, value_name = "FILE")]
    pub events: PathBuf,

    /// Let time act up to this date (not before the last event), YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    /// Print the status as at --as-of (or the last event's date) instead of the state
    #[arg(long)]
    pub status: bool,

    /// With --status: the status as JSON instead of text
    #[arg(long, requires = "status")]
    pub json: bool,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,
}

pub fn run(args: RunArgs, stdin: impl BufRead, out: &mut impl Write) -> Result<(), Failure> {
    let procedure = args.procedure.load()?;
    let Procedure::Ladder(ladder) = procedure else {
        return Err(Failure::Data(format!(
            "'{}' is a schedule: events run on ladders only",
            Escaped(procedure.id())
        )));
    };
    let calendar = args.calendar.build_for(ladder.working_days.region)?;
    let (label, reader): (String, Box<dyn BufRead>) = if args.events.as_os_str() == "-" {
        ("stdin".to_string(), Box::new(stdin))
    } else {
        let name = label(&args.events);
        let file = std::fs::File::open(&args.events)
            .map_err(|e| Failure::Data(format!("cannot read events file '{name}': {e}")))?;
        (name, Box::new(std::io::BufReader::new(file)))
    };
    let mut state = AlertState::new(&ladder.id);
    for (index, line) in reader.lines().enumerate() {
        let at = |message: String| Failure::Data(format!("{label} line {}: {message}", index + 1));
        let line = line.map_err(|e| at(format!("cannot read: {e}")))?;
        // A UTF-8 byte-order mark (as Windows editors write) starts the file, not
        // the first event.
        let line = match index {
            0 => line.strip_prefix('\u{feff}').unwrap_or(&line),
            _ => &line,
        };
        if line.trim().is_empty() {
            continue;
        }
        let event: Event = serde_json::from_str(line)
            .map_err(|e| at(format!("expected an event: {}", Escaped(&e.to_string()))))?;
        state = advance_for(&ladder, &calendar, &state, &event)
            .map_err(|e| at(e.to_string()))?
            .state
            .into_owned();
        state = apply(&ladder, &calendar, &state, &event)
            .map_err(|e| at(e.to_string()))?
            .state;
    }
    let as_of = match (args.as_of, state.last_event_on) {
        (Some(as_of), Some(last)) if as_of < last => {
            return Err(Failure::Data(format!(
                "--as-of {as_of} is before the last event ({last}): expected a date on or after it"
            )))
        }
        (Some(as_of), _) => Some(as_of),
        (None, last) => last,
    };
    if let Some(as_of) = as_of {
        state = advance(&ladder, &calendar, &state, as_of)?
            .state
            .into_owned();
    }
    if args.status {
        let Some(as_of) = as_of else {
            return Err(Failure::Data(
                "no events and no --as-of: expected a date for the status".to_string(),
            ));
        };
        let now = status(&ladder, &calendar, &state, as_of)?;
        if args.json {
            serde_json::to_writer_pretty(&mut *out, &now)?;
            writeln!(out)?;
        } else {
            write_status(out, &now)?;
        }
        return Ok(());
    }
    serde_json::to_writer_pretty(&mut *out, &state)?;
    writeln!(out)?;
    Ok(())
}

/// The status as `field<TAB>value` lines, then one `duty` line per open duty;
/// ids from the ladder are [escaped](escalation_ladder::escape).
pub fn write_status(out: &mut impl Write, now: &Status) -> std::io::Result<()> {
    let date = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
    let number = |n: Option<i64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
    let who = if now.who_must_act.is_empty() {
        "-".to_string()
    } else {
        now.who_must_act.join(", ")
    };
    let mut breaches = Vec::new();
    if now.breaches.ceiling_breached {
        breaches.push("ceiling-breached");
    }
    if now.breaches.extended_beyond_ceiling {
        breaches.push("extended-beyond-ceiling");
    }
    if now.over_open_threshold {
        breaches.push("over-open-threshold");
    }
    let lines = [
        ("as-of", now.as_of.to_string()),
        ("phase", now.phase.name().to_string()),
        ("stage", now.stage.as_deref().unwrap_or("-").to_string()),
        ("who-must-act", who),
        (
            "awaiting-step",
            now.awaiting_step.as_deref().unwrap_or("-").to_string(),
        ),
        ("next-deadline", date(now.next_deadline)),
        ("working-days-left", number(now.working_days_left)),
        ("calendar-days-left", number(now.calendar_days_left)),
        (
            "overdue",
            if now.overdue { "yes" } else { "no" }.to_string(),
        ),
        (
            "on-expiry",
            now.on_expiry.map_or("-", |a| a.describe()).to_string(),
        ),
        ("ceiling", date(now.ceiling)),
        (
            "ceiling-working-days-left",
            number(now.ceiling_working_days_left),
        ),
        (
            "breaches",
            if breaches.is_empty() {
                "-".to_string()
            } else {
                breaches.join(", ")
            },
        ),
        ("open-working-days", number(now.open_working_days)),
        ("time-acts-on", date(now.time_acts_on)),
    ];
    for (field, value) in lines {
        writeln!(out, "{field}\t{}", Escaped(&value))?;
    }
    for duty in &now.duties {
        writeln!(
            out,
            "duty\t{}\towners {}\tdue {}\t{}",
            Escaped(&duty.duty),
            Escaped(&duty.owners.join(", ")),
            date(duty.due),
            if duty.overdue { "overdue" } else { "open" }
        )?;
    }
    Ok(())
}
