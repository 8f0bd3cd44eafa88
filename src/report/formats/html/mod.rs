//! The report as one self-contained HTML page for the people who decide: a
//! summary first (headline figures with the change since the previous
//! report, and what they say in a few sentences), then five charts, each with
//! its numbers as a table, then the alerts to act on.
//!
//! The page is laid out by a minijinja template (`page.html`, beside this
//! file) from a view made here: every name looked up in the ladders (titles,
//! stage, category, role and duty names, never ids), every number formatted,
//! and every number tied to the JSON report's figure it shows by a JSON
//! pointer (`data-json="/overdue/count"`, `data-sum` for a sum of figures,
//! `data-diff` for a change) so a test can read the page back and compare.
//! The template decides the layout only.
//!
//! The page follows the GOV.UK Design System's patterns (a summary first,
//! tables with real headers, large type, visible focus) and the Government
//! Analysis Function's chart guidance; it needs no script, asks for nothing
//! from another address (CSS and SVG inline), and prints on A4 with the
//! summary on the first page.

mod charts;

use chrono::NaiveDate;
use serde::Serialize;

use super::super::error::ReportError;
use super::super::figures::model::*;
use super::super::procedures::Procedures;
use super::names::Names;
use crate::svg::{esc, thousands, wrap, PALETTE};
use charts::{Bar, Frame, Line, MarkerShape, Pattern, Series, Value};

/// The template, with its CSS.
const TEMPLATE: &str = include_str!("page.html");

/// How many rows a table of alerts shows before it is cut (with the count,
/// and a pointer to the workbook and the JSON, which list every one).
pub const HTML_TABLE_ROWS: usize = 100;

impl Report<'_> {
    /// The report as one self-contained HTML page: headline figures with the
    /// change since [`previous`](Report::previous) (when counted), charts of
    /// open alerts by stage, ageing against the ceiling, timeliness by stage,
    /// themes and the last 12 months, each with its numbers as a table, then
    /// the overdue alerts, ceiling breaches, overdue duties, extensions and
    /// escalations. Names come from `procedures` (the ladders the report was
    /// built with). Tables of alerts show their first [`HTML_TABLE_ROWS`]
    /// rows, with the count.
    ///
    /// Every number on the page carries the JSON pointer of the figure it
    /// shows (`data-json`, or `data-sum` and `data-diff` for sums and
    /// changes of figures), into the report's JSON (`serde_json` of this
    /// report).
    ///
    /// # Errors
    ///
    /// [`ReportError::Render`] if the template cannot be laid out (a bug).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{read_cases, Procedures, Report, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let input = r#"{"case":"IRO-1","team":"North","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
    /// let cases = read_cases(input.as_bytes(), &procedures)?;
    /// let as_of = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    /// let page = Report::build(&procedures, &cases, as_of, &ReportOptions::default())?.to_html(&procedures)?;
    /// assert!(page.starts_with("<!DOCTYPE html>"));
    /// // The stage's name, not its id; the figure with its JSON pointer (its
    /// // slashes escaped in the attribute): 3 working days overdue, the
    /// // response due 29 December and 1 January a bank holiday.
    /// assert!(page.contains("Second stage: alert to the team manager"));
    /// assert!(page.contains(r#"data-json="&#x2f;overdue&#x2f;alerts&#x2f;0&#x2f;working_days_overdue">3<"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_html(&self, procedures: &Procedures) -> Result<String, ReportError> {
        let page = Page::of(self, Names::new(procedures));
        let mut env = minijinja::Environment::new();
        let render = |e: minijinja::Error| ReportError::Render {
            format: "html",
            message: e.to_string(),
        };
        env.add_template("page.html", TEMPLATE).map_err(render)?;
        let template = env.get_template("page.html").map_err(render)?;
        template
            .render(minijinja::context! { page => minijinja::value::Serde(&page) })
            .map_err(render)
    }
}

/// A day as people read it: "23 November 2026".
fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A number on the page: its text and the figure it is.
#[derive(Debug, Clone, Serialize)]
struct Num {
    text: String,
    /// A JSON pointer (`data-json`).
    path: Option<String>,
    /// JSON pointers whose values add up to it (`data-sum`).
    sum: Option<String>,
}

impl Num {
    fn of(value: impl Into<i128>, path: impl Into<String>) -> Num {
        Num {
            text: thousands(value),
            path: Some(path.into()),
            sum: None,
        }
    }
}

/// A cell of a table.
#[derive(Debug, Clone, Serialize)]
struct Cell {
    text: String,
    /// A date: `datetime`.
    date: Option<String>,
    /// The figure a number or date is (`data-json`).
    path: Option<String>,
    /// The figures a number is the sum of (`data-sum`).
    sum: Option<String>,
    numeric: bool,
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            date: None,
            path: None,
            sum: None,
            numeric: false,
        }
    }

    fn num(value: impl Into<i128>, path: String) -> Cell {
        Cell {
            text: thousands(value),
            path: Some(path),
            numeric: true,
            ..Cell::text("")
        }
    }

    fn sum(value: u64, paths: &[String]) -> Cell {
        Cell {
            text: thousands(value),
            sum: Some(paths.join(" ")),
            numeric: true,
            ..Cell::text("")
        }
    }

    fn date(date: Option<NaiveDate>, path: String) -> Cell {
        match date {
            Some(date) => Cell {
                text: date.format("%-d %b %Y").to_string(),
                date: Some(date.to_string()),
                path: Some(path),
                ..Cell::text("")
            },
            None => Cell::text("—"),
        }
    }

    fn percent(value: Option<f64>, path: String) -> Cell {
        match value {
            Some(p) => Cell {
                text: format!("{p:.1}%"),
                path: Some(path),
                numeric: true,
                ..Cell::text("")
            },
            None => Cell {
                numeric: true,
                ..Cell::text("—")
            },
        }
    }
}

/// A table: its headings and rows, and when it is cut, how many rows there
/// are in all.
#[derive(Debug, Clone, Serialize)]
struct Table {
    id: String,
    heading: String,
    caption: String,
    /// What the table shows, in a sentence.
    intro: String,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    /// The count of every row, when the table shows fewer.
    total: Option<Num>,
    shown: usize,
    /// What to say when there are no rows.
    empty: String,
}

#[derive(Debug, Clone, Serialize)]
struct Column {
    name: String,
    numeric: bool,
}

fn columns(names: &[(&str, bool)]) -> Vec<Column> {
    names
        .iter()
        .map(|(name, numeric)| Column {
            name: name.to_string(),
            numeric: *numeric,
        })
        .collect()
}

/// A headline figure with its change.
#[derive(Debug, Clone, Serialize)]
struct Card {
    label: String,
    value: Num,
    /// "up 3 from 11 on 23 October 2026".
    change: Option<Change>,
    hint: String,
}

#[derive(Debug, Clone, Serialize)]
struct Change {
    /// "up 3", "down 2", "no change".
    text: String,
    /// The two pointers (now, then) whose difference it is.
    diff: String,
    then: Num,
    when: String,
}

/// A chart with its numbers as a table.
#[derive(Debug, Clone, Serialize)]
struct Chart {
    id: String,
    heading: String,
    svg: String,
    table: Table,
    /// Said instead of the chart when there is nothing to draw.
    empty: Option<String>,
}

/// The page's view.
#[derive(Debug, Clone, Serialize)]
struct Page {
    title: String,
    period: String,
    as_of: String,
    as_of_iso: String,
    previous: Option<String>,
    cases: Num,
    cases_open: Num,
    cases_closed: Num,
    cards: Vec<Card>,
    /// Sentences of the summary, as HTML (numbers with their pointers).
    messages: Vec<String>,
    charts: Vec<Chart>,
    tables: Vec<Table>,
    version: &'static str,
}

impl Page {
    fn of(report: &Report<'_>, names: Names<'_>) -> Page {
        let period = &report.period;
        let previous = report
            .previous
            .as_ref()
            .map(|p| format!("{} as at {}", p.period.label, long_date(p.as_of)));
        Page {
            title: format!("Escalation alerts: {}", period.label),
            period: period.label.clone(),
            as_of: long_date(report.as_of),
            as_of_iso: report.as_of.to_string(),
            previous,
            cases: Num::of(report.cases.read, "/cases/read"),
            cases_open: Num::of(report.cases.open, "/cases/open"),
            cases_closed: Num::of(report.cases.closed, "/cases/closed"),
            cards: cards(report),
            messages: messages(report, names),
            charts: vec![
                open_by_stage(report, names),
                ageing(report, names),
                timeliness(report, names),
                themes(report, names),
                months(report),
            ],
            tables: vec![
                overdue(report, names),
                breaches(report, names),
                duties(report, names),
                extensions(report, names),
                escalations(report, names),
            ],
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// The headline cards: flows over the period, stocks as at the date.
fn cards(report: &Report<'_>) -> Vec<Card> {
    let h = &report.headline;
    let period = &report.period.label;
    let as_of = long_date(report.as_of);
    let rows: [(&str, &str, u64, String); 6] = [
        (
            "raised",
            "Raised",
            h.raised,
            format!("Alerts raised in {period}"),
        ),
        (
            "closed",
            "Closed",
            h.closed,
            format!(
                "Resolved, deemed agreed or withdrawn in {period}; {} resolved",
                thousands(h.resolved)
            ),
        ),
        ("open", "Open", h.open, format!("Open on {as_of}")),
        (
            "overdue",
            "Overdue",
            h.overdue,
            format!("Open with the response overdue on {as_of}"),
        ),
        (
            "ceiling_breaches",
            "Beyond the ceiling",
            h.ceiling_breaches,
            "Open past their ceiling or given time beyond it, or closed after it in the period"
                .to_string(),
        ),
        (
            "overdue_duties",
            "Duties overdue",
            h.overdue_duties,
            format!("Duties beside the ladder past due on {as_of}"),
        ),
    ];
    rows.into_iter()
        .map(|(field, label, value, hint)| {
            let change = report.previous.as_ref().map(|p| {
                let then = field_of(&p.headline, field);
                let text = match value.cmp(&then) {
                    std::cmp::Ordering::Greater => format!("up {}", thousands(value - then)),
                    std::cmp::Ordering::Less => format!("down {}", thousands(then - value)),
                    std::cmp::Ordering::Equal => "no change".to_string(),
                };
                let stock = matches!(field, "open" | "overdue" | "overdue_duties");
                Change {
                    text,
                    diff: format!("/headline/{field} /previous/headline/{field}"),
                    then: Num::of(then, format!("/previous/headline/{field}")),
                    when: if stock {
                        format!("on {}", long_date(p.as_of))
                    } else {
                        format!("in {}", p.period.label)
                    },
                }
            });
            Card {
                label: label.to_string(),
                value: Num::of(value, format!("/headline/{field}")),
                change,
                hint,
            }
        })
        .collect()
}

fn field_of(h: &Headline, field: &str) -> u64 {
    match field {
        "raised" => h.raised,
        "closed" => h.closed,
        "open" => h.open,
        "overdue" => h.overdue,
        "ceiling_breaches" => h.ceiling_breaches,
        _ => h.overdue_duties,
    }
}

/// A number as HTML with its pointer.
fn span(value: impl Into<i128>, path: &str) -> String {
    format!(
        r#"<strong data-json="{}">{}</strong>"#,
        esc(path),
        thousands(value)
    )
}

/// The summary's sentences: numbers, not adjectives.
fn messages(report: &Report<'_>, names: Names<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let h = &report.headline;
    out.push(format!(
        "{} of {} open alerts are overdue for a response.",
        span(h.overdue, "/headline/overdue"),
        span(h.open, "/headline/open")
    ));
    let past: u64 = report.ageing.bands.iter().map(|b| b.past_ceiling).sum();
    let paths: Vec<String> = (0..report.ageing.bands.len())
        .map(|i| format!("/ageing/bands/{i}/past_ceiling"))
        .collect();
    out.push(format!(
        r#"<strong data-sum="{}">{}</strong> open alerts are past their ceiling (the statutory limit on the whole process)."#,
        esc(&paths.join(" ")),
        thousands(past)
    ));
    let t = &report.timeliness.overall;
    match t.percent_on_time {
        Some(p) => out.push(format!(
            r#"<strong data-json="/timeliness/overall/percent_on_time">{p:.1}%</strong> of the responses due in {} were on time ({} of {}; {} late, {} missed)."#,
            esc(&report.period.label),
            span(t.on_time, "/timeliness/overall/on_time"),
            span(t.measured, "/timeliness/overall/measured"),
            span(t.late, "/timeliness/overall/late"),
            span(t.missed, "/timeliness/overall/missed"),
        )),
        None => out.push(format!(
            "No response was due in {}.",
            esc(&report.period.label)
        )),
    }
    if let Some((i, top)) = report
        .raised
        .by_category
        .iter()
        .enumerate()
        .filter(|(_, c)| c.category.is_some())
        .max_by_key(|(i, c)| (c.count, std::cmp::Reverse(*i)))
    {
        out.push(format!(
            "The theme raised most often in {} was “{}” ({} of {} alerts raised).",
            esc(&report.period.label),
            esc(names.category(top.ladder, top.category)),
            span(top.count, &format!("/raised/by_category/{i}/count")),
            span(report.raised.total, "/raised/total"),
        ));
    }
    if report.extensions.count > 0 {
        out.push(format!(
            "Extra time was agreed {} times in {}, {} of them beyond the ceiling.",
            span(report.extensions.count as u64, "/extensions/count"),
            esc(&report.period.label),
            span(
                report.extensions.beyond_ceiling as u64,
                "/extensions/beyond_ceiling"
            ),
        ));
    }
    out
}

/// Bars grouped by ladder: a heading before the first bar of each ladder.
fn grouped<T>(
    rows: &[T],
    ladder: impl Fn(&T) -> &str,
    names: Names<'_>,
    mut bar: impl FnMut(usize, &T) -> Bar,
) -> Vec<Bar> {
    let mut last: Option<&str> = None;
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let mut b = bar(i, row);
            let l = ladder(row);
            if last != Some(l) {
                b.group = Some(names.ladder(l).to_string());
                last = Some(l);
            }
            b
        })
        .collect()
}

const BLUE: Series = Series {
    name: "Open alerts",
    colour: PALETTE[0],
    pattern: Pattern::Solid,
};

fn open_by_stage(report: &Report<'_>, names: Names<'_>) -> Chart {
    let rows = &report.open.by_stage;
    let bars = grouped(
        rows,
        |r| r.ladder,
        names,
        |i, r| Bar {
            label: wrap(names.stage(r.ladder, r.stage), 36, 2),
            group: None,
            values: vec![Value {
                count: r.count,
                path: format!("/open/by_stage/{i}/count"),
            }],
            note: None,
        },
    );
    let top = rows
        .iter()
        .enumerate()
        .max_by_key(|(i, r)| (r.count, std::cmp::Reverse(*i)));
    let title = match top {
        Some((_, r)) => format!(
            "{} alerts open on {}; the most, {}, at “{}”",
            thousands(report.open.total),
            long_date(report.as_of),
            thousands(r.count),
            names.stage(r.ladder, r.stage)
        ),
        None => format!("No alert was open on {}", long_date(report.as_of)),
    };
    let frame = Frame {
        id: "chart-stage",
        title: &title,
        desc: "Horizontal bars: open alerts at each stage, grouped by procedure.",
    };
    let svg = charts::bars(&frame, &[BLUE], &bars, "Open alerts");
    let table = Table {
        id: "chart-stage-table".into(),
        heading: String::new(),
        caption: "Open alerts by procedure and stage".into(),
        intro: String::new(),
        columns: columns(&[
            ("Procedure", false),
            ("Stage", false),
            ("Open alerts", true),
        ]),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    Cell::text(names.ladder(r.ladder)),
                    Cell::text(names.stage(r.ladder, r.stage)),
                    Cell::num(r.count, format!("/open/by_stage/{i}/count")),
                ]
            })
            .collect(),
        total: None,
        shown: rows.len(),
        empty: "No alert is open.".into(),
    };
    Chart {
        id: "stage".into(),
        heading: title,
        svg,
        table,
        empty: rows.is_empty().then(|| "No alert is open.".to_string()),
    }
}

fn band_label(band: &AgeBand) -> String {
    match band.to {
        Some(to) => format!("{}–{to}", band.from),
        None => format!("{} or more", band.from),
    }
}

fn ageing(report: &Report<'_>, names: Names<'_>) -> Chart {
    let a = &report.ageing;
    let series = [
        Series {
            name: "Within the ceiling",
            colour: PALETTE[0],
            pattern: Pattern::Solid,
        },
        Series {
            name: "Past the ceiling",
            colour: PALETTE[2],
            pattern: Pattern::Hatched,
        },
        Series {
            name: "No ceiling",
            colour: "#6f777b",
            pattern: Pattern::Dotted,
        },
    ];
    let fields = ["within_ceiling", "past_ceiling", "no_ceiling"];
    let columns_of: Vec<Bar> = a
        .bands
        .iter()
        .enumerate()
        .map(|(i, b)| Bar {
            label: vec![band_label(b)],
            group: None,
            values: [b.within_ceiling, b.past_ceiling, b.no_ceiling]
                .into_iter()
                .zip(fields)
                .map(|(count, f)| Value {
                    count,
                    path: format!("/ageing/bands/{i}/{f}"),
                })
                .collect(),
            note: None,
        })
        .collect();
    let mut ceilings: Vec<u32> = a.ceilings.iter().map(|c| c.working_days).collect();
    ceilings.sort_unstable();
    ceilings.dedup();
    let markers: Vec<charts::Marker> = ceilings
        .iter()
        .map(|&days| {
            // The marker sits after the last band whose days are within it.
            let position = a
                .bands
                .iter()
                .position(|b| b.to.map_or(true, |to| to >= days))
                .map_or(a.bands.len() as f64, |i| {
                    let b = &a.bands[i];
                    let span = b.to.map_or(1, |to| to - b.from + 1) as f64;
                    i as f64 + (f64::from(days) - f64::from(b.from) + 1.0) / span
                });
            charts::Marker {
                position,
                label: format!("{days}-working-day ceiling"),
            }
        })
        .collect();
    let past: u64 = a.bands.iter().map(|b| b.past_ceiling).sum();
    let with: u64 = a
        .bands
        .iter()
        .map(|b| b.within_ceiling + b.past_ceiling)
        .sum();
    let title = format!(
        "{} of {} open alerts with a ceiling are past it",
        thousands(past),
        thousands(with)
    );
    let frame = Frame {
        id: "chart-ageing",
        title: &title,
        desc: "Stacked columns: open alerts by working days open, within the ceiling, past it, or on a procedure without one; a dashed line marks the ceiling.",
    };
    let x_axis = format!(
        "Working days open, from raising to {}",
        long_date(report.as_of)
    );
    let svg = charts::columns(
        &frame,
        &series,
        &columns_of,
        &markers,
        &x_axis,
        "Open alerts",
    );
    let ceilings_text: Vec<String> = a
        .ceilings
        .iter()
        .map(|c| {
            format!(
                "{} ({} working days)",
                names.ladder(c.ladder),
                c.working_days
            )
        })
        .collect();
    let table = Table {
        id: "chart-ageing-table".into(),
        heading: String::new(),
        caption: "Open alerts by working days open".into(),
        intro: if ceilings_text.is_empty() {
            String::new()
        } else {
            format!("Ceilings: {}.", ceilings_text.join("; "))
        },
        columns: columns(&[
            ("Working days open", false),
            ("Within the ceiling", true),
            ("Past the ceiling", true),
            ("No ceiling", true),
            ("All", true),
        ]),
        rows: a
            .bands
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let paths: Vec<String> = fields
                    .iter()
                    .map(|f| format!("/ageing/bands/{i}/{f}"))
                    .collect();
                vec![
                    Cell::text(band_label(b)),
                    Cell::num(b.within_ceiling, paths[0].clone()),
                    Cell::num(b.past_ceiling, paths[1].clone()),
                    Cell::num(b.no_ceiling, paths[2].clone()),
                    Cell::sum(b.total(), &paths),
                ]
            })
            .collect(),
        total: None,
        shown: a.bands.len(),
        empty: String::new(),
    };
    Chart {
        id: "ageing".into(),
        heading: title,
        svg,
        table,
        empty: (report.open.total == 0).then(|| "No alert is open.".to_string()),
    }
}

fn timeliness(report: &Report<'_>, names: Names<'_>) -> Chart {
    let rows = &report.timeliness.by_stage;
    let series = [
        Series {
            name: "On time",
            colour: PALETTE[1],
            pattern: Pattern::Solid,
        },
        Series {
            name: "Late",
            colour: PALETTE[3],
            pattern: Pattern::Hatched,
        },
        Series {
            name: "Missed",
            colour: PALETTE[2],
            pattern: Pattern::Dotted,
        },
    ];
    let measured: Vec<(usize, &StageTimeliness<'_>)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.counts.measured > 0)
        .collect();
    let bars_of: Vec<Bar> = {
        let mut last: Option<&str> = None;
        measured
            .iter()
            .map(|(i, r)| {
                let group = (last != Some(r.ladder)).then(|| names.ladder(r.ladder).to_string());
                last = Some(r.ladder);
                Bar {
                    label: wrap(names.stage(r.ladder, r.stage), 36, 2),
                    group,
                    values: [
                        (r.counts.on_time, "on_time"),
                        (r.counts.late, "late"),
                        (r.counts.missed, "missed"),
                    ]
                    .into_iter()
                    .map(|(count, f)| Value {
                        count,
                        path: format!("/timeliness/by_stage/{i}/{f}"),
                    })
                    .collect(),
                    note: r.counts.percent_on_time.map(|p| {
                        (
                            format!("{p:.1}%"),
                            format!("/timeliness/by_stage/{i}/percent_on_time"),
                        )
                    }),
                }
            })
            .collect()
    };
    let o = &report.timeliness.overall;
    let title = match o.percent_on_time {
        Some(p) => format!(
            "{p:.1}% of the {} responses due in {} were on time",
            thousands(o.measured),
            report.period.label
        ),
        None => format!("No response was due in {}", report.period.label),
    };
    let frame = Frame {
        id: "chart-timeliness",
        title: &title,
        desc: "Stacked horizontal bars: for each stage, the responses due in the period that came on time, late, or not at all; the percentage on time after each bar.",
    };
    let svg = charts::bars(&frame, &series, &bars_of, "Responses due in the period");
    let table = Table {
        id: "chart-timeliness-table".into(),
        heading: String::new(),
        caption: format!("Responses due in {} by stage", report.period.label),
        intro: String::new(),
        columns: columns(&[
            ("Procedure", false),
            ("Stage", false),
            ("Measured", true),
            ("On time", true),
            ("Late", true),
            ("Missed", true),
            ("On time (%)", true),
            ("Extended", true),
        ]),
        rows: measured
            .iter()
            .map(|(i, r)| {
                let p = |f: &str| format!("/timeliness/by_stage/{i}/{f}");
                vec![
                    Cell::text(names.ladder(r.ladder)),
                    Cell::text(names.stage(r.ladder, r.stage)),
                    Cell::num(r.counts.measured, p("measured")),
                    Cell::num(r.counts.on_time, p("on_time")),
                    Cell::num(r.counts.late, p("late")),
                    Cell::num(r.counts.missed, p("missed")),
                    Cell::percent(r.counts.percent_on_time, p("percent_on_time")),
                    Cell::num(r.counts.extended, p("extended")),
                ]
            })
            .collect(),
        total: None,
        shown: measured.len(),
        empty: "No response was due in the period.".into(),
    };
    Chart {
        id: "timeliness".into(),
        heading: title.clone(),
        svg,
        table,
        empty: measured
            .is_empty()
            .then(|| format!("No response was due in {}.", report.period.label)),
    }
}

fn themes(report: &Report<'_>, names: Names<'_>) -> Chart {
    let rows = &report.raised.by_category;
    let bars_of = grouped(
        rows,
        |r| r.ladder,
        names,
        |i, r| Bar {
            label: wrap(names.category(r.ladder, r.category), 36, 2),
            group: None,
            values: vec![Value {
                count: r.count,
                path: format!("/raised/by_category/{i}/count"),
            }],
            note: None,
        },
    );
    let top = rows
        .iter()
        .filter(|r| r.category.is_some())
        .max_by_key(|r| r.count);
    let title = match top {
        Some(r) => format!(
            "{} alerts raised in {}; the commonest theme, “{}”, {}",
            thousands(report.raised.total),
            report.period.label,
            names.category(r.ladder, r.category),
            thousands(r.count)
        ),
        None => format!(
            "{} alerts raised in {}",
            thousands(report.raised.total),
            report.period.label
        ),
    };
    let frame = Frame {
        id: "chart-themes",
        title: &title,
        desc: "Horizontal bars: alerts raised in the period by category of concern, grouped by procedure.",
    };
    let svg = charts::bars(&frame, &[BLUE], &bars_of, "Alerts raised in the period");
    let table = Table {
        id: "chart-themes-table".into(),
        heading: String::new(),
        caption: format!("Alerts raised in {} by category", report.period.label),
        intro: String::new(),
        columns: columns(&[("Procedure", false), ("Category", false), ("Raised", true)]),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    Cell::text(names.ladder(r.ladder)),
                    Cell::text(names.category(r.ladder, r.category)),
                    Cell::num(r.count, format!("/raised/by_category/{i}/count")),
                ]
            })
            .collect(),
        total: None,
        shown: rows.len(),
        empty: "No alert was raised in the period.".into(),
    };
    Chart {
        id: "themes".into(),
        heading: title,
        svg,
        table,
        empty: rows
            .is_empty()
            .then(|| format!("No alert was raised in {}.", report.period.label)),
    }
}

/// "Nov" and, for January or the first month, the year under it.
fn month_label(month: &str, first: bool) -> Vec<String> {
    let date = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok();
    match date {
        Some(d) if first || d.format("%m").to_string() == "01" => {
            vec![d.format("%b").to_string(), d.format("%Y").to_string()]
        }
        Some(d) => vec![d.format("%b").to_string()],
        None => vec![month.to_string()],
    }
}

fn month_name(month: &str) -> String {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|_| month.to_string())
}

fn months(report: &Report<'_>) -> Chart {
    let m = &report.by_month;
    let line = |series: Series, marker, field: &str| Line {
        series,
        marker,
        values: m
            .iter()
            .enumerate()
            .map(|(i, row)| Value {
                count: match field {
                    "raised" => row.raised,
                    _ => row.closed,
                },
                path: format!("/by_month/{i}/{field}"),
            })
            .collect(),
    };
    let lines = [
        line(
            Series {
                name: "Raised",
                colour: PALETTE[0],
                pattern: Pattern::Solid,
            },
            MarkerShape::Circle,
            "raised",
        ),
        line(
            Series {
                name: "Closed",
                colour: PALETTE[3],
                pattern: Pattern::Hatched,
            },
            MarkerShape::Square,
            "closed",
        ),
    ];
    let raised: u64 = m.iter().map(|r| r.raised).sum();
    let closed: u64 = m.iter().map(|r| r.closed).sum();
    let (first, last) = (
        m.first().map(|r| month_name(&r.month)).unwrap_or_default(),
        m.last().map(|r| month_name(&r.month)).unwrap_or_default(),
    );
    let title = format!(
        "{} alerts raised and {} closed from {first} to {last}",
        thousands(raised),
        thousands(closed)
    );
    let frame = Frame {
        id: "chart-months",
        title: &title,
        desc: "Lines: alerts raised (solid, circles) and closed (dashed, squares) in each of the last 12 months.",
    };
    let points: Vec<Vec<String>> = m
        .iter()
        .enumerate()
        .map(|(i, r)| month_label(&r.month, i == 0))
        .collect();
    let svg = charts::lines(&frame, &points, &lines, "Month", "Alerts");
    let table = Table {
        id: "chart-months-table".into(),
        heading: String::new(),
        caption: "Alerts raised and closed month by month".into(),
        intro: String::new(),
        columns: columns(&[
            ("Month", false),
            ("Raised", true),
            ("Closed", true),
            ("Of which resolved", true),
        ]),
        rows: m
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    Cell::text(month_name(&r.month)),
                    Cell::num(r.raised, format!("/by_month/{i}/raised")),
                    Cell::num(r.closed, format!("/by_month/{i}/closed")),
                    Cell::num(r.resolved, format!("/by_month/{i}/resolved")),
                ]
            })
            .collect(),
        total: None,
        shown: m.len(),
        empty: String::new(),
    };
    Chart {
        id: "months".into(),
        heading: title,
        svg,
        table,
        empty: None,
    }
}

/// Who must act on an open alert, by case id, in role names.
fn who_must_act<'r>(
    report: &'r Report<'_>,
) -> std::collections::HashMap<&'r str, &'r OpenAlert<'r>> {
    report
        .open
        .alerts
        .iter()
        .map(|a| (&*a.alert.0.id, a))
        .collect()
}

/// A table of alerts cut at [`HTML_TABLE_ROWS`], with its count.
#[allow(clippy::too_many_arguments)]
fn alert_table<T>(
    id: &str,
    heading: &str,
    intro: String,
    count: usize,
    count_path: &str,
    cols: &[(&str, bool)],
    alerts: &[T],
    row: impl Fn(usize, &T) -> Vec<Cell>,
    empty: &str,
) -> Table {
    let shown = alerts.len().min(HTML_TABLE_ROWS);
    Table {
        id: id.to_string(),
        heading: heading.to_string(),
        caption: heading.to_string(),
        intro,
        columns: columns(cols),
        rows: alerts[..shown]
            .iter()
            .enumerate()
            .map(|(i, a)| row(i, a))
            .collect(),
        total: (count > shown).then(|| Num::of(count as u64, count_path)),
        shown,
        empty: empty.to_string(),
    }
}

fn overdue(report: &Report<'_>, names: Names<'_>) -> Table {
    let open = who_must_act(report);
    alert_table(
        "overdue",
        "Overdue responses",
        format!(
            "Open alerts whose response date has passed, on {}, most overdue first.",
            long_date(report.as_of)
        ),
        report.overdue.count,
        "/overdue/count",
        &[
            ("Case", false),
            ("Team", false),
            ("Procedure", false),
            ("Stage", false),
            ("Who must act", false),
            ("Due", false),
            ("Working days overdue", true),
        ],
        &report.overdue.alerts,
        |i, a| {
            let case = a.alert.0;
            let ladder = &*case.state.ladder;
            let who = open
                .get(&*case.id)
                .map(|o| names.roles(ladder, &o.who_must_act))
                .unwrap_or_default();
            let p = |f: &str| format!("/overdue/alerts/{i}/{f}");
            vec![
                Cell::text(&*case.id),
                Cell::text(case.team.as_deref().unwrap_or("Not recorded")),
                Cell::text(names.ladder(ladder)),
                Cell::text(names.stage(ladder, a.stage)),
                Cell::text(who),
                Cell::date(Some(a.due), p("due")),
                Cell::num(a.working_days_overdue, p("working_days_overdue")),
            ]
        },
        "No response is overdue.",
    )
}

fn breaches(report: &Report<'_>, names: Names<'_>) -> Table {
    let open = who_must_act(report);
    alert_table(
        "breaches",
        "Ceiling breaches",
        "Alerts open past their ceiling or given extra time beyond it, and those closed in the period after it; open ones first, furthest past first.".to_string(),
        report.ceiling_breaches.count,
        "/ceiling_breaches/count",
        &[
            ("Case", false),
            ("Procedure", false),
            ("Stage", false),
            ("Who must act", false),
            ("Ceiling", false),
            ("Breach", false),
            ("Working days past the ceiling", true),
            ("Closed", false),
        ],
        &report.ceiling_breaches.alerts,
        |i, a| {
            let case = a.alert.0;
            let ladder = &*case.state.ladder;
            let who = open
                .get(&*case.id)
                .map(|o| names.roles(ladder, &o.who_must_act))
                .unwrap_or_else(|| "—".to_string());
            let breach = match (a.ceiling_breached, a.extended_beyond_ceiling) {
                (true, true) => "Open past it, extra time beyond it",
                (false, true) => "Extra time beyond it",
                _ => "Open past it",
            };
            let p = |f: &str| format!("/ceiling_breaches/alerts/{i}/{f}");
            vec![
                Cell::text(&*case.id),
                Cell::text(names.ladder(ladder)),
                Cell::text(names.stage(ladder, a.stage)),
                Cell::text(who),
                Cell::date(a.ceiling, p("ceiling")),
                Cell::text(breach),
                match a.working_days_past_ceiling {
                    Some(days) => Cell::num(days, p("working_days_past_ceiling")),
                    None => Cell {
                        numeric: true,
                        ..Cell::text("—")
                    },
                },
                Cell::date(a.closed_on, p("closed_on")),
            ]
        },
        "No alert is past its ceiling.",
    )
}

fn duties(report: &Report<'_>, names: Names<'_>) -> Table {
    alert_table(
        "duties",
        "Duties overdue",
        "Duties beside the ladder (emergency action, notices, feedback) past their due date, open and closed alerts alike.".to_string(),
        report.overdue_duties.count,
        "/overdue_duties/count",
        &[
            ("Case", false),
            ("Procedure", false),
            ("Duty", false),
            ("Who must act", false),
            ("Due", false),
            ("Days overdue", true),
            ("Working days overdue", true),
        ],
        &report.overdue_duties.alerts,
        |i, d| {
            let case = d.alert.0;
            let ladder = &*case.state.ladder;
            let p = |f: &str| format!("/overdue_duties/alerts/{i}/{f}");
            vec![
                Cell::text(&*case.id),
                Cell::text(names.ladder(ladder)),
                Cell::text(names.duty(ladder, d.duty)),
                Cell::text(names.roles(ladder, &d.owners)),
                Cell::date(Some(d.due), p("due")),
                Cell::num(d.calendar_days_overdue, p("calendar_days_overdue")),
                Cell::num(d.working_days_overdue, p("working_days_overdue")),
            ]
        },
        "No duty is overdue.",
    )
}

fn extensions(report: &Report<'_>, names: Names<'_>) -> Table {
    alert_table(
        "extensions",
        "Extra time agreed",
        format!(
            "Extensions agreed in {}, by the day agreed.",
            report.period.label
        ),
        report.extensions.count,
        "/extensions/count",
        &[
            ("Case", false),
            ("Procedure", false),
            ("Stage", false),
            ("Agreed on", false),
            ("Due as set", false),
            ("Due as agreed", false),
            ("Beyond the ceiling", false),
        ],
        &report.extensions.alerts,
        |i, e| {
            let case = e.alert.0;
            let ladder = &*case.state.ladder;
            let p = |f: &str| format!("/extensions/alerts/{i}/{f}");
            vec![
                Cell::text(&*case.id),
                Cell::text(names.ladder(ladder)),
                Cell::text(names.stage(ladder, e.stage)),
                Cell::date(Some(e.extended_on), p("extended_on")),
                Cell::date(e.due_as_set, p("due_as_set")),
                Cell::date(e.due_in_force, p("due_in_force")),
                Cell::text(if e.beyond_ceiling { "Yes" } else { "No" }),
            ]
        },
        "No extra time was agreed in the period.",
    )
}

fn escalations(report: &Report<'_>, names: Names<'_>) -> Table {
    let e = &report.escalations;
    let mut table = alert_table(
        "escalations",
        "Escalations",
        format!("Moves between stages in {}: escalated to the next stage, bypassed to a later one, or routed by a response's outcome.", report.period.label),
        e.by_route.len(),
        "/escalations/by_route",
        &[
            ("Procedure", false),
            ("From", false),
            ("To", false),
            ("How", false),
            ("Alerts", true),
        ],
        &e.by_route,
        |i, r| {
            vec![
                Cell::text(names.ladder(r.ladder)),
                Cell::text(names.stage(r.ladder, r.from)),
                Cell::text(names.stage(r.ladder, r.to)),
                Cell::text(match r.kind {
                    crate::report::MoveKind::Escalated => "Escalated",
                    crate::report::MoveKind::Bypassed => "Bypassed",
                    crate::report::MoveKind::Routed => "Routed",
                }),
                Cell::num(r.count, format!("/escalations/by_route/{i}/count")),
            ]
        },
        "No alert moved between stages in the period.",
    );
    // Routes are few; a cut table still says how many routes there are.
    table.total = None;
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_labels_name_the_year_in_january_and_first() {
        assert_eq!(month_label("2025-12", true), ["Dec", "2025"]);
        assert_eq!(month_label("2026-01", false), ["Jan", "2026"]);
        assert_eq!(month_label("2026-02", false), ["Feb"]);
        assert_eq!(month_name("2026-10"), "October 2026");
    }
}
