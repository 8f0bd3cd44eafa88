//! The UK's bank-holiday divisions.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::CalendarError;

/// A bank-holiday division of the United Kingdom, named as GOV.UK names it.
///
/// The three divisions have their own schedules under the Banking and Financial
/// Dealings Act 1971. [`Region::UnitedKingdom`] is their union: a day is a bank
/// holiday there when it is one in *any* part of the UK, which is how the Freedom
/// of Information Act 2000 counts working days.
///
/// # Example
///
/// ```
/// use escalation_ladder::Region;
///
/// let region: Region = "scotland".parse()?;
/// assert_eq!(region, Region::Scotland);
/// assert_eq!(region.to_string(), "scotland");
/// assert!("wales".parse::<Region>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    /// England and Wales (`england-and-wales`).
    EnglandAndWales,
    /// Scotland (`scotland`).
    Scotland,
    /// Northern Ireland (`northern-ireland`).
    NorthernIreland,
    /// Any part of the United Kingdom (`united-kingdom`): the union of the three divisions.
    UnitedKingdom,
}

impl Region {
    /// Every region, in a fixed order: the three divisions, then their union.
    pub const ALL: [Region; 4] = [
        Region::EnglandAndWales,
        Region::Scotland,
        Region::NorthernIreland,
        Region::UnitedKingdom,
    ];

    /// The GOV.UK name of the division, e.g. `"england-and-wales"`.
    ///
    /// # Example
    ///
    /// ```
    /// use escalation_ladder::Region;
    /// assert_eq!(Region::NorthernIreland.as_str(), "northern-ireland");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Region::EnglandAndWales => "england-and-wales",
            Region::Scotland => "scotland",
            Region::NorthernIreland => "northern-ireland",
            Region::UnitedKingdom => "united-kingdom",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Region {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| CalendarError::UnknownRegion {
                found: s.to_string(),
            })
    }
}
