//! The ladders, schedules and calendars an operation answers with, loaded
//! once: what a CLI run, the HTTP service and a C ABI handle each hold.

use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::calendar::{parse_govuk_json, parse_holiday_list, BankHoliday, DayKind};
use crate::contract::ErrorDocument;
use crate::escape::escape;
use crate::ladder::{builtin, Ladder, LadderError, Procedure};
use crate::report::Procedures;
use crate::{Region, WorkingCalendar};

/// The reason recorded for a closure day given without one (`explain` and
/// `holidays` show it). One text for every door, so that the same closure
/// explains itself the same way through each.
pub const CLOSURE_REASON: &str = "a closure day (no reason given)";

/// The name recorded for an extra bank holiday given without one.
pub const HOLIDAY_NAME: &str = "an extra bank holiday (no name given)";

/// Extra bank holidays: a GOV.UK bank-holidays feed (its division is picked
/// per region), a plain list (`YYYY-MM-DD name` lines), or days given one by
/// one. Each applies to every division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HolidaySource {
    /// GOV.UK's bank-holidays JSON: `name` for messages, and its text.
    GovukJson {
        /// The file's name, for messages.
        name: String,
        /// The feed.
        text: String,
    },
    /// One `YYYY-MM-DD name` a line (`#` comments and blank lines ignored).
    List {
        /// The file's name, for messages.
        name: String,
        /// The lines.
        text: String,
    },
    /// Days given one by one, each with its name.
    Days(Vec<BankHoliday>),
}

/// A weekday on which the service is closed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// The day.
    pub date: NaiveDate,
    /// Why ([`CLOSURE_REASON`] when none was given).
    pub reason: String,
}

/// What a [`Registry`] is made of, read already (no file is read here): the
/// caller's own ladders, extra bank holidays and closures, and the division
/// every procedure counts in when one is fixed.
///
/// # Example
///
/// A council that closes on Tuesday 29 December 2026:
///
/// ```
/// use escalation_ladder::chrono::NaiveDate;
/// use escalation_ladder::ops::{Closure, Registry, Setup};
///
/// let setup = Setup {
///     closures: vec![Closure {
///         date: NaiveDate::from_ymd_opt(2026, 12, 29).unwrap(),
///         reason: "Christmas shutdown".into(),
///     }],
///     ..Setup::default()
/// };
/// let (registry, warnings) = Registry::new(setup)?;
/// assert!(warnings.is_empty());
/// let (_, calendar) = registry.ladder("iro-dispute-resolution")?;
/// assert!(!calendar.is_working_day(NaiveDate::from_ymd_opt(2026, 12, 29).unwrap())?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setup {
    /// A council's own procedures (ladders or schedules); one with a built-in
    /// procedure's id replaces it, in its place in the list.
    pub procedures: Vec<Procedure>,
    /// Extra bank holidays, for every division.
    pub holidays: Vec<HolidaySource>,
    /// Closure days, for every division.
    pub closures: Vec<Closure>,
    /// The division every procedure and every working-day question counts
    /// in; `None`: each procedure counts in its own, and a working-day
    /// question in England and Wales unless it names a region.
    pub region: Option<Region>,
}

/// The four divisions, in a fixed order (the registry's calendar slots).
const REGIONS: [Region; 4] = [
    Region::EnglandAndWales,
    Region::Scotland,
    Region::NorthernIreland,
    Region::UnitedKingdom,
];

fn slot(region: Region) -> usize {
    REGIONS.iter().position(|r| *r == region).unwrap_or(0)
}

/// The procedures and calendars every operation answers with: the built-in
/// procedures with the caller's own, and each division's working calendar
/// with the extra holidays and closures. Immutable once made, and `Sync`: one
/// registry answers any number of threads at once.
///
/// The CLI makes one per run from its options, the HTTP service one per
/// (re)load from its files, and the C ABI one per handle from its arguments;
/// every [operation](super) takes one.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::Registry;
///
/// let registry = Registry::builtin()?;
/// let (ladder, calendar) = registry.ladder("iro-dispute-resolution")?;
/// assert_eq!(ladder.stages.len(), 5);
/// assert_eq!(calendar.region().as_str(), "england-and-wales");
/// assert!(registry.ladder("nottinghamshire-inspection").is_err()); // a schedule
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Registry {
    /// Every procedure, built-in and the caller's, in list order.
    procedures: Vec<Procedure>,
    /// The ladders with the calendar each counts in: what cases run on.
    cases: Procedures,
    /// Each division's adjusted calendar, built when first asked for.
    calendars: [OnceLock<Result<WorkingCalendar, ErrorDocument>>; 4],
    holidays: Vec<HolidaySource>,
    closures: Vec<Closure>,
    region: Option<Region>,
    /// The ids of the caller's own procedures, in the order given.
    own: Vec<String>,
}

impl Registry {
    /// The built-in procedures on the built-in calendars.
    ///
    /// # Errors
    ///
    /// A built-in file that fails to load (a bug, caught by the crate's tests).
    pub fn builtin() -> Result<Registry, ErrorDocument> {
        Registry::new(Setup::default()).map(|(registry, _)| registry)
    }

    /// Makes a registry from `setup`, with the warnings of what changes
    /// nothing (a closure on a day that is not a working day already).
    ///
    /// # Errors
    ///
    /// The document of a holiday list that cannot be parsed (`calendar.holiday-data`)
    /// or a day out of the calendar's range (`calendar.*`).
    pub fn new(setup: Setup) -> Result<(Registry, Vec<String>), ErrorDocument> {
        let Setup {
            procedures: own,
            holidays,
            closures,
            region,
        } = setup;
        let mut procedures = builtin::try_procedures().map_err(|e| ErrorDocument::from(&e))?;
        let own_ids = own.iter().map(|p| p.id().to_string()).collect();
        for procedure in own {
            match procedures.iter_mut().find(|p| p.id() == procedure.id()) {
                Some(place) => *place = procedure,
                None => procedures.push(procedure),
            }
        }
        let registry = Registry {
            procedures,
            cases: Procedures::new(),
            calendars: Default::default(),
            holidays,
            closures,
            region,
            own: own_ids,
        };
        registry.finish()
    }

    /// Builds the calendars the ladders count in (and the default one),
    /// checking the adjustments once, then the cases' ladder set.
    fn finish(mut self) -> Result<(Registry, Vec<String>), ErrorDocument> {
        let mut warnings = Vec::new();
        let mut wanted = vec![self.region.unwrap_or(Region::EnglandAndWales)];
        for procedure in &self.procedures {
            let own = match procedure {
                Procedure::Ladder(l) => l.working_days.region,
                Procedure::Schedule(s) => s.working_days.region,
            };
            let region = self.region.unwrap_or(own);
            if !wanted.contains(&region) {
                wanted.push(region);
            }
        }
        for region in wanted {
            let (calendar, more) = self.build_calendar(region)?;
            for warning in more {
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
            let _ = self.calendars[slot(region)].set(Ok(calendar));
        }
        // Every ladder counts in the calendar the registry gives its division
        // (set before the ladders go in, so that none is built twice).
        let mut cases = Procedures::new();
        for procedure in &self.procedures {
            if let Procedure::Ladder(ladder) = procedure {
                let own = ladder.working_days.region;
                if cases.calendar(own).is_none() {
                    if let Some(Ok(calendar)) =
                        self.calendars[slot(self.region.unwrap_or(own))].get()
                    {
                        cases.set_calendar_of(own, calendar.clone());
                    }
                }
                cases.insert(ladder.clone());
            }
        }
        self.cases = cases;
        Ok((self, warnings))
    }

    /// `region`'s calendar with the extra holidays and closures, and the
    /// warnings for closures that change nothing.
    fn build_calendar(
        &self,
        region: Region,
    ) -> Result<(WorkingCalendar, Vec<String>), ErrorDocument> {
        let mut warnings = Vec::new();
        if self.holidays.is_empty() && self.closures.is_empty() {
            return Ok((WorkingCalendar::new(region), warnings));
        }
        let mut builder = WorkingCalendar::builder(region);
        for source in &self.holidays {
            let holidays = match source {
                HolidaySource::GovukJson { name, text } => parse_govuk_json(text, region, name),
                HolidaySource::List { name, text } => parse_holiday_list(text, name),
                HolidaySource::Days(days) => Ok(days.clone()),
            }
            .map_err(|e| ErrorDocument::from(&e))?;
            builder = builder.bank_holidays(holidays);
        }
        if !self.closures.is_empty() {
            let base = builder.clone().build().map_err(|e| build_error(&e))?;
            for closure in &self.closures {
                if let Some(why) = already_closed(&base, closure.date) {
                    warnings.push(format!(
                        "closure {} changes nothing: it is already not a working day ({})",
                        closure.date,
                        escape(&why)
                    ));
                }
            }
        }
        for closure in &self.closures {
            builder = builder.closure(closure.date, closure.reason.clone());
        }
        let calendar = builder.build().map_err(|e| build_error(&e))?;
        Ok((calendar, warnings))
    }

    /// The ids of the caller's own procedures ([`Setup::procedures`]), in the
    /// order given.
    pub fn own_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.own.iter().map(String::as_str)
    }

    /// The division fixed for every procedure, if one is.
    pub fn region(&self) -> Option<Region> {
        self.region
    }

    /// `region`'s calendar with the extra holidays and closures (built the
    /// first time it is asked for).
    ///
    /// # Errors
    ///
    /// The adjustments cannot be applied to this division (a GOV.UK feed
    /// without it).
    pub fn calendar(&self, region: Region) -> Result<&WorkingCalendar, ErrorDocument> {
        self.calendars[slot(region)]
            .get_or_init(|| self.build_calendar(region).map(|(calendar, _)| calendar))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The calendar of a working-day question: the one it names, else the
    /// fixed division's, else England and Wales's.
    ///
    /// # Errors
    ///
    /// As [`Registry::calendar`].
    pub fn calendar_for(&self, asked: Option<Region>) -> Result<&WorkingCalendar, ErrorDocument> {
        self.calendar(asked.or(self.region).unwrap_or(Region::EnglandAndWales))
    }

    /// Every procedure, in list order: the built-ins (a caller's with the
    /// same id in its place), then the caller's others.
    pub fn procedures(&self) -> &[Procedure] {
        &self.procedures
    }

    /// The procedure with this id.
    ///
    /// # Errors
    ///
    /// `ladder.unknown` naming the ids there are.
    pub fn procedure(&self, id: &str) -> Result<&Procedure, ErrorDocument> {
        self.procedures
            .iter()
            .find(|p| p.id() == id)
            .ok_or_else(|| {
                ErrorDocument::from(&LadderError::UnknownLadder {
                    id: id.to_string(),
                    expected: "procedure".to_string(),
                    known: self
                        .procedures
                        .iter()
                        .map(Procedure::id)
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            })
    }

    /// The ladder with this id and the calendar it counts in.
    ///
    /// # Errors
    ///
    /// `ladder.unknown` for an id no ladder has, `ladder.is-a-schedule` for a
    /// schedule's.
    pub fn ladder(&self, id: &str) -> Result<(&Ladder, &WorkingCalendar), ErrorDocument> {
        if let Some(found) = self.cases.get(id) {
            return Ok(found);
        }
        let ladders = self.cases.ids().collect::<Vec<_>>().join(", ");
        let error = match self.procedures.iter().any(|p| p.id() == id) {
            true => LadderError::IsASchedule {
                id: id.to_string(),
                ladders,
            },
            false => LadderError::UnknownLadder {
                id: id.to_string(),
                expected: "ladder".to_string(),
                known: ladders,
            },
        };
        Err(ErrorDocument::from(&error))
    }

    /// The calendar a procedure counts in.
    ///
    /// # Errors
    ///
    /// As [`Registry::calendar`].
    pub fn calendar_of(&self, procedure: &Procedure) -> Result<&WorkingCalendar, ErrorDocument> {
        let own = match procedure {
            Procedure::Ladder(l) => l.working_days.region,
            Procedure::Schedule(s) => s.working_days.region,
        };
        self.calendar(self.region.unwrap_or(own))
    }

    /// The ladders cases run on, each with its calendar (what a report and an
    /// iCalendar export read cases with).
    pub fn cases(&self) -> &Procedures {
        &self.cases
    }
}

/// The document of a calendar that could not be built from the adjustments.
fn build_error(e: &crate::CalendarError) -> ErrorDocument {
    let mut doc = ErrorDocument::from(e);
    doc.message = format!("cannot build the calendar: {}", doc.message);
    doc
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_fixed_region_moves_every_ladder_to_it() {
        let (registry, _) = Registry::new(Setup {
            region: Some(Region::Scotland),
            ..Setup::default()
        })
        .unwrap();
        let (_, calendar) = registry.ladder("iro-dispute-resolution").unwrap();
        assert_eq!(calendar.region(), Region::Scotland);
        // St Andrew's Day, Monday 30 November 2026: a Scottish holiday only.
        assert_eq!(calendar.is_working_day(d(2026, 11, 30)), Ok(false));
        let (_, calendar) = registry.cases().get("iro-dispute-resolution").unwrap();
        assert_eq!(calendar.region(), Region::Scotland);
        assert_eq!(
            registry.calendar_for(None).unwrap().region(),
            Region::Scotland
        );
    }

    #[test]
    fn a_closure_on_a_holiday_warns_and_a_schedule_is_not_a_ladder() {
        let (registry, warnings) = Registry::new(Setup {
            closures: vec![Closure {
                date: d(2026, 12, 25),
                reason: CLOSURE_REASON.into(),
            }],
            ..Setup::default()
        })
        .unwrap();
        assert_eq!(
            warnings,
            ["closure 2026-12-25 changes nothing: it is already not a working day (Christmas Day)"]
        );
        let err = registry.ladder("nottinghamshire-inspection").unwrap_err();
        assert_eq!(err.code, "ladder.is-a-schedule");
        let err = registry.ladder("nowhere").unwrap_err();
        assert_eq!(err.code, "ladder.unknown");
        assert!(registry.procedure("nottinghamshire-inspection").is_ok());
    }
}
