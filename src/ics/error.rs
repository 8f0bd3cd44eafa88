//! The errors of exporting deadlines as iCalendar.

use chrono::NaiveDate;
use thiserror::Error;

use crate::calendar::CalendarError;
use crate::engine::EngineError;

/// Why deadlines could not be exported.
///
/// Displayed as one line, lowercase, naming the case and the value refused.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use escalation_ladder::ics::{DeadlineCalendar, IcsError, IcsOptions};
///
/// let mut options = IcsOptions::default();
/// options.uid_domain = "anytown council".to_string();
/// let as_of = NaiveDate::from_ymd_opt(2026, 12, 29).unwrap();
/// let err = DeadlineCalendar::new(as_of, options).unwrap_err();
/// assert!(matches!(err, IcsError::UidDomain { .. }));
/// assert_eq!(
///     err.to_string(),
///     "expected a UID domain of ASCII letters, digits, '.' and '-' (e.g. ics.anytown.gov.uk), found 'anytown council'",
/// );
/// ```
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum IcsError {
    /// The as-of date is outside the years the calendars cover.
    #[error("as-of date: {0}")]
    AsOf(#[source] CalendarError),
    /// The domain for UIDs is empty or has characters a domain name cannot.
    #[error(
        "expected a UID domain of ASCII letters, digits, '.' and '-' (e.g. ics.anytown.gov.uk), found '{found}'"
    )]
    UidDomain {
        /// The domain given.
        found: String,
    },
    /// A case runs on a ladder the procedures do not have.
    #[error("case '{case}': expected a ladder id ({known}), found '{ladder}'")]
    UnknownLadder {
        /// The case.
        case: String,
        /// Its ladder id.
        ladder: String,
        /// The ladder ids known, comma-separated.
        known: String,
    },
    /// A case has events after the as-of date: its deadlines would mix two
    /// dates. Read cases with
    /// [`CaseReader::events_until`](crate::report::CaseReader::events_until).
    #[error(
        "case '{case}': expected events on or before the as-of date {as_of}, found one on {last_event_on}"
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
    #[error("case '{case}': {source}")]
    Engine {
        /// The case.
        case: String,
        /// The engine's error (boxed: errors are the cold path, and the
        /// engine's error is large).
        #[source]
        source: Box<EngineError>,
    },
    /// A deadline on the last day chrono can represent: the all-day event
    /// would have no end date.
    #[error("case '{case}': expected a deadline with a following day, found {date}")]
    NoFollowingDay {
        /// The case.
        case: String,
        /// The deadline.
        date: NaiveDate,
    },
}
