//! The ladders a cases file may name, with one working calendar per division.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::calendar::{Region, WorkingCalendar};
use crate::ladder::{builtin, Ladder, LadderError};

use super::case::Case;
use super::error::ReportError;
use super::intern::FastMap;

/// A ladder with its shared ids, so that loaded cases point at one copy of each
/// ladder, stage, category and referral id instead of holding their own.
#[derive(Debug, Clone)]
pub(crate) struct LadderEntry {
    pub(crate) ladder: Ladder,
    pub(crate) id: Arc<str>,
    pub(crate) stages: Vec<Arc<str>>,
    pub(crate) categories: Vec<Arc<str>>,
    pub(crate) referrals: Vec<Arc<str>>,
    /// Index into [`Procedures::calendars`].
    pub(crate) calendar: usize,
}

impl LadderEntry {
    fn new(ladder: Ladder, calendar: usize) -> LadderEntry {
        let shared = |id: &Arc<str>| Arc::clone(id);
        LadderEntry {
            id: Arc::clone(&ladder.id),
            stages: ladder.stages.iter().map(|s| shared(&s.id)).collect(),
            categories: ladder.categories.iter().map(|c| shared(&c.id)).collect(),
            referrals: ladder.referrals.iter().map(|r| shared(&r.id)).collect(),
            ladder,
            calendar,
        }
    }

    /// The position of a stage in stage order.
    pub(crate) fn stage_position(&self, stage: &str) -> Option<usize> {
        self.stages.iter().position(|s| &**s == stage)
    }

    /// The shared copy of a stage id (the given one if the ladder lacks it):
    /// by address first (the engine's states point at the ladder's own ids,
    /// which the entry shares), then by text.
    pub(crate) fn shared_stage(&self, stage: &Arc<str>) -> Arc<str> {
        if let Some(shared) = self.stages.iter().find(|s| Arc::ptr_eq(s, stage)) {
            return Arc::clone(shared);
        }
        match self.stage_position(stage) {
            Some(i) => Arc::clone(&self.stages[i]),
            None => Arc::clone(stage),
        }
    }

    /// The shared copy of a category id, by address first, then by text;
    /// none if the ladder lacks it.
    pub(crate) fn shared_category(&self, category: &Arc<str>) -> Option<&Arc<str>> {
        self.categories
            .iter()
            .find(|c| Arc::ptr_eq(c, category))
            .or_else(|| Some(&self.categories[self.category_position(category)?]))
    }

    /// The position of a category in the ladder's list.
    pub(crate) fn category_position(&self, category: &str) -> Option<usize> {
        self.categories.iter().position(|c| &**c == category)
    }
}

/// The ladders that cases may run on, each with the working calendar of its
/// division (`ladder.working_days.region`).
///
/// One [`WorkingCalendar`] is built per division in use and shared by every
/// ladder of that division. A council's own ladders are added with
/// [`Procedures::insert`]; one with the id of a built-in ladder replaces it.
///
/// # Example
///
/// ```
/// use escalation_ladder::report::Procedures;
///
/// let procedures = Procedures::builtin()?;
/// let (ladder, calendar) = procedures.get("iro-dispute-resolution").unwrap();
/// assert_eq!(ladder.stages.len(), 5);
/// assert_eq!(calendar.region().to_string(), "england-and-wales");
/// // The inspection timetable is a schedule, not a ladder: cases cannot run on it.
/// assert!(procedures.get("nottinghamshire-inspection").is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Procedures {
    entries: Vec<LadderEntry>,
    by_id: FastMap<Arc<str>, usize>,
    calendars: Vec<WorkingCalendar>,
    /// The division whose ladders count in each of `calendars` (the calendar's
    /// own, unless [`Procedures::set_calendar_of`] gave them another).
    serves: Vec<Region>,
}

impl Procedures {
    /// No ladders at all: add them with [`Procedures::insert`].
    pub fn new() -> Procedures {
        Procedures::default()
    }

    /// Every built-in ladder (the built-in schedules are left out: cases do not
    /// run on them), in the order of [`builtin::IDS`].
    ///
    /// # Errors
    ///
    /// The [`LadderError`] of a built-in file that fails to load (a bug in the
    /// crate, caught by its tests).
    // `LadderError` is large by design (see the ladder module); errors are the
    // cold path.
    #[allow(clippy::result_large_err)]
    pub fn builtin() -> Result<Procedures, LadderError> {
        let mut procedures = Procedures::new();
        for procedure in builtin::try_procedures()? {
            if let crate::ladder::Procedure::Ladder(ladder) = procedure {
                procedures.insert(ladder);
            }
        }
        Ok(procedures)
    }

    /// Adds a ladder, building the calendar of its division if no ladder used it
    /// yet. A ladder with the id of one already present replaces it (in its
    /// place in the order) and the old one is returned.
    ///
    /// # Example
    ///
    /// A council's own copy of the IRO ladder, with a longer ceiling:
    ///
    /// ```
    /// use escalation_ladder::ladder::builtin;
    /// use escalation_ladder::report::Procedures;
    ///
    /// let mut procedures = Procedures::builtin()?;
    /// let mut own = builtin::ladder("iro-dispute-resolution")?;
    /// own.ceiling.as_mut().unwrap().working_days = 25;
    /// let replaced = procedures.insert(own);
    /// assert!(replaced.is_some());
    /// let ceiling = procedures.ladder("iro-dispute-resolution").unwrap().ceiling.as_ref();
    /// assert_eq!(ceiling.map(|c| c.working_days), Some(25));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert(&mut self, ladder: Ladder) -> Option<Ladder> {
        let region = ladder.working_days.region;
        let calendar = match self.serves.iter().position(|r| *r == region) {
            Some(index) => index,
            None => {
                self.calendars.push(WorkingCalendar::new(region));
                self.serves.push(region);
                self.calendars.len() - 1
            }
        };
        let entry = LadderEntry::new(ladder, calendar);
        match self.by_id.get(&*entry.id) {
            Some(&index) => {
                let old = std::mem::replace(&mut self.entries[index], entry);
                Some(old.ladder)
            }
            None => {
                self.by_id.insert(Arc::clone(&entry.id), self.entries.len());
                self.entries.push(entry);
                None
            }
        }
    }

    /// Replaces the calendar of the calendar's division (for example, one with a
    /// council's Christmas closure), for every ladder of that division; returns
    /// the calendar it replaces, if that division was in use.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::Procedures;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let mut procedures = Procedures::builtin()?;
    /// let closed = NaiveDate::from_ymd_opt(2026, 12, 29).unwrap();
    /// let calendar = WorkingCalendar::builder(Region::EnglandAndWales)
    ///     .closure(closed, "Christmas shutdown")
    ///     .build()?;
    /// assert!(procedures.set_calendar(calendar).is_some());
    /// let (_, calendar) = procedures.get("iro-dispute-resolution").unwrap();
    /// assert!(!calendar.is_working_day(closed)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_calendar(&mut self, calendar: WorkingCalendar) -> Option<WorkingCalendar> {
        self.set_calendar_of(calendar.region(), calendar)
    }

    /// Makes every ladder of the division `region` count in `calendar`, which
    /// may be another division's (a caller that fixes one division for every
    /// ladder); returns the calendar it replaces, if that division was in use.
    ///
    /// # Example
    ///
    /// The IRO ladder counted on Scotland's calendar, where Monday 30 November
    /// 2026 (St Andrew's Day) is a holiday:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::Procedures;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let mut procedures = Procedures::builtin()?;
    /// procedures.set_calendar_of(Region::EnglandAndWales, WorkingCalendar::new(Region::Scotland));
    /// let (_, calendar) = procedures.get("iro-dispute-resolution").unwrap();
    /// let st_andrew = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    /// assert!(!calendar.is_working_day(st_andrew)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_calendar_of(
        &mut self,
        region: Region,
        calendar: WorkingCalendar,
    ) -> Option<WorkingCalendar> {
        match self.serves.iter().position(|r| *r == region) {
            Some(index) => Some(std::mem::replace(&mut self.calendars[index], calendar)),
            None => {
                self.calendars.push(calendar);
                self.serves.push(region);
                None
            }
        }
    }

    /// The ladder with this id and its calendar.
    pub fn get(&self, id: &str) -> Option<(&Ladder, &WorkingCalendar)> {
        self.entry(id)
            .map(|e| (&e.ladder, &self.calendars[e.calendar]))
    }

    /// The ladder with this id.
    pub fn ladder(&self, id: &str) -> Option<&Ladder> {
        self.entry(id).map(|e| &e.ladder)
    }

    /// The calendar the ladders of a division count in, if a ladder uses it
    /// or it was set.
    pub fn calendar(&self, region: Region) -> Option<&WorkingCalendar> {
        let index = self.serves.iter().position(|r| *r == region)?;
        Some(&self.calendars[index])
    }

    /// The ladder ids, in order (built-ins first, in the order of
    /// [`builtin::IDS`], then added ones in the order they were added).
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|e| &*e.id)
    }

    /// How many ladders there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no ladders.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Checks that `date` is inside every calendar's range.
    pub(crate) fn check_date(&self, date: chrono::NaiveDate) -> Result<(), crate::CalendarError> {
        for calendar in &self.calendars {
            calendar.is_working_day(date)?;
        }
        Ok(())
    }

    /// The ids as one comma-separated list, for error messages.
    pub(crate) fn id_list(&self) -> String {
        let ids: Vec<&str> = self.ids().collect();
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub(crate) fn entry(&self, id: &str) -> Option<&LadderEntry> {
        self.position(id).map(|i| &self.entries[i])
    }

    /// The entry for a case's ladder id: by address first (cases read with
    /// these procedures share the entry's id), then by text.
    pub(crate) fn entry_of(&self, id: &Arc<str>) -> Option<&LadderEntry> {
        self.entries
            .iter()
            .find(|e| Arc::ptr_eq(&e.id, id))
            .or_else(|| self.entry(id))
    }

    pub(crate) fn calendar_of(&self, entry: &LadderEntry) -> &WorkingCalendar {
        &self.calendars[entry.calendar]
    }

    /// The ladder entry and calendar a report uses for `case` as at `as_of`,
    /// refusing a case with events after `as_of` or on a ladder not given.
    pub(crate) fn for_case(
        &self,
        case: &Case,
        as_of: NaiveDate,
    ) -> Result<(&LadderEntry, &WorkingCalendar), ReportError> {
        let state = &case.state;
        if let Some(last) = state.last_event_on.filter(|last| *last > as_of) {
            return Err(ReportError::EventsAfterAsOf {
                case: case.id.to_string(),
                last_event_on: last,
                as_of,
            });
        }
        let entry = self
            .entry_of(&state.ladder)
            .ok_or_else(|| ReportError::UnknownLadder {
                case: case.id.to_string(),
                ladder: state.ladder.to_string(),
                known: self.id_list(),
            })?;
        Ok((entry, self.calendar_of(entry)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::builtin;

    #[test]
    fn builtin_has_every_ladder_and_one_calendar() {
        let procedures = Procedures::builtin().unwrap();
        let ids: Vec<&str> = procedures.ids().collect();
        assert_eq!(
            ids,
            [
                "nottingham-provider-concerns",
                "iro-dispute-resolution",
                "lac-review-decisions",
                "cp-conference-concerns",
                "chair-performance-concerns",
                "oxfordshire-resolution-escalation",
                "birmingham-cp-notification",
            ]
        );
        assert_eq!(procedures.calendars.len(), 1);
        assert_eq!(procedures.len(), 7);
        assert!(!procedures.is_empty());
        assert!(Procedures::new().is_empty());
        assert_eq!(Procedures::new().id_list(), "none");
    }

    #[test]
    fn a_scottish_ladder_gets_its_own_calendar() {
        let mut procedures = Procedures::builtin().unwrap();
        let mut scottish = builtin::ladder("oxfordshire-resolution-escalation").unwrap();
        scottish.id = "scottish-council".into();
        scottish.working_days.region = Region::Scotland;
        assert!(procedures.insert(scottish).is_none());
        assert_eq!(procedures.calendars.len(), 2);
        let (_, calendar) = procedures.get("scottish-council").unwrap();
        assert_eq!(calendar.region(), Region::Scotland);
        // St Andrew's Day, Monday 30 November 2026, is a holiday in Scotland only.
        let st_andrew = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(calendar.is_working_day(st_andrew), Ok(false));
        let (_, english) = procedures.get("oxfordshire-resolution-escalation").unwrap();
        assert_eq!(english.is_working_day(st_andrew), Ok(true));
        assert_eq!(procedures.ids().last(), Some("scottish-council"));
    }
}
