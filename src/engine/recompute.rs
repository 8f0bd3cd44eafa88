//! Re-basing a stored alert after its ladder or calendar changed, and
//! correcting its history: both replay the caller's events of its audit
//! trail and make time's own transitions again.

use chrono::NaiveDate;
use serde::Serialize;

use super::check::check_state;
use super::error::{EngineError, TrailMismatch};
use super::replay::replay_numbered;
use super::time::{advance, TIME_ACTOR};
use super::types::{AlertState, AuditEntry, Breaches, DutyState, Event, Phase};
use crate::calendar::WorkingCalendar;
use crate::ladder::Ladder;

/// What a state says about its deadlines: the part that a change of ladder or
/// calendar, or a corrected history, can move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Deadlines {
    /// The phase.
    pub phase: Phase,
    /// The current stage.
    pub stage: Option<String>,
    /// The current stage's response date.
    #[serde(serialize_with = "crate::input::write::optional")]
    pub respond_by: Option<NaiveDate>,
    /// The ceiling date.
    #[serde(serialize_with = "crate::input::write::optional")]
    pub ceiling: Option<NaiveDate>,
    /// The breach flags.
    pub breaches: Breaches,
    /// The duties beside the ladder started so far, as the state tracks
    /// them (started, due, completed).
    pub duties: Vec<DutyState>,
}

impl Deadlines {
    /// The deadlines a state holds.
    pub fn of(state: &AlertState) -> Deadlines {
        Deadlines {
            phase: state.phase,
            stage: state.stage.as_deref().map(str::to_string),
            respond_by: state.respond_by,
            ceiling: state.ceiling,
            breaches: state.breaches,
            duties: state.duties.to_vec(),
        }
    }
}

/// A stored alert replayed under a new ladder or calendar ([`recompute`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recomputed<'a> {
    /// The state to store from now on.
    pub state: AlertState,
    /// The new audit trail: the caller's events as before, time's own
    /// transitions on the days the new calendar gives.
    pub trail: Vec<AuditEntry<'a>>,
    /// The deadlines as stored.
    pub before: Deadlines,
    /// The deadlines as recomputed.
    pub after: Deadlines,
}

impl Recomputed<'_> {
    /// Whether anything a QA service watches moved.
    pub fn moved(&self) -> bool {
        self.before != self.after
    }
}

/// Replays a stored alert's audit trail under `ladder` and `calendar` (a new
/// version of the procedure, a closure, a newly proclaimed bank holiday) and
/// says what moved: response date, ceiling, breach flags, phase and stage.
///
/// The caller's own events are replayed in order; the transitions time made by
/// itself (actor [`TIME_ACTOR`]) are not taken from the old trail but made
/// again, on the days the new calendar gives. The old trail stays readable and
/// verifiable with [`replay_trail`](super::replay_trail) and the calendar it
/// names.
///
/// The trail must be the stored state's: one entry per event it applied
/// (its [`events_applied`](AlertState::events_applied), time's own
/// transitions included), numbered 1, 2, … in order, the last leaving the
/// alert in the state's phase and at its stage (an empty trail goes with a
/// state not raised). Otherwise replaying it would not re-base the alert but
/// replace it (an empty trail would wipe a raised one).
///
/// # Errors
///
/// [`EngineError::SchemaVersion`] and [`EngineError::WrongLadder`] for the
/// stored state ([`check_state`](super::check_state); a state computed on
/// another ladder or calendar is what this function is for);
/// [`EngineError::TrailDoesNotMatchState`] for a trail that is not the
/// state's; then the first event the new ladder or calendar refuses (for
/// example extra time agreed to a day that is now a closure), as
/// [`apply`](super::apply) gives it.
///
/// # Example
///
/// An alert raised on Friday 18 December 2026 was due Tuesday 29th; then the
/// council closes from 29 to 31 December. Recomputed, it is due Monday 4
/// January 2027 (21, 22, 23, 24 December, then past Christmas, the Boxing Day
/// substitute, the closure and New Year's Day):
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{recompute, replay, Event};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let old = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise: Event = serde_json::from_str(
///     r#"{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
/// let (stored, trail) = replay(&ladder, &old, [&raise])?;
/// assert_eq!(stored.respond_by, Some(date(2026, 12, 29)));
///
/// let new = WorkingCalendar::builder(Region::EnglandAndWales)
///     .closure(date(2026, 12, 29), "shutdown")
///     .closure(date(2026, 12, 30), "shutdown")
///     .closure(date(2026, 12, 31), "shutdown")
///     .build()?;
/// let rebased = recompute(&ladder, &new, &stored, &trail)?;
/// assert!(rebased.moved());
/// assert_eq!(rebased.before.respond_by, Some(date(2026, 12, 29)));
/// assert_eq!(rebased.after.respond_by, Some(date(2027, 1, 4)));
/// assert_eq!(rebased.after.ceiling, Some(date(2027, 1, 25)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn recompute<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    stored: &AlertState,
    trail: &'a [AuditEntry<'a>],
) -> Result<Recomputed<'a>, EngineError> {
    recompute_to(ladder, calendar, stored, trail, None)
}

/// [`recompute`], with time acting up to `as_of` after the last event (a
/// nightly re-basing run gives today): time's own transitions are made
/// again up to that date, on the days the new calendar gives. Without
/// `as_of`, time acts up to the last day the stored trail reaches (its
/// last entry, time's own included), so a deemed agreement the stored
/// alert had is made again rather than lost. Never before the last event
/// replayed.
///
/// # Errors
///
/// As [`recompute`]; [`EngineError::Calendar`] for an `as_of` outside the
/// calendar's range.
///
/// # Example
///
/// Review decisions sent to the team manager on Monday 21 December 2026 are
/// due on Wednesday 30th and, unanswered, deemed agreed on Thursday 31st. A
/// closure on 31 December, recomputed on 4 January 2027, moves the deemed
/// agreement to Monday 4 January (New Year's Day is a bank holiday):
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{advance, recompute_to, replay, Event, Phase};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let ladder = builtin::ladder("lac-review-decisions")?;
/// let old = WorkingCalendar::new(Region::EnglandAndWales);
/// let events: Vec<Event> = [
///     r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review on 14 December"}"#,
///     r#"{"on":"2026-12-21","actor":"iro","type":"escalate","reason":"decisions sent"}"#,
/// ]
/// .iter()
/// .map(|line| serde_json::from_str(line))
/// .collect::<Result<_, _>>()?;
/// let (sent, mut trail) = replay(&ladder, &old, &events)?;
/// let deemed = advance(&ladder, &old, &sent, date(2026, 12, 31))?;
/// trail.extend(deemed.transitions.into_iter().map(|t| t.audit));
/// let stored = deemed.state.into_owned();
/// assert_eq!(stored.phase, Phase::DeemedAgreed);
///
/// let new = WorkingCalendar::builder(Region::EnglandAndWales)
///     .closure(date(2026, 12, 31), "shutdown")
///     .build()?;
/// let rebased = recompute_to(&ladder, &new, &stored, &trail, Some(date(2027, 1, 4)))?;
/// assert_eq!(rebased.after.phase, Phase::DeemedAgreed);
/// assert_eq!(rebased.trail.last().unwrap().event.on, date(2027, 1, 4));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn recompute_to<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    stored: &AlertState,
    trail: &'a [AuditEntry<'a>],
    as_of: Option<NaiveDate>,
) -> Result<Recomputed<'a>, EngineError> {
    // A state computed on another ladder or calendar is what recompute is
    // for: only the version and the ladder are held to.
    check_state(ladder, calendar, stored)?;
    check_trail(stored, trail)?;
    let events = callers_events(trail).map(|(_, event)| event);
    rebase(ladder, calendar, stored, events, as_of).map_err(|(_, e)| e)
}

/// The entries of a trail that are the caller's events (not time's own),
/// with their sequence numbers.
pub(crate) fn callers_events<'t, 'a: 't>(
    trail: &'t [AuditEntry<'a>],
) -> impl Iterator<Item = (u32, &'t Event)> {
    trail
        .iter()
        .filter(|entry| entry.event.actor != TIME_ACTOR)
        .map(|entry| (entry.sequence, &*entry.event))
}

/// The place [`rebase`] gives an error of time acting after the last event.
pub(crate) const AFTER_THE_EVENTS: usize = usize::MAX;

/// Replays `events` (the caller's, in order) from nothing, lets time act
/// up to `as_of` (or the last day `stored` reached) and no earlier than the
/// last event, and says what moved against `stored`; an error comes with
/// the place (from 0) of the event refused, or [`AFTER_THE_EVENTS`] when
/// time acting after the last one failed.
// The place beside the error is what a correction names; the error path
// is the rare one, so it is not boxed (as `apply`'s own error is not).
#[allow(clippy::result_large_err)]
pub(crate) fn rebase<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    stored: &AlertState,
    events: impl IntoIterator<Item = &'a Event>,
    as_of: Option<NaiveDate>,
) -> Result<Recomputed<'a>, (usize, EngineError)> {
    let (state, mut trail) = replay_numbered(ladder, calendar, events)?;
    let until = as_of.or(stored.last_event_on).max(state.last_event_on);
    let state = match until {
        // Time acts up to the date; the state wakes next after it.
        Some(until) if state.phase != Phase::NotRaised => {
            let advanced =
                advance(ladder, calendar, &state, until).map_err(|e| (AFTER_THE_EVENTS, e))?;
            trail.extend(advanced.transitions.into_iter().map(|t| t.audit));
            advanced.state.into_owned()
        }
        _ => state,
    };
    Ok(Recomputed {
        before: Deadlines::of(stored),
        after: Deadlines::of(&state),
        state,
        trail,
    })
}

/// Refuses a trail that does not reproduce `stored`: its count of entries,
/// their sequence, and where the last one leaves the alert. (Each entry's
/// `sequence` is the state's `events_applied` after it, so a trail of `n`
/// entries runs 1 to `n` and leaves the state at `n`.)
pub(crate) fn check_trail(
    stored: &AlertState,
    trail: &[AuditEntry<'_>],
) -> Result<(), EngineError> {
    let mismatch = |mismatch| EngineError::TrailDoesNotMatchState {
        entries: trail.len() as u64,
        events_applied: stored.events_applied,
        mismatch,
    };
    if trail.len() as u64 != u64::from(stored.events_applied) {
        return Err(mismatch(TrailMismatch::Count));
    }
    for (place, entry) in (1u64..).zip(trail) {
        if u64::from(entry.sequence) != place {
            return Err(mismatch(TrailMismatch::Sequence {
                entry: place,
                sequence: entry.sequence,
            }));
        }
    }
    // Where the trail leaves the alert: after its last entry, or not raised.
    let (phase_after, stage_after) = match trail.last() {
        Some(last) => (last.phase_after, last.stage_after.as_deref()),
        None => (Phase::NotRaised, None),
    };
    if phase_after != stored.phase || stage_after != stored.stage.as_deref() {
        return Err(mismatch(TrailMismatch::LastEntry {
            phase_after: phase_after.name(),
            stage_after: stage_after.map(str::to_string),
            phase: stored.phase.name(),
            stage: stored.stage.as_deref().map(str::to_string),
        }));
    }
    Ok(())
}
