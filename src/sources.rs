//! The files a tool loads at start (a council's own ladder files, extra
//! bank-holiday files and closure days) read into a [`Setup`], and the
//! [`Registry`] made from it.
//!
//! The `ladder` command line (`--ladder-file`, `--holidays`, `--closure`,
//! `--closures`, `--region`) and the HTTP service (`ladder serve`, which loads them once and
//! again on a reload) share this code, so the two read the same files the
//! same way; the C ABI gives the same [`Setup`] from its arguments.
//!
//! # Example
//!
//! A Christmas shutdown on Tuesday 29 December 2026:
//!
//! ```
//! use escalation_ladder::chrono::NaiveDate;
//! use escalation_ladder::sources::Sources;
//!
//! let sources = Sources {
//!     closures: vec![NaiveDate::from_ymd_opt(2026, 12, 29).unwrap()],
//!     ..Sources::default()
//! };
//! let (registry, warnings) = sources.registry()?;
//! assert!(warnings.is_empty());
//! let (_, calendar) = registry.ladder("iro-dispute-resolution")?;
//! let friday = NaiveDate::from_ymd_opt(2026, 12, 18).unwrap();
//! // 21, 22, 23, 24, then 30 December (25th, 28th and 29th closed).
//! assert_eq!(calendar.add_working_days(friday, 5)?, NaiveDate::from_ymd_opt(2026, 12, 30).unwrap());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use thiserror::Error;

use crate::calendar::{parse_closure_list, CalendarError};
use crate::contract::ErrorDocument;
use crate::escape::{escape, Escaped};
use crate::ladder::{LadderError, Procedure};
use crate::ops::{Closure, HolidaySource, Registry, Setup, CLOSURE_REASON};
use crate::Region;

/// The files and days a tool adjusts the built-in procedures and calendars
/// with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// A council's own procedures (TOML, or JSON if named `.json`); one with a
    /// built-in's id replaces it.
    pub ladder_files: Vec<PathBuf>,
    /// Extra bank holidays: GOV.UK's bank-holidays JSON if the name ends in
    /// `.json`, else one `YYYY-MM-DD name` per line.
    pub holidays: Vec<PathBuf>,
    /// Weekdays on which the service is closed.
    pub closures: Vec<NaiveDate>,
    /// Closures files: one `YYYY-MM-DD reason` per line
    /// ([`parse_closure_list`](crate::calendar::parse_closure_list)), read
    /// again on every load, so a reload picks up a new closure.
    pub closure_files: Vec<PathBuf>,
    /// The division every procedure counts in, if one is fixed.
    pub region: Option<Region>,
}

/// Why the sources could not be loaded. Messages name the file, escaped.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A holidays file could not be read.
    #[error("cannot read holidays file '{file}': {message}")]
    UnreadableHolidays {
        /// The file, escaped.
        file: String,
        /// The operating system's reason.
        message: String,
    },
    /// A closures file could not be read.
    #[error("cannot read closures file '{file}': {message}")]
    UnreadableClosures {
        /// The file, escaped.
        file: String,
        /// The operating system's reason.
        message: String,
    },
    /// A holidays file, or the calendar built from the holidays and closures,
    /// was refused.
    #[error("{0}")]
    Calendar(#[from] CalendarError),
    /// The calendar could not be built from the holidays and closures.
    #[error("cannot build the calendar: {0}")]
    Build(#[source] CalendarError),
    /// A ladder file was refused.
    #[error("{0}")]
    Ladder(#[from] Box<LadderError>),
    /// Two ladder files give the same id.
    #[error("{file}: ladder '{}' is already given by {first}", Escaped(.id))]
    DuplicateLadder {
        /// The second file, escaped.
        file: String,
        /// The ladder's id.
        id: String,
        /// The first file, escaped.
        first: String,
    },
}

impl SourceError {
    /// The error's stable code, as [`ErrorDocument`](crate::contract::ErrorDocument)
    /// gives it (a calendar's or a ladder's own code where one of them refused);
    /// codes are listed in docs/errors.md and never change meaning.
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::UnreadableHolidays { .. } => "sources.unreadable-holidays",
            SourceError::UnreadableClosures { .. } => "sources.unreadable-closures",
            SourceError::Calendar(e) | SourceError::Build(e) => e.code(),
            SourceError::Ladder(e) => e.code(),
            SourceError::DuplicateLadder { .. } => "sources.duplicate-ladder",
        }
    }
}

impl From<LadderError> for SourceError {
    fn from(e: LadderError) -> SourceError {
        SourceError::Ladder(Box::new(e))
    }
}

/// A council's own procedures, each with the name of the file (or text) it
/// was read from, in order: refused when two give the same id, since which
/// one a case ran on would depend on the order they were given in. What
/// [`Sources::setup`] checks its ladder files with, and what a door that
/// takes procedures as text (the Python package) checks them with.
///
/// # Errors
///
/// [`SourceError::DuplicateLadder`] naming the second and the first.
///
/// # Example
///
/// ```
/// use escalation_ladder::ladder::Procedure;
/// use escalation_ladder::sources::distinct_procedures;
///
/// let text = std::fs::read_to_string("examples/data/council-ladder.toml")?;
/// let procedure = Procedure::from_toml_str(&text, "council-ladder.toml")?;
/// let twice = vec![("a.toml".to_string(), procedure.clone()), ("b.toml".to_string(), procedure)];
/// let err = distinct_procedures(twice).unwrap_err();
/// assert!(err.to_string().starts_with("b.toml: ladder 'anytown-iro-escalation' is already given by a.toml"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn distinct_procedures(
    named: impl IntoIterator<Item = (String, Procedure)>,
) -> Result<Vec<Procedure>, SourceError> {
    let mut procedures: Vec<Procedure> = Vec::new();
    let mut added: Vec<(String, String)> = Vec::new();
    for (name, procedure) in named {
        if let Some((_, first)) = added.iter().find(|(id, _)| id == procedure.id()) {
            return Err(SourceError::DuplicateLadder {
                file: name,
                id: procedure.id().to_string(),
                first: first.clone(),
            });
        }
        added.push((procedure.id().to_string(), name));
        procedures.push(procedure);
    }
    Ok(procedures)
}

/// A file's name for messages: its path, [escaped](crate::escape).
pub fn label(path: &Path) -> String {
    escape(&path.display().to_string()).into_owned()
}

impl Sources {
    /// Reads the files into a [`Setup`]: each ladder file's procedure, each
    /// holidays file's text (a GOV.UK feed if its name ends in `.json`), each
    /// closure with [`CLOSURE_REASON`], then each closures file's days with
    /// their reasons.
    ///
    /// # Errors
    ///
    /// A file that cannot be read; a ladder file that is not a valid
    /// procedure; two files with one id.
    pub fn setup(&self) -> Result<Setup, SourceError> {
        let mut named = Vec::with_capacity(self.ladder_files.len());
        for path in &self.ladder_files {
            named.push((label(path), Procedure::from_path(path)?));
        }
        let procedures = distinct_procedures(named)?;
        let mut holidays = Vec::new();
        for path in &self.holidays {
            let name = label(path);
            let text =
                std::fs::read_to_string(path).map_err(|e| SourceError::UnreadableHolidays {
                    file: name.clone(),
                    message: e.to_string(),
                })?;
            let is_json = path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
            holidays.push(match is_json {
                true => HolidaySource::GovukJson { name, text },
                false => HolidaySource::List { name, text },
            });
        }
        let mut closures: Vec<Closure> = self
            .closures
            .iter()
            .map(|&date| Closure {
                date,
                reason: CLOSURE_REASON.to_string(),
            })
            .collect();
        for path in &self.closure_files {
            let name = label(path);
            let text =
                std::fs::read_to_string(path).map_err(|e| SourceError::UnreadableClosures {
                    file: name.clone(),
                    message: e.to_string(),
                })?;
            for (date, reason) in parse_closure_list(&text, &name)? {
                closures.push(Closure {
                    date,
                    reason: reason.unwrap_or_else(|| CLOSURE_REASON.to_string()),
                });
            }
        }
        Ok(Setup {
            procedures,
            holidays,
            closures,
            region: self.region,
        })
    }

    /// Reads the files and makes the [`Registry`], with the warnings of what
    /// changes nothing (a closure on a day that is not a working day).
    ///
    /// # Errors
    ///
    /// The document of [`Sources::setup`]'s error, or [`Registry::new`]'s.
    pub fn registry(&self) -> Result<(Registry, Vec<String>), ErrorDocument> {
        let setup = self.setup().map_err(|e| ErrorDocument::from(&e))?;
        Registry::new(setup)
    }
}

impl From<&SourceError> for ErrorDocument {
    /// A calendar's or a ladder's own document where one of them refused; the
    /// file (and id) otherwise.
    fn from(err: &SourceError) -> ErrorDocument {
        let mut doc = match err {
            SourceError::Calendar(e) | SourceError::Build(e) => ErrorDocument::from(e),
            SourceError::Ladder(e) => ErrorDocument::from(&**e),
            SourceError::UnreadableHolidays { file, message }
            | SourceError::UnreadableClosures { file, message } => ErrorDocument::new(
                err.code(),
                String::new(),
                fields(serde_json::json!({"file": file, "reason": message})),
            ),
            SourceError::DuplicateLadder { file, id, first } => ErrorDocument::new(
                err.code(),
                String::new(),
                fields(serde_json::json!({"file": file, "id": id, "first": first})),
            ),
        };
        doc.message = err.to_string();
        doc
    }
}

/// A JSON object's members.
fn fields(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}
