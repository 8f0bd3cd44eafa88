//! The report's charts as inline SVG: horizontal bars (open alerts by stage,
//! timeliness by stage, themes), stacked columns with the ceiling marked
//! (ageing), and lines (raised and closed month by month). See
//! [`crate::svg`] for why they are written by hand.
//!
//! Each chart is an `<svg role="img">` named by its `<title>` and described
//! by its `<desc>`; every number it shows carries the JSON figure it is
//! (`data-json`, a JSON pointer into the report's JSON, or `data-sum` for a
//! sum of several), as the page's tables do.

use std::fmt::Write as _;

use crate::svg::{esc, text_lines, thousands, wrap, FONT};

/// One series of a chart: its name (the legend's), colour, and fill pattern
/// (none: solid).
#[derive(Debug, Clone, Copy)]
pub(super) struct Series {
    pub(super) name: &'static str,
    pub(super) colour: &'static str,
    pub(super) pattern: Pattern,
}

/// How a series' bars are filled, so that colour is not the only difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pattern {
    Solid,
    Hatched,
    Dotted,
}

/// One value of a bar: the count and its JSON pointer.
#[derive(Debug, Clone)]
pub(super) struct Value {
    pub(super) count: u64,
    pub(super) path: String,
}

/// One bar (a row of a horizontal chart, a column of a vertical one).
#[derive(Debug, Clone)]
pub(super) struct Bar {
    /// Its label, in lines.
    pub(super) label: Vec<String>,
    /// A heading shown before it (the ladder its stages belong to).
    pub(super) group: Option<String>,
    /// One value per series.
    pub(super) values: Vec<Value>,
    /// A note after the bar (a percentage), with its JSON pointer.
    pub(super) note: Option<(String, String)>,
}

/// What every chart has: an id (for its title and description), the title,
/// which states the finding, and the description, which says what is shown.
pub(super) struct Frame<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) desc: &'a str,
}

const WIDTH: f64 = 760.0;
const LABEL: f64 = 290.0;
const NOTE: f64 = 110.0;
const LINE: f64 = 15.0;

/// The opening of a chart's SVG: its size, name, description and the
/// patterns its series use.
fn open(out: &mut String, frame: &Frame<'_>, height: f64, series: &[Series]) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height:.0}" width="{WIDTH}" height="{height:.0}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}" font-size="14"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        id = frame.id,
        title = esc(frame.title),
        desc = esc(frame.desc),
    );
    out.push_str("<defs>");
    for (i, s) in series.iter().enumerate() {
        match s.pattern {
            Pattern::Solid => {}
            Pattern::Hatched => {
                let _ = write!(
                    out,
                    r##"<pattern id="{id}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="{c}"/><line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern>"##,
                    id = frame.id,
                    c = s.colour
                );
            }
            Pattern::Dotted => {
                let _ = write!(
                    out,
                    r##"<pattern id="{id}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{c}"/><circle cx="3" cy="3" r="1.4" fill="#ffffff"/></pattern>"##,
                    id = frame.id,
                    c = s.colour
                );
            }
        }
    }
    out.push_str("</defs>");
}

/// The fill of series `i`.
fn fill(frame: &Frame<'_>, series: &Series, i: usize) -> String {
    match series.pattern {
        Pattern::Solid => series.colour.to_string(),
        _ => format!("url(#{}-p{i})", frame.id),
    }
}

/// A legend across the chart at `y`, when there is more than one series.
fn legend(out: &mut String, frame: &Frame<'_>, series: &[Series], x: f64, y: f64) {
    if series.len() < 2 {
        return;
    }
    let mut at = x;
    for (i, s) in series.iter().enumerate() {
        let _ = write!(
            out,
            r##"<rect x="{at:.1}" y="{:.1}" width="16" height="16" fill="{}" stroke="#0b0c0c" stroke-width="0.5"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            y - 12.0,
            fill(frame, s, i),
            at + 22.0,
            y,
            esc(s.name)
        );
        at += 22.0 + 8.0 * s.name.chars().count() as f64 + 24.0;
    }
}

/// A round step for an axis up to `max`, about five ticks.
fn step(max: u64) -> u64 {
    let rough = (max.max(1) as f64 / 5.0).max(1.0);
    let magnitude = 10f64.powi(rough.log10().floor() as i32);
    let nice = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude);
    nice.max(1.0) as u64
}

/// The axis' top: a multiple of its step at or above `max`.
fn axis_max(max: u64) -> (u64, u64) {
    let step = step(max);
    let top = max.max(1).div_ceil(step) * step;
    (top, step)
}

/// Horizontal bars, stacked when there are several series, with the counts
/// written on them and a total (or the note) after each bar.
pub(super) fn bars(frame: &Frame<'_>, series: &[Series], bars: &[Bar], axis: &str) -> String {
    let legend_h = if series.len() > 1 { 30.0 } else { 0.0 };
    let mut rows_h = 0.0;
    for bar in bars {
        rows_h += row_height(bar) + if bar.group.is_some() { 26.0 } else { 0.0 };
    }
    let top = 10.0 + legend_h;
    let height = top + rows_h + 50.0;
    let mut out = String::with_capacity(4096);
    open(&mut out, frame, height, series);
    legend(&mut out, frame, series, LABEL, 22.0);
    let max = bars
        .iter()
        .map(|b| b.values.iter().map(|v| v.count).sum::<u64>())
        .max()
        .unwrap_or(0);
    let (axis_top, tick) = axis_max(max);
    let area = WIDTH - LABEL - NOTE;
    let scale = area / axis_top as f64;
    let bottom = top + rows_h;
    // Gridlines and ticks.
    let mut t = 0;
    while t <= axis_top {
        let x = LABEL + t as f64 * scale;
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#d9d9d9"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#505a5f">{}</text>"##,
            bottom + 16.0,
            thousands(t)
        );
        t += tick;
    }
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
        LABEL + area / 2.0,
        bottom + 38.0,
        esc(axis)
    );
    let mut y = top;
    for bar in bars {
        if let Some(group) = &bar.group {
            text_lines(
                &mut out,
                4.0,
                y + 18.0,
                LINE,
                r#"font-weight="bold""#,
                &wrap(group, 84, 1),
            );
            y += 26.0;
        }
        let h = row_height(bar);
        text_lines(
            &mut out,
            LABEL - 8.0,
            y + 15.0,
            LINE,
            r#"text-anchor="end""#,
            &bar.label,
        );
        let bar_h = 18.0;
        let bar_y = y + 3.0;
        let mut x = LABEL;
        for (i, (value, s)) in bar.values.iter().zip(series).enumerate() {
            let w = value.count as f64 * scale;
            if w > 0.0 {
                let _ = write!(
                    out,
                    r##"<rect x="{x:.1}" y="{bar_y:.1}" width="{w:.1}" height="{bar_h}" fill="{}" stroke="#ffffff" stroke-width="0.5"/>"##,
                    fill(frame, s, i)
                );
                if series.len() > 1 && w >= 28.0 {
                    let _ = write!(
                        out,
                        r##"<text class="value" x="{:.1}" y="{:.1}" text-anchor="middle" fill="#ffffff" stroke="{}" stroke-width="3" paint-order="stroke" data-json="{}">{}</text>"##,
                        x + w / 2.0,
                        bar_y + 14.0,
                        s.colour,
                        esc(&value.path),
                        thousands(value.count)
                    );
                }
            }
            x += w;
        }
        let after = x + 6.0;
        match (&bar.note, series.len()) {
            (Some((note, path)), _) => {
                let _ = write!(
                    out,
                    r#"<text class="value" x="{after:.1}" y="{:.1}" data-json="{}">{}</text>"#,
                    bar_y + 14.0,
                    esc(path),
                    esc(note)
                );
            }
            (None, 1) => {
                let _ = write!(
                    out,
                    r#"<text class="value" x="{after:.1}" y="{:.1}" data-json="{}">{}</text>"#,
                    bar_y + 14.0,
                    esc(&bar.values[0].path),
                    thousands(bar.values[0].count)
                );
            }
            (None, _) => {
                let paths: Vec<&str> = bar.values.iter().map(|v| v.path.as_str()).collect();
                let total: u64 = bar.values.iter().map(|v| v.count).sum();
                let _ = write!(
                    out,
                    r#"<text class="value" x="{after:.1}" y="{:.1}" data-sum="{}">{}</text>"#,
                    bar_y + 14.0,
                    esc(&paths.join(" ")),
                    thousands(total)
                );
            }
        }
        y += h;
    }
    out.push_str("</svg>");
    out
}

fn row_height(bar: &Bar) -> f64 {
    (bar.label.len().max(1) as f64 * LINE + 10.0).max(26.0)
}

/// A marker across a column chart: a line at `position` columns from the
/// left (fractions allowed) with its label.
pub(super) struct Marker {
    pub(super) position: f64,
    pub(super) label: String,
}

/// The vertical axis of a chart whose plot is `(left, right, top, bottom)`:
/// a gridline and its figure at each tick from 0 to `max` rounded up
/// ([`axis_max`]), and the axis's name turned on its side. Answers the
/// scale, in pixels a unit.
fn vertical_axis(
    out: &mut String,
    max: u64,
    (left, right, top, bottom): (f64, f64, f64, f64),
    y_axis: &str,
) -> f64 {
    let (axis_top, tick) = axis_max(max);
    let scale = (bottom - top) / axis_top as f64;
    let mut t = 0;
    while t <= axis_top {
        let y = bottom - t as f64 * scale;
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#d9d9d9"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#505a5f">{}</text>"##,
            WIDTH - right,
            left - 6.0,
            y + 5.0,
            thousands(t)
        );
        t += tick;
    }
    let _ = write!(
        out,
        r#"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        (top + bottom) / 2.0,
        esc(y_axis)
    );
    scale
}

/// Vertical stacked columns, a total over each, with markers (the ceiling).
pub(super) fn columns(
    frame: &Frame<'_>,
    series: &[Series],
    columns: &[Bar],
    markers: &[Marker],
    x_axis: &str,
    y_axis: &str,
) -> String {
    let height = 360.0;
    let (left, right, top, bottom) = (70.0, 20.0, 60.0, height - 70.0);
    let mut out = String::with_capacity(4096);
    open(&mut out, frame, height, series);
    legend(&mut out, frame, series, left, 22.0);
    let max = columns
        .iter()
        .map(|b| b.values.iter().map(|v| v.count).sum::<u64>())
        .max()
        .unwrap_or(0);
    let scale = vertical_axis(&mut out, max, (left, right, top, bottom), y_axis);
    let slot = (WIDTH - left - right) / columns.len().max(1) as f64;
    for (c, column) in columns.iter().enumerate() {
        let x = left + c as f64 * slot + slot * 0.15;
        let w = slot * 0.7;
        let mut y = bottom;
        for (i, (value, s)) in column.values.iter().zip(series).enumerate() {
            let h = value.count as f64 * scale;
            if h > 0.0 {
                y -= h;
                let _ = write!(
                    out,
                    r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{}" stroke="#ffffff" stroke-width="0.5"/>"##,
                    fill(frame, s, i)
                );
            }
        }
        let paths: Vec<&str> = column.values.iter().map(|v| v.path.as_str()).collect();
        let total: u64 = column.values.iter().map(|v| v.count).sum();
        let _ = write!(
            out,
            r#"<text class="value" x="{:.1}" y="{:.1}" text-anchor="middle" data-sum="{}">{}</text>"#,
            x + w / 2.0,
            y - 5.0,
            esc(&paths.join(" ")),
            thousands(total)
        );
        text_lines(
            &mut out,
            x + w / 2.0,
            bottom + 18.0,
            LINE,
            r#"text-anchor="middle""#,
            &column.label,
        );
    }
    for marker in markers {
        let x = left + marker.position * slot;
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#d4351c" stroke-width="2.5" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}" fill="#0b0c0c" font-weight="bold">{}</text>"##,
            top - 16.0,
            x + 6.0,
            top - 4.0,
            esc(&marker.label)
        );
    }
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        (left + WIDTH - right) / 2.0,
        height - 12.0,
        esc(x_axis)
    );
    out.push_str("</svg>");
    out
}

/// One line of a line chart: its series (colour, and dashed when hatched)
/// and a value for each point.
pub(super) struct Line {
    pub(super) series: Series,
    pub(super) marker: MarkerShape,
    pub(super) values: Vec<Value>,
}

/// The shape of a line's points, so that lines differ without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MarkerShape {
    Circle,
    Square,
}

/// Lines over labelled points (the months), each labelled at its end.
pub(super) fn lines(
    frame: &Frame<'_>,
    points: &[Vec<String>],
    lines: &[Line],
    x_axis: &str,
    y_axis: &str,
) -> String {
    let height = 340.0;
    let (left, right, top, bottom) = (70.0, 130.0, 50.0, height - 70.0);
    let series: Vec<Series> = lines.iter().map(|l| l.series).collect();
    let mut out = String::with_capacity(4096);
    open(&mut out, frame, height, &[]);
    let max = lines
        .iter()
        .flat_map(|l| l.values.iter().map(|v| v.count))
        .max()
        .unwrap_or(0);
    let scale = vertical_axis(&mut out, max, (left, right, top, bottom), y_axis);
    let n = points.len().max(2);
    let dx = (WIDTH - left - right) / (n - 1) as f64;
    for (i, label) in points.iter().enumerate() {
        text_lines(
            &mut out,
            left + i as f64 * dx,
            bottom + 18.0,
            LINE,
            r#"text-anchor="middle""#,
            label,
        );
    }
    // Legend at the top, with each line's own style.
    let mut at = left;
    for line in lines {
        let s = line.series;
        let dash = if s.pattern == Pattern::Solid {
            ""
        } else {
            r#" stroke-dasharray="7 4""#
        };
        let _ = write!(
            out,
            r#"<line x1="{at:.1}" y1="18" x2="{:.1}" y2="18" stroke="{}" stroke-width="3"{dash}/>"#,
            at + 28.0,
            s.colour
        );
        point(&mut out, line.marker, at + 14.0, 18.0, s.colour);
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="23">{}</text>"#,
            at + 36.0,
            esc(s.name)
        );
        at += 36.0 + 8.0 * s.name.chars().count() as f64 + 30.0;
    }
    let mut ends: Vec<f64> = Vec::new();
    for line in lines {
        let s = line.series;
        let dash = if s.pattern == Pattern::Solid {
            ""
        } else {
            r#" stroke-dasharray="7 4""#
        };
        let coords: Vec<(f64, f64)> = line
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (left + i as f64 * dx, bottom - v.count as f64 * scale))
            .collect();
        let path: Vec<String> = coords
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="3"{dash}/>"#,
            path.join(" "),
            s.colour
        );
        for (x, y) in &coords {
            point(&mut out, line.marker, *x, *y, s.colour);
        }
        if let (Some((x, y)), Some(last)) = (coords.last(), line.values.last()) {
            // Direct labels at the end, moved apart when they would overlap.
            let mut ly = *y + 5.0;
            for other in &ends {
                if (ly - other).abs() < 16.0 {
                    ly = other + 16.0;
                }
            }
            ends.push(ly);
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{ly:.1}" fill="{}" font-weight="bold">{} <tspan class="value" data-json="{}">{}</tspan></text>"#,
                x + 10.0,
                s.colour,
                esc(s.name),
                esc(&last.path),
                thousands(last.count)
            );
        }
    }
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        (left + WIDTH - right) / 2.0,
        height - 12.0,
        esc(x_axis)
    );
    let _ = series;
    out.push_str("</svg>");
    out
}

fn point(out: &mut String, shape: MarkerShape, x: f64, y: f64, colour: &str) {
    match shape {
        MarkerShape::Circle => {
            let _ = write!(
                out,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{colour}" stroke="#ffffff" stroke-width="1"/>"##
            );
        }
        MarkerShape::Square => {
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="9" height="9" fill="{colour}" stroke="#ffffff" stroke-width="1"/>"##,
                x - 4.5,
                y - 4.5
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(axis_max(0), (1, 1));
        assert_eq!(axis_max(4), (4, 1));
        assert_eq!(axis_max(7), (8, 2));
        assert_eq!(axis_max(23), (25, 5));
        assert_eq!(axis_max(6712), (8000, 2000));
    }
}
