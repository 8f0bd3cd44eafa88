//! A cases-file record as read from its line.

use std::borrow::Cow;

use serde::Deserialize;

use crate::engine::Event;

use super::super::case::CaseRecord;

/// A record as read from its line: texts borrowed from the line where they
/// have no escapes, the same fields (and the same errors) as [`CaseRecord`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LineRecord<'a> {
    /// Read to refuse a later version than this reader knows.
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) schema_version:
        crate::version::SchemaVersion<{ crate::version::CASE_RECORD_SCHEMA_VERSION }>,
    #[serde(borrow)]
    pub(super) case: Text<'a>,
    #[serde(default, borrow)]
    pub(super) child: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub(super) team: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub(super) worker: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) ladder: Text<'a>,
    pub(super) events: Vec<Event>,
    /// The case system's own object: checked to be one, and not kept.
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) meta: Option<AnyObject>,
}

/// A JSON object, read past without keeping it (a record's `meta`).
pub(super) struct AnyObject;

impl<'de> Deserialize<'de> for AnyObject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
            type Value = AnyObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<AnyObject, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(AnyObject)
            }
        }
        deserializer.deserialize_map(ObjectVisitor)
    }
}

impl LineRecord<'_> {
    pub(super) fn view(&self) -> RecordView<'_> {
        RecordView {
            case: &self.case.0,
            child: self.child.as_ref().map(|t| &*t.0),
            team: self.team.as_ref().map(|t| &*t.0),
            worker: self.worker.as_ref().map(|t| &*t.0),
            ladder: &self.ladder.0,
            events: &self.events,
        }
    }
}

/// A JSON string, borrowed from the input when it has no escapes; its errors
/// are a `String`'s ("expected a string").
pub(super) struct Text<'a>(pub(super) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> serde::de::Visitor<'de> for TextVisitor {
            type Value = Cow<'de, str>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }
        deserializer.deserialize_string(TextVisitor).map(Text)
    }
}

/// A record's fields, borrowed from a [`CaseRecord`] or from the line itself.
pub(super) struct RecordView<'r> {
    pub(super) case: &'r str,
    pub(super) child: Option<&'r str>,
    pub(super) team: Option<&'r str>,
    pub(super) worker: Option<&'r str>,
    pub(super) ladder: &'r str,
    pub(super) events: &'r [Event],
}

impl<'r> RecordView<'r> {
    pub(super) fn of(record: &'r CaseRecord) -> RecordView<'r> {
        RecordView {
            case: &record.case,
            child: record.child.as_deref(),
            team: record.team.as_deref(),
            worker: record.worker.as_deref(),
            ladder: &record.ladder,
            events: &record.events,
        }
    }
}
