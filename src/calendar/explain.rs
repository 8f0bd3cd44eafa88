//! Why a deadline lands where it does: the days counted and the days skipped.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{CalendarError, DayKind, WorkingCalendar};
use crate::escape::Escaped;

/// One day between the start and the result of an add-working-days query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainedDay {
    /// The date.
    pub date: NaiveDate,
    /// What kind of day it is.
    pub kind: DayKind,
    /// Its number in the count (1, 2, … forward; -1, -2, … backward), or `None`
    /// for a day that was skipped.
    pub counted_as: Option<i32>,
}

/// The breakdown of an add-working-days query, for people to read.
///
/// Its `Display` prints one line per day, holiday and closure names
/// [escaped](crate::escape); serialize it for programs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The region of the calendar that answered.
    pub region: super::Region,
    /// The starting date (day 0); `from` in JSON, as every working-day
    /// answer names it.
    #[serde(rename = "from")]
    pub start: NaiveDate,
    /// The number of working days added; `working_days` in JSON.
    #[serde(rename = "working_days")]
    pub days: i32,
    /// The answer, as [`WorkingCalendar::add_working_days`] gives it.
    pub result: NaiveDate,
    /// Every day strictly between the start and the result, and the result itself,
    /// in the order they were walked.
    pub walked: Vec<ExplainedDay>,
}

impl Explanation {
    /// The days that were skipped, with the reason each was skipped.
    pub fn skipped(&self) -> impl Iterator<Item = &ExplainedDay> {
        self.walked.iter().filter(|d| d.counted_as.is_none())
    }
}

/// Why a day was counted or skipped; a name from holiday data is escaped.
fn reason(kind: &DayKind) -> String {
    match kind {
        DayKind::Working => "working day".to_string(),
        DayKind::Saturday => "Saturday".to_string(),
        DayKind::Sunday => "Sunday".to_string(),
        DayKind::BankHoliday(name) => format!("bank holiday: {}", Escaped(name)),
        DayKind::Closure(why) => format!("closure: {}", Escaped(why)),
        DayKind::Opened(why) => format!("opened: {}", Escaped(why)),
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} working days from {} {} ({}): day 0 is the start",
            self.days,
            self.start.format("%a"),
            self.start,
            self.region
        )?;
        for day in &self.walked {
            let label = match day.counted_as {
                Some(n) => format!("day {n}"),
                None => "skip".to_string(),
            };
            writeln!(
                f,
                "  {label:<8} {} {}  {}",
                day.date.format("%a"),
                day.date,
                reason(&day.kind)
            )?;
        }
        let skipped = self.skipped().count();
        write!(
            f,
            "= {} {} ({skipped} day{} skipped)",
            self.result.format("%a"),
            self.result,
            if skipped == 1 { "" } else { "s" }
        )
    }
}

impl WorkingCalendar {
    /// Explains [`add_working_days`](Self::add_working_days): each day walked, counted
    /// or skipped, and why.
    ///
    /// Unlike the query itself this walks the days one by one (it has to list them),
    /// so it is meant for people, not for hot paths.
    ///
    /// # Errors
    ///
    /// As [`add_working_days`](Self::add_working_days).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::{Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let raised = NaiveDate::from_ymd_opt(2025, 12, 24).unwrap();
    /// let explanation = calendar.explain_add_working_days(raised, 3)?;
    /// assert_eq!(explanation.result, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
    /// let skipped: Vec<String> = explanation.skipped().map(|d| d.date.to_string()).collect();
    /// assert_eq!(skipped, ["2025-12-25", "2025-12-26", "2025-12-27", "2025-12-28"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn explain_add_working_days(
        &self,
        start: NaiveDate,
        days: i32,
    ) -> Result<Explanation, CalendarError> {
        let result = self.add_working_days(start, days)?;
        let mut walked = Vec::new();
        let mut counted = 0i32;
        let step: i32 = if days < 0 { -1 } else { 1 };
        // For days == 0 the start itself is the first day walked (it may be skipped).
        let mut date = if days == 0 { start } else { next(start, step) };
        loop {
            let kind = self.day_kind(date)?;
            let counted_as = if kind.is_working() {
                counted += step;
                Some(if days == 0 { 0 } else { counted })
            } else {
                None
            };
            walked.push(ExplainedDay {
                date,
                kind,
                counted_as,
            });
            if date == result {
                break;
            }
            date = next(date, step);
        }
        Ok(Explanation {
            region: self.region(),
            start,
            days,
            result,
            walked,
        })
    }
}

fn next(date: NaiveDate, step: i32) -> NaiveDate {
    let moved = if step > 0 {
        date.checked_add_days(Days::new(1))
    } else {
        date.checked_sub_days(Days::new(1))
    };
    moved.unwrap_or(date)
}
