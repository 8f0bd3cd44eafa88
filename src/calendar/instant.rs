//! Instants and UK local dates (Europe/London, across British Summer Time).

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use time_tz::{
    timezones::db::europe::LONDON, OffsetDateTimeExt, OffsetResult, PrimitiveDateTimeExt,
};

use super::{CalendarError, WorkingCalendar, FIRST_YEAR, LAST_YEAR};

/// When a receipt counts as received on the next working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cutoff {
    /// Every instant counts on its own UK local date.
    None,
    /// An instant at or after this UK local time counts as received on the next
    /// working day (e.g. 17:00 for "received after 5pm").
    At(NaiveTime),
}

/// When a deadline day ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DayEnd {
    /// At UK local midnight at the end of the day (the first instant of the next day).
    Midnight,
    /// At this UK local time on the day (e.g. 17:00, close of business).
    At(NaiveTime),
}

fn to_time_date(date: NaiveDate) -> Option<time::Date> {
    let month = time::Month::try_from(date.month() as u8).ok()?;
    time::Date::from_calendar_date(date.year(), month, date.day() as u8).ok()
}

/// The UK local date and time of an instant (Europe/London, GMT or BST).
///
/// # Errors
///
/// [`CalendarError::DateOutOfRange`] for an instant whose date is outside 1978..=2199.
///
/// # Example
///
/// 23:30 UTC on 30 June 2026 is already 1 July in London (BST, UTC+1):
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use escalation_ladder::calendar::uk_local;
///
/// let instant = Utc.with_ymd_and_hms(2026, 6, 30, 23, 30, 0).unwrap();
/// let local = uk_local(instant)?;
/// assert_eq!(local.date(), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn uk_local(instant: DateTime<Utc>) -> Result<chrono::NaiveDateTime, CalendarError> {
    let utc_date = instant.date_naive();
    // A day of margin either side: the local date is checked against the range below.
    if !(FIRST_YEAR - 1..=LAST_YEAR + 1).contains(&utc_date.year()) {
        return Err(CalendarError::DateOutOfRange { date: utc_date });
    }
    let out_of_range = CalendarError::DateOutOfRange { date: utc_date };
    let odt = time::OffsetDateTime::from_unix_timestamp(instant.timestamp())
        .map_err(|_| out_of_range.clone())?;
    let local = odt.to_timezone(LONDON);
    let date = NaiveDate::from_ymd_opt(
        local.year(),
        u32::from(u8::from(local.month())),
        u32::from(local.day()),
    )
    .ok_or(out_of_range.clone())?;
    let time = NaiveTime::from_hms_nano_opt(
        u32::from(local.hour()),
        u32::from(local.minute()),
        u32::from(local.second()),
        instant.nanosecond(),
    )
    .ok_or(out_of_range)?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return Err(CalendarError::DateOutOfRange { date });
    }
    Ok(date.and_time(time))
}

/// The UTC instant of a UK local date and time.
///
/// In the October hour that happens twice, the later instant is taken (a day that
/// ends then ends as late as it can).
fn uk_instant(date: NaiveDate, time: NaiveTime) -> Result<DateTime<Utc>, CalendarError> {
    let out_of_range = CalendarError::DateOutOfRange { date };
    let tdate = to_time_date(date).ok_or(out_of_range.clone())?;
    let ttime = time::Time::from_hms(time.hour() as u8, time.minute() as u8, time.second() as u8)
        .map_err(|_| out_of_range.clone())?;
    let local = time::PrimitiveDateTime::new(tdate, ttime);
    let odt = match local.assume_timezone(LONDON) {
        OffsetResult::Some(odt) => odt,
        OffsetResult::Ambiguous(a, b) => a.max(b),
        OffsetResult::None => return Err(CalendarError::NonexistentLocalTime { date, time }),
    };
    DateTime::<Utc>::from_timestamp(odt.unix_timestamp(), 0).ok_or(out_of_range)
}

impl WorkingCalendar {
    /// The date an instant counts as received on: its UK local date, or with a
    /// cut-off, the next working day when it arrives at or after the cut-off time.
    ///
    /// A receipt on a non-working day keeps its date whatever the time, cut-off or
    /// not: the counting convention already makes the next working day day 1.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] for an instant outside the supported range.
    ///
    /// # Example
    ///
    /// An alert recorded at 17:20 UK time on Friday 27 March 2026 (GMT) counts as
    /// received on Monday 30 March with a 17:00 cut-off:
    ///
    /// ```
    /// use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
    /// use escalation_ladder::{calendar::Cutoff, Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let instant = Utc.with_ymd_and_hms(2026, 3, 27, 17, 20, 0).unwrap();
    /// let five_pm = Cutoff::At(NaiveTime::from_hms_opt(17, 0, 0).unwrap());
    /// assert_eq!(calendar.receipt_date(instant, five_pm)?, NaiveDate::from_ymd_opt(2026, 3, 30).unwrap());
    /// assert_eq!(calendar.receipt_date(instant, Cutoff::None)?, NaiveDate::from_ymd_opt(2026, 3, 27).unwrap());
    /// // Saturday 28 March: before or after 17:00, received that Saturday.
    /// let saturday = NaiveDate::from_ymd_opt(2026, 3, 28).unwrap();
    /// for hour in [16, 17] {
    ///     let instant = Utc.with_ymd_and_hms(2026, 3, 28, hour, 30, 0).unwrap();
    ///     assert_eq!(calendar.receipt_date(instant, five_pm)?, saturday);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn receipt_date(
        &self,
        instant: DateTime<Utc>,
        cutoff: Cutoff,
    ) -> Result<NaiveDate, CalendarError> {
        let local = uk_local(instant)?;
        let date = local.date();
        match cutoff {
            // On a non-working day the time does not matter: day 1 is the next
            // working day either way.
            Cutoff::At(time) if local.time() >= time && self.is_working_day(date)? => {
                self.next_working_day(date)
            }
            _ => Ok(date),
        }
    }

    /// The UTC instant at which a deadline day ends, UK local time.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] for a date outside the supported range;
    /// [`CalendarError::NonexistentLocalTime`] for a [`DayEnd::At`] time in the hour
    /// skipped when the clocks go forward.
    ///
    /// # Example
    ///
    /// A deadline of Friday 23 October 2026, in British Summer Time (UTC+1, until
    /// Sunday 25 October):
    ///
    /// ```
    /// use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
    /// use escalation_ladder::{calendar::DayEnd, Region, WorkingCalendar};
    ///
    /// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    /// let due = NaiveDate::from_ymd_opt(2026, 10, 23).unwrap();
    /// assert_eq!(calendar.deadline_instant(due, DayEnd::Midnight)?, Utc.with_ymd_and_hms(2026, 10, 23, 23, 0, 0).unwrap());
    /// let five_pm = DayEnd::At(NaiveTime::from_hms_opt(17, 0, 0).unwrap());
    /// assert_eq!(calendar.deadline_instant(due, five_pm)?, Utc.with_ymd_and_hms(2026, 10, 23, 16, 0, 0).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deadline_instant(
        &self,
        date: NaiveDate,
        end: DayEnd,
    ) -> Result<DateTime<Utc>, CalendarError> {
        self.is_working_day(date)?;
        match end {
            DayEnd::At(time) => uk_instant(date, time),
            DayEnd::Midnight => {
                let next = date
                    .succ_opt()
                    .ok_or(CalendarError::DateOutOfRange { date })?;
                uk_instant(next, NaiveTime::MIN)
            }
        }
    }
}
