//! The engine's data: events, state, effects, audit entries and status.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Fingerprint;
use crate::ladder::ExpiryAction;

/// The version of [`AlertState`]'s stored form that this release writes.
///
/// States stored without a version (written before versioning) load as version 1.
pub const STATE_SCHEMA_VERSION: u32 = 1;

/// Something that happened to an alert: what, when, and who did it.
///
/// Events carry their own date: the engine never reads a clock.
///
/// # Example
///
/// An event as a case system stores it (JSON):
///
/// ```
/// use escalation_ladder::engine::{Event, EventKind};
///
/// let json = r#"{"on": "2026-12-21", "actor": "iro-jones", "type": "raise",
///                "category": "significant-drift", "reason": "no permanence plan"}"#;
/// let event: Event = serde_json::from_str(json)?;
/// assert!(matches!(event.kind, EventKind::Raise { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The UK date on which it happened (see
    /// [`WorkingCalendar::receipt_date`](crate::WorkingCalendar::receipt_date) to get it
    /// from an instant).
    pub on: NaiveDate,
    /// Who did it (a user id or role id: the engine records it, it does not check it).
    pub actor: String,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened to an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum EventKind {
    /// The alert is raised, at the ladder's first stage or at another entry stage.
    Raise {
        /// The entry stage; the first stage if absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
        /// The category of concern, one of the ladder's categories.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<String>,
        /// Why the alert is raised.
        reason: String,
    },
    /// The responder at the current stage responded; with an `outcome`, one of the
    /// stage's branch outcomes, which routes the alert.
    Respond {
        /// The branch outcome, if the stage has outcomes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<String>,
    },
    /// The alert is resolved.
    Resolve {
        /// The outcome, in words.
        outcome: String,
    },
    /// The alert moves up: to the next stage, or to a later stage the current
    /// stage's bypass allows.
    Escalate {
        /// The target stage; the next stage if absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        /// Why (for a bypass, how its condition was met).
        reason: String,
    },
    /// Extra time agreed for the current stage's response.
    Extend {
        /// The new response date. A date beyond the ceiling is allowed and flagged.
        until: NaiveDate,
        /// Why, and who agreed it.
        reason: String,
    },
    /// The current stage's window has run out and the ladder says the other side is
    /// deemed to agree.
    DeemAgreed,
    /// A referral the ladder allows at any stage (e.g. to Cafcass).
    Refer {
        /// The referral's id.
        referral: String,
    },
    /// A closed alert is opened again at the stage where it closed.
    Reopen {
        /// Why.
        reason: String,
    },
    /// The raiser withdraws the alert.
    Withdraw {
        /// Why.
        reason: String,
    },
}

impl EventKind {
    /// The event's name as it appears in JSON and in messages (`"escalate"`).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Raise { .. } => "raise",
            EventKind::Respond { .. } => "respond",
            EventKind::Resolve { .. } => "resolve",
            EventKind::Escalate { .. } => "escalate",
            EventKind::Extend { .. } => "extend",
            EventKind::DeemAgreed => "deem-agreed",
            EventKind::Refer { .. } => "refer",
            EventKind::Reopen { .. } => "reopen",
            EventKind::Withdraw { .. } => "withdraw",
        }
    }
}

/// Where an alert is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Not raised yet: the state before the first event.
    NotRaised,
    /// Open at a stage, waiting for the responder.
    AwaitingResponse,
    /// Open at a stage; the responder has responded and the raiser decides
    /// whether to resolve or escalate.
    AwaitingDecision,
    /// Resolved.
    Resolved,
    /// Closed because the other side was deemed to agree.
    DeemedAgreed,
    /// Withdrawn by the raiser.
    Withdrawn,
}

impl Phase {
    /// Whether the alert is open (awaiting a response or a decision).
    pub fn is_open(self) -> bool {
        matches!(self, Phase::AwaitingResponse | Phase::AwaitingDecision)
    }

    /// The phase's name as it appears in JSON and messages.
    pub fn name(self) -> &'static str {
        match self {
            Phase::NotRaised => "not-raised",
            Phase::AwaitingResponse => "awaiting-response",
            Phase::AwaitingDecision => "awaiting-decision",
            Phase::Resolved => "resolved",
            Phase::DeemedAgreed => "deemed-agreed",
            Phase::Withdrawn => "withdrawn",
        }
    }
}

/// Flags a QA service must see; once set they stay set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Breaches {
    /// An event happened after the ceiling date while the alert was open.
    pub ceiling_breached: bool,
    /// Extra time was agreed to a date beyond the ceiling.
    pub extended_beyond_ceiling: bool,
}

/// The state of one alert on one ladder. Small and cheap to clone: ids are shared
/// strings.
///
/// Make the empty state with [`AlertState::new`], then [`apply`](super::apply) events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertState {
    /// The stored form's version ([`STATE_SCHEMA_VERSION`]).
    #[serde(default = "default_schema_version")]
    pub schema_version: u32,
    /// The ladder the alert runs on.
    pub ladder: Arc<str>,
    /// Where the alert is in its life.
    pub phase: Phase,
    /// The day the alert was raised (day 0 of the ceiling).
    pub raised_on: Option<NaiveDate>,
    /// The category of concern.
    pub category: Option<Arc<str>>,
    /// The current stage (the stage it closed at, once closed).
    pub stage: Option<Arc<str>>,
    /// The day the current stage was entered.
    pub stage_entered_on: Option<NaiveDate>,
    /// The current stage's response date, if its window sets one.
    pub respond_by: Option<NaiveDate>,
    /// The day the current stage's responder responded.
    pub responded_on: Option<NaiveDate>,
    /// Whether extra time was agreed at the current stage.
    pub extended: bool,
    /// The ceiling date, for a ladder with a ceiling.
    pub ceiling: Option<NaiveDate>,
    /// Flags that stay set.
    pub breaches: Breaches,
    /// Referrals made (ids), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<Arc<str>>,
    /// The outcome the alert closed with.
    pub outcome: Option<Arc<str>>,
    /// The date of the last event applied; events must not go back in time.
    pub last_event_on: Option<NaiveDate>,
    /// How many events have been applied.
    pub events_applied: u32,
}

fn default_schema_version() -> u32 {
    1
}

impl AlertState {
    /// The state of an alert not raised yet on the ladder `ladder_id`.
    pub fn new(ladder_id: &str) -> AlertState {
        AlertState {
            schema_version: STATE_SCHEMA_VERSION,
            ladder: Arc::from(ladder_id),
            phase: Phase::NotRaised,
            raised_on: None,
            category: None,
            stage: None,
            stage_entered_on: None,
            respond_by: None,
            responded_on: None,
            extended: false,
            ceiling: None,
            breaches: Breaches::default(),
            referrals: Vec::new(),
            outcome: None,
            last_event_on: None,
            events_applied: 0,
        }
    }
}

impl fmt::Display for AlertState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "state {}", self.phase.name())?;
        if let Some(stage) = &self.stage {
            write!(f, " at stage '{stage}'")?;
        }
        write!(f, " of ladder '{}'", self.ladder)
    }
}

/// What a transition asks the case system to do, or tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "kebab-case")]
pub enum Effect {
    /// Notify or copy in a role on entering a stage.
    Notify {
        /// The role.
        role: String,
        /// The stage entered.
        stage: String,
    },
    /// Ask a role to respond at a stage.
    RequestResponse {
        /// The responder role.
        role: String,
        /// The stage.
        stage: String,
    },
    /// Complete a record or form.
    Record {
        /// The form.
        form: String,
        /// The stage.
        stage: String,
    },
    /// A response date was set (or cleared, for a stage with no window).
    DeadlineSet {
        /// The stage.
        stage: String,
        /// The response date.
        respond_by: Option<NaiveDate>,
    },
    /// The stage's window would have ended after the ceiling; the deadline is the ceiling.
    DeadlineCappedAtCeiling {
        /// The stage.
        stage: String,
        /// Where the window alone would have ended.
        window_ends: NaiveDate,
        /// The ceiling date used instead.
        ceiling: NaiveDate,
    },
    /// Agreed extra time moved the response date.
    DeadlineMoved {
        /// The old date.
        from: Option<NaiveDate>,
        /// The new date.
        to: NaiveDate,
    },
    /// The ceiling date was set when the alert was raised.
    CeilingSet {
        /// The ceiling date.
        ceiling: NaiveDate,
    },
    /// The ceiling is breached.
    CeilingBreached {
        /// The ceiling date.
        ceiling: NaiveDate,
        /// Why: an event after it, or extra time beyond it.
        cause: String,
    },
    /// The other side is deemed to agree.
    DeemedAgreed {
        /// The stage.
        stage: String,
    },
    /// A referral is made.
    Referred {
        /// The referral id.
        referral: String,
    },
    /// The alert closed.
    Closed {
        /// The phase it closed in.
        phase: Phase,
    },
}

/// One line of the audit trail: who did what, when, why, and with which calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1 for the first event.
    pub sequence: u32,
    /// The event, with its date, actor and reasons.
    pub event: Event,
    /// The stage before the event.
    pub stage_before: Option<Arc<str>>,
    /// The stage after the event.
    pub stage_after: Option<Arc<str>>,
    /// The phase after the event.
    pub phase_after: Phase,
    /// The response date after the event.
    pub respond_by: Option<NaiveDate>,
    /// The calendar that computed the dates.
    pub calendar: Fingerprint,
}

/// The result of applying an event: the new state, what to do, and the audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The new state.
    pub state: AlertState,
    /// What the case system should do.
    pub effects: Vec<Effect>,
    /// The line to append to the alert's audit trail.
    pub audit: AuditEntry,
}

/// An alert's position as at a date: what is due, by whom, and what is breached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The phase.
    pub phase: Phase,
    /// The current stage.
    pub stage: Option<Arc<str>>,
    /// The roles that must act now (responders, or the raiser once they responded).
    pub who_must_act: Vec<String>,
    /// The next deadline: the response date.
    pub next_deadline: Option<NaiveDate>,
    /// Working days from the as-of date to the deadline, (as_of, deadline]; negative
    /// when overdue.
    pub working_days_left: Option<i64>,
    /// Whether the response is overdue.
    pub overdue: bool,
    /// What the ladder says happens now that the window has run out.
    pub on_expiry: Option<ExpiryAction>,
    /// The ceiling date.
    pub ceiling: Option<NaiveDate>,
    /// Working days from the as-of date to the ceiling; negative once passed.
    pub ceiling_working_days_left: Option<i64>,
    /// Breach flags, including a ceiling passed while still open.
    pub breaches: Breaches,
    /// Working days the alert has been open, (raised, as_of].
    pub open_working_days: Option<i64>,
    /// Whether the alert is open longer than the ladder's monitoring threshold.
    pub over_open_threshold: bool,
}
