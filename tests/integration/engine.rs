//! The engine on the built-in ladders: scenario traces, refusals, storage.

use escalation_ladder::engine::{
    advance, apply, replay, replay_trail, status, AlertState, Effect, Event, EventKind, Phase,
};
use escalation_ladder::ladder::{builtin, Ladder};
use escalation_ladder::{Region, WorkingCalendar};

use crate::calendar::d;

fn calendar() -> WorkingCalendar {
    WorkingCalendar::new(Region::EnglandAndWales)
}

/// Parses JSON-lines events.
pub fn events(lines: &str) -> Vec<Event> {
    lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn effect_text(effect: &Effect) -> String {
    match effect {
        Effect::Notify { role, .. } => format!("notify {role}"),
        Effect::RequestResponse { role, .. } => format!("ask {role}"),
        Effect::Record { form, .. } => format!("record '{form}'"),
        Effect::DeadlineSet { respond_by, .. } => match respond_by {
            Some(date) => format!("respond by {date}"),
            None => "no window".to_string(),
        },
        Effect::DeadlineCappedAtCeiling {
            window_ends,
            ceiling,
            ..
        } => format!("window end {window_ends} capped at ceiling {ceiling}"),
        Effect::DeadlineMoved { from, to } => format!("deadline moved {from:?} -> {to}"),
        Effect::CeilingSet { ceiling } => format!("ceiling {ceiling}"),
        Effect::CeilingBreached { ceiling, cause } => {
            format!("CEILING {ceiling} BREACHED: {cause}")
        }
        Effect::DeemedAgreed { stage } => format!("deemed agreed at {stage}"),
        Effect::Referred { referral } => format!("referred to {referral}"),
        Effect::Closed { phase } => format!("closed {}", phase.name()),
        Effect::ConfirmCondition { condition, .. } => format!("confirm '{condition}'"),
        Effect::StepRecorded { step, .. } => format!("step {step}"),
        Effect::LateResponse { stage, outcome } => match outcome {
            Some(outcome) => {
                format!("LATE response at {stage} ({outcome}), deemed agreement stands")
            }
            None => format!("LATE response at {stage}, deemed agreement stands"),
        },
        Effect::DutyStarted { duty, due } => match due {
            Some(due) => format!("duty {duty} due {due}"),
            None => format!("duty {duty} (no date)"),
        },
        Effect::NotifyOfDuty { role, duty } => format!("notify {role} of {duty}"),
        Effect::DutyCompleted { duty } => format!("duty {duty} done"),
        other => format!("{other:?}"),
    }
}

fn trace_line(on: chrono::NaiveDate, name: &str, state: &AlertState, effects: &[String]) -> String {
    format!(
        "{} {:<11} -> {:<17} {:<24} | {}",
        on,
        name,
        state.phase.name(),
        state.stage.as_deref().unwrap_or("-"),
        effects.join("; ")
    )
}

/// The path of (event, state, effects), one line per event, statig-style.
pub fn trace(ladder: &Ladder, lines: &str) -> String {
    let calendar = calendar();
    let mut state = AlertState::new(&ladder.id);
    let mut out = Vec::new();
    for event in events(lines) {
        // Time acts first, up to the event's date, unless the event is the
        // action time would take (a deem-agreed recorded by hand).
        if !matches!(event.kind, EventKind::DeemAgreed) {
            match advance(ladder, &calendar, &state, event.on) {
                Ok(advanced) => {
                    for t in &advanced.transitions {
                        let effects: Vec<String> = t.effects.iter().map(effect_text).collect();
                        let name = format!("(time) {}", t.audit.event.kind.name());
                        out.push(trace_line(t.audit.event.on, &name, &t.state, &effects));
                    }
                    state = advanced.state.into_owned();
                }
                Err(e) => out.push(format!("{} REFUSED: {e}", event.on)),
            }
        }
        match apply(ladder, &calendar, &state, &event) {
            Ok(t) => {
                let effects: Vec<String> = t.effects().map(|e| effect_text(&e)).collect();
                out.push(trace_line(event.on, event.kind.name(), &t.state, &effects));
                state = t.state;
            }
            Err(e) => out.push(format!("{} REFUSED: {e}", event.on)),
        }
    }
    out.join("\n")
}

/// The state after replaying `lines` (time acting between events), leaving out
/// the events the ladder refuses (as `trace` shows them refused).
pub fn state_after(ladder: &Ladder, lines: &str) -> AlertState {
    let calendar = calendar();
    let mut accepted: Vec<Event> = Vec::new();
    for event in events(lines) {
        accepted.push(event);
        if replay(ladder, &calendar, &accepted).is_err() {
            accepted.pop();
        }
    }
    replay(ladder, &calendar, &accepted)
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

/// The status after `lines` (replayed, time acting between events) as at each
/// date, one block per date: phase, stage, who must act, the deadline with
/// working and calendar days left, the awaited step, the ceiling, breaches,
/// when time acts next, and each open duty.
pub fn status_text(ladder: &Ladder, lines: &str, dates: &[chrono::NaiveDate]) -> String {
    let calendar = calendar();
    let events = events(lines);
    let mut out = Vec::new();
    for &as_of in dates {
        let upto: Vec<&Event> = events.iter().filter(|e| e.on <= as_of).collect();
        let (state, _) = replay(ladder, &calendar, upto).unwrap_or_else(|e| panic!("{e}"));
        let now = status(ladder, &calendar, &state, as_of).unwrap_or_else(|e| panic!("{e}"));
        let mut line = format!(
            "as of {as_of}: {} at {}; act: {}",
            now.phase.name(),
            now.stage.as_deref().unwrap_or("-"),
            if now.who_must_act.is_empty() {
                "nobody".to_string()
            } else {
                now.who_must_act.join(", ")
            }
        );
        if let Some(step) = &now.awaiting_step {
            line.push_str(&format!("; awaiting step {step}"));
        }
        if let (Some(due), Some(wd), Some(cd)) = (
            now.next_deadline,
            now.working_days_left,
            now.calendar_days_left,
        ) {
            line.push_str(&format!(
                "; due {due} ({wd} working, {cd} calendar days left{})",
                if now.overdue { ", OVERDUE" } else { "" }
            ));
        }
        if let Some(ceiling) = now.ceiling {
            line.push_str(&format!("; ceiling {ceiling}"));
        }
        if now.breaches.ceiling_breached {
            line.push_str("; CEILING BREACHED");
        }
        if now.breaches.extended_beyond_ceiling {
            line.push_str("; EXTENDED BEYOND CEILING");
        }
        if now.over_open_threshold {
            line.push_str("; OVER OPEN THRESHOLD");
        }
        if let Some(on) = now.time_acts_on {
            line.push_str(&format!("; time acts on {on}"));
        }
        out.push(line);
        for duty in &now.duties {
            out.push(format!(
                "  duty {} ({}): {}{}",
                duty.duty,
                duty.owners.join(", "),
                match (duty.due, duty.working_days_left, duty.calendar_days_left) {
                    (Some(due), Some(wd), Some(cd)) => {
                        format!("due {due} ({wd} working, {cd} calendar days left)")
                    }
                    _ => "no date".to_string(),
                },
                if duty.overdue { ", OVERDUE" } else { "" }
            ));
        }
    }
    out.join("\n")
}

#[test]
fn iro_dispute_main_route_with_referral_and_extension() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    insta::assert_snapshot!(trace(
        &ladder,
        r#"
        {"on":"2026-12-14","actor":"iro","type":"raise","category":"drift-in-permanence-planning","reason":"no permanence plan at second review"}
        {"on":"2026-12-16","actor":"iro","type":"escalate","reason":"informal discussion did not resolve"}
        {"on":"2026-12-22","actor":"team-manager","type":"respond"}
        {"on":"2026-12-23","actor":"iro","type":"escalate","reason":"response does not address the concern"}
        {"on":"2026-12-24","actor":"iro","type":"refer","referral":"cafcass"}
        {"on":"2027-01-05","actor":"iro","type":"extend","until":"2027-01-20","reason":"head of service asked for time; IRO agreed"}
        {"on":"2027-01-19","actor":"iro","type":"resolve","outcome":"permanence planning meeting booked"}
    "#
    ));
}

#[test]
fn iro_dispute_bypass_and_refusals() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    insta::assert_snapshot!(trace(
        &ladder,
        r#"
        {"on":"2026-11-23","actor":"iro","type":"raise","stage":"team-manager","reason":"care plan changed without consulting IRO"}
        {"on":"2026-11-24","actor":"iro","type":"escalate","to":"informal","reason":"going back down"}
        {"on":"2026-11-24","actor":"iro","type":"escalate","to":"divisional-director","reason":"emergency: placement ending today"}
        {"on":"2026-11-20","actor":"iro","type":"respond"}
        {"on":"2026-11-25","actor":"iro","type":"refer","referral":"ofsted"}
        {"on":"2026-11-25","actor":"iro","type":"deem-agreed"}
        {"on":"2026-11-26","actor":"divisional-director","type":"respond"}
        {"on":"2026-11-26","actor":"iro","type":"escalate","reason":"not resolved"}
        {"on":"2026-11-27","actor":"iro","type":"escalate","reason":"top of the ladder"}
        {"on":"2026-11-27","actor":"iro","type":"withdraw","reason":"care plan restored"}
        {"on":"2026-11-30","actor":"iro","type":"respond"}
        {"on":"2026-12-01","actor":"iro","type":"reopen","reason":"care plan changed again"}
    "#
    ));
}

#[test]
fn lac_review_decisions_deemed_agreed() {
    let ladder = builtin::ladder("lac-review-decisions").unwrap();
    insta::assert_snapshot!(trace(
        &ladder,
        r#"
        {"on":"2026-12-01","actor":"iro","type":"raise","reason":"LAC review held"}
        {"on":"2026-12-08","actor":"iro","type":"escalate","reason":"decisions sent to the team manager"}
        {"on":"2026-12-15","actor":"iro","type":"deem-agreed"}
        {"on":"2026-12-16","actor":"iro","type":"deem-agreed"}
    "#
    ));
}

#[test]
fn birmingham_director_hearing_and_immediate_safety() {
    let ladder = builtin::ladder("birmingham-cp-notification").unwrap();
    insta::assert_snapshot!(trace(
        &ladder,
        r#"
        {"on":"2027-03-22","actor":"conference-chair","type":"raise","stage":"stage-1","reason":"child not seen since conference"}
        {"on":"2027-03-29","actor":"conference-chair","type":"escalate","reason":"no response"}
        {"on":"2027-04-06","actor":"conference-chair","type":"escalate","reason":"no agreement at head of service level"}
        {"on":"2027-04-13","actor":"assistant-director-cp","type":"escalate","reason":"no resolution at assistant director level"}
        {"on":"2027-04-20","actor":"director-of-practice","type":"respond","outcome":"set-aside"}
        {"on":"2027-04-27","actor":"conference-chair","type":"complete-duty","duty":"reconvene-conference"}
    "#
    ));
    insta::assert_snapshot!(trace(
        &ladder,
        r#"
        {"on":"2027-03-26","actor":"conference-chair","type":"raise","stage":"immediate-safety","reason":"child not safe from harm tonight"}
        {"on":"2027-03-26","actor":"head-of-service-cp","type":"resolve","outcome":"strategy discussion held; child safe"}
    "#
    ));
}

#[test]
fn oxfordshire_unregulated_placement_enters_at_stage_3_with_cafcass() {
    let ladder = builtin::ladder("oxfordshire-resolution-escalation").unwrap();
    insta::assert_snapshot!(trace(
        &ladder,
        r#"
        {"on":"2027-03-24","actor":"iro","type":"raise","stage":"stage-3","category":"provision-of-services","reason":"unregulated emergency placement"}
        {"on":"2027-03-24","actor":"iro","type":"refer","referral":"cafcass"}
        {"on":"2027-04-05","actor":"iro","type":"escalate","to":"stage-5","reason":"continuing failure to respond to a serious safeguarding issue"}
        {"on":"2027-04-23","actor":"iro","type":"resolve","outcome":"regulated placement found"}
    "#
    ));
}

#[test]
fn cp_conference_subsequent_concern_starts_at_level_2() {
    let ladder = builtin::ladder("cp-conference-concerns").unwrap();
    insta::assert_snapshot!(trace(
        &ladder,
        r#"
        {"on":"2027-01-04","actor":"cp-chair","type":"raise","stage":"level-2","category":"significant-drift","reason":"subsequent low-level concern"}
        {"on":"2027-01-06","actor":"cp-chair","type":"escalate","reason":"formal concern form"}
        {"on":"2027-01-20","actor":"cp-chair","type":"escalate","reason":"not resolved: to DHOS"}
        {"on":"2027-01-27","actor":"dhos","type":"respond"}
        {"on":"2027-01-28","actor":"cp-chair","type":"resolve","outcome":"plan updated"}
    "#
    ));
}

#[test]
fn chair_performance_concern_escalates_to_divisional_director() {
    let ladder = builtin::ladder("chair-performance-concerns").unwrap();
    insta::assert_snapshot!(trace(
        &ladder,
        r#"
        {"on":"2026-12-21","actor":"team-manager","type":"raise","reason":"conference badly organised"}
        {"on":"2027-01-15","actor":"team-manager","type":"escalate","to":"divisional-director","reason":"feedback unsatisfactory"}
    "#
    ));
}

/// An IRO alert raised at the team-manager stage on Friday 18 December 2026: due
/// Tuesday 29 December (Christmas Day and the Boxing Day substitute skipped),
/// ceiling Wednesday 20 January 2027.
fn iro_raised_friday_18_december() -> (Ladder, WorkingCalendar, AlertState) {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let cal = calendar();
    let raise = r#"{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}"#;
    let (state, _) = replay(&ladder, &cal, &events(raise)).unwrap();
    (ladder, cal, state)
}

#[test]
fn status_as_at_dates() {
    let (ladder, cal, state) = iro_raised_friday_18_december();
    let on_time = status(&ladder, &cal, &state, d(2026, 12, 22)).unwrap();
    assert_eq!(on_time.who_must_act[..], ["team-manager"]);
    assert_eq!(on_time.next_deadline, Some(d(2026, 12, 29)));
    // (22 Dec, 29 Dec]: 23, 24 and 29 December.
    assert_eq!(on_time.working_days_left, Some(3));
    assert!(!on_time.overdue);
    assert_eq!(on_time.ceiling, Some(d(2027, 1, 20)));
    let late = status(&ladder, &cal, &state, d(2027, 1, 21)).unwrap();
    assert!(late.overdue);
    assert!(late.breaches.ceiling_breached);
    assert_eq!(late.open_working_days, Some(21));
    insta::assert_json_snapshot!(late);
}

#[test]
fn birmingham_flags_notifications_open_longer_than_20_working_days() {
    let ladder = builtin::ladder("birmingham-cp-notification").unwrap();
    let cal = calendar();
    let (state, _) = replay(
        &ladder,
        &cal,
        &events(r#"{"on":"2026-12-01","actor":"chair","type":"raise","stage":"stage-1","reason":"plan not progressing"}"#),
    )
    .unwrap();
    // 20 working days from 1 December 2025 is 31 December (Christmas skipped).
    assert!(
        !status(&ladder, &cal, &state, d(2026, 12, 31))
            .unwrap()
            .over_open_threshold
    );
    assert!(
        status(&ladder, &cal, &state, d(2027, 1, 4))
            .unwrap()
            .over_open_threshold
    );
}

#[test]
fn replay_of_the_trail_reproduces_the_state_and_checks_the_calendar() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let cal = calendar();
    let evs = events(
        r#"
        {"on":"2026-12-14","actor":"iro","type":"raise","reason":"drift"}
        {"on":"2026-12-16","actor":"iro","type":"escalate","reason":"no progress"}
        {"on":"2026-12-22","actor":"tm","type":"respond"}
    "#,
    );
    let (state, trail) = replay(&ladder, &cal, &evs).unwrap();
    assert_eq!(replay_trail(&ladder, &cal, &trail).unwrap(), state);
    let json = serde_json::to_string(&trail).unwrap();
    let back: Vec<escalation_ladder::engine::AuditEntry> = serde_json::from_str(&json).unwrap();
    assert_eq!(replay_trail(&ladder, &cal, &back).unwrap(), state);
    let scotland = WorkingCalendar::new(Region::Scotland);
    insta::assert_snapshot!(replay_trail(&ladder, &scotland, &trail).unwrap_err());
}

#[test]
fn state_round_trips_as_json_and_old_states_keep_loading() {
    let ladder = builtin::ladder("iro-dispute-resolution").unwrap();
    let cal = calendar();
    let evs = events(r#"{"on":"2026-12-14","actor":"iro","type":"raise","reason":"drift"}"#);
    let (state, _) = replay(&ladder, &cal, &evs).unwrap();
    let json = serde_json::to_string_pretty(&state).unwrap();
    insta::assert_snapshot!(json);
    assert_eq!(serde_json::from_str::<AlertState>(&json).unwrap(), state);
    // A state stored before the schema version was recorded loads as version 1
    // (and is written as this release's).
    let unversioned = json.replace("\"schema_version\": 4,", "");
    assert_ne!(unversioned, json);
    let old: AlertState = serde_json::from_str(&unversioned).unwrap();
    assert_eq!(old.schema_version, 1);
    assert_eq!(
        AlertState {
            schema_version: 4,
            ..old.clone()
        },
        state
    );
    assert_eq!(serde_json::to_string_pretty(&old).unwrap(), json);
    // A state from a newer release is refused when applied.
    let mut newer = state.clone();
    newer.schema_version = 99;
    let resolve = events(r#"{"on":"2026-12-15","actor":"iro","type":"resolve","outcome":"x"}"#);
    insta::assert_snapshot!(apply(&ladder, &cal, &newer, &resolve[0]).unwrap_err());
}

#[test]
fn refused_events_name_state_and_event_and_change_nothing() {
    let ladder = builtin::ladder("oxfordshire-resolution-escalation").unwrap();
    let cal = calendar();
    let state = AlertState::new(&ladder.id);
    let bad = [
        // Every Oxfordshire stage is an entry stage: a step before raising instead.
        r#"{"on":"2027-01-04","actor":"iro","type":"step","step":"alert-form"}"#,
        r#"{"on":"2027-01-04","actor":"iro","type":"raise","stage":"stage-9","reason":"x"}"#,
        r#"{"on":"2027-01-04","actor":"iro","type":"raise","category":"weather","reason":"x"}"#,
        r#"{"on":"2027-01-04","actor":"iro","type":"escalate","reason":"x"}"#,
        r#"{"on":"1970-01-01","actor":"iro","type":"raise","reason":"x"}"#,
    ];
    let messages: Vec<String> = bad
        .iter()
        .map(|line| {
            let event: Event = serde_json::from_str(line).unwrap();
            apply(&ladder, &cal, &state, &event)
                .unwrap_err()
                .to_string()
        })
        .collect();
    // `apply` borrows the state, so it is left as it was; each refusal of the
    // ladder's rules says which state that is.
    for message in &messages[..4] {
        assert!(message.contains(&state.to_string()), "{message}");
    }
    insta::assert_snapshot!(messages.join("\n"));
    let other = builtin::ladder("iro-dispute-resolution").unwrap();
    let event: Event = serde_json::from_str(bad[0]).unwrap();
    insta::assert_snapshot!(apply(&other, &cal, &state, &event).unwrap_err());
    // Unknown event fields are refused when reading.
    let err = serde_json::from_str::<Event>(
        r#"{"on":"2027-01-04","actor":"iro","type":"raise","reason":"x","priority":"high"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("priority"), "{err}");
    assert!(matches!(
        serde_json::from_str::<Event>(r#"{"on":"2027-01-04","actor":"a","type":"deem-agreed"}"#)
            .unwrap()
            .kind,
        EventKind::DeemAgreed
    ));
    assert_eq!(Phase::AwaitingDecision.name(), "awaiting-decision");
}

#[test]
fn a_transition_outlives_its_event_once_owned_and_serializes_whole() {
    let (ladder, cal, state) = iro_raised_friday_18_december();
    // Extra time to Friday 22 January 2027, past the ceiling of Wednesday 20 January
    // (20 working days from the 18th, skipping 25 and 28 December and 1 January).
    let owned = {
        let extend = events(
            r#"{"on":"2026-12-29","actor":"tm","type":"extend","until":"2027-01-22","reason":"agreed with the IRO"}"#,
        );
        apply(&ladder, &cal, &state, &extend[0])
            .unwrap()
            .into_owned()
    };
    let effects: Vec<String> = owned.effects.iter().map(effect_text).collect();
    assert_eq!(
        effects,
        [
            "deadline moved Some(2026-12-29) -> 2027-01-22",
            "CEILING 2027-01-20 BREACHED: extra time agreed to 2027-01-22, beyond the ceiling",
        ]
    );
    let audit = &owned.audit;
    assert_eq!(audit.sequence, 2);
    assert_eq!(audit.event.actor, "tm");
    let json: serde_json::Value = serde_json::to_value(&owned).unwrap();
    assert_eq!(json["effects"].as_array().unwrap().len(), 2);
    assert_eq!(json["effects"][0]["effect"], "deadline-moved");
    assert_eq!(json["audit"]["event"]["type"], "extend");
    assert_eq!(json["state"]["respond_by"], "2027-01-22");
}

#[test]
fn a_state_at_a_stage_the_ladder_lacks_is_refused_not_guessed() {
    let (ladder, cal, mut state) = iro_raised_friday_18_december();
    state.stage = Some("stage-9".into());
    let respond = events(r#"{"on":"2026-12-22","actor":"tm","type":"respond"}"#);
    let err = apply(&ladder, &cal, &state, &respond[0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "event 'respond' on 2026-12-22 refused in state awaiting-response at stage 'stage-9' \
         of ladder 'iro-dispute-resolution': expected a stage of this ladder, found 'stage-9'"
    );
}

/// Raised Friday 18 December 2026 (ceiling Wednesday 20 January 2027) and
/// escalated on Monday 18 January: the head of service's 5 working days would end
/// Monday 25 January, so the response date is capped at the ceiling, and said so.
#[test]
fn a_window_past_the_ceiling_is_capped_with_an_effect() {
    let (ladder, cal, state) = iro_raised_friday_18_december();
    let escalate =
        events(r#"{"on":"2027-01-18","actor":"iro","type":"escalate","reason":"no response"}"#);
    let t = apply(&ladder, &cal, &state, &escalate[0]).unwrap();
    assert_eq!(t.state.respond_by, Some(d(2027, 1, 20)));
    let effects: Vec<String> = t.effects().map(|e| effect_text(&e)).collect();
    assert_eq!(
        effects[0],
        "window end 2027-01-25 capped at ceiling 2027-01-20"
    );
    assert_eq!(effects.last().unwrap(), "respond by 2027-01-20");
}

/// Extra time must be later than the response date in force (Tuesday 29
/// December) and not before the day it is agreed; each refusal names the bound
/// it broke.
#[test]
fn extra_time_refusals_name_the_bound_broken() {
    let (ladder, cal, state) = iro_raised_friday_18_december();
    let refusal = |line: &str| {
        let event = &events(line)[0];
        apply(&ladder, &cal, &state, event).unwrap_err().to_string()
    };
    insta::assert_snapshot!(
        [
            refusal(r#"{"on":"2026-12-22","actor":"tm","type":"extend","until":"2026-12-29","reason":"x"}"#),
            refusal(r#"{"on":"2027-01-04","actor":"tm","type":"extend","until":"2026-12-31","reason":"x"}"#),
        ]
        .join("\n"),
        @"
        event 'extend' on 2026-12-22 refused in state awaiting-response at stage 'team-manager' of ladder 'iro-dispute-resolution': expected a date after the current response date 2026-12-29, found 2026-12-29
        event 'extend' on 2027-01-04 refused in state awaiting-response at stage 'team-manager' of ladder 'iro-dispute-resolution': expected a date on or after the day extra time is agreed, 2027-01-04, found 2026-12-31
    "
    );
}

/// Refusals the newer rules make, each naming the event, the state and why:
/// raising at a stage that is not an entry stage; an event dated after time
/// acted, applied without advancing first (review decisions handed over on
/// Friday 18 December 2026 are deemed agreed on Wednesday 30th); extra time
/// to a weekend; starting a duty the ladder lacks.
#[test]
fn newer_refusals_name_what_went_wrong() {
    let calendar = calendar();
    let refusal = |ladder: &Ladder, lines: &str, last: &str| {
        let (state, _) = replay(ladder, &calendar, &events(lines)).unwrap();
        let event: Event = serde_json::from_str(last).unwrap();
        apply(ladder, &calendar, &state, &event)
            .unwrap_err()
            .to_string()
    };
    let cp = builtin::ladder("cp-conference-concerns").unwrap();
    let lac = builtin::ladder("lac-review-decisions").unwrap();
    let iro = builtin::ladder("iro-dispute-resolution").unwrap();
    let handed_over = r#"
        {"on":"2026-12-14","actor":"iro","type":"raise","reason":"review"}
        {"on":"2026-12-18","actor":"iro","type":"escalate","reason":"decisions sent"}
    "#;
    let lines = [
        refusal(
            &cp,
            "",
            r#"{"on":"2026-12-14","actor":"chair","type":"raise","stage":"level-4","reason":"r"}"#,
        ),
        refusal(
            &lac,
            handed_over,
            r#"{"on":"2027-01-04","actor":"tm","type":"respond","outcome":"agreed"}"#,
        ),
        refusal(
            &iro,
            r#"{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"r"}"#,
            r#"{"on":"2026-12-21","actor":"tm","type":"extend","until":"2027-01-02","reason":"leave"}"#,
        ),
        refusal(
            &iro,
            r#"{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"r"}"#,
            r#"{"on":"2026-12-21","actor":"iro","type":"start-duty","duty":"emergency-removal"}"#,
        ),
    ];
    assert!(lines[0].contains("is not an entry stage"), "{}", lines[0]);
    assert!(
        lines[1].contains("time acted on 2026-12-30"),
        "{}",
        lines[1]
    );
    insta::assert_snapshot!(lines.join("\n"));
}

/// Review decisions whose sending stage escalated automatically (a variant of
/// the built-in ladder): time escalates on the first working day after the 5
/// days to send them, and the team manager's 5 days then run out too. A
/// `deem-agreed` recorded by hand on Wednesday 20 January 2027 is that second
/// action: time escalates first, and the hand's record is applied as it is.
#[test]
fn time_acts_one_action_at_a_time_before_an_event() {
    let text = builtin::source("lac-review-decisions").unwrap().replacen(
        r#"on_expiry = { action = "flag-only""#,
        r#"on_expiry = { action = "escalates-automatically""#,
        1,
    );
    let ladder = Ladder::from_toml_str(&text, "chain.toml").unwrap();
    // Raised Tuesday 1 December 2026: decisions due Tuesday 8th (2, 3, 4, 7, 8),
    // escalated by time on Wednesday 9th; the team manager's 5 working days end
    // on Wednesday 16th (10, 11, 14, 15, 16).
    let chain = events(
        r#"
            {"on":"2026-12-01","actor":"iro","type":"raise","reason":"review"}
            {"on":"2027-01-20","actor":"iro","type":"deem-agreed"}
        "#,
    );
    let (state, trail) = replay(&ladder, &calendar(), &chain).unwrap();
    assert_eq!(state.phase, Phase::DeemedAgreed);
    let path: Vec<(String, &str)> = trail
        .iter()
        .map(|e| (e.event.on.to_string(), e.event.kind.name()))
        .collect();
    assert_eq!(
        path,
        [
            ("2026-12-01".to_string(), "raise"),
            ("2026-12-09".to_string(), "escalate"),
            ("2027-01-20".to_string(), "deem-agreed"),
        ]
    );
}

/// Decisions handed over on Thursday 17 December 2026 are due Thursday 24th
/// (18, 21, 22, 23, 24); time deems them agreed on Tuesday 29th (Christmas Day
/// and the Boxing Day substitute on the 28th are not working days). A hand's
/// `deem-agreed` on Saturday 26th is too early; on the 29th it is accepted.
#[test]
fn deemed_agreement_is_not_recorded_before_time_would_act() {
    let ladder = builtin::ladder("lac-review-decisions").unwrap();
    let handed = r#"
        {"on":"2026-12-14","actor":"iro","type":"raise","reason":"review"}
        {"on":"2026-12-17","actor":"iro","type":"escalate","reason":"decisions sent"}
    "#;
    let (state, _) = replay(&ladder, &calendar(), &events(handed)).unwrap();
    assert_eq!(state.respond_by, Some(d(2026, 12, 24)));
    let deem = |on: &str| -> Event {
        serde_json::from_str(&format!(
            r#"{{"on":"{on}","actor":"iro","type":"deem-agreed"}}"#
        ))
        .unwrap()
    };
    let early = deem("2026-12-26");
    let err = apply(&ladder, &calendar(), &state, &early).unwrap_err();
    assert!(
        err.to_string().contains("not due until 2026-12-24"),
        "{err}"
    );
    let on_time = deem("2026-12-29");
    let t = apply(&ladder, &calendar(), &state, &on_time).unwrap();
    assert_eq!(t.state.phase, Phase::DeemedAgreed);
}

/// A 1-calendar-day window entered on Saturday 26 December 2026 (Boxing Day)
/// ends on Sunday 27th; rolled back it would be Thursday 24th, before the stage
/// was entered, so it rolls forward instead: Tuesday 29th (the 28th is the
/// Boxing Day substitute).
#[test]
fn a_calendar_day_window_never_ends_before_its_stage_was_entered() {
    let text = builtin::source("lac-review-decisions").unwrap().replacen(
        r#"window = { unit = "working-days", count = 5, provenance = { source = "The team manager will respond"#,
        r#"window = { unit = "calendar-days", count = 1, provenance = { source = "The team manager will respond"#,
        1,
    );
    assert!(
        text.contains(r#"unit = "calendar-days", count = 1"#),
        "the variant changed nothing"
    );
    let ladder = Ladder::from_toml_str(&text, "one-day.toml").unwrap();
    let (state, _) = replay(
        &ladder,
        &calendar(),
        &events(
            r#"
            {"on":"2026-12-21","actor":"iro","type":"raise","reason":"review"}
            {"on":"2026-12-26","actor":"iro","type":"escalate","reason":"decisions sent"}
        "#,
        ),
    )
    .unwrap();
    assert_eq!(state.stage_entered_on, Some(d(2026, 12, 26)));
    assert_eq!(state.respond_by, Some(d(2026, 12, 29)));
}
