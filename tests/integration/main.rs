//! Integration tests, compiled as one binary.

mod calendar;
mod calendar_properties;
mod engine;
mod engine_properties;
mod reference;
mod scenarios_001;
mod scenarios_birmingham;
mod scenarios_nottingham;
mod scenarios_oxfordshire;
mod report;
mod report_properties;

#[path = "../support/naive.rs"]
mod naive;
