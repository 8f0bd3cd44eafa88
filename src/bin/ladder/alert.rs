//! `ladder apply` and `ladder status`: one stored alert at a time, for a case
//! system that keeps the state in its own database and shells out per event.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;
use escalation_ladder::engine::{
    apply_after_time, recompute, status, AlertState, Applied, AuditEntry, Event, Recomputed,
};
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

/// Re-base a stored alert on the calendar and ladder given (after a closure, a
/// newly proclaimed bank holiday or a new version of the ladder): replay its
/// audit trail and print what moved, then the new state.
///
/// The trail is JSON Lines, one audit entry a line (the `audit` of each of
/// `apply --json`'s transitions, in order). Text: `field<TAB>before<TAB>after`
/// for the phase, stage, response date, ceiling and breaches, a `moved<TAB>yes|no`
/// line, then the new state as JSON; --json prints
/// `{"moved", "before", "after", "state", "trail"}`.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  ladder recompute iro-dispute-resolution --state state.json --trail trail.jsonl --closure 2026-12-29")]
pub struct RecomputeArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// The stored state (JSON)
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,

    /// The stored audit trail (JSON Lines), or - for standard input
    #[arg(long, value_name = "FILE")]
    pub trail: PathBuf,

    /// Print the result as JSON instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,
}

pub fn run_recompute(
    args: RecomputeArgs,
    stdin: impl BufRead,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let (ladder, calendar) = ladder_and_calendar(&args.procedure, &args.calendar)?;
    let stored = read_state(&args.state, std::io::empty(), &ladder)?;
    let (name, lines): (String, Box<dyn BufRead + '_>) = if args.trail.as_os_str() == "-" {
        ("stdin".to_string(), Box::new(stdin))
    } else {
        let name = label(&args.trail);
        let file = std::fs::File::open(&args.trail)
            .map_err(|e| Failure::Data(format!("cannot read trail file '{name}': {e}")))?;
        (name, Box::new(std::io::BufReader::new(file)))
    };
    let mut trail: Vec<AuditEntry<'static>> = Vec::new();
    for (index, line) in lines.lines().enumerate() {
        let at = |m: String| Failure::Data(format!("{name} line {}: {m}", index + 1));
        let line = line.map_err(|e| at(format!("cannot read: {e}")))?;
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        trail.push(serde_json::from_str(line).map_err(|e| {
            at(format!(
                "expected an audit entry: {}",
                Escaped(&e.to_string())
            ))
        })?);
    }
    let rebased = recompute(&ladder, &calendar, &stored, &trail)?;
    if args.json {
        #[derive(Serialize)]
        struct Rebased<'r, 'a> {
            moved: bool,
            #[serde(flatten)]
            recomputed: &'r Recomputed<'a>,
        }
        let moved = rebased.moved();
        serde_json::to_writer_pretty(
            &mut *out,
            &Rebased {
                moved,
                recomputed: &rebased,
            },
        )?;
        writeln!(out)?;
        return Ok(());
    }
    let (before, after) = (&rebased.before, &rebased.after);
    let date = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
    let breaches = |b: &escalation_ladder::engine::Breaches| {
        let mut flags = Vec::new();
        if b.ceiling_breached {
            flags.push("ceiling-breached");
        }
        if b.extended_beyond_ceiling {
            flags.push("extended-beyond-ceiling");
        }
        if flags.is_empty() {
            "-".to_string()
        } else {
            flags.join(",")
        }
    };
    let rows = [
        (
            "phase",
            before.phase.name().to_string(),
            after.phase.name().to_string(),
        ),
        (
            "stage",
            before.stage.clone().unwrap_or_else(|| "-".into()),
            after.stage.clone().unwrap_or_else(|| "-".into()),
        ),
        (
            "respond-by",
            date(before.respond_by),
            date(after.respond_by),
        ),
        ("ceiling", date(before.ceiling), date(after.ceiling)),
        (
            "breaches",
            breaches(&before.breaches),
            breaches(&after.breaches),
        ),
    ];
    for (field, was, now) in rows {
        writeln!(out, "{field}\t{}\t{}", Escaped(&was), Escaped(&now))?;
    }
    writeln!(out, "moved\t{}", if rebased.moved() { "yes" } else { "no" })?;
    serde_json::to_writer_pretty(&mut *out, &rebased.state)?;
    writeln!(out)?;
    Ok(())
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
    let Applied { state, transitions } =
        apply_after_time(&ladder, &calendar, &state, &event, args.expect_version)?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &Applied { state, transitions })?;
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
