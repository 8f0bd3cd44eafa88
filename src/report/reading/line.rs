//! One line of a cases file: read within its limit, parsed as a record.

use std::io::BufRead;

use serde::Deserialize;

use super::super::error::{CaseError, RecordError};
use super::record::LineRecord;

/// Parses one line as a record, or the error for its line (see
/// [`fast`](super::fast) for the common shape). serde would also
/// read a struct from a JSON array; a record must be an object.
pub(super) fn parse_line(bytes: &[u8], line: usize) -> Result<LineRecord<'_>, CaseError> {
    // The common shape first; anything else (and every error) is serde's.
    if let Some(record) = super::fast::read_record(bytes) {
        return Ok(record);
    }
    let parsed = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | None => serde_json::from_slice(bytes),
        Some(_) => {
            let found = String::from_utf8_lossy(bytes);
            let found: String = found.trim().chars().take(20).collect();
            Err(serde::de::Error::custom(format!(
                "expected a JSON object, found '{found}'"
            )))
        }
    };
    parsed.map_err(|source| CaseError {
        line,
        case: case_id_of(bytes),
        reason: RecordError::Json { source },
    })
}

/// What [`read_line_within`] found.
pub(crate) enum Line {
    /// A line (with its newline, if it had one) is in the buffer.
    Read,
    /// The input has ended.
    End,
    /// The line was longer than the limit: it was read past and dropped, and the
    /// buffer holds only its start.
    TooLong,
}

/// Reads one line onto the end of `buffer` (which held `start` bytes before
/// it), but never more than `limit` bytes of it: a
/// longer line is consumed to its end without being kept, so one huge line
/// costs time in proportion to its length and no memory.
pub(crate) fn read_line_within(
    input: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    start: usize,
    limit: usize,
) -> std::io::Result<Line> {
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match super::fast::newline(available) {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let used = chunk.len();
        if !too_long {
            if buffer.len() - start + used > limit + 1 {
                too_long = true;
            } else {
                buffer.extend_from_slice(chunk);
            }
        }
        input.consume(used);
        if done {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => Line::End,
        (true, false) => Line::Read,
        (true, true) => Line::TooLong,
    })
}

/// Reads just the case id of a line that failed to load, for its error message.
fn case_id_of(line: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct JustTheId {
        case: String,
    }
    serde_json::from_slice::<JustTheId>(line)
        .ok()
        .map(|r| r.case)
}
