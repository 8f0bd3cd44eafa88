//! A ladder as a diagram: its stages in order, each with its name, who
//! responds, its window and what happens when the window runs out; the
//! escalation to the next stage, the bypasses and the routes a response's
//! outcome takes; where an alert may be raised; and the ceiling. As SVG
//! ([`Ladder::to_svg`], written by hand: see [`crate::svg`]) and as a Mermaid
//! flowchart ([`Ladder::to_mermaid`]), which Markdown viewers draw.

use std::fmt::Write as _;

use crate::svg::{esc, text_lines, wrap, FONT, PALETTE};

use super::{Ladder, OutcomeNext, Stage, WindowUnit};

/// The diagram's width.
const WIDTH: f64 = 860.0;
/// The stage boxes' left edge and width.
const BOX_X: f64 = 250.0;
const BOX_W: f64 = 360.0;
const LINE: f64 = 16.0;

/// A route between two stages, as the diagram draws it.
struct Edge {
    from: usize,
    to: usize,
    kind: EdgeKind,
    label: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EdgeKind {
    Next,
    Bypass,
    Outcome,
}

impl Ladder {
    /// The stage's responders by their role names.
    fn responder_names(&self, stage: &Stage) -> String {
        stage
            .responders
            .iter()
            .map(|r| {
                self.roles
                    .iter()
                    .find(|role| *role.id == **r)
                    .map_or(r.as_str(), |role| role.name.as_str())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The window and what happens when it runs out, in words.
    fn window_words(stage: &Stage) -> String {
        if stage.window.unit == WindowUnit::NoneStated {
            return "No window stated".to_string();
        }
        format!(
            "Window: {}; then {}",
            stage.window.describe(),
            stage.on_expiry.action.describe()
        )
    }

    /// Every route between stages: next, bypasses, outcomes that lead to a
    /// stage.
    fn edges(&self) -> Vec<Edge> {
        let index = |id: &str| self.stages.iter().position(|s| &*s.id == id);
        let mut edges = Vec::new();
        for (i, stage) in self.stages.iter().enumerate() {
            if let Some(to) = stage.next.as_ref().and_then(|n| index(&n.to)) {
                edges.push(Edge {
                    from: i,
                    to,
                    kind: EdgeKind::Next,
                    label: "escalate".to_string(),
                });
            }
            for to in stage.bypass.iter().flat_map(|b| b.to.iter()) {
                if let Some(to) = index(to) {
                    edges.push(Edge {
                        from: i,
                        to,
                        kind: EdgeKind::Bypass,
                        label: "bypass".to_string(),
                    });
                }
            }
            for outcome in &stage.outcomes {
                if let OutcomeNext::Stage(to) = &outcome.then {
                    if let Some(to) = index(to) {
                        edges.push(Edge {
                            from: i,
                            to,
                            kind: EdgeKind::Outcome,
                            label: outcome.name.clone(),
                        });
                    }
                }
            }
        }
        edges
    }

    /// The lines of a stage's box: its name (bold), responders, window,
    /// outcomes that close the alert.
    fn box_lines(&self, stage: &Stage) -> (Vec<String>, Vec<String>) {
        let name = wrap(&stage.name, 40, 3);
        let mut rest = wrap(&format!("Responds: {}", self.responder_names(stage)), 48, 2);
        rest.extend(wrap(&Ladder::window_words(stage), 48, 2));
        let resolving: Vec<&str> = stage
            .outcomes
            .iter()
            .filter(|o| matches!(o.then, OutcomeNext::Resolve))
            .map(|o| o.name.as_str())
            .collect();
        if !resolving.is_empty() {
            rest.extend(wrap(
                &format!("Resolved if: {}", resolving.join("; ")),
                48,
                2,
            ));
        }
        (name, rest)
    }

    /// The ladder as an SVG diagram: a box for each stage, top to bottom in
    /// the ladder's order; a solid arrow for the escalation to the next
    /// stage, dashed arrows on the right for bypasses, dotted arrows on the
    /// left for the stage a response's outcome leads to; "raise" arrows into
    /// the stages an alert may start at; and the ceiling, when the ladder
    /// has one. Names are the ladder's own (stage and role names, not ids).
    /// The SVG is self-contained (no font, script or link), titled and
    /// described for screen readers.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::builtin;
    ///
    /// let svg = builtin::ladder("iro-dispute-resolution")?.to_svg();
    /// assert!(svg.starts_with("<svg"));
    /// assert!(svg.contains("Second stage: alert to the team manager"));
    /// assert!(svg.contains("Ceiling: 20 working days"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_svg(&self) -> String {
        let top = 120.0;
        let gap = 46.0;
        let boxes: Vec<(Vec<String>, Vec<String>)> =
            self.stages.iter().map(|s| self.box_lines(s)).collect();
        let heights: Vec<f64> = boxes
            .iter()
            .map(|(name, rest)| (name.len() + rest.len()) as f64 * LINE + 20.0)
            .collect();
        let mut ys = Vec::with_capacity(heights.len());
        let mut y = top;
        for h in &heights {
            ys.push(y);
            y += h + gap;
        }
        let bottom = y - gap;
        let height = bottom + 90.0;
        let mut out = String::with_capacity(8192);
        let desc = self.diagram_description();
        let _ = write!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="{WIDTH}" height="{height:.0}" role="img" aria-labelledby="ladder-title ladder-desc" font-family="{FONT}" font-size="14" fill="#0b0c0c"><title id="ladder-title">{}</title><desc id="ladder-desc">{}</desc>"##,
            esc(&self.title),
            esc(&desc)
        );
        out.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#0b0c0c"/></marker></defs>"##);
        out.push_str(r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
        text_lines(
            &mut out,
            20.0,
            32.0,
            22.0,
            r#"font-size="20" font-weight="bold""#,
            &wrap(&self.title, 70, 2),
        );
        let mut subtitle = format!("{} · {} stages", self.authority, self.stages.len());
        if let Some(c) = &self.ceiling {
            let _ = write!(
                subtitle,
                " · Ceiling: {} working days from the day it is raised",
                c.working_days
            );
        }
        text_lines(
            &mut out,
            20.0,
            if self.title.chars().count() > 70 {
                80.0
            } else {
                58.0
            },
            LINE,
            r##"fill="#505a5f""##,
            &wrap(&subtitle, 100, 2),
        );
        if let Some(c) = &self.ceiling {
            // A bracket beside every stage: the ceiling caps them all.
            let x = 36.0;
            let _ = write!(
                out,
                r##"<path d="M{:.1},{top:.1} h-10 V{bottom:.1} h10" fill="none" stroke="{}" stroke-width="3"/><text transform="translate({:.1} {:.1}) rotate(-90)" text-anchor="middle" font-weight="bold" fill="{}">Ceiling: {} working days in total</text>"##,
                x + 10.0,
                PALETTE[2],
                x - 16.0,
                (top + bottom) / 2.0,
                PALETTE[2],
                c.working_days
            );
        }
        let entries: Vec<usize> = self
            .stages
            .iter()
            .enumerate()
            .filter(|(i, s)| *i == 0 || s.entry.is_some())
            .map(|(i, _)| i)
            .collect();
        for (i, ((name, rest), stage)) in boxes.iter().zip(&self.stages).enumerate() {
            let y = ys[i];
            let h = heights[i];
            let entry = entries.contains(&i);
            let _ = write!(
                out,
                r##"<g id="stage-{}"><rect x="{BOX_X}" y="{y:.1}" width="{BOX_W}" height="{h:.1}" rx="6" fill="#f3f2f1" stroke="{}" stroke-width="{}"/>"##,
                esc(&stage.id),
                PALETTE[0],
                if entry { 3.0 } else { 1.5 }
            );
            text_lines(
                &mut out,
                BOX_X + 12.0,
                y + 22.0,
                LINE,
                r#"font-weight="bold""#,
                name,
            );
            text_lines(
                &mut out,
                BOX_X + 12.0,
                y + 22.0 + name.len() as f64 * LINE,
                LINE,
                r#"font-size="13""#,
                rest,
            );
            out.push_str("</g>");
            if entry {
                let _ = write!(
                    out,
                    r##"<line x1="{:.1}" y1="{:.1}" x2="{BOX_X}" y2="{:.1}" stroke="#0b0c0c" stroke-width="2" marker-end="url(#arrow)"/><text x="{:.1}" y="{:.1}" font-size="13">raise</text>"##,
                    BOX_X - 58.0,
                    y + 18.0,
                    y + 18.0,
                    BOX_X - 58.0,
                    y + 12.0
                );
            }
        }
        self.draw_edges(&mut out, &ys, &heights);
        // Legend.
        let ly = bottom + 40.0;
        let legend = [
            ("Escalate to the next stage", ""),
            ("Bypass to a later stage", r#" stroke-dasharray="8 5""#),
            (
                "Where a response's outcome leads",
                r#" stroke-dasharray="2 4""#,
            ),
        ];
        let mut x = 20.0;
        for (label, dash) in legend {
            let _ = write!(
                out,
                r##"<line x1="{x:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="#0b0c0c" stroke-width="2"{dash} marker-end="url(#arrow)"/><text x="{:.1}" y="{:.1}" font-size="13">{}</text>"##,
                x + 40.0,
                x + 48.0,
                ly + 5.0,
                esc(label)
            );
            x += 60.0 + 7.0 * label.chars().count() as f64;
        }
        out.push_str("</svg>\n");
        out
    }

    /// Draws the routes: adjacent escalations straight down the middle,
    /// the others in lanes beside the boxes (bypasses on the right, the rest
    /// on the left), each lane its own.
    fn draw_edges(&self, out: &mut String, ys: &[f64], heights: &[f64]) {
        let edges = self.edges();
        let right: Vec<&Edge> = edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Bypass)
            .collect();
        let left: Vec<&Edge> = edges
            .iter()
            .filter(|e| {
                e.kind != EdgeKind::Bypass && !(e.kind == EdgeKind::Next && e.to == e.from + 1)
            })
            .collect();
        let mid = BOX_X + BOX_W / 2.0;
        for e in edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Next && e.to == e.from + 1)
        {
            let y1 = ys[e.from] + heights[e.from];
            let y2 = ys[e.to];
            let _ = write!(
                out,
                r##"<line x1="{mid:.1}" y1="{y1:.1}" x2="{mid:.1}" y2="{:.1}" stroke="#0b0c0c" stroke-width="2" marker-end="url(#arrow)"/><text x="{:.1}" y="{:.1}" font-size="13">escalate</text>"##,
                y2 - 1.0,
                mid + 8.0,
                (y1 + y2) / 2.0 + 4.0
            );
        }
        let spacing = |n: usize| (200.0 / n.max(1) as f64).min(16.0);
        let rs = spacing(right.len());
        // Each route leaves and enters a box at its own height.
        let mut out_of = vec![0usize; self.stages.len()];
        let mut into = vec![0usize; self.stages.len()];
        for (k, e) in right.iter().enumerate() {
            let x = BOX_X + BOX_W + 14.0 + k as f64 * rs;
            let step_out = (heights[e.from] - 16.0) / (right.len().max(1) as f64 + 1.0);
            let y1 = ys[e.from] + 8.0 + out_of[e.from] as f64 * step_out.clamp(3.0, 7.0);
            let y2 = ys[e.to] + heights[e.to] - 8.0 - into[e.to] as f64 * 7.0;
            out_of[e.from] += 1;
            into[e.to] += 1;
            let _ = write!(
                out,
                r##"<path d="M{:.1},{y1:.1} H{x:.1} V{y2:.1} H{:.1}" fill="none" stroke="{}" stroke-width="1.8" stroke-dasharray="8 5" marker-end="url(#arrow)"><title>{}</title></path>"##,
                BOX_X + BOX_W,
                BOX_X + BOX_W + 1.0,
                PALETTE[0],
                esc(&format!(
                    "bypass from {} to {}",
                    self.stages[e.from].name, self.stages[e.to].name
                ))
            );
        }
        let ls = spacing(left.len());
        for (k, e) in left.iter().enumerate() {
            let x = BOX_X - 70.0 - k as f64 * ls;
            let (y1, y2) = (
                ys[e.from] + heights[e.from] - 12.0,
                ys[e.to] + heights[e.to] - 24.0 - (k % 2) as f64 * 6.0,
            );
            let (dash, colour) = match e.kind {
                EdgeKind::Outcome => (r#" stroke-dasharray="2 4""#, PALETTE[2]),
                _ => ("", "#0b0c0c"),
            };
            let _ = write!(
                out,
                r##"<path d="M{BOX_X},{y1:.1} H{x:.1} V{y2:.1} H{:.1}" fill="none" stroke="{colour}" stroke-width="2"{dash} marker-end="url(#arrow)"/>"##,
                BOX_X - 1.0
            );
            if e.kind == EdgeKind::Next {
                // A solid line is an escalation (the legend says so).
                continue;
            }
            text_lines(
                out,
                x - 4.0,
                y1 + 14.0,
                14.0,
                &format!(r#"font-size="12" text-anchor="end" fill="{colour}""#),
                &wrap(&e.label, 22, 2),
            );
        }
    }

    /// The diagram's description for screen readers.
    fn diagram_description(&self) -> String {
        let mut parts = vec![format!(
            "{} stages, top to bottom: {}.",
            self.stages.len(),
            self.stages
                .iter()
                .map(|s| format!("{} ({})", s.name, s.window.describe()))
                .collect::<Vec<_>>()
                .join("; ")
        )];
        if let Some(c) = &self.ceiling {
            parts.push(format!(
                "The whole process has a ceiling of {} working days from the day the alert is raised.",
                c.working_days
            ));
        }
        let bypasses = self
            .edges()
            .iter()
            .filter(|e| e.kind == EdgeKind::Bypass)
            .count();
        if bypasses > 0 {
            parts.push(format!("{bypasses} bypasses to later stages."));
        }
        parts.join(" ")
    }

    /// The ladder as a Mermaid flowchart (top to bottom): a node for each
    /// stage with its window, `-->` for the escalation to the next stage,
    /// `-.->` for a bypass, `==>` labelled for the stage a response's
    /// outcome leads to, a `raise` node into every stage an alert may start
    /// at, and the ceiling in a note.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::builtin;
    ///
    /// let mermaid = builtin::ladder("oxfordshire-resolution-escalation")?.to_mermaid();
    /// assert!(mermaid.starts_with("flowchart TD\n"));
    /// assert!(mermaid.contains("s0 --> s1"));
    /// assert!(mermaid.contains("-. bypass .->"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_mermaid(&self) -> String {
        let label = |text: &str| {
            text.replace('"', "#quot;")
                .replace('<', "#lt;")
                .replace('>', "#gt;")
                .replace(['\n', '\r'], " ")
        };
        let mut out = String::from("flowchart TD\n");
        let _ = writeln!(out, "  %% {}", label(&self.title));
        if let Some(c) = &self.ceiling {
            let _ = writeln!(
                out,
                "  ceiling[\"Ceiling: {} working days in total, from the day the alert is raised\"]",
                c.working_days
            );
        }
        out.push_str("  raise((raise))\n");
        for (i, stage) in self.stages.iter().enumerate() {
            let _ = writeln!(
                out,
                "  s{i}[\"{}<br/>{}<br/>{}\"]",
                label(&stage.name),
                label(&format!("Responds: {}", self.responder_names(stage))),
                label(&Ladder::window_words(stage))
            );
        }
        for (i, stage) in self.stages.iter().enumerate() {
            if i == 0 || stage.entry.is_some() {
                let _ = writeln!(out, "  raise --> s{i}");
            }
        }
        for e in self.edges() {
            let _ = match e.kind {
                EdgeKind::Next => writeln!(out, "  s{} --> s{}", e.from, e.to),
                EdgeKind::Bypass => writeln!(out, "  s{} -. bypass .-> s{}", e.from, e.to),
                EdgeKind::Outcome => {
                    writeln!(
                        out,
                        "  s{} == \"{}\" ==> s{}",
                        e.from,
                        label(&e.label),
                        e.to
                    )
                }
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::ladder::builtin;

    #[test]
    fn every_ladder_draws_each_stage_and_route() {
        for procedure in builtin::procedures() {
            let Some(ladder) = procedure.as_ladder() else {
                continue;
            };
            let svg = ladder.to_svg();
            for stage in &ladder.stages {
                assert!(
                    svg.contains(&format!("id=\"stage-{}\"", stage.id)),
                    "{}",
                    stage.id
                );
            }
            let mermaid = ladder.to_mermaid();
            assert_eq!(
                mermaid.matches(" --> s").count() - mermaid.matches("raise --> s").count(),
                ladder.stages.iter().filter(|s| s.next.is_some()).count()
            );
        }
    }
}
