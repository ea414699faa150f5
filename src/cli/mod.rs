//! The command line: `diagnose`, `rules`, `parse`. Exit codes: 0 the analysis ran and no cause is confirmed or
//! likely; 1 at least one is; 2 usage error or nothing could be read. A broken pipe is not an error.

mod batch;
mod diagnose;
mod merge;
mod parse;
mod rules;

use crate::render::style::ColorChoice;
use crate::render::Format;
use clap::{Parser, Subcommand};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "owa440",
    version,
    about = "Finds why Outlook Web Access answers \"440 Login Timeout\", from files collected on the Client Access server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diagnose a bundle: a folder (walked recursively) or a .zip.
    Diagnose {
        /// The bundle: a folder or a .zip.
        bundle: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[arg(long, value_enum, default_value = "auto")]
        color: ColorChoice,
    },
    /// List every cause: its id, what it looks for, the inputs it needs and its procedure.
    Rules {
        #[arg(long, value_enum, default_value = "table")]
        format: RulesFormat,
    },
    /// Diagnose many cases: every subfolder or .zip directly under DIR (or the cases listed in --cases).
    Batch(batch::BatchArgs),
    /// Join the results files of several batch shards into one summary.
    Merge {
        /// Results files written by `batch --out`.
        #[arg(required = true)]
        results: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "auto")]
        color: ColorChoice,
    },
    /// Show what a reader makes of one file (kind, facts, errors).
    Parse {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "json")]
        format: ParseFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ParseFormat {
    Json,
    Jsonl,
}

/// The outcome of a command: its exit code, or an error for stderr (exit 2).
pub type Outcome = Result<i32, String>;

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    crate::panic_message::install_quiet_hook();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let stdout = io::stdout();
    let is_terminal = stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = run(cli.command, &mut out, is_terminal).and_then(|code| match out.flush() {
        Ok(()) => Ok(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(format!("cannot write the output: {e}")),
    });
    match result {
        Ok(code) => code,
        Err(msg) => {
            let _ = writeln!(io::stderr(), "owa440: {msg}");
            2
        }
    }
}

/// Runs one command, writing to `out`.
pub fn run(command: Command, out: &mut dyn Write, is_terminal: bool) -> Outcome {
    match command {
        Command::Diagnose { bundle, format, color } => diagnose::run(&bundle, format, color, out, is_terminal),
        Command::Rules { format } => rules::run(format, out),
        Command::Batch(args) => batch::run(args, out, is_terminal),
        Command::Merge { results, color } => merge::run(&results, color, out, is_terminal),
        Command::Parse { file, format } => parse::run(&file, format, out),
    }
}

/// Maps a write error: a broken pipe ends the output quietly with the command's own exit code.
pub(crate) fn written(r: io::Result<()>, code: i32) -> Outcome {
    match r {
        Ok(()) => Ok(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(format!("cannot write the output: {e}")),
    }
}
