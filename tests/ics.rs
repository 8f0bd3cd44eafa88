//! iCalendar export, read back with a real RFC 5545 parser (`icalendar`):
//! events, all-day dates, UIDs, escaped text and folded lines round-trip; runs
//! are byte-identical; a moved deadline keeps its UID and bumps SEQUENCE.

use chrono::{NaiveDate, TimeZone, Utc};
use escalation_ladder::ics::{
    case_deadlines, deadlines_calendar, DeadlineCalendar, DeadlineKind, IcsError, IcsOptions,
};
use escalation_ladder::report::{read_cases, Case, CaseReader, Procedures, ReportError};
use icalendar::{Calendar, Component, DatePerhapsTime, Event, EventLike};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn procedures() -> Procedures {
    Procedures::builtin().unwrap()
}

fn cases(lines: &str, procedures: &Procedures) -> Vec<Case> {
    read_cases(lines.trim().as_bytes(), procedures).unwrap()
}

/// Christmas 2026 in England: Friday 25 December, and Monday 28 December for
/// Boxing Day (a Saturday); New Year's Day is Friday 1 January 2027.
///
/// - IRO-2026-0107: raised Friday 18 December at the team-manager stage. The
///   response (5 working days) is due Tuesday 29 December; the ceiling (20)
///   Wednesday 20 January 2027.
/// - IRO-2026-0093: raised Tuesday 1 December at the team-manager stage, no
///   response: due Tuesday 8 December, overdue as at the 24th by 12 working
///   days (9-11, 14-18, 21-24). Ceiling: Thursday 31 December. Its team, worker
///   and child carry TEXT specials, a newline and multi-byte characters.
/// - CP-2026-0412: a conference concern raised Christmas Eve: level 1's two
///   working days are Tuesday 29 and Wednesday 30 December. No ceiling.
/// - IRO-2026-0088: responded to, awaiting the IRO's decision: no response
///   date, only its ceiling.
/// - IRO-2026-0051: resolved: no events.
const CHRISTMAS: &str = r#"
{"case":"IRO-2026-0107","child":"C-20417","team":"North Locality","worker":"j.smith","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro.patel","type":"raise","stage":"team-manager","category":"drift-in-permanence-planning","reason":"no permanence plan"}]}
{"case":"IRO-2026-0093","child":"C-19876 (Zoë’s brother)","team":"South; Duty, Assessment \\ Intake","worker":"Zoë O’Brien\nlocum cover until 4 January, ask the duty manager before escalating","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-01","actor":"iro.khan","type":"raise","stage":"team-manager","reason":"no visits"}]}
{"case":"CP-2026-0412","team":"East","ladder":"cp-conference-concerns","events":[{"on":"2026-12-24","actor":"chair","type":"raise","reason":"plan not implemented"}]}
{"case":"IRO-2026-0088","team":"North Locality","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-14","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"},{"on":"2026-12-17","actor":"tm","type":"respond"}]}
{"case":"IRO-2026-0051","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-01","actor":"iro","type":"raise","reason":"drift"},{"on":"2026-12-02","actor":"iro","type":"resolve","outcome":"agreed"}]}
"#;

fn christmas_eve() -> NaiveDate {
    d(2026, 12, 24)
}

fn export(lines: &str, as_of: NaiveDate) -> String {
    let procedures = procedures();
    let cases = cases(lines, &procedures);
    deadlines_calendar(&cases, &procedures, as_of, IcsOptions::default()).unwrap()
}

fn parse(ics: &str) -> Calendar {
    ics.parse::<Calendar>()
        .unwrap_or_else(|e| panic!("the parser refused the export: {e}\n{ics}"))
}

fn events(calendar: &Calendar) -> Vec<&Event> {
    calendar.events().collect()
}

fn date_of(value: Option<DatePerhapsTime>) -> NaiveDate {
    match value {
        Some(DatePerhapsTime::Date(date)) => date,
        other => panic!("expected an all-day DATE, found {other:?}"),
    }
}

/// (UID, DTSTART, DTEND, SEQUENCE, SUMMARY) of every event.
fn outline(calendar: &Calendar) -> Vec<(String, NaiveDate, NaiveDate, u32, String)> {
    events(calendar)
        .into_iter()
        .map(|e| {
            (
                e.get_uid().unwrap().to_string(),
                date_of(e.get_start()),
                date_of(e.get_end()),
                e.get_sequence().unwrap(),
                e.get_summary().unwrap().to_string(),
            )
        })
        .collect()
}

fn row(
    uid: &str,
    start: NaiveDate,
    sequence: u32,
    summary: &str,
) -> (String, NaiveDate, NaiveDate, u32, String) {
    (
        format!("{uid}@escalation-ladder"),
        start,
        start.succ_opt().unwrap(),
        sequence,
        summary.to_string(),
    )
}

#[test]
fn the_parser_reads_every_deadline_with_its_date_uid_and_summary() {
    let ics = export(CHRISTMAS, christmas_eve());
    let calendar = parse(&ics);
    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    assert_eq!(calendar.property_value("METHOD"), Some("PUBLISH"));
    assert_eq!(calendar.property_value("CALSCALE"), Some("GREGORIAN"));
    assert_eq!(
        calendar.property_value("PRODID"),
        Some("-//escalation-ladder//Escalation deadlines//EN")
    );
    assert_eq!(calendar.get_name(), Some("Escalation deadlines"));
    assert_eq!(
        outline(&calendar),
        [
            row(
                "IRO-2026-0107/iro-dispute-resolution/response",
                d(2026, 12, 29),
                1,
                "Response due: IRO-2026-0107 team-manager (iro-dispute-resolution)"
            ),
            row(
                "IRO-2026-0107/iro-dispute-resolution/ceiling",
                d(2027, 1, 20),
                1,
                "Ceiling (20 working days): IRO-2026-0107 (iro-dispute-resolution)"
            ),
            row(
                "IRO-2026-0093/iro-dispute-resolution/response",
                d(2026, 12, 8),
                1,
                "OVERDUE: Response due: IRO-2026-0093 team-manager (iro-dispute-resolution)"
            ),
            row(
                "IRO-2026-0093/iro-dispute-resolution/ceiling",
                d(2026, 12, 31),
                1,
                "Ceiling (20 working days): IRO-2026-0093 (iro-dispute-resolution)"
            ),
            row(
                "CP-2026-0412/cp-conference-concerns/response",
                d(2026, 12, 30),
                1,
                "Response due: CP-2026-0412 level-1 (cp-conference-concerns)"
            ),
            row(
                "IRO-2026-0088/iro-dispute-resolution/ceiling",
                d(2027, 1, 14),
                2,
                "Ceiling (20 working days): IRO-2026-0088 (iro-dispute-resolution)"
            ),
        ]
    );
    for event in events(&calendar) {
        let stamp = event.get_timestamp().unwrap();
        assert_eq!(stamp, Utc.with_ymd_and_hms(2026, 12, 24, 0, 0, 0).unwrap());
        assert_eq!(event.property_value("TRANSP"), Some("TRANSPARENT"));
    }
    let categories: Vec<Vec<String>> = events(&calendar)
        .iter()
        .map(|e| e.get_categories().unwrap())
        .collect();
    assert_eq!(categories[0], ["iro-dispute-resolution"]);
    assert_eq!(categories[4], ["cp-conference-concerns"]);
}

/// A case awaiting the IRO's decision has no response date, only its ceiling,
/// and the raiser must act.
#[test]
fn the_ceiling_of_a_case_awaiting_a_decision_is_counted_by_hand() {
    let procedures = procedures();
    let cases = cases(CHRISTMAS, &procedures);
    let deadlines = case_deadlines(&cases[3], &procedures, christmas_eve()).unwrap();
    assert_eq!(deadlines.len(), 1);
    assert_eq!(deadlines[0].kind, DeadlineKind::Ceiling);
    // 15, 16, 17, 18, 21, 22, 23, 24, 29, 30, 31 December are 11 working days;
    // 4, 5, 6, 7, 8, 11, 12, 13, 14 January make 20 on Thursday 14 January.
    assert_eq!(deadlines[0].date, d(2027, 1, 14));
    assert_eq!(deadlines[0].who_must_act, ["iro"]);
}

/// The parser unfolds the lines and unescapes the TEXT: the description comes
/// back exactly, with its semicolons, commas, backslash, newline and
/// multi-byte characters, though the line was folded inside them.
#[test]
fn escaped_text_and_folded_lines_round_trip() {
    let ics = export(CHRISTMAS, christmas_eve());
    let calendar = parse(&ics);
    let overdue = events(&calendar)[2];
    assert_eq!(
        overdue.get_description(),
        Some(
            "Response due: Tuesday 8 December 2026\n\
             As at Thursday 24 December 2026: OVERDUE by 12 working days\n\
             Case: IRO-2026-0093\n\
             Child: C-19876 (Zoë’s brother)\n\
             Team: South; Duty, Assessment \\ Intake\n\
             Worker: Zoë O’Brien\n\
             locum cover until 4 January, ask the duty manager before escalating\n\
             Who must act: Team manager (team-manager)\n\
             Stage: Second stage: alert to the team manager (team-manager)\n\
             Ladder: IRO Dispute Resolution: IRO Alert (iro-dispute-resolution)"
        )
    );
    let ceiling = events(&calendar)[1];
    assert_eq!(
        ceiling.get_description().unwrap().lines().take(2).collect::<Vec<_>>(),
        [
            "Ceiling: Wednesday 20 January 2027, 20 working days from the raise on Friday 18 December 2026",
            "As at Thursday 24 December 2026: 16 working days left",
        ]
    );
    // On the wire: escaped, and folded.
    assert!(ics.contains(r"Team: South\; Duty\, Assessment \\ Intake\n"));
    assert!(ics.contains("\r\n "), "some line is folded");
}

/// RFC 5545, section 3.1: CRLF after every line, at most 75 octets a line,
/// folds starting with one space, and no fold inside a UTF-8 character.
#[test]
fn every_physical_line_is_crlf_terminated_at_most_75_octets_and_valid_utf8() {
    let ics = export(CHRISTMAS, christmas_eve());
    let bytes = ics.as_bytes();
    assert!(bytes.ends_with(b"\r\n"));
    let mut folded = 0;
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r\n").expect("every line ends in CRLF");
        assert!(!line.contains(&b'\r'), "a bare CR");
        assert!(
            line.len() <= 75,
            "{} octets: {}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(std::str::from_utf8(line).is_ok(), "a split character");
        if line.starts_with(b" ") {
            folded += 1;
        }
    }
    assert!(folded > 10);
}

#[test]
fn two_runs_give_identical_bytes() {
    let first = export(CHRISTMAS, christmas_eve());
    let second = export(CHRISTMAS, christmas_eve());
    assert_eq!(first.as_bytes(), second.as_bytes());
    // And the same with the calendar written through `write_to`.
    let procedures = procedures();
    let mut calendar = DeadlineCalendar::new(christmas_eve(), IcsOptions::default()).unwrap();
    for case in cases(CHRISTMAS, &procedures) {
        calendar.add_case(&case, &procedures).unwrap();
    }
    let mut written = Vec::new();
    calendar.write_to(&mut written).unwrap();
    assert_eq!(written, first.as_bytes());
}

/// IRO-2026-0107's team manager is given until Thursday 7 January 2027 (agreed
/// on 23 December); then the alert is escalated on Friday 8 January, and the
/// head of service has 5 working days: Friday 15 January. The response event
/// keeps its UID through both, and its SEQUENCE grows with each change.
#[test]
fn a_moved_deadline_keeps_its_uid_and_bumps_its_sequence() {
    let raise = r#"{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#;
    let extend = r#"{"on":"2026-12-23","actor":"iro","type":"extend","until":"2027-01-07","reason":"agreed with the team manager"}"#;
    let escalate = r#"{"on":"2027-01-08","actor":"iro","type":"escalate","reason":"no response"}"#;
    let case = |events: &[&str]| {
        format!(
            r#"{{"case":"IRO-2026-0107","ladder":"iro-dispute-resolution","events":[{}]}}"#,
            events.join(",")
        )
    };
    let response = |lines: &str, as_of| {
        let calendar = parse(&export(lines, as_of));
        let first = events(&calendar)[0].clone();
        (
            first.get_uid().unwrap().to_string(),
            date_of(first.get_start()),
            first.get_sequence().unwrap(),
            first.get_timestamp().unwrap().date_naive(),
        )
    };
    let uid = "IRO-2026-0107/iro-dispute-resolution/response@escalation-ladder".to_string();
    assert_eq!(
        response(&case(&[raise]), d(2026, 12, 21)),
        (uid.clone(), d(2026, 12, 29), 1, d(2026, 12, 21))
    );
    assert_eq!(
        response(&case(&[raise, extend]), d(2026, 12, 23)),
        (uid.clone(), d(2027, 1, 7), 2, d(2026, 12, 23))
    );
    let (escalated_uid, due, sequence, _) =
        response(&case(&[raise, extend, escalate]), d(2027, 1, 8));
    assert_eq!((escalated_uid, due, sequence), (uid, d(2027, 1, 15), 3));
    // The summary follows the stage.
    let calendar = parse(&export(&case(&[raise, extend, escalate]), d(2027, 1, 8)));
    assert_eq!(
        events(&calendar)[0].get_summary(),
        Some("Response due: IRO-2026-0107 head-of-service (iro-dispute-resolution)")
    );
}

/// Nothing changed but the day: the same SEQUENCE, and a later DTSTAMP, so a
/// client orders the two versions by DTSTAMP and keeps the later one.
#[test]
fn a_later_as_of_date_gives_a_later_dtstamp() {
    let earlier = parse(&export(CHRISTMAS, d(2026, 12, 24)));
    let later = parse(&export(CHRISTMAS, d(2026, 12, 29)));
    let (a, b) = (events(&earlier)[0], events(&later)[0]);
    assert_eq!(a.get_uid(), b.get_uid());
    assert_eq!(a.get_sequence(), b.get_sequence());
    assert!(b.get_timestamp() > a.get_timestamp());
    // As at the 29th, the response is due today.
    assert!(b
        .get_description()
        .unwrap()
        .contains("As at Tuesday 29 December 2026: due today\n"));
}

/// Due Friday 11 December 2026 (5 working days from Friday 4th): as at
/// Saturday 12th the response is overdue, though no working day has passed.
#[test]
fn overdue_on_the_weekend_after_the_due_date() {
    let lines = r#"{"case":"IRO-2026-0077","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-04","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
    let procedures = procedures();
    let cases = cases(lines, &procedures);
    let deadlines = case_deadlines(&cases[0], &procedures, d(2026, 12, 12)).unwrap();
    assert_eq!(deadlines[0].date, d(2026, 12, 11));
    assert_eq!(
        (deadlines[0].overdue, deadlines[0].working_days_left),
        (true, 0)
    );
    let calendar = parse(&export(lines, d(2026, 12, 12)));
    let response = events(&calendar)[0];
    assert!(response.get_summary().unwrap().starts_with("OVERDUE: "));
    assert!(response.get_description().unwrap().contains(
        "As at Saturday 12 December 2026: OVERDUE (no working day since the due date)\n"
    ));
    // On Monday 14th, one working day has passed.
    let calendar = parse(&export(lines, d(2026, 12, 14)));
    assert!(events(&calendar)[0]
        .get_description()
        .unwrap()
        .contains("As at Monday 14 December 2026: OVERDUE by 1 working day\n"));
}

#[test]
fn uid_domain_and_calendar_name_are_the_callers() {
    let procedures = procedures();
    let cases = cases(CHRISTMAS, &procedures);
    let mut options = IcsOptions::default();
    options.uid_domain = "ics.anytown.gov.uk".to_string();
    options.calendar_name = "Anytown QA, escalations; North".to_string();
    let ics = deadlines_calendar(&cases, &procedures, christmas_eve(), options).unwrap();
    let calendar = parse(&ics);
    assert_eq!(calendar.get_name(), Some("Anytown QA, escalations; North"));
    assert_eq!(
        events(&calendar)[0].get_uid(),
        Some("IRO-2026-0107/iro-dispute-resolution/response@ics.anytown.gov.uk")
    );
}

/// Case ids are percent-encoded in UIDs: different ids never share a UID,
/// and a UID holds nothing that needs escaping.
#[test]
fn odd_case_ids_make_distinct_plain_uids() {
    let lines = r#"
{"case":"A/B","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"x"}]}
{"case":"A%2FB","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"x"}]}
{"case":"Case 7, Zoë; \\ no","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"x"}]}
"#;
    let calendar = parse(&export(lines, christmas_eve()));
    let uids: Vec<&str> = events(&calendar)
        .iter()
        .filter(|e| e.get_uid().unwrap().contains("/response@"))
        .map(|e| e.get_uid().unwrap())
        .collect();
    assert_eq!(
        uids,
        [
            "A%2FB/iro-dispute-resolution/response@escalation-ladder",
            "A%252FB/iro-dispute-resolution/response@escalation-ladder",
            "Case%207%2C%20Zo%C3%AB%3B%20%5C%20no/iro-dispute-resolution/response@escalation-ladder",
        ]
    );
    assert_eq!(
        events(&calendar)[4].get_summary(),
        Some("Response due: Case 7, Zoë; \\ no team-manager (iro-dispute-resolution)")
    );
}

#[test]
fn no_open_alert_is_an_empty_calendar_the_parser_accepts() {
    let lines = r#"{"case":"IRO-2026-0051","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-01","actor":"iro","type":"raise","reason":"drift"},{"on":"2026-12-02","actor":"iro","type":"withdraw","reason":"resolved informally"}]}"#;
    let calendar = parse(&export(lines, christmas_eve()));
    assert_eq!(events(&calendar).len(), 0);
    assert_eq!(calendar.get_name(), Some("Escalation deadlines"));
}

#[test]
fn a_small_calendar() {
    let lines = r#"
{"case":"IRO-2026-0107","child":"C-20417","team":"North Locality","worker":"j.smith","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro.patel","type":"raise","stage":"team-manager","reason":"no permanence plan"}]}
{"case":"CP-2026-0412","team":"East; Duty","ladder":"cp-conference-concerns","events":[{"on":"2026-12-21","actor":"chair","type":"raise","reason":"plan not implemented"}]}
"#;
    insta::assert_snapshot!(export(lines, christmas_eve()).replace("\r\n", "⏎\n"));
}

/// Errors name the case and the value refused; a refused case adds nothing.
#[test]
fn errors_name_the_case_and_the_reason() {
    let procedures = procedures();
    let all = cases(CHRISTMAS, &procedures);
    let mut messages = Vec::new();

    // A ladder the procedures lack.
    let empty = Procedures::new();
    let mut calendar = DeadlineCalendar::new(christmas_eve(), IcsOptions::default()).unwrap();
    let err = calendar.add_case(&all[0], &empty).unwrap_err();
    assert!(matches!(
        err,
        IcsError::Case(ReportError::UnknownLadder { .. })
    ));
    assert_eq!(calendar.event_count(), 0);
    assert_eq!(
        calendar
            .clone()
            .into_string()
            .matches("BEGIN:VEVENT")
            .count(),
        0
    );
    messages.push(err.to_string());

    // Events after the as-of date.
    let err = case_deadlines(&all[0], &procedures, d(2026, 12, 17)).unwrap_err();
    assert!(matches!(
        err,
        IcsError::Case(ReportError::EventsAfterAsOf { .. })
    ));
    messages.push(err.to_string());
    // A closed alert is checked the same way, as the report checks it: IRO-2026-0051
    // was resolved in December, after 30 November.
    let closed = all.iter().find(|c| &*c.id == "IRO-2026-0051").unwrap();
    assert!(!closed.is_open());
    assert!(matches!(
        case_deadlines(closed, &procedures, d(2026, 11, 30)),
        Err(IcsError::Case(ReportError::EventsAfterAsOf { .. }))
    ));
    // Read up to the as-of date instead, the alert is not raised yet.
    let until = CaseReader::new(CHRISTMAS.trim().as_bytes(), &procedures)
        .events_until(d(2026, 12, 17))
        .read_all()
        .unwrap();
    assert!(case_deadlines(&until[0], &procedures, d(2026, 12, 17))
        .unwrap()
        .is_empty());

    // As-of dates outside the calendars, and bad UID domains.
    for as_of in [d(1977, 12, 30), d(2200, 1, 1)] {
        let err = DeadlineCalendar::new(as_of, IcsOptions::default()).unwrap_err();
        assert!(matches!(err, IcsError::AsOf(_)));
        messages.push(err.to_string());
    }
    for domain in ["", "anytown.gov.uk/ics", "ics@anytown"] {
        let mut options = IcsOptions::default();
        options.uid_domain = domain.to_string();
        messages.push(
            DeadlineCalendar::new(christmas_eve(), options)
                .unwrap_err()
                .to_string(),
        );
    }
    insta::assert_snapshot!(messages.join("\n"));
}

/// Duties beside the ladder are deadlines too. Nottingham, Christmas Day 2026
/// (a Friday): a concern is logged and the emergency suspension of the provider
/// started the same day; it is due that calendar day (immediately), so as at
/// Christmas Eve it is not yet there, and as at Tuesday 29 December it is
/// overdue. A Birmingham notification resolved on Thursday 24 December owes its
/// feedback after resolution, with no date: no event.
#[test]
fn an_open_duty_is_an_event_of_its_own_with_a_duty_uid() {
    let lines = r#"
{"case":"NPC-2026-0801","team":"Placements","ladder":"nottingham-provider-concerns","events":[{"on":"2026-12-25","actor":"co","type":"raise","reason":"allegation"},{"on":"2026-12-25","actor":"psm","type":"start-duty","duty":"emergency-suspension"}]}
{"case":"BCT-2026-0801","ladder":"birmingham-cp-notification","events":[{"on":"2026-12-21","actor":"chair","type":"raise","reason":"plan"},{"on":"2026-12-24","actor":"chair","type":"resolve","outcome":"agreed"}]}
"#;
    let calendar = parse(&export(lines, d(2026, 12, 29)));
    let duties: Vec<_> = outline(&calendar)
        .into_iter()
        .filter(|(uid, ..)| uid.contains("/duty/"))
        .collect();
    assert_eq!(
        duties,
        [row(
            "NPC-2026-0801/nottingham-provider-concerns/duty/emergency-suspension",
            d(2026, 12, 25),
            2,
            "OVERDUE: Duty due: NPC-2026-0801 emergency-suspension (nottingham-provider-concerns)",
        )]
    );
    let description = events(&calendar)
        .into_iter()
        .find(|e| e.get_uid().is_some_and(|u| u.contains("/duty/")))
        .and_then(|e| e.get_description().map(str::to_string))
        .unwrap();
    assert!(
        description.starts_with("Duty due: Friday 25 December 2026"),
        "{description}"
    );
    assert!(
        description
            .contains("As at Tuesday 29 December 2026: OVERDUE by 1 working day (4 calendar days)"),
        "{description}"
    );
    assert!(
        description.contains("Who must act: Placements Service Manager"),
        "{description}"
    );
}

/// A calendar larger than one of its 1 MiB chunks of text (5,000 open alerts,
/// each with a response date) writes the same bytes as one string, and every
/// event parses back: the chunks join at event boundaries.
#[test]
fn a_calendar_of_many_chunks_is_written_whole() {
    let procedures = procedures();
    let lines: String = (0..5_000)
        .map(|n| {
            format!(
                r#"{{"case":"IRO-{n}","ladder":"iro-dispute-resolution","events":[{{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}}]}}
"#
            )
        })
        .collect();
    let as_of = christmas_eve();
    let mut calendar = DeadlineCalendar::new(as_of, IcsOptions::default()).unwrap();
    for case in cases(&lines, &procedures) {
        calendar.add_case(&case, &procedures).unwrap();
    }
    let mut written = Vec::new();
    calendar.write_to(&mut written).unwrap();
    assert!(written.len() > 2 << 20, "{} bytes", written.len());
    let count = calendar.event_count();
    let text = calendar.into_string();
    assert_eq!(text.as_bytes(), written);
    let parsed = parse(&text);
    assert_eq!(events(&parsed).len(), count);
    // Raised Friday 18 December 2026: 5 working days skip Christmas and the
    // Boxing Day substitute (Monday 28th), so each response is due Tuesday 29th.
    let due_29th = events(&parsed)
        .iter()
        .filter(|e| date_of(e.get_start()) == d(2026, 12, 29))
        .count();
    assert_eq!(due_29th, 5_000);
}
