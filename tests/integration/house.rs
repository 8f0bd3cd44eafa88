//! The house rules the source keeps (issue 17, §7): no function over 150
//! lines in the report, the ladders, the calendar export and the calendar,
//! and no import circle between the report's files.
//!
//! `cargo test --test integration house -- --nocapture` also lists the long
//! functions elsewhere in `src/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a function may be, in lines from `fn` to its closing brace.
const MOST_LINES: usize = 150;

/// Where no function may be longer.
const KEPT_SHORT: [&str; 4] = ["src/report", "src/ladder", "src/ics", "src/calendar"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A line's code: comments, strings and character literals left out (so
/// their braces do not count). `in_block` and `in_string` carry a block
/// comment or a string over to the next line.
fn code(line: &str, in_block: &mut bool, in_string: &mut bool) -> String {
    let bytes = line.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if *in_block {
            if rest.starts_with(b"*/") {
                *in_block = false;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        if *in_string {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => {
                    *in_string = false;
                    i += 1;
                }
                _ => i += 1,
            }
            continue;
        }
        if rest.starts_with(b"//") {
            break;
        }
        if rest.starts_with(b"/*") {
            *in_block = true;
            i += 2;
            continue;
        }
        match bytes[i] {
            b'"' => *in_string = true,
            // A character literal ('{', '\'' or '\u{7b}'), not a lifetime.
            b'\'' if rest.len() > 2 && (bytes[i + 2] == b'\'' || bytes[i + 1] == b'\\') => {
                let from = if bytes[i + 1] == b'\\' { i + 3 } else { i + 2 };
                i = bytes
                    .get(from..)
                    .and_then(|tail| tail.iter().position(|b| *b == b'\''))
                    .map_or(i + 1, |end| from + end + 1);
                continue;
            }
            byte if byte.is_ascii() => out.push(byte as char),
            _ => {}
        }
        i += 1;
    }
    out
}

/// The name of the function a line starts, if it starts one.
fn starts_fn(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace().peekable();
    while let Some(word) = words.next() {
        match word {
            "fn" => {
                let name = words.next()?;
                return Some(name.split(['(', '<']).next().unwrap_or(name));
            }
            w if w == "pub"
                || w.starts_with("pub(")
                || ["const", "async", "unsafe", "extern", "\"C\""].contains(&w) => {}
            _ => return None,
        }
    }
    None
}

/// Every function of `file` longer than [`MOST_LINES`]: (first line, name,
/// lines).
fn long_functions(file: &Path) -> Vec<(usize, String, usize)> {
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(name) = starts_fn(line) else {
            continue;
        };
        let (mut in_block, mut in_string) = (false, false);
        let (mut depth, mut opened) = (0i64, false);
        let mut end = None;
        'lines: for (at, line) in lines.iter().enumerate().skip(start) {
            for c in code(line, &mut in_block, &mut in_string).chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    // A declaration without a body (in a trait).
                    ';' if !opened => break 'lines,
                    _ => {}
                }
                if opened && depth == 0 {
                    end = Some(at);
                    break 'lines;
                }
            }
        }
        if let Some(end) = end {
            let count = end - start + 1;
            if count > MOST_LINES {
                long.push((start + 1, name.to_string(), count));
            }
        }
    }
    long
}

#[test]
fn no_function_over_150_lines_in_the_report_ladders_ics_and_calendar() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    if root.join("ffi/src").is_dir() {
        rust_files(&root.join("ffi/src"), &mut files);
    }
    let mut too_long = Vec::new();
    for file in &files {
        let shown = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for (line, name, count) in long_functions(file) {
            let entry = format!("{count} lines: {shown}:{line} {name}");
            if KEPT_SHORT.iter().any(|dir| shown.starts_with(dir)) {
                too_long.push(entry);
            } else {
                eprintln!("over {MOST_LINES} elsewhere: {entry}");
            }
        }
    }
    assert!(too_long.is_empty(), "{}", too_long.join("\n"));
}

#[test]
fn the_scan_counts_a_function_to_its_closing_brace() {
    let dir = std::env::temp_dir().join(format!("house-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sample.rs");
    let body = "    let _ = \"}\"; // }\n".repeat(MOST_LINES);
    let text = format!(
        "pub(crate) fn long() {{\n{body}}}\n\nfn short() {{\n    let c = '}}';\n}}\n\ntrait T {{\n    fn declared(&self);\n}}\n"
    );
    std::fs::write(&file, text).unwrap();
    let found = long_functions(&file);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found, [(1, "long".to_string(), MOST_LINES + 2)]);
}

/// `use super::…` (and `super::super::…`) imports of each file of
/// `src/report`, as edges between files.
fn report_imports(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let base = root.join("src/report");
    let mut files = Vec::new();
    rust_files(&base, &mut files);
    let module_of = |path: &Path| -> Vec<String> {
        let relative = path.strip_prefix(&base).unwrap().with_extension("");
        let mut parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        parts
    };
    let known: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let mut edges = BTreeMap::new();
    for file in &files {
        let here = module_of(file);
        let is_mod = file.file_name().is_some_and(|n| n == "mod.rs");
        let text = std::fs::read_to_string(file).unwrap();
        // Imports of the tests do not count: they are not the module's.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let mut targets = BTreeSet::new();
        for line in text.lines().map(str::trim_start) {
            let Some(path) = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
                .iter()
                .find_map(|start| line.strip_prefix(start))
            else {
                continue;
            };
            // `super` is the parent of a file's module (of `mod.rs`, the
            // parent of its directory's); a child module is named as it is.
            let mut at: Vec<String> = here.clone();
            let mut rest = path;
            if let Some(more) = path.strip_prefix("crate::report::") {
                at.clear();
                rest = more;
            } else if let Some(more) = path.strip_prefix("super::") {
                if !is_mod || !at.is_empty() {
                    at.pop();
                }
                rest = more;
                while let Some(more) = rest.strip_prefix("super::") {
                    at.pop();
                    rest = more;
                }
            } else {
                let first = path.split("::").next().unwrap_or_default();
                let mut child = here.clone();
                child.push(first.to_string());
                if !is_mod || !known.contains(&child) {
                    continue;
                }
            }
            for segment in rest.split("::") {
                let name = segment.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
                let mut next = at.clone();
                next.push(name.to_string());
                if known.contains(&next) {
                    at = next;
                } else {
                    break;
                }
            }
            if at != here {
                targets.insert(at.join("/"));
            }
        }
        edges.insert(here.join("/"), targets);
    }
    edges
}

#[test]
fn no_import_circle_between_the_reports_files() {
    let edges = report_imports(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        edges["reading/fast"].contains("reading/record"),
        "{edges:?}"
    );
    // Depth-first from every file; a file met again on the path is a circle.
    fn visit<'a>(
        node: &'a str,
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut circle: Vec<String> = path[at..].iter().map(|n| n.to_string()).collect();
            circle.push(node.to_string());
            return Some(circle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        let circle = visit(node, &edges, &mut Vec::new(), &mut done);
        assert!(
            circle.is_none(),
            "import circle: {}",
            circle.unwrap().join(" -> ")
        );
    }
}
