//! Serving the router on a socket: the service's own accept loop over
//! hyper's HTTP/1 connections, so that it can bound what a client may hold.
//!
//! - A request's head must arrive within the header timeout (hyper's
//!   `header_read_timeout`, which also closes a kept-alive connection left
//!   idle that long). A client that sent part of a head is answered 408
//!   `http.header-timeout`, an error document, before the connection closes.
//! - A body must arrive within the body timeout, and a request takes one of
//!   the service's permits only once its body has arrived (the handlers).
//! - TLS (rustls) when the service has a certificate: the handshake, too,
//!   within the header timeout.
//! - On shutdown the listener closes, every connection finishes the request
//!   it is answering and closes (hyper-util's graceful shutdown), and after
//!   the shutdown deadline the loop returns whatever is still open.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::error::{error_body, HttpError};
use super::metrics::NO_HEAD;
use super::observe::{new_id, REQUEST_ID};
use super::service::{Service, TlsFiles};
use crate::contract::ErrorDocument;

/// Serves `service` on `listener` (HTTPS when its configuration names a
/// certificate) until `shutdown` completes; then finishes the requests in
/// flight, for at most the configuration's shutdown deadline.
///
/// # Errors
///
/// The TLS files cannot be read or are refused (`ErrorKind::InvalidInput`).
/// A failed accept (too many open files) is logged and retried, never
/// returned.
pub async fn serve(
    listener: TcpListener,
    service: &Service,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let config = service.config();
    let tls = match &config.tls {
        Some(files) => Some(
            acceptor(files).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.message))?,
        ),
        None => None,
    };
    let hyper_service = TowerToHyperService::new(service.front());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a moment rather than spin.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            http: http.clone(),
            service: hyper_service.clone(),
            watcher: graceful.watcher(),
            owner: service.clone(),
        };
        match &tls {
            None => {
                tokio::spawn(connection.run(stream));
            }
            Some(acceptor) => {
                let acceptor = acceptor.clone();
                let within = config.header_timeout;
                tokio::spawn(async move {
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(within, acceptor.accept(stream)).await
                    {
                        connection.run(stream).await;
                    }
                });
            }
        }
    }
    drop(listener);
    let open = graceful.count();
    tracing::info!(
        connections = open,
        "stopped accepting; finishing the requests in flight"
    );
    let deadline = config.shutdown_deadline;
    if tokio::time::timeout(deadline, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "the shutdown deadline ({} s) passed with connections still open: stopping anyway",
            deadline.as_secs_f64()
        );
    }
    Ok(())
}

/// Checks that the certificate chain and key can be read and go together.
///
/// # Errors
///
/// `cli.serve` naming the file that cannot be read or is refused.
pub fn check_tls(files: &TlsFiles) -> Result<(), ErrorDocument> {
    acceptor(files).map(|_| ())
}

/// A TLS acceptor for the certificate chain and key.
///
/// # Errors
///
/// `cli.serve` naming the file that cannot be read or is refused.
pub(crate) fn acceptor(files: &TlsFiles) -> Result<TlsAcceptor, ErrorDocument> {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let failed = |what: &str, path: &std::path::Path, e: &dyn std::fmt::Display| {
        ErrorDocument::new(
            "cli.serve",
            format!("{what} '{}': {e}", crate::sources::label(path)),
            serde_json::Map::new(),
        )
    };
    let certs = CertificateDer::pem_file_iter(&files.cert)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|e| failed("cannot read the certificate chain", &files.cert, &e))?;
    if certs.is_empty() {
        return Err(failed("no certificate in", &files.cert, &"expected PEM"));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| failed("cannot read the private key", &files.key, &e))?;
    // ring rather than aws-lc-rs: no cmake or C++ toolchain to build. rustls
    // marks it deprecated for lacking post-quantum key exchange; the
    // classical suites it offers are rustls's safe defaults.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(certs, key))
        .map_err(|e| failed("the certificate and key are refused", &files.cert, &e))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// One accepted connection and what serves it.
struct Connection {
    http: hyper::server::conn::http1::Builder,
    service: TowerToHyperService<super::observe::Front<axum::Router>>,
    watcher: Watcher,
    owner: Service,
}

impl Connection {
    /// Serves the connection until it closes; a head not sent in time is
    /// answered 408 with an error document.
    async fn run<S>(self, stream: S)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let started = Instant::now();
        let shared = Shared::new(stream);
        let connection = self
            .http
            .serve_connection(TokioIo::new(shared.clone()), self.service);
        let Err(e) = self.watcher.watch(connection).await else {
            return;
        };
        if e.is_timeout() && shared.0.partial.load(Ordering::Relaxed) {
            let timeout = self.owner.config().header_timeout;
            head_timeout(shared, timeout).await;
            self.owner
                .metrics()
                .counted(NO_HEAD, "other", 408, started.elapsed().as_secs_f64());
            tracing::info!(target: "access", route = NO_HEAD, status = 408u16, "a request head did not arrive in time");
        }
    }
}

/// Writes 408 `http.header-timeout` on a connection hyper has given up.
async fn head_timeout<S: AsyncRead + AsyncWrite + Unpin>(mut io: Shared<S>, timeout: Duration) {
    let mut fields = serde_json::Map::new();
    fields.insert("seconds".into(), timeout.as_secs_f64().into());
    let document = ErrorDocument::new(
        HttpError::HeaderTimeout.code(),
        format!(
            "the request's head did not arrive within {} s",
            timeout.as_secs_f64()
        ),
        fields,
    );
    let body = error_body(&document);
    let head = format!(
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n{}: {}\r\n\r\n",
        body.len(),
        REQUEST_ID.as_str(),
        new_id().to_str().unwrap_or("0"),
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        io.write_all(head.as_bytes()).await?;
        io.write_all(&body).await?;
        io.shutdown().await
    })
    .await;
}

/// A connection's stream, shared between hyper and the connection's task
/// (which answers a head timeout after hyper has let go of it), with
/// whether part of a request has been read since the last answer was
/// written.
struct Shared<S>(Arc<SharedStream<S>>);

struct SharedStream<S> {
    stream: Mutex<S>,
    partial: AtomicBool,
}

impl<S> Shared<S> {
    fn new(stream: S) -> Shared<S> {
        Shared(Arc::new(SharedStream {
            stream: Mutex::new(stream),
            partial: AtomicBool::new(false),
        }))
    }

    fn clone(&self) -> Shared<S> {
        Shared(Arc::clone(&self.0))
    }

    /// The stream, for one poll (never held across one).
    fn with<T>(&self, f: impl FnOnce(Pin<&mut S>) -> T) -> T
    where
        S: Unpin,
    {
        let mut stream = self.0.stream.lock().unwrap_or_else(|e| e.into_inner());
        f(Pin::new(&mut *stream))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Shared<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = self.with(|stream| stream.poll_read(cx, buf));
        if buf.filled().len() > before {
            self.0.partial.store(true, Ordering::Relaxed);
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Shared<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = self.with(|stream| stream.poll_write(cx, buf));
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.0.partial.store(false, Ordering::Relaxed);
        }
        result
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with(|stream| stream.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.with(|stream| stream.poll_shutdown(cx))
    }
}
