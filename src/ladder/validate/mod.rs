//! The checks every loader runs: see "Validation rules" in the module docs of
//! [`ladder`](super). The first broken rule is reported, located in the text.
//!
//! This file holds the checks ladders and schedules share ([`Ctx`]: the
//! header, ids, texts, provenance, limits, omissions, windows); `ladder.rs`
//! has one checker per section of a ladder (docs/ladder-schema.md) and
//! `schedule.rs` the schedule's.

use std::collections::HashSet;

use crate::input::limits::{MAX_NAME_BYTES, MAX_TEXT_BYTES};

use super::locate::{locate, Needle, Place};
use super::{
    LadderError, ProcedureKind, Provenance, Record, SourceDocument, Statement, Window, WindowUnit,
    WorkingDayRules,
};

mod ladder;
mod schedule;

pub(crate) use ladder::ladder;
pub use ladder::MAX_STARTS;
pub(crate) use schedule::schedule;
pub use schedule::MAX_SCHEDULE_DAY;

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
