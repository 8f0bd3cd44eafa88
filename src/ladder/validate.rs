//! The checks every loader runs: see "Validation rules" in the module docs of
//! [`ladder`](super). The first broken rule is reported, located in the text.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::input::limits::{MAX_LIST_ITEMS, MAX_NAME_BYTES, MAX_STAGES, MAX_TEXT_BYTES};

use super::locate::{locate, Needle, Place};
use std::sync::Arc;

use super::{
    ClockStart, DutyAvailability, ExpiryAction, Ladder, LadderError, OutcomeNext, ProcedureKind,
    Provenance, Record, Schedule, SourceDocument, Statement, Window, WindowUnit, WorkingDayRules,
};

/// The largest window, in working days, that is not absurd.
pub const MAX_WORKING_DAYS: u32 = 250;
/// The largest window, in calendar days, that is not absurd.
pub const MAX_CALENDAR_DAYS: u32 = 365;
/// The largest window, in weeks, that is not absurd.
pub const MAX_WEEKS: u32 = 52;

/// The fields every procedure file starts with.
struct Header<'a> {
    id: &'a str,
    title: &'a str,
    authority: &'a str,
    source: &'a SourceDocument,
    scope: &'a Statement,
    working_days: &'a WorkingDayRules,
}

struct Ctx<'a> {
    /// The TOML text, to locate errors in; `None` for a procedure read from
    /// JSON or built in code, whose errors carry no line.
    text: Option<&'a str>,
    file: &'a str,
}

impl Ctx<'_> {
    /// Checks the header ladders and schedules share.
    fn header(&self, h: Header<'_>) -> Result<(), LadderError> {
        let top = Place::TOP;
        self.text(h.id, top, "id", None, "id")?;
        self.text(h.title, top, "title", None, "title")?;
        self.text(h.authority, top, "authority", None, "authority")?;
        let source = Place::table("source");
        self.text(&h.source.title, source, "title", None, "source.title")?;
        self.text(
            &h.source.reference,
            source,
            "reference",
            None,
            "source.reference",
        )?;
        let scope = Place::table("scope");
        self.text(&h.scope.text, scope, "text", None, "scope.text")?;
        self.provenance(&h.scope.provenance, scope, None, "scope.provenance")?;
        self.provenance(
            &h.working_days.provenance,
            Place::table("working_days"),
            None,
            "working_days.provenance",
        )
    }

    /// Checks a record (a stage's, a duty's or the resolution's): its form, its
    /// fields and system where given, and its provenance, as texts.
    fn record(
        &self,
        r: &Record,
        place: Place<'_>,
        stage: Option<&str>,
        field: &str,
    ) -> Result<(), LadderError> {
        self.text(&r.form, place, "form", stage, format!("{field}.form"))?;
        for (j, f) in r.fields.iter().enumerate() {
            self.text(f, place, "fields", stage, format!("{field}.fields[{j}]"))?;
        }
        if let Some(system) = &r.system {
            self.text(system, place, "system", stage, format!("{field}.system"))?;
        }
        self.provenance(&r.provenance, place, stage, &format!("{field}.provenance"))
    }

    /// Refuses a ladder whose `kind` says schedule, or the other way round (the
    /// loaders read `kind` first; this catches a value deserialized or built
    /// directly).
    fn kind(&self, found: ProcedureKind, expected: ProcedureKind) -> Result<(), LadderError> {
        if found == expected {
            return Ok(());
        }
        Err(self.err(
            Place::TOP,
            &[Needle::Key("kind")],
            None,
            "kind",
            format!("'{}'", expected.name()),
            format!("'{}'", found.name()),
        ))
    }

    /// Checks one element of a list of named things (roles, categories, referrals).
    fn named_item(
        &self,
        section: &str,
        i: usize,
        id: &str,
        name: &str,
        provenance: &Provenance,
    ) -> Result<(), LadderError> {
        let place = Place::element(section, id);
        let field = |f: &str| format!("{section}[{i}].{f}");
        self.text(id, Place::table(section), "id", None, field("id"))?;
        self.text(name, place, "name", None, field("name"))?;
        self.provenance(provenance, place, None, &field("provenance"))
    }

    /// Refuses a role id that is not in the ladder's `[[roles]]`.
    fn role(
        &self,
        roles: &HashSet<&str>,
        id: &str,
        place: Place<'_>,
        stage: Option<&str>,
        field: &str,
    ) -> Result<(), LadderError> {
        if roles.contains(id) {
            return Ok(());
        }
        Err(self.err(
            place,
            &[Needle::Value(id)],
            stage,
            field,
            "the id of a role in this ladder's [[roles]]",
            format!("'{id}'"),
        ))
    }

    /// Refuses an empty list of roles (`needle` locates it) or one naming a
    /// role the ladder lacks.
    #[allow(clippy::too_many_arguments)]
    fn role_list(
        &self,
        roles: &HashSet<&str>,
        list: &[String],
        place: Place<'_>,
        needle: Needle<'_>,
        stage: Option<&str>,
        field: &str,
        expected: &str,
    ) -> Result<(), LadderError> {
        if list.is_empty() {
            return Err(self.err(place, &[needle], stage, field, expected, "an empty list"));
        }
        for (j, id) in list.iter().enumerate() {
            self.role(roles, id, place, stage, &format!("{field}[{j}]"))?;
        }
        Ok(())
    }

    /// Checks the `[[omitted]]` passages: a quote and a reason each.
    fn omissions(&self, omitted: &[super::Omission]) -> Result<(), LadderError> {
        for (i, o) in omitted.iter().enumerate() {
            let place = Place::table("omitted");
            self.text(&o.text, place, "text", None, format!("omitted[{i}].text"))?;
            self.text(
                &o.reason,
                place,
                "reason",
                None,
                format!("omitted[{i}].reason"),
            )?;
        }
        Ok(())
    }

    /// Refuses an empty list of `[[key]]` tables.
    fn at_least_one(&self, key: &str, count: usize) -> Result<(), LadderError> {
        if count > 0 {
            return Ok(());
        }
        Err(self.err(
            Place::TOP,
            &[Needle::Key(key)],
            None,
            key,
            format!("at least one [[{key}]] table"),
            "none",
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn err(
        &self,
        place: Place<'_>,
        needles: &[Needle<'_>],
        stage: Option<&str>,
        field: impl Into<String>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> LadderError {
        LadderError::Invalid {
            file: self.file.to_string(),
            line: self.text.and_then(|text| locate(text, place, needles)),
            stage: stage.map(str::to_string),
            field: field.into(),
            expected: expected.into(),
            found: found.into(),
        }
    }

    /// Refuses an empty (or blank) required text field.
    fn text(
        &self,
        value: &str,
        place: Place<'_>,
        key: &str,
        stage: Option<&str>,
        field: impl Into<String>,
    ) -> Result<(), LadderError> {
        if value.trim().is_empty() {
            return Err(self.err(
                place,
                &[Needle::Key(key)],
                stage,
                field,
                "a non-empty text",
                format!("'{value}'"),
            ));
        }
        let limit = if key == "id" {
            MAX_NAME_BYTES
        } else {
            MAX_TEXT_BYTES
        };
        if value.len() > limit {
            return Err(self.err(
                place,
                &[Needle::Key(key)],
                stage,
                field,
                format!("a text of at most {limit} bytes"),
                format!("{} bytes", value.len()),
            ));
        }
        Ok(())
    }

    /// Refuses a list longer than its limit (see [`crate::input::limits`]).
    fn at_most(&self, key: &str, count: usize, limit: usize) -> Result<(), LadderError> {
        if count <= limit {
            return Ok(());
        }
        Err(self.err(
            Place::TOP,
            &[Needle::Key(key)],
            None,
            key,
            format!("at most {limit} [[{key}]] tables"),
            format!("{count}"),
        ))
    }

    fn provenance(
        &self,
        p: &Provenance,
        place: Place<'_>,
        stage: Option<&str>,
        field: &str,
    ) -> Result<(), LadderError> {
        let (key, value) = match p {
            Provenance::Source(s) => ("source", s),
            Provenance::Assumption(a) => ("assumption", a),
        };
        self.text(value, place, key, stage, format!("{field}.{key}"))
    }

    /// Refuses the second element with an id already used in `section`.
    fn unique<'i>(
        &self,
        section: &str,
        ids: impl Iterator<Item = &'i str>,
        stage: Option<&str>,
        what: &str,
    ) -> Result<(), LadderError> {
        let mut seen = HashSet::new();
        for (i, id) in ids.enumerate() {
            if !seen.insert(id) {
                let place = Place {
                    section: Some(section),
                    id: Some(id),
                    occurrence: 1,
                };
                let place = if stage.is_some() {
                    // Outcomes live inside a stage: locate the stage instead.
                    Place::element("stages", stage.unwrap_or_default())
                } else {
                    place
                };
                return Err(self.err(
                    place,
                    &[Needle::Value(id)],
                    stage,
                    format!("{section}[{i}].id"),
                    format!("a {what} id not used before in this file"),
                    format!("'{id}' again"),
                ));
            }
        }
        Ok(())
    }
}

/// Which kinds of window a place accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WindowOf {
    Stage,
    Duty,
}

fn check_window(
    ctx: &Ctx<'_>,
    window: &Window,
    place: Place<'_>,
    stage: &str,
    of: WindowOf,
) -> Result<(), LadderError> {
    let name = window.unit.name();
    let max = match window.unit {
        WindowUnit::WorkingDays => Some(MAX_WORKING_DAYS),
        WindowUnit::CalendarDays => Some(MAX_CALENDAR_DAYS),
        WindowUnit::Weeks => Some(MAX_WEEKS),
        WindowUnit::Immediately | WindowUnit::AgreedDate | WindowUnit::NoneStated => None,
    };
    if window.unit == WindowUnit::AgreedDate && of == WindowOf::Stage {
        return Err(ctx.err(
            place,
            &[Needle::Value("agreed-date"), Needle::Key("window")],
            Some(stage),
            "window.unit",
            "a stage window unit (working-days, calendar-days, weeks, immediately, none-stated); agreed-date is for duties",
            "'agreed-date'",
        ));
    }
    match (max, window.count) {
        (None, None) => {}
        (None, Some(n)) => {
            return Err(ctx.err(
                place,
                &[Needle::Key("count"), Needle::Key("window")],
                Some(stage),
                "window.count",
                format!("no count for unit '{name}'"),
                format!("{n}"),
            ))
        }
        (Some(_), None) => {
            return Err(ctx.err(
                place,
                &[Needle::Key("window"), Needle::Key("unit")],
                Some(stage),
                "window.count",
                format!("a count for unit '{name}'"),
                "none",
            ))
        }
        (Some(max), Some(n)) if n == 0 || n > max => {
            return Err(ctx.err(
                place,
                &[Needle::Key("count"), Needle::Key("window")],
                Some(stage),
                "window.count",
                format!(
                    "a count of 1..={max} for unit '{name}' (use unit 'immediately' for no delay)"
                ),
                format!("{n}"),
            ))
        }
        (Some(_), Some(_)) => {}
    }
    if let Some(most) = window.max_working_days {
        let least = window.working_day_bound().max(1);
        if matches!(
            window.unit,
            WindowUnit::NoneStated | WindowUnit::AgreedDate | WindowUnit::Immediately
        ) || most < least
            || most > MAX_WORKING_DAYS
        {
            return Err(ctx.err(
                place,
                &[Needle::Key("max_working_days")],
                Some(stage),
                "window.max_working_days",
                format!(
                    "{least}..={MAX_WORKING_DAYS} working days (at least the window itself), on a window of working days, calendar days or weeks"
                ),
                format!("{most} on unit '{name}'"),
            ));
        }
    }
    Ok(())
}

/// The most duties one outcome, duty or rule may start.
pub const MAX_STARTS: usize = 4;

/// Checks a ladder; `text` (TOML, when there is one) and `file` are used to
/// locate and label errors.
pub(crate) fn ladder(l: &Ladder, text: Option<&str>, file: &str) -> Result<(), LadderError> {
    let ctx = Ctx { text, file };
    ctx.kind(l.kind, ProcedureKind::Ladder)?;
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
    for (i, r) in l.roles.iter().enumerate() {
        ctx.named_item("roles", i, &r.id, &r.name, &r.provenance)?;
    }
    for (i, c) in l.categories.iter().enumerate() {
        ctx.named_item("categories", i, &c.id, &c.name, &c.provenance)?;
    }
    for (i, r) in l.referrals.iter().enumerate() {
        ctx.named_item("referrals", i, &r.id, &r.name, &r.provenance)?;
    }
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

    let roles: HashSet<&str> = l.roles.iter().map(|r| &*r.id).collect();
    let index: HashMap<&str, usize> = l
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| (&*s.id, i))
        .collect();
    const A_STAGE: &str = "the id of a stage in this ladder";
    let duty_ids: HashSet<&str> = l.duties.iter().map(|d| &*d.id).collect();
    // A list of duties to start: known ids, at most MAX_STARTS.
    let duty_list = |list: &[Arc<str>],
                     place: Place<'_>,
                     st: Option<&str>,
                     field: &str|
     -> Result<(), LadderError> {
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
    };
    // Edges of the escalation graph: (from, to, field).
    let mut edges: Vec<Vec<(usize, String)>> = vec![Vec::new(); l.stages.len()];
    for (i, s) in l.stages.iter().enumerate() {
        let place = Place::element("stages", &s.id);
        let st = Some(&*s.id);
        let role = |id: &str, field: &str| ctx.role(&roles, id, place, st, field);
        role(&s.raised_by, "raised_by")?;
        ctx.role_list(
            &roles,
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
        check_window(&ctx, &s.window, place, &s.id, WindowOf::Stage)?;
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
                &roles,
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
            duty_list(&o.starts, place, st, &format!("outcomes[{j}].starts"))?;
        }
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
            edges[i].push((to, "next.to".to_string()));
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
                edges[i].push((to, field));
            }
        }
        for (j, o) in s.outcomes.iter().enumerate() {
            if let OutcomeNext::Stage(t) = &o.then {
                let field = format!("outcomes[{j}].then.stage");
                let to = stage(t, &field)?;
                edges[i].push((to, field));
            }
        }
    }

    for (i, d) in l.duties.iter().enumerate() {
        // The checks name the duty where a stage's would name the stage; the
        // error says `duties[id].field` instead, with no stage.
        let check_duty = || -> Result<(), LadderError> {
            ctx.named_item("duties", i, &d.id, &d.name, &d.provenance)?;
            let place = Place::element("duties", &d.id);
            let st = Some(&*d.id);
            let role = |id: &str, field: &str| ctx.role(&roles, id, place, st, field);
            ctx.role_list(
                &roles,
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
            check_window(&ctx, &d.window, place, &d.id, WindowOf::Duty)?;
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
            duty_list(&d.then_starts, place, st, "then_starts")?;
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
    }
    ctx.unique("duties", l.duties.iter().map(|d| &*d.id), None, "duty")?;
    if let Some(r) = &l.on_resolve {
        let place = Place::table("on_resolve");
        ctx.provenance(&r.provenance, place, None, "on_resolve.provenance")?;
        if let Some(record) = &r.record {
            ctx.record(record, place, None, "on_resolve.record")?;
        }
        duty_list(&r.starts, place, None, "on_resolve.starts")?;
    }
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

    ctx.omissions(&l.omitted)?;

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
    if let Some((from, field, cycle)) = find_cycle(&edges) {
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
