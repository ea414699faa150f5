//! The line scanner: directives and data lines in file order, streamed through a fixed buffer.
//!
//! [`Scanner`] holds the directive state in force ([`Header`]) and turns each data line into a [`Record`] for a
//! [`Visit`]or. [`scan_reader`] feeds it from any reader (a `.gz`, a zip entry, a file) through one buffer, so
//! memory does not grow with the log; [`super::chunks`] feeds several scanners from parts of one file at once.

use super::bytemask;
use super::fields::{self, Layout};
use super::line::{trim_end, Fit, Span, Splitter};
use super::record::Record;
use crate::readers::Problem;
use std::io::{self, Read};
use std::sync::Arc;

/// What a scan is for: called once per data line, in file order.
pub trait Visit {
    /// A data line. Its spans are complete.
    fn record(&mut self, r: &Record<'_>);

    /// How many leading fields of `layout` [`Visit::early`] reads (all, unless a visitor says fewer).
    fn prefix(&self, _layout: &Layout) -> usize {
        usize::MAX
    }

    /// A first look at a data line that fits the layout in force, with at least its first [`Visit::prefix`]
    /// fields split: false when the visitor is done with it ([`Visit::record`] is then not called for it).
    fn early(&mut self, _r: &Record<'_>) -> bool {
        true
    }
}

/// The directives in force at a point of a file.
#[derive(Debug, Clone)]
pub struct Header {
    /// The layout data lines are read with.
    pub layout: Arc<Layout>,
    /// True once a `#Fields` line was seen (before that, `layout` is the IIS default, assumed).
    pub seen_fields: bool,
    /// Layouts a line that does not fit may be read with: the IIS defaults, then every `#Fields` seen so far.
    pub alternates: Vec<Arc<Layout>>,
    /// `#Date:`'s date (`YYYY-MM-DD`).
    pub date: Option<Box<[u8]>>,
    /// `#Software:`'s value.
    pub software: Option<String>,
}

impl Default for Header {
    fn default() -> Self {
        let alternates = fields::defaults();
        Header {
            layout: Arc::clone(&alternates[0]),
            seen_fields: false,
            alternates,
            date: None,
            software: None,
        }
    }
}

impl Header {
    /// Applies a `#` line. Unknown directives are comments.
    pub fn apply(&mut self, line: &[u8]) {
        let line = trim_end(line);
        let Some(colon) = memchr::memchr(b':', line) else {
            return;
        };
        let (name, value) = (&line[1..colon], trim_start(&line[colon + 1..]));
        if name.eq_ignore_ascii_case(b"Fields") {
            let layout = Layout::from_directive(value);
            if layout.is_empty() {
                return;
            }
            let layout = match self.alternates.iter().find(|a| ***a == layout) {
                Some(same) => Arc::clone(same),
                None => {
                    let l = Arc::new(layout);
                    self.alternates.push(Arc::clone(&l));
                    l
                }
            };
            self.layout = layout;
            self.seen_fields = true;
        } else if name.eq_ignore_ascii_case(b"Date") || name.eq_ignore_ascii_case(b"Start-Date") {
            if value.len() >= 10 {
                self.date = Some(value[..10].into());
            }
        } else if name.eq_ignore_ascii_case(b"Software") {
            self.software = Some(String::from_utf8_lossy(value).into_owned());
        }
    }
}

impl Header {
    /// True when the lines of a range read from `other` in force read as from `self`: same layout, and the same
    /// alternates and `#Date` where the range's scan used them (`used_alternates`, `used_header_date`).
    pub fn reads_like(&self, other: &Header, used_alternates: bool, used_header_date: bool) -> bool {
        let same_layouts =
            |a: &[Arc<Layout>], b: &[Arc<Layout>]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y);
        self.seen_fields == other.seen_fields
            && self.layout == other.layout
            && (!used_header_date || self.date == other.date)
            && (!used_alternates || same_layouts(&self.alternates, &other.alternates))
    }
}

fn trim_start(v: &[u8]) -> &[u8] {
    let n = v.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    &v[n..]
}

/// The longest directive line a range scan hands on.
pub const MAX_DIRECTIVE: usize = 64 << 10;

/// At most this many located warnings are kept per file; the rest are counted.
pub const MAX_WARNINGS: usize = 20;

/// What a scan saw, besides the records it handed out.
#[derive(Debug, Default, Clone)]
pub struct ScanReport {
    /// Lines handled (data, directives, blank), set at the end of a range scan (see [`super::chunks`]).
    pub lines: u64,
    /// Data lines read (every non-blank line that is not a directive).
    pub records: u64,
    /// Data lines read before any `#Fields` (with an assumed IIS default layout).
    pub headerless: u64,
    /// Data lines that did not fit any layout exactly (some fields lost or guessed).
    pub misfits: u64,
    /// `#Fields` blocks seen.
    pub field_blocks: u64,
    pub warnings: Vec<Problem>,
    /// Warnings beyond [`MAX_WARNINGS`].
    pub more_warnings: u64,
    /// The last `#Software:` seen.
    pub software: Option<String>,
}

impl ScanReport {
    fn warn(&mut self, p: Problem) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(p);
        } else {
            self.more_warnings += 1;
        }
    }

    /// Moves the line numbers of the warnings `n` lines on (a range's numbers count from the range's start).
    pub fn shift_lines(&mut self, n: u64) {
        for w in &mut self.warnings {
            if let Some(l) = &mut w.line {
                *l += n;
            }
        }
    }

    /// Adds a later part of the same file.
    pub fn merge(&mut self, later: ScanReport) {
        self.lines += later.lines;
        self.records += later.records;
        self.headerless += later.headerless;
        self.misfits += later.misfits;
        self.field_blocks += later.field_blocks;
        for w in later.warnings {
            self.warn(w);
        }
        self.more_warnings += later.more_warnings;
        if later.software.is_some() {
            self.software = later.software;
        }
    }
}

/// Scans lines, keeping the directive state.
#[derive(Debug, Default)]
pub struct Scanner {
    pub header: Header,
    /// The number of the last line handled (0 before the first).
    pub line: u64,
    pub report: ScanReport,
    /// The directive lines seen, in order, when `Some` (a range scan hands them on; see [`super::chunks`]).
    pub directives: Option<Vec<Box<[u8]>>>,
    /// True once a line did not fit the layout in force exactly (its reading may have used the alternates).
    pub used_alternates: bool,
    /// Set by a range scan from a guessed header: a line that does not fit before any directive is seen stops the
    /// scan (see [`Scanner::gave_up`]), the guess being most likely wrong.
    pub give_up_on_misfit: bool,
    /// True when the scan stopped early (see [`Scanner::give_up_on_misfit`]): what it holds is to be thrown away.
    pub gave_up: bool,
    /// True once a line was read with a layout that has no `date` field (its date came from `#Date`).
    pub used_header_date: bool,
    /// How many leading tokens of a line the visitor's first look needs (see [`Visit::prefix`]).
    prefix: usize,
    splitter: Splitter,
}

impl Scanner {
    /// A scanner that starts after line `line` with `header` in force.
    pub fn at(header: Header, line: u64) -> Scanner {
        Scanner {
            header,
            line,
            ..Scanner::default()
        }
    }

    /// Handles one line (without its `\n`).
    pub fn line(&mut self, raw: &[u8], visit: &mut impl Visit) {
        self.splitter.split_spaces(raw);
        let tokens = self.splitter.spans.len();
        self.split_line(raw, tokens, visit);
    }

    /// Handles one line of `tokens` single-space tokens, the first ones (at least the visitor's
    /// [`Visit::prefix`], or all but the last) already in `self.splitter.spans`.
    #[inline]
    fn split_line(&mut self, raw: &[u8], mut tokens: usize, visit: &mut impl Visit) {
        self.line += 1;
        let mut line = trim_end(raw);
        if line.len() < raw.len() {
            if memchr::memchr(b' ', &raw[line.len()..]).is_some() {
                self.splitter.split_spaces(line);
                tokens = self.splitter.spans.len();
            } else {
                self.splitter.truncate(line.len());
            }
        }
        if self.line == 1 && line.starts_with(b"\xEF\xBB\xBF") {
            line = &line[3..];
            self.splitter.split_spaces(line);
            tokens = self.splitter.spans.len();
        }
        match line.first() {
            None => {}
            Some(b'#') => {
                self.directive(line);
                self.prefix = visit.prefix(&self.header.layout);
            }
            Some(_) if tokens == self.header.layout.len() => {
                // The common case: the line fits the layout in force.
                self.report.records += 1;
                let headerless = !self.header.seen_fields;
                if headerless {
                    self.report.headerless += 1;
                }
                let layout = &self.header.layout;
                if layout.date.is_none() {
                    self.used_header_date = true;
                }
                if self.splitter.spans.len() < self.prefix {
                    self.splitter.complete(line, tokens);
                }
                if self.splitter.spans.len() < tokens {
                    let record = self.record(line, layout);
                    if !visit.early(&record) {
                        return;
                    }
                    self.splitter.complete(line, tokens);
                }
                let record = self.record(line, layout);
                visit.record(&record);
            }
            Some(_) => {
                self.splitter.complete(line, tokens);
                self.misfit(line, visit);
            }
        }
    }

    /// The record of `line`, split into this scanner's spans, read with `layout`.
    #[inline(always)]
    fn record<'s>(&'s self, line: &'s [u8], layout: &'s Layout) -> Record<'s> {
        Record {
            line,
            number: self.line,
            spans: &self.splitter.spans,
            layout,
            header_date: self.header.date.as_deref(),
        }
    }

    /// A data line whose token count is not its layout's: fitted the slow way (see [`Splitter::check`]).
    #[cold]
    #[inline(never)]
    fn misfit(&mut self, line: &[u8], visit: &mut impl Visit) {
        let headerless = !self.header.seen_fields;
        let (layout, fit) = self
            .splitter
            .check(line, &self.header.layout, &self.header.alternates, headerless);
        if layout.date.is_none() {
            self.used_header_date = true;
        }
        if fit != Fit::Exact {
            self.used_alternates = true;
            if self.give_up_on_misfit && self.directives.as_ref().is_some_and(Vec::is_empty) {
                self.gave_up = true;
            }
            note_fit(
                &mut self.report,
                self.line,
                self.splitter.spans.len(),
                &self.header.layout,
                layout,
                fit,
                headerless,
            );
        }
        self.report.records += 1;
        if headerless {
            self.report.headerless += 1;
        }
        let record = self.record(line, layout);
        visit.record(&record);
    }

    #[cold]
    fn directive(&mut self, line: &[u8]) {
        if line.len() > 7 && line[1..8].eq_ignore_ascii_case(b"Fields:") {
            self.report.field_blocks += 1;
        }
        if let Some(d) = &mut self.directives {
            d.push(line[..line.len().min(MAX_DIRECTIVE)].into());
        }
        self.header.apply(line);
        if self.header.software.is_some() {
            self.report.software = self.header.software.clone();
        }
    }

    /// Handles every `\n`-terminated line of `buf`; returns the bytes used (up to and including the last `\n`).
    ///
    /// One pass finds newlines and spaces together, 64 bytes at a time ([`bytemask::masks`]); a line's spaces
    /// are counted, and only the first [`Visit::prefix`] of its tokens are split while its end is being found.
    pub fn lines(&mut self, buf: &[u8], visit: &mut impl Visit) -> usize {
        self.prefix = visit.prefix(&self.header.layout);
        let mut at = Cursor::default();
        self.splitter.spans.clear();
        let blocks = buf.chunks_exact(64);
        let tail = blocks.remainder();
        let tail_at = buf.len() - tail.len();
        for (k, block) in blocks.enumerate() {
            let block: &[u8; 64] = block.try_into().unwrap_or(&[0; 64]);
            self.block(buf, k * 64, bytemask::masks(block), &mut at, visit);
        }
        if !tail.is_empty() {
            let mut last = [0u8; 64];
            last[..tail.len()].copy_from_slice(tail);
            self.block(buf, tail_at, bytemask::masks(&last), &mut at, visit);
        }
        self.splitter.spans.clear();
        at.line_start
    }

    /// The newlines `nl` and spaces `sp` of the 64 bytes of `buf` at `base`.
    #[inline(always)]
    fn block(
        &mut self,
        buf: &[u8],
        base: usize,
        (mut nl, mut sp): (u64, u64),
        at: &mut Cursor,
        visit: &mut impl Visit,
    ) {
        loop {
            let below = if nl == 0 { sp } else { sp & (nl - 1) };
            at.spaces(&mut self.splitter.spans, below, base, self.prefix);
            if nl == 0 {
                return;
            }
            let pos = base + nl.trailing_zeros() as usize;
            let tokens = at.spaces + 1;
            self.split_line(&buf[at.line_start..pos], tokens, visit);
            self.splitter.spans.clear();
            *at = Cursor {
                line_start: pos + 1,
                tok_start: pos + 1,
                spaces: 0,
            };
            sp &= !(nl ^ (nl - 1));
            nl &= nl - 1;
        }
    }
}

/// Where the scan of a buffer is: the current line's start, its current token's start, its spaces so far.
#[derive(Debug, Default)]
struct Cursor {
    line_start: usize,
    tok_start: usize,
    spaces: usize,
}

impl Cursor {
    /// Takes the spaces `sp` of the block at `base`: each ends a token, split while fewer than `prefix` are.
    #[inline(always)]
    fn spaces(&mut self, spans: &mut Vec<Span>, mut sp: u64, base: usize, prefix: usize) {
        while sp != 0 && spans.len() < prefix {
            let pos = base + sp.trailing_zeros() as usize;
            spans.push((
                (self.tok_start - self.line_start) as u32,
                (pos - self.line_start) as u32,
            ));
            self.tok_start = pos + 1;
            self.spaces += 1;
            sp &= sp - 1;
        }
        self.spaces += sp.count_ones() as usize;
    }
}

#[cold]
fn note_fit(
    report: &mut ScanReport,
    line: u64,
    tokens: usize,
    in_force: &Layout,
    used: &Layout,
    fit: Fit,
    headerless: bool,
) {
    let header = if headerless {
        "the assumed IIS default fields list".to_string()
    } else {
        "the #Fields in force lists".to_string()
    };
    let msg = match fit {
        Fit::Exact | Fit::Collapsed | Fit::Quoted => return,
        Fit::Alternate if headerless => return,
        Fit::Alternate => format!(
            "{tokens} fields where {header} {}: read with {} that has {tokens}",
            in_force.len(),
            describe(used)
        ),
        Fit::Extra(n) => format!("{tokens} fields where {header} {}: the last {n} not read", used.len()),
        Fit::Short(n) => format!(
            "{tokens} fields where {header} {}: the last {n} ({}) missing",
            used.len(),
            used.names[used.len() - n..].join(" ")
        ),
    };
    report.misfits += 1;
    report.warn(Problem::at(line, msg));
}

fn describe(l: &Layout) -> &'static str {
    let names: Vec<&str> = l.names.iter().map(|n| &**n).collect();
    if names == fields::IIS7_DEFAULT {
        "the IIS 7+ default layout"
    } else if names == fields::IIS6_DEFAULT {
        "the IIS 6 default layout"
    } else if names == fields::IIS_ALL {
        "the all-fields IIS layout"
    } else {
        "an earlier #Fields of this file"
    }
}

/// The buffer size of a streamed scan.
pub const BUFFER: usize = 1 << 20;
/// A line longer than this is cut (its start is read, the rest skipped) so that memory stays bounded.
pub const MAX_LINE: usize = 16 << 20;

/// Scans everything `reader` yields, through one buffer.
pub fn scan_reader(reader: impl Read, scanner: &mut Scanner, visit: &mut impl Visit) -> io::Result<()> {
    scan_through(reader, scanner, visit, &mut vec![0u8; BUFFER])
}

/// [`scan_reader`] through `buf` (not empty), which a caller can reuse from scan to scan (it grows, up to
/// [`MAX_LINE`], when a line does not fit).
pub fn scan_through(
    mut reader: impl Read,
    scanner: &mut Scanner,
    visit: &mut impl Visit,
    buf: &mut Vec<u8>,
) -> io::Result<()> {
    if buf.is_empty() {
        buf.resize(BUFFER, 0);
    }
    let mut filled = 0usize;
    let mut skipping = false;
    loop {
        if filled == buf.len() {
            if buf.len() < MAX_LINE {
                buf.resize(buf.len() * 2, 0);
            } else {
                // One line fills the largest buffer: read its start, skip to its end.
                if !skipping {
                    scanner.line(&buf[..filled], visit);
                    scanner.report.warn(Problem::at(
                        scanner.line,
                        format!("longer than {} MiB: cut", MAX_LINE >> 20),
                    ));
                }
                skipping = true;
                filled = 0;
            }
        }
        let n = match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let mut old = filled;
        filled += n;
        if skipping {
            match memchr::memchr(b'\n', &buf[old..filled]) {
                Some(i) => {
                    buf.copy_within(old + i + 1..filled, 0);
                    filled -= old + i + 1;
                    old = 0;
                    skipping = false;
                }
                None => {
                    filled = 0;
                    continue;
                }
            }
        }
        // Lines end only in the bytes just read: without a newline there, there is no new line to scan (and a
        // long line is not rescanned from its start at every read).
        if memchr::memchr(b'\n', &buf[old..filled]).is_none() {
            continue;
        }
        let used = scanner.lines(&buf[..filled], visit);
        if used > 0 {
            buf.copy_within(used..filled, 0);
            filled -= used;
        }
        if scanner.gave_up {
            return Ok(());
        }
    }
    if filled > 0 && !skipping {
        scanner.line(&buf[..filled], visit);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect(Vec<(u64, Vec<String>, usize)>);
    impl Visit for Collect {
        fn record(&mut self, r: &Record<'_>) {
            let status = r.raw(r.layout.status).map(|s| String::from_utf8_lossy(s).into_owned());
            let stem = r.raw(r.layout.stem).map(|s| String::from_utf8_lossy(s).into_owned());
            self.0
                .push((r.number, [stem, status].into_iter().flatten().collect(), r.layout.len()));
        }
    }

    fn scan(text: &[u8]) -> (Collect, Scanner) {
        let mut s = Scanner::default();
        let mut c = Collect::default();
        scan_reader(text, &mut s, &mut c).unwrap();
        (c, s)
    }

    #[test]
    fn a_new_fields_block_changes_the_layout_from_there_on() {
        let log =
            b"#Software: Microsoft Internet Information Services 6.0\r\n#Fields: date time cs-uri-stem sc-status\r\n\
2008-01-01 00:00:00 /owa/auth/logon.aspx 200\r\n\r\n#Fields: date time sc-status cs-uri-stem\r\n\
2008-01-01 00:00:01 440 /owa/\r\n2008-01-01 00:00:02 401 /owa/8.1.240.6/themes/x.gif";
        let (c, s) = scan(log);
        assert_eq!(
            c.0,
            vec![
                (3, vec!["/owa/auth/logon.aspx".into(), "200".into()], 4),
                (6, vec!["/owa/".into(), "440".into()], 4),
                (7, vec!["/owa/8.1.240.6/themes/x.gif".into(), "401".into()], 4),
            ]
        );
        assert_eq!(s.report.records, 3);
        assert_eq!(s.report.headerless, 0);
        assert!(s.report.warnings.is_empty());
    }

    #[test]
    fn headerless_lines_use_the_iis_default_and_say_so_in_the_report() {
        let (c, s) = scan(b"2018-12-31 12:02:53 10.44.0.136 GET /Director - 443 - 10.50.6.188 UA - 401 0 0 0\n");
        assert_eq!(c.0[0].1, ["/Director", "401"]);
        assert_eq!(s.report.headerless, 1);
    }

    #[test]
    fn lines_that_do_not_fit_are_kept_and_counted() {
        let log =
            b"#Fields: date time cs-uri-stem sc-status\n2008-01-01 00:00:00 /owa\n2008-01-01 00:00:00 /a 200 extra\n";
        let (c, s) = scan(log);
        assert_eq!(c.0.len(), 2);
        assert_eq!(s.report.misfits, 2);
        assert_eq!(s.report.warnings[0].line, Some(2));
        assert!(
            s.report.warnings[0].message.contains("sc-status"),
            "{:?}",
            s.report.warnings
        );
    }

    #[test]
    fn very_long_lines_are_cut_and_the_scan_goes_on() {
        let mut log = b"#Fields: date time cs-uri-stem sc-status\n2008-01-01 00:00:00 /".to_vec();
        log.extend(std::iter::repeat_n(b'a', MAX_LINE + 10));
        log.extend(b" 200\n2008-01-01 00:00:01 /b 404\n");
        let (c, s) = scan(&log);
        assert_eq!(c.0.len(), 2);
        assert_eq!(c.0[1], (3, vec!["/b".into(), "404".into()], 4));
        assert!(s.report.warnings.iter().any(|w| w.message.contains("cut")));
    }
}
