//! The errors of reading cases, choosing a period and building a report.

use std::fmt;

use chrono::NaiveDate;
use thiserror::Error;

use crate::calendar::CalendarError;
use crate::engine::EngineError;
use crate::escape::Escaped;

/// Why a record of a cases file was refused, with its line and, when known,
/// its case id.
///
/// Displayed as one line: `line 7: case 'IRO-2026-0107': event 2 of 3: …`. The
/// case id and every value quoted from the record are displayed
/// [escaped](crate::escape): a line break in the data prints as `\n`.
///
/// # Example
///
/// ```
/// use escalation_ladder::report::{CaseReader, Procedures, RecordError};
///
/// let procedures = Procedures::builtin()?;
/// let input = "\n{\"case\":\"X-1\",\"ladder\":\"no-such-ladder\",\"events\":[]}\n";
/// let err = CaseReader::new(input.as_bytes(), &procedures).next().unwrap().unwrap_err();
/// assert_eq!(err.line, 2);
/// assert_eq!(err.case.as_deref(), Some("X-1"));
/// assert!(matches!(err.reason, RecordError::UnknownLadder { .. }));
/// assert!(err.to_string().starts_with("line 2: case 'X-1': expected a ladder id"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Error)]
#[error("line {line}: {}{reason}", CaseLabel(case.as_deref()))]
pub struct CaseError {
    /// The 1-based line of the record.
    pub line: usize,
    /// The record's case id, when it could be read.
    pub case: Option<String>,
    /// What is wrong with the record.
    #[source]
    pub reason: RecordError,
}

/// `case 'ID': ` when the id is known, nothing otherwise.
struct CaseLabel<'a>(Option<&'a str>);

impl fmt::Display for CaseLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(case) => write!(f, "case '{}': ", Escaped(case)),
            None => Ok(()),
        }
    }
}

/// A JSON error without serde_json's "at line 1" (a record is one line; the
/// [`CaseError`] names the file's line): "missing field `ladder` at column 32".
/// Escaped: serde_json quotes some values as given (an unknown variant).
struct JsonReason<'a>(&'a serde_json::Error);

impl fmt::Display for JsonReason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        let suffix = format!(" at line {} column {}", self.0.line(), self.0.column());
        // A record's unknown field (serde's words) says where a case
        // system's own data goes, as an event's does.
        let hint = match text.starts_with("unknown field `") {
            true => format!("; {}", crate::input::META_HINT),
            false => String::new(),
        };
        match text.strip_suffix(&suffix) {
            Some(message) if self.0.line() > 0 => {
                write!(
                    f,
                    "{}{hint} at column {}",
                    Escaped(message),
                    self.0.column()
                )
            }
            _ => write!(f, "{}{hint}", Escaped(&text)),
        }
    }
}

/// What is wrong with one case record (without its line: see [`CaseError`]).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The line could not be read from the input.
    #[error("cannot read the line: {}", Escaped(.message))]
    Read {
        /// The reader's description of the problem.
        message: String,
    },
    /// The line is not JSON, or not a case record (a missing or mistyped field,
    /// a malformed event).
    #[error(
        "expected a case record {{\"case\", \"ladder\", \"events\", …}}: {}",
        JsonReason(source)
    )]
    Json {
        /// The JSON parser's description, with the column.
        #[source]
        source: serde_json::Error,
    },
    /// The record names a ladder that is neither built in nor supplied.
    #[error("expected a ladder id ({}), found '{}'", Escaped(.known), Escaped(.ladder))]
    UnknownLadder {
        /// The id given.
        ladder: String,
        /// The ids that would have been accepted, comma-separated.
        known: String,
    },
    /// The record has no events.
    #[error("expected at least one event (the raise), found none")]
    NoEvents,
    /// The engine refused one of the record's events.
    #[error("event {number} of {count}: {source}")]
    Event {
        /// The event's 1-based position in the record's `events`.
        number: usize,
        /// How many events the record has.
        count: usize,
        /// Why the engine refused it (boxed: errors are the cold path, and
        /// the engine's error is large).
        #[source]
        source: Box<EngineError>,
    },
    /// The record has more events than
    /// [`MAX_EVENTS_PER_CASE`](crate::input::limits::MAX_EVENTS_PER_CASE).
    #[error("expected at most {limit} events in one case, found {count}")]
    TooManyEvents {
        /// How many events the record has.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The line is longer than
    /// [`MAX_LINE_BYTES`](crate::input::limits::MAX_LINE_BYTES); it was
    /// skipped unread.
    #[error("expected a line of at most {limit} bytes, found a longer one")]
    LineTooLong {
        /// The limit.
        limit: usize,
    },
    /// A field of the record is longer than its limit (see
    /// [`limits`](crate::input::limits)).
    #[error("{message}")]
    TooLong {
        /// The field, its size and the limit.
        message: String,
    },
    /// Another record of the file already has this case id.
    #[error("expected a case id not used before, found one already used on line {first_line}")]
    DuplicateCase {
        /// The line of the first record with the id.
        first_line: usize,
    },
}

/// Why a period could not be read or placed on the calendar.
///
/// # Example
///
/// ```
/// use escalation_ladder::report::{Period, PeriodError};
///
/// let err = "fortnight".parse::<Period>().unwrap_err();
/// assert!(matches!(err, PeriodError::Unknown { .. }));
/// assert_eq!(
///     err.to_string(),
///     "expected a period: month, quarter, half-year or FROM..TO with dates YYYY-MM-DD, found 'fortnight'",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PeriodError {
    /// The text is none of the period forms.
    #[error(
        "expected a period: month, quarter, half-year or FROM..TO with dates YYYY-MM-DD, found '{}'",
        Escaped(.found)
    )]
    Unknown {
        /// The text given.
        found: String,
    },
    /// A range whose end is before its start.
    #[error("expected a range FROM..TO with FROM on or before TO, found {from}..{to}")]
    Reversed {
        /// The first day given.
        from: NaiveDate,
        /// The last day given.
        to: NaiveDate,
    },
    /// A range that ends after the as-of date: the report cannot see events after it.
    #[error("expected a period ending on or before the as-of date {as_of}, found one ending {to}")]
    EndsAfterAsOf {
        /// The last day of the range.
        to: NaiveDate,
        /// The as-of date.
        as_of: NaiveDate,
    },
    /// No complete period of this kind ends on or before the as-of date within
    /// the dates chrono can represent.
    #[error("no complete {period} ends on or before {as_of}")]
    NoneBefore {
        /// The period's name.
        period: &'static str,
        /// The as-of date.
        as_of: NaiveDate,
    },
}

/// Why a report could not be built.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The period could not be placed before the as-of date.
    #[error(transparent)]
    Period(#[from] PeriodError),
    /// The as-of date is outside a calendar's range.
    #[error("as-of date: {0}")]
    Calendar(#[from] CalendarError),
    /// A case runs on a ladder the procedures do not have.
    #[error(
        "case '{}': expected a ladder id ({}), found '{}'",
        Escaped(.case),
        Escaped(.known),
        Escaped(.ladder)
    )]
    UnknownLadder {
        /// The case.
        case: String,
        /// Its ladder id.
        ladder: String,
        /// The ladder ids known, comma-separated.
        known: String,
    },
    /// A case has events after the as-of date: the report would mix two dates.
    /// Read cases with [`CaseReader::events_until`](super::CaseReader::events_until).
    #[error(
        "case '{}': expected events on or before the as-of date {as_of}, found one on {last_event_on}",
        Escaped(.case)
    )]
    EventsAfterAsOf {
        /// The case.
        case: String,
        /// Its last event's date.
        last_event_on: NaiveDate,
        /// The as-of date.
        as_of: NaiveDate,
    },
    /// The engine could not give a case's status.
    #[error("case '{}': {source}", Escaped(.case))]
    Engine {
        /// The case.
        case: String,
        /// The engine's error (boxed: it is large, and errors are the cold path).
        #[source]
        source: Box<EngineError>,
    },
    /// The output could not be written.
    #[error("cannot write the report: {0}")]
    Write(#[from] std::io::Error),
}

impl ReportError {
    /// The error's stable code, as [`ErrorDocument`](crate::contract::ErrorDocument)
    /// gives it (a calendar's or the engine's own code where one of them
    /// refused); codes are listed in docs/errors.md and never change meaning.
    pub fn code(&self) -> &'static str {
        match self {
            ReportError::Period(_) => "report.period",
            ReportError::Calendar(e) => e.code(),
            ReportError::UnknownLadder { .. } => "record.unknown-ladder",
            ReportError::EventsAfterAsOf { .. } => "report.events-after-as-of",
            ReportError::Engine { source, .. } => source.code(),
            ReportError::Write(_) => "report.write",
        }
    }
}

impl RecordError {
    /// The error's stable code (`record.…`), as the JSON error document and
    /// [`ErrorDocument`](crate::contract::ErrorDocument) give it; codes are
    /// listed in docs/errors.md and never change meaning.
    pub fn code(&self) -> &'static str {
        match self {
            RecordError::Read { .. } => "record.read",
            RecordError::Json { .. } => "record.json",
            RecordError::UnknownLadder { .. } => "record.unknown-ladder",
            RecordError::NoEvents => "record.no-events",
            RecordError::Event { source, .. } => source.code(),
            RecordError::TooManyEvents { .. } => "record.too-many-events",
            RecordError::LineTooLong { .. } => "record.line-too-long",
            RecordError::TooLong { .. } => "record.too-long",
            RecordError::DuplicateCase { .. } => "record.duplicate-case",
        }
    }
}
