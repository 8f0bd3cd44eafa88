//! Benchmarks of the working-day calendar against the `bdays` crate and a naive
//! day-by-day reference.
//!
//! Run with:
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-bench cargo bench --bench calendar
//! ```
//!
//! # Groups
//!
//! - `calendar/add/{table,bdays-cache,naive}`: N working days after D, for
//!   1,000,000 (D, N) pairs (the naive reference takes the first 10,000), D uniform
//!   in 1980-01-01..=2195-12-31 and N uniform in -60..=60.
//! - `calendar/count/{table,bdays-cache,naive}`: working days from FROM to TO for
//!   1,000,000 pairs (naive: the first 10,000), FROM uniform as above and TO within
//!   ±400 days of it.
//! - `calendar/build/{england-and-wales,united-kingdom}`: `WorkingCalendar::new`.
//!
//! Every add and count bench reports per-element time through
//! `Throughput::Elements`; the summary printed at the end gives the median in ns
//! per operation. Before anything is timed, every implementation's answers are
//! compared element by element with the table's, and each timed iteration asserts
//! that its checksum equals the table's, so the optimiser cannot skip the work.
//!
//! # Conventions: ours and `bdays` 0.1.4
//!
//! Ours: N working days after D is the N-th working day strictly after D (N = 0
//! rolls a non-working D forward; negative N counts back strictly before D); the
//! count from FROM to TO is the number of working days in (FROM, TO].
//!
//! `bdays` differs in two places, and the `bdays-cache` benches adjust its calls
//! (see [`bdays_add`] and [`bdays_count`]):
//!
//! - `advance_bdays(D, N)` first rolls D *forward* to a business day, then steps N
//!   business days. For N > 0 and a non-working D that gives the (N+1)-th working
//!   day after D, one more than ours. For N = 0 and N < 0 the two agree (rolling
//!   forward from D to F passes no working day, so the |N|-th working day before F
//!   is the |N|-th strictly before D).
//! - `bdays(D0, D1)` rolls both dates forward and subtracts running counts, which
//!   is the number of working days in [D0, D1): D0 included, D1 excluded, the
//!   opposite of ours. In whole days (a, b] = [a + 1, b + 1), so ours is
//!   `bdays(FROM + 1, TO + 1)`.
//!
//! Also: `bdays` counts in `i32` (ours `i64`), and `HolidayCalendarCache` panics
//! on a date outside its range where ours returns an error.

use std::collections::HashSet;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use bdays::{HolidayCalendar, HolidayCalendarCache};
use chrono::{Datelike, NaiveDate};
use criterion::{Criterion, SamplingMode, Throughput};
use escalation_ladder::calendar::{bank_holidays, FIRST_YEAR, LAST_YEAR};
use escalation_ladder::{Region, WorkingCalendar};

#[path = "../tests/support/naive.rs"]
#[allow(dead_code)] // the bench uses add and count only
mod naive;
use naive::Naive;

/// Pairs timed for the table and the bdays cache.
const PAIRS: usize = 1_000_000;
/// Pairs timed for the naive reference (the first `NAIVE_PAIRS` of the same inputs).
const NAIVE_PAIRS: usize = 10_000;
const SEED: u64 = 0x5eed_ca1e_0da7_e500;

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// SplitMix64 (Steele, Lea and Flood): a tiny, fixed-seed generator.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi` (multiply-high: no modulo bias worth the name).
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo + 1) as u128;
        lo + ((u128::from(self.next_u64()) * span) >> 64) as i64
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
}

fn from_day_number(days: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(days as i32).expect("valid day number")
}

struct Inputs {
    /// (D, N): N working days after D.
    add: Vec<(NaiveDate, i32)>,
    /// (FROM, TO): working days in (FROM, TO].
    count: Vec<(NaiveDate, NaiveDate)>,
}

fn inputs() -> Inputs {
    let mut rng = SplitMix64(SEED);
    let lo = i64::from(ymd(1980, 1, 1).num_days_from_ce());
    let hi = i64::from(ymd(2195, 12, 31).num_days_from_ce());
    let add = (0..PAIRS)
        .map(|_| {
            let date = from_day_number(rng.between(lo, hi));
            (date, rng.between(-60, 60) as i32)
        })
        .collect();
    let count = (0..PAIRS)
        .map(|_| {
            let from = rng.between(lo, hi);
            let to = from + rng.between(-400, 400);
            (from_day_number(from), from_day_number(to))
        })
        .collect();
    Inputs { add, count }
}

// ---------------------------------------------------------------------------
// Implementations
// ---------------------------------------------------------------------------

/// Our bank holidays for England and Wales, every supported year.
fn holiday_set() -> HashSet<NaiveDate> {
    (FIRST_YEAR..=LAST_YEAR)
        .flat_map(|year| bank_holidays(Region::EnglandAndWales, year).expect("year in range"))
        .map(|h| h.date)
        .collect()
}

/// A `bdays` calendar fed with exactly our holidays.
struct BdaysEnglandAndWales {
    holidays: HashSet<NaiveDate>,
}

impl HolidayCalendar<NaiveDate> for BdaysEnglandAndWales {
    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
    }
}

type BdaysCache = HolidayCalendarCache<NaiveDate>;

/// N working days after D in our convention, with `bdays`.
///
/// `advance_bdays` rolls D forward before stepping; for N > 0 we roll it back
/// instead (no working day lies in (previous, D], so the N-th working day after the
/// previous working day is the N-th strictly after D). N <= 0 needs no adjustment.
#[inline]
fn bdays_add(cache: &BdaysCache, date: NaiveDate, days: i32) -> NaiveDate {
    if days > 0 {
        cache.advance_bdays(cache.to_bday(date, false), days)
    } else {
        cache.advance_bdays(date, days)
    }
}

/// Working days in (FROM, TO] with `bdays`, whose `bdays(a, b)` counts [a, b).
#[inline]
fn bdays_count(cache: &BdaysCache, from: NaiveDate, to: NaiveDate) -> i64 {
    let next = |d: NaiveDate| d.succ_opt().expect("in range");
    i64::from(cache.bdays(next(from), next(to)))
}

// ---------------------------------------------------------------------------
// Timed loops: each returns a checksum of its answers
// ---------------------------------------------------------------------------

fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

fn table_add(calendar: &WorkingCalendar, pairs: &[(NaiveDate, i32)]) -> i64 {
    pairs
        .iter()
        .map(|&(date, n)| day_number(calendar.add_working_days(date, n).expect("in range")))
        .sum()
}

fn bdays_cache_add(cache: &BdaysCache, pairs: &[(NaiveDate, i32)]) -> i64 {
    pairs
        .iter()
        .map(|&(date, n)| day_number(bdays_add(cache, date, n)))
        .sum()
}

fn naive_add(naive: &Naive, pairs: &[(NaiveDate, i32)]) -> i64 {
    pairs
        .iter()
        .map(|&(date, n)| day_number(naive.add(date, n)))
        .sum()
}

// Counts are summed with a weight per position so that errors cannot cancel out.

fn table_count(calendar: &WorkingCalendar, pairs: &[(NaiveDate, NaiveDate)]) -> i64 {
    pairs
        .iter()
        .zip(1..)
        .map(|(&(from, to), w)| w * calendar.count_working_days(from, to).expect("in range"))
        .sum()
}

fn bdays_cache_count(cache: &BdaysCache, pairs: &[(NaiveDate, NaiveDate)]) -> i64 {
    pairs
        .iter()
        .zip(1..)
        .map(|(&(from, to), w)| w * bdays_count(cache, from, to))
        .sum()
}

fn naive_count(naive: &Naive, pairs: &[(NaiveDate, NaiveDate)]) -> i64 {
    pairs
        .iter()
        .zip(1..)
        .map(|(&(from, to), w)| w * naive.count(from, to))
        .sum()
}

// ---------------------------------------------------------------------------
// Set-up and verification (untimed)
// ---------------------------------------------------------------------------

struct Setup {
    inputs: Inputs,
    table: WorkingCalendar,
    cache: BdaysCache,
    naive: Naive,
}

fn setup() -> Setup {
    let inputs = inputs();
    let table = WorkingCalendar::new(Region::EnglandAndWales);
    let holidays = holiday_set();
    let cache = HolidayCalendarCache::new(
        BdaysEnglandAndWales { holidays },
        ymd(FIRST_YEAR, 1, 1),
        ymd(LAST_YEAR, 12, 31),
    );
    let naive = Naive::new(Region::EnglandAndWales);
    let setup = Setup {
        inputs,
        table,
        cache,
        naive,
    };
    verify(&setup);
    setup
}

/// Compares every implementation's answers with the table's, element by element.
fn verify(s: &Setup) {
    for (i, &(date, n)) in s.inputs.add.iter().enumerate() {
        let table = s.table.add_working_days(date, n).expect("in range");
        let bdays = bdays_add(&s.cache, date, n);
        assert_eq!(table, bdays, "add #{i}: {date} {n:+}: table vs bdays-cache");
        if i < NAIVE_PAIRS {
            let naive = s.naive.add(date, n);
            assert_eq!(table, naive, "add #{i}: {date} {n:+}: table vs naive");
        }
    }
    for (i, &(from, to)) in s.inputs.count.iter().enumerate() {
        let table = s.table.count_working_days(from, to).expect("in range");
        let bdays = bdays_count(&s.cache, from, to);
        assert_eq!(
            table, bdays,
            "count #{i}: {from}..{to}: table vs bdays-cache"
        );
        if i < NAIVE_PAIRS {
            let naive = s.naive.count(from, to);
            assert_eq!(table, naive, "count #{i}: {from}..{to}: table vs naive");
        }
    }
    println!(
        "verified: table, bdays-cache agree on {PAIRS} adds and {PAIRS} counts; \
         naive agrees on the first {NAIVE_PAIRS} of each"
    );
}

fn print_table_bytes() {
    for region in Region::ALL {
        let bytes = WorkingCalendar::new(region).table_bytes();
        println!(
            "table_bytes {:<18} {bytes:>9} bytes ({:.1} KiB)",
            region.as_str(),
            bytes as f64 / 1024.0
        );
    }
    // For comparison: HolidayCalendarCache keeps two bools and an i32 per day.
    let days =
        ymd(LAST_YEAR, 12, 31).num_days_from_ce() - ymd(FIRST_YEAR, 1, 1).num_days_from_ce() + 1;
    let bytes = days as usize * (1 + 1 + 4);
    println!(
        "bdays-cache (same range, element data only) {bytes} bytes ({:.1} KiB)",
        bytes as f64 / 1024.0
    );
}

// ---------------------------------------------------------------------------
// Benchmarks
// ---------------------------------------------------------------------------

/// Elements per iteration of each bench, for the ns/op summary.
const ELEMENTS: [(&str, &str, usize); 8] = [
    ("calendar/add", "table", PAIRS),
    ("calendar/add", "bdays-cache", PAIRS),
    ("calendar/add", "naive", NAIVE_PAIRS),
    ("calendar/count", "table", PAIRS),
    ("calendar/count", "bdays-cache", PAIRS),
    ("calendar/count", "naive", NAIVE_PAIRS),
    ("calendar/build", "england-and-wales", 1),
    ("calendar/build", "united-kingdom", 1),
];

/// How long one contender is measured: (samples, seconds).
type Sampling = (usize, u64);

/// One contender: answers a slice of pairs with a checksum.
type Contender<'a, P> = &'a dyn Fn(&[P]) -> i64;

/// One group: the tables, `bdays`' cache and the naive loop over the same inputs
/// (the naive loop over the first `NAIVE_PAIRS` only), every iteration checked
/// against the tables' answer so no work can be skipped.
fn bench_three<P>(
    c: &mut Criterion,
    group_name: &str,
    all: &[P],
    [table, bdays, naive]: [Contender<'_, P>; 3],
    [bdays_sampling, naive_sampling]: [Sampling; 2],
) {
    let few = &all[..NAIVE_PAIRS];
    let expected_all = table(all);
    let expected_few = table(few);
    let mut group = c.benchmark_group(group_name);
    group
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    let contenders = [
        ("table", table, all, expected_all, None),
        (
            "bdays-cache",
            bdays,
            all,
            expected_all,
            Some(bdays_sampling),
        ),
        ("naive", naive, few, expected_few, Some(naive_sampling)),
    ];
    for (name, run, pairs, expected, sampling) in contenders {
        if let Some((samples, seconds)) = sampling {
            group
                .sample_size(samples)
                .measurement_time(Duration::from_secs(seconds));
        }
        group.throughput(Throughput::Elements(pairs.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let sum = run(black_box(pairs));
                assert_eq!(sum, expected);
                sum
            })
        });
    }
    group.finish();
}

fn bench_add(c: &mut Criterion, s: &Setup) {
    bench_three(
        c,
        "calendar/add",
        &s.inputs.add,
        [
            &|p| table_add(&s.table, p),
            &|p| bdays_cache_add(&s.cache, p),
            &|p| naive_add(&s.naive, p),
        ],
        // bdays takes about 0.3 s per iteration: ten samples of one each.
        [(10, 8), (10, 4)],
    );
}

fn bench_count(c: &mut Criterion, s: &Setup) {
    bench_three(
        c,
        "calendar/count",
        &s.inputs.count,
        [
            &|p| table_count(&s.table, p),
            &|p| bdays_cache_count(&s.cache, p),
            &|p| naive_count(&s.naive, p),
        ],
        [(20, 3), (10, 5)],
    );
}

fn bench_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("calendar/build");
    group
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10);
    for region in [Region::EnglandAndWales, Region::UnitedKingdom] {
        let expected = WorkingCalendar::new(region).fingerprint();
        group.bench_function(region.as_str(), |b| {
            b.iter(|| {
                let calendar = WorkingCalendar::new(black_box(region));
                assert_eq!(calendar.fingerprint(), expected);
                calendar
            })
        });
    }
    group.finish();
}

// ---------------------------------------------------------------------------
// Summary: median ns per operation, read back from criterion's estimates
// ---------------------------------------------------------------------------

/// Where criterion 0.5 writes its data (the same lookup order, bar `cargo metadata`).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        PathBuf::from(home)
    } else if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        PathBuf::from(target).join("criterion")
    } else {
        PathBuf::from("target/criterion")
    }
}

/// Criterion's directory name for a group or function id.
fn filename_safe(id: &str) -> String {
    id.replace(['?', '"', '/', '\\', '*', '<', '>', ':', '|', '^'], "_")
}

/// The median time per iteration in ns, if this run measured the bench.
fn median_ns(group: &str, function: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_dir()
        .join(filename_safe(group))
        .join(filename_safe(function))
        .join("new/estimates.json");
    let fresh = std::fs::metadata(&path).ok()?.modified().ok()? >= since;
    if !fresh {
        return None;
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn print_summary(since: SystemTime) {
    let rows: Vec<(String, f64, usize)> = ELEMENTS
        .iter()
        .filter_map(|&(group, function, elements)| {
            median_ns(group, function, since)
                .map(|ns| (format!("{group}/{function}"), ns, elements))
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    println!("\nsummary (median):");
    for (id, ns, elements) in &rows {
        if *elements == 1 {
            println!("  {id:<30} {:>12.3} ms per build", ns / 1e6);
        } else {
            println!(
                "  {id:<30} {:>12.2} ns/op  ({elements} ops per iteration)",
                ns / *elements as f64
            );
        }
    }
}

fn main() {
    let started = SystemTime::now();
    let mut criterion = Criterion::default().without_plots().configure_from_args();
    print_table_bytes();
    let setup = setup();
    bench_add(&mut criterion, &setup);
    bench_count(&mut criterion, &setup);
    bench_build(&mut criterion);
    criterion.final_summary();
    print_summary(started);
}
