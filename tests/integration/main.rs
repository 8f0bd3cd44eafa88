//! Integration tests, compiled as one binary.

mod calendar;
mod calendar_properties;
mod reference;
