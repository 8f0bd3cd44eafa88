//! JSON objects whose keys are each given once.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A JSON object read as its entries in order, refusing a key given twice.
///
/// `serde_json` reads an object into a map by keeping the last value of a
/// repeated key, so a GOV.UK feed with `"scotland"` twice would silently lose
/// the first division's holidays. Objects with free keys are read through this
/// type instead (a derived struct already refuses a repeated field).
///
/// # Errors
///
/// Deserializing fails with `key "…" given twice`, at the second one's place.
///
/// # Example
///
/// ```
/// use escalation_ladder::input::UniqueKeys;
///
/// let ok: UniqueKeys<u32> = serde_json::from_str(r#"{"a": 1, "b": 2}"#)?;
/// assert_eq!(ok.get("b"), Some(&2));
/// let err = serde_json::from_str::<UniqueKeys<u32>>(r#"{"a": 1, "a": 2}"#).unwrap_err();
/// assert_eq!(err.to_string(), r#"key "a" given twice at line 1 column 12"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueKeys<V>(pub Vec<(String, V)>);

impl<V> UniqueKeys<V> {
    /// The value of `key`, if the object has it.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The keys, in the order they came.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueKeys<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(UniqueVisitor(PhantomData))
    }
}

struct UniqueVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueVisitor<V> {
    type Value = UniqueKeys<V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys<V>, A::Error> {
        let mut entries: Vec<(String, V)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if entries.iter().any(|(k, _)| *k == key) {
                let shown = serde_json::to_string(&key).unwrap_or_default();
                return Err(de::Error::custom(format_args!("key {shown} given twice")));
            }
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(UniqueKeys(entries))
    }
}
