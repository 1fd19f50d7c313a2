//! Loading, compiling and evaluating rules.
//!
//! Each rule is compiled once, in its own regorus engine, with `deny` as entry point.
//! [`evaluate`] builds the joined views once, gives each rule only the views of its
//! types (`input.views`, plus `input.view`: `"live"`, `"state"` or `"config"`), runs the
//! rules in parallel (rayon) and returns the findings sorted by rule id, address and id.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value as J;

use super::metadata::{self, MetadataError, RuleMeta};
use super::views::{self, JoinedView};
use super::{Finding, View};
use crate::model::Resource;

/// One loaded, compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub meta: RuleMeta,
    /// Where it came from: `rules/s3/HS-S3-001.rego` for a baseline rule, else the file.
    pub path: String,
    /// The Rego source.
    pub source: String,
    /// `true` for the rules embedded in the binary.
    pub baseline: bool,
    entrypoint: String,
    compiled: regorus::CompiledPolicy,
}

/// Why a rule could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{path}: {error}")]
    Metadata { path: String, error: MetadataError },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{path}: the Rego does not compile: {message}")]
    Compile { path: String, message: String },
    #[error("reading {path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("rule {id} is defined twice: {first} and {second}")]
    Duplicate { id: String, first: String, second: String },
}

/// A rule that failed while evaluating (a runtime error or a malformed `deny` element).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rule {rule_id}: {message}")]
pub struct EvalError {
    pub rule_id: String,
    pub message: String,
}

impl EvalError {
    /// As an entry of a report's `errors`: a rule that failed leaves its findings unknown,
    /// so the result is incomplete (exit 2), never a silent pass.
    pub fn to_read_error(&self) -> crate::model::ReadError {
        // regorus messages carry a source excerpt over several lines; one line reads better.
        let message = self.message.split_whitespace().collect::<Vec<_>>().join(" ");
        crate::model::ReadError {
            account: None,
            service: "rules".to_string(),
            region: String::new(),
            code: "RuleFailed".to_string(),
            message: format!("rule {} failed to evaluate: {message}", self.rule_id),
            affected_types: Vec::new(),
        }
    }
}

/// A set of compiled rules, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl Rule {
    /// Parse, check and compile one rule file. `path` is used in messages and must end in
    /// `<ID>.rego`.
    pub fn compile(path: &str, source: &str) -> Result<Rule, RuleError> {
        let meta = metadata::parse(source).map_err(|error| RuleError::Metadata { path: path.into(), error })?;
        let invalid = |message: String| RuleError::Invalid { path: path.into(), message };
        let stem = Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if stem != meta.id {
            return Err(invalid(format!("the file must be named after the rule id: {}.rego", meta.id)));
        }
        let package = metadata::package_for(&meta.id);
        match metadata::declared_package(source) {
            Some(p) if p == package => {}
            other => {
                return Err(invalid(format!("the package must be `{package}`, not `{}`", other.unwrap_or("(none)"))));
            }
        }
        let entrypoint = format!("data.{package}.deny");
        let compile_err = |e: anyhow::Error| RuleError::Compile { path: path.into(), message: format!("{e:#}") };
        let mut engine = regorus::Engine::new();
        engine.add_policy(path.to_string(), source.to_string()).map_err(compile_err)?;
        let compiled = engine.compile_with_entrypoint(&regorus::Rc::from(entrypoint.as_str())).map_err(compile_err)?;
        Ok(Rule { meta, path: path.to_string(), source: source.to_string(), baseline: false, entrypoint, compiled })
    }

    /// The `deny` objects for these views.
    fn eval(&self, input: regorus::Value) -> Result<Vec<Deny>, String> {
        let out = self.compiled.eval_with_input(input).map_err(|e| format!("{e:#}"))?;
        if out == regorus::Value::Undefined {
            return Ok(Vec::new());
        }
        let json = serde_json::to_value(&out).map_err(|e| e.to_string())?;
        let J::Array(items) = json else {
            return Err(format!("{} must be a set of objects, got {json}", self.entrypoint));
        };
        items
            .into_iter()
            .map(|i| serde_json::from_value::<Deny>(i.clone()).map_err(|e| format!("deny element {i}: {e}")))
            .collect()
    }
}

/// One element of a rule's `deny` set.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Deny {
    id: String,
    /// Absent: the view's owning resource. Null: no address (unmanaged).
    #[serde(default, deserialize_with = "present")]
    address: Option<Option<String>>,
    message: String,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    <Option<String> as serde::Deserialize>::deserialize(d).map(Some)
}

impl RuleSet {
    /// The baseline rules embedded in the binary.
    ///
    /// # Panics
    /// When an embedded rule is invalid; the test suite loads every one of them.
    pub fn baseline() -> RuleSet {
        let mut rules = Vec::new();
        for (path, source) in super::baseline::BASELINE {
            let mut rule = Rule::compile(path, source).unwrap_or_else(|e| panic!("baseline rule: {e}"));
            rule.baseline = true;
            rules.push(rule);
        }
        RuleSet::from_rules(rules).unwrap_or_else(|e| panic!("baseline rules: {e}"))
    }

    /// The rules of every `*.rego` file under `dir` (recursively; `*_test.rego` skipped).
    pub fn load_dir(dir: &Path) -> Result<RuleSet, RuleError> {
        let mut files = Vec::new();
        collect_rego(dir, &mut files)?;
        files.sort();
        let mut rules = Vec::new();
        for f in files {
            let path = f.display().to_string();
            let source = std::fs::read_to_string(&f).map_err(|error| RuleError::Io { path: path.clone(), error })?;
            rules.push(Rule::compile(&path, &source)?);
        }
        RuleSet::from_rules(rules)
    }

    /// A set from rules; ids must be unique.
    pub fn from_rules(mut rules: Vec<Rule>) -> Result<RuleSet, RuleError> {
        rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        for w in rules.windows(2) {
            if w[0].meta.id == w[1].meta.id {
                return Err(RuleError::Duplicate {
                    id: w[0].meta.id.clone(),
                    first: w[0].path.clone(),
                    second: w[1].path.clone(),
                });
            }
        }
        Ok(RuleSet { rules })
    }

    /// This set plus another (the baseline plus `--rules DIR`); ids must stay unique.
    pub fn merge(self, other: RuleSet) -> Result<RuleSet, RuleError> {
        RuleSet::from_rules(self.rules.into_iter().chain(other.rules).collect())
    }

    /// Only the rules `keep` accepts.
    pub fn filter(self, keep: impl Fn(&Rule) -> bool) -> RuleSet {
        RuleSet { rules: self.rules.into_iter().filter(|r| keep(r)).collect() }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.meta.id.eq_ignore_ascii_case(id))
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }
}

fn collect_rego(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), RuleError> {
    let io = |error| RuleError::Io { path: dir.display().to_string(), error };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_rego(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rego") && !path.to_string_lossy().ends_with("_test.rego") {
            out.push(path);
        }
    }
    Ok(())
}

/// Evaluate every rule over the resources of one view; findings sorted by rule id,
/// address and id. A rule that fails at run time is reported on standard error and
/// yields no findings: use [`evaluate_checked`] to get the errors.
pub fn evaluate(rules: &RuleSet, resources: &[Resource], view: View) -> Vec<Finding> {
    let (findings, errors) = evaluate_checked(rules, resources, view);
    for e in errors {
        eprintln!("plumb: {e}");
    }
    findings
}

/// [`evaluate`], with the rules that failed.
pub fn evaluate_checked(rules: &RuleSet, resources: &[Resource], view: View) -> (Vec<Finding>, Vec<EvalError>) {
    let types: HashMap<&str, &str> =
        resources.iter().filter_map(|r| Some((r.address.as_deref()?, r.rtype.as_str()))).collect();
    evaluate_joined(rules, views::build(resources, view), view, &types)
}

/// Evaluate every rule over joined views; `types` gives the Terraform type of each address
/// (for findings that point at a part, not the owner).
pub fn evaluate_joined(
    rules: &RuleSet,
    mut joined: Vec<JoinedView>,
    view: View,
    types: &HashMap<&str, &str>,
) -> (Vec<Finding>, Vec<EvalError>) {
    // Each view converted once, its JSON moved out rather than cloned (the two copies of a
    // large estate are never held together); rules share the (reference-counted) values.
    let converted: Vec<regorus::Value> =
        joined.iter_mut().map(|v| regorus::Value::from(std::mem::take(&mut v.value))).collect();
    let mut by_type: HashMap<&str, Vec<&JoinedView>> = HashMap::new();
    let mut values: HashMap<&str, Vec<regorus::Value>> = HashMap::new();
    for (v, value) in joined.iter().zip(converted) {
        by_type.entry(v.vtype).or_default().push(v);
        values.entry(v.vtype).or_default().push(value);
    }

    let results: Vec<Result<Vec<Finding>, EvalError>> = rules
        .rules
        .par_iter()
        .map(|rule| {
            if rule.meta.live_only && view != View::Live {
                return Ok(Vec::new());
            }
            let mine: Vec<&JoinedView> = rule
                .meta
                .resource_types
                .iter()
                .flat_map(|t| by_type.get(t.as_str()).into_iter().flatten().copied())
                .collect();
            if mine.is_empty() {
                return Ok(Vec::new());
            }
            let list: Vec<regorus::Value> = rule
                .meta
                .resource_types
                .iter()
                .flat_map(|t| values.get(t.as_str()).into_iter().flatten().cloned())
                .collect();
            let mut input = BTreeMap::new();
            input.insert(regorus::Value::from("view"), regorus::Value::from(view.as_str()));
            input.insert(regorus::Value::from("views"), regorus::Value::from(list));
            let denies = rule
                .eval(regorus::Value::from(input))
                .map_err(|message| EvalError { rule_id: rule.meta.id.clone(), message })?;
            let owners: HashMap<&str, &JoinedView> = mine.iter().map(|v| (v.id.as_str(), *v)).collect();
            denies
                .into_iter()
                .map(|d| {
                    let owner = owners.get(d.id.as_str()).ok_or_else(|| EvalError {
                        rule_id: rule.meta.id.clone(),
                        message: format!("deny names id {:?}, which is not one of its views", d.id),
                    })?;
                    let address = d.address.unwrap_or_else(|| owner.address.clone());
                    let rtype = address
                        .as_deref()
                        .and_then(|a| types.get(a).copied())
                        .unwrap_or(owner.resource_type.as_str())
                        .to_string();
                    Ok(Finding {
                        account: None,
                        rule_id: rule.meta.id.clone(),
                        severity: rule.meta.severity,
                        view,
                        address,
                        rtype,
                        id: d.id,
                        file: None,
                        line: None,
                        message: d.message,
                        waived: false,
                        controls: rule.meta.controls.clone(),
                        aws_default: owner.aws_default,
                    })
                })
                .collect()
        })
        .collect();

    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => findings.extend(f),
            Err(e) => errors.push(e),
        }
    }
    findings
        .sort_by(|a, b| (&a.rule_id, &a.address, &a.id, &a.message).cmp(&(&b.rule_id, &b.address, &b.id, &b.message)));
    findings.dedup();
    (findings, errors)
}

#[cfg(test)]
mod tests {
    use serde_json::Value as J;

    use super::*;

    /// Every leaf of a view made unknown (`null`, and named in its object's `unknown` list),
    /// keeping its shape; with `empty_lists`, lists of blocks are emptied too.
    fn unknown_everywhere(v: &J, empty_lists: bool, top: bool) -> J {
        match v {
            J::Object(m) => {
                let mut out = serde_json::Map::new();
                let mut unknown = Vec::new();
                for (k, x) in m {
                    // The identity of the view stays: rules key their findings on it.
                    if top && matches!(k.as_str(), "type" | "id" | "address" | "resource_type") {
                        out.insert(k.clone(), x.clone());
                        continue;
                    }
                    if k == "unknown" {
                        continue;
                    }
                    let y = match x {
                        J::Object(_) => unknown_everywhere(x, empty_lists, false),
                        J::Array(a) if empty_lists => {
                            let _ = a;
                            J::Array(vec![])
                        }
                        J::Array(a) => J::Array(a.iter().map(|e| unknown_everywhere(e, empty_lists, false)).collect()),
                        _ => {
                            unknown.push(J::String(k.clone()));
                            J::Null
                        }
                    };
                    out.insert(k.clone(), y);
                }
                out.insert("unknown".into(), J::Array(unknown));
                J::Object(out)
            }
            J::Array(a) => J::Array(a.iter().map(|e| unknown_everywhere(e, empty_lists, false)).collect()),
            _ => J::Null,
        }
    }

    /// Every rule, on every view kind, whatever is unknown: no rule errors at run time (an
    /// error would be an incomplete result), and an unknown value fails no rule.
    #[test]
    fn every_rule_is_robust_to_unknown_values() {
        let rules = RuleSet::baseline();
        let built = views::build(&crate::aws::view::tests::sample(), View::Live);
        let types = HashMap::new();
        for (variant, empty_lists, whole) in
            [("every leaf null", false, false), ("lists emptied", true, false), ("every field null", false, true)]
        {
            let joined: Vec<JoinedView> = built
                .iter()
                .map(|v| {
                    let value = if whole {
                        let mut m = serde_json::Map::new();
                        let mut unknown = Vec::new();
                        for (k, x) in v.value.as_object().into_iter().flatten() {
                            if matches!(k.as_str(), "type" | "id" | "address" | "resource_type") {
                                m.insert(k.clone(), x.clone());
                            } else if k != "unknown" {
                                m.insert(k.clone(), J::Null);
                                unknown.push(J::String(k.clone()));
                            }
                        }
                        m.insert("unknown".into(), J::Array(unknown));
                        J::Object(m)
                    } else {
                        unknown_everywhere(&v.value, empty_lists, true)
                    };
                    JoinedView { value, ..v.clone() }
                })
                .collect();
            let (findings, errors) = evaluate_joined(&rules, joined, View::Live, &types);
            assert!(errors.is_empty(), "{variant}: rules failed at run time: {errors:#?}");
            if variant != "lists emptied" {
                let fired: Vec<String> = findings.iter().map(|f| format!("{} on {}", f.rule_id, f.id)).collect();
                assert!(fired.is_empty(), "{variant}: unknown values failed rules: {fired:#?}");
            }
        }
    }
}
