//! The day-by-day reference for working-day queries: obviously right, and slow.
//! Shared by the integration tests and the calendar bench (`#[path]`).

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use escalation_ladder::calendar::{bank_holidays, FIRST_YEAR, LAST_YEAR};
use escalation_ladder::Region;

/// A region's working days, looked up one day at a time.
pub struct Naive {
    holidays: HashSet<NaiveDate>,
}

impl Naive {
    /// The region's bank holidays over the supported range.
    pub fn new(region: Region) -> Naive {
        let holidays = (FIRST_YEAR..=LAST_YEAR)
            .flat_map(|year| bank_holidays(region, year).expect("year in range"))
            .map(|h| h.date)
            .collect();
        Naive { holidays }
    }

    #[inline]
    pub fn is_working(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&date)
    }

    /// The N-th working day strictly after D (before, for N < 0); for N = 0, D
    /// or the next working day.
    pub fn add(&self, mut date: NaiveDate, days: i32) -> NaiveDate {
        let one = Days::new(1);
        if days == 0 {
            while !self.is_working(date) {
                date = date + one;
            }
            return date;
        }
        let mut left = days.unsigned_abs();
        while left > 0 {
            date = if days > 0 { date + one } else { date - one };
            if self.is_working(date) {
                left -= 1;
            }
        }
        date
    }

    /// The working days in (FROM, TO], negative when TO is before FROM.
    pub fn count(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (lo, hi, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut n = 0;
        let mut date = lo;
        while date < hi {
            date = date + Days::new(1);
            n += i64::from(self.is_working(date));
        }
        sign * n
    }

    /// D if it is a working day, else the working day before it.
    pub fn preceding(&self, mut date: NaiveDate) -> NaiveDate {
        while !self.is_working(date) {
            date = date - Days::new(1);
        }
        date
    }
}
