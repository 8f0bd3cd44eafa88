//! The calendar against published data: GOV.UK's feed (2012-2027, plus the days
//! proclaimed or published since it was saved) and the historic record (1978-2011).
//! See tests/data/README.md for where each file comes from.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use escalation_ladder::calendar::{bank_holidays, parse_govuk_json};
use escalation_ladder::Region;

const FEED: &str = include_str!("../data/govuk-bank-holidays.json");
const SUPPLEMENT: &str = include_str!("../data/govuk-feed-supplement.tsv");
const HISTORIC: &str = include_str!("../data/historic-bank-holidays.tsv");

const DIVISIONS: [Region; 3] = [
    Region::EnglandAndWales,
    Region::Scotland,
    Region::NorthernIreland,
];

/// (division, date) -> title, from a TSV with columns division, date, title, source.
fn tsv(text: &str) -> BTreeMap<(Region, NaiveDate), String> {
    text.lines()
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let region: Region = cols[0].parse().unwrap();
            let date = NaiveDate::parse_from_str(cols[1], "%Y-%m-%d").unwrap();
            ((region, date), cols[2].to_string())
        })
        .collect()
}

fn ours(region: Region, years: std::ops::RangeInclusive<i32>) -> BTreeMap<NaiveDate, String> {
    years
        .flat_map(|y| bank_holidays(region, y).unwrap())
        .map(|h| (h.date, h.name))
        .collect()
}

fn normalise(name: &str) -> String {
    name.replace('’', "'")
}

#[test]
fn every_division_matches_the_govuk_feed_2012_to_2027() {
    let supplement = tsv(SUPPLEMENT);
    for region in DIVISIONS {
        let mut published: BTreeMap<NaiveDate, String> =
            parse_govuk_json(FEED, region, "govuk-bank-holidays.json")
                .unwrap()
                .into_iter()
                .map(|h| (h.date, normalise(&h.name)))
                .collect();
        for ((r, date), title) in &supplement {
            if *r == region && *date <= NaiveDate::from_ymd_opt(2027, 12, 31).unwrap() {
                published.insert(*date, normalise(title));
            }
        }
        let computed = ours(region, 2012..=2027);
        let published_dates: Vec<&NaiveDate> = published.keys().collect();
        let computed_dates: Vec<&NaiveDate> = computed.keys().collect();
        assert_eq!(computed_dates, published_dates, "{region}");
        let differing: Vec<String> = computed
            .iter()
            .filter(|(date, name)| published[*date] != **name)
            .map(|(date, name)| {
                format!(
                    "{region} {date}: ours '{name}', GOV.UK '{}'",
                    published[date]
                )
            })
            .collect();
        insta::assert_snapshot!(
            format!("names_differing_from_govuk_{region}"),
            differing.join("\n")
        );
    }
}

#[test]
fn every_division_matches_the_days_published_for_2028() {
    let supplement = tsv(SUPPLEMENT);
    for region in DIVISIONS {
        let published: Vec<NaiveDate> = supplement
            .keys()
            .filter(|(r, d)| *r == region && d.format("%Y").to_string() == "2028")
            .map(|(_, d)| *d)
            .collect();
        let computed: Vec<NaiveDate> = ours(region, 2028..=2028).into_keys().collect();
        assert!(!published.is_empty());
        assert_eq!(computed, published, "{region}");
    }
}

#[test]
fn every_division_matches_the_historic_record_1978_to_2011() {
    let historic = tsv(HISTORIC);
    for region in DIVISIONS {
        let published: Vec<NaiveDate> = historic
            .keys()
            .filter(|(r, d)| *r == region && *d < NaiveDate::from_ymd_opt(2012, 1, 1).unwrap())
            .map(|(_, d)| *d)
            .collect();
        let computed: Vec<NaiveDate> = ours(region, 1978..=2011).into_keys().collect();
        let missing: Vec<NaiveDate> = published
            .iter()
            .filter(|d| !computed.contains(d))
            .copied()
            .collect();
        let extra: Vec<NaiveDate> = computed
            .iter()
            .filter(|d| !published.contains(d))
            .copied()
            .collect();
        assert_eq!(extra, [], "{region}");
        // The one disagreement: the record (python-holidays' rule) has St Andrew's
        // Day from 2006, but the St Andrew's Day Bank Holiday (Scotland) Act 2007
        // received Royal Assent on 15 January 2007: the first was 30 November 2007.
        let expected_missing = match region {
            Region::Scotland => vec![NaiveDate::from_ymd_opt(2006, 11, 30).unwrap()],
            _ => vec![],
        };
        assert_eq!(missing, expected_missing, "{region}");
    }
}
