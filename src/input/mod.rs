//! What the crate accepts from outside, and how much of it: strict dates, JSON
//! objects without repeated keys, and the limits on every input's size.
//!
//! Every reader in the crate (events, states, cases files, ladder files, the
//! GOV.UK holiday feed) goes through these, so one rule holds everywhere:
//! a date is `YYYY-MM-DD` and nothing else, a key given twice is refused rather
//! than silently overwritten, and no input can make the work per record grow
//! without bound. README's "Reliability" section lists the limits.

mod dates;
pub mod limits;
mod reasons;
mod unique;

pub(crate) use dates::{field, write};
pub use dates::{parse_date, DateField, OptionalDateField, DATE_EXPECTED};
pub(crate) use reasons::name_the_field;
pub use reasons::META_HINT;
pub use unique::UniqueKeys;
