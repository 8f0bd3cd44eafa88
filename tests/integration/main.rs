//! Integration tests, compiled as one binary.

mod calendar;
mod calendar_properties;
mod contract;
#[cfg(feature = "schema")]
mod contract_schema;
mod engine;
mod engine_properties;
mod event_ids;
mod house;
mod input_properties;
mod reference;
mod report;
mod report_properties;
mod robustness;
mod scenarios_001;
mod scenarios_birmingham;
mod scenarios_nottingham;
mod scenarios_oxfordshire;
mod scheduling;
mod state_checks;

#[path = "../support/day_counts.rs"]
mod day_counts;
#[path = "../support/naive.rs"]
mod naive;
