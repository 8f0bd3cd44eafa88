//! What Rust callers can hold to (issue 10, §5): owned statuses, named
//! errors, the common loading paths.

use escalation_ladder::chrono::NaiveDate;
use escalation_ladder::engine::{replay, status, EngineError, Event, Status};
use escalation_ladder::ladder::{builtin, Ladder, LadderError};
use escalation_ladder::{Region, WorkingCalendar};

use crate::calendar::d;

fn raise_on(date: &str) -> Event {
    serde_json::from_str(&format!(
        r#"{{"on":"{date}","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}}"#
    ))
    .unwrap()
}

/// A function that loads its own ladder and returns a status compiles: the
/// status no longer borrows from the ladder.
fn load_and_status(
    events: &[Event],
    as_of: NaiveDate,
) -> Result<Status<'static>, Box<EngineError>> {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let (state, _) = replay(&ladder, &calendar, events)?;
    Ok(status(&ladder, &calendar, &state, as_of)?.into_owned())
}

#[test]
fn an_owned_status_outlives_its_ladder() {
    // Raised on Friday 28 August 2026; the 5 working days skip the summer
    // bank holiday (Monday 31st): due Monday 7 September, 4 working days
    // after Tuesday 1st.
    let status = load_and_status(&[raise_on("2026-08-28")], d(2026, 9, 1)).unwrap();
    assert_eq!(status.next_deadline, Some(d(2026, 9, 7)));
    assert_eq!(status.working_days_left, Some(4));
    assert_eq!(status.stage.as_deref(), Some("team-manager"));
    assert_eq!(&status.who_must_act[..], ["team-manager"]);
}

/// Before: `open_working_days: -9` for a date before the raise.
#[test]
fn a_status_before_the_raise_is_an_error() {
    let err = load_and_status(&[raise_on("2026-12-21")], d(2026, 12, 8)).unwrap_err();
    assert_eq!(
        *err,
        EngineError::AsOfBeforeRaise {
            as_of: d(2026, 12, 8),
            raised_on: d(2026, 12, 21)
        }
    );
    assert_eq!(
        err.to_string(),
        "as-of date 2026-12-08 is before the alert was raised (2026-12-21)"
    );
    // On the day of the raise it is day 0.
    let status = load_and_status(&[raise_on("2026-12-21")], d(2026, 12, 21)).unwrap();
    assert_eq!(status.open_working_days, Some(0));
}

#[test]
fn an_event_outside_the_calendar_names_the_event_and_its_field() {
    let err = load_and_status(&[raise_on("2200-01-06")], d(2026, 12, 8)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "event 'raise': \"on\": date 2200-01-06 is outside the supported range 1978-01-01..=2199-12-31"
    );
}

#[test]
fn a_schedule_asked_for_as_a_ladder_is_named_a_schedule() {
    let err = builtin::ladder("nottinghamshire-inspection").unwrap_err();
    assert!(matches!(err, LadderError::IsASchedule { .. }));
    assert_eq!(
        err.to_string(),
        "'nottinghamshire-inspection' is a schedule, not a ladder: alerts run on ladders \
         (nottingham-provider-concerns, iro-dispute-resolution, lac-review-decisions, \
         cp-conference-concerns, chair-performance-concerns, \
         oxfordshire-resolution-escalation, birmingham-cp-notification)"
    );
    assert!(matches!(
        builtin::ladder("no-such-ladder").unwrap_err(),
        LadderError::UnknownLadder { .. }
    ));
}

#[test]
fn a_ladder_loads_from_its_path() {
    let from_path = Ladder::from_path("ladders/birmingham-cp-notification.toml").unwrap();
    assert_eq!(
        from_path,
        builtin::ladder("birmingham-cp-notification").unwrap()
    );
    let err = Ladder::from_path("ladders/no-such.toml").unwrap_err();
    assert!(matches!(err, LadderError::Io { .. }));
}

// ---- events with identity, states with versions (issue 10 §2) --------------

fn event(json: &str) -> Event {
    serde_json::from_str(json).unwrap()
}

/// Before: the same `escalate` delivered twice moved the alert two stages.
/// With an id, the second delivery changes nothing.
#[test]
fn a_duplicate_event_id_is_applied_once() {
    use escalation_ladder::engine::{apply, AlertState, Effect};
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let raise = event(
        r#"{"id":"ev-1","on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift","meta":{"ll_id":4471}}"#,
    );
    let escalate = event(
        r#"{"id":"ev-2","on":"2026-12-30","actor":"iro","type":"escalate","reason":"no answer"}"#,
    );
    let state = apply(&ladder, &calendar, &AlertState::new(&ladder.id), &raise)
        .unwrap()
        .state;
    let once = apply(&ladder, &calendar, &state, &escalate).unwrap();
    assert_eq!(once.state.stage.as_deref(), Some("head-of-service"));
    assert!(!once.is_redelivery());
    let twice = apply(&ladder, &calendar, &once.state, &escalate).unwrap();
    assert!(twice.is_redelivery());
    assert_eq!(twice.state, once.state);
    let effects: Vec<Effect> = twice.effects().collect();
    assert_eq!(effects, [Effect::AlreadyApplied { id: "ev-2".into() }]);
    // The raise too, and its meta is kept in the audit trail, not interpreted.
    assert!(apply(&ladder, &calendar, &once.state, &raise)
        .unwrap()
        .is_redelivery());
    let (replayed, trail) = replay(&ladder, &calendar, [&raise, &escalate, &escalate]).unwrap();
    assert_eq!(replayed, once.state);
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[0].event.meta.as_ref().unwrap()["ll_id"], 4471);
    // Without ids, duplicates behave as before: two escalations.
    let plain = event(r#"{"on":"2026-12-30","actor":"iro","type":"escalate","reason":"x"}"#);
    let first = apply(&ladder, &calendar, &state, &plain).unwrap().state;
    let second = apply(&ladder, &calendar, &first, &plain).unwrap().state;
    assert_eq!(second.stage.as_deref(), Some("divisional-director"));
}

#[test]
fn a_version_conflict_is_refused() {
    use escalation_ladder::engine::{apply, apply_at_version, AlertState};
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let stored = apply(
        &ladder,
        &calendar,
        &AlertState::new(&ladder.id),
        &raise_on("2026-12-18"),
    )
    .unwrap()
    .state;
    let respond = event(r#"{"id":"resp-1","on":"2026-12-29","actor":"tm","type":"respond"}"#);
    let moved = apply_at_version(&ladder, &calendar, &stored, &respond, 1)
        .unwrap()
        .state;
    let resolve = event(r#"{"on":"2026-12-30","actor":"iro","type":"resolve","outcome":"agreed"}"#);
    let err = apply_at_version(&ladder, &calendar, &moved, &resolve, 1).unwrap_err();
    assert_eq!(
        err,
        EngineError::VersionConflict {
            expected: 1,
            found: 2
        }
    );
    assert_eq!(
        err.to_string(),
        "version conflict: expected the state at version 1, found version 2"
    );
    // A retry of the event that moved it is a re-delivery, not a conflict.
    let retry = apply_at_version(&ladder, &calendar, &moved, &respond, 1).unwrap();
    assert!(retry.is_redelivery());
}

/// In a cases file, a re-delivered event is skipped however far back the
/// first one was.
#[test]
fn a_cases_file_applies_an_event_id_once() {
    use escalation_ladder::report::{read_cases, Procedures};
    let line = r#"{"case":"IRO-9","ladder":"iro-dispute-resolution","events":[
        {"id":"a","on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"},
        {"id":"b","on":"2026-12-30","actor":"iro","type":"escalate","reason":"no answer"},
        {"id":"b","on":"2026-12-30","actor":"iro","type":"escalate","reason":"no answer"}]}"#
        .replace('\n', "");
    let cases = read_cases(line.as_bytes(), &Procedures::builtin().unwrap()).unwrap();
    assert_eq!(cases[0].state.stage.as_deref(), Some("head-of-service"));
    assert_eq!(cases[0].state.events_applied, 2);
    assert_eq!(cases[0].visits.len(), 2);
}

// ---- errors as data (issue 10 §1) -------------------------------------------

/// Every code the source gives is listed in docs/errors.md: every string
/// literal of the form `area.name` with a known area, in every source file of
/// the crate and of the C ABI.
#[test]
fn every_error_code_is_documented() {
    const AREAS: &[&str] = &[
        "refused", "state", "event", "status", "trail", "calendar", "ladder", "record", "sources",
        "http", "ffi", "python", "request", "report", "ics", "cli", "internal",
    ];
    let docs = std::fs::read_to_string("docs/errors.md").unwrap();
    let mut found = std::collections::BTreeSet::new();
    let mut files = Vec::new();
    let mut dirs = vec![
        std::path::PathBuf::from("src"),
        "ffi/src".into(),
        "python/src".into(),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for literal in source.split('"').skip(1).step_by(2) {
            let Some((area, name)) = literal.split_once('.') else {
                continue;
            };
            let is_code = AREAS.contains(&area)
                && !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            if is_code {
                found.insert(literal.to_string());
            }
        }
    }
    for code in &found {
        assert!(
            docs.contains(&format!("- `{code}`: ")),
            "{code} is not in docs/errors.md"
        );
    }
    assert!(found.len() >= 60, "only {} codes found", found.len());
}

#[test]
fn errors_serialise_with_code_message_and_fields() {
    use escalation_ladder::contract::ErrorDocument;
    use escalation_ladder::report::{read_cases, Procedures};
    // A calendar error: the date and the range.
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let err = calendar.is_working_day(d(1977, 6, 7)).unwrap_err();
    let doc = ErrorDocument::from(&err);
    assert_eq!(doc.code, "calendar.out-of-range");
    assert_eq!(doc.fields["date"], "1977-06-07");
    // A refused event in a cases file: the engine's code, the record's line and case.
    let line = r#"{"case":"B-1","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-21","actor":"iro","type":"respond"}]}"#;
    let err = read_cases(line.as_bytes(), &Procedures::builtin().unwrap()).unwrap_err();
    let doc = ErrorDocument::from(&err);
    assert_eq!(doc.code, "refused.not-in-this-phase");
    assert_eq!(doc.fields["line"], 1);
    assert_eq!(doc.fields["case"], "B-1");
    assert_eq!(doc.fields["event"], "respond");
    assert_eq!(doc.fields["reason"]["expected"], "raise");
    let json = serde_json::to_string(&doc).unwrap();
    assert!(json.starts_with(r#"{"schema_version":1,"code":"refused.not-in-this-phase","message":"line 1: case 'B-1': event 1 of 1: event 'respond' on 2026-12-21 refused"#), "{json}");
    // A version conflict and a ladder error.
    let conflict = EngineError::VersionConflict {
        expected: 3,
        found: 4,
    };
    assert_eq!(
        ErrorDocument::from(&conflict).code,
        "state.version-conflict"
    );
    assert_eq!(ErrorDocument::from(&conflict).fields["found"], 4);
    let err = builtin::ladder("nottinghamshire-inspection").unwrap_err();
    assert_eq!(ErrorDocument::from(&err).code, "ladder.is-a-schedule");
}

// ---- ladder and calendar versions, and re-basing (issue 10 §2) --------------

/// Before: after a newly proclaimed bank holiday a stored alert kept a
/// response date that is now a holiday, and status reported it as due. Now
/// the state records the calendar's fingerprint: apply refuses, status flags,
/// and recompute re-bases it (dates worked by hand below).
#[test]
fn a_proclaimed_holiday_rebases_an_open_alert() {
    use escalation_ladder::calendar::{BankHoliday, HolidayKind};
    use escalation_ladder::engine::{apply, recompute};
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let old = WorkingCalendar::new(Region::EnglandAndWales);
    // Raised on Tuesday 4 May 2027, the day after the early May bank holiday:
    // 5 working days, 5, 6, 7, 10, 11 May: due Tuesday 11 May. Ceiling: 20
    // working days, Wednesday 2 June (past the spring bank holiday, Monday 31
    // May).
    let raise = event(
        r#"{"id":"r","on":"2027-05-04","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
    );
    let (stored, trail) = replay(&ladder, &old, [&raise]).unwrap();
    assert_eq!(stored.respond_by, Some(d(2027, 5, 11)));
    assert_eq!(stored.ceiling, Some(d(2027, 6, 2)));
    assert_eq!(stored.calendar_fingerprint, Some(old.fingerprint()));
    assert_eq!(stored.ladder_fingerprint, Some(ladder.fingerprint()));
    // A bank holiday proclaimed for Friday 7 May 2027.
    let new = WorkingCalendar::builder(Region::EnglandAndWales)
        .bank_holidays([BankHoliday {
            date: d(2027, 5, 7),
            name: "A proclaimed bank holiday".into(),
            kind: HolidayKind::Added,
        }])
        .build()
        .unwrap();
    let now = status(&ladder, &new, &stored, d(2027, 5, 6)).unwrap();
    assert!(now.computed_on_other.calendar);
    assert!(!now.computed_on_other.ladder);
    let respond = event(r#"{"on":"2027-05-10","actor":"tm","type":"respond"}"#);
    let err = apply(&ladder, &new, &stored, &respond).unwrap_err();
    assert_eq!(err.code(), "state.calendar-changed");
    // Re-based: 5, 6, 10, 11, 12 May: due Wednesday 12th; the ceiling a day
    // later too, Thursday 3 June.
    let rebased = recompute(&ladder, &new, &stored, &trail).unwrap();
    assert!(rebased.moved());
    assert_eq!(rebased.after.respond_by, Some(d(2027, 5, 12)));
    assert_eq!(rebased.after.ceiling, Some(d(2027, 6, 3)));
    assert_eq!(rebased.state.calendar_fingerprint, Some(new.fingerprint()));
    assert!(!status(&ladder, &new, &rebased.state, d(2027, 5, 6))
        .unwrap()
        .computed_on_other
        .any());
    // The old trail stays verifiable against the calendar it was made with.
    assert_eq!(
        escalation_ladder::engine::replay_trail(&ladder, &old, &trail).unwrap(),
        stored
    );
}

#[test]
fn a_changed_ladder_is_detected() {
    use escalation_ladder::engine::apply;
    let ladder = builtin::ladder("oxfordshire-resolution-escalation").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let raise = event(r#"{"on":"2026-12-21","actor":"iro","type":"raise","reason":"plan drift"}"#);
    let (stored, _) = replay(&ladder, &calendar, [&raise]).unwrap();
    // The council renames a stage's response in a new version of its ladder.
    let text = builtin::source("oxfordshire-resolution-escalation")
        .unwrap()
        .replacen("Maximum timeframe for ASCM", "Most time for the ASCM", 1);
    let renamed = Ladder::from_toml_str(&text, "oxfordshire-v2.toml").unwrap();
    let respond = event(r#"{"on":"2026-12-22","actor":"tm","type":"respond"}"#);
    let err = apply(&renamed, &calendar, &stored, &respond).unwrap_err();
    assert_eq!(err.code(), "state.ladder-changed");
    assert!(
        err.to_string().starts_with("state computed on ladder lad-"),
        "{err}"
    );
    assert!(
        status(&renamed, &calendar, &stored, d(2026, 12, 22))
            .unwrap()
            .computed_on_other
            .ladder
    );
}

/// An audit trail and state as the crate wrote them before every document
/// carried `schema_version` and every field (events with `type` last and
/// absent fields left out; a state of version 2 without fingerprints) still
/// read, and the trail still verifies against its calendar: an IRO dispute
/// raised on Friday 18 December 2026 at the team-manager stage, due Tuesday
/// 29 December (25th and 28th are bank holidays), its ceiling Wednesday 20
/// January 2027.
#[test]
fn old_audit_trails_and_states_still_read_and_verify() {
    use escalation_ladder::engine::{replay_trail, AlertState, AuditEntry};
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    let old_trail = format!(
        r#"[{{"sequence":1,"event":{{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}},"stage_before":null,"stage_after":"team-manager","phase_after":"awaiting-response","respond_by":"2026-12-29","calendar":"{}"}}]"#,
        calendar.fingerprint()
    );
    let trail: Vec<AuditEntry<'static>> = serde_json::from_str(&old_trail).unwrap();
    let state = replay_trail(&ladder, &calendar, &trail).unwrap();
    assert_eq!(state.respond_by, Some(d(2026, 12, 29)));
    assert_eq!(state.ceiling, Some(d(2027, 1, 20)));
    let old_state = r#"{"schema_version":2,"ladder":"iro-dispute-resolution","phase":"awaiting-response","raised_on":"2026-12-18","category":null,"stage":"team-manager","stage_entered_on":"2026-12-18","respond_by":"2026-12-29","responded_on":null,"extended":false,"ceiling":"2027-01-20","breaches":{"ceiling_breached":false,"extended_beyond_ceiling":false},"outcome":null,"last_event_on":"2026-12-18","events_applied":1}"#;
    let old: AlertState = serde_json::from_str(old_state).unwrap();
    assert_eq!(old.respond_by, state.respond_by);
    assert_eq!(old.ceiling, state.ceiling);
    // Written again, it carries every field of today's shape.
    let written = serde_json::to_value(&old).unwrap();
    assert_eq!(written["referrals"], serde_json::json!([]));
    assert_eq!(written["ladder_fingerprint"], serde_json::Value::Null);
}

/// A cases-file record may say its schema version; a later one than the
/// reader knows is refused with its line, an event's the same.
#[test]
fn records_and_their_events_name_versions_the_reader_knows() {
    use escalation_ladder::report::{read_cases, Procedures};
    let procedures = Procedures::builtin().unwrap();
    let ok = r#"{"schema_version":1,"case":"A","ladder":"iro-dispute-resolution","events":[{"type":"raise","schema_version":1,"on":"2026-12-21","actor":"iro","stage":"team-manager","reason":"drift"}]}"#;
    let cases = read_cases(ok.as_bytes(), &procedures).unwrap();
    // Raised Monday 21 December 2026: 5 working days skip Christmas Day and
    // the Boxing Day substitute (Monday 28th): due Wednesday 30th.
    assert_eq!(cases[0].state.respond_by, Some(d(2026, 12, 30)));
    let later_record = ok.replacen(
        r#""schema_version":1,"case""#,
        r#""schema_version":2,"case""#,
        1,
    );
    let err = read_cases(format!("{ok}\n{later_record}").as_bytes(), &procedures).unwrap_err();
    assert_eq!(err.line, 2);
    assert!(
        err.to_string()
            .contains("schema_version: this reader reads versions 1 to 1, found 2"),
        "{err}"
    );
    let later_event = ok.replacen(
        r#""type":"raise","schema_version":1"#,
        r#""type":"raise","schema_version":9"#,
        1,
    );
    let err = read_cases(later_event.as_bytes(), &procedures).unwrap_err();
    assert!(err.to_string().contains("found 9"), "{err}");
}
