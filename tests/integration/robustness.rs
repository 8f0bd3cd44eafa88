//! Nothing lost silently, and bounded work per input (issue 9): each test
//! here failed on the code before the fix it names.

use chrono::NaiveDate;
use escalation_ladder::calendar::{parse_govuk_json, parse_holiday_list};
use escalation_ladder::engine::{apply, AlertState, Effect, Event, Phase};
use escalation_ladder::input::limits::{
    MAX_EVENTS_PER_CASE, MAX_LADDER_FILE_BYTES, MAX_LINE_BYTES, MAX_STAGES,
};
use escalation_ladder::ladder::{builtin, Ladder, LadderError, Procedure};
use escalation_ladder::report::{Case, CaseReader, CaseRecord, Procedures};
use escalation_ladder::{Region, WorkingCalendar};

use crate::calendar::d;

/// Reads a cases file as the report does, up to `as_of`: the cases, or the
/// first error as its message.
fn read_as_of(input: &str, as_of: NaiveDate) -> Result<Vec<Case>, String> {
    let procedures = Procedures::builtin().unwrap();
    CaseReader::new(input.as_bytes(), &procedures)
        .events_until(as_of)
        .read_all()
        .map_err(|e| e.to_string())
}

/// A record on the IRO ladder: raised with the team manager on Monday
/// 2 November 2026, then `later` (JSON events, comma-separated).
fn iro_record(case: &str, later: &str) -> String {
    let raise = r#"{"on":"2026-11-02","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#;
    let events = if later.is_empty() {
        raise.to_string()
    } else {
        format!("{raise},{later}")
    };
    format!(r#"{{"case":"{case}","ladder":"iro-dispute-resolution","events":[{events}]}}"#)
}

// ---- 1. Silent loss ---------------------------------------------------------

/// Before: reading stopped at the first event after the as-of date, so a bad
/// event after it (here each of four kinds) was never seen and the record
/// counted. Now every event is replayed and a bad one stops the read.
#[test]
fn events_after_the_as_of_date_are_checked_before_the_record_counts() {
    let as_of = d(2026, 11, 6);
    let bad = [
        (
            r#"{"on":"2026-11-20","actor":"iro","type":"escalate","to":"nowhere","reason":"x"}"#,
            "event 2 of 2: event 'escalate' on 2026-11-20 refused",
        ),
        (
            r#"{"on":"9999-11-20","actor":"iro","type":"respond"}"#,
            "event 2 of 2: event 'respond': \"on\": date 9999-11-20 is outside the supported range",
        ),
        (
            r#"{"on":"2026-11-20","actor":"tm","type":"respond"},{"on":"2026-11-04","actor":"tm","type":"respond"}"#,
            "event 3 of 3: event 'respond' on 2026-11-04 refused in state awaiting-decision at stage 'team-manager' of ladder 'iro-dispute-resolution': it is dated before the previous event (2026-11-20)",
        ),
        (
            r#"{"on":"2026-11-20","actor":"iro","type":"reopen","reason":"x"}"#,
            "event 2 of 2: event 'reopen' on 2026-11-20 refused",
        ),
    ];
    for (later, expected) in bad {
        let err = read_as_of(&iro_record("IRO-1", later), as_of).unwrap_err();
        assert!(
            err.starts_with(&format!("line 1: case 'IRO-1': {expected}")),
            "{later}: {err}"
        );
    }
}

/// Before: a record whose raise was mistyped into the far future vanished (read
/// as "not raised"); now its date is checked against the calendar's range.
#[test]
fn a_case_raised_in_year_9999_does_not_vanish() {
    let line = r#"{"case":"FUTURE","ladder":"iro-dispute-resolution","events":[{"on":"9999-01-04","actor":"iro","type":"raise","reason":"typo"}]}"#;
    let err = read_as_of(line, d(2026, 11, 30)).unwrap_err();
    assert_eq!(
        err,
        "line 1: case 'FUTURE': event 1 of 1: event 'raise': \"on\": date 9999-01-04 is outside the supported range 1978-01-01..=2199-12-31"
    );
}

/// Valid events after the as-of date are checked but not replayed: the case is
/// as it stood at the end of that day.
#[test]
fn valid_later_events_are_left_unreplayed() {
    // Due Monday 9 November (5 working days from Monday 2nd); the response on
    // the 5th is replayed, the resolution on the 10th is not.
    let later = r#"{"on":"2026-11-05","actor":"tm","type":"respond"},{"on":"2026-11-10","actor":"iro","type":"resolve","outcome":"plan agreed"}"#;
    let cases = read_as_of(&iro_record("IRO-2", later), d(2026, 11, 6)).unwrap();
    assert_eq!(cases[0].state.phase, Phase::AwaitingDecision);
    assert_eq!(cases[0].state.respond_by, Some(d(2026, 11, 9)));
    assert_eq!(cases[0].visits.len(), 1);
    assert_eq!(cases[0].visits[0].responded_on, Some(d(2026, 11, 5)));
    assert_eq!(cases[0].visits[0].left_on, None);
    // Read to the end, the same record is resolved.
    let cases = read_as_of(&iro_record("IRO-2", later), d(2026, 11, 30)).unwrap();
    assert_eq!(cases[0].state.phase, Phase::Resolved);
}

/// Before: a GOV.UK feed with "england-and-wales" twice kept only the second
/// division, dropping the first's holidays.
#[test]
fn a_division_given_twice_in_the_holiday_feed_is_refused() {
    let feed = r#"{
      "england-and-wales": {"division": "england-and-wales", "events": [
        {"title": "Christmas Day", "date": "2026-12-25", "notes": ""}]},
      "england-and-wales": {"division": "england-and-wales", "events": [
        {"title": "Boxing Day", "date": "2026-12-28", "notes": "Substitute day"}]}
    }"#;
    let err = parse_govuk_json(feed, Region::EnglandAndWales, "bank-holidays.json").unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"bank-holidays.json:4: expected GOV.UK's bank-holidays JSON: key "england-and-wales" given twice at line 4 column 25"#
    );
}

/// Before: `deem-agreed` dropped `outcome` and `until`, which every other kind
/// refuses. Now one rule holds for every event kind, in a cases file too.
#[test]
fn deem_agreed_refuses_fields_it_does_not_take() {
    for field in [r#""outcome":"agreed""#, r#""until":"2026-12-01""#] {
        let line = format!(
            r#"{{"case":"L-1","ladder":"lac-review-decisions","events":[{{"on":"2026-11-02","actor":"iro","type":"deem-agreed",{field}}}]}}"#
        );
        let err = read_as_of(&line, d(2026, 11, 30)).unwrap_err();
        assert!(
            err.contains(
                "for a \"deem-agreed\" event, expected one of \"on\", \"actor\", \"type\""
            ),
            "{err}"
        );
    }
}

/// Before: JSON dates went through chrono's lenient parser, which takes
/// `2026-1-5` and `+002026-01-05`. Now they are as strict as on the command
/// line, in events, states and the holiday feed, and the error names the field.
#[test]
fn dates_in_json_are_as_strict_as_on_the_command_line() {
    for date in [
        " 2026-01-05",
        "2026-1-5",
        "+002026-01-05",
        "2026-01-05T00:00:00",
    ] {
        let event = format!(r#"{{"on":"{date}","actor":"iro","type":"raise","reason":"x"}}"#);
        let err = serde_json::from_str::<Event>(&event)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!(
                r#""on": expected a date YYYY-MM-DD, found "{date}""#
            )),
            "{err}"
        );
        let mut state = serde_json::to_value(AlertState::new("iro-dispute-resolution")).unwrap();
        state["raised_on"] = serde_json::Value::String(date.to_string());
        let err = serde_json::from_value::<AlertState>(state)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(r#""raised_on": expected a date"#), "{err}");
        let feed =
            format!(r#"{{"england-and-wales":{{"events":[{{"title":"X","date":"{date}"}}]}}}}"#);
        let err = parse_govuk_json(&feed, Region::EnglandAndWales, "feed.json").unwrap_err();
        assert!(
            err.to_string()
                .contains(r#""date": expected a date YYYY-MM-DD"#),
            "{err}"
        );
        let list = format!("{} Christmas shutdown\n", date.trim());
        if date.trim() != "2026-01-05" {
            assert!(parse_holiday_list(&list, "extra.txt").is_err(), "{list}");
        }
    }
}

// ---- 2. Bounded cost per input ----------------------------------------------

/// Before: each `refer` added to the state's list, and apply copies the state,
/// so n referrals cost n² (100,000 took 79 s). Now a body is listed once; each
/// referral is still in the audit trail.
#[test]
fn a_repeated_referral_is_listed_once_and_every_one_is_audited() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let raise: Event = serde_json::from_str(
        r#"{"on":"2026-11-02","actor":"iro","type":"raise","reason":"drift"}"#,
    )
    .unwrap();
    let refer: Event = serde_json::from_str(
        r#"{"on":"2026-11-03","actor":"iro","type":"refer","referral":"cafcass"}"#,
    )
    .unwrap();
    let mut state = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)
        .unwrap()
        .state;
    for _ in 0..MAX_EVENTS_PER_CASE {
        let t = apply(&ladder, &calendar, &state, &refer).unwrap();
        assert!(t
            .effects()
            .any(|e| matches!(e, Effect::Referred { referral } if referral == "cafcass")));
        state = t.state;
    }
    assert_eq!(state.referrals.len(), 1);
    assert_eq!(state.events_applied, 1 + MAX_EVENTS_PER_CASE as u32);
}

#[test]
fn a_record_with_too_many_events_is_refused_naming_the_limit() {
    let refer = r#"{"on":"2026-11-03","actor":"iro","type":"refer","referral":"cafcass"}"#;
    let later = vec![refer; MAX_EVENTS_PER_CASE].join(",");
    let err = read_as_of(&iro_record("MANY", &later), d(2026, 11, 30)).unwrap_err();
    assert_eq!(
        err,
        "line 1: case 'MANY': expected at most 10000 events in one case, found 10001"
    );
}

/// A line over the limit is refused without being held in memory, and reading
/// goes on with the next line.
#[test]
fn a_line_over_the_limit_is_refused_and_the_next_is_read() {
    let padding = " ".repeat(MAX_LINE_BYTES);
    let input = format!(
        "{}{padding}\n{}\n",
        iro_record("LONG", ""),
        iro_record("NEXT", "")
    );
    let procedures = Procedures::builtin().unwrap();
    let mut reader = CaseReader::new(input.as_bytes(), &procedures);
    let first = reader.next().unwrap().unwrap_err().to_string();
    assert_eq!(
        first,
        "line 1: expected a line of at most 1048576 bytes, found a longer one"
    );
    let next = reader.next().unwrap().unwrap();
    assert_eq!(&*next.id, "NEXT");
    assert!(reader.next().is_none());
}

#[test]
fn names_over_the_limit_are_refused() {
    let team = "t".repeat(257);
    let line = format!(
        r#"{{"case":"T-1","team":"{team}","ladder":"iro-dispute-resolution","events":[{{"on":"2026-11-02","actor":"iro","type":"raise","reason":"x"}}]}}"#
    );
    let err = read_as_of(&line, d(2026, 11, 30)).unwrap_err();
    assert_eq!(
        err,
        "line 1: case 'T-1': \"team\": 257 bytes, over the limit of 256"
    );
    let record: CaseRecord = serde_json::from_str(&line).unwrap();
    assert!(Case::from_record(&record, &Procedures::builtin().unwrap()).is_err());
}

#[test]
fn a_ladder_file_over_the_size_limit_is_refused_unread() {
    let text = format!(
        "{}\n#{}\n",
        builtin::source("iro-dispute-resolution").unwrap(),
        "x".repeat(MAX_LADDER_FILE_BYTES)
    );
    let err = Procedure::from_toml_str(&text, "big.toml").unwrap_err();
    assert!(matches!(err, LadderError::TooLarge { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "big.toml: expected a ladder file of at most 1048576 bytes, found {} bytes",
            text.len()
        )
    );
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("big-ladder.toml");
    std::fs::write(&path, &text).unwrap();
    let err = Procedure::from_path(&path).unwrap_err();
    assert!(matches!(err, LadderError::TooLarge { bytes, .. } if bytes == text.len() as u64));
}

#[test]
fn a_ladder_with_more_stages_than_the_limit_is_refused() {
    let source = builtin::source("iro-dispute-resolution").unwrap();
    let start = source.find("[[stages]]\nid = \"team-manager\"").unwrap();
    let end = start + source[start + 1..].find("[[stages]]").unwrap() + 1;
    let stage = &source[start..end];
    let text = format!("{source}\n{}", stage.repeat(MAX_STAGES));
    let err = Ladder::from_toml_str(&text, "many.toml").unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("field 'stages': expected at most 100 [[stages]] tables, found 105"),
        "{message}"
    );
}

/// A later event that is itself the action time would take (a deemed
/// agreement recorded by the case system) is checked as a whole replay
/// would check it, not refused because time acted by the as-of date.
#[test]
fn a_later_event_that_is_times_own_action_is_accepted() {
    // Review decisions sent Friday 18 December 2026: deemed agreed by time on
    // Wednesday 30th. The case system records the deemed agreement itself on
    // Monday 4 January 2027, after the as-of date (31 December).
    let line = r#"{"case":"L-2","ladder":"lac-review-decisions","events":[{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review"},{"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"},{"on":"2027-01-04","actor":"iro","type":"deem-agreed"}]}"#;
    let cases = read_as_of(line, d(2026, 12, 31)).unwrap();
    assert_eq!(cases[0].state.phase, Phase::DeemedAgreed);
    assert_eq!(cases[0].closed().map(|(_, on)| on), Some(d(2026, 12, 30)));
}
