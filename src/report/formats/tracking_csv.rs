//! The IRO tracking spreadsheet: one row per alert and per escalation.

use chrono::NaiveDate;

use crate::engine::status;

use super::super::case::Case;
use super::super::error::ReportError;
use super::super::procedures::Procedures;
use super::csv::{CsvOptions, CsvTable, CsvWriter};

/// The columns of [`tracking_csv`], in order.
pub const TRACKING_COLUMNS: [&str; 21] = [
    "row",
    "case",
    "child",
    "team",
    "worker",
    "ladder",
    "category",
    "raised",
    "stage",
    "from_stage",
    "to_stage",
    "entered",
    "due",
    "responded",
    "escalated",
    "closed",
    "status",
    "outcome",
    "overdue_working_days",
    "working_days",
    "referrals",
];

/// The columns of [`tracking_csv_with`] with [`CsvTable::Alerts`]: an
/// alert's row of [`TRACKING_COLUMNS`] without the columns of a move.
pub const ALERT_COLUMNS: [&str; 17] = [
    "case",
    "child",
    "team",
    "worker",
    "ladder",
    "category",
    "raised",
    "stage",
    "entered",
    "due",
    "responded",
    "closed",
    "status",
    "outcome",
    "overdue_working_days",
    "working_days",
    "referrals",
];

/// The columns of [`tracking_csv_with`] with [`CsvTable::Escalations`]: a
/// move's row of [`TRACKING_COLUMNS`] without the columns of an alert's
/// current stage (`how` is the `status` of an escalation row).
pub const ESCALATION_COLUMNS: [&str; 15] = [
    "case",
    "child",
    "team",
    "worker",
    "ladder",
    "category",
    "raised",
    "from_stage",
    "to_stage",
    "entered",
    "due",
    "responded",
    "escalated",
    "how",
    "working_days",
];

/// The tracking spreadsheet the IRO procedure asks for ("IRO must record each
/// alert raised on the spread sheet as well as each escalation"), as CSV with a
/// header row ([`TRACKING_COLUMNS`]).
///
/// Every case raised by `as_of`, in the order given: first its **alert** row,
/// then one **escalation** row per move between stages
/// ([`Case::moves`]: escalations, bypasses and routes by outcome).
///
/// | column | alert row | escalation row |
/// |---|---|---|
/// | `row` | `alert` | `escalation` |
/// | `case` … `raised` | the case's id, child, team, worker, ladder, category, raised date | the same |
/// | `stage` | the current stage (or the one it closed at) | empty |
/// | `from_stage`, `to_stage` | empty | the stage left, the stage entered |
/// | `entered`, `due`, `responded` | of the current stage (`due`: the date in force) | of the stage left |
/// | `escalated` | empty | the day it moved |
/// | `closed` | the day it closed, if it is closed | empty |
/// | `status` | `awaiting-response`, `awaiting-decision`, `resolved`, `deemed-agreed` or `withdrawn` | `escalated`, `bypassed` or `routed` |
/// | `outcome` | the outcome it closed with | empty |
/// | `overdue_working_days` | working days past the due date, for an open alert that is overdue | empty |
/// | `working_days` | working days open, (raised, closed] or (raised, as-of] | working days at the stage left, (entered, escalated] |
/// | `referrals` | referrals made, `;`-separated (e.g. `cafcass`) | empty |
///
/// The period does not filter the spreadsheet: it is the register as at
/// `as_of`. A text field starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return is written with a leading `'`, so that Excel shows it as text rather
/// than running it as a formula (see [Formats](crate::report#formats)).
///
/// Text fields starting like a formula get a leading `'`:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{read_cases, tracking_csv, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let input = r#"{"case":"=1+2","team":"-3 North","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","reason":"drift"}]}"#;
/// let cases = read_cases(input.as_bytes(), &procedures)?;
/// let csv = tracking_csv(&procedures, &cases, NaiveDate::from_ymd_opt(2026, 12, 21).unwrap())?;
/// assert!(csv.lines().nth(1).unwrap().starts_with("alert,'=1+2,,'-3 North,,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`Report::build`](crate::report::Report::build): an `as_of` outside the calendars' range, an unknown
/// ladder, events after `as_of`, or a status the engine cannot compute.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{read_cases, tracking_csv, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let input = r#"{"case":"IRO-1","team":"North, East","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"},{"on":"2026-12-30","actor":"iro","type":"escalate","reason":"no response"}]}"#;
/// let cases = read_cases(input.as_bytes(), &procedures)?;
/// let csv = tracking_csv(&procedures, &cases, NaiveDate::from_ymd_opt(2027, 1, 11).unwrap())?;
/// let rows: Vec<&str> = csv.lines().collect();
/// assert_eq!(rows[1], "alert,IRO-1,,\"North, East\",,iro-dispute-resolution,,2026-12-18,head-of-service,,,2026-12-30,2027-01-07,,,,awaiting-response,,2,13,");
/// assert_eq!(rows[2], "escalation,IRO-1,,\"North, East\",,iro-dispute-resolution,,2026-12-18,,team-manager,head-of-service,2026-12-18,2026-12-29,,2026-12-30,,escalated,,,6,");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tracking_csv<'c>(
    procedures: &Procedures,
    cases: impl IntoIterator<Item = &'c Case>,
    as_of: NaiveDate,
) -> Result<String, ReportError> {
    tracking_csv_with(procedures, cases, as_of, &CsvOptions::default())
}

/// [`tracking_csv`] with options: a byte-order mark for Excel, the formula
/// guard off for a program that joins on the ids, and the alerts or the
/// escalations alone, each in columns of their own ([`ALERT_COLUMNS`],
/// [`ESCALATION_COLUMNS`]).
///
/// # Errors
///
/// As [`tracking_csv`].
///
/// # Example
///
/// An alert raised on Friday 18 December 2026 and escalated when the team
/// manager's 5 working days (Christmas and the Boxing Day substitute skipped)
/// ran out on the 29th:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{read_cases, tracking_csv_with, CsvOptions, CsvTable, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let input = r#"{"case":"IRO-1","worker":"-temp.agency","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"},{"on":"2026-12-30","actor":"iro","type":"escalate","reason":"no response"}]}"#;
/// let cases = read_cases(input.as_bytes(), &procedures)?;
/// let as_of = NaiveDate::from_ymd_opt(2027, 1, 11).unwrap();
/// let options = CsvOptions { formula_guard: false, bom: true, table: CsvTable::Escalations };
/// let csv = tracking_csv_with(&procedures, &cases, as_of, &options)?;
/// let rows: Vec<&str> = csv.lines().collect();
/// assert_eq!(rows[0], "\u{feff}case,child,team,worker,ladder,category,raised,from_stage,to_stage,entered,due,responded,escalated,how,working_days");
/// assert_eq!(rows[1], "IRO-1,,,-temp.agency,iro-dispute-resolution,,2026-12-18,team-manager,head-of-service,2026-12-18,2026-12-29,,2026-12-30,escalated,6");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tracking_csv_with<'c>(
    procedures: &Procedures,
    cases: impl IntoIterator<Item = &'c Case>,
    as_of: NaiveDate,
    options: &CsvOptions,
) -> Result<String, ReportError> {
    let mut csv = String::new();
    tracking_rows(procedures, cases, as_of, options, |rows| {
        csv.push_str(rows);
        Ok(())
    })?;
    Ok(csv)
}

/// Writes the IRO tracking spreadsheet ([`tracking_csv`]) to `out` as it goes,
/// so a million cases need no second copy in memory.
///
/// A case refused half-way leaves the rows before it written. Cases read with
/// [`CaseReader::events_until`](crate::report::CaseReader::events_until)`(as_of)` against
/// the same `procedures` are never refused (their ladders are known, their events
/// are on or before `as_of`, and their dates are in the calendars' range), so for
/// them only `out` can fail; otherwise check first ([`Report::build`](crate::report::Report::build) refuses the
/// same cases) or use [`tracking_csv`].
///
/// # Errors
///
/// As [`tracking_csv`], and [`ReportError::Write`] when `out` fails.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{read_cases, tracking_csv, write_tracking_csv, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let input = r#"{"case":"IRO-1","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","reason":"drift"}]}"#;
/// let cases = read_cases(input.as_bytes(), &procedures)?;
/// let as_of = NaiveDate::from_ymd_opt(2027, 1, 11).unwrap();
/// let mut out = Vec::new();
/// write_tracking_csv(&procedures, &cases, as_of, &mut out)?;
/// assert_eq!(String::from_utf8(out)?, tracking_csv(&procedures, &cases, as_of)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_tracking_csv<'c>(
    procedures: &Procedures,
    cases: impl IntoIterator<Item = &'c Case>,
    as_of: NaiveDate,
    out: &mut impl std::io::Write,
) -> Result<(), ReportError> {
    write_tracking_csv_with(procedures, cases, as_of, &CsvOptions::default(), out)
}

/// [`write_tracking_csv`] with the options of [`tracking_csv_with`].
///
/// # Errors
///
/// As [`write_tracking_csv`].
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{read_cases, tracking_csv_with, write_tracking_csv_with, CsvOptions, CsvTable, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let input = r#"{"case":"IRO-1","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","reason":"drift"}]}"#;
/// let cases = read_cases(input.as_bytes(), &procedures)?;
/// let as_of = NaiveDate::from_ymd_opt(2027, 1, 11).unwrap();
/// let options = CsvOptions { table: CsvTable::Alerts, ..CsvOptions::default() };
/// let mut out = Vec::new();
/// write_tracking_csv_with(&procedures, &cases, as_of, &options, &mut out)?;
/// assert_eq!(String::from_utf8(out)?, tracking_csv_with(&procedures, &cases, as_of, &options)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_tracking_csv_with<'c>(
    procedures: &Procedures,
    cases: impl IntoIterator<Item = &'c Case>,
    as_of: NaiveDate,
    options: &CsvOptions,
    out: &mut impl std::io::Write,
) -> Result<(), ReportError> {
    tracking_rows(procedures, cases, as_of, options, |rows| {
        out.write_all(rows.as_bytes())?;
        Ok(())
    })
}

/// Builds the spreadsheet's rows, handing them to `emit` about 64 KiB at a time.
fn tracking_rows<'c>(
    procedures: &Procedures,
    cases: impl IntoIterator<Item = &'c Case>,
    as_of: NaiveDate,
    options: &CsvOptions,
    mut emit: impl FnMut(&str) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    const CHUNK: usize = 64 * 1024;
    procedures.check_date(as_of)?;
    let table = options.table;
    let mut csv = CsvWriter::with(options);
    csv.row(match table {
        CsvTable::All => &TRACKING_COLUMNS[..],
        CsvTable::Alerts => &ALERT_COLUMNS[..],
        CsvTable::Escalations => &ESCALATION_COLUMNS[..],
    });
    let all = table == CsvTable::All;
    for case in cases {
        if csv.out.len() >= CHUNK {
            emit(&csv.out)?;
            csv.out.clear();
        }
        let state = &case.state;
        let Some(raised) = state.raised_on else {
            continue;
        };
        let (entry, calendar) = procedures.for_case(case, as_of)?;
        let engine_error = |source| ReportError::Engine {
            case: case.id.to_string(),
            source: Box::new(source),
        };
        let common = |csv: &mut CsvWriter, row: &str| {
            if all {
                csv.field(row);
            }
            csv.field(&case.id)
                .optional(case.child.as_deref())
                .optional(case.team.as_deref())
                .optional(case.worker.as_deref())
                .field(&state.ladder)
                .optional(state.category.as_deref())
                .date(Some(raised));
        };
        if table != CsvTable::Escalations {
            let closed = case.closed();
            // Working days open: (raised, as_of] for an open alert, which its
            // status has counted already; (raised, closed] for a closed one.
            let (overdue_days, working_days) = match closed {
                None => {
                    let now =
                        status(&entry.ladder, calendar, state, as_of).map_err(engine_error)?;
                    let overdue = now
                        .working_days_left
                        .filter(|_| now.overdue)
                        .map(|left| -left);
                    (overdue, now.open_working_days.unwrap_or(0))
                }
                Some((_, on)) => {
                    let days = calendar
                        .count_working_days(raised, on)
                        .map_err(|e| engine_error(e.into()))?;
                    (None, days)
                }
            };
            let visit = case.current_visit();
            let referrals: Vec<&str> = state.referrals.iter().map(|r| &**r).collect();
            common(&mut csv, "alert");
            csv.optional(visit.map(|v| &*v.stage));
            if all {
                csv.field("").field("");
            }
            csv.date(visit.map(|v| v.entered_on))
                .date(visit.and_then(|v| v.due_in_force))
                .date(visit.and_then(|v| v.responded_on));
            if all {
                csv.field("");
            }
            csv.date(closed.map(|(_, on)| on))
                .field(state.phase.name())
                .optional(state.outcome.as_deref());
            match overdue_days {
                Some(days) => csv.display(days),
                None => csv.field(""),
            };
            csv.display(working_days).field(&referrals.join(";"));
            csv.end_row();
        }
        if table == CsvTable::Alerts {
            continue;
        }
        for step in case.moves() {
            let days = calendar
                .count_working_days(step.from.entered_on, step.on)
                .map_err(|e| engine_error(e.into()))?;
            common(&mut csv, "escalation");
            if all {
                csv.field("");
            }
            csv.field(&step.from.stage)
                .field(&step.to.stage)
                .date(Some(step.from.entered_on))
                .date(step.from.due_in_force)
                .date(step.from.responded_on)
                .date(Some(step.on));
            if all {
                csv.field("");
            }
            csv.field(step.kind.name());
            if all {
                csv.field("").field("");
            }
            csv.display(days);
            if all {
                csv.field("");
            }
            csv.end_row();
        }
    }
    emit(&csv.out)
}
