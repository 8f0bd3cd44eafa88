//! CSV as both CSV formats write it: the IRO tracking spreadsheet
//! ([`tracking_csv`](super::tracking_csv)) and the report's figures in long
//! form ([`summary_csv`](super::summary_csv)).
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

/// How a CSV output is written: the options of [`tracking_csv_with`] and
/// [`Report::to_summary_csv_with`](crate::report::Report::to_summary_csv_with).
///
/// # Example
///
/// ```
/// use escalation_ladder::report::{CsvOptions, CsvTable};
///
/// let options = CsvOptions::default();
/// assert!(options.formula_guard && !options.bom);
/// assert_eq!(options.table, CsvTable::All);
/// ```
///
/// [`tracking_csv_with`]: crate::report::tracking_csv_with
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CsvOptions {
    /// A text field that starts like a formula (`=`, `+`, `-`, `@`, a tab or
    /// a carriage return) gets a leading `'` so that Excel shows it as text
    /// (OWASP's advice against CSV injection). Default: on. Turn it off for a
    /// program that joins on the ids (Power BI, SQL): the text is then
    /// written as it is, and a spreadsheet may run it as a formula.
    pub formula_guard: bool,
    /// Start with a UTF-8 byte-order mark, which Excel needs to read the file
    /// as UTF-8 when it is opened by a double click ("Zoë" instead of
    /// "ZoÃ«"). Default: off.
    pub bom: bool,
    /// Which rows of the tracking spreadsheet. Default: [`CsvTable::All`].
    pub table: CsvTable,
}

impl Default for CsvOptions {
    fn default() -> CsvOptions {
        CsvOptions {
            formula_guard: true,
            bom: false,
            table: CsvTable::All,
        }
    }
}

/// The rows of the tracking spreadsheet ([`tracking_csv_with`](crate::report::tracking_csv_with)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CsvTable {
    /// An `alert` row per alert followed by an `escalation` row per move, in
    /// the columns of [`TRACKING_COLUMNS`](crate::report::TRACKING_COLUMNS).
    #[default]
    All,
    /// The alerts alone, one a row, in the columns of
    /// [`ALERT_COLUMNS`](crate::report::ALERT_COLUMNS).
    Alerts,
    /// The moves between stages alone, one a row, in the columns of
    /// [`ESCALATION_COLUMNS`](crate::report::ESCALATION_COLUMNS).
    Escalations,
}

impl CsvTable {
    /// The table's name: `all`, `alerts` or `escalations`.
    pub fn name(self) -> &'static str {
        match self {
            CsvTable::All => "all",
            CsvTable::Alerts => "alerts",
            CsvTable::Escalations => "escalations",
        }
    }
}

/// The byte-order mark [`CsvOptions::bom`] starts a file with.
pub(super) const BOM: &str = "\u{feff}";

/// Builds CSV text row by row.
pub(super) struct CsvWriter {
    pub(super) out: String,
    at_row_start: bool,
    /// Whether text that starts like a formula gets a leading `'`.
    guard: bool,
}

impl CsvWriter {
    #[cfg(test)]
    pub(super) fn new() -> CsvWriter {
        CsvWriter::with(&CsvOptions::default())
    }

    /// A writer with the options' formula guard, started with a byte-order
    /// mark when they ask for one.
    pub(super) fn with(options: &CsvOptions) -> CsvWriter {
        CsvWriter {
            out: if options.bom {
                BOM.to_string()
            } else {
                String::new()
            },
            at_row_start: true,
            guard: options.formula_guard,
        }
    }

    /// A text field: neutralised when it could be read as a formula (unless
    /// the guard is off), then quoted where it must be ([`push_field`]).
    pub(super) fn field(&mut self, text: &str) -> &mut Self {
        if !self.at_row_start {
            self.out.push(',');
        }
        self.at_row_start = false;
        if self.guard {
            push_field(&mut self.out, text);
        } else {
            push_quoted(&mut self.out, text);
        }
        self
    }

    pub(super) fn optional(&mut self, text: Option<&str>) -> &mut Self {
        self.field(text.unwrap_or_default())
    }

    pub(super) fn date(&mut self, date: Option<NaiveDate>) -> &mut Self {
        match date {
            Some(date) => self.display(date),
            None => self.field(""),
        }
    }

    /// A value whose text never needs quoting (numbers, dates, ids of the crate).
    pub(super) fn display(&mut self, value: impl std::fmt::Display) -> &mut Self {
        if !self.at_row_start {
            self.out.push(',');
        }
        self.at_row_start = false;
        let _ = write!(self.out, "{value}");
        self
    }

    pub(super) fn end_row(&mut self) {
        self.out.push('\n');
        self.at_row_start = true;
    }

    pub(super) fn row(&mut self, fields: &[&str]) {
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
    push_quoted(out, field);
}

/// Appends one CSV text field as it is, quoted when it must be.
fn push_quoted(out: &mut String, field: &str) {
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
