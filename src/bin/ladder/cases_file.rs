//! What `ladder report` and `ladder ics` share: the ladders a cases file may
//! name, opening the file, and a progress line on a terminal.

use std::fmt::Display;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use escalation_ladder::report::Procedures;

use crate::common::{label, warn, AdjustArgs, Failure, CLOSURE_REASON};

/// Cases read between two progress lines, unless a command's hidden
/// `--progress-every` says otherwise (the tests do).
pub const PROGRESS_EVERY: usize = 100_000;

/// The built-in ladders and the `--ladder-file` ones (the library's
/// [`Sources::procedures`](escalation_ladder::sources::Sources::procedures)); a
/// file's ladder replaces a built-in with its id, and two files may not give
/// the same id.
pub fn procedures(files: &[PathBuf], adjust: &AdjustArgs) -> Result<Procedures, Failure> {
    let (procedures, warnings) = adjust.sources(files).procedures(CLOSURE_REASON)?;
    warn(&warnings);
    Ok(procedures)
}

/// The cases file, or standard input for `-`, with the label its errors use (the
/// path, escaped).
pub fn open<'a>(
    path: &Path,
    stdin: impl BufRead + 'a,
) -> Result<(String, Box<dyn BufRead + 'a>), Failure> {
    if path.as_os_str() == "-" {
        return Ok(("stdin".to_string(), Box::new(stdin)));
    }
    let name = label(path);
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::Data(format!("cannot read cases file '{name}': {e}")))?;
    Ok((name, Box::new(io::BufReader::new(file))))
}

/// Progress lines on standard error when it is a terminal, nothing otherwise.
pub fn progress(command: &'static str, every: usize) -> Progress<io::StderrLock<'static>> {
    let stderr = io::stderr();
    Progress::new(command, stderr.is_terminal().then(|| stderr.lock()), every)
}

/// Progress lines on a terminal: `ladder ics: 300000 cases read, 412345
/// events`, rewritten in place every `every` cases. Without a terminal it
/// writes nothing. The line is ended when dropped, so an error message that
/// follows starts on a line of its own.
pub struct Progress<W: Write> {
    command: &'static str,
    terminal: Option<W>,
    every: usize,
    cases: usize,
    shown: bool,
}

impl<W: Write> Progress<W> {
    pub fn new(command: &'static str, terminal: Option<W>, every: usize) -> Progress<W> {
        Progress {
            command,
            terminal,
            every: every.max(1),
            cases: 0,
            shown: false,
        }
    }

    /// One more case read; `detail` is what the line adds (e.g. ", 12 events").
    pub fn case_read(&mut self, detail: impl Display) {
        self.cases += 1;
        if self.cases % self.every == 0 {
            self.show(detail);
        }
    }

    /// The last line, with the totals, if any line was shown.
    pub fn finish(&mut self, detail: impl Display) {
        if self.shown {
            self.show(detail);
        }
    }

    fn show(&mut self, detail: impl Display) {
        if let Some(terminal) = &mut self.terminal {
            // Progress is a courtesy: a failure to show it is not the run's.
            let _ = write!(
                terminal,
                "\rladder {}: {} cases read{detail}",
                self.command, self.cases
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
            let mut progress = Progress::new("ics", Some(&mut sink), every);
            for n in 0..cases {
                progress.case_read(format_args!(", {} events", n * 2));
            }
            progress.finish(format_args!(", {} events", cases * 2));
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
        let mut progress = Progress::<Vec<u8>>::new("report", None, 1);
        progress.case_read("");
        progress.finish("");
        assert!(!progress.shown);
    }
}
