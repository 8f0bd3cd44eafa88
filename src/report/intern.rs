//! Shared strings and a fast hasher for the loader's and the report's maps.
//!
//! A million cases name a handful of teams, workers, ladders and stages; the
//! interner hands out one `Arc<str>` per distinct text so that every case shares
//! it instead of holding its own copy.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// The rustc "Fx" hash with a final mix: a few cycles per word, good enough
/// for short ids. The maps hold data from the caller's own case system, not
/// untrusted network input, so collision resistance is not needed.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // Spread the entropy into the top bits, which hashbrown uses for its tags.
        let h = self.hash;
        (h ^ (h >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 32)
    }
}

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A `HashSet` with [`FastHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// One shared `Arc<str>` per distinct text.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    strings: FastSet<Arc<str>>,
}

impl Interner {
    /// The shared copy of `text`, made on first sight.
    pub(crate) fn intern(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.strings.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        self.strings.insert(Arc::clone(&shared));
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn interned_texts_share_one_allocation() {
        let mut interner = Interner::default();
        let a = interner.intern("North Locality");
        let b = interner.intern(&String::from("North Locality"));
        let c = interner.intern("South Locality");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*c, "South Locality");
    }

    #[test]
    fn hasher_tells_short_ids_apart() {
        let build = BuildHasherDefault::<FastHasher>::default();
        let hash = |text: &str| build.hash_one(text);
        let ids = [
            "stage-1",
            "stage-2",
            "stage-10",
            "",
            "team-manager",
            "team-managers",
        ];
        let hashes: FastSet<u64> = ids.iter().map(|id| hash(id)).collect();
        assert_eq!(hashes.len(), ids.len());
    }
}
