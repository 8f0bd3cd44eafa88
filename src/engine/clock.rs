//! The rules of dates, in one place: when a window ends, when the ceiling
//! caps it, when a clock starts, and when time will act by itself once a
//! window runs out.
//!
//! Every date the engine computes comes from a function here; the event
//! handlers ([`super::handlers`]) only decide *which* rule applies, and
//! [`super::time`] makes time's own transitions on the days given here.
//! Nothing here applies an event, so `apply`, the handlers and `advance` all
//! sit above this module.

use chrono::NaiveDate;

use super::check::check_state_to_write;
use super::error::EngineError;
use super::types::{AlertState, Deadline, EventKind, Phase};
use crate::calendar::{Roll, WorkingCalendar};
use crate::ladder::{ClockStart, Duty, ExpiryAction, Ladder, Stage, Window, WindowUnit};

/// The day a window ends when its clock starts on `start`.
///
/// - `working-days`: the `count`-th working day strictly after `start` (the day
///   of receipt is day 0).
/// - `calendar-days`, `weeks`: that many days or weeks later, rolled back to a
///   working day ([`Roll::Preceding`]).
/// - `immediately`: `start` itself, whether or not it is a working day.
/// - `agreed-date`, `none-stated`: no date (an agreed date comes with its event).
fn window_ends(
    window: &Window,
    calendar: &WorkingCalendar,
    start: NaiveDate,
) -> Result<Option<NaiveDate>, EngineError> {
    let count = i32::try_from(window.count.unwrap_or(0)).unwrap_or(i32::MAX);
    Ok(match window.unit {
        WindowUnit::WorkingDays => Some(calendar.add_working_days(start, count)?),
        // Rolled back to a working day, but never before the clock's start (a
        // 1-calendar-day window from Boxing Day would otherwise end on
        // Christmas Eve): then forward instead.
        WindowUnit::CalendarDays => Some(not_before(
            start,
            calendar.add_calendar_days(start, count, Roll::Preceding)?,
            || calendar.add_calendar_days(start, count, Roll::Following),
        )?),
        WindowUnit::Weeks => Some(not_before(
            start,
            calendar.add_weeks(start, count, Roll::Preceding)?,
            || calendar.add_weeks(start, count, Roll::Following),
        )?),
        WindowUnit::Immediately => {
            // Checked against the calendar's range like every other date.
            calendar.is_working_day(start)?;
            Some(start)
        }
        WindowUnit::AgreedDate | WindowUnit::NoneStated => None,
    })
}

/// `rolled_back`, or `forward()` when rolling back went before `start`.
fn not_before(
    start: NaiveDate,
    rolled_back: NaiveDate,
    forward: impl FnOnce() -> Result<NaiveDate, crate::CalendarError>,
) -> Result<NaiveDate, EngineError> {
    if rolled_back >= start {
        Ok(rolled_back)
    } else {
        Ok(forward()?)
    }
}

/// The response date a stage's window gives when its clock starts on `start`
/// (the day the stage is entered, or the day of the step its window names),
/// before any ceiling.
///
/// # Errors
///
/// [`EngineError::Calendar`] when the date falls outside the calendar's range.
///
/// # Example
///
/// Birmingham's immediate-safety route: a concern raised on Good Friday 2027 is
/// due that day, not on the next working day.
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::window_end;
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("birmingham-cp-notification")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let good_friday = NaiveDate::from_ymd_opt(2027, 3, 26).unwrap();
/// let stage = ladder.stage("immediate-safety").unwrap();
/// assert_eq!(window_end(stage, &calendar, good_friday)?, Some(good_friday));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn window_end(
    stage: &Stage,
    calendar: &WorkingCalendar,
    start: NaiveDate,
) -> Result<Option<NaiveDate>, EngineError> {
    window_ends(&stage.window, calendar, start)
}

/// The day a duty started on `on` is due: its window from `on`, or the agreed
/// date for an `agreed-date` duty.
pub(crate) fn duty_due(
    duty: &Duty,
    calendar: &WorkingCalendar,
    on: NaiveDate,
    agreed: Option<NaiveDate>,
) -> Result<Option<NaiveDate>, EngineError> {
    match duty.window.unit {
        WindowUnit::AgreedDate => Ok(agreed),
        _ => window_ends(&duty.window, calendar, on),
    }
}

/// The deadline a stage's clock gives when it starts on `start`: the window's
/// end, capped at the ceiling when the clock started on or before the ceiling
/// date.
///
/// The ceiling day is still inside the ceiling ("no more than 20 working days
/// in total"): a stage entered on it is due that same day, like every stage
/// entered before it. Only a clock that starts after the ceiling date (an
/// escalation after a breach, a reopen) gets its own full window: capping it
/// would put the response date before the day the stage was entered. The
/// breach stays flagged.
pub(crate) fn stage_deadline<'a>(
    stage: &'a Stage,
    calendar: &WorkingCalendar,
    start: NaiveDate,
    ceiling: Option<NaiveDate>,
) -> Result<Deadline<'a>, EngineError> {
    let ends = window_end(stage, calendar, start)?;
    let (respond_by, capped_from) = match (ends, ceiling) {
        (Some(end), Some(ceiling)) if start <= ceiling && end > ceiling => {
            (Some(ceiling), Some(end))
        }
        _ => (ends, None),
    };
    Ok(Deadline {
        stage,
        respond_by,
        capped_from,
    })
}

/// The day a stage's clock started: the day it was entered, or the day of the
/// step its window names (`None` until that step is recorded).
pub(crate) fn clock_start(stage: &Stage, state: &AlertState) -> Option<NaiveDate> {
    match &stage.window.from {
        Some(ClockStart::Step(step)) => state.step_on(step),
        _ => state.stage_entered_on,
    }
}

/// The latest date extra time may reach at a stage with a `max_working_days`
/// limit: that many working days from the clock's start.
pub(crate) fn extension_limit(
    stage: &Stage,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> Result<Option<(u32, NaiveDate)>, EngineError> {
    let (Some(max), Some(start)) = (stage.window.max_working_days, clock_start(stage, state))
    else {
        return Ok(None);
    };
    let days = i32::try_from(max).unwrap_or(i32::MAX);
    Ok(Some((max, calendar.add_working_days(start, days)?)))
}

/// When time will act by itself on this state, and how: the first working day
/// after the response date of a stage whose window, once run out, deems the
/// other side to agree or escalates automatically. `None` when nothing will
/// happen without somebody acting.
///
/// The action takes effect on the first working day *after* the response date:
/// the responder has the whole of the last day, and offices act on working days
/// (a window ending on Thursday 24 December 2026 takes effect on Tuesday 29th).
///
/// # Errors
///
/// The state's own checks, as [`advance`](super::advance) makes them
/// ([`check_state`](super::check_state): a later schema version, another
/// ladder, a state computed on another ladder or calendar);
/// [`EngineError::Calendar`] when the date falls outside the calendar's range.
///
/// # Example
///
/// Review decisions received by the team manager on Friday 18 December 2026: the
/// 5 working days end on Tuesday 29th (Christmas Day and the Boxing Day
/// substitute on Monday 28th do not count), so they are deemed agreed on
/// Wednesday 30th.
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{next_time_action, replay, Event};
/// use escalation_ladder::ladder::{builtin, ExpiryAction};
/// use escalation_ladder::{Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("lac-review-decisions")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let events: Vec<Event> = [
///     r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review on 14 December"}"#,
///     r#"{"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"}"#,
/// ]
/// .iter()
/// .map(|line| serde_json::from_str(line))
/// .collect::<Result<_, _>>()?;
/// let (state, _) = replay(&ladder, &calendar, &events)?;
/// let (on, action) = next_time_action(&ladder, &calendar, &state)?.unwrap();
/// assert_eq!(on, NaiveDate::from_ymd_opt(2026, 12, 30).unwrap());
/// assert_eq!(action, ExpiryAction::DeemedAgreed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn next_time_action(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> Result<Option<(NaiveDate, ExpiryAction)>, EngineError> {
    check_state_to_write(ladder, calendar, state)?;
    time_action_at(current_stage(ladder, state), calendar, state)
}

/// The response date and the action of a window that time will act on, for
/// the state's stage (already looked up): `None`, without touching the
/// calendar, in the common case where time will do nothing.
#[inline]
pub(crate) fn pending_expiry(
    stage: Option<&Stage>,
    state: &AlertState,
) -> Option<(NaiveDate, ExpiryAction)> {
    let (Phase::AwaitingResponse, Some(respond_by), Some(stage)) =
        (state.phase, state.respond_by, stage)
    else {
        return None;
    };
    let action = stage.on_expiry.action;
    matches!(
        action,
        ExpiryAction::DeemedAgreed | ExpiryAction::EscalatesAutomatically
    )
    .then_some((respond_by, action))
}

/// The day a pending expiry takes effect: the first working day after the
/// response date.
pub(crate) fn takes_effect(
    calendar: &WorkingCalendar,
    respond_by: NaiveDate,
) -> Result<NaiveDate, EngineError> {
    Ok(calendar.add_working_days(respond_by, 1)?)
}

/// [`next_time_action`] with the state's stage already looked up.
pub(crate) fn time_action_at(
    stage: Option<&Stage>,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> Result<Option<(NaiveDate, ExpiryAction)>, EngineError> {
    match pending_expiry(stage, state) {
        None => Ok(None),
        Some((respond_by, action)) => Ok(Some((takes_effect(calendar, respond_by)?, action))),
    }
}

/// The first day after `after` on which the status of `state` changes by
/// time alone, other than in its counts of days: what
/// [`AlertState::wakes_on`](super::AlertState::wakes_on) records. `stage`
/// looks up the state's stage, which only a response date already passed
/// needs (to know whether time will act).
///
/// What changes the status by time alone, each on a day the state fixes:
///
/// - the response date passes: `overdue` (and `on_expiry`) from the day
///   after it, while the alert awaits the response;
/// - time acts (deemed agreement, automatic escalation): on the first
///   working day after the response date, never before the day it became
///   overdue, so it is the next change only once that day has passed;
/// - the ceiling passes: `ceiling_breached` from the day after it, while
///   the alert is open and not flagged already;
/// - the open threshold's limit passes: `over_open_threshold` from the
///   working day that takes the count of working days past the limit;
/// - a duty's due date passes: its `overdue`, from the day after, open or
///   closed alert alike (Birmingham's feedback after resolution is a duty).
///
/// Each is one date comparison or one O(1) calendar lookup. A day past the
/// calendar's range is no day: the status cannot be asked then either.
#[inline(always)]
pub(crate) fn wakes_after<'l>(
    ladder: &'l Ladder,
    stage: impl FnOnce() -> Option<&'l Stage>,
    calendar: &WorkingCalendar,
    state: &AlertState,
    after: NaiveDate,
) -> Option<NaiveDate> {
    // The last day before the earliest change found so far: a change on the
    // day after `last` is after `after` exactly when `last >= after`. The
    // day after it is worked out once, at the end.
    let mut last = NaiveDate::MAX;
    let mut consider = |day: NaiveDate| {
        if day >= after && day < last {
            last = day;
        }
    };
    if state.phase.is_open() {
        if let (Phase::AwaitingResponse, Some(due)) = (state.phase, state.respond_by) {
            if due >= after {
                consider(due);
            } else {
                time_acts_after(stage(), calendar, state, &mut consider);
            }
        }
        if let (Some(ceiling), false) = (state.ceiling, state.breaches.ceiling_breached) {
            consider(ceiling);
        }
        if ladder.open_threshold.is_some() {
            threshold_passes(ladder, calendar, state, &mut consider);
        }
    }
    for duty in state.duties.iter() {
        if let (None, Some(due)) = (duty.completed_on, duty.due) {
            consider(due);
        }
    }
    (last != NaiveDate::MAX).then(|| last.succ_opt()).flatten()
}

/// For [`wakes_after`]: the day before time acts on an alert overdue already
/// (rare: out of line).
#[cold]
#[inline(never)]
fn time_acts_after(
    stage: Option<&Stage>,
    calendar: &WorkingCalendar,
    state: &AlertState,
    consider: &mut dyn FnMut(NaiveDate),
) {
    if let Some((respond_by, _)) = pending_expiry(stage, state) {
        if let Some(last) = takes_effect(calendar, respond_by)
            .ok()
            .and_then(|acts| acts.pred_opt())
        {
            consider(last);
        }
    }
}

/// For [`wakes_after`]: the day before the open threshold's count passes its
/// limit (one ladder in eight has a threshold: out of line).
#[inline(never)]
fn threshold_passes(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    consider: &mut dyn FnMut(NaiveDate),
) {
    let Some(threshold) = &ladder.open_threshold else {
        return;
    };
    let clock = match threshold.from {
        Some(_) => state.threshold_from,
        None => state.raised_on,
    };
    let past = i32::try_from(threshold.working_days)
        .ok()
        .and_then(|n| n.checked_add(1));
    if let (Some(from), Some(past)) = (clock, past) {
        if let Some(last) = calendar
            .add_working_days(from, past)
            .ok()
            .and_then(|d| d.pred_opt())
        {
            consider(last);
        }
    }
}

/// Whether `kind` is the action time itself takes at this expiry, so the event
/// may be recorded on or after the day it took effect: `deem-agreed` for a
/// deemed agreement, `escalate` to the next stage for an automatic escalation.
pub(crate) fn is_the_time_action(kind: &EventKind, action: ExpiryAction, stage: &Stage) -> bool {
    match (kind, action) {
        (EventKind::DeemAgreed, ExpiryAction::DeemedAgreed) => true,
        (EventKind::Escalate { to, .. }, ExpiryAction::EscalatesAutomatically) => {
            match (to.as_deref(), &stage.next) {
                (None, _) => true,
                (Some(to), Some(next)) => *next.to == *to,
                (Some(_), None) => false,
            }
        }
        _ => false,
    }
}

/// The stage the state is at, looked up by address first.
pub(crate) fn current_stage<'l>(ladder: &'l Ladder, state: &AlertState) -> Option<&'l Stage> {
    state
        .stage
        .as_deref()
        .and_then(|id| ladder.stage_index(id))
        .map(|i| &ladder.stages[i])
}
