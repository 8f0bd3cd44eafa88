//! CSV: the IRO tracking spreadsheet (one row per alert and per escalation) and
//! the report's figures in long form.
//!
//! Written by hand: RFC 4180 quoting is a few lines, and the crate avoids a
//! dependency for it. Lines end with `\n`; a field is quoted when it holds a
//! comma, a double quote, a line break, or leading or trailing spaces, and a
//! double quote inside it is doubled.
//!
//! # Formulas
//!
//! The tracking spreadsheet is opened in Excel, which runs a cell starting with
//! `=`, `+`, `-` or `@` as a formula (and one starting with a tab or a carriage
//! return can turn into one): a case id like `=HYPERLINK("http://…")` in the
//! cases file would become a live link, or worse. So every *text* field (case
//! and child ids, team and worker names, and the ladder, stage, category,
//! outcome and referral ids, which a council's own ladder file may set) that
//! starts with one of those six characters is written with a leading `'`, as
//! OWASP advises for CSV injection: `-3 North` is written `'-3 North`, and shown
//! by Excel as `-3 North`. A program reading the CSV sees the `'`; a text field
//! that starts with `'` is otherwise written as it is. (The public account is
//! in the report module's documentation, under Formats.)
//!
//! Numbers and dates the crate computes go through [`CsvWriter::display`] and
//! are written as they are, never with a `'`: `overdue_working_days` and
//! `working_days` in the tracking spreadsheet, `value` in the summary (none of
//! them negative today; a negative number would be a number, not a formula).

use std::fmt::Write;

use chrono::NaiveDate;

use crate::engine::status;

use super::case::Case;
use super::error::ReportError;
use super::model::*;
use super::procedures::Procedures;
use super::text::{NOT_RECORDED, NO_CATEGORY};

/// Builds CSV text row by row.
struct CsvWriter {
    out: String,
    at_row_start: bool,
}

impl CsvWriter {
    fn new() -> CsvWriter {
        CsvWriter {
            out: String::new(),
            at_row_start: true,
        }
    }

    /// A text field: neutralised when it could be read as a formula, then
    /// quoted where it must be ([`push_field`]).
    fn field(&mut self, text: &str) -> &mut Self {
        if !self.at_row_start {
            self.out.push(',');
        }
        self.at_row_start = false;
        push_field(&mut self.out, text);
        self
    }

    fn optional(&mut self, text: Option<&str>) -> &mut Self {
        self.field(text.unwrap_or_default())
    }

    fn date(&mut self, date: Option<NaiveDate>) -> &mut Self {
        match date {
            Some(date) => self.display(date),
            None => self.field(""),
        }
    }

    /// A value whose text never needs quoting (numbers, dates, ids of the crate).
    fn display(&mut self, value: impl std::fmt::Display) -> &mut Self {
        if !self.at_row_start {
            self.out.push(',');
        }
        self.at_row_start = false;
        let _ = write!(self.out, "{value}");
        self
    }

    fn end_row(&mut self) {
        self.out.push('\n');
        self.at_row_start = true;
    }

    fn row(&mut self, fields: &[&str]) {
        for field in fields {
            self.field(field);
        }
        self.end_row();
    }
}

/// The first characters that make a spreadsheet read a cell as a formula (or,
/// for tab and carriage return, can): see the [module](self) documentation.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Appends one CSV text field: with a leading `'` when it starts like a formula
/// ([`FORMULA_STARTS`]), then quoted when it must be.
pub(crate) fn push_field(out: &mut String, field: &str) {
    let neutralised;
    let field = if field.starts_with(FORMULA_STARTS) {
        neutralised = format!("'{field}");
        &neutralised
    } else {
        field
    };
    let needs_quotes = field.contains([',', '"', '\n', '\r'])
        || field.starts_with(char::is_whitespace)
        || field.ends_with(char::is_whitespace);
    if !needs_quotes {
        out.push_str(field);
        return;
    }
    out.push('"');
    for c in field.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

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
/// As [`Report::build`]: an `as_of` outside the calendars' range, an unknown
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
    let mut csv = String::new();
    tracking_rows(procedures, cases, as_of, |rows| {
        csv.push_str(rows);
        Ok(())
    })?;
    Ok(csv)
}

/// Writes the IRO tracking spreadsheet ([`tracking_csv`]) to `out` as it goes,
/// so a million cases need no second copy in memory.
///
/// A case refused half-way leaves the rows before it written. Cases read with
/// [`CaseReader::events_until`](super::CaseReader::events_until)`(as_of)` against
/// the same `procedures` are never refused (their ladders are known, their events
/// are on or before `as_of`, and their dates are in the calendars' range), so for
/// them only `out` can fail; otherwise check first ([`Report::build`] refuses the
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
    tracking_rows(procedures, cases, as_of, |rows| {
        out.write_all(rows.as_bytes())?;
        Ok(())
    })
}

/// Builds the spreadsheet's rows, handing them to `emit` about 64 KiB at a time.
fn tracking_rows<'c>(
    procedures: &Procedures,
    cases: impl IntoIterator<Item = &'c Case>,
    as_of: NaiveDate,
    mut emit: impl FnMut(&str) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    const CHUNK: usize = 64 * 1024;
    procedures.check_date(as_of)?;
    let mut csv = CsvWriter::new();
    csv.row(&TRACKING_COLUMNS);
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
        let closed = case.closed();
        // Working days open: (raised, as_of] for an open alert, which its status
        // has counted already; (raised, closed] for a closed one.
        let (overdue_days, working_days) = match closed {
            None => {
                let now = status(&entry.ladder, calendar, state, as_of).map_err(engine_error)?;
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

        let common = |csv: &mut CsvWriter, row: &str| {
            csv.field(row)
                .field(&case.id)
                .optional(case.child.as_deref())
                .optional(case.team.as_deref())
                .optional(case.worker.as_deref())
                .field(&state.ladder)
                .optional(state.category.as_deref())
                .date(Some(raised));
        };
        common(&mut csv, "alert");
        csv.optional(visit.map(|v| &*v.stage))
            .field("")
            .field("")
            .date(visit.map(|v| v.entered_on))
            .date(visit.and_then(|v| v.due_in_force))
            .date(visit.and_then(|v| v.responded_on))
            .field("")
            .date(closed.map(|(_, on)| on))
            .field(state.phase.name())
            .optional(state.outcome.as_deref());
        match overdue_days {
            Some(days) => csv.display(days),
            None => csv.field(""),
        };
        csv.display(working_days).field(&referrals.join(";"));
        csv.end_row();

        for step in case.moves() {
            let days = calendar
                .count_working_days(step.from.entered_on, step.on)
                .map_err(|e| engine_error(e.into()))?;
            common(&mut csv, "escalation");
            csv.field("")
                .field(&step.from.stage)
                .field(&step.to.stage)
                .date(Some(step.from.entered_on))
                .date(step.from.due_in_force)
                .date(step.from.responded_on)
                .date(Some(step.on))
                .field("")
                .field(step.kind.name())
                .field("")
                .field("")
                .display(days)
                .field("");
            csv.end_row();
        }
    }
    emit(&csv.out)
}

impl Report<'_> {
    /// The report's figures as CSV in long form, one figure per row, with the
    /// header `section,ladder,group,measure,value`. Lists of alerts are given as
    /// counts (the alerts themselves are in the JSON and in [`tracking_csv`]).
    ///
    /// | section | ladder | group | measures |
    /// |---|---|---|---|
    /// | `report` | | | `as-of`, `period-from`, `period-to` |
    /// | `cases` | | | `read`, `open`, `closed`, `not-raised` |
    /// | `open-by-ladder` | ladder | | `open` |
    /// | `open-by-stage` | ladder | stage | `open` |
    /// | `open-by-category` | ladder | category | `open` |
    /// | `open-by-team`, `open-by-worker` | | team, worker | `open` |
    /// | `overdue`, `due-soon`, `open-longer`, `ceiling-breaches` | | | `alerts` |
    /// | `extensions` | | | `alerts`, `beyond-ceiling` |
    /// | `timeliness` | | | `measured`, `on-time`, `late`, `missed`, `percent-on-time`, `extended`, `on-time-by-extension`, `left-before-due`, `pending` |
    /// | `timeliness-by-stage` | ladder | stage | the same |
    /// | `timeliness-by-team` | | team | the same |
    /// | `escalations` | | | `escalated`, `bypassed`, `routed` |
    /// | `escalations-by-route` | ladder | `from->to` | `escalated`, `bypassed` or `routed` |
    /// | `closed` | | | `count`, `resolved`, `deemed-agreed`, `withdrawn`, `median-working-days`, `max-working-days`, `with-ceiling`, `within-ceiling` |
    /// | `closed-by-ladder` | ladder | | the same |
    /// | `raised` | | | `count` |
    /// | `raised-by-category` | ladder | category | `raised` |
    /// | `raised-by-team` | | team | `raised` |
    ///
    /// Text fields starting like a formula get a leading `'`, as in the tracking
    /// spreadsheet (see [Formats](crate::report#formats)); values are numbers,
    /// written as they are.
    ///
    /// A missing team or worker is "(not recorded)", a missing category "(none)";
    /// a figure with no value (a percentage of nothing) is an empty field.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{Procedures, Report, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    /// let report = Report::build(&procedures, [], as_of, &ReportOptions::default())?;
    /// let csv = report.to_summary_csv();
    /// let rows: Vec<&str> = csv.lines().take(3).collect();
    /// assert_eq!(rows, ["section,ladder,group,measure,value", "report,,,as-of,2026-11-30", "report,,,period-from,2026-11-01"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_summary_csv(&self) -> String {
        let mut csv = CsvWriter::new();
        csv.row(&["section", "ladder", "group", "measure", "value"]);
        // The value is a number (or empty), never neutralised as text is.
        let mut figure =
            |section: &str, ladder: &str, group: &str, measure: &str, value: String| {
                csv.field(section)
                    .field(ladder)
                    .field(group)
                    .field(measure)
                    .display(value);
                csv.end_row();
            };
        figure("report", "", "", "as-of", self.as_of.to_string());
        figure(
            "report",
            "",
            "",
            "period-from",
            self.period.from.to_string(),
        );
        figure("report", "", "", "period-to", self.period.to.to_string());
        let c = &self.cases;
        for (measure, value) in [
            ("read", c.read),
            ("open", c.open),
            ("closed", c.closed),
            ("not-raised", c.not_raised),
        ] {
            figure("cases", "", "", measure, value.to_string());
        }
        for row in &self.open.by_ladder {
            figure(
                "open-by-ladder",
                row.ladder,
                "",
                "open",
                row.count.to_string(),
            );
        }
        for row in &self.open.by_stage {
            figure(
                "open-by-stage",
                row.ladder,
                row.stage,
                "open",
                row.count.to_string(),
            );
        }
        for row in &self.open.by_category {
            let category = row.category.unwrap_or(NO_CATEGORY);
            figure(
                "open-by-category",
                row.ladder,
                category,
                "open",
                row.count.to_string(),
            );
        }
        for row in &self.open.by_team {
            let team = row.team.unwrap_or(NOT_RECORDED);
            figure("open-by-team", "", team, "open", row.count.to_string());
        }
        for row in &self.open.by_worker {
            let worker = row.worker.unwrap_or(NOT_RECORDED);
            figure("open-by-worker", "", worker, "open", row.count.to_string());
        }
        for (section, count) in [
            ("overdue", self.overdue.count),
            ("overdue-duties", self.overdue_duties.count),
            ("due-soon", self.due_soon.count),
            ("open-longer", self.open_longer.count),
            ("ceiling-breaches", self.ceiling_breaches.count),
            ("extensions", self.extensions.count),
        ] {
            figure(section, "", "", "alerts", count.to_string());
        }
        let beyond = self.extensions.beyond_ceiling.to_string();
        figure("extensions", "", "", "beyond-ceiling", beyond);
        let timeliness = |counts: &TimelinessCounts| -> [(&'static str, String); 9] {
            [
                ("measured", counts.measured.to_string()),
                ("on-time", counts.on_time.to_string()),
                ("late", counts.late.to_string()),
                ("missed", counts.missed.to_string()),
                (
                    "percent-on-time",
                    counts
                        .percent_on_time
                        .map(|p| format!("{p:.1}"))
                        .unwrap_or_default(),
                ),
                ("extended", counts.extended.to_string()),
                (
                    "on-time-by-extension",
                    counts.on_time_by_extension.to_string(),
                ),
                ("left-before-due", counts.left_before_due.to_string()),
                ("pending", counts.pending.to_string()),
            ]
        };
        for (measure, value) in timeliness(&self.timeliness.overall) {
            figure("timeliness", "", "", measure, value);
        }
        for row in &self.timeliness.by_stage {
            for (measure, value) in timeliness(&row.counts) {
                figure("timeliness-by-stage", row.ladder, row.stage, measure, value);
            }
        }
        for row in &self.timeliness.by_team {
            let team = row.team.unwrap_or(NOT_RECORDED);
            for (measure, value) in timeliness(&row.counts) {
                figure("timeliness-by-team", "", team, measure, value);
            }
        }
        let e = &self.escalations;
        for (measure, value) in [
            ("escalated", e.escalated),
            ("bypassed", e.bypassed),
            ("routed", e.routed),
        ] {
            figure("escalations", "", "", measure, value.to_string());
        }
        for row in &e.by_route {
            let route = format!("{}->{}", row.from, row.to);
            figure(
                "escalations-by-route",
                row.ladder,
                &route,
                row.kind.name(),
                row.count.to_string(),
            );
        }
        let closures = |s: &ClosureSummary| -> [(&'static str, String); 8] {
            [
                ("count", s.count.to_string()),
                ("resolved", s.resolved.to_string()),
                ("deemed-agreed", s.deemed_agreed.to_string()),
                ("withdrawn", s.withdrawn.to_string()),
                (
                    "median-working-days",
                    s.median_working_days
                        .map(|m| format!("{m:.1}"))
                        .unwrap_or_default(),
                ),
                (
                    "max-working-days",
                    s.max_working_days
                        .map(|m| m.to_string())
                        .unwrap_or_default(),
                ),
                ("with-ceiling", s.with_ceiling.to_string()),
                ("within-ceiling", s.within_ceiling.to_string()),
            ]
        };
        for (measure, value) in closures(&self.closed.summary) {
            figure("closed", "", "", measure, value);
        }
        for row in &self.closed.by_ladder {
            for (measure, value) in closures(&row.summary) {
                figure("closed-by-ladder", row.ladder, "", measure, value);
            }
        }
        figure("raised", "", "", "count", self.raised.total.to_string());
        for row in &self.raised.by_category {
            let category = row.category.unwrap_or(NO_CATEGORY);
            figure(
                "raised-by-category",
                row.ladder,
                category,
                "raised",
                row.count.to_string(),
            );
        }
        for row in &self.raised.by_team {
            let team = row.team.unwrap_or(NOT_RECORDED);
            figure("raised-by-team", "", team, "raised", row.count.to_string());
        }
        csv.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(field: &str) -> String {
        let mut out = String::new();
        push_field(&mut out, field);
        out
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(quoted("North Locality"), "North Locality");
        assert_eq!(quoted(""), "");
        assert_eq!(quoted("North, East"), "\"North, East\"");
        assert_eq!(quoted("the \"Hub\""), "\"the \"\"Hub\"\"\"");
        assert_eq!(quoted("two\nlines"), "\"two\nlines\"");
        assert_eq!(quoted("cr\r"), "\"cr\r\"");
        assert_eq!(quoted(" padded"), "\" padded\"");
        assert_eq!(quoted("padded "), "\"padded \"");
        assert_eq!(quoted("Ysgol Gymraeg – Tîm"), "Ysgol Gymraeg – Tîm");
        assert_eq!(quoted("\""), "\"\"\"\"");
    }

    /// OWASP's CSV injection advice: a leading `'` before a field that starts
    /// like a formula, then the usual quoting.
    #[test]
    fn text_that_starts_like_a_formula_gets_a_leading_quote() {
        assert_eq!(quoted("=1+2"), "'=1+2");
        assert_eq!(quoted("+44 20"), "'+44 20");
        assert_eq!(quoted("-3 North"), "'-3 North");
        assert_eq!(quoted("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(quoted("\t=1"), "'\t=1");
        assert_eq!(quoted("\r=1"), "\"'\r=1\"");
        assert_eq!(
            quoted("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        // Only the first character counts.
        assert_eq!(quoted("North-East"), "North-East");
        assert_eq!(quoted("a=b"), "a=b");
        assert_eq!(quoted("'quoted"), "'quoted");
        // Numbers the crate computes are written through `display`, as they are.
        let mut csv = CsvWriter::new();
        csv.field("-x").display(-3);
        assert_eq!(csv.out, "'-x,-3");
    }

    /// A reader's view: splitting our output back gives the fields we wrote.
    #[test]
    fn rows_read_back() {
        let fields = ["a", "b,c", "say \"hi\"", "", "x\ny", " y"];
        let mut csv = CsvWriter::new();
        csv.row(&fields);
        assert_eq!(parse_row(&csv.out), fields);
    }

    /// A minimal RFC 4180 reader for one record, for the test above.
    fn parse_row(text: &str) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut chars = text.strip_suffix('\n').unwrap_or(text).chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', false) => quoted = true,
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    fields.last_mut().unwrap().push('"');
                }
                ('"', true) => quoted = false,
                (',', false) => fields.push(String::new()),
                (c, _) => fields.last_mut().unwrap().push(c),
            }
        }
        fields
    }
}
