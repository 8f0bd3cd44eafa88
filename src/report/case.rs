//! Cases: the record a case system exports, and the compact alert kept after
//! replaying it.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::engine::{AlertState, Event, Phase};

/// One line of a cases file, as a case system writes it: an alert, who it
/// belongs to, its ladder and its events in order.
///
/// ```json
/// {"case":"IRO-2026-0107","child":"C-20417","team":"North Locality","worker":"j.smith",
///  "ladder":"iro-dispute-resolution","events":[
///   {"on":"2026-11-02","actor":"iro.patel","type":"raise","stage":"team-manager",
///    "category":"failure-to-plan","reason":"no pathway plan"},
///   {"on":"2026-11-09","actor":"tm.khan","type":"respond"}]}
/// ```
///
/// - `case` (required): the alert's id, unique within a file.
/// - `child`, `team`, `worker` (optional): who the alert concerns and who holds
///   the case. Reports group a missing team or worker as "(not recorded)".
/// - `ladder` (required): a built-in ladder id or one the caller supplies
///   ([`Procedures`](super::Procedures)).
/// - `events` (required, at least one): the alert's events in date order, in the
///   engine's own shape ([`Event`]), starting with its `raise`.
///
/// - `meta` (optional): an object of the case system's own (its row id, its
///   own codes), kept with the record and never read.
///
/// Any other field is refused, naming it and pointing to `meta`: a field the
/// crate does not read would be lost without a word, and a misspelt one
/// (`"wroker"`) would leave a case without its worker. An event's own
/// fields are held to the same rule.
///
/// # Example
///
/// ```
/// use escalation_ladder::report::CaseRecord;
///
/// let line = r#"{"case":"IRO-2026-0107","team":"North Locality","ladder":"iro-dispute-resolution",
///   "events":[{"on":"2026-11-02","actor":"iro.patel","type":"raise","reason":"drift"}],
///   "meta":{"exported_by":"nightly job"}}"#;
/// let record: CaseRecord = serde_json::from_str(line)?;
/// assert_eq!(record.case, "IRO-2026-0107");
/// assert_eq!(record.worker, None);
/// assert_eq!(record.events.len(), 1);
/// let extra = line.replace(r#""meta":{"exported_by":"nightly job"}"#, r#""exported_by":"nightly job""#);
/// let err = serde_json::from_str::<CaseRecord>(&extra).unwrap_err();
/// assert!(err.to_string().starts_with("unknown field `exported_by`"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseRecord {
    /// The record's schema version
    /// ([`CASE_RECORD_SCHEMA_VERSION`](crate::contract::CASE_RECORD_SCHEMA_VERSION));
    /// the current version if the record leaves it out.
    #[serde(default)]
    pub schema_version:
        crate::version::SchemaVersion<{ crate::version::CASE_RECORD_SCHEMA_VERSION }>,
    /// The alert's id, unique within a file.
    pub case: String,
    /// The child's id in the case system.
    #[serde(default)]
    pub child: Option<String>,
    /// The team holding the case.
    #[serde(default)]
    pub team: Option<String>,
    /// The worker holding the case.
    #[serde(default)]
    pub worker: Option<String>,
    /// The ladder the alert runs on.
    pub ladder: String,
    /// The events, in date order, starting with the raise.
    pub events: Vec<Event>,
    /// The case system's own data, kept and never read.
    #[serde(default)]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
}

/// How an alert left a stage it visited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "how", content = "as")]
pub enum Departure {
    /// It has not left: the alert is still at this stage (open), or it has not
    /// been raised yet.
    StillThere,
    /// It moved to another stage: the next visit in [`Case::visits`].
    Moved(MoveKind),
    /// The alert closed at this stage.
    Closed(Closure),
}

/// How an alert moved from one stage to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum MoveKind {
    /// Escalated to the stage's `next` stage.
    Escalated,
    /// Escalated to a later stage through the stage's `bypass`, skipping those
    /// in between.
    Bypassed,
    /// A branch outcome of the stage's response sent it on (e.g. an
    /// unsatisfactory provider response leads to a provider meeting).
    Routed,
}

impl MoveKind {
    /// The kind's name, as in JSON, CSV and text (`"bypassed"`).
    pub fn name(self) -> &'static str {
        match self {
            MoveKind::Escalated => "escalated",
            MoveKind::Bypassed => "bypassed",
            MoveKind::Routed => "routed",
        }
    }
}

/// How an alert closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Closure {
    /// Resolved (by a `resolve` event or an outcome that resolves).
    Resolved,
    /// The other side was deemed to agree when the window ran out.
    DeemedAgreed,
    /// Withdrawn by the raiser.
    Withdrawn,
}

impl Closure {
    /// The closure for a closed phase; `None` for an open phase or one not raised.
    pub fn of_phase(phase: Phase) -> Option<Closure> {
        match phase {
            Phase::Resolved => Some(Closure::Resolved),
            Phase::DeemedAgreed => Some(Closure::DeemedAgreed),
            Phase::Withdrawn => Some(Closure::Withdrawn),
            Phase::NotRaised | Phase::AwaitingResponse | Phase::AwaitingDecision => None,
        }
    }

    /// The closure's name, as in JSON, CSV and text (`"deemed-agreed"`).
    pub fn name(self) -> &'static str {
        match self {
            Closure::Resolved => "resolved",
            Closure::DeemedAgreed => "deemed-agreed",
            Closure::Withdrawn => "withdrawn",
        }
    }
}

/// One stay of an alert at one stage: when it arrived, what was due, and how it
/// left. An alert reopened at the stage where it closed starts a new visit.
///
/// Dates are the dates of the events that set them; the counting convention is
/// the crate's ("day 0 is the day of receipt").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageVisit {
    /// The stage.
    pub stage: Arc<str>,
    /// The day the alert entered the stage.
    pub entered_on: NaiveDate,
    /// The response date set on entry (capped at the ceiling); none for a stage
    /// whose window sets no date.
    pub due_as_set: Option<NaiveDate>,
    /// The response date in force: `due_as_set`, or the date agreed extra time
    /// moved it to.
    pub due_in_force: Option<NaiveDate>,
    /// The day extra time was last agreed at this stage, if it was.
    pub extended_on: Option<NaiveDate>,
    /// The day the stage's responder responded, if they did.
    pub responded_on: Option<NaiveDate>,
    /// The day the alert left the stage; none while it is still there.
    pub left_on: Option<NaiveDate>,
    /// How it left.
    pub departure: Departure,
}

impl StageVisit {
    /// Whether extra time was agreed at this stage.
    pub fn was_extended(&self) -> bool {
        self.extended_on.is_some()
    }
}

/// An alert after its events were replayed: ids, the final engine state, and one
/// [`StageVisit`] per stage it passed through. The events themselves are not
/// kept.
///
/// Strings are shared: every case of a team points at one copy of the team's
/// name (and of a worker's, and of an outcome), and ladder, stage, category and
/// referral ids point at the ladder's.
/// Build cases with [`CaseReader`](super::CaseReader) or [`Case::from_record`].
///
/// # Example
///
/// An IRO alert raised with a team manager on Friday 28 August 2026, the working
/// day before the summer bank holiday, and escalated when no response came:
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::report::{Case, CaseRecord, Departure, MoveKind, Procedures};
///
/// let procedures = Procedures::builtin()?;
/// let record: CaseRecord = serde_json::from_str(r#"{"case":"IRO-1","ladder":"iro-dispute-resolution",
///   "events":[{"on":"2026-08-28","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"},
///             {"on":"2026-09-08","actor":"iro","type":"escalate","reason":"no response"}]}"#)?;
/// let case = Case::from_record(&record, &procedures)?;
/// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// // 5 working days skip Monday 31 August: due Monday 7 September.
/// assert_eq!(case.visits[0].due_in_force, Some(date(9, 7)));
/// assert_eq!(case.visits[0].departure, Departure::Moved(MoveKind::Escalated));
/// assert_eq!(&*case.visits[1].stage, "head-of-service");
/// assert!(case.is_open());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// The alert's id.
    pub id: Arc<str>,
    /// The child's id, if recorded.
    pub child: Option<Arc<str>>,
    /// The team holding the case, if recorded.
    pub team: Option<Arc<str>>,
    /// The worker holding the case, if recorded.
    pub worker: Option<Arc<str>>,
    /// The engine's state after the last event replayed.
    pub state: AlertState,
    /// The stages visited, in order. A visit that left by
    /// [`Departure::Moved`] is followed by the visit of the stage it moved to;
    /// one that [`Departure::Closed`] is followed by the visit its reopening
    /// started, if any. Empty for an alert not raised.
    pub visits: Box<[StageVisit]>,
}

/// A move between two stages, from [`Case::moves`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageMove<'c> {
    /// The visit the alert left.
    pub from: &'c StageVisit,
    /// The visit it started.
    pub to: &'c StageVisit,
    /// The day it moved.
    pub on: NaiveDate,
    /// How.
    pub kind: MoveKind,
}

impl Case {
    /// The id of the ladder the alert runs on.
    pub fn ladder(&self) -> &Arc<str> {
        &self.state.ladder
    }

    /// The day the alert was raised; none if it was not raised (its events all
    /// came after the date it was read up to).
    pub fn raised_on(&self) -> Option<NaiveDate> {
        self.state.raised_on
    }

    /// Whether the alert is open: awaiting a response or a decision.
    pub fn is_open(&self) -> bool {
        self.state.phase.is_open()
    }

    /// How and when the alert closed, if it is closed now.
    pub fn closed(&self) -> Option<(Closure, NaiveDate)> {
        let last = self.visits.last()?;
        match (last.departure, last.left_on) {
            (Departure::Closed(closure), Some(on)) => Some((closure, on)),
            _ => None,
        }
    }

    /// The visit of the stage the alert is at now (or closed at).
    pub fn current_visit(&self) -> Option<&StageVisit> {
        self.visits.last()
    }

    /// Every move between stages, in order: escalations, bypasses and routes.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::report::{Case, CaseRecord, MoveKind, Procedures};
    ///
    /// let procedures = Procedures::builtin()?;
    /// let record: CaseRecord = serde_json::from_str(r#"{"case":"OX-1","ladder":"oxfordshire-resolution-escalation",
    ///   "events":[{"on":"2026-10-05","actor":"iro","type":"raise","reason":"plan drift"},
    ///             {"on":"2026-10-07","actor":"iro","type":"escalate","to":"stage-3","reason":"serious"}]}"#)?;
    /// let case = Case::from_record(&record, &procedures)?;
    /// let moves: Vec<_> = case.moves().map(|m| (&*m.from.stage, &*m.to.stage, m.kind)).collect();
    /// assert_eq!(moves, [("stage-1", "stage-3", MoveKind::Bypassed)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn moves(&self) -> impl Iterator<Item = StageMove<'_>> + '_ {
        self.visits.windows(2).filter_map(|pair| match pair {
            [from, to] => match (from.departure, from.left_on) {
                (Departure::Moved(kind), Some(on)) => Some(StageMove { from, to, on, kind }),
                _ => None,
            },
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memory budget: a million cases with a report in 500 MB. These sizes
    /// are what the budget was worked out with (see README, Reports).
    #[test]
    fn compact_sizes() {
        assert_eq!(std::mem::size_of::<Option<NaiveDate>>(), 4);
        assert_eq!(std::mem::size_of::<Departure>(), 2);
        assert!(std::mem::size_of::<StageVisit>() <= 48);
        // A state's fingerprints read every value of their pattern, 0
        // included, so each optional one takes 9 bytes; its version is a u16,
        // so the state was 152 bytes; its `wakes_on` (4 bytes) rounds it up
        // to 160, and a case to 240.
        assert_eq!(std::mem::size_of::<crate::engine::AlertState>(), 160);
        assert!(std::mem::size_of::<Case>() <= 240);
    }

    #[test]
    fn names() {
        assert_eq!(MoveKind::Bypassed.name(), "bypassed");
        assert_eq!(Closure::DeemedAgreed.name(), "deemed-agreed");
        assert_eq!(
            Closure::of_phase(Phase::Withdrawn),
            Some(Closure::Withdrawn)
        );
        assert_eq!(Closure::of_phase(Phase::AwaitingDecision), None);
        let json = serde_json::to_string(&Departure::Closed(Closure::Resolved)).unwrap();
        assert_eq!(json, r#"{"how":"closed","as":"resolved"}"#);
        let json = serde_json::to_string(&Departure::StillThere).unwrap();
        assert_eq!(json, r#"{"how":"still-there"}"#);
    }
}
