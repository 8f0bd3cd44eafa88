//! The stages a case visited, from the transitions the engine returns.
//!
//! A transition says what happened to the stage the alert is at
//! ([`Transition::stage_change`], the facts its effects spell out, read
//! without spelling them out; [`StageChange::of_effects`] for time's owned
//! transitions): a stage entered, a step that started the stage's clock,
//! agreed extra time, a response after a deemed agreement, a closure.
//!
//! Two things a visit needs are not effects, and are read from the rest of the
//! transition instead:
//!
//! - a response at the stage: a `respond` that neither closes nor routes has
//!   no effect at all, so the date comes from the state after the transition
//!   (`responded_on`, which entering a stage clears and a response sets);
//! - how the alert left a stage for another: the effects say a stage was
//!   entered, not why. It was *escalated* when the stage entered is the `next`
//!   of the one left, *routed* when the transition's event is a response (an
//!   outcome that leads to a stage), and *bypassed* otherwise.

use chrono::NaiveDate;

use crate::engine::{AlertState, Event, EventKind, OwnedTransition, StageChange, Transition};

use super::super::case::{Closure, Departure, MoveKind, StageVisit};
use super::super::procedures::LadderEntry;

/// The visits of a case so far, in order.
#[derive(Debug, Clone, Default)]
pub(super) struct Visits(Vec<StageVisit>);

/// What one transition did to the stages.
#[derive(Debug, Default)]
struct StageEffects {
    /// A stage was entered: the state after the transition is at it.
    entered: bool,
    /// The response date a step set when it started the stage's clock.
    clock_started: Option<Option<NaiveDate>>,
    /// The response date agreed extra time moved the date to.
    moved_to: Option<NaiveDate>,
    /// A response recorded after a deemed agreement.
    late_response: bool,
    /// How the alert closed.
    closed: Option<Closure>,
}

impl From<StageChange> for StageEffects {
    fn from(change: StageChange) -> StageEffects {
        let mut seen = StageEffects::default();
        match change {
            StageChange::Entered => seen.entered = true,
            StageChange::ClockStarted(due) => seen.clock_started = Some(due),
            StageChange::Extended(to) => seen.moved_to = Some(to),
            StageChange::LateResponse => seen.late_response = true,
            StageChange::Closed(phase) => seen.closed = Closure::of_phase(phase),
            _ => {}
        }
        seen
    }
}

impl Visits {
    /// Follows the transition of one of the record's events.
    pub(super) fn follow_event(
        &mut self,
        entry: &LadderEntry,
        transition: &Transition<'_>,
        event: &Event,
    ) {
        let seen = StageEffects::from(transition.stage_change());
        let by_response = matches!(event.kind, EventKind::Respond { .. });
        self.follow(entry, &seen, &transition.state, event.on, by_response);
    }

    /// Follows one of time's transitions ([`advance`](crate::engine::advance)):
    /// a deemed agreement or an automatic escalation, recorded like any other.
    pub(super) fn follow_time(&mut self, entry: &LadderEntry, transition: &OwnedTransition) {
        let seen = StageEffects::from(StageChange::of_effects(&transition.effects));
        let on = transition.audit.event.on;
        self.follow(entry, &seen, &transition.state, on, false);
    }

    /// The visits, for the case.
    pub(super) fn into_boxed_slice(self) -> Box<[StageVisit]> {
        self.0.into_boxed_slice()
    }

    /// Updates the visits for one transition dated `on`, whose state after is
    /// `state`.
    fn follow(
        &mut self,
        entry: &LadderEntry,
        seen: &StageEffects,
        state: &AlertState,
        on: NaiveDate,
        by_response: bool,
    ) {
        if seen.late_response {
            // The deemed agreement stands: the visit keeps its departure.
            if let Some(last) = self
                .0
                .last_mut()
                .filter(|v| v.departure == Departure::Closed(Closure::DeemedAgreed))
            {
                last.responded_on = last.responded_on.or(Some(on));
            }
            return;
        }
        if let Some(current) = self.0.last_mut().filter(|v| v.left_on.is_none()) {
            // The first response counts: a second one (with the outcome, after
            // a decision) does not make the first later.
            current.responded_on = current.responded_on.or(state.responded_on);
            if let Some(to) = seen.moved_to {
                current.due_in_force = Some(to);
                current.extended_on = Some(on);
            }
            if let Some(due) = seen.clock_started.filter(|_| current.due_as_set.is_none()) {
                current.due_as_set = due;
                current.due_in_force = due;
            }
            if let Some(closure) = seen.closed {
                current.left_on = Some(on);
                current.departure = Departure::Closed(closure);
            } else if seen.entered {
                let kind = if by_response {
                    // Entering the stage cleared the response from the state.
                    current.responded_on = current.responded_on.or(Some(on));
                    MoveKind::Routed
                } else if next_of(entry, &current.stage)
                    .is_some_and(|next| state.stage.as_deref() == Some(next))
                {
                    MoveKind::Escalated
                } else {
                    MoveKind::Bypassed
                };
                current.left_on = Some(on);
                current.departure = Departure::Moved(kind);
            }
        }
        if seen.entered {
            self.enter(entry, state);
        }
    }

    /// A new visit of the stage `state` is at, entered today.
    fn enter(&mut self, entry: &LadderEntry, state: &AlertState) {
        if let (Some(stage), Some(entered_on)) = (&state.stage, state.stage_entered_on) {
            self.0.push(StageVisit {
                stage: entry.shared_stage(stage),
                entered_on,
                due_as_set: state.respond_by,
                due_in_force: state.respond_by,
                extended_on: None,
                responded_on: None,
                left_on: None,
                departure: Departure::StillThere,
            });
        }
    }
}

/// The stage the ladder's `next` route leads to from `stage`.
fn next_of<'l>(entry: &'l LadderEntry, stage: &str) -> Option<&'l str> {
    let route = entry.ladder.stage(stage)?.next.as_ref()?;
    Some(&route.to)
}
