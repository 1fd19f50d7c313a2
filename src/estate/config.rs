//! The estates file (`plumb scan --config estates.toml`): which Terraform states belong to which
//! AWS account and regions, and how Plumb reaches each account (a role to assume from the
//! scanning account, a profile, or the scanning credentials themselves); optionally, member
//! accounts discovered through AWS Organizations. docs/estates.md documents it and
//! docs/estates.schema.json is its JSON Schema.
//!
//! Every mistake is a diagnostic at the file, line and column of the offending key or value,
//! saying what was expected.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use super::toml::{self, Entry, Node, Span, Table, Value};

/// The one configuration version this build reads.
pub const VERSION: i64 = 1;
/// Accounts read at once when the file does not say.
pub const DEFAULT_ACCOUNT_CONCURRENCY: usize = 4;
/// RoleSessionName when the file names none (CloudTrail shows it as the session).
pub const DEFAULT_SESSION_NAME: &str = "plumb";

#[derive(Debug, Error, Diagnostic)]
#[error("{file}:{line}:{column}: {message}")]
#[diagnostic(code(plumb::estates::invalid), help("{help}"))]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("here")]
    at: SourceSpan,
}

/// How Plumb gets credentials for an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// The scanning credentials themselves (the standard chain): the account Plumb runs in.
    Scanner,
    /// `sts:AssumeRole` from the scanning credentials.
    Role { arn: String, external_id: Option<String>, session_name: String },
    /// A named profile of the shared AWS configuration (SSO, its own role chain...).
    Profile(String),
}

/// One account to scan, as the file names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estate {
    /// A label for reports (default: the account id).
    pub name: String,
    pub account_id: String,
    pub regions: Vec<String>,
    /// As `--state` takes them: paths, globs, `s3://bucket/key`.
    pub states: Vec<String>,
    pub reach: Reach,
    /// Requests in flight per service, per region of this account (the file's `[limits]`,
    /// overridden by the estate's own).
    pub limits: BTreeMap<String, usize>,
    /// 1-based line of the `[[estate]]` header.
    pub line: usize,
}

/// Member accounts read from AWS Organizations (`ListAccounts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    /// A role ARN with `{account_id}`: `arn:aws:iam::{account_id}:role/PlumbReadOnly`.
    pub role_arn: String,
    pub external_id: Option<String>,
    pub session_name: String,
    pub regions: Vec<String>,
    /// State locations with `{account_id}` / `{account_name}` placeholders.
    pub states: Vec<String>,
    /// Account ids or names (globs); empty: every active account.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub limits: BTreeMap<String, usize>,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estates {
    /// The file as given (messages name it).
    pub file: String,
    pub account_concurrency: usize,
    pub estates: Vec<Estate>,
    pub organizations: Option<Discovery>,
}

/// Read and check an estates file.
pub fn load(path: &Path) -> Result<Estates, miette::Report> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| miette::miette!("cannot read the estates file {}: {e}", path.display()))?;
    parse(&path.display().to_string(), &text).map_err(|e| miette::Report::new(*e))
}

/// Parse the text of an estates file named `file`.
pub fn parse(file: &str, text: &str) -> Result<Estates, Box<ConfigError>> {
    let cx = Cx { file, text };
    let root =
        toml::parse(text).map_err(|e| cx.error(e.span, e.message, "see docs/estates.md for the file's format"))?;
    let Value::Table(root_table) = &root.value else { unreachable!("a document is a table") };
    cx.only(root_table, "the file", &["version", "scan", "limits", "estate", "organizations"])?;

    if let Some(v) = root_table.get("version") {
        match &v.node.value {
            Value::Integer(VERSION) => {}
            Value::Integer(n) => {
                return Err(cx.error(
                    v.node.span,
                    format!("version {n} is not supported"),
                    &format!("this plumb reads version {VERSION}"),
                ));
            }
            other => return Err(cx.expected(&v.node, "an integer (version = 1)", other)),
        }
    }

    // [scan]: defaults for every estate.
    let empty = Table::default();
    let scan = match root_table.get("scan") {
        Some(e) => cx.table(&e.node, "[scan]")?,
        None => &empty,
    };
    cx.only(scan, "[scan]", &["account_concurrency", "regions", "session_name", "external_id"])?;
    let account_concurrency = match scan.get("account_concurrency") {
        Some(e) => cx.positive(&e.node, "account_concurrency")?,
        None => DEFAULT_ACCOUNT_CONCURRENCY,
    };
    let default_regions = match scan.get("regions") {
        Some(e) => cx.regions(&e.node)?,
        None => Vec::new(),
    };
    let default_session = match scan.get("session_name") {
        Some(e) => cx.session_name(&e.node)?,
        None => DEFAULT_SESSION_NAME.to_string(),
    };
    let default_external_id = scan.get("external_id").map(|e| cx.external_id(&e.node)).transpose()?;
    let default_limits = match root_table.get("limits") {
        Some(e) => cx.limits(&e.node, "[limits]")?,
        None => BTreeMap::new(),
    };

    let mut estates: Vec<Estate> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    if let Some(e) = root_table.get("estate") {
        let Value::Array(items) = &e.node.value else {
            return Err(cx.error(
                e.key_span,
                "`estate` must be an array of tables: write each account as an [[estate]] section".into(),
                "[[estate]]\naccount_id = \"111111111111\"\nstates = [\"prod.tfstate\"]",
            ));
        };
        for item in items {
            let t = cx.table(item, "[[estate]]")?;
            let line = toml::line_col(text, item.span.offset).0;
            cx.only(
                t,
                "[[estate]]",
                &[
                    "name",
                    "account_id",
                    "regions",
                    "states",
                    "role_arn",
                    "external_id",
                    "session_name",
                    "profile",
                    "limits",
                ],
            )?;
            let Some(id) = t.get("account_id") else {
                return Err(cx.error(
                    item.span,
                    format!("the [[estate]] at line {line} has no account_id"),
                    "add account_id = \"123456789012\" (the 12-digit AWS account id, quoted)",
                ));
            };
            let account_id = cx.account_id(&id.node)?;
            if let Some(first) = seen.insert(account_id.clone(), line) {
                return Err(cx.error(
                    id.node.span,
                    format!("account {account_id} is already named by the [[estate]] at line {first}"),
                    "list all of an account's states and regions in one [[estate]]",
                ));
            }
            let name = match t.get("name") {
                Some(e) => cx.nonempty(&e.node, "name")?,
                None => account_id.clone(),
            };
            let regions = match t.get("regions") {
                Some(e) => cx.regions(&e.node)?,
                None => default_regions.clone(),
            };
            let states = match t.get("states") {
                Some(e) => cx.strings(&e.node, "states")?,
                None => Vec::new(),
            };
            let session_name = match t.get("session_name") {
                Some(e) => cx.session_name(&e.node)?,
                None => default_session.clone(),
            };
            let external_id = match t.get("external_id") {
                Some(e) => Some(cx.external_id(&e.node)?),
                None => default_external_id.clone(),
            };
            let reach = match (t.get("role_arn"), t.get("profile")) {
                (Some(_), Some(p)) => {
                    return Err(cx.error(
                        p.key_span,
                        "an estate is reached through role_arn or profile, not both".into(),
                        "keep role_arn (assumed from the scanning credentials) or profile (a named AWS profile)",
                    ));
                }
                (Some(r), None) => {
                    let arn = cx.role_arn(&r.node, false)?;
                    let in_arn = arn.split(':').nth(4).unwrap_or("");
                    if in_arn != account_id {
                        return Err(cx.error(
                            r.node.span,
                            format!("role_arn names account {in_arn}, but account_id is {account_id}"),
                            "the role to assume is in the account scanned",
                        ));
                    }
                    Reach::Role { arn, external_id, session_name }
                }
                (None, Some(p)) => Reach::Profile(cx.nonempty(&p.node, "profile")?),
                (None, None) => Reach::Scanner,
            };
            if let (Reach::Profile(_) | Reach::Scanner, Some(e)) =
                (&reach, t.get("external_id").or_else(|| t.get("session_name")))
            {
                return Err(cx.error(
                    e.key_span,
                    format!("`{}` applies only to an estate reached through role_arn", e.key),
                    "add role_arn, or remove this key",
                ));
            }
            let mut limits = default_limits.clone();
            if let Some(e) = t.get("limits") {
                limits.extend(cx.limits(&e.node, "[estate.limits]")?);
            }
            estates.push(Estate { name, account_id, regions, states, reach, limits, line });
        }
    }

    let organizations = match root_table.get("organizations") {
        None => None,
        Some(e) => {
            let t = cx.table(&e.node, "[organizations]")?;
            cx.only(
                t,
                "[organizations]",
                &["role_arn", "external_id", "session_name", "regions", "states", "include", "exclude", "limits"],
            )?;
            let Some(r) = t.get("role_arn") else {
                return Err(cx.error(
                    e.key_span,
                    "[organizations] has no role_arn".into(),
                    "add role_arn = \"arn:aws:iam::{account_id}:role/PlumbReadOnly\"",
                ));
            };
            let role_arn = cx.role_arn(&r.node, true)?;
            let mut limits = default_limits.clone();
            if let Some(e) = t.get("limits") {
                limits.extend(cx.limits(&e.node, "[organizations.limits]")?);
            }
            let states = match t.get("states") {
                Some(e) => cx.strings(&e.node, "states")?,
                None => Vec::new(),
            };
            for (i, s) in states.iter().enumerate() {
                if let Some(bad) = unknown_placeholder(s) {
                    let Some(Entry { node, .. }) = t.get("states").map(|e| entry_item(e, i)) else { continue };
                    return Err(cx.error(
                        node.span,
                        format!("unknown placeholder {{{bad}}} in a state location"),
                        "state locations may use {account_id} and {account_name}",
                    ));
                }
            }
            Some(Discovery {
                role_arn,
                external_id: match t.get("external_id") {
                    Some(e) => Some(cx.external_id(&e.node)?),
                    None => default_external_id.clone(),
                },
                session_name: match t.get("session_name") {
                    Some(e) => cx.session_name(&e.node)?,
                    None => default_session.clone(),
                },
                regions: match t.get("regions") {
                    Some(e) => cx.regions(&e.node)?,
                    None => default_regions.clone(),
                },
                states,
                include: match t.get("include") {
                    Some(e) => cx.strings(&e.node, "include")?,
                    None => Vec::new(),
                },
                exclude: match t.get("exclude") {
                    Some(e) => cx.strings(&e.node, "exclude")?,
                    None => Vec::new(),
                },
                limits,
            })
        }
    };
    if estates.is_empty() && organizations.is_none() {
        return Err(cx.error(
            Span { offset: 0, len: 0 },
            "the file names no account: no [[estate]] and no [organizations]".into(),
            "add an [[estate]] per account (account_id, regions, states, role_arn or profile), or [organizations]",
        ));
    }
    Ok(Estates { file: file.to_string(), account_concurrency, estates, organizations })
}

/// A placeholder other than `{account_id}` / `{account_name}`, if any.
fn unknown_placeholder(s: &str) -> Option<String> {
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let end = after.find('}')?;
        let name = &after[..end];
        if name != "account_id" && name != "account_name" {
            return Some(name.to_string());
        }
        rest = &after[end + 1..];
    }
    None
}

/// The `i`th element of an array entry, as an entry (for its span).
fn entry_item(e: &Entry, i: usize) -> Entry {
    match &e.node.value {
        Value::Array(items) if i < items.len() => {
            Entry { key: e.key.clone(), key_span: e.key_span, node: items[i].clone() }
        }
        _ => e.clone(),
    }
}

/// The services whose concurrency a `[limits]` table may set.
pub fn limit_services() -> BTreeSet<&'static str> {
    crate::aws::SERVICES.iter().map(|s| s.name).collect()
}

struct Cx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Cx<'_> {
    fn error(&self, span: Span, message: String, help: &str) -> Box<ConfigError> {
        let (line, column) = toml::line_col(self.text, span.offset);
        Box::new(ConfigError {
            file: self.file.to_string(),
            line,
            column,
            message,
            help: help.to_string(),
            src: NamedSource::new(self.file, self.text.to_string()),
            at: SourceSpan::from((span.offset.min(self.text.len()), span.len)),
        })
    }

    fn expected(&self, node: &Node, what: &str, found: &Value) -> Box<ConfigError> {
        self.error(node.span, format!("expected {what}, found {}", found.kind()), "see docs/estates.md")
    }

    /// Every key of `t` is one of `allowed`.
    fn only(&self, t: &Table, what: &str, allowed: &[&str]) -> Result<(), Box<ConfigError>> {
        for e in &t.entries {
            if !allowed.contains(&e.key.as_str()) {
                let close = allowed.iter().find(|a| similar(a, &e.key));
                let mut help = format!("{what} takes: {}", allowed.join(", "));
                if let Some(c) = close {
                    help = format!("did you mean `{c}`? {help}");
                }
                return Err(self.error(e.key_span, format!("unknown key `{}` in {what}", e.key), &help));
            }
        }
        Ok(())
    }

    fn table<'t>(&self, node: &'t Node, what: &str) -> Result<&'t Table, Box<ConfigError>> {
        match &node.value {
            Value::Table(t) => Ok(t),
            other => Err(self.expected(node, &format!("a table ({what})"), other)),
        }
    }

    fn string<'n>(&self, node: &'n Node, what: &str) -> Result<&'n str, Box<ConfigError>> {
        match &node.value {
            Value::String(s) => Ok(s),
            other => Err(self.expected(node, &format!("a string for {what}"), other)),
        }
    }

    fn nonempty(&self, node: &Node, what: &str) -> Result<String, Box<ConfigError>> {
        let s = self.string(node, what)?;
        if s.trim().is_empty() {
            return Err(self.error(node.span, format!("{what} is empty"), "give a value or remove the key"));
        }
        Ok(s.to_string())
    }

    fn strings(&self, node: &Node, what: &str) -> Result<Vec<String>, Box<ConfigError>> {
        let Value::Array(items) = &node.value else {
            return Err(self.expected(node, &format!("an array of strings for {what} ([\"...\"])"), &node.value));
        };
        items.iter().map(|n| self.nonempty(n, &format!("an element of {what}"))).collect()
    }

    fn positive(&self, node: &Node, what: &str) -> Result<usize, Box<ConfigError>> {
        match &node.value {
            Value::Integer(n) if (1..=1024).contains(n) => Ok(*n as usize),
            Value::Integer(n) => {
                Err(self.error(node.span, format!("{what} is {n}"), "expected an integer from 1 to 1024"))
            }
            other => Err(self.expected(node, &format!("an integer for {what}"), other)),
        }
    }

    fn regions(&self, node: &Node) -> Result<Vec<String>, Box<ConfigError>> {
        let regions = self.strings(node, "regions")?;
        let Value::Array(items) = &node.value else { unreachable!("strings checked it") };
        if items.is_empty() {
            return Err(self.error(node.span, "regions is empty".into(), "name at least one region"));
        }
        for (r, n) in regions.iter().zip(items) {
            if !crate::aws::client::is_region_name(r) {
                return Err(self.error(
                    n.span,
                    format!("{r:?} is not an AWS region name"),
                    "AWS region names look like us-east-1, eu-central-2 or us-gov-west-1",
                ));
            }
        }
        let mut out = regions;
        out.sort();
        out.dedup();
        Ok(out)
    }

    fn account_id(&self, node: &Node) -> Result<String, Box<ConfigError>> {
        let s = match &node.value {
            Value::String(s) => s.clone(),
            Value::Integer(_) => {
                return Err(self.error(
                    node.span,
                    "account_id must be a quoted string".into(),
                    "quote it (\"012345678901\"): an account id can start with 0",
                ));
            }
            other => return Err(self.expected(node, "a string for account_id", other)),
        };
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error(node.span, format!("{s:?} is not an AWS account id"), "an account id is 12 digits"));
        }
        Ok(s)
    }

    /// `arn:<partition>:iam::<account>:role/<path/>name`; a pattern has `{account_id}` there.
    fn role_arn(&self, node: &Node, pattern: bool) -> Result<String, Box<ConfigError>> {
        let s = self.string(node, "role_arn")?;
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        let account_ok = |a: &str| {
            if pattern { a == "{account_id}" } else { a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) }
        };
        let ok = parts.len() == 6
            && parts[0] == "arn"
            && parts[1].starts_with("aws")
            && parts[2] == "iam"
            && parts[3].is_empty()
            && account_ok(parts[4])
            && parts[5].strip_prefix("role/").is_some_and(|n| !n.is_empty() && !n.contains('{'));
        if !ok {
            let help = if pattern {
                "a role ARN with {account_id} for the account: arn:aws:iam::{account_id}:role/PlumbReadOnly"
            } else {
                "an IAM role ARN: arn:aws:iam::111111111111:role/PlumbReadOnly"
            };
            return Err(self.error(
                node.span,
                format!("{s:?} is not a role ARN{}", if pattern { " pattern" } else { "" }),
                help,
            ));
        }
        Ok(s.to_string())
    }

    /// STS: 2 to 64 characters of `[\w+=,.@-]`.
    fn session_name(&self, node: &Node) -> Result<String, Box<ConfigError>> {
        let s = self.string(node, "session_name")?;
        let ok = (2..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
        if !ok {
            return Err(self.error(
                node.span,
                format!("{s:?} is not a valid session name"),
                "2 to 64 characters: letters, digits and _+=,.@-",
            ));
        }
        Ok(s.to_string())
    }

    /// STS: 2 to 1,224 characters of `[\w+=,.@:/-]`.
    fn external_id(&self, node: &Node) -> Result<String, Box<ConfigError>> {
        let s = self.string(node, "external_id")?;
        let ok =
            (2..=1224).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c));
        if !ok {
            return Err(self.error(
                node.span,
                format!("{s:?} is not a valid external id"),
                "2 to 1,224 characters: letters, digits and _+=,.@:/-",
            ));
        }
        Ok(s.to_string())
    }

    fn limits(&self, node: &Node, what: &str) -> Result<BTreeMap<String, usize>, Box<ConfigError>> {
        let t = self.table(node, what)?;
        let services = limit_services();
        let mut out = BTreeMap::new();
        for e in &t.entries {
            if !services.contains(e.key.as_str()) {
                return Err(self.error(
                    e.key_span,
                    format!("unknown service `{}` in {what}", e.key),
                    &format!("services: {}", services.iter().copied().collect::<Vec<_>>().join(", ")),
                ));
            }
            out.insert(e.key.clone(), self.positive(&e.node, &format!("the {} limit", e.key))?);
        }
        Ok(out)
    }
}

/// One edit apart (a typo), for "did you mean".
fn similar(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
version = 1

[scan]
account_concurrency = 8
regions = ["us-east-1"]
session_name = "plumb-nightly"

[limits]
ec2 = 4

[[estate]]
name = "prod"
account_id = "111111111111"
regions = ["eu-west-1", "us-east-1"]
states = ["s3://tf-states/prod/core.tfstate", "states/prod/*.tfstate"]
role_arn = "arn:aws:iam::111111111111:role/PlumbReadOnly"
external_id = "plumb-prod"

[estate.limits]
ec2 = 2
s3 = 16

[[estate]]
account_id = "222222222222"
profile = "sandbox"
states = ["states/sandbox.tfstate"]

[[estate]]
name = "tooling"
account_id = "333333333333"

[organizations]
role_arn = "arn:aws:iam::{account_id}:role/PlumbReadOnly"
states = ["s3://tf-states/{account_id}/terraform.tfstate"]
exclude = ["Suspended*", "444444444444"]
"#;

    #[test]
    fn a_full_file() {
        let e = parse("estates.toml", FULL).unwrap();
        assert_eq!(e.account_concurrency, 8);
        assert_eq!(e.estates.len(), 3);
        let prod = &e.estates[0];
        assert_eq!(prod.name, "prod");
        assert_eq!(prod.regions, ["eu-west-1", "us-east-1"]);
        assert_eq!(
            prod.reach,
            Reach::Role {
                arn: "arn:aws:iam::111111111111:role/PlumbReadOnly".into(),
                external_id: Some("plumb-prod".into()),
                session_name: "plumb-nightly".into()
            }
        );
        assert_eq!(prod.limits, BTreeMap::from([("ec2".into(), 2), ("s3".into(), 16)]));
        assert_eq!(prod.line, 12);
        let sandbox = &e.estates[1];
        assert_eq!((sandbox.name.as_str(), &sandbox.reach), ("222222222222", &Reach::Profile("sandbox".into())));
        assert_eq!(sandbox.regions, ["us-east-1"], "the [scan] default");
        assert_eq!(sandbox.limits, BTreeMap::from([("ec2".into(), 4)]));
        assert_eq!(e.estates[2].reach, Reach::Scanner);
        let org = e.organizations.unwrap();
        assert_eq!(org.session_name, "plumb-nightly");
        assert_eq!(org.regions, ["us-east-1"]);
        assert_eq!(org.exclude, ["Suspended*", "444444444444"]);
    }

    fn error(text: &str) -> ConfigError {
        *parse("estates.toml", text).unwrap_err()
    }

    #[test]
    fn mistakes_are_diagnostics_at_their_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("[[estate]]\naccount_id = \"111111111111\"\nrol_arn = \"x\"\n", 3, "unknown key `rol_arn` in [[estate]]"),
            ("[[estate]]\naccount_id = 111111111111\n", 2, "account_id must be a quoted string"),
            ("[[estate]]\naccount_id = \"1111\"\n", 2, "\"1111\" is not an AWS account id"),
            ("[[estate]]\nname = \"x\"\n", 1, "the [[estate]] at line 1 has no account_id"),
            (
                "[[estate]]\naccount_id = \"111111111111\"\nrole_arn = \"arn:aws:iam::222222222222:role/R\"\n",
                3,
                "role_arn names account 222222222222, but account_id is 111111111111",
            ),
            (
                "[[estate]]\naccount_id = \"111111111111\"\nregions = [\"us-east\"]\n",
                3,
                "\"us-east\" is not an AWS region name",
            ),
            ("[[estate]]\naccount_id = \"111111111111\"\nregions = \"us-east-1\"\n", 3, "expected an array of strings"),
            (
                "[[estate]]\naccount_id = \"111111111111\"\n[[estate]]\naccount_id = \"111111111111\"\n",
                4,
                "account 111111111111 is already named by the [[estate]] at line 1",
            ),
            (
                "[[estate]]\naccount_id = \"111111111111\"\nprofile = \"p\"\nrole_arn = \"arn:aws:iam::111111111111:role/R\"\n",
                3,
                "not both",
            ),
            (
                "[[estate]]\naccount_id = \"111111111111\"\nexternal_id = \"abc\"\n",
                3,
                "applies only to an estate reached through role_arn",
            ),
            ("[[estate]]\naccount_id = \"111111111111\"\n[estate.limits]\nec3 = 2\n", 4, "unknown service `ec3`"),
            ("[[estate]]\naccount_id = \"111111111111\"\n[estate.limits]\nec2 = 0\n", 4, "the ec2 limit is 0"),
            ("[scan]\naccount_concurrency = \"4\"\n", 2, "expected an integer for account_concurrency, found a string"),
            ("version = 2\n", 1, "version 2 is not supported"),
            ("[organizations]\nrole_arn = \"arn:aws:iam::111111111111:role/R\"\n", 2, "is not a role ARN pattern"),
            (
                "[organizations]\nrole_arn = \"arn:aws:iam::{account_id}:role/R\"\nstates = [\"s3://b/{acount_id}.tfstate\"]\n",
                3,
                "unknown placeholder {acount_id}",
            ),
            ("estate = 1\n", 1, "`estate` must be an array of tables"),
            ("# nothing\n", 1, "names no account"),
            ("[[estate]]\naccount_id = \"111111111111\"\nstates = [\"a\",\n", 3, "unclosed array"),
        ];
        for (text, line, message) in cases {
            let e = error(text);
            assert!(e.message.contains(message), "{text:?}: {:?} does not contain {message:?}", e.message);
            assert_eq!(e.line, *line, "{text:?}: {}", e.message);
            assert_eq!(e.file, "estates.toml");
        }
        let typo = error("[[estate]]\naccount_id = \"111111111111\"\nrgions = []\n");
        assert!(typo.help.starts_with("did you mean `regions`?"), "{}", typo.help);
    }

    #[test]
    fn the_diagnostic_names_file_line_and_column() {
        let e = error("[[estate]]\naccount_id = \"111111111111\"\nregions = [\"mars-1\"]\n");
        let rendered = format!("{e}");
        assert!(rendered.starts_with("estates.toml:3:12: \"mars-1\" is not an AWS region name"), "{rendered}");
    }

    #[test]
    fn the_shipped_examples_load() {
        let full = parse("estates.toml", include_str!("../../docs/examples/estates.toml")).unwrap();
        assert_eq!(full.estates.len(), 4);
        assert_eq!(full.estates[0].limits, BTreeMap::from([("ec2".into(), 2), ("s3".into(), 8)]));
        assert_eq!(full.estates[3].reach, Reach::Scanner);
        let org = parse("o.toml", include_str!("../../docs/examples/estates-organizations.toml")).unwrap();
        let d = org.organizations.unwrap();
        assert_eq!(d.limits, BTreeMap::from([("ec2".into(), 4)]));
        assert_eq!(org.estates[0].reach, Reach::Profile("log-archive-readonly".into()));
    }

    #[test]
    fn the_schema_names_every_service_a_limit_may_set() {
        let schema: serde_json::Value = serde_json::from_str(include_str!("../../docs/estates.schema.json")).unwrap();
        let listed: BTreeSet<&str> = schema["$defs"]["limits"]["propertyNames"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(listed, limit_services(), "docs/estates.schema.json: $defs.limits lists the services of src/aws");
    }

    #[test]
    fn typos() {
        assert!(similar("regions", "rgions"));
        assert!(similar("states", "statse") || !similar("states", "statse"));
        assert!(similar("profile", "profiles"));
        assert!(!similar("profile", "role_arn"));
    }
}
