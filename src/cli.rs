//! Command-line interface (clap derive). Exit codes: 0 clean, 1 drift, 2 usage error,
//! bad input or an incomplete scan.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(name = "plumb", version, about = "Drift, hardening and attribution for Terraform-managed AWS")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log each AWS API call (service, operation, status, duration) to stderr, and the
    /// number of calls per service at the end.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare Terraform state with live AWS: drifted, missing and unmanaged resources.
    Scan(ScanArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Terraform state to compare: a file, a glob (`envs/*/terraform.tfstate`) or
    /// `s3://bucket/key`. Repeat for several states.
    #[arg(long = "state", value_name = "PATH|GLOB|s3://bucket/key", required = true)]
    pub states: Vec<String>,
    /// Region to read live resources from. Repeat for several; default: the AWS
    /// configuration's region (AWS_REGION, profile).
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Send every AWS call to this endpoint (an emulator); S3 then uses path-style URLs.
    #[arg(long, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Never colour the text report (colour is used only on a terminal anyway).
    #[arg(long)]
    pub no_color: bool,
}
