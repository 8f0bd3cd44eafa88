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
use escalation_ladder::cli::{run_with_registry, Io};
use escalation_ladder::contract::ErrorClass;
use escalation_ladder::ops::{self, Operation, Registry};
use escalation_ladder::server::{ServerConfig, Service};
use escalation_ladder_ffi::{el_advance, el_apply, el_call, el_status, el_string_free, EL_OK};
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

    pub fn ok(&self) -> Option<Value> {
        match self {
            Answered::Ok(text) => Some(serde_json::from_str(text).unwrap()),
            Answered::Err(..) => None,
        }
    }
}

/// What the requests of the sequences gave, by operation and code (`ok` for
/// an answer): the proof that the generator reaches real transitions as well
/// as refusals.
pub type Tally = std::collections::BTreeMap<(&'static str, String), usize>;

/// Every door, made once.
pub struct Doors {
    registry: Registry,
    handle: Handle,
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
    scratch: std::path::PathBuf,
    pub tally: std::cell::RefCell<Tally>,
}

impl Doors {
    pub fn new() -> Doors {
        let scratch = std::env::temp_dir().join(format!("parity-{}", std::process::id()));
        std::fs::create_dir_all(&scratch).unwrap();
        Doors {
            registry: Registry::builtin().unwrap(),
            handle: Handle::builtin(),
            router: Service::new(ServerConfig::default()).unwrap().router(),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap(),
            scratch,
            tally: Default::default(),
        }
    }

    /// Sends `request` (its `ladder` naming the ladder) through every door and
    /// checks that they agree; the library's answer.
    pub fn all(&self, op: Operation, request: &Value) -> Answered {
        let text = request.to_string();
        let library = Answered::of(ops::call(&self.registry, op, text.as_bytes(), b""));
        let abi = self.abi_call(op, &text);
        assert_eq!(abi, library, "el_call differs for {op} {text}");
        if let Some(by_parts) = self.abi_parts(op, request) {
            assert_eq!(
                by_parts, library,
                "the ABI's {op} by parts differs for {text}"
            );
        }
        let http = self.http(op, request);
        assert_eq!(http, library, "HTTP differs for {op} {text}");
        let cli = self.cli(op, request);
        assert_eq!(cli, library, "the command line differs for {op} {text}");
        let code = match &library {
            Answered::Ok(_) => "ok".to_string(),
            Answered::Err(doc, _) => serde_json::from_str::<Value>(doc).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string(),
        };
        *self
            .tally
            .borrow_mut()
            .entry((op.name(), code))
            .or_default() += 1;
        library
    }

    fn abi_call(&self, op: Operation, request: &str) -> Answered {
        let op = CString::new(op.name()).unwrap();
        let request = CString::new(request).unwrap();
        abi_out(|out| unsafe {
            el_call(
                self.handle.0,
                op.as_ptr(),
                request.as_ptr(),
                std::ptr::null(),
                0,
                out,
            )
        })
    }

    /// `el_apply`, `el_advance` and `el_status` with the request's parts.
    fn abi_parts(&self, op: Operation, request: &Value) -> Option<Answered> {
        let ladder = CString::new(request["ladder"].as_str().unwrap()).unwrap();
        let state = CString::new(request["state"].to_string()).unwrap();
        Some(match op {
            Operation::Apply => {
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
                let as_of = CString::new(request["as_of"].as_str().unwrap()).unwrap();
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
            _ => return None,
        })
    }

    fn http(&self, op: Operation, request: &Value) -> Answered {
        let ladder = request["ladder"].as_str().unwrap();
        let uri = format!("/v1/ladders/{ladder}/{}", op.name());
        let http = Request::post(uri)
            .header("content-type", "application/json")
            .body(Body::from(request.to_string()))
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

    fn cli(&self, op: Operation, request: &Value) -> Answered {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let ladder = request["ladder"].as_str().unwrap().to_string();
        let state = request["state"].to_string();
        let mut args: Vec<String> = ["ladder", "--error-format", "json"]
            .map(String::from)
            .to_vec();
        let mut stdin = String::new();
        match op {
            Operation::Apply => {
                args.extend(["apply".into(), ladder, "--json".into()]);
                args.extend(["--event".into(), request["event"].to_string()]);
                if !request["state"].is_null() {
                    args.extend(["--state".into(), "-".into()]);
                    stdin = state;
                }
                if let Some(version) = request["expect_version"].as_u64() {
                    args.extend(["--expect-version".into(), version.to_string()]);
                }
            }
            Operation::Advance | Operation::Status => {
                args.extend([op.name().into(), ladder, "--json".into()]);
                args.extend(["--state".into(), "-".into()]);
                args.extend(["--as-of".into(), request["as_of"].as_str().unwrap().into()]);
                stdin = state;
            }
            Operation::Recompute => {
                let call = CALLS.fetch_add(1, Ordering::Relaxed);
                let trail = self.scratch.join(format!("trail-{call}.jsonl"));
                let lines: Vec<String> = request["trail"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|entry| entry.to_string() + "\n")
                    .collect();
                std::fs::write(&trail, lines.concat()).unwrap();
                args.extend(["recompute".into(), ladder, "--json".into()]);
                args.extend(["--state".into(), "-".into()]);
                args.extend(["--trail".into(), trail.to_str().unwrap().into()]);
                if let Some(version) = request["expect_version"].as_u64() {
                    args.extend(["--expect-version".into(), version.to_string()]);
                }
                stdin = state;
            }
            Operation::Replay => {
                args.extend(["run".into(), ladder, "--json".into()]);
                args.extend(["--events".into(), "-".into()]);
                if let Some(as_of) = request["as_of"].as_str() {
                    args.extend(["--as-of".into(), as_of.into()]);
                }
                for event in request["events"].as_array().unwrap() {
                    stdin.push_str(&event.to_string());
                    stdin.push('\n');
                }
            }
            _ => unreachable!("{op}"),
        }
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let code = run_with_registry(
            &args,
            &self.registry,
            &mut Io {
                stdin: &mut stdin.as_bytes(),
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
            return Answered::Ok(stdout.strip_suffix('\n').unwrap().to_string());
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

