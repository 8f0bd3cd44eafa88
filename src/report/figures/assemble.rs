//! From figures to the report: groups joined by name and put in order, lists
//! sorted, percentages and medians worked out.

use std::cmp::Reverse;

use chrono::Datelike;

use super::super::case::MoveKind;
use super::super::procedures::Procedures;
use super::model::*;
use super::{At, Closures, Figures, Lists, Tally};

impl<N> Figures<N> {
    /// The report of these figures, with the alerts of `lists` (empty lists
    /// leave every `alerts` empty, its `count` in place). `text` gives a
    /// name's text: borrowed from the figures (`'f`), or from the cases the
    /// names were borrowed from.
    pub(crate) fn report<'f, 'x>(
        &'f self,
        at: &At<'_>,
        lists: Lists<'x>,
        text: impl Fn(&'f N) -> &'x str + Copy,
    ) -> Report<'x> {
        let order = Order {
            procedures: at.procedures,
        };
        let one = |name: &'f Option<N>| name.as_ref().map(text);
        let listed = self.listed;
        let lists = lists.sorted();
        let mut report = Report {
            schema_version: crate::version::SchemaVersion,
            as_of: at.as_of,
            period: at.period.clone(),
            options: *at.options,
            cases: self.cases,
            open: OpenAlerts {
                total: self.cases.open,
                alerts: lists.open,
                by_ladder: order
                    .ladders(merged(
                        self.open_by_ladder.iter().map(|(l, v)| (text(l), *v)),
                    ))
                    .into_iter()
                    .map(|(ladder, count)| LadderCount { ladder, count })
                    .collect(),
                by_stage: order
                    .stages(merged(
                        self.open_by_stage
                            .iter()
                            .map(|((l, s), v)| ((text(l), text(s)), *v)),
                    ))
                    .into_iter()
                    .map(|((ladder, stage), count)| StageCount {
                        ladder,
                        stage,
                        count,
                    })
                    .collect(),
                by_category: order.categories(merged(
                    self.open_by_category
                        .iter()
                        .map(|((l, c), v)| ((text(l), one(c)), *v)),
                )),
                by_team: order
                    .named(merged(self.open_by_team.iter().map(|(t, v)| (one(t), *v))))
                    .into_iter()
                    .map(|(team, count)| TeamCount { team, count })
                    .collect(),
                by_worker: order
                    .named(merged(
                        self.open_by_worker.iter().map(|(w, v)| (one(w), *v)),
                    ))
                    .into_iter()
                    .map(|(worker, count)| WorkerCount { worker, count })
                    .collect(),
            },
            overdue: Listing::of(listed.overdue, lists.overdue),
            overdue_duties: Listing::of(listed.overdue_duties, lists.overdue_duties),
            due_soon: Listing::of(listed.due_soon, lists.due_soon),
            open_longer: Listing::of(listed.open_longer, lists.open_longer),
            ceiling_breaches: Listing::of(listed.ceiling_breaches, lists.breaches),
            extensions: Extensions {
                count: listed.extensions,
                beyond_ceiling: listed.beyond_ceiling,
                alerts: lists.extensions,
            },
            timeliness: self.timeliness(&order, text),
            escalations: self.escalations(&order, text),
            closed: self.closed(&order, lists.closed, text),
            raised: RaisedInPeriod {
                total: self.raised,
                by_category: order.categories(merged(
                    self.raised_by_category
                        .iter()
                        .map(|((l, c), v)| ((text(l), one(c)), *v)),
                )),
                by_team: order
                    .named(merged(
                        self.raised_by_team.iter().map(|(t, v)| (one(t), *v)),
                    ))
                    .into_iter()
                    .map(|(team, count)| TeamCount { team, count })
                    .collect(),
            },
            headline: Headline::default(),
            previous: None,
            ageing: self.ageing(at.procedures, &order, text),
            by_month: self.by_month(at),
        };
        report.headline = report.headline_figures();
        report
    }

    fn ageing<'f, 'x>(
        &'f self,
        procedures: &Procedures,
        order: &Order<'_>,
        text: impl Fn(&'f N) -> &'x str + Copy,
    ) -> Ageing<'x> {
        let bands = AGE_BANDS
            .iter()
            .zip(&self.ageing)
            .map(|(&(from, to), &[within, past, none])| AgeBand {
                from,
                to,
                within_ceiling: within,
                past_ceiling: past,
                no_ceiling: none,
            })
            .collect();
        let ladders = merged(self.open_by_ladder.iter().map(|(l, v)| (text(l), *v)));
        let ceilings = order
            .ladders(ladders)
            .into_iter()
            .filter_map(|(ladder, _)| {
                let ceiling = procedures.entry(ladder)?.ladder.ceiling.as_ref()?;
                Some(LadderCeiling {
                    ladder,
                    working_days: ceiling.working_days,
                })
            })
            .collect();
        Ageing { bands, ceilings }
    }

    fn by_month(&self, at: &At<'_>) -> Vec<MonthCount> {
        let last = at.period.to;
        (0..super::MONTHS)
            .map(|slot| {
                let back = (super::MONTHS - 1 - slot) as u32;
                let month = last
                    .with_day(1)
                    .and_then(|first| first.checked_sub_months(chrono::Months::new(back)))
                    .map(|first| first.format("%Y-%m").to_string())
                    .unwrap_or_default();
                let [raised, closed, resolved] = self.months[slot];
                MonthCount {
                    month,
                    raised,
                    closed,
                    resolved,
                }
            })
            .collect()
    }

    fn timeliness<'f, 'x>(
        &'f self,
        order: &Order<'_>,
        text: impl Fn(&'f N) -> &'x str + Copy,
    ) -> Timeliness<'x> {
        Timeliness {
            overall: with_percent(self.timeliness),
            by_stage: order
                .stages(merged(
                    self.timeliness_by_stage
                        .iter()
                        .map(|((l, s), v)| ((text(l), text(s)), *v)),
                ))
                .into_iter()
                .map(|((ladder, stage), counts)| StageTimeliness {
                    ladder,
                    stage,
                    counts: with_percent(counts),
                })
                .collect(),
            by_team: order
                .named(merged(
                    self.timeliness_by_team
                        .iter()
                        .map(|(t, v)| (t.as_ref().map(text), *v)),
                ))
                .into_iter()
                .map(|(team, counts)| TeamTimeliness {
                    team,
                    counts: with_percent(counts),
                })
                .collect(),
        }
    }

    fn escalations<'f, 'x>(
        &'f self,
        order: &Order<'_>,
        text: impl Fn(&'f N) -> &'x str + Copy,
    ) -> Escalations<'x> {
        let routes = self
            .routes
            .iter()
            .map(|((l, f, t, k), v)| ((text(l), text(f), text(t), *k), *v));
        let mut by_route: Vec<RouteCount<'x>> = merged(routes)
            .into_iter()
            .map(|((ladder, from, to, kind), count)| RouteCount {
                ladder,
                from,
                to,
                kind,
                count,
            })
            .collect();
        by_route.sort_by_cached_key(|r| {
            (
                order.ladder(r.ladder),
                r.ladder,
                order.stage(r.ladder, r.from),
                order.stage(r.ladder, r.to),
                r.kind,
            )
        });
        let moved = |kind: MoveKind| -> u64 {
            by_route
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.count)
                .sum()
        };
        Escalations {
            escalated: moved(MoveKind::Escalated),
            bypassed: moved(MoveKind::Bypassed),
            routed: moved(MoveKind::Routed),
            by_route,
        }
    }

    fn closed<'f, 'x>(
        &'f self,
        order: &Order<'_>,
        alerts: Vec<ClosedAlert<'x>>,
        text: impl Fn(&'f N) -> &'x str + Copy,
    ) -> ClosedInPeriod<'x> {
        let ladders = self
            .closures
            .iter()
            .map(|(ladder, closures)| (text(ladder), closures.clone()));
        let ladders = merged(ladders);
        let mut all = Closures::default();
        for (_, closures) in &ladders {
            all.add(closures);
        }
        let mut by_ladder: Vec<LadderClosures<'x>> = ladders
            .into_iter()
            .map(|(ladder, closures)| LadderClosures {
                ladder,
                summary: closures.summary(),
            })
            .collect();
        by_ladder.sort_by_key(|l| (order.ladder(l.ladder), l.ladder));
        ClosedInPeriod {
            summary: all.summary(),
            by_ladder,
            alerts,
        }
    }
}

impl<'c> Lists<'c> {
    /// The lists in the report's order. Stable sorts on dates and numbers:
    /// ties keep the order the cases were added in (comparing ids would cost
    /// a string comparison each).
    fn sorted(mut self) -> Lists<'c> {
        self.open
            .sort_by_key(|a| (a.next_deadline.is_none(), a.next_deadline));
        self.overdue
            .sort_by_key(|a| (Reverse(a.working_days_overdue), a.due));
        self.overdue_duties
            .sort_by_key(|d| (Reverse(d.calendar_days_overdue), d.due));
        self.due_soon.sort_by_key(|a| a.due);
        self.open_longer
            .sort_by_key(|a| Reverse(a.open_working_days));
        self.breaches.sort_by_key(|a| {
            (
                a.closed_on.is_some(),
                Reverse(a.working_days_past_ceiling),
                a.closed_on,
            )
        });
        self.extensions.sort_by_key(|a| a.extended_on);
        self.closed.sort_by_key(|a| a.closed_on);
        self
    }
}

impl<T> Listing<T> {
    /// `count` alerts, of which `alerts` are listed (all, or none).
    fn of(count: usize, alerts: Vec<T>) -> Listing<T> {
        Listing { count, alerts }
    }
}

/// Joins the groups whose names are equal texts (see [`Groups`](super::Groups)),
/// in the order of their names.
fn merged<K: Ord, V: Tally>(rows: impl Iterator<Item = (K, V)>) -> Vec<(K, V)> {
    let mut rows: Vec<(K, V)> = rows.collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(K, V)> = Vec::with_capacity(rows.len());
    for (key, value) in rows {
        match out.last_mut() {
            Some((last, total)) if *last == key => total.add(&value),
            _ => out.push((key, value)),
        }
    }
    out
}

/// The counts with `percent_on_time` filled in, to one decimal place.
fn with_percent(mut counts: TimelinessCounts) -> TimelinessCounts {
    counts.percent_on_time = percent(counts.on_time, counts.measured);
    counts
}

/// `part` as a percentage of `whole`, rounded half up to one decimal place.
pub(crate) fn percent(part: u64, whole: u64) -> Option<f64> {
    if whole == 0 {
        return None;
    }
    let tenths = (u128::from(part) * 2000 + u128::from(whole)) / (2 * u128::from(whole));
    Some(tenths as f64 / 10.0)
}

/// The order of groups: ladders as in the procedures, stages and categories as
/// in their ladder, names alphabetically; unknown or missing ones last.
struct Order<'p> {
    procedures: &'p Procedures,
}

impl Order<'_> {
    fn ladder(&self, ladder: &str) -> usize {
        self.procedures.position(ladder).unwrap_or(usize::MAX)
    }

    fn stage(&self, ladder: &str, stage: &str) -> (usize, String) {
        match self
            .procedures
            .entry(ladder)
            .and_then(|e| e.stage_position(stage))
        {
            Some(position) => (position, String::new()),
            None => (usize::MAX, stage.to_string()),
        }
    }

    fn category(&self, ladder: &str, category: Option<&str>) -> (usize, String) {
        let position = category.and_then(|c| {
            self.procedures
                .entry(ladder)
                .and_then(|e| e.category_position(c))
        });
        match (position, category) {
            (Some(position), _) => (position, String::new()),
            (None, Some(other)) => (usize::MAX - 1, other.to_string()),
            (None, None) => (usize::MAX, String::new()),
        }
    }

    fn ladders<'c, T>(&self, mut rows: Vec<(&'c str, T)>) -> Vec<(&'c str, T)> {
        rows.sort_by_key(|r| (self.ladder(r.0), r.0));
        rows
    }

    fn stages<'c, T>(
        &self,
        mut rows: Vec<((&'c str, &'c str), T)>,
    ) -> Vec<((&'c str, &'c str), T)> {
        rows.sort_by_cached_key(|((ladder, stage), _)| {
            (self.ladder(ladder), *ladder, self.stage(ladder, stage))
        });
        rows
    }

    fn categories<'c>(
        &self,
        rows: Vec<((&'c str, Option<&'c str>), u64)>,
    ) -> Vec<CategoryCount<'c>> {
        let mut rows: Vec<CategoryCount<'c>> = rows
            .into_iter()
            .map(|((ladder, category), count)| CategoryCount {
                ladder,
                category,
                count,
            })
            .collect();
        rows.sort_by_cached_key(|r| {
            (
                self.ladder(r.ladder),
                r.ladder,
                self.category(r.ladder, r.category),
            )
        });
        rows
    }

    /// Named groups (teams, workers) alphabetically, the unnamed one last.
    fn named<'c, T>(&self, mut rows: Vec<(Option<&'c str>, T)>) -> Vec<(Option<&'c str>, T)> {
        rows.sort_by(|a, b| match (a.0, b.0) {
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_to_one_place() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(1, 16), Some(6.3));
        assert_eq!(percent(3, 3), Some(100.0));
    }
}
