//! Finding the line of a value in a procedure's TOML text, for error messages.
//!
//! The schema types are deserialized without spans, so a semantic error (an
//! unknown stage, a cycle) is located afterwards by searching the text: first
//! the table that holds the offending element (`[[stages]]` with
//! `id = "stage-2"`), then the key or value inside it. This is a heuristic that
//! understands the layout of hand-written and generated files; when it finds
//! nothing the error simply carries no line.

/// What to look for inside the element.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Needle<'a> {
    /// A key (`count`), written `count = ...`, `count.x = ...` or as the last
    /// component of a table header (`[stages.window]`).
    Key(&'a str),
    /// A quoted string value (`"stage-9"`).
    Value(&'a str),
}

/// Where the element is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place<'a> {
    /// The array or table name (`stages`, `roles`, `ceiling`); `None` for the
    /// top level of the document.
    pub section: Option<&'a str>,
    /// The element's `id`, for arrays of tables.
    pub id: Option<&'a str>,
    /// Which element with that id (0 for the first, 1 for a duplicate).
    pub occurrence: usize,
}

impl<'a> Place<'a> {
    /// The top level of the document.
    pub(crate) const TOP: Place<'static> = Place {
        section: None,
        id: None,
        occurrence: 0,
    };

    /// A table (`[ceiling]`) or the first element of an array of tables.
    pub(crate) fn table(section: &'a str) -> Self {
        Place {
            section: Some(section),
            id: None,
            occurrence: 0,
        }
    }

    /// The element of an array of tables with this id.
    pub(crate) fn element(section: &'a str, id: &'a str) -> Self {
        Place {
            section: Some(section),
            id: Some(id),
            occurrence: 0,
        }
    }
}

fn header_name(trimmed: &str) -> Option<&str> {
    let inner = if let Some(rest) = trimmed.strip_prefix("[[") {
        rest.split("]]").next()?
    } else {
        trimmed.strip_prefix('[')?.split(']').next()?
    };
    Some(inner.trim())
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Whether `line` assigns `key` (at the start or inside an inline table).
fn has_key(line: &str, key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(pos) = line.get(from..).and_then(|s| s.find(key)) {
        let start = from + pos;
        let end = start + key.len();
        let before_ok = start == 0 || !is_ident_byte(bytes[start - 1]);
        let rest = line.get(end..).unwrap_or("").trim_start();
        let after_ok = rest.starts_with('=') || rest.starts_with('.');
        if before_ok && after_ok {
            return true;
        }
        from = end;
    }
    false
}

fn matches(line: &str, needle: Needle<'_>) -> bool {
    let trimmed = line.trim();
    match needle {
        Needle::Key(key) => {
            if trimmed.starts_with('[') {
                header_name(trimmed)
                    .and_then(|name| name.rsplit('.').next())
                    .is_some_and(|last| last.trim() == key)
            } else {
                has_key(trimmed, key)
            }
        }
        Needle::Value(value) => trimmed.contains(&format!("\"{value}\"")),
    }
}

fn is_id_line(line: &str, id: &str) -> bool {
    let trimmed = line.trim();
    trimmed
        .strip_prefix("id")
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix('='))
        .is_some_and(|rest| {
            let value = rest.trim();
            value == format!("\"{id}\"") || value == format!("'{id}'")
        })
}

/// The 1-based line of the first needle found in the place, or of the place
/// itself when no needle is found; `None` when the place is not found.
pub(crate) fn locate(text: &str, place: Place<'_>, needles: &[Needle<'_>]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    // Ranges (start, end) of candidate elements, as line indices.
    let mut elements: Vec<(usize, usize)> = Vec::new();
    match place.section {
        None => {
            let end = lines
                .iter()
                .position(|l| l.trim_start().starts_with('['))
                .unwrap_or(lines.len());
            elements.push((0, end));
        }
        Some(section) => {
            let mut current: Option<usize> = None;
            let nested = format!("{section}.");
            for (i, line) in lines.iter().enumerate() {
                let trimmed = line.trim();
                if !trimmed.starts_with('[') {
                    continue;
                }
                let Some(name) = header_name(trimmed) else {
                    continue;
                };
                if name == section {
                    if let Some(start) = current.take() {
                        elements.push((start, i));
                    }
                    current = Some(i);
                } else if !name.starts_with(&nested) {
                    if let Some(start) = current.take() {
                        elements.push((start, i));
                    }
                }
            }
            if let Some(start) = current {
                elements.push((start, lines.len()));
            }
            if elements.is_empty() {
                // An inline table or array at the top level: `ceiling = { ... }`.
                let top_end = lines
                    .iter()
                    .position(|l| l.trim_start().starts_with('['))
                    .unwrap_or(lines.len());
                let start = lines[..top_end]
                    .iter()
                    .position(|l| has_key(l.trim(), section))?;
                return Some(start + 1);
            }
        }
    }
    let (start, end) = match place.id {
        None => *elements.first()?,
        Some(id) => {
            let mut seen = 0;
            let mut found = None;
            for &(s, e) in &elements {
                if let Some(offset) = lines[s..e].iter().position(|l| is_id_line(l, id)) {
                    if seen == place.occurrence {
                        found = Some((s + offset, e));
                        break;
                    }
                    seen += 1;
                }
            }
            found?
        }
    };
    for needle in needles {
        if let Some(offset) = lines[start..end].iter().position(|l| matches(l, *needle)) {
            return Some(start + offset + 1);
        }
    }
    Some(start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"kind = "ladder"
id = "x"

[ceiling]
working_days = 20

[[stages]]
id = "a"
next = { to = "b", provenance = { source = "s" } }

[stages.window]
unit = "working-days"
count = 0

[[stages]]
id = "b"
raised_by = "nobody"

[[stages]]
id = "a"
"#;

    #[test]
    fn finds_values_and_keys_inside_elements() {
        let a = Place::element("stages", "a");
        assert_eq!(locate(TEXT, a, &[Needle::Value("b")]), Some(9));
        assert_eq!(locate(TEXT, a, &[Needle::Key("count")]), Some(13));
        assert_eq!(locate(TEXT, a, &[Needle::Key("window")]), Some(11));
        assert_eq!(locate(TEXT, a, &[Needle::Key("missing")]), Some(8));
        let dup = Place { occurrence: 1, ..a };
        assert_eq!(locate(TEXT, dup, &[]), Some(20));
        let b = Place::element("stages", "b");
        assert_eq!(locate(TEXT, b, &[Needle::Value("nobody")]), Some(17));
        assert_eq!(
            locate(
                TEXT,
                Place::table("ceiling"),
                &[Needle::Key("working_days")]
            ),
            Some(5)
        );
        assert_eq!(locate(TEXT, Place::TOP, &[Needle::Key("id")]), Some(2));
        assert_eq!(locate(TEXT, Place::element("stages", "zz"), &[]), None);
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "",
            "[",
            "[[",
            "[[stages",
            "id =",
            "\u{e9}[[\u{e9}]]",
            "a.b = 1",
        ] {
            let _ = locate(text, Place::element("stages", "a"), &[Needle::Key("x")]);
            let _ = locate(text, Place::table("ceiling"), &[Needle::Value("x")]);
            let _ = locate(text, Place::TOP, &[Needle::Key("")]);
        }
    }
}
