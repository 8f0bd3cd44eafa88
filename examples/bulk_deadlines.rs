//! A bulk deadline job: add working days to every line of a large file.
//!
//! ```text
//! cargo run --release --example bulk_deadlines
//! cargo run --release --example bulk_deadlines -- --input FILE --out -
//! ```
//!
//! Each input line is `DATE<TAB>N<TAB>REGION` (`2026-12-24<TAB>5<TAB>england-and-wales`);
//! blank lines and `#` comments are skipped. Each output line is the input line
//! with the deadline appended: N working days after DATE on REGION's calendar
//! (the crate's convention: the day of receipt is day 0). The four calendars are
//! built once; each line is then two table look-ups.
//!
//! `examples/data/bulk-deadlines.tsv` holds 20,000 lines generated
//! deterministically by `tests/examples.rs` (dates 2024 to 2030, a few fixed
//! edge cases first). Results go to `bulk-deadlines.out.tsv` in the target
//! directory (`$CARGO_TARGET_DIR`, else `target/`), or to standard output with
//! `--out -`; the summary goes to standard output (standard error with
//! `--out -`). The example times itself with `std::time::Instant`: an example
//! may read the clock; the library never does.

use std::error::Error;
use std::fmt;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use escalation_ladder::{Region, WorkingCalendar};

/// What the job did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// Lines answered.
    pub lines: usize,
    /// Lines answered per region, in the order of [`Region::ALL`].
    pub per_region: [usize; 4],
    /// The earliest and latest deadline given.
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// Lines whose deadline fell on another weekday than it would without bank
    /// holidays (a weekends-only count): where the calendar mattered.
    pub moved_by_holidays: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} deadlines", self.lines)?;
        for (region, count) in Region::ALL.iter().zip(self.per_region) {
            writeln!(f, "  {:<18} {count}", region.as_str())?;
        }
        if let Some((first, last)) = self.range {
            writeln!(f, "earliest {first}, latest {last}")?;
        }
        write!(
            f,
            "{} moved later or earlier by bank holidays (against weekends alone)",
            self.moved_by_holidays
        )
    }
}

/// Adds working days to every line of `input`, writing `line<TAB>deadline`
/// lines to `out`.
///
/// # Errors
///
/// The first bad line, as `line N: reason`; or the writer's error.
pub fn process(input: &str, out: &mut impl Write) -> Result<Summary, Box<dyn Error>> {
    let calendars: Vec<WorkingCalendar> =
        Region::ALL.into_iter().map(WorkingCalendar::new).collect();
    let mut summary = Summary::default();
    for (index, line) in input.lines().enumerate() {
        let at = |message: String| format!("line {}: {message}", index + 1);
        let trimmed = line.trim_end_matches('\r');
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut fields = trimmed.split('\t');
        let (Some(date), Some(count), Some(region), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(at(format!("expected DATE<TAB>N<TAB>REGION, found '{trimmed}'")).into());
        };
        let date: NaiveDate = date
            .parse()
            .map_err(|_| at(format!("expected a date YYYY-MM-DD, found '{date}'")))?;
        let count: i32 = count.parse().map_err(|_| {
            at(format!(
                "expected a whole number of working days, found '{count}'"
            ))
        })?;
        let region: Region = region.parse().map_err(|e| at(format!("{e}")))?;
        let which = Region::ALL.iter().position(|r| *r == region).unwrap_or(0);
        let deadline = calendars[which]
            .add_working_days(date, count)
            .map_err(|e| at(e.to_string()))?;
        if add_weekdays(date, count) != Some(deadline) {
            summary.moved_by_holidays += 1;
        }
        writeln!(out, "{trimmed}\t{deadline}")?;
        summary.lines += 1;
        summary.per_region[which] += 1;
        summary.range = Some(match summary.range {
            None => (deadline, deadline),
            Some((first, last)) => (first.min(deadline), last.max(deadline)),
        });
    }
    Ok(summary)
}

/// N weekdays after `date` with the crate's convention, counting weekends
/// only: what a system that ignores bank holidays would say.
pub fn add_weekdays(date: NaiveDate, count: i32) -> Option<NaiveDate> {
    let weekday = |d: NaiveDate| d.weekday().number_from_monday() <= 5;
    let mut day = date;
    if count == 0 {
        while !weekday(day) {
            day = day.succ_opt()?;
        }
        return Some(day);
    }
    let mut left = count.unsigned_abs();
    while left > 0 {
        day = if count > 0 {
            day.succ_opt()?
        } else {
            day.pred_opt()?
        };
        if weekday(day) {
            left -= 1;
        }
    }
    Some(day)
}

/// The shipped input file.
pub fn shipped_input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/bulk-deadlines.tsv")
}

/// Where results go by default: the target directory.
fn default_output() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bulk-deadlines.out.tsv")
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut input_path = shipped_input();
    let mut output_path = default_output();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--input" => input_path = PathBuf::from(value()?),
            "--out" => output_path = PathBuf::from(value()?),
            other => {
                return Err(
                    format!("expected --input FILE or --out FILE|-, found '{other}'").into(),
                )
            }
        }
    }
    let input = std::fs::read_to_string(&input_path)
        .map_err(|e| format!("cannot read '{}': {e}", input_path.display()))?;
    let started = Instant::now();
    let to_stdout = output_path.as_os_str() == "-";
    let summary = if to_stdout {
        let mut out = BufWriter::new(io::stdout().lock());
        let summary = process(&input, &mut out)?;
        out.flush()?;
        summary
    } else {
        if let Some(parent) = output_path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = BufWriter::new(std::fs::File::create(&output_path)?);
        let summary = process(&input, &mut out)?;
        out.flush()?;
        summary
    };
    let elapsed = started.elapsed();
    let report = format!(
        "{summary}\n{} lines in {:.1} ms ({:.0} ns a line, calendars built included)\n",
        summary.lines,
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e9 / summary.lines.max(1) as f64,
    );
    if to_stdout {
        eprint!("{report}");
    } else {
        print!("{report}");
        println!("results in {}; the first lines:", output_path.display());
        let written = std::fs::read_to_string(&output_path)?;
        for line in written.lines().take(6) {
            println!("  {line}");
        }
    }
    Ok(())
}
