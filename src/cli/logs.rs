//! `owa440 logs BUNDLE|FILE...`: what a support engineer would otherwise ask Log Parser for — the OWA signatures
//! with their counts, an hourly timeline of 440s and 401s, the users and client IPs hit, first and last seen —
//! over every W3C log in the given bundles and files, taken together.
//!
//! Exit codes: 0 the logs were read; 2 usage error, or no W3C log could be read.

use super::{written, Outcome};
use crate::bundle::{kind, Bundle, BundleFile, Kind};
use crate::facts::logs::LogStats;
use crate::readers::w3c::{continued, stream::Header};
use crate::readers::{w3c, ReadOutput};
use crate::render::logs::{FileReport, LogsReport};
use crate::render::style::{ColorChoice, Style};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

/// Output formats of `logs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogsFormat {
    Table,
    Json,
}

/// One file's scan, or why it was not scanned.
enum Scanned {
    Log(FileReport, Option<Box<LogStats>>),
    Other(String, Kind),
    Unreadable(String, String),
}

/// A file of the bundle with its kind and, for a log continuing the one before it, that log's path and final
/// directives.
struct Listed {
    file: BundleFile,
    kind: Result<Kind, String>,
    continues: Option<(String, Header)>,
}

fn scan(l: &Listed) -> Scanned {
    let file = &l.file;
    let kind = match &l.kind {
        Ok(k) => *k,
        Err(e) => return Scanned::Unreadable(file.path.clone(), e.clone()),
    };
    if !matches!(kind, Kind::W3cLog | Kind::HttpErrLog) {
        return Scanned::Other(file.path.clone(), kind);
    }
    let scanned = match &l.continues {
        Some((_, header)) => w3c::scan_file_continued(file, kind, header.clone()),
        None => w3c::scan_file(file, kind),
    };
    match scanned {
        Ok(scan) => {
            let mut out = ReadOutput::default();
            w3c::notes_and_warnings(&scan.report, kind, &mut out);
            if let Some((before, _)) = &l.continues {
                out.notes.push(continued::note(before));
            }
            Scanned::Log(
                FileReport {
                    path: file.path.clone(),
                    kind,
                    records: scan.report.records,
                    notes: out.notes,
                    warnings: out.warnings,
                },
                scan.stats.map(Box::new),
            )
        }
        Err(e) => Scanned::Unreadable(file.path.clone(), e.to_string()),
    }
}

/// The files of one bundle with their kinds, each log cut in pieces joined to the piece before it.
fn list(bundle: Bundle) -> Vec<Listed> {
    let kinds: Vec<Result<Kind, String>> = bundle
        .files
        .par_iter()
        .map(|f| {
            f.head(kind::SNIFF_BYTES)
                .map(|h| kind::recognise(&h))
                .map_err(|e| e.to_string())
        })
        .collect();
    let mut joined = continued::continuations(&bundle.files, |i| kinds[i] == Ok(Kind::W3cLog));
    let paths: Vec<String> = bundle.files.iter().map(|f| f.path.clone()).collect();
    bundle
        .files
        .into_iter()
        .zip(kinds)
        .enumerate()
        .map(|(i, (file, kind))| Listed {
            file,
            kind,
            continues: joined[i].take().map(|(j, h)| (paths[j].clone(), h)),
        })
        .collect()
}

/// Reads every W3C log under `paths` and merges their evidence, in the order given (files of a bundle by path,
/// which for `u_exYYMMDD.log` names is the order of days).
pub fn report(paths: &[PathBuf]) -> Result<LogsReport, String> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        let bundle = Bundle::open(p).map_err(|e| e.to_string())?;
        skipped.extend(bundle.skipped.iter().map(|(p, why)| format!("{p}: {why}")));
        files.extend(list(bundle));
    }
    let scanned: Vec<Scanned> = files.par_iter().map(scan).collect();
    let mut logs = Vec::new();
    let mut stats: Option<LogStats> = None;
    let mut others = Vec::new();
    for s in scanned {
        match s {
            Scanned::Log(r, st) => {
                if let Some(st) = st {
                    match &mut stats {
                        Some(all) => all.merge(*st),
                        None => stats = Some(*st),
                    }
                }
                logs.push(r);
            }
            Scanned::Other(p, k) => others.push(format!("{p}: {}", k.id())),
            Scanned::Unreadable(p, e) => skipped.push(format!("{p}: cannot be read: {e}")),
        }
    }
    if logs.is_empty() {
        let mut seen = others.clone();
        seen.extend(skipped);
        return Err(format!(
            "no W3C log could be read in {} ({})",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            if seen.is_empty() {
                "no files".into()
            } else {
                seen.join("; ")
            }
        ));
    }
    let label = if logs.len() == 1 {
        logs[0].path.clone()
    } else {
        format!("{} files", logs.len())
    };
    let mut evidence = stats.unwrap_or_else(|| LogStats::new(&label)).finish();
    evidence.path = label;
    Ok(LogsReport {
        files: logs,
        not_logs: others.len(),
        skipped,
        evidence,
    })
}

pub fn run(
    paths: &[PathBuf],
    format: LogsFormat,
    color: ColorChoice,
    out: &mut dyn Write,
    is_terminal: bool,
) -> Outcome {
    let report = report(paths)?;
    let r = match format {
        LogsFormat::Table => crate::render::logs::table(out, &report, Style::resolve(color, is_terminal)),
        LogsFormat::Json => crate::render::logs::json(out, &report),
    };
    written(r, 0)
}
