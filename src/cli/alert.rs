//! The subcommands on one alert: `run`, `apply`, `advance`, `status` and
//! `recompute`, for a case system that keeps the state in its own database
//! and shells out per event.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;

use crate::contract::ErrorDocument;
use crate::engine::{write_applied_json, AlertState, AuditEntry, Breaches, Event, Status};
use crate::escape::Escaped;
use crate::ops::{
    self, read_json, ApplyRequest, AsOfRequest, CorrectRequest, RecomputeRequest, Registry,
    ReplayRequest,
};
use crate::sources::label;

use super::common::{
    parse_date, read_document, read_text, unreadable, Failure, ProcedureArg, ProcedureCalendarArgs,
    ProcedureUnlessAlerts,
};
use super::{print_json, Io};

/// Apply events (JSON Lines) to a new alert and print the resulting state as JSON.
///
/// Each line is one event, e.g. {"on": "2026-12-21", "actor": "iro", "type":
/// "raise", "reason": "drift"}; blank lines are skipped. Before each event, time
/// acts up to its date (review decisions nobody answered are deemed agreed, on
/// the first working day after their window); with --as-of, time then acts up to
/// that date too. The first bad event stops the run with one message naming it;
/// nothing is printed on standard output then. With --json, the whole answer:
/// {"state", "trail", "status"}.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ladder run iro-dispute-resolution --events examples/data/iro-events.jsonl
  ladder run lac-review-decisions --events FILE --as-of 2027-01-04 --status")]
pub(crate) struct RunArgs {
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

    /// Print the answer as JSON: with --status the status, else {"state", "trail", "status"}
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,
}

/// An events file read: its name, the events and the line of each.
struct Events {
    name: String,
    events: Vec<Event>,
    lines: Vec<usize>,
}

/// Reads an events file: one event a line, blank lines skipped; an error
/// names the file and the line.
fn read_events(path: &Path, stdin: &mut dyn BufRead) -> Result<Events, Failure> {
    let (name, bytes) = read_text("the events file", path, stdin)?;
    let mut events = Vec::new();
    let mut lines = Vec::new();
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        // A UTF-8 byte-order mark (as Windows editors write) starts the file,
        // not the first event.
        let line = match index {
            0 => line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line),
            _ => line,
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let event: Event = read_json("event", line).map_err(|mut doc| {
            doc.fields.insert("line".into(), (index + 1).into());
            Failure::in_file(doc, &format!("{name} line {}", index + 1))
        })?;
        events.push(event);
        lines.push(index + 1);
    }
    Ok(Events {
        name,
        events,
        lines,
    })
}

pub(crate) fn run(args: RunArgs, registry: &Registry, io: &mut Io<'_>) -> Result<(), Failure> {
    let Events {
        name,
        events,
        lines,
    } = read_events(&args.events, io.stdin)?;
    let request = ReplayRequest {
        ladder: args.procedure.id(registry),
        events,
        as_of: args.as_of,
    };
    // A refused event is told with the line it came from.
    let replayed = ops::replay(registry, &request).map_err(|document| {
        let number = document.fields.get("event_number").and_then(|n| n.as_u64());
        match number.and_then(|n| lines.get(n as usize - 1)) {
            Some(line) => Failure::in_file(document, &format!("{name} line {line}")),
            None => Failure::from(document),
        }
    })?;
    if !args.status {
        if args.json {
            return print_json(io, &replayed);
        }
        serde_json::to_writer_pretty(&mut *io.stdout, &replayed.state).map_err(json_failure)?;
        writeln!(io.stdout)?;
        return Ok(());
    }
    let Some(now) = &replayed.status else {
        return Err(Failure::from(ErrorDocument::new(
            "cli.no-date",
            "no events and no --as-of: expected a date for the status".into(),
            serde_json::Map::new(),
        )));
    };
    if args.json {
        return print_json(io, now);
    }
    write_status(io.stdout, now)?;
    Ok(())
}

/// A failure to write JSON onto the output.
fn json_failure(e: serde_json::Error) -> Failure {
    Failure::Output(std::io::Error::from(e))
}

/// Apply one event to a stored alert: print the transitions (time's, then the
/// event's) and the new state.
///
/// The state is the JSON that `run` or an earlier `apply` printed (the `state`
/// of `--json`'s output); without --state the event applies to a new alert (a
/// raise). Before the event, time acts up to its date, as in `run`. A refused
/// event prints nothing on standard output and one line on standard error
/// (exit 4); the stored state is then still the one to keep. An event whose
/// `id` the state has already applied is a re-delivery: the state comes back
/// unchanged with the one effect `already-applied` (exit 0).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ladder apply iro-dispute-resolution --event '{\"on\":\"2026-12-18\",\"actor\":\"iro\",\"type\":\"raise\",\"stage\":\"team-manager\",\"reason\":\"drift\"}' --json > applied.json
  ladder apply iro-dispute-resolution --state state.json --event '{\"on\":\"2026-12-29\",\"actor\":\"tm\",\"type\":\"respond\"}'")]
pub(crate) struct ApplyArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// The stored state (JSON), or - for standard input [default: a new alert]
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// The event, as JSON
    #[arg(long, value_name = "JSON")]
    pub event: String,

    /// Refuse the event (exit 3) unless the stored state is at this version
    /// (its `events_applied`, as last read): optimistic concurrency
    #[arg(long, value_name = "N")]
    pub expect_version: Option<u32>,

    /// Print `{"state": …, "transitions": […]}` as JSON instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,
}

pub(crate) fn apply(args: ApplyArgs, registry: &Registry, io: &mut Io<'_>) -> Result<(), Failure> {
    let state: Option<AlertState> = match &args.state {
        Some(path) => Some(read_document("state", path, io.stdin)?),
        None => None,
    };
    let request = ApplyRequest {
        ladder: args.procedure.id(registry),
        state,
        event: read_json("event", args.event.as_bytes())?,
        expect_version: args.expect_version,
    };
    let applied = ops::apply(registry, &request)?;
    if args.json {
        let mut body = Vec::with_capacity(4096);
        write_applied_json(&mut body, &applied.by_time, &applied.transition)
            .map_err(json_failure)?;
        io.stdout.write_all(&body)?;
        io.stdout.write_all(b"\n")?;
        return Ok(());
    }
    let event_transition = applied.transition.into_owned();
    for t in applied
        .by_time
        .iter()
        .chain(std::iter::once(&event_transition))
    {
        let event = &t.audit.event;
        writeln!(
            io.stdout,
            "{}\t{}\t{}",
            event.on,
            Escaped(&event.actor),
            event.kind.name()
        )?;
        for effect in &t.effects {
            let json = serde_json::to_string(effect).map_err(json_failure)?;
            writeln!(io.stdout, "\t{}", Escaped(&json))?;
        }
    }
    serde_json::to_writer_pretty(&mut *io.stdout, &event_transition.state).map_err(json_failure)?;
    writeln!(io.stdout)?;
    Ok(())
}

/// Let time act on a stored alert up to a date (review decisions deemed
/// agreed, automatic escalations) and print the transitions and the new state.
///
/// With --alerts, many stored alerts at once, as a nightly job runs it: the
/// file is JSON Lines, one {"alert": ID, "ladder": LADDER, "state": STATE}
/// a line, each alert on its own ladder; one JSON line is printed for each
/// alert time changed (its new state, its version to store it against and
/// the transitions), or could not take (its error), in the order of the
/// file. Select the alerts whose stored wakes_on is on or before the date.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ladder advance lac-review-decisions --state state.json --as-of 2027-01-04 --json
  ladder advance --alerts due-today.jsonl --as-of 2027-01-04 > advanced.jsonl")]
pub(crate) struct AdvanceArgs {
    #[command(flatten)]
    pub procedure: ProcedureUnlessAlerts,

    /// The stored state (JSON), or - for standard input
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "alerts",
        conflicts_with = "alerts"
    )]
    pub state: Option<PathBuf>,

    /// Many stored alerts: JSON Lines of {"alert", "ladder", "state"}, or -
    /// for standard input
    #[arg(long, value_name = "FILE")]
    pub alerts: Option<PathBuf>,

    /// The date, YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: NaiveDate,

    /// Print `{"state": …, "transitions": […]}` as JSON instead of text (with
    /// --alerts the answer is always JSON Lines)
    #[arg(long)]
    pub json: bool,

    /// With --alerts: a council's own ladder (TOML, or JSON if named .json);
    /// one with a built-in's id replaces it. Repeatable
    #[arg(long = "ladder-file", value_name = "FILE")]
    pub ladder_files: Vec<PathBuf>,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,

    /// Alerts read between two progress lines on a terminal (for tests)
    #[arg(long, value_name = "N", default_value_t = super::cases::PROGRESS_EVERY, hide = true)]
    pub progress_every: usize,
}

pub(crate) fn advance(
    args: AdvanceArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let Some(path) = &args.state else {
        unreachable!("clap requires --state or --alerts, and mod.rs sends --alerts to alerts.rs")
    };
    let request = AsOfRequest {
        ladder: args.procedure.procedure().id(registry),
        state: read_document("state", path, io.stdin)?,
        as_of: args.as_of,
    };
    let advanced = ops::advance(registry, &request)?;
    if args.json {
        return print_json(io, &advanced);
    }
    for t in &advanced.transitions {
        let event = &t.audit.event;
        writeln!(
            io.stdout,
            "{}\t{}\t{}",
            event.on,
            Escaped(&event.actor),
            event.kind.name()
        )?;
    }
    serde_json::to_writer_pretty(&mut *io.stdout, &advanced.state).map_err(json_failure)?;
    writeln!(io.stdout)?;
    Ok(())
}

/// Print a stored alert's status as at a date, after time has acted.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  ladder status iro-dispute-resolution --state state.json --as-of 2026-12-24")]
pub(crate) struct StatusArgs {
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

pub(crate) fn status(
    args: StatusArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let request = AsOfRequest {
        ladder: args.procedure.id(registry),
        state: read_document("state", &args.state, io.stdin)?,
        as_of: args.as_of,
    };
    let now = ops::status(registry, &request)?;
    if args.json {
        return print_json(io, &now);
    }
    write_status(io.stdout, &now)?;
    Ok(())
}

/// Re-base a stored alert on the calendar and ladder given (after a closure, a
/// newly proclaimed bank holiday or a new version of the ladder): replay its
/// audit trail and print what moved, then the new state.
///
/// The trail is JSON Lines, one audit entry a line (the `audit` of each of
/// `apply --json`'s transitions, in order); it must reproduce the stored state
/// (as many entries as the state's events_applied). Time's own transitions
/// are made again, up to --as-of (or the last day the trail reaches). Text:
/// `field<TAB>before<TAB>after` for the phase, stage, response date, ceiling and
/// breaches, a `moved<TAB>yes|no` line, then the new state as JSON; --json
/// prints `{"moved", "state", "trail", "before", "after"}`.
///
/// With --alerts, many stored alerts at once: JSON Lines of {"alert",
/// "ladder", "state", "trail", "expect_version"}; one JSON line is printed
/// for each (its new state and trail, what moved, or its error), or with
/// --format csv the rows of what moved (alert,ladder,field,before,after) for
/// the people who must be told; --moved FILE writes that CSV as well.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  ladder recompute iro-dispute-resolution --state state.json --trail trail.jsonl --closure 2026-12-29
  ladder recompute --alerts open.jsonl --holidays proclaimed.txt --moved moved.csv > rebased.jsonl")]
pub(crate) struct RecomputeArgs {
    #[command(flatten)]
    pub procedure: ProcedureUnlessAlerts,

    /// The stored state (JSON), or - for standard input (then the trail is a file)
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "alerts",
        conflicts_with = "alerts"
    )]
    pub state: Option<PathBuf>,

    /// The stored audit trail (JSON Lines), or - for standard input (then the
    /// state is a file)
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "alerts",
        conflicts_with = "alerts"
    )]
    pub trail: Option<PathBuf>,

    /// Many stored alerts: JSON Lines of {"alert", "ladder", "state",
    /// "trail", "expect_version"}, or - for standard input
    #[arg(long, value_name = "FILE")]
    pub alerts: Option<PathBuf>,

    /// Let time act up to this date (YYYY-MM-DD) after the last event
    /// [default: the last day the stored trail reaches]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    /// Refuse (exit 3) unless the stored state is at this version (with
    /// --alerts, each line's own expect_version)
    #[arg(long, value_name = "N", conflicts_with = "alerts")]
    pub expect_version: Option<u32>,

    /// Print the result as JSON instead of text (with --alerts the answer is
    /// JSON Lines, or CSV with --format csv)
    #[arg(long)]
    pub json: bool,

    /// With --alerts: jsonl (one line per alert) or csv (what moved)
    /// [default: jsonl]
    #[arg(long, value_name = "FORMAT", requires = "alerts")]
    pub format: Option<String>,

    /// With --alerts: write the CSV of what moved to this file as well
    #[arg(long, value_name = "FILE", requires = "alerts")]
    pub moved: Option<PathBuf>,

    /// With --alerts: a council's own ladder (TOML, or JSON if named .json);
    /// one with a built-in's id replaces it. Repeatable
    #[arg(long = "ladder-file", value_name = "FILE")]
    pub ladder_files: Vec<PathBuf>,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,

    /// Alerts read between two progress lines on a terminal (for tests)
    #[arg(long, value_name = "N", default_value_t = super::cases::PROGRESS_EVERY, hide = true)]
    pub progress_every: usize,
}

/// Reads an audit trail: one entry a line, blank lines skipped.
fn read_trail(path: &Path, stdin: &mut dyn BufRead) -> Result<Vec<AuditEntry<'static>>, Failure> {
    let (name, bytes) = if path.as_os_str() == "-" {
        read_text("the trail", path, stdin)?
    } else {
        let name = label(path);
        let bytes = std::fs::read(path).map_err(|e| unreadable("trail file", &name, &e))?;
        (name, bytes)
    };
    let mut trail = Vec::new();
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        trail.push(read_json("trail", line).map_err(|mut doc| {
            doc.fields.insert("line".into(), (index + 1).into());
            Failure::in_file(doc, &format!("{name} line {}", index + 1))
        })?);
    }
    Ok(trail)
}

pub(crate) fn recompute(
    args: RecomputeArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let (Some(state), Some(trail)) = (&args.state, &args.trail) else {
        unreachable!("clap requires --state and --trail, or --alerts, and mod.rs sends --alerts to alerts.rs")
    };
    let (state, trail) = read_state_and_trail(state, trail, io.stdin)?;
    let request = RecomputeRequest {
        ladder: args.procedure.procedure().id(registry),
        state,
        trail,
        expect_version: args.expect_version,
        as_of: args.as_of,
    };
    let rebased = ops::recompute(registry, &request)?;
    print_rebased(io, &rebased, args.json)
}

/// A stored state and its trail, at most one of them on standard input.
fn read_state_and_trail(
    state: &Path,
    trail: &Path,
    stdin: &mut dyn BufRead,
) -> Result<(AlertState, Vec<AuditEntry<'static>>), Failure> {
    if state.as_os_str() == "-" && trail.as_os_str() == "-" {
        return Err(Failure::from(ErrorDocument::new(
            "cli.both-on-stdin",
            "--state - and --trail -: expected at most one of them on standard input".into(),
            serde_json::Map::new(),
        )));
    }
    let state: AlertState = read_document("state", state, stdin)?;
    Ok((state, read_trail(trail, stdin)?))
}

/// What `recompute` and `correct` print: the answer as JSON, or what moved
/// as `field<TAB>before<TAB>after` lines, `moved<TAB>yes|no`, then the state.
fn print_rebased(io: &mut Io<'_>, rebased: &ops::Rebased<'_>, json: bool) -> Result<(), Failure> {
    if json {
        return print_json(io, rebased);
    }
    let (before, after) = (&rebased.before, &rebased.after);
    let date = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
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
        writeln!(io.stdout, "{field}\t{}\t{}", Escaped(&was), Escaped(&now))?;
    }
    writeln!(
        io.stdout,
        "moved\t{}",
        if rebased.moved { "yes" } else { "no" }
    )?;
    serde_json::to_writer_pretty(&mut *io.stdout, &rebased.state).map_err(json_failure)?;
    writeln!(io.stdout)?;
    Ok(())
}

/// Correct a stored alert's history and replay it: an event recorded late
/// inserted at its own date, one recorded by mistake voided, or one
/// replaced; print what moved, then the corrected state.
///
/// The correction is JSON: {"type": "insert", "event": EVENT}, {"type":
/// "void", "id": ID} (or "sequence": N, the trail entry's number, for an
/// event without an id) or {"type": "replace", "id": ID, "event": EVENT}.
/// Time's own transitions are made again from the corrected history, up to
/// --as-of (the day the correction is made; default: the last day the
/// stored trail reaches): a deemed agreement that a response dated within
/// its window would have prevented is gone. Store the corrected state and
/// the whole corrected trail (--json prints both: {"moved", "state",
/// "trail", "before", "after"}).
#[derive(Debug, Args)]
#[command(after_help = "Example:
  ladder correct lac-review-decisions --state state.json --trail trail.jsonl --as-of 2027-01-04 \\
    --correction '{\"type\":\"insert\",\"event\":{\"on\":\"2026-12-29\",\"actor\":\"tm\",\"type\":\"respond\",\"outcome\":\"unable-to-agree\"}}'")]
pub(crate) struct CorrectArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// The stored state (JSON), or - for standard input (then the trail is a file)
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,

    /// The stored audit trail (JSON Lines), or - for standard input (then the
    /// state is a file)
    #[arg(long, value_name = "FILE")]
    pub trail: PathBuf,

    /// The correction, as JSON
    #[arg(long, value_name = "JSON")]
    pub correction: String,

    /// Let time act up to this date (YYYY-MM-DD) after the corrected history
    /// [default: the last day the stored trail reaches]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    /// Refuse (exit 3) unless the stored state is at this version
    #[arg(long, value_name = "N")]
    pub expect_version: Option<u32>,

    /// Print the result as JSON instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub calendar: ProcedureCalendarArgs,
}

pub(crate) fn correct(
    args: CorrectArgs,
    registry: &Registry,
    io: &mut Io<'_>,
) -> Result<(), Failure> {
    let (state, trail) = read_state_and_trail(&args.state, &args.trail, io.stdin)?;
    let request = CorrectRequest {
        ladder: args.procedure.id(registry),
        state,
        trail,
        correction: read_json("correction", args.correction.as_bytes())?,
        expect_version: args.expect_version,
        as_of: args.as_of,
    };
    let corrected = ops::correct(registry, &request)?;
    print_rebased(io, &corrected, args.json)
}

/// The breach flags as text: `-`, or their names comma-separated.
fn breaches(b: &Breaches) -> String {
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
}

/// The status as `field<TAB>value` lines, then one `duty` line per open duty;
/// ids from the ladder are [escaped](crate::escape).
pub(crate) fn write_status(out: &mut dyn Write, now: &Status) -> std::io::Result<()> {
    let date = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
    let number = |n: Option<i64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
    let who = if now.who_must_act.is_empty() {
        "-".to_string()
    } else {
        now.who_must_act.join(", ")
    };
    let mut flags = Vec::new();
    if now.breaches.ceiling_breached {
        flags.push("ceiling-breached");
    }
    if now.breaches.extended_beyond_ceiling {
        flags.push("extended-beyond-ceiling");
    }
    if now.over_open_threshold {
        flags.push("over-open-threshold");
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
            if flags.is_empty() {
                "-".to_string()
            } else {
                flags.join(", ")
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
