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
//!   (``[`Event`](crate::engine::Event)`` becomes `` `Event` ``) and their
//!   Rust sections (`# Example` and what follows).

use serde_json::{json, Map, Value};

/// Components a caller writes: their `required` lists stay as read.
const WRITTEN_BY_CALLERS: &[&str] = &[
    "ApplyRequest",
    "AsOfRequest",
    "RecomputeRequest",
    "ReplayRequest",
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
                *text = unlink(words.trim_end());
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
