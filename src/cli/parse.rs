//! `owa440 parse FILE`: what the reader made of one file, for a customer file that looks odd.

use super::{written, Outcome, ParseFormat};
use crate::bundle::BundleFile;
use crate::diagnosis::read_file;
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub fn run(path: &Path, format: ParseFormat, out: &mut dyn Write) -> Outcome {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!(
            "{}: not a file (parse reads one file; diagnose reads a bundle)",
            path.display()
        ));
    }
    let file = BundleFile::on_disk(path.display().to_string(), path.to_path_buf(), meta.len());
    if format == ParseFormat::Jsonl {
        return Err("--format jsonl is for W3C logs, one record per line; this file is not one".into());
    }
    let (report, facts) = read_file(&file);
    let analysed = report.kind.is_analysed() && (!facts.is_empty() || report.errors.is_empty());
    let doc = json!({
        "schema": "owa440.parse/1",
        "path": report.path,
        "kind": report.kind,
        "encoding": report.encoding,
        "error": report.error,
        "errors": report.errors,
        "warnings": report.warnings,
        "notes": report.notes,
        "facts": facts,
    });
    let r = serde_json::to_writer_pretty(&mut *out, &doc)
        .map_err(std::io::Error::from)
        .and_then(|_| writeln!(out));
    written(r, if analysed { 0 } else { 2 })
}
