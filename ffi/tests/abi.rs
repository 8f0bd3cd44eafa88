//! Every function of the C ABI, called as a C caller would (raw pointers,
//! owned strings), with the values a case system reads.

mod support;

use std::ffi::c_char;
use std::ptr::null;

use escalation_ladder_ffi::*;
use support::{c, call, error, ok, Handle, RAISE};

const IRO: &str = "iro-dispute-resolution";

/// `el_apply` with these arguments (NULL where `None`).
fn apply(
    handle: &Handle,
    state: Option<&str>,
    event: &str,
    expected_version: i64,
) -> (i32, serde_json::Value) {
    let (ladder, event, state) = (c(IRO), c(event), state.map(c));
    call(|out| unsafe {
        el_apply(
            handle.0,
            ladder.as_ptr(),
            state.as_ref().map_or(null(), |s| s.as_ptr()),
            event.as_ptr(),
            expected_version,
            out,
        )
    })
}

/// The state after the raise of Monday 21 December 2026.
fn raised(handle: &Handle) -> String {
    let (status, json) = apply(handle, None, RAISE, -1);
    assert_eq!(status, EL_OK, "{json}");
    json["state"].to_string()
}

#[test]
fn version_names_the_abi_the_library_and_the_state_schema() {
    let text = unsafe { std::ffi::CStr::from_ptr(el_version()) };
    let json: serde_json::Value = serde_json::from_str(text.to_str().unwrap()).unwrap();
    assert_eq!(json["abi"], EL_ABI_VERSION);
    assert_eq!(json["library"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        json["state_schema_version"],
        escalation_ladder::engine::STATE_SCHEMA_VERSION
    );
    // The same static string every time.
    assert_eq!(el_version(), el_version());
}

#[test]
fn a_handle_lists_its_ladders() {
    let mut handle: *mut ElHandle = std::ptr::null_mut();
    let json = ok(|out| unsafe { el_handle_new(null(), null(), null(), &mut handle, out) });
    assert!(!handle.is_null());
    unsafe { el_handle_free(handle) };
    let ladders: Vec<&str> = json["ladders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(ladders.contains(&IRO), "{json}");
    assert!(ladders.contains(&"lac-review-decisions"), "{json}");
    // Schedules are not ladders: alerts do not run on them.
    assert!(!ladders.contains(&"nottinghamshire-inspection"), "{json}");
    assert_eq!(json["region"], serde_json::Value::Null);
    // Freeing NULL is allowed.
    unsafe { el_handle_free(std::ptr::null_mut()) };
    unsafe { el_string_free(std::ptr::null_mut()) };
}

#[test]
fn apply_raises_an_alert_across_christmas() {
    let handle = Handle::builtin();
    let (status, json) = apply(&handle, None, RAISE, -1);
    assert_eq!(status, EL_OK, "{json}");
    let state = &json["state"];
    assert_eq!(state["phase"], "awaiting-response");
    assert_eq!(state["stage"], "team-manager");
    assert_eq!(state["raised_on"], "2026-12-21");
    // 22, 23, 24 December, then (Christmas Day Friday 25th, the Boxing Day
    // substitute Monday 28th) 29 and 30 December.
    assert_eq!(state["respond_by"], "2026-12-30");
    // 20 working days in all (tests/cli_alert.rs, timeline_as_json).
    assert_eq!(state["ceiling"], "2027-01-21");
    assert_eq!(state["events_applied"], 1);
    let transitions = json["transitions"].as_array().unwrap();
    assert_eq!(transitions.len(), 1);
    assert_eq!(transitions[0]["audit"]["event"]["type"], "raise");
    assert_eq!(transitions[0]["state"], *state);
    let effects = transitions[0]["effects"].to_string();
    assert!(effects.contains("2026-12-30"), "{effects}");
}

#[test]
fn apply_agrees_with_the_library() {
    use escalation_ladder::engine::{AlertState, Event};
    use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
    let ladder = builtin::ladder(IRO).unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let event: Event = serde_json::from_str(RAISE).unwrap();
    let direct =
        escalation_ladder::apply(&ladder, &calendar, &AlertState::new(&ladder.id), &event).unwrap();
    let (_, json) = apply(&Handle::builtin(), None, RAISE, -1);
    assert_eq!(json["state"], serde_json::to_value(&direct.state).unwrap());
    assert_eq!(
        json["transitions"][0],
        serde_json::to_value(&direct).unwrap()
    );
}

#[test]
fn apply_checks_the_version_and_recognises_a_redelivery() {
    let handle = Handle::builtin();
    let state = raised(&handle);
    let respond = r#"{"on":"2026-12-29","actor":"tm","type":"respond","id":"msg-7"}"#;
    let conflict = apply(&handle, Some(&state), respond, 0).1;
    assert_eq!(conflict["code"], "state.version-conflict");
    assert_eq!(conflict["fields"]["expected"], 0);
    assert_eq!(conflict["fields"]["found"], 1);
    let (status, json) = apply(&handle, Some(&state), respond, 1);
    assert_eq!(status, EL_OK, "{json}");
    assert_eq!(json["state"]["phase"], "awaiting-decision");
    assert_eq!(json["state"]["responded_on"], "2026-12-29");
    assert_eq!(json["state"]["events_applied"], 2);
    // The same message again, at whatever version: nothing changes.
    let responded = json["state"].to_string();
    let (status, again) = apply(&handle, Some(&responded), respond, 1);
    assert_eq!(status, EL_OK, "{again}");
    assert_eq!(again["state"], json["state"]);
    assert_eq!(
        again["transitions"][0]["effects"],
        serde_json::json!([{"effect": "already-applied", "id": "msg-7"}])
    );
    // A version that is no u32.
    let err = apply(&handle, Some(&state), respond, i64::from(u32::MAX) + 1).1;
    assert_eq!(err["code"], "request.invalid-value");
    assert_eq!(err["fields"]["field"], "expect_version");
}

#[test]
fn apply_refuses_with_the_contracts_error_document() {
    let handle = Handle::builtin();
    let (status, doc) = apply(
        &handle,
        None,
        r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"nowhere","reason":"drift"}"#,
        -1,
    );
    assert_eq!(status, EL_ERROR);
    assert_eq!(doc["code"], "refused.unknown-stage");
    assert_eq!(doc["fields"]["on"], "2026-12-21");
    assert_eq!(doc["fields"]["reason"]["stage"], "nowhere");
    // A state of another ladder.
    let state = raised(&handle);
    let ladder = c("lac-review-decisions");
    let (event, state) = (c(RAISE), c(&state));
    let doc = error(|out| unsafe {
        el_apply(
            handle.0,
            ladder.as_ptr(),
            state.as_ptr(),
            event.as_ptr(),
            -1,
            out,
        )
    });
    assert_eq!(doc["code"], "state.wrong-ladder");
    assert_eq!(doc["fields"]["state_ladder"], IRO);
}

#[test]
fn bad_arguments_have_ffi_codes() {
    let handle = Handle::builtin();
    // NULL pointers, each named.
    let (ladder, event) = (c(IRO), c(RAISE));
    let doc = error(|out| unsafe {
        el_apply(
            std::ptr::null(),
            ladder.as_ptr(),
            null(),
            event.as_ptr(),
            -1,
            out,
        )
    });
    assert_eq!(doc["code"], "ffi.null-pointer");
    assert_eq!(doc["fields"]["argument"], "handle");
    let doc = error(|out| unsafe { el_apply(handle.0, ladder.as_ptr(), null(), null(), -1, out) });
    assert_eq!(doc["code"], "ffi.null-pointer");
    assert_eq!(doc["fields"]["argument"], "event_json");
    assert_eq!(doc["message"], "event_json: expected a pointer, found NULL");
    // Invalid UTF-8.
    let bad = b"{\"on\":\"2026-12-21\xff\"}\0";
    let doc = error(|out| unsafe {
        el_apply(
            handle.0,
            ladder.as_ptr(),
            null(),
            bad.as_ptr().cast::<c_char>(),
            -1,
            out,
        )
    });
    assert_eq!(doc["code"], "ffi.invalid-utf8");
    assert_eq!(doc["fields"]["valid_up_to"], 17);
    // Malformed JSON, and JSON that is not an event.
    let (doc, _) = apply(&handle, None, "{\"on\":", -1);
    assert_eq!(doc, EL_ERROR);
    let doc = apply(&handle, None, "{\"on\":", -1).1;
    assert_eq!(doc["code"], "request.malformed-json");
    assert_eq!(doc["fields"]["document"], "event");
    let doc = apply(&handle, None, r#"{"on":"2026-12-21","type":"raise"}"#, -1).1;
    assert_eq!(doc["code"], "request.invalid-document");
    assert!(doc["message"]
        .as_str()
        .unwrap()
        .starts_with("event: expected an event: "));
    let doc = apply(&handle, Some("[1]"), RAISE, -1).1;
    assert_eq!(doc["code"], "request.invalid-document");
    assert_eq!(doc["fields"]["document"], "state");
    // An unknown ladder names the ones there are.
    let nowhere = c("nowhere");
    let doc = error(|out| unsafe {
        el_apply(handle.0, nowhere.as_ptr(), null(), event.as_ptr(), -1, out)
    });
    assert_eq!(doc["code"], "ladder.unknown");
    assert!(doc["fields"]["known"].to_string().contains(IRO));
    // A NULL out_json: nothing written, nothing done.
    let status = unsafe {
        el_apply(
            handle.0,
            ladder.as_ptr(),
            null(),
            event.as_ptr(),
            -1,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(status, EL_NO_OUTPUT);
}

#[test]
fn status_says_who_must_act_by_when() {
    let handle = Handle::builtin();
    let state = raised(&handle);
    let (ladder, state_c, as_of) = (c(IRO), c(&state), c("2026-12-24"));
    let json = ok(|out| unsafe {
        el_status(
            handle.0,
            ladder.as_ptr(),
            state_c.as_ptr(),
            as_of.as_ptr(),
            out,
        )
    });
    assert_eq!(json["next_deadline"], "2026-12-30");
    assert_eq!(json["working_days_left"], 2);
    assert_eq!(json["who_must_act"], serde_json::json!(["team-manager"]));
    assert_eq!(json["overdue"], false);
    // Before the raise, and a malformed date.
    let early = c("2026-12-18");
    let doc = error(|out| unsafe {
        el_status(
            handle.0,
            ladder.as_ptr(),
            state_c.as_ptr(),
            early.as_ptr(),
            out,
        )
    });
    assert_eq!(doc["code"], "status.as-of-before-raise");
    let bad = c("24/12/2026");
    let doc = error(|out| unsafe {
        el_status(
            handle.0,
            ladder.as_ptr(),
            state_c.as_ptr(),
            bad.as_ptr(),
            out,
        )
    });
    assert_eq!(doc["code"], "request.invalid-value");
    assert_eq!(doc["fields"]["found"], "24/12/2026");
}

#[test]
fn advance_lets_time_deem_review_decisions_agreed() {
    // The library's own example (engine::advance): decisions sent on Friday
    // 18 December 2026 are deemed agreed on Wednesday 30 December.
    let handle = Handle::builtin();
    let ladder = "lac-review-decisions";
    let mut state: Option<String> = None;
    for event in [
        r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review on 14 December"}"#,
        r#"{"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"}"#,
    ] {
        let (l, e, s) = (c(ladder), c(event), state.as_deref().map(c));
        let json = ok(|out| unsafe {
            el_apply(
                handle.0,
                l.as_ptr(),
                s.as_ref().map_or(null(), |s| s.as_ptr()),
                e.as_ptr(),
                -1,
                out,
            )
        });
        state = Some(json["state"].to_string());
    }
    let (l, s, as_of) = (c(ladder), c(state.as_deref().unwrap()), c("2027-01-04"));
    let json =
        ok(|out| unsafe { el_advance(handle.0, l.as_ptr(), s.as_ptr(), as_of.as_ptr(), out) });
    assert_eq!(json["state"]["phase"], "deemed-agreed");
    let transitions = json["transitions"].as_array().unwrap();
    assert_eq!(transitions.len(), 1);
    assert_eq!(transitions[0]["audit"]["event"]["on"], "2026-12-30");
    assert_eq!(transitions[0]["audit"]["event"]["type"], "deem-agreed");
    // Nothing due: the state back as it was, no transitions.
    let before = c("2026-12-21");
    let json =
        ok(|out| unsafe { el_advance(handle.0, l.as_ptr(), s.as_ptr(), before.as_ptr(), out) });
    assert_eq!(json["transitions"], serde_json::json!([]));
    assert_eq!(json["state"]["phase"], "awaiting-response");
}

#[test]
fn working_days_skip_christmas_and_the_boxing_day_substitute() {
    let handle = Handle::builtin();
    let from = c("2026-12-21");
    let json = ok(|out| unsafe { el_add_working_days(handle.0, from.as_ptr(), 5, out) });
    assert_eq!(
        json,
        serde_json::json!({"from": "2026-12-21", "working_days": 5, "result": "2026-12-30", "region": "england-and-wales"})
    );
    let to = c("2026-12-30");
    let json =
        ok(|out| unsafe { el_count_working_days(handle.0, from.as_ptr(), to.as_ptr(), out) });
    assert_eq!(json["working_days"], 5);
    // Back again: a negative count.
    let json =
        ok(|out| unsafe { el_count_working_days(handle.0, to.as_ptr(), from.as_ptr(), out) });
    assert_eq!(json["working_days"], -5);
    // Out of the calendar's range: the library's own code.
    let old = c("1977-06-07");
    let doc = error(|out| unsafe { el_add_working_days(handle.0, old.as_ptr(), 1, out) });
    assert_eq!(doc["code"], "calendar.out-of-range");
}

#[test]
fn a_handle_takes_a_region_closures_holidays_and_a_ladder() {
    // Scotland: 2 January 2026 (a Friday) is a bank holiday there only.
    let scotland = Handle::new(Some("scotland"), None, None).unwrap();
    let from = c("2025-12-31");
    let json = ok(|out| unsafe { el_add_working_days(scotland.0, from.as_ptr(), 1, out) });
    assert_eq!(json["result"], "2026-01-05");
    assert_eq!(json["region"], "scotland");
    let england = Handle::builtin();
    let json = ok(|out| unsafe { el_add_working_days(england.0, from.as_ptr(), 1, out) });
    assert_eq!(json["result"], "2026-01-02");
    // A Christmas shutdown on 29-31 December: the raise of the 21st is due
    // on Tuesday 5 January (tests/cli_alert.rs: 22, 23, 24 December, then 4
    // and 5 January, New Year's Day being a Friday).
    let shut = Handle::new(
        None,
        None,
        Some(r#"{"closures":[{"date":"2026-12-29","reason":"shutdown"},{"date":"2026-12-30"},{"date":"2026-12-31"}]}"#),
    )
    .unwrap();
    let json = apply(&shut, None, RAISE, -1).1;
    assert_eq!(json["state"]["respond_by"], "2027-01-05");
    // A state computed on the handle without the closures is flagged stale.
    let stored = raised(&england);
    let doc = apply(
        &shut,
        Some(&stored),
        r#"{"on":"2026-12-22","actor":"tm","type":"respond"}"#,
        -1,
    )
    .1;
    assert_eq!(doc["code"], "state.calendar-changed");
    // An extra bank holiday on Tuesday 22 December.
    let holiday = Handle::new(
        None,
        None,
        Some(r#"{"holidays":[{"date":"2026-12-22","name":"a proclaimed holiday"}]}"#),
    )
    .unwrap();
    let json = apply(&holiday, None, RAISE, -1).1;
    assert_eq!(json["state"]["respond_by"], "2026-12-31");
    // A council's own ladder (TOML), replacing the built-in one.
    let toml = escalation_ladder::ladder::builtin::source(IRO)
        .unwrap()
        .replace("working_days = 20", "working_days = 25");
    let own = Handle::new(None, Some(&toml), None).unwrap();
    let json = apply(&own, None, RAISE, -1).1;
    assert_eq!(json["state"]["ceiling"], "2027-01-28");
}

#[test]
fn a_handle_refuses_bad_options_with_their_codes() {
    let doc = Handle::new(Some("wales"), None, None).err().unwrap();
    assert_eq!(doc["code"], "calendar.unknown-region");
    let doc = Handle::new(None, Some("id = "), None).err().unwrap();
    assert!(
        doc["code"].as_str().unwrap().starts_with("ladder."),
        "{doc}"
    );
    let doc = Handle::new(None, None, Some(r#"{"closures":["2026-12-29"]}"#))
        .err()
        .unwrap();
    assert_eq!(doc["code"], "request.invalid-document");
    assert_eq!(doc["fields"]["document"], "calendar_json");
    let doc = Handle::new(None, None, Some(r#"{"closures":[{"date":"2026-13-01"}]}"#))
        .err()
        .unwrap();
    assert_eq!(doc["code"], "request.invalid-document");
    assert_eq!(doc["fields"]["field"], "date");
    assert_eq!(doc["fields"]["found"], "2026-13-01");
    let doc = Handle::new(None, None, Some(r#"{"holidays":[{"date":"1900-01-02"}]}"#))
        .err()
        .unwrap();
    assert!(
        doc["code"].as_str().unwrap().starts_with("calendar."),
        "{doc}"
    );
    // NULL out_handle: said in out_json.
    let doc =
        error(|out| unsafe { el_handle_new(null(), null(), null(), std::ptr::null_mut(), out) });
    assert_eq!(doc["code"], "ffi.null-pointer");
    assert_eq!(doc["fields"]["argument"], "out_handle");
}

#[test]
fn one_handle_serves_many_threads() {
    let handle = Handle::builtin();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..50 {
                    let json = apply(&handle, None, RAISE, -1).1;
                    assert_eq!(json["state"]["respond_by"], "2026-12-30");
                }
            });
        }
    });
}
