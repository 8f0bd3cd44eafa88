//! Scenarios of source document 000 (Nottingham provider concerns), with dates worked out by hand in the
//! comments: the audit trail (`trace`) and the status on chosen days
//! (`status_text`), snapshotted.

#[allow(unused_imports)]
use crate::engine::{status_text, trace};
