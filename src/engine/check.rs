//! The checks every function that reads a stored state makes first, in one
//! place: the state's schema version, its ladder, and whether its dates were
//! computed on the ladder and calendar given.

use super::error::EngineError;
use super::types::{AlertState, Stale};
use crate::calendar::WorkingCalendar;
use crate::ladder::Ladder;

/// Refuses a state whose dates were computed on another ladder or calendar.
pub(crate) fn check_fingerprints(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
) -> Result<(), EngineError> {
    let stale = stale(ladder, calendar, state);
    if stale.ladder {
        return Err(EngineError::LadderChanged {
            recorded: state
                .ladder_fingerprint
                .map(|f| f.to_string())
                .unwrap_or_default(),
            given: ladder.fingerprint().to_string(),
        });
    }
    if stale.calendar {
        return Err(EngineError::CalendarChanged {
            recorded: state
                .calendar_fingerprint
                .map(|f| f.to_string())
                .unwrap_or_default(),
            given: calendar.fingerprint().to_string(),
        });
    }
    Ok(())
}

/// Which of `ladder` and `calendar` differ from those `state` records (a state
/// that records none, not raised or stored before fingerprints, differs from
/// none).
pub(crate) fn stale(ladder: &Ladder, calendar: &WorkingCalendar, state: &AlertState) -> Stale {
    Stale {
        ladder: state
            .ladder_fingerprint
            .is_some_and(|f| f != ladder.fingerprint()),
        calendar: state
            .calendar_fingerprint
            .is_some_and(|f| f != calendar.fingerprint()),
    }
}
