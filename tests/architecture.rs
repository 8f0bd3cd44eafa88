//! The house rules, checked on the source: no import runs back up the module
//! graph, no two files of a module import each other in a circle, and no
//! function outside a data table is longer than 150 lines.
//!
//! The layers, lowest first: `input`, `escape`, `calendar`, `ladder`,
//! `engine`, `report`, `ics`, then `contract` (the documents and error
//! documents of all of them), `ops` (the operations), `sources` (files into
//! a registry), and the doors, `cli` and `server`. DESIGN.md says why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A file's code: without its unit tests and without comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names `text` reaches through `prefix` (`crate::` or `super::`).
fn reached<'t>(text: &'t str, prefix: &str) -> BTreeSet<&'t str> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let after = &rest[at + prefix.len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        names.insert(&after[..end]);
        rest = &after[end..];
    }
    // `use crate::{a, b}` names several.
    let mut rest = text;
    while let Some(at) = rest.find(&format!("{prefix}{{")) {
        let after = &rest[at + prefix.len() + 1..];
        let end = after.find('}').unwrap_or(after.len());
        for item in after[..end].split(',') {
            let name = item.trim().split("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                names.insert(name);
            }
        }
        rest = &after[end..];
    }
    names
}

/// A cycle of `graph`, if it has one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(found) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(found);
        }
    }
    None
}

/// The crate's top-level modules and which of the others each imports.
#[test]
fn no_import_runs_back_up_the_module_graph() {
    let src = Path::new("src");
    let modules: BTreeSet<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "lib" && m != "bin")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in &modules {
        let dir = src.join(module);
        let paths = match dir.is_dir() {
            true => files(&dir),
            false => vec![src.join(format!("{module}.rs"))],
        };
        let edges = graph.entry(module.clone()).or_default();
        for path in paths {
            for name in reached(&code(&path), "crate::") {
                if modules.contains(name) && name != module {
                    edges.insert(name.to_string());
                }
            }
        }
    }
    assert_eq!(cycle(&graph), None, "an import runs back up: {graph:#?}");
    // The contract is above the engine, the report and the calendar.
    for low in [
        "input", "escape", "calendar", "ladder", "engine", "report", "ics",
    ] {
        for high in ["contract", "ops", "sources", "cli", "server"] {
            assert!(
                !graph[low].contains(high),
                "{low} imports {high}, which is above it"
            );
        }
    }
}

/// Within a module, the files do not import each other in a circle.
#[test]
fn no_two_files_of_a_module_import_each_other_in_a_circle() {
    let mut dirs = vec![PathBuf::from("src"), PathBuf::from("ffi/src")];
    while let Some(dir) = dirs.pop() {
        let mut siblings = BTreeSet::new();
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path.clone());
                siblings.insert(path.file_name().unwrap().to_string_lossy().into_owned());
            } else if path.extension().is_some_and(|e| e == "rs") {
                siblings.insert(path.file_stem().unwrap().to_string_lossy().into_owned());
                paths.push(path);
            }
        }
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for path in paths {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            if stem == "mod" || stem == "lib" {
                // The module's root declares its files; it is the parent.
                continue;
            }
            let edges = graph.entry(stem.clone()).or_default();
            for name in reached(&code(&path), "super::") {
                if siblings.contains(name) && name != stem && name != "mod" {
                    edges.insert(name.to_string());
                }
            }
        }
        assert_eq!(cycle(&graph), None, "{}: {graph:#?}", dir.display());
    }
}

/// The functions longer than 150 lines: none but the data tables named here.
#[test]
fn no_function_outside_a_data_table_is_over_150_lines() {
    // Tables of data written as code: one entry per line or few lines.
    const TABLES: &[(&str, &str)] = &[("src/server/routes.rs", "routes")];
    let mut long = Vec::new();
    for root in ["src", "ffi/src"] {
        for path in files(Path::new(root)) {
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for (at, line) in lines.iter().enumerate() {
                let trimmed = line.trim_start();
                let Some(after) = trimmed
                    .split_once("fn ")
                    .filter(|(before, _)| {
                        before.is_empty()
                            || before.split_whitespace().all(|w| {
                                [
                                    "pub",
                                    "pub(crate)",
                                    "async",
                                    "unsafe",
                                    "extern",
                                    "\"C\"",
                                    "const",
                                ]
                                .contains(&w)
                            })
                    })
                    .map(|(_, after)| after)
                else {
                    continue;
                };
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name.is_empty() || line.trim_end().ends_with(';') {
                    continue;
                }
                let indent = line.len() - trimmed.len();
                let end = lines[at..].iter().position(|l| {
                    l.len() > indent
                        && l[..indent].trim().is_empty()
                        && l[indent..].starts_with('}')
                        || l.len() == indent + 1 && l.ends_with('}')
                });
                let length = end.map_or(0, |e| e + 1);
                let file = path.to_string_lossy().replace('\\', "/");
                if length > 150 && !TABLES.contains(&(file.as_str(), name.as_str())) {
                    long.push(format!("{file}: fn {name}: {length} lines"));
                }
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over 150 lines:\n{}",
        long.join("\n")
    );
}
