//! `lifecycle { ignore_changes = [...] }`: what the code says Terraform should not manage
//! after creation. `plumb scan --code DIR` reports changes to these attributes as ignored,
//! not as drift, as `terraform plan` does.
//!
//! Read from the declarations, without evaluating `count` / `for_each`: a decision holds
//! for every instance of a block, so it is keyed by the block's address without instance
//! keys (`module.eks.aws_eks_node_group.this`). Local modules are followed; modules from a
//! registry or git are not (their decisions are not seen: a note says so).

use std::path::Path;

use super::{HclError, Loader, Module};

/// The attributes one resource block ignores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreChanges {
    /// The block's address without instance keys.
    pub address: String,
    /// Attribute paths (`tags`, `scaling_config[0].desired_size`, `tags.Owner`); `["*"]`
    /// for `ignore_changes = all`.
    pub paths: Vec<String>,
    /// File (relative to the code directory) and line of the resource block.
    pub file: String,
    pub line: u32,
}

/// Every `ignore_changes` in the code under `dir`, with notes on what was not read.
pub fn ignore_changes(dir: &Path) -> Result<(Vec<IgnoreChanges>, Vec<String>), HclError> {
    let loader = Loader::new(dir);
    let root = loader.module("")?;
    let mut out = Vec::new();
    walk(&loader, &root, "", "", &mut out, 0)?;
    out.sort_by(|a, b| a.address.cmp(&b.address));
    let notes = loader.notes.borrow().iter().cloned().collect();
    Ok((out, notes))
}

/// Module nesting deeper than this is a cycle (a module calling itself).
const MAX_DEPTH: usize = 32;

fn walk(
    loader: &Loader,
    module: &Module,
    prefix: &str,
    key: &str,
    out: &mut Vec<IgnoreChanges>,
    depth: usize,
) -> Result<(), HclError> {
    for ((rtype, name), decl) in &module.resources {
        for lifecycle in decl.item.blocks().filter(|b| b.identifier() == "lifecycle") {
            let Some(attr) = lifecycle.body().attributes().find(|a| a.key() == "ignore_changes") else { continue };
            let (file, line) = loader.line_of(&decl.at);
            let paths = paths(attr.expr());
            if paths.is_empty() {
                continue;
            }
            out.push(IgnoreChanges { address: format!("{prefix}{rtype}.{name}"), paths, file, line });
        }
    }
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    for (name, decl) in &module.modules {
        let source = match decl.item.attributes().find(|a| a.key() == "source").map(|a| a.expr()) {
            Some(hcl::Expression::String(s)) => s.clone(),
            _ => String::new(),
        };
        let child_key = if key.is_empty() { name.clone() } else { format!("{key}.{name}") };
        let dir = match loader.module_source(&child_key, &source, &module.dir) {
            super::ModuleSource::Dir(d) => d,
            super::ModuleSource::NotInstalled => {
                loader.note(format!(
                    "{prefix}module.{name}: source {source:?} is not a local path and not installed \
                     (no .terraform/modules/modules.json entry: run terraform init); its lifecycle.ignore_changes are not read"
                ));
                continue;
            }
        };
        if !loader.root.join(&dir).is_dir() {
            continue;
        }
        let child = loader.module(&dir)?;
        walk(loader, &child, &format!("{prefix}module.{name}."), &child_key, out, depth + 1)?;
    }
    Ok(())
}

/// `[tags, scaling_config[0].desired_size, tags["Owner"]]` as paths; `all` as `["*"]`. The
/// legacy quoted form (`["tags"]`) reads the same.
fn paths(expr: &hcl::Expression) -> Vec<String> {
    match expr {
        hcl::Expression::Variable(v) if v.as_str() == "all" => vec!["*".to_string()],
        hcl::Expression::String(s) if s == "all" || s == "*" => vec!["*".to_string()],
        hcl::Expression::Array(items) => items.iter().filter_map(path).collect(),
        other => path(other).into_iter().collect(),
    }
}

fn path(expr: &hcl::Expression) -> Option<String> {
    use hcl::expr::TraversalOperator as Op;
    match expr {
        hcl::Expression::Variable(v) => Some(v.as_str().to_string()),
        hcl::Expression::String(s) if !s.is_empty() => Some(s.clone()),
        hcl::Expression::Traversal(t) => {
            let mut p = path(&t.expr)?;
            for op in &t.operators {
                match op {
                    Op::GetAttr(id) => {
                        p.push('.');
                        p.push_str(id.as_str());
                    }
                    Op::Index(hcl::Expression::Number(n)) => p.push_str(&format!("[{n}]")),
                    Op::LegacyIndex(n) => p.push_str(&format!("[{n}]")),
                    // A map key: `tags["Owner"]` is the report's `tags.Owner`.
                    Op::Index(hcl::Expression::String(k)) => {
                        p.push('.');
                        p.push_str(k);
                    }
                    Op::AttrSplat | Op::FullSplat => p.push_str("[*]"),
                    Op::Index(_) => return Some(p),
                }
            }
            Some(p)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paths_from_root_and_local_modules() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("main.tf"),
            r#"
resource "aws_eks_node_group" "app" {
  cluster_name = "c"
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size, tags["Owner"], labels]
  }
}
resource "aws_instance" "legacy" {
  lifecycle { ignore_changes = all }
}
module "asg" {
  source = "./modules/asg"
  count  = var.n
}
module "remote" {
  source = "terraform-aws-modules/eks/aws"
}
"#,
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("modules/asg")).unwrap();
        std::fs::write(
            dir.path().join("modules/asg/main.tf"),
            "resource \"aws_autoscaling_group\" \"this\" {\n  lifecycle {\n    ignore_changes = [\"desired_capacity\"]\n  }\n}\n",
        )
        .unwrap();
        let (got, notes) = ignore_changes(dir.path()).unwrap();
        let flat: Vec<(String, Vec<String>)> = got.iter().map(|i| (i.address.clone(), i.paths.clone())).collect();
        assert_eq!(
            flat,
            vec![
                (
                    "aws_eks_node_group.app".into(),
                    vec!["scaling_config[0].desired_size".into(), "tags.Owner".into(), "labels".into()]
                ),
                ("aws_instance.legacy".into(), vec!["*".into()]),
                ("module.asg.aws_autoscaling_group.this".into(), vec!["desired_capacity".into()]),
            ]
        );
        assert_eq!((got[0].file.as_str(), got[0].line), ("main.tf", 2));
        assert!(notes.iter().any(|n| n.contains("module.remote")), "{notes:?}");
    }
}
