//! UK working-day calendars.

mod error;
mod region;

pub use error::{CalendarError, FIRST_YEAR, LAST_YEAR};
pub use region::Region;
