//! Scenarios of source document 000 (Nottingham provider concerns), with dates worked out by hand in the
//! comments: the audit trail (`trace`) and the status on chosen days
//! (`status_text`), snapshotted.
//!
//! Counting: N working days after D is the N-th working day strictly after D
//! (D is day 0; a start on a non-working day makes the next working day day 1).
//! `immediately` is due on the calendar day the duty starts, even a weekend or
//! a bank holiday; `weeks` roll back to a working day.

use escalation_ladder::engine::AlertState;
use escalation_ladder::ladder::{builtin, Ladder};

use crate::calendar::d;
use crate::engine::{state_after, status_text, trace};

fn nottingham() -> Ladder {
    builtin::ladder("nottingham-provider-concerns").unwrap()
}

/// The events without the lines containing `refused` (events the trace shows
/// refused, which `status_text` cannot replay).
fn without(lines: &str, refused: &str) -> String {
    lines
        .lines()
        .filter(|l| !l.contains(refused))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The due date of a duty (its latest start).
fn duty_due(state: &AlertState, duty: &str) -> Option<chrono::NaiveDate> {
    state
        .duties
        .iter()
        .find(|d| &*d.duty == duty)
        .and_then(|d| d.due)
}

// Emergency suspension after a LADO referral, on the Summer bank holiday,
// Monday 31 August 2026.
//
// - Thu 27 Aug: concern raised (a residential worker's restraint of a child),
//   logged; the social worker is informed the same day.
// - Fri 28 Aug: the concern is about an individual working for the provider:
//   LADO referral (stage lado-referral; no window stated).
// - Mon 31 Aug (bank holiday): emergency suspension and emergency removal
//   started. `immediately`: both due Mon 31 Aug itself, not Tue 1 Sep. The
//   ladder stays at lado-referral.
// - The suspension is done on Mon 31 Aug; it starts
//   - the written decision, 10 working days: 31 Aug is not a working day, so
//     day 1 is Tue 1 Sep: 1, 2, 3, 4 (Fri), 7, 8, 9, 10, 11 (Fri), 14 ->
//     due Mon 14 Sep 2026;
//   - informing the East Midlands Regional Childrens Framework (no time stated:
//     open, with no date)
//     (assumption): day 1 is Tue 1 Sep -> due Tue 1 Sep.
// - Wed 2 Sep: the LADO's Strategy Meeting (a step; no clock).
// - Tue 15 Sep: the written decision is overdue (due 14 Sep); done Wed 16 Sep.
const EMERGENCY_AFTER_LADO: &str = r#"
    {"on":"2026-08-27","actor":"contracts-officer","type":"raise","category":"other-professional","reason":"restraint of a child by a residential worker"}
    {"on":"2026-08-27","actor":"contracts-officer","type":"escalate","reason":"logged; social worker informed"}
    {"on":"2026-08-28","actor":"social-worker","type":"respond","outcome":"about-individual"}
    {"on":"2026-08-31","actor":"placements-service-manager","type":"start-duty","duty":"emergency-suspension"}
    {"on":"2026-08-31","actor":"social-worker","type":"start-duty","duty":"emergency-removal"}
    {"on":"2026-08-31","actor":"social-worker","type":"complete-duty","duty":"emergency-removal"}
    {"on":"2026-08-31","actor":"placements-service-manager","type":"complete-duty","duty":"emergency-suspension"}
    {"on":"2026-09-01","actor":"contracts-officer","type":"complete-duty","duty":"inform-regional-framework"}
    {"on":"2026-09-02","actor":"lado","type":"step","step":"strategy-meeting"}
    {"on":"2026-09-16","actor":"director-of-social-care","type":"complete-duty","duty":"suspension-written-decision"}
"#;

#[test]
fn emergency_suspension_after_a_lado_referral_on_a_bank_holiday_monday() {
    let ladder = nottingham();
    insta::assert_snapshot!(trace(&ladder, EMERGENCY_AFTER_LADO));
    insta::assert_snapshot!(status_text(
        &ladder,
        EMERGENCY_AFTER_LADO,
        &[
            d(2026, 8, 28),
            d(2026, 8, 31),
            d(2026, 9, 14),
            d(2026, 9, 15),
            d(2026, 9, 16)
        ]
    ));
    let after = state_after(&ladder, EMERGENCY_AFTER_LADO);
    assert_eq!(after.stage.as_deref(), Some("lado-referral"));
    assert_eq!(
        duty_due(&after, "emergency-suspension"),
        Some(d(2026, 8, 31))
    );
    assert_eq!(duty_due(&after, "emergency-removal"), Some(d(2026, 8, 31)));
    assert_eq!(
        duty_due(&after, "suspension-written-decision"),
        Some(d(2026, 9, 14))
    );
    // The framework is to be told of the suspension; the document sets no
    // time, so the duty is open with no date.
    assert_eq!(duty_due(&after, "inform-regional-framework"), None);
    assert!(after.duties.iter().any(
        |duty| &*duty.duty == "inform-regional-framework" && duty.started_on == d(2026, 8, 31)
    ));
    assert_eq!(after.step_on("strategy-meeting"), Some(d(2026, 9, 2)));
}

// The suspension decision over Christmas 2026, raised at the suspension stage
// (an entry stage: the concern is significant, Ofsted judged the home
// inadequate).
//
// - Mon 14 Dec: raised at suspension. The window counts from the report being
//   passed for decision (assumption), so nothing is due yet.
// - Wed 16 Dec: report compiled. Thu 17 Dec: still awaiting report-passed.
// - Fri 18 Dec: signed and passed to the Heads of Service and the Director.
//   10 working days: Mon 21, 22, 23, Thu 24 (4), [Fri 25 Christmas, Sat, Sun,
//   Mon 28 Boxing Day substitute], Tue 29 (5), 30, 31 (7), [Fri 1 Jan, Sat,
//   Sun], Mon 4 Jan (8), 5, Wed 6 Jan (10) -> respond by Wed 6 January 2027.
// - Thu 24 Dec: 6 working days left (29, 30, 31, 4, 5, 6).
// - Tue 5 Jan 2027: suspended -> reinstatement (nothing due until the follow
//   up report); the notice to the regional framework starts, with no date
//   (none is stated), and is open until it is done.
const SUSPENSION_OVER_CHRISTMAS: &str = r#"
    {"on":"2026-12-14","actor":"contracts-officer","type":"raise","stage":"suspension","category":"ofsted-judgement","reason":"Ofsted judged the home inadequate"}
    {"on":"2026-12-16","actor":"contracts-officer","type":"step","step":"report-compiled"}
    {"on":"2026-12-18","actor":"placements-service-manager","type":"step","step":"report-passed"}
    {"on":"2027-01-05","actor":"director-of-social-care","type":"respond","outcome":"suspended"}
"#;

#[test]
fn suspension_decision_over_christmas_2026() {
    let ladder = nottingham();
    insta::assert_snapshot!(trace(&ladder, SUSPENSION_OVER_CHRISTMAS));
    insta::assert_snapshot!(status_text(
        &ladder,
        SUSPENSION_OVER_CHRISTMAS,
        &[
            d(2026, 12, 17),
            d(2026, 12, 24),
            d(2027, 1, 5),
            d(2027, 1, 7)
        ]
    ));
    let before = state_after(
        &ladder,
        &SUSPENSION_OVER_CHRISTMAS
            .lines()
            .filter(|l| !l.contains("\"respond\""))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert_eq!(before.respond_by, Some(d(2027, 1, 6)));
    let after = state_after(&ladder, SUSPENSION_OVER_CHRISTMAS);
    assert_eq!(after.stage.as_deref(), Some("reinstatement"));
    assert_eq!(after.respond_by, None);
    assert_eq!(duty_due(&after, "inform-regional-framework"), None);
}

// Re-instatement counted from the follow up report, across the Summer bank
// holiday, Monday 30 August 2027.
//
// - Mon 2 Aug: raised at suspension (death of a child in care); the report is
//   passed the same day: due 3, 4, 5, 6, 9, 10, 11, 12, 13, Mon 16 Aug.
// - Fri 6 Aug: suspended -> reinstatement; the framework notice is due Mon 9
//   Aug (done that day).
// - Mon 16 Aug: extra time is refused: the clock waits for the follow up
//   report. Status: nothing due, awaiting step follow-up-report (the QA
//   Officer and the Placements Service Manager must act).
// - Tue 17 Aug: unannounced QA visit (a step; the clock still waits).
// - Thu 19 Aug: follow up report sent for decision: the clock starts. 10
//   working days: Fri 20 (1), Mon 23, 24, 25, 26, Fri 27 (6), [Mon 30 bank
//   holiday], Tue 31 (7), Wed 1 Sep, Thu 2, Fri 3 Sep (10) -> due Fri 3
//   September 2027 (not 2 Sep: the bank holiday does not count).
// - Mon 30 Aug (bank holiday): 4 working days left (31, 1, 2, 3).
// - Mon 6 Sep: overdue; the decision comes on Tue 7 Sep (late, flagged only).
const REINSTATEMENT_AUGUST_2027: &str = r#"
    {"on":"2027-08-02","actor":"contracts-officer","type":"raise","stage":"suspension","reason":"death of a child in care"}
    {"on":"2027-08-02","actor":"placements-service-manager","type":"step","step":"report-passed"}
    {"on":"2027-08-06","actor":"head-of-contracting","type":"respond","outcome":"suspended"}
    {"on":"2027-08-09","actor":"contracts-officer","type":"complete-duty","duty":"inform-regional-framework"}
    {"on":"2027-08-16","actor":"qa-officer","type":"extend","until":"2027-09-30","reason":"visit not yet possible"}
    {"on":"2027-08-17","actor":"qa-officer","type":"step","step":"qa-visit"}
    {"on":"2027-08-19","actor":"placements-service-manager","type":"step","step":"follow-up-report"}
    {"on":"2027-09-07","actor":"director-of-social-care","type":"respond","outcome":"reinstated"}
"#;

#[test]
fn reinstatement_counted_from_the_follow_up_report_across_the_august_2027_bank_holiday() {
    let ladder = nottingham();
    insta::assert_snapshot!(trace(&ladder, REINSTATEMENT_AUGUST_2027));
    insta::assert_snapshot!(status_text(
        &ladder,
        &without(REINSTATEMENT_AUGUST_2027, r#""type":"extend""#),
        &[
            d(2027, 8, 2),
            d(2027, 8, 16),
            d(2027, 8, 18),
            d(2027, 8, 19),
            d(2027, 8, 30),
            d(2027, 9, 6),
            d(2027, 9, 7)
        ]
    ));
    let without_refused = without(REINSTATEMENT_AUGUST_2027, r#""type":"extend""#);
    let report_passed = state_after(
        &ladder,
        &without_refused
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert_eq!(report_passed.respond_by, Some(d(2027, 8, 16)));
    let visited = state_after(
        &ladder,
        &without_refused
            .lines()
            .filter(|l| !l.contains("follow-up-report") && !l.contains("reinstated"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert_eq!(visited.stage.as_deref(), Some("reinstatement"));
    assert_eq!(visited.respond_by, None);
    let reported = state_after(
        &ladder,
        &without_refused
            .lines()
            .filter(|l| !l.contains("reinstated"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert_eq!(reported.respond_by, Some(d(2027, 9, 3)));
}

// The provider meeting over Easter 2027, with the action plan's review date.
//
// - Mon 1 Mar: raised (from an IRO), logged; social worker informed.
// - Tue 2 Mar: the social worker responds without a branch (optional
//   outcome): the Contracts Officer decides; Wed 3 Mar: on to evidence.
// - Mon 8 Mar: concerns raised with the provider; Fri 12 Mar: its response.
// - Mon 15 Mar: step 9 (Placement Panel) started, no date; the response is
//   unsatisfactory: provider meeting within 2 weeks: Mon 29 Mar is Easter
//   Monday, rolled back past Sun 28, Sat 27 and Good Friday 26 Mar to Thu 25
//   March 2027.
// - Wed 24 Mar: 1 working day left.
// - Thu 25 Mar: the meeting is held (a plain response: awaiting the Contracts
//   Officer's decision) and the review date is agreed: Thu 22 April 2027
//   (agreed-date). Fri 26 Mar (Good Friday): the review is due 22 Apr.
// - Thu 22 Apr: reviewed. Fri 23 Apr: concerns remain; with the Placements
//   Service Manager's agreement, on to consider suspension (the route's
//   condition is asked to be confirmed); its clock waits for the report.
const PROVIDER_MEETING_EASTER_2027: &str = r#"
    {"on":"2027-03-01","actor":"contracts-officer","type":"raise","category":"iro","reason":"missing episodes not notified"}
    {"on":"2027-03-01","actor":"contracts-officer","type":"escalate","reason":"logged; social worker informed"}
    {"on":"2027-03-02","actor":"social-worker","type":"respond"}
    {"on":"2027-03-03","actor":"contracts-officer","type":"escalate","reason":"child to remain in placement"}
    {"on":"2027-03-05","actor":"contracts-officer","type":"step","step":"evidence"}
    {"on":"2027-03-08","actor":"contracts-officer","type":"escalate","reason":"protocol completed"}
    {"on":"2027-03-12","actor":"contracts-officer","type":"escalate","reason":"provider's response received"}
    {"on":"2027-03-15","actor":"contracts-officer","type":"start-duty","duty":"placement-panel"}
    {"on":"2027-03-15","actor":"contracts-officer","type":"respond","outcome":"unsatisfactory"}
    {"on":"2027-03-25","actor":"contracts-officer","type":"respond"}
    {"on":"2027-03-25","actor":"contracts-officer","type":"start-duty","duty":"action-plan-review","due":"2027-04-22"}
    {"on":"2027-04-22","actor":"contracts-officer","type":"complete-duty","duty":"action-plan-review"}
    {"on":"2027-04-23","actor":"contracts-officer","type":"escalate","reason":"concerns remain; suspension agreed with the Placements Service Manager"}
"#;

#[test]
fn provider_meeting_over_easter_2027_with_an_action_plan_review_date() {
    let ladder = nottingham();
    insta::assert_snapshot!(trace(&ladder, PROVIDER_MEETING_EASTER_2027));
    insta::assert_snapshot!(status_text(
        &ladder,
        PROVIDER_MEETING_EASTER_2027,
        &[
            d(2027, 3, 15),
            d(2027, 3, 24),
            d(2027, 3, 26),
            d(2027, 4, 23)
        ]
    ));
    let meeting = state_after(
        &ladder,
        &PROVIDER_MEETING_EASTER_2027
            .lines()
            .filter(|l| !l.contains(r#""on":"2027-03-25""#) && !l.contains(r#""on":"2027-04-"#))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert_eq!(meeting.stage.as_deref(), Some("provider-meeting"));
    assert_eq!(meeting.respond_by, Some(d(2027, 3, 25)));
    let held = state_after(
        &ladder,
        &PROVIDER_MEETING_EASTER_2027
            .lines()
            .filter(|l| !l.contains(r#""on":"2027-04-"#))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert_eq!(duty_due(&held, "action-plan-review"), Some(d(2027, 4, 22)));
    let after = state_after(&ladder, PROVIDER_MEETING_EASTER_2027);
    assert_eq!(after.stage.as_deref(), Some("suspension"));
    assert_eq!(after.respond_by, None);
}

// A concern received on Saturday 10 October 2026 (a child on the
// out-of-hours line), and a satisfactory outcome.
//
// - Sat 10 Oct: raised; emergency removal started: `immediately`, due Sat 10
//   Oct itself (0 days left), not Mon 12 Oct. The concern-logged stage has no
//   window. The removal is recorded on Sun 11 Oct, a day late.
// - Mon 12 Oct: on to the social worker; step 9 is refused there (available
//   from step 8 on).
// - Tue 13 Oct: social worker's view (no branch); Wed 14 Oct: evidence; Mon 19
//   Oct: concerns raised with the provider; Fri 23 Oct: response received.
// - Mon 26 Oct: steps 10 and 11 started (no date); sharing done Tue 27 Oct.
// - Wed 28 Oct: satisfactory: resolved; the three duties of a satisfactory
//   outcome start (no date); the outcome is logged on Fri 30 Oct, after the
//   alert closed.
const SATURDAY_CONCERN: &str = r#"
    {"on":"2026-10-10","actor":"contracts-officer","type":"raise","category":"child","reason":"no waking night staff"}
    {"on":"2026-10-10","actor":"social-worker","type":"start-duty","duty":"emergency-removal"}
    {"on":"2026-10-11","actor":"social-worker","type":"complete-duty","duty":"emergency-removal"}
    {"on":"2026-10-12","actor":"contracts-officer","type":"escalate","reason":"logged; social worker informed"}
    {"on":"2026-10-12","actor":"contracts-officer","type":"start-duty","duty":"placement-panel"}
    {"on":"2026-10-13","actor":"social-worker","type":"respond"}
    {"on":"2026-10-14","actor":"contracts-officer","type":"escalate","reason":"on to evidence"}
    {"on":"2026-10-19","actor":"contracts-officer","type":"escalate","reason":"protocol completed"}
    {"on":"2026-10-23","actor":"contracts-officer","type":"escalate","reason":"provider's response received"}
    {"on":"2026-10-26","actor":"contracts-officer","type":"start-duty","duty":"qa-visit-considered"}
    {"on":"2026-10-26","actor":"contracts-officer","type":"start-duty","duty":"share-concerns"}
    {"on":"2026-10-27","actor":"contracts-officer","type":"complete-duty","duty":"share-concerns"}
    {"on":"2026-10-28","actor":"contracts-officer","type":"respond","outcome":"satisfactory"}
    {"on":"2026-10-30","actor":"contracts-officer","type":"complete-duty","duty":"satisfactory-outcome-logged"}
"#;

#[test]
fn concern_received_on_a_saturday() {
    let ladder = nottingham();
    insta::assert_snapshot!(trace(&ladder, SATURDAY_CONCERN));
    insta::assert_snapshot!(status_text(
        &ladder,
        &without(SATURDAY_CONCERN, r#""duty":"placement-panel""#),
        &[
            d(2026, 10, 10),
            d(2026, 10, 12),
            d(2026, 10, 28),
            d(2026, 10, 30)
        ]
    ));
    let saturday = state_after(
        &ladder,
        &SATURDAY_CONCERN
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert_eq!(
        duty_due(&saturday, "emergency-removal"),
        Some(d(2026, 10, 10))
    );
    assert_eq!(saturday.respond_by, None);
}

// The main route through Christmas 2026, with a LADO referral (moved from
// engine.rs and brought up to date).
//
// - Mon 7 Dec raised and logged; Tue 8 Dec: about an individual -> LADO.
// - Wed 9 to Fri 11 Dec: evidence, concerns raised, response received.
// - Mon 14 Dec: unsatisfactory -> provider meeting within 2 weeks: Mon 28 Dec
//   (Boxing Day substitute) rolls back past Sun 27, Sat 26 and Christmas Day
//   to Thu 24 December 2026.
// - Wed 23 Dec: concerns remain -> suspension (condition to confirm); report
//   compiled the same day; nothing due until the report is passed.
// - Mon 4 Jan 2027: report passed: 10 working days: 5, 6, 7, 8, 11, 12, 13,
//   14, 15, Mon 18 Jan.
// - Tue 5 Jan: suspended -> reinstatement; framework notice due Wed 6 Jan.
// - Wed 20 Jan: QA visit; Fri 22 Jan: follow up report: 10 working days:
//   25, 26, 27, 28, 29, Feb 1, 2, 3, 4, Fri 5 February 2027.
// - Mon 1 Feb: re-instated.
const MAIN_ROUTE: &str = r#"
    {"on":"2026-12-07","actor":"contracts-officer","type":"raise","category":"ofsted-judgement","reason":"Ofsted judgement: requires improvement"}
    {"on":"2026-12-07","actor":"contracts-officer","type":"escalate","reason":"logged; social worker next"}
    {"on":"2026-12-08","actor":"social-worker","type":"respond","outcome":"about-individual"}
    {"on":"2026-12-09","actor":"lado","type":"escalate","reason":"LADO informed; gather evidence"}
    {"on":"2026-12-10","actor":"contracts-officer","type":"escalate","reason":"evidence gathered"}
    {"on":"2026-12-11","actor":"contracts-officer","type":"escalate","reason":"concerns raised with provider"}
    {"on":"2026-12-14","actor":"contracts-officer","type":"respond","outcome":"unsatisfactory"}
    {"on":"2026-12-23","actor":"contracts-officer","type":"escalate","reason":"concerns remain after the provider meeting"}
    {"on":"2026-12-23","actor":"contracts-officer","type":"step","step":"report-compiled"}
    {"on":"2027-01-04","actor":"placements-service-manager","type":"step","step":"report-passed"}
    {"on":"2027-01-05","actor":"director-of-social-care","type":"respond","outcome":"suspended"}
    {"on":"2027-01-06","actor":"contracts-officer","type":"complete-duty","duty":"inform-regional-framework"}
    {"on":"2027-01-20","actor":"qa-officer","type":"step","step":"qa-visit"}
    {"on":"2027-01-22","actor":"placements-service-manager","type":"step","step":"follow-up-report"}
    {"on":"2027-02-01","actor":"head-of-children-in-care","type":"respond","outcome":"reinstated"}
"#;

#[test]
fn unsatisfactory_response_suspension_and_reinstatement() {
    let ladder = nottingham();
    insta::assert_snapshot!(trace(&ladder, MAIN_ROUTE));
    let upto = |last: usize| MAIN_ROUTE.lines().take(last).collect::<Vec<_>>().join("\n");
    // The text's first line is empty: take(8) is the first 7 events (to the
    // unsatisfactory response), take(11) to the report passed, take(15) to the
    // follow up report.
    assert_eq!(
        state_after(&ladder, &upto(8)).respond_by,
        Some(d(2026, 12, 24))
    );
    assert_eq!(
        state_after(&ladder, &upto(11)).respond_by,
        Some(d(2027, 1, 18))
    );
    assert_eq!(
        state_after(&ladder, &upto(15)).respond_by,
        Some(d(2027, 2, 5))
    );
    let after = state_after(&ladder, MAIN_ROUTE);
    assert_eq!(after.outcome.as_deref(), Some("reinstated"));
}

// Emergency removal on Christmas Day 2026 (moved from engine.rs): due Fri 25
// December itself; overdue on Mon 28 Dec (a bank holiday, but the duty is
// calendar-day immediate); recorded Tue 29 Dec. The ladder stays at
// concern-logged, with no window.
const CHRISTMAS_DAY_REMOVAL: &str = r#"
    {"on":"2026-12-25","actor":"contracts-officer","type":"raise","reason":"evidence of significant harm"}
    {"on":"2026-12-25","actor":"social-worker","type":"start-duty","duty":"emergency-removal"}
    {"on":"2026-12-29","actor":"social-worker","type":"complete-duty","duty":"emergency-removal"}
"#;

#[test]
fn emergency_removal_on_christmas_day() {
    let ladder = nottingham();
    insta::assert_snapshot!(trace(&ladder, CHRISTMAS_DAY_REMOVAL));
    insta::assert_snapshot!(status_text(
        &ladder,
        CHRISTMAS_DAY_REMOVAL,
        &[d(2026, 12, 25), d(2026, 12, 28), d(2026, 12, 29)]
    ));
    let after = state_after(&ladder, CHRISTMAS_DAY_REMOVAL);
    assert_eq!(duty_due(&after, "emergency-removal"), Some(d(2026, 12, 25)));
    assert_eq!(after.stage.as_deref(), Some("concern-logged"));
}
