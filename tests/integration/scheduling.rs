//! When an alert next wakes (`AlertState::wakes_on`), and its history
//! corrected (`engine::correct`) and re-based with time acting again
//! (`engine::recompute_to`), with every date worked out by hand.
//!
//! England and Wales bank holidays used here: Friday 25 December 2026
//! (Christmas Day), Monday 28 December 2026 (the Boxing Day substitute),
//! Friday 1 January 2027. N working days after D is the N-th working day
//! strictly after D.

use escalation_ladder::engine::{
    advance, apply, correct, recompute_to, replay, AlertState, AuditEntry, Correction, EngineError,
    EntryRef, Event, Phase,
};
use escalation_ladder::ladder::{builtin, Ladder};
use escalation_ladder::{Region, WorkingCalendar};

use crate::calendar::d;

fn calendar() -> WorkingCalendar {
    WorkingCalendar::new(Region::EnglandAndWales)
}

fn ladder(id: &str) -> Ladder {
    builtin::ladder(id).unwrap()
}

fn event(json: &str) -> Event {
    serde_json::from_str(json).unwrap()
}

/// The events replayed, then advanced to `as_of`: the stored state and its
/// whole trail, as a case system keeps them.
fn stored<'a>(
    ladder: &'a Ladder,
    calendar: &WorkingCalendar,
    events: &'a [Event],
    as_of: chrono::NaiveDate,
) -> (AlertState, Vec<AuditEntry<'a>>) {
    let (state, mut trail) = replay(ladder, calendar, events).unwrap();
    let advanced = advance(ladder, calendar, &state, as_of).unwrap();
    trail.extend(advanced.transitions.into_iter().map(|t| t.audit));
    (advanced.state.into_owned(), trail)
}

/// Issue 19's example: an IRO alert raised with the team manager on Monday
/// 21 December 2026. Five working days: 22, 23, 24 December, then past
/// Christmas Day, the weekend and the Boxing Day substitute, 29 and 30: due
/// Wednesday 30 December, overdue (so woken) on Thursday 31st. The ceiling,
/// 20 working days: 22, 23, 24, 29, 30, 31 December (6), 4-8 January (11),
/// 11-15 (16), 18-21 (20): Thursday 21 January 2027. Advanced to the 31st,
/// time does nothing (the team manager's stage flags an escalation as due),
/// and the alert wakes next when the ceiling has passed, on Friday 22
/// January; after that, nothing changes by time alone.
#[test]
fn an_iro_alert_raised_on_21_december_wakes_on_31_december() {
    let (ladder, cal) = (ladder("iro-dispute-resolution"), calendar());
    let raise = event(
        r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
    );
    let state = apply(&ladder, &cal, &AlertState::new(&ladder.id), &raise)
        .unwrap()
        .state;
    assert_eq!(state.respond_by, Some(d(2026, 12, 30)));
    assert_eq!(state.ceiling, Some(d(2027, 1, 21)));
    assert_eq!(state.wakes_on, Some(d(2026, 12, 31)));
    // Nothing is due before: an advance on the 30th leaves the state as it is.
    let on_30th = advance(&ladder, &cal, &state, d(2026, 12, 30)).unwrap();
    assert!(matches!(on_30th.state, std::borrow::Cow::Borrowed(_)));
    let overdue = advance(&ladder, &cal, &state, d(2026, 12, 31)).unwrap();
    assert!(overdue.transitions.is_empty());
    assert_eq!(overdue.state.events_applied, 1);
    assert_eq!(overdue.state.wakes_on, Some(d(2027, 1, 22)));
    let breached = advance(&ladder, &cal, &overdue.state, d(2027, 1, 22)).unwrap();
    assert_eq!(breached.state.wakes_on, None);
    assert_eq!(breached.state.phase, Phase::AwaitingResponse);
}

/// Review decisions sent to the team manager on Thursday 17 December 2026
/// (the review was on Monday 14th): 18, 21, 22, 23, 24 December, due
/// Thursday 24th. Overdue on Christmas Day, when nobody acts; time deems
/// them agreed on the first working day after the 24th: past Christmas Day,
/// the weekend and the Boxing Day substitute, Tuesday 29 December. Closed,
/// the alert never wakes again.
#[test]
fn review_decisions_wake_when_overdue_and_again_when_time_acts() {
    let (ladder, cal) = (ladder("lac-review-decisions"), calendar());
    let events = [
        event(
            r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review on 14 December"}"#,
        ),
        event(r#"{"on":"2026-12-17","actor":"iro","type":"escalate","reason":"decisions sent"}"#),
    ];
    let (state, _) = replay(&ladder, &cal, &events).unwrap();
    assert_eq!(state.respond_by, Some(d(2026, 12, 24)));
    assert_eq!(state.wakes_on, Some(d(2026, 12, 25)));
    let christmas = advance(&ladder, &cal, &state, d(2026, 12, 25)).unwrap();
    assert!(christmas.transitions.is_empty());
    assert_eq!(christmas.state.wakes_on, Some(d(2026, 12, 29)));
    let deemed = advance(&ladder, &cal, &christmas.state, d(2026, 12, 29)).unwrap();
    assert_eq!(deemed.state.phase, Phase::DeemedAgreed);
    assert_eq!(deemed.transitions[0].audit.event.on, d(2026, 12, 29));
    assert_eq!(deemed.state.wakes_on, None);
}

/// Birmingham: a Notification of Concern at stage 1 on Monday 4 January
/// 2027 is due in 5 working days, Monday 11th (woken on the 12th). Its
/// monitoring threshold, 20 working days from the notification, is passed
/// on the 21st working day: 5-8 January (4), 11-15 (9), 18-22 (14), 25-29
/// (19), 1 February (20), Tuesday 2 February (21). A concern about the
/// child's immediate safety referred that day is due that day; resolved
/// with the referral still open, the alert wakes the next day, when the
/// referral is overdue.
#[test]
fn birminghams_threshold_and_a_duty_left_open_after_resolution() {
    let (ladder, cal) = (ladder("birmingham-cp-notification"), calendar());
    let raise = event(
        r#"{"on":"2027-01-04","actor":"chair","type":"raise","stage":"stage-1","reason":"plan not followed"}"#,
    );
    let state = apply(&ladder, &cal, &AlertState::new(&ladder.id), &raise)
        .unwrap()
        .state;
    assert_eq!(state.respond_by, Some(d(2027, 1, 11)));
    assert_eq!(state.wakes_on, Some(d(2027, 1, 12)));
    let overdue = advance(&ladder, &cal, &state, d(2027, 1, 12)).unwrap();
    assert_eq!(overdue.state.wakes_on, Some(d(2027, 2, 2)));

    let refer = event(
        r#"{"on":"2027-01-04","actor":"chair","type":"start-duty","duty":"immediate-safety-referral"}"#,
    );
    let referred = apply(&ladder, &cal, &state, &refer).unwrap().state;
    // Due the same day: overdue, so woken, the next.
    assert_eq!(referred.wakes_on, Some(d(2027, 1, 5)));
    let resolve =
        event(r#"{"on":"2027-01-04","actor":"chair","type":"resolve","outcome":"plan agreed"}"#);
    let resolved = apply(&ladder, &cal, &referred, &resolve).unwrap().state;
    assert_eq!(resolved.phase, Phase::Resolved);
    assert_eq!(resolved.wakes_on, Some(d(2027, 1, 5)));
    let done = event(
        r#"{"on":"2027-01-04","actor":"chair","type":"complete-duty","duty":"immediate-safety-referral"}"#,
    );
    let done = apply(&ladder, &cal, &resolved, &done).unwrap().state;
    assert_eq!(done.wakes_on, None);
}

/// A state stored before `wakes_on` (the field missing) gets it when it is
/// next written, by an advance that finds nothing to do.
#[test]
fn a_state_stored_without_wakes_on_gets_it_when_advanced() {
    let (ladder, cal) = (ladder("iro-dispute-resolution"), calendar());
    let raise = event(
        r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#,
    );
    let state = apply(&ladder, &cal, &AlertState::new(&ladder.id), &raise)
        .unwrap()
        .state;
    let mut json = serde_json::to_value(&state).unwrap();
    json.as_object_mut().unwrap().remove("wakes_on");
    let old: AlertState = serde_json::from_value(json).unwrap();
    assert_eq!(old.wakes_on, None);
    let advanced = advance(&ladder, &cal, &old, d(2026, 12, 22)).unwrap();
    assert_eq!(advanced.state.wakes_on, Some(d(2026, 12, 31)));
}

/// The review-decisions ladder (document 001, 3.3: "The team manager will
/// respond within 5 working days of receiving them and advise the IRO if
/// they are unable to agree them. If no response is received the IRO would
/// consider that the manager has agreed the decisions"). The decisions
/// reached the team manager on Monday 21 December 2026: due Wednesday 30th
/// (22, 23, 24, 29, 30); no response was recorded, so time deemed them
/// agreed on Thursday 31st. On Monday 4 January 2027 the team manager's
/// "unable to agree", sent on Tuesday 29 December, is recorded: a response
/// was received within the window, so the corrected history has the
/// response on the 29th and no deemed agreement.
#[test]
fn a_late_recorded_disagreement_undoes_the_deemed_agreement() {
    let (ladder, cal) = (ladder("lac-review-decisions"), calendar());
    let events = [
        event(
            r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review on 14 December"}"#,
        ),
        event(r#"{"on":"2026-12-21","actor":"iro","type":"escalate","reason":"decisions sent"}"#),
    ];
    let (stored, trail) = stored(&ladder, &cal, &events, d(2027, 1, 4));
    assert_eq!(stored.stage_entered_on, Some(d(2026, 12, 21)));
    assert_eq!(stored.respond_by, Some(d(2026, 12, 30)));
    assert_eq!(stored.phase, Phase::DeemedAgreed);
    assert_eq!(trail[2].event.actor, "(time)");
    assert_eq!(trail[2].event.on, d(2026, 12, 31));

    let answer = Correction::Insert(event(
        r#"{"on":"2026-12-29","actor":"tm","id":"tm-answer","type":"respond","outcome":"unable-to-agree"}"#,
    ));
    let fixed = correct(&ladder, &cal, &stored, &trail, &answer, Some(d(2027, 1, 4))).unwrap();
    let trail_seen: Vec<(&str, chrono::NaiveDate)> = fixed
        .trail
        .iter()
        .map(|e| (e.event.kind.name(), e.event.on))
        .collect();
    assert_eq!(
        trail_seen,
        [
            ("raise", d(2026, 12, 14)),
            ("escalate", d(2026, 12, 21)),
            ("respond", d(2026, 12, 29)),
        ]
    );
    assert_eq!(fixed.state.phase, Phase::Resolved);
    assert_eq!(fixed.state.outcome.as_deref(), Some("unable-to-agree"));
    assert_eq!(fixed.state.responded_on, Some(d(2026, 12, 29)));
    assert_eq!(fixed.state.events_applied, 3);
    assert!(fixed.moved());
    assert_eq!(fixed.before.phase, Phase::DeemedAgreed);
    assert_eq!(fixed.after.phase, Phase::Resolved);

    // Applied on the 4th as it came, the answer is late and the agreement
    // stands (DESIGN.md: a late response is recorded, not refused).
    let late = event(
        r#"{"on":"2027-01-04","actor":"tm","id":"tm-answer","type":"respond","outcome":"unable-to-agree"}"#,
    );
    let recorded = apply(&ladder, &cal, &stored, &late).unwrap();
    assert_eq!(recorded.state.phase, Phase::DeemedAgreed);
    // Recorded with the wrong date, it is corrected by replacing it: the
    // same history as the insertion.
    let mut late_trail: Vec<AuditEntry> = trail.clone();
    late_trail.push(recorded.audit());
    let dated = Correction::Replace(
        EntryRef::Id("tm-answer".into()),
        event(
            r#"{"on":"2026-12-29","actor":"tm","id":"tm-answer","type":"respond","outcome":"unable-to-agree"}"#,
        ),
    );
    let replaced = correct(&ladder, &cal, &recorded.state, &late_trail, &dated, None).unwrap();
    assert_eq!(replaced.state, fixed.state);
    assert_eq!(replaced.trail.len(), 3);
}

/// Voiding the escalation that sent the decisions leaves the alert with the
/// IRO, whose own 5 working days from the review on Monday 14 December
/// (15, 16, 17, 18, 21) end on Monday 21st: overdue, and no deemed
/// agreement. Naming time's own entry, or an event the trail lacks, is
/// refused; so is an event the corrected history cannot take, named by its
/// place.
#[test]
fn voids_and_refusals_name_the_event() {
    let (ladder, cal) = (ladder("lac-review-decisions"), calendar());
    let events = [
        event(
            r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review on 14 December"}"#,
        ),
        event(
            r#"{"on":"2026-12-21","actor":"iro","id":"sent","type":"escalate","reason":"decisions sent"}"#,
        ),
    ];
    let (stored, trail) = stored(&ladder, &cal, &events, d(2027, 1, 4));
    let void = Correction::Void(EntryRef::Id("sent".into()));
    let voided = correct(&ladder, &cal, &stored, &trail, &void, None).unwrap();
    assert_eq!(voided.after.phase, Phase::AwaitingResponse);
    assert_eq!(voided.after.stage.as_deref(), Some("decisions-sent"));
    assert_eq!(voided.after.respond_by, Some(d(2026, 12, 21)));
    assert_eq!(voided.trail.len(), 1);
    // Time acted up to the last day the stored trail reached (its deemed
    // agreement, 31 December): overdue since the 22nd, at a stage whose
    // expiry only flags and with no ceiling, so nothing more changes.
    assert_eq!(voided.state.last_event_on, Some(d(2026, 12, 14)));
    assert_eq!(voided.state.wakes_on, None);

    let err = correct(
        &ladder,
        &cal,
        &stored,
        &trail,
        &Correction::Void(EntryRef::Sequence(3)),
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), "correction.time-entry");
    assert!(
        err.to_string().contains("deem-agreed on 2026-12-31"),
        "{err}"
    );
    let err = correct(
        &ladder,
        &cal,
        &stored,
        &trail,
        &Correction::Void(EntryRef::Id("nothing".into())),
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), "correction.no-such-event");
    // A response before the decisions were sent: refused at its place, 2 of 3.
    let early = Correction::Insert(event(
        r#"{"on":"2026-12-18","actor":"tm","type":"respond","outcome":"agreed"}"#,
    ));
    let err = correct(&ladder, &cal, &stored, &trail, &early, None).unwrap_err();
    match &err {
        EngineError::CorrectedHistory {
            number,
            count,
            corrected,
            source,
        } => {
            assert_eq!((*number, *count, *corrected), (2, 3, true));
            assert_eq!(source.code(), "refused.unknown-outcome");
        }
        other => panic!("{other}"),
    }
    assert!(err
        .to_string()
        .starts_with("corrected history: event 2 of 3 (the correction's): "));
    // An id the history has already.
    let again = Correction::Insert(event(
        r#"{"on":"2026-12-22","actor":"iro","id":"sent","type":"refer","referral":"x"}"#,
    ));
    let err = correct(&ladder, &cal, &stored, &trail, &again, None).unwrap_err();
    assert_eq!(err.code(), "correction.id-in-use");
}

/// Re-basing makes time's transitions again, up to the last day the stored
/// trail reached: a deemed agreement is not lost (it was before), and on
/// the same calendar nothing moves.
#[test]
fn recompute_keeps_what_time_did_after_the_last_event() {
    let (ladder, cal) = (ladder("lac-review-decisions"), calendar());
    let events = [
        event(
            r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"review on 14 December"}"#,
        ),
        event(r#"{"on":"2026-12-21","actor":"iro","type":"escalate","reason":"decisions sent"}"#),
    ];
    let (stored, trail) = stored(&ladder, &cal, &events, d(2027, 1, 4));
    let rebased = recompute_to(&ladder, &cal, &stored, &trail, None).unwrap();
    assert!(!rebased.moved(), "{:?} {:?}", rebased.before, rebased.after);
    assert_eq!(rebased.state.phase, Phase::DeemedAgreed);
    assert_eq!(rebased.trail.len(), 3);
    // A closure on the 31st moves the deemed agreement to Monday 4 January
    // (New Year's Day is a bank holiday), if time is let act that far.
    let closed = WorkingCalendar::builder(Region::EnglandAndWales)
        .closure(d(2026, 12, 31), "shutdown")
        .build()
        .unwrap();
    let rebased = recompute_to(&ladder, &closed, &stored, &trail, Some(d(2027, 1, 4))).unwrap();
    assert_eq!(rebased.trail[2].event.on, d(2027, 1, 4));
    assert!(!rebased.moved());
    // Up to the stored trail's last day only, the 31st: not yet agreed.
    let rebased = recompute_to(&ladder, &closed, &stored, &trail, None).unwrap();
    assert_eq!(rebased.after.phase, Phase::AwaitingResponse);
    assert_eq!(rebased.state.wakes_on, Some(d(2027, 1, 4)));
}
