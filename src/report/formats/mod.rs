//! Formats: the [`Report`](super::Report) shown as text for people
//! ([`Report::to_text`](super::Report::to_text)), as JSON (serde's
//! serialization of the report itself), as the summary CSV
//! ([`Report::to_summary_csv`](super::Report::to_summary_csv)), and the IRO
//! tracking spreadsheet over the cases ([`tracking_csv`]).
//!
//! Imports run one way: `text` uses `table`; the CSV formats use `csv` (and
//! the summary, `text`'s names for a missing team or category).

mod csv;
mod summary_csv;
mod table;
mod text;
mod tracking_csv;

/// One CSV text field, quoted where it must be and kept from starting a
/// formula: what every CSV of the crate writes (the operations' too).
pub(crate) use csv::push_field as push_csv_field;
pub use tracking_csv::{tracking_csv, write_tracking_csv, TRACKING_COLUMNS};
