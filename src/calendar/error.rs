//! The calendar's error type.

use chrono::NaiveDate;
use thiserror::Error;

use crate::escape::Escaped;

/// The first year with bank-holiday tables.
pub const FIRST_YEAR: i32 = 1978;
/// The last year with bank-holiday tables.
pub const LAST_YEAR: i32 = 2199;

/// Everything that can go wrong with a calendar query or a calendar's data.
///
/// Every variant names the value it refused and what was expected instead; the
/// messages are lowercase with no trailing period, ready to be embedded in a
/// larger message. Text from input (a region name, a file name, a line of
/// holiday data) is displayed [escaped](crate::escape), so a message is always
/// one line.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::{Region, WorkingCalendar};
///
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let too_early = NaiveDate::from_ymd_opt(1977, 6, 7).unwrap();
/// let err = calendar.is_working_day(too_early).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "date 1977-06-07 is outside the supported range 1978-01-01..=2199-12-31",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum CalendarError {
    /// A region name that is not one of the four known ones.
    #[error(
        "unknown region '{}': expected one of england-and-wales, scotland, northern-ireland, united-kingdom",
        Escaped(.found)
    )]
    UnknownRegion {
        /// What was given.
        found: String,
    },
    /// A date outside the years the tables cover.
    #[error("date {date} is outside the supported range {FIRST_YEAR}-01-01..={LAST_YEAR}-12-31")]
    DateOutOfRange {
        /// The refused date.
        date: NaiveDate,
    },
    /// An epoch day (days since 1970-01-01) that is no date chrono can hold
    /// (beyond ±262,143 years), far outside the years the tables cover.
    #[error(
        "epoch day {day} (days since 1970-01-01) is outside the supported range {FIRST_YEAR}-01-01..={LAST_YEAR}-12-31"
    )]
    EpochDayOutOfRange {
        /// The refused day number.
        day: i64,
    },
    /// A year outside the years the tables cover.
    #[error("year {year} is outside the supported range {FIRST_YEAR}..={LAST_YEAR}")]
    YearOutOfRange {
        /// The refused year.
        year: i32,
    },
    /// A query whose answer would fall outside the supported range.
    #[error(
        "{days} working days from {start} falls outside the supported range {FIRST_YEAR}-01-01..={LAST_YEAR}-12-31"
    )]
    ResultOutOfRange {
        /// The starting date of the query.
        start: NaiveDate,
        /// The number of days asked for.
        days: i64,
    },
    /// A calendar-day or week offset whose answer, rolled to a working day where
    /// asked, would fall outside the supported range.
    #[error(
        "{days} calendar days from {start} falls outside the supported range {FIRST_YEAR}-01-01..={LAST_YEAR}-12-31"
    )]
    CalendarDaysOutOfRange {
        /// The starting date of the query.
        start: NaiveDate,
        /// The calendar days asked for (7 a week).
        days: i64,
    },
    /// A local time of day that does not exist on that date in the UK (the hour
    /// skipped when British Summer Time starts).
    #[error("local time {time} does not exist on {date} in Europe/London (clocks go forward)")]
    NonexistentLocalTime {
        /// The date.
        date: NaiveDate,
        /// The time of day that was asked for.
        time: chrono::NaiveTime,
    },
    /// A line of holiday data that could not be read.
    #[error("{}:{line}: {}", Escaped(.source_name), Escaped(.message))]
    HolidayData {
        /// Where the data came from (a file name, or a label the caller gave).
        source_name: String,
        /// The 1-based line number.
        line: usize,
        /// What was expected and what was found.
        message: String,
    },
}

impl CalendarError {
    /// The error's stable code (`calendar.…`), as the JSON error document and
    /// [`ErrorDocument`](crate::contract::ErrorDocument) give it; codes are
    /// listed in docs/errors.md and never change meaning.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::UnknownRegion { .. } => "calendar.unknown-region",
            CalendarError::DateOutOfRange { .. } | CalendarError::EpochDayOutOfRange { .. } => {
                "calendar.out-of-range"
            }
            CalendarError::YearOutOfRange { .. } => "calendar.year-out-of-range",
            CalendarError::ResultOutOfRange { .. } => "calendar.result-out-of-range",
            CalendarError::CalendarDaysOutOfRange { .. } => "calendar.calendar-days-out-of-range",
            CalendarError::NonexistentLocalTime { .. } => "calendar.nonexistent-local-time",
            CalendarError::HolidayData { .. } => "calendar.holiday-data",
        }
    }
}
