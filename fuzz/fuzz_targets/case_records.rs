//! A cases file (JSON Lines of case records) through the report module.
//!
//! Checked:
//!
//! - nothing panics, whatever the bytes: `CaseReader` yields a case or an
//!   error for every non-blank line;
//! - a case the reader yields is the case `Case::from_record` builds from the
//!   same line, and its state keeps its response dates on or after its stage's
//!   entry (it was reached by replaying events from nothing);
//! - read as at a date (`events_until`), the cases it yields are never refused
//!   by `Report::build`, `tracking_csv` or the iCalendar export (as their
//!   documentation says), and the report renders as text, CSV and JSON.

#![no_main]

use chrono::NaiveDate;
use escalation_ladder::ics::{deadlines_calendar, IcsOptions};
use escalation_ladder::report::{
    tracking_csv, Case, CaseReader, CaseRecord, Report, ReportOptions,
};
use escalation_ladder_fuzz::{check_state, date, in_range, procedures};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let procedures = procedures();
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if lines.len() > 64 {
        return;
    }
    let mut reader = CaseReader::new(data, procedures);
    let mut latest: Option<NaiveDate> = None;
    while let Some(result) = reader.next() {
        let line = reader.line();
        match result {
            Ok(case) => {
                let (ladder, _) = procedures.get(case.ladder()).expect("a known ladder");
                check_state(ladder, &case.state, "reading the case");
                // The reader skips a byte-order mark at the start of the input.
                let text = lines[line - 1];
                let text = match line {
                    1 => text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text),
                    _ => text,
                };
                let record: CaseRecord =
                    serde_json::from_slice(text).expect("the line the case came from");
                let alone = Case::from_record(&record, procedures).expect("the same record loads");
                assert_eq!(alone, case, "Case::from_record and CaseReader disagree");
                latest = latest.max(case.state.last_event_on);
            }
            Err(err) => {
                assert_eq!(err.line, line);
                let _ = err.to_string();
            }
        }
    }

    for as_of in [Some(date(2026, 12, 31)), latest] {
        let Some(as_of) = as_of.filter(|d| in_range(*d)) else {
            continue;
        };
        let cases: Vec<Case> = CaseReader::new(data, procedures)
            .events_until(as_of)
            .filter_map(Result::ok)
            .collect();
        let report = Report::build(procedures, &cases, as_of, &ReportOptions::default())
            .unwrap_or_else(|e| panic!("a report as at {as_of} refused cases read up to it: {e}"));
        let _ = report.to_text();
        let _ = report.to_summary_csv();
        serde_json::to_string(&report).expect("a report serializes");
        tracking_csv(procedures, &cases, as_of)
            .unwrap_or_else(|e| panic!("tracking CSV as at {as_of} refused: {e}"));
        deadlines_calendar(&cases, procedures, as_of, IcsOptions::default())
            .unwrap_or_else(|e| panic!("iCalendar export as at {as_of} refused: {e}"));
    }
});
