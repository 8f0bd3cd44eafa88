//! What a long-running tool loads at start: a council's own ladder files, extra
//! bank-holiday files and closure days, on top of the built-in procedures and
//! calendars.
//!
//! The `ladder` command line (`--ladder-file`, `--holidays`, `--closure`) and
//! the HTTP service (`ladder serve`, which loads them once and again on a
//! reload) share this code, so the two read the same files the same way.
//!
//! # Example
//!
//! A Christmas shutdown on Tuesday 29 December 2026:
//!
//! ```
//! use escalation_ladder::chrono::NaiveDate;
//! use escalation_ladder::sources::Sources;
//! use escalation_ladder::Region;
//!
//! let sources = Sources {
//!     closures: vec![NaiveDate::from_ymd_opt(2026, 12, 29).unwrap()],
//!     ..Sources::default()
//! };
//! let (calendar, warnings) = sources.calendar(Region::EnglandAndWales, "shutdown")?;
//! assert!(warnings.is_empty());
//! let friday = NaiveDate::from_ymd_opt(2026, 12, 18).unwrap();
//! // 21, 22, 23, 24, then 30 December (25th, 28th and 29th closed).
//! assert_eq!(calendar.add_working_days(friday, 5)?, NaiveDate::from_ymd_opt(2026, 12, 30).unwrap());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use thiserror::Error;

use crate::calendar::{parse_govuk_json, parse_holiday_list, CalendarError, DayKind};
use crate::escape::{escape, Escaped};
use crate::ladder::{LadderError, Procedure};
use crate::report::Procedures;
use crate::{Region, WorkingCalendar};

/// The files and days a tool adjusts the built-in ladders and calendars with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// A council's own ladders (TOML, or JSON if named `.json`); one with a
    /// built-in's id replaces it.
    pub ladder_files: Vec<PathBuf>,
    /// Extra bank holidays: GOV.UK's bank-holidays JSON if the name ends in
    /// `.json`, else one `YYYY-MM-DD name` per line.
    pub holidays: Vec<PathBuf>,
    /// Weekdays on which the service is closed.
    pub closures: Vec<NaiveDate>,
}

/// Why the sources could not be loaded. Messages name the file, escaped.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A holidays file could not be read.
    #[error("cannot read holidays file '{file}': {message}")]
    UnreadableHolidays {
        /// The file, escaped.
        file: String,
        /// The operating system's reason.
        message: String,
    },
    /// A holidays file, or the calendar built from the holidays and closures,
    /// was refused.
    #[error("{0}")]
    Calendar(#[from] CalendarError),
    /// The calendar could not be built from the holidays and closures.
    #[error("cannot build the calendar: {0}")]
    Build(#[source] CalendarError),
    /// A ladder file was refused.
    #[error("{0}")]
    Ladder(#[from] Box<LadderError>),
    /// A ladder file holds a schedule: cases run on ladders only.
    #[error("{file}: '{}' is a schedule: cases run on ladders only", Escaped(.id))]
    ScheduleNotLadder {
        /// The file, escaped.
        file: String,
        /// The schedule's id.
        id: String,
    },
    /// Two ladder files give the same id.
    #[error("{file}: ladder '{}' is already given by {first}", Escaped(.id))]
    DuplicateLadder {
        /// The second file, escaped.
        file: String,
        /// The ladder's id.
        id: String,
        /// The first file, escaped.
        first: String,
    },
}

impl SourceError {
    /// The error's stable code, as [`ErrorDocument`](crate::contract::ErrorDocument)
    /// gives it (a calendar's or a ladder's own code where one of them refused);
    /// codes are listed in docs/errors.md and never change meaning.
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::UnreadableHolidays { .. } => "sources.unreadable-holidays",
            SourceError::Calendar(e) | SourceError::Build(e) => e.code(),
            SourceError::Ladder(e) => e.code(),
            SourceError::ScheduleNotLadder { .. } => "sources.schedule-not-ladder",
            SourceError::DuplicateLadder { .. } => "sources.duplicate-ladder",
        }
    }
}

impl From<LadderError> for SourceError {
    fn from(e: LadderError) -> SourceError {
        SourceError::Ladder(Box::new(e))
    }
}

/// A file's name for messages: its path, [escaped](crate::escape).
pub fn label(path: &Path) -> String {
    escape(&path.display().to_string()).into_owned()
}

impl Sources {
    /// Whether no holidays file and no closure is given (the calendars are the
    /// built-in ones).
    pub fn adjusts_calendars(&self) -> bool {
        !(self.holidays.is_empty() && self.closures.is_empty())
    }

    /// `region`'s calendar with the holidays files and the closures (each
    /// recorded with `closure_reason`): a GOV.UK JSON file gives the region's
    /// own division, a plain list applies as it is.
    ///
    /// The warnings say which closures change nothing (the day is already not
    /// a working day), so that a mistyped date is not taken as applied.
    ///
    /// # Errors
    ///
    /// A file that cannot be read or parsed; a closure out of range.
    pub fn calendar(
        &self,
        region: Region,
        closure_reason: &str,
    ) -> Result<(WorkingCalendar, Vec<String>), SourceError> {
        let mut warnings = Vec::new();
        if !self.adjusts_calendars() {
            return Ok((WorkingCalendar::new(region), warnings));
        }
        let mut builder = WorkingCalendar::builder(region);
        for path in &self.holidays {
            let name = label(path);
            let text =
                std::fs::read_to_string(path).map_err(|e| SourceError::UnreadableHolidays {
                    file: name.clone(),
                    message: e.to_string(),
                })?;
            let is_json = path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
            let holidays = if is_json {
                parse_govuk_json(&text, region, &name)?
            } else {
                parse_holiday_list(&text, &name)?
            };
            builder = builder.bank_holidays(holidays);
        }
        if !self.closures.is_empty() {
            let base = builder.clone().build().map_err(SourceError::Build)?;
            for &date in &self.closures {
                if let Some(why) = already_closed(&base, date) {
                    warnings.push(format!(
                        "--closure {date} changes nothing: it is already not a working day ({})",
                        escape(&why)
                    ));
                }
            }
        }
        for &date in &self.closures {
            builder = builder.closure(date, closure_reason);
        }
        let calendar = builder.build().map_err(SourceError::Build)?;
        Ok((calendar, warnings))
    }

    /// The built-in ladders and the ladder files' (a file's ladder replaces a
    /// built-in with its id; two files may not give the same id), each division
    /// in use on its adjusted [`calendar`](Sources::calendar).
    ///
    /// # Errors
    ///
    /// A ladder file that cannot be read or is not a valid ladder; a schedule;
    /// two files with one id; as [`Sources::calendar`].
    pub fn procedures(
        &self,
        closure_reason: &str,
    ) -> Result<(Procedures, Vec<String>), SourceError> {
        let mut procedures = Procedures::builtin()?;
        let mut added: Vec<(String, String)> = Vec::new();
        for path in &self.ladder_files {
            let name = label(path);
            let ladder = match Procedure::from_path(path)? {
                Procedure::Ladder(ladder) => ladder,
                Procedure::Schedule(schedule) => {
                    return Err(SourceError::ScheduleNotLadder {
                        file: name,
                        id: schedule.id.to_string(),
                    })
                }
            };
            if let Some((_, first)) = added.iter().find(|(id, _)| *id == *ladder.id) {
                return Err(SourceError::DuplicateLadder {
                    file: name,
                    id: ladder.id.to_string(),
                    first: first.clone(),
                });
            }
            added.push((ladder.id.to_string(), name));
            procedures.insert(ladder);
        }
        let mut warnings = Vec::new();
        if self.adjusts_calendars() {
            // The holidays and closures adjust the calendar of every division a
            // ladder counts in.
            let mut regions: Vec<Region> = Vec::new();
            for id in procedures.ids() {
                if let Some(ladder) = procedures.ladder(id) {
                    if !regions.contains(&ladder.working_days.region) {
                        regions.push(ladder.working_days.region);
                    }
                }
            }
            for region in regions {
                let (calendar, mut more) = self.calendar(region, closure_reason)?;
                procedures.set_calendar(calendar);
                for warning in more.drain(..) {
                    if !warnings.contains(&warning) {
                        warnings.push(warning);
                    }
                }
            }
        }
        Ok((procedures, warnings))
    }
}

/// Why `date` is already not a working day on `calendar`, if it is not (an
/// out-of-range date is left to the build's own error).
fn already_closed(calendar: &WorkingCalendar, date: NaiveDate) -> Option<String> {
    match calendar.day_kind(date).ok()? {
        DayKind::Working | DayKind::Opened(_) => None,
        DayKind::Saturday => Some("a Saturday".to_string()),
        DayKind::Sunday => Some("a Sunday".to_string()),
        DayKind::BankHoliday(name) => Some(name),
        DayKind::Closure(reason) => Some(reason),
    }
}
