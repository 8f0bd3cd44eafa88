//! `ladder ics`: the deadlines of open alerts as an iCalendar file.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use escalation_ladder::ics::{DeadlineCalendar, IcsOptions};
use escalation_ladder::ladder::Procedure;
use escalation_ladder::report::{CaseReader, Procedures};

use crate::common::{parse_date, Failure};

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

    /// A council's own ladder (TOML, the schema of `ladder validate`), added to
    /// the built-in ones; one with a built-in id replaces it. Repeatable
    #[arg(long = "ladder-file", value_name = "FILE")]
    pub ladder_files: Vec<PathBuf>,

    /// The calendar's name in calendar lists [default: Escalation deadlines]
    #[arg(long, value_name = "NAME")]
    pub calendar_name: Option<String>,

    /// The domain after the @ of every UID, e.g. ics.anytown.gov.uk
    /// [default: escalation-ladder]
    #[arg(long, value_name = "DOMAIN")]
    pub uid_domain: Option<String>,

    /// Cases read between two progress lines on a terminal (for tests)
    #[arg(long, value_name = "N", default_value_t = PROGRESS_EVERY, hide = true)]
    pub progress_every: usize,
}

/// Cases read between two progress lines.
const PROGRESS_EVERY: usize = 100_000;

pub fn run(args: IcsArgs, stdin: impl BufRead, out: &mut impl Write) -> Result<(), Failure> {
    let mut procedures = Procedures::builtin()?;
    for path in &args.ladder_files {
        match Procedure::from_path(path)? {
            Procedure::Ladder(ladder) => {
                procedures.insert(ladder);
            }
            Procedure::Schedule(schedule) => {
                return Err(Failure::Data(format!(
                    "ladder file '{}': expected a ladder, found the schedule '{}' (cases run on ladders only)",
                    path.display(),
                    schedule.id
                )))
            }
        }
    }
    let mut options = IcsOptions::default();
    if let Some(name) = args.calendar_name {
        options.calendar_name = name;
    }
    if let Some(domain) = args.uid_domain {
        options.uid_domain = domain;
    }
    let mut calendar =
        DeadlineCalendar::new(args.as_of, options).map_err(|e| Failure::Data(e.to_string()))?;
    let (label, input): (String, Box<dyn BufRead>) = if args.cases.as_os_str() == "-" {
        ("stdin".to_string(), Box::new(stdin))
    } else {
        let name = args.cases.display().to_string();
        let file = std::fs::File::open(&args.cases)
            .map_err(|e| Failure::Data(format!("cannot read cases file '{name}': {e}")))?;
        (name, Box::new(io::BufReader::new(file)))
    };
    let stderr = io::stderr();
    let mut progress = Progress::new(
        stderr.is_terminal().then(|| stderr.lock()),
        args.progress_every,
    );
    let mut reader = CaseReader::new(input, &procedures).events_until(args.as_of);
    while let Some(case) = reader.next() {
        let case = case.map_err(|e| Failure::Data(format!("{label} {e}")))?;
        calendar
            .add_case(&case, &procedures)
            .map_err(|e| Failure::Data(format!("{label} line {}: {e}", reader.line())))?;
        progress.case_read(calendar.event_count());
    }
    progress.finish(calendar.event_count());
    drop(progress);
    // Everything was read and computed: write it in one go.
    calendar.write_to(out)?;
    Ok(())
}

/// Progress lines on a terminal: `ladder ics: 300000 cases read, 412345
/// events`, rewritten in place every `every` cases. Without a terminal it
/// writes nothing. The line is ended when dropped, so an error message that
/// follows starts on a line of its own.
struct Progress<W: Write> {
    terminal: Option<W>,
    every: usize,
    cases: usize,
    shown: bool,
}

impl<W: Write> Progress<W> {
    fn new(terminal: Option<W>, every: usize) -> Progress<W> {
        Progress {
            terminal,
            every: every.max(1),
            cases: 0,
            shown: false,
        }
    }

    fn case_read(&mut self, events: usize) {
        self.cases += 1;
        if self.cases % self.every == 0 {
            self.show(events);
        }
    }

    fn finish(&mut self, events: usize) {
        if self.shown {
            self.show(events);
        }
    }

    fn show(&mut self, events: usize) {
        if let Some(terminal) = &mut self.terminal {
            // Progress is a courtesy: a failure to show it is not the run's.
            let _ = write!(
                terminal,
                "\rladder ics: {} cases read, {events} events",
                self.cases
            );
            let _ = terminal.flush();
            self.shown = true;
        }
    }
}

impl<W: Write> Drop for Progress<W> {
    fn drop(&mut self) {
        if let (true, Some(terminal)) = (self.shown, &mut self.terminal) {
            let _ = writeln!(terminal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(cases: usize, every: usize) -> String {
        let mut sink = Vec::new();
        {
            let mut progress = Progress::new(Some(&mut sink), every);
            for n in 0..cases {
                progress.case_read(n * 2);
            }
            progress.finish(cases * 2);
        }
        String::from_utf8(sink).unwrap()
    }

    #[test]
    fn progress_every_n_cases_then_the_total_on_one_line() {
        assert_eq!(
            shown(7, 3),
            "\rladder ics: 3 cases read, 4 events\
             \rladder ics: 6 cases read, 10 events\
             \rladder ics: 7 cases read, 14 events\n"
        );
    }

    #[test]
    fn no_progress_for_a_short_run_or_without_a_terminal() {
        assert_eq!(shown(2, 3), "");
        let mut progress = Progress::<Vec<u8>>::new(None, 1);
        progress.case_read(1);
        progress.finish(1);
        assert!(!progress.shown);
    }
}
