//! Integration tests, compiled as one binary.

mod calendar;
mod calendar_properties;
mod engine;
mod engine_properties;
mod reference;
mod report;
mod report_properties;

#[path = "../support/naive.rs"]
mod naive;
