//! Parallel scanning of one large log file: the file is cut into byte ranges, each read into a buffer of its
//! worker and scanned by its own [`Scanner`] on a rayon worker, and the results are handed back in file order for
//! merging.
//!
//! A range's lines need the directives in force at its start (a `#Fields` block may start anywhere). Ranges are
//! scanned a few per worker at a time, in parallel, each from a guess: the directives at the top of the file, then
//! the header in force at the start of the batch (IIS repeats the same `#Fields` after each restart). The scan
//! keeps the directive lines it meets, so the header truly in force at each range's start follows from the ranges
//! before; a range whose guess would have read any of its lines differently is scanned again, in parallel, from the
//! true header. Line numbers are counted from each range's start and shifted
//! by the caller when merging (each range's report says how many lines it holds).
//!
//! Ranges are read with positional reads into a buffer reused by each worker, so the memory in use is bounded by
//! the range size times the number of workers, whatever the file's size, and a file cut short while it is read
//! only ends its scan early, with a located warning.

use super::stream::{scan_through, Header, ScanReport, Scanner, Visit, MAX_LINE};
use crate::readers::Problem;
use rayon::prelude::*;
use std::fs::File;
use std::io;
use std::path::Path;

/// Default range size: small enough that the buffers in use at once (one per worker) stay a few tens of MiB,
/// large enough that the per-range work (a read, the directives fold) is noise.
pub const CHUNK: u64 = 8 << 20;

/// How much is read at a time of a range: a few hundred KiB, well within a core's cache.
const BLOCK: usize = 256 << 10;

/// How much is read at a time to find where a range's first line starts and its last line ends.
const PROBE: usize = 4 << 10;

/// How much of the top of the file is read for the guessed header.
const TOP: usize = 64 << 10;

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

/// One positional read (the file's cursor is not used, so workers share the file).
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

/// Reads from `at` to the end of `buf` or of the file; returns the bytes read.
fn read_full(file: &File, at: u64, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match read_at(file, &mut buf[n..], at + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The directives at the top of the file (before its first data line), applied to the default header.
fn top_header(file: &File, start: &Header) -> io::Result<Header> {
    let mut buf = vec![0u8; TOP];
    let n = read_full(file, 0, &mut buf)?;
    let mut top = &buf[..n];
    if let Some(rest) = top.strip_prefix(b"\xEF\xBB\xBF") {
        top = rest;
    }
    let mut header = start.clone();
    for line in top.split(|&b| b == b'\n') {
        match line.first() {
            Some(b'#') => header.apply(line),
            Some(b'\r') | None => {}
            Some(_) => break,
        }
    }
    Ok(header)
}

/// One range's scan.
struct Part<V> {
    visit: V,
    report: ScanReport,
    /// The directive lines met, in order.
    directives: Vec<Box<[u8]>>,
    used_alternates: bool,
    used_header_date: bool,
    /// The scan stopped at a line that did not fit the guessed header (its results are incomplete).
    gave_up: bool,
    /// The file's end, when it came before the range's end (the file shrank since its size was taken).
    short: Option<u64>,
}

/// The offset just past the first `\n` at or after `at`, looking at most `limit` bytes on (`None`: none found,
/// at the end of the file or past the limit); `probe` is scratch space.
fn after_newline(file: &File, at: u64, limit: u64, probe: &mut [u8]) -> io::Result<Option<u64>> {
    let mut pos = at;
    while pos < at.saturating_add(limit) {
        let n = read_full(file, pos, probe)?;
        if let Some(i) = memchr::memchr(b'\n', &probe[..n]) {
            return Ok(Some(pos + i as u64 + 1));
        }
        if n < probe.len() {
            return Ok(None);
        }
        pos += n as u64;
    }
    Ok(None)
}

/// Reads `[pos, end)` of a file with positional reads; notes where the file ended if that came first.
struct RangeReader<'f> {
    file: &'f File,
    pos: u64,
    end: u64,
    short: Option<u64>,
}

impl io::Read for RangeReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let want = out.len().min((self.end - self.pos.min(self.end)) as usize);
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(self.file, &mut out[..want], self.pos)?;
        if n == 0 {
            self.short = Some(self.pos);
        }
        self.pos += n as u64;
        Ok(n)
    }
}

/// Scans the lines that start in `[start, end)`, `header` in force at `start`, through `buf` (read
/// [`BLOCK`] bytes at a time, so that what is read is still in the processor's cache when it is scanned).
fn scan_range<V: Visit>(
    file: &File,
    (start, end): (u64, u64),
    (header, guessed): (Header, bool),
    mut visit: V,
    buf: &mut Vec<u8>,
) -> io::Result<Part<V>> {
    let mut probe = [0u8; PROBE];
    let mut scanner = Scanner::at(header, 0);
    scanner.directives = Some(Vec::new());
    scanner.give_up_on_misfit = guessed;
    // A line starting at `start` is known by the `\n` before it.
    let first = if start == 0 {
        Some(0)
    } else {
        after_newline(file, start - 1, end - start + 1, &mut probe)?.filter(|&f| f < end)
    };
    let mut short = None;
    if let Some(first) = first {
        // The last line that starts in the range ends at the first `\n` at or after the range's last byte (a
        // longer line is cut [`MAX_LINE`] bytes past it; the file's last line may have no `\n`).
        let last_end = after_newline(file, (end - 1).max(first), MAX_LINE as u64, &mut probe)?;
        let mut reader = RangeReader {
            file,
            pos: first,
            end: last_end.unwrap_or((end - 1).max(first) + MAX_LINE as u64),
            short: None,
        };
        if buf.len() != BLOCK {
            buf.resize(BLOCK, 0);
        }
        scan_through(&mut reader, &mut scanner, &mut visit, buf)?;
        short = reader.short.filter(|&at| at < end);
    } else if read_at(file, &mut probe[..1], end - 1)? == 0 {
        short = Some(start);
    }
    let mut report = scanner.report;
    report.lines = scanner.line;
    Ok(Part {
        visit,
        report,
        directives: scanner.directives.unwrap_or_default(),
        used_alternates: scanner.used_alternates,
        used_header_date: scanner.used_header_date,
        gave_up: scanner.gave_up,
        short,
    })
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
    let mut results = Vec::new();
    let header = scan_parallel_each(path, size, chunk, Header::default(), make, |v, r| results.push((v, r)))?;
    Ok((results, header))
}

/// [`scan_parallel`], handing each range's visitor and report to `each` in file order as soon as the ranges
/// before it are done, so that only a few ranges' results are held at once, whatever the file's size.
///
/// `start` is the header in force at the file's start: the default, or the header of the log this one continues.
pub fn scan_parallel_each<V: Visit + Send>(
    path: &Path,
    size: u64,
    chunk: u64,
    start: Header,
    make: impl Fn() -> V + Sync,
    mut each: impl FnMut(V, ScanReport),
) -> io::Result<Header> {
    let file = File::open(path)?;
    let ranges = ranges(size, chunk);
    let batch = 4 * rayon::current_num_threads().max(1);
    let mut guess = top_header(&file, &start)?;
    let first = start.clone();
    // The header truly in force at the start of the next range, from the directives of the ranges before.
    let mut header = start;
    let mut shrank = false;
    // A scan from a guess stops at a line that does not fit before any directive (the guess is likely wrong).
    let mut give_up = true;
    for (b, group) in ranges.chunks(batch).enumerate() {
        let base = b * batch;
        // Each range but the file's first starts from a guess: the top of the file's header for the first batch,
        // then the true header at the batch's start (so a later `#Fields` is guessed right from there on).
        if b > 0 {
            guess = header.clone();
        }
        let mut parts: Vec<Part<V>> = group
            .par_iter()
            .enumerate()
            .map_init(Vec::new, |buf, (i, &r)| {
                let start = if base + i == 0 {
                    (first.clone(), false)
                } else {
                    (guess.clone(), give_up)
                };
                scan_range(&file, r, start, make(), buf)
            })
            .collect::<io::Result<_>>()?;
        let mut again = Vec::new();
        let mut buf = Vec::new();
        for (i, p) in parts.iter_mut().enumerate() {
            if p.gave_up {
                // Its directives are not all known: scanned again now, from the true header.
                *p = scan_range(&file, group[i], (header.clone(), false), make(), &mut buf)?;
                if guess.reads_like(&header, p.used_alternates, p.used_header_date) {
                    // The guess was right and the lines simply do not fit: giving up gains nothing in this file.
                    give_up = false;
                }
            } else if base + i > 0 && !guess.reads_like(&header, p.used_alternates, p.used_header_date) {
                again.push((i, header.clone()));
            }
            for d in &p.directives {
                header.apply(d);
            }
        }
        drop(buf);
        let rescanned: Vec<(usize, Part<V>)> = again
            .into_par_iter()
            .map_init(Vec::new, |buf, (i, h)| {
                Ok((i, scan_range(&file, group[i], (h, false), make(), buf)?))
            })
            .collect::<io::Result<_>>()?;
        for (i, p) in rescanned {
            parts[i] = p;
        }
        for p in parts {
            let mut report = p.report;
            // Located at the last line read (the line numbers of the ranges before are added at merge).
            if let (Some(at), false) = (p.short, shrank) {
                shrank = true;
                report.warnings.push(Problem::at(
                    report.lines,
                    format!("the file shrank while it was read: {size} bytes when listed, it ended at byte {at}; the rest not read"),
                ));
            }
            each(p.visit, report);
        }
    }
    Ok(header)
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

    #[test]
    fn a_file_shorter_than_listed_ends_the_scan_with_a_located_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u_ex.log");
        let mut text = String::from("#Fields: date time cs-uri-stem sc-status\n");
        for i in 0..100 {
            text.push_str(&format!("2010-01-01 00:00:{:02} /owa/{i} 200\n", i % 60));
        }
        std::fs::write(&path, &text).unwrap();
        // As if the file had been cut to its size now after being listed at twice that.
        let listed = 2 * text.len() as u64;
        for chunk in [64, 1000, listed] {
            let (parts, _) = scan_parallel(&path, listed, chunk, Lines::default).unwrap();
            let records: u64 = parts.iter().map(|(_, r)| r.records).sum();
            assert_eq!(records, 100, "chunk {chunk}");
            let mut before = 0;
            let mut shrank = Vec::new();
            for (_, r) in &parts {
                let mut r = r.clone();
                r.shift_lines(before);
                before += r.lines;
                shrank.extend(r.warnings.into_iter().filter(|w| w.message.contains("shrank")));
            }
            assert_eq!(shrank.len(), 1, "chunk {chunk}: {shrank:?}");
            assert_eq!(shrank[0].line, Some(101), "chunk {chunk}");
        }
    }

    #[test]
    fn headerless_lines_that_fit_another_default_give_the_sequential_result() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ex.log");
        let mut text = String::new();
        for i in 0..300 {
            // IIS 6 default fields (14), where the assumed IIS 7 default has 15; a #Fields block midway.
            if i == 150 {
                text.push_str("#Fields: date time cs-uri-stem sc-status\n");
            }
            if i < 150 {
                text.push_str(&format!(
                    "2010-01-01 00:00:{:02} W3SVC1 10.0.0.1 GET /owa/{i} - 443 - 10.0.0.2 UA 440 0 0\n",
                    i % 60
                ));
            } else {
                text.push_str(&format!("2010-01-01 00:01:{:02} /owa/{i} 200\n", i % 60));
            }
        }
        std::fs::write(&path, &text).unwrap();
        let size = text.len() as u64;
        let (want, want_report) = sequential(&path);
        assert_eq!(want.len(), 300);
        for chunk in [50, 333, 1000, 4096, size] {
            let (parts, _) = scan_parallel(&path, size, chunk, Lines::default).unwrap();
            let mut before = 0;
            let mut got = Vec::new();
            for (v, r) in &parts {
                got.extend(v.0.iter().map(|(n, l, f)| (n + before, l.clone(), *f)));
                before += r.lines;
            }
            assert_eq!(got, want, "chunk {chunk}");
            let headerless: u64 = parts.iter().map(|(_, r)| r.headerless).sum();
            assert_eq!(headerless, want_report.headerless, "chunk {chunk}");
        }
    }

    #[test]
    fn a_log_continuing_another_is_read_with_its_header_in_every_range() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u_ex10010101.log");
        // No header: the lines follow the previous file's `#Fields` (not the IIS default layout).
        let mut text = String::new();
        for i in 0..120 {
            text.push_str(&format!("/owa/auth/{i} - 440 2010-01-01 00:01:{:02}\n", i % 60));
        }
        std::fs::write(&path, &text).unwrap();
        let mut start = Header::default();
        start.apply(b"#Fields: cs-uri-stem cs-username sc-status date time");
        let mut s = Scanner::at(start.clone(), 0);
        let mut want = Lines::default();
        super::super::stream::scan_reader(File::open(&path).unwrap(), &mut s, &mut want).unwrap();
        assert_eq!(want.0.len(), 120);
        assert!(want.0.iter().all(|(_, _, fields)| *fields == 5));
        for chunk in [1, 13, 100, text.len() as u64] {
            let mut got = Vec::new();
            let mut before = 0;
            scan_parallel_each(
                &path,
                text.len() as u64,
                chunk,
                start.clone(),
                Lines::default,
                |v, r| {
                    got.extend(v.0.into_iter().map(|(n, l, f)| (n + before, l, f)));
                    before += r.lines;
                },
            )
            .unwrap();
            assert_eq!(got, want.0, "chunk {chunk}");
        }
    }
}
