//! The checks every function that reads a stored state makes first, in one
//! place: the state's schema version, its ladder, and whether its dates were
//! computed on the ladder and calendar given.

use std::sync::Arc;

use super::error::EngineError;
use super::types::{AlertState, Phase, Stale, STATE_SCHEMA_VERSION};
use crate::calendar::WorkingCalendar;
use crate::ladder::Ladder;

/// Checks a stored state before it is read with `ladder` and `calendar`, and
/// says which of the two its dates were computed on another of.
///
/// Every function of the engine that takes a state calls it first, so the
/// rules live here once:
///
/// - the state is of a schema version this release reads (1 to
///   [`STATE_SCHEMA_VERSION`]);
/// - it belongs to `ladder`;
/// - its dates were computed on `ladder` and `calendar`: the fingerprints it
///   records are theirs. A state that has dates (raised, or with events
///   applied) but records no fingerprint, stored before fingerprints or
///   with them taken out, counts as computed on another: its dates cannot
///   be shown to be this calendar's. A state not raised has no dates, and
///   needs none.
///
/// Functions that write a new state ([`apply`](super::apply),
/// [`advance`](super::advance), [`next_time_action`](super::next_time_action))
/// refuse a state computed on another ladder or calendar
/// ([`EngineError::LadderChanged`], [`EngineError::CalendarChanged`]) and
/// never stamp it with the fingerprints given; [`status`](super::status)
/// flags it ([`Status::computed_on_other`](super::Status::computed_on_other));
/// [`recompute`](super::recompute) exists to re-base it.
///
/// # Errors
///
/// [`EngineError::SchemaVersion`] for a state stored by a newer release;
/// [`EngineError::WrongLadder`] for a state of another ladder.
///
/// # Example
///
/// An alert raised on Friday 18 December 2026, then read with a calendar
/// that closes from 29 to 31 December, and as a state stored without
/// fingerprints:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::{apply, check_state, AlertState, Event};
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let ladder = builtin::ladder("iro-dispute-resolution")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raise: Event = serde_json::from_str(
///     r#"{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#)?;
/// let state = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)?.state;
/// assert!(!check_state(&ladder, &calendar, &state)?.any());
///
/// let closed = WorkingCalendar::builder(Region::EnglandAndWales)
///     .closure(date(2026, 12, 29), "shutdown")
///     .closure(date(2026, 12, 30), "shutdown")
///     .closure(date(2026, 12, 31), "shutdown")
///     .build()?;
/// assert!(check_state(&ladder, &closed, &state)?.calendar);
///
/// let mut unstamped = state.clone();
/// unstamped.calendar_fingerprint = None;
/// assert!(check_state(&ladder, &calendar, &unstamped)?.calendar);
///
/// let other = builtin::ladder("cp-conference-concerns")?;
/// let err = check_state(&other, &calendar, &state).unwrap_err();
/// assert_eq!(err.code(), "state.wrong-ladder");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[inline]
pub fn check_state(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> Result<Stale, EngineError> {
    checked(ladder, calendar, state).map_err(|fault| fault.error(ladder, state))
}

/// What [`check_state`] refuses, small enough to come back in registers:
/// the errors themselves are made out of line, so that the checks inline
/// into the functions that call them (`advance` on a state with nothing due
/// is a few dozen instructions in all).
#[derive(Clone, Copy)]
enum Fault {
    LaterVersion,
    WrongLadder,
}

impl Fault {
    #[cold]
    #[inline(never)]
    fn error(self, ladder: &Ladder, state: &AlertState) -> EngineError {
        match self {
            Fault::LaterVersion => EngineError::SchemaVersion {
                found: u32::from(state.schema_version),
                supported: u32::from(STATE_SCHEMA_VERSION),
            },
            Fault::WrongLadder => EngineError::WrongLadder {
                state_ladder: state.ladder.to_string(),
                ladder: ladder.id.to_string(),
            },
        }
    }
}

/// The rules of [`check_state`].
#[inline(always)]
fn checked(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> Result<Stale, Fault> {
    if state.schema_version > STATE_SCHEMA_VERSION {
        return Err(Fault::LaterVersion);
    }
    if !Arc::ptr_eq(&state.ladder, &ladder.id) && *state.ladder != *ladder.id {
        return Err(Fault::WrongLadder);
    }
    // A state with dates and no fingerprint counts as computed on another.
    let has_dates = state.events_applied > 0 || state.phase != Phase::NotRaised;
    Ok(Stale {
        ladder: match state.ladder_fingerprint {
            Some(recorded) => recorded != ladder.fingerprint(),
            None => has_dates,
        },
        calendar: match state.calendar_fingerprint {
            Some(recorded) => recorded != calendar.fingerprint(),
            None => has_dates,
        },
    })
}

/// [`check_state`] for a function that writes a new state: a state computed
/// on another ladder or calendar is refused, naming the fingerprint it
/// records (none, for a state that records none) and the one given.
#[inline(always)]
pub(crate) fn check_state_to_write(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> Result<(), EngineError> {
    match checked(ladder, calendar, state) {
        Ok(stale) if !stale.any() => Ok(()),
        Ok(stale) => Err(stale_error(stale, ladder, calendar, state)),
        Err(fault) => Err(fault.error(ladder, state)),
    }
}

/// Refuses a state [`check_state`] found computed on another ladder or
/// calendar.
#[inline]
pub(crate) fn refuse_stale(
    stale: Stale,
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> Result<(), EngineError> {
    if !stale.any() {
        return Ok(());
    }
    Err(stale_error(stale, ladder, calendar, state))
}

/// The error for a stale state, out of line: it is rare.
#[cold]
#[inline(never)]
fn stale_error(
    stale: Stale,
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> EngineError {
    if stale.ladder {
        EngineError::LadderChanged {
            recorded: state.ladder_fingerprint.map(|f| f.to_string()),
            given: ladder.fingerprint().to_string(),
        }
    } else {
        EngineError::CalendarChanged {
            recorded: state.calendar_fingerprint.map(|f| f.to_string()),
            given: calendar.fingerprint().to_string(),
        }
    }
}
