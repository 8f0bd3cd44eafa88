//! The `ladder` binary's text contract: real answers, and one-line errors.
#![cfg(feature = "cli")]

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

mod support;

fn ladder(args: &[&str], stdin: &str) -> Output {
    support::ladder_in(None, args, stdin)
}

/// Runs a command that must succeed silently and returns its standard output.
fn ok(args: &[&str], stdin: &str) -> String {
    support::succeeded(args, ladder(args, stdin))
}

/// Runs a command that must fail with `code` and exactly one line on stderr,
/// and returns that line.
fn fails(args: &[&str], stdin: &str, code: i32) -> String {
    support::failed(args, &ladder(args, stdin), code)
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// A file in the test scratch directory with the given contents.
fn scratch(name: &str, contents: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).expect("scratch file is written");
    path
}

// ---- holidays ---------------------------------------------------------------

/// The published GOV.UK dates for England and Wales, 2022 and 2023.
#[test]
fn holidays_england_and_wales_2022_2023() {
    let out = ok(
        &[
            "holidays",
            "--region",
            "england-and-wales",
            "--from",
            "2022",
            "--to",
            "2023",
        ],
        "",
    );
    assert_eq!(
        lines(&out),
        [
            "2022-01-03\tNew Year's Day (substitute day)",
            "2022-04-15\tGood Friday",
            "2022-04-18\tEaster Monday",
            "2022-05-02\tEarly May bank holiday",
            "2022-06-02\tSpring bank holiday",
            "2022-06-03\tPlatinum Jubilee bank holiday",
            "2022-08-29\tSummer bank holiday",
            "2022-09-19\tBank Holiday for the State Funeral of Queen Elizabeth II",
            "2022-12-26\tBoxing Day",
            "2022-12-27\tChristmas Day (substitute day)",
            "2023-01-02\tNew Year's Day (substitute day)",
            "2023-04-07\tGood Friday",
            "2023-04-10\tEaster Monday",
            "2023-05-01\tEarly May bank holiday",
            "2023-05-08\tBank holiday for the coronation of King Charles III",
            "2023-05-29\tSpring bank holiday",
            "2023-08-28\tSummer bank holiday",
            "2023-12-25\tChristmas Day",
            "2023-12-26\tBoxing Day",
        ]
    );
}

#[test]
fn holidays_region_defaults_to_england_and_wales() {
    let explicit = ok(
        &[
            "holidays",
            "--region",
            "england-and-wales",
            "--from",
            "2026",
        ],
        "",
    );
    assert_eq!(ok(&["holidays", "--from", "2026"], ""), explicit);
    assert_eq!(
        ok(&["holidays", "--from", "2026", "--to", "2026"], ""),
        explicit
    );
    assert_eq!(lines(&explicit).len(), 8);
}

/// 2 January 2026 is a Friday and a bank holiday in Scotland only.
#[test]
fn holidays_scotland_2026_keeps_2_january() {
    let out = ok(&["holidays", "--region", "scotland", "--from", "2026"], "");
    assert_eq!(
        lines(&out),
        [
            "2026-01-01\tNew Year's Day",
            "2026-01-02\t2nd January",
            "2026-04-03\tGood Friday",
            "2026-05-04\tEarly May bank holiday",
            "2026-05-25\tSpring bank holiday",
            "2026-06-15\tWorld Cup bank holiday",
            "2026-08-03\tSummer bank holiday",
            "2026-11-30\tSt Andrew's Day",
            "2026-12-25\tChristmas Day",
            "2026-12-28\tBoxing Day (substitute day)",
        ]
    );
    // The same day is a working day in England and Wales.
    let counts = ok(
        &["count-working-days", "--region", "scotland"],
        "2026-01-01 2026-01-02\n",
    );
    assert_eq!(counts, "0\n");
    assert_eq!(
        ok(&["count-working-days", "2026-01-01", "2026-01-02"], ""),
        "1\n"
    );
}

#[test]
fn holidays_json_is_an_array_of_date_name_kind() {
    let out = ok(&["holidays", "--from", "2022", "--json"], "");
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let all = value.as_array().expect("an array");
    assert_eq!(all.len(), 10);
    assert_eq!(
        all[0],
        serde_json::json!({
            "date": "2022-01-03",
            "name": "New Year's Day (substitute day)",
            "kind": "substitute",
        })
    );
    assert_eq!(all[5]["kind"], "proclaimed");
    assert_eq!(all[4]["kind"], "moved");
    assert_eq!(all[9]["date"], "2022-12-27");
}

// ---- add-working-days -------------------------------------------------------

#[test]
fn add_working_days_over_christmas_2025() {
    assert_eq!(
        ok(
            &[
                "add-working-days",
                "--region",
                "england-and-wales",
                "2025-12-19",
                "5"
            ],
            ""
        ),
        "2025-12-30\n"
    );
    // Counting back, and day 0 on a bank holiday.
    assert_eq!(
        ok(&["add-working-days", "2025-12-30", "-5"], ""),
        "2025-12-19\n"
    );
    assert_eq!(
        ok(&["add-working-days", "2025-12-25", "0"], ""),
        "2025-12-29\n"
    );
}

#[test]
fn add_working_days_json() {
    let out = ok(&["add-working-days", "--json", "2025-12-19", "5"], "");
    assert_eq!(
        out,
        "{\"from\":\"2025-12-19\",\"working_days\":5,\"result\":\"2025-12-30\",\"region\":\"england-and-wales\"}\n"
    );
}

#[test]
fn add_working_days_streams_lines_in_order() {
    let input = "2025-12-19 5\n2026-04-02\t1\n  2023-05-04   5  \n2026-01-01 0\r\n2025-12-30 -5\n";
    let out = ok(&["add-working-days"], input);
    assert_eq!(
        lines(&out),
        [
            "2025-12-30", // Christmas and Boxing Day skipped
            "2026-04-07", // Good Friday and Easter Monday skipped
            "2023-05-12", // the coronation bank holiday skipped
            "2026-01-02",
            "2025-12-19",
        ]
    );
    // Scotland's own holidays: 2 January, and St Andrew's Day 2026 (a Monday).
    let scotland = ok(
        &["add-working-days", "--region", "scotland"],
        "2025-12-31 1\n2026-11-27 1\n",
    );
    assert_eq!(lines(&scotland), ["2026-01-05", "2026-12-01"]);
}

#[test]
fn add_working_days_streams_json_lines() {
    let out = ok(
        &["add-working-days", "--json"],
        "2025-12-19 5\n2026-04-02 1\n",
    );
    assert_eq!(
        lines(&out),
        [
            r#"{"from":"2025-12-19","working_days":5,"result":"2025-12-30","region":"england-and-wales"}"#,
            r#"{"from":"2026-04-02","working_days":1,"result":"2026-04-07","region":"england-and-wales"}"#,
        ]
    );
}

#[test]
fn add_working_days_empty_stdin_prints_nothing() {
    assert_eq!(ok(&["add-working-days"], ""), "");
}

#[test]
fn streaming_error_keeps_the_lines_already_answered() {
    let output = ladder(
        &["add-working-days"],
        "2025-12-19 5\n2026-04-02 1\n2026-13-01 3\n2026-01-01 1\n",
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "2025-12-30\n2026-04-07\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "ladder: stdin line 3: from: expected a date YYYY-MM-DD, found '2026-13-01'\n"
    );
}

#[test]
fn closures_and_holiday_files_move_the_answer() {
    // A council closed on Monday 29 December 2025.
    assert_eq!(
        ok(
            &[
                "add-working-days",
                "--closure",
                "2025-12-29",
                "2025-12-19",
                "5"
            ],
            ""
        ),
        "2025-12-31\n"
    );
    assert_eq!(
        ok(
            &[
                "add-working-days",
                "--closure",
                "2025-12-29",
                "--closure",
                "2025-12-30",
                "2025-12-19",
                "5"
            ],
            ""
        ),
        "2026-01-02\n"
    );
    let list = scratch(
        "extra-holidays.txt",
        "# proclaimed later\n\n2025-12-29 Extra day\n",
    );
    let list = list.to_str().expect("UTF-8 path");
    assert_eq!(
        ok(
            &["add-working-days", "--holidays", list, "2025-12-19", "5"],
            ""
        ),
        "2025-12-31\n"
    );
    let explained = ok(&["explain", "--holidays", list, "2025-12-19", "5"], "");
    assert!(
        explained.contains("skip     Mon 2025-12-29  bank holiday: Extra day"),
        "{explained}"
    );
    let feed = scratch(
        "bank-holidays.json",
        r#"{"england-and-wales": {"division": "england-and-wales", "events": [
            {"title": "Extra day", "date": "2025-12-29", "notes": "", "bunting": true}]}}"#,
    );
    let feed = feed.to_str().expect("UTF-8 path");
    assert_eq!(
        ok(
            &[
                "count-working-days",
                "--holidays",
                feed,
                "2025-12-19",
                "2025-12-31"
            ],
            ""
        ),
        "5\n"
    );
    assert_eq!(
        ok(&["count-working-days", "2025-12-19", "2025-12-31"], ""),
        "6\n"
    );
}

// ---- count-working-days -----------------------------------------------------

#[test]
fn count_working_days_over_christmas_2025() {
    assert_eq!(
        ok(&["count-working-days", "2025-12-19", "2025-12-30"], ""),
        "5\n"
    );
    assert_eq!(
        ok(&["count-working-days", "2025-12-30", "2025-12-19"], ""),
        "-5\n"
    );
    assert_eq!(
        ok(
            &["count-working-days", "--json", "2025-12-19", "2025-12-30"],
            ""
        ),
        "{\"from\":\"2025-12-19\",\"to\":\"2025-12-30\",\"working_days\":5,\"region\":\"england-and-wales\"}\n"
    );
}

#[test]
fn count_working_days_streams_lines_in_order() {
    let out = ok(
        &["count-working-days"],
        "2025-12-19 2025-12-30\n2026-04-02 2026-04-07\n2022-01-01 2022-12-31\n",
    );
    // 2022: 260 weekdays less 10 bank holidays.
    assert_eq!(lines(&out), ["5", "1", "250"]);
    let json = ok(&["count-working-days", "--json"], "2026-04-02 2026-04-07\n");
    assert_eq!(
        json,
        "{\"from\":\"2026-04-02\",\"to\":\"2026-04-07\",\"working_days\":1,\"region\":\"england-and-wales\"}\n"
    );
}

// ---- explain ----------------------------------------------------------------

#[test]
fn explain_lists_the_skipped_christmas_days() {
    let out = ok(&["explain", "2025-12-19", "5"], "");
    assert_eq!(
        lines(&out),
        [
            "5 working days from Fri 2025-12-19 (england-and-wales): day 0 is the start",
            "  skip     Sat 2025-12-20  Saturday",
            "  skip     Sun 2025-12-21  Sunday",
            "  day 1    Mon 2025-12-22  working day",
            "  day 2    Tue 2025-12-23  working day",
            "  day 3    Wed 2025-12-24  working day",
            "  skip     Thu 2025-12-25  bank holiday: Christmas Day",
            "  skip     Fri 2025-12-26  bank holiday: Boxing Day",
            "  skip     Sat 2025-12-27  Saturday",
            "  skip     Sun 2025-12-28  Sunday",
            "  day 4    Mon 2025-12-29  working day",
            "  day 5    Tue 2025-12-30  working day",
            "= Tue 2025-12-30 (6 days skipped)",
        ]
    );
}

#[test]
fn explain_json() {
    let out = ok(&["explain", "--json", "2025-12-24", "3"], "");
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(value["region"], "england-and-wales");
    assert_eq!(value["from"], "2025-12-24");
    assert_eq!(value["working_days"], 3);
    assert_eq!(value["result"], "2025-12-31");
    assert_eq!(
        value["walked"][0],
        serde_json::json!({
            "date": "2025-12-25",
            "kind": {"type": "bank-holiday", "name": "Christmas Day"},
            "counted_as": null,
        })
    );
}

// ---- output closed early ----------------------------------------------------

#[test]
fn closed_output_pipe_is_quiet() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .arg("add-working-days")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ladder runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        for _ in 0..500_000 {
            if input.write_all(b"2025-12-19 5\n").is_err() {
                break;
            }
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("one line");
    assert_eq!(first, "2025-12-30\n");
    drop(stdout);
    let output = child.wait_with_output().expect("ladder finishes");
    writer.join().expect("writer finishes");
    assert!(output.status.success(), "{:?}", output.status);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

// ---- help -------------------------------------------------------------------

#[test]
fn help_documents_the_default_region_and_streaming() {
    for sub in [
        "holidays",
        "add-working-days",
        "count-working-days",
        "explain",
    ] {
        let help = ok(&[sub, "--help"], "");
        assert!(
            help.contains("[default: england-and-wales]"),
            "{sub}: {help}"
        );
    }
    for sub in ["add-working-days", "count-working-days"] {
        let help = ok(&[sub, "--help"], "");
        assert!(help.contains("already been written"), "{sub}: {help}");
    }
}

// ---- errors: one line naming the bad value ----------------------------------

#[test]
fn error_unknown_region() {
    insta::assert_snapshot!(
        "unknown_region",
        fails(
            &["add-working-days", "--region", "wales", "2025-12-19", "5"],
            "",
            2
        )
    );
    insta::assert_snapshot!(
        "unknown_region_holidays",
        fails(
            &["holidays", "--region", "England", "--from", "2026"],
            "",
            2
        )
    );
}

#[test]
fn error_malformed_date() {
    insta::assert_snapshot!(
        "malformed_date",
        fails(&["add-working-days", "2025-1-19", "5"], "", 2)
    );
    insta::assert_snapshot!(
        "malformed_date_long",
        fails(
            &["count-working-days", "2025-12-19T00", "2025-12-30"],
            "",
            2
        )
    );
}

#[test]
fn error_impossible_date() {
    insta::assert_snapshot!(
        "impossible_date",
        fails(&["explain", "2026-02-30", "5"], "", 2)
    );
    insta::assert_snapshot!(
        "impossible_closure",
        fails(
            &[
                "add-working-days",
                "--closure",
                "2026-02-30",
                "2026-02-02",
                "1"
            ],
            "",
            2
        )
    );
}

#[test]
fn error_year_out_of_range() {
    insta::assert_snapshot!(
        "year_1977",
        fails(&["holidays", "--from", "1977", "--to", "1978"], "", 1)
    );
    insta::assert_snapshot!(
        "year_2200",
        fails(&["holidays", "--from", "2199", "--to", "2200"], "", 1)
    );
    insta::assert_snapshot!(
        "date_1977",
        fails(&["add-working-days", "1977-12-30", "1"], "", 1)
    );
    insta::assert_snapshot!(
        "date_2200",
        fails(&["count-working-days", "2026-01-01", "2200-01-01"], "", 1)
    );
    insta::assert_snapshot!(
        "closure_2200",
        fails(
            &[
                "add-working-days",
                "--closure",
                "2200-01-01",
                "2026-01-01",
                "1"
            ],
            "",
            1
        )
    );
}

#[test]
fn error_years_in_the_wrong_order() {
    insta::assert_snapshot!(
        "years_reversed",
        fails(&["holidays", "--from", "2024", "--to", "2023"], "", 1)
    );
}

#[test]
fn error_count_not_an_integer() {
    insta::assert_snapshot!(
        "count_not_integer",
        fails(&["add-working-days", "2025-12-19", "five"], "", 2)
    );
    insta::assert_snapshot!(
        "count_fraction",
        fails(&["explain", "2025-12-19", "1.5"], "", 2)
    );
}

#[test]
fn error_count_overflows_i32() {
    insta::assert_snapshot!(
        "count_overflow",
        fails(&["add-working-days", "2025-12-19", "2147483648"], "", 2)
    );
    insta::assert_snapshot!(
        "count_negative_overflow",
        fails(&["add-working-days", "2025-12-19", "-2147483649"], "", 2)
    );
}

#[test]
fn error_missing_or_extra_arguments() {
    insta::assert_snapshot!(
        "date_without_n",
        fails(&["add-working-days", "2025-12-19"], "", 2)
    );
    insta::assert_snapshot!(
        "from_without_to",
        fails(&["count-working-days", "2025-12-19"], "", 2)
    );
    insta::assert_snapshot!(
        "explain_without_n",
        fails(&["explain", "2025-12-19"], "", 2)
    );
    insta::assert_snapshot!(
        "extra_argument",
        fails(&["add-working-days", "2025-12-19", "5", "6"], "", 2)
    );
    insta::assert_snapshot!("holidays_without_from", fails(&["holidays"], "", 2));
    insta::assert_snapshot!(
        "unknown_option",
        fails(&["holidays", "--year", "2026"], "", 2)
    );
    // `serve` is listed only with the feature `server`: the snapshot holds
    // without it.
    insta::assert_snapshot!(
        "no_subcommand",
        fails(&[], "", 2).replace(" ics, serve,", " ics,")
    );
    insta::assert_snapshot!("unknown_subcommand", fails(&["add-days"], "", 2));
}

#[test]
fn error_stdin_wrong_number_of_fields() {
    insta::assert_snapshot!(
        "stdin_one_field",
        fails(&["add-working-days"], "2025-12-19 5\n2025-12-19\n", 1)
    );
    insta::assert_snapshot!(
        "stdin_three_fields",
        fails(
            &["count-working-days"],
            "2025-12-19 2025-12-30 2026-01-01\n",
            1
        )
    );
    insta::assert_snapshot!(
        "stdin_empty_line",
        fails(&["add-working-days"], "2025-12-19 5\n\n2025-12-19 5\n", 1)
    );
}

#[test]
fn error_stdin_bad_date() {
    insta::assert_snapshot!(
        "stdin_bad_date",
        fails(
            &["add-working-days"],
            "2025-12-19 5\n2026-04-02 1\n2026-13-01 3\n",
            1
        )
    );
    insta::assert_snapshot!(
        "stdin_impossible_date",
        fails(&["count-working-days"], "2026-02-01 2026-02-30\n", 1)
    );
}

#[test]
fn error_stdin_bad_count() {
    insta::assert_snapshot!(
        "stdin_bad_count",
        fails(&["add-working-days"], "2025-12-19 5\n2025-12-19 5x\n", 1)
    );
    insta::assert_snapshot!(
        "stdin_count_overflow",
        fails(&["add-working-days"], "2025-12-19 99999999999\n", 1)
    );
}

#[test]
fn error_stdin_not_utf8() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .arg("add-working-days")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ladder runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    input.write_all(b"2025-12-19 \xff\n").expect("written");
    drop(input);
    let output = child.wait_with_output().expect("ladder finishes");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "ladder: stdin line 1: expected UTF-8 text\n"
    );
}

#[test]
fn error_answer_out_of_range() {
    insta::assert_snapshot!(
        "answer_out_of_range",
        fails(&["add-working-days", "2199-12-30", "5"], "", 1)
    );
    insta::assert_snapshot!(
        "answer_out_of_range_max",
        fails(&["explain", "2025-12-19", "2147483647"], "", 1)
    );
    insta::assert_snapshot!(
        "stdin_answer_out_of_range",
        fails(&["add-working-days"], "2025-12-19 5\n1978-01-03 -5\n", 1)
    );
}

#[test]
fn error_holidays_file() {
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-such-file.txt");
    let line = fails(
        &[
            "add-working-days",
            "--holidays",
            missing.to_str().expect("UTF-8 path"),
            "2025-12-19",
            "5",
        ],
        "",
        1,
    );
    // The path and the OS message vary by machine: check the shape only.
    assert!(
        line.starts_with("ladder: cannot read holidays file '")
            && line.contains("no-such-file.txt"),
        "{line}"
    );
    let bad = scratch("bad-holidays.txt", "2027-06-07 Fine\n2027-02-30 Nope\n");
    let line = fails(
        &[
            "add-working-days",
            "--holidays",
            bad.to_str().expect("UTF-8 path"),
            "2025-12-19",
            "5",
        ],
        "",
        1,
    );
    assert!(
        line.ends_with("bad-holidays.txt:2: expected a date YYYY-MM-DD, found '2027-02-30'"),
        "{line}"
    );
}

// ---- ladders as data and the engine (issue 3) ----

#[test]
fn ladders_lists_every_built_in_procedure() {
    let out = ok(&["ladders"], "");
    let ids: Vec<&str> = lines(&out)
        .iter()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(ids, escalation_ladder::ladder::builtin::IDS);
    assert!(out.contains("iro-dispute-resolution\tIRO Dispute Resolution: IRO Alert\n"));
}

#[test]
fn timeline_of_the_iro_ladder_raised_before_christmas_2026() {
    // Worked by hand from the IRO procedure (team manager 5, head of service 5,
    // divisional director 3 working days; 20 in all): raised Monday 21 December 2026,
    // Christmas Day Friday 25th and the Boxing Day substitute Monday 28th skipped.
    let out = ok(
        &[
            "timeline",
            "iro-dispute-resolution",
            "--raised",
            "2026-12-21",
        ],
        "",
    );
    assert_eq!(
        lines(&out),
        [
            "informal\t2026-12-21\t",
            "team-manager\t2026-12-21\t2026-12-30",
            "head-of-service\t2026-12-30\t2027-01-07",
            "divisional-director\t2027-01-07\t2027-01-12",
            "deputy-chief-executive\t2027-01-12\t",
            "ceiling\t2027-01-21",
        ]
    );
}

#[test]
fn timeline_of_the_inspection_schedule_counts_day_numbers_in_working_days() {
    let out = ok(
        &[
            "timeline",
            "nottinghamshire-inspection",
            "--raised",
            "2026-12-21",
        ],
        "",
    );
    let first = lines(&out)[0];
    let last = *lines(&out).last().unwrap();
    assert_eq!(first, "notification\t2026-12-21\t");
    // Day 40 is 39 working days after day 1, over Christmas and New Year.
    assert_eq!(last, "publication\t2027-02-17\t");
    // Day 11 is Thursday 7 January 2027 (22, 23, 24, 29, 30, 31 December, 4, 5,
    // 6, 7 January); twice weekly until day 20 (Wednesday 20th): that Thursday,
    // then Monday and Thursday of each week (11, 14, 18; the 21st is day 21).
    assert!(
        lines(&out).contains(
            &"keep-in-touch-meetings\t2027-01-07\t\t2027-01-07,2027-01-11,2027-01-14,2027-01-18"
        ),
        "{out}"
    );
}

#[test]
fn show_prints_the_table_and_toml_that_loads_back() {
    let table = ok(&["show", "lac-review-decisions"], "");
    assert!(table.contains("deemed agreed"));
    let toml = ok(&["show", "lac-review-decisions", "--toml"], "");
    let file = scratch("lac.toml", &toml);
    let summary = ok(&["validate", file.to_str().unwrap()], "");
    assert!(summary.contains("ok: 'lac-review-decisions'"), "{summary}");
    let json = ok(&["show", "iro-dispute-resolution", "--json"], "");
    assert!(json.contains("\"working_days\":20"));
    assert_eq!(json.lines().count(), 1, "--json prints one line");
}

/// `show ID --json` prints JSON that loads back equal, as the TOML does: for
/// every built-in, with the library's JSON loader and with `validate` and
/// `--file` reading a file named .json.
#[test]
fn show_json_loads_back_and_json_files_are_accepted() {
    use escalation_ladder::ladder::{builtin, Procedure};
    for id in builtin::IDS {
        let json = ok(&["show", id, "--json"], "");
        let back = Procedure::from_json_str(&json, "shown.json").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, builtin::procedure(id).unwrap(), "{id}");
    }
    let json = ok(&["show", "iro-dispute-resolution", "--json"], "");
    let file = scratch("iro.json", &json);
    let file = file.to_str().unwrap();
    let summary = ok(&["validate", file], "");
    assert!(
        summary.ends_with(
            "iro.json: ok: 'iro-dispute-resolution' (IRO Dispute Resolution: IRO Alert): ladder, 5 stages, ceiling 20 working days, 7 assumptions\n"
        ),
        "{summary}"
    );
    let from_json = ok(&["timeline", "--file", file, "--raised", "2026-12-21"], "");
    let builtin = ok(
        &[
            "timeline",
            "iro-dispute-resolution",
            "--raised",
            "2026-12-21",
        ],
        "",
    );
    assert_eq!(from_json, builtin);
    assert_eq!(ok(&["show", "--file", file, "--json"], ""), json);
    // The same rules as TOML, without a line: JSON is not located.
    let broken = scratch(
        "iro-broken.json",
        &json.replacen("\"count\":5", "\"count\":0", 1),
    );
    let line = fails(&["validate", broken.to_str().unwrap()], "", 4);
    assert!(
        line.ends_with(
            "iro-broken.json: stage 'team-manager', field 'window.count': expected a count of 1..=250 for unit 'working-days' (use unit 'immediately' for no delay), found 0"
        ),
        "{line}"
    );
    // A JSON syntax error names the line and column.
    let broken = scratch("syntax.json", "{\"kind\": \"ladder\",\n  \"id\": [\n");
    let line = fails(&["validate", broken.to_str().unwrap()], "", 4);
    assert!(line.contains("syntax.json:3:"), "{line}");
}

#[test]
fn validate_names_the_file_line_and_field() {
    let file = scratch("broken.toml", "kind = \"ladder\"\nid = \"x\"\n");
    insta::assert_snapshot!(
        fails(&["validate", file.to_str().unwrap()], "", 4).replace(file.to_str().unwrap(), "FILE")
    );
}

#[test]
fn run_applies_events_and_prints_the_state() {
    let out = ok(
        &[
            "run",
            "iro-dispute-resolution",
            "--events",
            "examples/data/iro-events.jsonl",
        ],
        "",
    );
    let state: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(state["stage"], "head-of-service");
    assert_eq!(state["respond_by"], "2027-01-04");
    assert_eq!(state["ceiling"], "2027-01-14");
    assert_eq!(state["referrals"][0], "cafcass");
}

#[test]
fn run_stops_at_the_first_bad_event_with_its_line() {
    let events = "{\"on\":\"2026-12-14\",\"actor\":\"iro\",\"type\":\"raise\",\"reason\":\"drift\"}\n\n{\"on\":\"2026-12-15\",\"actor\":\"iro\",\"type\":\"escalate\",\"to\":\"nowhere\",\"reason\":\"x\"}\n";
    insta::assert_snapshot!(fails(
        &["run", "iro-dispute-resolution", "--events", "-"],
        events,
        4
    ));
    insta::assert_snapshot!(fails(
        &["run", "iro-dispute-resolution", "--events", "-"],
        "{not json}\n",
        1
    ));
    insta::assert_snapshot!(fails(
        &["run", "nottinghamshire-inspection", "--events", "-"],
        "",
        1
    ));
}

/// Review decisions handed to the team manager on Friday 18 December 2026: the
/// 5 working days are 21, 22, 23, 24 and 29 December (Christmas Day and the
/// Boxing Day substitute on Monday 28th do not count), so they are due Tuesday
/// 29th and deemed agreed on Wednesday 30th, the next working day.
const REVIEW_DECISIONS: &str = concat!(
    r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review on 14 December"}"#,
    "\n",
    r#"{"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"}"#,
    "\n",
);

#[test]
fn run_as_of_lets_time_act_and_status_says_what_is_due() {
    let base = ["run", "lac-review-decisions", "--events", "-"];
    let due = ok(
        &[&base[..], &["--as-of", "2026-12-29", "--status"]].concat(),
        REVIEW_DECISIONS,
    );
    assert!(due.contains("phase\tawaiting-response\n"), "{due}");
    assert!(due.contains("next-deadline\t2026-12-29\n"), "{due}");
    assert!(due.contains("time-acts-on\t2026-12-30\n"), "{due}");
    insta::assert_snapshot!("run_status_before_deemed_agreement", due);
    let after = ok(
        &[&base[..], &["--as-of", "2027-01-04", "--status"]].concat(),
        REVIEW_DECISIONS,
    );
    assert!(after.contains("phase\tdeemed-agreed\n"), "{after}");
    assert!(after.contains("who-must-act\t-\n"), "{after}");
    let json = ok(
        &[&base[..], &["--as-of", "2027-01-04", "--status", "--json"]].concat(),
        REVIEW_DECISIONS,
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["phase"], "deemed-agreed");
    assert_eq!(value["as_of"], "2027-01-04");
    // The state: time's own event is counted, dated the day it took effect.
    let state = ok(
        &[&base[..], &["--as-of", "2027-01-04"]].concat(),
        REVIEW_DECISIONS,
    );
    let value: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(value["phase"], "deemed-agreed");
    assert_eq!(value["events_applied"], 3);
    assert_eq!(value["last_event_on"], "2026-12-30");
    // Without --as-of nothing happens after the last event.
    let state = ok(&base, REVIEW_DECISIONS);
    let value: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(value["phase"], "awaiting-response");
    // A late answer is recorded and the deemed agreement stands.
    let late = format!(
        "{REVIEW_DECISIONS}{}\n",
        r#"{"on":"2027-01-04","actor":"tm","type":"respond","outcome":"unable-to-agree"}"#
    );
    let state = ok(&base, &late);
    let value: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(value["phase"], "deemed-agreed");
    assert_eq!(value["responded_on"], "2027-01-04");
    // An as-of date before the last event is refused, naming both.
    let err = fails(
        &[&base[..], &["--as-of", "2026-12-17"]].concat(),
        REVIEW_DECISIONS,
        1,
    );
    assert!(
        err.contains("2026-12-17") && err.contains("2026-12-18"),
        "{err}"
    );
    // Without --status, --json prints the whole answer: state, trail, status.
    let whole = ok(
        &[&base[..], &["--as-of", "2027-01-04", "--json"]].concat(),
        REVIEW_DECISIONS,
    );
    let value: serde_json::Value = serde_json::from_str(&whole).unwrap();
    assert_eq!(value["state"]["phase"], "deemed-agreed");
    assert_eq!(value["status"]["phase"], "deemed-agreed");
    // The raise, the decisions handed over, and time's deemed agreement on
    // Wednesday 30 December.
    assert_eq!(value["trail"].as_array().unwrap().len(), 3);
    assert_eq!(value["trail"][2]["event"]["on"], "2026-12-30");
}

// ---- report -----------------------------------------------------------------

const SAMPLE: &str = "examples/data/cases.jsonl";

/// The sample as at Monday 23 November 2026, in every format; the monthly
/// period is October 2026.
#[test]
fn report_of_the_sample_in_each_format() {
    let base = ["report", "--as-of", "2026-11-23", "--cases", SAMPLE];
    let text = ok(&base, "");
    insta::assert_snapshot!("report_text", text);
    let explicit = ok(
        &[&base[..], &["--format", "text", "--period", "month"]].concat(),
        "",
    );
    assert_eq!(explicit, text);
    let json = ok(&[&base[..], &["--format", "json"]].concat(), "");
    assert_eq!(json.lines().count(), 1, "JSON is one line");
    // The snapshot keeps the report readable: pretty-printed from the line.
    insta::assert_snapshot!("report_json", support::pretty(json.trim_end()) + "\n");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["period"]["label"], "October 2026");
    assert_eq!(value["overdue"]["count"], 6);
    let csv = ok(&[&base[..], &["--format", "csv"]].concat(), "");
    insta::assert_snapshot!("report_tracking_csv", csv);
    let summary = ok(&[&base[..], &["--format", "summary-csv"]].concat(), "");
    insta::assert_snapshot!("report_summary_csv", summary);
}

/// The quarterly analysis (July to September 2026) and the half-year (April to
/// September 2026) cover the same alerts here; a range covers what it names.
#[test]
fn report_periods() {
    let base = ["report", "--as-of", "2026-11-23", "--cases", SAMPLE];
    let quarter = ok(&[&base[..], &["--period", "quarter"]].concat(), "");
    insta::assert_snapshot!("report_quarter_text", quarter);
    let half = ok(
        &[&base[..], &["--period", "half-year", "--format", "json"]].concat(),
        "",
    );
    let half: serde_json::Value = serde_json::from_str(&half).unwrap();
    assert_eq!(half["period"]["from"], "2026-04-01");
    assert_eq!(half["period"]["to"], "2026-09-30");
    let range = ok(
        &[
            &base[..],
            &["--period", "2026-11-01..2026-11-23", "--format", "json"],
        ]
        .concat(),
        "",
    );
    let range: serde_json::Value = serde_json::from_str(&range).unwrap();
    assert_eq!(range["period"]["label"], "2026-11-01 to 2026-11-23");
    // Raised in November: IRO-2026-0107 to 0110 and 0115, LAC-2026-0203,
    // CP-2026-0304 and 0305, OX-2026-0504 and 0505, BCT-2026-0604 and
    // NPC-2026-0703.
    assert_eq!(range["raised"]["total"], 12);
}

#[test]
fn report_reads_stdin_and_applies_the_thresholds() {
    let sample = std::fs::read_to_string(SAMPLE).unwrap();
    let json = ok(
        &[
            "report",
            "--as-of",
            "2026-11-23",
            "--cases",
            "-",
            "--format",
            "json",
            "--due-within",
            "0",
            "--warn-at",
            "100",
            "--open-longer-than",
            "30",
        ],
        &sample,
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Due on the as-of date: CP-2026-0304 and IRO-2026-0109.
    assert_eq!(value["due_soon"]["count"], 2);
    // Open more than 30 working days: CHAIR-2026-0402 and NPC-2026-0702 (35);
    // BCT-2026-0603 is open 25 working days since it was raised, but its
    // ladder counts its threshold of 20 from the formal notification (stage 1 on
    // 29 October: 17 working days), so it is not listed.
    let long: Vec<&str> = value["open_longer"]["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["case"].as_str().unwrap())
        .collect();
    assert_eq!(long, ["CHAIR-2026-0402", "NPC-2026-0702"]);
}

/// Events after the as-of date are not counted: as at 1 October 2026 the
/// sample has fewer alerts, and those raised later are "not raised".
#[test]
fn report_as_at_an_earlier_date() {
    let json = ok(
        &[
            "report",
            "--as-of",
            "2026-10-01",
            "--cases",
            SAMPLE,
            "--format",
            "json",
        ],
        "",
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["period"]["label"], "September 2026");
    assert_eq!(value["cases"]["read"], 41);
    assert_eq!(value["cases"]["not_raised"], 24);
}

/// A council's own ladder from a file: a Scottish copy of the Oxfordshire
/// ladder counts St Andrew's Day (Monday 30 November 2026).
#[test]
fn report_with_a_ladder_file() {
    let toml = escalation_ladder::ladder::builtin::source("oxfordshire-resolution-escalation")
        .unwrap()
        .replace(
            "id = \"oxfordshire-resolution-escalation\"",
            "id = \"highland-resolution\"",
        )
        .replace("region = \"england-and-wales\"", "region = \"scotland\"");
    let ladder = scratch("highland.toml", &toml);
    let cases = r#"{"case":"H-1","team":"Inverness","ladder":"highland-resolution","events":[{"on":"2026-11-23","actor":"iro","type":"raise","stage":"stage-2","reason":"drift"}]}"#;
    let csv = ok(
        &[
            "report",
            "--as-of",
            "2026-12-02",
            "--cases",
            "-",
            "--format",
            "csv",
            "--ladder-file",
            ladder.to_str().unwrap(),
        ],
        cases,
    );
    // Due Tuesday 1 December (24, 25, 26, 27 November, 1 December); 1 working
    // day overdue on the 2nd; open 6 working days.
    assert_eq!(
        lines(&csv)[1],
        "alert,H-1,,Inverness,,highland-resolution,,2026-11-23,stage-2,,,2026-11-23,2026-12-01,,,,awaiting-response,,1,6,"
    );
    // The same ladder as a JSON file (named .json) gives the same report.
    let value: toml::Value = toml::from_str(&toml).unwrap();
    let json = scratch("highland.json", &serde_json::to_string(&value).unwrap());
    let from_json = ok(
        &[
            "report",
            "--as-of",
            "2026-12-02",
            "--cases",
            "-",
            "--format",
            "csv",
            "--ladder-file",
            json.to_str().unwrap(),
        ],
        cases,
    );
    assert_eq!(from_json, csv);
    let schedule = scratch(
        "schedule.toml",
        escalation_ladder::ladder::builtin::source("nottinghamshire-inspection").unwrap(),
    );
    // A schedule given as a ladder file loads (the registry holds schedules
    // too), but no case can run on it.
    let with_schedule = fails(
        &[
            "report",
            "--as-of",
            "2026-12-02",
            "--cases",
            "-",
            "--ladder-file",
            schedule.to_str().unwrap(),
        ],
        cases,
        1,
    );
    assert!(
        with_schedule.ends_with("found 'highland-resolution'")
            && !with_schedule.contains("nottinghamshire-inspection"),
        "{with_schedule}"
    );
    let twice = fails(
        &[
            "report",
            "--as-of",
            "2026-12-02",
            "--cases",
            "-",
            "--ladder-file",
            ladder.to_str().unwrap(),
            "--ladder-file",
            ladder.to_str().unwrap(),
        ],
        cases,
        1,
    );
    assert!(twice.contains("ladder 'highland-resolution' is already given by"));
}

/// A bad record: exit 1, one line naming the file, the line and the reason,
/// and nothing on standard output, whatever the format.
#[test]
fn report_refuses_a_bad_record_and_writes_nothing() {
    let mut sample = std::fs::read_to_string(SAMPLE).unwrap();
    sample.push_str("\n{\"case\":\"BAD-1\",\"ladder\":\"iro-dispute-resolution\",\"events\":[{\"on\":\"2026-11-02\",\"actor\":\"iro\",\"type\":\"respond\"}]}\n");
    let path = scratch("bad-cases.jsonl", &sample);
    let path = path.to_str().unwrap();
    for format in ["text", "json", "csv", "summary-csv"] {
        let output = ladder(
            &[
                "report",
                "--as-of",
                "2026-11-23",
                "--cases",
                path,
                "--format",
                format,
            ],
            "",
        );
        // A refused event: exit 4.
        assert_eq!(output.status.code(), Some(4));
        assert!(output.stdout.is_empty(), "{format}: stdout was written");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1);
        if format == "json" {
            // JSON output: the error is the JSON error document.
            let document: serde_json::Value = serde_json::from_str(&stderr).unwrap();
            assert_eq!(document["code"], "refused.not-in-this-phase");
            assert_eq!(document["fields"]["line"], 43);
            assert_eq!(document["fields"]["case"], "BAD-1");
        } else {
            assert!(stderr.contains("bad-cases.jsonl line 43: case 'BAD-1': event 1 of 1:"));
        }
    }
    let stdin_errors = [
        fails(
            &["report", "--as-of", "2026-11-23", "--cases", "-"],
            "{\"case\":\"X\"",
            1,
        ),
        fails(
            &["report", "--as-of", "2026-11-23", "--cases", "-"],
            "\n\n{\"case\":\"X\",\"ladder\":\"nowhere\",\"events\":[]}\n",
            1,
        ),
        fails(
            &["report", "--as-of", "2026-11-23", "--cases", "-"],
            &format!(
                "{}\n{}\n",
                sample.lines().next().unwrap(),
                sample.lines().next().unwrap()
            ),
            1,
        ),
    ];
    insta::assert_snapshot!("report_stdin_errors", stdin_errors.join("\n"));
}

#[test]
fn report_usage_errors() {
    // `ladder report` on the sample as at 23 November 2026, with `extra`.
    let on_sample = |extra: &[&str], code: i32| {
        let mut args = vec!["report", "--as-of", "2026-11-23", "--cases", SAMPLE];
        args.extend_from_slice(extra);
        fails(&args, "", code)
    };
    let errors = [
        fails(&["report", "--cases", SAMPLE], "", 2),
        fails(&["report", "--as-of", "2026-11-23"], "", 2),
        fails(
            &["report", "--as-of", "23/11/2026", "--cases", SAMPLE],
            "",
            2,
        ),
        on_sample(&["--period", "week"], 1),
        on_sample(&["--format", "xml"], 2),
        on_sample(&["--warn-at", "0"], 1),
        on_sample(&["--period", "2026-11-01..2026-11-30"], 1),
        fails(
            &[
                "report",
                "--as-of",
                "2026-11-23",
                "--cases",
                "no/such/file.jsonl",
            ],
            "",
            1,
        ),
        fails(&["report", "--as-of", "2200-01-01", "--cases", "-"], "", 1),
    ];
    insta::assert_snapshot!("report_usage_errors", errors.join("\n"));
}

/// `ladder report` shows progress on standard error only when it is a terminal:
/// nothing through a pipe; under a pseudo-terminal, a line rewritten every 20
/// cases of the 41-case sample and ended with a newline, while standard output
/// (redirected to a file) holds the report alone.
#[test]
fn report_shows_progress_only_on_a_terminal() {
    let args = [
        "report",
        "--as-of",
        "2026-11-23",
        "--cases",
        SAMPLE,
        "--progress-every",
        "20",
    ];
    let piped = ladder(&args, "");
    assert!(piped.status.success());
    assert_eq!(piped.stderr, b"");

    let out = scratch("progress-report.txt", "");
    let command = format!(
        "{} {} > {}",
        support::shell_quoted(env!("CARGO_BIN_EXE_ladder")),
        args.join(" "),
        support::shell_quoted(out.to_str().unwrap()),
    );
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(terminal) = support::on_a_terminal(manifest, &command) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert_eq!(
        terminal,
        "\rladder report: 20 cases read\rladder report: 40 cases read\rladder report: 41 cases read\n"
    );
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(report.starts_with("Escalation alerts as at Monday 23 November 2026\n"));
}

// ---- output nobody can forge (issue 9 §3) -------------------------------------

/// Runs a command that must fail with `code` and one line on stderr, and checks
/// that the line holds no character a value from input could use to start a
/// line of its own or reach the terminal (line breaks, ESC, C1, U+2028, bidi
/// overrides, BOM): they are escaped.
fn fails_cleanly(args: &[&str], stdin: &str, code: i32) -> String {
    let line = fails(args, stdin, code);
    assert!(
        !line.contains(escalation_ladder::escape::needs_escaping),
        "{args:?}: {line:?}"
    );
    line
}

/// A case id with a line break and an unknown ladder id with a terminal code:
/// the error quotes both escaped, on one line, so the data cannot add a `ladder:`
/// line of its own.
#[test]
fn error_quoting_a_case_record_escapes_its_values() {
    let record =
        r#"{"case":"X-1\nladder: report written","ladder":"no-such\u001b[2J","events":[]}"#;
    let line = fails_cleanly(
        &["report", "--as-of", "2026-11-23", "--cases", "-"],
        &format!("{record}\n"),
        1,
    );
    assert!(
        line.starts_with(
            r"ladder: stdin line 1: case 'X-1\nladder: report written': expected a ladder id ("
        ),
        "{line}"
    );
    assert!(line.ends_with(r"found 'no-such\u{1b}[2J'"), "{line}");
    // The same record for `ics`, and a bad case id in a record that is not one.
    fails_cleanly(
        &["ics", "--as-of", "2026-11-23", "--cases", "-"],
        &format!("{record}\n"),
        1,
    );
    let line = fails_cleanly(
        &["report", "--as-of", "2026-11-23", "--cases", "-"],
        "{\"case\":\"Y\\u2028Z\",\"ladder\":\"iro-dispute-resolution\",\"events\":{}}\n",
        1,
    );
    assert!(line.contains(r"case 'Y\u{2028}Z'"), "{line}");
}

/// An event whose type or stage holds a line break or a terminal code.
#[test]
fn error_quoting_an_event_escapes_its_values() {
    let unknown_stage = r#"{"on":"2026-12-14","actor":"iro","type":"raise","stage":"tm\u001b]0;owned\u0007","reason":"r"}"#;
    let line = fails_cleanly(
        &["run", "iro-dispute-resolution", "--events", "-"],
        &format!("{unknown_stage}\n"),
        4,
    );
    assert!(
        line.contains(r"expected a stage of this ladder, found 'tm\u{1b}]0;owned\u{7}'"),
        "{line}"
    );
    let unknown_type =
        r#"{"on":"2026-12-14","actor":"iro","type":"raise\nladder: ok","reason":"r"}"#;
    let line = fails_cleanly(
        &["run", "iro-dispute-resolution", "--events", "-"],
        &format!("{unknown_type}\n"),
        1,
    );
    assert!(
        line.contains(r#""type": unknown event type "raise\nladder: ok", expected one of raise"#),
        "{line}"
    );
}

/// File paths with a line break or a terminal code, for every kind of file.
#[test]
fn error_quoting_a_path_escapes_it() {
    let path = "no/such\nladder: fake\u{1b}[2J.jsonl";
    let shown = r"no/such\nladder: fake\u{1b}[2J.jsonl";
    let lines = [
        fails_cleanly(&["report", "--as-of", "2026-11-23", "--cases", path], "", 1),
        fails_cleanly(&["ics", "--as-of", "2026-11-23", "--cases", path], "", 1),
        fails_cleanly(&["run", "iro-dispute-resolution", "--events", path], "", 1),
        fails_cleanly(
            &["add-working-days", "--holidays", path, "2025-12-19", "5"],
            "",
            1,
        ),
        fails_cleanly(&["validate", path], "", 1),
        fails_cleanly(&["show", "--file", path], "", 1),
        fails_cleanly(
            &[
                "report",
                "--as-of",
                "2026-11-23",
                "--cases",
                "-",
                "--ladder-file",
                path,
            ],
            "",
            1,
        ),
    ];
    for line in lines {
        assert!(line.contains(shown), "{line}");
    }
}

/// Streamed fields, and values clap refuses: escaped, and quoted as typed (clap's
/// own plain rendering drops an escape sequence, misquoting the value).
#[test]
fn error_quoting_a_typed_value_escapes_it() {
    let line = fails_cleanly(&["add-working-days"], "2025-12-19 \u{1b}[2J5\n", 1);
    assert_eq!(
        line,
        r"ladder: stdin line 1: working_days: expected a whole number of working days, found '\u{1b}[2J5'"
    );
    let line = fails_cleanly(
        &["count-working-days"],
        "2025-12-19 2025-12-30 \u{9b}2J\n",
        1,
    );
    assert!(
        line.ends_with(r"found 3 in '2025-12-19 2025-12-30 \u{9b}2J'"),
        "{line}"
    );
    let line = fails_cleanly(
        &[
            "add-working-days",
            "--region",
            "\u{1b}[31mred",
            "2025-12-19",
            "5",
        ],
        "",
        2,
    );
    assert!(
        line.starts_with(r"ladder: invalid value '\u{1b}[31mred' for '--region <REGION>': unknown region '\u{1b}[31mred'"),
        "{line}"
    );
    let line = fails_cleanly(
        &["add-working-days", "2025-12-19\n\nladder: fake", "5"],
        "",
        2,
    );
    assert_eq!(
        line,
        r"ladder: invalid value '2025-12-19\n\nladder: fake' for '[DATE]': expected a date YYYY-MM-DD"
    );
    let line = fails_cleanly(&["holidays", "--from", "2026", "--x\u{1b}[2J"], "", 2);
    assert_eq!(line, r"ladder: unexpected argument '--x\u{1b}[2J' found");
}

/// The `toml` parser's message takes two lines for a syntax error ("invalid
/// array" then "expected `]`"); the error is one line.
#[test]
fn error_toml_syntax_is_one_line() {
    let file = scratch("two-line-toml-error.toml", "kind = \"ladder\"\nid = [\n");
    let line = fails_cleanly(&["validate", file.to_str().unwrap()], "", 4);
    assert!(
        line.ends_with("two-line-toml-error.toml:3:1: invalid array, expected `]`"),
        "{line}"
    );
}

/// Names in the text report are escaped: a worker's name cannot add a line to
/// the report, nor a team's name repaint the terminal.
#[test]
fn report_text_escapes_names() {
    let record = r#"{"case":"IRO-1","child":"C-1\u202eevil","team":"North\u001b[2J","worker":"j.smith\nladder: all clear","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-02","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
    let text = ok(
        &["report", "--as-of", "2026-11-23", "--cases", "-"],
        &format!("{record}\n"),
    );
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && escalation_ladder::escape::needs_escaping(c)),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("ladder:")), "{text}");
    assert!(text.contains(r"North\u{1b}[2J"), "{text}");
    assert!(text.contains(r"j.smith\nladder: all clear"), "{text}");
    assert!(text.contains(r"C-1\u{202e}evil"), "{text}");
}

/// A council's own ladder file is data too: `validate`'s summary line and
/// `show`'s table escape the id, title and names they echo.
#[test]
fn ladder_file_text_is_escaped_in_validate_and_show() {
    let text = std::fs::read_to_string("ladders/iro-dispute-resolution.toml").unwrap();
    let text = text
        .replacen(
            "id = \"iro-dispute-resolution\"",
            "id = \"iro\\nladder: ok\"",
            1,
        )
        .replacen("title = \"IRO", "title = \"\\u001b[2JIRO", 1);
    let stages = text.find("[[stages]]").unwrap();
    let stage_name = stages + text[stages..].find("name = \"").unwrap() + "name = \"".len();
    let text = format!("{}\\u009b2J{}", &text[..stage_name], &text[stage_name..]);
    let file = scratch("escaped-ladder.toml", &text);
    let file = file.to_str().unwrap();
    let summary = ok(&["validate", file], "");
    assert!(
        summary.ends_with(
            "escaped-ladder.toml: ok: 'iro\\nladder: ok' (\\u{1b}[2JIRO Dispute Resolution: IRO Alert): ladder, 5 stages, ceiling 20 working days, 7 assumptions\n"
        ),
        "{summary}"
    );
    let table = ok(&["show", "--file", file], "");
    assert!(table.contains(r"\u{9b}2J"), "{table}");
    for out in [summary, table] {
        assert!(
            !out.chars()
                .any(|c| c != '\n' && escalation_ladder::escape::needs_escaping(c)),
            "{out}"
        );
    }
}

/// A stage id with a terminal code, in `timeline`'s lines and `run --status`.
#[test]
fn ladder_file_ids_are_escaped_in_timeline_and_status() {
    let text = std::fs::read_to_string("ladders/iro-dispute-resolution.toml").unwrap();
    let text = text.replace("\"informal\"", "\"infor\\u001b[2Jmal\"");
    let file = scratch("escaped-stage.toml", &text);
    let file = file.to_str().unwrap();
    let timeline = ok(&["timeline", "--file", file, "--raised", "2026-12-21"], "");
    assert_eq!(lines(&timeline)[0], "infor\\u{1b}[2Jmal\t2026-12-21\t");
    let raise =
        "{\"on\":\"2026-12-21\",\"actor\":\"iro\",\"type\":\"raise\",\"reason\":\"drift\"}\n";
    let status = ok(&["run", "--file", file, "--events", "-", "--status"], raise);
    assert_eq!(lines(&status)[2], "stage\tinfor\\u{1b}[2Jmal");
}

/// Text fields that start like a spreadsheet formula get a leading `'` in both
/// CSV outputs; the numbers the crate computes do not.
#[test]
fn report_csv_neutralises_formulas() {
    let record = r#"{"case":"=HYPERLINK(\"http://x.test\",\"open\")","child":"-1","team":"+44 North","worker":"@j.smith","ladder":"iro-dispute-resolution","events":[{"on":"2026-11-02","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
    let args = |format| {
        [
            "report",
            "--as-of",
            "2026-11-23",
            "--cases",
            "-",
            "--format",
            format,
        ]
    };
    let csv = ok(&args("csv"), &format!("{record}\n"));
    assert_eq!(
        lines(&csv)[1],
        r#"alert,"'=HYPERLINK(""http://x.test"",""open"")",'-1,'+44 North,'@j.smith,iro-dispute-resolution,,2026-11-02,team-manager,,,2026-11-02,2026-11-09,,,,awaiting-response,,10,15,"#
    );
    let summary = ok(&args("summary-csv"), &format!("{record}\n"));
    assert!(
        summary.contains("\nopen-by-team,,'+44 North,open,1,\n"),
        "{summary}"
    );
    assert!(
        summary.contains("\nopen-by-worker,,'@j.smith,open,1,\n"),
        "{summary}"
    );
    // Off for a program that joins on the ids: the text as it is.
    let off = |format| {
        let mut a = args(format).to_vec();
        a.extend(["--formula-guard", "off"]);
        ok(&a, &format!("{record}\n"))
    };
    assert_eq!(
        lines(&off("csv"))[1],
        r#"alert,"=HYPERLINK(""http://x.test"",""open"")",-1,+44 North,@j.smith,iro-dispute-resolution,,2026-11-02,team-manager,,,2026-11-02,2026-11-09,,,,awaiting-response,,10,15,"#
    );
    assert!(off("summary-csv").contains("\nopen-by-team,,+44 North,open,1,\n"));
}

/// A UTF-8 byte-order mark (as Windows tools write) at the start of any input
/// is skipped: the answer is the one without it.
#[test]
fn a_byte_order_mark_starts_any_input() {
    const BOM: &str = "\u{feff}";
    let same = |args: &[&str], input: &str| {
        assert_eq!(
            ok(args, &format!("{BOM}{input}")),
            ok(args, input),
            "{args:?}"
        );
    };
    let both_files = |name: &str, contents: &str| {
        let plain = scratch(name, contents);
        let marked = scratch(&format!("bom-{name}"), &format!("{BOM}{contents}"));
        (plain, marked)
    };
    // Streamed stdin.
    same(&["add-working-days"], "2025-12-19 5\n");
    same(&["count-working-days"], "2025-12-19 2025-12-30\n");
    // Events (JSON Lines), from stdin and from a file.
    let events = std::fs::read_to_string("examples/data/iro-events.jsonl").unwrap();
    same(&["run", "iro-dispute-resolution", "--events", "-"], &events);
    let (plain, marked) = both_files("events.jsonl", &events);
    let run = |path: &PathBuf| {
        ok(
            &[
                "run",
                "iro-dispute-resolution",
                "--events",
                path.to_str().unwrap(),
            ],
            "",
        )
    };
    assert_eq!(run(&marked), run(&plain));
    // Cases (JSON Lines), from stdin and from a file, for report and ics.
    let cases = std::fs::read_to_string(SAMPLE).unwrap();
    same(&["report", "--as-of", "2026-11-23", "--cases", "-"], &cases);
    same(&["ics", "--as-of", "2026-11-23", "--cases", "-"], &cases);
    let (plain, marked) = both_files("cases.jsonl", &cases);
    let report = |path: &PathBuf| {
        ok(
            &[
                "report",
                "--as-of",
                "2026-11-23",
                "--cases",
                path.to_str().unwrap(),
                "--format",
                "csv",
            ],
            "",
        )
    };
    assert_eq!(report(&marked), report(&plain));
    // Holiday files: a list (TSV) and GOV.UK's JSON.
    let list = "2027-06-07\tA new bank holiday\n";
    let feed = r#"{"england-and-wales":{"division":"england-and-wales","events":[{"title":"A new bank holiday","date":"2027-06-07","notes":""}]}}"#;
    for (name, contents) in [("extra.tsv", list), ("extra.json", feed)] {
        let (plain, marked) = both_files(name, contents);
        let add = |path: &PathBuf| {
            ok(
                &[
                    "add-working-days",
                    "--holidays",
                    path.to_str().unwrap(),
                    "2027-06-04",
                    "1",
                ],
                "",
            )
        };
        assert_eq!(add(&marked), "2027-06-08\n", "{name}");
        assert_eq!(add(&plain), "2027-06-08\n", "{name}");
    }
}

/// A range error names the year typed, not the first year past the tables the
/// listing would have reached.
#[test]
fn error_year_out_of_range_names_the_year_typed() {
    assert_eq!(
        fails(&["holidays", "--from", "2026", "--to", "99999"], "", 1),
        "ladder: year 99999 is outside the supported range 1978..=2199"
    );
    assert_eq!(
        fails(&["holidays", "--from", "1000", "--to", "2026"], "", 1),
        "ladder: year 1000 is outside the supported range 1978..=2199"
    );
    // A negative year is a year out of range, not an unknown option.
    assert_eq!(
        fails(&["holidays", "--from", "2026", "--to", "-5"], "", 1),
        "ladder: to: expected a year on or after from (2026), found '-5'"
    );
    assert_eq!(
        fails(&["holidays", "--from", "-5"], "", 1),
        "ladder: year -5 is outside the supported range 1978..=2199"
    );
}

/// CSV for spreadsheets: a byte-order mark for Excel, the alerts and the
/// escalations each alone in columns of their own, and the options refused
/// with a format they do not apply to.
#[test]
fn report_csv_for_spreadsheets() {
    let record = r#"{"case":"IRO-1","team":"Zoë's Pod","worker":"-temp.agency","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"},{"on":"2026-12-30","actor":"iro","type":"escalate","reason":"no response"}]}"#;
    let input = format!("{record}\n");
    fn report<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["report", "--as-of", "2027-01-11", "--cases", "-"];
        args.extend(extra);
        args
    }
    let marked = ok(&report(&["--format", "csv", "--bom"]), &input);
    assert!(marked.starts_with("\u{feff}row,case,"), "{marked}");
    let summary = ok(&report(&["--format", "summary-csv", "--bom"]), &input);
    assert!(summary.starts_with("\u{feff}section,ladder,group,measure,number,date\n"));
    // Christmas Day and the Boxing Day substitute skipped: the team manager's
    // 5 working days end on 29 December; escalated on the 30th.
    let alerts = ok(&report(&["--format", "csv", "--table", "alerts"]), &input);
    assert_eq!(
        lines(&alerts),
        [
            "case,child,team,worker,ladder,category,raised,stage,entered,due,responded,closed,status,outcome,overdue_working_days,working_days,referrals",
            "IRO-1,,Zoë's Pod,'-temp.agency,iro-dispute-resolution,,2026-12-18,head-of-service,2026-12-30,2027-01-07,,,awaiting-response,,2,13,",
        ]
    );
    let moves = ok(
        &report(&[
            "--format",
            "csv",
            "--table",
            "escalations",
            "--formula-guard",
            "off",
        ]),
        &input,
    );
    assert_eq!(
        lines(&moves),
        [
            "case,child,team,worker,ladder,category,raised,from_stage,to_stage,entered,due,responded,escalated,how,working_days",
            "IRO-1,,Zoë's Pod,-temp.agency,iro-dispute-resolution,,2026-12-18,team-manager,head-of-service,2026-12-18,2026-12-29,,2026-12-30,escalated,6",
        ]
    );
    for (extra, message) in [
        (
            &["--format", "text", "--bom"][..],
            "ladder: bom: expected it only with format csv or summary-csv, found 'true'",
        ),
        (
            &["--format", "summary-csv", "--table", "alerts"][..],
            "ladder: table: expected it only with format csv, found 'alerts'",
        ),
        (
            &["--format", "csv", "--table", "rows"][..],
            "ladder: table: expected all, alerts or escalations, found 'rows'",
        ),
        (
            &["--format", "csv", "--formula-guard", "maybe"][..],
            "ladder: formula_guard: expected on or off, found 'maybe'",
        ),
        (
            &["--format", "html", "--formula-guard", "off"][..],
            "ladder: formula_guard: expected it only with format csv or summary-csv, found 'off'",
        ),
    ] {
        assert_eq!(fails(&report(extra), &input, 1), message, "{extra:?}");
    }
    // The defaults are taken with any format (a generated client sends them).
    let plain = ok(&report(&["--format", "json"]), &input);
    let defaults = ok(
        &report(&[
            "--format",
            "json",
            "--formula-guard",
            "on",
            "--table",
            "all",
        ]),
        &input,
    );
    assert_eq!(defaults, plain);
}
