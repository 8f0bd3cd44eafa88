//! Timelines: a ladder's worst case, and a schedule's dates.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::apply::apply;
use super::clock::current_stage;
use super::error::EngineError;
use super::types::{AlertState, Event, EventKind};
use crate::calendar::{Roll, WorkingCalendar};
use crate::ladder::{Ladder, Repeat, Schedule};

/// A ladder's worst-case timeline as `ladder timeline --json` and the HTTP
/// service print it: `{"procedure", "raised", "stages", "ceiling"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderTimeline {
    /// The ladder's id.
    pub procedure: String,
    /// The day the alert is raised (day 0).
    pub raised: NaiveDate,
    /// The stages on the default path ([`worst_case_timeline`]).
    pub stages: Vec<TimelineRow>,
    /// The ceiling, where the ladder has one.
    pub ceiling: Option<NaiveDate>,
}

/// A schedule's dates as `ladder timeline --json` and the HTTP service print
/// them: `{"procedure", "day_one", "milestones"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleTimeline {
    /// The schedule's id.
    pub procedure: String,
    /// The schedule's day 1.
    pub day_one: NaiveDate,
    /// The milestones' dates ([`schedule_dates`]).
    pub milestones: Vec<MilestoneDate>,
}

/// One line of a worst-case timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimelineRow {
    /// The stage.
    pub stage: String,
    /// The day it is entered.
    pub entered: NaiveDate,
    /// Its response date; none where no window applies.
    pub respond_by: Option<NaiveDate>,
}

/// A ladder's worst case: nobody ever responds, and each stage is escalated on the
/// day its response is due (a stage with no window is escalated the day it is
/// entered), along the default path from the first stage.
///
/// Computed by the engine itself, so it shows exactly what [`apply`] would do,
/// response dates capped at the ceiling included. Returns the rows and the ceiling.
///
/// # Errors
///
/// As [`apply`].
///
/// # Example
///
/// Oxfordshire's ladder raised on Monday 21 December 2026:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::engine::worst_case_timeline;
/// use escalation_ladder::{ladder::builtin, Region, WorkingCalendar};
///
/// let ladder = builtin::ladder("oxfordshire-resolution-escalation")?;
/// let calendar = WorkingCalendar::new(Region::EnglandAndWales);
/// let raised = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
/// let (rows, ceiling) = worst_case_timeline(&ladder, &calendar, raised)?;
/// assert_eq!(rows[0].entered, raised);
/// assert_eq!(ceiling, NaiveDate::from_ymd_opt(2027, 1, 21));
/// assert!(rows.iter().all(|r| r.respond_by <= ceiling));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn worst_case_timeline(
    ladder: &Ladder,
    calendar: &WorkingCalendar,
    raised: NaiveDate,
) -> Result<(Vec<TimelineRow>, Option<NaiveDate>), EngineError> {
    let mut state = AlertState::new(&ladder.id);
    let mut rows = Vec::new();
    let mut event = Event {
        on: raised,
        actor: "worst-case".to_string(),
        id: None,
        meta: None,
        kind: EventKind::Raise {
            stage: None,
            category: None,
            reason: "worst case".to_string(),
        },
    };
    // A validated ladder has no cycles; the bound also protects a hand-built one.
    for _ in 0..=ladder.stages.len() {
        state = apply(ladder, calendar, &state, &event)?.state;
        let entered = state.stage_entered_on.unwrap_or(raised);
        rows.push(TimelineRow {
            stage: state.stage.as_deref().unwrap_or_default().to_string(),
            entered,
            respond_by: state.respond_by,
        });
        let has_next = current_stage(ladder, &state).is_some_and(|s| s.next.is_some());
        if !has_next {
            break;
        }
        event = Event {
            on: state.respond_by.unwrap_or(entered),
            actor: "worst-case".to_string(),
            id: None,
            meta: None,
            kind: EventKind::Escalate {
                to: None,
                reason: "no response".to_string(),
            },
        };
    }
    Ok((rows, state.ceiling))
}

/// A schedule milestone with its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MilestoneDate {
    /// The milestone's id.
    pub id: String,
    /// What happens.
    pub name: String,
    /// Its (first) day.
    pub date: NaiveDate,
    /// Its last day, for a milestone that spans days.
    pub until: Option<NaiveDate>,
    /// Every date it falls on, for a milestone that repeats (empty otherwise).
    #[serde(default)]
    pub occurrences: Vec<NaiveDate>,
}

/// The dates of a schedule's milestones from a starting day.
///
/// Day 1 is `start`, or the next working day if `start` is not one; day `k` is
/// `k - 1` working days after day 1. A repeating milestone lists every date it
/// falls on ([`Repeat`]).
///
/// # Errors
///
/// [`EngineError::Calendar`] when a date falls outside the calendar's range.
pub fn schedule_dates(
    schedule: &Schedule,
    calendar: &WorkingCalendar,
    start: NaiveDate,
) -> Result<Vec<MilestoneDate>, EngineError> {
    let day_one = calendar.roll(start, Roll::Following)?;
    let day = |k: u32| -> Result<NaiveDate, EngineError> {
        let offset = i32::try_from(k.saturating_sub(1)).unwrap_or(i32::MAX);
        Ok(calendar.add_working_days(day_one, offset)?)
    };
    schedule
        .milestones
        .iter()
        .map(|m| {
            Ok(MilestoneDate {
                id: m.id.clone(),
                name: m.name.clone(),
                date: day(m.day)?,
                until: m.until_day.map(day).transpose()?,
                occurrences: match &m.repeats {
                    Some(repeat) => {
                        occurrences(calendar, day(m.day)?, day(repeat.until_day)?, repeat)?
                    }
                    None => Vec::new(),
                },
            })
        })
        .collect()
}

/// The dates a repeating milestone falls on from `first` to `last` (both
/// working days): in each Monday-to-Sunday week, the first working day of the
/// week in the span, then each first working day at least `7 / times_per_week`
/// calendar days (at least 1) after the one before, while in the week and the
/// span.
fn occurrences(
    calendar: &WorkingCalendar,
    first: NaiveDate,
    last: NaiveDate,
    repeat: &Repeat,
) -> Result<Vec<NaiveDate>, EngineError> {
    let gap = i64::from((7 / repeat.times_per_week.max(1)).max(1));
    let mut dates = Vec::new();
    let mut day = first;
    while day <= last {
        let week_ends =
            day + chrono::Duration::days(6 - i64::from(day.weekday().num_days_from_monday()));
        let mut in_week = 0;
        let mut next = day;
        while next <= last && next <= week_ends && in_week < repeat.times_per_week {
            dates.push(next);
            in_week += 1;
            next = calendar.roll(next + chrono::Duration::days(gap), Roll::Following)?;
        }
        // The first working day of the next week.
        day = calendar.roll(week_ends + chrono::Duration::days(1), Roll::Following)?;
    }
    Ok(dates)
}
