//! `plumb generate completions SHELL|man --out-dir DIR` (hidden): shell completions and man
//! pages generated from the clap definition, so they never disagree with `--help`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::Cli;

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    #[command(subcommand)]
    pub what: GenerateCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum GenerateCommand {
    /// A completion script for the shell, on standard output.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Man pages: plumb.1 and plumb-<command>.1 for each command, into a directory.
    Man {
        #[arg(long, default_value = ".", value_name = "DIR")]
        out_dir: PathBuf,
    },
}

pub fn run(args: GenerateArgs) -> anyhow::Result<u8> {
    match args.what {
        GenerateCommand::Completions { shell } => {
            let mut cmd = visible_command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "plumb", &mut out);
            crate::report::write_out(&String::from_utf8_lossy(&out), None)?;
        }
        GenerateCommand::Man { out_dir } => {
            let written = man_pages(&out_dir)?;
            eprintln!("plumb: wrote {} man pages to {}", written.len(), out_dir.display());
        }
    }
    Ok(0)
}

/// The command line without its hidden commands (completion generators offer them otherwise).
fn visible_command() -> clap::Command {
    let full = Cli::command();
    let visible: Vec<clap::Command> = full.get_subcommands().filter(|s| !s.is_hide_set()).cloned().collect();
    let mut cmd = clap::Command::new("plumb").version(crate::VERSION).subcommands(visible);
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    for arg in full.get_arguments() {
        cmd = cmd.arg(arg.clone());
    }
    cmd
}

/// Write `plumb.1` and `plumb-<command>.1` for every visible command; returns the file names.
pub fn man_pages(dir: &Path) -> anyhow::Result<Vec<String>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut cmd = visible_command();
    cmd.build();
    let mut pages = vec![("plumb".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        // After `build`, a subcommand's display name is `plumb-<command>` and its bin name
        // `plumb <command>`: the page's title and synopsis.
        let name = sub.get_display_name().map(str::to_string).unwrap_or_else(|| format!("plumb-{}", sub.get_name()));
        pages.push((name, sub.clone().version(crate::VERSION)));
    }
    let mut written = Vec::new();
    for (name, page) in pages {
        let mut buf = Vec::new();
        clap_mangen::Man::new(page).render(&mut buf).with_context(|| format!("rendering {name}.1"))?;
        let file = dir.join(format!("{name}.1"));
        std::fs::write(&file, buf).with_context(|| format!("writing {}", file.display()))?;
        written.push(format!("{name}.1"));
    }
    Ok(written)
}
