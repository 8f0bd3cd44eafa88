//! The parts of [`Figures::add`]: an open alert, its duties, a visit's
//! timeliness, an extension and a closure.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::calendar::WorkingCalendar;
use crate::engine::status;

use super::super::case::{Case, Closure, StageVisit};
use super::super::error::ReportError;
use super::super::procedures::LadderEntry;
use super::model::*;
use super::{addr, addr_of, At, Figures, Listing, Name, Tally};

/// A case's error from the engine or its calendar.
fn engine_error(case: &Case) -> impl Fn(crate::engine::EngineError) -> ReportError + '_ {
    |source| ReportError::Engine {
        case: case.id.to_string(),
        source: Box::new(source),
    }
}

/// Whether `date` is after the ceiling.
fn beyond(date: Option<NaiveDate>, ceiling: Option<NaiveDate>) -> bool {
    matches!((date, ceiling), (Some(date), Some(ceiling)) if date > ceiling)
}

/// How a visit that closed the alert in the period closed: how, on which day,
/// when the alert was raised, and whether it is the alert's last closure.
pub(super) type ClosedIn = (Closure, NaiveDate, NaiveDate, bool);

impl<N> Figures<N> {
    /// An open alert: its groups, and the lists it is in (open, overdue or
    /// due soon, open longer, breaches).
    pub(super) fn add_open<'c>(
        &mut self,
        at: &At<'_>,
        entry: &LadderEntry,
        calendar: &WorkingCalendar,
        case: &'c Case,
        listing: &mut Listing<'_, 'c>,
    ) -> Result<(), ReportError>
    where
        N: Name<'c>,
    {
        let now =
            status(&entry.ladder, calendar, &case.state, at.as_of).map_err(engine_error(case))?;
        let ladder = &case.state.ladder;
        let visit = case.current_visit();
        let stage: &'c str = visit.map(|v| &*v.stage).unwrap_or_default();
        *self
            .open_by_ladder
            .at([addr(ladder), 0, 0, 0], || N::of(ladder)) += 1;
        // An open alert is at a stage (a case made by hand may lack its
        // visits: it counts at an empty stage).
        let address = [
            addr(ladder),
            visit.map_or(usize::MAX, |v| addr(&v.stage)),
            0,
            0,
        ];
        *self.open_by_stage.at(address, || {
            let stage = visit.map_or_else(N::empty, |v| N::of(&v.stage));
            (N::of(ladder), stage)
        }) += 1;
        let category = case.state.category.as_ref();
        let address = [addr(ladder), addr_of(category), 0, 0];
        *self
            .open_by_category
            .at(address, || (N::of(ladder), category.map(|c| N::of(c)))) += 1;
        let team = case.team.as_ref();
        *self
            .open_by_team
            .at([addr_of(team), 0, 0, 0], || team.map(|t| N::of(t))) += 1;
        let worker = case.worker.as_ref();
        *self
            .open_by_worker
            .at([addr_of(worker), 0, 0, 0], || worker.map(|w| N::of(w))) += 1;

        listing.push(
            |l| &mut l.open,
            |lists| OpenAlert {
                alert: AlertRef(case),
                stage,
                who_must_act: match &now.who_must_act {
                    Cow::Borrowed(roles) => lists
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
            },
        );
        if let (Some(due), Some(left)) = (now.next_deadline, now.working_days_left) {
            if now.overdue {
                self.listed.overdue += 1;
                listing.push(
                    |l| &mut l.overdue,
                    |_| OverdueAlert {
                        alert: AlertRef(case),
                        stage,
                        due,
                        working_days_overdue: -left,
                        extended: visit.is_some_and(StageVisit::was_extended),
                        on_expiry: now.on_expiry,
                    },
                );
            } else {
                self.add_due_soon(at, calendar, case, stage, due, left, listing)?;
            }
        }
        let past_ceiling = now.ceiling.map(|ceiling| at.as_of > ceiling);
        let band = super::age_band(now.open_working_days.unwrap_or(0));
        let column = match past_ceiling {
            Some(false) => 0,
            Some(true) => 1,
            None => 2,
        };
        self.ageing[band][column] += 1;
        if let Some(days) = now.open_working_days {
            let over_report_threshold = days > i64::from(at.options.open_longer_than_working_days);
            if over_report_threshold || now.over_open_threshold {
                self.listed.open_longer += 1;
                listing.push(
                    |l| &mut l.open_longer,
                    |_| LongOpenAlert {
                        alert: AlertRef(case),
                        stage,
                        open_working_days: days,
                        over_report_threshold,
                        ladder_threshold: entry
                            .ladder
                            .open_threshold
                            .as_ref()
                            .map(|t| t.working_days),
                        ladder_clock_working_days: now.threshold_working_days,
                        over_ladder_threshold: now.over_open_threshold,
                    },
                );
            }
        }
        if now.breaches.ceiling_breached || now.breaches.extended_beyond_ceiling {
            self.listed.ceiling_breaches += 1;
            listing.push(
                |l| &mut l.breaches,
                |_| BreachAlert {
                    alert: AlertRef(case),
                    stage,
                    ceiling: now.ceiling,
                    ceiling_breached: now.breaches.ceiling_breached,
                    extended_beyond_ceiling: now.breaches.extended_beyond_ceiling,
                    working_days_past_ceiling: now.ceiling_working_days_left.map(|left| -left),
                    closed_on: None,
                },
            );
        }
        Ok(())
    }

    /// An open alert not overdue, due `due` with `left` working days left:
    /// listed as due soon when within the options' days or percentage.
    #[allow(clippy::too_many_arguments)]
    fn add_due_soon<'c>(
        &mut self,
        at: &At<'_>,
        calendar: &WorkingCalendar,
        case: &'c Case,
        stage: &'c str,
        due: NaiveDate,
        left: i64,
        listing: &mut Listing<'_, 'c>,
    ) -> Result<(), ReportError> {
        let entered = case.current_visit().map_or(due, |v| v.entered_on);
        let used = calendar
            .count_working_days(entered, at.as_of)
            .map_err(|e| engine_error(case)(e.into()))?;
        // Counts add up: (entered, due] = (entered, as_of] + (as_of, due].
        let window = used + left;
        let percent = if window <= 0 {
            100
        } else {
            (used.max(0) * 100 / window).min(100)
        };
        let within_due_days = at
            .options
            .due_within_working_days
            .is_some_and(|days| left <= i64::from(days));
        let over_warning_percent = at
            .options
            .warn_at_percent_used
            .is_some_and(|threshold| percent >= i64::from(threshold));
        if within_due_days || over_warning_percent {
            self.listed.due_soon += 1;
            listing.push(
                |l| &mut l.due_soon,
                |_| DueSoonAlert {
                    alert: AlertRef(case),
                    stage,
                    due,
                    working_days_left: left,
                    window_used_percent: percent,
                    within_due_days,
                    over_warning_percent,
                },
            );
        }
        Ok(())
    }

    /// The case's duties past due as at the as-of date (after time has acted).
    pub(super) fn add_duties<'c>(
        &mut self,
        at: &At<'_>,
        entry: &LadderEntry,
        calendar: &WorkingCalendar,
        case: &'c Case,
        listing: &mut Listing<'_, 'c>,
    ) -> Result<(), ReportError> {
        let now =
            status(&entry.ladder, calendar, &case.state, at.as_of).map_err(engine_error(case))?;
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
            self.listed.overdue_duties += 1;
            listing.push(
                |l| &mut l.overdue_duties,
                |_| OverdueDuty {
                    alert: AlertRef(case),
                    duty: &id.duty,
                    owners: duty.owners.to_vec(),
                    due,
                    calendar_days_overdue: -days,
                    working_days_overdue: -left,
                },
            );
        }
        Ok(())
    }

    /// Counts a visit whose response date in force falls in the period. See
    /// the module documentation of [`report`](crate::report), "Timeliness".
    pub(super) fn add_timeliness<'c>(&mut self, at: &At<'_>, case: &'c Case, visit: &'c StageVisit)
    where
        N: Name<'c>,
    {
        let Some(due) = visit.due_in_force.filter(|d| at.period.contains(*d)) else {
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
            (None, None) if at.as_of > due => counts.missed = 1,
            (None, None) => counts.pending = 1,
        }
        counts.measured = counts.on_time + counts.late + counts.missed;
        if counts.measured > 0 && visit.was_extended() {
            counts.extended = 1;
        }
        let ladder = &case.state.ladder;
        self.timeliness.add(&counts);
        let address = [addr(ladder), addr(&visit.stage), 0, 0];
        self.timeliness_by_stage
            .at(address, || (N::of(ladder), N::of(&visit.stage)))
            .add(&counts);
        let team = case.team.as_ref();
        self.timeliness_by_team
            .at([addr_of(team), 0, 0, 0], || team.map(|t| N::of(t)))
            .add(&counts);
    }

    /// Extra time agreed at a visit on `extended_on`, in the period.
    pub(super) fn add_extension<'c>(
        &mut self,
        case: &'c Case,
        visit: &'c StageVisit,
        extended_on: NaiveDate,
        listing: &mut Listing<'_, 'c>,
    ) {
        let ceiling = case.state.ceiling;
        let beyond_ceiling = beyond(visit.due_in_force, ceiling);
        self.listed.extensions += 1;
        self.listed.beyond_ceiling += usize::from(beyond_ceiling);
        listing.push(
            |l| &mut l.extensions,
            |_| ExtensionAlert {
                alert: AlertRef(case),
                stage: &visit.stage,
                extended_on,
                due_as_set: visit.due_as_set,
                due_in_force: visit.due_in_force,
                ceiling,
                beyond_ceiling,
            },
        );
    }

    /// A visit that closed the alert in the period: the closure, and for the
    /// alert's last closure, its breach.
    pub(super) fn add_closed<'c>(
        &mut self,
        case: &'c Case,
        calendar: &WorkingCalendar,
        visit: &'c StageVisit,
        (closure, closed_on, raised, is_final): ClosedIn,
        listing: &mut Listing<'_, 'c>,
    ) -> Result<(), ReportError>
    where
        N: Name<'c>,
    {
        let working_days = calendar
            .count_working_days(raised, closed_on)
            .map_err(|e| engine_error(case)(e.into()))?;
        let ceiling = case.state.ceiling;
        let within_ceiling = ceiling.map(|c| closed_on <= c);
        let ladder = &case.state.ladder;
        self.closures
            .at([addr(ladder), 0, 0, 0], || N::of(ladder))
            .count(closure, working_days, ceiling.is_some(), within_ceiling);
        listing.push(
            |l| &mut l.closed,
            |_| ClosedAlert {
                alert: AlertRef(case),
                stage: &visit.stage,
                closed_on,
                closure,
                outcome: case.state.outcome.as_deref().filter(|_| is_final),
                working_days,
                ceiling,
                within_ceiling,
            },
        );
        let breaches = case.state.breaches;
        if is_final && (breaches.ceiling_breached || breaches.extended_beyond_ceiling) {
            self.listed.ceiling_breaches += 1;
            listing.push(
                |l| &mut l.breaches,
                |_| BreachAlert {
                    alert: AlertRef(case),
                    stage: &visit.stage,
                    ceiling,
                    ceiling_breached: breaches.ceiling_breached,
                    extended_beyond_ceiling: breaches.extended_beyond_ceiling,
                    working_days_past_ceiling: None,
                    closed_on: Some(closed_on),
                },
            );
        }
        Ok(())
    }
}
