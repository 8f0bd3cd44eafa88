//! A council's own ladder, loaded from TOML and run: raise, escalate, agree extra
//! time, respond, resolve; the worst-case timeline, then each event with its
//! effects and the status it leaves.
//!
//! ```text
//! cargo run --example council_ladder
//! cargo run --example council_ladder -- path/to/own-ladder.toml
//! ```
//!
//! `examples/data/council-ladder.toml` is "Anytown Council"'s IRO escalation
//! protocol: invented, but written the way a council would write its own, with
//! every rule quoting the illustrative procedure text
//! (`examples/data/anytown-escalation-protocol.txt`) or saying why it is an
//! assumption. `ladder validate examples/data/council-ladder.toml` checks it too.
//!
//! The story, over Christmas 2026 (Friday 25 December and Monday 28 December,
//! Boxing Day's substitute, are bank holidays; so is Friday 1 January 2027):
//! an IRO raises a concern with the social worker on Thursday 17 December,
//! escalates to the team manager on Tuesday 22nd, agrees extra time to Tuesday 5
//! January, gets the response that day and resolves the concern on Wednesday 6
//! January.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use escalation_ladder::engine::{
    apply, status, worst_case_timeline, AlertState, Effect, Event, EventKind,
};
use escalation_ladder::ladder::{Ladder, Procedure};
use escalation_ladder::WorkingCalendar;

/// The shipped ladder file.
pub fn shipped_ladder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/council-ladder.toml")
}

/// Loads and validates a ladder file (a schedule is refused).
///
/// # Errors
///
/// The loader's error (file, line, stage and field), or a schedule.
pub fn load(path: &Path) -> Result<Ladder, Box<dyn Error>> {
    match Procedure::from_path(path)? {
        Procedure::Ladder(ladder) => Ok(ladder),
        Procedure::Schedule(schedule) => Err(format!(
            "'{}' is the schedule '{}': expected a ladder",
            path.display(),
            schedule.id
        )
        .into()),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    // Fixed, valid dates of the story.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The story's events, on the ladder's stages.
pub fn story() -> Vec<Event> {
    let event = |on, actor: &str, kind| Event {
        on,
        actor: actor.to_string(),
        id: None,
        meta: None,
        kind,
    };
    vec![
        event(
            date(2026, 12, 17),
            "iro.shaw",
            EventKind::Raise {
                stage: None,
                category: Some("drift-in-care-planning".to_string()),
                reason: "No permanence plan at the second review".to_string(),
            },
        ),
        event(
            date(2026, 12, 22),
            "iro.shaw",
            EventKind::Escalate {
                to: None,
                reason: "No response from the social worker".to_string(),
            },
        ),
        event(
            date(2026, 12, 23),
            "iro.shaw",
            EventKind::Extend {
                until: date(2027, 1, 5),
                reason: "Team manager on leave until 4 January; agreed with the IRO and recorded on the Escalation Log".to_string(),
            },
        ),
        event(
            date(2027, 1, 5),
            "tm.green",
            EventKind::Respond { outcome: None },
        ),
        event(
            date(2027, 1, 6),
            "iro.shaw",
            EventKind::Resolve {
                outcome: "Permanence planning meeting booked for 14 January".to_string(),
            },
        ),
    ]
}

/// One effect in words.
pub fn effect_text(effect: &Effect) -> String {
    match effect {
        Effect::Notify { role, stage } => format!("notify {role} (stage {stage})"),
        Effect::RequestResponse { role, stage } => format!("ask {role} to respond (stage {stage})"),
        Effect::Record { form, stage } => format!("record on the {form} (stage {stage})"),
        Effect::DeadlineSet { stage, respond_by } => match respond_by {
            Some(due) => format!("response due {due} (stage {stage})"),
            None => format!("no response date (stage {stage})"),
        },
        Effect::DeadlineCappedAtCeiling {
            window_ends,
            ceiling,
            ..
        } => format!("window would end {window_ends}: capped at the ceiling {ceiling}"),
        Effect::DeadlineMoved { from, to } => match from {
            Some(from) => format!("response date moved from {from} to {to}"),
            None => format!("response date set to {to}"),
        },
        Effect::CeilingSet { ceiling } => format!("ceiling {ceiling}"),
        Effect::CeilingBreached { ceiling, cause } => {
            format!("CEILING {ceiling} BREACHED: {cause}")
        }
        Effect::DeemedAgreed { stage } => format!("deemed agreed (stage {stage})"),
        Effect::Referred { referral } => format!("referred to {referral}"),
        Effect::Closed { phase } => format!("closed: {}", phase.name()),
        Effect::ConfirmCondition { condition, .. } => format!("confirm first: {condition}"),
        Effect::StepRecorded { stage, step } => format!("step {step} recorded (stage {stage})"),
        Effect::LateResponse { stage, .. } => format!("late response recorded (stage {stage})"),
        Effect::DutyStarted { duty, due } => match due {
            Some(due) => format!("duty {duty} started, due {due}"),
            None => format!("duty {duty} started"),
        },
        Effect::NotifyOfDuty { role, duty } => format!("notify {role} (duty {duty})"),
        Effect::DutyCompleted { duty } => format!("duty {duty} completed"),
        _ => format!("{effect:?}"),
    }
}

/// The worst-case timeline raised on the story's first day, then the story:
/// each event, its effects, and the status as at that day.
///
/// # Errors
///
/// The engine's refusal of an event, or a date outside the calendar.
pub fn run(ladder: &Ladder) -> Result<String, Box<dyn Error>> {
    let calendar = WorkingCalendar::new(ladder.working_days.region);
    let events = story();
    let mut out = String::new();
    let ceiling = ladder
        .ceiling
        .as_ref()
        .map(|c| format!(", ceiling {} working days", c.working_days))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} ({}){ceiling}\n{}, {} stages, {} assumptions:",
        ladder.title,
        ladder.id,
        ladder.authority,
        ladder.stages.len(),
        ladder.assumptions().len(),
    );
    for (place, reason) in ladder.assumptions() {
        let _ = writeln!(out, "  assumption {place}: {reason}");
    }

    let raised = events
        .first()
        .map(|e| e.on)
        .ok_or("the story has no events")?;
    let (rows, ceiling) = worst_case_timeline(ladder, &calendar, raised)?;
    let _ = writeln!(
        out,
        "\nWorst case raised {raised} (nobody responds; each stage escalated when due):"
    );
    for row in rows {
        let due = row
            .respond_by
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".to_string());
        let _ = writeln!(
            out,
            "  {:<16} entered {}  due {due}",
            row.stage, row.entered
        );
    }
    if let Some(ceiling) = ceiling {
        let _ = writeln!(out, "  {:<16} {ceiling}", "ceiling");
    }

    let _ = writeln!(out, "\nThe story:");
    let mut state = AlertState::new(&ladder.id);
    for event in &events {
        let transition = apply(ladder, &calendar, &state, event)?;
        let _ = writeln!(
            out,
            "{} {} by {} -> {}",
            event.on,
            event.kind.name(),
            event.actor,
            transition.state
        );
        for effect in transition.effects() {
            let _ = writeln!(out, "    {}", effect_text(&effect));
        }
        state = transition.state;
        let now = status(ladder, &calendar, &state, event.on)?;
        if let (Some(due), Some(left)) = (now.next_deadline, now.working_days_left) {
            let who: Vec<&str> = now.who_must_act.iter().map(String::as_str).collect();
            let _ = writeln!(
                out,
                "    as at {}: {} must respond by {due} ({left} working days left)",
                event.on,
                who.join(", ")
            );
        }
        if let (Some(ceiling), Some(left)) = (now.ceiling, now.ceiling_working_days_left) {
            let _ = writeln!(
                out,
                "    as at {}: ceiling {ceiling} ({left} working days left)",
                event.on
            );
        }
    }
    let _ = writeln!(
        out,
        "\nClosed {} on {}; {} events; breaches: ceiling {}, extended beyond it {}",
        state.phase.name(),
        state
            .last_event_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
        state.events_applied,
        state.breaches.ceiling_breached,
        state.breaches.extended_beyond_ceiling,
    );
    Ok(out)
}

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(shipped_ladder);
    let ladder = load(&path)?;
    print!("{}", run(&ladder)?);
    Ok(())
}
