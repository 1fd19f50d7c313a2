//! `plumb`: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use plumb::app::{self, Failure};
use plumb::cli::Cli;

fn main() -> ExitCode {
    // Wrapped diagnostics help on a terminal but split file names and messages in CI logs.
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(tty).color(tty).unicode(tty).build())
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version are not errors; usage errors exit 2 (clap's default).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Input(report)) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
        Err(Failure::Operational(err)) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("\nCaused by:\n    {cause}");
            }
            ExitCode::from(2)
        }
    }
}
