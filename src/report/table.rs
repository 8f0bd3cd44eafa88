//! Aligned plain-text tables for the text report.

use std::fmt::Write;

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// A table: a header row, a rule, then the rows, columns two spaces apart.
pub(crate) struct Table {
    columns: Vec<(&'static str, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(columns: &[(&'static str, Align)]) -> Table {
        Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are blank and extra ones are dropped.
    pub(crate) fn row(&mut self, mut cells: Vec<String>) {
        cells.resize(self.columns.len(), String::new());
        self.rows.push(cells);
    }

    /// Writes the table, or "(none)" when it has no rows.
    pub(crate) fn render(&self, out: &mut String) {
        if self.rows.is_empty() {
            out.push_str("(none)\n");
            return;
        }
        let widths: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, (title, _))| {
                self.rows
                    .iter()
                    .map(|row| row[i].chars().count())
                    .chain([title.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let header: Vec<String> = self.columns.iter().map(|(t, _)| t.to_string()).collect();
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        for row in [&header, &rule].into_iter().chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = widths[i].saturating_sub(cell.chars().count());
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
}
