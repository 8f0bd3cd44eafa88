//! A number on a page read back against the JSON report it shows: shared by
//! tests/report_html.rs (the page as written) and tests/browser.rs (the page
//! as a browser rendered it).

use serde_json::Value;

pub fn at<'j>(json: &'j Value, pointer: &str) -> &'j Value {
    json.pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} is not in the JSON report"))
}

pub fn number(json: &Value, pointer: &str) -> f64 {
    at(json, pointer)
        .as_f64()
        .unwrap_or_else(|| panic!("{pointer} is not a number: {}", at(json, pointer)))
}

/// The page's number as written: thousands separated by commas, a
/// percentage with one decimal.
pub fn page_number(text: &str) -> f64 {
    let digits: String = text
        .trim_end_matches('%')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("{text:?} is not a number"))
}

/// Checks one number: `attribute` is `data-json` (the figure at the pointer;
/// a date's text is its ISO date), `data-sum` (the sum of the figures) or
/// `data-diff` ("up N", "down N" or "no change" from the second figure to
/// the first).
pub fn check(attribute: &str, pointers: &[String], text: &str, json: &Value) {
    match attribute {
        "data-json" => {
            let pointer = &pointers[0];
            match at(json, pointer) {
                Value::String(s) => assert_eq!(text, s, "{pointer}"),
                Value::Number(_) => {
                    let expected = number(json, pointer);
                    if text.ends_with('%') || text.contains('.') {
                        assert_eq!(
                            text.trim_end_matches('%'),
                            format!("{expected:.1}"),
                            "{pointer}"
                        );
                    } else {
                        assert_eq!(page_number(text), expected, "{pointer}");
                    }
                }
                other => panic!("{pointer}: {other} is neither a number nor a date"),
            }
        }
        "data-sum" => {
            let sum: f64 = pointers.iter().map(|p| number(json, p)).sum();
            assert_eq!(page_number(text), sum, "{pointers:?}");
        }
        _ => {
            let now = number(json, &pointers[0]);
            let then = number(json, &pointers[1]);
            let said = if now > then {
                format!("up {}", now - then)
            } else if now < then {
                format!("down {}", then - now)
            } else {
                "no change".to_string()
            };
            assert_eq!(text, said, "{pointers:?}");
        }
    }
}
