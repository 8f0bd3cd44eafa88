//! The report's figures as CSV in long form, one figure a row.

use super::super::figures::model::*;
use super::csv::CsvWriter;
use super::text::{NOT_RECORDED, NO_CATEGORY};

impl Report<'_> {
    /// The report's figures as CSV in long form, one figure per row, with the
    /// header `section,ladder,group,measure,value`. Lists of alerts are given as
    /// counts (the alerts themselves are in the JSON and in [`tracking_csv`](crate::report::tracking_csv)).
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
        let mut csv = Summary(CsvWriter::new());
        csv.0
            .row(&["section", "ladder", "group", "measure", "value"]);
        csv.header_and_open(self);
        csv.lists_and_timeliness(self);
        csv.escalations_and_closures(self);
        csv.raised(&self.raised);
        csv.0.out
    }
}

/// The summary's rows, one figure each.
struct Summary(CsvWriter);

impl Summary {
    /// One figure. The value is a number (or empty), never neutralised as
    /// text is.
    fn figure(&mut self, section: &str, ladder: &str, group: &str, measure: &str, value: String) {
        self.0
            .field(section)
            .field(ladder)
            .field(group)
            .field(measure)
            .display(value);
        self.0.end_row();
    }

    /// `report`, `cases` and the `open-by-…` sections.
    fn header_and_open(&mut self, report: &Report<'_>) {
        self.figure("report", "", "", "as-of", report.as_of.to_string());
        let period = &report.period;
        self.figure("report", "", "", "period-from", period.from.to_string());
        self.figure("report", "", "", "period-to", period.to.to_string());
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
