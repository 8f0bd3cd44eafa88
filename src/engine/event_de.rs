//! Reading an [`Event`] from JSON by hand, field by field.
//!
//! serde's derived reader for an internally tagged, flattened enum buffers the
//! whole object before it looks at `type`, and lets each variant decide alone
//! which fields it refuses (`deem-agreed`, a unit variant, dropped them
//! silently). This reader holds every event kind to one rule, in one pass:
//!
//! - `on` and `actor` are required; `type` names the kind and may come anywhere;
//! - `id` (the caller's event id), `meta` (the caller's own object, kept and
//!   never interpreted) and `schema_version` (1 to
//!   [`EVENT_SCHEMA_VERSION`]; the current version if absent) may come with
//!   every kind;
//! - each kind takes its own fields and refuses any other, by name (and a
//!   name no kind takes with where a case system's own data goes: `meta`);
//! - a key given twice is refused (the derived reader kept the last);
//! - dates are strict `YYYY-MM-DD` ([`parse_date`](crate::input::parse_date)),
//!   and an error names the field;
//! - ids and names are at most [`MAX_NAME_BYTES`], reasons and outcomes in
//!   words at most [`MAX_TEXT_BYTES`];
//! - `null` for an optional field is the same as leaving it out.

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::types::{Event, EventKind};
use crate::input::limits::{check_length, MAX_NAME_BYTES, MAX_TEXT_BYTES};
use crate::input::{DateField, OptionalDateField, META_HINT};
use crate::version::{SchemaVersion, EVENT_SCHEMA_VERSION};

/// The fields an event may have, in the order errors list them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    On,
    Actor,
    Type,
    Stage,
    Category,
    Reason,
    Outcome,
    To,
    Until,
    Referral,
    Step,
    Duty,
    Due,
    Id,
    Meta,
    SchemaVersion,
}

const FIELDS: [(&str, Field); 16] = [
    ("on", Field::On),
    ("actor", Field::Actor),
    ("type", Field::Type),
    ("stage", Field::Stage),
    ("category", Field::Category),
    ("reason", Field::Reason),
    ("outcome", Field::Outcome),
    ("to", Field::To),
    ("until", Field::Until),
    ("referral", Field::Referral),
    ("step", Field::Step),
    ("duty", Field::Duty),
    ("due", Field::Due),
    ("id", Field::Id),
    ("meta", Field::Meta),
    ("schema_version", Field::SchemaVersion),
];

impl Field {
    fn name(self) -> &'static str {
        FIELDS[self as usize].0
    }
}

/// The event kinds by their JSON name, with the fields each takes beside `on`,
/// `actor` and `type`.
const KINDS: [(&str, &[Field]); 12] = [
    ("raise", &[Field::Stage, Field::Category, Field::Reason]),
    ("respond", &[Field::Outcome]),
    ("resolve", &[Field::Outcome]),
    ("escalate", &[Field::To, Field::Reason]),
    ("extend", &[Field::Until, Field::Reason]),
    ("deem-agreed", &[]),
    ("refer", &[Field::Referral]),
    ("reopen", &[Field::Reason]),
    ("withdraw", &[Field::Reason]),
    ("step", &[Field::Step]),
    ("start-duty", &[Field::Duty, Field::Due]),
    ("complete-duty", &[Field::Duty]),
];

/// A key of the event object: one of [`FIELDS`], or an unknown one kept for
/// its error.
enum Key {
    Known(Field),
    Unknown(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match FIELDS.iter().find(|(name, _)| *name == key) {
                    Some(&(_, field)) => Key::Known(field),
                    None => Key::Unknown(key.to_string()),
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// A text field, checked against its length limit as it is read.
fn text<'de, A: MapAccess<'de>>(
    map: &mut A,
    field: Field,
    limit: usize,
) -> Result<Option<String>, A::Error> {
    let value: Option<String> = map.next_value()?;
    if let Some(value) = &value {
        check_length(field.name(), value, limit).map_err(de::Error::custom)?;
    }
    Ok(value)
}

/// What the object held, before its kind is known.
#[derive(Default)]
struct Fields {
    on: Option<NaiveDate>,
    actor: Option<String>,
    kind: Option<usize>,
    stage: Option<String>,
    category: Option<String>,
    reason: Option<String>,
    outcome: Option<String>,
    to: Option<String>,
    until: Option<NaiveDate>,
    referral: Option<String>,
    step: Option<String>,
    duty: Option<String>,
    due: Option<NaiveDate>,
    id: Option<String>,
    meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// Fields present (even as `null`), by [`Field`] index.
    present: u16,
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
        deserializer.deserialize_map(EventVisitor)
    }
}

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = Event;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an event: a JSON object with \"on\", \"actor\" and \"type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
        let mut got = Fields::default();
        while let Some(key) = map.next_key::<Key>()? {
            let field = match key {
                Key::Known(field) => field,
                Key::Unknown(name) => {
                    let shown = serde_json::to_string(&name).unwrap_or_default();
                    return Err(de::Error::custom(format_args!(
                        "unknown field {shown}{}; {META_HINT}",
                        got.kind
                            .map(expected_for)
                            .unwrap_or_else(|| format!(", expected one of {}", all_fields()))
                    )));
                }
            };
            let bit = 1u16 << (field as u16);
            if got.present & bit != 0 {
                return Err(de::Error::custom(format_args!(
                    "key \"{}\" given twice",
                    field.name()
                )));
            }
            got.present |= bit;
            match field {
                Field::On => got.on = Some(map.next_value_seed(DateField("on"))?),
                Field::Actor => got.actor = text(&mut map, field, MAX_NAME_BYTES)?,
                Field::Type => {
                    let name: std::borrow::Cow<'de, str> = map.next_value::<KindName>()?.0;
                    let kind = KINDS.iter().position(|(n, _)| *n == name).ok_or_else(|| {
                        de::Error::custom(format_args!(
                            "\"type\": unknown event type {}, expected one of {}",
                            serde_json::to_string(&*name).unwrap_or_default(),
                            KINDS.map(|(n, _)| n).join(", ")
                        ))
                    })?;
                    got.kind = Some(kind);
                }
                Field::Stage => got.stage = text(&mut map, field, MAX_NAME_BYTES)?,
                Field::Category => got.category = text(&mut map, field, MAX_NAME_BYTES)?,
                Field::Reason => got.reason = text(&mut map, field, MAX_TEXT_BYTES)?,
                Field::Outcome => got.outcome = text(&mut map, field, MAX_TEXT_BYTES)?,
                Field::To => got.to = text(&mut map, field, MAX_NAME_BYTES)?,
                Field::Until => got.until = map.next_value_seed(OptionalDateField("until"))?,
                Field::Referral => got.referral = text(&mut map, field, MAX_NAME_BYTES)?,
                Field::Step => got.step = text(&mut map, field, MAX_NAME_BYTES)?,
                Field::Duty => got.duty = text(&mut map, field, MAX_NAME_BYTES)?,
                Field::Due => got.due = map.next_value_seed(OptionalDateField("due"))?,
                Field::Id => got.id = text(&mut map, field, MAX_NAME_BYTES)?,
                Field::Meta => got.meta = map.next_value()?,
                Field::SchemaVersion => {
                    // Every version this reader knows reads into today's event.
                    let _: Option<SchemaVersion<EVENT_SCHEMA_VERSION>> = map.next_value()?;
                }
            }
        }
        build(got).map_err(de::Error::custom)
    }
}

/// An event built from its fields one by one, each a JSON string already
/// unescaped, for a reader that scans the common shape of an event without
/// serde. It gives up (`None`) on anything but an event this module's serde
/// reader would accept as is, with the same fields and limits; the caller then
/// reads the event with serde, which gives the error (or the event, for a
/// shape the scanner does not take, such as `null` or `meta`).
#[derive(Default)]
pub(crate) struct EventFromStrings {
    got: Fields,
}

impl EventFromStrings {
    /// Adds one field: `None` for an unknown or repeated key, a date that is
    /// not strict `YYYY-MM-DD`, an unknown type, a text over its limit, or
    /// `meta` (an object, never a string).
    pub(crate) fn field(&mut self, key: &str, value: &str) -> Option<()> {
        // A match, not a search of FIELDS: it compiles to a few comparisons.
        let field = match key {
            "on" => Field::On,
            "actor" => Field::Actor,
            "type" => Field::Type,
            "stage" => Field::Stage,
            "category" => Field::Category,
            "reason" => Field::Reason,
            "outcome" => Field::Outcome,
            "to" => Field::To,
            "until" => Field::Until,
            "referral" => Field::Referral,
            "step" => Field::Step,
            "duty" => Field::Duty,
            "due" => Field::Due,
            "id" => Field::Id,
            _ => return None,
        };
        let bit = 1u16 << (field as u16);
        if self.got.present & bit != 0 {
            return None;
        }
        self.got.present |= bit;
        let got = &mut self.got;
        let text = |limit: usize| (value.len() <= limit).then(|| value.to_string());
        match field {
            Field::On => got.on = Some(crate::input::parse_date(value)?),
            Field::Actor => got.actor = Some(text(MAX_NAME_BYTES)?),
            Field::Type => got.kind = Some(KINDS.iter().position(|(n, _)| *n == value)?),
            Field::Stage => got.stage = Some(text(MAX_NAME_BYTES)?),
            Field::Category => got.category = Some(text(MAX_NAME_BYTES)?),
            Field::Reason => got.reason = Some(text(MAX_TEXT_BYTES)?),
            Field::Outcome => got.outcome = Some(text(MAX_TEXT_BYTES)?),
            Field::To => got.to = Some(text(MAX_NAME_BYTES)?),
            Field::Until => got.until = Some(crate::input::parse_date(value)?),
            Field::Referral => got.referral = Some(text(MAX_NAME_BYTES)?),
            Field::Step => got.step = Some(text(MAX_NAME_BYTES)?),
            Field::Duty => got.duty = Some(text(MAX_NAME_BYTES)?),
            Field::Due => got.due = Some(crate::input::parse_date(value)?),
            Field::Id => got.id = Some(text(MAX_NAME_BYTES)?),
            // Not strings: serde reads them.
            Field::Meta | Field::SchemaVersion => return None,
        }
        Some(())
    }

    /// Adds a field given as `null`, which serde reads as the field left out
    /// (still present for the kind's check): `None` for `on`, `actor` and
    /// `type` (serde refuses or misses them), or an unknown or repeated key.
    pub(crate) fn null(&mut self, key: &str) -> Option<()> {
        let field = FIELDS.iter().find(|(name, _)| *name == key)?.1;
        if matches!(field, Field::On | Field::Actor | Field::Type) {
            return None;
        }
        self.mark(field)
    }

    /// Adds `schema_version` given as a whole number: `None` for a version
    /// this reader does not read, or a repeated key.
    pub(crate) fn schema_version(&mut self, version: u64) -> Option<()> {
        SchemaVersion::<EVENT_SCHEMA_VERSION>::check(version).ok()?;
        self.mark(Field::SchemaVersion)
    }

    fn mark(&mut self, field: Field) -> Option<()> {
        let bit = 1u16 << (field as u16);
        if self.got.present & bit != 0 {
            return None;
        }
        self.got.present |= bit;
        Some(())
    }

    /// The event, if its fields make one.
    pub(crate) fn finish(self) -> Option<Event> {
        build(self.got).ok()
    }
}

/// The `type` value, borrowed when the input allows.
struct KindName<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for KindName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = KindName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"type\": an event type name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(KindName(v.into()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(KindName(v.to_string().into()))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

fn all_fields() -> String {
    FIELDS.map(|(name, _)| format!("\"{name}\"")).join(", ")
}

/// `, expected one of "on", "actor", "type", …` for an event kind.
fn expected_for(kind: usize) -> String {
    let (name, own) = KINDS[kind];
    let names: Vec<String> = [Field::On, Field::Actor, Field::Type]
        .iter()
        .chain(own.iter())
        .chain([Field::Id, Field::Meta, Field::SchemaVersion].iter())
        .map(|f| format!("\"{}\"", f.name()))
        .collect();
    format!(
        " for a \"{name}\" event, expected one of {}",
        names.join(", ")
    )
}

/// The event, once every field is read: the kind's own fields checked.
fn build(got: Fields) -> Result<Event, String> {
    let Some(kind) = got.kind else {
        return Err("missing field \"type\"".to_string());
    };
    let (name, own) = KINDS[kind];
    for &(field_name, field) in &FIELDS[3..13] {
        if got.present & (1 << field as u16) != 0 && !own.contains(&field) {
            return Err(format!(
                "unknown field \"{field_name}\"{}",
                expected_for(kind)
            ));
        }
    }
    let on = got.on.ok_or("missing field \"on\"")?;
    let actor = got.actor.ok_or("missing field \"actor\"")?;
    let required = |value: Option<String>, field: &str| {
        value.ok_or_else(|| format!("missing field \"{field}\" for a \"{name}\" event"))
    };
    let kind = match name {
        "raise" => EventKind::Raise {
            stage: got.stage,
            category: got.category,
            reason: required(got.reason, "reason")?,
        },
        "respond" => EventKind::Respond {
            outcome: got.outcome,
        },
        "resolve" => EventKind::Resolve {
            outcome: required(got.outcome, "outcome")?,
        },
        "escalate" => EventKind::Escalate {
            to: got.to,
            reason: required(got.reason, "reason")?,
        },
        "extend" => EventKind::Extend {
            until: got
                .until
                .ok_or_else(|| format!("missing field \"until\" for a \"{name}\" event"))?,
            reason: required(got.reason, "reason")?,
        },
        "deem-agreed" => EventKind::DeemAgreed,
        "refer" => EventKind::Refer {
            referral: required(got.referral, "referral")?,
        },
        "reopen" => EventKind::Reopen {
            reason: required(got.reason, "reason")?,
        },
        "withdraw" => EventKind::Withdraw {
            reason: required(got.reason, "reason")?,
        },
        "step" => EventKind::Step {
            step: required(got.step, "step")?,
        },
        "start-duty" => EventKind::StartDuty {
            duty: required(got.duty, "duty")?,
            due: got.due,
        },
        _ => EventKind::CompleteDuty {
            duty: required(got.duty, "duty")?,
        },
    };
    Ok(Event {
        on,
        actor,
        id: got.id,
        meta: got.meta,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Event, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn every_kind_reads_back_what_it_writes() {
        let lines = [
            r#"{"on":"2026-12-21","actor":"iro","type":"raise","stage":"team-manager","category":"drift","reason":"no plan"}"#,
            r#"{"on":"2026-12-21","actor":"tm","type":"respond","outcome":"agreed"}"#,
            r#"{"on":"2026-12-21","actor":"tm","type":"respond"}"#,
            r#"{"on":"2026-12-21","actor":"iro","type":"resolve","outcome":"plan changed"}"#,
            r#"{"on":"2026-12-21","actor":"iro","type":"escalate","to":"director","reason":"serious"}"#,
            r#"{"on":"2026-12-21","actor":"tm","type":"extend","until":"2027-01-05","reason":"leave"}"#,
            r#"{"on":"2026-12-21","actor":"iro","type":"deem-agreed"}"#,
            r#"{"on":"2026-12-21","actor":"iro","type":"refer","referral":"cafcass"}"#,
            r#"{"on":"2026-12-21","actor":"iro","type":"reopen","reason":"again"}"#,
            r#"{"on":"2026-12-21","actor":"iro","type":"withdraw","reason":"moved"}"#,
            r#"{"on":"2026-12-21","actor":"qa","type":"step","step":"follow-up-report"}"#,
            r#"{"on":"2026-12-21","actor":"qa","type":"start-duty","duty":"review","due":"2027-01-11"}"#,
            r#"{"on":"2026-12-21","actor":"qa","type":"complete-duty","duty":"review"}"#,
        ];
        for line in lines {
            let event = read(line).unwrap();
            let written = serde_json::to_string(&event).unwrap();
            assert_eq!(read(&written).unwrap(), event, "{line}");
        }
    }

    #[test]
    fn type_may_come_anywhere_and_null_is_absent() {
        let event = read(r#"{"type":"respond","outcome":null,"actor":"tm","on":"2026-12-21"}"#);
        assert_eq!(event.unwrap().kind, EventKind::Respond { outcome: None });
    }

    #[test]
    fn one_rule_for_unknown_fields_of_every_kind() {
        assert_eq!(
            read(r#"{"on":"2026-12-21","actor":"iro","type":"deem-agreed","outcome":"x"}"#)
                .unwrap_err(),
            r#"unknown field "outcome" for a "deem-agreed" event, expected one of "on", "actor", "type", "id", "meta", "schema_version" at line 1 column 68"#
        );
        assert_eq!(
            read(r#"{"on":"2026-12-21","type":"deem-agreed","actor":"iro","until":"2027-01-05"}"#)
                .unwrap_err(),
            r#"unknown field "until" for a "deem-agreed" event, expected one of "on", "actor", "type", "id", "meta", "schema_version" at line 1 column 75"#
        );
        assert!(read(r#"{"on":"2026-12-21","actor":"iro","kind":"raise"}"#)
            .unwrap_err()
            .starts_with(r#"unknown field "kind", expected one of "on", "actor""#));
    }

    #[test]
    fn a_schema_version_the_reader_knows_is_read_and_a_later_one_refused() {
        let event =
            read(r#"{"type":"deem-agreed","schema_version":1,"on":"2026-12-21","actor":"iro"}"#);
        assert_eq!(event.unwrap().kind, EventKind::DeemAgreed);
        assert_eq!(
            read(r#"{"type":"deem-agreed","schema_version":2,"on":"2026-12-21","actor":"iro"}"#)
                .unwrap_err(),
            "schema_version: this reader reads versions 1 to 1, found 2 at line 1 column 40"
        );
    }

    #[test]
    fn a_key_given_twice_is_refused() {
        assert_eq!(
            read(r#"{"on":"2026-12-21","on":"2026-12-22","actor":"iro","type":"deem-agreed"}"#)
                .unwrap_err(),
            r#"key "on" given twice at line 1 column 23"#
        );
    }

    #[test]
    fn dates_are_strict_and_name_their_field() {
        for (json, message) in [
            (
                r#"{"on":" 2026-01-05"}"#,
                r#""on": expected a date YYYY-MM-DD, found " 2026-01-05""#,
            ),
            (
                r#"{"on":"2026-1-5"}"#,
                r#""on": expected a date YYYY-MM-DD, found "2026-1-5""#,
            ),
            (
                r#"{"on":"+002026-01-05"}"#,
                r#""on": expected a date YYYY-MM-DD, found "+002026-01-05""#,
            ),
            (
                r#"{"type":"extend","until":"2026-12-14T00:00:00"}"#,
                r#""until": expected a date YYYY-MM-DD, found "2026-12-14T00:00:00""#,
            ),
        ] {
            let err = read(json).unwrap_err();
            assert!(err.starts_with(message), "{err}");
        }
    }

    #[test]
    fn lengths_are_limited() {
        let long = "x".repeat(MAX_NAME_BYTES + 1);
        let json = format!(r#"{{"on":"2026-12-21","actor":"{long}","type":"deem-agreed"}}"#);
        assert!(read(&json)
            .unwrap_err()
            .starts_with("\"actor\": 257 bytes, over the limit of 256"));
    }

    #[test]
    fn missing_fields_are_named() {
        assert!(read(r#"{"on":"2026-12-21","actor":"iro","type":"raise"}"#)
            .unwrap_err()
            .starts_with(r#"missing field "reason" for a "raise" event"#));
        assert!(read(r#"{"actor":"iro","type":"deem-agreed"}"#)
            .unwrap_err()
            .starts_with(r#"missing field "on""#));
    }
}
