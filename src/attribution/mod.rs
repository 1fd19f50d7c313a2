//! Attribution: who changed a drifted resource, when, and through which channel, from
//! CloudTrail (a folder of log files, a trail bucket, or the LookupEvents API).
//!
//! ```text
//! judged resources ──► Subject (ids, ARNs, names) ──► Index (identifier → subject)
//!                                                        │
//! log files / S3 objects / LookupEvents ─► records ─► keep writes on indexed resources (Event)
//!                                                        │
//!                     cause selection (cause.rs) ◄───────┘ ──► Judged.attribution, `plumb blame`
//! ```
//!
//! Records are streamed: each file is decompressed and searched for the indexed identifiers
//! (one Aho-Corasick pass), and only the records around a hit that are writes of a known
//! event are parsed. Memory holds one file and the kept events, never every record.
//! Facts and pitfalls: shared/research/cloudtrail.md; each type declares its write events in `src/aws/`.

mod actor;
pub mod blame;
mod cause;
mod record;
mod source;
mod writes;

use std::collections::{BTreeSet, HashMap};

use aho_corasick::AhoCorasick;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub use crate::aws::event::Effect;
pub use actor::{Actor, Channel};
pub use cause::{attach, causes};
pub use source::{Aws, Stats, Trail, collect};
pub use writes::Written;

use crate::diff::{Attribution, Judged, Status};
use crate::model::{Resource, Value};
use record::Record;

/// The time window events are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub since: OffsetDateTime,
    pub until: OffsetDateTime,
}

impl Window {
    /// `--since 30d` (also `12h`, `90m`, `2026-10-01`, or an RFC 3339 time) up to `now`.
    pub fn parse(since: &str, now: OffsetDateTime) -> Result<Window, String> {
        let s = since.trim();
        let relative = |n: &str, unit: time::Duration| n.parse::<i32>().ok().map(|n| now - unit * n);
        let start = if let Some(n) = s.strip_suffix('d') {
            relative(n, time::Duration::DAY)
        } else if let Some(n) = s.strip_suffix('h') {
            relative(n, time::Duration::HOUR)
        } else if let Some(n) = s.strip_suffix('m') {
            relative(n, time::Duration::MINUTE)
        } else {
            parse_time(s).or_else(|| parse_time(&format!("{s}T00:00:00Z")))
        };
        match start {
            Some(t) if t <= now => Ok(Window { since: t, until: now }),
            Some(_) => Err(format!("--since {since} is in the future")),
            None => Err(format!("--since {since}: expected a duration (30d, 12h) or a date (2026-10-01)")),
        }
    }

    pub fn contains(&self, t: OffsetDateTime) -> bool {
        self.since <= t && t <= self.until
    }
}

/// `2024-10-10T15:21:35Z` (RFC 3339; also a space for the `T`, or no zone meaning UTC).
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let mut fixed = s.replacen(' ', "T", 1);
    // Bytes, not a `str` slice: the last six bytes may cut a character of hostile input.
    let tail = &fixed.as_bytes()[fixed.len().saturating_sub(6)..];
    if !fixed.ends_with('Z') && !tail.iter().any(|b| matches!(b, b'+' | b'-')) {
        fixed.push('Z');
    }
    OffsetDateTime::parse(&fixed, &Rfc3339).ok()
}

/// RFC 3339 in UTC, whole seconds.
pub fn format_time(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(t).format(&Rfc3339).unwrap_or_default()
}

/// A resource to attribute, with every identifier CloudTrail may name it by.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    pub rtype: String,
    pub id: String,
    pub address: Option<String>,
    pub region: Option<String>,
    /// The resource's own identifiers: id, ARN, name (and a KMS key's aliases).
    pub own: BTreeSet<String>,
    /// Its parent's: the security group of a rule resource.
    pub parent: BTreeSet<String>,
    /// For rule resources: the direction (`ingress`/`egress`) and the rule as a partial
    /// element of the group's set, to tell which revoke removed it.
    pub rule: Option<(String, Value)>,
    /// How this resource relates to the one asked about, when `plumb blame` reached it by
    /// following links ("launch template", "policy attachment of node role").
    pub link: Option<String>,
    /// The type declares no write events (Plumb does not read it): any write naming one of
    /// its identifiers is kept, without the attributes it changed.
    pub generic: bool,
}

impl Subject {
    /// Build from the resource's state and/or live copies (either may be absent).
    pub fn new(rtype: &str, id: &str, address: Option<&str>, region: Option<&str>, copies: &[&Resource]) -> Subject {
        let mut own = BTreeSet::from([id.to_string()]);
        let mut parent = BTreeSet::new();
        let mut rule = None;
        for r in copies {
            let s = |k: &str| r.attr_str(k).filter(|v| !v.is_empty()).map(str::to_string);
            own.extend(s("arn"));
            let identity = crate::aws::lookup(rtype).map(|t| t.identity).unwrap_or(crate::aws::Identity::NONE);
            own.extend(identity.names.iter().filter_map(|k| s(k)));
            if let Some(p) = identity.parent_attr {
                parent.extend(s(p));
                if SG_RULE_TYPES.contains(&rtype) {
                    rule = rule.or_else(|| rule_shape(rtype, r));
                }
            }
        }
        Subject {
            rtype: rtype.to_string(),
            id: id.to_string(),
            address: address.map(str::to_string),
            region: region.map(str::to_string),
            own,
            parent,
            rule,
            link: None,
            generic: crate::aws::lookup(rtype).is_none_or(|t| t.events.is_empty()),
        }
    }

    /// A KMS key is also named by its aliases (`keyId: "alias/x"` in requests).
    pub fn add_aliases(&mut self, resources: &[&Resource]) {
        if self.rtype != "aws_kms_key" {
            return;
        }
        for r in resources.iter().filter(|r| r.rtype == "aws_kms_alias") {
            if r.attr_str("target_key_id").is_some_and(|t| self.own.contains(t)) {
                if let Some(name) = r.attr_str("name") {
                    self.own.insert(name.to_string());
                }
            }
        }
    }

    /// Names LookupEvents can find the resource's events by (`ResourceName`).
    pub fn lookup_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .own
            .iter()
            .chain(&self.parent)
            .filter(|s| !s.starts_with("arn:") || self.rtype == "aws_kms_key")
            .filter(|s| !(self.rtype == "aws_db_instance" && s.starts_with("db-")))
            .cloned()
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// The resource types that are one security-group rule (identified through their group).
const SG_RULE_TYPES: &[&str] =
    &["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];

/// The rule of a rule resource in the shape of an element of the group's `ingress`/`egress`.
fn rule_shape(rtype: &str, r: &Resource) -> Option<(String, Value)> {
    let dir = match rtype {
        "aws_security_group_rule" => r.attr_str("type")?.to_string(),
        "aws_vpc_security_group_ingress_rule" => "ingress".into(),
        _ => "egress".into(),
    };
    let proto =
        r.attributes.get("protocol").or_else(|| r.attributes.get("ip_protocol")).cloned().unwrap_or(Value::Null);
    let mut m = std::collections::BTreeMap::new();
    m.insert("protocol".to_string(), proto);
    for k in ["from_port", "to_port"] {
        if let Some(v) = r.attributes.get(k).filter(|v| !v.is_null()) {
            m.insert(k.to_string(), v.clone());
        }
    }
    let cidrs: Vec<Value> = match r.attributes.get("cidr_blocks") {
        Some(Value::List(l)) => l.clone(),
        _ => r.attributes.get("cidr_ipv4").filter(|v| !v.is_null()).cloned().into_iter().collect(),
    };
    if !cidrs.is_empty() {
        m.insert("cidr_blocks".to_string(), Value::List(cidrs));
    }
    Some((dir, Value::Map(m)))
}

/// One write event kept for attribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub event_id: String,
    pub time: OffsetDateTime,
    pub name: String,
    /// `ec2.amazonaws.com`
    pub source: String,
    pub region: Option<String>,
    pub actor: Actor,
    pub channel: Channel,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    /// Set on failed calls (`AccessDenied`...): never a cause.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// Identifiers the request named (for telling rule ids apart).
    pub ids: Vec<String>,
    /// Indexed subjects this event acts on, and how.
    pub hits: Vec<(usize, Effect)>,
    pub writes: Vec<Written>,
}

impl Event {
    pub fn succeeded(&self) -> bool {
        self.error_code.is_none()
    }

    pub fn effect_on(&self, subject: usize) -> Option<Effect> {
        self.hits.iter().find(|(s, _)| *s == subject).map(|(_, e)| *e)
    }

    /// The entry of a scan report's `attribution` list.
    pub fn attribution(&self) -> Attribution {
        Attribution {
            actor: self.actor.display(),
            channel: self.channel.as_str().to_string(),
            event_name: self.name.clone(),
            event_time: format_time(self.time),
            event_id: self.event_id.clone(),
            source_ip: self.source_ip.clone(),
            user_agent: self.user_agent.clone(),
            via: None,
        }
    }
}

/// Identifier → subjects, and the matcher that finds identifiers in raw log bytes.
pub struct Index {
    pub subjects: Vec<Subject>,
    by_ident: HashMap<String, Vec<(usize, bool)>>,
    matcher: Option<AhoCorasick>,
    /// Some subject's type declares no events: every write is a candidate.
    generic: bool,
}

impl Index {
    pub fn new(subjects: Vec<Subject>) -> Index {
        let mut by_ident: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        let mut patterns = BTreeSet::new();
        for (i, s) in subjects.iter().enumerate() {
            // Calls on a singleton name nothing (UpdateAccountPasswordPolicy): their records
            // are found by the event's name.
            let singleton_events = crate::aws::lookup(&s.rtype)
                .into_iter()
                .flat_map(|t| t.events)
                .filter(|e| e.ids.iter().any(|p| p.starts_with('=')));
            for e in singleton_events {
                patterns.insert(format!("{}\"", e.name.to_ascii_lowercase()));
            }
            for (set, own) in [(&s.own, true), (&s.parent, false)] {
                for ident in set {
                    by_ident.entry(ident.to_ascii_lowercase()).or_default().push((i, own));
                    // In a record an identifier ends a JSON string: `"i-0abc"`, `...:db:name"`.
                    let tail = if ident.starts_with("arn:") { last_segment(ident) } else { ident.as_str() };
                    if !tail.is_empty() {
                        patterns.insert(format!("{}\"", tail.to_ascii_lowercase()));
                    }
                }
            }
        }
        for v in by_ident.values_mut() {
            v.sort();
            v.dedup();
        }
        let matcher = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(&patterns)
                    .expect("identifier patterns build an automaton"),
            )
        };
        let generic = subjects.iter().any(|s| s.generic);
        Index { subjects, by_ident, matcher, generic }
    }

    /// Subjects an identifier from a request names: the string itself, or the last segment
    /// of an ARN (`...:db:name`, `.../key/uuid`, `arn:aws:s3:::bucket`).
    fn lookup(&self, ident: &str) -> Vec<(usize, bool)> {
        let lower = ident.to_ascii_lowercase();
        let mut out = Vec::new();
        let mut keys = vec![lower.as_str()];
        if lower.starts_with("arn:") || lower.starts_with("alias/") {
            keys.push(last_segment(&lower));
            if let Some((_, after_slash)) = lower.split_once('/') {
                keys.push(after_slash);
            }
        }
        for k in keys {
            if let Some(v) = self.by_ident.get(k) {
                out.extend(v.iter().copied());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The kept event for a record, if it is a write of a known event on an indexed resource
    /// inside the window.
    pub fn interpret(&self, r: Record, window: &Window) -> Option<Event> {
        if !r.supported_version() || r.read_only == Some(true) {
            return None;
        }
        let declared = crate::aws::event::lookup(&r.event_source, &r.event_name);
        if declared.is_empty() && !(self.generic && is_write_name(&r.event_name)) {
            return None;
        }
        let time = parse_time(&r.event_time)?;
        if !window.contains(time) {
            return None;
        }
        let req = &r.request_parameters;
        let resp = &r.response_elements;
        let arns: Vec<String> = r.resources.iter().filter_map(|x| x.arn.clone()).collect();
        let mut ids: Vec<String> = Vec::new();
        let mut hits = Vec::new();
        let mut writes: Vec<Written> = Vec::new();
        for (rtype, event) in declared {
            let mut named = event.identifiers(req, resp);
            named.extend(arns.iter().cloned());
            let deletes = event.deletes_if.is_some_and(|f| f(req));
            let mut hit = false;
            for ident in &named {
                for (i, is_own) in self.lookup(ident) {
                    let s = &self.subjects[i];
                    if s.rtype != rtype.name {
                        continue;
                    }
                    let region_ok = rtype.identity.global_names
                        || match (&s.region, &r.aws_region) {
                            (Some(a), Some(b)) => a == b,
                            _ => true,
                        };
                    if region_ok && (is_own || event.via == crate::aws::Via::Any) {
                        hits.push((i, if deletes { Effect::Delete } else { event.effect }));
                        hit = true;
                    }
                }
            }
            for w in event.writes(req, resp) {
                if hit && !writes.contains(&w) {
                    writes.push(w);
                }
            }
            for ident in named {
                if !ids.contains(&ident) {
                    ids.push(ident);
                }
            }
        }
        if self.generic {
            self.generic_hits(&r, &arns, &mut hits, &mut ids);
        }
        if hits.is_empty() {
            return None;
        }
        hits.sort();
        hits.dedup();
        Some(Event {
            writes,
            actor: actor::actor(&r),
            channel: actor::channel(&r),
            time,
            hits,
            ids,
            event_id: if r.event_id.is_empty() { format!("{}@{}", r.event_name, r.event_time) } else { r.event_id },
            name: r.event_name,
            source: r.event_source,
            region: r.aws_region,
            source_ip: r.source_ip_address,
            user_agent: r.user_agent,
            error_code: r.error_code.filter(|c| !c.is_empty()),
            error_message: r.error_message,
        })
    }

    /// Hits on subjects whose type declares no events: any string of the request, the
    /// response or `resources[]` that names one of them. The effect follows the event's name.
    fn generic_hits(&self, r: &Record, arns: &[String], hits: &mut Vec<(usize, Effect)>, ids: &mut Vec<String>) {
        let mut strings: Vec<&str> = arns.iter().map(String::as_str).collect();
        collect_strings(&r.request_parameters, &mut strings, 0);
        collect_strings(&r.response_elements, &mut strings, 0);
        let effect = if ["Create", "Run", "Register"].iter().any(|p| r.event_name.starts_with(p)) {
            Effect::Create
        } else if ["Delete", "Terminate", "Deregister"].iter().any(|p| r.event_name.starts_with(p)) {
            Effect::Delete
        } else {
            Effect::Modify
        };
        for s in strings {
            for (i, is_own) in self.lookup(s) {
                let subject = &self.subjects[i];
                let region_ok = match (&subject.region, &r.aws_region) {
                    (Some(a), Some(b)) => a == b || s.starts_with("arn:aws:iam:"),
                    _ => true,
                };
                if subject.generic && is_own && region_ok {
                    hits.push((i, effect));
                    if !ids.iter().any(|x| x == s) {
                        ids.push(s.to_string());
                    }
                }
            }
        }
    }

    /// One log file (gzip or plain JSON): append the kept events to `out`. `scratch` holds
    /// the decompressed bytes (reused from file to file). Returns the number of records that
    /// were candidates but did not parse (or lacked a field every record has). A file over
    /// [`MAX_FILE_BYTES`] (decompressed) is an error: it is skipped, having taken no more
    /// than that much memory. A truncated file is an error too, after its whole records were
    /// read.
    pub fn scan_file(
        &self,
        data: &[u8],
        scratch: &mut Vec<u8>,
        window: &Window,
        out: &mut Vec<Event>,
    ) -> Result<usize, String> {
        self.scan_file_within(data, scratch, window, out, MAX_FILE_BYTES)
    }

    /// [`scan_file`](Self::scan_file) with another size limit (tests).
    pub fn scan_file_within(
        &self,
        data: &[u8],
        scratch: &mut Vec<u8>,
        window: &Window,
        out: &mut Vec<Event>,
        max_bytes: u64,
    ) -> Result<usize, String> {
        let buf: &[u8] = if data.starts_with(&[0x1f, 0x8b]) {
            gunzip_within(data, scratch, max_bytes)?;
            scratch
        } else if data.len() as u64 > max_bytes {
            return Err(too_large(max_bytes));
        } else {
            data
        };
        let buf = buf.strip_prefix(record::BOM).unwrap_or(buf);
        let Some(matcher) = &self.matcher else { return Ok(0) };
        if matcher.find(buf).is_none() {
            return Ok(0);
        }
        let mut bad = 0;
        for span in record::RecordSpans::new(buf)? {
            let span = span
                .map_err(|why| if bad > 0 { format!("{why} ({bad} records before it did not parse)") } else { why })?;
            let bytes = &buf[span];
            if !matcher.is_match(bytes) {
                continue;
            }
            if bytes.len() > MAX_RECORD_BYTES {
                bad += 1;
                continue;
            }
            if record::peek_read_only(bytes)
                || record::peek_event_name(bytes)
                    .is_some_and(|n| !crate::aws::event::known_name(n) && !(self.generic && is_write_name(n)))
            {
                continue;
            }
            match serde_json::from_slice::<Record>(bytes) {
                Ok(r) if r.missing_field().is_none() => out.extend(self.interpret(r, window)),
                _ => bad += 1,
            }
        }
        Ok(bad)
    }

    /// One record as JSON text (LookupEvents' `CloudTrailEvent`).
    pub fn scan_record(&self, json: &str, window: &Window) -> Result<Option<Event>, String> {
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        if json.len() > MAX_RECORD_BYTES {
            return Err(format!("a record of {} bytes (the limit is {MAX_RECORD_BYTES})", json.len()));
        }
        let r: Record = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if let Some(field) = r.missing_field() {
            return Err(format!("the record has no valid {field}"));
        }
        Ok(self.interpret(r, window))
    }
}

/// Decompressed size limit of one CloudTrail log file. CloudTrail delivers a file per
/// account, region and ~5 minutes, typically well under 10 MiB; a file past this limit is
/// reported and skipped, and decompression stops there (a gzip bomb costs this much memory
/// per reader thread, never its full size).
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Size limit of one record. CloudTrail caps `requestParameters` and `responseElements` at
/// 100 KB each and `userAgent` at 1 KB, so a real record stays far below; a larger one is
/// counted as unparseable, without being parsed.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

fn too_large(max_bytes: u64) -> String {
    format!("larger than {} decompressed (the limit per CloudTrail file); skipped", human_bytes(max_bytes))
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 { format!("{} MiB", n >> 20) } else { format!("{n} bytes") }
}

/// Stream a (multi-member) gzip into `out`, stopping with an error once it would exceed
/// `max_bytes`: the buffer never grows past the limit.
fn gunzip_within(data: &[u8], out: &mut Vec<u8>, max_bytes: u64) -> Result<(), String> {
    use std::io::Read;
    out.clear();
    // A buffer left large by an earlier big file is given back.
    if out.capacity() as u64 > (64 << 20).min(max_bytes) {
        *out = Vec::new();
    }
    let mut decoder = flate2::read::MultiGzDecoder::new(data);
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        let n = match decoder.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("gzip: {e}")),
        };
        if (out.len() + n) as u64 > max_bytes {
            *out = Vec::new();
            return Err(too_large(max_bytes));
        }
        if out.len() + n > out.capacity() {
            // Grow as a Vec does, but never past the limit.
            let target = (out.capacity() * 2).max(out.len() + n).min(max_bytes as usize);
            out.reserve_exact(target - out.len());
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// A call that may change something: not a Describe/Get/List/Head/Lookup read.
fn is_write_name(name: &str) -> bool {
    !["Describe", "Get", "List", "Head", "Lookup", "BatchGet", "Search", "Scan", "Query"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// Every string in a JSON value (bounded depth and count: requests are capped at 100 KB).
fn collect_strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>, depth: usize) {
    if depth > 12 || out.len() > 4096 {
        return;
    }
    match v {
        serde_json::Value::String(s) if !s.is_empty() => out.push(s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out, depth + 1)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out, depth + 1)),
        _ => {}
    }
}

fn last_segment(s: &str) -> &str {
    s.rsplit(['/', ':']).next().unwrap_or(s)
}

/// The resources linked to each drifted one that declares links (its launch template, its node
/// role...): `(index in judged, subject)`, the subject's `link` saying what it is.
fn linked_subjects(judged: &[Judged], state: &[Resource]) -> Vec<(usize, Subject)> {
    let mut out = Vec::new();
    for (i, j) in judged.iter().enumerate().filter(|(_, j)| j.status == Status::Drifted) {
        if crate::aws::lookup(&j.rtype).is_none_or(|t| t.links.is_empty()) {
            continue;
        }
        let Some(address) = &j.address else { continue };
        let Ok(subjects) = blame::subjects_for(address, state, true) else { continue };
        out.extend(subjects.into_iter().filter(|s| s.link.is_some()).map(|s| (i, s)));
    }
    out
}

/// Subjects for every drifted, missing and unmanaged resource: `(index in judged, subject)`.
pub fn subjects(judged: &[Judged], state: &[Resource], live: &[Resource]) -> Vec<(usize, Subject)> {
    let all: Vec<&Resource> = state.iter().chain(live).collect();
    let mut by_key: HashMap<(&str, &str), Vec<&Resource>> = HashMap::new();
    for r in &all {
        by_key.entry((r.rtype.as_str(), r.id.as_str())).or_default().push(r);
    }
    judged
        .iter()
        .enumerate()
        .filter(|(_, j)| j.status != Status::InSync)
        .map(|(i, j)| {
            let copies: Vec<&Resource> = by_key
                .get(&(j.rtype.as_str(), j.id.as_str()))
                .map(|v| v.iter().filter(|r| r.region.is_none() || r.region == j.region).copied().collect())
                .unwrap_or_default();
            let mut s = Subject::new(&j.rtype, &j.id, j.address.as_deref(), j.region.as_deref(), &copies);
            s.add_aliases(&all);
            (i, s)
        })
        .collect()
}

/// `plumb scan --cloudtrail`: read the trail and fill `attribution` on every drifted,
/// missing and unmanaged resource (state and live copies give the identifiers).
pub async fn annotate(
    judged: &mut [Judged],
    state: &[Resource],
    live: &[Resource],
    trail: &Trail,
    window: Window,
    aws: Aws<'_>,
) -> anyhow::Result<Stats> {
    let pairs = subjects(judged, state, live);
    if pairs.is_empty() {
        return Ok(Stats::default());
    }
    let own = pairs.len();
    let mut all = pairs;
    all.extend(linked_subjects(judged, state));
    let links: Vec<(usize, usize)> = all.iter().enumerate().map(|(k, (j, _))| (*j, k)).collect();
    let index = std::sync::Arc::new(Index::new(all.into_iter().map(|(_, s)| s).collect()));
    let (events, stats) = collect(trail, index.clone(), window, Some(aws)).await?;
    attach(judged, &index, &links[..own], &events);
    cause::attach_linked(judged, &index, &links[own..], &events);
    Ok(stats)
}

/// Warnings (unreadable files, records that did not parse) and, with `-v`, what was read.
pub fn log_stats(stats: &Stats, verbose: bool) {
    for (file, why) in &stats.bad_files {
        eprintln!("plumb: warning: skipped CloudTrail file {file}: {why}");
    }
    if stats.bad_records > 0 {
        eprintln!("plumb: warning: {} CloudTrail records did not parse and were skipped", stats.bad_records);
    }
    if verbose {
        eprintln!(
            "plumb: cloudtrail: {} files ({} bytes), {} LookupEvents calls, {} write events on the resources",
            stats.files, stats.bytes, stats.lookup_calls, stats.events
        );
    }
}

/// "changed by alice@example.com in the console, 2026-11-21 14:02 UTC, ModifyDBInstance"
pub fn sentence(a: &Attribution, status: Status) -> String {
    let verb = match status {
        Status::Missing => "deleted",
        Status::Unmanaged => "created",
        _ => "changed",
    };
    let channel = match a.channel.as_str() {
        "console" => Channel::Console,
        "cli" => Channel::Cli,
        "sdk" => Channel::Sdk,
        "terraform" => Channel::Terraform,
        "cloudformation" => Channel::Cloudformation,
        "service" => Channel::Service,
        _ => Channel::Unknown,
    };
    let via = a.via.as_deref().map(|v| format!(" (on its {v})")).unwrap_or_default();
    format!("{verb} by {} {}, {}, {}{via}", a.actor, channel.phrase(), short_time(&a.event_time), a.event_name)
}

/// `2026-11-21T14:02:05Z` → `2026-11-21 14:02 UTC`.
pub fn short_time(rfc3339: &str) -> String {
    match parse_time(rfc3339) {
        Some(t) => {
            let t = t.to_offset(time::UtcOffset::UTC);
            format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", t.year(), t.month() as u8, t.day(), t.hour(), t.minute())
        }
        None => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn window() -> Window {
        Window { since: datetime!(2024-01-01 0:00 UTC), until: datetime!(2025-01-01 0:00 UTC) }
    }

    #[test]
    fn since_forms() {
        let now = datetime!(2026-11-21 14:02 UTC);
        assert_eq!(Window::parse("30d", now).unwrap().since, datetime!(2026-10-22 14:02 UTC));
        assert_eq!(Window::parse("12h", now).unwrap().since, datetime!(2026-11-21 2:02 UTC));
        assert_eq!(Window::parse("2026-10-01", now).unwrap().since, datetime!(2026-10-01 0:00 UTC));
        assert!(Window::parse("2027-01-01", now).is_err());
        assert!(Window::parse("soon", now).is_err());
        assert_eq!(parse_time("2022-09-24 00:38:26"), Some(datetime!(2022-09-24 0:38:26 UTC)));
        assert_eq!(short_time("2026-11-21T14:02:05Z"), "2026-11-21 14:02 UTC");
        assert_eq!(parse_time("\u{e9}\u{e9}\u{e9}\u{e9}a"), None, "hostile input is no time, and no panic");
    }

    fn db() -> Subject {
        let r = Resource::live(
            "aws_db_instance",
            "db-ABC",
            "us-east-1",
            "1",
            Some("arn:aws:rds:us-east-1:1:db:clinic-records".into()),
        )
        .with("identifier", "clinic-records");
        Subject::new("aws_db_instance", "db-ABC", Some("aws_db_instance.records"), Some("us-east-1"), &[&r])
    }

    #[test]
    fn keeps_writes_on_indexed_resources_only() {
        let index = Index::new(vec![db()]);
        let rec = |name: &str, id: &str, extra: &str| {
            format!(
                r#"{{"eventVersion":"1.08","eventTime":"2024-10-10T15:21:35Z","eventSource":"rds.amazonaws.com","eventName":"{name}",
                "awsRegion":"us-east-1","eventID":"e-{name}-{id}","readOnly":false,"userIdentity":{{"type":"IAMUser","userName":"u"}},
                "requestParameters":{{"dBInstanceIdentifier":"{id}","backupRetentionPeriod":7}}{extra}}}"#
            )
        };
        let w = window();
        let kept = index.scan_record(&rec("ModifyDBInstance", "clinic-records", ""), &w).unwrap().unwrap();
        assert_eq!(kept.hits, vec![(0, Effect::Modify)]);
        assert_eq!(kept.writes, vec![Written::Set { path: "backup_retention_period".into(), value: Value::int(7) }]);
        // Case-insensitive identifiers (RDS lowercases them).
        assert!(index.scan_record(&rec("ModifyDBInstance", "Clinic-Records", ""), &w).unwrap().is_some());
        assert!(index.scan_record(&rec("ModifyDBInstance", "other-db", ""), &w).unwrap().is_none());
        assert!(index.scan_record(&rec("DescribeDBInstances", "clinic-records", ""), &w).unwrap().is_none());
        let failed =
            index.scan_record(&rec("ModifyDBInstance", "clinic-records", r#","errorCode":"AccessDenied""#), &w);
        assert!(!failed.unwrap().unwrap().succeeded());
        // Another region's database of the same name is another database.
        let other_region = rec("ModifyDBInstance", "clinic-records", "").replace("\"us-east-1\"", "\"eu-west-1\"");
        assert!(index.scan_record(&other_region, &w).unwrap().is_none());
    }

    #[test]
    fn file_scan_parses_only_candidates() {
        let index = Index::new(vec![db()]);
        let file = r#"{"Records":[
            {"eventTime":"2024-10-10T15:00:00Z","eventSource":"rds.amazonaws.com","eventName":"DescribeDBInstances","readOnly":true,"eventID":"r1","requestParameters":{"dBInstanceIdentifier":"clinic-records"}},
            {"eventTime":"2024-10-10T15:01:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","eventID":"n1","requestParameters":{}},
            {"eventTime":"2024-10-10T15:02:00Z","eventSource":"rds.amazonaws.com","eventName":"ModifyDBInstance","awsRegion":"us-east-1","eventID":"m1","requestParameters":{"dBInstanceIdentifier":"clinic-records","deletionProtection":false}},
            {"eventTime":"2024-10-10T15:03:00Z","eventSource":"rds.amazonaws.com","eventName":"ModifyDBInstance","eventID":"broken","requestParameters":{"dBInstanceIdentifier":"clinic-records"},"resources":5,"userIdentity":"x"}
        ]}"#;
        let mut out = Vec::new();
        let mut scratch = Vec::new();
        let bad = index.scan_file(file.as_bytes(), &mut scratch, &window(), &mut out).unwrap();
        assert_eq!(out.iter().map(|e| e.event_id.as_str()).collect::<Vec<_>>(), vec!["m1"]);
        assert_eq!(bad, 1);
        // gzip gives the same.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, file.as_bytes()).unwrap();
        let mut again = Vec::new();
        index.scan_file(&gz.finish().unwrap(), &mut scratch, &window(), &mut again).unwrap();
        assert_eq!(again, out);
    }

    fn modify(id: &str, extra: &str) -> String {
        format!(
            r#"{{"eventTime":"2024-10-10T15:02:00Z","eventSource":"rds.amazonaws.com","eventName":"ModifyDBInstance",
               "awsRegion":"us-east-1","eventID":"{id}","requestParameters":{{"dBInstanceIdentifier":"clinic-records"}}{extra}}}"#
        )
    }

    #[test]
    fn a_byte_order_mark_is_read_past() {
        let index = Index::new(vec![db()]);
        let file = format!("\u{feff}{{\"Records\":[{}]}}", modify("m1", ""));
        let mut out = Vec::new();
        assert_eq!(index.scan_file(file.as_bytes(), &mut Vec::new(), &window(), &mut out), Ok(0));
        assert_eq!(out.len(), 1);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, file.as_bytes()).unwrap();
        let mut again = Vec::new();
        assert_eq!(index.scan_file(&gz.finish().unwrap(), &mut Vec::new(), &window(), &mut again), Ok(0));
        assert_eq!(again, out);
        assert!(index.scan_record(&format!("\u{feff}{}", modify("m1", "")), &window()).unwrap().is_some());
    }

    #[test]
    fn records_without_time_or_source_are_counted_not_dropped() {
        let index = Index::new(vec![db()]);
        let no_time = modify("t", "").replace(r#""eventTime":"2024-10-10T15:02:00Z","#, "");
        let bad_time = modify("b", "").replace("2024-10-10T15:02:00Z", "yesterday");
        let no_source = modify("s", "").replace(r#""eventSource":"rds.amazonaws.com","#, "");
        let file = format!(r#"{{"Records":[{no_time},{bad_time},{no_source},{}]}}"#, modify("ok", ""));
        let mut out = Vec::new();
        assert_eq!(index.scan_file(file.as_bytes(), &mut Vec::new(), &window(), &mut out), Ok(3));
        assert_eq!(out.iter().map(|e| e.event_id.as_str()).collect::<Vec<_>>(), ["ok"]);
        for r in [&no_time, &bad_time, &no_source] {
            assert!(index.scan_record(r, &window()).is_err(), "{r}");
        }
    }

    #[test]
    fn oversized_files_and_records_are_skipped_within_the_limit() {
        let index = Index::new(vec![db()]);
        // 4 MiB of records, compressed to a few KiB: past a 1 MiB limit, decompression stops
        // there and the buffer never grew past it.
        let file = format!(r#"{{"Records":[{}]}}"#, vec![modify("m", ""); 16 << 10].join(","));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, file.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let mut scratch = Vec::new();
        let mut out = Vec::new();
        let err = index.scan_file_within(&gz, &mut scratch, &window(), &mut out, 1 << 20).unwrap_err();
        assert!(err.contains("larger than 1 MiB decompressed"), "{err}");
        assert!(out.is_empty() && scratch.capacity() <= 1 << 20);
        let err = index.scan_file_within(file.as_bytes(), &mut scratch, &window(), &mut out, 1 << 20).unwrap_err();
        assert!(err.contains("larger than 1 MiB"), "{err}");
        // Under the limit it reads (16k copies of one event id: one kept after dedup).
        assert_eq!(index.scan_file(&gz, &mut scratch, &window(), &mut out), Ok(0));
        assert_eq!(out.len(), 16 << 10);
        // A record past the record limit is counted, not parsed.
        let padding = format!(r#","pad":"{}""#, "x".repeat(MAX_RECORD_BYTES));
        let file = format!(r#"{{"Records":[{},{}]}}"#, modify("big", &padding), modify("ok", ""));
        let mut out = Vec::new();
        assert_eq!(index.scan_file(file.as_bytes(), &mut Vec::new(), &window(), &mut out), Ok(1));
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn a_truncated_file_keeps_its_whole_records_and_is_reported() {
        let index = Index::new(vec![db()]);
        let file = format!(r#"{{"Records":[{},{}"#, modify("m1", ""), modify("m2", ""));
        let cut = &file[..file.len() - 20];
        let mut out = Vec::new();
        let err = index.scan_file(cut.as_bytes(), &mut Vec::new(), &window(), &mut out).unwrap_err();
        assert!(err.contains("truncated") || err.contains("unterminated"), "{err}");
        assert_eq!(out.iter().map(|e| e.event_id.as_str()).collect::<Vec<_>>(), ["m1"]);
    }

    #[test]
    fn kms_key_by_alias_or_arn() {
        let key =
            Resource::live("aws_kms_key", "k-1", "us-east-1", "1", Some("arn:aws:kms:us-east-1:1:key/k-1".into()));
        let alias = Resource::live("aws_kms_alias", "alias/phi", "us-east-1", "1", None)
            .with("name", "alias/phi")
            .with("target_key_id", "k-1");
        let mut s = Subject::new("aws_kms_key", "k-1", Some("aws_kms_key.phi"), Some("us-east-1"), &[&key]);
        s.add_aliases(&[&key, &alias]);
        let index = Index::new(vec![s]);
        for key_id in ["alias/phi", "arn:aws:kms:us-east-1:1:key/k-1", "k-1"] {
            let rec = format!(
                r#"{{"eventTime":"2024-10-10T15:21:35Z","eventSource":"kms.amazonaws.com","eventName":"DisableKeyRotation",
                   "awsRegion":"us-east-1","eventID":"e","requestParameters":{{"keyId":"{key_id}"}}}}"#
            );
            assert!(index.scan_record(&rec, &window()).unwrap().is_some(), "{key_id}");
        }
    }

    #[test]
    fn writes_on_a_type_without_declared_events_match_by_name() {
        // Plumb declares no events for this type: any write naming it is kept, without
        // attributes, and reads are not.
        let f = Resource::live(
            "aws_sfn_state_machine",
            "arn:aws:states:us-east-1:1:stateMachine:orders",
            "us-east-1",
            "1",
            None,
        )
        .with("name", "orders");
        let s = Subject::new(
            "aws_sfn_state_machine",
            "arn:aws:states:us-east-1:1:stateMachine:orders",
            None,
            Some("us-east-1"),
            &[&f],
        );
        assert!(s.generic);
        let index = Index::new(vec![s]);
        let rec = |name: &str| {
            format!(
                r#"{{"eventTime":"2024-10-10T15:21:35Z","eventSource":"states.amazonaws.com","eventName":"{name}",
                   "awsRegion":"us-east-1","eventID":"e-{name}","userIdentity":{{"type":"IAMUser","userName":"u"}},
                   "requestParameters":{{"stateMachineArn":"arn:aws:states:us-east-1:1:stateMachine:orders","definition":"{{}}"}}}}"#
            )
        };
        let kept = index.scan_record(&rec("UpdateStateMachine"), &window()).unwrap().unwrap();
        assert_eq!(kept.hits, vec![(0, Effect::Modify)]);
        assert!(kept.writes.is_empty());
        assert!(index.scan_record(&rec("DescribeStateMachine"), &window()).unwrap().is_none());
        let deleted = index.scan_record(&rec("DeleteStateMachine"), &window()).unwrap().unwrap();
        assert_eq!(deleted.hits, vec![(0, Effect::Delete)]);
        // In a log file too (unknown event names are not skipped when such a subject exists).
        let file = format!(r#"{{"Records":[{}]}}"#, rec("UpdateStateMachine"));
        let mut out = Vec::new();
        index.scan_file(file.as_bytes(), &mut Vec::new(), &window(), &mut out).unwrap();
        assert_eq!(out.len(), 1);
    }
}
