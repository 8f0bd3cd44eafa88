//! The errors of exporting deadlines as iCalendar.

use thiserror::Error;

use crate::calendar::CalendarError;
use crate::escape::Escaped;
use crate::report::ReportError;

/// Why deadlines could not be exported.
///
/// Displayed as one line, lowercase, naming the case and the value refused
/// ([escaped](crate::escape)).
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
        "expected a UID domain of ASCII letters, digits, '.' and '-' (e.g. ics.anytown.gov.uk), found '{}'",
        Escaped(.found)
    )]
    UidDomain {
        /// The domain given.
        found: String,
    },
    /// A case the report module refuses too: on a ladder the procedures do not
    /// have, with events after the as-of date (read cases with
    /// [`CaseReader::events_until`](crate::report::CaseReader::events_until)), or
    /// whose status the engine cannot give. Checked by the same code as the
    /// report's, with the same messages.
    #[error(transparent)]
    Case(#[from] ReportError),
}

impl IcsError {
    /// The error's stable code, as [`ErrorDocument`](crate::contract::ErrorDocument)
    /// gives it (the calendar's or the report's own where one of them
    /// refused); codes are listed in docs/errors.md and never change meaning.
    pub fn code(&self) -> &'static str {
        match self {
            IcsError::AsOf(e) => e.code(),
            IcsError::UidDomain { .. } => "ics.uid-domain",
            IcsError::Case(e) => e.code(),
        }
    }
}
