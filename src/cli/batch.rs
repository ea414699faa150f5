//! `owa440 batch DIR`: many cases in parallel, results as JSON lines, resumable, shardable, `--expect` for CI.
//!
//! Exit codes: 0 every case was analysed (and, with `--expect`, matched its expectation); 1 a case failed or a
//! mismatch was found; 2 usage error. A positive diagnosis is a result, not a failure.

use super::{written, Outcome};
use crate::batch::{self, run, summary, Shard};
use crate::render::style::{ColorChoice, Style};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// A folder whose subfolders and .zip files are the cases.
    #[arg(required_unless_present = "cases")]
    pub dir: Option<PathBuf>,
    /// A file listing case paths, one per line, instead of DIR.
    #[arg(long, conflicts_with = "dir")]
    pub cases: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub jobs: usize,
    /// Write one JSON line per case here, as each case finishes.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Skip the cases already in --out and append the rest.
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Take only the K-th of N deterministic partitions of the cases (K from 1 to N).
    #[arg(long)]
    pub shard: Option<Shard>,
    /// Compare each case with its expected diagnosis (CASE/expected.json or NAME.expected.json beside NAME.zip).
    #[arg(long)]
    pub expect: bool,
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(args: BatchArgs, out: &mut dyn Write, is_terminal: bool) -> Outcome {
    let mut cases = match (&args.dir, &args.cases) {
        (_, Some(list)) => batch::cases::read_case_list(list).map_err(|e| format!("{}: {e}", list.display()))?,
        (Some(dir), None) => batch::list_cases(dir).map_err(|e| format!("{}: {e}", dir.display()))?,
        (None, None) => return Err("give a folder of cases or --cases FILE".into()),
    };
    if let Some(shard) = args.shard {
        cases.retain(|c| shard.takes(&c.id));
    }
    let opts = run::Options {
        jobs: args.jobs,
        out: args.out.clone(),
        resume: args.resume,
        expect: args.expect,
        progress: std::io::stderr().is_terminal(),
    };
    let outcome = run::run(&cases, &opts)?;
    let failed = run::failed(&outcome.rows);
    let r = summary::write(
        out,
        &outcome.rows,
        Style::resolve(args.color, is_terminal),
        outcome.resumed,
    );
    written(r, if failed > 0 { 1 } else { 0 })
}
