//! Scenarios of source document 001 (IRO alerts, review decisions, CP conference concerns, chair performance), with dates worked out by hand in the
//! comments: the audit trail (`trace`) and the status on chosen days
//! (`status_text`), snapshotted.

#[allow(unused_imports)]
use crate::engine::{status_text, trace};
