//! Aligned plain-text tables for the text report.

use std::fmt::Write;

use crate::escape::Escaped;

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// A table: a header row, a rule, then the rows, columns two spaces apart.
///
/// Every cell is [escaped](crate::escape) as it is added: the cells hold ids and
/// names from the cases file and the ladders, and a line break or a terminal
/// code in one must not break the table or reach the reader's terminal.
///
/// The cells are kept in one string with their end offsets, not as a `String`
/// each: a report over a million cases lists hundreds of thousands of rows.
pub(crate) struct Table {
    columns: Vec<(&'static str, Align)>,
    text: String,
    /// The end of each cell in `text`, row after row.
    ends: Vec<usize>,
    widths: Vec<usize>,
}

impl Table {
    pub(crate) fn new(columns: &[(&'static str, Align)]) -> Table {
        Table {
            columns: columns.to_vec(),
            text: String::new(),
            ends: Vec::new(),
            widths: columns.iter().map(|(t, _)| t.chars().count()).collect(),
        }
    }

    /// Adds a row, each cell escaped; missing cells are blank and extra ones
    /// are dropped.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        for i in 0..self.columns.len() {
            let cell = cells.get(i).map_or("", String::as_str);
            let start = self.text.len();
            let _ = write!(self.text, "{}", Escaped(cell));
            self.ends.push(self.text.len());
            let width = self.text[start..].chars().count();
            self.widths[i] = self.widths[i].max(width);
        }
    }

    fn rows(&self) -> impl Iterator<Item = Vec<&str>> + '_ {
        let width = self.columns.len();
        self.ends
            .chunks(width.max(1))
            .enumerate()
            .map(move |(r, ends)| {
                let mut start = if r == 0 { 0 } else { self.ends[r * width - 1] };
                ends.iter()
                    .map(|&end| {
                        let cell = self.text.get(start..end).unwrap_or_default();
                        start = end;
                        cell
                    })
                    .collect()
            })
    }

    /// Writes the table, or "(none)" when it has no rows.
    pub(crate) fn render(&self, out: &mut String) {
        if self.ends.is_empty() {
            out.push_str("(none)\n");
            return;
        }
        let header: Vec<&str> = self.columns.iter().map(|(t, _)| *t).collect();
        let rule: Vec<String> = self.widths.iter().map(|w| "-".repeat(*w)).collect();
        let rule: Vec<&str> = rule.iter().map(String::as_str).collect();
        let mut line = String::new();
        for row in [header, rule].into_iter().chain(self.rows()) {
            line.clear();
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = self.widths[i].saturating_sub(cell.chars().count());
                match self.columns[i].1 {
                    Align::Left => {
                        line.push_str(cell);
                        line.extend(std::iter::repeat(' ').take(pad));
                    }
                    Align::Right => {
                        line.extend(std::iter::repeat(' ').take(pad));
                        line.push_str(cell);
                    }
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_by_characters() {
        let mut table = Table::new(&[("team", Align::Left), ("open", Align::Right)]);
        table.row(vec!["Nörth".into(), "7".into()]);
        table.row(vec!["South Locality".into(), "12".into()]);
        table.row(vec!["(not recorded)".into()]);
        let mut out = String::new();
        table.render(&mut out);
        assert_eq!(
            out,
            "team            open\n\
             --------------  ----\n\
             Nörth              7\n\
             South Locality    12\n\
             (not recorded)\n"
        );
        let mut empty = String::new();
        Table::new(&[("x", Align::Left)]).render(&mut empty);
        assert_eq!(empty, "(none)\n");
    }

    #[test]
    fn cells_are_escaped_and_aligned_as_shown() {
        let mut table = Table::new(&[("team", Align::Left), ("open", Align::Right)]);
        table.row(vec!["North\nladder: x".into(), "7".into()]);
        table.row(vec!["\u{1b}[2J".into(), "12".into()]);
        let mut out = String::new();
        table.render(&mut out);
        assert_eq!(
            out,
            "team              open\n\
             ----------------  ----\n\
             North\\nladder: x     7\n\
             \\u{1b}[2J           12\n"
        );
    }
}
