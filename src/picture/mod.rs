//! Pictures of time: a ladder's worst-case timeline and one alert's own, as
//! SVG (written by hand, see [`crate::svg`]) or as a page that holds the SVG
//! and its dates as a table.
//!
//! Each stage is a row, its bar running from the day it was entered to its
//! response date (extra time agreed drawn hatched after it, and time past the
//! date in force dotted); a response, a move to another stage, a closure and
//! what time did by itself (a deemed agreement, an automatic escalation) are
//! marked on the day; duties beside the ladder are rows of their own; lines
//! across every row mark the ceiling and the as-of date ("today"). Days that
//! are not working days on the ladder's calendar are shaded, so the reason a
//! date falls where it does can be seen.
//!
//! - [`timeline_svg`]: the worst case of [`ops::timeline`](crate::ops::timeline);
//! - [`alert_svg`]: an alert replayed from its events
//!   ([`ops::replay`](crate::ops::replay)), as at a date;
//! - [`page`]: either, on a self-contained HTML page with its table.
//!
//! Every date a picture draws from its JSON carries that date and its JSON
//! pointer (`data-date`, `data-json`), as the report's page does.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::calendar::WorkingCalendar;
use crate::engine::{AuditEntry, LadderTimeline, Status, TIME_ACTOR};
use crate::ladder::Ladder;
use crate::report::{Case, Departure};
use crate::svg::{esc, text_lines, wrap, FONT, PALETTE};

const WIDTH: f64 = 900.0;
const LABEL: f64 = 250.0;
const ROW: f64 = 40.0;

/// A stretch of days on a row.
#[derive(Debug, Clone)]
struct Span {
    from: NaiveDate,
    to: NaiveDate,
    kind: SpanKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpanKind {
    /// The window, from entry to the response date as set.
    Window,
    /// Extra time agreed, after the date as set.
    Extension,
    /// Past the date in force with no response.
    Overdue,
    /// A duty's window.
    Duty,
}

/// A day marked on a row.
#[derive(Debug, Clone)]
struct Mark {
    on: NaiveDate,
    label: String,
    shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A response.
    Responded,
    /// A move to another stage or a closure.
    Left,
    /// Time acted by itself.
    Time,
}

/// One row of the picture.
#[derive(Debug, Clone, Default)]
struct Row {
    label: String,
    spans: Vec<Span>,
    marks: Vec<Mark>,
    /// The dates the row shows with their JSON pointers.
    dates: Vec<(NaiveDate, String)>,
}

/// A line across every row.
#[derive(Debug, Clone)]
struct Rule {
    on: NaiveDate,
    label: String,
    colour: &'static str,
    dashed: bool,
    /// Drawn at the start of its day (a raise) rather than its end (a
    /// ceiling, the as-of date: the whole of that day counts).
    at_start: bool,
    path: Option<String>,
}

impl Rule {
    /// The ceiling's line, dashed, at the end of its day; `path` is the
    /// ceiling's JSON pointer in the answer the picture draws.
    fn ceiling(on: NaiveDate, path: &str) -> Rule {
        Rule {
            on,
            label: format!("Ceiling {}", short(on)),
            colour: PALETTE[2],
            dashed: true,
            at_start: false,
            path: Some(path.into()),
        }
    }
}

/// A picture: a title that says what it shows, a description, the rows and
/// the lines across them.
struct Gantt<'a> {
    title: String,
    desc: String,
    rows: Vec<Row>,
    rules: Vec<Rule>,
    calendar: &'a WorkingCalendar,
}

fn short(date: NaiveDate) -> String {
    date.format("%-d %b").to_string()
}

impl Gantt<'_> {
    /// The first and last day drawn: every date of the picture, a day either
    /// side.
    fn days(&self) -> (NaiveDate, NaiveDate) {
        let dates = self
            .rows
            .iter()
            .flat_map(|r| {
                r.spans
                    .iter()
                    .flat_map(|s| [s.from, s.to])
                    .chain(r.marks.iter().map(|m| m.on))
            })
            .chain(self.rules.iter().map(|r| r.on));
        let (mut first, mut last) = (NaiveDate::MAX, NaiveDate::MIN);
        for d in dates {
            first = first.min(d);
            last = last.max(d);
        }
        if first > last {
            return (NaiveDate::MIN, NaiveDate::MIN);
        }
        (
            first.pred_opt().unwrap_or(first),
            last.succ_opt().unwrap_or(last),
        )
    }

    fn svg(&self) -> String {
        let (first, last) = self.days();
        let days = (last - first).num_days().max(1) + 1;
        let area = WIDTH - LABEL - 20.0;
        let day_w = area / days as f64;
        let x = |d: NaiveDate| LABEL + (d - first).num_days() as f64 * day_w;
        let top = 110.0;
        let bottom = top + self.rows.len() as f64 * ROW;
        let height = bottom + 110.0;
        let mut out = String::with_capacity(8192);
        let _ = write!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="{WIDTH}" height="{height:.0}" role="img" aria-labelledby="picture-title picture-desc" font-family="{FONT}" font-size="13" fill="#0b0c0c"><title id="picture-title">{}</title><desc id="picture-desc">{}</desc>"##,
            esc(&self.title),
            esc(&self.desc)
        );
        let _ = write!(
            out,
            r##"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2.5"/></pattern><pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{}"/><circle cx="3" cy="3" r="1.3" fill="#ffffff"/></pattern></defs><rect width="100%" height="100%" fill="#ffffff"/>"##,
            PALETTE[1], PALETTE[2]
        );
        text_lines(
            &mut out,
            16.0,
            28.0,
            20.0,
            r#"font-size="18" font-weight="bold""#,
            &wrap(&self.title, 78, 2),
        );
        // Days that are not working days, shaded; weeks marked on Mondays.
        let mut d = first;
        while d <= last {
            let working = self.calendar.is_working_day(d).unwrap_or(true);
            if !working {
                let _ = write!(
                    out,
                    r##"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="#e6e6e6"/>"##,
                    x(d),
                    day_w,
                    bottom - top
                );
            }
            let monday = d.weekday() == chrono::Weekday::Mon;
            let first_label = d == first && d.weekday().num_days_from_monday() <= 3;
            if monday || first_label {
                let _ = write!(
                    out,
                    r##"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{bottom:.1}" stroke="#b1b4b6" stroke-width="0.6"/><text x="{0:.1}" y="{2:.1}" font-size="11" fill="#505a5f">{3}</text>"##,
                    x(d),
                    top - 4.0,
                    top - 8.0,
                    esc(&short(d))
                );
            }
            d = match d.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
        for (i, row) in self.rows.iter().enumerate() {
            self.row(&mut out, i, row, top, day_w, &x);
        }
        for (k, rule) in self.rules.iter().enumerate() {
            let rx = x(rule.on) + if rule.at_start { 0.0 } else { day_w };
            let anchor = if rx > WIDTH - 90.0 {
                "end"
            } else if rx < LABEL + 60.0 {
                "start"
            } else {
                "middle"
            };
            let dash = if rule.dashed {
                r#" stroke-dasharray="6 4""#
            } else {
                ""
            };
            let data = rule
                .path
                .as_ref()
                .map(|p| format!(r#" data-json="{}" data-date="{}""#, esc(p), rule.on))
                .unwrap_or_default();
            let ly = top - 26.0 - (k % 2) as f64 * 16.0;
            let _ = write!(
                out,
                r##"<line x1="{rx:.1}" y1="{:.1}" x2="{rx:.1}" y2="{bottom:.1}" stroke="{}" stroke-width="2.5"{dash}/><text x="{rx:.1}" y="{ly:.1}" font-weight="bold" fill="{}" text-anchor="{anchor}"{data}>{}</text>"##,
                ly + 4.0,
                rule.colour,
                rule.colour,
                esc(&rule.label)
            );
        }
        self.legend(&mut out, bottom + 30.0);
        out.push_str("</svg>\n");
        out
    }

    fn row(
        &self,
        out: &mut String,
        i: usize,
        row: &Row,
        top: f64,
        day_w: f64,
        x: &impl Fn(NaiveDate) -> f64,
    ) {
        let y = top + i as f64 * ROW;
        if i % 2 == 1 {
            let _ = write!(
                out,
                r##"<rect x="0" y="{y:.1}" width="{LABEL}" height="{ROW}" fill="#f3f2f1"/>"##
            );
        }
        text_lines(
            out,
            LABEL - 10.0,
            y + 17.0,
            14.0,
            r#"text-anchor="end""#,
            &wrap(&row.label, 32, 2),
        );
        for span in &row.spans {
            let fill = match span.kind {
                SpanKind::Window => PALETTE[0].to_string(),
                SpanKind::Extension => "url(#hatch)".to_string(),
                SpanKind::Overdue => "url(#dots)".to_string(),
                SpanKind::Duty => PALETTE[5].to_string(),
            };
            // A day's bar covers the whole day: from its start to the end of `to`.
            let w = (x(span.to) - x(span.from) + day_w).max(3.0);
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="16" fill="{fill}" stroke="#ffffff" stroke-width="0.5" data-from="{}" data-to="{}"/>"##,
                x(span.from),
                y + 12.0,
                span.from,
                span.to
            );
        }
        let mut used: Vec<f64> = Vec::new();
        for mark in &row.marks {
            let cx = x(mark.on) + day_w / 2.0;
            let cy = y + 20.0;
            let colour = "#0b0c0c";
            let _ = match mark.shape {
                Shape::Responded => write!(
                    out,
                    r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="6" fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>"##
                ),
                Shape::Left => write!(
                    out,
                    r##"<path d="M{:.1},{:.1} l12,8 l-12,8 z" fill="{colour}"/>"##,
                    cx - 4.0,
                    cy - 8.0
                ),
                Shape::Time => write!(
                    out,
                    r##"<path d="M{cx:.1},{:.1} l8,8 l-8,8 l-8,-8 z" fill="{}" stroke="#ffffff"/>"##,
                    cy - 8.0,
                    PALETTE[3]
                ),
            };
            // The label beside the mark, below the bar when another label
            // is near.
            let mut ly = y + 37.0;
            if used.iter().any(|u| (u - cx).abs() < 90.0) {
                ly = y + 7.0;
            }
            used.push(cx);
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{ly:.1}" font-size="11" data-date="{}">{}</text>"#,
                cx + 9.0,
                mark.on,
                esc(&mark.label)
            );
        }
        for (date, path) in &row.dates {
            let _ = write!(
                out,
                r#"<desc data-json="{}" data-date="{date}">{date}</desc>"#,
                esc(path)
            );
        }
    }

    fn legend(&self, out: &mut String, y: f64) {
        let items: [(&str, String); 6] = [
            (
                "Window to the response date",
                format!(r#"<rect width="24" height="12" fill="{}"/>"#, PALETTE[0]),
            ),
            (
                "Extra time agreed",
                r#"<rect width="24" height="12" fill="url(#hatch)"/>"#.to_string(),
            ),
            (
                "Past the date, no response",
                r#"<rect width="24" height="12" fill="url(#dots)"/>"#.to_string(),
            ),
            (
                "Responded",
                r##"<circle cx="12" cy="6" r="5" fill="#ffffff" stroke="#0b0c0c" stroke-width="2"/>"##
                    .to_string(),
            ),
            (
                "Moved or closed",
                r##"<path d="M6,0 l12,6 l-12,6 z" fill="#0b0c0c"/>"##.to_string(),
            ),
            (
                "Time acted by itself",
                format!(r#"<path d="M12,0 l6,6 l-6,6 l-6,-6 z" fill="{}"/>"#, PALETTE[3]),
            ),
        ];
        let mut x = 16.0;
        let mut yy = y;
        for (label, swatch) in items {
            let w = 34.0 + 6.6 * label.chars().count() as f64 + 20.0;
            if x + w > WIDTH {
                x = 16.0;
                yy += 22.0;
            }
            let _ = write!(
                out,
                r#"<g transform="translate({x:.1} {:.1})">{swatch}</g><text x="{:.1}" y="{yy:.1}" font-size="12">{}</text>"#,
                yy - 10.0,
                x + 30.0,
                esc(label)
            );
            x += w;
        }
        let _ = write!(
            out,
            r##"<rect x="16" y="{:.1}" width="24" height="12" fill="#e6e6e6"/><text x="46" y="{:.1}" font-size="12">Not a working day (weekend, bank holiday or closure)</text>"##,
            yy + 12.0,
            yy + 22.0
        );
    }
}

/// A ladder's worst case ([`worst_case_timeline`](crate::engine::worst_case_timeline)) as SVG: each
/// stage on the default path from the day it is entered to its response
/// date, then the ceiling.
///
/// # Example
///
/// The IRO ladder raised on Monday 21 December 2026: Christmas Day, the
/// Boxing Day substitute and New Year's Day are shaded.
///
/// ```
/// use escalation_ladder::ops::{self, Registry, Timeline, TimelineRequest};
/// use escalation_ladder::picture::timeline_svg;
///
/// let registry = Registry::builtin()?;
/// let request = TimelineRequest { procedure: "iro-dispute-resolution".into(), raised: "2026-12-21".parse()?, format: None };
/// let Timeline::Ladder(timeline) = ops::timeline(&registry, &request)? else { unreachable!() };
/// let (ladder, calendar) = registry.ladder("iro-dispute-resolution")?;
/// let svg = timeline_svg(ladder, calendar, &timeline);
/// assert!(svg.contains(r#"data-json="/ceiling" data-date="2027-01-21""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn timeline_svg(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    timeline: &LadderTimeline,
) -> String {
    let name = |id: &str| ladder.stage(id).map_or(id.to_string(), |s| s.name.clone());
    let rows = timeline
        .stages
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = Row {
                label: name(&row.stage),
                ..Row::default()
            };
            r.dates.push((row.entered, format!("/stages/{i}/entered")));
            match row.respond_by {
                Some(due) => {
                    r.spans.push(Span {
                        from: row.entered,
                        to: due,
                        kind: SpanKind::Window,
                    });
                    r.dates.push((due, format!("/stages/{i}/respond_by")));
                    if i + 1 < timeline.stages.len() {
                        r.marks.push(Mark {
                            on: due,
                            label: format!("escalated {}", short(due)),
                            shape: Shape::Left,
                        });
                    }
                }
                None if i + 1 < timeline.stages.len() => r.marks.push(Mark {
                    on: row.entered,
                    label: format!("no window: escalated {}", short(row.entered)),
                    shape: Shape::Left,
                }),
                // The top of the ladder with no window: nothing falls due.
                None => {}
            }
            r
        })
        .collect();
    let mut rules = vec![Rule {
        on: timeline.raised,
        label: format!("Raised {}", short(timeline.raised)),
        colour: "#505a5f",
        dashed: false,
        at_start: true,
        path: Some("/raised".into()),
    }];
    if let Some(ceiling) = timeline.ceiling {
        rules.push(Rule::ceiling(ceiling, "/ceiling"));
    }
    let title = format!(
        "{}: the worst case for an alert raised on {}{}",
        ladder.title,
        timeline.raised.format("%-d %B %Y"),
        timeline
            .ceiling
            .map(|c| format!(", ceiling {}", c.format("%-d %B %Y")))
            .unwrap_or_default()
    );
    let desc = format!(
        "Each stage on the default path, escalated the day its response is due with nobody responding: {}.",
        timeline
            .stages
            .iter()
            .map(|s| format!(
                "{} from {}{}",
                name(&s.stage),
                s.entered,
                s.respond_by.map(|d| format!(" to {d}")).unwrap_or_default()
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    Gantt {
        title,
        desc,
        rows,
        rules,
        calendar,
    }
    .svg()
}

/// What an alert's picture is drawn from: the alert replayed (its stage
/// visits: [`Case`]), its audit trail (for what time did by itself), its
/// status as at the date (the ceiling, "today", the duties).
pub struct AlertPicture<'a> {
    /// The ladder.
    pub ladder: &'a Ladder,
    /// Its calendar.
    pub calendar: &'a WorkingCalendar,
    /// The alert, replayed up to the status's date.
    pub case: &'a Case,
    /// Its audit trail, time's transitions included.
    pub trail: &'a [AuditEntry<'a>],
    /// Its status as at the date.
    pub status: &'a Status<'a>,
}

/// The rows of the duties beside the ladder: each from the day it started to
/// its due date, time past that date dotted.
fn duty_rows(ladder: &Ladder, status: &Status<'_>) -> Vec<Row> {
    let as_of = status.as_of;
    let mut rows = Vec::new();
    for (i, duty) in status.duties.iter().enumerate() {
        let duty_name = ladder
            .duties
            .iter()
            .find(|d| *d.id == *duty.duty)
            .map_or(duty.duty.to_string(), |d| d.name.clone());
        let mut row = Row {
            label: format!("Duty: {duty_name}"),
            ..Row::default()
        };
        let due = duty.due.unwrap_or(duty.started_on);
        row.spans.push(Span {
            from: duty.started_on,
            to: due,
            kind: SpanKind::Duty,
        });
        if duty.overdue {
            row.spans.push(Span {
                from: due.succ_opt().unwrap_or(due),
                to: as_of,
                kind: SpanKind::Overdue,
            });
        }
        if let Some(d) = duty.due {
            row.dates.push((d, format!("/status/duties/{i}/due")));
        }
        rows.push(row);
    }
    rows
}

/// An alert's own picture as SVG: each stage it visited from the day it
/// entered to the response date as set, extra time hatched after it, days
/// past the date in force without a response dotted; its responses, moves,
/// closure and time's actions marked; its duties as rows; the ceiling and
/// the as-of date as lines.
///
/// # Example
///
/// ```
/// use escalation_ladder::ops::{self, Registry, ReplayRequest};
///
/// let registry = Registry::builtin()?;
/// let request: ReplayRequest = serde_json::from_str(r#"{"ladder": "iro-dispute-resolution", "as_of": "2027-01-11", "format": "svg",
///   "events": [{"on": "2026-12-18", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"},
///              {"on": "2026-12-30", "actor": "iro", "type": "escalate", "reason": "no response"}]}"#)?;
/// let answer = ops::replay_as(&registry, &request)?;
/// let svg = String::from_utf8(answer.body)?;
/// // The team manager's 5 working days end on 29 December (Christmas skipped).
/// assert!(svg.contains(r#"data-from="2026-12-18" data-to="2026-12-29""#));
/// assert!(svg.contains(r#"data-json="/status/as_of" data-date="2027-01-11""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn alert_svg(picture: &AlertPicture<'_>) -> String {
    let AlertPicture {
        ladder,
        calendar,
        case,
        trail,
        status,
    } = picture;
    let as_of = status.as_of;
    let name = |id: &str| ladder.stage(id).map_or(id.to_string(), |s| s.name.clone());
    let mut rows: Vec<Row> = Vec::new();
    for visit in case.visits.iter() {
        let mut row = Row {
            label: name(&visit.stage),
            ..Row::default()
        };
        let end = visit.left_on.unwrap_or(as_of);
        if let Some(set) = visit.due_as_set {
            row.spans.push(Span {
                from: visit.entered_on,
                to: set,
                kind: SpanKind::Window,
            });
            if let Some(agreed) = visit.due_in_force.filter(|d| *d > set) {
                row.spans.push(Span {
                    from: set.succ_opt().unwrap_or(set),
                    to: agreed,
                    kind: SpanKind::Extension,
                });
            }
        }
        if let Some(due) = visit.due_in_force {
            let answered = visit.responded_on.unwrap_or(end);
            if answered > due {
                row.spans.push(Span {
                    from: due.succ_opt().unwrap_or(due),
                    to: answered,
                    kind: SpanKind::Overdue,
                });
            }
        }
        if let Some(on) = visit.responded_on {
            row.marks.push(Mark {
                on,
                label: format!("responded {}", short(on)),
                shape: Shape::Responded,
            });
        }
        if let Some(on) = visit.left_on {
            let how = match visit.departure {
                Departure::Moved(kind) => kind.name().to_string(),
                Departure::Closed(closure) => closure.name().replace('-', " "),
                Departure::StillThere => String::new(),
            };
            let by_time = trail
                .iter()
                .any(|t| t.event.actor == TIME_ACTOR && t.event.on == on);
            row.marks.push(Mark {
                on,
                label: format!(
                    "{how} {}{}",
                    short(on),
                    if by_time { " by time" } else { "" }
                ),
                shape: if by_time { Shape::Time } else { Shape::Left },
            });
        }
        rows.push(row);
    }
    rows.extend(duty_rows(ladder, status));
    let mut rules = Vec::new();
    if let Some(ceiling) = status.ceiling {
        rules.push(Rule::ceiling(ceiling, "/status/ceiling"));
    }
    rules.push(Rule {
        on: as_of,
        label: format!("As at {}", short(as_of)),
        colour: "#0b0c0c",
        dashed: false,
        at_start: false,
        path: Some("/status/as_of".into()),
    });
    if let (Some(row), Some(due)) = (rows.first_mut(), status.next_deadline) {
        // The date the status names, for the check against the JSON.
        row.dates.push((due, "/status/next_deadline".into()));
    }
    let stage = status
        .stage
        .as_deref()
        .map(name)
        .unwrap_or_else(|| "no stage".to_string());
    let title = format!(
        "{} on {}: {}, {}",
        ladder.title,
        as_of.format("%-d %B %Y"),
        stage,
        status.phase.name().replace('-', " "),
    );
    let mut desc = format!(
        "Raised on {}; {} stages visited.",
        case.state
            .raised_on
            .map_or("—".to_string(), |d| d.to_string()),
        case.visits.len()
    );
    if let Some(due) = status.next_deadline {
        let _ = write!(
            desc,
            " Response due {due}{}.",
            if status.overdue { ", overdue" } else { "" }
        );
    }
    if let Some(c) = status.ceiling {
        let _ = write!(desc, " Ceiling {c}.");
    }
    Gantt {
        title,
        desc,
        rows,
        rules,
        calendar,
    }
    .svg()
}

/// A self-contained HTML page holding `svg` (a picture of this module) with
/// `title` as its heading and a table of `rows` (its dates for a screen
/// reader, and for print).
///
/// # Example
///
/// The IRO ladder's worst case from Monday 21 December 2026 on a page, with
/// the team manager's response date (Christmas Day and the Boxing Day
/// substitute skipped) in its table.
///
/// ```
/// use escalation_ladder::ops::{self, Registry, Timeline, TimelineRequest};
/// use escalation_ladder::picture::{page, timeline_svg};
///
/// let registry = Registry::builtin()?;
/// let request = TimelineRequest { procedure: "iro-dispute-resolution".into(), raised: "2026-12-21".parse()?, format: None };
/// let Timeline::Ladder(timeline) = ops::timeline(&registry, &request)? else { unreachable!() };
/// let (ladder, calendar) = registry.ladder("iro-dispute-resolution")?;
/// let svg = timeline_svg(ladder, calendar, &timeline);
/// let rows = vec![vec!["Second stage: alert to the team manager".to_string(), "2026-12-30".to_string()]];
/// let html = page("IRO Dispute Resolution from 21 December 2026", &svg, &["Stage", "Response due"], &rows);
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("2026-12-30") && !html.contains("<script"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn page(title: &str, svg: &str, columns: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::with_capacity(svg.len() + 4096);
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="escalation-ladder {}">
<title>{}</title>
<style>
html {{ font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; }}
body {{ margin: 0 auto; max-width: 960px; padding: 20px 15px 40px; font-size: 19px; line-height: 1.32; }}
h1 {{ font-size: 32px; margin: 0 0 20px; }}
svg {{ width: 100%; height: auto; display: block; margin: 0 0 20px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 16px; }}
caption {{ text-align: left; font-weight: bold; margin-bottom: 10px; }}
th, td {{ text-align: left; padding: 8px 15px 8px 0; border-bottom: 1px solid #b1b4b6; vertical-align: top; }}
@page {{ size: A4 landscape; margin: 12mm; }}
@media print {{ body {{ font-size: 11pt; }} h1 {{ font-size: 18pt; }} }}
</style>
</head>
<body>
<main>
<h1>{}</h1>
<figure style="margin:0">
{}
</figure>
<table>
<caption>The dates in this picture</caption>
<thead><tr>"#,
        env!("CARGO_PKG_VERSION"),
        esc(title),
        esc(title),
        svg
    );
    for c in columns {
        let _ = write!(out, r#"<th scope="col">{}</th>"#, esc(c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, r#"<th scope="row">{}</th>"#, esc(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    out
}

/// The timeline's rows for [`page`]: stage, entered, response due.
pub(crate) fn timeline_rows(ladder: &Ladder, timeline: &LadderTimeline) -> Vec<Vec<String>> {
    timeline
        .stages
        .iter()
        .map(|s| {
            vec![
                ladder
                    .stage(&s.stage)
                    .map_or(s.stage.clone(), |st| st.name.clone()),
                s.entered.to_string(),
                s.respond_by.map_or("—".into(), |d| d.to_string()),
            ]
        })
        .chain(
            timeline
                .ceiling
                .map(|c| vec!["Ceiling".into(), String::new(), c.to_string()]),
        )
        .collect()
}

/// An alert's rows for [`page`]: stage, entered, due, responded, left and how.
pub(crate) fn alert_rows(ladder: &Ladder, case: &Case) -> Vec<Vec<String>> {
    let date = |d: Option<NaiveDate>| d.map_or("—".to_string(), |d| d.to_string());
    case.visits
        .iter()
        .map(|v| {
            let how = match v.departure {
                Departure::Moved(kind) => kind.name(),
                Departure::Closed(closure) => closure.name(),
                Departure::StillThere => "still there",
            };
            vec![
                ladder
                    .stage(&v.stage)
                    .map_or(v.stage.to_string(), |s| s.name.clone()),
                v.entered_on.to_string(),
                date(v.due_in_force),
                date(v.responded_on),
                date(v.left_on),
                how.to_string(),
            ]
        })
        .collect()
}
