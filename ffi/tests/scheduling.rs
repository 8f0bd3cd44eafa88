//! Issue 19 at every door (the library, the command line, the HTTP router
//! and the C ABI, through `Doors::all`, which also checks that the four
//! agree byte for byte): when an alert wakes, its `wakes_on` property,
//! corrections worked out from document 001, and the batches over many
//! alerts.
//!
//! England and Wales bank holidays used here: Friday 25 December 2026,
//! Monday 28 December 2026 (the Boxing Day substitute), Friday 1 January
//! 2027.

#[path = "../../tests/support/day_counts.rs"]
mod day_counts;
mod doors;
mod support;

use day_counts::without_day_counts;
use doors::Doors;
use escalation_ladder::chrono::{Days, NaiveDate};
use escalation_ladder::ops::Operation;
use proptest::prelude::*;
use serde_json::{json, Value};

const IRO: &str = "iro-dispute-resolution";
const DECISIONS: &str = "lac-review-decisions";

/// Applies events one by one to a new alert at every door: the state and
/// the trail every door stores.
fn applied(doors: &Doors, ladder: &str, events: &[Value]) -> (Value, Vec<Value>) {
    let mut state = Value::Null;
    let mut trail = Vec::new();
    for event in events {
        let request = json!({"ladder": ladder, "state": state, "event": event});
        let answer = doors.all(Operation::Apply, &request);
        let applied = answer.ok().unwrap_or_else(|| panic!("{answer:?}"));
        for t in applied["transitions"].as_array().unwrap() {
            trail.push(t["audit"].clone());
        }
        state = applied["state"].clone();
    }
    (state, trail)
}

/// Advanced at every door to `as_of`: the state and the trail with time's
/// transitions.
fn advanced(
    doors: &Doors,
    ladder: &str,
    state: &Value,
    trail: &[Value],
    as_of: &str,
) -> (Value, Vec<Value>) {
    let request = json!({"ladder": ladder, "state": state, "as_of": as_of});
    let answer = doors.all(Operation::Advance, &request).ok().unwrap();
    let mut trail = trail.to_vec();
    for t in answer["transitions"].as_array().unwrap() {
        trail.push(t["audit"].clone());
    }
    (answer["state"].clone(), trail)
}

/// The lines of a JSON Lines answer.
fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Issue 19's example: raised with the team manager on Monday 21 December
/// 2026, due Wednesday 30th (22, 23, 24, 29, 30), overdue and so woken on
/// Thursday 31st; advanced to the 31st, it wakes when the ceiling (Thursday
/// 21 January 2027: 22-24, 29-31 December, 4-8, 11-15, 18-21 January) has
/// passed, on Friday 22 January.
#[test]
fn an_iro_alert_raised_on_21_december_wakes_on_31_december_at_every_door() {
    let doors = Doors::new();
    let raise = json!({"on": "2026-12-21", "actor": "iro", "type": "raise",
                       "stage": "team-manager", "reason": "drift"});
    let (state, _) = applied(&doors, IRO, &[raise]);
    assert_eq!(state["respond_by"], "2026-12-30");
    assert_eq!(state["wakes_on"], "2026-12-31");
    let (state, _) = advanced(&doors, IRO, &state, &[], "2026-12-31");
    assert_eq!(state["events_applied"], 1);
    assert_eq!(state["wakes_on"], "2027-01-22");
}

/// The issue's correction, from document 001 3.3 ("The team manager will
/// respond within 5 working days of receiving them and advise the IRO if
/// they are unable to agree them. If no response is received the IRO would
/// consider that the manager has agreed the decisions"): decisions received
/// by the team manager on Monday 21 December 2026 are due Wednesday 30th and
/// were deemed agreed by time on Thursday 31st; the "unable to agree" sent on
/// Tuesday 29 December and recorded on Monday 4 January 2027, inserted, gives
/// a trail with the response on the 29th and no deemed agreement.
#[test]
fn a_disagreement_recorded_late_undoes_the_deemed_agreement_at_every_door() {
    let doors = Doors::new();
    let events = [
        json!({"on": "2026-12-14", "actor": "iro", "type": "raise", "reason": "review on 14 December"}),
        json!({"on": "2026-12-21", "actor": "iro", "type": "escalate", "reason": "decisions sent"}),
    ];
    let (state, trail) = applied(&doors, DECISIONS, &events);
    assert_eq!(state["stage"], "team-manager-response");
    assert_eq!(state["stage_entered_on"], "2026-12-21");
    assert_eq!(state["respond_by"], "2026-12-30");
    let (stored, trail) = advanced(&doors, DECISIONS, &state, &trail, "2027-01-04");
    assert_eq!(stored["phase"], "deemed-agreed");
    assert_eq!(trail[2]["event"]["type"], "deem-agreed");
    assert_eq!(trail[2]["event"]["on"], "2026-12-31");

    let answer =
        json!({"on": "2026-12-29", "actor": "tm", "type": "respond", "outcome": "unable-to-agree"});
    let request = json!({"ladder": DECISIONS, "state": stored, "trail": trail,
                         "correction": {"type": "insert", "event": answer},
                         "as_of": "2027-01-04", "expect_version": 3});
    let fixed = doors.all(Operation::Correct, &request).ok().unwrap();
    let seen: Vec<(&str, &str)> = fixed["trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"]["type"].as_str().unwrap(),
                e["event"]["on"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("raise", "2026-12-14"),
            ("escalate", "2026-12-21"),
            ("respond", "2026-12-29")
        ]
    );
    assert_eq!(fixed["moved"], true);
    assert_eq!(fixed["before"]["phase"], "deemed-agreed");
    assert_eq!(fixed["after"]["phase"], "resolved");
    assert_eq!(fixed["state"]["outcome"], "unable-to-agree");
    assert_eq!(fixed["state"]["responded_on"], "2026-12-29");
    assert_eq!(fixed["state"]["wakes_on"], Value::Null);

    // With another version than the stored one: a conflict.
    let mut stale = request.clone();
    stale["expect_version"] = 2.into();
    assert_eq!(
        doors.all(Operation::Correct, &stale).code(),
        "state.version-conflict"
    );
    // Time's own entry cannot be voided: it is made again.
    let mut time = request.clone();
    time["correction"] = json!({"type": "void", "sequence": 3});
    let refused = doors.all(Operation::Correct, &time);
    assert_eq!(refused.code(), "correction.time-entry");
    // Neither an id nor a sequence: the request says which it needs.
    let mut vague = request.clone();
    vague["correction"] = json!({"type": "void"});
    let refused = doors.all(Operation::Correct, &vague);
    assert_eq!(refused.code(), "request.invalid-value");
    assert_eq!(refused.error().unwrap()["fields"]["field"], "correction");
    // A response before the decisions were sent is refused at its place in
    // the corrected history, with the engine's code.
    let mut early = request.clone();
    early["correction"]["event"]["on"] = "2026-12-18".into();
    let refused = doors.all(Operation::Correct, &early);
    assert_eq!(refused.code(), "refused.unknown-outcome");
    let fields = refused.error().unwrap()["fields"].clone();
    assert_eq!(
        (
            fields["event_number"].clone(),
            fields["event_count"].clone()
        ),
        (json!(2), json!(3))
    );
    assert_eq!(fields["corrected"], true);
}

/// A nightly run over three stored alerts on 31 December 2026: the review
/// decisions of 21 December are deemed agreed that day; the IRO alert of the
/// same day is overdue, which moves only its `wakes_on` (to 22 January
/// 2027); an IRO alert raised on the 30th is due Thursday 7 January (31
/// December, 4, 5, 6, 7 January) and changes nothing, so it has no line. A
/// line naming no ladder is answered with its error, in its place.
#[test]
fn a_nightly_batch_at_every_door() {
    let doors = Doors::new();
    let decisions = [
        json!({"on": "2026-12-14", "actor": "iro", "type": "raise", "reason": "review"}),
        json!({"on": "2026-12-21", "actor": "iro", "type": "escalate", "reason": "decisions sent"}),
    ];
    let (sent, _) = applied(&doors, DECISIONS, &decisions);
    let (overdue, _) = applied(
        &doors,
        IRO,
        &[
            json!({"on": "2026-12-21", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"}),
        ],
    );
    let (fresh, _) = applied(
        &doors,
        IRO,
        &[
            json!({"on": "2026-12-30", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"}),
        ],
    );
    // 31 December, 4, 5, 6, 7 January: due Thursday 7 January.
    assert_eq!(fresh["respond_by"], "2027-01-07");
    assert_eq!(fresh["wakes_on"], "2027-01-08");
    let payload = [
        json!({"alert": "L-1", "ladder": DECISIONS, "state": sent, "meta": {"row": 17}}),
        json!({"alert": "I-1", "ladder": IRO, "state": overdue}),
        json!({"alert": "I-2", "ladder": IRO, "state": fresh}),
        json!({"alert": "X-1", "ladder": "nowhere", "state": fresh}),
    ]
    .iter()
    .map(|l| l.to_string() + "\n")
    .collect::<String>();
    let answer = doors.all_with(
        Operation::AdvanceAlerts,
        &json!({"as_of": "2026-12-31"}),
        payload.as_bytes(),
    );
    let out = lines(answer.text().unwrap());
    assert_eq!(out.len(), 3, "{out:?}");
    assert_eq!(
        (out[0]["alert"].clone(), out[0]["line"].clone()),
        (json!("L-1"), json!(1))
    );
    assert_eq!(out[0]["expect_version"], 2);
    assert_eq!(out[0]["state"]["phase"], "deemed-agreed");
    assert_eq!(
        out[0]["transitions"][0]["audit"]["event"]["on"],
        "2026-12-31"
    );
    assert_eq!(out[0]["meta"]["row"], 17);
    assert_eq!(out[1]["alert"], "I-1");
    assert_eq!(out[1]["transitions"], json!([]));
    assert_eq!(out[1]["state"]["wakes_on"], "2027-01-22");
    assert_eq!(out[2]["alert"], "X-1");
    assert_eq!(out[2]["line"], 4);
    assert_eq!(out[2]["state"], Value::Null);
    assert_eq!(out[2]["error"]["code"], "ladder.unknown");
    // An as-of date out of the calendar's range refuses the whole run.
    let refused = doors.all_with(
        Operation::AdvanceAlerts,
        &json!({"as_of": "2200-01-01"}),
        payload.as_bytes(),
    );
    assert_eq!(refused.code(), "calendar.out-of-range");
}

/// Re-based in bulk on a calendar closed from 29 to 31 December 2026: an
/// IRO alert raised on Friday 18 December was due Tuesday 29th (21-24, 29)
/// with its ceiling on Wednesday 20 January 2027; it is now due Monday 4
/// January (21-24, then past the closure and New Year's Day) and its
/// ceiling is Monday 25 January. The CSV says so, a row a field.
#[test]
fn a_bulk_recompute_after_a_closure_at_every_door() {
    let open = Doors::new();
    let raise = json!({"on": "2026-12-18", "actor": "iro", "type": "raise",
                       "stage": "team-manager", "reason": "drift"});
    let (state, trail) = applied(&open, IRO, &[raise]);
    assert_eq!(state["respond_by"], "2026-12-29");
    let line = json!({"alert": "IRO-1", "ladder": IRO, "state": state, "trail": trail, "expect_version": 1});
    let payload = format!("{line}\n");
    let closed = Doors::closed(&[
        NaiveDate::from_ymd_opt(2026, 12, 29).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 30).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    ]);
    let csv = closed.all_with(
        Operation::RecomputeAlerts,
        &json!({"format": "csv"}),
        payload.as_bytes(),
    );
    assert_eq!(
        csv.text().unwrap(),
        "alert,ladder,field,before,after\n\
         IRO-1,iro-dispute-resolution,respond_by,2026-12-29,2027-01-04\n\
         IRO-1,iro-dispute-resolution,ceiling,2027-01-20,2027-01-25\n"
    );
    let rebased = closed.all_with(Operation::RecomputeAlerts, &json!({}), payload.as_bytes());
    let out = lines(rebased.text().unwrap());
    assert_eq!(out[0]["moved"], true);
    assert_eq!(out[0]["state"]["respond_by"], "2027-01-04");
    assert_eq!(out[0]["trail"].as_array().unwrap().len(), 1);
    // On the calendar it was computed on, nothing moves and the CSV has no row.
    let same = open.all_with(
        Operation::RecomputeAlerts,
        &json!({"format": "csv"}),
        payload.as_bytes(),
    );
    assert_eq!(same.text().unwrap(), "alert,ladder,field,before,after\n");
    // Another version than the line's expected one: that alert's error.
    let stale = json!({"alert": "IRO-1", "ladder": IRO, "state": state, "trail": trail, "expect_version": 4});
    let refused = closed.all_with(
        Operation::RecomputeAlerts,
        &json!({"format": "csv"}),
        format!("{stale}\n").as_bytes(),
    );
    assert!(refused
        .text()
        .unwrap()
        .contains("IRO-1,iro-dispute-resolution,error,state.version-conflict,"));
}

/// The status as at `day`, through every door, without its counts of days.
fn status_without_counts(doors: &Doors, ladder: &str, state: &Value, day: NaiveDate) -> Value {
    let request = json!({"ladder": ladder, "state": state, "as_of": day.to_string()});
    without_day_counts(doors.all(Operation::Status, &request).ok().unwrap())
}

/// The ladders and entry stages of the property below (raised there, then
/// escalated, resolved, or left).
const WALKS: &[(&str, &str)] = &[
    (IRO, "team-manager"),
    (DECISIONS, "decisions-sent"),
    ("cp-conference-concerns", "level-3"),
    ("chair-performance-concerns", "dhos-investigation"),
    ("oxfordshire-resolution-escalation", "stage-1"),
    ("birmingham-cp-notification", "stage-1"),
    ("nottingham-provider-concerns", "concern-logged"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// `wakes_on`'s property at every door: the status as at each day after
    /// the state's own date and before `wakes_on` differs from the day
    /// before's only in its counts of days, and on `wakes_on` in more.
    #[test]
    fn status_changes_by_time_alone_first_on_wakes_on_at_every_door(
        which in 0usize..WALKS.len(),
        raised in 0u64..400,
        then in 0u8..3,
        gap in 0u64..10,
        ahead in prop_oneof![Just(0u64), 1u64..20],
    ) {
        thread_local! { static DOORS: Doors = Doors::new(); }
        let (ladder, stage) = WALKS[which];
        let start = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap() + Days::new(raised);
        let mut events = vec![json!({"on": start.to_string(), "actor": "a", "type": "raise",
                                     "stage": stage, "reason": "r"})];
        let next = (start + Days::new(gap)).to_string();
        match then {
            0 => events.push(json!({"on": next, "actor": "a", "type": "escalate", "reason": "r"})),
            1 => events.push(json!({"on": next, "actor": "a", "type": "resolve", "outcome": "done"})),
            _ => {}
        }
        DOORS.with(|doors| {
            let mut state = Value::Null;
            for event in &events {
                let request = json!({"ladder": ladder, "state": state, "event": event});
                if let Some(applied) = doors.all(Operation::Apply, &request).ok() {
                    state = applied["state"].clone();
                }
            }
            let last: NaiveDate = state["last_event_on"].as_str().unwrap().parse().unwrap();
            let from = last + Days::new(ahead);
            if ahead > 0 {
                state = advanced(doors, ladder, &state, &[], &from.to_string()).0;
            }
            let wakes: Option<NaiveDate> = state["wakes_on"].as_str().map(|d| d.parse().unwrap());
            let until = wakes.unwrap_or(from + Days::new(60)).min(from + Days::new(60));
            let mut before = status_without_counts(doors, ladder, &state, from);
            let mut day = from + Days::new(1);
            while day <= until {
                let now = status_without_counts(doors, ladder, &state, day);
                if Some(day) == wakes {
                    assert_ne!(now, before, "{ladder}: nothing changed on wakes_on {day}");
                } else {
                    assert_eq!(now, before, "{ladder}: changed on {day}, before wakes_on {wakes:?}");
                }
                before = now;
                day = day + Days::new(1);
            }
        });
    }
}

/// Refusals a person can act on: a date written another way names its
/// field, the format expected and the value found, in a request's event,
/// a stored state and a cases-file record alike; a field the contract does
/// not know is named, and the message says where a case system's own data
/// goes (`meta`).
#[test]
fn refusals_name_the_field_and_what_to_do_at_every_door() {
    let doors = Doors::new();
    let raise = json!({"on": "21/12/2026", "actor": "iro", "type": "raise", "reason": "drift"});
    let refused = doors.all(Operation::Apply, &json!({"ladder": IRO, "event": raise}));
    let doc = refused.error().unwrap();
    assert_eq!(doc["code"], "request.invalid-document");
    assert_eq!(
        (
            &doc["fields"]["field"],
            &doc["fields"]["expected"],
            &doc["fields"]["found"]
        ),
        (
            &json!("on"),
            &json!("expected a date YYYY-MM-DD"),
            &json!("21/12/2026")
        )
    );

    let (state, _) = applied(
        &doors,
        IRO,
        &[
            json!({"on": "2026-12-21", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"}),
        ],
    );
    let mut edited = state.clone();
    edited["respond_by"] = "30/12/2026".into();
    let refused = doors.all(
        Operation::Status,
        &json!({"ladder": IRO, "state": edited, "as_of": "2026-12-24"}),
    );
    let doc = refused.error().unwrap();
    assert_eq!(
        (&doc["fields"]["field"], &doc["fields"]["found"]),
        (&json!("respond_by"), &json!("30/12/2026"))
    );

    let note =
        json!({"on": "2026-12-29", "actor": "tm", "type": "respond", "caseNote": "see file"});
    let refused = doors.all(
        Operation::Apply,
        &json!({"ladder": IRO, "state": state, "event": note}),
    );
    let doc = refused.error().unwrap();
    assert_eq!(doc["fields"]["field"], "caseNote");
    let message = doc["message"].as_str().unwrap();
    assert!(
        message.contains(r#"a case system's own data goes in "meta""#),
        "{message}"
    );

    // A cases file: the record's event date, then a field of the record.
    let record = json!({"case": "IRO-1", "ladder": IRO, "events": [
        {"on": "21/12/2026", "actor": "iro", "type": "raise", "reason": "drift"}]});
    let refused = doors.all_with(
        Operation::Report,
        &json!({"as_of": "2026-12-31"}),
        format!("{record}\n").as_bytes(),
    );
    let doc = refused.error().unwrap();
    assert_eq!(doc["code"], "record.json");
    assert_eq!(
        (
            &doc["fields"]["line"],
            &doc["fields"]["field"],
            &doc["fields"]["expected"],
            &doc["fields"]["found"]
        ),
        (
            &json!(1),
            &json!("on"),
            &json!("expected a date YYYY-MM-DD"),
            &json!("21/12/2026")
        )
    );
    let record = json!({"case": "IRO-1", "ladder": IRO, "exported_by": "nightly job", "events": [
        {"on": "2026-12-21", "actor": "iro", "type": "raise", "reason": "drift"}]});
    let refused = doors.all_with(
        Operation::Report,
        &json!({"as_of": "2026-12-31"}),
        format!("{record}\n").as_bytes(),
    );
    let doc = refused.error().unwrap();
    assert_eq!(doc["code"], "record.json");
    assert_eq!(doc["fields"]["field"], "exported_by");
    let message = doc["message"].as_str().unwrap();
    assert!(
        message.contains(r#"a case system's own data goes in "meta""#),
        "{message}"
    );
    // In `meta`, it is kept and never read.
    let record = json!({"case": "IRO-1", "ladder": IRO, "meta": {"exported_by": "nightly job"}, "events": [
        {"on": "2026-12-21", "actor": "iro", "type": "raise", "reason": "drift"}]});
    let report = doors.all_with(
        Operation::Report,
        &json!({"as_of": "2026-12-31", "format": "summary-csv"}),
        format!("{record}\n").as_bytes(),
    );
    assert!(
        report.text().unwrap().contains("cases,,,open,1,\n"),
        "{report:?}"
    );
}
