//! The deadlines of one open alert, as at a date.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::engine::status;
use crate::ladder::Ladder;
use crate::report::{Case, Procedures, ReportError};

use super::error::IcsError;
use super::text::push_percent_encoded;

/// What a deadline is: what an event in people's calendars marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DeadlineKind {
    /// The current stage's response date (after any agreed extra time).
    Response,
    /// The ladder's ceiling on the whole procedure (e.g. 20 working days from
    /// the raise), for a ladder that has one.
    Ceiling,
    /// A duty beside the ladder ([`Deadline::duty`] names it): Nottingham's
    /// emergency action, an action plan's review date.
    Duty,
}

impl DeadlineKind {
    /// The kind's name, as in UIDs (`"response"`, `"ceiling"`).
    pub fn name(self) -> &'static str {
        match self {
            DeadlineKind::Response => "response",
            DeadlineKind::Ceiling => "ceiling",
            DeadlineKind::Duty => "duty",
        }
    }
}

/// One deadline of an open alert as at a date: the date, whose case it is, who
/// must act and how many working days are left.
///
/// Made by [`case_deadlines`]; [`DeadlineCalendar`](super::DeadlineCalendar)
/// writes each as one all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deadline {
    /// What the deadline is.
    pub kind: DeadlineKind,
    /// The day it falls due (the last day allowed).
    pub date: NaiveDate,
    /// The alert's id.
    pub case: Arc<str>,
    /// The ladder the alert runs on.
    pub ladder: Arc<str>,
    /// The stage the alert is at.
    pub stage: Option<Arc<str>>,
    /// The duty, for a [`DeadlineKind::Duty`] deadline.
    pub duty: Option<Arc<str>>,
    /// The child's id, if recorded.
    pub child: Option<Arc<str>>,
    /// The team holding the case, if recorded.
    pub team: Option<Arc<str>>,
    /// The worker holding the case, if recorded.
    pub worker: Option<Arc<str>>,
    /// The roles that must act now (the stage's responders, or the raiser once
    /// they responded; a duty's owners), as role ids of the ladder.
    pub who_must_act: Vec<String>,
    /// Working days from the as-of date to the deadline, (as_of, date];
    /// negative once it has passed.
    pub working_days_left: i64,
    /// Whether the deadline has passed (the as-of date is after it).
    pub overdue: bool,
    /// The day the alert was raised (day 0 of the ceiling).
    pub raised_on: Option<NaiveDate>,
    /// How many events the alert has had: it grows with every change, so a
    /// calendar client takes a later export as an update (iCalendar's
    /// `SEQUENCE`).
    pub sequence: u32,
}

impl Deadline {
    /// The event's UID: `CASE/LADDER/KIND@DOMAIN` (`CASE/LADDER/duty/DUTY@DOMAIN`
    /// for a duty), with the case, ladder and duty ids percent-encoded (every
    /// byte but ASCII letters, digits, `-`, `.`, `_` and `~`).
    ///
    /// It names what the deadline is, never its date, so a response date moved
    /// by agreed extra time, or by an escalation to the next stage, updates the
    /// same event in people's calendars instead of adding one.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use escalation_ladder::ics::case_deadlines;
    /// use escalation_ladder::report::{read_cases, Procedures};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let cases = read_cases(r#"{"case":"IRO 2026/0107","ladder":"iro-dispute-resolution",
    ///   "events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#
    ///     .replace('\n', "").as_bytes(), &procedures)?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    /// let deadlines = case_deadlines(&cases[0], &procedures, as_of)?;
    /// assert_eq!(
    ///     deadlines[0].uid("ics.anytown.gov.uk"),
    ///     "IRO%202026%2F0107/iro-dispute-resolution/response@ics.anytown.gov.uk",
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn uid(&self, domain: &str) -> String {
        let mut uid =
            String::with_capacity(self.case.len() + self.ladder.len() + domain.len() + 12);
        push_percent_encoded(&mut uid, &self.case);
        uid.push('/');
        push_percent_encoded(&mut uid, &self.ladder);
        uid.push('/');
        uid.push_str(self.kind.name());
        if let Some(duty) = &self.duty {
            uid.push('/');
            push_percent_encoded(&mut uid, duty);
        }
        uid.push('@');
        uid.push_str(domain);
        uid
    }
}

/// The deadlines of one case as at `as_of`, after time has acted: for an open
/// alert, its response date when it is awaiting a response at a stage with a
/// window, then its ceiling when its ladder has one; then, open or closed, each
/// open duty beside the ladder with a due date (feedback after a resolution is
/// still due).
///
/// An overdue deadline is still given (with `overdue` set): a deadline that
/// has passed is what people most need to see.
///
/// # Errors
///
/// [`IcsError::Case`], as a report refuses the case, open or closed:
/// [`ReportError::UnknownLadder`] for a ladder not in `procedures`,
/// [`ReportError::EventsAfterAsOf`] for events after `as_of`, and
/// [`ReportError::Engine`] when the engine cannot give its status.
///
/// # Example
///
/// An IRO alert raised at the team-manager stage on Friday 18 December 2026:
/// the 5 working days skip Christmas Day and the Boxing Day substitute (Monday
/// 28th), so the response is due Tuesday 29 December; the ceiling, 20 working
/// days, is Wednesday 20 January 2027. As at Christmas Eve, 1 working day is
/// left for the response and 16 for the ceiling.
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::ics::{case_deadlines, DeadlineKind};
/// use escalation_ladder::report::{read_cases, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let line = r#"{"case":"IRO-2026-0107","team":"North Locality","ladder":"iro-dispute-resolution",
///   "events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"}]}"#;
/// let cases = read_cases(line.replace('\n', "").as_bytes(), &procedures)?;
/// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let deadlines = case_deadlines(&cases[0], &procedures, date(2026, 12, 24))?;
/// let found: Vec<_> = deadlines.iter().map(|d| (d.kind, d.date, d.working_days_left)).collect();
/// assert_eq!(found, [
///     (DeadlineKind::Response, date(2026, 12, 29), 1),
///     (DeadlineKind::Ceiling, date(2027, 1, 20), 16),
/// ]);
/// assert_eq!(deadlines[0].who_must_act, ["team-manager"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn case_deadlines(
    case: &Case,
    procedures: &Procedures,
    as_of: NaiveDate,
) -> Result<Vec<Deadline>, IcsError> {
    deadlines_on_ladder(case, procedures, as_of).map(|(deadlines, _)| deadlines)
}

/// [`case_deadlines`], with the case's ladder.
pub(super) fn deadlines_on_ladder<'p>(
    case: &Case,
    procedures: &'p Procedures,
    as_of: NaiveDate,
) -> Result<(Vec<Deadline>, &'p Ladder), IcsError> {
    let (entry, calendar) = procedures.for_case(case, as_of)?;
    let ladder = &entry.ladder;
    if !case.is_open() && case.state.open_duties().next().is_none() {
        return Ok((Vec::new(), ladder));
    }
    let now =
        status(ladder, calendar, &case.state, as_of).map_err(|source| ReportError::Engine {
            case: case.id.to_string(),
            source: Box::new(source),
        })?;
    let ladder_id = case.ladder();
    let deadline = |kind, date, working_days_left| Deadline {
        kind,
        date,
        case: Arc::clone(&case.id),
        ladder: Arc::clone(ladder_id),
        // The stage as time left it (status has advanced the state).
        stage: now
            .stage
            .as_deref()
            .and_then(|id| ladder.stage(id))
            .map(|s| Arc::clone(&s.id)),
        duty: None,
        child: case.child.clone(),
        team: case.team.clone(),
        worker: case.worker.clone(),
        who_must_act: now.who_must_act.to_vec(),
        working_days_left,
        overdue: as_of > date,
        raised_on: case.state.raised_on,
        sequence: case.state.events_applied,
    };
    let mut deadlines = Vec::with_capacity(2);
    if let (Some(date), Some(left)) = (now.next_deadline, now.working_days_left) {
        deadlines.push(deadline(DeadlineKind::Response, date, left));
    }
    if let (Some(date), Some(left)) = (now.ceiling, now.ceiling_working_days_left) {
        deadlines.push(deadline(DeadlineKind::Ceiling, date, left));
    }
    for duty in &now.duties {
        if let (Some(date), Some(left)) = (duty.due, duty.working_days_left) {
            deadlines.push(Deadline {
                duty: ladder.duty(&duty.duty).map(|d| Arc::clone(&d.id)),
                who_must_act: duty.owners.to_vec(),
                ..deadline(DeadlineKind::Duty, date, left)
            });
        }
    }
    Ok((deadlines, ladder))
}
