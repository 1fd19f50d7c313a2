//! `plumb fix` command-line arguments (flattened into the CLI by `src/cli.rs`).

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct FixArgs {
    /// The Terraform code to patch: the root module directory (its local modules are followed).
    #[arg(long, value_name = "DIR")]
    pub code: PathBuf,
    /// What `plumb scan --format json` wrote. Or scan afresh with `--state`.
    #[arg(long, value_name = "scan.json", conflicts_with = "states")]
    pub report: Option<PathBuf>,
    /// Scan afresh: the state(s) to compare with live AWS, as for `plumb scan`.
    #[arg(long = "state", value_name = "PATH|GLOB|s3://bucket/key")]
    pub states: Vec<String>,
    /// Region(s) to read (fresh scan).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// AWS endpoint (an emulator), as for `plumb scan`.
    #[arg(long, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Name who made each change (fresh scan): a CloudTrail folder, `s3://bucket/prefix` or `lookup`.
    #[arg(long, value_name = "DIR|s3://bucket/prefix|lookup")]
    pub cloudtrail: Option<String>,
    /// How far back to read CloudTrail (fresh scan), as for `plumb scan`.
    #[arg(long, value_name = "DURATION|DATE", requires = "cloudtrail")]
    pub since: Option<String>,
    /// Keep the out-of-band value: `all`, an address, `ADDRESS.PATH` (`aws_s3_bucket.data.tags`),
    /// a glob, or `TYPE:ID` for an unmanaged resource. Repeatable; the most specific selector wins.
    #[arg(long, value_name = "all|ADDRESS[.PATH]|TYPE:ID")]
    pub adopt: Vec<String>,
    /// Keep the code's value (Terraform restores it): same selectors as `--adopt`.
    #[arg(long, value_name = "all|ADDRESS[.PATH]|TYPE:ID")]
    pub revert: Vec<String>,
    /// Adopt values a hardening rule has a finding on (refused otherwise).
    #[arg(long)]
    pub force: bool,
    /// The default choice per item when no selector makes it (see docs/fix.md); default: adopt
    /// tags and descriptions, revert the rest, import what was made by hand, recreate what is missing.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Also fix the code's hardening findings with the rules' machine-readable remediations.
    #[arg(long)]
    pub findings: bool,
    /// Edit the files in place (and write the generated import file) instead of printing a patch.
    #[arg(long)]
    pub apply: bool,
    /// Write the patch (unified diff, `git apply` from the code directory) to this file.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The summary's format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: SummaryFormat,
    /// Where generated `import` and `resource` blocks go, relative to the code directory.
    #[arg(long, value_name = "FILE", default_value = super::IMPORT_FILE)]
    pub import_file: String,
    /// Never ask, even on a terminal: the policy decides what no selector does.
    #[arg(long)]
    pub no_interactive: bool,
    /// A variable value, as Terraform's `-var` (repeatable); its definition is then not edited.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// A variables file, as Terraform's `-var-file` (repeatable): a variable it sets is changed there.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Team rules in addition to the baseline (for findings and `--findings`).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Waivers: a waived finding neither blocks adopting its value nor is fixed by `--findings`.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
}
