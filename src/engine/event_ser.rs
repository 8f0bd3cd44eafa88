//! Writing an [`Event`] as JSON: `type` first, then `schema_version`, `on`,
//! `actor`, `id`, `meta`, then the kind's own fields, every one of them
//! (`null` where absent), so that another language reads every kind the
//! same way (the contract's rules, [`crate::contract`]).

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::types::{Event, EventKind};
use crate::input::write::{Date, OptionalDate};
use crate::version::EVENT_SCHEMA_VERSION;

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", self.kind.name())?;
        map.serialize_entry("schema_version", &EVENT_SCHEMA_VERSION)?;
        map.serialize_entry("on", &Date(self.on))?;
        map.serialize_entry("actor", &self.actor)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("meta", &self.meta)?;
        match &self.kind {
            EventKind::Raise {
                stage,
                category,
                reason,
            } => {
                map.serialize_entry("stage", stage)?;
                map.serialize_entry("category", category)?;
                map.serialize_entry("reason", reason)?;
            }
            EventKind::Respond { outcome } => map.serialize_entry("outcome", outcome)?,
            EventKind::Resolve { outcome } => map.serialize_entry("outcome", outcome)?,
            EventKind::Escalate { to, reason } => {
                map.serialize_entry("to", to)?;
                map.serialize_entry("reason", reason)?;
            }
            EventKind::Extend { until, reason } => {
                map.serialize_entry("until", &Date(*until))?;
                map.serialize_entry("reason", reason)?;
            }
            EventKind::DeemAgreed => {}
            EventKind::Refer { referral } => map.serialize_entry("referral", referral)?,
            EventKind::Reopen { reason } | EventKind::Withdraw { reason } => {
                map.serialize_entry("reason", reason)?;
            }
            EventKind::Step { step } => map.serialize_entry("step", step)?,
            EventKind::StartDuty { duty, due } => {
                map.serialize_entry("duty", duty)?;
                map.serialize_entry("due", &OptionalDate(*due))?;
            }
            EventKind::CompleteDuty { duty } => map.serialize_entry("duty", duty)?,
        }
        map.end()
    }
}

// The event's own `Serialize` and `Deserialize` are written by hand, so its
// JSON Schema is derived from this mirror; the contract tests validate real
// events, read and written, against it.
/// Something that happened to an alert: what (`type`, with the kind's own
/// fields), when (`on`, a UK date) and who (`actor`).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(rename = "Event")]
#[allow(dead_code)]
struct EventShape {
    /// What happened: the kind's name, then its own fields.
    #[serde(flatten)]
    kind: EventKind,
    /// The event's schema version; the current one if absent.
    #[serde(default)]
    schema_version: crate::version::SchemaVersion<EVENT_SCHEMA_VERSION>,
    /// The UK date on which it happened.
    on: chrono::NaiveDate,
    /// Who did it.
    actor: String,
    /// The caller's id for the event: a re-delivery is not applied again.
    id: Option<String>,
    /// The caller's own data, kept and never interpreted.
    meta: Option<serde_json::Map<String, serde_json::Value>>,
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Event {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        EventShape::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        EventShape::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Every kind writes what the reader reads back, `type` first.
    #[test]
    fn every_kind_round_trips_with_type_first() {
        let on = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
        let kinds = [
            EventKind::Raise {
                stage: None,
                category: Some("drift".into()),
                reason: "no plan".into(),
            },
            EventKind::Respond { outcome: None },
            EventKind::Resolve {
                outcome: "agreed".into(),
            },
            EventKind::Escalate {
                to: Some("head-of-service".into()),
                reason: "no reply".into(),
            },
            EventKind::Extend {
                until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                reason: "leave".into(),
            },
            EventKind::DeemAgreed,
            EventKind::Refer {
                referral: "cafcass".into(),
            },
            EventKind::Reopen { reason: "r".into() },
            EventKind::Withdraw { reason: "w".into() },
            EventKind::Step {
                step: "follow-up-report".into(),
            },
            EventKind::StartDuty {
                duty: "emergency-action".into(),
                due: None,
            },
            EventKind::CompleteDuty {
                duty: "emergency-action".into(),
            },
        ];
        for kind in kinds {
            let event = Event {
                on,
                actor: "iro".into(),
                id: Some("ev-1".into()),
                meta: None,
                kind,
            };
            let json = serde_json::to_string(&event).unwrap();
            let expected_start = format!(
                r#"{{"type":"{}","schema_version":1,"on":"2026-12-24","actor":"iro","id":"ev-1","meta":null"#,
                event.kind.name()
            );
            assert!(json.starts_with(&expected_start), "{json}");
            let back: Event = serde_json::from_str(&json).unwrap();
            assert_eq!(back, event);
        }
    }
}
