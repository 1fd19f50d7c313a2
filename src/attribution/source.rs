//! Where CloudTrail records come from: a local folder of log files, a trail bucket, or the
//! LookupEvents API. All three feed the same record parser ([`Index`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, anyhow};
use futures::StreamExt;
use time::OffsetDateTime;

use super::{Event, Index, Window};
use crate::aws::client::{self, CallStats, ClientOptions};

/// `--cloudtrail` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trail {
    /// A folder of log files (`AWSLogs/.../*.json.gz`, or any `.json`/`.json.gz` below it).
    Dir(PathBuf),
    /// A trail bucket and the trail's key prefix (`s3://bucket/prefix`).
    S3 { bucket: String, prefix: String },
    /// The LookupEvents API (90 days, management events, 2 requests/s per region).
    Lookup,
}

impl Trail {
    pub fn parse(s: &str) -> Trail {
        if s == "lookup" {
            Trail::Lookup
        } else if let Some(rest) = s.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            Trail::S3 { bucket: bucket.to_string(), prefix: prefix.trim_matches('/').to_string() }
        } else {
            Trail::Dir(PathBuf::from(s))
        }
    }
}

/// AWS access for the S3 and LookupEvents sources.
pub struct Aws<'a> {
    pub conf: &'a aws_config::SdkConfig,
    pub opts: &'a ClientOptions,
    pub stats: &'a CallStats,
    /// Regions to read (trail folders and LookupEvents are per region).
    pub regions: &'a [String],
}

/// What a collection read, for `-v` and warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    /// Candidate records that did not parse.
    pub bad_records: usize,
    /// Files that could not be read or were not CloudTrail logs: `(name, reason)`.
    pub bad_files: Vec<(String, String)>,
    pub lookup_calls: usize,
    pub events: usize,
}

/// Read the trail and return the kept events, de-duplicated on `eventID`, newest first.
pub async fn collect(
    trail: &Trail,
    index: Arc<Index>,
    window: Window,
    aws: Option<Aws<'_>>,
) -> anyhow::Result<(Vec<Event>, Stats)> {
    let (events, mut stats) = match trail {
        Trail::Dir(dir) => {
            let dir = dir.clone();
            tokio::task::spawn_blocking(move || scan_dir(&dir, &index, &window))
                .await
                .context("reading CloudTrail files")??
        }
        Trail::S3 { bucket, prefix } => {
            let aws = aws.ok_or_else(|| anyhow!("--cloudtrail s3:// needs AWS access"))?;
            scan_bucket(bucket, prefix, index, window, &aws).await?
        }
        Trail::Lookup => {
            let aws = aws.ok_or_else(|| anyhow!("--cloudtrail lookup needs AWS access"))?;
            lookup(index, window, &aws).await?
        }
    };
    let events = dedup(events);
    stats.events = events.len();
    Ok((events, stats))
}

/// One copy per `eventID` (files can repeat records), newest first.
fn dedup(events: Vec<Event>) -> Vec<Event> {
    let mut by_id: BTreeMap<String, Event> = BTreeMap::new();
    for e in events {
        by_id.entry(e.event_id.clone()).or_insert(e);
    }
    let mut v: Vec<Event> = by_id.into_values().collect();
    v.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.event_id.cmp(&b.event_id)));
    v
}

// -- local folder -----------------------------------------------------------------------------

fn scan_dir(dir: &Path, index: &Index, window: &Window) -> anyhow::Result<(Vec<Event>, Stats)> {
    if !dir.is_dir() {
        return Err(anyhow!(
            "--cloudtrail {}: no such folder (expected a folder, s3://bucket/prefix or lookup)",
            dir.display()
        ));
    }
    let mut files = Vec::new();
    walk(dir, &mut files).with_context(|| format!("listing {}", dir.display()))?;
    files.retain(|p| in_window(p, window));
    files.sort();
    let next = AtomicUsize::new(0);
    let workers =
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4).min(files.len().max(1));
    let results: Vec<(Vec<Event>, Stats)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut events = Vec::new();
                    let mut stats = Stats::default();
                    let mut scratch = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        let name = path.display().to_string();
                        match read_capped(path, super::MAX_FILE_BYTES) {
                            Ok(data) => {
                                stats.files += 1;
                                stats.bytes += data.len() as u64;
                                match index.scan_file(&data, &mut scratch, window, &mut events) {
                                    Ok(bad) => stats.bad_records += bad,
                                    Err(e) => stats.bad_files.push((name, e)),
                                }
                            }
                            Err(e) => stats.bad_files.push((name, e)),
                        }
                    }
                    (events, stats)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("CloudTrail reader thread")).collect()
    });
    let mut all = Vec::new();
    let mut stats = Stats::default();
    for (events, s) in results {
        all.extend(events);
        merge(&mut stats, s);
    }
    Ok((all, stats))
}

/// A file's bytes, unless it is larger than `max` (then it is not read: a compressed file
/// that large would decompress past the limit anyway).
fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    if file.metadata().is_ok_and(|m| m.len() > max) {
        return Err(super::too_large(max));
    }
    let mut data = Vec::new();
    file.take(max + 1).read_to_end(&mut data).map_err(|e| e.to_string())?;
    if data.len() as u64 > max {
        return Err(super::too_large(max));
    }
    Ok(data)
}

fn merge(into: &mut Stats, s: Stats) {
    into.files += s.files;
    into.bytes += s.bytes;
    into.bad_records += s.bad_records;
    into.bad_files.extend(s.bad_files);
    into.lookup_calls += s.lookup_calls;
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() {
            // Digest files are not event logs.
            if name != "CloudTrail-Digest" {
                walk(&path, out)?;
            }
        } else if name.ends_with(".json.gz") || name.ends_with(".json") || name.ends_with(".gz") {
            out.push(path);
        }
    }
    Ok(())
}

/// A file under a `YYYY/MM/DD` folder was delivered that day: it holds only earlier records,
/// so days before the window are skipped; days after it are kept up to one day late
/// (delivery takes minutes, and is not guaranteed).
fn in_window(path: &Path, window: &Window) -> bool {
    let parts: Vec<&str> = path.iter().filter_map(|c| c.to_str()).collect();
    for w in parts.windows(3) {
        if let (Ok(y), Ok(m), Ok(d)) = (w[0].parse::<i32>(), w[1].parse::<u8>(), w[2].parse::<u8>()) {
            if w[0].len() == 4 && w[1].len() == 2 && w[2].len() == 2 {
                let Ok(month) = time::Month::try_from(m) else { continue };
                let Ok(day) = time::Date::from_calendar_date(y, month, d) else { continue };
                return day >= window.since.date() && day <= window.until.date() + time::Duration::DAY;
            }
        }
    }
    true
}

/// Days whose delivery folders can hold records of the window.
fn days(window: &Window) -> Vec<time::Date> {
    let mut d = window.since.date();
    let last = window.until.date() + time::Duration::DAY;
    let mut out = Vec::new();
    while d <= last {
        out.push(d);
        d += time::Duration::DAY;
    }
    out
}

// -- trail bucket -----------------------------------------------------------------------------

async fn scan_bucket(
    bucket: &str,
    prefix: &str,
    index: Arc<Index>,
    window: Window,
    aws: &Aws<'_>,
) -> anyhow::Result<(Vec<Event>, Stats)> {
    let region = aws.conf.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".to_string());
    let s3 = client::build_ctx(aws.conf, &region, "", aws.opts, aws.stats).client::<aws_sdk_s3::Client>();
    let base = if prefix.is_empty() { "AWSLogs/".to_string() } else { format!("{prefix}/AWSLogs/") };
    let mut wanted: BTreeSet<&str> = aws.regions.iter().map(String::as_str).collect();
    // IAM's events are in us-east-1's folder, whichever regions were scanned.
    if !wanted.is_empty() && index.subjects.iter().any(|s| crate::aws::is_global(&s.rtype)) {
        wanted.insert(crate::aws::GLOBAL_EVENTS_REGION);
    }

    // AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/
    let mut accounts = Vec::new();
    for p in list_prefixes(&s3, bucket, &base).await? {
        let name = p[base.len()..].trim_end_matches('/');
        if name.starts_with("o-") {
            accounts.extend(list_prefixes(&s3, bucket, &p).await?);
        } else {
            accounts.push(p);
        }
    }
    let mut day_prefixes = Vec::new();
    for acct in &accounts {
        let trail = format!("{acct}CloudTrail/");
        for r in list_prefixes(&s3, bucket, &trail).await? {
            let name = r[trail.len()..].trim_end_matches('/');
            if !wanted.is_empty() && !wanted.contains(name) {
                continue;
            }
            for d in days(&window) {
                day_prefixes.push(format!("{r}{:04}/{:02}/{:02}/", d.year(), d.month() as u8, d.day()));
            }
        }
    }
    let mut keys = Vec::new();
    for p in &day_prefixes {
        let mut pages = s3.list_objects_v2().bucket(bucket).prefix(p).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(|e| anyhow!("listing s3://{bucket}/{p}: {}", aws_sdk_s3::error::DisplayErrorContext(e)))?;
            keys.extend(
                page.contents()
                    .iter()
                    .filter_map(|o| o.key())
                    .filter(|k| k.ends_with(".gz") || k.ends_with(".json"))
                    .map(str::to_string),
            );
        }
    }

    let s3 = &s3;
    let reads = futures::stream::iter(keys)
        .map(|key| {
            let index = index.clone();
            async move {
                let name = format!("s3://{bucket}/{key}");
                let obj = match s3.get_object().bucket(bucket).key(&key).send().await {
                    Ok(o) => o,
                    Err(e) => return Err(anyhow!("reading {name}: {}", aws_sdk_s3::error::DisplayErrorContext(e))),
                };
                // An object over the limit is not downloaded (compressed, it is larger still).
                if obj.content_length().is_some_and(|n| n as u64 > super::MAX_FILE_BYTES) {
                    return Ok((name, 0, Err(super::too_large(super::MAX_FILE_BYTES))));
                }
                let data = obj.body.collect().await.map_err(|e| anyhow!("reading {name}: {e}"))?.into_bytes();
                let len = data.len() as u64;
                let scanned = tokio::task::spawn_blocking(move || {
                    let mut events = Vec::new();
                    let r = index.scan_file(&data, &mut Vec::new(), &window, &mut events);
                    r.map(|bad| (events, bad))
                })
                .await?;
                Ok((name, len, scanned))
            }
        })
        .buffer_unordered(8);
    let results: Vec<_> = reads.collect().await;
    let mut all = Vec::new();
    let mut stats = Stats::default();
    for r in results {
        let (name, len, scanned) = r?;
        stats.files += 1;
        stats.bytes += len;
        match scanned {
            Ok((events, bad)) => {
                all.extend(events);
                stats.bad_records += bad;
            }
            Err(e) => stats.bad_files.push((name, e)),
        }
    }
    Ok((all, stats))
}

async fn list_prefixes(s3: &aws_sdk_s3::Client, bucket: &str, prefix: &str) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pages = s3.list_objects_v2().bucket(bucket).prefix(prefix).delimiter("/").into_paginator().send();
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(|e| anyhow!("listing s3://{bucket}/{prefix}: {}", aws_sdk_s3::error::DisplayErrorContext(e)))?;
        out.extend(page.common_prefixes().iter().filter_map(|p| p.prefix()).map(str::to_string));
    }
    Ok(out)
}

// -- LookupEvents -----------------------------------------------------------------------------

/// LookupEvents allows 2 requests per second per account and region.
pub const LOOKUP_INTERVAL: Duration = Duration::from_millis(500);
/// ... over the last 90 days only.
pub const LOOKUP_DAYS: i64 = 90;

async fn lookup(index: Arc<Index>, window: Window, aws: &Aws<'_>) -> anyhow::Result<(Vec<Event>, Stats)> {
    let mut names = BTreeSet::new();
    for s in &index.subjects {
        names.extend(s.lookup_names());
    }
    let names: Vec<String> = names.into_iter().collect();
    let global = index
        .subjects
        .iter()
        .any(|s| crate::aws::is_global(&s.rtype))
        .then(|| crate::aws::GLOBAL_EVENTS_REGION.to_string());
    let regions: BTreeSet<String> = index
        .subjects
        .iter()
        .filter_map(|s| s.region.clone())
        .chain(aws.regions.iter().cloned())
        .chain(global)
        .collect();
    let runs = regions.into_iter().map(|region| {
        let conf =
            aws_sdk_cloudtrail::config::Builder::from(aws.conf).region(aws_config::Region::new(region.clone())).build();
        let ct = aws_sdk_cloudtrail::Client::from_conf(conf);
        let index = index.clone();
        let names = names.clone();
        async move { lookup_region(&ct, &region, &names, &index, window).await }
    });
    let mut all = Vec::new();
    let mut stats = Stats::default();
    for r in futures::future::join_all(runs).await {
        let (events, s) = r?;
        all.extend(events);
        merge(&mut stats, s);
    }
    Ok((all, stats))
}

/// Every event naming one of `names` in one region, paced at [`LOOKUP_INTERVAL`].
pub async fn lookup_region(
    ct: &aws_sdk_cloudtrail::Client,
    region: &str,
    names: &[String],
    index: &Index,
    window: Window,
) -> anyhow::Result<(Vec<Event>, Stats)> {
    use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
    let oldest = OffsetDateTime::now_utc() - time::Duration::days(LOOKUP_DAYS);
    let window = Window { since: window.since.max(oldest), until: window.until };
    let mut pace = tokio::time::interval(LOOKUP_INTERVAL);
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut events = Vec::new();
    let mut stats = Stats::default();
    for name in names {
        let attr =
            LookupAttribute::builder().attribute_key(LookupAttributeKey::ResourceName).attribute_value(name).build()?;
        let mut token: Option<String> = None;
        loop {
            pace.tick().await;
            stats.lookup_calls += 1;
            let out = ct
                .lookup_events()
                .lookup_attributes(attr.clone())
                .start_time(aws_smithy_types::DateTime::from_secs(window.since.unix_timestamp()))
                .end_time(aws_smithy_types::DateTime::from_secs(window.until.unix_timestamp()))
                .max_results(50)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| {
                    anyhow!(
                        "CloudTrail LookupEvents in {region} (ResourceName={name}): {}",
                        aws_sdk_cloudtrail::error::DisplayErrorContext(e)
                    )
                })?;
            for ev in out.events() {
                // ReadOnly is a string here; the record itself says it too.
                if ev.read_only() == Some("true") {
                    continue;
                }
                let Some(json) = ev.cloud_trail_event() else { continue };
                match index.scan_record(json, &window) {
                    Ok(Some(e)) => events.push(e),
                    Ok(None) => {}
                    Err(_) => stats.bad_records += 1,
                }
            }
            token = out.next_token().map(str::to_string).filter(|t| !t.is_empty());
            if token.is_none() {
                break;
            }
        }
    }
    Ok((events, stats))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn trail_specs() {
        assert_eq!(Trail::parse("lookup"), Trail::Lookup);
        assert_eq!(
            Trail::parse("s3://trail-bucket/org/"),
            Trail::S3 { bucket: "trail-bucket".into(), prefix: "org".into() }
        );
        assert_eq!(Trail::parse("s3://trail-bucket"), Trail::S3 { bucket: "trail-bucket".into(), prefix: "".into() });
        assert_eq!(Trail::parse("logs/ct"), Trail::Dir("logs/ct".into()));
    }

    #[test]
    fn delivery_days() {
        let w = Window { since: datetime!(2026-10-30 22:00 UTC), until: datetime!(2026-11-01 3:00 UTC) };
        assert_eq!(days(&w).len(), 4);
        let p = |s: &str| in_window(Path::new(s), &w);
        assert!(p("AWSLogs/1/CloudTrail/us-east-1/2026/10/30/x.json.gz"));
        assert!(p("AWSLogs/1/CloudTrail/us-east-1/2026/11/02/x.json.gz"));
        assert!(!p("AWSLogs/1/CloudTrail/us-east-1/2026/10/29/x.json.gz"));
        assert!(!p("AWSLogs/1/CloudTrail/us-east-1/2026/11/03/x.json.gz"));
        assert!(p("flat/x.json"));
    }

    /// LookupEvents against recorded responses: moto has no LookupEvents, so the two pages
    /// (testdata/cloudtrail/lookup/, times filled in as yesterday: the API only serves 90
    /// days) are served by a loopback replay server to the real SDK client. (Not the SDK's
    /// `StaticReplayClient`: its `test-util` feature changes the features of the SDK's
    /// runtime, so `cargo test` would compile every SDK crate a second time.) Checks paging,
    /// the ResourceName filter, skipped reads and a denied call kept as failed.
    #[tokio::test]
    async fn lookup_events_pages_through_replayed_responses() {
        let day = OffsetDateTime::now_utc() - time::Duration::DAY;
        let ten = day.replace_time(time::macros::time!(10:00));
        let page = |name: &str| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cloudtrail/lookup").join(name);
            std::fs::read_to_string(path)
                .unwrap()
                .replace("__DAY__", &ten.date().to_string())
                .replace("__EPOCH__", &ten.unix_timestamp().to_string())
        };
        let server = replay::Server::start(vec![page("page-1.json"), page("page-2.json")]);
        let conf = aws_sdk_cloudtrail::Config::builder()
            .behavior_version(aws_sdk_cloudtrail::config::BehaviorVersion::latest())
            .endpoint_url(server.url())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_cloudtrail::config::Credentials::new("AKID", "SECRET", None, None, "test"))
            .build();
        let ct = aws_sdk_cloudtrail::Client::from_conf(conf);
        let subject = super::super::Subject {
            rtype: "aws_db_instance".into(),
            id: "db-ABCDEFGHIJKL".into(),
            address: Some("aws_db_instance.records".into()),
            region: Some("us-east-1".into()),
            own: BTreeSet::from([
                "clinic-records".to_string(),
                "arn:aws:rds:us-east-1:123456789012:db:clinic-records".to_string(),
            ]),
            parent: BTreeSet::new(),
            rule: None,
            link: None,
            generic: false,
        };
        let names = subject.lookup_names();
        assert_eq!(names, ["clinic-records"], "ARNs and resource ids are not LookupEvents names");
        let index = Index::new(vec![subject]);
        let window = Window { since: day - time::Duration::days(400), until: day + time::Duration::DAY };
        let (events, stats) = lookup_region(&ct, "us-east-1", &names, &index, window).await.unwrap();

        assert_eq!(stats.lookup_calls, 2);
        let bodies = server.requests();
        assert_eq!(bodies.len(), 2);
        for b in &bodies {
            assert!(b.contains(r#""AttributeKey":"ResourceName","AttributeValue":"clinic-records""#), "{b}");
        }
        assert!(!bodies[0].contains("NextToken") && bodies[1].contains(r#""NextToken":"page-2-token""#), "{bodies:?}");

        // The read is skipped; the write and the denied call are kept, the latter as failed.
        let mut got: Vec<_> = events.iter().map(|e| (e.name.as_str(), e.error_code.as_deref())).collect();
        got.sort();
        assert_eq!(got, [("ModifyDBInstance", None), ("ModifyDBInstance", Some("AccessDenied"))]);
        let write = events.iter().find(|e| e.error_code.is_none()).unwrap();
        assert_eq!(write.actor.display(), "alice@example.com");
        assert_eq!(write.channel, super::super::Channel::Console);
        assert_eq!(write.event_id, "11111111-0000-4000-8000-000000000001");
    }

    /// A loopback HTTP server that answers each request with the next recorded body (200,
    /// JSON) and keeps the request bodies.
    mod replay {
        use std::io::{BufRead, BufReader, Read, Write};
        use std::net::TcpListener;
        use std::sync::{Arc, Mutex};

        pub struct Server {
            url: String,
            seen: Arc<Mutex<Vec<String>>>,
        }

        impl Server {
            pub fn start(bodies: Vec<String>) -> Server {
                let listener = TcpListener::bind("127.0.0.1:0").unwrap();
                let url = format!("http://{}", listener.local_addr().unwrap());
                let seen = Arc::new(Mutex::new(Vec::new()));
                let log = seen.clone();
                std::thread::spawn(move || {
                    for body in bodies {
                        let Ok((stream, _)) = listener.accept() else { return };
                        let mut reader = BufReader::new(stream);
                        let mut len = 0;
                        loop {
                            let mut line = String::new();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                                break;
                            }
                            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                                len = v.trim().parse().unwrap_or(0);
                            }
                        }
                        let mut request = vec![0; len];
                        let _ = reader.read_exact(&mut request);
                        log.lock().unwrap().push(String::from_utf8_lossy(&request).into_owned());
                        let mut stream = reader.into_inner();
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    }
                });
                Server { url, seen }
            }

            pub fn url(&self) -> &str {
                &self.url
            }

            pub fn requests(&self) -> Vec<String> {
                self.seen.lock().unwrap().clone()
            }
        }
    }
}
