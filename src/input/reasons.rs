//! What a refusal names, read back from the reader's own words: the field of
//! a date not written `YYYY-MM-DD` and the value found, and the name of an
//! unknown field. The readers of every document word these errors one way
//! (the date readers of [`dates`](super::dates), the event reader, serde's
//! `deny_unknown_fields`), and the error documents carry what they name in
//! their `fields`, so that a case system can show a person which field to
//! fix, and how, without parsing the message itself.

use super::dates::DATE_EXPECTED;

/// Where a case system's own data goes, as a refusal of an unknown field
/// says it: events and case records take a `meta` object, kept and never
/// read.
pub const META_HINT: &str = "a case system's own data goes in \"meta\"";

/// The field and the value of a date error the crate's date reader wrote
/// (`"on": expected a date YYYY-MM-DD, found "21/12/2026" at line 1 column
/// 9`), wherever it is in `detail`.
pub(crate) fn date_error(detail: &str) -> Option<(String, String)> {
    let (before, after) = detail.split_once(&format!("\": {DATE_EXPECTED}, found "))?;
    let field = &before[before.rfind('"')? + 1..];
    let value = match after
        .rfind(" at line ")
        .or_else(|| after.rfind(" at column "))
    {
        Some(at) => &after[..at],
        None => after,
    };
    let found: String = serde_json::from_str(value).unwrap_or_else(|_| value.to_string());
    Some((field.to_string(), found))
}

/// The name of an unknown field, and what was expected instead, from an
/// error of the event reader (`unknown field "note" for a "respond" event,
/// expected one of "on", …`) or of serde (`` unknown field `note`, expected
/// one of `case`, … ``).
pub(crate) fn unknown_field(detail: &str) -> Option<(String, String)> {
    let rest = &detail[detail.find("unknown field ")? + "unknown field ".len()..];
    let (field, rest) = match rest.as_bytes().first()? {
        b'`' => {
            let end = rest[1..].find('`')? + 1;
            (rest[1..end].to_string(), &rest[end + 1..])
        }
        b'"' => {
            // JSON-quoted by the event reader: read it back as JSON.
            let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<String>();
            let field = stream.next()?.ok()?;
            (field, &rest[stream.byte_offset()..])
        }
        _ => return None,
    };
    let expected = rest
        .split_once("expected ")
        .map(|(_, expected)| {
            let end = [";", " at line ", " at column "]
                .iter()
                .filter_map(|stop| expected.find(stop))
                .min()
                .unwrap_or(expected.len());
            expected[..end].to_string()
        })
        .unwrap_or_default();
    Some((field, expected))
}

/// Puts what a reading error names into an error document's fields: for a
/// date not written `YYYY-MM-DD`, the `field`, the `expected` format and the
/// value `found`; for an unknown field, the `field` and what was `expected`
/// instead.
pub(crate) fn name_the_field(
    fields: &mut serde_json::Map<String, serde_json::Value>,
    detail: &str,
) {
    if let Some((field, found)) = date_error(detail) {
        fields.insert("field".into(), field.into());
        fields.insert("expected".into(), DATE_EXPECTED.into());
        fields.insert("found".into(), found.into());
    } else if let Some((field, expected)) = unknown_field(detail) {
        fields.insert("field".into(), field.into());
        fields.insert("expected".into(), expected.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_error_names_its_field_and_value() {
        let detail = r#"expected a case record: "on": expected a date YYYY-MM-DD, found "21/12/2026" at column 48"#;
        assert_eq!(date_error(detail), Some(("on".into(), "21/12/2026".into())));
        let detail = r#""as_of": expected a date YYYY-MM-DD, found "2026-1-5" at line 1 column 12"#;
        assert_eq!(
            date_error(detail),
            Some(("as_of".into(), "2026-1-5".into()))
        );
        assert_eq!(date_error("missing field `on`"), None);
    }

    #[test]
    fn an_unknown_field_names_itself_and_what_was_expected() {
        let serde =
            "unknown field `exported_by`, expected one of `case`, `ladder` at line 1 column 20";
        assert_eq!(
            unknown_field(serde),
            Some(("exported_by".into(), "one of `case`, `ladder`".into()))
        );
        let event = r#"unknown field "case\"Note" for a "respond" event, expected one of "on", "outcome"; a case system's own data goes in "meta" at line 1 column 9"#;
        assert_eq!(
            unknown_field(event),
            Some(("case\"Note".into(), r#"one of "on", "outcome""#.into()))
        );
        assert_eq!(unknown_field("missing field `on`"), None);
    }
}
