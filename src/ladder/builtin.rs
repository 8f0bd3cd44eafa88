//! The built-in procedures, written from the five source documents.
//!
//! Each is a TOML file in the crate's `ladders/` directory, embedded at compile
//! time and parsed (and validated) on every call: there is no global state. A
//! built-in that fails to load is a bug, caught by the crate's tests.
//!
//! # Example
//!
//! ```
//! use escalation_ladder::ladder::builtin;
//!
//! for id in builtin::IDS {
//!     let procedure = builtin::procedure(id)?;
//!     assert_eq!(procedure.id(), *id);
//! }
//! assert!(builtin::ladder("nottinghamshire-inspection").is_err()); // a schedule
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{Ladder, LadderError, Procedure};

/// The ids of the built-in procedures, in the order of their source documents.
pub const IDS: &[&str] = &[
    "nottingham-provider-concerns",
    "iro-dispute-resolution",
    "lac-review-decisions",
    "cp-conference-concerns",
    "chair-performance-concerns",
    "nottinghamshire-inspection",
    "oxfordshire-resolution-escalation",
    "birmingham-cp-notification",
];

/// (id, file label, TOML text) of each built-in, in the order of [`IDS`].
const SOURCES: &[(&str, &str, &str)] = &[
    (
        "nottingham-provider-concerns",
        "ladders/nottingham-provider-concerns.toml",
        include_str!("../../ladders/nottingham-provider-concerns.toml"),
    ),
    (
        "iro-dispute-resolution",
        "ladders/iro-dispute-resolution.toml",
        include_str!("../../ladders/iro-dispute-resolution.toml"),
    ),
    (
        "lac-review-decisions",
        "ladders/lac-review-decisions.toml",
        include_str!("../../ladders/lac-review-decisions.toml"),
    ),
    (
        "cp-conference-concerns",
        "ladders/cp-conference-concerns.toml",
        include_str!("../../ladders/cp-conference-concerns.toml"),
    ),
    (
        "chair-performance-concerns",
        "ladders/chair-performance-concerns.toml",
        include_str!("../../ladders/chair-performance-concerns.toml"),
    ),
    (
        "nottinghamshire-inspection",
        "ladders/nottinghamshire-inspection.toml",
        include_str!("../../ladders/nottinghamshire-inspection.toml"),
    ),
    (
        "oxfordshire-resolution-escalation",
        "ladders/oxfordshire-resolution-escalation.toml",
        include_str!("../../ladders/oxfordshire-resolution-escalation.toml"),
    ),
    (
        "birmingham-cp-notification",
        "ladders/birmingham-cp-notification.toml",
        include_str!("../../ladders/birmingham-cp-notification.toml"),
    ),
];

fn unknown(id: &str, expected: &str, ids: &[&str]) -> LadderError {
    LadderError::UnknownLadder {
        id: id.to_string(),
        expected: expected.to_string(),
        known: ids.join(", "),
    }
}

/// The TOML text of a built-in procedure, as embedded.
pub fn source(id: &str) -> Option<&'static str> {
    SOURCES
        .iter()
        .find(|(i, _, _)| *i == id)
        .map(|(_, _, t)| *t)
}

/// Every built-in procedure, loaded, in the order of [`IDS`], or the first
/// loading error (which would be a bug in the crate).
///
/// # Errors
///
/// The [`LadderError`] of the first built-in file that fails to load.
pub fn try_procedures() -> Result<Vec<Procedure>, LadderError> {
    SOURCES
        .iter()
        .map(|(_, file, text)| Procedure::from_toml_str(text, file))
        .collect()
}

/// Every built-in procedure, loaded, in the order of [`IDS`].
///
/// A built-in that failed to load would be left out rather than panic; the
/// crate's tests check that none does (see [`try_procedures`]).
pub fn procedures() -> Vec<Procedure> {
    SOURCES
        .iter()
        .filter_map(|(_, file, text)| Procedure::from_toml_str(text, file).ok())
        .collect()
}

/// The built-in procedure with this id.
///
/// # Errors
///
/// [`LadderError::UnknownLadder`] if no built-in has this id.
pub fn procedure(id: &str) -> Result<Procedure, LadderError> {
    let (_, file, text) = SOURCES
        .iter()
        .find(|(i, _, _)| *i == id)
        .ok_or_else(|| unknown(id, "procedure", IDS))?;
    Procedure::from_toml_str(text, file)
}

/// The built-in ladder with this id.
///
/// # Errors
///
/// [`LadderError::UnknownLadder`] if no built-in procedure has this id;
/// [`LadderError::IsASchedule`] for the id of a built-in *schedule*:
///
/// ```
/// use escalation_ladder::ladder::builtin;
///
/// let err = builtin::ladder("nottinghamshire-inspection").unwrap_err();
/// assert!(err.to_string().starts_with(
///     "'nottinghamshire-inspection' is a schedule, not a ladder"));
/// // builtin::procedure loads it.
/// assert!(builtin::procedure("nottinghamshire-inspection").is_ok());
/// ```
pub fn ladder(id: &str) -> Result<Ladder, LadderError> {
    let ladder_ids = || -> Vec<String> {
        procedures()
            .into_iter()
            .filter_map(|p| p.as_ladder().map(|l| l.id.to_string()))
            .collect()
    };
    match procedure(id) {
        Ok(Procedure::Ladder(l)) => Ok(l),
        Ok(Procedure::Schedule(s)) => Err(LadderError::IsASchedule {
            id: s.id.to_string(),
            ladders: ladder_ids().join(", "),
        }),
        Err(LadderError::UnknownLadder { .. }) => {
            let ids = ladder_ids();
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            Err(unknown(id, "ladder", &ids))
        }
        Err(e) => Err(e),
    }
}

/// The whole of `docs/ladders.md`: a short header, then every built-in
/// procedure's [`Procedure::to_markdown`] in the order of [`IDS`].
///
/// The crate's tests check that the file equals this text; run them with
/// `UPDATE_LADDER_DOCS=1` to rewrite the file.
pub fn docs_markdown() -> String {
    let mut out = String::from(
        "# Built-in procedures\n\n\
         <!-- Generated from ladders/*.toml by `escalation_ladder::ladder::builtin::docs_markdown`.\n     \
         Do not edit by hand: run `UPDATE_LADDER_DOCS=1 cargo test --test ladders docs` to regenerate. -->\n\n\
         Every rule below quotes the sentence of its source document (*source*) or says why it\n\
         had to be assumed (*assumption*). Each procedure ends with its list of assumptions:\n\
         those are the rules a council should confirm or change.\n\n",
    );
    for (i, p) in procedures().iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&p.to_markdown());
    }
    out
}
