//! The report as an Excel workbook: a sheet each for the summary, the open
//! alerts, the escalations, the extensions and the overdue duties, written
//! with rust_xlsxwriter.
//!
//! Dates are Excel dates (shown `yyyy-mm-dd`) and numbers are numbers, so a
//! spreadsheet sorts and sums them; text is written as text, never as a
//! formula, so an id like `-temp.agency` or `=1+2` is shown and joined as it
//! is, with no leading `'` (the CSV's formula guard is not needed here).
//! Every sheet has its header row frozen, a filter on its columns and column
//! widths to fit. A sheet is cut at Excel's limit of 1,048,576 rows with a
//! last row that says how many are left out.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::super::case::Case;
use super::super::error::ReportError;
use super::super::figures::model::*;
use super::super::procedures::Procedures;
use super::names::Names;
use super::summary_csv::{summary_figures, Figure};

/// Excel's rows a sheet, the header included.
const EXCEL_ROWS: usize = 1_048_576;

/// One cell as the sheets write it.
enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    Number(f64),
    Date(NaiveDate),
    Blank,
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(text: &'a str) -> Cell<'a> {
        Cell::Text(text)
    }
}

fn num(n: impl Into<f64>) -> Cell<'static> {
    Cell::Number(n.into())
}

fn int(n: i64) -> Cell<'static> {
    // Working days and counts are far below 2^53.
    Cell::Number(n as f64)
}

fn date(d: Option<NaiveDate>) -> Cell<'static> {
    d.map_or(Cell::Blank, Cell::Date)
}

fn opt(text: Option<&str>) -> Cell<'_> {
    text.map_or(Cell::Blank, Cell::Text)
}

/// Whether a sheet has the child's column among the case's.
#[derive(Clone, Copy)]
enum Child {
    Shown,
    Left,
}

impl Child {
    /// A sheet's header: the headers of [`whose`]'s cells, then `rest`.
    fn header(self, rest: &[&'static str]) -> Vec<&'static str> {
        let whose: &[&str] = match self {
            Child::Shown => &[
                "Case",
                "Child",
                "Team",
                "Worker",
                "Procedure",
                "Procedure name",
            ],
            Child::Left => &["Case", "Team", "Worker", "Procedure", "Procedure name"],
        };
        [whose, rest].concat()
    }
}

/// The first cells of a row, whose alert it is: case, child (where the sheet
/// shows it), team, worker, procedure and procedure name.
fn whose<'a>(case: &'a Case, names: Names<'a>, child: Child) -> Vec<Cell<'a>> {
    let ladder = &*case.state.ladder;
    let mut cells = vec![Cell::Text(&case.id)];
    if let Child::Shown = child {
        cells.push(opt(case.child.as_deref()));
    }
    cells.extend([
        opt(case.team.as_deref()),
        opt(case.worker.as_deref()),
        Cell::Text(ladder),
        Cell::Text(names.ladder(ladder)),
    ]);
    cells
}

/// A sheet being written: its rows so far and the widest text of each column.
struct Sheet<'w> {
    sheet: &'w mut Worksheet,
    columns: usize,
    row: u32,
    widths: Vec<usize>,
    dates: &'w Format,
    /// Rows left out past Excel's limit.
    left_out: u64,
}

impl<'w> Sheet<'w> {
    fn new(
        book: &'w mut Workbook,
        name: &str,
        header: &[&str],
        bold: &Format,
        dates: &'w Format,
    ) -> Result<Sheet<'w>, XlsxError> {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        for (c, h) in header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(Sheet {
            sheet,
            columns: header.len(),
            row: 0,
            widths: header.iter().map(|h| h.chars().count() + 2).collect(),
            dates,
            left_out: 0,
        })
    }

    fn push(&mut self, cells: Vec<Cell<'_>>) -> Result<(), XlsxError> {
        if self.row as usize + 2 >= EXCEL_ROWS {
            self.left_out += 1;
            return Ok(());
        }
        self.row += 1;
        let row = self.row;
        for (c, cell) in cells.into_iter().enumerate() {
            let col = c as u16;
            let width = match cell {
                Cell::Text(text) => {
                    self.sheet.write_string(row, col, text)?;
                    text.chars().count()
                }
                Cell::Owned(text) => {
                    let width = text.chars().count();
                    self.sheet.write_string(row, col, text)?;
                    width
                }
                Cell::Number(n) => {
                    self.sheet.write_number(row, col, n)?;
                    8
                }
                Cell::Date(d) => {
                    self.sheet.write_date_with_format(row, col, d, self.dates)?;
                    10
                }
                Cell::Blank => 0,
            };
            if let Some(w) = self.widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), XlsxError> {
        if self.left_out > 0 {
            let row = self.row + 1;
            let text = format!(
                "{} more rows are left out: a sheet holds at most 1,048,576 rows (the JSON report lists every one)",
                self.left_out
            );
            self.sheet.write_string(row, 0, text)?;
        }
        let last = self.columns.saturating_sub(1) as u16;
        self.sheet.autofilter(0, 0, self.row.max(1), last)?;
        for (c, w) in self.widths.iter().enumerate() {
            self.sheet
                .set_column_width(c as u16, (*w as f64 + 2.0).clamp(8.0, 60.0))?;
        }
        Ok(())
    }
}

impl Report<'_> {
    /// The report as an Excel workbook (the bytes of an `.xlsx` file), with a
    /// sheet each for:
    ///
    /// - **Summary**: the headline figures with the previous report's (when
    ///   counted) and the dates, then every figure of
    ///   [`to_summary_csv`](Report::to_summary_csv), typed: `Number` and
    ///   `Date` columns;
    /// - **Open alerts**: every open alert, who must act (role names), its
    ///   next deadline, working days left, whether it is overdue, its ceiling;
    /// - **Escalations**: every move between stages in the period, from the
    ///   `cases` given (the cases the report was counted over, or those
    ///   [`ReportFigures::kept_cases`](crate::report::ReportFigures::kept_cases)
    ///   gives), by the day it moved;
    /// - **Extensions**: extra time agreed in the period;
    /// - **Duties overdue**: duties beside the ladder past their due date.
    ///
    /// Ids are written as text as they are (no formula guard: a workbook
    /// never runs text as a formula), beside the names the ladders give them.
    ///
    /// # Errors
    ///
    /// [`ReportError::Render`] if the workbook writer refuses (a bug), or a
    /// case's calendar refuses a date ([`ReportError::Engine`]).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{read_cases, Procedures, Report, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let input = r#"{"case":"=1+2","worker":"-temp.agency","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
    /// let cases = read_cases(input.as_bytes(), &procedures)?;
    /// let as_of = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    /// let report = Report::build(&procedures, &cases, as_of, &ReportOptions::default())?;
    /// let book = report.to_xlsx(&procedures, &cases)?;
    /// assert_eq!(&book[..2], b"PK"); // a zip file
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_xlsx<'c>(
        &self,
        procedures: &Procedures,
        cases: impl IntoIterator<Item = &'c Case>,
    ) -> Result<Vec<u8>, ReportError> {
        let render = |e: XlsxError| ReportError::Render {
            format: "xlsx",
            message: e.to_string(),
        };
        let names = Names::new(procedures);
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let dates = Format::new().set_num_format("yyyy-mm-dd");
        self.summary_sheet(&mut book, &bold, &dates)
            .map_err(render)?;
        self.open_sheet(&mut book, names, &bold, &dates)
            .map_err(render)?;
        let moves = self.moves(procedures, cases)?;
        escalation_sheet(&mut book, names, &moves, &bold, &dates).map_err(render)?;
        self.extension_sheet(&mut book, names, &bold, &dates)
            .map_err(render)?;
        self.duty_sheet(&mut book, names, &bold, &dates)
            .map_err(render)?;
        book.save_to_buffer().map_err(render)
    }

    fn summary_sheet(
        &self,
        book: &mut Workbook,
        bold: &Format,
        dates: &Format,
    ) -> Result<(), XlsxError> {
        let mut sheet = Sheet::new(
            book,
            "Summary",
            &[
                "Section",
                "Procedure",
                "Group",
                "Measure",
                "Number",
                "Previous",
                "Date",
            ],
            bold,
            dates,
        )?;
        sheet.push(vec![
            "report".into(),
            Cell::Blank,
            Cell::Text(&self.period.label),
            "period".into(),
            Cell::Blank,
            Cell::Blank,
            Cell::Blank,
        ])?;
        if let Some(p) = &self.previous {
            sheet.push(vec![
                "report".into(),
                Cell::Blank,
                Cell::Blank,
                "previous-as-of".into(),
                Cell::Blank,
                Cell::Blank,
                Cell::Date(p.as_of),
            ])?;
        }
        let h = &self.headline;
        let then = self.previous.as_ref().map(|p| p.headline);
        for (measure, now, before) in [
            ("raised", h.raised, then.map(|t| t.raised)),
            ("closed", h.closed, then.map(|t| t.closed)),
            ("resolved", h.resolved, then.map(|t| t.resolved)),
            ("open", h.open, then.map(|t| t.open)),
            ("overdue", h.overdue, then.map(|t| t.overdue)),
            (
                "ceiling-breaches",
                h.ceiling_breaches,
                then.map(|t| t.ceiling_breaches),
            ),
            (
                "overdue-duties",
                h.overdue_duties,
                then.map(|t| t.overdue_duties),
            ),
        ] {
            sheet.push(vec![
                "headline".into(),
                Cell::Blank,
                Cell::Blank,
                measure.into(),
                num(now as f64),
                before.map_or(Cell::Blank, |b| num(b as f64)),
                Cell::Blank,
            ])?;
        }
        let mut result = Ok(());
        summary_figures(self, &mut |section, ladder, group, measure, value| {
            if result.is_err() {
                return;
            }
            let (number, day) = match value {
                Figure::Number(n) => (
                    n.parse::<f64>().map_or(Cell::Blank, Cell::Number),
                    Cell::Blank,
                ),
                Figure::Date(d) => (Cell::Blank, Cell::Date(d)),
            };
            result = sheet.push(vec![
                Cell::Owned(section.to_string()),
                Cell::Owned(ladder.to_string()),
                Cell::Owned(group.to_string()),
                Cell::Owned(measure.to_string()),
                number,
                Cell::Blank,
                day,
            ]);
        });
        result?;
        sheet.finish()
    }

    fn open_sheet(
        &self,
        book: &mut Workbook,
        names: Names<'_>,
        bold: &Format,
        dates: &Format,
    ) -> Result<(), XlsxError> {
        let mut sheet = Sheet::new(
            book,
            "Open alerts",
            &Child::Shown.header(&[
                "Category",
                "Category name",
                "Stage",
                "Stage name",
                "Who must act",
                "Raised",
                "Next deadline",
                "Working days left",
                "Overdue",
                "Ceiling",
            ]),
            bold,
            dates,
        )?;
        for a in &self.open.alerts {
            let case = a.alert.0;
            let ladder = &*case.state.ladder;
            let category = case.state.category.as_deref();
            let mut row = whose(case, names, Child::Shown);
            row.extend([
                opt(category),
                category.map_or(Cell::Blank, |c| Cell::Text(names.category(ladder, Some(c)))),
                Cell::Text(a.stage),
                Cell::Text(names.stage(ladder, a.stage)),
                Cell::Owned(names.roles(ladder, &a.who_must_act)),
                date(case.state.raised_on),
                date(a.next_deadline),
                a.working_days_left.map_or(Cell::Blank, int),
                Cell::Text(if a.overdue { "yes" } else { "no" }),
                date(a.ceiling),
            ]);
            sheet.push(row)?;
        }
        sheet.finish()
    }

    /// The moves between stages in the period, from `cases`, by the day.
    fn moves<'c>(
        &self,
        procedures: &Procedures,
        cases: impl IntoIterator<Item = &'c Case>,
    ) -> Result<Vec<Move<'c>>, ReportError> {
        let mut moves = Vec::new();
        for case in cases {
            for step in case.moves().filter(|m| self.period.contains(m.on)) {
                let (_, calendar) = procedures.for_case(case, self.as_of)?;
                let days = calendar
                    .count_working_days(step.from.entered_on, step.on)
                    .map_err(|e| ReportError::Engine {
                        case: case.id.to_string(),
                        source: Box::new(e.into()),
                    })?;
                moves.push(Move { case, step, days });
            }
        }
        moves.sort_by_key(|m| m.step.on);
        Ok(moves)
    }

    fn extension_sheet(
        &self,
        book: &mut Workbook,
        names: Names<'_>,
        bold: &Format,
        dates: &Format,
    ) -> Result<(), XlsxError> {
        let mut sheet = Sheet::new(
            book,
            "Extensions",
            &Child::Left.header(&[
                "Stage",
                "Stage name",
                "Agreed on",
                "Due as set",
                "Due as agreed",
                "Ceiling",
                "Beyond the ceiling",
            ]),
            bold,
            dates,
        )?;
        for e in &self.extensions.alerts {
            let case = e.alert.0;
            let ladder = &*case.state.ladder;
            let mut row = whose(case, names, Child::Left);
            row.extend([
                Cell::Text(e.stage),
                Cell::Text(names.stage(ladder, e.stage)),
                Cell::Date(e.extended_on),
                date(e.due_as_set),
                date(e.due_in_force),
                date(e.ceiling),
                Cell::Text(if e.beyond_ceiling { "yes" } else { "no" }),
            ]);
            sheet.push(row)?;
        }
        sheet.finish()
    }

    fn duty_sheet(
        &self,
        book: &mut Workbook,
        names: Names<'_>,
        bold: &Format,
        dates: &Format,
    ) -> Result<(), XlsxError> {
        let mut sheet = Sheet::new(
            book,
            "Duties overdue",
            &Child::Left.header(&[
                "Duty",
                "Duty name",
                "Who must act",
                "Due",
                "Days overdue",
                "Working days overdue",
            ]),
            bold,
            dates,
        )?;
        for d in &self.overdue_duties.alerts {
            let case = d.alert.0;
            let ladder = &*case.state.ladder;
            let mut row = whose(case, names, Child::Left);
            row.extend([
                Cell::Text(d.duty),
                Cell::Text(names.duty(ladder, d.duty)),
                Cell::Owned(names.roles(ladder, &d.owners)),
                Cell::Date(d.due),
                int(d.calendar_days_overdue),
                int(d.working_days_overdue),
            ]);
            sheet.push(row)?;
        }
        sheet.finish()
    }
}

/// A move between stages in the period, with the working days spent at the
/// stage left.
struct Move<'c> {
    case: &'c Case,
    step: super::super::case::StageMove<'c>,
    days: i64,
}

fn escalation_sheet(
    book: &mut Workbook,
    names: Names<'_>,
    moves: &[Move<'_>],
    bold: &Format,
    dates: &Format,
) -> Result<(), XlsxError> {
    let mut sheet = Sheet::new(
        book,
        "Escalations",
        &Child::Shown.header(&[
            "From stage",
            "From stage name",
            "To stage",
            "To stage name",
            "Entered",
            "Due",
            "Responded",
            "Moved on",
            "How",
            "Working days at the stage",
        ]),
        bold,
        dates,
    )?;
    for m in moves {
        let case = m.case;
        let ladder = &*case.state.ladder;
        let (from, to) = (&*m.step.from.stage, &*m.step.to.stage);
        let mut row = whose(case, names, Child::Shown);
        row.extend([
            Cell::Text(from),
            Cell::Text(names.stage(ladder, from)),
            Cell::Text(to),
            Cell::Text(names.stage(ladder, to)),
            Cell::Date(m.step.from.entered_on),
            date(m.step.from.due_in_force),
            date(m.step.from.responded_on),
            Cell::Date(m.step.on),
            Cell::Text(m.step.kind.name()),
            int(m.days),
        ]);
        sheet.push(row)?;
    }
    sheet.finish()
}
