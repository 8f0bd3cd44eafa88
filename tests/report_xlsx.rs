//! `ladder report --format xlsx` read back: the workbook's sheets, typed
//! dates and numbers, frozen headers, filters and widths, text that stays
//! text, and the headline figures equal to the JSON report's.
//!
//! The workbook is a zip of SpreadsheetML parts (ECMA-376); this test opens
//! it with the zip crate and reads the cells from the XML: a shared string
//! (`t="s"`) is text, a cell with a value and no type is a number, and a
//! number in the `yyyy-mm-dd` style is a date (days since 30 December 1899).
#![cfg(feature = "cli")]

use std::collections::BTreeMap;
use std::io::Read;

use chrono::NaiveDate;
use serde_json::Value;

mod support;

/// A cell: text, a number, or a date.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

struct Book {
    names: Vec<String>,
    sheets: Vec<String>,
    strings: Vec<String>,
    date_style: String,
}

fn part(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} is not in the workbook"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn between<'t>(text: &'t str, open: &str, close: &str) -> Vec<&'t str> {
    text.split(open)
        .skip(1)
        .map(|s| &s[..s.find(close).unwrap()])
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn open(bytes: Vec<u8>) -> Book {
    assert_eq!(&bytes[..2], b"PK", "a zip file");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let workbook = part(&mut zip, "xl/workbook.xml");
    let names: Vec<String> = between(&workbook, "<sheet name=\"", "\"")
        .into_iter()
        .map(unescape)
        .collect();
    let sheets = (1..=names.len())
        .map(|i| part(&mut zip, &format!("xl/worksheets/sheet{i}.xml")))
        .collect();
    let strings = between(&part(&mut zip, "xl/sharedStrings.xml"), "<si>", "</si>")
        .into_iter()
        .map(|si| {
            let runs: Vec<&str> = between(si, "<t", "</t>")
                .into_iter()
                .map(|t| &t[t.find('>').unwrap() + 1..])
                .collect();
            unescape(&runs.concat())
        })
        .collect();
    // The index of the cell style whose number format is yyyy-mm-dd.
    let styles = part(&mut zip, "xl/styles.xml");
    let id = between(&styles, "<numFmt numFmtId=\"", "\"")
        .into_iter()
        .zip(between(&styles, "formatCode=\"", "\""))
        .find(|(_, code)| *code == "yyyy-mm-dd")
        .map(|(id, _)| id.to_string())
        .expect("a date format");
    let xfs = between(&styles, "<cellXfs", "</cellXfs>")[0];
    let date_style = between(xfs, "<xf ", ">")
        .iter()
        .position(|xf| xf.contains(&format!("numFmtId=\"{id}\"")))
        .expect("a date style")
        .to_string();
    Book {
        names,
        sheets,
        strings,
        date_style,
    }
}

impl Book {
    fn sheet(&self, name: &str) -> &str {
        let i = self.names.iter().position(|n| n == name).unwrap();
        &self.sheets[i]
    }

    /// A sheet's rows, each a map from column letter to cell.
    fn rows(&self, name: &str) -> Vec<BTreeMap<String, Cell>> {
        let excel_epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
        between(self.sheet(name), "<row ", "</row>")
            .into_iter()
            .map(|row| {
                row.split("<c ")
                    .skip(1)
                    .map(|c| {
                        let tag = &c[..c.find('>').unwrap()];
                        let column: String = between(tag, "r=\"", "\"")[0]
                            .chars()
                            .take_while(|ch| ch.is_ascii_uppercase())
                            .collect();
                        let value = between(c, "<v>", "</v>")[0];
                        let cell = if tag.contains("t=\"s\"") {
                            Cell::Text(self.strings[value.parse::<usize>().unwrap()].clone())
                        } else if tag.contains(&format!("s=\"{}\"", self.date_style)) {
                            Cell::Date(excel_epoch + chrono::Days::new(value.parse().unwrap()))
                        } else {
                            Cell::Number(value.parse().unwrap())
                        };
                        (column, cell)
                    })
                    .collect()
            })
            .collect()
    }

    /// A column's cells under its header, by the header's text.
    fn column(&self, name: &str, header: &str) -> Vec<Option<Cell>> {
        let rows = self.rows(name);
        let letter = rows[0]
            .iter()
            .find(|(_, c)| **c == Cell::Text(header.into()))
            .map(|(l, _)| l.clone())
            .unwrap_or_else(|| panic!("{name} has no column {header}"));
        rows[1..].iter().map(|r| r.get(&letter).cloned()).collect()
    }
}

fn report(format: &str, cases: &str, as_of: &str) -> Vec<u8> {
    let args = [
        "report", "--as-of", as_of, "--cases", "-", "--format", format,
    ];
    let output = support::ladder_in(None, &args, cases);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn the_workbook_has_typed_sheets_and_the_json_reports_figures() {
    let cases = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/cases.jsonl"
    ))
    .unwrap();
    let book = open(report("xlsx", &cases, "2026-11-23"));
    let json: Value = serde_json::from_slice(&report("json", &cases, "2026-11-23")).unwrap();
    assert_eq!(
        book.names,
        [
            "Summary",
            "Open alerts",
            "Escalations",
            "Extensions",
            "Duties overdue"
        ]
    );
    for (name, sheet) in book.names.iter().zip(&book.sheets) {
        assert!(
            sheet.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{name}: the header row frozen"
        );
        assert!(sheet.contains("<autoFilter ref=\"A1:"), "{name}: a filter");
        assert!(sheet.contains("customWidth=\"1\""), "{name}: column widths");
    }
    // The headline figures, now and in the previous period, are the JSON's.
    let summary = book.rows("Summary");
    for (measure, figure) in [
        ("raised", "raised"),
        ("closed", "closed"),
        ("open", "open"),
        ("overdue", "overdue"),
        ("ceiling-breaches", "ceiling_breaches"),
        ("overdue-duties", "overdue_duties"),
    ] {
        let row = summary
            .iter()
            .find(|r| {
                r.get("A") == Some(&Cell::Text("headline".into()))
                    && r.get("D") == Some(&Cell::Text(measure.into()))
            })
            .unwrap_or_else(|| panic!("no headline row {measure}"));
        let now = json["headline"][figure].as_f64().unwrap();
        let then = json["previous"]["headline"][figure].as_f64().unwrap();
        assert_eq!(row.get("E"), Some(&Cell::Number(now)), "{measure}");
        assert_eq!(row.get("F"), Some(&Cell::Number(then)), "{measure}");
    }
    // A row per open alert, with its names by title and dates as dates.
    let open = book.column("Open alerts", "Case");
    assert_eq!(
        open.len() as u64,
        json["headline"]["open"].as_u64().unwrap()
    );
    let names = book.column("Open alerts", "Stage name");
    assert!(names.contains(&Some(Cell::Text(
        "Second stage: alert to the team manager".into()
    ))));
    for due in book
        .column("Open alerts", "Next deadline")
        .into_iter()
        .flatten()
    {
        assert!(matches!(due, Cell::Date(_)), "{due:?}");
    }
    let extensions = book.column("Extensions", "Case");
    assert_eq!(
        extensions.len() as u64,
        json["extensions"]["count"].as_u64().unwrap()
    );
}

/// Text stays text: an id that starts like a formula is written as it is
/// (a text cell is never run), and names with accents are whole; the due
/// date is a date, the working days a number.
#[test]
fn text_stays_text_and_dates_are_dates() {
    let record = r#"{"case":"IRO-1","team":"Zoë's Pod","worker":"-temp.agency","ladder":"iro-dispute-resolution","events":[{"on":"2026-12-18","actor":"iro","type":"raise","stage":"team-manager","reason":"drift"},{"on":"2026-12-30","actor":"iro","type":"escalate","reason":"no response"}]}"#;
    let book = open(report("xlsx", &format!("{record}\n"), "2027-01-11"));
    let cell = |column: &str| book.column("Open alerts", column)[0].clone();
    assert_eq!(cell("Worker"), Some(Cell::Text("-temp.agency".into())));
    assert_eq!(cell("Team"), Some(Cell::Text("Zoë's Pod".into())));
    assert_eq!(
        cell("Stage name"),
        Some(Cell::Text(
            "Third stage: alert to the head of service".into()
        ))
    );
    // Escalated on 30 December 2026: the head of service's 5 working days
    // (New Year's Day skipped) end on 7 January 2027.
    assert_eq!(
        cell("Next deadline"),
        Some(Cell::Date(NaiveDate::from_ymd_opt(2027, 1, 7).unwrap()))
    );
    assert_eq!(
        cell("Raised"),
        Some(Cell::Date(NaiveDate::from_ymd_opt(2026, 12, 18).unwrap()))
    );
    // 8 January and 11 January are past the date: 2 working days.
    assert_eq!(cell("Working days left"), Some(Cell::Number(-2.0)));
    let moves = book.rows("Escalations");
    assert_eq!(moves.len(), 2, "one escalation under the header");
    assert_eq!(
        book.column("Escalations", "Working days at the stage")[0],
        Some(Cell::Number(6.0))
    );
}
