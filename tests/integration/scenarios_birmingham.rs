//! Scenarios of source document 004 (Birmingham) and 002 (Nottinghamshire inspection schedule), with dates worked out by hand in the
//! comments: the audit trail (`trace`) and the status on chosen days
//! (`status_text`), snapshotted.
//!
//! England and Wales bank holidays used below: 2026: 31 August (summer), 25 and
//! 28 December (Christmas, Boxing Day substitute); 2027: 1 January, 26 March
//! (Good Friday), 29 March (Easter Monday), 3 May, 31 May. N working days after
//! D is the N-th working day strictly after D (D is day 0).

#[allow(unused_imports)]
use crate::engine::{status_text, trace};

use escalation_ladder::engine::{replay, schedule_dates, status, Event};
use escalation_ladder::ladder::{builtin, Ladder};
use escalation_ladder::{Region, WorkingCalendar};

use crate::calendar::d;

fn birmingham() -> Ladder {
    builtin::ladder("birmingham-cp-notification").unwrap()
}

fn calendar() -> WorkingCalendar {
    WorkingCalendar::new(Region::EnglandAndWales)
}

/// The status as at `as_of` of the events dated on or before it.
fn status_on<'l>(
    ladder: &'l Ladder,
    lines: &str,
    as_of: chrono::NaiveDate,
) -> escalation_ladder::engine::Status<'l> {
    let cal = calendar();
    let events: Vec<Event> = crate::engine::events(lines)
        .into_iter()
        .filter(|e| e.on <= as_of)
        .collect();
    let (state, _) = replay(ladder, &cal, &events).unwrap();
    status(ladder, &cal, &state, as_of).unwrap()
}

// Good Friday, 26 March 2027. The Chair contacts the Team Manager about a child's
// immediate safety: an `immediately` window, due that calendar day although it
// is a bank holiday. Not resolved, it is escalated the same day to both Heads of
// Service: due the same day again (26 March).
// - Saturday 27 March: one calendar day late (OVERDUE, -1 calendar days; no
//   working day lies between the 26th and the 27th, so 0 working days).
// - Tuesday 30 March (after Easter Monday): -4 calendar days; 30 March is the
//   only working day in (26, 30], so -1 working day.
// The referral duty beside the ladder is refused at the referral stage itself
// (it is available only while a Notification of Concern is open). The Head of
// Service resolves on Tuesday 30th: feedback starts (no window is stated).
const GOOD_FRIDAY_RAISED: &str = r#"
    {"on":"2027-03-26","actor":"conference-chair","type":"raise","stage":"immediate-safety-discussion","category":"immediate-safety","reason":"child left with an unassessed adult"}
    {"on":"2027-03-26","actor":"conference-chair","type":"escalate","reason":"not resolved with the Team Manager"}
"#;

/// Refused: the referral duty at the referral stage itself.
const REFERRAL_AT_THE_REFERRAL_STAGE: &str = r#"
    {"on":"2027-03-26","actor":"conference-chair","type":"start-duty","duty":"immediate-safety-referral"}
"#;

const GOOD_FRIDAY_RESOLVED: &str = r#"
    {"on":"2027-03-30","actor":"cp-head-of-service","type":"resolve","outcome":"strategy discussion held; child placed with grandparents"}
"#;

#[test]
fn immediate_safety_raised_on_good_friday_2027_is_due_that_day() {
    let ladder = birmingham();
    insta::assert_snapshot!(trace(
        &ladder,
        &format!("{GOOD_FRIDAY_RAISED}{REFERRAL_AT_THE_REFERRAL_STAGE}{GOOD_FRIDAY_RESOLVED}")
    ));
    let good_friday = format!("{GOOD_FRIDAY_RAISED}{GOOD_FRIDAY_RESOLVED}");
    let good_friday = good_friday.as_str();
    insta::assert_snapshot!(status_text(
        &ladder,
        good_friday,
        &[d(2027, 3, 26), d(2027, 3, 27), d(2027, 3, 30)]
    ));
    let friday = status_on(&ladder, good_friday, d(2027, 3, 26));
    assert_eq!(friday.stage.as_deref(), Some("immediate-safety"));
    assert_eq!(friday.next_deadline, Some(d(2027, 3, 26)));
    assert!(!friday.overdue);
    let saturday = status_on(&ladder, good_friday, d(2027, 3, 27));
    assert!(saturday.overdue);
    assert_eq!(saturday.calendar_days_left, Some(-1));
    assert_eq!(saturday.working_days_left, Some(0));
    let tuesday = status_on(&ladder, good_friday, d(2027, 3, 30));
    assert_eq!(tuesday.duties.len(), 1);
    assert_eq!(tuesday.duties[0].duty, "feedback");
    assert_eq!(tuesday.duties[0].due, None);
}

// A notification raised directly at stage 2 (entry at a higher management level)
// on Thursday 27 August 2026. 5 working days: 28 August (1), [Monday 31 August,
// summer bank holiday, skipped], 1 (2), 2 (3), 3 (4), 4 September (5): due
// Friday 4 September. The open threshold's clock starts on the 27th (stage 2 is
// a formal stage).
// On the bank holiday Monday, 31 August, the Chair learns the child is not safe
// from harm: the referral duty beside the ladder is due that day (notifying
// both Heads of Service), and the notification stays at stage 2.
// - 31 August: duty due today (0 calendar days); stage 2 has 4 working days left
//   (1, 2, 3, 4 September) and 4 calendar days.
// - Tuesday 1 September: the duty is OVERDUE (-1 calendar, -1 working day: 1
//   September is the only working day in (31 August, 1 September]).
// The duty is done on 2 September; the Area Head of Service responds on the 3rd;
// the Head of Service resolves on Friday 4th (in time): feedback starts. Feedback
// given on Monday 14th starts the discussion of the learning.
const AUGUST_BANK_HOLIDAY: &str = r#"
    {"on":"2026-08-27","actor":"cp-head-of-service","type":"raise","stage":"stage-2","category":"plan-not-meeting-safety-needs","reason":"plan does not address domestic abuse"}
    {"on":"2026-08-31","actor":"conference-chair","type":"start-duty","duty":"immediate-safety-referral"}
    {"on":"2026-09-02","actor":"conference-chair","type":"complete-duty","duty":"immediate-safety-referral"}
    {"on":"2026-09-03","actor":"area-head-of-service","type":"respond"}
    {"on":"2026-09-04","actor":"cp-head-of-service","type":"resolve","outcome":"plan revised at an early review conference"}
    {"on":"2026-09-14","actor":"line-manager","type":"complete-duty","duty":"feedback"}
"#;

#[test]
fn entry_at_stage_2_and_an_immediate_safety_referral_on_the_august_2026_bank_holiday() {
    let ladder = birmingham();
    insta::assert_snapshot!(trace(&ladder, AUGUST_BANK_HOLIDAY));
    insta::assert_snapshot!(status_text(
        &ladder,
        AUGUST_BANK_HOLIDAY,
        &[d(2026, 8, 31), d(2026, 9, 1), d(2026, 9, 7), d(2026, 9, 15)]
    ));
    let monday = status_on(&ladder, AUGUST_BANK_HOLIDAY, d(2026, 8, 31));
    assert_eq!(monday.stage.as_deref(), Some("stage-2"));
    assert_eq!(monday.next_deadline, Some(d(2026, 9, 4)));
    assert_eq!(monday.working_days_left, Some(4));
    assert_eq!(monday.duties[0].duty, "immediate-safety-referral");
    assert_eq!(monday.duties[0].due, Some(d(2026, 8, 31)));
    assert!(!monday.duties[0].overdue);
    let tuesday = status_on(&ladder, AUGUST_BANK_HOLIDAY, d(2026, 9, 1));
    assert!(tuesday.duties[0].overdue);
    assert_eq!(tuesday.duties[0].calendar_days_left, Some(-1));
    let after = status_on(&ladder, AUGUST_BANK_HOLIDAY, d(2026, 9, 15));
    let open: Vec<&str> = after.duties.iter().map(|d| &*d.duty).collect();
    assert_eq!(open, ["learning"]);
}

// The same bank holiday Monday, 31 August 2026, outside any notification: a
// concern raised straight at the referral to both Heads of Service is due that
// day, and overdue on Tuesday 1 September (-1 working day: the 1st is the only
// working day in (31 August, 1 September]; -1 calendar day).
const AUGUST_REFERRAL: &str = r#"
    {"on":"2026-08-31","actor":"conference-chair","type":"raise","stage":"immediate-safety","reason":"child returned home against the plan"}
"#;

#[test]
fn immediate_safety_raised_on_the_august_2026_bank_holiday_monday_is_due_that_day() {
    let ladder = birmingham();
    insta::assert_snapshot!(status_text(
        &ladder,
        AUGUST_REFERRAL,
        &[d(2026, 8, 31), d(2026, 9, 1)]
    ));
    let monday = status_on(&ladder, AUGUST_REFERRAL, d(2026, 8, 31));
    assert_eq!(monday.next_deadline, Some(d(2026, 8, 31)));
    assert!(!monday.overdue);
    let tuesday = status_on(&ladder, AUGUST_REFERRAL, d(2026, 9, 1));
    assert!(tuesday.overdue);
    assert_eq!(tuesday.working_days_left, Some(-1));
    assert_eq!(tuesday.calendar_days_left, Some(-1));
    // A Notification of Concern it is not: the threshold never starts.
    let later = status_on(&ladder, AUGUST_REFERRAL, d(2026, 10, 30));
    assert!(!later.over_open_threshold);
}

// The 20 working days of the open threshold run from the formal notification,
// not from the informal discussion, across Easter 2027.
// - Raised informally on Monday 22 February: due 5 working days later, 23, 24,
//   25, 26 February, 1 March: Monday 1 March.
// - Escalated on 2 March to the Child Protection line manager (no window); the
//   reflective practice discussion is recorded on the 4th.
// - Formal notification (stage 1) on Monday 8 March: the threshold clock starts;
//   stage 1 due 9, 10, 11, 12, 15: Monday 15 March.
// - Stage 2 on 15 March (the line-manager discussion asked to be confirmed): due
//   16, 17, 18, 19, 22: Monday 22 March.
// - Stage 3 on Tuesday 23 March: due 24, 25, [26 Good Friday, 29 Easter Monday],
//   30, 31 March, 1 April: Thursday 1 April. Response on 1 April.
// Counted from 22 February, 20 working days end on 22 March (Feb 23-26: 4, Mar
// 1-5: 9, 8-12: 14, 15-19: 19, 22: 20), so 23 March would be over; counted from
// 8 March, 23 March is only 11 (9-12, 15-19, 22, 23). From 8 March: 9-12 (4),
// 15-19 (9), 22-25 (13), 30, 31 (15), 1, 2 April (17), 5, 6, 7 (20): Wednesday 7
// April is 20 (not older than 20), Thursday 8 April 21 (over), Friday 9th 22.
const THRESHOLD: &str = r#"
    {"on":"2027-02-22","actor":"conference-chair","type":"raise","category":"lack-of-progress","reason":"core group not meeting"}
    {"on":"2027-03-02","actor":"conference-chair","type":"escalate","reason":"not resolved within 5 working days"}
    {"on":"2027-03-04","actor":"conference-chair","type":"step","step":"reflective-practice-discussion"}
    {"on":"2027-03-08","actor":"cp-line-manager","type":"escalate","reason":"formal and reportable Notification of Concern triggered"}
    {"on":"2027-03-12","actor":"team-manager","type":"respond"}
    {"on":"2027-03-15","actor":"conference-chair","type":"escalate","reason":"response does not address the plan"}
    {"on":"2027-03-22","actor":"area-head-of-service","type":"respond"}
    {"on":"2027-03-23","actor":"cp-head-of-service","type":"escalate","reason":"no agreement between Heads of Service"}
    {"on":"2027-04-01","actor":"area-assistant-director","type":"respond"}
"#;

#[test]
fn open_threshold_counts_from_stage_1_not_from_the_informal_start() {
    let ladder = birmingham();
    insta::assert_snapshot!(trace(&ladder, THRESHOLD));
    insta::assert_snapshot!(status_text(
        &ladder,
        THRESHOLD,
        &[
            d(2027, 3, 1),
            d(2027, 3, 23),
            d(2027, 4, 7),
            d(2027, 4, 8),
            d(2027, 4, 9)
        ]
    ));
    let over = |day| status_on(&ladder, THRESHOLD, day).over_open_threshold;
    assert!(
        !over(d(2027, 3, 23)),
        "21 working days from raising, 11 from stage 1"
    );
    assert!(!over(d(2027, 4, 7)), "20 working days from stage 1");
    assert!(over(d(2027, 4, 8)), "21 working days from stage 1");
    assert!(over(d(2027, 4, 9)));
    assert_eq!(
        status_on(&ladder, THRESHOLD, d(2027, 3, 23)).next_deadline,
        Some(d(2027, 4, 1))
    );
}

// Christmas 2026, informal stage. Raised on Friday 18 December: 5 working days,
// 21, 22, 23, 24, [25 Christmas Day, 28 Boxing Day substitute], 29: due Tuesday
// 29 December; the PO Case Note is recorded. The QA template record and the
// core group duties are started beside it (no window stated).
// - 24 December: 1 working day left (29th), 5 calendar days.
// - 29 December: due today.
// - 30 December: OVERDUE, escalation due (-1 working, -1 calendar day).
// The Team Manager answers late on 31 December; the Chair resolves on Monday 4
// January 2027 (after New Year's Day): feedback starts.
const CHRISTMAS: &str = r#"
    {"on":"2026-12-18","actor":"conference-chair","type":"raise","category":"child-not-seen","reason":"child not seen since the conference"}
    {"on":"2026-12-18","actor":"conference-chair","type":"start-duty","duty":"record-informal-intervention"}
    {"on":"2026-12-21","actor":"social-worker","type":"start-duty","duty":"inform-core-group"}
    {"on":"2026-12-22","actor":"conference-chair","type":"complete-duty","duty":"record-informal-intervention"}
    {"on":"2026-12-31","actor":"team-manager","type":"respond"}
    {"on":"2027-01-04","actor":"conference-chair","type":"resolve","outcome":"visit made; plan updated"}
"#;

#[test]
fn christmas_informal_discussion_with_its_records_and_a_late_response() {
    let ladder = birmingham();
    insta::assert_snapshot!(trace(&ladder, CHRISTMAS));
    insta::assert_snapshot!(status_text(
        &ladder,
        CHRISTMAS,
        &[
            d(2026, 12, 24),
            d(2026, 12, 29),
            d(2026, 12, 30),
            d(2027, 1, 4)
        ]
    ));
    let eve = status_on(&ladder, CHRISTMAS, d(2026, 12, 24));
    assert_eq!(eve.next_deadline, Some(d(2026, 12, 29)));
    assert_eq!(eve.working_days_left, Some(1));
    let late = status_on(&ladder, CHRISTMAS, d(2026, 12, 30));
    assert!(late.overdue);
    // No formal stage was entered: the threshold clock never started.
    assert!(!late.over_open_threshold);
}

// A weekend receipt: a formal notification raised at stage 1 on Sunday 3 January
// 2027. Monday 4th is day 1: 4, 5, 6, 7, 8: due Friday 8 January. The Team
// Manager responds on the 8th; the Chair has not decided by 1 February. The
// threshold counts working days after Sunday 3rd: 4-8 (5), 11-15 (10), 18-22
// (15), 25-29 (20): Friday 29 January is 20, Monday 1 February 21 (over).
const WEEKEND: &str = r#"
    {"on":"2027-01-03","actor":"conference-chair","type":"raise","stage":"stage-1","reason":"strategy discussion not held"}
    {"on":"2027-01-08","actor":"team-manager","type":"respond"}
"#;

#[test]
fn weekend_receipt_at_stage_1() {
    let ladder = birmingham();
    insta::assert_snapshot!(status_text(
        &ladder,
        WEEKEND,
        &[d(2027, 1, 4), d(2027, 1, 29), d(2027, 2, 1)]
    ));
    let monday = status_on(&ladder, WEEKEND, d(2027, 1, 4));
    assert_eq!(monday.next_deadline, Some(d(2027, 1, 8)));
    assert_eq!(monday.working_days_left, Some(4));
    assert!(!status_on(&ladder, WEEKEND, d(2027, 1, 29)).over_open_threshold);
    assert!(status_on(&ladder, WEEKEND, d(2027, 2, 1)).over_open_threshold);
}

// The Director hearing sets the conference decision aside, across the May 2027
// bank holidays.
// - Stage 1 on Tuesday 20 April: 21, 22, 23, 26, 27: due Tuesday 27 April.
// - Stage 2 on Wednesday 28 April (line-manager discussion to confirm): 29, 30
//   April, [3 May bank holiday], 4, 5, 6: due Thursday 6 May.
// - Stage 3 on Friday 7 May (confirm again): 10, 11, 12, 13, 14: due Friday 14
//   May. Further action at Assistant Director level from the 12th, done the 14th.
// - Director hearing on Monday 17 May (confirm again; the Director of Practice and
//   the Director of Commissioning and Corporate Parenting notified): no window.
//   Resolution meeting on the 24th; on the 25th the Director sets the conference
//   decision aside: the matter is resolved and the reconvened conference, the
//   table top review and the feedback start. A later `resolve` is refused.
// - Threshold from 20 April: 21-23 (3), 26-30 (8), 4-7 May (12), 10-14 (17), 17,
//   18, 19 (20): Wednesday 19 May is 20, Thursday 20 May over.
// - The conference is reconvened on Tuesday 1 June (after the 31 May bank
//   holiday); the table top review and feedback on 8 June start the learning.
const DIRECTOR: &str = r#"
    {"on":"2027-04-20","actor":"conference-chair","type":"raise","stage":"stage-1","category":"plan-not-meeting-safety-needs","reason":"plan agreed at conference does not protect the child"}
    {"on":"2027-04-28","actor":"conference-chair","type":"escalate","reason":"no response from the Team Manager"}
    {"on":"2027-05-07","actor":"cp-head-of-service","type":"escalate","reason":"no response at Head of Service level"}
    {"on":"2027-05-12","actor":"cp-assistant-director","type":"start-duty","duty":"further-action"}
    {"on":"2027-05-14","actor":"cp-assistant-director","type":"complete-duty","duty":"further-action"}
    {"on":"2027-05-17","actor":"cp-assistant-director","type":"escalate","reason":"no resolution at Assistant Director level"}
    {"on":"2027-05-24","actor":"cp-assistant-director","type":"step","step":"resolution-meeting"}
    {"on":"2027-05-25","actor":"director-of-practice","type":"respond","outcome":"set-aside"}
    {"on":"2027-05-25","actor":"conference-chair","type":"resolve","outcome":"already concluded"}
    {"on":"2027-06-01","actor":"conference-chair","type":"complete-duty","duty":"reconvene-conference"}
    {"on":"2027-06-08","actor":"cp-assistant-director","type":"complete-duty","duty":"table-top-review"}
    {"on":"2027-06-08","actor":"line-manager","type":"complete-duty","duty":"feedback"}
"#;

#[test]
fn director_hearing_sets_aside_and_requires_conference_to_reconvene() {
    let ladder = birmingham();
    insta::assert_snapshot!(trace(&ladder, DIRECTOR));
    // Without the refused resolve, so the status can be replayed.
    let valid: String = DIRECTOR
        .lines()
        .filter(|l| !l.contains("already concluded"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(status_text(
        &ladder,
        &valid,
        &[
            d(2027, 5, 4),
            d(2027, 5, 19),
            d(2027, 5, 20),
            d(2027, 5, 26),
            d(2027, 6, 2)
        ]
    ));
    assert_eq!(
        status_on(&ladder, &valid, d(2027, 5, 4)).next_deadline,
        Some(d(2027, 5, 6))
    );
    assert!(!status_on(&ladder, &valid, d(2027, 5, 19)).over_open_threshold);
    assert!(status_on(&ladder, &valid, d(2027, 5, 20)).over_open_threshold);
    let after = status_on(&ladder, &valid, d(2027, 5, 26));
    let open: Vec<&str> = after.duties.iter().map(|d| &*d.duty).collect();
    assert_eq!(
        open,
        ["reconvene-conference", "table-top-review", "feedback"]
    );
}

// Entry at stage 3 on Monday 5 July 2027 (5 working days: 6, 7, 8, 9, 12: due
// Monday 12 July); feedback cannot be started by hand before the matter is
// concluded. Escalated to the Director on 13 July, who determines on 20 July
// without setting the conference decision aside: the table top review and the
// feedback start, but no reconvened conference.
const UPHELD: &str = r#"
    {"on":"2027-07-05","actor":"cp-assistant-director","type":"raise","stage":"stage-3","reason":"repeated failure to hold core groups"}
    {"on":"2027-07-06","actor":"conference-chair","type":"start-duty","duty":"feedback"}
    {"on":"2027-07-13","actor":"cp-assistant-director","type":"escalate","reason":"no resolution at Assistant Director level"}
    {"on":"2027-07-20","actor":"director-of-practice","type":"respond","outcome":"upheld"}
"#;

#[test]
fn director_determination_without_setting_aside_starts_the_review_and_feedback() {
    let ladder = birmingham();
    insta::assert_snapshot!(trace(&ladder, UPHELD));
    let valid: String = UPHELD
        .lines()
        .filter(|l| !l.contains("start-duty"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        status_on(&ladder, &valid, d(2027, 7, 6)).next_deadline,
        Some(d(2027, 7, 12))
    );
    let after = status_on(&ladder, &valid, d(2027, 7, 21));
    let open: Vec<&str> = after.duties.iter().map(|d| &*d.duty).collect();
    assert_eq!(open, ["table-top-review", "feedback"]);
}

// The inspection timeline from Day 1 on Monday 21 December 2026. Day numbers are
// working days: 21 (1), 22 (2), 23 (3), 24 (4), [25, 28 December bank holidays],
// 29 (5), 30 (6), 31 (7), [1 January], 4 January (8), 5 (9), 6 (10), 7 (11), 8
// (12), 11 (13), 12 (14), 13 (15), 14 (16), 15 (17), 18 (18), 19 (19), 20 (20),
// 21 (21), 22 (22), 25 (23), 26 (24), 27 (25), 28 (26), 29 (27), 1 February
// (28), 2 (29), 3 (30), 4 (31), 5 (32), 8 (33), 9 (34), 10 (35), 11 (36), 12
// (37), 15 (38), 16 (39), 17 (40).
// Keep In Touch meetings twice weekly from Day 11 (Thursday 7 January) to Day 20
// (Wednesday 20 January): in the week of 4 January only Thursday 7th (the next,
// 3 days on, would be Sunday 10th, rolled to Monday 11th, next week); the week of
// 11 January, Monday 11th and Thursday 14th; the week of 18 January, Monday 18th
// (Thursday 21st is after Day 20).
#[test]
fn inspection_schedule_from_a_day_1_just_before_christmas_2026() {
    let procedure = builtin::procedure("nottinghamshire-inspection").unwrap();
    let schedule = procedure.as_schedule().unwrap();
    let dates = schedule_dates(schedule, &calendar(), d(2026, 12, 21)).unwrap();
    let text: Vec<String> = dates
        .iter()
        .map(|m| {
            let mut line = format!("{:<24} {}", m.id, m.date);
            if let Some(until) = m.until {
                line.push_str(&format!(" to {until}"));
            }
            if !m.occurrences.is_empty() {
                let on: Vec<String> = m.occurrences.iter().map(|d| d.to_string()).collect();
                line.push_str(&format!(" on {}", on.join(", ")));
            }
            line
        })
        .collect();
    insta::assert_snapshot!(text.join("\n"));
    let by_id = |id: &str| dates.iter().find(|m| m.id == id).unwrap();
    assert_eq!(by_id("notification").date, d(2026, 12, 21));
    assert_eq!(by_id("set-up-meeting").date, d(2026, 12, 29));
    assert_eq!(by_id("lead-inspector-on-site").date, d(2027, 1, 4));
    let kit = by_id("keep-in-touch-meetings");
    assert_eq!(kit.date, d(2027, 1, 7));
    assert_eq!(
        kit.occurrences,
        [
            d(2027, 1, 7),
            d(2027, 1, 11),
            d(2027, 1, 14),
            d(2027, 1, 18)
        ]
    );
    assert_eq!(by_id("fieldwork").until, Some(d(2027, 1, 20)));
    assert_eq!(by_id("interim-feedback").date, d(2027, 1, 13));
    assert_eq!(by_id("report-writing").until, Some(d(2027, 1, 27)));
    assert_eq!(by_id("accuracy-check").date, d(2027, 1, 28));
    assert_eq!(by_id("accuracy-check").until, Some(d(2027, 2, 4)));
    assert_eq!(by_id("final-report").date, d(2027, 2, 11));
    assert_eq!(by_id("publication").date, d(2027, 2, 17));
}
