//! Parallel scanning of one large log file: the file is cut into byte ranges, each scanned by its own
//! [`Scanner`] on a rayon worker, and the results are handed back in file order for merging.
//!
//! A range's lines need the directives in force at its start (a `#Fields` block may start anywhere). A first
//! pass finds them cheaply and in parallel: one `memchr` for `#` per range, keeping the lines that start with
//! one. The second pass scans each range from its first whole line to the end of the last line that starts
//! inside it. Line numbers are counted from each range's start and shifted by the caller when merging (each
//! range's report says how many lines it holds), so no pass counts newlines just for them.
//!
//! Each range is memory-mapped while it is scanned and unmapped after, so nothing is copied out of the page
//! cache and the memory in use is bounded by the range size times the number of workers, whatever the file's
//! size. (A file truncated by another process while mapped would stop the process with SIGBUS; a collected
//! log is not written to, and IIS only ever appends to today's log, which is safe.)

use super::stream::{Header, ScanReport, Scanner, Visit};
use memmap2::{Mmap, MmapOptions};
use rayon::prelude::*;
use std::fs::File;
use std::io;
use std::path::Path;

/// Default range size: small enough that the pages mapped at once (one range per worker) stay a few tens of
/// MiB, large enough that the per-range work (a map, the directives fold) is noise.
pub const CHUNK: u64 = 8 << 20;

/// How far past its end a range maps, for its last line (longer lines are cut there).
const LAST_LINE: u64 = super::stream::MAX_LINE as u64;

/// The longest directive line read back after the first pass.
const MAX_DIRECTIVE: usize = 64 << 10;

/// What the first pass found in one range `[start, end)`.
#[derive(Debug, Default)]
struct Survey {
    /// Directive lines starting in the range, in order.
    directives: Vec<Vec<u8>>,
    /// The offset of the first line that starts in the range (`end` when none does).
    first_line: u64,
    /// The offset just past the last line that starts in the range.
    last_end: u64,
}

fn ranges(size: u64, chunk: u64) -> Vec<(u64, u64)> {
    let chunk = chunk.max(1);
    let mut v = Vec::new();
    let mut s = 0;
    while s < size {
        let e = (s + chunk).min(size);
        v.push((s, e));
        s = e;
    }
    v
}

/// Maps `[from, to)` of `file`.
fn map(file: &File, from: u64, to: u64) -> io::Result<Mmap> {
    // SAFETY: the mapping is read-only and private to this function's caller; see the module comment for what
    // a concurrent truncation would do.
    unsafe { MmapOptions::new().offset(from).len((to - from) as usize).map(file) }
}

fn survey(file: &File, size: u64, start: u64, end: u64) -> io::Result<Survey> {
    // From one byte before the range (a line starting at `start` is known by the `\n` before it) to the end of
    // the line that starts last in it.
    let from = start.saturating_sub(1);
    let to = (end + LAST_LINE).min(size);
    let m = map(file, from, to)?;
    let (lo, hi) = ((start - from) as usize, (end - from) as usize);
    let mut s = Survey {
        first_line: end,
        last_end: end,
        ..Survey::default()
    };
    let body = &m[..];
    let mut line_start = if start == 0 { Some(0usize) } else { None };
    if start > 0 && body[0] == b'\n' {
        line_start = Some(lo);
    }
    let pos = match line_start {
        Some(p) => p,
        None => match memchr::memchr(b'\n', &body[lo..]) {
            Some(i) => lo + i + 1,
            None => return Ok(s),
        },
    };
    if pos >= hi {
        return Ok(s);
    }
    s.first_line = from + pos as u64;
    // The last line starting in the range ends at the first `\n` at or after the range's last byte.
    let last_end = match memchr::memchr(b'\n', &body[(hi - 1).max(pos)..]) {
        Some(i) => (hi - 1).max(pos) + i + 1,
        None => body.len(),
    };
    s.last_end = from + last_end as u64;
    let lines = &body[pos..last_end];
    // Directive lines: a `#` that starts a line (after a BOM on the file's first line).
    let bom = start == 0 && pos == 0 && lines.starts_with(b"\xEF\xBB\xBF");
    if bom && lines.get(3) == Some(&b'#') {
        s.directives.push(directive(&lines[3..]));
    }
    for i in memchr::memchr_iter(b'#', lines) {
        if i == 0 || lines[i - 1] == b'\n' {
            s.directives.push(directive(&lines[i..]));
        }
    }
    Ok(s)
}

/// The directive line at the start of `rest`, at most [`MAX_DIRECTIVE`] bytes.
fn directive(rest: &[u8]) -> Vec<u8> {
    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len()).min(MAX_DIRECTIVE);
    rest[..end].to_vec()
}

/// Scans `path` (`size` bytes) in ranges of `chunk` bytes, in parallel; `make` gives each range its visitor.
/// Returns each range's visitor and report, in file order, plus the header in force at the end of the file.
/// Line numbers in each range's records and report count from the range's start: shift them by the
/// [`ScanReport::lines`] of the ranges before.
pub fn scan_parallel<V: Visit + Send>(
    path: &Path,
    size: u64,
    chunk: u64,
    make: impl Fn() -> V + Sync,
) -> io::Result<(Vec<(V, ScanReport)>, Header)> {
    scan_parallel_from(path, size, chunk, Header::default(), make)
}

/// [`scan_parallel`] with `start` in force at the file's start (the header of the file a log continues).
pub fn scan_parallel_from<V: Visit + Send>(
    path: &Path,
    size: u64,
    chunk: u64,
    start: Header,
    make: impl Fn() -> V + Sync,
) -> io::Result<(Vec<(V, ScanReport)>, Header)> {
    let file = File::open(path)?;
    let ranges = ranges(size, chunk);
    let surveys: Vec<Survey> = ranges
        .par_iter()
        .map(|&(s, e)| survey(&file, size, s, e))
        .collect::<io::Result<_>>()?;
    // The state at each range's start: the directives of the ranges before.
    let mut header = start;
    let mut starts = Vec::with_capacity(ranges.len());
    for sv in &surveys {
        starts.push(header.clone());
        for d in &sv.directives {
            header.apply(d);
        }
    }
    let results: Vec<(V, ScanReport)> = surveys
        .par_iter()
        .zip(starts.into_par_iter())
        .map(|(sv, h)| {
            let mut scanner = Scanner::at(h, 0);
            let mut visit = make();
            if sv.first_line < sv.last_end {
                let m = map(&file, sv.first_line, sv.last_end)?;
                let used = scanner.lines(&m, &mut visit);
                if used < m.len() {
                    // The file's last line, without a final newline (or a line cut at the longest line).
                    scanner.line(&m[used..], &mut visit);
                }
            }
            let mut report = scanner.report;
            report.lines = scanner.line;
            Ok((visit, report))
        })
        .collect::<io::Result<_>>()?;
    Ok((results, header))
}

#[cfg(test)]
mod tests {
    use super::super::record::Record;
    use super::*;

    #[derive(Default)]
    struct Lines(Vec<(u64, String, usize)>);
    impl Visit for Lines {
        fn record(&mut self, r: &Record<'_>) {
            self.0
                .push((r.number, String::from_utf8_lossy(r.line).into_owned(), r.layout.len()));
        }
    }

    fn sequential(path: &Path) -> (Vec<(u64, String, usize)>, ScanReport) {
        let mut s = Scanner::default();
        let mut v = Lines::default();
        super::super::stream::scan_reader(File::open(path).unwrap(), &mut s, &mut v).unwrap();
        (v.0, s.report)
    }

    #[test]
    fn every_chunk_size_gives_the_sequential_result() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u_ex.log");
        let mut text = String::from("\u{feff}#Software: Microsoft Internet Information Services 7.5\r\n#Fields: date time cs-uri-stem sc-status\r\n");
        for i in 0..200 {
            if i % 37 == 5 {
                text.push_str("#Date: 2010-01-01 00:00:00\n#Fields: time sc-status cs-uri-stem cs-username\n");
            } else if i % 37 == 20 {
                text.push_str("#Fields: date time cs-uri-stem sc-status\n\n");
            }
            text.push_str(&format!("2010-01-01 00:00:{:02} /owa/{i} 200\r\n", i % 60));
            if i % 50 == 7 {
                text.push_str("2010-01-01 00:00:00 /short\n");
            }
        }
        text.push_str("2010-01-01 00:00:59 /last 440");
        std::fs::write(&path, &text).unwrap();
        let size = text.len() as u64;
        let (want, want_report) = sequential(&path);
        assert_eq!(want.len(), 205);
        assert_eq!(want_report.warnings.len(), 4);
        for chunk in [1, 2, 3, 7, 29, 64, 100, 1000, size] {
            let (parts, _) = scan_parallel(&path, size, chunk, Lines::default).unwrap();
            let mut before = 0;
            let mut got = Vec::new();
            let mut warnings = Vec::new();
            for (v, r) in &parts {
                got.extend(v.0.iter().map(|(n, l, f)| (n + before, l.clone(), *f)));
                let mut r = r.clone();
                r.shift_lines(before);
                warnings.extend(r.warnings);
                before += r.lines;
            }
            assert_eq!(warnings, want_report.warnings, "chunk {chunk}");
            assert_eq!(got, want, "chunk {chunk}");
            let records: u64 = parts.iter().map(|(_, r)| r.records).sum();
            let misfits: u64 = parts.iter().map(|(_, r)| r.misfits).sum();
            assert_eq!(
                (records, misfits),
                (want_report.records, want_report.misfits),
                "chunk {chunk}"
            );
        }
    }
}
