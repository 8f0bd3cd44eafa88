//! The working-day operations: bank holidays, add, count and explain.

use crate::calendar::{bank_holidays, BankHoliday, CalendarError, Explanation};
use crate::calendar::{FIRST_YEAR, LAST_YEAR};
use crate::contract::ErrorDocument;
use crate::{Region, WorkingCalendar};

use super::answer::{WorkingDaysAdded, WorkingDaysCounted};
use super::request::{invalid_value, AddRequest, CountRequest, HolidaysRequest};
use super::Registry;

fn calendar_error(e: CalendarError) -> ErrorDocument {
    ErrorDocument::from(&e)
}

/// The region a request names, if it names one.
fn region(asked: Option<&str>) -> Result<Option<Region>, ErrorDocument> {
    asked
        .map(|text| text.parse::<Region>().map_err(calendar_error))
        .transpose()
}

/// The calendar a working-day request counts on: the region it names, else
/// the registry's fixed one, else England and Wales.
pub(super) fn working_calendar<'r>(
    registry: &'r Registry,
    asked: Option<&str>,
) -> Result<&'r WorkingCalendar, ErrorDocument> {
    registry.calendar_for(region(asked)?)
}

/// The bank holidays of a division from one year to another, from the
/// built-in tables (1978 to 2199), in date order; a fixed-date holiday at a
/// weekend is listed as its substitute weekday.
///
/// # Errors
///
/// `calendar.unknown-region`; `calendar.year-out-of-range` naming the year
/// given; `request.invalid-value` for `to` before `from`.
///
/// # Example
///
/// Scotland's bank holidays of 2026 include St Andrew's Day, Monday 30
/// November:
///
/// ```
/// use escalation_ladder::ops::{self, HolidaysRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let request = HolidaysRequest { region: Some("scotland".into()), from: 2026, to: None };
/// let holidays = ops::holidays(&registry, &request)?;
/// assert!(holidays.iter().any(|h| h.date.to_string() == "2026-11-30"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn holidays(
    registry: &Registry,
    request: &HolidaysRequest,
) -> Result<Vec<BankHoliday>, ErrorDocument> {
    let division = region(request.region.as_deref())?
        .or(registry.region())
        .unwrap_or(Region::EnglandAndWales);
    let (from, to) = (request.from, request.to.unwrap_or(request.from));
    if to < from {
        return Err(invalid_value(
            "to",
            &format!("expected a year on or after from ({from})"),
            &to.to_string(),
        ));
    }
    // Both years are checked before the loop, so the error names the year
    // given (99999), not the first year past the tables (2200) the loop would
    // reach.
    for year in [from, to] {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(calendar_error(CalendarError::YearOutOfRange { year }));
        }
    }
    let mut all = Vec::new();
    for year in from..=to {
        all.extend(bank_holidays(division, year).map_err(calendar_error)?);
    }
    Ok(all)
}

/// The `working_days`-th working day after `from` (day 0; a start on a
/// non-working day makes the next working day day 1; 0 gives `from` if it is
/// a working day, else the next one; negative counts back).
///
/// # Errors
///
/// `calendar.unknown-region`; a date or result out of range.
///
/// # Example
///
/// Five working days after Friday 18 December 2026 is Tuesday 29 December:
///
/// ```
/// use escalation_ladder::ops::{self, AddRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let request = AddRequest { from: "2026-12-18".parse()?, working_days: 5, region: None };
/// assert_eq!(ops::add_working_days(&registry, &request)?.result.to_string(), "2026-12-29");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn add_working_days(
    registry: &Registry,
    request: &AddRequest,
) -> Result<WorkingDaysAdded, ErrorDocument> {
    let calendar = working_calendar(registry, request.region.as_deref())?;
    let result = calendar
        .add_working_days(request.from, request.working_days)
        .map_err(calendar_error)?;
    Ok(WorkingDaysAdded {
        from: request.from,
        working_days: request.working_days,
        result,
        region: calendar.region(),
    })
}

/// The working days in (`from`, `to`]; negative when `to` is before `from`.
///
/// # Errors
///
/// `calendar.unknown-region`; a date out of range.
///
/// # Example
///
/// From Christmas Eve 2026 to New Year's Eve, three working days (29, 30 and
/// 31 December):
///
/// ```
/// use escalation_ladder::ops::{self, CountRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let request = CountRequest { from: "2026-12-24".parse()?, to: "2026-12-31".parse()?, region: None };
/// assert_eq!(ops::count_working_days(&registry, &request)?.working_days, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn count_working_days(
    registry: &Registry,
    request: &CountRequest,
) -> Result<WorkingDaysCounted, ErrorDocument> {
    let calendar = working_calendar(registry, request.region.as_deref())?;
    let working_days = calendar
        .count_working_days(request.from, request.to)
        .map_err(calendar_error)?;
    Ok(WorkingDaysCounted {
        from: request.from,
        to: request.to,
        working_days,
        region: calendar.region(),
    })
}

/// Why [`add_working_days`] lands where it does: each day walked, counted or
/// skipped, and why.
///
/// # Errors
///
/// As [`add_working_days`].
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, AddRequest, Registry};
///
/// let registry = Registry::builtin()?;
/// let request = AddRequest { from: "2026-12-24".parse()?, working_days: 1, region: None };
/// let explained = ops::explain(&registry, &request)?;
/// assert_eq!(explained.result.to_string(), "2026-12-29");
/// assert_eq!(explained.skipped().count(), 4); // Christmas, the weekend, the Boxing Day substitute
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn explain(registry: &Registry, request: &AddRequest) -> Result<Explanation, ErrorDocument> {
    let calendar = working_calendar(registry, request.region.as_deref())?;
    calendar
        .explain_add_working_days(request.from, request.working_days)
        .map_err(calendar_error)
}

/// A count of working days a door read as text, checked by one rule: a whole
/// number in `i32`.
///
/// # Errors
///
/// `request.invalid-value` naming `field`.
pub fn parse_working_days(field: &str, text: &str) -> Result<i32, ErrorDocument> {
    text.parse::<i32>().map_err(|e| {
        let expected = match e.kind() {
            std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                format!(
                    "expected a number of working days in {}..={}",
                    i32::MIN,
                    i32::MAX
                )
            }
            _ => "expected a whole number of working days".to_string(),
        };
        invalid_value(field, &expected, text)
    })
}
