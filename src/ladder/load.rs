//! Loading procedures from TOML or JSON, validating them, writing them back,
//! and looking things up in them.
//!
//! Every way in, the loaders and serde's `Deserialize`, reads the fields
//! ([`LadderFields`], [`ScheduleFields`]), runs the same validation
//! ([`validate`]) and only then gives a [`Ladder`] or a [`Schedule`]. The
//! loaders locate a broken rule's line in TOML text; in JSON text, and for a
//! value deserialized or validated in code, the error carries no line.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Deserializer};

use crate::input::limits::MAX_LADDER_FILE_BYTES;

use super::error::line_column;
use super::locate::{locate, Needle, Place};
use super::validate;
use super::{
    Category, ClockStart, Duty, Ladder, LadderError, LadderFields, OutcomeNext, Procedure,
    ProcedureKind, Provenance, Role, Schedule, ScheduleFields, Stage, Window, WindowUnit,
};

/// Turns a TOML parse or schema error into a [`LadderError::Toml`] with a line.
///
/// The parser's message may take several lines ("invalid array" then "expected
/// `]`"); they are joined into one, with ", ".
fn toml_error(text: &str, file: &str, err: &toml::de::Error) -> LadderError {
    let (line, column) = match err.span() {
        Some(span) => line_column(text, span.start),
        None => (1, 1),
    };
    LadderError::Toml {
        file: file.to_string(),
        line,
        column,
        message: err
            .message()
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Turns a JSON parse or schema error into a [`LadderError::Json`], its
/// position taken out of the message ("unknown field `colour`, expected ...").
fn json_error(file: &str, err: &serde_json::Error) -> LadderError {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    LadderError::Json {
        file: file.to_string(),
        line: err.line().max(1),
        column: err.column().max(1),
        message: text.strip_suffix(&suffix).unwrap_or(&text).to_string(),
    }
}

/// Whether a path names a JSON procedure file: its extension is `.json` (in
/// any case). Any other file is read as TOML.
fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
}

/// Reads a procedure file, but no more than
/// [`MAX_LADDER_FILE_BYTES`] of it whatever its size: its text and its label
/// (the path) for errors.
fn read_file(path: &Path) -> Result<(String, String), LadderError> {
    let file = path.display().to_string();
    let io = |e: std::io::Error| LadderError::Io {
        file: file.clone(),
        message: e.to_string(),
    };
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_LADDER_FILE_BYTES as u64 + 1)
        .read_to_string(&mut text)
        .map_err(io)?;
    if text.len() > MAX_LADDER_FILE_BYTES {
        let bytes = std::fs::metadata(path).map_or(text.len() as u64, |m| m.len());
        return Err(LadderError::TooLarge {
            file,
            bytes,
            limit: MAX_LADDER_FILE_BYTES,
        });
    }
    Ok((text, file))
}

/// Refuses text over [`MAX_LADDER_FILE_BYTES`], whatever its format.
fn check_size(text: &str, file: &str) -> Result<(), LadderError> {
    if text.len() > MAX_LADDER_FILE_BYTES {
        return Err(LadderError::TooLarge {
            file: file.to_string(),
            bytes: text.len() as u64,
            limit: MAX_LADDER_FILE_BYTES,
        });
    }
    Ok(())
}

/// The error for a `kind` that is missing or neither `"ladder"` nor
/// `"schedule"`; `line` where it could be located.
fn invalid_kind(file: &str, line: Option<usize>, found: String) -> LadderError {
    LadderError::Invalid {
        file: file.to_string(),
        line,
        stage: None,
        field: "kind".to_string(),
        expected: "'ladder' or 'schedule'".to_string(),
        found,
    }
}

/// Reads the top-level `kind` of a TOML procedure file.
fn read_kind(text: &str, file: &str) -> Result<ProcedureKind, LadderError> {
    check_size(text, file)?;
    let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, file, &e))?;
    let invalid = |found: String| {
        let line =
            locate(text, Place::TOP, &[Needle::Key("kind")]).filter(|_| table.contains_key("kind"));
        invalid_kind(file, line, found)
    };
    match table.get("kind") {
        None => Err(invalid("no 'kind' field".to_string())),
        Some(toml::Value::String(s)) if s == "ladder" => Ok(ProcedureKind::Ladder),
        Some(toml::Value::String(s)) if s == "schedule" => Ok(ProcedureKind::Schedule),
        Some(toml::Value::String(s)) => Err(invalid(format!("'{s}'"))),
        Some(other) => Err(invalid(format!("a value of type {}", other.type_str()))),
    }
}

/// Reads the top-level `kind` of a JSON procedure file (the text must be a
/// JSON object).
fn read_json_kind(text: &str, file: &str) -> Result<ProcedureKind, LadderError> {
    check_size(text, file)?;
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
    let invalid = |found: String| invalid_kind(file, None, found);
    match object.get("kind") {
        None => Err(invalid("no 'kind' field".to_string())),
        Some(serde_json::Value::String(s)) if s == "ladder" => Ok(ProcedureKind::Ladder),
        Some(serde_json::Value::String(s)) if s == "schedule" => Ok(ProcedureKind::Schedule),
        Some(serde_json::Value::String(s)) => Err(invalid(format!("'{s}'"))),
        Some(other) => {
            let kind = match other {
                serde_json::Value::Null => "null",
                serde_json::Value::Bool(_) => "boolean",
                serde_json::Value::Number(_) => "number",
                serde_json::Value::Array(_) => "array",
                serde_json::Value::Object(_) | serde_json::Value::String(_) => "object",
            };
            Err(invalid(format!("a value of type {kind}")))
        }
    }
}

/// The error for a ladder loader given a schedule, or the other way round;
/// located in TOML text.
fn wrong_kind(text: Option<&str>, file: &str, expected: &str, found: &str) -> LadderError {
    LadderError::Invalid {
        file: file.to_string(),
        line: text.and_then(|text| locate(text, Place::TOP, &[Needle::Key("kind")])),
        stage: None,
        field: "kind".to_string(),
        expected: format!("'{expected}'"),
        found: format!("'{found}'"),
    }
}

fn serialize_error(id: &str, err: &toml::ser::Error) -> LadderError {
    LadderError::Serialize {
        id: id.to_string(),
        message: err.to_string(),
    }
}

/// Deserializing a ladder validates it: see [`Ladder`] ("Deserializing
/// validates"). The error is the [`LadderError`]'s message, labelled with
/// `ladder 'ID'`.
impl<'de> Deserialize<'de> for Ladder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Ladder, D::Error> {
        let ladder = LadderFields::deserialize(deserializer)?.unchecked();
        let label = ladder.label();
        ladder
            .checked(None, &label)
            .map_err(serde::de::Error::custom)
    }
}

/// Deserializing a schedule validates it, as for [`Ladder`].
impl<'de> Deserialize<'de> for Schedule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Schedule, D::Error> {
        let schedule = ScheduleFields::deserialize(deserializer)?.unchecked();
        let label = schedule.label();
        schedule
            .checked(None, &label)
            .map_err(serde::de::Error::custom)
    }
}

impl Ladder {
    /// Loads and validates a ladder from TOML text.
    ///
    /// `file` labels the text in error messages (a path, or any name).
    ///
    /// # Errors
    ///
    /// [`LadderError::Toml`] if the text is not TOML or does not fit the schema
    /// (unknown, missing or mistyped field); [`LadderError::Invalid`] if its
    /// `kind` is not `"ladder"` or it breaks a rule listed in
    /// the [validation rules](super#validation-rules) (unknown stage, cycle,
    /// absurd window, ...).
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::{builtin, Ladder};
    ///
    /// let text = builtin::source("lac-review-decisions").unwrap();
    /// let ladder = Ladder::from_toml_str(text, "lac-review-decisions.toml")?;
    /// assert_eq!(ladder.first_stage().map(|s| &*s.id), Some("decisions-sent"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_toml_str(text: &str, file: &str) -> Result<Ladder, LadderError> {
        match read_kind(text, file)? {
            ProcedureKind::Ladder => Ladder::parse(text, file),
            ProcedureKind::Schedule => Err(wrong_kind(Some(text), file, "ladder", "schedule")),
        }
    }

    /// Loads and validates a ladder from JSON text: the same schema as TOML
    /// (the same keys, defaults and enum values, as `ladder show ID --json`
    /// writes them) and the same validation.
    ///
    /// `file` labels the text in error messages. Errors of JSON syntax and of
    /// the schema carry a line and column; errors of the validation rules carry
    /// no line (see [`LadderError::Invalid`]).
    ///
    /// # Errors
    ///
    /// [`LadderError::Json`] if the text is not a JSON object or does not fit
    /// the schema; [`LadderError::TooLarge`] past
    /// [`MAX_LADDER_FILE_BYTES`]; otherwise as [`Ladder::from_toml_str`].
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::{builtin, Ladder};
    ///
    /// let ladder = builtin::ladder("lac-review-decisions")?;
    /// let json = serde_json::to_string(&ladder)?;
    /// assert_eq!(Ladder::from_json_str(&json, "lac.json")?, ladder);
    ///
    /// let broken = json.replace("\"decisions-sent\"", "\"\"");
    /// let err = Ladder::from_json_str(&broken, "lac.json").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "lac.json: field 'stages[0].id': expected a non-empty text, found ''",
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_str(text: &str, file: &str) -> Result<Ladder, LadderError> {
        match read_json_kind(text, file)? {
            ProcedureKind::Ladder => Ladder::parse_json(text, file),
            ProcedureKind::Schedule => Err(wrong_kind(None, file, "ladder", "schedule")),
        }
    }

    /// Reads a ladder file and loads it with [`Ladder::from_json_str`] if its
    /// name ends in `.json`, with [`Ladder::from_toml_str`] otherwise,
    /// labelling errors with the path.
    ///
    /// # Errors
    ///
    /// [`LadderError::Io`] if the file cannot be read (or is not UTF-8),
    /// [`LadderError::TooLarge`] past the size limit, and the errors of
    /// [`Ladder::from_toml_str`] or [`Ladder::from_json_str`] (a schedule is
    /// refused as not a ladder).
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::Ladder;
    ///
    /// let ladder = Ladder::from_path("ladders/oxfordshire-resolution-escalation.toml")?;
    /// assert_eq!(ladder.ceiling.map(|c| c.working_days), Some(20));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Ladder, LadderError> {
        let path = path.as_ref();
        let (text, file) = read_file(path)?;
        if is_json(path) {
            Ladder::from_json_str(&text, &file)
        } else {
            Ladder::from_toml_str(&text, &file)
        }
    }

    /// Checks the ladder against every [validation rule](super#validation-rules),
    /// as the loaders do: for a ladder built or changed in code. Errors are
    /// labelled `ladder 'ID'` in place of a file name, and carry no line.
    ///
    /// # Errors
    ///
    /// [`LadderError::Invalid`] for the first rule the ladder breaks.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::builtin;
    ///
    /// let mut ladder = builtin::ladder("iro-dispute-resolution")?;
    /// assert!(ladder.validate().is_ok());
    /// ladder.stages[1].window.count = Some(0);
    /// assert_eq!(
    ///     ladder.validate().unwrap_err().to_string(),
    ///     "ladder 'iro-dispute-resolution': stage 'team-manager', field 'window.count': \
    ///      expected a count of 1..=250 for unit 'working-days' (use unit 'immediately' \
    ///      for no delay), found 0",
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), LadderError> {
        validate::ladder(self, None, &self.label())
    }

    /// How [`Ladder::validate`] labels its errors: `ladder 'ID'`.
    fn label(&self) -> String {
        format!("ladder '{}'", self.id)
    }

    /// Reads, validates and links TOML text already known to be a ladder.
    fn parse(text: &str, file: &str) -> Result<Ladder, LadderError> {
        let fields: LadderFields = toml::from_str(text).map_err(|e| toml_error(text, file, &e))?;
        fields.unchecked().checked(Some(text), file)
    }

    /// Reads, validates and links JSON text already known to be a ladder.
    fn parse_json(text: &str, file: &str) -> Result<Ladder, LadderError> {
        let fields: LadderFields = serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
        fields.unchecked().checked(None, file)
    }

    /// Validates a ladder just read (locating errors in `text` when it is the
    /// TOML it was read from) and links it: the one way every loader ends.
    fn checked(mut self, text: Option<&str>, file: &str) -> Result<Ladder, LadderError> {
        validate::ladder(&self, text, file)?;
        self.share_stage_ids();
        // Computed once here, so that `apply` never allocates for it.
        self.fingerprint();
        Ok(self)
    }

    /// Points every route, bypass and outcome target at its stage's own id, so the
    /// engine finds a target by address instead of comparing text.
    fn share_stage_ids(&mut self) {
        let ids: Vec<Arc<str>> = self.stages.iter().map(|s| s.id.clone()).collect();
        let share = |target: &mut Arc<str>| {
            if let Some(id) = ids.iter().find(|id| **id == *target) {
                *target = id.clone();
            }
        };
        for stage in &mut self.stages {
            if let Some(next) = &mut stage.next {
                share(&mut next.to);
            }
            for target in stage.bypass.iter_mut().flat_map(|b| b.to.iter_mut()) {
                share(target);
            }
            for outcome in &mut stage.outcomes {
                if let OutcomeNext::Stage(target) = &mut outcome.then {
                    share(target);
                }
            }
        }
        if let Some(ClockStart::Stages(from)) =
            self.open_threshold.as_mut().and_then(|t| t.from.as_mut())
        {
            from.iter_mut().for_each(share);
        }
    }

    /// The duty with this id.
    pub fn duty(&self, id: &str) -> Option<&Duty> {
        self.duties.iter().find(|d| *d.id == *id)
    }

    /// Writes the ladder as TOML that [`Ladder::from_toml_str`] loads back equal.
    ///
    /// # Errors
    ///
    /// [`LadderError::Serialize`] if the TOML writer refuses the value (not
    /// expected for any ladder the schema can describe).
    pub fn to_toml_string(&self) -> Result<String, LadderError> {
        toml::to_string(self).map_err(|e| serialize_error(&self.id, &e))
    }

    /// The stage with this id.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| *s.id == *id)
    }

    /// The position of the stage with this id in stage order.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        // The engine stores the ladder's own ids in alert states, so the address
        // usually matches; compare text only when it does not.
        let same_address = |s: &Stage| std::ptr::eq(s.id.as_ptr(), id.as_ptr());
        match self.stages.iter().position(same_address) {
            Some(i) if self.stages[i].id.len() == id.len() => Some(i),
            _ => self.stage_index_by_text(id),
        }
    }

    /// [`Ladder::stage_index`] for an id that is not the ladder's own copy.
    #[cold]
    fn stage_index_by_text(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| *s.id == *id)
    }

    /// The role with this id.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| *c.id == *id)
    }

    /// The first stage: where the default path starts. `None` only for a ladder
    /// built by hand with no stages (a loaded ladder always has one).
    pub fn first_stage(&self) -> Option<&Stage> {
        self.stages.first()
    }

    /// Whether an alert may be raised directly at the stage with this id: the
    /// first stage always, any other stage if it has an `entry` table.
    pub fn is_entry_stage(&self, id: &str) -> bool {
        self.stage_index(id).is_some_and(|i| self.is_entry_index(i))
    }

    /// Whether the stage at this position is an entry stage: the first always,
    /// any other if it has an `entry` table. The one place the rule is written.
    pub(crate) fn is_entry_index(&self, index: usize) -> bool {
        index == 0 || self.stages.get(index).is_some_and(|s| s.entry.is_some())
    }

    /// The stages an alert may start at, in stage order: the first stage (always
    /// an entry stage, even without an `entry` table) and every stage with an
    /// `entry` table.
    pub fn entry_stages(&self) -> Vec<&Stage> {
        self.entry_indices().map(|i| &self.stages[i]).collect()
    }

    /// The positions of the entry stages, in stage order.
    pub(crate) fn entry_indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.stages.len()).filter(|&i| self.is_entry_index(i))
    }

    /// The default path: the first stage, then each stage's `next`, stopping at
    /// a stage without `next`, at an unknown stage or before a repeated stage.
    pub fn default_path(&self) -> Vec<&Stage> {
        let mut path: Vec<&Stage> = Vec::new();
        let mut current = self.first_stage();
        while let Some(stage) = current {
            if path.iter().any(|s| s.id == stage.id) {
                break;
            }
            path.push(stage);
            current = stage.next.as_ref().and_then(|r| self.stage(&r.to));
        }
        path
    }

    /// The working days the default path takes at most: the sum of its windows'
    /// [`Window::working_day_bound`]s.
    pub fn default_path_working_days(&self) -> u64 {
        self.default_path()
            .iter()
            .map(|s| u64::from(s.window.working_day_bound()))
            .sum()
    }

    /// Every assumption in the ladder, with where it is
    /// (`stages[stage-2].window`), in file order.
    pub fn assumptions(&self) -> Vec<(String, &str)> {
        let mut items: Vec<(String, &Provenance)> = vec![
            ("scope".to_string(), &self.scope.provenance),
            ("working_days".to_string(), &self.working_days.provenance),
        ];
        if let Some(c) = &self.ceiling {
            items.push(("ceiling".to_string(), &c.provenance));
        }
        if let Some(t) = &self.open_threshold {
            items.push(("open_threshold".to_string(), &t.provenance));
        }
        for r in &self.roles {
            items.push((format!("roles[{}]", r.id), &r.provenance));
        }
        for c in &self.categories {
            items.push((format!("categories[{}]", c.id), &c.provenance));
        }
        for r in &self.referrals {
            items.push((format!("referrals[{}]", r.id), &r.provenance));
        }
        for s in &self.stages {
            let at = |f: &str| format!("stages[{}].{f}", s.id);
            items.push((at("window"), &s.window.provenance));
            items.push((at("on_expiry"), &s.on_expiry.provenance));
            if let Some(r) = &s.record {
                items.push((at("record"), &r.provenance));
            }
            for n in &s.notify {
                items.push((at(&format!("notify[{}]", n.role)), &n.provenance));
            }
            if let Some(e) = &s.entry {
                items.push((at("entry"), &e.provenance));
            }
            if let Some(n) = &s.next {
                items.push((at("next"), &n.provenance));
            }
            if let Some(b) = &s.bypass {
                items.push((at("bypass"), &b.provenance));
            }
            for o in &s.outcomes {
                items.push((at(&format!("outcomes[{}]", o.id)), &o.provenance));
            }
            if let Some(o) = &s.optional_outcome {
                items.push((at("optional_outcome"), &o.provenance));
            }
            for step in &s.steps {
                items.push((at(&format!("steps[{}]", step.id)), &step.provenance));
            }
        }
        for d in &self.duties {
            let at = |f: &str| format!("duties[{}].{f}", d.id);
            items.push((format!("duties[{}]", d.id), &d.provenance));
            items.push((at("window"), &d.window.provenance));
            if let Some(r) = &d.record {
                items.push((at("record"), &r.provenance));
            }
            for n in &d.notify {
                items.push((at(&format!("notify[{}]", n.role)), &n.provenance));
            }
        }
        if let Some(r) = &self.on_resolve {
            items.push(("on_resolve".to_string(), &r.provenance));
            if let Some(record) = &r.record {
                items.push(("on_resolve.record".to_string(), &record.provenance));
            }
        }
        items
            .into_iter()
            .filter_map(|(place, p)| p.assumption().map(|r| (place, r)))
            .collect()
    }
}

impl Schedule {
    /// Loads and validates a schedule from TOML text.
    ///
    /// # Errors
    ///
    /// As [`Ladder::from_toml_str`], for the schedule rules (at least one
    /// milestone, unique ids, days in order, `until_day` not before `day`).
    pub fn from_toml_str(text: &str, file: &str) -> Result<Schedule, LadderError> {
        match read_kind(text, file)? {
            ProcedureKind::Schedule => Schedule::parse(text, file),
            ProcedureKind::Ladder => Err(wrong_kind(Some(text), file, "schedule", "ladder")),
        }
    }

    /// Loads and validates a schedule from JSON text, as
    /// [`Ladder::from_json_str`] does a ladder.
    ///
    /// # Errors
    ///
    /// As [`Ladder::from_json_str`], for the schedule rules.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::{builtin, Schedule};
    ///
    /// let procedure = builtin::procedure("nottinghamshire-inspection")?;
    /// let schedule = procedure.as_schedule().unwrap();
    /// let json = serde_json::to_string(schedule)?;
    /// assert_eq!(&Schedule::from_json_str(&json, "inspection.json")?, schedule);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_str(text: &str, file: &str) -> Result<Schedule, LadderError> {
        match read_json_kind(text, file)? {
            ProcedureKind::Schedule => Schedule::parse_json(text, file),
            ProcedureKind::Ladder => Err(wrong_kind(None, file, "schedule", "ladder")),
        }
    }

    /// Checks the schedule against the schedule rules, as the loaders do: for
    /// a schedule built or changed in code. Errors are labelled
    /// `schedule 'ID'` and carry no line.
    ///
    /// # Errors
    ///
    /// [`LadderError::Invalid`] for the first rule the schedule breaks.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::builtin;
    ///
    /// let procedure = builtin::procedure("nottinghamshire-inspection")?;
    /// let mut schedule = procedure.as_schedule().unwrap().clone();
    /// assert!(schedule.validate().is_ok());
    /// schedule.milestones[0].day = 0;
    /// assert!(schedule.validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), LadderError> {
        validate::schedule(self, None, &self.label())
    }

    /// How [`Schedule::validate`] labels its errors: `schedule 'ID'`.
    fn label(&self) -> String {
        format!("schedule '{}'", self.id)
    }

    /// Reads and validates TOML text already known to be a schedule.
    fn parse(text: &str, file: &str) -> Result<Schedule, LadderError> {
        let fields: ScheduleFields =
            toml::from_str(text).map_err(|e| toml_error(text, file, &e))?;
        fields.unchecked().checked(Some(text), file)
    }

    /// Reads and validates JSON text already known to be a schedule.
    fn parse_json(text: &str, file: &str) -> Result<Schedule, LadderError> {
        let fields: ScheduleFields =
            serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
        fields.unchecked().checked(None, file)
    }

    /// Validates a schedule just read: the one way every loader ends.
    fn checked(self, text: Option<&str>, file: &str) -> Result<Schedule, LadderError> {
        validate::schedule(&self, text, file)?;
        Ok(self)
    }

    /// Writes the schedule as TOML that [`Schedule::from_toml_str`] loads back equal.
    ///
    /// # Errors
    ///
    /// [`LadderError::Serialize`] if the TOML writer refuses the value.
    pub fn to_toml_string(&self) -> Result<String, LadderError> {
        toml::to_string(self).map_err(|e| serialize_error(&self.id, &e))
    }

    /// Every assumption in the schedule, with where it is (`milestones[day-1]`).
    pub fn assumptions(&self) -> Vec<(String, &str)> {
        let mut items: Vec<(String, &Provenance)> = vec![
            ("scope".to_string(), &self.scope.provenance),
            ("working_days".to_string(), &self.working_days.provenance),
        ];
        for m in &self.milestones {
            items.push((format!("milestones[{}]", m.id), &m.provenance));
            if let Some(r) = &m.repeats {
                items.push((format!("milestones[{}].repeats", m.id), &r.provenance));
            }
        }
        items
            .into_iter()
            .filter_map(|(place, p)| p.assumption().map(|r| (place, r)))
            .collect()
    }
}

impl Procedure {
    /// Loads and validates a ladder or a schedule, according to the file's
    /// top-level `kind`.
    ///
    /// # Errors
    ///
    /// As [`Ladder::from_toml_str`]; [`LadderError::Invalid`] for field `kind`
    /// if it is missing or is neither `"ladder"` nor `"schedule"`.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::{LadderError, Procedure};
    ///
    /// let err = Procedure::from_toml_str("kind = \"rota\"\n", "x.toml").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "x.toml:1: field 'kind': expected 'ladder' or 'schedule', found 'rota'",
    /// );
    /// ```
    pub fn from_toml_str(text: &str, file: &str) -> Result<Procedure, LadderError> {
        match read_kind(text, file)? {
            ProcedureKind::Ladder => Ladder::parse(text, file).map(Procedure::Ladder),
            ProcedureKind::Schedule => Schedule::parse(text, file).map(Procedure::Schedule),
        }
    }

    /// Loads and validates a ladder or a schedule from JSON text, according to
    /// its top-level `kind`: the same schema and the same validation as
    /// [`Procedure::from_toml_str`]. What `ladder show ID --json` prints (the
    /// procedure serialized with `serde_json`) loads back equal.
    ///
    /// Errors of JSON syntax and of the schema carry a line and column; errors
    /// of the validation rules carry no line.
    ///
    /// # Errors
    ///
    /// As [`Ladder::from_json_str`]; [`LadderError::Invalid`] for field `kind`
    /// if it is missing or is neither `"ladder"` nor `"schedule"`.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::{builtin, Procedure};
    ///
    /// let procedure = builtin::procedure("iro-dispute-resolution")?;
    /// let json = serde_json::to_string_pretty(&procedure)?;
    /// assert_eq!(Procedure::from_json_str(&json, "iro.json")?, procedure);
    ///
    /// let err = Procedure::from_json_str("{\"kind\": \"ladder\",\n \"colour\": 1}", "x.json")
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("x.json:2:9: unknown field `colour`"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_str(text: &str, file: &str) -> Result<Procedure, LadderError> {
        match read_json_kind(text, file)? {
            ProcedureKind::Ladder => Ladder::parse_json(text, file).map(Procedure::Ladder),
            ProcedureKind::Schedule => Schedule::parse_json(text, file).map(Procedure::Schedule),
        }
    }

    /// Reads a file and loads it with [`Procedure::from_json_str`] if its name
    /// ends in `.json` (in any case), with [`Procedure::from_toml_str`]
    /// otherwise, labelling errors with the path.
    ///
    /// # Errors
    ///
    /// [`LadderError::Io`] if the file cannot be read (or is not UTF-8),
    /// [`LadderError::TooLarge`] past
    /// [`MAX_LADDER_FILE_BYTES`] (TOML and JSON alike), and the errors of
    /// [`Procedure::from_toml_str`] or [`Procedure::from_json_str`].
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::Procedure;
    ///
    /// let procedure = Procedure::from_path("ladders/nottinghamshire-inspection.toml")?;
    /// assert!(procedure.as_schedule().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Procedure, LadderError> {
        let path = path.as_ref();
        let (text, file) = read_file(path)?;
        if is_json(path) {
            Procedure::from_json_str(&text, &file)
        } else {
            Procedure::from_toml_str(&text, &file)
        }
    }

    /// Checks the procedure as the loaders do: [`Ladder::validate`] or
    /// [`Schedule::validate`].
    ///
    /// # Errors
    ///
    /// [`LadderError::Invalid`] for the first rule the procedure breaks.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::ladder::builtin;
    ///
    /// for procedure in builtin::procedures() {
    ///     procedure.validate()?;
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), LadderError> {
        match self {
            Procedure::Ladder(l) => l.validate(),
            Procedure::Schedule(s) => s.validate(),
        }
    }

    /// Writes the procedure as TOML that [`Procedure::from_toml_str`] loads back equal.
    ///
    /// # Errors
    ///
    /// [`LadderError::Serialize`] if the TOML writer refuses the value.
    pub fn to_toml_string(&self) -> Result<String, LadderError> {
        match self {
            Procedure::Ladder(l) => l.to_toml_string(),
            Procedure::Schedule(s) => s.to_toml_string(),
        }
    }

    /// The procedure's id.
    pub fn id(&self) -> &str {
        match self {
            Procedure::Ladder(l) => &l.id,
            Procedure::Schedule(s) => &s.id,
        }
    }

    /// The procedure's title.
    pub fn title(&self) -> &str {
        match self {
            Procedure::Ladder(l) => &l.title,
            Procedure::Schedule(s) => &s.title,
        }
    }

    /// Whether it is a ladder or a schedule.
    pub fn kind(&self) -> ProcedureKind {
        match self {
            Procedure::Ladder(_) => ProcedureKind::Ladder,
            Procedure::Schedule(_) => ProcedureKind::Schedule,
        }
    }

    /// The ladder, if it is one.
    pub fn as_ladder(&self) -> Option<&Ladder> {
        match self {
            Procedure::Ladder(l) => Some(l),
            Procedure::Schedule(_) => None,
        }
    }

    /// The schedule, if it is one.
    pub fn as_schedule(&self) -> Option<&Schedule> {
        match self {
            Procedure::Ladder(_) => None,
            Procedure::Schedule(s) => Some(s),
        }
    }

    /// Every assumption, with where it is; see [`Ladder::assumptions`].
    pub fn assumptions(&self) -> Vec<(String, &str)> {
        match self {
            Procedure::Ladder(l) => l.assumptions(),
            Procedure::Schedule(s) => s.assumptions(),
        }
    }
}

impl Window {
    /// The most working days the window can take, for checking the default path
    /// against the ceiling: `count` for working days, `count` for calendar days
    /// (a calendar day is at most a working day), `count * 5` for weeks, and 0
    /// for `immediately` and `none-stated` (a stage with no window adds nothing
    /// the document states). Saturates instead of overflowing.
    pub fn working_day_bound(&self) -> u32 {
        let count = self.count.unwrap_or(0);
        match self.unit {
            WindowUnit::WorkingDays | WindowUnit::CalendarDays => count,
            WindowUnit::Weeks => count.saturating_mul(5),
            WindowUnit::Immediately | WindowUnit::AgreedDate | WindowUnit::NoneStated => 0,
        }
    }

    /// The window in words: "5 working days", "1 week", "immediately",
    /// "none stated".
    pub fn describe(&self) -> String {
        let plural = |n: u32, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let words = match (self.unit, self.count) {
            (WindowUnit::WorkingDays, Some(n)) => plural(n, "working day", "working days"),
            (WindowUnit::CalendarDays, Some(n)) => plural(n, "calendar day", "calendar days"),
            (WindowUnit::Weeks, Some(n)) => plural(n, "week", "weeks"),
            (WindowUnit::WorkingDays, None) => "working days (count missing)".to_string(),
            (WindowUnit::CalendarDays, None) => "calendar days (count missing)".to_string(),
            (WindowUnit::Weeks, None) => "weeks (count missing)".to_string(),
            (WindowUnit::Immediately, _) => "immediately".to_string(),
            (WindowUnit::AgreedDate, _) => "a date agreed when it starts".to_string(),
            (WindowUnit::NoneStated, _) => "none stated".to_string(),
        };
        let mut words = words;
        if let Some(ClockStart::Step(step)) = &self.from {
            words.push_str(&format!(" from step '{step}'"));
        }
        if let Some(max) = self.max_working_days {
            words.push_str(&format!(" (at most {max} working days with extra time)"));
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(unit: WindowUnit, count: Option<u32>) -> Window {
        Window {
            unit,
            count,
            from: None,
            max_working_days: None,
            provenance: Provenance::Assumption("test".into()),
        }
    }

    #[test]
    fn window_bounds_and_words() {
        let w = window(WindowUnit::Weeks, Some(2));
        assert_eq!(
            (w.working_day_bound(), w.describe().as_str()),
            (10, "2 weeks")
        );
        let w = window(WindowUnit::WorkingDays, Some(1));
        assert_eq!(
            (w.working_day_bound(), w.describe().as_str()),
            (1, "1 working day")
        );
        let w = window(WindowUnit::CalendarDays, Some(7));
        assert_eq!(
            (w.working_day_bound(), w.describe().as_str()),
            (7, "7 calendar days")
        );
        let w = window(WindowUnit::Immediately, None);
        assert_eq!(
            (w.working_day_bound(), w.describe().as_str()),
            (0, "immediately")
        );
        let w = window(WindowUnit::NoneStated, None);
        assert_eq!(
            (w.working_day_bound(), w.describe().as_str()),
            (0, "none stated")
        );
        assert_eq!(
            window(WindowUnit::Weeks, Some(u32::MAX)).working_day_bound(),
            u32::MAX
        );
    }

    #[test]
    fn kind_is_read_first() {
        let err = Procedure::from_toml_str("id = \"x\"\n", "f.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.toml: field 'kind': expected 'ladder' or 'schedule', found no 'kind' field"
        );
        let err = Procedure::from_toml_str("kind = 3\n", "f.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.toml:1: field 'kind': expected 'ladder' or 'schedule', found a value of type integer"
        );
    }
}
