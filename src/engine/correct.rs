//! Correcting a stored alert's history: an event inserted at its own date,
//! voided, or replaced, and the history replayed with time's own
//! transitions made again.

use chrono::NaiveDate;

use super::check::check_state;
use super::error::EngineError;
use super::recompute::{callers_events, check_trail, rebase, Recomputed, AFTER_THE_EVENTS};
use super::types::{AlertState, AuditEntry, Event};
use crate::calendar::WorkingCalendar;
use crate::ladder::Ladder;

/// An event of a stored trail, as a correction names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryRef {
    /// The event with this `id`.
    Id(String),
    /// The entry with this `sequence` number (for an event given without an
    /// id).
    Sequence(u32),
}

/// What a [`correct`]ion changes in an alert's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Correction {
    /// An event recorded late, put at its own date: after every event of
    /// the history dated on or before it.
    Insert(Event),
    /// An event recorded by mistake, taken out.
    Void(EntryRef),
    /// An event recorded wrongly, taken out, and this one put at its own
    /// date (which may be another than the first's).
    Replace(EntryRef, Event),
}

/// Corrects a stored alert's history and replays it: the state, the trail
/// and what moved (phase, stage, response date, ceiling, breaches, duties),
/// as [`recompute`](super::recompute) gives them.
///
/// What is replayed: the caller's events of the trail (every entry but
/// time's own, actor [`TIME_ACTOR`](super::TIME_ACTOR)) with the
/// correction made, in date order, each after time has acted up to its
/// date ([`replay`](super::replay)); then time acts up to `as_of` (without
/// it, the last day the stored trail reaches), never before the last event.
/// Time's own transitions are not copied from the old trail but made again:
/// a deemed agreement that a response recorded late, but dated within the
/// window, would have prevented is not in the corrected trail. An inserted
/// event goes after the events of its own date already there (it was
/// recorded later).
///
/// The ladder and calendar given are used throughout, so a state computed
/// on another one is re-based at the same time.
///
/// # Errors
///
/// The stored state's own checks ([`check_state`](super::check_state):
/// [`EngineError::SchemaVersion`], [`EngineError::WrongLadder`]);
/// [`EngineError::TrailDoesNotMatchState`] for a trail that is not the
/// state's; [`EngineError::NoSuchEvent`] for a correction naming an event
/// the trail does not hold, [`EngineError::TimeEntry`] for one naming an
/// entry of time's own, [`EngineError::IdInUse`] for an event whose id
/// the history has already; [`EngineError::CorrectedHistory`] naming the
/// first event of the corrected history the engine refuses, with its
/// error.
///
/// # Example
///
/// Review decisions sent to the team manager on Monday 21 December 2026 are
/// due Wednesday 30th (Christmas Day and the Boxing Day substitute do not
/// count); without a response, time deemed them agreed on Thursday 31st. On
/// Monday 4 January 2027 the team manager's "unable to agree", sent on
/// Tuesday 29 December, is recorded: it was within the window, so the
/// decisions were never deemed agreed.
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{advance, correct, replay, Correction, Event, Phase};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let ladder = builtin::ladder("lac-review-decisions")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let events: Vec<Event> = [
///     r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review on 14 December"}"#,
///     r#"{"on":"2026-12-21","actor":"iro","type":"escalate","reason":"decisions sent"}"#,
/// ]
/// .iter()
/// .map(|line| serde_json::from_str(line))
/// .collect::<Result<_, _>>()?;
/// let (sent, mut trail) = replay(&ladder, &calendar, &events)?;
/// let deemed = advance(&ladder, &calendar, &sent, date(2027, 1, 4))?;
/// trail.extend(deemed.transitions.into_iter().map(|t| t.audit));
/// let stored = deemed.state.into_owned();
/// assert_eq!(stored.phase, Phase::DeemedAgreed);
///
/// let answer: Event = serde_json::from_str(
///     r#"{"on":"2026-12-29","actor":"tm","type":"respond","outcome":"unable-to-agree"}"#)?;
/// let insert = Correction::Insert(answer);
/// let fixed = correct(&ladder, &calendar, &stored, &trail, &insert, Some(date(2027, 1, 4)))?;
/// assert_eq!(fixed.after.phase, Phase::Resolved);
/// assert_eq!(fixed.state.outcome.as_deref(), Some("unable-to-agree"));
/// let kinds: Vec<&str> = fixed.trail.iter().map(|e| e.event.kind.name()).collect();
/// assert_eq!(kinds, ["raise", "escalate", "respond"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn correct<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    stored: &AlertState,
    trail: &'a [AuditEntry<'a>],
    correction: &'a Correction,
    as_of: Option<NaiveDate>,
) -> Result<Recomputed<'a>, EngineError> {
    check_state(ladder, calendar, stored)?;
    check_trail(stored, trail)?;
    // The caller's events, each with its sequence (none for the correction's).
    let mut events: Vec<(Option<u32>, &'a Event)> = callers_events(trail)
        .map(|(sequence, event)| (Some(sequence), event))
        .collect();
    let added = match correction {
        Correction::Insert(event) => Some(event),
        Correction::Void(target) => {
            events.remove(find(trail, &events, target)?);
            None
        }
        Correction::Replace(target, event) => {
            events.remove(find(trail, &events, target)?);
            Some(event)
        }
    };
    let mut at = None;
    if let Some(event) = added {
        if let Some(id) = event.id.as_deref() {
            let same = events.iter().find(|(_, e)| e.id.as_deref() == Some(id));
            if let Some(&(sequence, _)) = same {
                return Err(EngineError::IdInUse {
                    id: id.to_string(),
                    sequence: sequence.unwrap_or(0),
                });
            }
        }
        // After every event dated on or before it: the trail is in date
        // order, so they are a prefix.
        let place = events.partition_point(|(_, e)| e.on <= event.on);
        events.insert(place, (None, event));
        at = Some(place);
    }
    let count = events.len();
    rebase(
        ladder,
        calendar,
        stored,
        events.iter().map(|&(_, event)| event),
        as_of,
    )
    .map_err(|(place, source)| match place {
        AFTER_THE_EVENTS => source,
        place => EngineError::CorrectedHistory {
            number: place + 1,
            count,
            corrected: at == Some(place),
            source: Box::new(source),
        },
    })
}

/// The place among `events` of the event `target` names.
fn find(
    trail: &[AuditEntry<'_>],
    events: &[(Option<u32>, &Event)],
    target: &EntryRef,
) -> Result<usize, EngineError> {
    let found = match target {
        EntryRef::Id(id) => events
            .iter()
            .position(|(_, e)| e.id.as_deref() == Some(id.as_str())),
        EntryRef::Sequence(sequence) => {
            let place = events.iter().position(|(s, _)| *s == Some(*sequence));
            if place.is_none() {
                // Time's own entry, or none.
                if let Some(entry) = trail.iter().find(|e| e.sequence == *sequence) {
                    return Err(EngineError::TimeEntry {
                        sequence: *sequence,
                        event: entry.event.kind.name(),
                        on: entry.event.on,
                    });
                }
            }
            place
        }
    };
    found.ok_or_else(|| EngineError::NoSuchEvent {
        target: match target {
            EntryRef::Id(id) => format!("with id '{id}'"),
            EntryRef::Sequence(sequence) => format!("numbered {sequence}"),
        },
    })
}
