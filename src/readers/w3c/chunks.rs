//! Parallel scanning of one large log file: the file is cut into byte ranges, each scanned by its own
//! [`Scanner`] on a rayon worker, and the results are handed back in file order for merging.
//!
//! A range's lines need two things from the ranges before it: the directives in force (a `#Fields` block may
//! start anywhere) and the line number of its first line. A first pass finds both cheaply and in parallel: it
//! counts `\n` and notes every line that starts with `#` (one `memchr` pass per range). The second pass scans
//! each range from its first whole line to the end of the last line that starts inside it.
//!
//! Files are read with ordinary reads into one buffer per worker (no memory map: a log being rotated or cut
//! while mapped would crash the process), so memory stays bounded whatever the file's size.

use super::stream::{scan_reader, Header, ScanReport, Scanner, Visit};
use rayon::prelude::*;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// Default range size.
pub const CHUNK: u64 = 32 << 20;

/// The longest directive line read back after the first pass.
const MAX_DIRECTIVE: usize = 64 << 10;

/// What the first pass found in one range `[start, end)`.
#[derive(Debug, Default)]
struct Survey {
    newlines: u64,
    /// Offsets of lines starting in the range with `#`.
    directives: Vec<u64>,
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

/// Calls `f(block, offset_of_block)` over `[from, to)` of `path`.
fn read_blocks(path: &Path, from: u64, to: u64, mut f: impl FnMut(&[u8], u64)) -> io::Result<()> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(from))?;
    let mut buf = vec![0u8; super::stream::BUFFER];
    let mut pos = from;
    while pos < to {
        let want = ((to - pos) as usize).min(buf.len());
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        f(&buf[..n], pos);
        pos += n as u64;
    }
    Ok(())
}

fn survey(path: &Path, start: u64, end: u64) -> io::Result<Survey> {
    let mut s = Survey::default();
    // Read one byte before the range: a line starting at `start` is known by the `\n` before it.
    let from = start.saturating_sub(1);
    let mut prev_newline = start == 0;
    let mut first = true;
    read_blocks(path, from, end, |block, base| {
        let mut skip_bom = 0;
        if first && start == 0 && block.starts_with(b"\xEF\xBB\xBF") {
            skip_bom = 3;
        }
        if prev_newline && block.get(skip_bom) == Some(&b'#') && base + (skip_bom as u64) < end {
            s.directives.push(base);
        }
        first = false;
        prev_newline = false;
        for i in memchr::memchr_iter(b'\n', block) {
            if base + i as u64 >= start {
                s.newlines += 1;
            }
            match block.get(i + 1) {
                Some(b'#') => s.directives.push(base + i as u64 + 1),
                Some(_) => {}
                None => prev_newline = true,
            }
        }
    })?;
    Ok(s)
}

fn directive_line(path: &Path, offset: u64) -> io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::new();
    file.take(MAX_DIRECTIVE as u64).read_to_end(&mut buf)?;
    if let Some(nl) = memchr::memchr(b'\n', &buf) {
        buf.truncate(nl);
    }
    if buf.starts_with(b"\xEF\xBB\xBF") {
        buf.drain(..3);
    }
    Ok(buf)
}

/// The bytes of the lines that start in `[start, end)`: from the first line start at or after `start` to the end
/// of the last line starting before `end`.
struct RangeReader {
    file: File,
    /// The absolute offset of the next byte `file` gives.
    pos: u64,
    skipping: bool,
    end: u64,
    done: bool,
}

impl RangeReader {
    fn open(path: &Path, start: u64, end: u64) -> io::Result<RangeReader> {
        let mut file = File::open(path)?;
        let from = start.saturating_sub(1);
        file.seek(SeekFrom::Start(from))?;
        Ok(RangeReader {
            file,
            pos: from,
            skipping: start > 0,
            end,
            done: false,
        })
    }
}

impl Read for RangeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            let mut n = self.file.read(buf)?;
            if n == 0 {
                self.done = true;
                return Ok(0);
            }
            let mut base = self.pos;
            self.pos += n as u64;
            if self.skipping {
                // Skip the end of the line that started in the range before (or the `\n` just before `start`).
                match memchr::memchr(b'\n', &buf[..n]) {
                    Some(i) => {
                        buf.copy_within(i + 1..n, 0);
                        n -= i + 1;
                        base += i as u64 + 1;
                        self.skipping = false;
                        if base >= self.end {
                            self.done = true;
                            return Ok(0);
                        }
                    }
                    None => continue,
                }
            }
            // The last line is the one that starts before `end`: stop after the first `\n` at or past `end - 1`.
            let from = (self.end.saturating_sub(1)).saturating_sub(base) as usize;
            if from < n {
                if let Some(i) = memchr::memchr(b'\n', &buf[from..n]) {
                    n = from + i + 1;
                    self.done = true;
                }
            }
            if n > 0 {
                return Ok(n);
            }
        }
    }
}

/// Scans `path` (`size` bytes) in ranges of `chunk` bytes, in parallel; `make` gives each range its visitor.
/// Returns each range's visitor and report, in file order, plus the header in force at the end of the file.
pub fn scan_parallel<V: Visit + Send>(
    path: &Path,
    size: u64,
    chunk: u64,
    make: impl Fn() -> V + Sync,
) -> io::Result<(Vec<(V, ScanReport)>, Header)> {
    let ranges = ranges(size, chunk);
    let surveys: Vec<Survey> = ranges
        .par_iter()
        .map(|&(s, e)| survey(path, s, e))
        .collect::<io::Result<_>>()?;
    // The state at each range's start: directives of the ranges before, lines before.
    let mut header = Header::default();
    let mut newlines_before = 0u64;
    let mut starts = Vec::with_capacity(ranges.len());
    for (&(start, _), sv) in ranges.iter().zip(&surveys) {
        let first_line_extra = if start == 0 || sv.directives.first() == Some(&start) {
            0
        } else {
            // Whether the byte before `start` is a `\n` (the range then starts on a line start).
            let mut b = [0u8; 1];
            let mut f = File::open(path)?;
            f.seek(SeekFrom::Start(start - 1))?;
            f.read_exact(&mut b)?;
            u64::from(b[0] != b'\n')
        };
        starts.push((header.clone(), newlines_before + first_line_extra));
        for &d in &sv.directives {
            header.apply(&directive_line(path, d)?);
        }
        newlines_before += sv.newlines;
    }
    let results: Vec<(V, ScanReport)> = ranges
        .par_iter()
        .zip(starts.into_par_iter())
        .map(|(&(s, e), (h, line))| {
            let mut scanner = Scanner::at(h, line);
            let mut visit = make();
            scan_reader(RangeReader::open(path, s, e)?, &mut scanner, &mut visit)?;
            Ok((visit, scanner.report))
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
        scan_reader(File::open(path).unwrap(), &mut s, &mut v).unwrap();
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
        }
        text.push_str("2010-01-01 00:00:59 /last 440");
        std::fs::write(&path, &text).unwrap();
        let size = text.len() as u64;
        let (want, want_report) = sequential(&path);
        assert_eq!(want.len(), 201);
        for chunk in [1, 2, 3, 7, 29, 64, 100, 1000, size] {
            let (parts, _) = scan_parallel(&path, size, chunk, Lines::default).unwrap();
            let got: Vec<_> = parts.iter().flat_map(|(v, _)| v.0.clone()).collect();
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
