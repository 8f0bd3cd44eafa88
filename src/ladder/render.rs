//! Plain-text tables and Markdown for people to read.

use std::fmt::Write as _;

use crate::escape::escape;

use super::{
    ClockStart, DutyAvailability, ExpiryAction, Ladder, Omission, OutcomeNext, Procedure,
    Provenance, Schedule, SourceDocument, Stage, Statement, Window, WindowUnit, WorkingDayRules,
};

impl ExpiryAction {
    /// The action in words: "escalation due", "deemed agreed", ...
    pub fn describe(self) -> &'static str {
        match self {
            ExpiryAction::EscalationDue => "escalation due",
            ExpiryAction::EscalatesAutomatically => "escalates automatically",
            ExpiryAction::DeemedAgreed => "deemed agreed",
            ExpiryAction::FlagOnly => "flag only",
        }
    }
}

const NONE: &str = "—";

fn window_cell(w: &Window) -> String {
    if w.unit == WindowUnit::NoneStated {
        NONE.to_string()
    } else {
        w.describe()
    }
}

fn or_none(parts: Vec<String>) -> String {
    if parts.is_empty() {
        NONE.to_string()
    } else {
        parts.join(", ")
    }
}

fn next_cell(s: &Stage) -> String {
    let mut parts: Vec<String> = s.next.iter().map(|r| r.to.to_string()).collect();
    for o in &s.outcomes {
        let to = match &o.then {
            OutcomeNext::Resolve => "resolve",
            OutcomeNext::Stage(t) => &**t,
        };
        parts.push(format!("{}: {to}", o.id));
    }
    or_none(parts)
}

fn bypass_cell(s: &Stage) -> String {
    or_none(
        s.bypass
            .iter()
            .flat_map(|b| b.to.iter().map(|t| t.to_string()))
            .collect(),
    )
}

fn entry_cell(index: usize, s: &Stage) -> &'static str {
    match (index, &s.entry) {
        (0, _) => "first",
        (_, Some(_)) => "yes",
        (_, None) => NONE,
    }
}

/// Lays out rows as a plain-text table: columns two spaces apart, a dashed rule
/// under the header, no trailing spaces. Cells are [escaped](crate::escape): a
/// council's own file may hold a line break or a terminal code in a name.
fn plain_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| escape(cell).into_owned()).collect())
        .collect();
    let rows = &rows;
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            let pad = w.saturating_sub(cell.chars().count());
            text.extend(std::iter::repeat(' ').take(pad));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>());
    for row in rows {
        line(row);
    }
    out
}

fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn md_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(
        out,
        "|{}|",
        header.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

fn md_provenance(p: &Provenance) -> String {
    match p {
        Provenance::Source(s) => format!("*source:* \"{}\"", s.replace('\n', " ")),
        Provenance::Assumption(a) => format!("*assumption:* {}", a.replace('\n', " ")),
    }
}

/// One Markdown list item: a rule and where it comes from.
fn md_rule(out: &mut String, rule: std::fmt::Arguments<'_>, provenance: &Provenance) {
    let _ = writeln!(out, "- {rule} — {}", md_provenance(provenance));
}

fn md_assumptions(out: &mut String, assumptions: &[(String, &str)]) {
    let _ = writeln!(out, "### Assumptions\n");
    if assumptions.is_empty() {
        let _ = writeln!(out, "None: every rule quotes the document.\n");
        return;
    }
    for (place, reason) in assumptions {
        let _ = writeln!(out, "- `{place}`: {}", reason.replace('\n', " "));
    }
    out.push('\n');
}

impl Ladder {
    /// A plain-text table of the stages, one row each, in stage order.
    ///
    /// Columns: stage id, name, responders, window ("5 working days", "2
    /// weeks", "immediately", "—" when none is stated), what happens on expiry,
    /// next (with branch outcomes as `outcome: stage-or-resolve`), bypass
    /// targets, and entry ("first" for the first stage, "yes" for other entry
    /// stages).
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::builtin;
    ///
    /// let table = builtin::ladder("lac-review-decisions")?.stage_table();
    /// assert!(table.starts_with("stage"));
    /// assert!(table.contains("5 working days"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stage_table(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    s.id.to_string(),
                    s.name.clone(),
                    s.responders.join(", "),
                    window_cell(&s.window),
                    s.on_expiry.action.describe().to_string(),
                    next_cell(s),
                    bypass_cell(s),
                    entry_cell(i, s).to_string(),
                ]
            })
            .collect();
        plain_table(
            &[
                "stage",
                "name",
                "responders",
                "window",
                "on expiry",
                "next",
                "bypass",
                "entry",
            ],
            &rows,
        )
    }

    /// The ladder as a Markdown section: summary, stage table, every rule with
    /// its source or assumption, and the list of assumptions.
    pub fn to_markdown(&self) -> String {
        let mut out = self.md_summary();
        // The diagram beside this file ([`Ladder::to_svg`]; the docs test
        // writes and checks it).
        let _ = writeln!(
            out,
            "![The stages of {}, their windows, routes and ceiling as a diagram](diagrams/{}.svg)\n",
            self.title, self.id
        );
        self.md_stage_table(&mut out);
        let _ = writeln!(out, "### Rules and their sources\n");
        for s in &self.stages {
            md_stage_rules(&mut out, s);
        }
        self.md_duties(&mut out);
        if let Some(r) = &self.on_resolve {
            let _ = writeln!(
                out,
                "### On resolution
"
            );
            let mut what = Vec::new();
            if let Some(record) = &r.record {
                what.push(format!("record: {}", record.form));
            }
            if !r.starts.is_empty() {
                what.push(format!(
                    "starts {}",
                    r.starts
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            md_rule(&mut out, format_args!("{}", what.join("; ")), &r.provenance);
            out.push('\n');
        }

        md_named_list(
            &mut out,
            "Roles",
            self.roles
                .iter()
                .map(|r| (&*r.id, r.name.as_str(), &r.provenance)),
        );
        if !self.categories.is_empty() {
            md_named_list(
                &mut out,
                "Categories",
                self.categories
                    .iter()
                    .map(|c| (&*c.id, c.name.as_str(), &c.provenance)),
            );
        }
        if !self.referrals.is_empty() {
            md_named_list(
                &mut out,
                "Referrals at any stage",
                self.referrals
                    .iter()
                    .map(|r| (&*r.id, r.name.as_str(), &r.provenance)),
            );
        }
        md_assumptions(&mut out, &self.assumptions());
        md_omitted(&mut out, &self.omitted);
        out
    }

    /// The header, the ceiling, the open threshold and the default path.
    fn md_summary(&self) -> String {
        let mut out = md_header(&Header {
            title: &self.title,
            kind: "ladder",
            id: &self.id,
            authority: &self.authority,
            source: &self.source,
            scope: &self.scope,
            working_days: &self.working_days,
            counting: ", day of receipt is day 0",
        });
        if let Some(c) = &self.ceiling {
            md_rule(
                &mut out,
                format_args!("ceiling: {} working days in total", c.working_days),
                &c.provenance,
            );
        }
        if let Some(t) = &self.open_threshold {
            let from = match &t.from {
                Some(ClockStart::Stages(stages)) => format!(
                    ", counted from first entering {}",
                    stages
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                _ => String::new(),
            };
            md_rule(
                &mut out,
                format_args!(
                    "open alerts reported after {} working days{from}",
                    t.working_days
                ),
                &t.provenance,
            );
        }
        let path: Vec<&str> = self.default_path().iter().map(|s| &*s.id).collect();
        let _ = writeln!(
            out,
            "- default path: {} (at most {} working days by its stated windows)",
            path.join(" → "),
            self.default_path_working_days()
        );
        out.push('\n');

        out
    }

    /// The table of stages.
    fn md_stage_table(&self, out: &mut String) {
        let _ = writeln!(out, "### Stages\n");
        let rows: Vec<Vec<String>> = self
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    format!("`{}`", s.id),
                    s.name.clone(),
                    s.raised_by.clone(),
                    s.responders.join(", "),
                    window_cell(&s.window),
                    s.on_expiry.action.describe().to_string(),
                    next_cell(s),
                    bypass_cell(s),
                    entry_cell(i, s).to_string(),
                ]
            })
            .collect();
        out.push_str(&md_table(
            &[
                "stage",
                "name",
                "raised by",
                "responders",
                "window",
                "on expiry",
                "next",
                "bypass",
                "entry",
            ],
            &rows,
        ));
        out.push('\n');
    }

    /// The duties beside the ladder, each with its rules.
    fn md_duties(&self, out: &mut String) {
        if !self.duties.is_empty() {
            let _ = writeln!(
                out,
                "### Duties beside the ladder
"
            );
            for d in &self.duties {
                let available = match &d.available {
                    DutyAvailability::AnyOpenStage => "at any open stage".to_string(),
                    DutyAvailability::Stages(list) => format!(
                        "at {}",
                        list.iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    DutyAvailability::ByRule => "only when a rule starts it".to_string(),
                };
                let _ = writeln!(
                    out,
                    "#### `{}`: {}
",
                    d.id, d.name
                );
                md_rule(
                    out,
                    format_args!(
                        "owners: {}; may be started {available}",
                        d.owners.join(", ")
                    ),
                    &d.provenance,
                );
                md_rule(
                    out,
                    format_args!("window: {}", d.window.describe()),
                    &d.window.provenance,
                );
                for n in &d.notify {
                    md_rule(out, format_args!("notify: {}", n.role), &n.provenance);
                }
                if let Some(r) = &d.record {
                    md_rule(out, format_args!("record: {}", r.form), &r.provenance);
                }
                if !d.then_starts.is_empty() {
                    let _ = writeln!(
                        out,
                        "- when completed, starts {}",
                        d.then_starts
                            .iter()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                out.push('\n');
            }
        }
    }
}

/// A stage's rules, each with its source or assumption.
fn md_stage_rules(out: &mut String, s: &Stage) {
    let _ = writeln!(out, "#### `{}`: {}\n", s.id, s.name);
    md_rule(
        out,
        format_args!("window: {}", s.window.describe()),
        &s.window.provenance,
    );
    md_rule(
        out,
        format_args!("on expiry: {}", s.on_expiry.action.describe()),
        &s.on_expiry.provenance,
    );
    if let Some(r) = &s.record {
        let mut what = r.form.clone();
        if let Some(system) = &r.system {
            let _ = write!(what, " on {system}");
        }
        if !r.fields.is_empty() {
            let _ = write!(what, " (fields: {})", r.fields.join("; "));
        }
        md_rule(out, format_args!("record: {what}"), &r.provenance);
    }
    for n in &s.notify {
        md_rule(out, format_args!("notify: {}", n.role), &n.provenance);
    }
    if let Some(e) = &s.entry {
        md_rule(out, format_args!("entry: {}", e.condition), &e.provenance);
    }
    for step in &s.steps {
        md_rule(
            out,
            format_args!(
                "step `{}` ({}) by {}",
                step.id,
                step.name,
                step.by.join(", ")
            ),
            &step.provenance,
        );
    }
    if let Some(n) = &s.next {
        match &n.condition {
            Some(c) => md_rule(
                out,
                format_args!("next: `{}`, after: {c}", n.to),
                &n.provenance,
            ),
            None => md_rule(out, format_args!("next: `{}`", n.to), &n.provenance),
        }
    }
    if let Some(b) = &s.bypass {
        md_rule(
            out,
            format_args!(
                "bypass to {} if {}",
                b.to.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                b.condition
            ),
            &b.provenance,
        );
    }
    for o in &s.outcomes {
        let then = match &o.then {
            OutcomeNext::Resolve => "resolve".to_string(),
            OutcomeNext::Stage(t) => format!("`{t}`"),
        };
        let starts = if o.starts.is_empty() {
            String::new()
        } else {
            format!(
                "; starts {}",
                o.starts
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        md_rule(
            out,
            format_args!("outcome `{}` ({}) → {then}{starts}", o.id, o.name),
            &o.provenance,
        );
    }
    if let Some(o) = &s.optional_outcome {
        md_rule(
            out,
            format_args!("a response without an outcome is accepted"),
            &o.provenance,
        );
    }
    out.push('\n');
}

/// The passages of the source no rule models, with the reasons.
fn md_omitted(out: &mut String, omitted: &[Omission]) {
    if omitted.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Passages of the source not modelled
"
    );
    for o in omitted {
        let _ = writeln!(out, "- \"{}\" — {}", o.text, o.reason);
    }
    out.push('\n');
}

fn day_cell(day: u32, until: Option<u32>) -> String {
    match until {
        Some(u) if u != day => format!("{day} to {u}"),
        _ => day.to_string(),
    }
}

impl Schedule {
    /// A plain-text table of the milestones: day (or "3 to 10" for a span), id
    /// and what happens.
    pub fn milestone_table(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .milestones
            .iter()
            .map(|m| vec![day_cell(m.day, m.until_day), m.id.clone(), m.name.clone()])
            .collect();
        plain_table(&["day", "milestone", "what happens"], &rows)
    }

    /// The schedule as a Markdown section: summary, milestones with their
    /// sources, and the list of assumptions.
    pub fn to_markdown(&self) -> String {
        let mut out = md_header(&Header {
            title: &self.title,
            kind: "schedule",
            id: &self.id,
            authority: &self.authority,
            source: &self.source,
            scope: &self.scope,
            working_days: &self.working_days,
            counting: "; day 1 is the starting day",
        });
        out.push('\n');
        let _ = writeln!(out, "### Milestones\n");
        let rows: Vec<Vec<String>> = self
            .milestones
            .iter()
            .map(|m| {
                vec![
                    day_cell(m.day, m.until_day),
                    format!("`{}`", m.id),
                    m.name.clone(),
                    md_provenance(&m.provenance),
                ]
            })
            .collect();
        out.push_str(&md_table(
            &["day", "milestone", "what happens", "from"],
            &rows,
        ));
        out.push('\n');
        for m in &self.milestones {
            if let Some(r) = &m.repeats {
                md_rule(
                    &mut out,
                    format_args!(
                        "`{}` repeats {} times a week until day {}",
                        m.id, r.times_per_week, r.until_day
                    ),
                    &r.provenance,
                );
                out.push('\n');
            }
        }
        md_assumptions(&mut out, &self.assumptions());
        md_omitted(&mut out, &self.omitted);
        out
    }
}

impl Procedure {
    /// The procedure's section of `docs/ladders.md`: see [`Ladder::to_markdown`]
    /// and [`Schedule::to_markdown`].
    pub fn to_markdown(&self) -> String {
        match self {
            Procedure::Ladder(l) => l.to_markdown(),
            Procedure::Schedule(s) => s.to_markdown(),
        }
    }
}

/// What the Markdown sections of ladders and schedules share.
struct Header<'a> {
    title: &'a str,
    kind: &'a str,
    id: &'a str,
    authority: &'a str,
    source: &'a SourceDocument,
    scope: &'a Statement,
    working_days: &'a WorkingDayRules,
    counting: &'a str,
}

/// The opening lines of a procedure's Markdown section.
fn md_header(h: &Header<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", h.title);
    let _ = writeln!(out, "- id: `{}` ({})", h.id, h.kind);
    let _ = writeln!(out, "- authority: {}", h.authority);
    let _ = writeln!(
        out,
        "- source: {} (`{}`)",
        h.source.title, h.source.reference
    );
    md_rule(
        &mut out,
        format_args!("scope: {}", h.scope.text),
        &h.scope.provenance,
    );
    md_rule(
        &mut out,
        format_args!(
            "working days: `{}` calendar{}",
            h.working_days.region, h.counting
        ),
        &h.working_days.provenance,
    );
    out
}

/// A Markdown section listing `id: name — provenance` items (roles, categories,
/// referrals).
fn md_named_list<'a>(
    out: &mut String,
    heading: &str,
    items: impl Iterator<Item = (&'a str, &'a str, &'a Provenance)>,
) {
    let _ = writeln!(out, "### {heading}\n");
    for (id, name, provenance) in items {
        md_rule(out, format_args!("`{id}`: {name}"), provenance);
    }
    out.push('\n');
}
