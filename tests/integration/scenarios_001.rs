//! Scenarios of source document 001 (IRO alerts, review decisions, CP conference concerns, chair performance), with dates worked out by hand in the
//! comments: the audit trail (`trace`) and the status on chosen days
//! (`status_text`), snapshotted.
//!
//! Counting: N working days after D is the N-th working day strictly after D
//! (D is day 0; a receipt on a non-working day makes the next working day day
//! 1). England and Wales bank holidays used here: 25 and 28 December 2026,
//! 1 January 2027, 26 March (Good Friday) and 29 March (Easter Monday) 2027,
//! 3 May and 31 May 2027.

use escalation_ladder::engine::{replay, status, Effect, Event, Phase};
use escalation_ladder::ladder::{builtin, Ladder};
use escalation_ladder::{Region, WorkingCalendar};

use crate::calendar::d;
#[allow(unused_imports)]
use crate::engine::{events, state_after, status_text, trace};

fn calendar() -> WorkingCalendar {
    WorkingCalendar::new(Region::EnglandAndWales)
}

fn ladder(id: &str) -> Ladder {
    builtin::ladder(id).unwrap()
}

/// The first `n` event lines of `lines`.
fn first(lines: &str, n: usize) -> String {
    lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(n)
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------
// IRO dispute resolution (sections 2 to 4)
// ---------------------------------------------------------------------------

/// Raised at the informal stage on Friday 18 December 2026 and taken through
/// the stages within the 20-working-day ceiling.
///
/// - Ceiling: 20 working days after Fri 18 Dec 2026: 21, 22, 23, 24 Dec (1-4),
///   [25 Dec and 28 Dec bank holidays], 29, 30, 31 Dec (5-7), [1 Jan], 4-8 Jan
///   (8-12), 11-15 Jan (13-17), 18, 19, 20 Jan (18-20): Wed 20 Jan 2027.
/// - Team manager, entered Tue 22 Dec: 23, 24, 29, 30, 31 Dec: Thu 31 Dec.
/// - Head of service, entered Mon 4 Jan 2027: 5, 6, 7, 8, 11 Jan: Mon 11 Jan;
///   extended (agreed with the IRO) to Thu 14 Jan; no cap, within the ceiling.
/// - Divisional director, entered Mon 18 Jan: 19, 20, 21 Jan: Thu 21 Jan, after
///   the ceiling, so capped at Wed 20 Jan. The escalation asks for the stage 4
///   discussion with the QA DHOS and/or HOS to be confirmed.
const IRO_CHRISTMAS: &str = r#"
    {"on":"2026-12-18","actor":"iro","type":"raise","category":"care-plan-changed-without-iro","reason":"placement move planned without consulting the IRO"}
    {"on":"2026-12-22","actor":"iro","type":"escalate","reason":"informal discussion did not resolve it"}
    {"on":"2027-01-04","actor":"iro","type":"escalate","reason":"no response from the team manager"}
    {"on":"2027-01-05","actor":"iro","type":"refer","referral":"cafcass"}
    {"on":"2027-01-07","actor":"head-of-service","type":"extend","until":"2027-01-14","reason":"alternative timescale agreed with the IRO"}
    {"on":"2027-01-14","actor":"head-of-service","type":"respond"}
    {"on":"2027-01-18","actor":"iro","type":"escalate","reason":"response does not address the concern"}
    {"on":"2027-01-20","actor":"divisional-director","type":"respond"}
    {"on":"2027-01-20","actor":"iro","type":"resolve","outcome":"care plan reviewed at a statutory review"}
"#;

#[test]
fn iro_alert_raised_friday_18_december_through_the_stages() {
    let ladder = ladder("iro-dispute-resolution");
    insta::assert_snapshot!(trace(&ladder, IRO_CHRISTMAS));
    // Thu 24 Dec: (24 Dec, 31 Dec] = 29, 30, 31: 3 working days left.
    // Tue 5 Jan: (5 Jan, 11 Jan] = 6, 7, 8, 11: 4 left; ceiling 11 left.
    // Tue 19 Jan: capped date 20 Jan, 1 left.
    insta::assert_snapshot!(status_text(
        &ladder,
        IRO_CHRISTMAS,
        &[
            d(2026, 12, 24),
            d(2027, 1, 5),
            d(2027, 1, 19),
            d(2027, 1, 20)
        ]
    ));

    let calendar = calendar();
    let upto = |date| {
        let all = events(IRO_CHRISTMAS);
        let kept: Vec<Event> = all.into_iter().filter(|e| e.on <= date).collect();
        let state = replay(&ladder, &calendar, &kept).unwrap().0;
        state
    };
    let raised = upto(d(2026, 12, 18));
    assert_eq!(raised.ceiling, Some(d(2027, 1, 20)));
    assert_eq!(raised.respond_by, None, "informal resolution has no window");
    assert_eq!(upto(d(2026, 12, 22)).respond_by, Some(d(2026, 12, 31)));
    assert_eq!(upto(d(2027, 1, 4)).respond_by, Some(d(2027, 1, 11)));
    assert_eq!(upto(d(2027, 1, 7)).respond_by, Some(d(2027, 1, 14)));
    let dd = upto(d(2027, 1, 18));
    assert_eq!(dd.stage.as_deref(), Some("divisional-director"));
    assert_eq!(dd.respond_by, Some(d(2027, 1, 20)), "capped at the ceiling");
    let end = upto(d(2027, 1, 20));
    assert_eq!(end.phase, Phase::Resolved);
    assert!(!end.breaches.ceiling_breached);
    assert_eq!(end.referrals.len(), 1);
}

/// A ceiling breach over Easter 2027, and an escalation entered after the
/// ceiling.
///
/// - Raised at the team manager on Thu 4 Mar 2027. Ceiling: 5 Mar (1), 8-12 Mar
///   (2-6), 15-19 Mar (7-11), 22-25 Mar (12-15), [26 Mar Good Friday, 29 Mar
///   Easter Monday], 30, 31 Mar, 1, 2 Apr (16-19), 5 Apr (20): Mon 5 Apr 2027.
/// - Team manager: 5, 8, 9, 10, 11 Mar: Thu 11 Mar; extended (agreed with the
///   IRO) to Wed 24 Mar.
/// - Head of service, entered Thu 25 Mar: [26, 29 Mar], 30, 31 Mar, 1, 2, 5 Apr:
///   Mon 5 Apr, the ceiling day itself (not capped). The head of service tells
///   their manager it may not be progressed (a duty with no date).
/// - No response. Escalated to the divisional director on Wed 7 Apr, after the
///   ceiling: the event breaches it, and the stage gets its own full window
///   (never a date before the day it was entered): 8, 9, 12 Apr: Mon 12 Apr.
const IRO_EASTER_BREACH: &str = r#"
    {"on":"2027-03-04","actor":"iro","type":"raise","stage":"team-manager","category":"failure-to-visit","reason":"child not visited for 10 weeks"}
    {"on":"2027-03-10","actor":"team-manager","type":"extend","until":"2027-03-24","reason":"social worker on leave; agreed with the IRO"}
    {"on":"2027-03-24","actor":"team-manager","type":"respond"}
    {"on":"2027-03-25","actor":"iro","type":"escalate","reason":"visit still not booked"}
    {"on":"2027-03-30","actor":"head-of-service","type":"start-duty","duty":"inform-own-manager"}
    {"on":"2027-03-31","actor":"head-of-service","type":"complete-duty","duty":"inform-own-manager"}
    {"on":"2027-04-07","actor":"iro","type":"escalate","reason":"no response from the head of service"}
"#;

#[test]
fn iro_alert_breaches_the_ceiling_over_easter_and_escalates_after_it() {
    let ladder = ladder("iro-dispute-resolution");
    insta::assert_snapshot!(trace(&ladder, IRO_EASTER_BREACH));
    // Good Friday 26 Mar: head of service due 5 Apr, (26 Mar, 5 Apr] = 30, 31,
    // 1, 2, 5: 5 left. Tue 6 Apr: overdue, ceiling breached. Thu 8 Apr: due
    // 12 Apr, (8 Apr, 12 Apr] = 9, 12: 2 left.
    insta::assert_snapshot!(status_text(
        &ladder,
        IRO_EASTER_BREACH,
        &[d(2027, 3, 26), d(2027, 3, 30), d(2027, 4, 6), d(2027, 4, 8)]
    ));
    let state = state_after(&ladder, IRO_EASTER_BREACH);
    assert_eq!(state.ceiling, Some(d(2027, 4, 5)));
    assert_eq!(state.stage.as_deref(), Some("divisional-director"));
    assert_eq!(state.stage_entered_on, Some(d(2027, 4, 7)));
    assert_eq!(state.respond_by, Some(d(2027, 4, 12)));
    assert!(state.respond_by >= state.stage_entered_on);
    assert!(state.breaches.ceiling_breached);
    assert!(!state.breaches.extended_beyond_ceiling);
}

// ---------------------------------------------------------------------------
// The ceiling day (section 2.1: "no more than 20 working days in total")
// ---------------------------------------------------------------------------

/// Raised at the team manager on Monday 4 January 2027.
///
/// - Ceiling: 5-8 Jan (1-4), 11-15 Jan (5-9), 18-22 Jan (10-14), 25-29 Jan
///   (15-19), 1 Feb (20): Mon 1 Feb 2027.
/// - Team manager: 5, 6, 7, 8, 11 Jan: Mon 11 Jan.
/// - Escalated to the head of service on the ceiling day, Mon 1 Feb: the 5
///   working days would end Mon 8 Feb (2, 3, 4, 5, 8), past the ceiling; the
///   ceiling day is the last of the 20, so the stage is capped like every
///   stage entered before it: due Mon 1 Feb, the day it was entered. Not
///   breached: the escalation is on, not after, the ceiling.
const IRO_CEILING_DAY: &str = r#"
    {"on":"2027-01-04","actor":"iro","type":"raise","stage":"team-manager","category":"failure-to-plan","reason":"no pathway plan"}
    {"on":"2027-02-01","actor":"iro","type":"escalate","reason":"no response from the team manager"}
"#;

/// The same alert escalated a day later, Tue 2 Feb, after the ceiling: the
/// escalation breaches it, and the head of service gets the full window, 3,
/// 4, 5, 8, 9 Feb: due Tue 9 Feb.
const IRO_DAY_AFTER_CEILING: &str = r#"
    {"on":"2027-01-04","actor":"iro","type":"raise","stage":"team-manager","category":"failure-to-plan","reason":"no pathway plan"}
    {"on":"2027-02-02","actor":"iro","type":"escalate","reason":"no response from the team manager"}
"#;

#[test]
fn iro_alert_escalated_on_the_ceiling_day_is_due_that_day() {
    let ladder = ladder("iro-dispute-resolution");
    let cal = calendar();
    let (raised, _) = replay(&ladder, &cal, &events(&first(IRO_CEILING_DAY, 1))).unwrap();
    assert_eq!(raised.ceiling, Some(d(2027, 2, 1)));
    assert_eq!(raised.respond_by, Some(d(2027, 1, 11)));
    let escalate = &events(IRO_CEILING_DAY)[1];
    let t = escalation_ladder::engine::apply(&ladder, &cal, &raised, escalate).unwrap();
    assert_eq!(t.state.stage.as_deref(), Some("head-of-service"));
    assert_eq!(t.state.stage_entered_on, Some(d(2027, 2, 1)));
    assert_eq!(t.state.respond_by, Some(d(2027, 2, 1)));
    assert!(!t.state.breaches.ceiling_breached);
    assert!(t.effects().any(|e| e
        == Effect::DeadlineCappedAtCeiling {
            stage: "head-of-service".into(),
            window_ends: d(2027, 2, 8),
            ceiling: d(2027, 2, 1),
        }));
    // As at the ceiling day: due today, 0 working days left; the next
    // working day it is overdue and the ceiling breached.
    let on_the_day = status(&ladder, &cal, &t.state, d(2027, 2, 1)).unwrap();
    assert_eq!(on_the_day.working_days_left, Some(0));
    assert!(!on_the_day.overdue);
    let next_day = status(&ladder, &cal, &t.state, d(2027, 2, 2)).unwrap();
    assert!(next_day.overdue && next_day.breaches.ceiling_breached);

    let after = state_after(&ladder, IRO_DAY_AFTER_CEILING);
    assert_eq!(after.stage_entered_on, Some(d(2027, 2, 2)));
    assert_eq!(after.respond_by, Some(d(2027, 2, 9)));
    assert!(after.breaches.ceiling_breached);
}

/// Raised at the team manager on Thursday 26 November 2026, with Christmas
/// and New Year inside the head of service's window.
///
/// - Ceiling: 27 Nov (1), 30 Nov-4 Dec (2-6), 7-11 Dec (7-11), 14-18 Dec
///   (12-16), 21-24 Dec (17-20): Thu 24 Dec 2026.
/// - Escalated on the ceiling day, Thu 24 Dec: the 5 working days would end
///   Tue 5 Jan 2027 ([25 Dec, 28 Dec], 29, 30, 31 Dec, [1 Jan], 4, 5 Jan):
///   capped at Thu 24 Dec, due that day.
/// - Escalated instead on Tue 29 Dec, the first working day after the
///   ceiling: breached, and its own window: 30, 31 Dec, 4, 5, 6 Jan: Wed 6
///   Jan 2027.
#[test]
fn iro_alert_escalated_on_christmas_eve_ceiling_is_due_that_day() {
    let ladder = ladder("iro-dispute-resolution");
    let raise = r#"{"on":"2026-11-26","actor":"iro","type":"raise","stage":"team-manager","reason":"drift in permanence planning"}"#;
    let on_the_day = state_after(
        &ladder,
        &format!(
            "{raise}\n{}",
            r#"{"on":"2026-12-24","actor":"iro","type":"escalate","reason":"no response"}"#
        ),
    );
    assert_eq!(on_the_day.ceiling, Some(d(2026, 12, 24)));
    assert_eq!(on_the_day.stage.as_deref(), Some("head-of-service"));
    assert_eq!(on_the_day.respond_by, Some(d(2026, 12, 24)));
    assert!(!on_the_day.breaches.ceiling_breached);
    let after = state_after(
        &ladder,
        &format!(
            "{raise}\n{}",
            r#"{"on":"2026-12-29","actor":"iro","type":"escalate","reason":"no response"}"#
        ),
    );
    assert_eq!(after.respond_by, Some(d(2027, 1, 6)));
    assert!(after.breaches.ceiling_breached);
}

/// Raised at the team manager on Thursday 25 March 2027, the day before
/// Good Friday: ceiling Mon 26 Apr 2027 (Good Friday and Easter Monday
/// skipped: 30, 31 Mar, 1, 2 Apr (1-4), 5-9 Apr (5-9), 12-16 Apr (10-14),
/// 19-23 Apr (15-19), 26 Apr (20)). Escalated to the head of service on Mon
/// 19 Apr (20, 21, 22, 23, 26 Apr: due Mon 26 Apr, the ceiling itself, not
/// capped), then to the divisional director on the ceiling day, Mon 26 Apr:
/// 3 working days would end Thu 29 Apr; capped, due Mon 26 Apr.
#[test]
fn iro_alert_reaches_the_divisional_director_on_the_ceiling_day_after_easter() {
    let ladder = ladder("iro-dispute-resolution");
    let lines = r#"
        {"on":"2027-03-25","actor":"iro","type":"raise","stage":"team-manager","reason":"care plan changed"}
        {"on":"2027-04-19","actor":"iro","type":"escalate","reason":"no response from the team manager"}
        {"on":"2027-04-26","actor":"iro","type":"escalate","reason":"discussed with the QA DHOS; no response"}
    "#;
    let at_hos = state_after(&ladder, &first(lines, 2));
    assert_eq!(at_hos.ceiling, Some(d(2027, 4, 26)));
    assert_eq!(at_hos.respond_by, Some(d(2027, 4, 26)));
    let at_dd = state_after(&ladder, lines);
    assert_eq!(at_dd.stage.as_deref(), Some("divisional-director"));
    assert_eq!(at_dd.stage_entered_on, Some(d(2027, 4, 26)));
    assert_eq!(at_dd.respond_by, Some(d(2027, 4, 26)));
    assert!(!at_dd.breaches.ceiling_breached);
    insta::assert_snapshot!(trace(&ladder, lines), @"
    2027-03-25 raise       -> awaiting-response team-manager             | ceiling 2027-04-26; notify qa; notify service-line-manager; ask team-manager; record 'IRO Alert Form and the IRO alert spread sheet'; respond by 2027-04-05
    2027-04-19 escalate    -> awaiting-response head-of-service          | notify qa-head-of-service; ask head-of-service; record 'IRO Alert Form (the same form) and the IRO alert spread sheet'; respond by 2027-04-26
    2027-04-26 escalate    -> awaiting-response divisional-director      | confirm 'the stage 4 matter has been discussed with the QA DHOS and/or HOS'; window end 2027-04-29 capped at ceiling 2027-04-26; notify qa-dhos; ask divisional-director; record 'IRO Alert Form and the IRO alert spread sheet'; respond by 2027-04-26
    ");
}

/// An alert received by the team manager on Saturday 16 January 2027: Monday
/// 18th is day 1, so 18, 19, 20, 21, 22 Jan: due Fri 22 Jan. Ceiling: 18-22 Jan
/// (1-5), 25-29 Jan (6-10), 1-5 Feb (11-15), 8-12 Feb (16-20): Fri 12 Feb 2027.
/// The team manager asks for time beyond the ceiling (to Mon 15 Feb): allowed
/// (no cap), flagged as extended beyond the ceiling. An emergency bypass to the
/// fifth stage asks for the line-manager condition to be confirmed.
const IRO_SATURDAY: &str = r#"
    {"on":"2027-01-16","actor":"iro","type":"raise","stage":"team-manager","category":"key-documentation-missing","reason":"no care plan on file"}
    {"on":"2027-01-22","actor":"team-manager","type":"extend","until":"2027-02-15","reason":"care plan awaiting legal advice; agreed with the IRO"}
    {"on":"2027-02-01","actor":"iro","type":"escalate","to":"deputy-chief-executive","reason":"emergency: placement ends tomorrow"}
    {"on":"2027-02-02","actor":"deputy-chief-executive","type":"respond"}
    {"on":"2027-02-02","actor":"iro","type":"resolve","outcome":"placement extended; care plan agreed"}
"#;

#[test]
fn iro_alert_received_on_a_saturday() {
    let ladder = ladder("iro-dispute-resolution");
    insta::assert_snapshot!(trace(&ladder, IRO_SATURDAY));
    // Sat 16 Jan: due Fri 22 Jan, (16 Jan, 22 Jan] = 18-22: 5 left. Mon 18 Jan: 4.
    insta::assert_snapshot!(status_text(
        &ladder,
        IRO_SATURDAY,
        &[d(2027, 1, 16), d(2027, 1, 18), d(2027, 1, 25)]
    ));
    let raised = state_after(
        &ladder,
        r#"{"on":"2027-01-16","actor":"iro","type":"raise","stage":"team-manager","reason":"r"}"#,
    );
    assert_eq!(raised.respond_by, Some(d(2027, 1, 22)));
    assert_eq!(raised.ceiling, Some(d(2027, 2, 12)));
    let extended = state_after(&ladder, &first(IRO_SATURDAY, 2));
    assert_eq!(extended.respond_by, Some(d(2027, 2, 15)));
    assert!(extended.breaches.extended_beyond_ceiling);
}

/// The route into stage 4 asks for the QA DHOS and/or HOS discussion; the route
/// from stage 4 to stage 5 asks for nothing.
#[test]
fn iro_stage_4_matters_are_discussed_with_qa_before_being_progressed() {
    let ladder = ladder("iro-dispute-resolution");
    let hos = ladder.stage("head-of-service").unwrap();
    let route = hos.next.as_ref().unwrap();
    assert_eq!(&*route.to, "divisional-director");
    assert!(route
        .condition
        .as_deref()
        .unwrap()
        .contains("QA DHOS and/or HOS"));
    assert!(route.provenance.assumption().is_some());
    let dd = ladder.stage("divisional-director").unwrap();
    assert_eq!(dd.next.as_ref().unwrap().condition, None);
    assert!(
        dd.window.max_working_days.is_none(),
        "no cap on agreed extra time"
    );
    assert!(ladder.referrals[0].provenance.assumption().is_some());
}

// ---------------------------------------------------------------------------
// Review decisions (3.3)
// ---------------------------------------------------------------------------

/// Review on Mon 14 Dec 2026; the IRO's 5 working days to send the decisions:
/// 15, 16, 17, 18, 21 Dec: Mon 21 Dec. Sent (received) Fri 18 Dec; the team
/// manager's 5 working days: 21, 22, 23, 24 Dec (1-4), [25, 28 Dec], 29 Dec (5):
/// Tue 29 Dec. No response: time deems the decisions agreed on the first working
/// day after, Wed 30 Dec. The team manager's answer on Mon 4 Jan 2027 is
/// recorded as late and does not undo the agreement.
const LAC_CHRISTMAS: &str = r#"
    {"on":"2026-12-14","actor":"iro","type":"raise","reason":"statutory review held"}
    {"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent to the team manager"}
    {"on":"2027-01-04","actor":"team-manager","type":"respond","outcome":"unable-to-agree"}
"#;

#[test]
fn review_decisions_deemed_agreed_over_christmas_and_a_late_response() {
    let ladder = ladder("lac-review-decisions");
    insta::assert_snapshot!(trace(&ladder, LAC_CHRISTMAS));
    insta::assert_snapshot!(status_text(
        &ladder,
        LAC_CHRISTMAS,
        &[
            d(2026, 12, 24),
            d(2026, 12, 29),
            d(2026, 12, 30),
            d(2027, 1, 4)
        ]
    ));
    let calendar = calendar();
    let all = events(LAC_CHRISTMAS);
    let (sent, _) = replay(&ladder, &calendar, &all[..2]).unwrap();
    assert_eq!(sent.respond_by, Some(d(2026, 12, 29)));
    let on_29th = status(&ladder, &calendar, &sent, d(2026, 12, 29)).unwrap();
    assert_eq!(on_29th.phase, Phase::AwaitingResponse);
    assert_eq!(on_29th.time_acts_on, Some(d(2026, 12, 30)));
    let on_30th = status(&ladder, &calendar, &sent, d(2026, 12, 30)).unwrap();
    assert_eq!(on_30th.phase, Phase::DeemedAgreed);
    let (end, trail) = replay(&ladder, &calendar, &all).unwrap();
    assert_eq!(end.phase, Phase::DeemedAgreed);
    assert_eq!(end.outcome, None, "the late answer chooses no outcome");
    assert_eq!(end.responded_on, Some(d(2027, 1, 4)));
    let deemed = trail
        .iter()
        .find(|e| e.event.actor == "(time)")
        .expect("time acted");
    assert_eq!(deemed.event.on, d(2026, 12, 30));
}

/// Review on Mon 4 Jan 2027: the IRO's window 5, 6, 7, 8, 11 Jan: Mon 11 Jan.
/// The decisions are sent on Saturday 9 January: Monday 11th is day 1, so the
/// team manager has 11, 12, 13, 14, 15 Jan: Fri 15 Jan, and agrees on that day.
const LAC_SATURDAY: &str = r#"
    {"on":"2027-01-04","actor":"iro","type":"raise","reason":"statutory review held"}
    {"on":"2027-01-09","actor":"iro","type":"escalate","reason":"decisions sent to the team manager"}
    {"on":"2027-01-15","actor":"team-manager","type":"respond","outcome":"agreed"}
"#;

#[test]
fn review_decisions_sent_on_a_saturday_and_agreed_on_the_last_day() {
    let ladder = ladder("lac-review-decisions");
    insta::assert_snapshot!(trace(&ladder, LAC_SATURDAY));
    let sent = state_after(&ladder, &first(LAC_SATURDAY, 2));
    assert_eq!(sent.respond_by, Some(d(2027, 1, 15)));
    let end = state_after(&ladder, LAC_SATURDAY);
    assert_eq!(end.phase, Phase::Resolved);
    assert_eq!(end.outcome.as_deref(), Some("agreed"));
}

// ---------------------------------------------------------------------------
// CP conference concerns (sections 9 to 11)
// ---------------------------------------------------------------------------

/// A concern identified at a conference on Thursday 25 March 2027, the day
/// before Good Friday. The Chair's two working days: [26 Mar Good Friday,
/// 29 Mar Easter Monday], 30, 31 Mar: Wed 31 Mar. The Chair holds the
/// discussion on the 31st; it does not resolve the concern, so on Thu 1 Apr the
/// formal process starts at level 3 (not level 2): 2 Apr (1), 5-9 Apr (2-6),
/// 12-15 Apr (7-10): Thu 15 Apr. No response: level 4 on Fri 16 Apr: 19-23 Apr:
/// Fri 23 Apr. The DHOS answers on Thu 22 Apr; unresolved, level 5 on Fri
/// 23 Apr: 26-30 Apr: Fri 30 Apr (the HOS is copied in). On Tue 4 May (Monday
/// 3 May is a bank holiday) the Chair escalates to level 6, in exceptional
/// circumstances (confirmed on the route).
const CP_EASTER: &str = r#"
    {"on":"2027-03-25","actor":"cp-chair","type":"raise","category":"cp-plan-not-implemented","reason":"core group not held since the conference"}
    {"on":"2027-03-31","actor":"cp-chair","type":"respond"}
    {"on":"2027-04-01","actor":"cp-chair","type":"respond","outcome":"not-resolved"}
    {"on":"2027-04-16","actor":"cp-chair","type":"escalate","reason":"no response to the formal concern form"}
    {"on":"2027-04-22","actor":"dhos","type":"respond"}
    {"on":"2027-04-23","actor":"cp-chair","type":"escalate","reason":"unresolved at DHOS level"}
    {"on":"2027-05-04","actor":"cp-chair","type":"escalate","reason":"exceptional: child seriously harmed"}
"#;

#[test]
fn cp_level_1_before_easter_goes_straight_to_level_3() {
    let ladder = ladder("cp-conference-concerns");
    insta::assert_snapshot!(trace(&ladder, CP_EASTER));
    // Good Friday 26 Mar: due 31 Mar, (26 Mar, 31 Mar] = 30, 31: 2 left.
    // Thu 1 Apr: level 3 due 15 Apr, (1 Apr, 15 Apr] = 2, 5-9, 12-15: 10 left.
    // Fri 16 Apr: level 4 due 23 Apr, 19-23: 5 left.
    // Fri 30 Apr: level 5 due that day, 0 left. Mon 3 May (bank holiday): past
    // the date, so overdue, though (30 Apr, 3 May] holds no working day.
    // Tue 4 May: level 6, no window.
    insta::assert_snapshot!(status_text(
        &ladder,
        CP_EASTER,
        &[
            d(2027, 3, 26),
            d(2027, 4, 1),
            d(2027, 4, 16),
            d(2027, 4, 30),
            d(2027, 5, 3),
            d(2027, 5, 4)
        ]
    ));
    let calendar = calendar();
    let all = events(CP_EASTER);
    let at = |n: usize| replay(&ladder, &calendar, &all[..n]).unwrap().0;
    assert_eq!(at(1).respond_by, Some(d(2027, 3, 31)));
    let formal = at(3);
    assert_eq!(formal.stage.as_deref(), Some("level-3"));
    assert_eq!(formal.respond_by, Some(d(2027, 4, 15)));
    assert_eq!(at(4).respond_by, Some(d(2027, 4, 23)));
    assert_eq!(at(6).respond_by, Some(d(2027, 4, 30)));
    let top = at(7);
    assert_eq!(top.stage.as_deref(), Some("level-6"));
    assert_eq!(top.respond_by, None);
    // An unresolved level 1 escalates to level 3 by the plain route too.
    assert_eq!(
        ladder
            .stage("level-1")
            .unwrap()
            .next
            .as_ref()
            .map(|r| &*r.to),
        Some("level-3")
    );
}

/// Level 1 resolved informally, with the team manager's action plan beside the
/// ladder. Raised Mon 7 Dec 2026: the Chair's two working days 8, 9 Dec: Wed
/// 9 Dec. The Chair holds the discussion on Tue 8 Dec; the team manager sets the
/// timescale for the tasks, Fri 18 Dec (an agreed date). The form comes back on
/// Thu 17 Dec and the Chair signs off on Fri 18 Dec.
const CP_ACTION_PLAN: &str = r#"
    {"on":"2026-12-07","actor":"cp-chair","type":"raise","category":"inadequate-practice","reason":"core group minutes not circulated"}
    {"on":"2026-12-08","actor":"cp-chair","type":"respond"}
    {"on":"2026-12-08","actor":"team-manager","type":"start-duty","duty":"action-plan","due":"2026-12-18"}
    {"on":"2026-12-17","actor":"team-manager","type":"complete-duty","duty":"action-plan"}
    {"on":"2026-12-18","actor":"cp-chair","type":"respond","outcome":"signed-off"}
"#;

#[test]
fn cp_level_1_action_plan_and_sign_off() {
    let ladder = ladder("cp-conference-concerns");
    insta::assert_snapshot!(trace(&ladder, CP_ACTION_PLAN));
    // Fri 11 Dec: awaiting the Chair's decision; the action plan due 18 Dec,
    // (11 Dec, 18 Dec] = 14-18: 5 working days, 7 calendar days left.
    insta::assert_snapshot!(status_text(
        &ladder,
        CP_ACTION_PLAN,
        &[d(2026, 12, 7), d(2026, 12, 11), d(2026, 12, 18)]
    ));
    let end = state_after(&ladder, CP_ACTION_PLAN);
    assert_eq!(end.phase, Phase::Resolved);
    assert_eq!(end.outcome.as_deref(), Some("signed-off"));
    assert_eq!(end.duties[0].due, Some(d(2026, 12, 18)));
    assert_eq!(end.duties[0].completed_on, Some(d(2026, 12, 17)));
}

/// Entry at level 3 for an immediate and serious concern on Thu 24 Dec 2026:
/// 10 working days: [25, 28 Dec], 29, 30, 31 Dec (1-3), [1 Jan], 4-8 Jan (4-8),
/// 11, 12 Jan (9-10): Tue 12 Jan 2027. The action plan is not available at the
/// formal levels (refused). A subsequent low level concern starts at level 2
/// (the Chair's two working days), and goes to level 3 when unresolved.
const CP_LEVEL_3_ENTRY: &str = r#"
    {"on":"2026-12-24","actor":"cp-chair","type":"raise","stage":"level-3","category":"safeguarding-not-addressed","reason":"immediate and serious concern: domestic abuse not assessed"}
    {"on":"2026-12-29","actor":"team-manager","type":"start-duty","duty":"action-plan","due":"2027-01-08"}
    {"on":"2027-01-11","actor":"team-manager","type":"respond"}
    {"on":"2027-01-12","actor":"cp-chair","type":"resolve","outcome":"risk assessment completed"}
"#;

const CP_LEVEL_2_ENTRY: &str = r#"
    {"on":"2027-01-29","actor":"cp-chair","type":"raise","stage":"level-2","category":"significant-drift","reason":"subsequent low level concern"}
    {"on":"2027-02-02","actor":"cp-chair","type":"respond"}
    {"on":"2027-02-12","actor":"cp-chair","type":"respond","outcome":"not-resolved"}
"#;

#[test]
fn cp_entries_at_level_3_and_level_2() {
    let ladder = ladder("cp-conference-concerns");
    insta::assert_snapshot!(trace(&ladder, CP_LEVEL_3_ENTRY));
    let serious = state_after(&ladder, &first(CP_LEVEL_3_ENTRY, 1));
    assert_eq!(serious.respond_by, Some(d(2027, 1, 12)));
    // Level 2 raised Fri 29 Jan 2027: 1, 2 Feb: Tue 2 Feb. Unresolved on Fri
    // 12 Feb: level 3, 15-19 Feb (1-5), 22-26 Feb (6-10): Fri 26 Feb.
    insta::assert_snapshot!(trace(&ladder, CP_LEVEL_2_ENTRY));
    let low = state_after(&ladder, CP_LEVEL_2_ENTRY);
    assert_eq!(low.stage.as_deref(), Some("level-3"));
    assert_eq!(low.respond_by, Some(d(2027, 2, 26)));
}

// ---------------------------------------------------------------------------
// IRO / CP chair performance (1.6)
// ---------------------------------------------------------------------------

/// A concern referred to the DHOS on Friday 28 May 2027, before the spring bank
/// holiday on Monday 31 May: 15 working days 1-4 Jun (1-4), 7-11 Jun (5-9),
/// 14-18 Jun (10-14), 21 Jun (15): Mon 21 Jun 2027. Feedback on Fri 18 Jun is
/// not satisfactory: escalated to the QA HOS on Tue 22 Jun (no window).
const CHAIR_BANK_HOLIDAY: &str = r#"
    {"on":"2027-05-28","actor":"team-manager","type":"raise","reason":"review held without the young person's views"}
    {"on":"2027-06-18","actor":"dhos","type":"respond"}
    {"on":"2027-06-22","actor":"team-manager","type":"escalate","reason":"feedback not satisfactory"}
"#;

#[test]
fn chair_performance_concern_over_a_bank_holiday_monday() {
    let ladder = ladder("chair-performance-concerns");
    insta::assert_snapshot!(trace(&ladder, CHAIR_BANK_HOLIDAY));
    // Mon 31 May (bank holiday): (31 May, 21 Jun] = 15 working days left.
    insta::assert_snapshot!(status_text(
        &ladder,
        CHAIR_BANK_HOLIDAY,
        &[d(2027, 5, 31), d(2027, 6, 21), d(2027, 6, 22)]
    ));
    let raised = state_after(&ladder, &first(CHAIR_BANK_HOLIDAY, 1));
    assert_eq!(raised.respond_by, Some(d(2027, 6, 21)));
    let end = state_after(&ladder, CHAIR_BANK_HOLIDAY);
    assert_eq!(end.stage.as_deref(), Some("qa-hos"));
}
