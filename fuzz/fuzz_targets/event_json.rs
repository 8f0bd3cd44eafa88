//! Events as a case system sends them (JSON), through the engine.
//!
//! The input is read as one event (`{"on": …, "actor": …, "type": …}`) and as
//! a JSON array of events. Checked:
//!
//! - nothing panics, whatever the bytes;
//! - an event that loads survives its own JSON unchanged;
//! - on every built-in ladder, the event applied to a new alert and to one
//!   raised on Monday 23 November 2026 (after time acted up to its date):
//!   a refusal leaves the state as it was, and an accepted event leaves no
//!   response date before its stage's entry (the states are reachable);
//! - an array of events replays on every built-in ladder or is refused, and a
//!   replayed state keeps its dates and is reproduced by replaying its trail.

#![no_main]

use escalation_ladder::engine::{advance_for, replay, AlertState, Event, EventKind};
use escalation_ladder_fuzz::{apply_checked, calendar_of, check_state, date, in_range, ladders};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(event) = serde_json::from_slice::<Event>(data) {
        let json = serde_json::to_string(&event).expect("an event serializes");
        let back: Event = serde_json::from_str(&json).expect("an event's JSON loads");
        assert_eq!(back, event, "event JSON round trip: {json}");
        one_event(&event);
    }
    if let Ok(events) = serde_json::from_slice::<Vec<Event>>(data) {
        if events.len() <= 64 {
            many_events(&events);
        }
    }
});

fn one_event(event: &Event) {
    let raise = Event {
        on: date(2026, 11, 23),
        actor: "fuzz".into(),
        id: None,
        meta: None,
        kind: EventKind::Raise {
            stage: None,
            category: None,
            reason: "fuzz".into(),
        },
    };
    for ladder in ladders() {
        let calendar = calendar_of(ladder);
        let new = AlertState::new(&ladder.id);
        if let Ok(t) = apply_checked(ladder, calendar, &new, event) {
            check_state(ladder, &t.state, event.kind.name());
        }
        let raised = apply_checked(ladder, calendar, &new, &raise)
            .expect("a raise at the first stage")
            .state;
        let state = if in_range(event.on) {
            let advanced = advance_for(ladder, calendar, &raised, event).expect("time acts");
            for t in &advanced.transitions {
                check_state(ladder, &t.state, "time");
            }
            advanced.state.into_owned()
        } else {
            raised
        };
        if let Ok(t) = apply_checked(ladder, calendar, &state, event) {
            check_state(ladder, &t.state, event.kind.name());
        }
    }
}

fn many_events(events: &[Event]) {
    for ladder in ladders() {
        let calendar = calendar_of(ladder);
        if let Ok((state, trail)) = replay(ladder, calendar, events) {
            check_state(ladder, &state, "replay");
            let again: Vec<Event> = trail.iter().map(|e| e.event.clone().into_owned()).collect();
            let (from_trail, _) = replay(ladder, calendar, &again).expect("the trail replays");
            assert_eq!(from_trail, state, "replaying the trail's events");
        }
    }
}
