//! Escalation ladders (crate docs are written in full later).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod calendar;
pub mod engine;
pub mod ladder;

pub use calendar::{CalendarError, Region, Roll, WorkingCalendar};
