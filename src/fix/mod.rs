//! `plumb fix`: from what a scan found to the Terraform change that resolves each item, as
//! a patch a person reviews.
//!
//! ```text
//! scan report (JSON) ──plan::items──▶ items ──plan::decide (--adopt/--revert, policy)──▶
//!   adopt:  code edits at the deciding place (adopt.rs, locate.rs) | import + resource
//!           blocks (import.rs) | the resource block replaced by a `removed` block
//!   revert: terraform plan/apply -target commands, AWS CLI for what Terraform does not own
//!           (revert.rs)
//! ──hcl_edit (byte ranges, fmt alignment)──▶ patch.rs (unified diff) + summary.rs
//! ```
//!
//! Hardening fixes (`--findings`, SARIF `fixes`, PR suggestions) apply each rule's
//! machine-readable remediation to the code (`findings.rs`).
//!
//! The code is read with spans (`code.rs`) and evaluated with `plumb check`'s evaluator (for
//! the values of blocks and the number of instances of a block). Nothing here reads AWS.

pub mod adopt;
pub mod args;
pub mod code;
pub mod command;
pub mod findings;
pub mod hcl_edit;
pub mod import;
pub mod input;
pub mod interactive;
pub mod locate;
pub mod patch;
pub mod plan;
pub mod policy;
pub mod render;
pub mod revert;
pub mod summary;

use std::collections::{BTreeMap, BTreeSet};

use adopt::{Adopter, Landing, Patch, land, parse_path};
use code::Code;
use hcl_edit::{Edit, Edits};
use locate::{Fixed, locate};
use plan::{Decision, Item, Kind};
use policy::Action;
use revert::Risk;
use summary::{ItemReport, Outcome, Summary};

use crate::model::Value;

/// Where generated `import` and `resource` blocks go, relative to the code directory.
pub const IMPORT_FILE: &str = "plumb_imports.tf";

/// Evaluated attributes of the code's resources, by address.
pub type Evaluated = BTreeMap<String, BTreeMap<String, Value>>;

/// Everything a fix run needs.
pub struct Request<'a> {
    pub code: &'a Code,
    pub evaluated: &'a Evaluated,
    pub items: &'a [Item],
    pub decisions: &'a [Decision],
    pub complete: bool,
    pub import_file: &'a str,
}

/// The edits and what was done.
pub struct FixResult {
    pub edits: Edits,
    pub summary: Summary,
}

impl FixResult {
    /// The unified diff of every changed file, sorted by path.
    pub fn patch(&self) -> String {
        self.edits.results().iter().map(|(rel, (old, new, created))| patch::unified(rel, old, new, *created)).collect()
    }
}

/// How many evaluated instances a block has (`count`/`for_each` on it or a module above).
pub fn instances(evaluated: &Evaluated, address: &str) -> usize {
    let block = crate::source::plan::strip_keys(address);
    evaluated.keys().filter(|a| crate::source::plan::strip_keys(a) == block).count().max(1)
}

/// What one item came to, before the summary is written.
struct Done {
    outcome: Outcome,
    places: Vec<String>,
    commands: Vec<usize>,
    reason: Option<String>,
    place: Option<String>,
    notes: Vec<String>,
}

impl Done {
    fn fixed(f: Fixed) -> Done {
        Done {
            outcome: Outcome::NotPatched,
            places: vec![],
            commands: vec![],
            reason: Some(f.reason),
            place: f.place,
            notes: vec![],
        }
    }
    fn patched(p: &Patch) -> Done {
        Done {
            outcome: Outcome::Patched,
            places: p.places.clone(),
            commands: vec![],
            reason: None,
            place: None,
            notes: p.notes.clone(),
        }
    }
}

/// Groups of adopted items that edit one expression together.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Single(usize),
    /// Keys of one map attribute.
    Map {
        address: String,
        block_at: (usize, usize),
        attr: String,
    },
    /// A nested block the code lacks, created with every key adopted into it.
    NewBlock {
        address: String,
        block_at: (usize, usize),
        ident: String,
    },
}

/// Resolve every item as decided.
pub fn run(req: &Request) -> FixResult {
    let code = req.code;
    let adopter = Adopter { code, evaluated: req.evaluated };
    let mut edits = Edits::default();
    let mut done: BTreeMap<usize, Done> = BTreeMap::new();
    let mut commands: Vec<String> = Vec::new();
    let mut cli_commands: Vec<(usize, String)> = Vec::new();
    let mut targets: BTreeMap<String, (String, Vec<String>, bool)> = BTreeMap::new();
    let mut target_items: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut imports: Vec<(usize, import::Generated)> = Vec::new();
    let mut taken: BTreeSet<String> =
        code.modules.get("").map(|m| m.resources.keys().map(|(_, n)| n.clone()).collect()).unwrap_or_default();
    let mut groups: BTreeMap<Group, Vec<usize>> = BTreeMap::new();
    let default_tags = code.default_tags();

    for (i, (item, decision)) in req.items.iter().zip(req.decisions).enumerate() {
        if let Some(refused) = &decision.refused {
            done.insert(i, Done::fixed(Fixed::new(refused.clone(), None)));
            continue;
        }
        let Some(action) = decision.action else {
            done.insert(i, Done::fixed(Fixed::new("left as it is (skipped)", None)));
            continue;
        };
        let address = item.address.clone().unwrap_or_default();
        match (&item.kind, action) {
            (Kind::Change { path, .. }, Action::Revert) => {
                // A rule added by hand to a group whose rules are separate resources is not
                // Terraform's to remove: the AWS CLI does it.
                if let Some(cmds) = non_authoritative_revoke(code, req.evaluated, item) {
                    match cmds {
                        Ok(cmds) => {
                            for c in cmds {
                                cli_commands.push((i, c));
                            }
                            done.insert(i, command_done());
                        }
                        Err(f) => {
                            done.insert(i, Done::fixed(f));
                        }
                    }
                    continue;
                }
                let e = targets.entry(address.clone()).or_insert((item.rtype.clone(), Vec::new(), false));
                e.1.push(path.clone());
                target_items.entry(address).or_default().push(i);
                done.insert(i, command_done());
            }
            (Kind::Missing, Action::Revert) => {
                targets.entry(address.clone()).or_insert((item.rtype.clone(), Vec::new(), true)).2 = true;
                target_items.entry(address).or_default().push(i);
                done.insert(i, command_done());
            }
            (Kind::Unmanaged { .. }, Action::Revert) => {
                match revert::delete_command(&item.rtype, &item.id, item.region.as_deref()) {
                    Some(c) => {
                        cli_commands.push((i, c));
                        let mut d = command_done();
                        if item.rtype == "aws_s3_bucket" {
                            d.notes.push(format!(
                                "a bucket must be empty to be deleted: aws s3 rm s3://{} --recursive",
                                item.id
                            ));
                        }
                        done.insert(i, d);
                    }
                    None => {
                        done.insert(
                            i,
                            Done::fixed(Fixed::new(
                                format!(
                                    "delete {} {} by hand (Plumb has no command for this type)",
                                    item.rtype, item.id
                                ),
                                None,
                            )),
                        );
                    }
                }
            }
            (Kind::Unmanaged { live }, Action::Adopt) => {
                let Some(live) = live else {
                    done.insert(
                        i,
                        Done::fixed(Fixed::new(
                            "the report has no live attributes for it (scan with this plumb version, or pass --state to scan afresh)",
                            None,
                        )),
                    );
                    continue;
                };
                match import::unmanaged(&item.rtype, &item.id, live, &default_tags, &mut taken) {
                    Ok(g) => imports.push((i, g)),
                    Err(f) => {
                        done.insert(i, Done::fixed(f));
                    }
                }
            }
            (Kind::Missing, Action::Adopt) => {
                let d = match remove_missing(code, req.evaluated, &address, &mut edits) {
                    Ok(p) => Done::patched(&p),
                    Err(f) => Done::fixed(f),
                };
                done.insert(i, d);
            }
            (Kind::Change { path, .. }, Action::Adopt) => {
                let grouped = group_of(code, req.evaluated, item, path);
                match grouped {
                    Ok(g) => groups.entry(g.unwrap_or(Group::Single(i))).or_default().push(i),
                    Err(f) => {
                        done.insert(i, Done::fixed(f));
                    }
                }
            }
        }
    }

    // Adopted changes, group by group.
    for (group, members) in &groups {
        let result = match group {
            Group::Single(i) => adopt_one(&adopter, req, *i, &mut taken),
            Group::Map { address, attr, .. } => adopt_map(&adopter, req, address, attr, members),
            Group::NewBlock { address, ident, .. } => adopt_new_block(&adopter, req, address, ident, members),
        };
        let d = match result {
            Ok(Adopted::Patch(p)) => match commit(code, &mut edits, &p) {
                Ok(()) => Done::patched(&p),
                Err(f) => Done::fixed(f),
            },
            Ok(Adopted::Import(g)) => {
                for m in members {
                    imports.push((*m, g.clone()));
                }
                continue;
            }
            Err(f) => Done::fixed(f),
        };
        for m in members {
            done.insert(*m, Done { ..clone_done(&d) });
        }
    }

    // Generated blocks, in one new (or extended) file.
    if !imports.is_empty() {
        let existing = code.files.iter().find(|f| f.rel == req.import_file);
        let original = existing.map(|f| f.text.clone()).unwrap_or_default();
        let mut text = String::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (_, g) in &imports {
            if seen.insert(g.address.clone()) {
                if !text.is_empty() || !original.trim().is_empty() {
                    text.push('\n');
                }
                text.push_str(&g.text);
            }
        }
        let prefix = if !original.is_empty() && !original.ends_with('\n') { "\n" } else { "" };
        let full = format!("{original}{prefix}{text}");
        for (i, g) in &imports {
            let first = g.address.split(',').next().unwrap_or_default();
            let line = full
                .lines()
                .position(|l| l.trim() == format!("to = {first}"))
                .map(|n| n.saturating_sub(1) + 1)
                .unwrap_or(1);
            done.insert(
                *i,
                Done {
                    outcome: Outcome::Patched,
                    places: vec![format!("{}:{line}", req.import_file)],
                    commands: vec![],
                    reason: None,
                    place: None,
                    notes: g.notes.clone(),
                },
            );
        }
        let at = original.len();
        let _ = edits.add(
            req.import_file,
            &original,
            existing.is_none(),
            vec![Edit { range: at..at, text: format!("{prefix}{text}") }],
        );
    }

    // Revert commands: Terraform's first, then the AWS CLI's.
    let mut risks = Vec::new();
    if !targets.is_empty() {
        let mut by_risk: BTreeMap<String, Risk> = BTreeMap::new();
        for (address, (rtype, paths, create)) in &targets {
            let r = if *create { Risk::Create } else { revert::risk(rtype, paths) };
            risks.push(format!("{address}: {}", r.text()));
            by_risk.insert(address.clone(), r);
        }
        let first = commands.len();
        commands.extend(revert::terraform(&by_risk));
        for (address, members) in &target_items {
            let risk = by_risk.get(address).cloned();
            for m in members {
                if let Some(d) = done.get_mut(m) {
                    d.commands = (first..commands.len()).collect();
                    if let Some(Risk::Replace(attrs)) = &risk {
                        d.notes
                            .push(format!("reverting replaces {address}: {} forces a new resource", attrs.join(", ")));
                    }
                }
            }
        }
    }
    for (i, c) in cli_commands {
        let k = match commands.iter().position(|x| x == &c) {
            Some(k) => k,
            None => {
                commands.push(c);
                commands.len() - 1
            }
        };
        if let Some(d) = done.get_mut(&i) {
            d.commands.push(k);
        }
    }

    let items: Vec<ItemReport> = req
        .items
        .iter()
        .zip(req.decisions)
        .enumerate()
        .map(|(i, (item, decision))| {
            let d = done.remove(&i).unwrap_or_else(|| Done::fixed(Fixed::new("not handled", None)));
            let (path, state, live) = match &item.kind {
                Kind::Change { path, state, live, .. } => (Some(path.clone()), Some(state.clone()), Some(live.clone())),
                _ => (None, None, None),
            };
            ItemReport {
                item: item.subject(),
                status: item.status(),
                address: item.address.clone(),
                rtype: item.rtype.clone(),
                id: item.id.clone(),
                path,
                state,
                live,
                action: decision.action.or(decision.refused.as_ref().map(|_| Action::Adopt)),
                chosen_by: decision.why.clone(),
                outcome: d.outcome,
                places: d.places,
                commands: d.commands,
                reason: d.reason,
                place: d.place,
                notes: d.notes,
                findings: item.findings.clone(),
                attribution: item.attribution.clone(),
            }
        })
        .collect();
    let files: Vec<String> = edits.results().keys().cloned().collect();
    let mut summary = Summary {
        schema_version: 1,
        complete: req.complete,
        counts: Default::default(),
        items,
        commands,
        risks,
        files,
        findings: Vec::new(),
    };
    summary.count();
    FixResult { edits, summary }
}

fn command_done() -> Done {
    Done { outcome: Outcome::Command, places: vec![], commands: vec![], reason: None, place: None, notes: vec![] }
}

fn clone_done(d: &Done) -> Done {
    Done {
        outcome: d.outcome,
        places: d.places.clone(),
        commands: d.commands.clone(),
        reason: d.reason.clone(),
        place: d.place.clone(),
        notes: d.notes.clone(),
    }
}

/// Queue a patch's edits, all or none; the edited files must still parse.
pub fn commit(code: &Code, edits: &mut Edits, p: &Patch) -> Result<(), Fixed> {
    let mut by_file: BTreeMap<usize, Vec<Edit>> = BTreeMap::new();
    for (f, e) in &p.edits {
        by_file.entry(*f).or_default().push(e.clone());
    }
    let mut trial = edits.clone();
    for (f, es) in by_file {
        let rel = code.rel(f).to_string();
        // An identical edit already queued (two items wanting the same line) is done.
        let queued = trial.files.get(&rel).map(|q| q.edits.clone()).unwrap_or_default();
        let es: Vec<Edit> = es.into_iter().filter(|e| !queued.contains(e)).collect();
        trial.add(&rel, code.text(f), false, es).map_err(|o| {
            Fixed::new(format!("another item already changes this code in {}", o.file), p.places.first().cloned())
        })?;
        if let Some(fe) = trial.files.get(&rel) {
            let new = hcl_edit::apply(&fe.original, &fe.edits);
            if let Err(e) = hcl::edit::parser::parse_body(&new) {
                return Err(Fixed::new(
                    format!("the edit would not parse ({}): change it by hand", e.message()),
                    p.places.first().cloned(),
                ));
            }
        }
    }
    *edits = trial;
    Ok(())
}

enum Adopted {
    Patch(Patch),
    Import(import::Generated),
}

/// The group an adopted change belongs to, when it edits an expression other items edit too.
fn group_of(code: &Code, evaluated: &Evaluated, item: &Item, path: &str) -> Result<Option<Group>, Fixed> {
    let address = item.address.clone().unwrap_or_default();
    let loc = locate(code, &address, instances(evaluated, &address))?;
    let schema = crate::schema::resource(&item.rtype);
    Ok(match land(code, loc.block, schema, &parse_path(path))? {
        Landing::MapKey { block, attr, .. } => {
            Some(Group::Map { address, block_at: (block.file, block.span.start), attr })
        }
        Landing::NewBlock { block, ident, .. } => {
            Some(Group::NewBlock { address, block_at: (block.file, block.span.start), ident })
        }
        _ => None,
    })
}

fn adopt_one(adopter: &Adopter, req: &Request, i: usize, taken: &mut BTreeSet<String>) -> Result<Adopted, Fixed> {
    let item = &req.items[i];
    let Kind::Change { path, live, added, removed, .. } = &item.kind else {
        return Err(Fixed::new("not a change", None));
    };
    let address = item.address.clone().unwrap_or_default();
    let code = adopter.code;
    let loc = locate(code, &address, instances(req.evaluated, &address))?;
    let schema = crate::schema::resource(&item.rtype);
    match land(code, loc.block, schema, &parse_path(path))? {
        Landing::Attr { block, key, .. } => Ok(Adopted::Patch(adopter.set_attr(&loc, block, &key, live)?)),
        Landing::Blocks { block, ident, schema } => {
            let sg = is_sg_rules(&item.rtype, &ident);
            let added = added.clone().unwrap_or_default();
            let removed = removed.clone().unwrap_or_default();
            if sg && !authoritative(block, &ident) {
                // The group's rules are separate resources: a rule added by hand becomes one.
                if !removed.is_empty() {
                    return Err(Fixed::new(
                        "rules managed by separate resources disappeared: their resources are reported missing",
                        Some(code.place(block.file, block.span.start)),
                    ));
                }
                let mut texts = Vec::new();
                let mut addresses = Vec::new();
                let mut notes = Vec::new();
                for a in &added {
                    let g = import::sg_rule(&loc, &item.id, &ident, a, taken)?;
                    addresses.push(g.address.clone());
                    texts.push(g.text);
                    notes.extend(g.notes);
                }
                notes.push(format!("the group's rules are separate resources: imported as {}", addresses.join(", ")));
                return Ok(Adopted::Import(import::Generated {
                    address: addresses.join(","),
                    text: texts.join("\n"),
                    notes,
                }));
            }
            let evaluated = req.evaluated.get(&address).and_then(|a| a.get(&ident)).and_then(Value::as_list);
            let evaluated = if std::ptr::eq(block, loc.block) { evaluated } else { None };
            Ok(Adopted::Patch(adopter.blocks(&loc, block, &ident, schema, evaluated, &added, &removed, sg)?))
        }
        Landing::MapKey { .. } | Landing::NewBlock { .. } => Err(Fixed::new("grouped change handled alone", None)),
    }
}

fn adopt_map(adopter: &Adopter, req: &Request, address: &str, attr: &str, members: &[usize]) -> Result<Adopted, Fixed> {
    let code = adopter.code;
    let loc = locate(code, address, instances(req.evaluated, address))?;
    let mut keys: BTreeMap<String, Option<Value>> = BTreeMap::new();
    let mut block = None;
    for m in members {
        let item = &req.items[*m];
        let Kind::Change { path, live, .. } = &item.kind else { continue };
        let schema = crate::schema::resource(&item.rtype);
        if let Landing::MapKey { block: b, key, .. } = land(code, loc.block, schema, &parse_path(path))? {
            block = Some(b);
            keys.insert(key, (!live.is_null()).then(|| live.clone()));
        }
    }
    let block = block.ok_or_else(|| Fixed::new("no map to edit", None))?;
    Ok(Adopted::Patch(adopter.map_keys(&loc, block, attr, &keys)?))
}

fn adopt_new_block(
    adopter: &Adopter,
    req: &Request,
    address: &str,
    ident: &str,
    members: &[usize],
) -> Result<Adopted, Fixed> {
    let code = adopter.code;
    let loc = locate(code, address, instances(req.evaluated, address))?;
    loc.shared_literal(code, ident)?;
    let mut attrs: BTreeMap<String, Value> = BTreeMap::new();
    let mut target = None;
    for m in members {
        let item = &req.items[*m];
        let Kind::Change { path, live, .. } = &item.kind else { continue };
        let schema = crate::schema::resource(&item.rtype);
        if let Landing::NewBlock { block, schema, key, .. } = land(code, loc.block, schema, &parse_path(path))? {
            target = Some((block, schema));
            attrs.insert(key, live.clone());
        }
    }
    let (block, schema) = target.ok_or_else(|| Fixed::new("no block to add", None))?;
    let text = code.text(block.file);
    let indent = adopt::indent_at(text, block.span.start) + 2;
    let mut omitted = render::Omitted::default();
    let body = render::body_lines(&attrs, schema, render::Keep::Element, &[], indent + 2, ident, &mut omitted);
    let rendered = render::block_text(ident, &[], &body, indent);
    let mut p = Patch::default();
    let edit = adopt::insert_block_text(text, block, None, &rendered);
    p.places.push(code.place(block.file, edit.range.start));
    p.edits.push((block.file, edit));
    Ok(Adopted::Patch(p))
}

fn is_sg_rules(rtype: &str, ident: &str) -> bool {
    matches!(rtype, "aws_security_group" | "aws_default_security_group") && matches!(ident, "ingress" | "egress")
}

/// The code writes the group's rules inline (Terraform then owns them all).
fn authoritative(block: &code::BlockNode, ident: &str) -> bool {
    block.attr(ident).is_some() || block.blocks_named(ident).next().is_some() || block.has_dynamic(ident)
}

/// For a security group whose rules the code keeps in separate resources, the AWS CLI
/// commands revoking the rules added by hand; `None` for anything else.
fn non_authoritative_revoke(code: &Code, evaluated: &Evaluated, item: &Item) -> Option<Result<Vec<String>, Fixed>> {
    let Kind::Change { path, added, removed, .. } = &item.kind else { return None };
    if !is_sg_rules(&item.rtype, path) {
        return None;
    }
    let address = item.address.clone()?;
    let loc = locate(code, &address, instances(evaluated, &address)).ok()?;
    if authoritative(loc.block, path) {
        return None;
    }
    if removed.as_ref().is_some_and(|r| !r.is_empty()) {
        return Some(Err(Fixed::new(
            "rules managed by separate resources disappeared: their resources are reported missing",
            None,
        )));
    }
    let mut out = Vec::new();
    for a in added.iter().flatten() {
        match revert::revoke_command(&item.id, path, a, item.region.as_deref()) {
            Some(c) => out.push(c),
            None => {
                return Some(Err(Fixed::new("revoke this rule by hand: its source is not one Plumb can name", None)));
            }
        }
    }
    Some(Ok(out))
}

/// Retire a resource whose object is gone: its block becomes a `removed` block (Terraform
/// 1.7+), provided nothing else in the module refers to it.
fn remove_missing(code: &Code, evaluated: &Evaluated, address: &str, edits: &mut Edits) -> Result<Patch, Fixed> {
    let loc = locate(code, address, instances(evaluated, address))?;
    let place = Some(loc.place(code));
    if loc.block.is_repeated() || loc.instances > 1 || loc.chain.iter().any(|(_, c)| c.block.is_repeated()) {
        return Err(Fixed::new(
            "one instance of a repeated block (count/for_each): remove its key from the collection instead",
            place,
        ));
    }
    let reference = format!("{}.{}", loc.address.rtype, loc.address.name);
    let mut refs = Vec::new();
    for &f in &loc.module.files {
        for (at, _) in code::code_matches(code.text(f), &reference) {
            let inside = f == loc.block.file && loc.block.span.contains(&at);
            if !inside {
                refs.push(code.place(f, at));
            }
        }
    }
    if !refs.is_empty() {
        return Err(Fixed::new(
            format!("the code still refers to it ({}): remove those references first", refs.join(", ")),
            place,
        ));
    }
    let text = code.text(loc.block.file);
    let indent = adopt::indent_at(text, loc.block.span.start);
    let mut p = Patch::default();
    let from = reference;
    p.edits.push((
        loc.block.file,
        Edit { range: loc.block.span.clone(), text: import::removed_block(&from, indent).trim_start().to_string() },
    ));
    p.places.push(code.place(loc.block.file, loc.block.span.start));
    p.notes.push("the resource block became a `removed` block (destroy = false): Terraform forgets it without destroying anything".into());
    commit(code, edits, &p)?;
    Ok(p)
}
