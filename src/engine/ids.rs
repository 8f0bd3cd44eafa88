//! The ids of the events an alert has applied: every one, shared between
//! the states that hold them.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::input::limits::MAX_EVENT_IDS;

/// The ids of the events a state has applied that carried one: every one of
/// them, up to [`MAX_EVENT_IDS`], so that an event delivered again is
/// recognised however far back it was first applied
/// ([`AlertState::event_ids`](super::AlertState::event_ids)).
///
/// A state is copied once per event, and most alerts carry few ids or none,
/// so the list is a chain of shared, immutable links, newest first: copying
/// it is one reference count (nothing at all while it is empty), adding an
/// id allocates its own link and copies nothing, and a state and the states
/// made from it share the links they have in common. Looking an id up
/// compares a 64-bit hash per link before any text. JSON is an array of
/// strings, oldest first.
///
/// # Example
///
/// ```
/// use escalation_ladder::engine::EventIds;
///
/// let ids: EventIds = ["ll-4471", "ll-4502"].into_iter().collect();
/// assert_eq!(ids.len(), 2);
/// assert!(ids.contains("ll-4471"));
/// assert!(!ids.contains("ll-4503"));
/// assert_eq!(serde_json::to_string(&ids)?, r#"["ll-4471","ll-4502"]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct EventIds(Option<Arc<Link>>);

/// One id of the chain, with the ones before it.
struct Link {
    hash: u64,
    /// How many ids the chain holds from this link back.
    len: usize,
    id: Box<str>,
    older: Option<Arc<Link>>,
}

/// The hash an id is first compared by (FNV-1a, as fingerprints use).
fn hash(id: &str) -> u64 {
    crate::calendar::fnv1a(id.bytes())
}

impl EventIds {
    /// No ids (allocates nothing).
    pub const fn new() -> EventIds {
        EventIds(None)
    }

    /// How many ids it holds.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |link| link.len)
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Whether it holds `id`.
    pub fn contains(&self, id: &str) -> bool {
        let wanted = hash(id);
        self.links()
            .any(|link| link.hash == wanted && *link.id == *id)
    }

    /// The ids, newest first.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.links().map(|link| &*link.id)
    }

    /// Adds `id` as the newest. The bound, [`MAX_EVENT_IDS`], is the
    /// engine's to keep ([`apply`](super::apply) refuses an event with a new
    /// id past it).
    pub(crate) fn push(&mut self, id: &str) {
        let older = self.0.take();
        self.0 = Some(Arc::new(Link {
            hash: hash(id),
            len: older.as_ref().map_or(0, |link| link.len) + 1,
            id: Box::from(id),
            older,
        }));
    }

    fn links(&self) -> impl Iterator<Item = &Link> {
        std::iter::successors(self.0.as_deref(), |link| link.older.as_deref())
    }

    /// The ids, oldest first.
    fn oldest_first(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.iter().collect();
        ids.reverse();
        ids
    }
}

impl Drop for Link {
    /// Unlinks the chain one link at a time: a long chain dropped at once
    /// would otherwise recurse once per link.
    fn drop(&mut self) {
        let mut older = self.older.take();
        while let Some(link) = older {
            match Arc::try_unwrap(link) {
                Ok(mut only) => older = only.older.take(),
                // Shared with another state: that one keeps the rest.
                Err(_) => break,
            }
        }
    }
}

impl PartialEq for EventIds {
    fn eq(&self, other: &EventIds) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Eq for EventIds {}

impl fmt::Debug for EventIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.oldest_first()).finish()
    }
}

impl<S: AsRef<str>> FromIterator<S> for EventIds {
    /// The ids in the order given, oldest first.
    fn from_iter<I: IntoIterator<Item = S>>(ids: I) -> EventIds {
        let mut list = EventIds::new();
        for id in ids {
            list.push(id.as_ref());
        }
        list
    }
}

impl Serialize for EventIds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_empty() {
            return serializer.collect_seq(std::iter::empty::<&str>());
        }
        serializer.collect_seq(self.oldest_first())
    }
}

impl<'de> Deserialize<'de> for EventIds {
    /// An array of ids, oldest first, of at most [`MAX_EVENT_IDS`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<EventIds, D::Error> {
        let ids = Vec::<String>::deserialize(deserializer)?;
        if ids.len() > MAX_EVENT_IDS {
            return Err(serde::de::Error::custom(format_args!(
                "\"event_ids\": {} ids, over the limit of {MAX_EVENT_IDS}",
                ids.len()
            )));
        }
        Ok(ids.iter().collect())
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for EventIds {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EventIds".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "array",
            "items": {"type": "string"},
            "maxItems": MAX_EVENT_IDS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pointer_wide_shared_and_in_order() {
        assert_eq!(std::mem::size_of::<EventIds>(), 8);
        let mut before: EventIds = ["a", "b"].into_iter().collect();
        let shared = before.clone();
        before.push("c");
        assert_eq!(shared.len(), 2);
        assert_eq!(before.len(), 3);
        assert!(before.contains("a") && before.contains("c") && !shared.contains("c"));
        assert_eq!(before.iter().collect::<Vec<_>>(), ["c", "b", "a"]);
        assert_eq!(serde_json::to_string(&before).unwrap(), r#"["a","b","c"]"#);
        let back: EventIds = serde_json::from_str(r#"["a","b","c"]"#).unwrap();
        assert_eq!(back, before);
        assert_ne!(back, shared);
        assert_eq!(serde_json::to_string(&EventIds::new()).unwrap(), "[]");
    }

    #[test]
    fn a_long_chain_drops_without_recursing() {
        let ids: EventIds = (0..200_000).map(|n| n.to_string()).collect();
        assert_eq!(ids.len(), 200_000);
        drop(ids);
    }

    #[test]
    fn more_ids_than_the_limit_are_refused_when_read() {
        let ids: Vec<String> = (0..=MAX_EVENT_IDS).map(|n| n.to_string()).collect();
        let err = serde_json::from_value::<EventIds>(ids.into()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"event_ids\": 1001 ids, over the limit of 1000"
        );
    }
}
