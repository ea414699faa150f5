//! Reader for W3C extended logs: IIS (`exYYMMDD.log`, `u_exYYMMDD.log`, `.gz` too) and HTTP.sys error logs (HTTPERR).
//!
//! - [`fields`]: `#Fields` layouts and the IIS defaults; [`line`]: splitting a line and fitting it to a layout;
//!   [`record`]: a line seen through its layout; [`stream`]: the scanner over a buffered reader;
//!   [`chunks`]: several scanners over parts of one large file, in parallel.
//! - [`scan_file`] computes the evidence ([`LogStats`]) of one file in one pass; [`read`] is the bundle reader;
//!   [`jsonl`] writes one JSON object per request for `owa440 parse --format jsonl`.
//!
//! HTTPERR logs are read (their records are counted and printed by `parse`) but never feed the OWA evidence:
//! their requests were refused by HTTP.sys before IIS saw them.

pub mod bytemask;
pub mod chunks;
pub mod continued;
pub mod fields;
pub mod jsonl;
pub mod line;
pub mod record;
pub mod stream;

pub use record::{format_time, Record};

use super::{Problem, ReadOutput};
use crate::bundle::{BundleFile, Content, Kind};
use crate::facts::logs::{Area, LogStats, Request};
use crate::facts::names::{NameRole, ServerName};
use crate::facts::{Located, Source};
use std::io;
use stream::{scan_reader, Header, ScanReport, Scanner, Visit};

/// Files at least this big (on disk, not compressed) are scanned in parallel ranges of [`chunks::CHUNK`] bytes.
pub const PARALLEL_MIN: u64 = 4 * chunks::CHUNK;

/// Feeds each record into [`LogStats`]; the area [`Visit::early`] found for the record that follows.
struct Evidence(LogStats, record::DateCache, Option<Area>);

impl Visit for Evidence {
    /// The fields a line outside the OWA directories is counted by: its time, server name and stem.
    fn prefix(&self, l: &fields::Layout) -> usize {
        [l.date, l.time, l.stem, l.computer]
            .into_iter()
            .flatten()
            .max()
            .map_or(0, |i| i + 1)
    }

    /// Counts a line outside the OWA directories (most of a Client Access log) from its first fields alone.
    #[inline]
    fn early(&mut self, r: &Record<'_>) -> bool {
        self.2 = r.value(r.layout.stem).and_then(Area::classify);
        if self.2.is_some() {
            return true;
        }
        let time = r.timestamp_cached(&mut self.1);
        self.0.add_other(time, r.value(r.layout.computer), r.number);
        false
    }

    #[inline]
    fn record(&mut self, r: &Record<'_>) {
        let l = r.layout;
        let time = r.timestamp_cached(&mut self.1);
        let stem = r.value(l.stem);
        let Some(area) = self.2.take().or_else(|| stem.and_then(Area::classify)) else {
            self.0.add_other(time, r.value(l.computer), r.number);
            return;
        };
        self.0.add_in(
            area,
            &Request {
                time,
                method: r.value(l.method),
                stem,
                username: r.value(l.username),
                client_ip: r.value(l.client_ip),
                status: r.number(l.status),
                substatus: r.number(l.substatus),
                win32: r.number(l.win32),
                computer: r.value(l.computer),
                line: r.line,
                number: r.number,
            },
        );
    }
}

/// Counts records only (HTTPERR logs).
struct CountOnly;

impl Visit for CountOnly {
    fn record(&mut self, _: &Record<'_>) {}
}

/// The result of scanning one log file.
#[derive(Debug)]
pub struct Scan {
    pub kind: Kind,
    /// `None` for HTTPERR logs (they never feed the OWA evidence).
    pub stats: Option<LogStats>,
    pub report: ScanReport,
}

/// Scans one W3C file in one pass (in parallel ranges for a large uncompressed file on disk).
pub fn scan_file(file: &BundleFile, kind: Kind) -> io::Result<Scan> {
    scan_file_with(file, kind, chunks::CHUNK, PARALLEL_MIN)
}

/// [`scan_file`] with explicit range size and threshold (tests use small ones).
pub fn scan_file_with(file: &BundleFile, kind: Kind, chunk: u64, parallel_min: u64) -> io::Result<Scan> {
    scan_file_from(file, kind, Header::default(), chunk, parallel_min)
}

/// [`scan_file`] with `start` in force at the file's start (the directives at the end of the log it continues).
pub fn scan_file_continued(file: &BundleFile, kind: Kind, start: Header) -> io::Result<Scan> {
    scan_file_from(file, kind, start, chunks::CHUNK, PARALLEL_MIN)
}

/// [`scan_file_with`] with `start` in force at the file's start.
fn scan_file_from(file: &BundleFile, kind: Kind, start: Header, chunk: u64, parallel_min: u64) -> io::Result<Scan> {
    let evidence = kind == Kind::W3cLog;
    if let Content::Disk(path) = &file.content {
        if file.size >= parallel_min && !file.is_gzip() {
            return if evidence {
                let mut stats = LogStats::new(&file.path);
                let mut report = ScanReport::default();
                let make = || Evidence(LogStats::new(&file.path), Default::default(), None);
                chunks::scan_parallel_each(path, file.size, chunk, start, make, |mut v, mut r| {
                    v.0.shift_lines(report.lines);
                    r.shift_lines(report.lines);
                    stats.merge(v.0);
                    report.merge(r);
                })?;
                Ok(Scan {
                    kind,
                    stats: Some(stats),
                    report,
                })
            } else {
                let mut report = ScanReport::default();
                chunks::scan_parallel_each(
                    path,
                    file.size,
                    chunk,
                    start,
                    || CountOnly,
                    |_, mut r| {
                        r.shift_lines(report.lines);
                        report.merge(r);
                    },
                )?;
                Ok(Scan {
                    kind,
                    stats: None,
                    report,
                })
            };
        }
    }
    let mut scanner = Scanner::at(start, 0);
    let reader = file.open()?;
    if evidence {
        let mut v = Evidence(LogStats::new(&file.path), Default::default(), None);
        scan_reader(reader, &mut scanner, &mut v)?;
        Ok(Scan {
            kind,
            stats: Some(v.0),
            report: scanner.report,
        })
    } else {
        scan_reader(reader, &mut scanner, &mut CountOnly)?;
        Ok(Scan {
            kind,
            stats: None,
            report: scanner.report,
        })
    }
}

/// The evidence of a W3C log read from any reader, sequentially (tests, benchmarks, logs held in memory).
pub fn evidence_of(reader: impl std::io::Read, path: &str) -> io::Result<(LogStats, ScanReport)> {
    let mut scanner = Scanner::default();
    let mut v = Evidence(LogStats::new(path), Default::default(), None);
    scan_reader(reader, &mut scanner, &mut v)?;
    Ok((v.0, scanner.report))
}

/// The bundle reader: the evidence of one log file, its s-computername values as server names, and the notes and
/// warnings of the scan.
pub fn read(file: &BundleFile, kind: Kind) -> ReadOutput {
    read_from(file, kind, Header::default())
}

/// [`read`] with `start` in force at the file's start.
fn read_from(file: &BundleFile, kind: Kind, start: Header) -> ReadOutput {
    let scan = match scan_file_from(file, kind, start, chunks::CHUNK, PARALLEL_MIN) {
        Ok(s) => s,
        Err(e) => {
            return ReadOutput {
                errors: vec![Problem::file(format!("cannot be read: {e}"))],
                ..ReadOutput::default()
            }
        }
    };
    let mut out = ReadOutput::default();
    notes_and_warnings(&scan.report, kind, &mut out);
    if let Some(stats) = scan.stats {
        let evidence = stats.finish();
        out.facts.server_names = server_names(&evidence.path, &evidence.computer_names);
        out.facts.logs.push(evidence);
    }
    out
}

fn server_names(path: &str, names: &[crate::facts::logs::ComputerName]) -> Vec<Located<ServerName>> {
    names
        .iter()
        .map(|c| {
            Located::new(
                ServerName {
                    name: c.name.clone(),
                    role: NameRole::Server,
                },
                Source::at(path, c.line),
                format!("s-computername {}", c.name),
            )
        })
        .collect()
}

/// The scan's report as notes (what was assumed) and located warnings (lines that did not fit).
pub fn notes_and_warnings(report: &ScanReport, kind: Kind, out: &mut ReadOutput) {
    if kind == Kind::HttpErrLog {
        out.notes.push(format!(
            "HTTP.sys error log: {} records; requests refused before IIS, not counted as OWA requests",
            report.records
        ));
    } else {
        out.notes.push(format!("{} requests read", report.records));
    }
    if report.headerless > 0 {
        out.notes.push(format!(
            "{} lines come before any #Fields header: read with the IIS default fields ({})",
            report.headerless,
            fields::IIS7_DEFAULT.join(" ")
        ));
    }
    out.warnings.extend(report.warnings.iter().cloned());
    if report.more_warnings > 0 {
        out.warnings.push(Problem::file(format!(
            "{} more lines did not fit their #Fields (first {} shown)",
            report.more_warnings,
            report.warnings.len()
        )));
    }
}

/// Hides the values of query parameters that look like secrets (`password=`, `pwd=`, `passwd=`): a log line
/// can carry one in its `cs-uri-query`, and no output of owa440 shows a secret.
pub fn redact(text: &str) -> std::borrow::Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("pass") && !lower.contains("pwd") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        // A parameter name starts the text or follows `?`, `&`, `;` or a space.
        let at_name = i == 0 || matches!(bytes[i - 1], b'&' | b'?' | b';' | b' ');
        if at_name {
            if let Some(eq) = text[i..].find('=') {
                let name = &lower[i..i + eq];
                if !name.contains(['&', ' ', ';']) && (name.contains("pass") || name.contains("pwd")) {
                    out.push_str(&text[i..i + eq + 1]);
                    out.push_str("<redacted>");
                    let end = text[i + eq + 1..]
                        .find(['&', ' ', ';'])
                        .map(|e| i + eq + 1 + e)
                        .unwrap_or(text.len());
                    i = end;
                    continue;
                }
            }
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::logsynth::{generate, Config, Fault};

    /// The evidence of a generated log (mid-file header blocks with alternating layouts, a fault from 60%),
    /// scanned whole and in parallel ranges of several sizes, must be the same.
    #[test]
    fn parallel_ranges_give_the_sequential_evidence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u_ex240501.log");
        let cfg = Config {
            size: 3 << 20,
            restart_every: 700 << 10,
            fault: Some(Fault::DenyLogon),
            fault_from: 0.6,
            ..Config::default()
        };
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        generate(&cfg, &mut f).unwrap();
        drop(f);
        let size = std::fs::metadata(&path).unwrap().len();
        let file = BundleFile::on_disk("u_ex240501.log".into(), path.clone(), size);
        let whole = scan_file_with(&file, Kind::W3cLog, size, u64::MAX).unwrap();
        let want = serde_json::to_value(whole.stats.unwrap().finish()).unwrap();
        assert!(want["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["win32"] == 1385));
        assert!(want["session_timeouts"]["total"].as_u64().unwrap() > 0);
        for chunk in [64 << 10, 300_001, 1 << 20] {
            let parts = scan_file_with(&file, Kind::W3cLog, chunk, 0).unwrap();
            assert_eq!(parts.report.records, whole.report.records, "chunk {chunk}");
            let got = serde_json::to_value(parts.stats.unwrap().finish()).unwrap();
            for (k, v) in want.as_object().unwrap() {
                assert_eq!(&got[k], v, "chunk {chunk}: {k}");
            }
        }
    }

    #[test]
    fn secrets_in_queries_are_redacted() {
        assert_eq!(redact("a=1&password=hunter2&b=2"), "a=1&password=<redacted>&b=2");
        assert_eq!(redact("GET /x user=a;Pwd=s3cr3t 80"), "GET /x user=a;Pwd=<redacted> 80");
        assert_eq!(redact("/owa/auth/logon.aspx reason=0"), "/owa/auth/logon.aspx reason=0");
    }
}
