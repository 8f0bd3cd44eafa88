//! What time does by itself: the transitions of windows that act when they
//! run out (deemed agreement, automatic escalation), made by applying time's
//! own events on the days [`super::clock`] gives.
//!
//! Above [`super::apply`]: time's transitions are applied like any event, so
//! the rules every event keeps hold for them too.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::apply::apply;
use super::check::check_state_to_write;
use super::clock::{current_stage, is_the_time_action, pending_expiry, takes_effect, wakes_after};
use super::error::EngineError;
use super::types::{AlertState, Event, EventKind, OwnedTransition};
use crate::calendar::WorkingCalendar;
use crate::ladder::{ExpiryAction, Ladder, Stage};

/// The actor recorded on the events time causes by itself ([`advance`]).
pub const TIME_ACTOR: &str = "(time)";

/// An alert after time has acted on it ([`advance`]).
///
/// The state is borrowed when time did nothing (no copy is made: the common
/// case of a nightly job), owned when it acted; `state.into_owned()` gives an
/// owned one either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advanced<'s> {
    /// The state as time left it on the as-of date.
    pub state: Cow<'s, AlertState>,
    /// The transitions time caused, in order, each dated on the day it took
    /// effect, with its audit entry (actor [`TIME_ACTOR`]).
    pub transitions: Vec<OwnedTransition>,
}

/// The transitions that time alone causes up to `as_of`: review decisions deemed
/// agreed, automatic escalations, each dated on the day it took effect
/// ([`next_time_action`](super::next_time_action)) and recorded in the audit trail like any other event.
///
/// Pure: the same state and date give the same result on every platform.
/// [`status`](super::status), [`replay`](super::replay), the report, the
/// iCalendar export and `ladder run --as-of` all call it, so an alert is never
/// shown awaiting a response after it was deemed agreed.
///
/// [`apply`](super::apply) refuses an event dated on or after the day time acted
/// ([`Refusal::TimeActed`](super::Refusal::TimeActed)) unless it is the action
/// time itself takes: advance first. A response that arrives after a deemed
/// agreement is then recorded as late ([`Effect::LateResponse`](super::Effect::LateResponse))
/// and does not undo it.
///
/// # Properties
///
/// - Idempotent: advancing an advanced state to the same date changes nothing.
/// - Commutes with time: advancing to D1 and then to D2 (D1 <= D2) gives the
///   state advancing to D2 gives.
/// - Allocates and copies nothing when nothing is due and the state's
///   [`wakes_on`](AlertState::wakes_on) is already the one counted from
///   `as_of`: the state comes back borrowed. Otherwise the state comes back
///   with `wakes_on` counted from `as_of`, even when time did nothing (an
///   alert overdue since yesterday wakes next when its ceiling passes), so
///   a scheduler selecting `wakes_on <= today` sees each alert once per
///   change.
///
/// # Errors
///
/// The state's own checks ([`check_state`](super::check_state)):
/// [`EngineError::SchemaVersion`], [`EngineError::WrongLadder`], and
/// [`EngineError::LadderChanged`] or [`EngineError::CalendarChanged`] for a
/// state computed on another ladder or calendar (or that has dates and
/// records no fingerprint), whether or not time would act: time does not
/// act on dates that may be wrong, and the state it gives back must not
/// look checked. [`EngineError::Calendar`] for a date outside the
/// calendar's range; as [`apply`](super::apply) otherwise (a state that
/// has applied `u32::MAX` events is refused, [`EngineError::EventsExhausted`],
/// when time would act).
///
/// # Example
///
/// The decisions of Friday 18 December 2026's hand-over are deemed agreed on
/// Wednesday 30 December, and the alert is closed:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{advance, replay, Event, Phase};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
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
/// let new_year = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
/// let advanced = advance(&ladder, &calendar, &state, new_year)?;
/// assert_eq!(advanced.state.phase, Phase::DeemedAgreed);
/// assert_eq!(advanced.transitions.len(), 1);
/// assert_eq!(advanced.transitions[0].audit.event.on, NaiveDate::from_ymd_opt(2026, 12, 30).unwrap());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn advance<'s>(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &'s AlertState,
    as_of: NaiveDate,
) -> Result<Advanced<'s>, EngineError> {
    check_state_to_write(ladder, calendar, state)?;
    calendar.is_working_day(as_of)?;
    let mut advanced = advance_while(ladder, calendar, state, |on, _, _| on <= as_of)?;
    // The state is as at `as_of` now: it wakes next after it.
    let now = &*advanced.state;
    let wakes_on = wakes_after(ladder, || current_stage(ladder, now), calendar, now, as_of);
    if wakes_on != advanced.state.wakes_on {
        advanced.state.to_mut().wakes_on = wakes_on;
    }
    Ok(advanced)
}

/// Lets time act, one action at a time, while `acts(day, action, stage)` says
/// the next action is to be taken.
fn advance_while<'s>(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &'s AlertState,
    acts: impl Fn(NaiveDate, ExpiryAction, &Stage) -> bool,
) -> Result<Advanced<'s>, EngineError> {
    let mut advanced = Advanced {
        state: Cow::Borrowed(state),
        transitions: Vec::new(),
    };
    // Each action leaves the stage or closes the alert, and a validated ladder
    // has no cycles: the bound only protects a ladder built by hand.
    for _ in 0..=ladder.stages.len() {
        let stage = current_stage(ladder, &advanced.state);
        let Some((respond_by, action)) = pending_expiry(stage, &advanced.state) else {
            break;
        };
        let on = takes_effect(calendar, respond_by)?;
        if !stage.is_some_and(|s| acts(on, action, s)) {
            break;
        }
        let event = time_event(on, action, &advanced.state);
        let transition = apply(ladder, calendar, &advanced.state, &event)?.into_owned();
        advanced.state = Cow::Owned(transition.state.clone());
        advanced.transitions.push(transition);
    }
    Ok(advanced)
}

/// What time does before `event` can be applied: [`advance`] to the event's
/// date, except that the event's own action is left to the event (a
/// `deem-agreed` recorded by hand on or after the day it took effect is applied
/// as recorded, not preceded by time's own).
///
/// Call it before [`apply`](super::apply) when applying a case system's events
/// one at a time, as [`replay`](super::replay) does.
///
/// # Errors
///
/// As [`advance`].
///
/// # Example
///
/// A team manager answers review decisions on Monday 4 January 2027, after they
/// were deemed agreed on Wednesday 30 December 2026: time acts first, and the
/// answer is recorded as late.
///
/// ```
/// use escalation_ladder::engine::{advance_for, apply, replay, Effect, Event, Phase};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
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
/// let answer: Event = serde_json::from_str(
///     r#"{"on":"2027-01-04","actor":"tm","type":"respond","outcome":"unable-to-agree"}"#,
/// )?;
/// let advanced = advance_for(&ladder, &calendar, &state, &answer)?;
/// assert_eq!(advanced.state.phase, Phase::DeemedAgreed);
/// let late = apply(&ladder, &calendar, &advanced.state, &answer)?;
/// assert_eq!(late.state.phase, Phase::DeemedAgreed);
/// assert!(late.effects().any(|e| matches!(e, Effect::LateResponse { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn advance_for<'s>(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &'s AlertState,
    event: &Event,
) -> Result<Advanced<'s>, EngineError> {
    check_state_to_write(ladder, calendar, state)?;
    // Time may act several times before the event (an automatic escalation,
    // then a deemed agreement), and the event may itself be one of those
    // actions: that one is left to the event.
    advance_while(ladder, calendar, state, |on, action, stage| {
        on <= event.on && !is_the_time_action(&event.kind, action, stage)
    })
}

/// The event time records when it acts.
fn time_event(on: NaiveDate, action: ExpiryAction, state: &AlertState) -> Event {
    let kind = match action {
        ExpiryAction::DeemedAgreed => EventKind::DeemAgreed,
        _ => EventKind::Escalate {
            to: None,
            reason: format!(
                "no response by {}: the ladder escalates automatically",
                state.respond_by.map_or_else(String::new, |d| d.to_string())
            ),
        },
    };
    Event {
        on,
        actor: TIME_ACTOR.to_string(),
        id: None,
        meta: None,
        kind,
    }
}
