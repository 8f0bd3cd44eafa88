//! The checks every function that reads a stored state makes (issue 17, §3):
//! its ladder, its schema version, its fingerprints, its event count, and a
//! recompute's trail against it. Each fault found by trying the doors is a
//! test here, on real dates.

use escalation_ladder::calendar::Fingerprint;
use escalation_ladder::ladder::LadderFingerprint;

/// Fingerprints are read by exactly their published patterns,
/// `^cal-[0-9a-f]{16}$` and `^lad-[0-9a-f]{16}$`: upper case, a sign and
/// another length are refused; all zeros matches the pattern, so it reads
/// (and names no real calendar or ladder).
#[test]
fn fingerprints_read_by_exactly_their_pattern() {
    let calendar = |text: &str| serde_json::from_value::<Fingerprint>(text.into());
    let ladder = |text: &str| serde_json::from_value::<LadderFingerprint>(text.into());
    let real = escalation_ladder::WorkingCalendar::new(escalation_ladder::Region::EnglandAndWales)
        .fingerprint();
    assert_eq!(real.to_string(), "cal-b3d3b5cbf05da2f5");
    assert_eq!(calendar("cal-b3d3b5cbf05da2f5").unwrap(), real);
    let zero = calendar("cal-0000000000000000").unwrap();
    assert_eq!(zero.to_string(), "cal-0000000000000000");
    assert_eq!(
        serde_json::to_string(&zero).unwrap(),
        r#""cal-0000000000000000""#
    );
    assert_ne!(zero, real);
    let zero = ladder("lad-0000000000000000").unwrap();
    assert_eq!(zero.to_string(), "lad-0000000000000000");
    assert_eq!(
        ladder("lad-ffffffffffffffff").unwrap().to_string(),
        "lad-ffffffffffffffff"
    );
    for bad in [
        "cal-B3D3B5CBF05DA2F5",
        "cal-b3d3b5cbf05dA2f5",
        "cal-+3d3b5cbf05da2f5",
        "cal--3d3b5cbf05da2f5",
        "cal-b3d3b5cbf05da2f",
        "cal-b3d3b5cbf05da2f5a",
        "cal-0x d3b5cbf05da2f5",
        "cal- 3d3b5cbf05da2f5",
        "cal-g3d3b5cbf05da2f5",
        "CAL-b3d3b5cbf05da2f5",
        "lad-b3d3b5cbf05da2f5",
        "",
    ] {
        let err = calendar(bad).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("expected a fingerprint like cal-0123456789abcdef, found"),
            "{bad}: {err}"
        );
    }
    assert!(ladder("lad-+f55e346c171398c").is_err());
    assert!(ladder("lad-BF55E346C171398C").is_err());
}

use escalation_ladder::contract::ErrorDocument;
use escalation_ladder::engine::{
    advance, advance_for, apply, apply_after_time, apply_at_version, check_state, next_time_action,
    recompute, replay, status, AlertState, AuditEntry, EngineError, Event, Phase,
    STATE_SCHEMA_VERSION,
};
use escalation_ladder::ladder::{builtin, Ladder};
use escalation_ladder::{Region, WorkingCalendar};

use crate::calendar::d;
use crate::engine::events;

fn england() -> WorkingCalendar {
    WorkingCalendar::new(Region::EnglandAndWales)
}

fn event(line: &str) -> Event {
    serde_json::from_str(line).unwrap()
}

/// An IRO alert raised at the team manager on Monday 21 December 2026: due
/// Wednesday 30th (22, 23, 24, then 29 and 30 after Christmas Day and the
/// Boxing Day substitute on Monday 28th).
fn iro_raised_21_december() -> (Ladder, AlertState, Vec<AuditEntry<'static>>) {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let raise = events(
        r#"{"id":"raise-1","on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
    );
    let (state, trail) = replay(&ladder, &england(), &raise).unwrap();
    let trail = trail.into_iter().map(AuditEntry::into_owned).collect();
    assert_eq!(state.respond_by, Some(d(2026, 12, 30)));
    (ladder, state, trail)
}

/// The council closes on Tuesday 29 December 2026, as `ladder serve
/// --closure 2026-12-29` does.
fn closed_29_december() -> WorkingCalendar {
    WorkingCalendar::builder(Region::EnglandAndWales)
        .closure(d(2026, 12, 29), "council closure")
        .build()
        .unwrap()
}

/// Before: only `apply` checked the state's ladder; `status` and `advance`
/// computed a state of another ladder on the ladder given. Now every
/// function that reads a state refuses it.
#[test]
fn every_function_refuses_a_state_of_another_ladder() {
    let (iro, state, trail) = iro_raised_21_december();
    let cp = builtin::ladder("cp-conference-concerns").unwrap();
    let cal = england();
    let respond = event(r#"{"on":"2026-12-22","actor":"tm","type":"respond"}"#);
    let codes = [
        apply(&cp, &cal, &state, &respond).map(|_| ()),
        apply_after_time(&cp, &cal, &state, &respond, Some(1)).map(|_| ()),
        advance(&cp, &cal, &state, d(2026, 12, 31)).map(|_| ()),
        advance_for(&cp, &cal, &state, &respond).map(|_| ()),
        status(&cp, &cal, &state, d(2026, 12, 31)).map(|_| ()),
        next_time_action(&cp, &cal, &state).map(|_| ()),
        recompute(&cp, &cal, &state, &trail).map(|_| ()),
        check_state(&cp, &cal, &state).map(|_| ()),
    ]
    .map(|result| result.unwrap_err().code());
    assert_eq!(codes, ["state.wrong-ladder"; 8]);
    let err = status(&cp, &cal, &state, d(2026, 12, 31)).unwrap_err();
    insta::assert_snapshot!(err, @"state belongs to ladder 'iro-dispute-resolution', not 'cp-conference-concerns'");
    // The right ladder still answers.
    assert!(status(&iro, &cal, &state, d(2026, 12, 31)).unwrap().overdue);
}

/// Before: `status` and `advance` accepted a state of schema version 99, and
/// `advance` gave it back still marked 99. Now every function refuses it;
/// an older version reads, and is written back as this release's.
#[test]
fn every_function_refuses_a_later_schema_version() {
    let (ladder, state, trail) = iro_raised_21_december();
    let cal = england();
    let mut newer = state.clone();
    newer.schema_version = 99;
    let respond = event(r#"{"on":"2026-12-22","actor":"tm","type":"respond"}"#);
    let errors = [
        apply(&ladder, &cal, &newer, &respond).map(|_| ()),
        advance(&ladder, &cal, &newer, d(2026, 12, 31)).map(|_| ()),
        advance_for(&ladder, &cal, &newer, &respond).map(|_| ()),
        status(&ladder, &cal, &newer, d(2026, 12, 31)).map(|_| ()),
        next_time_action(&ladder, &cal, &newer).map(|_| ()),
        recompute(&ladder, &cal, &newer, &trail).map(|_| ()),
    ]
    .map(|result| result.unwrap_err());
    for err in &errors {
        assert_eq!(
            *err,
            EngineError::SchemaVersion {
                found: 99,
                supported: u32::from(STATE_SCHEMA_VERSION)
            }
        );
    }
    let doc = ErrorDocument::from(&errors[3]);
    assert_eq!(doc.code, "state.schema-version");
    assert_eq!(doc.fields["found"], 99);
    // A state of version 1 reads; advanced (nothing due on 23 December, so it
    // comes back borrowed) it is written as this release's version.
    let mut older = state.clone();
    older.schema_version = 1;
    let advanced = advance(&ladder, &cal, &older, d(2026, 12, 23)).unwrap();
    let written = serde_json::to_value(&advanced.state).unwrap();
    assert_eq!(written["schema_version"], STATE_SCHEMA_VERSION);
    let moved = apply(&ladder, &cal, &older, &respond).unwrap().state;
    assert_eq!(moved.schema_version, STATE_SCHEMA_VERSION);
}

/// Before: a state whose fingerprints were null or absent was applied by a
/// service whose calendar closes on 29 December 2026: the old response date
/// (30 December) was kept and the new calendar's fingerprint stamped on it,
/// so the stale date could never be detected again. Now a state with dates
/// and no fingerprint counts as computed on another calendar (or ladder):
/// `apply` and `advance` refuse it, `status` flags it, `recompute` re-bases
/// it (due Thursday 31st: 22, 23, 24, 30, 31).
#[test]
fn a_state_with_dates_and_no_fingerprints_is_never_stamped() {
    let (ladder, state, trail) = iro_raised_21_december();
    let closed = closed_29_december();
    let respond = event(r#"{"on":"2026-12-23","actor":"tm","type":"respond"}"#);

    let mut no_calendar = state.clone();
    no_calendar.calendar_fingerprint = None;
    let err = apply(&ladder, &closed, &no_calendar, &respond).unwrap_err();
    assert_eq!(
        err,
        EngineError::CalendarChanged {
            recorded: None,
            given: closed.fingerprint().to_string(),
        }
    );
    insta::assert_snapshot!(err, @"state computed on calendar (none recorded), not cal-f7378d0c8f87db67: recompute it with the calendar given");
    let doc = ErrorDocument::from(&err);
    assert_eq!(doc.code, "state.calendar-changed");
    assert_eq!(doc.fields["recorded"], serde_json::Value::Null);
    assert_eq!(doc.fields["given"], closed.fingerprint().to_string());
    // The same calendar as the one that computed it is refused too: nothing
    // shows it was.
    let same = apply(&ladder, &england(), &no_calendar, &respond).unwrap_err();
    assert_eq!(same.code(), "state.calendar-changed");
    assert_eq!(
        advance(&ladder, &closed, &no_calendar, d(2026, 12, 23))
            .unwrap_err()
            .code(),
        "state.calendar-changed"
    );
    let now = status(&ladder, &closed, &no_calendar, d(2026, 12, 23)).unwrap();
    assert!(now.computed_on_other.calendar && !now.computed_on_other.ladder);
    assert_eq!(now.next_deadline, Some(d(2026, 12, 30)));

    // Both absent, as JSON with the keys left out: the ladder is named first.
    let mut json = serde_json::to_value(&state).unwrap();
    let object = json.as_object_mut().unwrap();
    object.remove("ladder_fingerprint");
    object.remove("calendar_fingerprint");
    let unstamped: AlertState = serde_json::from_value(json).unwrap();
    let err = apply_after_time(&ladder, &closed, &unstamped, &respond, Some(1)).unwrap_err();
    assert_eq!(err.code(), "state.ladder-changed");
    assert_eq!(
        ErrorDocument::from(&err).fields["recorded"],
        serde_json::Value::Null
    );
    let now = status(&ladder, &closed, &unstamped, d(2026, 12, 23)).unwrap();
    assert!(now.computed_on_other.ladder && now.computed_on_other.calendar);

    // Recomputed with its trail, it is due on the 31st and says so.
    let rebased = recompute(&ladder, &closed, &unstamped, &trail).unwrap();
    assert_eq!(rebased.after.respond_by, Some(d(2026, 12, 31)));
    assert_eq!(
        rebased.state.calendar_fingerprint,
        Some(closed.fingerprint())
    );
    assert!(apply(&ladder, &closed, &rebased.state, &respond).is_ok());

    // A state not raised has no dates, and needs no fingerprint.
    let fresh: AlertState = serde_json::from_str(
        r#"{"ladder":"iro-dispute-resolution","phase":"not-raised","extended":false,"breaches":{"ceiling_breached":false,"extended_beyond_ceiling":false},"events_applied":0}"#,
    )
    .unwrap();
    let raise = event(
        r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
    );
    let raised = apply(&ladder, &closed, &fresh, &raise).unwrap().state;
    assert_eq!(raised.respond_by, Some(d(2026, 12, 31)));
    assert!(!check_state(&ladder, &closed, &fresh).unwrap().any());
}

/// Before: a state at `events_applied` 4294967295 took an event with
/// `expect_version` 4294967295 and stayed at 4294967295, so a second writer
/// holding the same version succeeded too. Now the event is refused, time's
/// own transitions as well; a re-delivery is still recognised.
#[test]
fn a_state_at_the_most_events_it_can_count_takes_no_more() {
    let (ladder, state, _) = iro_raised_21_december();
    let cal = england();
    let mut full = state.clone();
    full.events_applied = u32::MAX;
    let respond = event(r#"{"on":"2026-12-23","actor":"tm","type":"respond"}"#);
    let err = apply_at_version(&ladder, &cal, &full, &respond, u32::MAX).unwrap_err();
    assert_eq!(
        err,
        EngineError::EventsExhausted {
            events_applied: u32::MAX
        }
    );
    assert_eq!(err.code(), "state.events-exhausted");
    insta::assert_snapshot!(err, @"state has applied 4294967295 events, the most it can count: no further event can be applied to it");
    assert_eq!(
        ErrorDocument::from(&err).fields["events_applied"],
        4294967295u64
    );
    let second = event(r#"{"on":"2026-12-23","actor":"iro","type":"resolve","outcome":"agreed"}"#);
    assert_eq!(
        apply_at_version(&ladder, &cal, &full, &second, u32::MAX)
            .unwrap_err()
            .code(),
        "state.events-exhausted"
    );
    // The raise, delivered again, is recognised and changes nothing.
    let raise = event(
        r#"{"id":"raise-1","on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
    );
    let again = apply_at_version(&ladder, &cal, &full, &raise, u32::MAX).unwrap();
    assert!(again.is_redelivery());
    assert_eq!(again.state, full);

    // Time's own action is an event too: review decisions handed over on
    // Friday 18 December 2026 are deemed agreed on Wednesday 30th.
    let lac = builtin::ladder("lac-review-decisions").unwrap();
    let handed = events(
        r#"
        {"on":"2026-12-14","actor":"iro","type":"raise","reason":"review"}
        {"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"}
    "#,
    );
    let (mut handed_over, _) = replay(&lac, &cal, &handed).unwrap();
    handed_over.events_applied = u32::MAX;
    assert!(advance(&lac, &cal, &handed_over, d(2026, 12, 29)).is_ok());
    assert_eq!(
        advance(&lac, &cal, &handed_over, d(2027, 1, 4))
            .unwrap_err()
            .code(),
        "state.events-exhausted"
    );
}

/// Before: `recompute` with an empty trail and a raised state gave a state
/// not raised (the alert wiped). Now a trail that does not reproduce the
/// stored state is refused, naming both counts.
#[test]
fn recompute_refuses_a_trail_that_is_not_the_states() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let cal = england();
    let lines = events(
        r#"
        {"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}
        {"on":"2026-12-23","actor":"tm","type":"respond"}
        {"on":"2026-12-24","actor":"iro","type":"escalate","reason":"no agreement"}
    "#,
    );
    let (stored, trail) = replay(&ladder, &cal, &lines).unwrap();
    assert_eq!(stored.events_applied, 3);
    let closed = closed_29_december();

    let empty = recompute(&ladder, &closed, &stored, &[]).unwrap_err();
    assert_eq!(empty.code(), "trail.does-not-match-state");
    insta::assert_snapshot!(empty, @"trail of 0 entries does not reproduce the state (events_applied 3): expected one entry per event applied");
    let doc = ErrorDocument::from(&empty);
    assert_eq!(doc.fields["entries"], 0);
    assert_eq!(doc.fields["events_applied"], 3);
    assert_eq!(doc.fields["mismatch"]["kind"], "count");

    let short = recompute(&ladder, &closed, &stored, &trail[..2]).unwrap_err();
    insta::assert_snapshot!(short, @"trail of 2 entries does not reproduce the state (events_applied 3): expected one entry per event applied");

    let mut renumbered = trail.clone();
    renumbered[1].sequence = 7;
    let err = recompute(&ladder, &closed, &stored, &renumbered).unwrap_err();
    insta::assert_snapshot!(err, @"trail of 3 entries does not reproduce the state (events_applied 3): entry 2 has sequence 7, expected 2");

    // Three entries of another alert of the same ladder: resolved, not at
    // the head of service.
    let other = events(
        r#"
        {"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}
        {"on":"2026-12-23","actor":"tm","type":"respond"}
        {"on":"2026-12-24","actor":"iro","type":"resolve","outcome":"agreed"}
    "#,
    );
    let (_, other_trail) = replay(&ladder, &cal, &other).unwrap();
    let err = recompute(&ladder, &closed, &stored, &other_trail).unwrap_err();
    insta::assert_snapshot!(err, @"trail of 3 entries does not reproduce the state (events_applied 3): its last entry leaves the alert resolved at stage 'team-manager', the state is awaiting-response at stage 'head-of-service'");
    assert_eq!(
        ErrorDocument::from(&err).fields["mismatch"]["stage_after"],
        "team-manager"
    );

    // The state's own trail re-bases it; an empty trail goes with a state
    // not raised, and nothing moves.
    let rebased = recompute(&ladder, &closed, &stored, &trail).unwrap();
    assert_eq!(rebased.state.events_applied, 3);
    let fresh = AlertState::new(&ladder.id);
    let nothing = recompute(&ladder, &closed, &fresh, &[]).unwrap();
    assert!(!nothing.moved());
    assert_eq!(nothing.state.phase, Phase::NotRaised);
}
