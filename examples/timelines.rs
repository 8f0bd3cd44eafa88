//! Prints the worst-case timeline of every built-in ladder raised on a date.
//!
//! `cargo run --example timelines -- 2026-12-21`

use chrono::NaiveDate;
use escalation_ladder::engine::{schedule_dates, worst_case_timeline};
use escalation_ladder::ladder::{builtin, Procedure};
use escalation_ladder::{Region, WorkingCalendar};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let raised: NaiveDate = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "2026-12-21".to_string())
        .parse()?;
    let calendar = WorkingCalendar::new(Region::EnglandAndWales);
    for procedure in builtin::procedures() {
        println!("# {}", procedure.id());
        match &procedure {
            Procedure::Ladder(ladder) => {
                let (rows, ceiling) = worst_case_timeline(ladder, &calendar, raised)?;
                for row in rows {
                    let by = row.respond_by.map(|d| d.to_string()).unwrap_or_default();
                    println!("{}\t{}\t{}", row.stage, row.entered, by);
                }
                if let Some(ceiling) = ceiling {
                    println!("ceiling\t{ceiling}");
                }
            }
            Procedure::Schedule(schedule) => {
                for m in schedule_dates(schedule, &calendar, raised)? {
                    let until = m.until.map(|d| d.to_string()).unwrap_or_default();
                    println!("{}\t{}\t{}", m.id, m.date, until);
                }
            }
        }
    }
    Ok(())
}
