//! A list that is almost always empty, one pointer wide.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A list that is almost always empty: the referrals, steps and duties of an
/// [`AlertState`](super::AlertState). One pointer wide, and nothing allocated
/// or copied while it is empty, so a state stays 152 bytes and `apply`, which
/// copies the state once per event, does not pay for lists most alerts never
/// use. It reads as a slice (`len`, `iter`, indexing) and is JSON as an array.
///
/// # Example
///
/// ```
/// use escalation_ladder::engine::ThinList;
///
/// let mut referrals: ThinList<&str> = ThinList::default();
/// assert!(referrals.is_empty());
/// referrals.push("cafcass");
/// assert_eq!(&referrals[..], ["cafcass"]);
/// assert_eq!(serde_json::to_string(&referrals)?, r#"["cafcass"]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// The box is the point: a `Vec` is three words, a box of one is one, and the
// extra allocation happens only for the rare list that is not empty.
#[allow(clippy::box_collection)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ThinList<T>(Option<Box<Vec<T>>>);

impl<T> ThinList<T> {
    /// An empty list (allocates nothing).
    pub const fn new() -> ThinList<T> {
        ThinList(None)
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().map_or(true, |items| items.is_empty())
    }

    /// Appends an item.
    pub fn push(&mut self, item: T) {
        self.0.get_or_insert_with(Box::default).push(item);
    }

    /// Empties the list, freeing what it held.
    #[inline]
    pub fn clear(&mut self) {
        if self.0.is_some() {
            self.0 = None;
        }
    }
}

impl<T> Default for ThinList<T> {
    fn default() -> ThinList<T> {
        ThinList::new()
    }
}

impl<T> Deref for ThinList<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.0.as_deref().map_or(&[], |items| &items[..])
    }
}

impl<T> DerefMut for ThinList<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.0
            .as_deref_mut()
            .map_or(&mut [], |items| &mut items[..])
    }
}

impl<T: fmt::Debug> fmt::Debug for ThinList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T> From<Vec<T>> for ThinList<T> {
    fn from(items: Vec<T>) -> ThinList<T> {
        if items.is_empty() {
            ThinList(None)
        } else {
            ThinList(Some(Box::new(items)))
        }
    }
}

impl<T> FromIterator<T> for ThinList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> ThinList<T> {
        ThinList::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<'a, T> IntoIterator for &'a ThinList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut ThinList<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T: Serialize> Serialize for ThinList<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ThinList<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ThinList<T>, D::Error> {
        Vec::<T>::deserialize(deserializer).map(ThinList::from)
    }
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for ThinList<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Vec<T>>::schema_name()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<T>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pointer_wide_and_empty_lists_are_equal() {
        assert_eq!(std::mem::size_of::<ThinList<u64>>(), 8);
        let mut list = ThinList::from(vec![1, 2]);
        list.clear();
        assert_eq!(list, ThinList::default());
        assert_eq!(ThinList::<u8>::from(Vec::new()), ThinList::default());
        let back: ThinList<u8> = serde_json::from_str("[]").unwrap();
        assert!(back.is_empty());
    }
}
