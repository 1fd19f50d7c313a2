//! A local HTTP server standing in for Slack's incoming webhooks, a webhook receiver and
//! GitHub's REST API, on loopback. Every request is checked as the real service defines it
//! (Block Kit's shape and limits, mrkdwn escaping; the webhook's HMAC signature and timestamp;
//! GitHub's endpoints, headers and bodies); what does not conform is answered as the service
//! would (400, 401, 404, 422) and recorded in `violations`. Failures and slow answers can be
//! scripted per channel.

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

pub const SLACK_PATH: &str = "/slack/services/T0PLUMB/B0PLUMB/slack-secret-part";
pub const HOOK_PATH: &str = "/hooks/plumb";
pub const GITHUB_PREFIX: &str = "/github";
pub const REPO: &str = "acme/infra";
pub const TOKEN: &str = "ghp_test_token_never_printed";
pub const HOOK_SECRET: &str = "webhook-secret-never-printed-0123";

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Lower-cased names.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    pub state: String,
    pub state_reason: Option<String>,
    pub comments: Vec<String>,
}

/// What a channel should do with its next requests.
#[derive(Debug, Clone)]
pub enum Script {
    /// Answer with this status (and `Retry-After` seconds when given).
    Status(u16, Option<u64>),
    /// Wait this long before answering normally.
    Slow(Duration),
}

#[derive(Default)]
pub struct State {
    pub requests: Vec<(String, Request)>,
    pub slack: Vec<Value>,
    pub hooks: Vec<Request>,
    pub issues: BTreeMap<u64, Issue>,
    pub violations: Vec<String>,
    pub scripts: BTreeMap<&'static str, VecDeque<Script>>,
    /// GitHub's page size for issue and comment lists (small, to exercise pagination).
    pub page_size: usize,
    /// Pull requests (numbers) and their comments: id -> (pull request, body).
    pub pulls: std::collections::BTreeSet<u64>,
    pub pr_comments: BTreeMap<u64, (u64, String)>,
}

pub struct Mock {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<State>>,
}

impl Mock {
    pub fn start() -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the mock server");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State { page_size: 2, ..State::default() }));
        let s = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &s);
                });
            }
        });
        Mock { addr, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Environment for `plumb notify` against this server.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("PLUMB_SLACK_WEBHOOK_URL".into(), self.url(SLACK_PATH)),
            ("PLUMB_WEBHOOK_URL".into(), self.url(HOOK_PATH)),
            ("PLUMB_WEBHOOK_SECRET".into(), HOOK_SECRET.into()),
            ("GITHUB_TOKEN".into(), TOKEN.into()),
            ("GITHUB_API_URL".into(), self.url(GITHUB_PREFIX)),
        ]
    }

    pub fn script(&self, channel: &'static str, steps: Vec<Script>) {
        self.state.lock().unwrap().scripts.insert(channel, steps.into());
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    /// Requests per channel so far.
    pub fn count(&self, channel: &str) -> usize {
        self.with(|s| s.requests.iter().filter(|(c, _)| c == channel).count())
    }

    pub fn violations(&self) -> Vec<String> {
        self.with(|s| s.violations.clone())
    }
}

fn serve(stream: TcpStream, state: &Arc<Mutex<State>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    let req = Request { method, target, headers, body };
    let channel = if req.target.starts_with("/slack/") {
        "slack"
    } else if req.target.starts_with(HOOK_PATH) {
        "webhook"
    } else if req.target.starts_with(GITHUB_PREFIX) {
        "github"
    } else {
        "other"
    };
    let script = {
        let mut s = state.lock().unwrap();
        s.requests.push((channel.to_string(), req.clone()));
        s.scripts.get_mut(channel).and_then(|q| q.pop_front())
    };
    let (status, extra, body) = match script {
        Some(Script::Status(code, retry)) => {
            let extra = retry.map(|r| vec![("Retry-After".to_string(), r.to_string())]).unwrap_or_default();
            (code, extra, json!({"message": "scripted failure"}).to_string())
        }
        Some(Script::Slow(d)) => {
            std::thread::sleep(d);
            route(channel, &req, &mut state.lock().unwrap())
        }
        None => route(channel, &req, &mut state.lock().unwrap()),
    };
    let mut out = stream;
    let mut head =
        format!("HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n", reason(status), body.len());
    let ctype = if body.starts_with('{') || body.starts_with('[') { "application/json" } else { "text/plain" };
    head.push_str(&format!("Content-Type: {ctype}\r\n"));
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(body.as_bytes())?;
    out.flush()
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

type Answer = (u16, Vec<(String, String)>, String);

fn route(channel: &str, req: &Request, s: &mut State) -> Answer {
    match channel {
        "slack" => slack(req, s),
        "webhook" => webhook(req, s),
        "github" => github(req, s),
        _ => {
            s.violations.push(format!("unexpected request {} {}", req.method, req.target));
            (404, vec![], "not found".into())
        }
    }
}

// --- Slack ----------------------------------------------------------------------------------------

/// mrkdwn must escape `&`, `<` and `>` except in Slack's own `<url|text>` and `<@U...>` forms.
fn mrkdwn_escaped(text: &str) -> Result<(), String> {
    for (i, c) in text.char_indices() {
        let rest = &text[i..];
        match c {
            '&' if !(rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;")) => {
                return Err(format!("unescaped & at {i}: {text}"));
            }
            '<' if !["<http://", "<https://", "<mailto:", "<@", "<#", "<!"].iter().any(|p| rest.starts_with(p)) => {
                return Err(format!("unescaped < at {i}: {text}"));
            }
            _ => {}
        }
    }
    Ok(())
}

fn text_object(t: &Value, max: usize, kinds: &[&str]) -> Result<(), String> {
    let kind = t["type"].as_str().ok_or("text object without type")?;
    if !kinds.contains(&kind) {
        return Err(format!("text type {kind} not allowed here"));
    }
    let text = t["text"].as_str().ok_or("text object without text")?;
    let n = text.chars().count();
    if n == 0 || n > max {
        return Err(format!("text of {n} characters (1..={max})"));
    }
    if kind == "mrkdwn" {
        mrkdwn_escaped(text)?;
    }
    Ok(())
}

/// Block Kit as Slack's reference defines the blocks plumb uses.
pub fn check_block_kit(msg: &Value) -> Result<(), String> {
    let text = msg["text"].as_str().ok_or("no top-level `text` (the notification fallback)")?;
    if text.trim().is_empty() {
        return Err("empty `text`".into());
    }
    let blocks = msg["blocks"].as_array().ok_or("`blocks` is not an array")?;
    if blocks.is_empty() || blocks.len() > 50 {
        return Err(format!("{} blocks (1..=50)", blocks.len()));
    }
    let mut ids = std::collections::BTreeSet::new();
    for (i, b) in blocks.iter().enumerate() {
        let at = |e: String| format!("block {i}: {e}");
        if let Some(id) = b["block_id"].as_str() {
            if id.len() > 255 || !ids.insert(id.to_string()) {
                return Err(at(format!("bad or duplicate block_id {id}")));
            }
        }
        match b["type"].as_str() {
            Some("header") => text_object(&b["text"], 150, &["plain_text"]).map_err(at)?,
            Some("section") => text_object(&b["text"], 3000, &["plain_text", "mrkdwn"]).map_err(at)?,
            Some("divider") => {
                if b.as_object().is_some_and(|o| o.keys().any(|k| k != "type" && k != "block_id")) {
                    return Err(at("a divider has only type and block_id".into()));
                }
            }
            Some("context") => {
                let els = b["elements"].as_array().ok_or_else(|| at("context without elements".into()))?;
                if els.is_empty() || els.len() > 10 {
                    return Err(at(format!("{} context elements (1..=10)", els.len())));
                }
                for e in els {
                    text_object(e, 3000, &["plain_text", "mrkdwn"]).map_err(at)?;
                }
            }
            other => return Err(at(format!("unexpected block type {other:?}"))),
        }
    }
    Ok(())
}

fn slack(req: &Request, s: &mut State) -> Answer {
    if req.method != "POST" || req.target != SLACK_PATH {
        return (404, vec![], "no_service".into());
    }
    if !req.header("content-type").is_some_and(|c| c.starts_with("application/json")) {
        s.violations.push("Slack: not application/json".into());
        return (400, vec![], "invalid_payload".into());
    }
    let msg = req.json();
    if let Err(e) = check_block_kit(&msg) {
        s.violations.push(format!("Slack: {e}"));
        return (400, vec![], "invalid_blocks".into());
    }
    s.slack.push(msg);
    (200, vec![], "ok".into())
}

// --- webhook --------------------------------------------------------------------------------------

fn webhook(req: &Request, s: &mut State) -> Answer {
    use hmac::{Hmac, KeyInit, Mac};
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut problems = Vec::new();
    if req.method != "POST" {
        problems.push("not a POST".to_string());
    }
    let ts = req.header("x-plumb-timestamp").unwrap_or("");
    let sig = req.header("x-plumb-signature").unwrap_or("");
    match ts.parse::<i64>() {
        Ok(t) if (now - t).abs() <= 300 => {}
        _ => problems.push(format!("timestamp {ts:?} not within 5 minutes")),
    }
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(HOOK_SECRET.as_bytes()).unwrap();
    mac.update(format!("{ts}.").as_bytes());
    mac.update(&req.body);
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    if sig != format!("sha256={expected}") {
        problems.push("signature does not verify".into());
    }
    if req.header("x-plumb-event") != Some("plumb.delta") || req.header("x-plumb-delivery").is_none() {
        problems.push("event or delivery header missing".into());
    }
    let body = req.json();
    if body["schema_version"] != 1 || body["event"] != "plumb.delta" {
        problems.push("body is not a plumb.delta v1".into());
    }
    if !problems.is_empty() {
        s.violations.push(format!("webhook: {}", problems.join("; ")));
        return (401, vec![], "rejected".into());
    }
    s.hooks.push(req.clone());
    (204, vec![], String::new())
}

// --- GitHub -------------------------------------------------------------------------------------

fn github(req: &Request, s: &mut State) -> Answer {
    let err = |code: u16, m: &str| (code, vec![], json!({"message": m}).to_string());
    let mut problems = Vec::new();
    if req.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
        return err(401, "Bad credentials");
    }
    if req.header("accept") != Some("application/vnd.github+json") {
        problems.push("Accept is not application/vnd.github+json");
    }
    if req.header("x-github-api-version") != Some("2022-11-28") {
        problems.push("X-GitHub-Api-Version is not 2022-11-28");
    }
    if req.header("user-agent").is_none_or(|u| u.is_empty()) {
        problems.push("no User-Agent (GitHub rejects such requests)");
    }
    if req.method != "GET" && !req.header("content-type").is_some_and(|c| c.starts_with("application/json")) {
        problems.push("a body that is not application/json");
    }
    if !problems.is_empty() {
        s.violations.push(format!("GitHub {} {}: {}", req.method, req.target, problems.join("; ")));
        return err(400, "bad request");
    }
    let base = format!("{GITHUB_PREFIX}/repos/{REPO}/issues");
    let (path, query) = req.target.split_once('?').unwrap_or((req.target.as_str(), ""));
    let q: BTreeMap<&str, &str> = query.split('&').filter_map(|kv| kv.split_once('=')).collect();
    let body = req.json();
    let rest = path.strip_prefix(&base);
    // Pull-request comments (the action's comment step): the issues API serves pull requests too.
    let pr_of = |r: Option<&str>| {
        r.and_then(|r| r.strip_prefix('/'))
            .and_then(|r| r.strip_suffix("/comments"))
            .and_then(|n| n.parse::<u64>().ok())
    };
    if let Some(pr) = pr_of(rest).filter(|n| s.pulls.contains(n)) {
        match req.method.as_str() {
            "GET" => {
                let page: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
                let per = s.page_size;
                let all: Vec<(u64, String)> =
                    s.pr_comments.iter().filter(|(_, (p, _))| *p == pr).map(|(id, (_, b))| (*id, b.clone())).collect();
                let slice: Vec<Value> =
                    all.iter().skip((page - 1) * per).take(per).map(|(id, b)| json!({"id": id, "body": b})).collect();
                let mut extra = vec![];
                if page * per < all.len() {
                    extra.push((
                        "Link".to_string(),
                        format!("<https://api.github.com/x?page={}>; rel=\"next\"", page + 1),
                    ));
                }
                return (200, extra, Value::Array(slice).to_string());
            }
            "POST" => {
                let Some(text) = body["body"].as_str().filter(|t| !t.is_empty()) else {
                    s.violations.push("GitHub: PR comment without body".into());
                    return err(422, "Validation Failed");
                };
                let id = s.pr_comments.keys().max().copied().unwrap_or(1000) + 1;
                s.pr_comments.insert(id, (pr, text.to_string()));
                return (201, vec![], json!({"id": id}).to_string());
            }
            _ => {}
        }
    }
    if let Some(id) = rest.and_then(|r| r.strip_prefix("/comments/")).and_then(|n| n.parse::<u64>().ok()) {
        if req.method == "PATCH" {
            let Some(text) = body["body"].as_str() else { return err(422, "Validation Failed") };
            let Some(c) = s.pr_comments.get_mut(&id) else { return err(404, "Not Found") };
            c.1 = text.to_string();
            return (200, vec![], json!({"id": id}).to_string());
        }
    }
    match (req.method.as_str(), rest) {
        ("GET", Some("")) => {
            if q.get("state") != Some(&"open") || q.get("labels") != Some(&"plumb") {
                s.violations.push(format!("GitHub: list without state=open&labels=plumb: {query}"));
            }
            let page: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let per = s.page_size;
            let open: Vec<&Issue> =
                s.issues.values().filter(|i| i.state == "open" && i.labels.iter().any(|l| l == "plumb")).collect();
            let slice: Vec<Value> = open
                .iter()
                .skip((page - 1) * per)
                .take(per)
                .map(|i| {
                    json!({"number": i.number, "title": i.title, "body": i.body, "state": i.state,
                           "labels": i.labels.iter().map(|l| json!({"name": l})).collect::<Vec<_>>(),
                           "html_url": format!("https://github.com/{REPO}/issues/{}", i.number)})
                })
                .collect();
            let mut extra = vec![];
            if page * per < open.len() {
                extra.push((
                    "Link".to_string(),
                    format!("<https://api.github.com/repositories/1/issues?page={}>; rel=\"next\"", page + 1),
                ));
            }
            (200, extra, Value::Array(slice).to_string())
        }
        ("POST", Some("")) => {
            let (Some(title), Some(text)) = (body["title"].as_str(), body["body"].as_str()) else {
                s.violations.push(format!("GitHub: create without title/body: {body}"));
                return err(422, "Validation Failed");
            };
            let labels: Vec<String> = body["labels"]
                .as_array()
                .map(|l| l.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                .unwrap_or_default();
            if title.is_empty() || title.chars().count() > 256 || text.chars().count() > 65_536 {
                s.violations.push("GitHub: title or body too long".into());
                return err(422, "Validation Failed");
            }
            let number = s.issues.keys().max().copied().unwrap_or(0) + 1;
            s.issues.insert(
                number,
                Issue {
                    number,
                    title: title.into(),
                    body: text.into(),
                    labels,
                    state: "open".into(),
                    state_reason: None,
                    comments: vec![],
                },
            );
            (201, vec![], json!({"number": number, "state": "open"}).to_string())
        }
        ("PATCH", Some(n)) if n.starts_with('/') && !n.contains("/comments") => {
            let Some(number) = n[1..].parse::<u64>().ok() else { return err(404, "Not Found") };
            let Some(issue) = s.issues.get_mut(&number) else { return err(404, "Not Found") };
            let allowed = ["title", "body", "state", "state_reason", "labels"];
            if let Some(k) = body.as_object().and_then(|o| o.keys().find(|k| !allowed.contains(&k.as_str()))) {
                let k = k.clone();
                s.violations.push(format!("GitHub: PATCH with unknown field {k}"));
                return err(422, "Validation Failed");
            }
            if let Some(t) = body["title"].as_str() {
                issue.title = t.into();
            }
            if let Some(b) = body["body"].as_str() {
                issue.body = b.into();
            }
            if let Some(st) = body["state"].as_str() {
                if st != "open" && st != "closed" {
                    s.violations.push(format!("GitHub: state {st}"));
                    return err(422, "Validation Failed");
                }
                issue.state = st.into();
            }
            if let Some(r) = body["state_reason"].as_str() {
                if !["completed", "not_planned", "reopened"].contains(&r) {
                    s.violations.push(format!("GitHub: state_reason {r}"));
                    return err(422, "Validation Failed");
                }
                issue.state_reason = Some(r.into());
            }
            (200, vec![], json!({"number": number, "state": issue.state}).to_string())
        }
        ("POST", Some(n)) if n.ends_with("/comments") => {
            let number = n.trim_start_matches('/').trim_end_matches("/comments").parse::<u64>().unwrap_or(0);
            let Some(issue) = s.issues.get_mut(&number) else { return err(404, "Not Found") };
            let Some(text) = body["body"].as_str().filter(|t| !t.is_empty()) else {
                s.violations.push("GitHub: comment without body".into());
                return err(422, "Validation Failed");
            };
            issue.comments.push(text.into());
            (201, vec![], json!({"id": issue.comments.len()}).to_string())
        }
        _ => {
            s.violations.push(format!("GitHub: no such endpoint {} {}", req.method, req.target));
            err(404, "Not Found")
        }
    }
}
