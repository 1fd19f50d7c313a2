//! `plumb fix` from parsed arguments to a patch and a summary. `app::fix` runs the scan
//! first when there is no report, and maps the outcome to the exit code:
//! 0 every item patched or restored by a command (or nothing to do), 1 some item left
//! unpatched (refused, or code Plumb cannot edit: the summary says where to change it),
//! 2 bad input, or a report of an incomplete scan (what it could not read is not fixed).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;

use super::args::{FixArgs, SummaryFormat};
use super::code::Code;
use super::input::ScanInput;
use super::plan::{self, Choices, Judges};
use super::policy::Policy;
use super::summary::Outcome;
use super::{Evaluated, Request};
use crate::rules::{RuleMeta, View};

/// Why `plumb fix` stopped before writing anything.
#[derive(Debug)]
pub enum RunError {
    /// Bad input (exit 2), printed as a diagnostic.
    Input(miette::Report),
    /// Reading or writing failed (exit 2).
    Io(anyhow::Error),
}

impl From<anyhow::Error> for RunError {
    fn from(e: anyhow::Error) -> Self {
        RunError::Io(e)
    }
}

/// Run `plumb fix` on a report (`None` with `--findings` alone).
pub fn run(
    args: &FixArgs,
    report: Option<(String, String)>,
    rules: &crate::rules::policy::Policy,
) -> Result<u8, RunError> {
    let input_err = |e: crate::source::hcl::HclError| RunError::Input(miette::Report::new(e));
    if !args.code.is_dir() {
        return Err(RunError::Input(miette::miette!("--code {}: not a directory", args.code.display())));
    }
    if report.is_none() && !args.findings {
        return Err(RunError::Input(miette::miette!(
            help = "plumb fix --report scan.json --code DIR, or plumb fix --state terraform.tfstate --code DIR",
            "nothing to fix: give a scan report (--report), a state to scan (--state), or --findings"
        )));
    }
    let policy = match &args.policy {
        Some(p) => Policy::load(p).map_err(|e| RunError::Input(miette::Report::new(e)))?,
        None => Policy::default(),
    };
    let input = match &report {
        Some((name, text)) => Some(ScanInput::parse(name, text).map_err(|e| RunError::Input(miette::Report::new(e)))?),
        None => None,
    };
    let code = Code::load(&args.code, &args.var_files).map_err(input_err)?;
    let inputs = crate::source::hcl::Inputs {
        vars: args.vars.clone(),
        var_files: args.var_files.clone(),
        env: crate::source::hcl::Inputs::env_vars(),
    };
    let config = crate::source::hcl::load(&args.code, &inputs).map_err(input_err)?;
    let evaluated: Evaluated =
        config.resources.iter().filter_map(|r| Some((r.address.clone()?, r.attributes.clone()))).collect();
    let metas: BTreeMap<String, RuleMeta> =
        rules.rules.rules().iter().map(|r| (r.meta.id.clone(), r.meta.clone())).collect();
    let judges: Judges = metas.iter().map(|(id, m)| (id.clone(), m.fix.as_ref().map(|f| f.judged_paths()))).collect();

    let items = input.as_ref().map(|i| plan::items(i, &judges)).unwrap_or_default();
    let choices = Choices { adopt: args.adopt.clone(), revert: args.revert.clone(), force: args.force };
    let mut decisions: Vec<_> = items.iter().map(|i| plan::decide(i, &choices, &policy)).collect();
    let interactive = !args.no_interactive
        && choices.adopt.is_empty()
        && choices.revert.is_empty()
        && !items.is_empty()
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal();
    if interactive {
        let stdin = std::io::stdin();
        let mut lock = stdin.lock();
        super::interactive::review(&items, &mut decisions, args.force, &mut lock, &mut std::io::stderr())
            .context("reading the review's answers")?;
    }
    let complete = input.as_ref().is_none_or(|i| i.complete);
    let mut result = super::run(&Request {
        code: &code,
        evaluated: &evaluated,
        items: &items,
        decisions: &decisions,
        complete,
        import_file: &args.import_file,
    });

    if args.findings {
        let set = rules.rules.clone().filter(|r| !r.meta.live_only);
        let (mut findings, errors) = crate::rules::evaluate_checked(&set, &config.resources, View::Config);
        for e in &errors {
            eprintln!("plumb: {e}");
        }
        rules.judge(&mut findings, crate::rules::policy::today());
        findings.sort_by(|a, b| (&a.rule_id, &a.address).cmp(&(&b.rule_id, &b.address)));
        result.summary.findings = super::findings::fix_all(&code, &evaluated, &findings, &metas, &mut result.edits);
        result.summary.files = result.edits.results().keys().cloned().collect();
        result.summary.count();
    }

    let patch = result.patch();
    let summary = match args.format {
        SummaryFormat::Text => result.summary.text(),
        SummaryFormat::Json => result.summary.json(),
    };
    if args.apply {
        write_files(&args.code, &result.edits)?;
    }
    if let Some(out) = &args.output {
        std::fs::write(out, &patch).with_context(|| format!("writing {}", out.display()))?;
    }
    if args.apply || args.output.is_some() {
        crate::report::write_out(&summary, None)?;
    } else {
        crate::report::write_out(&patch, None)?;
        eprint!("{summary}");
    }
    let unpatched = result.summary.items.iter().any(|i| i.outcome == Outcome::NotPatched)
        || result.summary.findings.iter().any(|f| f.outcome == Outcome::NotPatched);
    Ok(if !complete { 2 } else { u8::from(unpatched) })
}

/// Write every edited file (creating new ones) under the code directory.
fn write_files(dir: &Path, edits: &super::hcl_edit::Edits) -> anyhow::Result<()> {
    for (rel, (_, new, _)) in edits.results() {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, new).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
