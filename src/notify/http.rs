//! One small HTTPS client for every notification channel: hyper's pooled client with rustls
//! (the AWS SDK's own stack, native root certificates), a timeout per attempt, retries with
//! exponential backoff on connection errors, timeouts, 429 and 5xx (honouring `Retry-After`),
//! and bounded response bodies. URLs must be `https://`, except on loopback (tests, a local
//! relay). Errors name the channel and the host, never the URL's path or query (a Slack webhook
//! URL is itself a secret) and never a header.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Uri};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::Client as Hyper;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// Retry and timeout settings.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Per attempt, from sending the request to the last byte of the response.
    pub timeout: Duration,
    /// Attempts after the first.
    pub retries: u32,
    /// The first backoff; doubled each retry, at most [`MAX_BACKOFF`].
    pub backoff: Duration,
}

pub const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// The longest `Retry-After` honoured; a longer one fails the delivery (tomorrow's run retries).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

impl Default for Policy {
    fn default() -> Self {
        Policy { timeout: Duration::from_secs(10), retries: 3, backoff: Duration::from_secs(1) }
    }
}

/// A request to send.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub uri: Uri,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
    /// The largest response body read.
    pub max_response: usize,
}

/// A response that arrived (any status).
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why a delivery failed after its retries.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("{what}: {host}: HTTP {status} after {attempts} attempt(s): {body}")]
    Status { what: String, host: String, status: u16, attempts: u32, body: String },
    #[error("{what}: {host}: {message} after {attempts} attempt(s)")]
    Transport { what: String, host: String, message: String, attempts: u32 },
}

pub struct Client {
    hyper: Hyper<Connector, Full<Bytes>>,
    policy: Policy,
    user_agent: String,
    tls_note: Option<String>,
}

/// Parse and check a destination URL. The error never repeats the URL (it may hold a token).
pub fn parse_url(url: &str, name: &str) -> Result<Uri, String> {
    let uri: Uri = url.trim().parse().map_err(|_| format!("{name} is not a valid URL"))?;
    let host = uri.host().ok_or_else(|| format!("{name} has no host"))?;
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") if is_loopback(host) => Ok(uri),
        Some("http") => Err(format!("{name} must use https:// (plain http is accepted only on loopback)")),
        _ => Err(format!("{name} must be an https:// URL")),
    }
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h == "localhost" || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `host[:port]` of a URI, for messages.
pub fn host_of(uri: &Uri) -> String {
    match (uri.host(), uri.port_u16()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => "?".into(),
    }
}

impl Client {
    pub fn new(policy: Policy) -> Client {
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        let (builder, tls_note) = match builder.with_provider_and_native_roots(provider) {
            Ok(b) => (b, None),
            Err(e) => {
                // No system certificates (a bare container): https fails with this note; loopback
                // http still works.
                let config =
                    rustls::ClientConfig::builder_with_provider(rustls::crypto::aws_lc_rs::default_provider().into())
                        .with_safe_default_protocol_versions()
                        .map(|b| b.with_root_certificates(rustls::RootCertStore::empty()).with_no_client_auth());
                match config {
                    Ok(c) => (
                        hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(c),
                        Some(format!("no system root certificates could be loaded ({e})")),
                    ),
                    Err(e2) => (
                        hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(
                            rustls::ClientConfig::builder()
                                .with_root_certificates(rustls::RootCertStore::empty())
                                .with_no_client_auth(),
                        ),
                        Some(format!("TLS is not available ({e}; {e2})")),
                    ),
                }
            }
        };
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(policy.timeout));
        let connector = builder.https_or_http().enable_http1().wrap_connector(http);
        let hyper = Hyper::builder(TokioExecutor::new()).pool_idle_timeout(Duration::from_secs(30)).build(connector);
        Client { hyper, policy, user_agent: format!("plumb/{}", env!("CARGO_PKG_VERSION")), tls_note }
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Send with retries. `what` names the channel in errors (`Slack`, `GitHub issues`).
    pub async fn send(&self, what: &str, req: &Request) -> Result<Response, SendError> {
        let host = host_of(&req.uri);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let outcome = tokio::time::timeout(self.policy.timeout, self.once(req)).await;
            let (retry_after, failure) = match outcome {
                Ok(Ok(resp)) => {
                    let retryable = matches!(resp.status, 429 | 500 | 502 | 503 | 504)
                        || (resp.status == 403 && resp.headers.contains_key("retry-after"));
                    if !retryable {
                        // Redirects are not followed: a webhook that moved is a configuration to fix.
                        return if resp.is_success() {
                            Ok(resp)
                        } else {
                            Err(SendError::Status {
                                what: what.into(),
                                host,
                                status: resp.status,
                                attempts: attempt,
                                body: snippet(&resp.text()),
                            })
                        };
                    }
                    let after = retry_after(&resp.headers);
                    (
                        after,
                        SendError::Status {
                            what: what.into(),
                            host: host.clone(),
                            status: resp.status,
                            attempts: attempt,
                            body: snippet(&resp.text()),
                        },
                    )
                }
                Ok(Err(message)) => {
                    let message = match (&self.tls_note, req.uri.scheme_str()) {
                        (Some(note), Some("https")) => format!("{message} ({note})"),
                        _ => message,
                    };
                    (None, SendError::Transport { what: what.into(), host: host.clone(), message, attempts: attempt })
                }
                Err(_) => (
                    None,
                    SendError::Transport {
                        what: what.into(),
                        host: host.clone(),
                        message: format!("no complete answer within {} s", self.policy.timeout.as_secs_f32()),
                        attempts: attempt,
                    },
                ),
            };
            if attempt > self.policy.retries {
                return Err(failure);
            }
            let wait = match retry_after {
                Some(d) if d > MAX_RETRY_AFTER => return Err(failure),
                Some(d) => d,
                None => backoff(self.policy.backoff, attempt),
            };
            eprintln!("plumb: {failure}; retrying in {:.1} s", wait.as_secs_f32());
            tokio::time::sleep(wait).await;
        }
    }

    async fn once(&self, req: &Request) -> Result<Response, String> {
        let mut builder = http::Request::builder().method(req.method.clone()).uri(req.uri.clone());
        let mut has_agent = false;
        for (name, value) in &req.headers {
            has_agent |= name.eq_ignore_ascii_case("user-agent");
            let v = HeaderValue::from_str(value).map_err(|_| format!("header {name} has an invalid value"))?;
            builder = builder.header(*name, v);
        }
        if !has_agent {
            builder = builder.header("user-agent", self.user_agent.as_str());
        }
        let request = builder.body(Full::new(req.body.clone())).map_err(|e| format!("building the request: {e}"))?;
        let resp = self.hyper.request(request).await.map_err(|e| error_chain(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = Limited::new(resp.into_body(), req.max_response)
            .collect()
            .await
            .map_err(|e| format!("reading the response: {e}"))?
            .to_bytes();
        Ok(Response { status, headers, body })
    }
}

/// The first backoff doubled per earlier attempt, capped.
pub fn backoff(first: Duration, attempt: u32) -> Duration {
    let factor = 1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
    first.saturating_mul(factor).min(MAX_BACKOFF)
}

/// `Retry-After` in seconds (the HTTP-date form is not used by Slack or GitHub).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get("retry-after")?.to_str().ok()?.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(v))
}

/// An error and its causes on one line, without URLs (hyper does not print them; the chain is
/// checked anyway).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        let s = c.to_string();
        if !parts.contains(&s) {
            parts.push(s);
        }
        cur = c.source();
    }
    parts.join(": ").split_whitespace().filter(|w| !w.contains("://")).collect::<Vec<_>>().join(" ")
}

/// At most 300 characters of a response body, on one line.
fn snippet(body: &str) -> String {
    let one: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::report::export::shorten(&one, 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_https_except_on_loopback() {
        assert!(parse_url("https://hooks.slack.com/services/T/B/x", "U").is_ok());
        assert!(parse_url("http://127.0.0.1:8080/hook", "U").is_ok());
        assert!(parse_url("http://localhost/hook", "U").is_ok());
        assert!(parse_url("http://[::1]:9/x", "U").is_ok());
        let e = parse_url("http://hooks.example.com/services/secret-token", "U").unwrap_err();
        assert!(e.contains("https") && !e.contains("secret-token"), "{e}");
        let e = parse_url("not a url secret-token", "U").unwrap_err();
        assert!(!e.contains("secret-token"), "{e}");
        assert!(parse_url("ftp://example.com/x", "U").is_err());
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let b = Duration::from_millis(500);
        assert_eq!(backoff(b, 1), Duration::from_millis(500));
        assert_eq!(backoff(b, 2), Duration::from_secs(1));
        assert_eq!(backoff(b, 4), Duration::from_secs(4));
        assert_eq!(backoff(b, 40), MAX_BACKOFF);
    }

    #[test]
    fn hosts_hide_paths() {
        let u: Uri = "https://hooks.slack.com/services/T/B/secret".parse().unwrap();
        assert_eq!(host_of(&u), "hooks.slack.com");
        let u: Uri = "http://127.0.0.1:9000/x?token=1".parse().unwrap();
        assert_eq!(host_of(&u), "127.0.0.1:9000");
    }
}
