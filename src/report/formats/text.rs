//! The report as text for people: headed sections of aligned tables.

use std::fmt::Write;

use chrono::NaiveDate;

use super::super::figures::model::*;
use super::table::{Align, Table};

/// What a missing team or worker is shown as.
pub(crate) const NOT_RECORDED: &str = "(not recorded)";
/// What a missing category is shown as.
pub(crate) const NO_CATEGORY: &str = "(none)";

use Align::{Left, Right};

fn date(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "-".to_string(), |d| d.to_string())
}

fn number<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |p| format!("{p:.1}%"))
}

fn named(value: Option<&str>, missing: &str) -> String {
    value.unwrap_or(missing).to_string()
}

fn yes(flag: bool) -> String {
    if flag { "yes" } else { "" }.to_string()
}

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}\n{}", "=".repeat(title.chars().count()));
}

fn subheading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}");
}

/// The columns that name an alert: case, child, team, worker, ladder.
const ALERT_COLUMNS: [(&str, Align); 5] = [
    ("case", Left),
    ("child", Left),
    ("team", Left),
    ("worker", Left),
    ("ladder", Left),
];

fn alert_cells(alert: AlertRef<'_>) -> Vec<String> {
    let case = alert.case();
    vec![
        case.id.to_string(),
        named(case.child.as_deref(), "-"),
        named(case.team.as_deref(), NOT_RECORDED),
        named(case.worker.as_deref(), NOT_RECORDED),
        case.state.ladder.to_string(),
    ]
}

fn alert_table(extra: &[(&'static str, Align)]) -> Table {
    let columns: Vec<(&'static str, Align)> = ALERT_COLUMNS.iter().chain(extra).copied().collect();
    Table::new(&columns)
}

const TIMELINESS_COLUMNS: [(&str, Align); 9] = [
    ("measured", Right),
    ("on time", Right),
    ("late", Right),
    ("missed", Right),
    ("% on time", Right),
    ("extended", Right),
    ("on time by extension", Right),
    ("left before due", Right),
    ("pending", Right),
];

fn timeliness_cells(counts: &TimelinessCounts) -> Vec<String> {
    vec![
        counts.measured.to_string(),
        counts.on_time.to_string(),
        counts.late.to_string(),
        counts.missed.to_string(),
        percent(counts.percent_on_time),
        counts.extended.to_string(),
        counts.on_time_by_extension.to_string(),
        counts.left_before_due.to_string(),
        counts.pending.to_string(),
    ]
}

const CLOSURE_COLUMNS: [(&str, Align); 8] = [
    ("closed", Right),
    ("resolved", Right),
    ("deemed agreed", Right),
    ("withdrawn", Right),
    ("median working days", Right),
    ("max working days", Right),
    ("with a ceiling", Right),
    ("within it", Right),
];

fn closure_cells(summary: &ClosureSummary) -> Vec<String> {
    vec![
        summary.count.to_string(),
        summary.resolved.to_string(),
        summary.deemed_agreed.to_string(),
        summary.withdrawn.to_string(),
        number(summary.median_working_days.map(|m| format!("{m:.1}"))),
        number(summary.max_working_days),
        summary.with_ceiling.to_string(),
        summary.within_ceiling.to_string(),
    ]
}

impl Report<'_> {
    /// The report as text for people: a header, then one section per figure,
    /// each an aligned table ("(none)" when empty). Missing values are `-`; a
    /// missing team or worker is "(not recorded)", a missing category "(none)".
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{Procedures, Report, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let report = Report::build(&procedures, [], as_of, &ReportOptions::default())?;
    /// let text = report.to_text();
    /// assert!(text.starts_with("Escalation alerts as at Monday 23 November 2026\n"));
    /// assert!(text.contains("Period: October 2026 (2026-10-01 to 2026-10-31)"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for section in Self::SECTIONS {
            section(self, &mut out);
        }
        out
    }

    /// Writes [`to_text`](Report::to_text)'s text to `out` a section at a time,
    /// so the whole text is never held in memory (the overdue list of a large
    /// register runs to tens of megabytes).
    ///
    /// # Errors
    ///
    /// The writer's error.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{Procedures, Report, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// // Christmas Day 2027 falls on a Saturday.
    /// let as_of = NaiveDate::from_ymd_opt(2027, 12, 27).unwrap();
    /// let report = Report::build(&procedures, [], as_of, &ReportOptions::default())?;
    /// let mut written = Vec::new();
    /// report.write_text(&mut written)?;
    /// assert_eq!(String::from_utf8(written)?, report.to_text());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_text(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        let mut text = String::new();
        for section in Self::SECTIONS {
            text.clear();
            section(self, &mut text);
            out.write_all(text.as_bytes())?;
        }
        Ok(())
    }

    /// The text's sections, in order.
    const SECTIONS: [fn(&Self, &mut String); 12] = [
        Self::write_header,
        Self::write_open,
        Self::write_overdue,
        Self::write_overdue_duties,
        Self::write_due_soon,
        Self::write_open_longer,
        Self::write_breaches,
        Self::write_extensions,
        Self::write_timeliness,
        Self::write_escalations,
        Self::write_closed,
        Self::write_raised,
    ];

    fn write_header(&self, out: &mut String) {
        let options = &self.options;
        let _ = writeln!(
            out,
            "Escalation alerts as at {}",
            self.as_of.format("%A %-d %B %Y")
        );
        let _ = writeln!(
            out,
            "Period: {} ({} to {})",
            self.period.label, self.period.from, self.period.to
        );
        let c = &self.cases;
        let _ = write!(
            out,
            "Cases: {} read, {} open, {} closed",
            c.read, c.open, c.closed
        );
        if c.not_raised > 0 {
            let _ = write!(out, ", {} not raised by the as-of date", c.not_raised);
        }
        out.push('\n');
        let mut due_soon = Vec::new();
        if let Some(days) = options.due_within_working_days {
            due_soon.push(format!("due within {days} working days"));
        }
        if let Some(percent) = options.warn_at_percent_used {
            due_soon.push(format!("{percent}% of the window used"));
        }
        let due_soon = if due_soon.is_empty() {
            "off".to_string()
        } else {
            due_soon.join(" or ")
        };
        let _ = writeln!(
            out,
            "Thresholds: due soon = {due_soon}; open longer = more than {} working days",
            options.open_longer_than_working_days
        );
    }

    fn write_open(&self, out: &mut String) {
        let open = &self.open;
        heading(out, &format!("Open alerts: {}", open.total));
        subheading(out, "By ladder");
        let mut table = Table::new(&[("ladder", Left), ("open", Right)]);
        for row in &open.by_ladder {
            table.row(vec![row.ladder.to_string(), row.count.to_string()]);
        }
        table.render(out);
        subheading(out, "By stage");
        let mut table = Table::new(&[("ladder", Left), ("stage", Left), ("open", Right)]);
        for row in &open.by_stage {
            table.row(vec![
                row.ladder.to_string(),
                row.stage.to_string(),
                row.count.to_string(),
            ]);
        }
        table.render(out);
        subheading(out, "By category");
        category_table(&open.by_category, "open").render(out);
        subheading(out, "By team");
        team_table(&open.by_team, "open").render(out);
        subheading(out, "By worker");
        let mut table = Table::new(&[("worker", Left), ("open", Right)]);
        for row in &open.by_worker {
            table.row(vec![named(row.worker, NOT_RECORDED), row.count.to_string()]);
        }
        table.render(out);
    }

    fn write_overdue(&self, out: &mut String) {
        heading(out, &format!("Overdue now: {}", self.overdue.count));
        let mut table = alert_table(&[
            ("stage", Left),
            ("due", Left),
            ("working days overdue", Right),
            ("extended", Left),
            ("on expiry", Left),
        ]);
        for alert in &self.overdue.alerts {
            let mut cells = alert_cells(alert.alert);
            cells.extend([
                alert.stage.to_string(),
                alert.due.to_string(),
                alert.working_days_overdue.to_string(),
                yes(alert.extended),
                number(alert.on_expiry.map(expiry_name)),
            ]);
            table.row(cells);
        }
        table.render(out);
    }

    fn write_overdue_duties(&self, out: &mut String) {
        heading(
            out,
            &format!("Duties overdue: {}", self.overdue_duties.count),
        );
        let mut table = alert_table(&[
            ("duty", Left),
            ("owners", Left),
            ("due", Left),
            ("calendar days overdue", Right),
            ("working days overdue", Right),
        ]);
        for duty in &self.overdue_duties.alerts {
            let mut cells = alert_cells(duty.alert);
            cells.extend([
                duty.duty.to_string(),
                duty.owners.join(", "),
                duty.due.to_string(),
                duty.calendar_days_overdue.to_string(),
                duty.working_days_overdue.to_string(),
            ]);
            table.row(cells);
        }
        table.render(out);
    }

    fn write_due_soon(&self, out: &mut String) {
        heading(out, &format!("Due soon: {}", self.due_soon.count));
        let mut table = alert_table(&[
            ("stage", Left),
            ("due", Left),
            ("working days left", Right),
            ("window used", Right),
        ]);
        for alert in &self.due_soon.alerts {
            let mut cells = alert_cells(alert.alert);
            cells.extend([
                alert.stage.to_string(),
                alert.due.to_string(),
                alert.working_days_left.to_string(),
                format!("{}%", alert.window_used_percent),
            ]);
            table.row(cells);
        }
        table.render(out);
    }

    fn write_open_longer(&self, out: &mut String) {
        heading(
            out,
            &format!(
                "Open longer than {} working days: {}",
                self.options.open_longer_than_working_days, self.open_longer.count
            ),
        );
        let mut table = alert_table(&[
            ("stage", Left),
            ("raised", Left),
            ("working days open", Right),
            ("ladder threshold", Right),
            ("on its clock", Right),
            ("over it", Left),
        ]);
        for alert in &self.open_longer.alerts {
            let mut cells = alert_cells(alert.alert);
            cells.extend([
                alert.stage.to_string(),
                date(alert.alert.case().raised_on()),
                alert.open_working_days.to_string(),
                number(alert.ladder_threshold),
                number(alert.ladder_clock_working_days),
                yes(alert.over_ladder_threshold),
            ]);
            table.row(cells);
        }
        table.render(out);
    }

    fn write_breaches(&self, out: &mut String) {
        heading(
            out,
            &format!("Ceiling breaches: {}", self.ceiling_breaches.count),
        );
        let mut table = alert_table(&[
            ("stage", Left),
            ("ceiling", Left),
            ("open after it", Left),
            ("extended beyond it", Left),
            ("working days past it", Right),
            ("closed", Left),
        ]);
        for alert in &self.ceiling_breaches.alerts {
            let mut cells = alert_cells(alert.alert);
            cells.extend([
                alert.stage.to_string(),
                date(alert.ceiling),
                yes(alert.ceiling_breached),
                yes(alert.extended_beyond_ceiling),
                number(alert.working_days_past_ceiling),
                date(alert.closed_on),
            ]);
            table.row(cells);
        }
        table.render(out);
    }

    fn write_extensions(&self, out: &mut String) {
        heading(
            out,
            &format!(
                "Extensions agreed in the period: {} ({} beyond the ceiling)",
                self.extensions.count, self.extensions.beyond_ceiling
            ),
        );
        let mut table = alert_table(&[
            ("stage", Left),
            ("agreed on", Left),
            ("due as set", Left),
            ("due agreed", Left),
            ("ceiling", Left),
            ("beyond it", Left),
        ]);
        for alert in &self.extensions.alerts {
            let mut cells = alert_cells(alert.alert);
            cells.extend([
                alert.stage.to_string(),
                alert.extended_on.to_string(),
                date(alert.due_as_set),
                date(alert.due_in_force),
                date(alert.ceiling),
                yes(alert.beyond_ceiling),
            ]);
            table.row(cells);
        }
        table.render(out);
    }

    fn write_timeliness(&self, out: &mut String) {
        let overall = &self.timeliness.overall;
        heading(
            out,
            &format!(
                "Timeliness of responses due in the period: {} of {} on time ({})",
                overall.on_time,
                overall.measured,
                percent(overall.percent_on_time)
            ),
        );
        subheading(out, "By stage");
        let columns: Vec<(&'static str, Align)> = [("ladder", Left), ("stage", Left)]
            .into_iter()
            .chain(TIMELINESS_COLUMNS)
            .collect();
        let mut table = Table::new(&columns);
        for row in &self.timeliness.by_stage {
            let mut cells = vec![row.ladder.to_string(), row.stage.to_string()];
            cells.extend(timeliness_cells(&row.counts));
            table.row(cells);
        }
        table.render(out);
        subheading(out, "By team");
        let columns: Vec<(&'static str, Align)> = [("team", Left)]
            .into_iter()
            .chain(TIMELINESS_COLUMNS)
            .collect();
        let mut table = Table::new(&columns);
        for row in &self.timeliness.by_team {
            let mut cells = vec![named(row.team, NOT_RECORDED)];
            cells.extend(timeliness_cells(&row.counts));
            table.row(cells);
        }
        table.render(out);
    }

    fn write_escalations(&self, out: &mut String) {
        let e = &self.escalations;
        heading(
            out,
            &format!(
                "Escalations in the period: {} escalated, {} bypassed, {} routed by outcome",
                e.escalated, e.bypassed, e.routed
            ),
        );
        let mut table = Table::new(&[
            ("ladder", Left),
            ("from", Left),
            ("to", Left),
            ("how", Left),
            ("count", Right),
        ]);
        for row in &e.by_route {
            table.row(vec![
                row.ladder.to_string(),
                row.from.to_string(),
                row.to.to_string(),
                row.kind.name().to_string(),
                row.count.to_string(),
            ]);
        }
        table.render(out);
    }

    fn write_closed(&self, out: &mut String) {
        let closed = &self.closed;
        heading(
            out,
            &format!("Closed in the period: {}", closed.summary.count),
        );
        subheading(out, "Summary (working days from raised to closed)");
        let columns: Vec<(&'static str, Align)> = [("ladder", Left)]
            .into_iter()
            .chain(CLOSURE_COLUMNS)
            .collect();
        let mut table = Table::new(&columns);
        for row in &closed.by_ladder {
            let mut cells = vec![row.ladder.to_string()];
            cells.extend(closure_cells(&row.summary));
            table.row(cells);
        }
        if !closed.by_ladder.is_empty() {
            let mut cells = vec!["all".to_string()];
            cells.extend(closure_cells(&closed.summary));
            table.row(cells);
        }
        table.render(out);
        subheading(out, "Alerts");
        let mut table = alert_table(&[
            ("stage", Left),
            ("raised", Left),
            ("closed", Left),
            ("how", Left),
            ("working days", Right),
            ("within ceiling", Left),
            ("outcome", Left),
        ]);
        for alert in &closed.alerts {
            let mut cells = alert_cells(alert.alert);
            cells.extend([
                alert.stage.to_string(),
                date(alert.alert.case().raised_on()),
                alert.closed_on.to_string(),
                alert.closure.name().to_string(),
                alert.working_days.to_string(),
                match alert.within_ceiling {
                    Some(true) => "yes".to_string(),
                    Some(false) => "no".to_string(),
                    None => "-".to_string(),
                },
                named(alert.outcome, "-"),
            ]);
            table.row(cells);
        }
        table.render(out);
    }

    fn write_raised(&self, out: &mut String) {
        heading(out, &format!("Raised in the period: {}", self.raised.total));
        subheading(out, "By category");
        category_table(&self.raised.by_category, "raised").render(out);
        subheading(out, "By team");
        team_table(&self.raised.by_team, "raised").render(out);
    }
}

fn category_table(rows: &[CategoryCount<'_>], measure: &'static str) -> Table {
    let mut table = Table::new(&[("ladder", Left), ("category", Left), (measure, Right)]);
    for row in rows {
        table.row(vec![
            row.ladder.to_string(),
            named(row.category, NO_CATEGORY),
            row.count.to_string(),
        ]);
    }
    table
}

fn team_table(rows: &[TeamCount<'_>], measure: &'static str) -> Table {
    let mut table = Table::new(&[("team", Left), (measure, Right)]);
    for row in rows {
        table.row(vec![named(row.team, NOT_RECORDED), row.count.to_string()]);
    }
    table
}

/// An expiry action's name, as in the ladder files (`escalation-due`).
pub(crate) fn expiry_name(action: crate::ladder::ExpiryAction) -> &'static str {
    use crate::ladder::ExpiryAction;
    match action {
        ExpiryAction::EscalationDue => "escalation-due",
        ExpiryAction::EscalatesAutomatically => "escalates-automatically",
        ExpiryAction::DeemedAgreed => "deemed-agreed",
        ExpiryAction::FlagOnly => "flag-only",
    }
}
