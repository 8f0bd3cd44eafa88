//! What is due, by whom, as at a date.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use super::check::check_state;
use super::clock::{current_stage, pending_expiry, takes_effect, time_action_at};
use super::error::EngineError;
use super::time::advance;
use super::types::{AlertState, DutyStatus, Phase, Stale, Status};
use crate::calendar::WorkingCalendar;
use crate::ladder::{ClockStart, Ladder, Stage};

/// An alert's position as at a date, after time has acted on it up to that date
/// ([`advance`]): a team manager who has not answered review decisions is shown
/// as deemed to agree, never as still awaited.
///
/// A state whose dates were computed on another ladder or calendar than the
/// ones given (or that has dates and records no fingerprint) is shown as
/// stored, time not acting on it, and flagged in
/// [`computed_on_other`](Status::computed_on_other)
/// ([`check_state`](super::check_state)).
///
/// # Errors
///
/// [`EngineError::SchemaVersion`] for a state stored by a newer release and
/// [`EngineError::WrongLadder`] for a state of another ladder
/// ([`check_state`](super::check_state));
/// [`EngineError::Calendar`] for an `as_of` outside the calendar's range;
/// [`EngineError::AsOfBeforeRaise`] for an `as_of` before the alert was raised
/// (it was not open then); as [`advance`] otherwise.
///
/// # Example
///
/// ```
/// use chrono::{Datelike, NaiveDate};
/// use escalation_ladder::engine::{replay, status, Event, EventKind};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise = Event {
///     on: NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(),
///     actor: "iro".into(),
///     id: None,
///     meta: None,
///     kind: EventKind::Raise { stage: Some("team-manager".into()), category: None, reason: "drift".into() },
/// };
/// let (state, _trail) = replay(&ladder, &calendar, [&raise])?;
/// let now = status(&ladder, &calendar, &state, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())?;
/// assert!(now.overdue);
/// assert_eq!(now.working_days_left, Some(-2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[inline]
pub fn status<'l>(
    ladder: &'l Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    as_of: NaiveDate,
) -> Result<Status<'l>, EngineError> {
    // A state computed on another ladder or calendar is shown as stored and
    // flagged: time does not act on dates that may be wrong. Computed once:
    // past this point it is all false (and a state time advances records
    // the ladder and calendar given).
    let computed_on_other = check_state(ladder, calendar, state)?;
    calendar.is_working_day(as_of)?;
    if let Some(raised_on) = state.raised_on.filter(|&raised_on| as_of < raised_on) {
        return Err(EngineError::AsOfBeforeRaise { as_of, raised_on });
    }
    let stage = current_stage(ladder, state);
    let pending = match computed_on_other.any() {
        true => None,
        false => pending_expiry(stage, state),
    };
    let Some((respond_by, _)) = pending else {
        return status_of(
            stage,
            calendar,
            state,
            as_of,
            None,
            ladder,
            computed_on_other,
        );
    };
    let time_acts_on = takes_effect(calendar, respond_by)?;
    if time_acts_on > as_of {
        return status_of(
            stage,
            calendar,
            state,
            as_of,
            Some(time_acts_on),
            ladder,
            computed_on_other,
        );
    }
    let advanced = advance(ladder, calendar, state, as_of)?;
    let stage = current_stage(ladder, &advanced.state);
    let time_acts_on = time_action_at(stage, calendar, &advanced.state)?.map(|t| t.0);
    status_of(
        stage,
        calendar,
        &advanced.state,
        as_of,
        time_acts_on,
        ladder,
        computed_on_other,
    )
}

/// Calendar days from `from` to `to` (an integer subtraction; chrono's
/// `signed_duration_since` goes through a `TimeDelta`).
#[inline]
fn calendar_days(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.num_days_from_ce()) - i64::from(from.num_days_from_ce())
}

/// The status of a state time has nothing more to do to by `as_of`;
/// `time_acts_on` is when it will next act.
// Always inlined, so the (large) status is written where the caller wants it
// instead of being built here and copied out.
#[inline(always)]
fn status_of<'l>(
    stage: Option<&'l Stage>,
    calendar: &WorkingCalendar,
    state: &AlertState,
    as_of: NaiveDate,
    time_acts_on: Option<NaiveDate>,
    ladder: &'l Ladder,
    computed_on_other: Stale,
) -> Result<Status<'l>, EngineError> {
    let open = state.phase.is_open();
    // The step the stage's clock waits for, while it is not recorded.
    let awaiting = match (state.phase, stage) {
        (Phase::AwaitingResponse, Some(stage)) => match &stage.window.from {
            Some(ClockStart::Step(step)) if state.step_on(step).is_none() => {
                stage.steps.iter().find(|s| s.id == *step)
            }
            _ => None,
        },
        _ => None,
    };
    let who_must_act = match (state.phase, stage, awaiting) {
        (Phase::AwaitingResponse, _, Some(step)) => Cow::Borrowed(&step.by[..]),
        (Phase::AwaitingResponse, Some(stage), None) => Cow::Borrowed(&stage.responders[..]),
        (Phase::AwaitingDecision, Some(stage), _) => {
            Cow::Borrowed(std::slice::from_ref(&stage.raised_by))
        }
        _ => Cow::Borrowed(&[][..]),
    };
    let next_deadline = if state.phase == Phase::AwaitingResponse {
        state.respond_by
    } else {
        None
    };
    let working_days_left = match next_deadline {
        Some(due) => Some(calendar.count_working_days(as_of, due)?),
        None => None,
    };
    let overdue = next_deadline.is_some_and(|due| as_of > due);
    let ceiling_working_days_left = match (open, state.ceiling) {
        (true, Some(ceiling)) => Some(calendar.count_working_days(as_of, ceiling)?),
        _ => None,
    };
    let mut breaches = state.breaches;
    if open && state.ceiling.is_some_and(|c| as_of > c) {
        breaches.ceiling_breached = true;
    }
    let open_until = if open {
        Some(as_of)
    } else {
        state.last_event_on
    };
    let open_working_days = match (state.raised_on, open_until) {
        (Some(raised), Some(until)) => Some(calendar.count_working_days(raised, until)?),
        _ => None,
    };
    let threshold_working_days = match (&ladder.open_threshold, open) {
        (Some(threshold), true) => {
            let clock = match threshold.from {
                Some(_) => state.threshold_from,
                None => state.raised_on,
            };
            match clock {
                Some(from) => Some(calendar.count_working_days(from, as_of)?),
                None => None,
            }
        }
        _ => None,
    };
    let over_open_threshold = match (&ladder.open_threshold, threshold_working_days) {
        (Some(threshold), Some(days)) => days > i64::from(threshold.working_days),
        _ => false,
    };
    let mut duties = Vec::new();
    for duty in state.open_duties() {
        let Some(def) = ladder.duty(&duty.duty) else {
            continue;
        };
        let working_days_left = match duty.due {
            Some(due) => Some(calendar.count_working_days(as_of, due)?),
            None => None,
        };
        duties.push(DutyStatus {
            duty: Cow::Borrowed(&*def.id),
            owners: Cow::Borrowed(&def.owners[..]),
            unit: def.window.unit,
            started_on: duty.started_on,
            due: duty.due,
            overdue: duty.due.is_some_and(|due| as_of > due),
            working_days_left,
            calendar_days_left: duty.due.map(|due| calendar_days(as_of, due)),
        });
    }
    Ok(Status {
        schema_version: crate::version::SchemaVersion,
        as_of,
        phase: state.phase,
        stage: stage.map(|s| Cow::Borrowed(&*s.id)),
        who_must_act,
        awaiting_step: awaiting.map(|s| Cow::Borrowed(&*s.id)),
        next_deadline,
        working_days_left,
        calendar_days_left: next_deadline.map(|due| calendar_days(as_of, due)),
        overdue,
        on_expiry: stage.filter(|_| overdue).map(|s| s.on_expiry.action),
        ceiling: state.ceiling,
        ceiling_working_days_left,
        breaches,
        open_working_days,
        threshold_working_days,
        over_open_threshold,
        time_acts_on,
        duties,
        computed_on_other,
    })
}
