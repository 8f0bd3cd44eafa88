//! `ladder apply` and `ladder status`: one stored alert at a time, for a case
//! system that keeps the state in its own database and shells out per event.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;
use escalation_ladder::engine::{advance_for, apply, status, AlertState, Event, OwnedTransition};
use escalation_ladder::escape::Escaped;
use escalation_ladder::ladder::{Ladder, Procedure};
use escalation_ladder::WorkingCalendar;
use serde::Serialize;

use crate::common::{label, parse_date, Failure, ProcedureCalendarArgs};
use crate::procedures::ProcedureArg;
use crate::run::write_status;

/// Apply one event to a stored alert: print the transitions (time's, then the
/// event's) and the new state.
///
/// The state is the JSON that `run` or an earlier `apply` printed (the `state`
/// of `--json`'s output); without --state the event applies to a new alert (a
/// raise). Before the event, time acts up to its date, as in `run`. A refused
/// event prints nothing on standard output and one line on standard error
/// (exit 1); the stored state is then still the one to keep. An event whose
/// `id` the state has already applied is a re-delivery: the state comes back
/// unchanged with the one effect `already-applied` (exit 0).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ladder apply iro-dispute-resolution --event '{\"on\":\"2026-12-18\",\"actor\":\"iro\",\"type\":\"raise\",\"stage\":\"team-manager\",\"reason\":\"drift\"}' --json > state.json
  ladder apply iro-dispute-resolution --state state.json --event '{\"on\":\"2026-12-29\",\"actor\":\"tm\",\"type\":\"respond\"}'")]
pub struct ApplyArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// The stored state (JSON), or - for standard input [default: a new alert]
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// The event, as JSON
    #[arg(long, value_name = "JSON")]
    pub event: String,

    /// Refuse the event (exit 1) unless the stored state is at this version
    /// (its `events_applied`, as last read): optimistic concurrency
    #[arg(long, value_name = "N")]
    pub expect_version: Option<u32>,

    /// Print `{"state": …, "transitions": […]}` as JSON instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,
}

/// Print a stored alert's status as at a date, after time has acted.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  ladder status iro-dispute-resolution --state state.json --as-of 2026-12-24")]
pub struct StatusArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// The stored state (JSON), or - for standard input
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,

    /// The date, YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: NaiveDate,

    /// The status as JSON instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,
}

/// What `apply --json` prints.
#[derive(Serialize)]
struct Applied<'a> {
    state: &'a AlertState,
    transitions: &'a [OwnedTransition],
}

pub fn run_apply(
    args: ApplyArgs,
    stdin: impl BufRead,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let (ladder, calendar) = ladder_and_calendar(&args.procedure, &args.calendar)?;
    let state = match &args.state {
        Some(path) => read_state(path, stdin, &ladder)?,
        None => AlertState::new(&ladder.id),
    };
    let event: Event =
        serde_json::from_str(args.event.trim_start_matches('\u{feff}')).map_err(|e| {
            Failure::Data(format!(
                "--event: expected an event: {}",
                Escaped(&e.to_string())
            ))
        })?;
    // The version is the stored state's, before time acts.
    if let Some(version) = args.expect_version {
        state.check_version(&event, version)?;
    }
    let advanced = advance_for(&ladder, &calendar, &state, &event)?;
    let mut transitions = advanced.transitions;
    let before = advanced.state.into_owned();
    let transition = apply(&ladder, &calendar, &before, &event)?.into_owned();
    let state = transition.state.clone();
    transitions.push(transition);
    if args.json {
        serde_json::to_writer_pretty(
            &mut *out,
            &Applied {
                state: &state,
                transitions: &transitions,
            },
        )?;
        writeln!(out)?;
        return Ok(());
    }
    for t in &transitions {
        let event = &t.audit.event;
        writeln!(
            out,
            "{}\t{}\t{}",
            event.on,
            Escaped(&event.actor),
            event.kind.name()
        )?;
        for effect in &t.effects {
            writeln!(out, "\t{}", Escaped(&serde_json::to_string(effect)?))?;
        }
    }
    serde_json::to_writer_pretty(&mut *out, &state)?;
    writeln!(out)?;
    Ok(())
}

pub fn run_status(
    args: StatusArgs,
    stdin: impl BufRead,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let (ladder, calendar) = ladder_and_calendar(&args.procedure, &args.calendar)?;
    let state = read_state(&args.state, stdin, &ladder)?;
    let now = status(&ladder, &calendar, &state, args.as_of)?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &now)?;
        writeln!(out)?;
    } else {
        write_status(out, &now)?;
    }
    Ok(())
}

fn ladder_and_calendar(
    procedure: &ProcedureArg,
    calendar: &ProcedureCalendarArgs,
) -> Result<(Ladder, WorkingCalendar), Failure> {
    let procedure = procedure.load()?;
    let Procedure::Ladder(ladder) = procedure else {
        return Err(Failure::Data(format!(
            "'{}' is a schedule: alerts run on ladders only",
            Escaped(procedure.id())
        )));
    };
    let calendar = calendar.build_for(ladder.working_days.region)?;
    Ok((ladder, calendar))
}

/// Reads a stored state from a file or standard input (`-`).
fn read_state(
    path: &Path,
    mut stdin: impl BufRead,
    ladder: &Ladder,
) -> Result<AlertState, Failure> {
    let (name, text) = if path.as_os_str() == "-" {
        let mut text = String::new();
        stdin
            .read_to_string(&mut text)
            .map_err(|e| Failure::Data(format!("cannot read the state from stdin: {e}")))?;
        ("stdin".to_string(), text)
    } else {
        let name = label(path);
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Data(format!("cannot read state file '{name}': {e}")))?;
        (name, text)
    };
    let state: AlertState =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
            Failure::Data(format!(
                "{name}: expected an alert state: {}",
                Escaped(&e.to_string())
            ))
        })?;
    if *state.ladder != *ladder.id {
        return Err(Failure::Data(format!(
            "{name}: the state belongs to ladder '{}', not '{}'",
            Escaped(&state.ladder),
            Escaped(&ladder.id)
        )));
    }
    Ok(state)
}
