//! The ladder error type.

use std::fmt;

use thiserror::Error;

use crate::escape::Escaped;

/// Everything that can go wrong loading, validating or looking up a procedure.
///
/// Every variant says where the problem is (file, line, stage, field), what was
/// expected and what was found. Messages are one line, lowercase with no
/// trailing period, ready to be embedded in a larger message; the file name and
/// every value from the file are displayed [escaped](crate::escape).
///
/// # Example
///
/// ```
/// use escalation_ladder::ladder::{LadderError, Procedure};
///
/// let err = Procedure::from_toml_str("kind = \"ladder\"\nid = [", "x.toml").unwrap_err();
/// assert!(matches!(err, LadderError::Toml { line: 2, .. }));
/// assert!(err.to_string().starts_with("x.toml:2:"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LadderError {
    /// The text is not valid TOML, or it does not fit the schema: an unknown
    /// field, a missing field or a value of the wrong type.
    #[error("{}:{line}:{column}: {}", Escaped(.file), Escaped(.message))]
    Toml {
        /// The file name or label the caller gave.
        file: String,
        /// The 1-based line of the problem.
        line: usize,
        /// The 1-based column (in characters) of the problem.
        column: usize,
        /// The TOML parser's description of the problem, on one line.
        message: String,
    },
    /// The text is not valid JSON, or it does not fit the schema: an unknown
    /// field, a missing field or a value of the wrong type (a ladder read with
    /// [`Procedure::from_json_str`](super::Procedure::from_json_str)).
    #[error("{}:{line}:{column}: {}", Escaped(.file), Escaped(.message))]
    Json {
        /// The file name or label the caller gave.
        file: String,
        /// The 1-based line of the problem.
        line: usize,
        /// The 1-based column of the problem.
        column: usize,
        /// The JSON parser's description of the problem, without its position.
        message: String,
    },
    /// The file parsed but breaks a rule of the schema (an unknown stage, a
    /// cycle, an absurd window, ...).
    #[error("{}", InvalidDisplay { file, line: *line, stage: stage.as_deref(), field, expected, found })]
    Invalid {
        /// The file name or label the caller gave.
        file: String,
        /// The 1-based line of the offending value, where it could be located:
        /// always `None` for JSON text and for a procedure validated in code
        /// (the locator reads the layout of TOML files).
        line: Option<usize>,
        /// The stage (or milestone) the problem is in, if it is in one.
        stage: Option<String>,
        /// The field, as a path (`next.to`, `roles[2].id`, `ceiling.working_days`).
        field: String,
        /// What was expected.
        expected: String,
        /// What was found, quoted where it is a value.
        found: String,
    },
    /// The file is larger than
    /// [`MAX_LADDER_FILE_BYTES`](crate::input::limits::MAX_LADDER_FILE_BYTES).
    #[error("{}: expected a ladder file of at most {limit} bytes, found {bytes} bytes", Escaped(.file))]
    TooLarge {
        /// The file name or label the caller gave.
        file: String,
        /// The file's size.
        bytes: u64,
        /// The limit.
        limit: usize,
    },
    /// The file could not be read.
    #[error("{}: cannot read the file: {}", Escaped(.file), Escaped(.message))]
    Io {
        /// The path.
        file: String,
        /// The operating system's description of the problem.
        message: String,
    },
    /// The TOML writer refused a procedure (not expected for any procedure the
    /// schema can describe).
    #[error(
        "procedure '{}': cannot write it as TOML: {}",
        Escaped(.id),
        Escaped(.message)
    )]
    Serialize {
        /// The procedure's id.
        id: String,
        /// The TOML writer's description of the problem.
        message: String,
    },
    /// An id that names no built-in procedure of the kind asked for.
    #[error(
        "unknown built-in {} '{}': expected one of {}",
        Escaped(.expected),
        Escaped(.id),
        Escaped(.known)
    )]
    UnknownLadder {
        /// The id asked for.
        id: String,
        /// What kind of procedure was asked for (`procedure` or `ladder`).
        expected: String,
        /// The ids that would have been accepted, comma-separated.
        known: String,
    },
    /// A ladder was asked for by the id of a built-in schedule (a schedule of
    /// milestones runs no alerts).
    #[error(
        "'{}' is a schedule, not a ladder: alerts run on ladders ({})",
        Escaped(.id),
        Escaped(.ladders)
    )]
    IsASchedule {
        /// The schedule's id.
        id: String,
        /// The built-in ladders' ids, comma-separated.
        ladders: String,
    },
}

struct InvalidDisplay<'a> {
    file: &'a str,
    line: Option<usize>,
    stage: Option<&'a str>,
    field: &'a str,
    expected: &'a str,
    found: &'a str,
}

impl fmt::Display for InvalidDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Escaped(self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(stage) = self.stage {
            write!(f, "stage '{}', ", Escaped(stage))?;
        }
        write!(
            f,
            "field '{}': expected {}, found {}",
            Escaped(self.field),
            Escaped(self.expected),
            Escaped(self.found)
        )
    }
}

impl LadderError {
    /// The file name or label the error refers to, if it refers to one.
    pub fn file(&self) -> Option<&str> {
        match self {
            LadderError::Toml { file, .. }
            | LadderError::Json { file, .. }
            | LadderError::Invalid { file, .. }
            | LadderError::Io { file, .. }
            | LadderError::TooLarge { file, .. } => Some(file),
            LadderError::Serialize { .. }
            | LadderError::UnknownLadder { .. }
            | LadderError::IsASchedule { .. } => None,
        }
    }

    /// The 1-based line the error refers to, if known.
    pub fn line(&self) -> Option<usize> {
        match self {
            LadderError::Toml { line, .. } | LadderError::Json { line, .. } => Some(*line),
            LadderError::Invalid { line, .. } => *line,
            LadderError::Io { .. }
            | LadderError::TooLarge { .. }
            | LadderError::Serialize { .. }
            | LadderError::UnknownLadder { .. }
            | LadderError::IsASchedule { .. } => None,
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
///
/// Offsets past the end are clamped to the end; an offset inside a multi-byte
/// character counts that character's bytes as columns.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = match text.get(line_start..offset) {
        Some(s) => s.chars().count() + 1,
        None => offset - line_start + 1,
    };
    (line, column)
}

impl LadderError {
    /// The error's stable code (`ladder.…`), as the JSON error document and
    /// [`ErrorDocument`](crate::contract::ErrorDocument) give it; codes are
    /// listed in docs/errors.md and never change meaning.
    pub fn code(&self) -> &'static str {
        match self {
            LadderError::Toml { .. } => "ladder.toml",
            LadderError::Json { .. } => "ladder.json",
            LadderError::Invalid { .. } => "ladder.invalid",
            LadderError::TooLarge { .. } => "ladder.too-large",
            LadderError::Io { .. } => "ladder.io",
            LadderError::Serialize { .. } => "ladder.serialize",
            LadderError::UnknownLadder { .. } => "ladder.unknown",
            LadderError::IsASchedule { .. } => "ladder.is-a-schedule",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 3), (2, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab\ncd", 99), (2, 3));
        assert_eq!(line_column("é\né", 5), (2, 2));
        // Inside a multi-byte character: no panic.
        assert_eq!(line_column("é", 1), (1, 2));
    }

    #[test]
    fn invalid_message_names_where() {
        let err = LadderError::Invalid {
            file: "ladders/x.toml".into(),
            line: Some(42),
            stage: Some("stage-2".into()),
            field: "next.to".into(),
            expected: "the id of a stage in this ladder".into(),
            found: "'stage-9'".into(),
        };
        assert_eq!(
            err.to_string(),
            "ladders/x.toml:42: stage 'stage-2', field 'next.to': expected the id of a stage in this ladder, found 'stage-9'"
        );
        let err = LadderError::Invalid {
            file: "x".into(),
            line: None,
            stage: None,
            field: "stages".into(),
            expected: "at least one stage".into(),
            found: "none".into(),
        };
        assert_eq!(
            err.to_string(),
            "x: field 'stages': expected at least one stage, found none"
        );
    }
}
