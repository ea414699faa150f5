//! Running a batch: cases in parallel, each result written as one JSON line the moment it is done.

use super::expect::{self, Expectation};
use super::summary::Row;
use super::{Case, CaseRecord};
use crate::diagnosis;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

/// How to run a batch.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads (0: all cores).
    pub jobs: usize,
    /// The JSONL results file.
    pub out: Option<PathBuf>,
    /// Skip the cases already in `out`, and append.
    pub resume: bool,
    /// Compare each case with its expected diagnosis.
    pub expect: bool,
    /// Draw a progress bar on stderr.
    pub progress: bool,
}

/// What a batch did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// One row per case, this run's and resumed ones, sorted by case id.
    pub rows: Vec<Row>,
    /// Cases skipped because `--resume` found them in the results file.
    pub resumed: usize,
}

/// Runs `cases`; see [`Options`].
pub fn run(cases: &[Case], opts: &Options) -> Result<Outcome, String> {
    let mut rows = Vec::new();
    let mut done = HashSet::new();
    let writer = match &opts.out {
        Some(path) => {
            if opts.resume {
                for_each_record(path, |rec| {
                    done.insert(rec.case().to_string());
                    rows.push(Row::from_record(&rec, None));
                })?;
            }
            Some(Mutex::new(open_out(path, opts.resume)?))
        }
        None => None,
    };
    let resumed = rows.len();
    let todo: Vec<&Case> = cases.iter().filter(|c| !done.contains(&c.id)).collect();
    let bar = progress_bar(opts.progress, todo.len() as u64);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .map_err(|e| format!("cannot start {} worker threads: {e}", opts.jobs))?;
    let write_error = Mutex::new(None::<String>);
    let new_rows: Vec<Row> = pool.install(|| {
        todo.par_iter()
            .with_max_len(1)
            .map(|case| {
                let record = run_case(case);
                if let Some(w) = &writer {
                    let mut w = w.lock().unwrap_or_else(|p| p.into_inner());
                    if let Err(e) = writeln!(w, "{}", record.to_line()).and_then(|_| w.flush()) {
                        write_error
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .get_or_insert(e.to_string());
                    }
                }
                let expectation = opts.expect.then(|| expect::check(case, &record));
                bar.inc(1);
                Row::from_record(&record, expectation)
            })
            .collect()
    });
    bar.finish_and_clear();
    if let Some(e) = write_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(format!("cannot write the results file: {e}"));
    }
    if rows.is_empty() {
        rows = new_rows;
    } else {
        rows.extend(new_rows);
    }
    rows.sort_by(|a, b| a.case.cmp(&b.case));
    Ok(Outcome { rows, resumed })
}

/// Diagnoses one case; never panics (a panic is caught and becomes the case's error).
pub fn run_case(case: &Case) -> CaseRecord {
    let start = Instant::now();
    let result = std::panic::catch_unwind(|| diagnosis::diagnose(&case.path));
    let ms = start.elapsed().as_millis() as u64;
    match result {
        Ok(Ok(d)) if d.analysed_any => CaseRecord::from_diagnosis(&case.id, ms, &d),
        Ok(Ok(d)) => CaseRecord::from_error(
            &case.id,
            ms,
            &format!("nothing in the case could be analysed ({} file(s))", d.inputs.len()),
        ),
        Ok(Err(e)) => CaseRecord::from_error(&case.id, ms, &e.to_string()),
        Err(_) => CaseRecord::from_error(&case.id, ms, "the analysis failed on this case"),
    }
}

fn progress_bar(show: bool, len: u64) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} cases  {per_sec}  ETA {eta}") {
        bar.set_style(style);
    }
    bar
}

/// Opens the results file: appended to on resume (after cutting a line a killed run left half-written), else new.
fn open_out(path: &Path, resume: bool) -> Result<File, String> {
    let err = |e: std::io::Error| format!("{}: {e}", path.display());
    if !resume {
        return File::create(path).map_err(err);
    }
    let mut f = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)
        .map_err(err)?;
    let len = f.metadata().map_err(err)?.len();
    if len > 0 {
        let mut last = [0u8; 1];
        f.seek(SeekFrom::Start(len - 1)).map_err(err)?;
        std::io::Read::read_exact(&mut f, &mut last).map_err(err)?;
        if last[0] != b'\n' {
            let text = std::fs::read(path).map_err(err)?;
            let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            f.set_len(keep as u64).map_err(err)?;
        }
    }
    Ok(f)
}

/// Calls `f` with each complete record of a results file, one at a time (a half-written last line is ignored).
pub fn for_each_record(path: &Path, mut f: impl FnMut(CaseRecord)) -> Result<(), String> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
            if v["case"].is_string() {
                f(CaseRecord(v));
            }
        }
    }
    Ok(())
}

/// The expectation outcome of a row, for the summary.
pub fn failed(rows: &[Row]) -> usize {
    rows.iter()
        .filter(|r| r.error.is_some() || matches!(r.expectation, Some(Expectation::Mismatch(_))))
        .count()
}
