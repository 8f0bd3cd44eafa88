//! What kind of failure an error is, whatever door it came through: the one
//! table that gives an error code its HTTP status and the command line its
//! exit status, so that the two always agree.

/// What kind of failure an [`ErrorDocument`](super::ErrorDocument) is. Every
/// door answers a class the same way: the HTTP service with
/// [`http_status`](ErrorClass::http_status), the `ladder` command with
/// [`exit_code`](ErrorClass::exit_code); the C ABI returns the document and
/// leaves the class to the caller (`ErrorClass::of(code)`).
///
/// # Example
///
/// ```
/// use escalation_ladder::contract::ErrorClass;
///
/// assert_eq!(ErrorClass::of("state.version-conflict"), ErrorClass::Conflict);
/// assert_eq!(ErrorClass::of("refused.time-acted").http_status(), 422);
/// assert_eq!(ErrorClass::of("refused.time-acted").exit_code(), 4);
/// assert_eq!(ErrorClass::of("calendar.out-of-range").exit_code(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The input cannot be used as it is: malformed, out of range, a state of
    /// another ladder or release. HTTP 400, exit 1.
    Invalid,
    /// An unknown ladder or path. HTTP 404, exit 1.
    NotFound,
    /// The stored state is not at the version the caller read: read it again
    /// and retry. HTTP 409, exit 3.
    Conflict,
    /// Well-formed, but the procedure does not allow it: a refused event, a
    /// state to recompute first, a trail that does not match, a procedure file
    /// that breaks the schema. HTTP 422, exit 4.
    Refused,
    /// The input is larger than accepted. HTTP 413, exit 1.
    TooLarge,
    /// The path exists, but not for this method. HTTP 405, exit 1.
    MethodNotAllowed,
    /// Not answered in time, or not ready. HTTP 503, exit 5.
    Unavailable,
    /// No credentials, or credentials not known. HTTP 401, exit 1.
    Unauthorized,
    /// Credentials known, but not allowed this. HTTP 403, exit 1.
    Forbidden,
    /// A body of a media type the endpoint does not read. HTTP 415, exit 1.
    UnsupportedMediaType,
    /// The client did not send its request in time. HTTP 408, exit 1.
    RequestTimeout,
    /// A bug in the crate (a panic), or a reload that failed. HTTP 500, exit 5.
    Internal,
}

impl ErrorClass {
    /// The class of an error code (docs/errors.md lists every code with its
    /// class).
    pub fn of(code: &str) -> ErrorClass {
        match code {
            "state.version-conflict" => ErrorClass::Conflict,
            "ladder.unknown" | "http.not-found" => ErrorClass::NotFound,
            "http.body-too-large" => ErrorClass::TooLarge,
            "http.method-not-allowed" => ErrorClass::MethodNotAllowed,
            "http.timeout" => ErrorClass::Unavailable,
            "http.unauthorized" => ErrorClass::Unauthorized,
            "http.forbidden" => ErrorClass::Forbidden,
            "http.unsupported-media-type" => ErrorClass::UnsupportedMediaType,
            "http.header-timeout" | "http.body-timeout" => ErrorClass::RequestTimeout,
            "http.panic" | "ffi.panic" | "python.panic" | "http.reload-failed"
            | "internal.write" | "internal.render" => ErrorClass::Internal,
            "state.calendar-changed"
            | "state.ladder-changed"
            | "state.events-exhausted"
            | "ladder.invalid"
            | "ladder.toml"
            | "ladder.json"
            | "ladder.too-large" => ErrorClass::Refused,
            _ if code.starts_with("refused.")
                || code.starts_with("trail.")
                || code.starts_with("correction.") =>
            {
                ErrorClass::Refused
            }
            _ => ErrorClass::Invalid,
        }
    }

    /// The HTTP status the service answers this class with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorClass::Invalid => 400,
            ErrorClass::NotFound => 404,
            ErrorClass::Conflict => 409,
            ErrorClass::Refused => 422,
            ErrorClass::TooLarge => 413,
            ErrorClass::MethodNotAllowed => 405,
            ErrorClass::Unavailable => 503,
            ErrorClass::Unauthorized => 401,
            ErrorClass::Forbidden => 403,
            ErrorClass::UnsupportedMediaType => 415,
            ErrorClass::RequestTimeout => 408,
            ErrorClass::Internal => 500,
        }
    }

    /// The exit status of the `ladder` command for this class (2 is kept for
    /// bad usage: an unknown option, a missing argument).
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorClass::Conflict => 3,
            ErrorClass::Refused => 4,
            ErrorClass::Unavailable | ErrorClass::Internal => 5,
            _ => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_give_statuses_and_exit_codes() {
        let cases = [
            ("refused.no-next-stage", 422, 4),
            ("trail.calendar-mismatch", 422, 4),
            ("correction.no-such-event", 422, 4),
            ("state.calendar-changed", 422, 4),
            ("state.wrong-ladder", 400, 1),
            ("state.version-conflict", 409, 3),
            ("ladder.unknown", 404, 1),
            ("ladder.invalid", 422, 4),
            ("request.malformed-json", 400, 1),
            ("http.body-too-large", 413, 1),
            ("ffi.panic", 500, 5),
            ("python.panic", 500, 5),
            ("http.unauthorized", 401, 1),
            ("http.forbidden", 403, 1),
            ("http.unsupported-media-type", 415, 1),
            ("http.header-timeout", 408, 1),
            ("http.body-timeout", 408, 1),
        ];
        for (code, status, exit) in cases {
            let class = ErrorClass::of(code);
            assert_eq!(
                (class.http_status(), class.exit_code()),
                (status, exit),
                "{code}"
            );
        }
    }
}
