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
        "'nottinghamshire-inspection' is a built-in schedule, not a ladder: load it with \
         builtin::procedure; ladders: nottingham-provider-concerns, iro-dispute-resolution, \
         lac-review-decisions, cp-conference-concerns, chair-performance-concerns, \
         oxfordshire-resolution-escalation, birmingham-cp-notification"
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
