//! What the fuzz targets share: the built-in ladders and calendars (built once
//! per process), and the engine's invariants as panicking checks.
//!
//! A failed check panics, and libFuzzer reports a panic as a crash with the
//! input that caused it.

use std::sync::OnceLock;

use chrono::NaiveDate;
use escalation_ladder::engine::{apply, AlertState, EngineError, Event, Transition};
use escalation_ladder::ladder::{builtin, ClockStart, Ladder};
use escalation_ladder::report::Procedures;
use escalation_ladder::{Region, WorkingCalendar};

/// The four regions, in a fixed order.
pub const REGIONS: [Region; 4] = [
    Region::EnglandAndWales,
    Region::Scotland,
    Region::NorthernIreland,
    Region::UnitedKingdom,
];

/// The built-in calendar of a region.
pub fn calendar(region: Region) -> &'static WorkingCalendar {
    static CALENDARS: OnceLock<Vec<WorkingCalendar>> = OnceLock::new();
    let calendars =
        CALENDARS.get_or_init(|| REGIONS.iter().map(|&r| WorkingCalendar::new(r)).collect());
    let index = REGIONS.iter().position(|&r| r == region).unwrap();
    &calendars[index]
}

/// Every built-in ladder (the schedules left out), in [`builtin::IDS`] order.
pub fn ladders() -> &'static [Ladder] {
    static LADDERS: OnceLock<Vec<Ladder>> = OnceLock::new();
    LADDERS.get_or_init(|| {
        builtin::procedures()
            .into_iter()
            .filter_map(|p| p.as_ladder().cloned())
            .collect()
    })
}

/// The built-in ladder with this id.
pub fn ladder(id: &str) -> Option<&'static Ladder> {
    ladders().iter().find(|l| *l.id == *id)
}

/// The built-in procedures, as the report module reads cases with them.
pub fn procedures() -> &'static Procedures {
    static PROCEDURES: OnceLock<Procedures> = OnceLock::new();
    PROCEDURES.get_or_init(|| Procedures::builtin().expect("the built-in ladders load"))
}

/// The calendar a ladder counts working days with.
pub fn calendar_of(ladder: &Ladder) -> &'static WorkingCalendar {
    calendar(ladder.working_days.region)
}

/// A date; panics on an impossible one (for constants).
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Whether the built-in calendars cover the date (1978-01-01..=2199-12-31).
pub fn in_range(day: NaiveDate) -> bool {
    (date(1978, 1, 1)..=date(2199, 12, 31)).contains(&day)
}

/// What must hold in every state the engine reaches from nothing (the
/// properties documented on [`apply`], as `tests/integration/engine_properties.rs`
/// checks them): no response date before its stage's entry; without extra
/// time, no response date of a stage whose clock started on or before the
/// ceiling date after the ceiling; no duty due before it started.
pub fn check_state(ladder: &Ladder, state: &AlertState, after: &str) {
    let Some(entered) = state.stage_entered_on else {
        return;
    };
    let window_from = state
        .stage
        .as_deref()
        .and_then(|id| ladder.stage(id))
        .and_then(|s| s.window.from.as_ref());
    let clock = match window_from {
        Some(ClockStart::Step(step)) => state.step_on(step).unwrap_or(entered),
        _ => entered,
    };
    if let Some(due) = state.respond_by {
        assert!(
            due >= entered,
            "{} after {after}: response date {due} before the stage's entry {entered}: {state:?}",
            ladder.id
        );
        if let Some(ceiling) = state.ceiling {
            if clock <= ceiling && !state.extended {
                assert!(
                    due <= ceiling,
                    "{} after {after}: response date {due} after the ceiling {ceiling} without extra time: {state:?}",
                    ladder.id
                );
            }
        }
    }
    for duty in state.duties.iter() {
        if let Some(due) = duty.due {
            assert!(
                due >= duty.started_on,
                "{} after {after}: duty due before it started: {duty:?}",
                ladder.id
            );
        }
    }
}

/// The state survives its own JSON unchanged, but for its version: a state
/// is always written as this release's (`STATE_SCHEMA_VERSION`), in its
/// shape.
pub fn check_state_json(state: &AlertState) {
    let json = serde_json::to_string(state).expect("a state serializes");
    let back: AlertState = serde_json::from_str(&json).expect("a state's JSON loads");
    let current = AlertState {
        schema_version: escalation_ladder::engine::STATE_SCHEMA_VERSION,
        ..state.clone()
    };
    assert_eq!(back, current, "state JSON round trip: {json}");
}

/// Applies an event and checks what holds for every call, whatever the state:
/// no panic; a refusal leaves the state as it was (compared with a copy taken
/// before) and names it; the transition's effects, audit entry and JSON can be
/// spelled out.
pub fn apply_checked<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    state: &AlertState,
    event: &'a Event,
) -> Result<Transition<'a>, EngineError> {
    let before = state.clone();
    let result = apply(ladder, calendar, state, event);
    match &result {
        Ok(transition) => {
            let effects = transition.effects().count();
            let audit = transition.audit();
            assert_eq!(audit.sequence, transition.state.events_applied);
            let owned = transition.clone().into_owned();
            assert_eq!(owned.effects.len(), effects);
            serde_json::to_string(transition).expect("a transition serializes");
        }
        Err(err) => {
            assert_eq!(state, &before, "a refused event changed the state");
            let message = err.to_string();
            if let EngineError::Refused { .. } = err {
                assert!(
                    message.contains(&*escalation_ladder::escape::escape(&state.to_string())),
                    "a refusal does not name the state it left: {message}"
                );
            }
        }
    }
    result
}
