//! Applying events as a case system does: replaying them from nothing, and
//! applying one to a stored alert after time has acted.
//!
//! Above [`super::apply`] and [`super::time`]: each event is applied after
//! time has acted up to its date.

use super::apply::apply;
use super::error::EngineError;
use super::time::advance_for;
use super::types::*;
use crate::calendar::WorkingCalendar;
use crate::ladder::Ladder;

/// Replays events from nothing: the state and the audit trail they produce.
///
/// Before each event, time acts up to the event's date ([`advance`](super::advance)), unless the
/// event is itself the action time would take; the transitions time causes are
/// in the trail, dated on the day they took effect, with actor
/// [`TIME_ACTOR`](super::TIME_ACTOR). Time after the last event is not applied:
/// [`advance`](super::advance) the state to the as-of date, as [`status`](super::status) does.
/// A re-delivered event (an id already applied) adds nothing to the trail.
///
/// # Errors
///
/// The first event refused, as [`apply`] gives it.
pub fn replay<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<(AlertState, Vec<AuditEntry<'a>>), EngineError> {
    replay_numbered(ladder, calendar, events).map_err(|(_, e)| e)
}

/// [`replay`], with the place (from 0) of the event refused beside its
/// error: what a caller that names the event needs ([`correct`](super::correct)).
// The place beside the error is what a correction names; the error path
// is the rare one, so it is not boxed (as `apply`'s own error is not).
#[allow(clippy::result_large_err)]
pub(crate) fn replay_numbered<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<(AlertState, Vec<AuditEntry<'a>>), (usize, EngineError)> {
    let mut state = AlertState::new(&ladder.id);
    let mut trail = Vec::new();
    for (place, event) in events.into_iter().enumerate() {
        let advanced = advance_for(ladder, calendar, &state, event).map_err(|e| (place, e))?;
        if !advanced.transitions.is_empty() {
            trail.extend(advanced.transitions.into_iter().map(|t| t.audit));
            state = advanced.state.into_owned();
        }
        let transition = apply(ladder, calendar, &state, event).map_err(|e| (place, e))?;
        if transition.is_redelivery() {
            continue;
        }
        trail.push(transition.audit());
        state = transition.state;
    }
    Ok((state, trail))
}

/// Replays an audit trail and checks it was written with the same calendar.
///
/// # Errors
///
/// [`EngineError::CalendarMismatch`] for an entry computed with another calendar;
/// otherwise as [`replay`].
pub fn replay_trail(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    trail: &[AuditEntry],
) -> Result<AlertState, EngineError> {
    if let Some(entry) = trail.iter().find(|e| e.calendar != calendar.fingerprint()) {
        return Err(EngineError::CalendarMismatch {
            sequence: entry.sequence,
            recorded: entry.calendar.to_string(),
            given: calendar.fingerprint().to_string(),
        });
    }
    replay(ladder, calendar, trail.iter().map(|e| &*e.event)).map(|(state, _)| state)
}

/// What [`apply_after_time`] gives, and what `ladder apply --json` and the
/// HTTP service's apply print: the new state and every transition, time's
/// first, then the event's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Applied {
    /// The state to store.
    pub state: AlertState,
    /// The transitions in order: what time did up to the event's date, then
    /// the event's own.
    pub transitions: Vec<OwnedTransition>,
}

/// Writes an [`Applied`] as JSON onto `out` from its borrowed parts: the
/// transitions time made (`by_time`) and the event's own `transition`, whose
/// state is the one to store. The bytes are those `serde_json` writes for the
/// owned [`Applied`]; the state is written once and copied where it appears
/// again, and the event's effects are not made owned first, so a service
/// answering one apply after another does about a third less work.
///
/// # Errors
///
/// Those of `serde_json` writing to a `Vec` (none in practice).
///
/// # Example
///
/// A raise on Monday 21 December 2026: the team manager's response is due on
/// Wednesday 30th, after Christmas Day and the Boxing Day substitute.
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{apply, write_applied_json, AlertState, Applied, Event, EventKind};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise = Event {
///     on: NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(),
///     actor: "iro".into(),
///     id: None,
///     meta: None,
///     kind: EventKind::Raise {
///         stage: Some("team-manager".into()),
///         category: None,
///         reason: "drift".into(),
///     },
/// };
/// let transition = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)?;
/// let mut out = Vec::new();
/// write_applied_json(&mut out, &[], &transition)?;
/// let applied: Applied = serde_json::from_slice(&out)?;
/// assert_eq!(applied.state.respond_by, NaiveDate::from_ymd_opt(2026, 12, 30));
/// assert_eq!(applied.transitions.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_applied_json(
    out: &mut Vec<u8>,
    by_time: &[OwnedTransition],
    transition: &Transition<'_>,
) -> serde_json::Result<()> {
    /// The event's effects as a JSON array, borrowed.
    struct Effects<'t, 'a>(&'t Transition<'a>);
    impl serde::Serialize for Effects<'_, '_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.0.effects())
        }
    }
    out.extend_from_slice(b"{\"state\":");
    let state_starts = out.len();
    serde_json::to_writer(&mut *out, &transition.state)?;
    let state = state_starts..out.len();
    out.extend_from_slice(b",\"transitions\":[");
    for earlier in by_time {
        serde_json::to_writer(&mut *out, earlier)?;
        out.push(b',');
    }
    // The fields in the order of `OwnedTransition` (and `Transition`'s own
    // serialization); a test compares the bytes with serde's.
    out.extend_from_slice(b"{\"schema_version\":");
    serde_json::to_writer(&mut *out, &crate::version::TRANSITION_SCHEMA_VERSION)?;
    out.extend_from_slice(b",\"state\":");
    out.extend_from_within(state);
    out.extend_from_slice(b",\"effects\":");
    serde_json::to_writer(&mut *out, &Effects(transition))?;
    out.extend_from_slice(b",\"audit\":");
    serde_json::to_writer(&mut *out, &transition.audit())?;
    out.extend_from_slice(b"}]}");
    Ok(())
}

/// Applies an event to a stored alert as a case system does: time acts up to
/// the event's date first ([`advance_for`](super::advance_for)), then the event
/// applies. With `expected`, the event is refused unless the stored state is at
/// that version (its `events_applied` as last read, checked before time acts:
/// [`apply_at_version`](super::apply_at_version)).
///
/// # Errors
///
/// [`EngineError::VersionConflict`] for a state at another version; as
/// [`apply`] otherwise.
///
/// # Example
///
/// ```
/// use escalation_ladder::engine::{apply_after_time, AlertState, Event};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise: Event = serde_json::from_str(
///     r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
/// let applied = apply_after_time(&ladder, &calendar, &AlertState::new(&ladder.id), &raise, Some(0))?;
/// assert_eq!(applied.state.respond_by.unwrap().to_string(), "2026-12-30");
/// assert_eq!(applied.transitions.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apply_after_time(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    event: &Event,
    expected: Option<u32>,
) -> Result<Applied, EngineError> {
    let AppliedRef {
        by_time: mut transitions,
        transition,
    } = apply_after_time_borrowed(ladder, calendar, state, event, expected)?;
    let transition = transition.into_owned();
    let state = transition.state.clone();
    transitions.push(transition);
    Ok(Applied { state, transitions })
}

/// What [`apply_after_time_borrowed`] gives: time's transitions, owned, and
/// the event's, borrowing the ladder and the event (its effects spelled out
/// on demand). [`write_applied_json`] writes it as [`Applied`] JSON.
#[derive(Debug)]
pub struct AppliedRef<'a> {
    /// What time did up to the event's date, in order.
    pub by_time: Vec<OwnedTransition>,
    /// The event's own transition; its state is the one to store.
    pub transition: Transition<'a>,
}

/// [`apply_after_time`] without making the event's transition owned: what a
/// service answering one apply after another calls before
/// [`write_applied_json`].
///
/// # Errors
///
/// As [`apply_after_time`].
///
/// # Example
///
/// A raise on Monday 21 December 2026 at the team manager: due Wednesday 30th,
/// after Christmas Day and the Boxing Day substitute.
///
/// ```
/// use escalation_ladder::engine::{apply_after_time_borrowed, AlertState, Event};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise: Event = serde_json::from_str(
///     r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
/// let applied = apply_after_time_borrowed(&ladder, &calendar, &AlertState::new(&ladder.id), &raise, None)?;
/// assert!(applied.by_time.is_empty());
/// assert_eq!(applied.transition.state.respond_by.unwrap().to_string(), "2026-12-30");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apply_after_time_borrowed<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    event: &'a Event,
    expected: Option<u32>,
) -> Result<AppliedRef<'a>, EngineError> {
    if let Some(version) = expected {
        state.check_version(event, version)?;
    }
    let advanced = advance_for(ladder, calendar, state, event)?;
    let transition = apply(ladder, calendar, &advanced.state, event)?;
    Ok(AppliedRef {
        by_time: advanced.transitions,
        transition,
    })
}
