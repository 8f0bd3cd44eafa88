//! Output nobody can forge (issue 9 §3), the library's side: errors display
//! values from input escaped and on one line, and readers skip a UTF-8
//! byte-order mark. The `ladder` tool's side is in `tests/cli.rs`.

use chrono::NaiveDate;
use escalation_ladder::calendar::{parse_govuk_json, parse_holiday_list};
use escalation_ladder::engine::{apply, AlertState, Event, EventKind};
use escalation_ladder::escape::needs_escaping;
use escalation_ladder::ics::{DeadlineCalendar, IcsOptions};
use escalation_ladder::ladder::{builtin, Procedure};
use escalation_ladder::report::{read_cases, CaseReader, Period, Procedures};
use escalation_ladder::{Region, WorkingCalendar};

/// The message is one line with nothing a terminal would act on.
fn clean(message: String) -> String {
    assert!(!message.contains(needs_escaping), "{message:?}");
    message
}

#[test]
fn errors_display_values_from_input_escaped() {
    let procedures = Procedures::builtin().unwrap();

    let input = "{\"case\":\"X-1\\nline 2: case 'Y': fine\",\"ladder\":\"nowhere\\u001b[2J\",\"events\":[]}\n";
    let err = read_cases(input.as_bytes(), &procedures).unwrap_err();
    assert_eq!(err.case.as_deref(), Some("X-1\nline 2: case 'Y': fine"));
    let message = clean(err.to_string());
    assert!(
        message.starts_with(r"line 1: case 'X-1\nline 2: case 'Y': fine': expected a ladder id ("),
        "{message}"
    );
    assert!(message.ends_with(r"found 'nowhere\u{1b}[2J'"), "{message}");

    let err = "north\nern-ireland".parse::<Region>().unwrap_err();
    assert!(clean(err.to_string()).starts_with(r"unknown region 'north\nern-ireland'"));

    let err = "month\u{1b}[2J".parse::<Period>().unwrap_err();
    assert!(clean(err.to_string()).ends_with(r"found 'month\u{1b}[2J'"));

    let err =
        parse_holiday_list("2027-06-07 ok\n\u{1b}[2J2027-06-08 no\n", "extra\n.txt").unwrap_err();
    assert_eq!(
        clean(err.to_string()),
        r"extra\n.txt:2: expected a date YYYY-MM-DD, found '\u{1b}[2J2027-06-08'"
    );

    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let raise = Event {
        on: NaiveDate::from_ymd_opt(2026, 12, 14).unwrap(),
        actor: "iro".into(),
        id: None,
        meta: None,
        kind: EventKind::Raise {
            stage: Some("team\u{2028}manager".into()),
            category: None,
            reason: "drift".into(),
        },
    };
    let err = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise).unwrap_err();
    assert!(
        clean(err.to_string())
            .ends_with(r"expected a stage of this ladder, found 'team\u{2028}manager'"),
        "{err}"
    );

    let mut options = IcsOptions::default();
    options.uid_domain = "x\n.test".into();
    let err = DeadlineCalendar::new(NaiveDate::from_ymd_opt(2026, 12, 14).unwrap(), options)
        .err()
        .unwrap();
    assert!(clean(err.to_string()).ends_with(r"found 'x\n.test'"));

    // A ladder file's values, and its name.
    let text = std::fs::read_to_string("ladders/iro-dispute-resolution.toml").unwrap();
    let text = text.replacen("title = \"", "title = \"\\u001b[2J", 1);
    let text = text.replacen(
        "id = \"iro-dispute-resolution\"",
        "id = \"iro\\ndispute\"",
        1,
    );
    let file = "council\u{202e}.toml";
    let procedure = Procedure::from_toml_str(&text, file).unwrap();
    assert_eq!(procedure.id(), "iro\ndispute");
    let broken = text.replacen("to = \"", "to = \"\\u001b]0;x\\u0007", 1);
    let err = Procedure::from_toml_str(&broken, file).unwrap_err();
    let message = clean(err.to_string());
    assert!(message.starts_with(r"council\u{202e}.toml:"), "{message}");
    assert!(message.contains(r"found '\u{1b}]0;x\u{7}"), "{message}");
}

/// `toml`'s message for a syntax error takes two lines; the error is one.
#[test]
fn a_toml_syntax_error_is_one_line() {
    let err = Procedure::from_toml_str("kind = \"ladder\"\nid = [\n", "x.toml").unwrap_err();
    assert_eq!(
        clean(err.to_string()),
        "x.toml:3:1: invalid array, expected `]`"
    );
}

#[test]
fn case_reader_skips_a_byte_order_mark() {
    let procedures = Procedures::builtin().unwrap();
    let cases = std::fs::read_to_string("examples/data/cases.jsonl").unwrap();
    let plain = CaseReader::new(cases.as_bytes(), &procedures)
        .read_all()
        .unwrap();
    let marked = format!("\u{feff}{cases}");
    let marked = CaseReader::new(marked.as_bytes(), &procedures)
        .read_all()
        .unwrap();
    assert_eq!(marked.len(), plain.len());
    assert_eq!(marked[0].id, plain[0].id);
    // Only at the start of the input: elsewhere it is a record's first character.
    let inside = format!(
        "{}\n\u{feff}{}",
        cases.lines().next().unwrap(),
        cases.lines().nth(1).unwrap()
    );
    let err = read_cases(inside.as_bytes(), &procedures).unwrap_err();
    assert_eq!(err.line, 2);
    assert!(
        clean(err.to_string()).contains(r"found '\u{feff}{"),
        "{err}"
    );
}

#[test]
fn holiday_parsers_skip_a_byte_order_mark() {
    let list = parse_holiday_list("\u{feff}2027-06-07\tA new bank holiday\n", "extra.tsv").unwrap();
    assert_eq!(list[0].date, NaiveDate::from_ymd_opt(2027, 6, 7).unwrap());
    assert_eq!(list[0].name, "A new bank holiday");
    let feed = "\u{feff}{\"scotland\":{\"division\":\"scotland\",\"events\":[{\"title\":\"St Andrew's Day\",\"date\":\"2026-11-30\",\"notes\":\"\"}]}}";
    let holidays = parse_govuk_json(feed, Region::Scotland, "bank-holidays.json").unwrap();
    assert_eq!(holidays[0].name, "St Andrew's Day");
}
