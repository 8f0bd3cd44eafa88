//! The OpenAPI document made friendly to client generators
//! (openapi-python-client, openapi-generator): the same shapes as the
//! contract's JSON Schemas, said the way generators read them.
//!
//! - An enum of strings is `enum`, not a `oneOf` of `const`s (generators
//!   made a union of one-value types and refused every value but the
//!   first); each value's description goes into the enum's.
//! - A tagged union (`Event` on `type`, `Effect` on `kind`) is a `oneOf` of
//!   named components (`RaiseEvent`, …), each titled and whole (the shared
//!   fields in each), with a `discriminator` on the tag.
//! - An answer's `required` names every property: the crate writes every
//!   field of every document it answers with (`null` when empty). The
//!   documents a caller writes (requests, events, cases) keep the fields
//!   they may leave out.
//! - Descriptions keep their words and lose Rust's link syntax
//!   (``[`Event`](crate::engine::Event)`` becomes `` `Event` ``), their
//!   Rust sections (`# Example` and what follows), Rust paths (a variant
//!   `` `Region::UnitedKingdom` `` is its JSON value `` `united-kingdom` ``;
//!   `` (`Transition::into_owned`) `` goes) and the sentences about Rust's
//!   memory (borrowing, owning, cloning).

use serde_json::{json, Map, Value};

/// Components a caller writes: their `required` lists stay as read.
const WRITTEN_BY_CALLERS: &[&str] = &[
    "ApplyRequest",
    "AsOfRequest",
    "RecomputeRequest",
    "ReplayRequest",
    "CorrectRequest",
    "Correction",
    "StoredAlert",
    "StoredHistory",
    "Event",
    "CaseRecord",
];

/// Makes `document` (an OpenAPI 3.1 document) friendly to generators.
pub(crate) fn friendly(document: &mut Value) {
    enums(document);
    descriptions(document);
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let names: Vec<String> = schemas.keys().cloned().collect();
    let mut caller_written: Vec<String> =
        WRITTEN_BY_CALLERS.iter().map(|s| s.to_string()).collect();
    for name in &names {
        let variants = tagged_union(schemas, name);
        if WRITTEN_BY_CALLERS.contains(&name.as_str()) {
            caller_written.extend(variants);
        }
    }
    for (name, schema) in schemas.iter_mut() {
        if !caller_written.contains(name) {
            require_everything(schema);
        }
    }
}

/// Every `oneOf` (or `anyOf`) of string `const`s, anywhere: an `enum`.
fn enums(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in ["oneOf", "anyOf"] {
                let Some(Value::Array(items)) = map.get(key) else {
                    continue;
                };
                let consts: Option<Vec<(Value, Option<String>)>> = items
                    .iter()
                    .map(|item| {
                        let item = item.as_object()?;
                        let value = item.get("const").filter(|c| c.is_string())?;
                        let plain = item.keys().all(|k| {
                            ["const", "description", "type", "title"].contains(&k.as_str())
                        });
                        plain.then(|| {
                            let about = item.get("description").and_then(Value::as_str);
                            (value.clone(), about.map(str::to_string))
                        })
                    })
                    .collect();
                let Some(consts) = consts.filter(|c| !c.is_empty()) else {
                    continue;
                };
                map.remove(key);
                let mut about: Vec<String> = map
                    .get("description")
                    .and_then(Value::as_str)
                    .map(|d| vec![d.to_string()])
                    .unwrap_or_default();
                for (value, described) in &consts {
                    if let (Some(value), Some(described)) = (value.as_str(), described) {
                        about.push(format!("- `{value}`: {}", described.replace('\n', " ")));
                    }
                }
                map.insert("type".into(), "string".into());
                map.insert(
                    "enum".into(),
                    Value::Array(consts.into_iter().map(|(v, _)| v).collect()),
                );
                if !about.is_empty() {
                    map.insert("description".into(), about.join("\n").into());
                }
            }
            map.values_mut().for_each(enums);
        }
        Value::Array(items) => items.iter_mut().for_each(enums),
        _ => {}
    }
}

/// Every `description` without Rust's doc links: `[text](target)` is `text`
/// where the target is not a web address.
fn descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(text)) = map.get_mut("description") {
                // Rust docs' sections (`# Example` and its code) are for Rust.
                let words = match text.find("\n# ") {
                    Some(at) => &text[..at],
                    None => text.as_str(),
                };
                *text = unrust(&unlink(words.trim_end()));
            }
            map.values_mut().for_each(descriptions);
        }
        Value::Array(items) => items.iter_mut().for_each(descriptions),
        _ => {}
    }
}

/// `text` with each `[label](target)` whose target is a Rust path written
/// `label`, and each `` [`name`] `` (Rust's intra-doc link) written `` `name` ``.
pub(crate) fn unlink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let label = &after[..close];
        let tail = &after[close + 1..];
        let target_end = tail
            .strip_prefix('(')
            .and_then(|t| t.find(')'))
            .map(|at| at + 1);
        match target_end {
            Some(end) => {
                let target = &tail[1..end];
                if target.starts_with("http") || target.contains(' ') {
                    out.push_str(&rest[open..open + 1 + close + 1 + end + 1]);
                } else {
                    out.push_str(label);
                }
                rest = &tail[end + 1..];
            }
            None => {
                let code = label.len() > 1 && label.starts_with('`') && label.ends_with('`');
                if code {
                    out.push_str(label);
                } else {
                    out.push_str(&rest[open..open + 1 + close + 1]);
                }
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Words that mark a sentence about Rust's memory, not about the JSON.
const RUST_WORDS: &[&str] = &["borrow", "owns", "owned", "clone", "`'"];

/// `text` without Rust: a parenthesis that only names a Rust path goes; a
/// path to a variant (`` `Period::Month` ``) is its JSON value
/// (`` `month` ``); a sentence that still names a path, or speaks of
/// borrowing, owning or cloning, goes, unless every sentence would.
pub(crate) fn unrust(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("`") {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        let code = &after[..close];
        let tail = &after[close + 1..];
        match code.split_once("::") {
            Some((_, member))
                if !member.contains("::")
                    && rest[..open].ends_with('(')
                    && tail.starts_with(')') =>
            {
                // ` (`Type::member`)`: the parenthesis goes, with its space.
                let kept = rest[..open - 1].trim_end_matches(' ');
                out.push_str(kept);
                rest = &tail[1..];
            }
            Some((_, member)) if member.starts_with(|c: char| c.is_ascii_uppercase()) => {
                out.push_str(&rest[..open]);
                out.push('`');
                out.push_str(&kebab(member));
                out.push('`');
                rest = tail;
            }
            _ => {
                out.push_str(&rest[..open + 1 + close + 1]);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    let rusty =
        |sentence: &str| sentence.contains("::") || RUST_WORDS.iter().any(|w| sentence.contains(w));
    let sentences = sentences(&out);
    if sentences.iter().all(|s| rusty(s)) {
        return out;
    }
    let kept: String = sentences.into_iter().filter(|s| !rusty(s)).collect();
    kept.trim_end().to_string()
}

/// `text` cut after each `.` that ends a sentence (a space, a line break or
/// the end after it), each piece with the white space that follows it.
fn sentences(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'.' && bytes.get(at + 1).map_or(true, |b| b.is_ascii_whitespace()) {
            let mut end = at + 1;
            while end < bytes.len() && bytes[end].is_ascii_whitespace() {
                end += 1;
            }
            pieces.push(&text[start..end]);
            start = end;
            at = end;
        } else {
            at += 1;
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// `UnitedKingdom` as serde writes the crate's variants: `united-kingdom`.
fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The tag of a `oneOf` of objects that each give one property a `const`
/// (an `enum` of one value, once [`enums`] has run): its name.
fn tag_of(variants: &[Value]) -> Option<String> {
    let first = variants.first()?.get("properties")?.as_object()?;
    first
        .iter()
        .find(|(name, _)| {
            variants.iter().all(|v| {
                v.pointer(&format!("/properties/{name}"))
                    .is_some_and(|p| one_value(p).is_some())
            })
        })
        .map(|(name, _)| name.clone())
}

/// The one value a property may take (`const`, or an `enum` of one).
fn one_value(property: &Value) -> Option<&str> {
    if let Some(value) = property.get("const") {
        return value.as_str();
    }
    match property.get("enum")?.as_array()?.as_slice() {
        [one] => one.as_str(),
        _ => None,
    }
}

/// `kebab-case` as `PascalCase`.
fn pascal(text: &str) -> String {
    text.split(['-', '_'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Makes the component `name`, if it is a tagged union, a `oneOf` of named
/// variants with a discriminator; the variants' names.
fn tagged_union(schemas: &mut Map<String, Value>, name: &str) -> Vec<String> {
    let Some(schema) = schemas.get(name) else {
        return Vec::new();
    };
    let Some(variants) = schema.get("oneOf").and_then(Value::as_array).cloned() else {
        return Vec::new();
    };
    let Some(tag) = tag_of(&variants) else {
        return Vec::new();
    };
    let shared = schema
        .get("properties")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let shared_required = schema.get("required").cloned().unwrap_or_else(|| json!([]));
    let mut refs = Vec::new();
    let mut mapping = Map::new();
    let mut made = Vec::new();
    for variant in variants {
        let Some(value) = variant
            .pointer(&format!("/properties/{tag}"))
            .and_then(one_value)
            .map(str::to_string)
        else {
            return Vec::new();
        };
        let title = format!("{}{name}", pascal(&value));
        let mut properties = shared.as_object().cloned().unwrap_or_default();
        if let Some(own) = variant.get("properties").and_then(Value::as_object) {
            for (key, property) in own {
                properties.insert(key.clone(), property.clone());
            }
        }
        properties.insert(tag.clone(), json!({"type": "string", "enum": [value]}));
        // The tag first, then the shared fields, then the variant's own.
        let mut required = vec![Value::String(tag.clone())];
        for list in [
            &shared_required,
            variant.get("required").unwrap_or(&Value::Null),
        ] {
            for field in list.as_array().into_iter().flatten() {
                if !required.contains(field) {
                    required.push(field.clone());
                }
            }
        }
        let mut component = json!({
            "title": title,
            "type": "object",
            "properties": properties,
            "required": required,
        });
        if let Some(description) = variant.get("description") {
            component["description"] = description.clone();
        }
        let reference = format!("#/components/schemas/{title}");
        refs.push(json!({"$ref": reference}));
        mapping.insert(value, reference.into());
        made.push((title, component));
    }
    let mut union = json!({
        "oneOf": refs,
        "discriminator": {"propertyName": tag, "mapping": mapping},
    });
    if let Some(description) = schemas[name].get("description") {
        union["description"] = description.clone();
    }
    schemas.insert(name.to_string(), union);
    let names = made.iter().map(|(title, _)| title.clone()).collect();
    for (title, component) in made {
        schemas.insert(title, component);
    }
    names
}

/// Every property of an object schema (and of the objects it holds inline)
/// in its `required` list.
fn require_everything(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(properties)) = map.get("properties") {
        let all: Vec<Value> = properties.keys().cloned().map(Value::String).collect();
        map.insert("required".into(), Value::Array(all));
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(require_everything);
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = map.get_mut(key) {
            require_everything(inner);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            items.iter_mut().for_each(require_everything);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_lose_their_targets() {
        assert_eq!(
            unlink("an [`Event`](crate::engine::Event), see [GOV.UK](https://www.gov.uk)"),
            "an `Event`, see [GOV.UK](https://www.gov.uk)"
        );
        assert_eq!(unlink("[a] and [b](c"), "[a] and [b](c");
        assert_eq!(
            unlink("with [`AlertState::new`], then [`apply`](super::apply) events"),
            "with `AlertState::new`, then `apply` events"
        );
    }

    #[test]
    fn rust_paths_and_memory_go() {
        assert_eq!(
            unrust("The state of one alert. Small and cheap to clone: ids are shared\nstrings.\n\nMake it with `AlertState::new`, then `apply` events."),
            "The state of one alert."
        );
        assert_eq!(
            unrust("not a new line of the trail (`Transition::is_redelivery`)."),
            "not a new line of the trail."
        );
        assert_eq!(
            unrust("Default: `Period::Month`. `Region::UnitedKingdom` is their union."),
            "Default: `month`. `united-kingdom` is their union."
        );
        // Every sentence about Rust: the text stays, without the path.
        assert_eq!(
            unrust("A `Transition` that owns what it holds (`Transition::into_owned`)."),
            "A `Transition` that owns what it holds."
        );
        assert_eq!(unrust("No code: 1. 2."), "No code: 1. 2.");
    }

    #[test]
    fn consts_become_an_enum() {
        let mut schema = json!({"description": "Phase.", "oneOf": [
            {"const": "open", "type": "string", "description": "Open."},
            {"const": "closed", "type": "string"}]});
        enums(&mut schema);
        assert_eq!(schema["enum"], json!(["open", "closed"]));
        assert_eq!(schema["description"], "Phase.\n- `open`: Open.");
        assert!(schema.get("oneOf").is_none());
    }
}
