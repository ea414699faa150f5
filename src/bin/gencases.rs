//! `gencases`: writes synthetic customer bundles, one folder per case, deterministic from the seed (see
//! `owa440::casesynth`). Used by `benches/batch_throughput.sh`.
//!
//! `gencases --cases 1000 --out DIR [--log-bytes 1000000] [--seed 1]`

use clap::Parser;
use owa440::casesynth;
use rayon::prelude::*;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "gencases",
    about = "Writes synthetic Exchange Client Access case bundles, one folder per case"
)]
struct Args {
    /// How many cases.
    #[arg(long, default_value_t = 1000)]
    cases: u64,
    /// The folder to write them in (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Bytes of W3C log per case.
    #[arg(long, default_value_t = 1_000_000)]
    log_bytes: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() {
    let a = Args::parse();
    if let Err(e) = std::fs::create_dir_all(&a.out) {
        eprintln!("gencases: {}: {e}", a.out.display());
        std::process::exit(2);
    }
    let failed = (0..a.cases).into_par_iter().find_map_any(|i| {
        let case = casesynth::case(a.seed, i);
        casesynth::write(&case, &a.out, a.log_bytes)
            .err()
            .map(|e| format!("{}: {e}", a.out.join(&case.id).display()))
    });
    if let Some(e) = failed {
        eprintln!("gencases: {e}");
        std::process::exit(2);
    }
}
