//! One request, one answer, at every door.
//!
//! A property test generates event sequences over every built-in ladder
//! (realistic ones, refused ones, re-deliveries, and hostile states: a state
//! of another ladder, of a later release, without its fingerprints, at the
//! last version, a short trail) and sends each request through every door in
//! process:
//!
//! - the library: `ops::call`, the JSON entry point the other doors wrap;
//! - the `ladder` command line: `cli::run_with_registry`, its arguments and
//!   standard streams as values (`--json`, errors as JSON);
//! - the HTTP service: its router, called with `tower::ServiceExt::oneshot`;
//! - the C ABI: `el_call`, and `el_apply`, `el_advance` and `el_status` with
//!   the request's parts as their arguments.
//!
//! Every door must give the same bytes: the answer, or the error document;
//! and the HTTP status and the command line's exit status must be those of
//! the error's class. Each sequence ends with a recompute, a correction of
//! its history, and the batches over every state it stored (`advance-alerts`,
//! `recompute-alerts`). It runs 10,000 sequences (`PARITY_CASES` to change
//! it).

mod doors;
mod support;

use doors::Doors;
use escalation_ladder::ladder::{builtin, Ladder, Procedure};
use escalation_ladder::ops::Operation;
use proptest::prelude::*;
use serde_json::{json, Value};

// ---- the sequences ----------------------------------------------------------

/// The built-in ladders, as the generator picks their ids.
fn ladders() -> Vec<Ladder> {
    builtin::IDS
        .iter()
        .filter_map(|id| match builtin::procedure(id).unwrap() {
            Procedure::Ladder(ladder) => Some(ladder),
            Procedure::Schedule(_) => None,
        })
        .collect()
}

/// What happens to the stored state before a request: nothing, mostly.
#[derive(Debug, Clone, Copy)]
enum Hostile {
    None,
    WrongLadder,
    LaterVersion,
    NoFingerprints,
    LastVersion,
}

fn hostile() -> impl Strategy<Value = Hostile> {
    prop_oneof![
        16 => Just(Hostile::None),
        1 => Just(Hostile::WrongLadder),
        1 => Just(Hostile::LaterVersion),
        1 => Just(Hostile::NoFingerprints),
        1 => Just(Hostile::LastVersion),
    ]
}

/// One step: an event (its kind, the days since the last, a pick among the
/// ladder's ids, an id), the state's treatment, the days to an as-of date,
/// and the version the request expects (none, the stored one, another).
type Step = (u8, u8, usize, Option<u8>, Hostile, u8, u8);

/// An event's kind: mostly what moves an alert (responses, escalations,
/// extensions, steps, duties), now and then one the phase refuses.
fn kind() -> impl Strategy<Value = u8> {
    prop_oneof![
        1 => Just(0u8),
        5 => 2u8..4,
        4 => 4u8..6,
        2 => Just(6u8),
        1 => Just(7u8),
        2 => Just(8u8),
        2 => Just(9u8),
        1 => Just(10u8),
        1 => Just(11u8),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        kind(),
        prop_oneof![4 => 0u8..3, 2 => 3u8..8, 1 => 8u8..25],
        any::<usize>(),
        prop::option::of(0u8..4),
        hostile(),
        0u8..30,
        prop_oneof![4 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8)],
    )
}

fn date(day: i64) -> String {
    // Day 0 is Monday 14 December 2026: the steps cross Christmas, New Year,
    // and with longer gaps Easter 2027.
    let start = escalation_ladder::chrono::NaiveDate::from_ymd_opt(2026, 12, 14).unwrap();
    (start + escalation_ladder::chrono::Days::new(day as u64)).to_string()
}

fn pick<T: Clone>(items: &[T], at: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[at % items.len()].clone())
}

/// An event of kind `kind` on `on`, its ids picked from `ladder` with `at`
/// (now and then one the ladder lacks).
fn event(ladder: &Ladder, kind: u8, on: &str, at: usize, id: Option<u8>) -> Value {
    let stages: Vec<String> = ladder.stages.iter().map(|s| s.id.to_string()).collect();
    let stage = if at % 7 == 0 { None } else { pick(&stages, at) };
    let bogus = at % 13 == 0;
    let entries: Vec<String> = ladder
        .entry_stages()
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    let entry = match at % 5 {
        0 => None,
        4 => stage.clone(),
        _ => pick(&entries, at),
    };
    let mut event = match kind {
        0 | 1 => json!({"type": "raise", "stage": entry, "reason": "drift",
                        "category": pick(&ladder.categories.iter().map(|c| c.id.to_string()).collect::<Vec<_>>(), at / 3)}),
        2 | 3 => {
            let outcomes: Vec<String> = ladder
                .stages
                .iter()
                .flat_map(|s| s.outcomes.iter().map(|o| o.id.to_string()))
                .collect();
            let outcome = if at % 3 == 0 {
                None
            } else {
                pick(&outcomes, at)
            };
            json!({"type": "respond", "outcome": outcome})
        }
        4 | 5 => {
            json!({"type": "escalate", "to": if at % 2 == 0 { None } else { stage }, "reason": "no answer"})
        }
        6 => json!({"type": "extend", "until": date((at % 40) as i64), "reason": "agreed"}),
        7 => json!({"type": "resolve", "outcome": if bogus { "nonsense" } else { "resolved" }}),
        8 => {
            let steps: Vec<String> = ladder
                .stages
                .iter()
                .flat_map(|s| s.steps.iter().map(|st| st.id.to_string()))
                .collect();
            match pick(&steps, at) {
                Some(step) => json!({"type": "step", "step": step}),
                None => json!({"type": "withdraw", "reason": "closed by the IRO"}),
            }
        }
        9 => {
            let duties: Vec<String> = ladder.duties.iter().map(|d| d.id.to_string()).collect();
            match (pick(&duties, at), at % 2) {
                (Some(duty), 0) => json!({"type": "start-duty", "duty": duty}),
                (Some(duty), _) => json!({"type": "complete-duty", "duty": duty}),
                (None, _) => json!({"type": "deem-agreed"}),
            }
        }
        10 => {
            let referrals: Vec<String> =
                ladder.referrals.iter().map(|r| r.id.to_string()).collect();
            match pick(&referrals, at) {
                Some(referral) => json!({"type": "refer", "referral": referral}),
                None => json!({"type": "reopen", "reason": "not implemented"}),
            }
        }
        _ => json!({"type": "reopen", "reason": "not implemented"}),
    };
    event["on"] = on.into();
    event["actor"] = "someone".into();
    event["id"] = id.map(|n| format!("e{n}")).into();
    event
}

/// The state as a hostile client might send it.
fn treat(state: &Value, hostile: Hostile, ladder: &str) -> (Value, Option<u64>) {
    let mut state = state.clone();
    let mut version = state["events_applied"].as_u64();
    match hostile {
        Hostile::None => {}
        Hostile::WrongLadder => {
            let other = match ladder {
                "cp-conference-concerns" => "iro-dispute-resolution",
                _ => "cp-conference-concerns",
            };
            state["ladder"] = other.into();
        }
        Hostile::LaterVersion => state["schema_version"] = 99.into(),
        Hostile::NoFingerprints => {
            state["ladder_fingerprint"] = Value::Null;
            state["calendar_fingerprint"] = Value::Null;
        }
        Hostile::LastVersion => {
            state["events_applied"] = u32::MAX.into();
            version = Some(u32::MAX.into());
        }
    }
    (state, version)
}

/// A correction: its kind (insert, void by id, void by sequence, replace),
/// a pick among the ladder's ids, the day of its event, the event's kind.
type Fix = (u8, usize, u8, u8);

fn fix() -> impl Strategy<Value = Fix> {
    (0u8..4, any::<usize>(), 0u8..40, kind())
}

/// The correction `fix` stands for, over a trail of `entries` entries.
fn correction(ladder: &Ladder, fix: Fix, entries: usize) -> Value {
    let (how, at, day, kind) = fix;
    let event = event(
        ladder,
        kind.max(2),
        &date(i64::from(day)),
        at,
        Some((at % 9) as u8),
    );
    let sequence = (at % entries.max(1)) + 1;
    match how {
        0 => json!({"type": "insert", "event": event}),
        1 => json!({"type": "void", "id": format!("e{}", at % 4)}),
        2 => json!({"type": "void", "sequence": sequence}),
        _ => json!({"type": "replace", "sequence": sequence, "event": event}),
    }
}

/// The lines of a batch: each state the sequence stored, one of them as a
/// hostile client might send it, and now and then a line that is no alert.
fn batch(
    id: &str,
    states: &[Value],
    trails: &[Vec<Value>],
    hostile: Hostile,
) -> (Vec<u8>, Vec<u8>) {
    let (mut alerts, mut histories) = (Vec::new(), Vec::new());
    for (n, (state, trail)) in states.iter().zip(trails).enumerate() {
        let sent = match n {
            0 => treat(state, hostile, id).0,
            _ => state.clone(),
        };
        let alert = format!("A-{n}");
        let line = json!({"alert": alert, "ladder": id, "state": sent});
        alerts.extend(line.to_string().into_bytes());
        alerts.push(b'\n');
        let line = json!({"alert": alert, "ladder": id, "state": sent, "trail": trail,
                          "expect_version": sent["events_applied"]});
        histories.extend(line.to_string().into_bytes());
        histories.push(b'\n');
    }
    if matches!(hostile, Hostile::WrongLadder) {
        alerts.extend_from_slice(b"{\"alert\":\"A-x\",\"ladder\":\"nowhere\"}\n");
        histories.extend_from_slice(b"not json\n");
    }
    (alerts, histories)
}

/// Runs one sequence through every door.
fn sequence(doors: &Doors, ladder: &Ladder, steps: &[Step], short_trail: usize, fix: Fix) {
    let id = ladder.id.to_string();
    let mut state = Value::Null;
    let mut trail: Vec<Value> = Vec::new();
    let mut events: Vec<Value> = Vec::new();
    // Each state stored along the way, with the trail that reproduces it.
    let (mut states, mut trails): (Vec<Value>, Vec<Vec<Value>>) = (Vec::new(), Vec::new());
    let mut day = 0i64;
    for (index, &(kind, gap, at, event_id, hostile, ahead, expect)) in steps.iter().enumerate() {
        day += i64::from(gap);
        // The first event raises the alert, at an entry stage or the default.
        let kind = if index == 0 { 0 } else { kind };
        let event = event(ladder, kind, &date(day), at, event_id);
        events.push(event.clone());
        let (sent, version) = match state.is_null() {
            true => (Value::Null, None),
            false => treat(&state, hostile, &id),
        };
        let mut request = json!({"ladder": id, "state": sent, "event": event});
        match expect {
            1 => request["expect_version"] = version.unwrap_or(0).into(),
            2 => {
                request["expect_version"] = version
                    .unwrap_or(0)
                    .wrapping_add(1)
                    .min(u32::MAX.into())
                    .into()
            }
            _ => {}
        }
        if let Some(applied) = doors.all(Operation::Apply, &request).ok() {
            if matches!(hostile, Hostile::None) {
                state = applied["state"].clone();
                for transition in applied["transitions"].as_array().unwrap() {
                    // A re-delivery changes nothing and adds nothing to the trail.
                    if transition["effects"][0]["effect"] != "already-applied" {
                        trail.push(transition["audit"].clone());
                    }
                }
                states.push(state.clone());
                trails.push(trail.clone());
            }
        }
        if state.is_null() {
            continue;
        }
        let (sent, _) = treat(&state, hostile, &id);
        let as_of = json!({"ladder": id, "state": sent, "as_of": date(day + i64::from(ahead))});
        doors.all(Operation::Status, &as_of);
        doors.all(Operation::Advance, &as_of);
    }
    let as_of = date(day + i64::from(fix.2 % 20));
    if !state.is_null() {
        let kept = trail.len().saturating_sub(short_trail);
        let mut request = json!({"ladder": id, "state": state, "trail": &trail[..kept]});
        if fix.0 % 2 == 0 {
            request["as_of"] = as_of.clone().into();
        }
        doors.all(Operation::Recompute, &request);
        request["correction"] = correction(ladder, fix, trail.len());
        doors.all(Operation::Correct, &request);
    }
    let hostile = steps.last().map_or(Hostile::None, |s| s.4);
    let (alerts, histories) = batch(&id, &states, &trails, hostile);
    doors.all_with(Operation::AdvanceAlerts, &json!({"as_of": as_of}), &alerts);
    let format = if fix.1 % 3 == 0 { "csv" } else { "jsonl" };
    doors.all_with(
        Operation::RecomputeAlerts,
        &json!({"format": format, "as_of": if fix.0 % 2 == 0 { Value::from(as_of) } else { Value::Null }}),
        &histories,
    );
    let request = json!({"ladder": id, "events": events, "as_of": date(day + 5)});
    doors.all(Operation::Replay, &request);
}

fn cases() -> u32 {
    std::env::var("PARITY_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    /// Every door answers every request of a sequence with the same bytes.
    #[test]
    fn every_door_gives_the_same_answer(
        which in 0usize..7,
        steps in prop::collection::vec(step(), 1..7),
        short_trail in prop_oneof![6 => Just(0usize), 1 => 1usize..3],
        fix in fix(),
    ) {
        thread_local! {
            static DOORS: Doors = Doors::new();
            static LADDERS: Vec<Ladder> = ladders();
        }
        LADDERS.with(|ladders| {
            DOORS.with(|doors| sequence(doors, &ladders[which % ladders.len()], &steps, short_trail, fix))
        });
    }
}

/// The generator reaches real transitions on every ladder as well as the
/// refusals: over 300 sequences, most applies and statuses are answered, and
/// each hostile state is refused with its own code.
#[test]
fn the_sequences_reach_answers_and_refusals() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    // The Python package replays these requests through its own door.
    let doors = Doors::new().recording("sequences");
    let ladders = ladders();
    let mut runner = TestRunner::deterministic();
    let strategy = (
        0usize..7,
        prop::collection::vec(step(), 1..7),
        prop_oneof![6 => Just(0usize), 1 => 1usize..3],
        fix(),
    );
    for _ in 0..300 {
        let (which, steps, short, fix) = strategy.new_tree(&mut runner).unwrap().current();
        sequence(&doors, &ladders[which], &steps, short, fix);
    }
    let tally = doors.tally.borrow();
    let count =
        |op: &'static str, code: &str| tally.get(&(op, code.to_string())).copied().unwrap_or(0);
    let total = |op: &'static str| {
        tally
            .iter()
            .filter(|((o, _), _)| *o == op)
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    assert!(count("apply", "ok") * 4 > total("apply"), "{tally:?}");
    assert!(count("status", "ok") * 2 > total("status"), "{tally:?}");
    assert!(
        count("recompute", "ok") > 0 && count("replay", "ok") > 0,
        "{tally:?}"
    );
    // Corrections are made and refused; the batches answer.
    assert!(count("correct", "ok") > 10, "{tally:?}");
    assert!(
        count("correct", "correction.no-such-event") > 0,
        "{tally:?}"
    );
    assert!(
        tally
            .keys()
            .any(|(op, code)| *op == "correct" && code.starts_with("refused.")),
        "{tally:?}"
    );
    assert!(count("advance-alerts", "ok") > 100, "{tally:?}");
    assert!(count("recompute-alerts", "ok") > 100, "{tally:?}");
    for code in [
        "state.wrong-ladder",
        "state.schema-version",
        "state.version-conflict",
    ] {
        assert!(count("apply", code) > 0, "no {code}: {tally:?}");
    }
    let refused = tally
        .keys()
        .filter(|(op, code)| *op == "apply" && code.starts_with("refused."))
        .count();
    assert!(refused >= 5, "{tally:?}");
}

/// The pictures and the report's formats for people: the same bytes at
/// every door (the library, el_call, HTTP and the command line). The
/// workbook is left out: it is binary, which the C ABI refuses.
#[test]
fn pictures_and_report_formats_are_the_same_at_every_door() {
    let doors = Doors::new().recording("pictures");
    for ladder in ladders() {
        let id = ladder.id.to_string();
        for format in ["svg", "mermaid"] {
            let shown = doors.all(Operation::Show, &json!({"procedure": id, "format": format}));
            assert!(shown.text().is_some(), "{id} {format}: {shown:?}");
        }
        for format in ["svg", "html"] {
            let drawn = doors.all(
                Operation::Timeline,
                &json!({"procedure": id, "raised": "2026-12-21", "format": format}),
            );
            assert!(drawn.text().is_some(), "{id} {format}: {drawn:?}");
        }
    }
    let raise = json!({"on": "2026-12-14", "actor": "iro", "type": "raise", "stage": "team-manager", "reason": "drift"});
    for format in ["svg", "html"] {
        let drawn = doors.all(
            Operation::Replay,
            &json!({"ladder": "iro-dispute-resolution", "events": [raise], "as_of": "2027-01-04", "format": format}),
        );
        assert!(drawn
            .text()
            .unwrap()
            .contains("Second stage: alert to the team"));
    }
    let cases = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/data/cases.jsonl"
    ))
    .unwrap();
    for request in [
        json!({"as_of": "2026-11-23", "format": "html"}),
        json!({"as_of": "2026-11-23", "format": "csv", "table": "escalations", "bom": true}),
        json!({"as_of": "2026-11-23", "format": "summary-csv", "formula_guard": "off"}),
    ] {
        let answer = doors.all_with(Operation::Report, &request, &cases);
        assert!(answer.text().is_some(), "{request}: {answer:?}");
    }
    // An unknown picture format is refused alike.
    let refused = doors.all(
        Operation::Show,
        &json!({"procedure": "iro-dispute-resolution", "format": "png"}),
    );
    assert_eq!(refused.code(), "request.invalid-value");
}
