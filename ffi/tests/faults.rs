//! Issue 17's faults, each a regression test run at every door (the library,
//! the command line, the HTTP router and the C ABI, through `Doors::all`,
//! which also checks that the four agree byte for byte), on real dates.

mod doors;
mod support;

use doors::Doors;
use escalation_ladder::chrono::NaiveDate;
use escalation_ladder::ops::Operation;
use serde_json::{json, Value};

const IRO: &str = "iro-dispute-resolution";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// An IRO alert raised with the team manager on Monday 21 December 2026 (due
/// Wednesday 30th, after Christmas Day and the Boxing Day substitute); the
/// state every door stores.
fn raised(doors: &Doors) -> Value {
    let raise = json!({"on": "2026-12-21", "actor": "iro", "type": "raise",
                       "stage": "team-manager", "reason": "drift"});
    let applied = doors
        .all(Operation::Apply, &json!({"ladder": IRO, "event": raise}))
        .ok()
        .unwrap();
    assert_eq!(applied["state"]["respond_by"], "2026-12-30");
    applied
}

fn as_of(state: &Value, date: &str) -> Value {
    json!({"ladder": IRO, "state": state, "as_of": date})
}

/// A state of another ladder is refused by status and advance too (HTTP
/// answered a status on the path's ladder).
#[test]
fn a_state_of_another_ladder_is_refused_everywhere() {
    let doors = Doors::new();
    let raise = json!({"on": "2026-12-21", "actor": "chair", "type": "raise", "reason": "plan"});
    let applied = doors
        .all(
            Operation::Apply,
            &json!({"ladder": "cp-conference-concerns", "event": raise}),
        )
        .ok()
        .unwrap();
    let state = &applied["state"];
    for op in [Operation::Status, Operation::Advance] {
        let answered = doors.all(op, &as_of(state, "2026-12-24"));
        assert_eq!(answered.code(), "state.wrong-ladder", "{op}");
    }
}

/// A state of a later release (schema version 99) is refused by status and
/// advance as by apply, never returned marked 99.
#[test]
fn a_state_of_a_later_release_is_refused_everywhere() {
    let doors = Doors::new();
    let mut state = raised(&doors)["state"].clone();
    state["schema_version"] = 99.into();
    for op in [Operation::Status, Operation::Advance] {
        assert_eq!(
            doors.all(op, &as_of(&state, "2026-12-24")).code(),
            "state.schema-version",
            "{op}"
        );
    }
    let respond = json!({"on": "2026-12-29", "actor": "tm", "type": "respond"});
    let answered = doors.all(
        Operation::Apply,
        &json!({"ladder": IRO, "state": state, "event": respond}),
    );
    assert_eq!(answered.code(), "state.schema-version");
}

/// A state with dates and no fingerprints is never stamped with the current
/// calendar's: applied on a service closed on 29 December, it is refused as
/// computed on another calendar (its 30 December would otherwise stand).
#[test]
fn a_state_without_fingerprints_is_never_stamped() {
    let open = Doors::new();
    let mut state = raised(&open)["state"].clone();
    state["calendar_fingerprint"] = Value::Null;
    state["ladder_fingerprint"] = Value::Null;
    let closed = Doors::closed(&[d(2026, 12, 29)]);
    let respond = json!({"on": "2026-12-29", "actor": "tm", "type": "respond"});
    let request = json!({"ladder": IRO, "state": state, "event": respond});
    for doors in [&open, &closed] {
        let answered = doors.all(Operation::Apply, &request);
        let code = answered.code();
        assert!(
            code == "state.ladder-changed" || code == "state.calendar-changed",
            "{code}"
        );
        assert_eq!(answered.error().unwrap()["fields"]["recorded"], Value::Null);
    }
    // The status shows it, flagged as computed on another calendar and ladder.
    let now = open
        .all(Operation::Status, &as_of(&state, "2026-12-24"))
        .ok()
        .unwrap();
    assert_eq!(now["computed_on_other"]["calendar"], true);
    assert_eq!(now["computed_on_other"]["ladder"], true);
}

/// A recompute whose trail does not reproduce the stored state is refused
/// naming both counts (an empty trail wiped the alert).
#[test]
fn a_trail_that_does_not_reproduce_the_state_is_refused() {
    let doors = Doors::new();
    let applied = raised(&doors);
    let state = &applied["state"];
    let empty = json!({"ladder": IRO, "state": state, "trail": []});
    let refused = doors.all(Operation::Recompute, &empty);
    assert_eq!(refused.code(), "trail.does-not-match-state");
    let message = refused.error().unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains('0') && message.contains('1'), "{message}");
    // The whole trail is accepted, and nothing moves on the same calendar.
    let trail: Vec<Value> = applied["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["audit"].clone())
        .collect();
    let whole = json!({"ladder": IRO, "state": state, "trail": trail});
    let rebased = doors.all(Operation::Recompute, &whole).ok().unwrap();
    assert_eq!(rebased["moved"], false);
    // With an expected version: the stored state's, or a conflict.
    let mut stale = whole.clone();
    stale["expect_version"] = 7.into();
    assert_eq!(
        doors.all(Operation::Recompute, &stale).code(),
        "state.version-conflict"
    );
}

/// A state at the last version cannot take another event: refused, not
/// stuck at 4294967295 where a second writer holding that version succeeds.
#[test]
fn a_state_at_the_last_version_is_refused() {
    let doors = Doors::new();
    let mut state = raised(&doors)["state"].clone();
    state["events_applied"] = u32::MAX.into();
    let respond = json!({"on": "2026-12-29", "actor": "tm", "type": "respond"});
    let request = json!({"ladder": IRO, "state": state, "event": respond,
                         "expect_version": u32::MAX});
    assert_eq!(
        doors.all(Operation::Apply, &request).code(),
        "state.events-exhausted"
    );
}

/// Fingerprints are read by exactly their published pattern: every value of
/// it (all zeros too), nothing else (upper case, a sign).
#[test]
fn fingerprints_are_read_by_their_pattern() {
    let doors = Doors::new();
    let state = raised(&doors)["state"].clone();
    let respond = json!({"on": "2026-12-29", "actor": "tm", "type": "respond"});
    let with = |fingerprint: &str| {
        let mut state = state.clone();
        state["calendar_fingerprint"] = fingerprint.into();
        json!({"ladder": IRO, "state": state, "event": respond})
    };
    // All zeros matches the pattern: read, and not this calendar's.
    assert_eq!(
        doors
            .all(Operation::Apply, &with("cal-0000000000000000"))
            .code(),
        "state.calendar-changed"
    );
    let real = state["calendar_fingerprint"].as_str().unwrap().to_string();
    for bad in [
        real.to_uppercase().replace("CAL-", "cal-"),
        real.replacen('-', "-+", 1),
    ] {
        assert_eq!(
            doors.all(Operation::Apply, &with(&bad)).code(),
            "request.invalid-document",
            "{bad}"
        );
    }
}

/// One rule for event ids at every door: an escalation re-delivered after 40
/// other events changes nothing, through apply, replay, a report and a
/// calendar export alike.
#[test]
fn an_escalation_redelivered_after_40_events_changes_nothing() {
    let doors = Doors::new();
    let mut events = vec![
        json!({"id": "raise", "on": "2026-12-21", "actor": "iro", "type": "raise",
               "stage": "team-manager", "reason": "drift"}),
        json!({"id": "up", "on": "2026-12-22", "actor": "iro", "type": "escalate",
               "reason": "no answer"}),
    ];
    for n in 0..40 {
        events.push(
            json!({"id": format!("step-{n}"), "on": "2026-12-23", "actor": "iro",
                           "type": "refer", "referral": "cafcass"}),
        );
    }
    let redelivered = events[1].clone();
    let mut state = Value::Null;
    for event in &events {
        let applied = doors
            .all(
                Operation::Apply,
                &json!({"ladder": IRO, "state": state, "event": event}),
            )
            .ok()
            .unwrap();
        state = applied["state"].clone();
    }
    let before = state.clone();
    let again = doors
        .all(
            Operation::Apply,
            &json!({"ladder": IRO, "state": state, "event": redelivered}),
        )
        .ok()
        .unwrap();
    assert_eq!(again["state"], before, "a re-delivery changes nothing");
    assert_eq!(
        again["transitions"][0]["effects"][0]["effect"],
        "already-applied"
    );
    assert_eq!(before["stage"], "head-of-service");
    // Replay, a report and the calendar export give the same position.
    events.push(redelivered);
    let replayed = doors
        .all(
            Operation::Replay,
            &json!({"ladder": IRO, "events": events, "as_of": "2026-12-23"}),
        )
        .ok()
        .unwrap();
    assert_eq!(replayed["state"], before);
    let cases = json!({"case": "IRO-1", "ladder": IRO, "events": events}).to_string() + "\n";
    let report = doors
        .all_with(
            Operation::Report,
            &json!({"as_of": "2026-12-23", "format": "json"}),
            cases.as_bytes(),
        )
        .ok()
        .unwrap();
    assert_eq!(report["open"]["total"], 1);
    let open = report["open"]["by_stage"].to_string();
    assert!(open.contains("head-of-service"), "{open}");
    let ics = doors.all_with(
        Operation::Ics,
        &json!({"as_of": "2026-12-23"}),
        cases.as_bytes(),
    );
    // One response date (the head of service's) and the ceiling.
    assert_eq!(ics.text().unwrap().matches("BEGIN:VEVENT").count(), 2);
}

/// One shape for a working-day answer at every door (the ABI's `date` was
/// the result, HTTP's the start), every other operation through the ABI
/// too.
#[test]
fn one_shape_for_every_answer_and_every_operation_at_every_door() {
    let doors = Doors::new();
    let added = doors
        .all(
            Operation::AddWorkingDays,
            &json!({"from": "2026-12-24", "working_days": 1}),
        )
        .ok()
        .unwrap();
    assert_eq!(
        added,
        json!({"from": "2026-12-24", "working_days": 1, "result": "2026-12-29",
               "region": "england-and-wales"})
    );
    let counted = doors
        .all(
            Operation::CountWorkingDays,
            &json!({"from": "2026-12-24", "to": "2026-12-31"}),
        )
        .ok()
        .unwrap();
    assert_eq!(counted["working_days"], 3);
    let explained = doors
        .all(
            Operation::Explain,
            &json!({"from": "2026-12-24", "working_days": 1, "region": "scotland"}),
        )
        .ok()
        .unwrap();
    assert_eq!(explained["result"], "2026-12-29");
    let holidays = doors
        .all(
            Operation::Holidays,
            &json!({"region": "scotland", "from": 2026}),
        )
        .ok()
        .unwrap();
    assert!(
        holidays.to_string().contains("2026-11-30"),
        "St Andrew's Day"
    );
    let timeline = doors
        .all(
            Operation::Timeline,
            &json!({"procedure": IRO, "raised": "2026-12-21"}),
        )
        .ok()
        .unwrap();
    assert_eq!(timeline["ceiling"], "2027-01-21");
    let shown = doors
        .all(Operation::Show, &json!({"procedure": IRO}))
        .ok()
        .unwrap();
    assert_eq!(shown["id"], IRO);
    let listed = doors.all(Operation::Ladders, &json!({})).ok().unwrap();
    assert!(listed.as_array().unwrap().len() >= 8);
    // validate reads the procedure file as its payload, named as the CLI names it.
    let text = escalation_ladder::ladder::builtin::source("lac-review-decisions").unwrap();
    let validated = doors.validate(text.as_bytes()).ok().unwrap();
    assert_eq!(validated["id"], "lac-review-decisions");
    let refused = doors.validate(b"kind = \"ladder\"\nid = \"x\"\n");
    assert!(refused.code().starts_with("ladder."), "{}", refused.code());
}

/// The ceiling day: a stage entered on the ceiling is capped like every
/// stage before it. IRO alert raised Monday 4 January 2027, ceiling Monday 1
/// February; an escalation to the Head of Service on 1 February is due that
/// day, not 8 February.
#[test]
fn a_stage_entered_on_the_ceiling_is_due_that_day() {
    let doors = Doors::new();
    let raise = json!({"on": "2027-01-04", "actor": "iro", "type": "raise",
                       "stage": "team-manager", "reason": "drift"});
    let applied = doors
        .all(Operation::Apply, &json!({"ladder": IRO, "event": raise}))
        .ok()
        .unwrap();
    assert_eq!(applied["state"]["ceiling"], "2027-02-01");
    let escalate = json!({"on": "2027-02-01", "actor": "iro", "type": "escalate",
                          "to": "head-of-service", "reason": "no answer"});
    let up = doors
        .all(
            Operation::Apply,
            &json!({"ladder": IRO, "state": applied["state"], "event": escalate}),
        )
        .ok()
        .unwrap();
    assert_eq!(up["state"]["stage"], "head-of-service");
    assert_eq!(up["state"]["respond_by"], "2027-02-01");
}
