//! Building a [`Report`]: one pass over the cases, then sorting.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::calendar::WorkingCalendar;
use crate::engine::status;

use super::case::{Case, Closure, Departure, MoveKind, StageVisit};
use super::error::ReportError;
use super::intern::FastMap;
use super::model::*;
use super::period::PeriodDates;
use super::procedures::{LadderEntry, Procedures};

/// A group's name as a map key, compared by address: the shared strings of
/// cases read together hash and compare in one step instead of byte by byte.
/// Equal texts at different addresses (cases built separately) land in
/// different entries, which [`merged`] joins when the groups are listed.
#[derive(Debug, Clone, Copy)]
struct Key<'c>(&'c str);

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Key<'_> {}

impl std::hash::Hash for Key<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_usize(self.0.as_ptr() as usize);
        state.write_usize(self.0.len());
    }
}

type Team<'c> = Option<Key<'c>>;

/// The running totals of one pass over the cases.
#[derive(Default)]
struct Tally<'c> {
    cases: CaseTotals,
    open_by_ladder: FastMap<Key<'c>, u64>,
    open_by_stage: FastMap<(Key<'c>, Key<'c>), u64>,
    open_by_category: FastMap<(Key<'c>, Option<Key<'c>>), u64>,
    open_by_team: FastMap<Team<'c>, u64>,
    open_by_worker: FastMap<Option<Key<'c>>, u64>,
    open_alerts: Vec<OpenAlert<'c>>,
    /// One shared copy of each list of roles who must act, by the address and
    /// length of the ladder's own list.
    roles: FastMap<(usize, usize), Arc<[String]>>,
    overdue: Vec<OverdueAlert<'c>>,
    overdue_duties: Vec<OverdueDuty<'c>>,
    due_soon: Vec<DueSoonAlert<'c>>,
    open_longer: Vec<LongOpenAlert<'c>>,
    breaches: Vec<BreachAlert<'c>>,
    extensions: Vec<ExtensionAlert<'c>>,
    timeliness: TimelinessCounts,
    timeliness_by_stage: FastMap<(Key<'c>, Key<'c>), TimelinessCounts>,
    timeliness_by_team: FastMap<Team<'c>, TimelinessCounts>,
    routes: FastMap<(Key<'c>, Key<'c>, Key<'c>, MoveKind), u64>,
    closed: Vec<ClosedAlert<'c>>,
    raised: u64,
    raised_by_category: FastMap<(Key<'c>, Option<Key<'c>>), u64>,
    raised_by_team: FastMap<Team<'c>, u64>,
}

impl<'c> Report<'c> {
    /// Builds the report over `cases` as at `as_of`.
    ///
    /// Each case's ladder and calendar come from `procedures`; each open case's
    /// [`status`] is asked once. Cases should be read up to the as-of date
    /// ([`CaseReader::events_until`](super::CaseReader::events_until)); a case
    /// not raised by then is counted in `cases.not_raised` and nothing else.
    ///
    /// # Errors
    ///
    /// [`ReportError::Period`] when the period cannot be placed before `as_of`;
    /// [`ReportError::Calendar`] for an `as_of` outside the calendars' range;
    /// [`ReportError::UnknownLadder`] for a case whose ladder `procedures` lacks;
    /// [`ReportError::EventsAfterAsOf`] for a case with an event after `as_of`;
    /// [`ReportError::Engine`] when a status cannot be computed.
    ///
    /// # Example
    ///
    /// An IRO alert raised with a team manager on Friday 18 December 2026 is due
    /// Tuesday 29 December (Christmas Day and the Boxing Day substitute on the
    /// 28th are not working days). As at Monday 4 January 2027 it is 3 working
    /// days overdue: 30 and 31 December, and 4 January (New Year's Day skipped).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::report::{read_cases, Procedures, Report, ReportOptions};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let input = r#"{"case":"IRO-1","team":"North","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
    /// let cases = read_cases(input.as_bytes(), &procedures)?;
    /// let as_of = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    /// let report = Report::build(&procedures, &cases, as_of, &ReportOptions::default())?;
    /// assert_eq!(report.period.label, "December 2026");
    /// assert_eq!(report.open.total, 1);
    /// let overdue = &report.overdue.alerts[0];
    /// assert_eq!(overdue.due, NaiveDate::from_ymd_opt(2026, 12, 29).unwrap());
    /// assert_eq!(overdue.working_days_overdue, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(
        procedures: &Procedures,
        cases: impl IntoIterator<Item = &'c Case>,
        as_of: NaiveDate,
        options: &ReportOptions,
    ) -> Result<Report<'c>, ReportError> {
        let period = options.period.dates(as_of)?;
        procedures.check_date(as_of)?;
        let parts = parts(procedures, cases, as_of, &period, options)?;
        Ok(parts.assemble(procedures, as_of, period, *options))
    }
}

/// One pass over `cases`: the report's parts, before its groups are ordered.
pub(super) fn parts<'c>(
    procedures: &Procedures,
    cases: impl IntoIterator<Item = &'c Case>,
    as_of: NaiveDate,
    period: &PeriodDates,
    options: &ReportOptions,
) -> Result<Parts<'c>, ReportError> {
    let mut tally = Tally::default();
    for case in cases {
        tally.add(procedures, case, as_of, period, options)?;
    }
    Ok(tally.finish())
}

impl<'c> Tally<'c> {
    fn add(
        &mut self,
        procedures: &Procedures,
        case: &'c Case,
        as_of: NaiveDate,
        period: &PeriodDates,
        options: &ReportOptions,
    ) -> Result<(), ReportError> {
        self.cases.read += 1;
        let state = &case.state;
        let Some(raised) = state.raised_on else {
            self.cases.not_raised += 1;
            return Ok(());
        };
        let (entry, calendar) = procedures.for_case(case, as_of)?;
        let ladder = Key(&state.ladder);
        let team = case.team.as_deref().map(Key);
        let category = state.category.as_deref().map(Key);

        if case.is_open() {
            self.cases.open += 1;
            self.add_open(entry, calendar, case, as_of, options)?;
        } else {
            self.cases.closed += 1;
        }
        if state.open_duties().next().is_some() {
            self.add_duties(entry, calendar, case, as_of)?;
        }
        if period.contains(raised) {
            self.raised += 1;
            *self
                .raised_by_category
                .entry((ladder, category))
                .or_default() += 1;
            *self.raised_by_team.entry(team).or_default() += 1;
        }
        let last = case.visits.len().saturating_sub(1);
        for (index, visit) in case.visits.iter().enumerate() {
            self.add_timeliness(ladder, team, visit, as_of, period);
            if let Some(extended_on) = visit.extended_on.filter(|d| period.contains(*d)) {
                self.extensions.push(ExtensionAlert {
                    alert: AlertRef(case),
                    stage: &visit.stage,
                    extended_on,
                    due_as_set: visit.due_as_set,
                    due_in_force: visit.due_in_force,
                    ceiling: state.ceiling,
                    beyond_ceiling: beyond(visit.due_in_force, state.ceiling),
                });
            }
            let Some(left_on) = visit.left_on.filter(|d| period.contains(*d)) else {
                continue;
            };
            match visit.departure {
                Departure::Moved(kind) => {
                    if let Some(to) = case.visits.get(index + 1) {
                        *self
                            .routes
                            .entry((ladder, Key(&visit.stage), Key(&to.stage), kind))
                            .or_default() += 1;
                    }
                }
                Departure::Closed(closure) => {
                    let is_final = index == last && !case.is_open();
                    self.add_closed(case, calendar, visit, closure, left_on, raised, is_final)?;
                }
                Departure::StillThere => {}
            }
        }
        Ok(())
    }

    /// The case's duties past due as at `as_of` (after time has acted).
    fn add_duties(
        &mut self,
        entry: &LadderEntry,
        calendar: &WorkingCalendar,
        case: &'c Case,
        as_of: NaiveDate,
    ) -> Result<(), ReportError> {
        let now = status(&entry.ladder, calendar, &case.state, as_of).map_err(|source| {
            ReportError::Engine {
                case: case.id.to_string(),
                source: Box::new(source),
            }
        })?;
        for duty in now.duties.iter().filter(|d| d.overdue) {
            let (Some(due), Some(left), Some(days)) =
                (duty.due, duty.working_days_left, duty.calendar_days_left)
            else {
                continue;
            };
            // The case's own copy of the id, which lives as long as the case.
            let Some(id) = case.state.duties.iter().find(|d| *d.duty == *duty.duty) else {
                continue;
            };
            self.overdue_duties.push(OverdueDuty {
                alert: AlertRef(case),
                duty: &id.duty,
                owners: duty.owners.to_vec(),
                due,
                calendar_days_overdue: -days,
                working_days_overdue: -left,
            });
        }
        Ok(())
    }

    fn add_open(
        &mut self,
        entry: &LadderEntry,
        calendar: &WorkingCalendar,
        case: &'c Case,
        as_of: NaiveDate,
        options: &ReportOptions,
    ) -> Result<(), ReportError> {
        let engine_error = |source| ReportError::Engine {
            case: case.id.to_string(),
            source: Box::new(source),
        };
        let now = status(&entry.ladder, calendar, &case.state, as_of).map_err(engine_error)?;
        let ladder = Key(&case.state.ladder);
        let visit = case.current_visit();
        let stage: &'c str = visit.map(|v| &*v.stage).unwrap_or_default();
        *self.open_by_ladder.entry(ladder).or_default() += 1;
        *self.open_by_stage.entry((ladder, Key(stage))).or_default() += 1;
        let category = case.state.category.as_deref().map(Key);
        *self.open_by_category.entry((ladder, category)).or_default() += 1;
        let team = case.team.as_deref().map(Key);
        *self.open_by_team.entry(team).or_default() += 1;
        let worker = case.worker.as_deref().map(Key);
        *self.open_by_worker.entry(worker).or_default() += 1;

        self.open_alerts.push(OpenAlert {
            alert: AlertRef(case),
            stage,
            who_must_act: match &now.who_must_act {
                Cow::Borrowed(roles) => self
                    .roles
                    .entry((roles.as_ptr() as usize, roles.len()))
                    .or_insert_with(|| Arc::from(roles.to_vec()))
                    .clone(),
                Cow::Owned(roles) => Arc::from(roles.clone()),
            },
            next_deadline: now.next_deadline,
            working_days_left: now.working_days_left,
            overdue: now.overdue,
            ceiling: now.ceiling,
        });
        if let (Some(due), Some(left)) = (now.next_deadline, now.working_days_left) {
            if now.overdue {
                self.overdue.push(OverdueAlert {
                    alert: AlertRef(case),
                    stage,
                    due,
                    working_days_overdue: -left,
                    extended: visit.is_some_and(StageVisit::was_extended),
                    on_expiry: now.on_expiry,
                });
            } else {
                let entered = visit.map_or(due, |v| v.entered_on);
                let used = calendar
                    .count_working_days(entered, as_of)
                    .map_err(|e| engine_error(e.into()))?;
                // Counts add up: (entered, due] = (entered, as_of] + (as_of, due].
                let window = used + left;
                let percent = if window <= 0 {
                    100
                } else {
                    (used.max(0) * 100 / window).min(100)
                };
                let within_due_days = options
                    .due_within_working_days
                    .is_some_and(|days| left <= i64::from(days));
                let over_warning_percent = options
                    .warn_at_percent_used
                    .is_some_and(|threshold| percent >= i64::from(threshold));
                if within_due_days || over_warning_percent {
                    self.due_soon.push(DueSoonAlert {
                        alert: AlertRef(case),
                        stage,
                        due,
                        working_days_left: left,
                        window_used_percent: percent,
                        within_due_days,
                        over_warning_percent,
                    });
                }
            }
        }
        if let Some(days) = now.open_working_days {
            let over_report_threshold = days > i64::from(options.open_longer_than_working_days);
            if over_report_threshold || now.over_open_threshold {
                self.open_longer.push(LongOpenAlert {
                    alert: AlertRef(case),
                    stage,
                    open_working_days: days,
                    over_report_threshold,
                    ladder_threshold: entry.ladder.open_threshold.as_ref().map(|t| t.working_days),
                    ladder_clock_working_days: now.threshold_working_days,
                    over_ladder_threshold: now.over_open_threshold,
                });
            }
        }
        if now.breaches.ceiling_breached || now.breaches.extended_beyond_ceiling {
            self.breaches.push(BreachAlert {
                alert: AlertRef(case),
                stage,
                ceiling: now.ceiling,
                ceiling_breached: now.breaches.ceiling_breached,
                extended_beyond_ceiling: now.breaches.extended_beyond_ceiling,
                working_days_past_ceiling: now.ceiling_working_days_left.map(|left| -left),
                closed_on: None,
            });
        }
        Ok(())
    }

    /// Counts a visit whose response date in force falls in the period. See the
    /// module documentation, "Timeliness".
    fn add_timeliness(
        &mut self,
        ladder: Key<'c>,
        team: Team<'c>,
        visit: &'c StageVisit,
        as_of: NaiveDate,
        period: &PeriodDates,
    ) {
        let Some(due) = visit.due_in_force.filter(|d| period.contains(*d)) else {
            return;
        };
        let mut counts = TimelinessCounts::default();
        match (visit.responded_on, visit.left_on) {
            (Some(responded), _) if responded <= due => {
                counts.on_time = 1;
                if visit.was_extended() && visit.due_as_set.is_some_and(|d| responded > d) {
                    counts.on_time_by_extension = 1;
                }
            }
            (Some(_), _) => counts.late = 1,
            (None, Some(left)) if left <= due => counts.left_before_due = 1,
            (None, Some(_)) => counts.missed = 1,
            (None, None) if as_of > due => counts.missed = 1,
            (None, None) => counts.pending = 1,
        }
        counts.measured = counts.on_time + counts.late + counts.missed;
        if counts.measured > 0 && visit.was_extended() {
            counts.extended = 1;
        }
        add_counts(&mut self.timeliness, &counts);
        add_counts(
            self.timeliness_by_stage
                .entry((ladder, Key(&visit.stage)))
                .or_default(),
            &counts,
        );
        add_counts(self.timeliness_by_team.entry(team).or_default(), &counts);
    }

    #[allow(clippy::too_many_arguments)]
    fn add_closed(
        &mut self,
        case: &'c Case,
        calendar: &WorkingCalendar,
        visit: &'c StageVisit,
        closure: Closure,
        closed_on: NaiveDate,
        raised: NaiveDate,
        is_final: bool,
    ) -> Result<(), ReportError> {
        let working_days = calendar
            .count_working_days(raised, closed_on)
            .map_err(|e| ReportError::Engine {
                case: case.id.to_string(),
                source: Box::new(e.into()),
            })?;
        let ceiling = case.state.ceiling;
        self.closed.push(ClosedAlert {
            alert: AlertRef(case),
            stage: &visit.stage,
            closed_on,
            closure,
            outcome: case.state.outcome.as_deref().filter(|_| is_final),
            working_days,
            ceiling,
            within_ceiling: ceiling.map(|c| closed_on <= c),
        });
        let breaches = case.state.breaches;
        if is_final && (breaches.ceiling_breached || breaches.extended_beyond_ceiling) {
            self.breaches.push(BreachAlert {
                alert: AlertRef(case),
                stage: &visit.stage,
                ceiling,
                ceiling_breached: breaches.ceiling_breached,
                extended_beyond_ceiling: breaches.extended_beyond_ceiling,
                working_days_past_ceiling: None,
                closed_on: Some(closed_on),
            });
        }
        Ok(())
    }

    fn finish(self) -> Parts<'c> {
        // Stable sorts on dates and numbers: ties keep the order the cases
        // were given in (comparing ids would cost a string comparison each).
        let mut open_alerts = self.open_alerts;
        open_alerts.sort_by_key(|a| (a.next_deadline.is_none(), a.next_deadline));
        let mut overdue = self.overdue;
        overdue.sort_by_key(|a| (Reverse(a.working_days_overdue), a.due));
        let mut overdue_duties = self.overdue_duties;
        overdue_duties.sort_by_key(|d| (Reverse(d.calendar_days_overdue), d.due));
        let mut due_soon = self.due_soon;
        due_soon.sort_by_key(|a| a.due);
        let mut open_longer = self.open_longer;
        open_longer.sort_by_key(|a| Reverse(a.open_working_days));
        let mut breaches = self.breaches;
        breaches.sort_by_key(|a| {
            (
                a.closed_on.is_some(),
                Reverse(a.working_days_past_ceiling),
                a.closed_on,
            )
        });
        let mut extensions = self.extensions;
        extensions.sort_by_key(|a| a.extended_on);
        let beyond_ceiling = extensions.iter().filter(|e| e.beyond_ceiling).count();
        let mut closed = self.closed;
        closed.sort_by_key(|a| a.closed_on);

        let mut closures: Vec<(&'c str, Closures)> = Vec::new();
        for alert in &closed {
            let ladder: &'c str = &alert.alert.0.state.ladder;
            match closures.iter_mut().find(|(l, _)| *l == ladder) {
                Some((_, tally)) => tally.add(alert),
                None => {
                    let mut tally = Closures::default();
                    tally.add(alert);
                    closures.push((ladder, tally));
                }
            }
        }
        Parts {
            cases: self.cases,
            open_by_ladder: merged(
                self.open_by_ladder.into_iter().map(|(k, v)| (k.0, v)),
                add_count,
            ),
            open_by_stage: merged(
                self.open_by_stage
                    .into_iter()
                    .map(|((l, s), v)| ((l.0, s.0), v)),
                add_count,
            ),
            open_by_category: merged(
                self.open_by_category
                    .into_iter()
                    .map(|((l, c), v)| ((l.0, c.map(|c| c.0)), v)),
                add_count,
            ),
            open_by_team: merged(unkeyed(self.open_by_team), add_count),
            open_by_worker: merged(unkeyed(self.open_by_worker), add_count),
            open_alerts,
            overdue: Listing::new(overdue),
            overdue_duties: Listing::new(overdue_duties),
            due_soon: Listing::new(due_soon),
            open_longer: Listing::new(open_longer),
            ceiling_breaches: Listing::new(breaches),
            extensions: Extensions {
                count: extensions.len(),
                beyond_ceiling,
                alerts: extensions,
            },
            timeliness: self.timeliness,
            timeliness_by_stage: merged(
                self.timeliness_by_stage
                    .into_iter()
                    .map(|((l, s), v)| ((l.0, s.0), v)),
                add_counts,
            ),
            timeliness_by_team: merged(unkeyed(self.timeliness_by_team), add_counts),
            routes: merged(
                self.routes
                    .into_iter()
                    .map(|((ladder, from, to, kind), count)| {
                        ((ladder.0, from.0, to.0, kind), count)
                    }),
                add_count,
            ),
            closures,
            closed,
            raised: self.raised,
            raised_by_category: merged(
                self.raised_by_category
                    .into_iter()
                    .map(|((l, c), v)| ((l.0, c.map(|c| c.0)), v)),
                add_count,
            ),
            raised_by_team: merged(unkeyed(self.raised_by_team), add_count),
        }
    }
}

/// A route's ladder, stage left, stage entered and kind of move.
pub(super) type Route<'c> = (&'c str, &'c str, &'c str, MoveKind);

/// A report before its groups are put in order: each group once (equal names
/// joined), the lists sorted.
pub(super) struct Parts<'c> {
    pub(super) cases: CaseTotals,
    pub(super) open_by_ladder: Vec<(&'c str, u64)>,
    pub(super) open_by_stage: Vec<((&'c str, &'c str), u64)>,
    pub(super) open_by_category: Vec<((&'c str, Option<&'c str>), u64)>,
    pub(super) open_by_team: Vec<(Option<&'c str>, u64)>,
    pub(super) open_by_worker: Vec<(Option<&'c str>, u64)>,
    pub(super) open_alerts: Vec<OpenAlert<'c>>,
    pub(super) overdue: Listing<OverdueAlert<'c>>,
    pub(super) overdue_duties: Listing<OverdueDuty<'c>>,
    pub(super) due_soon: Listing<DueSoonAlert<'c>>,
    pub(super) open_longer: Listing<LongOpenAlert<'c>>,
    pub(super) ceiling_breaches: Listing<BreachAlert<'c>>,
    pub(super) extensions: Extensions<'c>,
    pub(super) timeliness: TimelinessCounts,
    pub(super) timeliness_by_stage: Vec<((&'c str, &'c str), TimelinessCounts)>,
    pub(super) timeliness_by_team: Vec<(Option<&'c str>, TimelinessCounts)>,
    pub(super) routes: Vec<(Route<'c>, u64)>,
    /// The closures in the period by ladder, each ladder once.
    pub(super) closures: Vec<(&'c str, Closures)>,
    pub(super) closed: Vec<ClosedAlert<'c>>,
    pub(super) raised: u64,
    pub(super) raised_by_category: Vec<((&'c str, Option<&'c str>), u64)>,
    pub(super) raised_by_team: Vec<(Option<&'c str>, u64)>,
}

impl<'c> Parts<'c> {
    /// The report: groups in the order of the procedures and names.
    pub(super) fn assemble(
        self,
        procedures: &Procedures,
        as_of: NaiveDate,
        period: PeriodDates,
        options: ReportOptions,
    ) -> Report<'c> {
        let order = Order { procedures };
        let mut by_route: Vec<RouteCount<'c>> = self
            .routes
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
        let escalations = Escalations {
            escalated: moved(MoveKind::Escalated),
            bypassed: moved(MoveKind::Bypassed),
            routed: moved(MoveKind::Routed),
            by_route,
        };

        let mut all = Closures::default();
        for (_, closures) in &self.closures {
            all.append(closures);
        }
        let mut by_ladder: Vec<LadderClosures<'c>> = self
            .closures
            .into_iter()
            .map(|(ladder, closures)| LadderClosures {
                ladder,
                summary: closures.summary(),
            })
            .collect();
        by_ladder.sort_by_key(|l| (order.ladder(l.ladder), l.ladder));

        Report {
            schema_version: crate::version::SchemaVersion,
            as_of,
            period,
            options,
            cases: self.cases,
            open: OpenAlerts {
                total: self.cases.open,
                alerts: self.open_alerts,
                by_ladder: order
                    .ladders(self.open_by_ladder)
                    .into_iter()
                    .map(|(ladder, count)| LadderCount { ladder, count })
                    .collect(),
                by_stage: order
                    .stages(self.open_by_stage)
                    .into_iter()
                    .map(|((ladder, stage), count)| StageCount {
                        ladder,
                        stage,
                        count,
                    })
                    .collect(),
                by_category: order.categories(self.open_by_category),
                by_team: order
                    .named(self.open_by_team)
                    .into_iter()
                    .map(|(team, count)| TeamCount { team, count })
                    .collect(),
                by_worker: order
                    .named(self.open_by_worker)
                    .into_iter()
                    .map(|(worker, count)| WorkerCount { worker, count })
                    .collect(),
            },
            overdue: self.overdue,
            overdue_duties: self.overdue_duties,
            due_soon: self.due_soon,
            open_longer: self.open_longer,
            ceiling_breaches: self.ceiling_breaches,
            extensions: self.extensions,
            timeliness: Timeliness {
                overall: with_percent(self.timeliness),
                by_stage: order
                    .stages(self.timeliness_by_stage)
                    .into_iter()
                    .map(|((ladder, stage), counts)| StageTimeliness {
                        ladder,
                        stage,
                        counts: with_percent(counts),
                    })
                    .collect(),
                by_team: order
                    .named(self.timeliness_by_team)
                    .into_iter()
                    .map(|(team, counts)| TeamTimeliness {
                        team,
                        counts: with_percent(counts),
                    })
                    .collect(),
            },
            escalations,
            closed: ClosedInPeriod {
                summary: all.summary(),
                by_ladder,
                alerts: self.closed,
            },
            raised: RaisedInPeriod {
                total: self.raised,
                by_category: order.categories(self.raised_by_category),
                by_team: order
                    .named(self.raised_by_team)
                    .into_iter()
                    .map(|(team, count)| TeamCount { team, count })
                    .collect(),
            },
        }
    }
}

/// The groups of a map keyed by optional names, with the names as text.
fn unkeyed<'c, V>(map: FastMap<Option<Key<'c>>, V>) -> impl Iterator<Item = (Option<&'c str>, V)> {
    map.into_iter().map(|(k, v)| (k.map(|k| k.0), v))
}

/// Joins the groups whose names are equal texts (see [`Key`]), in the order of
/// their names.
fn merged<K: Ord, V>(rows: impl Iterator<Item = (K, V)>, add: fn(&mut V, &V)) -> Vec<(K, V)> {
    let mut rows: Vec<(K, V)> = rows.collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(K, V)> = Vec::with_capacity(rows.len());
    for (key, value) in rows {
        match out.last_mut() {
            Some((last, total)) if *last == key => add(total, &value),
            _ => out.push((key, value)),
        }
    }
    out
}

fn add_count(total: &mut u64, one: &u64) {
    *total += one;
}

fn beyond(date: Option<NaiveDate>, ceiling: Option<NaiveDate>) -> bool {
    matches!((date, ceiling), (Some(date), Some(ceiling)) if date > ceiling)
}

pub(super) fn add_counts(total: &mut TimelinessCounts, one: &TimelinessCounts) {
    total.measured += one.measured;
    total.on_time += one.on_time;
    total.late += one.late;
    total.missed += one.missed;
    total.extended += one.extended;
    total.on_time_by_extension += one.on_time_by_extension;
    total.left_before_due += one.left_before_due;
    total.pending += one.pending;
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

/// Closures counted, with the working days each took (for the median).
#[derive(Debug, Clone, Default)]
pub(super) struct Closures {
    count: u64,
    resolved: u64,
    deemed_agreed: u64,
    withdrawn: u64,
    working_days: Vec<i64>,
    with_ceiling: u64,
    within_ceiling: u64,
}

impl Closures {
    pub(super) fn add(&mut self, alert: &ClosedAlert<'_>) {
        self.count += 1;
        match alert.closure {
            Closure::Resolved => self.resolved += 1,
            Closure::DeemedAgreed => self.deemed_agreed += 1,
            Closure::Withdrawn => self.withdrawn += 1,
        }
        self.working_days.push(alert.working_days);
        self.with_ceiling += u64::from(alert.ceiling.is_some());
        self.within_ceiling += u64::from(alert.within_ceiling == Some(true));
    }

    pub(super) fn append(&mut self, other: &Closures) {
        self.count += other.count;
        self.resolved += other.resolved;
        self.deemed_agreed += other.deemed_agreed;
        self.withdrawn += other.withdrawn;
        self.working_days.extend_from_slice(&other.working_days);
        self.with_ceiling += other.with_ceiling;
        self.within_ceiling += other.within_ceiling;
    }

    fn summary(mut self) -> ClosureSummary {
        let days = &mut self.working_days;
        days.sort_unstable();
        let median = match days.len() {
            0 => None,
            n if n % 2 == 1 => Some(days[n / 2] as f64),
            n => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
        };
        ClosureSummary {
            count: self.count,
            resolved: self.resolved,
            deemed_agreed: self.deemed_agreed,
            withdrawn: self.withdrawn,
            median_working_days: median,
            max_working_days: days.last().copied(),
            with_ceiling: self.with_ceiling,
            within_ceiling: self.within_ceiling,
        }
    }
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
