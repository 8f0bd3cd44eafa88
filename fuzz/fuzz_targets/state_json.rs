//! Stored alert states (JSON), as a case system keeps them between events,
//! through the engine.
//!
//! A stored state may have been edited by hand or written by another version
//! of a ladder, so nothing is assumed about it. Checked:
//!
//! - nothing panics, whatever the bytes;
//! - a state that loads survives its own JSON unchanged (written as this
//!   release's version), and displays;
//! - on its ladder (or, if it names no built-in ladder, on one the input's
//!   length picks, with its ladder id replaced), `status` and `advance` at the
//!   dates it holds, and one event of every kind built from the ladder's ids,
//!   return a result or an error: a refusal leaves the state as it was.

#![no_main]

use std::sync::Arc;

use chrono::{Days, NaiveDate};
use escalation_ladder::engine::{advance, advance_for, status, AlertState, Event, EventKind};
use escalation_ladder::ladder::Ladder;
use escalation_ladder_fuzz::{apply_checked, calendar_of, check_state_json, date, ladder, ladders};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut state) = serde_json::from_slice::<AlertState>(data) else {
        return;
    };
    check_state_json(&state);
    let _ = state.to_string();
    let ladder = match ladder(&state.ladder) {
        Some(ladder) => ladder,
        None => {
            let ladder = &ladders()[data.len() % ladders().len()];
            state.ladder = Arc::clone(&ladder.id);
            ladder
        }
    };
    let calendar = calendar_of(ladder);
    let mut days: Vec<NaiveDate> = [
        state.raised_on,
        state.stage_entered_on,
        state.respond_by,
        state.last_event_on,
        state.ceiling,
        Some(date(2026, 11, 23)),
    ]
    .into_iter()
    .flatten()
    .collect();
    days.sort();
    days.dedup();
    for &day in days.iter().take(4) {
        let _ = status(ladder, calendar, &state, day);
        let _ = advance(ladder, calendar, &state, day);
        if let Some(later) = day.checked_add_days(Days::new(10)) {
            let _ = status(ladder, calendar, &state, later);
        }
    }
    let on = state.last_event_on.unwrap_or(date(2026, 11, 23));
    for later in [0, 3, 30] {
        let Some(on) = on.checked_add_days(Days::new(later)) else {
            continue;
        };
        for kind in kinds(ladder, &state, on) {
            let event = Event {
                on,
                actor: "fuzz".into(),
                id: None,
                meta: None,
                kind,
            };
            let _ = apply_checked(ladder, calendar, &state, &event);
            if let Ok(advanced) = advance_for(ladder, calendar, &state, &event) {
                let _ = apply_checked(ladder, calendar, &advanced.state, &event);
            }
        }
    }
});

/// One event of every kind, with the ladder's own ids where it has them.
fn kinds(ladder: &Ladder, state: &AlertState, on: NaiveDate) -> Vec<EventKind> {
    let stage = state.stage.as_deref().and_then(|id| ladder.stage(id));
    let text = || "fuzz".to_string();
    let duty = ladder.duties.first().map(|d| d.id.to_string());
    vec![
        EventKind::Raise {
            stage: None,
            category: None,
            reason: text(),
        },
        EventKind::Respond { outcome: None },
        EventKind::Respond {
            outcome: stage
                .and_then(|s| s.outcomes.first())
                .map(|o| o.id.to_string()),
        },
        EventKind::Resolve { outcome: text() },
        EventKind::Escalate {
            to: None,
            reason: text(),
        },
        EventKind::Escalate {
            to: stage
                .and_then(|s| s.bypass.as_ref())
                .and_then(|b| b.to.last())
                .map(|t| t.to_string()),
            reason: text(),
        },
        EventKind::Extend {
            until: state
                .respond_by
                .unwrap_or(on)
                .checked_add_days(Days::new(5))
                .unwrap_or(on),
            reason: text(),
        },
        EventKind::DeemAgreed,
        EventKind::Refer {
            referral: ladder
                .referrals
                .first()
                .map(|r| r.id.to_string())
                .unwrap_or_default(),
        },
        EventKind::Reopen { reason: text() },
        EventKind::Withdraw { reason: text() },
        EventKind::Step {
            step: stage
                .and_then(|s| s.steps.first())
                .map(|s| s.id.to_string())
                .unwrap_or_default(),
        },
        EventKind::StartDuty {
            duty: duty.clone().unwrap_or_default(),
            due: on.checked_add_days(Days::new(7)),
        },
        EventKind::StartDuty {
            duty: duty.clone().unwrap_or_default(),
            due: None,
        },
        EventKind::CompleteDuty {
            duty: duty.unwrap_or_default(),
        },
    ]
}
