//! One alert at a time from the command line (`apply`, `status`), and calendar
//! adjustments on every command that counts days (issue 10 §3).
#![cfg(feature = "cli")]

mod support;

use std::path::PathBuf;

use support::{failed, ladder_in};

fn ok(args: &[&str], stdin: &str) -> String {
    support::succeeded(args, ladder_in(None, args, stdin))
}

fn scratch(name: &str, contents: &str) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).expect("scratch file is written");
    path.display().to_string()
}

/// Runs a command that prints JSON and returns it parsed.
fn json_of(args: &[&str], stdin: &str) -> serde_json::Value {
    serde_json::from_str(&ok(args, stdin)).expect("the command prints JSON")
}

/// The `state` of `apply --json`'s output, as the text a case system stores.
fn state_text(applied: &serde_json::Value) -> String {
    serde_json::to_string(&applied["state"]).expect("a state serialises")
}

const RAISE: &str =
    r#"{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#;

/// What `apply --json` printed for the raise on Friday 18 December 2026.
fn applied_raise() -> serde_json::Value {
    json_of(
        &[
            "apply",
            "iro-dispute-resolution",
            "--event",
            RAISE,
            "--json",
        ],
        "",
    )
}

/// The state `apply --json` printed for the raise on Friday 18 December 2026.
fn raised_state() -> String {
    let applied = applied_raise();
    state_text(&applied)
}

#[test]
fn apply_then_status_one_alert_at_a_time() {
    let state = raised_state();
    let value: serde_json::Value = serde_json::from_str(&state).unwrap();
    // 5 working days from Friday 18th skip Christmas Day and the Boxing Day
    // substitute (Monday 28th): Tuesday 29 December.
    assert_eq!(value["respond_by"], "2026-12-29");
    let file = scratch("alert-state.json", &state);
    let status = ok(
        &[
            "status",
            "iro-dispute-resolution",
            "--state",
            &file,
            "--as-of",
            "2026-12-24",
        ],
        "",
    );
    assert!(status.contains("next-deadline\t2026-12-29\n"), "{status}");
    assert!(status.contains("working-days-left\t1\n"), "{status}");
    // The state may come on standard input; the response moves it on.
    let respond = r#"{"on":"2026-12-29","actor":"tm","type":"respond"}"#;
    let applied = json_of(
        &[
            "apply",
            "iro-dispute-resolution",
            "--state",
            "-",
            "--event",
            respond,
            "--json",
        ],
        &state,
    );
    assert_eq!(applied["state"]["phase"], "awaiting-decision");
    assert_eq!(applied["transitions"].as_array().unwrap().len(), 1);
    assert_eq!(
        applied["transitions"][0]["audit"]["event"]["type"],
        "respond"
    );
    let text = ok(
        &[
            "apply",
            "iro-dispute-resolution",
            "--state",
            &file,
            "--event",
            respond,
        ],
        "",
    );
    assert!(text.starts_with("2026-12-29\ttm\trespond\n"), "{text}");
}

#[test]
fn time_acts_before_the_applied_event() {
    // Review decisions sent to the team manager on Friday 18 December 2026 are
    // deemed agreed on Wednesday 30th (5 working days: 21, 22, 23, 24, 29; time
    // acts the next working day). A response on 4 January is late.
    let raise = r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review"}"#;
    let escalate =
        r#"{"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"}"#;
    let first = ok(
        &["apply", "lac-review-decisions", "--event", raise, "--json"],
        "",
    );
    let state: serde_json::Value = serde_json::from_str(&first).unwrap();
    let state = serde_json::to_string(&state["state"]).unwrap();
    let second = ok(
        &[
            "apply",
            "lac-review-decisions",
            "--state",
            "-",
            "--event",
            escalate,
            "--json",
        ],
        &state,
    );
    let state: serde_json::Value = serde_json::from_str(&second).unwrap();
    let state = serde_json::to_string(&state["state"]).unwrap();
    let late = r#"{"on":"2027-01-04","actor":"tm","type":"respond"}"#;
    let applied = json_of(
        &[
            "apply",
            "lac-review-decisions",
            "--state",
            "-",
            "--event",
            late,
            "--json",
        ],
        &state,
    );
    let transitions = applied["transitions"].as_array().unwrap();
    assert_eq!(transitions.len(), 2);
    assert_eq!(transitions[0]["audit"]["event"]["type"], "deem-agreed");
    assert_eq!(transitions[0]["audit"]["event"]["on"], "2026-12-30");
    assert_eq!(applied["state"]["phase"], "deemed-agreed");
}

#[test]
fn a_refused_event_prints_nothing_and_exits_1() {
    let file = scratch("alert-state-refused.json", &raised_state());
    let before = r#"{"on":"2026-12-17","actor":"tm","type":"respond"}"#;
    let args = [
        "apply",
        "iro-dispute-resolution",
        "--state",
        &file,
        "--event",
        before,
    ];
    let output = ladder_in(None, &args, "");
    assert!(output.stdout.is_empty());
    let line = failed(&args, &output, 4);
    assert_eq!(
        line,
        "ladder: event 'respond' on 2026-12-17 refused in state awaiting-response at stage \
         'team-manager' of ladder 'iro-dispute-resolution': it is dated before the previous \
         event (2026-12-18)"
    );
    let other = [
        "status",
        "lac-review-decisions",
        "--state",
        &file,
        "--as-of",
        "2026-12-24",
    ];
    let line = failed(&other, &ladder_in(None, &other, ""), 1);
    assert!(
        line.ends_with(
            "state belongs to ladder 'iro-dispute-resolution', not 'lac-review-decisions'"
        ),
        "{line}"
    );
}

/// A council closed 29 to 31 December 2026: every command that counts days
/// takes `--closure` (and `--holidays`) and counts around it.
#[test]
fn every_command_that_counts_days_takes_closures_and_holidays() {
    let closures = [
        "--closure",
        "2026-12-29",
        "--closure",
        "2026-12-30",
        "--closure",
        "2026-12-31",
    ];
    let holidays = scratch(
        "closures.txt",
        "2026-12-29 shutdown\n2026-12-30 shutdown\n2026-12-31 shutdown\n",
    );
    let with = |base: &[&str]| -> Vec<String> {
        let by_closure = [base, &closures[..]].concat();
        let by_file = [base, &["--holidays", &holidays][..]].concat();
        vec![ok(&by_closure, ""), ok(&by_file, "")]
    };
    // timeline: raised Monday 21st, the team manager's 5 working days are 22,
    // 23, 24 December, then (New Year's Day a Friday) 4 and 5 January.
    for out in with(&[
        "timeline",
        "iro-dispute-resolution",
        "--raised",
        "2026-12-21",
    ]) {
        assert!(
            out.contains("team-manager\t2026-12-21\t2027-01-05\n"),
            "{out}"
        );
        assert!(out.ends_with("ceiling\t2027-01-26\n"), "{out}");
    }
    // run and apply: the raise on Friday 18th is due Monday 4 January (21,
    // 22, 23, 24 December, then past Christmas, the Boxing Day substitute,
    // the closures and New Year's Day).
    let events = scratch("alert-raise.jsonl", &format!("{RAISE}\n"));
    for out in with(&["run", "iro-dispute-resolution", "--events", &events]) {
        assert!(out.contains("\"respond_by\": \"2027-01-04\""), "{out}");
    }
    for out in with(&[
        "apply",
        "iro-dispute-resolution",
        "--event",
        RAISE,
        "--json",
    ]) {
        assert!(out.contains("\"respond_by\":\"2027-01-04\""), "{out}");
    }
    // status: from Thursday 24th to Monday 4 January, 1 working day.
    let closed_state = {
        let applied = json_of(
            &[
                &[
                    "apply",
                    "iro-dispute-resolution",
                    "--event",
                    RAISE,
                    "--json",
                ][..],
                &closures[..],
            ]
            .concat(),
            "",
        );
        scratch("alert-closed.json", &state_text(&applied))
    };
    for out in with(&[
        "status",
        "iro-dispute-resolution",
        "--state",
        &closed_state,
        "--as-of",
        "2026-12-24",
    ]) {
        assert!(out.contains("working-days-left\t1\n"), "{out}");
        assert!(out.contains("next-deadline\t2027-01-04\n"), "{out}");
    }
    // report and ics read a cases file.
    let cases = scratch(
        "alert-cases.jsonl",
        &format!(r#"{{"case":"IRO-1","ladder":"iro-dispute-resolution","events":[{RAISE}]}}"#),
    );
    for out in with(&[
        "report",
        "--as-of",
        "2026-12-24",
        "--cases",
        &cases,
        "--format",
        "csv",
    ]) {
        assert!(out.contains("2027-01-04"), "{out}");
    }
    for out in with(&["ics", "--as-of", "2026-12-24", "--cases", &cases]) {
        assert!(out.contains("DTSTART;VALUE=DATE:20270104"), "{out}");
    }
    // Without the closures, the same raise is due Tuesday 29 December.
    let plain = ok(&["ics", "--as-of", "2026-12-24", "--cases", &cases], "");
    assert!(plain.contains("DTSTART;VALUE=DATE:20261229"), "{plain}");
}

#[test]
fn apply_recognises_a_redelivery_and_refuses_a_stale_version() {
    let raise = r#"{"id":"ev-1","on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#;
    let applied = json_of(
        &[
            "apply",
            "iro-dispute-resolution",
            "--event",
            raise,
            "--json",
        ],
        "",
    );
    let state = state_text(&applied);
    // The same event again: the state back unchanged, one effect.
    let again = ok(
        &[
            "apply",
            "iro-dispute-resolution",
            "--state",
            "-",
            "--event",
            raise,
            "--json",
        ],
        &state,
    );
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(serde_json::to_string(&again["state"]).unwrap(), state);
    assert_eq!(
        again["transitions"][0]["effects"],
        serde_json::json!([{"effect": "already-applied", "id": "ev-1"}])
    );
    // The stored state is at version 1; a caller that read version 0 is refused.
    let respond = r#"{"on":"2026-12-29","actor":"tm","type":"respond"}"#;
    let args = [
        "apply",
        "iro-dispute-resolution",
        "--state",
        "-",
        "--event",
        respond,
        "--expect-version",
        "0",
    ];
    let line = failed(&args, &ladder_in(None, &args, &state), 3);
    assert_eq!(
        line,
        "ladder: version conflict: expected the state at version 0, found version 1"
    );
    let args = [&args[..7], &["1"][..]].concat();
    ok(&args, &state);
}

/// A closure from 29 to 31 December 2026 re-bases an alert raised on Friday
/// 18 December: due Tuesday 29th before, Monday 4 January after (21, 22, 23,
/// 24 December, then past Christmas, the Boxing Day substitute, the closure
/// and New Year's Day); the ceiling from Wednesday 20 to Monday 25 January.
#[test]
fn recompute_rebases_a_stored_alert_on_a_closure() {
    let applied = applied_raise();
    let state = scratch("rebase-state.json", &state_text(&applied));
    let trail: String = applied["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| serde_json::to_string(&t["audit"]).unwrap() + "\n")
        .collect();
    let args = [
        "recompute",
        "iro-dispute-resolution",
        "--state",
        &state,
        "--trail",
        "-",
        "--closure",
        "2026-12-29",
        "--closure",
        "2026-12-30",
        "--closure",
        "2026-12-31",
    ];
    let text = ok(&args, &trail);
    assert!(
        text.starts_with(
            "phase\tawaiting-response\tawaiting-response\n\
             stage\tteam-manager\tteam-manager\n\
             respond-by\t2026-12-29\t2027-01-04\n\
             ceiling\t2027-01-20\t2027-01-25\n\
             breaches\t-\t-\n\
             moved\tyes\n"
        ),
        "{text}"
    );
    // The re-based state is accepted by status on the new calendar, not flagged.
    let json = ok(&[&args[..], &["--json"][..]].concat(), &trail);
    let rebased: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rebased["moved"], true);
    let new_state = scratch(
        "rebased-state.json",
        &serde_json::to_string(&rebased["state"]).unwrap(),
    );
    let status = ok(
        &[
            &[
                "status",
                "iro-dispute-resolution",
                "--state",
                &new_state,
                "--as-of",
                "2026-12-24",
            ][..],
            &args[6..],
        ]
        .concat(),
        "",
    );
    assert!(status.contains("next-deadline\t2027-01-04\n"), "{status}");
}

#[test]
fn timeline_as_json() {
    let timeline = json_of(
        &[
            "timeline",
            "iro-dispute-resolution",
            "--raised",
            "2026-12-21",
            "--json",
        ],
        "",
    );
    assert_eq!(timeline["ceiling"], "2027-01-21");
    assert_eq!(timeline["stages"][1]["stage"], "team-manager");
    assert_eq!(timeline["stages"][1]["respond_by"], "2026-12-30");
}
