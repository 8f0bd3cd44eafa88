//! UK working-day calendars: bank holidays of the three divisions from 1978 to
//! 2199, working calendars with O(1) queries, UK local time, and explanations.
//!
//! See [`WorkingCalendar`] for the counting convention.

mod error;
mod explain;
mod holidays;
mod instant;
mod load;
mod region;
mod working;

pub use error::{CalendarError, FIRST_YEAR, LAST_YEAR};
pub use explain::{ExplainedDay, Explanation};
pub use holidays::{
    bank_holidays, BankHoliday, HolidayKind, MovedDay, ProclaimedDay, ProclaimedIn, MOVED,
    PROCLAIMED,
};
pub use instant::{uk_local, Cutoff, DayEnd};
pub use load::{parse_closure_list, parse_govuk_json, parse_holiday_list};
pub use region::Region;
pub(crate) use working::{fingerprint_number, fingerprint_text, fnv1a, parse_fingerprint_hex};
pub use working::{CalendarBuilder, DayKind, Fingerprint, Roll, WorkingCalendar};
