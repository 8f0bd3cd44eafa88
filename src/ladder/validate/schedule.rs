//! The schedule's checker (docs/ladder-schema.md, "Schedules").

use crate::input::limits::MAX_LIST_ITEMS;

use super::super::locate::{Needle, Place};
use super::super::{LadderError, ProcedureKind, Schedule};
use super::{Ctx, Header};

/// The largest day number a schedule may use.
pub const MAX_SCHEDULE_DAY: u32 = 250;

/// Checks a schedule; `text` (TOML, when there is one) and `file` are used to
/// locate and label errors.
pub(crate) fn schedule(s: &Schedule, text: Option<&str>, file: &str) -> Result<(), LadderError> {
    let ctx = Ctx { text, file };
    ctx.kind(s.kind, ProcedureKind::Schedule)?;
    ctx.at_most("milestones", s.milestones.len(), MAX_LIST_ITEMS)?;
    ctx.at_most("omitted", s.omitted.len(), MAX_LIST_ITEMS)?;
    ctx.header(Header {
        id: &s.id,
        title: &s.title,
        authority: &s.authority,
        source: &s.source,
        scope: &s.scope,
        working_days: &s.working_days,
    })?;
    ctx.at_least_one("milestones", s.milestones.len())?;
    for (i, m) in s.milestones.iter().enumerate() {
        ctx.text(
            &m.id,
            Place::table("milestones"),
            "id",
            None,
            format!("milestones[{i}].id"),
        )?;
        let place = Place::element("milestones", &m.id);
        let field = |f: &str| format!("milestones[{}].{f}", m.id);
        ctx.text(&m.name, place, "name", None, field("name"))?;
        ctx.provenance(&m.provenance, place, None, &field("provenance"))?;
    }
    ctx.unique(
        "milestones",
        s.milestones.iter().map(|m| m.id.as_str()),
        None,
        "milestone",
    )?;
    ctx.omissions(&s.omitted)?;
    let mut previous: Option<(&str, u32)> = None;
    for m in &s.milestones {
        let place = Place::element("milestones", &m.id);
        let field = |f: &str| format!("milestones[{}].{f}", m.id);
        if m.day == 0 || m.day > MAX_SCHEDULE_DAY {
            return Err(ctx.err(
                place,
                &[Needle::Key("day")],
                None,
                field("day"),
                format!("a day number in 1..={MAX_SCHEDULE_DAY} (day 1 is the starting day)"),
                format!("{}", m.day),
            ));
        }
        if let Some(until) = m.until_day {
            if until < m.day || until > MAX_SCHEDULE_DAY {
                return Err(ctx.err(
                    place,
                    &[Needle::Key("until_day")],
                    None,
                    field("until_day"),
                    format!(
                        "a day number in {}..={MAX_SCHEDULE_DAY} (not before day)",
                        m.day
                    ),
                    format!("{until}"),
                ));
            }
        }
        if let Some(r) = &m.repeats {
            ctx.provenance(&r.provenance, place, None, &field("repeats.provenance"))?;
            if r.times_per_week == 0 || r.times_per_week > 5 {
                return Err(ctx.err(
                    place,
                    &[Needle::Key("times_per_week")],
                    None,
                    field("repeats.times_per_week"),
                    "1..=5 times a week",
                    format!("{}", r.times_per_week),
                ));
            }
            if r.until_day < m.day || r.until_day > MAX_SCHEDULE_DAY {
                return Err(ctx.err(
                    place,
                    &[Needle::Key("until_day")],
                    None,
                    field("repeats.until_day"),
                    format!(
                        "a day number in {}..={MAX_SCHEDULE_DAY} (not before day)",
                        m.day
                    ),
                    format!("{}", r.until_day),
                ));
            }
        }
        if let Some((prev_id, prev_day)) = previous {
            if m.day < prev_day {
                return Err(ctx.err(
                    place,
                    &[Needle::Key("day")],
                    None,
                    field("day"),
                    format!("day {prev_day} or later (milestones are in day order; '{prev_id}' comes before on day {prev_day})"),
                    format!("{}", m.day),
                ));
            }
        }
        previous = Some((&m.id, m.day));
    }
    Ok(())
}
