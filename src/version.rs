//! Schema versions: every document of the contract says which version of
//! its shape it is.
//!
//! Below every module that writes a document (the engine, the report) and
//! below [`contract`](crate::contract), which re-exports all of it: the
//! documents carry their versions without importing the contract, so no
//! import runs back up the module graph.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The version of the event shape ([`Event`](crate::engine::Event)).
pub const EVENT_SCHEMA_VERSION: u32 = 1;
/// The version of the transition shape (state, effects and audit entry).
pub const TRANSITION_SCHEMA_VERSION: u32 = 1;
/// The version of the status shape ([`Status`](crate::engine::Status)).
pub const STATUS_SCHEMA_VERSION: u32 = 1;
/// The version of a cases-file record ([`CaseRecord`](crate::report::CaseRecord)).
pub const CASE_RECORD_SCHEMA_VERSION: u32 = 1;
/// The version of the report's JSON ([`Report`](crate::report::Report)).
pub const REPORT_SCHEMA_VERSION: u32 = 1;
/// The version of an error document ([`ErrorDocument`](crate::contract::ErrorDocument)).
pub const ERROR_SCHEMA_VERSION: u32 = 1;

/// A document's schema version, held in its type: it writes as the number
/// `N` and reads any version from 1 to `N` (a reader reads every older
/// shape of its document). Zero-sized: it costs nothing to carry.
///
/// # Example
///
/// A status says which version of its shape it is; a reader refuses a
/// version it does not know:
///
/// ```
/// use escalation_ladder::contract::SchemaVersion;
///
/// let version: SchemaVersion<1> = serde_json::from_str("1")?;
/// assert_eq!(serde_json::to_string(&version)?, "1");
/// let err = serde_json::from_str::<SchemaVersion<1>>("2").unwrap_err();
/// assert!(err.to_string().starts_with("schema_version: this reader reads versions 1 to 1, found 2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaVersion<const N: u32>;

impl<const N: u32> SchemaVersion<N> {
    /// The version this type writes.
    pub const NUMBER: u32 = N;

    /// Whether a document of version `found` can be read as this version:
    /// from 1 to `N`.
    ///
    /// # Errors
    ///
    /// A message naming the versions read and the one found.
    pub fn check(found: u64) -> Result<SchemaVersion<N>, String> {
        if (1..=u64::from(N)).contains(&found) {
            Ok(SchemaVersion)
        } else {
            Err(format!(
                "schema_version: this reader reads versions 1 to {N}, found {found}"
            ))
        }
    }
}

impl<const N: u32> Serialize for SchemaVersion<N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(N)
    }
}

impl<'de, const N: u32> Deserialize<'de> for SchemaVersion<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SchemaVersion<N>, D::Error> {
        struct VersionVisitor<const N: u32>;
        impl<const N: u32> Visitor<'_> for VersionVisitor<N> {
            type Value = SchemaVersion<N>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a schema version from 1 to {N}")
            }
            fn visit_u64<E: de::Error>(self, found: u64) -> Result<SchemaVersion<N>, E> {
                SchemaVersion::check(found).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, found: i64) -> Result<SchemaVersion<N>, E> {
                match u64::try_from(found) {
                    Ok(found) => self.visit_u64(found),
                    Err(_) => Err(E::custom(format_args!(
                        "schema_version: this reader reads versions 1 to {N}, found {found}"
                    ))),
                }
            }
        }
        deserializer.deserialize_u64(VersionVisitor::<N>)
    }
}

#[cfg(feature = "schema")]
impl<const N: u32> schemars::JsonSchema for SchemaVersion<N> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("SchemaVersion{N}").into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": format!("The document's schema version: {N} when written; a reader reads 1 to {N}."),
            "type": "integer",
            "minimum": 1,
            "maximum": N,
        })
    }
}
