//! The report's figures as CSV in long form, one figure a row.

use super::super::figures::model::*;
use super::csv::{CsvOptions, CsvWriter};
use super::text::{NOT_RECORDED, NO_CATEGORY};

impl Report<'_> {
    /// The report's figures as CSV in long form, one figure per row, with the
    /// header `section,ladder,group,measure,number,date`: a figure is a number
    /// (in `number`) or a date (in `date`), so that a spreadsheet or a
    /// database types each column once. Lists of alerts are given as counts
    /// (the alerts themselves are in the JSON and in
    /// [`tracking_csv`](crate::report::tracking_csv)).
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
    /// | `ageing` | | band (`0-5`, …, `61-`) | `within-ceiling`, `past-ceiling`, `no-ceiling` |
    /// | `by-month` | | month (`YYYY-MM`) | `raised`, `closed`, `resolved` |
    ///
    /// `report`'s three measures are dates; every other figure is a number.
    /// Text fields starting like a formula get a leading `'`, as in the
    /// tracking spreadsheet (see [Formats](crate::report#formats)); numbers and
    /// dates are written as they are.
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
    /// assert_eq!(rows, ["section,ladder,group,measure,number,date", "report,,,as-of,,2026-11-30", "report,,,period-from,,2026-11-01"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_summary_csv(&self) -> String {
        self.to_summary_csv_with(&CsvOptions::default())
    }

    /// [`to_summary_csv`](Self::to_summary_csv) with a byte-order mark or
    /// the formula guard off ([`CsvOptions`]; its `table` does not apply).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{CsvOptions, Procedures, Report, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    /// let report = Report::build(&procedures, [], as_of, &ReportOptions::default())?;
    /// let csv = report.to_summary_csv_with(&CsvOptions { bom: true, ..CsvOptions::default() });
    /// assert!(csv.starts_with("\u{feff}section,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_summary_csv_with(&self, options: &CsvOptions) -> String {
        let mut csv = CsvWriter::with(options);
        csv.row(&["section", "ladder", "group", "measure", "number", "date"]);
        summary_figures(self, &mut |section, ladder, group, measure, value| {
            csv.field(section).field(ladder).field(group).field(measure);
            // A number (or empty), never neutralised as text is.
            match value {
                Figure::Number(n) => csv.display(n).field(""),
                Figure::Date(d) => csv.field("").display(d),
            };
            csv.end_row();
        });
        csv.out
    }
}

/// A figure's value: a number (its text; empty for a figure with no value)
/// or a date.
pub(super) enum Figure {
    Number(String),
    Date(chrono::NaiveDate),
}

/// Every figure of the summary, in order: `emit(section, ladder, group,
/// measure, value)`. The summary CSV and the workbook's summary sheet.
pub(super) fn summary_figures(
    report: &Report<'_>,
    emit: &mut dyn FnMut(&str, &str, &str, &str, Figure),
) {
    let mut summary = Summary(emit);
    summary.header_and_open(report);
    summary.lists_and_timeliness(report);
    summary.escalations_and_closures(report);
    summary.raised(&report.raised);
    summary.ageing_and_months(report);
}

/// The summary's rows, one figure each.
struct Summary<'e>(&'e mut dyn FnMut(&str, &str, &str, &str, Figure));

impl Summary<'_> {
    /// One figure, a number.
    fn figure(&mut self, section: &str, ladder: &str, group: &str, measure: &str, value: String) {
        (self.0)(section, ladder, group, measure, Figure::Number(value));
    }

    /// One date of the report.
    fn date(&mut self, measure: &str, date: chrono::NaiveDate) {
        (self.0)("report", "", "", measure, Figure::Date(date));
    }

    /// `report`, `cases` and the `open-by-…` sections.
    fn header_and_open(&mut self, report: &Report<'_>) {
        self.date("as-of", report.as_of);
        let period = &report.period;
        self.date("period-from", period.from);
        self.date("period-to", period.to);
        let c = &report.cases;
        for (measure, value) in [
            ("read", c.read),
            ("open", c.open),
            ("closed", c.closed),
            ("not-raised", c.not_raised),
        ] {
            self.figure("cases", "", "", measure, value.to_string());
        }
        let open = &report.open;
        for row in &open.by_ladder {
            let count = row.count.to_string();
            self.figure("open-by-ladder", row.ladder, "", "open", count);
        }
        for row in &open.by_stage {
            let count = row.count.to_string();
            self.figure("open-by-stage", row.ladder, row.stage, "open", count);
        }
        for row in &open.by_category {
            let category = row.category.unwrap_or(NO_CATEGORY);
            let count = row.count.to_string();
            self.figure("open-by-category", row.ladder, category, "open", count);
        }
        for row in &open.by_team {
            let team = row.team.unwrap_or(NOT_RECORDED);
            self.figure("open-by-team", "", team, "open", row.count.to_string());
        }
        for row in &open.by_worker {
            let worker = row.worker.unwrap_or(NOT_RECORDED);
            self.figure("open-by-worker", "", worker, "open", row.count.to_string());
        }
    }

    /// The lists' lengths and the `timeliness…` sections.
    fn lists_and_timeliness(&mut self, report: &Report<'_>) {
        for (section, count) in [
            ("overdue", report.overdue.count),
            ("overdue-duties", report.overdue_duties.count),
            ("due-soon", report.due_soon.count),
            ("open-longer", report.open_longer.count),
            ("ceiling-breaches", report.ceiling_breaches.count),
            ("extensions", report.extensions.count),
        ] {
            self.figure(section, "", "", "alerts", count.to_string());
        }
        let beyond = report.extensions.beyond_ceiling.to_string();
        self.figure("extensions", "", "", "beyond-ceiling", beyond);
        let timeliness = &report.timeliness;
        for (measure, value) in timeliness_figures(&timeliness.overall) {
            self.figure("timeliness", "", "", measure, value);
        }
        for row in &timeliness.by_stage {
            for (measure, value) in timeliness_figures(&row.counts) {
                self.figure("timeliness-by-stage", row.ladder, row.stage, measure, value);
            }
        }
        for row in &timeliness.by_team {
            let team = row.team.unwrap_or(NOT_RECORDED);
            for (measure, value) in timeliness_figures(&row.counts) {
                self.figure("timeliness-by-team", "", team, measure, value);
            }
        }
    }

    /// The `escalations…` and `closed…` sections.
    fn escalations_and_closures(&mut self, report: &Report<'_>) {
        let e = &report.escalations;
        for (measure, value) in [
            ("escalated", e.escalated),
            ("bypassed", e.bypassed),
            ("routed", e.routed),
        ] {
            self.figure("escalations", "", "", measure, value.to_string());
        }
        for row in &e.by_route {
            let route = format!("{}->{}", row.from, row.to);
            let count = row.count.to_string();
            self.figure(
                "escalations-by-route",
                row.ladder,
                &route,
                row.kind.name(),
                count,
            );
        }
        for (measure, value) in closure_figures(&report.closed.summary) {
            self.figure("closed", "", "", measure, value);
        }
        for row in &report.closed.by_ladder {
            for (measure, value) in closure_figures(&row.summary) {
                self.figure("closed-by-ladder", row.ladder, "", measure, value);
            }
        }
    }

    /// The `ageing` and `by-month` sections.
    fn ageing_and_months(&mut self, report: &Report<'_>) {
        for band in &report.ageing.bands {
            let group = match band.to {
                Some(to) => format!("{}-{to}", band.from),
                None => format!("{}-", band.from),
            };
            for (measure, value) in [
                ("within-ceiling", band.within_ceiling),
                ("past-ceiling", band.past_ceiling),
                ("no-ceiling", band.no_ceiling),
            ] {
                self.figure("ageing", "", &group, measure, value.to_string());
            }
        }
        for month in &report.by_month {
            for (measure, value) in [
                ("raised", month.raised),
                ("closed", month.closed),
                ("resolved", month.resolved),
            ] {
                self.figure("by-month", "", &month.month, measure, value.to_string());
            }
        }
    }

    /// The `raised…` sections.
    fn raised(&mut self, raised: &RaisedInPeriod<'_>) {
        self.figure("raised", "", "", "count", raised.total.to_string());
        for row in &raised.by_category {
            let category = row.category.unwrap_or(NO_CATEGORY);
            let count = row.count.to_string();
            self.figure("raised-by-category", row.ladder, category, "raised", count);
        }
        for row in &raised.by_team {
            let team = row.team.unwrap_or(NOT_RECORDED);
            self.figure("raised-by-team", "", team, "raised", row.count.to_string());
        }
    }
}

/// A timeliness row's figures.
fn timeliness_figures(counts: &TimelinessCounts) -> [(&'static str, String); 9] {
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
}

/// A closure summary's figures.
fn closure_figures(s: &ClosureSummary) -> [(&'static str, String); 8] {
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
}
