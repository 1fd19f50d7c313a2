//! Hostile networks for the end-to-end tests: a fault-injecting HTTP proxy between `plumb` and
//! the emulator, a TCP proxy that cuts a database connection at a chosen message, and a runner
//! that kills `plumb` when it does not finish in time.
//!
//! ```ignore
//! let proxy = FaultProxy::start(fx.emulator.url(), vec![Rule::every(3, Match::Any, Fault::Throttle)]);
//! let run = plumb_within(&args, &[("AWS_ENDPOINT_URL", proxy.url())], Duration::from_secs(120));
//! assert!(proxy.injected()["throttle"] > 0);
//! ```
//!
//! The proxy speaks just enough HTTP/1.1 for the AWS SDK's requests (Content-Length or chunked
//! bodies, keep-alive); each forwarded request gets its own upstream connection. Errors are
//! answered in the calling protocol's real shape and status (see [`Protocol`]).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Run;

/// What the proxy does to a call instead of (or on top of) forwarding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The service's throttling error in its protocol's shape: `RequestLimitExceeded` (EC2,
    /// 503), `SlowDown` (S3, 503), `ThrottlingException` (JSON protocols, 400; REST-JSON,
    /// 429), `Throttling` (query and REST-XML protocols, 400).
    Throttle,
    /// 500 with the protocol's `InternalError` / `InternalFailure` body.
    Http500,
    /// 503 with the protocol's `ServiceUnavailable` body.
    Http503,
    /// The connection is reset (RST) after the request is read, before any answer.
    Reset,
    /// The real response's head and half its body, then a reset.
    Truncate,
    /// The real response, after this delay, its body dribbled out in two halves.
    Slow(Duration),
    /// The request is read and never answered (headers never sent); the connection stays
    /// open until the client gives up.
    Stall,
    /// `200 OK` with a body no parser accepts.
    Garbage,
}

impl Fault {
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Throttle => "throttle",
            Fault::Http500 => "500",
            Fault::Http503 => "503",
            Fault::Reset => "reset",
            Fault::Truncate => "truncate",
            Fault::Slow(_) => "slow",
            Fault::Stall => "stall",
            Fault::Garbage => "garbage",
        }
    }
}

/// Which calls a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    Any,
    /// The signing name in the request's SigV4 scope: `ec2`, `s3`, `kms`, `iam`, `logs`...
    Service(&'static str),
    /// The API operation (`DescribeVpcs`, `ListKeys`), from `X-Amz-Target` or `Action=`; REST
    /// calls (S3, EKS...) carry no operation name: match them by service.
    Operation(&'static str),
}

/// Apply `fault` to every `one_in`-th call that `matches` (1: every one), at most `limit` times.
#[derive(Debug, Clone)]
pub struct Rule {
    pub matches: Match,
    pub fault: Fault,
    pub one_in: u64,
    pub limit: Option<u64>,
    seen: Arc<AtomicU64>,
    applied: Arc<AtomicU64>,
}

impl Rule {
    pub fn every(one_in: u64, matches: Match, fault: Fault) -> Rule {
        Rule { matches, fault, one_in: one_in.max(1), limit: None, seen: Arc::default(), applied: Arc::default() }
    }

    pub fn always(matches: Match, fault: Fault) -> Rule {
        Rule::every(1, matches, fault)
    }

    pub fn at_most(mut self, n: u64) -> Rule {
        self.limit = Some(n);
        self
    }

    /// Does this rule fire on this call? (Counts the call.)
    fn fires(&self, call: &Call) -> bool {
        let hit = match &self.matches {
            Match::Any => true,
            Match::Service(s) => call.service == *s,
            Match::Operation(o) => call.operation.as_deref() == Some(*o),
        };
        if !hit {
            return false;
        }
        let n = self.seen.fetch_add(1, Ordering::SeqCst);
        if n % self.one_in != self.one_in - 1 {
            return false;
        }
        match self.limit {
            Some(limit) => self.applied.fetch_add(1, Ordering::SeqCst) < limit,
            None => {
                self.applied.fetch_add(1, Ordering::SeqCst);
                true
            }
        }
    }
}

/// The wire protocol of a call, which decides the shape of an error answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// EC2's query protocol: `<Response><Errors><Error>...`.
    Ec2,
    /// awsQuery (RDS, IAM, STS, Auto Scaling, ElastiCache, ELB): `<ErrorResponse><Error>...`.
    Query,
    /// awsJson 1.0/1.1 (`X-Amz-Target`): `{"__type": ...}` and `x-amzn-ErrorType`.
    Json,
    /// restJson1 (EKS, GuardDuty, Security Hub...): `x-amzn-ErrorType` and `{"message"}`.
    RestJson,
    /// restXml (S3): `<Error><Code>...`.
    S3,
    /// restXml (CloudFront): `<ErrorResponse><Error>...`.
    RestXml,
    /// S3 Control (restXml, signed as `s3`, paths under `/v20180820/`): S3's codes in the
    /// `<ErrorResponse><Error>...` wrapping.
    S3Control,
}

/// What the proxy knows about one call.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub service: String,
    pub operation: Option<String>,
    pub protocol: Protocol,
}

/// One HTTP message: the start line, the header lines (as sent), and the body.
struct Message {
    start: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A fault-injecting HTTP proxy on a free loopback port, forwarding to `upstream`.
pub struct FaultProxy {
    url: String,
    stop: Arc<AtomicBool>,
    addr: SocketAddr,
    rules: Arc<Vec<Rule>>,
    requests: Arc<AtomicU64>,
    log: Arc<Mutex<Vec<String>>>,
}

impl FaultProxy {
    /// Start a proxy to `upstream` (`http://127.0.0.1:PORT`) applying the first rule that
    /// fires on each call (rules are tried in order; each counts only the calls it matches).
    pub fn start(upstream: &str, rules: Vec<Rule>) -> FaultProxy {
        let upstream: SocketAddr =
            upstream.trim_start_matches("http://").trim_end_matches('/').parse().expect("upstream");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the fault proxy");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let rules = Arc::new(rules);
        let requests = Arc::new(AtomicU64::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        {
            let (stop, rules, requests, log) = (stop.clone(), rules.clone(), requests.clone(), log.clone());
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = client else { continue };
                    let (stop, rules, requests, log) = (stop.clone(), rules.clone(), requests.clone(), log.clone());
                    std::thread::spawn(move || serve(client, upstream, &rules, &requests, &log, &stop));
                }
            });
        }
        FaultProxy { url: format!("http://{addr}"), stop, addr, rules, requests, log }
    }

    /// `http://127.0.0.1:PORT`, for `--endpoint-url` / `AWS_ENDPOINT_URL`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Calls seen.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// Faults injected, by [`Fault::name`].
    pub fn injected(&self) -> BTreeMap<&'static str, u64> {
        let mut out = BTreeMap::new();
        for r in self.rules.iter() {
            *out.entry(r.fault.name()).or_default() +=
                r.applied.load(Ordering::SeqCst).min(r.limit.unwrap_or(u64::MAX));
        }
        out
    }

    /// `fault service operation` of every injected fault, in order (for assertion messages).
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn serve(
    client: TcpStream,
    upstream: SocketAddr,
    rules: &[Rule],
    requests: &AtomicU64,
    log: &Mutex<Vec<String>>,
    stop: &AtomicBool,
) {
    let _ = client.set_nodelay(true);
    let Ok(write_half) = client.try_clone() else { return };
    let mut out = write_half;
    let mut reader = BufReader::new(client);
    loop {
        let Ok(Some(request)) = read_message(&mut reader, false) else { return };
        if stop.load(Ordering::SeqCst) {
            return;
        }
        requests.fetch_add(1, Ordering::SeqCst);
        let call = classify(&request);
        let fault = rules.iter().find(|r| r.fires(&call)).map(|r| r.fault);
        if let Some(f) = fault {
            log.lock().unwrap_or_else(|p| p.into_inner()).push(format!(
                "{} {} {}",
                f.name(),
                call.service,
                call.operation.as_deref().unwrap_or(&call.path)
            ));
        }
        let answered = match fault {
            Some(Fault::Throttle) => {
                let (status, code, message) = throttle(call.protocol);
                write_all(&mut out, &error_response(call.protocol, status, code, message))
            }
            Some(Fault::Http500) => {
                let code = if matches!(call.protocol, Protocol::S3 | Protocol::S3Control | Protocol::Ec2) {
                    "InternalError"
                } else {
                    "InternalFailure"
                };
                write_all(&mut out, &error_response(call.protocol, 500, code, "We encountered an internal error."))
            }
            Some(Fault::Http503) => write_all(
                &mut out,
                &error_response(call.protocol, 503, "ServiceUnavailable", "The service is unavailable."),
            ),
            Some(Fault::Reset) => {
                reset(&out);
                return;
            }
            Some(Fault::Stall) => {
                // Never answer; wait for the client to give up (EOF or error), then close.
                let _ = out.set_read_timeout(Some(Duration::from_secs(600)));
                let mut sink = [0u8; 1024];
                while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
                return;
            }
            Some(Fault::Garbage) => write_all(
                &mut out,
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 17\r\n\r\n<<<\x00not a {reply",
            ),
            Some(Fault::Truncate) | Some(Fault::Slow(_)) | None => {
                let Some(response) = forward(upstream, &request) else {
                    reset(&out);
                    return;
                };
                match fault {
                    Some(Fault::Truncate) => {
                        let _ = out.write_all(&response[..response.len() / 2 + 1]);
                        let _ = out.flush();
                        reset(&out);
                        return;
                    }
                    Some(Fault::Slow(delay)) => {
                        std::thread::sleep(delay);
                        let half = response.len() / 2;
                        let first = out.write_all(&response[..half]).and_then(|_| out.flush());
                        std::thread::sleep(delay / 2);
                        first.is_ok() && write_all(&mut out, &response[half..])
                    }
                    _ => write_all(&mut out, &response),
                }
            }
        };
        if !answered {
            return;
        }
    }
}

fn write_all(out: &mut TcpStream, bytes: &[u8]) -> bool {
    out.write_all(bytes).and_then(|_| out.flush()).is_ok()
}

/// Close with a TCP reset (SO_LINGER 0) instead of an orderly FIN.
fn reset(stream: &TcpStream) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        #[repr(C)]
        struct Linger {
            l_onoff: i32,
            l_linger: i32,
        }
        unsafe extern "C" {
            fn setsockopt(fd: i32, level: i32, name: i32, value: *const std::ffi::c_void, len: u32) -> i32;
        }
        const SOL_SOCKET: i32 = 1;
        const SO_LINGER: i32 = 13;
        let linger = Linger { l_onoff: 1, l_linger: 0 };
        // SAFETY: a valid socket descriptor and a correctly sized `struct linger`.
        unsafe {
            setsockopt(
                stream.as_raw_fd(),
                SOL_SOCKET,
                SO_LINGER,
                &linger as *const Linger as *const std::ffi::c_void,
                std::mem::size_of::<Linger>() as u32,
            );
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// The request to `upstream` on a fresh connection (`Connection: close`); the raw response
/// re-framed with a Content-Length, or `None` when upstream fails.
fn forward(upstream: SocketAddr, request: &Message) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect_timeout(&upstream, Duration::from_secs(5)).ok()?;
    up.set_read_timeout(Some(Duration::from_secs(120))).ok()?;
    let mut head = format!("{}\r\n", request.start);
    for (k, v) in &request.headers {
        if k.eq_ignore_ascii_case("connection") || k.eq_ignore_ascii_case("transfer-encoding") {
            continue;
        }
        if k.eq_ignore_ascii_case("content-length") {
            continue;
        }
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !request.body.is_empty() || request.header("content-length").is_some() {
        head.push_str(&format!("Content-Length: {}\r\n", request.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    up.write_all(head.as_bytes()).ok()?;
    up.write_all(&request.body).ok()?;
    let head_request = request.start.starts_with("HEAD ");
    let mut reader = BufReader::new(up);
    let response = read_message(&mut reader, head_request).ok()??;
    let mut out = format!("{}\r\n", response.start);
    for (k, v) in &response.headers {
        let framing = k.eq_ignore_ascii_case("content-length") || k.eq_ignore_ascii_case("transfer-encoding");
        if k.eq_ignore_ascii_case("connection") || (framing && !head_request) {
            continue;
        }
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if !head_request {
        out.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&response.body);
    Some(bytes)
}

/// Read one HTTP/1.1 message; `Ok(None)` at a clean end of stream. `no_body`: the answer to a
/// HEAD request (its Content-Length describes a body that is not sent).
fn read_message(reader: &mut BufReader<TcpStream>, no_body: bool) -> std::io::Result<Option<Message>> {
    let mut start = String::new();
    if reader.read_line(&mut start)? == 0 {
        return Ok(None);
    }
    let start = start.trim_end().to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut msg = Message { start, headers, body: Vec::new() };
    let status = msg.start.split_whitespace().nth(1).and_then(|s| s.parse::<u16>().ok());
    let is_response = msg.start.starts_with("HTTP/");
    if no_body || (is_response && matches!(status, Some(100..=199 | 204 | 304))) {
        return Ok(Some(msg));
    }
    if msg.header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidData))?;
            if n == 0 {
                // Trailers, then the blank line.
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                        break;
                    }
                }
                break;
            }
            let mut chunk = vec![0; n];
            reader.read_exact(&mut chunk)?;
            msg.body.extend_from_slice(&chunk);
            let mut crlf = String::new();
            reader.read_line(&mut crlf)?;
        }
    } else if let Some(n) = msg.header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        msg.body = vec![0; n];
        reader.read_exact(&mut msg.body)?;
    } else if is_response {
        reader.read_to_end(&mut msg.body)?;
    }
    Ok(Some(msg))
}

/// Service (from the SigV4 credential scope), operation and protocol of a request.
fn classify(request: &Message) -> Call {
    let mut parts = request.start.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    // `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request, ...`
    let service = request
        .header("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or("unknown")
        .to_string();
    let form_action = |text: &str| text.split('&').find_map(|kv| kv.strip_prefix("Action=")).map(|a| a.to_string());
    let (operation, protocol) = if let Some(target) = request.header("x-amz-target") {
        (target.rsplit('.').next().map(str::to_string), Protocol::Json)
    } else if let Some(action) = form_action(&String::from_utf8_lossy(&request.body))
        .or_else(|| path.split_once('?').and_then(|(_, q)| form_action(q)))
    {
        (Some(action), if service == "ec2" { Protocol::Ec2 } else { Protocol::Query })
    } else {
        let protocol = match service.as_str() {
            "s3" if path.starts_with("/v20180820/") => Protocol::S3Control,
            "s3" => Protocol::S3,
            "cloudfront" | "s3control" | "route53" => Protocol::RestXml,
            _ => Protocol::RestJson,
        };
        (None, protocol)
    };
    Call { method, path, service, operation, protocol }
}

/// Status, code and message of the protocol's throttling error, as AWS answers it.
fn throttle(protocol: Protocol) -> (u16, &'static str, &'static str) {
    match protocol {
        Protocol::Ec2 => (503, "RequestLimitExceeded", "Request limit exceeded."),
        Protocol::S3 | Protocol::S3Control => (503, "SlowDown", "Please reduce your request rate."),
        Protocol::Json => (400, "ThrottlingException", "Rate exceeded"),
        Protocol::RestJson => (429, "ThrottlingException", "Rate exceeded"),
        Protocol::Query | Protocol::RestXml => (400, "Throttling", "Rate exceeded"),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// A complete error response in the protocol's shape.
pub fn error_response(protocol: Protocol, status: u16, code: &str, message: &str) -> Vec<u8> {
    let request_id = "11111111-2222-4333-8444-555555555555";
    let (content_type, body, extra) = match protocol {
        Protocol::Ec2 => (
            "text/xml;charset=UTF-8",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
            ),
            String::new(),
        ),
        Protocol::Query | Protocol::RestXml | Protocol::S3Control => (
            "text/xml",
            format!(
                "<ErrorResponse xmlns=\"http://webservices.amazon.com/\"><Error><Type>{}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>",
                if status >= 500 { "Receiver" } else { "Sender" }
            ),
            String::new(),
        ),
        Protocol::S3 => (
            "application/xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId><HostId>fault-proxy</HostId></Error>"
            ),
            String::new(),
        ),
        Protocol::Json => (
            "application/x-amz-json-1.1",
            format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}"),
            format!("x-amzn-ErrorType: {code}\r\n"),
        ),
        Protocol::RestJson => {
            ("application/json", format!("{{\"message\":\"{message}\"}}"), format!("x-amzn-ErrorType: {code}\r\n"))
        }
    };
    format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nx-amzn-RequestId: {request_id}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        reason(status),
        body.len()
    )
    .into_bytes()
}

// ---------------------------------------------------------------------------------------------
// A TCP proxy that cuts a connection
// ---------------------------------------------------------------------------------------------

/// Where [`CutProxy`] cuts the connection carrying a chosen client message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Forward the first half of the bytes that carry the message, then reset both sides.
    Inside,
    /// Drop the bytes that carry the message and reset both sides (the server never sees it).
    Before,
}

/// A TCP proxy on a free loopback port that forwards bytes both ways and, the first time the
/// client sends bytes containing `needle` (on a connection that already sent `after`, when
/// given), cuts that connection ([`Cut`]). Later connections are forwarded untouched. For
/// PostgreSQL (no TLS on loopback) `needle` is a statement's text (`COMMIT`).
pub struct CutProxy {
    pub port: u16,
    cut: Arc<AtomicBool>,
}

impl CutProxy {
    pub fn start(upstream: SocketAddr, after: Option<&'static [u8]>, needle: &'static [u8], how: Cut) -> CutProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the cut proxy");
        let port = listener.local_addr().unwrap().port();
        let cut = Arc::new(AtomicBool::new(false));
        let done = cut.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(upstream) else { continue };
                let done = done.clone();
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                // Server to client: plain copy.
                std::thread::spawn(move || {
                    let (mut from, mut to) = (s2, c2);
                    let _ = std::io::copy(&mut from, &mut to);
                    let _ = to.shutdown(Shutdown::Both);
                });
                // Client to server: watch for the needle.
                std::thread::spawn(move || {
                    let (mut from, mut to) = (client, server);
                    let mut buf = vec![0u8; 64 << 10];
                    let contains = |chunk: &[u8], what: &[u8]| chunk.windows(what.len()).any(|w| w == what);
                    let mut armed = after.is_none();
                    loop {
                        let n = match from.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        let chunk = &buf[..n];
                        let hit = armed
                            && !done.load(Ordering::SeqCst)
                            && contains(chunk, needle)
                            && !done.swap(true, Ordering::SeqCst);
                        if let Some(a) = after {
                            armed |= contains(chunk, a);
                        }
                        if hit {
                            if how == Cut::Inside {
                                let _ = to.write_all(&chunk[..n / 2]);
                                let _ = to.flush();
                            }
                            reset(&to);
                            reset(&from);
                            return;
                        }
                        if to.write_all(chunk).is_err() {
                            break;
                        }
                    }
                    let _ = to.shutdown(Shutdown::Both);
                });
            }
        });
        CutProxy { port, cut }
    }

    /// Has the connection been cut?
    pub fn fired(&self) -> bool {
        self.cut.load(Ordering::SeqCst)
    }
}

// ---------------------------------------------------------------------------------------------
// plumb with a hard time limit
// ---------------------------------------------------------------------------------------------

/// A run and what it cost.
#[derive(Debug)]
pub struct Timed {
    pub run: Run,
    pub elapsed: Duration,
    /// Peak resident memory (VmHWM) seen while it ran, in KiB.
    pub peak_kib: u64,
}

/// Run `plumb` as [`super::plumb_env`] does, but kill it and panic if it has not finished
/// within `limit` (a hang is a failure, never a stuck test run).
pub fn plumb_within(args: &[&str], env: &[(&str, &str)], limit: Duration) -> Timed {
    let mut cmd = super::plumb_command(args, env);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn().expect("run plumb");
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let mut peak_kib = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak_kib = peak_kib.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().expect("wait for plumb") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
            panic!("plumb {args:?} did not finish within {limit:?} (hung); stderr:\n{stderr}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    Timed {
        run: Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned(),
            stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
        },
        elapsed,
        peak_kib,
    }
}
