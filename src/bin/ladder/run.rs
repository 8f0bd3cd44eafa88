//! `ladder run`: apply JSON-lines events and print the resulting state.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::Args;
use escalation_ladder::engine::{apply, AlertState, Event};
use escalation_ladder::ladder::Procedure;
use escalation_ladder::{Region, WorkingCalendar};

use crate::common::{parse_region, Failure};
use crate::procedures::ProcedureArg;

/// Apply events (JSON Lines) to a new alert and print the resulting state as JSON.
///
/// Each line is one event, e.g. {"on": "2026-12-21", "actor": "iro", "type":
/// "raise", "reason": "drift"}; blank lines are skipped. The first bad event stops
/// the run with exit status 1 and one message naming its line; nothing is printed
/// on standard output then.
#[derive(Debug, Args)]
#[command(
    after_help = "Example: ladder run iro-dispute-resolution --events examples/data/iro-events.jsonl"
)]
pub struct RunArgs {
    #[command(flatten)]
    pub procedure: ProcedureArg,

    /// The events file, or - for standard input
    #[arg(long, value_name = "FILE")]
    pub events: PathBuf,

    /// Bank-holiday division [default: the ladder's own]
    #[arg(long, value_name = "REGION", value_parser = parse_region)]
    pub region: Option<Region>,
}

pub fn run(args: RunArgs, stdin: impl BufRead, out: &mut impl Write) -> Result<(), Failure> {
    let procedure = args.procedure.load()?;
    let Procedure::Ladder(ladder) = procedure else {
        return Err(Failure::Data(format!(
            "'{}' is a schedule: events run on ladders only",
            procedure.id()
        )));
    };
    let calendar = WorkingCalendar::new(args.region.unwrap_or(ladder.working_days.region));
    let (label, reader): (String, Box<dyn BufRead>) = if args.events.as_os_str() == "-" {
        ("stdin".to_string(), Box::new(stdin))
    } else {
        let name = args.events.display().to_string();
        let file = std::fs::File::open(&args.events)
            .map_err(|e| Failure::Data(format!("cannot read events file '{name}': {e}")))?;
        (name, Box::new(std::io::BufReader::new(file)))
    };
    let mut state = AlertState::new(&ladder.id);
    for (index, line) in reader.lines().enumerate() {
        let at = |message: String| Failure::Data(format!("{label} line {}: {message}", index + 1));
        let line = line.map_err(|e| at(format!("cannot read: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let event: Event =
            serde_json::from_str(&line).map_err(|e| at(format!("expected an event: {e}")))?;
        state = apply(&ladder, &calendar, &state, &event)
            .map_err(|e| at(e.to_string()))?
            .state;
    }
    serde_json::to_writer_pretty(&mut *out, &state)?;
    writeln!(out)?;
    Ok(())
}
