//! `ladder ics`: the deadlines of a cases file as iCalendar, one-line errors,
//! nothing half-written, progress only on a terminal.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::NaiveDate;
use escalation_ladder::ics::{deadlines_calendar, IcsOptions};
use escalation_ladder::report::{read_cases, Procedures};
use icalendar::{Calendar, Component, DatePerhapsTime};

/// The scratch directory: commands run there, so files are named relatively
/// in messages.
fn scratch_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_ics")
}

/// A file in the scratch directory with the given contents; returns its name.
fn scratch(name: &str, contents: &str) -> String {
    std::fs::create_dir_all(scratch_dir()).expect("scratch directory is made");
    std::fs::write(scratch_dir().join(name), contents).expect("scratch file is written");
    name.to_string()
}

mod support;

fn ladder(args: &[&str], stdin: &str) -> Output {
    std::fs::create_dir_all(scratch_dir()).expect("scratch directory is made");
    support::ladder_in(Some(&scratch_dir()), args, stdin)
}

/// Runs a command that must succeed silently and returns its standard output.
fn ok(args: &[&str], stdin: &str) -> String {
    support::succeeded(args, ladder(args, stdin))
}

/// Runs a command that must fail with `code`, exactly one line on stderr and
/// nothing on stdout, and returns that line.
fn fails(args: &[&str], stdin: &str, code: i32) -> String {
    let output = ladder(args, stdin);
    let line = support::failed(args, &output, code);
    assert_eq!(output.stdout, b"", "{args:?} wrote to stdout");
    line
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Three alerts over Christmas 2026 (Friday 25 December; Monday 28th for Boxing
/// Day): IRO-2026-0107 raised Friday 18th at the team-manager stage (response
/// due Tuesday 29th, ceiling Wednesday 20 January 2027); CP-2026-0412 raised
/// Monday 21st (level 1: two working days, due Wednesday 23rd, overdue on the
/// 24th); IRO-2026-0051 resolved (no deadlines). A blank line is skipped.
const CASES: &str = r#"{"case":"IRO-2026-0107","child":"C-20417","team":"North Locality","worker":"j.smith","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro.patel","type":"raise","stage":"team-manager","reason":"no permanence plan"}]}
{"case":"CP-2026-0412","team":"East","ladder":"cp-conference-concerns","events":[{"on":"2026-12-21","actor":"chair","type":"raise","reason":"plan not implemented"}]}

{"case":"IRO-2026-0051","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-01","actor":"iro","type":"raise","reason":"drift"},{"on":"2026-12-02","actor":"iro","type":"resolve","outcome":"agreed"}]}
"#;

/// (UID, start date, summary) of every event, read with a real parser.
fn outline(ics: &str) -> Vec<(String, NaiveDate, String)> {
    let calendar: Calendar = ics.parse().expect("the parser reads the output");
    calendar
        .events()
        .map(|e| {
            let start = match e.get_start() {
                Some(DatePerhapsTime::Date(date)) => date,
                other => panic!("expected an all-day date, found {other:?}"),
            };
            (
                e.get_uid().unwrap().to_string(),
                start,
                e.get_summary().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn ics_prints_the_deadlines_of_the_open_alerts() {
    let file = scratch("christmas.jsonl", CASES);
    let out = ok(&["ics", "--as-of", "2026-12-24", "--cases", &file], "");
    assert_eq!(
        outline(&out),
        [
            (
                "IRO-2026-0107/iro-dispute-resolution/response@escalation-ladder".to_string(),
                d(2026, 12, 29),
                "Response due: IRO-2026-0107 team-manager (iro-dispute-resolution)".to_string()
            ),
            (
                "IRO-2026-0107/iro-dispute-resolution/ceiling@escalation-ladder".to_string(),
                d(2027, 1, 20),
                "Ceiling (20 working days): IRO-2026-0107 (iro-dispute-resolution)".to_string()
            ),
            (
                "CP-2026-0412/cp-conference-concerns/response@escalation-ladder".to_string(),
                d(2026, 12, 23),
                "OVERDUE: Response due: CP-2026-0412 level-1 (cp-conference-concerns)".to_string()
            ),
        ]
    );
    // The command prints exactly what the library builds.
    let procedures = Procedures::builtin().unwrap();
    let cases = read_cases(CASES.as_bytes(), &procedures).unwrap();
    let library =
        deadlines_calendar(&cases, &procedures, d(2026, 12, 24), IcsOptions::default()).unwrap();
    assert_eq!(out, library);
    assert!(out.contains("\r\n"));
}

#[test]
fn ics_reads_stdin_with_a_dash() {
    let file = scratch("christmas-stdin.jsonl", CASES);
    let from_file = ok(&["ics", "--as-of", "2026-12-24", "--cases", &file], "");
    let from_stdin = ok(&["ics", "--as-of", "2026-12-24", "--cases", "-"], CASES);
    assert_eq!(from_stdin, from_file);
}

/// Events after the as-of date are not replayed: as at Thursday 17 December,
/// IRO-2026-0107 is not raised yet, and IRO-2026-0051 was resolved.
#[test]
fn ics_replays_events_up_to_the_as_of_date_only() {
    let out = ok(&["ics", "--as-of", "2026-12-17", "--cases", "-"], CASES);
    assert_eq!(outline(&out), []);
    assert!(out.contains("X-WR-CALDESC:Deadlines of open escalation alerts as at 2026-12-17\r\n"));
}

#[test]
fn ics_calendar_name_and_uid_domain() {
    let out = ok(
        &[
            "ics",
            "--as-of",
            "2026-12-24",
            "--cases",
            "-",
            "--calendar-name",
            "Anytown QA, North",
            "--uid-domain",
            "ics.anytown.gov.uk",
        ],
        CASES,
    );
    assert!(out.contains("\r\nX-WR-CALNAME:Anytown QA\\, North\r\n"));
    assert_eq!(
        outline(&out)[0].0,
        "IRO-2026-0107/iro-dispute-resolution/response@ics.anytown.gov.uk"
    );
}

/// A council's own ladder from a TOML file: here the IRO ladder under another
/// id with a 15-working-day ceiling. Raised Friday 18 December 2026: 21-24
/// December are 4, 29-31 December 7, 4-8 January 12, and 11-13 January make 15:
/// Wednesday 13 January 2027.
#[test]
fn ics_with_a_councils_ladder_file() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let iro =
        std::fs::read_to_string(manifest.join("ladders/iro-dispute-resolution.toml")).unwrap();
    let own = iro
        .replace(
            r#"id = "iro-dispute-resolution""#,
            r#"id = "anytown-iro-alert""#,
        )
        .replace("working_days = 20\n", "working_days = 15\n");
    assert_ne!(own, iro);
    let ladder_file = scratch("anytown-iro-alert.toml", &own);
    let cases = CASES.replace(
        r#""case":"IRO-2026-0107","child":"C-20417","team":"North Locality","worker":"j.smith","ladder":"iro-dispute-resolution""#,
        r#""case":"IRO-2026-0107","ladder":"anytown-iro-alert""#,
    );
    let out = ok(
        &[
            "ics",
            "--as-of",
            "2026-12-24",
            "--cases",
            "-",
            "--ladder-file",
            &ladder_file,
        ],
        &cases,
    );
    let outline = outline(&out);
    assert_eq!(
        outline[1],
        (
            "IRO-2026-0107/anytown-iro-alert/ceiling@escalation-ladder".to_string(),
            d(2027, 1, 13),
            "Ceiling (15 working days): IRO-2026-0107 (anytown-iro-alert)".to_string()
        )
    );
    // Without the file, the ladder is unknown.
    let err = fails(&["ics", "--as-of", "2026-12-24", "--cases", "-"], &cases, 1);
    assert!(err.starts_with("ladder: stdin line 1: case 'IRO-2026-0107': expected a ladder id ("));
    assert!(err.ends_with("), found 'anytown-iro-alert'"));
}

/// A bad record stops the run: one line naming the file, the line and the
/// reason, and nothing on standard output, though good records came first.
#[test]
fn ics_malformed_records_are_refused_with_file_line_and_reason() {
    let good = CASES.lines().next().unwrap();
    let bad_records = [
        ("not-json.jsonl", "{\"case\": \"X-1\", oops"),
        ("duplicate.jsonl", good),
        (
            "refused-event.jsonl",
            r#"{"case":"IRO-9","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","reason":"x"},{"on":"2026-12-21","actor":"iro","type":"escalate","to":"nowhere","reason":"x"}]}"#,
        ),
        (
            "no-events.jsonl",
            r#"{"case":"IRO-10","ladder":"iro-dispute-resolution","events":[]}"#,
        ),
        (
            "unknown-field.jsonl",
            r#"{"case":"IRO-11","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","reason":"x","urgent":true}]}"#,
        ),
    ];
    let mut messages = Vec::new();
    for (name, bad) in bad_records {
        let file = scratch(name, &format!("{CASES}{bad}\n{good}\n"));
        // A refused event exits 4; a record that cannot be read, 1.
        let code = if name == "refused-event.jsonl" { 4 } else { 1 };
        messages.push(fails(
            &["ics", "--as-of", "2026-12-24", "--cases", &file],
            "",
            code,
        ));
    }
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn ics_usage_and_file_errors() {
    let mut messages = [
        fails(&["ics", "--as-of", "24/12/2026", "--cases", "-"], "", 2),
        fails(&["ics", "--cases", "-"], "", 2),
        fails(&["ics", "--as-of", "2200-01-01", "--cases", "-"], CASES, 1),
        fails(
            &[
                "ics",
                "--as-of",
                "2026-12-24",
                "--cases",
                "no-such-file.jsonl",
            ],
            "",
            1,
        ),
        fails(
            &[
                "ics",
                "--as-of",
                "2026-12-24",
                "--cases",
                "-",
                "--uid-domain",
                "anytown council",
            ],
            CASES,
            1,
        ),
    ];
    let schedule =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("ladders/nottinghamshire-inspection.toml");
    let schedule = schedule.to_str().unwrap();
    // A schedule loads beside the ladders; the cases do not run on it.
    let with_schedule = ok(
        &[
            "ics",
            "--as-of",
            "2026-12-24",
            "--cases",
            "-",
            "--ladder-file",
            schedule,
        ],
        CASES,
    );
    assert_eq!(
        with_schedule,
        ok(&["ics", "--as-of", "2026-12-24", "--cases", "-"], CASES)
    );
    // The OS's wording of "no such file" differs; keep the part that is ours.
    let missing = messages[3]
        .split(": ")
        .take(2)
        .collect::<Vec<_>>()
        .join(": ");
    messages[3] = missing;
    insta::assert_snapshot!(messages.join("\n"));
}

/// With standard error not a terminal (here, a pipe), no progress is shown,
/// however often it is due.
#[test]
fn ics_shows_no_progress_without_a_terminal() {
    let output = ladder(
        &[
            "ics",
            "--as-of",
            "2026-12-24",
            "--cases",
            "-",
            "--progress-every",
            "1",
        ],
        CASES,
    );
    assert!(output.status.success());
    assert_eq!(output.stderr, b"");
}

/// Under a pseudo-terminal (util-linux `script`), progress is shown on
/// standard error, rewritten in place, and ended with a newline; standard
/// output, redirected to a file, holds the calendar alone.
#[test]
fn ics_shows_progress_on_a_terminal() {
    let cases = scratch("progress.jsonl", CASES);
    let out = scratch_dir().join("progress.ics");
    let command = format!(
        "{} ics --as-of 2026-12-24 --cases {} --progress-every 2 > {}",
        support::shell_quoted(env!("CARGO_BIN_EXE_ladder")),
        support::shell_quoted(&cases),
        support::shell_quoted(out.to_str().unwrap()),
    );
    let Some(terminal) = support::on_a_terminal(&scratch_dir(), &command) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert_eq!(
        terminal,
        "\rladder ics: 2 cases read, 3 events\rladder ics: 3 cases read, 3 events\n"
    );
    let calendar = std::fs::read_to_string(&out).unwrap();
    assert_eq!(outline(&calendar).len(), 3);
}
