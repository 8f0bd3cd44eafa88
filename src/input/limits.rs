//! How much one input may hold. Each limit is far above what a real procedure
//! or case system needs, and low enough that one hostile or broken record
//! cannot stall a nightly report or exhaust memory: the work per record is
//! bounded by these numbers, not by what the record claims.
//!
//! An input over a limit is refused with an error that names the limit.
//!
//! # Example
//!
//! ```
//! use escalation_ladder::input::limits;
//!
//! // A cases-file line holds a whole record; its events fit well inside it.
//! assert!(limits::MAX_EVENTS_PER_CASE * 100 <= limits::MAX_LINE_BYTES);
//! ```

/// The most bytes in one line of a cases file (JSON Lines): 1 MiB.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The most events in one case's record: 10,000 (an alert has a handful; a
/// record with more is an export gone wrong).
pub const MAX_EVENTS_PER_CASE: usize = 10_000;

/// The most event ids one alert keeps: 1,000. A state keeps the id of every
/// event it applied that carried one, so that a re-delivery is recognised
/// however far back the first delivery was
/// ([`AlertState::event_ids`](crate::engine::AlertState::event_ids)); an
/// event with a new id is refused once the alert holds this many
/// (`refused.event-id-limit`), and a re-delivery of one it holds is still
/// recognised. An alert has a handful of events; events without ids are not
/// counted.
pub const MAX_EVENT_IDS: usize = 1_000;

/// The most bytes in an id or a name: a case, child, team, worker or actor; a
/// ladder, stage, category, outcome, referral, step or duty id. 256 bytes.
pub const MAX_NAME_BYTES: usize = 256;

/// The most bytes in a free text: an event's reason or a resolution's outcome
/// in words, a ladder's titles and provenance sentences. 10,000 bytes.
pub const MAX_TEXT_BYTES: usize = 10_000;

/// The most bytes in a ladder file (TOML or JSON): 1 MiB. The largest built-in
/// ladder is under 40 KiB.
pub const MAX_LADDER_FILE_BYTES: usize = 1 << 20;

/// The most stages in one ladder: 100.
pub const MAX_STAGES: usize = 100;

/// The most entries in any other list of a ladder (categories, referrals,
/// duties, omissions; a stage's outcomes and steps; a schedule's milestones):
/// 1,000.
pub const MAX_LIST_ITEMS: usize = 1_000;

/// Checks a text against a byte limit: `Err` names the field, the size and
/// the limit.
///
/// # Example
///
/// ```
/// use escalation_ladder::input::limits::{check_length, MAX_NAME_BYTES};
///
/// assert!(check_length("stage", "team-manager", MAX_NAME_BYTES).is_ok());
/// let long = "x".repeat(300);
/// assert_eq!(
///     check_length("stage", &long, MAX_NAME_BYTES).unwrap_err(),
///     "\"stage\": 300 bytes, over the limit of 256"
/// );
/// ```
///
/// # Errors
///
/// The message for a text longer than `limit` bytes.
pub fn check_length(field: &str, text: &str, limit: usize) -> Result<(), String> {
    if text.len() > limit {
        Err(format!(
            "\"{field}\": {} bytes, over the limit of {limit}",
            text.len()
        ))
    } else {
        Ok(())
    }
}
