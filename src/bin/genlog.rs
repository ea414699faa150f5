//! `genlog`: writes a synthetic Exchange 2007 Client Access W3C log to stdout, deterministic from its seed
//! (see `owa440::logsynth`). Used by `benches/logs_throughput.sh`.
//!
//! `genlog --size 500M [--seed 1] [--fault 1326|1385|1329|401.2|404] [--fault-from 0.5] [--restart-every 64M]
//! [--default-fields]`

use clap::Parser;
use owa440::logsynth::{generate, Config, Fault};
use std::io::{self, BufWriter, Write};

#[derive(Parser)]
#[command(
    name = "genlog",
    about = "Writes a synthetic Exchange Client Access W3C log to stdout"
)]
struct Args {
    /// Approximate size: bytes, or with K, M or G.
    #[arg(long, default_value = "10M")]
    size: String,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Inject a fault signature: 1326, 1385, 1329, 401.2, or 404 (a missing exchweb virtual directory).
    #[arg(long)]
    fault: Option<String>,
    /// Where the fault starts, as a fraction of the log.
    #[arg(long, default_value_t = 0.5)]
    fault_from: f64,
    /// A new header block (service restart) every this many bytes.
    #[arg(long, default_value = "64M")]
    restart_every: String,
    /// Every header block with the IIS 7 default fields (what GoAccess's --log-format=W3C reads), instead of
    /// alternating two field lists.
    #[arg(long)]
    default_fields: bool,
    /// The s-computername.
    #[arg(long, default_value = "CAS01")]
    server: String,
}

fn bytes(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&s[..s.len() - 1], 1u64 << 10),
        Some('M') => (&s[..s.len() - 1], 1 << 20),
        Some('G') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>()
        .map(|n| n * mult)
        .map_err(|_| format!("not a size: {s}"))
}

fn main() {
    let a = Args::parse();
    let run = || -> Result<(), String> {
        let fault = match a.fault.as_deref() {
            Some(f) => {
                Some(Fault::parse(f).ok_or_else(|| format!("unknown fault {f}: use 1326, 1385, 1329, 401.2 or 404"))?)
            }
            None => None,
        };
        let cfg = Config {
            size: bytes(&a.size)?,
            seed: a.seed,
            fault,
            fault_from: a.fault_from,
            restart_every: bytes(&a.restart_every)?.max(1),
            server: a.server.clone(),
            mixed_layouts: !a.default_fields,
            ..Config::default()
        };
        let stdout = io::stdout();
        let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
        generate(&cfg, &mut out)
            .and_then(|_| out.flush())
            .map_err(|e| e.to_string())
    };
    if let Err(e) = run() {
        eprintln!("genlog: {e}");
        std::process::exit(2);
    }
}
