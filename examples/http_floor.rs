//! The floor of an HTTP JSON round trip on this machine, for
//! `benches/serve-load.sh`: a bare axum handler that reads a POST's body
//! into a `serde_json::Value` and writes a 2 KB JSON answer (about the size
//! of `apply`'s), and nothing else: no operation, no tokens, no logs, no
//! metrics. It uses the allocator `ladder` uses (mimalloc), so that the
//! comparison is of the work done, not of the allocators.
//!
//! ```text
//! cargo run --release --features server --example http_floor -- 127.0.0.1:0 [THREADS]
//! # prints: listening on http://127.0.0.1:PORT
//! ```

use std::io::Write;

use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;

/// The allocator the `ladder` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The answer's padding: the answer is about 2 KB, as apply's is.
const PADDING: usize = 1900;

async fn answer(body: Bytes) -> impl IntoResponse {
    let request: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let answer = serde_json::json!({"request": request, "padding": "x".repeat(PADDING)});
    let mut text = Vec::with_capacity(4096);
    if serde_json::to_writer(&mut text, &answer).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:0".to_string());
    let threads: usize = args.next().map_or(Ok(1), |t| t.parse())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let app = axum::Router::new().fallback(axum::routing::post(answer));
        let listener = tokio::net::TcpListener::bind(&listen).await?;
        println!("listening on http://{}", listener.local_addr()?);
        std::io::stdout().flush()?;
        axum::serve(listener, app).await?;
        Ok(())
    })
}
