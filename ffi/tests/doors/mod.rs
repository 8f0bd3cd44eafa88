//! Every door of the crate, made once and called in process with the same
//! request: the library (`ops::call`), the command line
//! (`cli::run_with_registry`), the HTTP router (`tower::ServiceExt::oneshot`)
//! and the C ABI (`el_call`, and the functions that take a request's parts).
//! `Doors::all` sends a request through each and checks that they agree.
#![allow(dead_code)] // each test crate uses its own part

use std::ffi::{c_char, CStr, CString};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::Request;
use escalation_ladder::chrono::NaiveDate;
use escalation_ladder::cli::{run_with_registry, Io};
use escalation_ladder::contract::ErrorClass;
use escalation_ladder::ops::{self, Closure, Operation, Registry, Setup, CLOSURE_REASON};
use escalation_ladder::server::{ServerConfig, Service};
use escalation_ladder::sources::Sources;
use escalation_ladder_ffi::{
    el_add_working_days, el_advance, el_apply, el_call, el_count_working_days, el_status,
    el_string_free, EL_OK,
};
use serde_json::Value;
use tower::ServiceExt;

use crate::support::Handle;

/// What a door answered: the answer's bytes, or the error document's bytes
/// with its class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    Ok(String),
    Err(String, ErrorClass),
}

impl Answered {
    fn of(result: Result<ops::Answer, escalation_ladder::contract::ErrorDocument>) -> Answered {
        match result {
            Ok(answer) => Answered::Ok(String::from_utf8(answer.body).unwrap()),
            Err(doc) => Answered::Err(serde_json::to_string(&doc).unwrap(), doc.class()),
        }
    }

    /// The answer as JSON, if it is one.
    pub fn ok(&self) -> Option<Value> {
        match self {
            Answered::Ok(text) => Some(serde_json::from_str(text).unwrap()),
            Answered::Err(..) => None,
        }
    }

    /// The answer's text (a report's CSV, an iCalendar).
    pub fn text(&self) -> Option<&str> {
        match self {
            Answered::Ok(text) => Some(text),
            Answered::Err(..) => None,
        }
    }

    /// The error document's code, or `ok`.
    pub fn code(&self) -> String {
        match self {
            Answered::Ok(_) => "ok".to_string(),
            Answered::Err(doc, _) => serde_json::from_str::<Value>(doc).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string(),
        }
    }

    /// Whether `other` is the same answer: the same bytes; for a document the
    /// door had to read on its own (a state file, an ABI argument) and found
    /// not to be JSON or not the document, the same code and field, since the
    /// line and column count in what the door was given (DESIGN.md, "Why one
    /// layer of operations").
    pub fn same_as(&self, other: &Answered) -> bool {
        if self == other {
            return true;
        }
        let (Some(a), Some(b)) = (self.error(), other.error()) else {
            return false;
        };
        let read = ["request.malformed-json", "request.invalid-document"];
        read.contains(&a["code"].as_str().unwrap_or(""))
            && a["code"] == b["code"]
            && a["fields"].get("field") == b["fields"].get("field")
    }

    /// The error document, if it is one.
    pub fn error(&self) -> Option<Value> {
        match self {
            Answered::Ok(_) => None,
            Answered::Err(doc, _) => Some(serde_json::from_str(doc).unwrap()),
        }
    }
}

/// What the requests gave, by operation and code (`ok` for an answer).
pub type Tally = std::collections::BTreeMap<(&'static str, String), usize>;

/// Every door, made once, on the same procedures and calendars.
pub struct Doors {
    registry: Registry,
    handle: Handle,
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
    scratch: std::path::PathBuf,
    closures: Vec<NaiveDate>,
    record: Option<std::cell::RefCell<std::io::BufWriter<std::fs::File>>>,
    pub tally: std::cell::RefCell<Tally>,
}

/// Where [`Doors::recording`] writes its corpus: `target/tmp/parity-corpus`.
pub const CORPUS: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/parity-corpus");

/// A temporary file's number, unique in the process.
static FILES: AtomicUsize = AtomicUsize::new(0);

impl Doors {
    /// The doors on the built-in procedures and calendars.
    pub fn new() -> Doors {
        Doors::closed(&[])
    }

    /// The doors with these closure days (each door given them its own way:
    /// the registry's setup, the service's sources, the handle's
    /// `calendar_json`).
    pub fn closed(closures: &[NaiveDate]) -> Doors {
        let unique = FILES.fetch_add(1, Ordering::Relaxed);
        let scratch = std::env::temp_dir().join(format!("doors-{}-{unique}", std::process::id()));
        std::fs::create_dir_all(&scratch).unwrap();
        let setup = Setup {
            closures: closures
                .iter()
                .map(|&date| Closure {
                    date,
                    reason: CLOSURE_REASON.into(),
                })
                .collect(),
            ..Setup::default()
        };
        let calendar_json = serde_json::json!({
            "closures": closures.iter().map(|d| serde_json::json!({"date": d.to_string()})).collect::<Vec<_>>(),
        })
        .to_string();
        let config = ServerConfig {
            sources: Sources {
                closures: closures.to_vec(),
                ..Sources::default()
            },
            ..ServerConfig::default()
        };
        Doors {
            registry: Registry::new(setup).unwrap().0,
            handle: Handle::new(None, None, Some(&calendar_json)).unwrap(),
            router: Service::new(config).unwrap().router(),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap(),
            scratch,
            closures: closures.to_vec(),
            record: None,
            tally: Default::default(),
        }
    }

    /// The doors, writing every request and the library's answer to
    /// `CORPUS/NAME.jsonl` (one object a line: `operation`, `request`,
    /// `payload_hex`, `closures`, and `answer`, `{"ok": TEXT}` or
    /// `{"error": DOCUMENT}`): the corpus the Python package's tests replay
    /// through its door (python/tests/test_parity_corpus.py).
    pub fn recording(mut self, name: &str) -> Doors {
        std::fs::create_dir_all(CORPUS).unwrap();
        let file = std::fs::File::create(format!("{CORPUS}/{name}.jsonl")).unwrap();
        self.record = Some(std::cell::RefCell::new(std::io::BufWriter::new(file)));
        self
    }

    /// Writes a request and its answer to the corpus, when recording.
    fn write_record(&self, op: Operation, request: &str, payload: &[u8], answer: &Answered) {
        use std::io::Write;
        let Some(record) = &self.record else {
            return;
        };
        let answer = match answer {
            Answered::Ok(text) => serde_json::json!({"ok": text}),
            Answered::Err(..) => serde_json::json!({"error": answer.error()}),
        };
        let hex: String = payload.iter().map(|b| format!("{b:02x}")).collect();
        let line = serde_json::json!({
            "operation": op.name(),
            "request": request,
            "payload_hex": hex,
            "closures": self.closures.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "answer": answer,
        });
        writeln!(record.borrow_mut(), "{line}").unwrap();
    }

    /// Sends `request` through every door and checks that they agree; the
    /// library's answer.
    pub fn all(&self, op: Operation, request: &Value) -> Answered {
        self.all_with(op, request, b"")
    }

    /// [`Doors::all`] for an operation that reads a payload (a cases file, a
    /// procedure file).
    pub fn all_with(&self, op: Operation, request: &Value, payload: &[u8]) -> Answered {
        let text = request.to_string();
        let library = Answered::of(ops::call(&self.registry, op, text.as_bytes(), payload));
        self.write_record(op, &text, payload, &library);
        // el_call and HTTP take the request whole, as the library does: the
        // same bytes, always.
        let abi = self.abi_call(op, &text, payload);
        assert_eq!(abi, library, "el_call differs for {op} {text}");
        let http = self.http(op, request, payload);
        assert_eq!(http, library, "HTTP differs for {op} {text}");
        // The ABI's functions by parts and the command line read a state (an
        // event, a trail) on its own.
        if let Some(by_parts) = self.abi_parts(op, request) {
            assert!(
                by_parts.same_as(&library),
                "the ABI's {op} by parts differs for {text}:\n{by_parts:?}\n{library:?}"
            );
        }
        let cli = self.cli(op, request, payload);
        assert!(
            cli.same_as(&library),
            "the command line differs for {op} {text}:\n{cli:?}\n{library:?}"
        );
        *self
            .tally
            .borrow_mut()
            .entry((op.name(), library.code()))
            .or_default() += 1;
        library
    }

    fn abi_call(&self, op: Operation, request: &str, payload: &[u8]) -> Answered {
        let op = CString::new(op.name()).unwrap();
        let request = CString::new(request).unwrap();
        abi_out(|out| unsafe {
            el_call(
                self.handle.0,
                op.as_ptr(),
                request.as_ptr(),
                payload.as_ptr(),
                payload.len(),
                out,
            )
        })
    }

    /// The ABI's functions that take a request's parts as arguments.
    fn abi_parts(&self, op: Operation, request: &Value) -> Option<Answered> {
        let text = |field: &str| CString::new(request[field].as_str().unwrap_or("")).unwrap();
        Some(match op {
            Operation::Apply => {
                let ladder = text("ladder");
                let state = CString::new(request["state"].to_string()).unwrap();
                let event = CString::new(request["event"].to_string()).unwrap();
                let version = request["expect_version"].as_i64().unwrap_or(-1);
                let state_ptr = match request["state"].is_null() {
                    true => std::ptr::null(),
                    false => state.as_ptr(),
                };
                abi_out(|out| unsafe {
                    el_apply(
                        self.handle.0,
                        ladder.as_ptr(),
                        state_ptr,
                        event.as_ptr(),
                        version,
                        out,
                    )
                })
            }
            Operation::Advance | Operation::Status => {
                let ladder = text("ladder");
                let state = CString::new(request["state"].to_string()).unwrap();
                let as_of = text("as_of");
                let call = match op {
                    Operation::Advance => el_advance,
                    _ => el_status,
                };
                abi_out(|out| unsafe {
                    call(
                        self.handle.0,
                        ladder.as_ptr(),
                        state.as_ptr(),
                        as_of.as_ptr(),
                        out,
                    )
                })
            }
            Operation::AddWorkingDays if request.get("region").is_none() => {
                let from = text("from");
                let days = request["working_days"].as_i64()? as i32;
                abi_out(|out| unsafe {
                    el_add_working_days(self.handle.0, from.as_ptr(), days, out)
                })
            }
            Operation::CountWorkingDays if request.get("region").is_none() => {
                let (from, to) = (text("from"), text("to"));
                abi_out(|out| unsafe {
                    el_count_working_days(self.handle.0, from.as_ptr(), to.as_ptr(), out)
                })
            }
            _ => return None,
        })
    }

    /// The request as a query string: every field but the path's id.
    fn query(request: &Value, skip: &str) -> String {
        let mut pairs = Vec::new();
        for (name, value) in request.as_object().unwrap() {
            if name == skip || value.is_null() {
                continue;
            }
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            let encoded: String = text
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            pairs.push(format!("{name}={encoded}"));
        }
        pairs.join("&")
    }

    fn http(&self, op: Operation, request: &Value, payload: &[u8]) -> Answered {
        let id = |field: &str| request[field].as_str().unwrap_or("").to_string();
        let (method, path, body) = match op {
            Operation::Apply
            | Operation::Advance
            | Operation::Status
            | Operation::Recompute
            | Operation::Correct
            | Operation::Replay => (
                "POST",
                format!("/v1/ladders/{}/{}", id("ladder"), op.name()),
                request.to_string().into_bytes(),
            ),
            Operation::Ladders => ("GET", "/v1/ladders".to_string(), Vec::new()),
            Operation::Show => (
                "GET",
                format!(
                    "/v1/ladders/{}?{}",
                    id("procedure"),
                    Doors::query(request, "procedure")
                ),
                Vec::new(),
            ),
            Operation::Timeline => (
                "GET",
                format!(
                    "/v1/ladders/{}/timeline?{}",
                    id("procedure"),
                    Doors::query(request, "procedure")
                ),
                Vec::new(),
            ),
            Operation::Holidays => (
                "GET",
                format!("/v1/holidays?{}", Doors::query(request, "")),
                Vec::new(),
            ),
            Operation::AddWorkingDays | Operation::CountWorkingDays | Operation::Explain => {
                let name = match op {
                    Operation::AddWorkingDays => "add",
                    Operation::CountWorkingDays => "count",
                    _ => "explain",
                };
                (
                    "GET",
                    format!("/v1/working-days/{name}?{}", Doors::query(request, "")),
                    Vec::new(),
                )
            }
            Operation::Validate => (
                "POST",
                format!("/v1/ladders/validate?{}", Doors::query(request, "")),
                payload.to_vec(),
            ),
            Operation::Report | Operation::Ics => (
                "POST",
                format!("/v1/{}?{}", op.name(), Doors::query(request, "")),
                payload.to_vec(),
            ),
            Operation::AdvanceAlerts | Operation::RecomputeAlerts => {
                let name = match op {
                    Operation::AdvanceAlerts => "advance",
                    _ => "recompute",
                };
                (
                    "POST",
                    format!("/v1/alerts/{name}?{}", Doors::query(request, "")),
                    payload.to_vec(),
                )
            }
            _ => unreachable!("{op}"),
        };
        let http = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::from(body))
            .unwrap();
        let (status, body) = self.runtime.block_on(async {
            let response = self.router.clone().oneshot(http).await.unwrap();
            let status = response.status().as_u16();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, String::from_utf8(body.to_vec()).unwrap())
        });
        match status {
            200 => Answered::Ok(body),
            _ => {
                let doc: Value = serde_json::from_str(&body).unwrap();
                let class = ErrorClass::of(doc["code"].as_str().unwrap());
                assert_eq!(status, class.http_status(), "{body}");
                Answered::Err(body, class)
            }
        }
    }

    /// `validate` of a TOML procedure at every door, the request naming the
    /// file the command line reads it from.
    pub fn validate(&self, text: &[u8]) -> Answered {
        let unique = FILES.fetch_add(1, Ordering::Relaxed);
        let name = self.scratch.join(format!("{unique}-procedure.toml"));
        let request = serde_json::json!({"format": "toml", "name": name.to_str().unwrap()});
        self.all_with(Operation::Validate, &request, text)
    }

    /// A file of the doors' scratch directory with `text`; its path.
    fn file(&self, name: &str, text: &[u8]) -> String {
        let unique = FILES.fetch_add(1, Ordering::Relaxed);
        let path = self.scratch.join(format!("{unique}-{name}"));
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    /// The `ladder` command line's arguments and standard input for `request`.
    fn cli_args(&self, op: Operation, request: &Value, payload: &[u8]) -> (Vec<String>, Vec<u8>) {
        let field = |name: &str| match &request[name] {
            Value::String(text) => Some(text.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        };
        let mut args: Vec<String> = Vec::new();
        let option = |args: &mut Vec<String>, flag: &str, name: &str| {
            if let Some(value) = field(name) {
                args.extend([flag.to_string(), value]);
            }
        };
        // A picture (`format` svg, html, mermaid) in place of the JSON.
        let json_or_format = |args: &mut Vec<String>| match field("format") {
            Some(format) => args.extend(["--format".to_string(), format]),
            None => args.push("--json".into()),
        };
        let mut stdin = Vec::new();
        match op {
            Operation::Apply => {
                args.extend(["apply".into(), field("ladder").unwrap(), "--json".into()]);
                args.extend(["--event".into(), request["event"].to_string()]);
                if !request["state"].is_null() {
                    args.extend(["--state".into(), "-".into()]);
                    stdin = request["state"].to_string().into_bytes();
                }
                option(&mut args, "--expect-version", "expect_version");
            }
            Operation::Advance | Operation::Status => {
                args.extend([op.name().into(), field("ladder").unwrap(), "--json".into()]);
                args.extend(["--state".into(), "-".into()]);
                option(&mut args, "--as-of", "as_of");
                stdin = request["state"].to_string().into_bytes();
            }
            Operation::Recompute => {
                let lines: Vec<String> = request["trail"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|entry| entry.to_string() + "\n")
                    .collect();
                let trail = self.file("trail.jsonl", lines.concat().as_bytes());
                args.extend([
                    "recompute".into(),
                    field("ladder").unwrap(),
                    "--json".into(),
                ]);
                args.extend(["--state".into(), "-".into(), "--trail".into(), trail]);
                option(&mut args, "--expect-version", "expect_version");
                option(&mut args, "--as-of", "as_of");
                stdin = request["state"].to_string().into_bytes();
            }
            Operation::Correct => {
                let lines: Vec<String> = request["trail"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|entry| entry.to_string() + "\n")
                    .collect();
                let trail = self.file("trail.jsonl", lines.concat().as_bytes());
                args.extend(["correct".into(), field("ladder").unwrap(), "--json".into()]);
                args.extend(["--state".into(), "-".into(), "--trail".into(), trail]);
                args.extend(["--correction".into(), request["correction"].to_string()]);
                option(&mut args, "--expect-version", "expect_version");
                option(&mut args, "--as-of", "as_of");
                stdin = request["state"].to_string().into_bytes();
            }
            Operation::AdvanceAlerts => {
                args.extend(["advance".into(), "--alerts".into(), "-".into()]);
                option(&mut args, "--as-of", "as_of");
                stdin = payload.to_vec();
            }
            Operation::RecomputeAlerts => {
                args.extend(["recompute".into(), "--alerts".into(), "-".into()]);
                option(&mut args, "--as-of", "as_of");
                option(&mut args, "--format", "format");
                stdin = payload.to_vec();
            }
            Operation::Replay => {
                args.extend(["run".into(), field("ladder").unwrap()]);
                json_or_format(&mut args);
                args.extend(["--events".into(), "-".into()]);
                option(&mut args, "--as-of", "as_of");
                for event in request["events"].as_array().unwrap() {
                    stdin.extend(event.to_string().into_bytes());
                    stdin.push(b'\n');
                }
            }
            Operation::Ladders => args.extend(["ladders".into(), "--json".into()]),
            Operation::Show => {
                args.extend(["show".into(), field("procedure").unwrap()]);
                json_or_format(&mut args);
            }
            Operation::Timeline => {
                args.extend(["timeline".into(), field("procedure").unwrap()]);
                json_or_format(&mut args);
                option(&mut args, "--raised", "raised");
            }
            Operation::Holidays => {
                args.extend(["holidays".into(), "--json".into()]);
                option(&mut args, "--from", "from");
                option(&mut args, "--to", "to");
                option(&mut args, "--region", "region");
            }
            Operation::AddWorkingDays | Operation::Explain => {
                let name = match op {
                    Operation::AddWorkingDays => "add-working-days",
                    _ => "explain",
                };
                args.extend([name.into(), "--json".into()]);
                option(&mut args, "--region", "region");
                args.extend([field("from").unwrap(), field("working_days").unwrap()]);
            }
            Operation::CountWorkingDays => {
                args.extend(["count-working-days".into(), "--json".into()]);
                option(&mut args, "--region", "region");
                args.extend([field("from").unwrap(), field("to").unwrap()]);
            }
            Operation::Validate => {
                // The command line names the file it reads: the request's name.
                let file = field("name").expect("a validate request names its file");
                std::fs::write(&file, payload).unwrap();
                args.extend(["validate".into(), file, "--json".into()]);
            }
            Operation::Report => {
                args.extend(["report".into(), "--cases".into(), "-".into()]);
                args.extend([
                    "--format".into(),
                    field("format").unwrap_or_else(|| "json".into()),
                ]);
                option(&mut args, "--as-of", "as_of");
                option(&mut args, "--period", "period");
                option(&mut args, "--due-within", "due_within");
                option(&mut args, "--warn-at", "warn_at");
                option(&mut args, "--open-longer-than", "open_longer_than");
                option(&mut args, "--table", "table");
                option(&mut args, "--formula-guard", "formula_guard");
                if request["bom"] == Value::Bool(true) {
                    args.push("--bom".into());
                }
                stdin = payload.to_vec();
            }
            Operation::Ics => {
                args.extend(["ics".into(), "--cases".into(), "-".into()]);
                option(&mut args, "--as-of", "as_of");
                option(&mut args, "--calendar-name", "calendar_name");
                option(&mut args, "--uid-domain", "uid_domain");
                stdin = payload.to_vec();
            }
            _ => unreachable!("{op}"),
        }
        let mut all = vec!["ladder".to_string(), "--error-format".into(), "json".into()];
        all.extend(args);
        (all, stdin)
    }

    fn cli(&self, op: Operation, request: &Value, payload: &[u8]) -> Answered {
        let (args, stdin) = self.cli_args(op, request, payload);
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let code = run_with_registry(
            &args,
            &self.registry,
            &mut Io {
                stdin: &mut &stdin[..],
                stdout: &mut stdout,
                stderr: &mut stderr,
                stderr_is_terminal: false,
            },
        );
        let (stdout, stderr) = (
            String::from_utf8(stdout).unwrap(),
            String::from_utf8(stderr).unwrap(),
        );
        if code == 0 {
            assert_eq!(stderr, "", "{args:?}");
            // JSON answers end with a line break on the command line; a
            // report's or a calendar's text, and JSON Lines, are written as
            // they are.
            let lines = matches!(op, Operation::AdvanceAlerts | Operation::RecomputeAlerts);
            let text = match stdout.strip_suffix('\n') {
                Some(json) if json.starts_with(['{', '[']) && !lines => json.to_string(),
                _ => stdout,
            };
            return Answered::Ok(text);
        }
        assert_eq!(stdout, "", "{args:?}");
        let line = stderr.strip_suffix('\n').unwrap().to_string();
        let doc: Value = serde_json::from_str(&line)
            .unwrap_or_else(|_| panic!("{args:?}: not an error document: {line}"));
        let class = ErrorClass::of(doc["code"].as_str().unwrap());
        assert_eq!(code, class.exit_code(), "{args:?}: {line}");
        Answered::Err(line, class)
    }
}

impl Drop for Doors {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

/// Calls an ABI function and reads what it wrote.
fn abi_out(call: impl FnOnce(*mut *mut c_char) -> i32) -> Answered {
    let mut out: *mut c_char = null_mut();
    let status = call(&mut out);
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string();
    unsafe { el_string_free(out) };
    match status {
        EL_OK => Answered::Ok(text),
        _ => {
            let doc: Value = serde_json::from_str(&text).unwrap();
            Answered::Err(text, ErrorClass::of(doc["code"].as_str().unwrap()))
        }
    }
}
