//! The `ladder` binary on bad input that used to pass silently (issue 9).
#![cfg(feature = "cli")]

mod support;

use support::{failed, ladder_in};

/// A case whose later event (after the as-of date) escalates to a stage that
/// does not exist. Before: `report` and `ics` stopped at the as-of date,
/// exited 0 and counted the case.
const BAD_AFTER_AS_OF: &str = concat!(
    r#"{"case":"OK-1","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-02","actor":"iro","type":"raise","reason":"drift"}]}"#,
    "\n",
    r#"{"case":"BAD-1","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-02","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"},{"on":"2026-12-01","actor":"iro","type":"escalate","to":"nowhere","reason":"x"}]}"#,
    "\n"
);

#[test]
fn report_and_ics_stop_at_a_bad_event_after_the_as_of_date() {
    for command in ["report", "ics"] {
        let args = [command, "--as-of", "2026-11-06", "--cases", "-"];
        let line = failed(&args, &ladder_in(None, &args, BAD_AFTER_AS_OF), 4);
        assert!(
            line.starts_with(
                "ladder: stdin line 2: case 'BAD-1': event 2 of 2: event 'escalate' on 2026-12-01 refused"
            ),
            "{command}: {line}"
        );
    }
}

/// Before: `--closure` on a day that is already not a working day was taken
/// and did nothing, without a word. Now it warns, and the answer is the same.
#[test]
fn a_closure_on_a_day_already_closed_is_reported() {
    // Christmas Day 2026 is a Friday; Boxing Day a Saturday.
    let args = [
        "add-working-days",
        "2026-12-24",
        "1",
        "--closure",
        "2026-12-25",
        "--closure",
        "2026-12-26",
        "--closure",
        "2026-12-29",
    ];
    let output = ladder_in(None, &args, "");
    assert!(output.status.success());
    // Thursday 24th + 1 working day: not Christmas, not the Boxing Day
    // substitute (Monday 28th), not the closure on Tuesday 29th.
    assert_eq!(String::from_utf8_lossy(&output.stdout), "2026-12-30\n");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "ladder: warning: closure 2026-12-25 changes nothing: it is already not a working day (Christmas Day)\n\
         ladder: warning: closure 2026-12-26 changes nothing: it is already not a working day (a Saturday)\n"
    );
}
