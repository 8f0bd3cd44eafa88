//! The ladder's checkers, one per section of the schema
//! (docs/ladder-schema.md), called in the order the first broken rule is
//! reported in:
//!
//! | section | checker |
//! |---|---|
//! | Limits | [`limits`] |
//! | The top level (header, `ceiling`, `open_threshold`) | [`top_level`], and [`open_threshold_from`] once the stages are known |
//! | Roles, categories and referrals | [`roles_categories_referrals`] |
//! | Stages (and their windows, steps, outcomes and routes) | [`stage_texts`], then [`stage_rules`], [`stage_steps`] and [`stage_routes`] for each stage |
//! | ids across sections | [`ids`], after every text |
//! | Duties | [`duty`] for each, then their ids |
//! | `on_resolve` | [`on_resolve`] |
//! | `omitted` | [`Ctx::omissions`](super::Ctx::omissions) |
//! | Rules across the whole ladder | [`across`] (reachability, cycles, the default path against the ceiling) |

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use crate::input::limits::{MAX_LIST_ITEMS, MAX_STAGES};

use super::super::locate::{Needle, Place};
use super::super::{
    ClockStart, Duty, DutyAvailability, ExpiryAction, Ladder, LadderError, OutcomeNext,
    ProcedureKind, Stage, WindowUnit,
};
use super::{check_window, Ctx, Header, WindowOf, MAX_WORKING_DAYS};

/// The most duties one outcome, duty or rule may start.
pub const MAX_STARTS: usize = 4;

const A_STAGE: &str = "the id of a stage in this ladder";

/// What the rules look names up in: the ladder's roles, its stages' places
/// and its duties' ids.
struct Known<'l> {
    ladder: &'l Ladder,
    roles: HashSet<&'l str>,
    index: HashMap<&'l str, usize>,
    duty_ids: HashSet<&'l str>,
}

/// Edges of the escalation graph: for each stage, (to, the route's field).
type Edges = Vec<Vec<(usize, String)>>;

/// Checks a ladder; `text` (TOML, when there is one) and `file` are used to
/// locate and label errors.
pub(crate) fn ladder(l: &Ladder, text: Option<&str>, file: &str) -> Result<(), LadderError> {
    let ctx = Ctx { text, file };
    ctx.kind(l.kind, ProcedureKind::Ladder)?;
    limits(&ctx, l)?;
    top_level(&ctx, l)?;
    roles_categories_referrals(&ctx, l)?;
    stage_texts(&ctx, l)?;
    ids(&ctx, l)?;
    let known = Known {
        ladder: l,
        roles: l.roles.iter().map(|r| &*r.id).collect(),
        index: l
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (&*s.id, i))
            .collect(),
        duty_ids: l.duties.iter().map(|d| &*d.id).collect(),
    };
    let mut edges: Edges = vec![Vec::new(); l.stages.len()];
    for (i, s) in l.stages.iter().enumerate() {
        stage_rules(&ctx, &known, s)?;
        stage_steps(&ctx, &known, s)?;
        stage_routes(&ctx, &known, i, s, &mut edges[i])?;
    }
    for (i, d) in l.duties.iter().enumerate() {
        duty(&ctx, &known, i, d)?;
    }
    ctx.unique("duties", l.duties.iter().map(|d| &*d.id), None, "duty")?;
    on_resolve(&ctx, &known)?;
    open_threshold_from(&ctx, &known)?;
    ctx.omissions(&l.omitted)?;
    across(&ctx, l, &edges)
}

/// "Limits": no list longer than its limit.
fn limits(ctx: &Ctx<'_>, l: &Ladder) -> Result<(), LadderError> {
    ctx.at_most("stages", l.stages.len(), MAX_STAGES)?;
    for (key, count) in [
        ("roles", l.roles.len()),
        ("categories", l.categories.len()),
        ("referrals", l.referrals.len()),
        ("duties", l.duties.len()),
        ("omitted", l.omitted.len()),
    ] {
        ctx.at_most(key, count, MAX_LIST_ITEMS)?;
    }
    let per_stage = l.stages.iter().map(|s| s.outcomes.len().max(s.steps.len()));
    ctx.at_most(
        "stages.outcomes",
        per_stage.max().unwrap_or(0),
        MAX_LIST_ITEMS,
    )?;
    Ok(())
}

/// "The top level": the header's texts and provenance, and the ceiling's and
/// the open threshold's working days and provenance.
fn top_level(ctx: &Ctx<'_>, l: &Ladder) -> Result<(), LadderError> {
    ctx.header(Header {
        id: &l.id,
        title: &l.title,
        authority: &l.authority,
        source: &l.source,
        scope: &l.scope,
        working_days: &l.working_days,
    })?;
    for (section, days, prov) in [
        (
            "ceiling",
            l.ceiling.as_ref().map(|c| c.working_days),
            l.ceiling.as_ref().map(|c| &c.provenance),
        ),
        (
            "open_threshold",
            l.open_threshold.as_ref().map(|c| c.working_days),
            l.open_threshold.as_ref().map(|c| &c.provenance),
        ),
    ] {
        let place = Place::table(section);
        if let Some(p) = prov {
            ctx.provenance(p, place, None, &format!("{section}.provenance"))?;
        }
        if let Some(days) = days {
            if days == 0 || days > MAX_WORKING_DAYS {
                return Err(ctx.err(
                    place,
                    &[Needle::Key("working_days")],
                    None,
                    format!("{section}.working_days"),
                    format!("1..={MAX_WORKING_DAYS} working days"),
                    format!("{days}"),
                ));
            }
        }
    }
    Ok(())
}

/// "Roles, categories and referrals": each one's id, name and provenance (their
/// ids are compared by [`ids`]).
fn roles_categories_referrals(ctx: &Ctx<'_>, l: &Ladder) -> Result<(), LadderError> {
    for (i, r) in l.roles.iter().enumerate() {
        ctx.named_item("roles", i, &r.id, &r.name, &r.provenance)?;
    }
    for (i, c) in l.categories.iter().enumerate() {
        ctx.named_item("categories", i, &c.id, &c.name, &c.provenance)?;
    }
    for (i, r) in l.referrals.iter().enumerate() {
        ctx.named_item("referrals", i, &r.id, &r.name, &r.provenance)?;
    }
    Ok(())
}

/// "Stages": at least one, and each one's texts and provenance (the rules
/// between stages come once every id is known: [`stage_rules`]).
fn stage_texts(ctx: &Ctx<'_>, l: &Ladder) -> Result<(), LadderError> {
    ctx.at_least_one("stages", l.stages.len())?;
    for (i, s) in l.stages.iter().enumerate() {
        ctx.text(
            &s.id,
            Place::table("stages"),
            "id",
            None,
            format!("stages[{i}].id"),
        )?;
        let place = Place::element("stages", &s.id);
        let st = Some(&*s.id);
        ctx.text(&s.name, place, "name", st, "name")?;
        ctx.text(&s.raised_by, place, "raised_by", st, "raised_by")?;
        ctx.provenance(&s.window.provenance, place, st, "window.provenance")?;
        ctx.provenance(&s.on_expiry.provenance, place, st, "on_expiry.provenance")?;
        if let Some(r) = &s.record {
            ctx.record(r, place, st, "record")?;
        }
        for (j, n) in s.notify.iter().enumerate() {
            ctx.provenance(&n.provenance, place, st, &format!("notify[{j}].provenance"))?;
        }
        if let Some(e) = &s.entry {
            ctx.text(&e.condition, place, "condition", st, "entry.condition")?;
            ctx.provenance(&e.provenance, place, st, "entry.provenance")?;
        }
        if let Some(n) = &s.next {
            ctx.provenance(&n.provenance, place, st, "next.provenance")?;
        }
        if let Some(b) = &s.bypass {
            ctx.text(&b.condition, place, "condition", st, "bypass.condition")?;
            ctx.provenance(&b.provenance, place, st, "bypass.provenance")?;
        }
        for (j, o) in s.outcomes.iter().enumerate() {
            ctx.text(&o.id, place, "id", st, format!("outcomes[{j}].id"))?;
            ctx.text(&o.name, place, "name", st, format!("outcomes[{j}].name"))?;
            ctx.provenance(
                &o.provenance,
                place,
                st,
                &format!("outcomes[{j}].provenance"),
            )?;
        }
    }

    Ok(())
}

/// Ids used once in their section: roles, categories, referrals, stages, and
/// the outcomes of each stage.
fn ids(ctx: &Ctx<'_>, l: &Ladder) -> Result<(), LadderError> {
    ctx.unique("roles", l.roles.iter().map(|r| &*r.id), None, "role")?;
    ctx.unique(
        "categories",
        l.categories.iter().map(|c| &*c.id),
        None,
        "category",
    )?;
    ctx.unique(
        "referrals",
        l.referrals.iter().map(|r| &*r.id),
        None,
        "referral",
    )?;
    ctx.unique("stages", l.stages.iter().map(|s| &*s.id), None, "stage")?;
    for s in &l.stages {
        ctx.unique(
            "outcomes",
            s.outcomes.iter().map(|o| &*o.id),
            Some(&s.id),
            "outcome",
        )?;
    }
    Ok(())
}

/// A stage's roles (raised by, responders, notified), its window and what
/// happens when the window runs out.
fn stage_rules(ctx: &Ctx<'_>, known: &Known<'_>, s: &Stage) -> Result<(), LadderError> {
    let place = Place::element("stages", &s.id);
    let st = Some(&*s.id);
    let roles = &known.roles;
    let role = |id: &str, field: &str| ctx.role(roles, id, place, st, field);
    role(&s.raised_by, "raised_by")?;
    ctx.role_list(
        roles,
        &s.responders,
        place,
        Needle::Key("responders"),
        st,
        "responders",
        "at least one responding role",
    )?;
    for (j, n) in s.notify.iter().enumerate() {
        role(&n.role, &format!("notify[{j}].role"))?;
    }
    check_window(ctx, &s.window, place, &s.id, WindowOf::Stage)?;
    match &s.window.from {
        None => {}
        Some(ClockStart::Step(step)) if !s.steps.iter().any(|t| t.id == *step) => {
            return Err(ctx.err(
                place,
                &[Needle::Value(step)],
                st,
                "window.from.step",
                "the id of one of this stage's [[stages.steps]]",
                format!("'{step}'"),
            ));
        }
        Some(ClockStart::Step(_)) => {}
        Some(ClockStart::Stages(_)) => {
            return Err(ctx.err(
                place,
                &[Needle::Key("from")],
                st,
                "window.from",
                "{ step = \"...\" } (a window's clock starts at a step of its stage)",
                "{ stages = [...] }",
            ));
        }
    }
    let dated = !matches!(s.window.unit, WindowUnit::NoneStated);
    match s.on_expiry.action {
        ExpiryAction::DeemedAgreed | ExpiryAction::EscalatesAutomatically if !dated => {
            return Err(ctx.err(
                place,
                &[Needle::Key("on_expiry")],
                st,
                "on_expiry.action",
                "an action that needs no date (escalation-due, flag-only): time cannot act on a window that sets no date",
                format!("'{}' with window 'none-stated'", s.on_expiry.action.describe()),
            ));
        }
        ExpiryAction::EscalatesAutomatically if s.next.is_none() => {
            return Err(ctx.err(
                place,
                &[Needle::Key("on_expiry")],
                st,
                "on_expiry.action",
                "a `next` stage to escalate to automatically",
                "no next stage",
            ));
        }
        _ => {}
    }
    Ok(())
}

/// A stage's steps, optional outcome, `next` condition and the duties its
/// outcomes start.
fn stage_steps(ctx: &Ctx<'_>, known: &Known<'_>, s: &Stage) -> Result<(), LadderError> {
    let place = Place::element("stages", &s.id);
    let st = Some(&*s.id);
    let roles = &known.roles;
    for (j, step) in s.steps.iter().enumerate() {
        ctx.text(&step.id, place, "id", st, format!("steps[{j}].id"))?;
        ctx.text(&step.name, place, "name", st, format!("steps[{j}].name"))?;
        ctx.provenance(
            &step.provenance,
            place,
            st,
            &format!("steps[{j}].provenance"),
        )?;
        ctx.role_list(
            roles,
            &step.by,
            place,
            Needle::Value(&step.id),
            st,
            &format!("steps[{j}].by"),
            "at least one role",
        )?;
    }
    ctx.unique("steps", s.steps.iter().map(|t| &*t.id), Some(&s.id), "step")?;
    if let Some(o) = &s.optional_outcome {
        ctx.provenance(&o.provenance, place, st, "optional_outcome.provenance")?;
        if s.outcomes.is_empty() {
            return Err(ctx.err(
                place,
                &[Needle::Key("optional_outcome")],
                st,
                "optional_outcome",
                "outcomes to make optional ([[stages.outcomes]])",
                "none",
            ));
        }
    }
    if let Some(condition) = s.next.as_ref().and_then(|n| n.condition.as_deref()) {
        ctx.text(condition, place, "condition", st, "next.condition")?;
    }
    for (j, o) in s.outcomes.iter().enumerate() {
        duties_to_start(
            ctx,
            known,
            &o.starts,
            place,
            st,
            &format!("outcomes[{j}].starts"),
        )?;
    }
    Ok(())
}

/// A stage's routes (`next`, `bypass`, outcomes to a stage) name known stages,
/// a bypass only later ones; each route is an edge of the graph [`across`]
/// checks.
fn stage_routes(
    ctx: &Ctx<'_>,
    known: &Known<'_>,
    i: usize,
    s: &Stage,
    edges: &mut Vec<(usize, String)>,
) -> Result<(), LadderError> {
    let place = Place::element("stages", &s.id);
    let st = Some(&*s.id);
    let index = &known.index;
    let stage = |id: &str, field: &str| -> Result<usize, LadderError> {
        index.get(id).copied().ok_or_else(|| {
            ctx.err(
                place,
                &[Needle::Value(id)],
                st,
                field,
                A_STAGE,
                format!("'{id}'"),
            )
        })
    };
    if let Some(n) = &s.next {
        let to = stage(&n.to, "next.to")?;
        edges.push((to, "next.to".to_string()));
    }
    if let Some(b) = &s.bypass {
        if b.to.is_empty() {
            return Err(ctx.err(
                place,
                &[Needle::Key("bypass")],
                st,
                "bypass.to",
                "at least one later stage",
                "an empty list",
            ));
        }
        for (j, t) in b.to.iter().enumerate() {
            let field = format!("bypass.to[{j}]");
            let to = stage(t, &field)?;
            if to <= i {
                return Err(ctx.err(
                    place,
                    &[Needle::Value(t)],
                    st,
                    field,
                    "a stage later in stage order than this one",
                    format!(
                        "'{t}', which comes {}",
                        if to == i {
                            "at this same place"
                        } else {
                            "earlier"
                        }
                    ),
                ));
            }
            edges.push((to, field));
        }
    }
    for (j, o) in s.outcomes.iter().enumerate() {
        if let OutcomeNext::Stage(t) = &o.then {
            let field = format!("outcomes[{j}].then.stage");
            let to = stage(t, &field)?;
            edges.push((to, field));
        }
    }
    Ok(())
}

/// A list of duties to start: known ids, none agreed-date, at most
/// [`MAX_STARTS`].
fn duties_to_start(
    ctx: &Ctx<'_>,
    known: &Known<'_>,
    list: &[Arc<str>],
    place: Place<'_>,
    st: Option<&str>,
    field: &str,
) -> Result<(), LadderError> {
    let (l, duty_ids) = (known.ladder, &known.duty_ids);
    if list.len() > MAX_STARTS {
        return Err(ctx.err(
            place,
            &[Needle::Key(field.rsplit('.').next().unwrap_or(field))],
            st,
            field,
            format!("at most {MAX_STARTS} duties"),
            format!("{}", list.len()),
        ));
    }
    for (j, id) in list.iter().enumerate() {
        // A rule cannot give the date an agreed-date duty needs.
        if let Some(duty) = l.duties.iter().find(|d| *d.id == **id) {
            if duty.window.unit == WindowUnit::AgreedDate {
                return Err(ctx.err(
                    place,
                    &[Needle::Value(id)],
                    st,
                    format!("{field}[{j}]"),
                    "a duty whose window sets its own date (an agreed-date duty is started by a start-duty event with its date)",
                    format!("'{id}', an agreed-date duty"),
                ));
            }
        }
        if !duty_ids.contains(&**id) {
            return Err(ctx.err(
                place,
                &[Needle::Value(id)],
                st,
                format!("{field}[{j}]"),
                "the id of a duty in this ladder's [[duties]]",
                format!("'{id}'"),
            ));
        }
    }
    Ok(())
}

/// "Duties": one duty's texts, owners, notices, window, record, availability
/// and the duties it starts. The checks name the duty where a stage's would
/// name the stage; the error says `duties[id].field` instead, with no stage.
fn duty(ctx: &Ctx<'_>, known: &Known<'_>, i: usize, d: &Duty) -> Result<(), LadderError> {
    let (roles, index) = (&known.roles, &known.index);
    let check_duty = || -> Result<(), LadderError> {
        ctx.named_item("duties", i, &d.id, &d.name, &d.provenance)?;
        let place = Place::element("duties", &d.id);
        let st = Some(&*d.id);
        let role = |id: &str, field: &str| ctx.role(roles, id, place, st, field);
        ctx.role_list(
            roles,
            &d.owners,
            place,
            Needle::Key("owners"),
            st,
            "owners",
            "at least one role",
        )?;
        for (j, n) in d.notify.iter().enumerate() {
            ctx.provenance(&n.provenance, place, st, &format!("notify[{j}].provenance"))?;
            role(&n.role, &format!("notify[{j}].role"))?;
        }
        ctx.provenance(&d.window.provenance, place, st, "window.provenance")?;
        check_window(ctx, &d.window, place, &d.id, WindowOf::Duty)?;
        if d.window.from.is_some() {
            return Err(ctx.err(
                place,
                &[Needle::Key("from")],
                st,
                "window.from",
                "no `from`: a duty's clock starts when the duty starts",
                "a `from` table",
            ));
        }
        if let Some(r) = &d.record {
            ctx.record(r, place, st, "record")?;
        }
        if let DutyAvailability::Stages(list) = &d.available {
            if list.is_empty() {
                return Err(ctx.err(
                    place,
                    &[Needle::Key("available")],
                    st,
                    "available.stages",
                    "at least one stage",
                    "an empty list",
                ));
            }
            for (j, t) in list.iter().enumerate() {
                if !index.contains_key(&**t) {
                    return Err(ctx.err(
                        place,
                        &[Needle::Value(t)],
                        st,
                        format!("available.stages[{j}]"),
                        A_STAGE,
                        format!("'{t}'"),
                    ));
                }
            }
        }
        duties_to_start(ctx, known, &d.then_starts, place, st, "then_starts")?;
        Ok(())
    };
    check_duty().map_err(|e| match e {
        LadderError::Invalid {
            file,
            line,
            stage: Some(id),
            field,
            expected,
            found,
        } if id == *d.id => LadderError::Invalid {
            file,
            line,
            stage: None,
            field: format!("duties[{id}].{field}"),
            expected,
            found,
        },
        other => other,
    })?;
    Ok(())
}

/// "`on_resolve`": its provenance, record and the duties it starts.
fn on_resolve(ctx: &Ctx<'_>, known: &Known<'_>) -> Result<(), LadderError> {
    let l = known.ladder;
    if let Some(r) = &l.on_resolve {
        let place = Place::table("on_resolve");
        ctx.provenance(&r.provenance, place, None, "on_resolve.provenance")?;
        if let Some(record) = &r.record {
            ctx.record(record, place, None, "on_resolve.record")?;
        }
        duties_to_start(ctx, known, &r.starts, place, None, "on_resolve.starts")?;
    }
    Ok(())
}

/// The open threshold's clock: `{ stages = [...] }` naming known stages.
fn open_threshold_from(ctx: &Ctx<'_>, known: &Known<'_>) -> Result<(), LadderError> {
    let (l, index) = (known.ladder, &known.index);
    if let Some(from) = l.open_threshold.as_ref().and_then(|t| t.from.as_ref()) {
        let place = Place::table("open_threshold");
        let list = match from {
            ClockStart::Stages(list) if !list.is_empty() => list,
            other => {
                return Err(ctx.err(
                    place,
                    &[Needle::Key("from")],
                    None,
                    "open_threshold.from",
                    "{ stages = [\"...\"] } naming at least one stage",
                    match other {
                        ClockStart::Step(step) => format!("{{ step = \"{step}\" }}"),
                        ClockStart::Stages(_) => "an empty list".to_string(),
                    },
                ));
            }
        };
        for (j, t) in list.iter().enumerate() {
            if !index.contains_key(&**t) {
                return Err(ctx.err(
                    place,
                    &[Needle::Value(t)],
                    None,
                    format!("open_threshold.from.stages[{j}]"),
                    A_STAGE,
                    format!("'{t}'"),
                ));
            }
        }
    }

    Ok(())
}

/// "Rules across the whole ladder": every stage reachable from an entry
/// stage, no cycle, and the default path within the ceiling.
fn across(ctx: &Ctx<'_>, l: &Ladder, edges: &Edges) -> Result<(), LadderError> {
    // Reachability from the entry stages (the first stage is always one).
    let mut reached = vec![false; l.stages.len()];
    let mut queue: VecDeque<usize> = l.entry_indices().collect();
    for &i in &queue {
        reached[i] = true;
    }
    while let Some(i) = queue.pop_front() {
        for (to, _) in &edges[i] {
            if !reached[*to] {
                reached[*to] = true;
                queue.push_back(*to);
            }
        }
    }
    if let Some(i) = reached.iter().position(|r| !r) {
        let s = &l.stages[i];
        return Err(ctx.err(
            Place::element("stages", &s.id),
            &[],
            Some(&s.id),
            "entry",
            "a next, bypass or outcome route to this stage from an entry stage, or an entry table making it one",
            "no route to it",
        ));
    }

    // Cycles, by iterative depth-first search.
    if let Some((from, field, cycle)) = find_cycle(edges) {
        let s = &l.stages[from];
        let names: Vec<&str> = cycle.iter().map(|&i| &*l.stages[i].id).collect();
        let to = names.last().copied().unwrap_or_default();
        return Err(ctx.err(
            Place::element("stages", &s.id),
            &[Needle::Value(to)],
            Some(&s.id),
            field,
            "a route that does not lead back to this stage (a cycle could escalate forever)",
            format!("'{to}', closing the cycle {}", names.join(" -> ")),
        ));
    }

    // The default path against the ceiling.
    if let Some(ceiling) = &l.ceiling {
        let total = l.default_path_working_days();
        if total > u64::from(ceiling.working_days) {
            let parts: Vec<String> = l
                .default_path()
                .iter()
                .map(|s| format!("{} {}", s.id, s.window.working_day_bound()))
                .collect();
            return Err(ctx.err(
                Place::table("ceiling"),
                &[Needle::Key("working_days")],
                None,
                "ceiling.working_days",
                format!(
                    "at least the {total} working days the default path can take ({})",
                    parts.join(" + ")
                ),
                format!("{}", ceiling.working_days),
            ));
        }
    }
    Ok(())
}

/// A cycle in the graph, as (stage whose route closes it, that route's field,
/// the stages of the cycle ending with the stage it returns to).
fn find_cycle(edges: &[Vec<(usize, String)>]) -> Option<(usize, String, Vec<usize>)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        White,
        Grey,
        Black,
    }
    let mut colour = vec![Colour::White; edges.len()];
    for root in 0..edges.len() {
        if colour[root] != Colour::White {
            continue;
        }
        // Stack of (node, next edge to look at).
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        colour[root] = Colour::Grey;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some((to, field)) = edges[node].get(*next) {
                *next += 1;
                match colour[*to] {
                    Colour::White => {
                        colour[*to] = Colour::Grey;
                        stack.push((*to, 0));
                    }
                    Colour::Grey => {
                        let start = stack.iter().position(|(n, _)| n == to).unwrap_or(0);
                        let mut cycle: Vec<usize> =
                            stack[start..].iter().map(|(n, _)| *n).collect();
                        cycle.push(*to);
                        return Some((node, field.clone(), cycle));
                    }
                    Colour::Black => {}
                }
            } else {
                colour[node] = Colour::Black;
                stack.pop();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(list: &[&[usize]]) -> Vec<Vec<(usize, String)>> {
        list.iter()
            .map(|to| to.iter().map(|&t| (t, format!("to-{t}"))).collect())
            .collect()
    }

    #[test]
    fn finds_cycles_and_names_the_closing_route() {
        assert_eq!(find_cycle(&edges(&[&[1], &[2], &[]])), None);
        assert_eq!(find_cycle(&edges(&[&[1, 2], &[2], &[]])), None);
        let (from, field, cycle) = find_cycle(&edges(&[&[1], &[2], &[1]])).unwrap();
        assert_eq!((from, field.as_str(), cycle), (2, "to-1", vec![1, 2, 1]));
        let (from, _, cycle) = find_cycle(&edges(&[&[0]])).unwrap();
        assert_eq!((from, cycle), (0, vec![0, 0]));
    }

    #[test]
    fn deep_chains_do_not_overflow_the_stack() {
        let n = 100_000;
        let list: Vec<Vec<(usize, String)>> = (0..n)
            .map(|i| {
                if i + 1 < n {
                    vec![(i + 1, String::new())]
                } else {
                    vec![]
                }
            })
            .collect();
        assert_eq!(find_cycle(&list), None);
    }
}
