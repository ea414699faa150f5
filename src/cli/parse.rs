//! `owa440 parse FILE`: what the reader made of one file, for a customer file that looks odd.

use super::{written, Outcome, ParseFormat};
use crate::bundle::{kind, BundleFile, Kind};
use crate::diagnosis::read_file;
use crate::readers::w3c;
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
        return jsonl(&file, out);
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

/// `--format jsonl`: one JSON object per request of a W3C log; the located warnings go to stderr.
fn jsonl(file: &BundleFile, out: &mut dyn Write) -> Outcome {
    let kind = file
        .head(kind::SNIFF_BYTES)
        .map(|h| kind::recognise(&h))
        .map_err(|e| format!("{}: cannot be read: {e}", file.path))?;
    if !matches!(kind, Kind::W3cLog | Kind::HttpErrLog) {
        return Err(format!(
            "{}: --format jsonl is for W3C logs, one record per line; this file is {}",
            file.path,
            kind.id()
        ));
    }
    let reader = file.open().map_err(|e| format!("{}: cannot be read: {e}", file.path))?;
    match w3c::jsonl::write(reader, &file.path, out) {
        Ok(report) => {
            let mut stderr = std::io::stderr();
            for w in &report.warnings {
                let _ = writeln!(stderr, "owa440: warning: {}", w.located(&file.path));
            }
            if report.more_warnings > 0 {
                let _ = writeln!(
                    stderr,
                    "owa440: warning: {}: {} more lines did not fit their #Fields",
                    file.path, report.more_warnings
                );
            }
            Ok(0)
        }
        Err(e) => written(Err(e), 0),
    }
}
