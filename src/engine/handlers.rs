//! One handler per event kind. Each reads the state before the event from its
//! [`Ctx`], writes the new state, and records what happened; it returns a
//! [`Refusal`] instead when the event is not allowed. Dates come from
//! [`super::clock`]; nothing here computes one.

use std::sync::Arc;

use chrono::NaiveDate;

use super::clock::{duty_due, extension_limit, stage_deadline, takes_effect};
use super::error::{EngineError, Refusal};
use super::types::{AlertState, DutyState, Event, Happened, Phase, Rare, StepDone};
use crate::calendar::WorkingCalendar;
use crate::ladder::{
    ClockStart, Duty, DutyAvailability, ExpiryAction, Ladder, Outcome, OutcomeNext, Stage,
    WindowUnit,
};

/// Everything a handler reads: the ladder, the calendar, the state before the
/// event, the event, and the current stage's position.
pub(crate) struct Ctx<'a, 's> {
    pub(crate) ladder: &'a Ladder,
    pub(crate) calendar: &'s WorkingCalendar,
    pub(crate) state: &'s AlertState,
    pub(crate) event: &'a Event,
    pub(crate) current: Option<usize>,
}

/// The result of a handler.
pub(crate) type Handled = Result<(), EngineError>;

fn list<'i>(items: impl Iterator<Item = &'i str>) -> String {
    let items: Vec<&str> = items.collect();
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

impl<'a> Ctx<'a, '_> {
    /// The refusal of this event in this state.
    pub(crate) fn refuse(&self, reason: Refusal) -> EngineError {
        EngineError::Refused {
            event: self.event.kind.name(),
            on: self.event.on,
            state: self.state.to_string(),
            reason,
        }
    }

    fn on(&self) -> NaiveDate {
        self.event.on
    }

    /// The current stage (the first for a state without one, which only a
    /// not-raised state is).
    fn stage(&self) -> &'a Stage {
        &self.ladder.stages[self.current.unwrap_or(0)]
    }

    fn stage_at(&self, id: &str) -> Result<usize, EngineError> {
        self.ladder.stage_index(id).ok_or_else(|| {
            self.refuse(Refusal::UnknownStage {
                stage: id.to_string(),
            })
        })
    }

    /// Moves `next` into stage `index`, entered today.
    fn enter(&self, next: &mut AlertState, index: usize, happened: &mut Happened<'a>) -> Handled {
        let stage = &self.ladder.stages[index];
        let on = self.on();
        next.phase = Phase::AwaitingResponse;
        next.stage = Some(stage.id.clone());
        next.stage_entered_on = Some(on);
        next.responded_on = None;
        next.extended = false;
        next.steps.clear();
        let deadline = match &stage.window.from {
            // The clock waits for a step: nothing is due until it is recorded.
            Some(ClockStart::Step(_)) => super::types::Deadline {
                stage,
                respond_by: None,
                capped_from: None,
            },
            _ => stage_deadline(stage, self.calendar, on, next.ceiling)?,
        };
        next.respond_by = deadline.respond_by;
        happened.entered = Some(deadline);
        if let Some(ClockStart::Stages(from)) = self
            .ladder
            .open_threshold
            .as_ref()
            .and_then(|t| t.from.as_ref())
        {
            if next.threshold_from.is_none() && from.contains(&stage.id) {
                next.threshold_from = Some(on);
            }
        }
        Ok(())
    }

    /// Starts a duty today (`agreed` is the agreed date of an `agreed-date`
    /// duty). A duty started by a rule while it is still open is left as it is.
    fn start_duty(
        &self,
        next: &mut AlertState,
        duty: &'a Duty,
        agreed: Option<NaiveDate>,
        happened: &mut Happened<'a>,
    ) -> Handled {
        let on = self.on();
        let due = duty_due(duty, self.calendar, on, agreed)?;
        let entry = DutyState {
            duty: duty.id.clone(),
            started_on: on,
            due,
            completed_on: None,
        };
        match next.duties.iter_mut().find(|d| d.duty == duty.id) {
            Some(open) if open.is_open() => return Ok(()),
            Some(done) => *done = entry,
            None => next.duties.push(entry),
        }
        happened.duties_started.push((duty, due));
        Ok(())
    }

    /// Starts every duty in `ids` (validated ids of this ladder).
    fn start_duties(
        &self,
        next: &mut AlertState,
        ids: &'a [Arc<str>],
        happened: &mut Happened<'a>,
    ) -> Handled {
        for id in ids {
            if let Some(duty) = self.ladder.duty(id) {
                self.start_duty(next, duty, None, happened)?;
            }
        }
        Ok(())
    }

    /// Closes the alert; on resolution, the ladder's `on_resolve` rule applies.
    fn close(&self, next: &mut AlertState, phase: Phase, happened: &mut Happened<'a>) -> Handled {
        next.phase = phase;
        happened.closed = Some(phase);
        if phase == Phase::Resolved {
            if let Some(rule) = &self.ladder.on_resolve {
                if let Some(record) = &rule.record {
                    happened.resolve_record = Some((record, self.stage()));
                }
                self.start_duties(next, &rule.starts, happened)?;
            }
        }
        Ok(())
    }

    /// Follows a chosen outcome: its duties, then where it leads.
    fn follow(
        &self,
        next: &mut AlertState,
        chosen: &'a Outcome,
        happened: &mut Happened<'a>,
    ) -> Handled {
        next.responded_on = Some(self.on());
        self.start_duties(next, &chosen.starts, happened)?;
        match &chosen.then {
            OutcomeNext::Resolve => {
                next.outcome = Some(chosen.id.clone());
                self.close(next, Phase::Resolved, happened)
            }
            OutcomeNext::Stage(target) => {
                let index = self.stage_at(target)?;
                self.enter(next, index, happened)
            }
        }
    }
}

/// `raise`: at the first stage or an entry stage; sets the ceiling.
pub(crate) fn raise<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
    stage: Option<&str>,
    category: Option<&str>,
) -> Handled {
    let ladder = ctx.ladder;
    let index = match stage {
        None => 0,
        Some(id) => {
            let index = ctx.stage_at(id)?;
            if !ladder.is_entry_index(index) {
                return Err(ctx.refuse(Refusal::NotAnEntryStage {
                    stage: id.to_string(),
                    entries: list(ladder.entry_stages().iter().map(|s| &*s.id)),
                }));
            }
            index
        }
    };
    if let Some(category) = category {
        let known = ladder.category(category).ok_or_else(|| {
            ctx.refuse(Refusal::UnknownCategory {
                category: category.to_string(),
            })
        })?;
        next.category = Some(known.id.clone());
    }
    let on = ctx.on();
    next.raised_on = Some(on);
    if let Some(ceiling) = &ladder.ceiling {
        let days = i32::try_from(ceiling.working_days).unwrap_or(i32::MAX);
        let date = ctx.calendar.add_working_days(on, days)?;
        next.ceiling = Some(date);
        happened.ceiling_set = Some(date);
    }
    ctx.enter(next, index, happened)
}

/// `respond`: with an outcome, follows it; without one, the raiser decides next
/// (a stage with outcomes needs one unless they are optional). After a deemed
/// agreement, a response is recorded as late and changes nothing else.
pub(crate) fn respond<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
    outcome: Option<&str>,
) -> Handled {
    let stage = ctx.stage();
    let expected = || list(stage.outcomes.iter().map(|o| &*o.id));
    let known = |id: &str| {
        stage.outcomes.iter().find(|o| *o.id == *id).ok_or_else(|| {
            ctx.refuse(Refusal::UnknownOutcome {
                stage: stage.id.to_string(),
                expected: expected(),
                outcome: id.to_string(),
            })
        })
    };
    if ctx.state.phase == Phase::DeemedAgreed {
        let outcome = outcome.map(known).transpose()?;
        next.responded_on = Some(ctx.on());
        happened.rare = Rare::LateResponse(stage, outcome);
        return Ok(());
    }
    match outcome {
        None if !stage.outcomes.is_empty() && stage.optional_outcome.is_none() => {
            Err(ctx.refuse(Refusal::OutcomeRequired {
                stage: stage.id.to_string(),
                expected: expected(),
            }))
        }
        None if ctx.state.phase == Phase::AwaitingDecision => {
            Err(ctx.refuse(Refusal::NotInThisPhase {
                expected: EXPECTED_AWAITING_DECISION,
            }))
        }
        None => {
            next.responded_on = Some(ctx.on());
            next.phase = Phase::AwaitingDecision;
            Ok(())
        }
        Some(id) => ctx.follow(next, known(id)?, happened),
    }
}

/// `resolve`: closes the alert with an outcome in words.
pub(crate) fn resolve<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
    outcome: &str,
) -> Handled {
    next.outcome = Some(Arc::from(outcome));
    ctx.close(next, Phase::Resolved, happened)
}

/// `escalate`: to the next stage, or to a later stage the bypass allows; the
/// route's condition is asked to be confirmed.
pub(crate) fn escalate<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
    to: Option<&str>,
) -> Handled {
    let stage = ctx.stage();
    let next_id = stage.next.as_ref().map(|r| &*r.to);
    let bypass = || stage.bypass.iter().flat_map(|b| b.to.iter().map(|t| &**t));
    let (target, condition) = match (to, next_id) {
        (None, Some(next_id)) => (
            next_id,
            stage.next.as_ref().and_then(|r| r.condition.as_ref()),
        ),
        (None, None) => {
            return Err(ctx.refuse(Refusal::NoNextStage {
                stage: stage.id.to_string(),
            }))
        }
        (Some(to), Some(next_id)) if next_id == to => (
            next_id,
            stage.next.as_ref().and_then(|r| r.condition.as_ref()),
        ),
        (Some(to), _) => {
            // The ladder's own copy of the id, so the lookup below compares
            // addresses; the list is written out only to refuse.
            let target = bypass().find(|a| *a == to).ok_or_else(|| {
                ctx.refuse(Refusal::NotAllowedTarget {
                    from: stage.id.to_string(),
                    allowed: list(next_id.into_iter().chain(bypass())),
                    to: to.to_string(),
                })
            })?;
            (target, stage.bypass.as_ref().map(|b| &b.condition))
        }
    };
    if let Some(condition) = condition {
        happened.rare = Rare::Condition(stage, condition);
    }
    let index = ctx.stage_at(target)?;
    ctx.enter(next, index, happened)
}

/// `extend`: extra time to a later working day, within the stage's limit.
pub(crate) fn extend<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
    until: NaiveDate,
) -> Handled {
    let (on, state, stage) = (ctx.on(), ctx.state, ctx.stage());
    if !ctx.calendar.is_working_day(until)? {
        return Err(ctx.refuse(Refusal::ExtensionNotAWorkingDay { until }));
    }
    if until < on {
        return Err(ctx.refuse(Refusal::ExtensionInThePast { on, until }));
    }
    if let Some(ClockStart::Step(step)) = &stage.window.from {
        if state.step_on(step).is_none() {
            return Err(ctx.refuse(Refusal::ClockNotStarted {
                step: step.to_string(),
            }));
        }
    }
    if let Some(respond_by) = state.respond_by.filter(|due| until <= *due) {
        return Err(ctx.refuse(Refusal::ExtensionNotLater { respond_by, until }));
    }
    if let Some((max_working_days, limit)) = extension_limit(stage, ctx.calendar, state)? {
        if until > limit {
            return Err(ctx.refuse(Refusal::ExtensionBeyondLimit {
                max_working_days,
                limit,
                until,
            }));
        }
    }
    next.respond_by = Some(until);
    next.extended = true;
    let beyond = state.ceiling.filter(|ceiling| until > *ceiling);
    if beyond.is_some() {
        next.breaches.extended_beyond_ceiling = true;
    }
    happened.rare = Rare::Extended(state.respond_by, until, beyond);
    Ok(())
}

/// `deem-agreed`: only where the ladder deems agreement, once the window ran out.
pub(crate) fn deem_agreed<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
) -> Handled {
    let stage = ctx.stage();
    let no = || {
        ctx.refuse(Refusal::NoDeemedAgreement {
            stage: stage.id.to_string(),
        })
    };
    if stage.on_expiry.action != ExpiryAction::DeemedAgreed {
        return Err(no());
    }
    // Agreement is deemed from the day time would act: the first working day
    // after the response date (the responder has the whole of the last day).
    match ctx.state.respond_by {
        Some(respond_by) if ctx.on() >= takes_effect(ctx.calendar, respond_by)? => {}
        Some(respond_by) => return Err(ctx.refuse(Refusal::NotYetDue { respond_by })),
        None => return Err(no()),
    }
    happened.rare = Rare::DeemedAgreed(stage);
    ctx.close(next, Phase::DeemedAgreed, happened)
}

/// `refer`: a referral the ladder allows at any stage.
///
/// The state lists each referral once, however often it is made: a second
/// referral to Cafcass is recorded in the audit trail (its effect says so) but
/// does not grow the state, so the cost of an event never depends on how many
/// came before it.
pub(crate) fn refer<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
    referral: &str,
) -> Handled {
    let ladder = ctx.ladder;
    let known = ladder.referrals.iter().find(|r| *r.id == *referral);
    let known = known.ok_or_else(|| {
        ctx.refuse(Refusal::UnknownReferral {
            expected: list(ladder.referrals.iter().map(|r| &*r.id)),
            referral: referral.to_string(),
        })
    })?;
    if !next
        .referrals
        .iter()
        .any(|r| Arc::ptr_eq(r, &known.id) || **r == *known.id)
    {
        next.referrals.push(known.id.clone());
    }
    happened.rare = Rare::Referred(known);
    Ok(())
}

/// `reopen`: a closed alert opens again at the stage where it closed, with a new
/// window from today.
pub(crate) fn reopen<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
) -> Handled {
    next.outcome = None;
    ctx.enter(next, ctx.current.unwrap_or(0), happened)
}

/// `withdraw`: the raiser withdraws the alert.
pub(crate) fn withdraw<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
) -> Handled {
    ctx.close(next, Phase::Withdrawn, happened)
}

/// `step`: a named step of the current stage happened; a window waiting for it
/// starts today.
pub(crate) fn step<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
    step: &str,
) -> Handled {
    let stage = ctx.stage();
    let known = stage.steps.iter().find(|s| *s.id == *step).ok_or_else(|| {
        ctx.refuse(Refusal::UnknownStep {
            stage: stage.id.to_string(),
            expected: list(stage.steps.iter().map(|s| &*s.id)),
            step: step.to_string(),
        })
    })?;
    if let Some(on) = ctx.state.step_on(step) {
        return Err(ctx.refuse(Refusal::StepAlreadyRecorded {
            step: step.to_string(),
            on,
        }));
    }
    next.steps.push(StepDone {
        step: known.id.clone(),
        on: ctx.on(),
    });
    let mut clock = None;
    if let Some(ClockStart::Step(starts)) = &stage.window.from {
        if *starts == known.id && ctx.state.phase == Phase::AwaitingResponse {
            let deadline = stage_deadline(stage, ctx.calendar, ctx.on(), next.ceiling)?;
            next.respond_by = deadline.respond_by;
            clock = Some(deadline);
        }
    }
    happened.rare = Rare::Step(stage, known, clock);
    Ok(())
}

/// `start-duty`: a duty beside the ladder, where the ladder makes it available.
pub(crate) fn start_duty<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
    duty: &str,
    due: Option<NaiveDate>,
) -> Handled {
    let known = known_duty(ctx, duty)?;
    let stage = ctx.stage();
    let available = match &known.available {
        DutyAvailability::AnyOpenStage => true,
        DutyAvailability::Stages(list) => list.contains(&stage.id),
        DutyAvailability::ByRule => false,
    };
    if !available {
        return Err(ctx.refuse(Refusal::DutyNotAvailable {
            duty: duty.to_string(),
            stage: stage.id.to_string(),
        }));
    }
    if let Some(open) = ctx
        .state
        .duties
        .iter()
        .find(|d| *d.duty == *duty && d.is_open())
    {
        return Err(ctx.refuse(Refusal::DutyAlreadyOpen {
            duty: duty.to_string(),
            since: open.started_on,
        }));
    }
    match (known.window.unit, due) {
        (WindowUnit::AgreedDate, None) => {
            return Err(ctx.refuse(Refusal::AgreedDateRequired {
                duty: duty.to_string(),
            }))
        }
        (WindowUnit::AgreedDate, Some(due)) if due < ctx.on() => {
            return Err(ctx.refuse(Refusal::DueInThePast { on: ctx.on(), due }))
        }
        (WindowUnit::AgreedDate, Some(due)) => {
            ctx.calendar.is_working_day(due)?;
        }
        (unit, Some(_)) => {
            return Err(ctx.refuse(Refusal::DueDateNotAgreed {
                duty: duty.to_string(),
                unit: unit.name(),
            }))
        }
        (_, None) => {}
    }
    ctx.start_duty(next, known, due, happened)
}

/// `complete-duty`: an open duty is done; the duties it leads to start.
pub(crate) fn complete_duty<'a>(
    ctx: &Ctx<'a, '_>,
    next: &mut AlertState,
    happened: &mut Happened<'a>,
    duty: &str,
) -> Handled {
    let known = known_duty(ctx, duty)?;
    let open = next
        .duties
        .iter_mut()
        .find(|d| *d.duty == *duty && d.is_open())
        .ok_or_else(|| {
            ctx.refuse(Refusal::DutyNotOpen {
                duty: duty.to_string(),
            })
        })?;
    open.completed_on = Some(ctx.on());
    happened.rare = Rare::DutyCompleted(known);
    ctx.start_duties(next, &known.then_starts, happened)
}

fn known_duty<'a>(ctx: &Ctx<'a, '_>, duty: &str) -> Result<&'a Duty, EngineError> {
    let ladder = ctx.ladder;
    ladder.duty(duty).ok_or_else(|| {
        ctx.refuse(Refusal::UnknownDuty {
            expected: list(ladder.duties.iter().map(|d| &*d.id)),
            duty: duty.to_string(),
        })
    })
}

pub(crate) const EXPECTED_AWAITING_DECISION: &str =
    "respond with an outcome, resolve, escalate, refer, withdraw, step, start-duty, complete-duty";
