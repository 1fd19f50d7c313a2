//! Fuzzing every parser of untrusted input on stable Rust (cargo-fuzz needs nightly): each
//! target's corpus (`testdata/fuzz/<target>/`, plus the project's own fixtures) is run as is,
//! then mutated for a time budget: byte mutations (bit flips, interesting bytes, deletions,
//! duplications, dictionary tokens, truncation, splicing, long repetitions that nest deeply)
//! and, for JSON inputs, mutations of the parsed tree (a value's type, huge numbers, odd
//! strings, removed and duplicated members). A target may return an error for any input; it
//! must never panic, overflow its stack or take more than a second on these small inputs
//! (`hcl`: 30 s, as a `count` of up to 10,000 instances is evaluated).
//!
//! This crate (`fuzz/`) is outside Plumb's build: `cargo test` at the repository root never
//! compiles it.
//!
//! - `make fuzz-smoke` runs each target for `PLUMB_FUZZ_SECS` seconds (default 2).
//! - `make fuzz` runs them for 120 s each (`PLUMB_FUZZ_SECS=600 make fuzz` for longer).
//! - `PLUMB_FUZZ_SEED=N` replays a run; every run prints its seed.
//! - A failing input is written to `target/tmp/fuzz/<target>/`; keep it as a regression seed
//!   (`testdata/fuzz/<target>/regression-<what>`) with the fix. The input being run is always
//!   in `target/tmp/fuzz/<target>/current`, so a crash that kills the process (a stack
//!   overflow) leaves it behind.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value as J;

/// The repository (this crate is its `fuzz/` folder).
fn root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let fuzz = Path::new(env!("CARGO_MANIFEST_DIR"));
        fuzz.parent().unwrap_or(fuzz).to_path_buf()
    })
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

/// One parser under test: `run` returns whether the input was accepted (accepted inputs are
/// kept for further mutation, as a cheap stand-in for coverage feedback).
struct Target {
    name: &'static str,
    run: fn(&[u8], &mut Scratch) -> bool,
    /// Extra seeds from the project's fixtures (globs relative to the repository).
    fixtures: &'static [&'static str],
    dictionary: &'static [&'static str],
    /// Longest time one input may take (a longer one is a failure, as a hang would be).
    time_limit: Duration,
}

/// Most parsers: a small input is parsed in milliseconds.
const QUICK: Duration = Duration::from_secs(1);

/// Per-thread state a target may reuse between inputs.
struct Scratch {
    dir: PathBuf,
    buf: Vec<u8>,
}

/// Render a diagnostic as `plumb` prints it (spans, source excerpts): rendering is part of
/// handling bad input.
fn render(report: miette::Report) {
    let _ = format!("{report:?}");
}

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

fn tfstate(data: &[u8], _: &mut Scratch) -> bool {
    match plumb::source::tfstate::parse("fuzz.tfstate", &text(data)) {
        Ok(resources) => {
            // What a scan does next with state alone: join views, and judge pending changes.
            let _ = plumb::rules::views::build(&resources, plumb::rules::View::State);
            let _ = plumb::diff::pending::pending(&resources, &resources);
            true
        }
        Err(e) => {
            render(miette::Report::new(e));
            false
        }
    }
}

fn plan(data: &[u8], _: &mut Scratch) -> bool {
    match plumb::source::plan::parse("fuzz-plan.json", &text(data)) {
        Ok(plan) => {
            let _ = plumb::rules::views::build(&plan.resources, plumb::rules::View::Config);
            true
        }
        Err(e) => {
            render(miette::Report::new(e));
            false
        }
    }
}

/// A local module the fuzzed root module may call (`source = "./modules/m"`).
const MODULE: &str = r#"
variable "name" {}
variable "tags" { default = {} }
variable "n" { default = 1 }
resource "aws_s3_bucket" "this" {
  count  = var.n
  bucket = "${var.name}-${count.index}"
  tags   = var.tags
}
output "arn" { value = aws_s3_bucket.this[0].arn }
"#;

fn hcl(data: &[u8], scratch: &mut Scratch) -> bool {
    let dir = &scratch.dir;
    if !dir.join("modules/m/main.tf").exists() {
        std::fs::create_dir_all(dir.join("modules/m")).unwrap();
        std::fs::write(dir.join("modules/m/main.tf"), MODULE).unwrap();
    }
    std::fs::write(dir.join("main.tf"), data).unwrap();
    let inputs = plumb::source::hcl::Inputs::default();
    let ok = match plumb::source::hcl::load(dir, &inputs) {
        Ok(config) => {
            let _ = plumb::rules::views::build(&config.resources, plumb::rules::View::Config);
            true
        }
        Err(e) => {
            render(miette::Report::new(e));
            false
        }
    };
    if let Err(e) = plumb::source::hcl::ignore_changes(dir) {
        render(miette::Report::new(e));
    }
    ok
}

fn index() -> &'static plumb::attribution::Index {
    use plumb::attribution::{Index, Subject};
    use plumb::model::Resource;
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let live =
            |rtype: &str, id: &str, arn: &str| Resource::live(rtype, id, "us-east-1", "123456789012", Some(arn.into()));
        let db = live("aws_db_instance", "db-ABC", "arn:aws:rds:us-east-1:123456789012:db:clinic-records")
            .with("identifier", "clinic-records");
        let sg = live("aws_security_group", "sg-0abc", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0abc");
        let vpc = live("aws_vpc", "vpc-0abc", "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0abc");
        let bucket = live("aws_s3_bucket", "clinic-phi", "arn:aws:s3:::clinic-phi").with("bucket", "clinic-phi");
        let key = live("aws_kms_key", "k-1", "arn:aws:kms:us-east-1:123456789012:key/k-1");
        let role = live("aws_iam_role", "app", "arn:aws:iam::123456789012:role/app").with("name", "app");
        let sfn = live(
            "aws_sfn_state_machine",
            "arn:aws:states:us-east-1:1:stateMachine:orders",
            "arn:aws:states:us-east-1:1:stateMachine:orders",
        )
        .with("name", "orders");
        let subject = |r: &Resource| Subject::new(&r.rtype, &r.id, Some("x.y"), Some("us-east-1"), &[r]);
        Index::new([db, sg, vpc, bucket, key, role, sfn].iter().map(subject).collect())
    })
}

fn window() -> plumb::attribution::Window {
    use time::macros::datetime;
    plumb::attribution::Window { since: datetime!(2000-01-01 0:00 UTC), until: datetime!(2100-01-01 0:00 UTC) }
}

fn cloudtrail(data: &[u8], scratch: &mut Scratch) -> bool {
    let mut out = Vec::new();
    let ok = index().scan_file(data, &mut scratch.buf, &window(), &mut out).is_ok();
    // The same bytes compressed (gzip is sniffed from the magic bytes).
    if data.len() < 16 << 10 {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let _ = gz.write_all(data);
        if let Ok(gz) = gz.finish() {
            let _ = index().scan_file(&gz, &mut scratch.buf, &window(), &mut out);
        }
    }
    ok && !out.is_empty()
}

fn cloudtrail_record(data: &[u8], _: &mut Scratch) -> bool {
    matches!(index().scan_record(&text(data), &window()), Ok(Some(_)))
}

fn waivers(data: &[u8], _: &mut Scratch) -> bool {
    match plumb::rules::waivers::Waivers::parse("waivers.yaml", &text(data)) {
        Ok(_) => true,
        Err(e) => {
            render(miette::Report::new(e));
            false
        }
    }
}

fn ignore(data: &[u8], _: &mut Scratch) -> bool {
    match plumb::diff::ignore::parse("ignore.yaml", &text(data)) {
        Ok(_) => true,
        Err(e) => {
            render(miette::Report::new(e));
            false
        }
    }
}

const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\\u0000",
    "\\ud800",
    "null",
    "true",
    "false",
    "-0",
    "1e999",
    "-1",
    "18446744073709551616",
    "9007199254740993",
    "0.5",
    "\u{feff}",
    "\u{e9}",
    "\u{1f600}",
    "\"\":",
    "{\"\":{}}",
];

const TARGETS: &[Target] = &[
    Target {
        name: "tfstate",
        time_limit: QUICK,
        run: tfstate,
        fixtures: &["testdata/tfstate/smoke.tfstate", "testdata/check/plan/terraform.tfstate"],
        dictionary: &[
            "\"version\"",
            "4",
            "3",
            "\"resources\"",
            "\"mode\"",
            "\"managed\"",
            "\"data\"",
            "\"instances\"",
            "\"index_key\"",
            "\"module\"",
            "\"module.a[\\\"x\\\"]\"",
            "\"attributes\"",
            "\"sensitive_attributes\"",
            "\"schema_version\"",
            "\"deposed\"",
            "\"type\"",
            "\"aws_security_group\"",
            "\"aws_db_instance\"",
            "\"aws_s3_bucket\"",
            "\"ingress\"",
            "\"tags\"",
            "\"policy\"",
            "\"password\"",
            "\"id\"",
        ],
    },
    Target {
        name: "plan",
        time_limit: QUICK,
        run: plan,
        fixtures: &["testdata/check/plan/plan.json", "testdata/tfstate/smoke.refresh-plan.json"],
        dictionary: &[
            "\"planned_values\"",
            "\"root_module\"",
            "\"child_modules\"",
            "\"resources\"",
            "\"resource_changes\"",
            "\"resource_drift\"",
            "\"after_unknown\"",
            "\"after\"",
            "\"before\"",
            "\"change\"",
            "\"configuration\"",
            "\"module_calls\"",
            "\"expressions\"",
            "\"references\"",
            "\"address\"",
            "\"index\"",
            "\"values\"",
            "\"sensitive_values\"",
            "\"aws_s3_bucket\"",
        ],
    },
    Target {
        name: "hcl",
        // A few bytes can ask for many resources: `count` is evaluated up to 10,000 instances
        // per block (`MAX_INSTANCES`), several seconds in a debug build with its views.
        time_limit: Duration::from_secs(30),
        run: hcl,
        fixtures: &["testdata/check/eval/main.tf", "testdata/check/pr/main.tf", "testdata/check/plan/main.tf"],
        dictionary: &[
            "resource",
            "variable",
            "locals",
            "module",
            "output",
            "data",
            "dynamic",
            "content",
            "for_each",
            "count",
            "count.index",
            "each.key",
            "each.value",
            "lifecycle",
            "ignore_changes",
            "all",
            "source",
            "\"./modules/m\"",
            "\"./\"",
            "\"../\"",
            "\"./modules/m/../..\"",
            "${",
            "%{",
            "}",
            "{",
            "[",
            "]",
            "(",
            ")",
            "=",
            "==",
            "?",
            ":",
            "=>",
            "...",
            "for",
            "in",
            "if",
            "var.",
            "local.",
            "module.m.",
            "self",
            "aws_s3_bucket.b.",
            "null",
            "true",
            "99999999999",
            "-1",
            "1e308",
            "0.1",
            "<<EOT\nx\nEOT\n",
            "format(\"%s\", ",
            "range(",
            "cidrsubnet(",
            "cidrhost(",
            "jsondecode(",
            "jsonencode(",
            "substr(",
            "element(",
            "index(",
            "lookup(",
            "flatten(",
            "zipmap(",
            "split(",
            "replace(",
            "abs(",
            "tonumber(",
            "\u{e9}",
            "\"\u{1f600}\"",
            "\n",
            "#",
            "//",
            "/*",
            "*/",
        ],
    },
    Target {
        name: "cloudtrail",
        time_limit: QUICK,
        run: cloudtrail,
        fixtures: &[],
        dictionary: &[
            "\"Records\"",
            "\"eventTime\"",
            "\"eventSource\"",
            "\"eventName\"",
            "\"eventID\"",
            "\"readOnly\"",
            "\"requestParameters\"",
            "\"responseElements\"",
            "\"resources\"",
            "\"userIdentity\"",
            "\"errorCode\"",
            "\"awsRegion\"",
            "\"eventVersion\"",
            "\"2.0\"",
            "\"ModifyDBInstance\"",
            "\"AuthorizeSecurityGroupIngress\"",
            "\"clinic-records\"",
            "\"sg-0abc\"",
            "\"vpc-0abc\"",
            "\"clinic-phi\"",
            "\"alias/k\"",
            "\"app\"",
            "\"arn:aws:rds:us-east-1:123456789012:db:clinic-records\"",
            "\"items\"",
            "\"2024-10-10T15:02:00Z\"",
            "\"2024-10-10 15:02:00\"",
        ],
    },
    Target {
        name: "cloudtrail_record",
        time_limit: QUICK,
        run: cloudtrail_record,
        fixtures: &[],
        dictionary: &[
            "\"eventTime\"",
            "\"eventSource\"",
            "\"eventName\"",
            "\"requestParameters\"",
            "\"userIdentity\"",
            "\"sessionContext\"",
            "\"sessionIssuer\"",
            "\"onBehalfOf\"",
            "\"invokedBy\"",
            "\"userAgent\"",
            "\"sessionCredentialFromConsole\"",
            "\"clinic-records\"",
            "\"sg-0abc\"",
            "\"ipPermissions\"",
        ],
    },
    Target {
        name: "waivers",
        time_limit: QUICK,
        run: waivers,
        fixtures: &["testdata/check/policy/waivers.yaml"],
        dictionary: &[
            "- ",
            "rule: ",
            "address: ",
            "reason: ",
            "approved_by: ",
            "expires: ",
            "2999-12-31",
            "2020-02-30",
            "HS-S3-004",
            "\"*\"",
            "[",
            "]",
            "{",
            "}",
            "&a ",
            "*a",
            "!!binary ",
            "|\n",
            ">-\n",
            "---\n",
            "\t",
            "~",
            "\u{e9}",
            "\n  ",
            "? ",
            ": ",
        ],
    },
    Target {
        name: "ignore",
        time_limit: QUICK,
        run: ignore,
        fixtures: &[],
        dictionary: &[
            "- ",
            "address: ",
            "paths: ",
            "reason: ",
            "expires: ",
            "2999-12-31",
            "2020-02-30",
            "tags.Owner",
            "[",
            "]",
            "{",
            "}",
            "&a ",
            "*a",
            "|\n",
            "---\n",
            "\t",
            "~",
            "\u{e9}",
            "\n  ",
            "\n    - ",
        ],
    },
];

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

/// xorshift64*: small, fast, and replayable from a printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

const MAX_INPUT: usize = 256 << 10;

const INTERESTING: &[u8] = b"\x00\xff\x7f\x80\xc3\xa9\"{}[],:\\\n\r\t -0123456789.eE$%#/*<>=";

fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>, dictionary: &[&str], pool: &[Vec<u8>]) {
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = INTERESTING[rng.below(INTERESTING.len())];
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let span = if rng.one_in(4) { len } else { 16 };
                let n = 1 + rng.below((len - i).min(span));
                data.drain(i..i + n);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                let copy = data[i..i + n].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, copy);
            }
            4 | 5 => {
                let token = dictionary.get(rng.below(dictionary.len())).copied().unwrap_or("\"");
                let at = rng.below(len + 1);
                data.splice(at..at, token.bytes());
            }
            6 if len > 0 => data.truncate(rng.below(len)),
            7 if !pool.is_empty() => {
                let other = &pool[rng.below(pool.len())];
                let (i, j) = (rng.below(len + 1), rng.below(other.len() + 1));
                data.truncate(i);
                data.extend_from_slice(&other[j..]);
            }
            8 => {
                // Deep nesting and long runs: `[[[[...`, `{"a":{"a":...`, `((((`.
                let token: &[u8] = match rng.below(5) {
                    0 => b"[",
                    1 => b"{\"a\":",
                    2 => b"(",
                    3 => b"{",
                    _ => dictionary.get(rng.below(dictionary.len())).map(|s| s.as_bytes()).unwrap_or(b"x"),
                };
                let most = if rng.one_in(3) { 5000 } else { 200 };
                let n = 1 + rng.below(most);
                let at = rng.below(len + 1);
                let run: Vec<u8> = token.iter().copied().cycle().take(token.len() * n).collect();
                data.splice(at..at, run);
            }
            _ if len > 0 => {
                // A run of digits: huge numbers, long indexes.
                let i = rng.below(len);
                let digits: Vec<u8> = (0..1 + rng.below(40)).map(|_| b'0' + rng.below(10) as u8).collect();
                data.splice(i..i, digits);
            }
            _ => data.extend_from_slice(b"{}"),
        }
    }
    data.truncate(MAX_INPUT);
}

const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
    "\u{feff}",
    "\u{1f600}",
    "2024-10-10T15:02:00Z",
    "2024-13-45T99:99:99Z",
    "2024-10-10 15:02:00\u{e9}\u{e9}",
    "arn:aws:",
    "arn:aws:ec2:us-east-1:1:security-group/",
    "${var.x}",
    "module.a[\"x\"].aws_s3_bucket.b[0]",
    "[0]",
    "a.b[0].c",
    "*",
    "0",
    "-1",
    "NaN",
    "true",
    "{\"a\":",
    "sg-0abc",
    "clinic-records",
];

fn odd_value(rng: &mut Rng) -> J {
    match rng.below(9) {
        0 => J::Null,
        1 => J::Bool(rng.one_in(2)),
        2 => J::from([0i64, -1, 1, i64::MIN, i64::MAX, 65536][rng.below(6)]),
        3 => serde_json::from_str(["1e308", "-1e308", "0.5", "18446744073709551615", "1.0"][rng.below(5)]).unwrap(),
        4 => J::String("x".repeat(rng.below(3000))),
        5 => J::Array(vec![]),
        6 => J::Object(Default::default()),
        _ => J::String(ODD_STRINGS[rng.below(ODD_STRINGS.len())].to_string()),
    }
}

fn count_nodes(v: &J) -> usize {
    1 + match v {
        J::Array(a) => a.iter().map(count_nodes).sum(),
        J::Object(o) => o.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Mutate the `n`-th node (pre-order) of `v`; returns true once done.
fn mutate_nth(rng: &mut Rng, v: &mut J, n: &mut usize, dictionary: &[&str]) -> bool {
    if *n == 0 {
        match rng.below(8) {
            0 | 1 => *v = odd_value(rng),
            2 => *v = J::Array(vec![v.take()]),
            3 => match v {
                J::Array(a) if !a.is_empty() => {
                    let i = rng.below(a.len());
                    if rng.one_in(2) {
                        a.remove(i);
                    } else {
                        let copy = a[i].clone();
                        a.push(copy);
                    }
                }
                J::Object(o) if !o.is_empty() => {
                    let key = o.keys().nth(rng.below(o.len())).cloned().unwrap_or_default();
                    let value = o.remove(&key).unwrap_or_default();
                    if rng.one_in(2) {
                        let renamed = dictionary
                            .get(rng.below(dictionary.len()))
                            .map(|s| s.trim_matches('"').to_string())
                            .unwrap_or_default();
                        o.insert(renamed, value);
                    }
                }
                _ => *v = odd_value(rng),
            },
            4 => {
                // A type swap that keeps the content: "7" <-> 7, x <-> [x], {"k": x} -> [x].
                *v = match v.take() {
                    J::String(s) => s
                        .parse::<f64>()
                        .ok()
                        .and_then(|f| serde_json::Number::from_f64(f))
                        .map(J::Number)
                        .unwrap_or(J::String(s)),
                    J::Number(n) => J::String(n.to_string()),
                    J::Object(o) => J::Array(o.into_iter().map(|(_, x)| x).collect()),
                    other => J::Array(vec![other]),
                }
            }
            _ => {
                if let J::Object(o) = v {
                    let key = dictionary
                        .get(rng.below(dictionary.len()))
                        .map(|s| s.trim_matches('"').to_string())
                        .unwrap_or_default();
                    o.insert(key, odd_value(rng));
                } else {
                    *v = odd_value(rng);
                }
            }
        }
        return true;
    }
    *n -= 1;
    match v {
        J::Array(a) => a.iter_mut().any(|x| mutate_nth(rng, x, n, dictionary)),
        J::Object(o) => o.values_mut().any(|x| mutate_nth(rng, x, n, dictionary)),
        _ => false,
    }
}

/// Mutate the JSON tree when `data` is JSON (after an optional byte-order mark); `false` if not.
fn mutate_json(rng: &mut Rng, data: &mut Vec<u8>, dictionary: &[&str]) -> bool {
    let Ok(mut v) = serde_json::from_slice::<J>(data) else { return false };
    for _ in 0..1 + rng.below(3) {
        let mut n = rng.below(count_nodes(&v));
        mutate_nth(rng, &mut v, &mut n, dictionary);
    }
    *data = if rng.one_in(2) { serde_json::to_vec(&v) } else { serde_json::to_vec_pretty(&v) }.unwrap_or_default();
    data.truncate(MAX_INPUT);
    true
}

/// The message and place of the last panic on this thread (the hook keeps panics quiet).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = miette::set_hook(Box::new(|_| {
            Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).color(false).unicode(false).build())
        }));
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name().is_some_and(|n| n.starts_with("fuzz-")) {
                let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                *LAST_PANIC.lock().unwrap_or_else(|p| p.into_inner()) = Some(format!("{msg}{at}"));
            } else {
                default(info);
            }
        }));
    });
}

fn seconds() -> f64 {
    std::env::var("PLUMB_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0)
}

fn corpus(target: &Target) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let dir = root().join("testdata/fuzz").join(target.name);
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    entries.sort();
    let fixtures = target.fixtures.iter().map(|f| root().join(f));
    for path in entries.into_iter().chain(fixtures) {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.push((path.strip_prefix(root()).unwrap_or(&path).display().to_string(), data));
    }
    assert!(!out.is_empty(), "no corpus for {} in {}", target.name, dir.display());
    out
}

/// Run one target: its corpus, then mutations until the time budget is spent.
fn fuzz(name: &str) {
    quiet_panics();
    let target = TARGETS.iter().find(|t| t.name == name).unwrap();
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz").join(name);
    std::fs::create_dir_all(&out_dir).unwrap();
    let seed = std::env::var("PLUMB_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    }) | 1;
    let budget = Duration::from_secs_f64(seconds());
    let out_dir2 = out_dir.clone();
    // The main thread's stack (8 MiB), as `plumb` parses on its main thread.
    let handle = std::thread::Builder::new()
        .name(format!("fuzz-{name}"))
        .stack_size(8 << 20)
        .spawn(move || run_target(target, seed, budget, &out_dir2))
        .unwrap();
    let (execs, failures) = handle.join().expect("the fuzz thread itself failed");
    eprintln!("fuzz {name}: {execs} inputs in {budget:?} (PLUMB_FUZZ_SEED={seed})");
    assert!(
        failures.is_empty(),
        "fuzz {name} (PLUMB_FUZZ_SEED={seed}) found {} failing inputs, saved in {}:\n{}",
        failures.len(),
        out_dir.display(),
        failures.join("\n")
    );
}

fn run_target(target: &Target, seed: u64, budget: Duration, out_dir: &Path) -> (u64, Vec<String>) {
    let mut rng = Rng(seed);
    // Nested, so that `source = "../../"` in a fuzzed module finds empty folders, not /tmp.
    let base_dir = tempfile::tempdir().unwrap().keep();
    let mut scratch = Scratch { dir: base_dir.join("a/b/root"), buf: Vec::new() };
    std::fs::create_dir_all(&scratch.dir).unwrap();
    let current_path = out_dir.join("current");
    let mut current = std::fs::File::create(&current_path).unwrap();
    let mut failures: Vec<String> = Vec::new();
    let mut execs = 0u64;
    let seeds = corpus(target);
    let mut pool: Vec<Vec<u8>> = seeds.iter().map(|(_, d)| d.clone()).collect();
    let base = pool.len();
    let mut exec = |label: &str, data: &[u8], failures: &mut Vec<String>| -> bool {
        use std::io::Seek;
        let _ = current.set_len(0);
        let _ = current.seek(std::io::SeekFrom::Start(0));
        let _ = current.write_all(data);
        execs += 1;
        let started = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (target.run)(data, &mut scratch)));
        let mut took = started.elapsed();
        if result.is_ok() && took > target.time_limit {
            // Timed again before it counts: on a loaded machine (CI's two cores, other builds) a
            // quick input can take seconds of wall time once; a slow input is slow twice.
            let again = Instant::now();
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (target.run)(data, &mut scratch)));
            took = took.min(again.elapsed());
        }
        let problem = match &result {
            Err(_) => Some(LAST_PANIC.lock().unwrap_or_else(|p| p.into_inner()).take().unwrap_or_default()),
            Ok(_) if took > target.time_limit => Some(format!("took {took:?} on {} bytes", data.len())),
            Ok(_) => None,
        };
        if let Some(why) = problem {
            let file = out_dir.join(format!("failure-{}-{}", failures.len() + 1, execs));
            let _ = std::fs::write(&file, data);
            failures.push(format!("  {label}: {why}\n    input: {}", file.display()));
        }
        matches!(result, Ok(true))
    };
    for (label, data) in &seeds {
        exec(label, data, &mut failures);
    }
    let started = Instant::now();
    while started.elapsed() < budget && failures.len() < 5 {
        let mut data = pool[rng.below(pool.len())].clone();
        if !(rng.one_in(2) && mutate_json(&mut rng, &mut data, target.dictionary)) {
            let mut dict: Vec<&str> = target.dictionary.to_vec();
            dict.extend_from_slice(JSON_TOKENS);
            mutate_bytes(&mut rng, &mut data, &dict, &pool);
        }
        if exec("mutation", &data, &mut failures) {
            // Accepted inputs reach deeper code: keep a rotating few for further mutation.
            if pool.len() < base + 64 {
                pool.push(data);
            } else {
                let i = base + rng.below(64);
                pool[i] = data;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&base_dir);
    let _ = std::fs::remove_file(&current_path);
    (execs, failures)
}

#[test]
fn fuzz_tfstate() {
    fuzz("tfstate");
}

#[test]
fn fuzz_plan() {
    fuzz("plan");
}

#[test]
fn fuzz_hcl() {
    fuzz("hcl");
}

#[test]
fn fuzz_cloudtrail_files() {
    fuzz("cloudtrail");
}

#[test]
fn fuzz_cloudtrail_records() {
    fuzz("cloudtrail_record");
}

#[test]
fn fuzz_waivers() {
    fuzz("waivers");
}

#[test]
fn fuzz_ignore_files() {
    fuzz("ignore");
}
