//! One rule for event ids (issue 17, §4): a state keeps every id it applied,
//! up to `MAX_EVENT_IDS`, so a re-delivery is recognised however far back the
//! first delivery was, by `apply`, `apply_after_time` and `replay` alike.

use escalation_ladder::contract::ErrorDocument;
use escalation_ladder::engine::{
    apply, apply_after_time, replay, AlertState, Effect, Event, EventIds, MAX_EVENT_IDS,
    STATE_SCHEMA_VERSION,
};
use escalation_ladder::input::limits;
use escalation_ladder::ladder::builtin;
use escalation_ladder::{Region, WorkingCalendar};

use crate::calendar::d;

fn event(line: &str) -> Event {
    serde_json::from_str(line).unwrap()
}

fn refer(id: &str, on: &str) -> Event {
    event(&format!(
        r#"{{"id":"{id}","on":"{on}","actor":"iro","type":"refer","referral":"cafcass"}}"#
    ))
}

/// Before: a state remembered its last 32 ids, so an escalation delivered
/// again after 32 other events with ids was applied a second time (the
/// alert moved up another stage), while the report skipped it. Now it is
/// recognised however far back: an IRO alert raised on Friday 18 December
/// 2026, escalated to the head of service on Wednesday 30th, then 40
/// referrals to Cafcass on the 30th and 31st, then the escalation again.
#[test]
fn an_escalation_delivered_again_after_40_events_changes_nothing() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let raise = event(
        r#"{"id":"ev-1","on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
    );
    let escalate = event(
        r#"{"id":"ev-2","on":"2026-12-30","actor":"iro","type":"escalate","reason":"no answer"}"#,
    );
    let again = event(
        r#"{"id":"ev-2","on":"2026-12-31","actor":"iro","type":"escalate","reason":"no answer"}"#,
    );
    let mut events = vec![raise, escalate];
    for n in 1..=40 {
        let on = if n <= 20 { "2026-12-30" } else { "2026-12-31" };
        events.push(refer(&format!("ref-{n}"), on));
    }
    let (state, trail) = replay(&ladder, &calendar, &events).unwrap();
    assert_eq!(state.stage.as_deref(), Some("head-of-service"));
    // Due Thursday 7 January 2027: 31 December, 4, 5, 6, 7 January.
    assert_eq!(state.respond_by, Some(d(2027, 1, 7)));
    assert_eq!(state.events_applied, 42);
    assert_eq!(state.event_ids.len(), 42);
    assert_eq!(trail.len(), 42);

    // apply
    let t = apply(&ladder, &calendar, &state, &again).unwrap();
    assert!(t.is_redelivery());
    assert_eq!(t.state, state);
    let effects: Vec<Effect> = t.effects().collect();
    assert_eq!(effects, [Effect::AlreadyApplied { id: "ev-2".into() }]);

    // apply_after_time, at the version the caller read
    let applied = apply_after_time(&ladder, &calendar, &state, &again, Some(42)).unwrap();
    assert_eq!(applied.state, state);
    assert_eq!(applied.transitions.len(), 1);
    assert_eq!(
        applied.transitions[0].effects,
        [Effect::AlreadyApplied { id: "ev-2".into() }]
    );
    // ... and at the version before the escalation: a retry, not a conflict.
    assert!(apply_after_time(&ladder, &calendar, &state, &again, Some(1)).is_ok());

    // replay
    events.push(again);
    let (replayed, replayed_trail) = replay(&ladder, &calendar, &events).unwrap();
    assert_eq!(replayed, state);
    assert_eq!(replayed_trail.len(), 42);
    assert_eq!(replayed.stage.as_deref(), Some("head-of-service"));
}

/// A state keeps at most `MAX_EVENT_IDS` ids: an event with a new id past
/// them is refused with a code that names the limit, a re-delivery of any
/// of them is still recognised, and an event without an id still applies.
#[test]
fn an_alert_keeps_every_id_up_to_the_limit() {
    assert_eq!(MAX_EVENT_IDS, limits::MAX_EVENT_IDS);
    assert_eq!(MAX_EVENT_IDS, 1_000);
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let raise = event(
        r#"{"id":"ev-0","on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
    );
    let mut state = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)
        .unwrap()
        .state;
    for n in 1..MAX_EVENT_IDS {
        state = apply(
            &ladder,
            &calendar,
            &state,
            &refer(&format!("ref-{n}"), "2026-12-21"),
        )
        .unwrap()
        .state;
    }
    assert_eq!(state.event_ids.len(), MAX_EVENT_IDS);
    assert!(state.event_ids.contains("ev-0"));
    let new = refer("ref-new", "2026-12-22");
    let err = apply(&ladder, &calendar, &state, &new).unwrap_err();
    assert_eq!(err.code(), "refused.event-id-limit");
    insta::assert_snapshot!(err, @"event 'refer' on 2026-12-22 refused in state awaiting-response at stage 'team-manager' of ladder 'iro-dispute-resolution': the alert holds 1000 event ids, the most it keeps (MAX_EVENT_IDS): an event with a new id cannot be applied");
    assert_eq!(ErrorDocument::from(&err).fields["reason"]["limit"], 1000);
    // The first id and a late one are still recognised.
    assert!(apply(&ladder, &calendar, &state, &raise)
        .unwrap()
        .is_redelivery());
    assert!(
        apply(&ladder, &calendar, &state, &refer("ref-999", "2026-12-22"))
            .unwrap()
            .is_redelivery()
    );
    // An event without an id is not counted.
    let plain = event(r#"{"on":"2026-12-22","actor":"tm","type":"respond"}"#);
    let answered = apply(&ladder, &calendar, &state, &plain).unwrap().state;
    assert_eq!(answered.event_ids.len(), MAX_EVENT_IDS);
    // The state, written and read back, keeps them all, oldest first.
    let json = serde_json::to_value(&answered).unwrap();
    assert_eq!(json["event_ids"][0], "ev-0");
    assert_eq!(json["event_ids"][999], "ref-999");
    let back: AlertState = serde_json::from_value(json).unwrap();
    assert_eq!(back, answered);
}

/// A state of version 3 named its ids `recent_event_ids`: they read as its
/// `event_ids`, and it is written back as version 4 with every field of
/// today's shape.
#[test]
fn a_version_3_state_keeps_its_recent_event_ids() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let raise = event(
        r#"{"id":"ev-1","on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
    );
    let (state, _) = replay(&ladder, &calendar, [&raise]).unwrap();
    let mut v3 = serde_json::to_value(&state).unwrap();
    let object = v3.as_object_mut().unwrap();
    object.insert("schema_version".into(), 3.into());
    let ids = object.remove("event_ids").unwrap();
    object.insert("recent_event_ids".into(), ids);
    let old: AlertState = serde_json::from_value(v3).unwrap();
    assert_eq!(old.schema_version, 3);
    assert_eq!(old.event_ids, ["ev-1"].into_iter().collect::<EventIds>());
    assert!(apply(&ladder, &calendar, &old, &raise)
        .unwrap()
        .is_redelivery());
    let written = serde_json::to_value(&old).unwrap();
    assert_eq!(written["schema_version"], STATE_SCHEMA_VERSION);
    assert_eq!(STATE_SCHEMA_VERSION, 4);
    assert_eq!(written["event_ids"], serde_json::json!(["ev-1"]));
    assert!(written.get("recent_event_ids").is_none());
}
