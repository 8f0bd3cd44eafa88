//! Scenarios of source document 003 (Oxfordshire), with dates worked out by hand in the
//! comments: the audit trail (`trace`) and the status on chosen days
//! (`status_text`), snapshotted.
//!
//! Counting: N working days after D is the N-th working day strictly after D
//! (D is day 0; a receipt on a non-working day makes the next working day day
//! 1). The twenty-working-day ceiling counts from the day the alert is raised,
//! whatever the stage (the assumption on the ladder's `[working_days]`).

use escalation_ladder::engine::Phase;
use escalation_ladder::ladder::{builtin, Ladder};

use crate::calendar::d;
#[allow(unused_imports)]
use crate::engine::{events, state_after, status_text, trace};

fn oxfordshire() -> Ladder {
    builtin::ladder("oxfordshire-resolution-escalation").unwrap()
}

/// "The IRO may bypass any stage and progress the dispute to the level s/he
/// considers most appropriate": every stage is an entry stage, and every stage
/// may be left for any later one.
#[test]
fn oxfordshire_every_stage_is_an_entry_and_bypasses_to_any_later_stage() {
    let ladder = oxfordshire();
    let entries: Vec<&str> = ladder.entry_stages().iter().map(|s| &*s.id).collect();
    assert_eq!(
        entries,
        ["stage-1", "stage-2", "stage-3", "stage-4", "stage-5"]
    );
    let ids = ["stage-1", "stage-2", "stage-3", "stage-4", "stage-5"];
    for (i, from) in ids.iter().enumerate() {
        for to in &ids[i + 1..] {
            let lines = format!(
                r#"{{"on":"2027-01-04","actor":"iro","type":"raise","stage":"{from}","reason":"r"}}
                {{"on":"2027-01-05","actor":"iro","type":"escalate","to":"{to}","reason":"most appropriate level"}}"#
            );
            let state = state_after(&ladder, &lines);
            assert_eq!(state.stage.as_deref(), Some(*to), "{from} -> {to}");
        }
    }
    // Stage 2's five working days are the most it may take.
    let stage_2 = ladder.stage("stage-2").unwrap();
    assert_eq!(stage_2.window.count, Some(5));
    assert_eq!(stage_2.window.max_working_days, Some(5));
    // The outcome case note is made on every resolution.
    let record = ladder.on_resolve.as_ref().and_then(|r| r.record.as_ref());
    assert_eq!(
        record.map(|r| r.form.as_str()),
        Some("IRO case note headed Outcome of Resolution and Escalation")
    );
}

/// Started directly at stage 4 (the Director) on Tuesday 22 December 2026.
/// Stage 4 has no window of its own; the ceiling is 20 working days from the
/// 22nd: 23 (1), 24 (2), [25 Christmas Day, 26-27 weekend, 28 Boxing Day
/// substitute], 29 (3), 30 (4), 31 (5), [1 January, 2-3 weekend], 4-8 January
/// (6-10), 11-15 (11-15), 18-22 (16-20): Friday 22 January 2027.
/// Escalated to stage 5 (the Chief Executive, DCS alerted) on Wednesday 30
/// December; resolved Thursday 14 January, before the ceiling: the outcome case
/// note is asked for. The child is told on the 22nd (a duty with no date).
/// Status on Thursday 24 December: 19 working days to the ceiling (24 Dec, 29,
/// 30, 31 Dec, 4-8, 11-15, 18-22 Jan).
#[test]
fn oxfordshire_started_at_stage_4_across_christmas_2026() {
    let ladder = oxfordshire();
    let lines = r#"
        {"on":"2026-12-22","actor":"iro","type":"raise","stage":"stage-4","category":"provision-of-services","reason":"the IRO considers the Director the most appropriate level"}
        {"on":"2026-12-22","actor":"iro","type":"start-duty","duty":"inform-child"}
        {"on":"2026-12-30","actor":"iro","type":"escalate","reason":"continuing failure to respond to a serious safeguarding issue"}
        {"on":"2027-01-06","actor":"iro","type":"complete-duty","duty":"inform-child"}
        {"on":"2027-01-14","actor":"iro","type":"resolve","outcome":"placement plan agreed"}
    "#;
    let state = state_after(&ladder, lines);
    assert_eq!(state.ceiling, Some(d(2027, 1, 22)));
    assert_eq!(state.phase, Phase::Resolved);
    assert!(!state.breaches.ceiling_breached);
    insta::assert_snapshot!(trace(&ladder, lines));
    insta::assert_snapshot!(
        "christmas_status",
        status_text(&ladder, lines, &[d(2026, 12, 24), d(2027, 1, 4)])
    );
}

/// Started at stage 2 (the ASCMs) on Wednesday 25 August 2027, the window
/// already the 5-working-day maximum: 26 (1), 27 (2), [28-29 weekend, 30 August
/// bank holiday], 31 (3), 1 September (4), 2 (5): due Thursday 2 September; the
/// limit is the same day. Any extra time is refused: to Friday 3 September
/// (beyond the 5-working-day maximum) and to Thursday 2 September (not later
/// than the response date). Ceiling: 26, 27, 31 Aug, 1-3 Sep (6), 6-10 (11),
/// 13-17 (16), 20-23 (20): Thursday 23 September. The ASCM responds on the 2nd;
/// the IRO resolves on Friday 3rd.
#[test]
fn oxfordshire_stage_2_over_august_2027_bank_holiday_refuses_any_extension() {
    let ladder = oxfordshire();
    let lines = r#"
        {"on":"2027-08-25","actor":"iro","type":"raise","stage":"stage-2","category":"care-plan-implementation","reason":"serious conflict over the plan itself"}
        {"on":"2027-08-25","actor":"iro","type":"step","step":"alert-form"}
        {"on":"2027-09-01","actor":"ascm","type":"extend","until":"2027-09-03","reason":"ASCM on leave"}
        {"on":"2027-09-01","actor":"ascm","type":"extend","until":"2027-09-02","reason":"ASCM on leave"}
        {"on":"2027-09-02","actor":"ascm","type":"respond"}
        {"on":"2027-09-03","actor":"iro","type":"resolve","outcome":"plan reviewed"}
    "#;
    let state = state_after(&ladder, lines);
    assert_eq!(state.ceiling, Some(d(2027, 9, 23)));
    assert!(!state.extended);
    let entered = state_after(
        &ladder,
        &lines.lines().take(2).collect::<Vec<_>>().join("\n"),
    );
    assert_eq!(entered.respond_by, Some(d(2027, 9, 2)));
    insta::assert_snapshot!(trace(&ladder, lines));
    // The status replays the accepted events: the refused extensions left out.
    let accepted: Vec<&str> = lines.lines().filter(|l| !l.contains("extend")).collect();
    insta::assert_snapshot!(
        "august_status",
        status_text(
            &ladder,
            &accepted.join("\n"),
            &[d(2027, 8, 27), d(2027, 8, 30), d(2027, 9, 1)]
        )
    );
}

/// Raised at stage 1 on Monday 2 August 2027 (discussion that day, email on
/// Tuesday 3rd): ceiling 20 working days on: 3-6 (4), 9-13 (9), 16-20 (14),
/// 23-27 (19), [30 August bank holiday], 31 (20): Tuesday 31 August.
/// Escalated to stage 2 on Wednesday 25 August: the window would end on
/// Thursday 2 September (26, 27, 31, 1, 2) but is capped at the ceiling,
/// Tuesday 31 August, so it is shorter than the 5-working-day maximum and
/// leaves room: extra time to Thursday 2 September (the 5th working day) is
/// allowed, flagged as beyond the ceiling; to Friday 3 September it is refused.
/// The ASCM responds on 2 September, after the ceiling: breached.
#[test]
fn oxfordshire_stage_2_extension_allowed_within_the_maximum_when_the_ceiling_cut_it() {
    let ladder = oxfordshire();
    let lines = r#"
        {"on":"2027-08-02","actor":"iro","type":"raise","category":"statutory-requirements","reason":"statutory visits not completed"}
        {"on":"2027-08-02","actor":"iro","type":"step","step":"direct-discussion"}
        {"on":"2027-08-03","actor":"iro","type":"step","step":"email-confirmation"}
        {"on":"2027-08-25","actor":"iro","type":"escalate","reason":"not resolved with the social worker"}
        {"on":"2027-08-27","actor":"ascm","type":"extend","until":"2027-09-02","reason":"ASCM on leave"}
        {"on":"2027-08-27","actor":"ascm","type":"extend","until":"2027-09-03","reason":"more time"}
        {"on":"2027-09-02","actor":"ascm","type":"respond"}
        {"on":"2027-09-03","actor":"iro","type":"resolve","outcome":"visits scheduled"}
    "#;
    let state = state_after(&ladder, lines);
    assert_eq!(state.ceiling, Some(d(2027, 8, 31)));
    assert!(state.extended);
    assert!(state.breaches.extended_beyond_ceiling);
    assert!(state.breaches.ceiling_breached);
    let escalated = state_after(
        &ladder,
        &lines.lines().take(5).collect::<Vec<_>>().join("\n"),
    );
    assert_eq!(escalated.respond_by, Some(d(2027, 8, 31)));
    insta::assert_snapshot!(trace(&ladder, lines));
}

/// A ceiling breach over Easter 2027. Raised at stage 1 on Monday 1 March:
/// ceiling 2-5 (4), 8-12 (9), 15-19 (14), 22-25 (18), [26 Good Friday, 27-28
/// weekend, 29 Easter Monday], 30 (19), 31 (20): Wednesday 31 March.
/// Escalated to stage 2 on Thursday 25 March: the window would end on Monday 5
/// April (30, 31, 1, 2 April, 5) and is capped at Wednesday 31 March. No
/// response; the IRO escalates to stage 3 on Thursday 1 April, after the
/// ceiling: breached. Resolved Friday 9 April.
#[test]
fn oxfordshire_ceiling_breach_over_easter_2027() {
    let ladder = oxfordshire();
    let lines = r#"
        {"on":"2027-03-01","actor":"iro","type":"raise","category":"general-issues","reason":"delay in life story work"}
        {"on":"2027-03-25","actor":"iro","type":"escalate","reason":"not resolved in a timescale appropriate to the child's needs"}
        {"on":"2027-04-01","actor":"iro","type":"escalate","reason":"failure to respond"}
        {"on":"2027-04-09","actor":"iro","type":"resolve","outcome":"life story work started"}
    "#;
    let state = state_after(&ladder, lines);
    assert_eq!(state.ceiling, Some(d(2027, 3, 31)));
    assert!(state.breaches.ceiling_breached);
    insta::assert_snapshot!(trace(&ladder, lines));
    insta::assert_snapshot!(
        "easter_status",
        status_text(&ladder, lines, &[d(2027, 3, 31), d(2027, 4, 1)])
    );
}

/// Raised at stage 2 on Saturday 10 October 2026: Monday 12th is day 1, so the
/// 5 working days end on Friday 16 October (12, 13, 14, 15, 16); ceiling 12-16
/// (5), 19-23 (10), 26-30 (15), 2-6 November (20): Friday 6 November. The ASCM
/// responds on the 16th (on time), the IRO resolves on Monday 19th.
#[test]
fn oxfordshire_saturday_receipt_at_stage_2() {
    let ladder = oxfordshire();
    let lines = r#"
        {"on":"2026-10-10","actor":"iro","type":"raise","stage":"stage-2","category":"judgement","reason":"serious conflict over the plan itself"}
        {"on":"2026-10-16","actor":"ascm","type":"respond"}
        {"on":"2026-10-19","actor":"iro","type":"resolve","outcome":"plan agreed"}
    "#;
    let raised = state_after(
        &ladder,
        &lines.lines().take(2).collect::<Vec<_>>().join("\n"),
    );
    assert_eq!(raised.respond_by, Some(d(2026, 10, 16)));
    assert_eq!(raised.ceiling, Some(d(2026, 11, 6)));
    insta::assert_snapshot!(trace(&ladder, lines));
    insta::assert_snapshot!(
        "saturday_status",
        status_text(&ladder, lines, &[d(2026, 10, 10), d(2026, 10, 16)])
    );
}

/// An unregulated emergency placement, escalated at stage 3 (the Deputy
/// Director, Safeguarding Manager alerted) on Thursday 2 April 2026, with a
/// concurrent Cafcass referral the same day. Ceiling: [3 Good Friday, 6 Easter
/// Monday] 7-10 (4), 13-17 (9), 20-24 (14), 27-30 (18), 1 May (19), [4 May
/// bank holiday], 5 (20): Tuesday 5 May. Escalated to stage 4 on Wednesday 15
/// April; the Director responds on Tuesday 21st and the IRO resolves on
/// Wednesday 22nd. The child is told and made aware of their rights.
#[test]
fn oxfordshire_unregulated_placement_at_stage_3_with_concurrent_cafcass() {
    let ladder = oxfordshire();
    let lines = r#"
        {"on":"2026-04-02","actor":"iro","type":"raise","stage":"stage-3","category":"provision-of-services","reason":"unregulated emergency placement: no placement available"}
        {"on":"2026-04-02","actor":"iro","type":"refer","referral":"cafcass"}
        {"on":"2026-04-02","actor":"iro","type":"start-duty","duty":"inform-child"}
        {"on":"2026-04-07","actor":"iro","type":"start-duty","duty":"child-rights"}
        {"on":"2026-04-08","actor":"iro","type":"complete-duty","duty":"child-rights"}
        {"on":"2026-04-15","actor":"iro","type":"escalate","reason":"no plan to move to a regulated placement"}
        {"on":"2026-04-21","actor":"director","type":"respond"}
        {"on":"2026-04-22","actor":"iro","type":"resolve","outcome":"regulated placement found"}
    "#;
    let state = state_after(&ladder, lines);
    assert_eq!(state.ceiling, Some(d(2026, 5, 5)));
    assert_eq!(state.referrals.len(), 1);
    assert_eq!(&*state.referrals[0], "cafcass");
    assert_eq!(state.phase, Phase::Resolved);
    insta::assert_snapshot!(trace(&ladder, lines));
    insta::assert_snapshot!(
        "placement_status",
        status_text(&ladder, lines, &[d(2026, 4, 3), d(2026, 4, 16)])
    );
}
