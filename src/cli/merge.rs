//! `owa440 merge results-*.jsonl`: one summary over the results files of several shards (a case found twice: the
//! later file wins). Exit codes as `batch`: 1 when a case failed.

use super::{written, Outcome};
use crate::batch::{run, summary::Row};
use crate::render::style::{ColorChoice, Style};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

pub fn run(files: &[PathBuf], color: ColorChoice, out: &mut dyn Write, is_terminal: bool) -> Outcome {
    let mut by_case = BTreeMap::new();
    for f in files {
        if !f.is_file() {
            return Err(format!("{}: no such results file", f.display()));
        }
        run::for_each_record(f, |rec| {
            by_case.insert(rec.case().to_string(), Row::from_record(&rec, None));
        })?;
    }
    let rows: Vec<Row> = by_case.into_values().collect();
    let failed = run::failed(&rows);
    let r = crate::batch::summary::write(out, &rows, Style::resolve(color, is_terminal), 0);
    written(r, if failed > 0 { 1 } else { 0 })
}
