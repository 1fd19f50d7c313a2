//! `plumb report --format html`: one self-contained file, rendered in headless Chromium (Debian's
//! `chromium`; `.ci/run` installs it when absent). The page must show the latest run's numbers,
//! name every drifted resource, load nothing, screenshot to a non-blank image and print to PDF.

mod ledger_common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use ledger_common::*;
use plumb::ledger::Ledger;

/// One Chromium at a time: two cores.
static CHROMIUM: Mutex<()> = Mutex::new(());

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = Command::new("sh").args(["-c", &format!("command -v {name}")]).output() {
            if out.status.success() {
                return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            }
        }
    }
    panic!("headless Chromium not found: install Debian's `chromium` package (`.ci/run` does so when it is absent)");
}

/// Run headless Chromium on `page` with extra flags; returns stdout.
fn headless(page: &Path, extra: &[&str]) -> String {
    let _one = CHROMIUM.lock().unwrap_or_else(|p| p.into_inner());
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("timeout");
    cmd.arg("120")
        .arg(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()));
    let out = cmd.output().expect("run chromium");
    assert!(out.status.success(), "chromium failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn build_ledger(location: &str) {
    let runs = vec![
        report(
            &day(1),
            vec![
                res(Some("aws_vpc.core"), "aws_vpc", "vpc-1", "in_sync"),
                res(Some("aws_db_instance.records"), "aws_db_instance", "records", "in_sync"),
            ],
            vec![],
        ),
        report(
            &day(2),
            vec![
                drifted(
                    "aws_vpc.core",
                    "aws_vpc",
                    "vpc-1",
                    "tags.Owner",
                    Some("arn:aws:iam::123456789012:user/mallory"),
                ),
                drifted("aws_db_instance.records", "aws_db_instance", "records", "backup_retention_period", None),
            ],
            vec![finding("HS-RDS-004", "high", Some("aws_db_instance.records"), "aws_db_instance", "records", false)],
        ),
        report(
            &day(4),
            vec![
                res(Some("aws_vpc.core"), "aws_vpc", "vpc-1", "in_sync"),
                drifted(
                    "aws_db_instance.records",
                    "aws_db_instance",
                    "records",
                    "backup_retention_period",
                    Some("arn:aws:iam::123456789012:role/dba"),
                ),
                res(Some("aws_security_group.gone"), "aws_security_group", "sg-9", "missing"),
                res(None, "aws_s3_bucket", "scratch-by-hand", "unmanaged"),
            ],
            vec![
                finding("HS-RDS-004", "high", Some("aws_db_instance.records"), "aws_db_instance", "records", false),
                finding("HS-S3-001", "critical", None, "aws_s3_bucket", "scratch-by-hand", false),
                finding("HS-VPC-002", "low", Some("aws_vpc.core"), "aws_vpc", "vpc-1", true),
            ],
        ),
    ];
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let mut l = Ledger::open(location).await.unwrap();
        for r in &runs {
            l.append(r, None).await.unwrap();
        }
        l.close().await;
    });
}

fn render(location: &str, dir: &Path) -> (PathBuf, String) {
    let page = dir.join("report.html");
    let out = plumb(&["report", "--ledger", location, "--format", "html", "--output", page.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    (page, html)
}

/// The text of the element with this id's first `class="n"` child (the cards).
fn card(dom: &str, id: &str) -> String {
    let at = dom.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in the page"));
    let rest = &dom[at..];
    let start = rest.find("class=\"n\">").unwrap() + "class=\"n\">".len();
    rest[start..start + rest[start..].find('<').unwrap()].to_string()
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let t = sqlite("html");
    build_ledger(&t.location);
    let (page, html) = render(&t.location, dir.path());

    // One file, nothing loaded from anywhere.
    for banned in ["<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "http://", "https://"] {
        assert!(!html.contains(banned), "the report contains `{banned}`");
    }
    assert!(html.contains("<svg"), "inline SVG chart");

    // Rendered by Chromium: the DOM carries the latest run's numbers and every drifted resource.
    let dom = headless(&page, &["--dump-dom"]);
    assert!(dom.contains("Ledger intact"), "{dom}");
    assert!(dom.contains("3 records verified"));
    assert_eq!(card(&dom, "n-drifted"), "1");
    assert_eq!(card(&dom, "n-missing"), "1");
    assert_eq!(card(&dom, "n-unmanaged"), "1");
    assert_eq!(card(&dom, "n-in-sync"), "1");
    assert_eq!(card(&dom, "n-findings"), "2");
    assert_eq!(card(&dom, "n-critical"), "1");
    assert_eq!(card(&dom, "n-waived"), "1");
    assert_eq!(card(&dom, "n-mttr"), "2d 0h", "the VPC tag drift: day 2 to day 4");
    let open = &dom[dom.find("id=\"open-drift\"").unwrap()..dom.find("</table>").unwrap()];
    for name in ["aws_db_instance.records", "aws_security_group.gone", "scratch-by-hand"] {
        assert!(open.contains(name), "open drift lacks {name}");
    }
    assert!(open.contains("arn:aws:iam::123456789012:role/dba"), "the latest attribution");
    let resolved = &dom[dom.find("id=\"resolved\"").unwrap()..];
    assert!(resolved.contains("aws_vpc.core"));
    let findings = &dom[dom.find("id=\"open-findings\"").unwrap()..];
    for rule in ["HS-RDS-004", "HS-S3-001", "scratch-by-hand"] {
        assert!(findings.contains(rule), "open findings lack {rule}");
    }
    // The headline counts as the text and JSON reports do (failing of covered, not of cited).
    assert!(
        dom.contains(
            "HIPAA <span class=\"muted\">· 1 of 32 controls failing, <span class=\"fw-passing\">0</span> passing</span>"
        ),
        "{dom}"
    );
    let hipaa = &dom[dom.find("data-framework=\"hipaa\"").expect("per-framework status")..];
    let row = &hipaa[hipaa.find("164.312(a)(1)").unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("failing"), "{row}");
    assert!(html.contains("@media print"), "print CSS");

    // A picture that is not blank, and a PDF.
    let png = dir.path().join("report.png");
    headless(&page, &["--window-size=1280,2400", "--hide-scrollbars", &format!("--screenshot={}", png.display())]);
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    assert!(bytes.len() > 30_000, "a blank page compresses to a few KB; got {} bytes", bytes.len());
    let pdf = dir.path().join("report.pdf");
    headless(&page, &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display())]);
    let bytes = std::fs::read(&pdf).expect("PDF written");
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 20_000, "{} bytes", bytes.len());
    if let Ok(keep) = std::env::var("PLUMB_KEEP_HTML") {
        for f in ["report.html", "report.png", "report.pdf"] {
            let _ = std::fs::copy(dir.path().join(f), Path::new(&keep).join(f));
        }
    }
}

#[test]
fn html_report_shows_a_broken_chain() {
    let dir = tempfile::tempdir().unwrap();
    let t = sqlite("html-broken");
    build_ledger(&t.location);
    sql(&t.location, "UPDATE plumb_ledger_records SET report = REPLACE(report, 'mallory', 'nobody') WHERE seq = 2");
    let (page, _) = render(&t.location, dir.path());
    let dom = headless(&page, &["--dump-dom"]);
    assert!(dom.contains("Ledger integrity check FAILED at record 2"), "{dom}");
}

#[test]
fn empty_ledger_renders() {
    let dir = tempfile::tempdir().unwrap();
    let t = sqlite("html-empty");
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        Ledger::open(&t.location).await.unwrap().close().await;
    });
    let (_, html) = render(&t.location, dir.path());
    assert!(html.contains("The ledger holds no runs."));
}

/// A ledger whose latest run carries its scope and drifted values (as `plumb scan` records them).
fn build_scoped_ledger(location: &str) {
    let mut first: serde_json::Value = serde_json::from_str(&report(
        &day(1),
        vec![res(Some("aws_vpc.core"), "aws_vpc", "vpc-1", "in_sync")],
        vec![finding("HS-RDS-004", "high", Some("aws_db_instance.records"), "aws_db_instance", "records", false)],
    ))
    .unwrap();
    let long_policy =
        format!("{{\"Statement\":[{}]}}", vec!["{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}"; 30].join(","));
    let mut vpc =
        drifted("aws_vpc.core", "aws_vpc", "vpc-1", "tags.Owner", Some("arn:aws:iam::123456789012:user/mallory"));
    vpc["changes"] = serde_json::json!([
        {"path": "tags.Owner", "state": null, "live": "console-user"},
        {"path": "enable_dns_support", "state": true, "live": false},
        {"path": "policy", "state": "{}", "live": long_policy}
    ]);
    let mut second: serde_json::Value = serde_json::from_str(&report(
        &day(3),
        vec![vpc],
        vec![finding("HS-RDS-004", "high", Some("aws_db_instance.records"), "aws_db_instance", "records", false)],
    ))
    .unwrap();
    let scope = serde_json::json!({
        "account": "123456789012",
        "regions": ["eu-west-1", "us-east-1"],
        "states": ["envs/prod/terraform.tfstate", "s3://tf-states/prod/core.tfstate"],
        "rule_set": {"version": "baseline 0.1.0 (commit 1a2b3c4d5e6f)", "digest": format!("sha256:{}", "ab".repeat(32)),
                     "evaluated": 54},
        "controls": {"hipaa": ["164.308(a)(1)(ii)(D)", "164.312(a)(1)", "164.312(b)"], "soc2": ["CC6.1", "CC7.2"],
                     "gdpr": ["Art. 32"]}
    });
    first["scope"] = scope.clone();
    second["scope"] = scope;
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let mut l = Ledger::open(location).await.unwrap();
        for r in [&first, &second] {
            l.append(&r.to_string(), None).await.unwrap();
        }
        l.close().await;
    });
}

/// The content of the element with this id, up to its closing tag.
fn text_of(dom: &str, id: &str, close: &str) -> String {
    let at = dom.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in the page"));
    let rest = &dom[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find(close).unwrap();
    rest[start..end].to_string()
}

#[test]
fn html_report_shows_scope_values_and_passing_controls_and_never_wraps_a_timestamp() {
    let dir = tempfile::tempdir().unwrap();
    let t = sqlite("html-scope");
    build_scoped_ledger(&t.location);
    let (page, html) = render(&t.location, dir.path());
    for banned in ["<script", "src=", "url(", "http://", "https://"] {
        assert!(!html.contains(banned), "the report contains `{banned}`");
    }
    let dom = headless(&page, &["--dump-dom"]);

    // The scope of the latest run.
    assert_eq!(text_of(&dom, "scope-account", "</code>"), "123456789012");
    let regions = text_of(&dom, "scope-regions", "</dd>");
    assert!(regions.contains("eu-west-1") && regions.contains("us-east-1"), "{regions}");
    assert!(text_of(&dom, "scope-states", "</dd>").contains("s3://tf-states/prod/core.tfstate"));
    let rules = text_of(&dom, "scope-rules", "</dd>");
    assert!(rules.contains("baseline 0.1.0 (commit 1a2b3c4d5e6f)") && rules.contains("54 rules evaluated"), "{rules}");

    // Before → after for each drifted attribute.
    let open = &dom[dom.find("id=\"open-drift\"").unwrap()..];
    let open = &open[..open.find("</table>").unwrap()];
    assert!(open.contains("<code>tags.Owner</code>: <code class=\"before\">null</code> → <code class=\"after\">\"console-user\"</code>"), "{open}");
    assert!(open.contains(
        "<code>enable_dns_support</code>: <code class=\"before\">true</code> → <code class=\"after\">false</code>"
    ));
    assert!(
        open.contains("…</code>") && open.contains("title="),
        "a long value is shortened, the whole in its tooltip"
    );

    // Passing and failing controls: every control the rules cover is listed.
    let hipaa = &dom[dom.find("data-framework=\"hipaa\"").unwrap()..];
    let hipaa = &hipaa[..hipaa.find("</table>").unwrap()];
    let status = |control: &str| {
        let row = &hipaa[hipaa.find(control).unwrap_or_else(|| panic!("{control} not listed"))..];
        let row = &row[..row.find("</tr>").unwrap()];
        ["failing", "waived", "passing"].into_iter().find(|s| row.contains(&format!(">{s}<"))).unwrap()
    };
    assert_eq!(status("164.312(a)(1)"), "failing");
    assert_eq!(status("164.312(b)"), "passing");
    assert_eq!(status("164.308(a)(1)(ii)(D)"), "passing");
    assert!(
        dom.contains("1 of 3 controls failing, <span class=\"fw-passing\">2</span> passing"),
        "per framework counts"
    );

    // No timestamp or age wraps, even in a narrow window: measured by Chromium's layout in a
    // copy of the page with a measuring script (the report itself has none).
    let probe = dir.path().join("probe.html");
    let script = "<script>const bad=[];const all=document.querySelectorAll('.ts, td.num');\
        all.forEach(e=>{const r=document.createRange();r.selectNodeContents(e);\
        const tops=new Set([...r.getClientRects()].filter(x=>x.width>0).map(x=>Math.round(x.top)));\
        if(tops.size>1)bad.push(e.textContent)});\
        document.body.setAttribute('data-measured',all.length);document.body.setAttribute('data-wrapped',JSON.stringify(bad));</script>";
    std::fs::write(&probe, html.replace("</body>", &format!("{script}</body>"))).unwrap();
    for width in ["1280", "760", "420"] {
        let dom = headless(&probe, &[&format!("--window-size={width},3000"), "--dump-dom"]);
        let attr = |name: &str| {
            let at = dom.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("no {name}")) + name.len() + 2;
            dom[at..at + dom[at..].find('"').unwrap()].replace("&quot;", "\"")
        };
        assert!(attr("data-measured").parse::<usize>().unwrap() > 10, "timestamps were found");
        assert_eq!(attr("data-wrapped"), "[]", "at {width} px wide, these wrap");
    }
    if let Ok(keep) = std::env::var("PLUMB_KEEP_HTML") {
        let _ = std::fs::copy(&page, Path::new(&keep).join("report-scoped.html"));
    }
    // The measure can see wrapping: without the page's no-wrap rule, some do wrap at 420 px.
    let unguarded =
        html.replace(".ts, td.num { white-space: nowrap; }", "").replace("</body>", &format!("{script}</body>"));
    assert_ne!(unguarded.len(), html.len() + script.len(), "the no-wrap rule is in the page");
    std::fs::write(&probe, unguarded).unwrap();
    let dom = headless(&probe, &["--window-size=420,3000", "--dump-dom"]);
    assert!(!dom.contains("data-wrapped=\"[]\""), "without the rule something wraps at 420 px");
}
