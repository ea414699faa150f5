//! Splitting one data line into tokens, and fitting the tokens to a layout.
//!
//! The hot path is one `memchr` pass over single spaces into a reused span buffer: no allocation per line. Only a
//! line whose token count does not match the `#Fields` in force takes the slow path, which tries, in order:
//! runs of spaces as one separator (a doubled space is an artefact: IIS writes `-` for an empty field, never
//! nothing), double-quoted values holding spaces (IIS Advanced Logging, CDN exports), an earlier layout of the same
//! file or an IIS default with exactly that many fields (a header lost in a restart, as in beats' `test.log`), and
//! finally the fields that can be kept by position.

use super::fields::Layout;
use std::sync::Arc;

/// A token's byte range in its line.
pub type Span = (u32, u32);

/// How a line's tokens were matched to a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// As many single-space tokens as fields.
    Exact,
    /// Runs of spaces taken as one separator.
    Collapsed,
    /// Double-quoted values kept whole.
    Quoted,
    /// Another layout (an earlier `#Fields` of the file, or an IIS default) has exactly this many fields.
    Alternate,
    /// More tokens than fields: the first ones read, this many left over.
    Extra(usize),
    /// Fewer tokens than fields: the fields after the last token are missing; this many.
    Short(usize),
}

/// The tokens of one line, their spans reused from line to line.
#[derive(Debug, Default)]
pub struct Splitter {
    pub spans: Vec<Span>,
}

impl Splitter {
    /// Splits on single spaces (the W3C separator).
    pub fn split_spaces(&mut self, line: &[u8]) {
        self.spans.clear();
        let mut start = 0u32;
        for pos in memchr::memchr_iter(b' ', line) {
            self.spans.push((start, pos as u32));
            start = pos as u32 + 1;
        }
        self.spans.push((start, line.len() as u32));
    }

    /// Splits the rest of `line` on single spaces: the spans so far are its first tokens (each ended by a space),
    /// and it has `tokens` in all.
    #[inline]
    pub fn complete(&mut self, line: &[u8], tokens: usize) {
        if self.spans.len() >= tokens {
            return;
        }
        let from = self.spans.last().map_or(0, |&(_, e)| e as usize + 1);
        let mut start = from;
        for (k, part) in line[from..].chunks(64).enumerate() {
            let mut block = [0u8; 64];
            block[..part.len()].copy_from_slice(part);
            let (_, mut sp) = super::bytemask::masks(&block);
            while sp != 0 {
                let end = from + k * 64 + sp.trailing_zeros() as usize;
                self.spans.push((start as u32, end as u32));
                start = end + 1;
                sp &= sp - 1;
            }
        }
        self.spans.push((start as u32, line.len() as u32));
    }

    /// Splits on runs of spaces and tabs.
    fn split_runs(&mut self, line: &[u8]) {
        self.spans.clear();
        let mut i = 0usize;
        while i < line.len() {
            while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
                i += 1;
            }
            if i == line.len() {
                break;
            }
            let start = i;
            while i < line.len() && line[i] != b' ' && line[i] != b'\t' {
                i += 1;
            }
            self.spans.push((start as u32, i as u32));
        }
    }

    /// Splits on runs of spaces, keeping a value that starts with `"` whole up to its closing quote (`""` inside
    /// is an escaped quote).
    fn split_quoted(&mut self, line: &[u8]) {
        self.spans.clear();
        let mut i = 0usize;
        while i < line.len() {
            while i < line.len() && line[i] == b' ' {
                i += 1;
            }
            if i == line.len() {
                break;
            }
            let start = i;
            if line[i] == b'"' {
                i += 1;
                loop {
                    match memchr::memchr(b'"', &line[i..]) {
                        Some(q) => {
                            i += q + 1;
                            if line.get(i) == Some(&b'"') {
                                i += 1;
                                continue;
                            }
                            if i == line.len() || line[i] == b' ' {
                                break;
                            }
                        }
                        None => {
                            i = line.len();
                            break;
                        }
                    }
                }
            } else {
                while i < line.len() && line[i] != b' ' {
                    i += 1;
                }
            }
            self.spans.push((start as u32, i as u32));
        }
    }

    /// Splits `line` and fits it to `layout`; returns the layout the tokens are read with and how they fit.
    /// `alternates` are the other layouts worth trying (earlier `#Fields` of the file, then the IIS defaults).
    /// `headerless`: no `#Fields` seen yet, so `layout` is itself a guess; a longer line is then read with the
    /// longest default it covers (custom fields such as X-Forwarded-For come last).
    pub fn fit<'l>(
        &mut self,
        line: &[u8],
        layout: &'l Arc<Layout>,
        alternates: &'l [Arc<Layout>],
        headerless: bool,
    ) -> (&'l Arc<Layout>, Fit) {
        self.split_spaces(line);
        self.check(line, layout, alternates, headerless)
    }

    /// [`Splitter::fit`] for spans already split on single spaces (by [`Splitter::split_spaces`] or by the
    /// scanner's own pass).
    #[inline]
    pub fn check<'l>(
        &mut self,
        line: &[u8],
        layout: &'l Arc<Layout>,
        alternates: &'l [Arc<Layout>],
        headerless: bool,
    ) -> (&'l Arc<Layout>, Fit) {
        if self.spans.len() == layout.len() {
            return (layout, Fit::Exact);
        }
        self.slow_fit(line, layout, alternates, headerless)
    }

    /// Cuts the spans to a line trimmed to `len` bytes (spans past it dropped, the last one shortened).
    #[inline]
    pub fn truncate(&mut self, len: usize) {
        let len = len as u32;
        while self.spans.last().is_some_and(|&(s, _)| s > len) {
            self.spans.pop();
        }
        if let Some(last) = self.spans.last_mut() {
            last.1 = last.1.min(len);
        }
    }

    #[cold]
    fn slow_fit<'l>(
        &mut self,
        line: &[u8],
        layout: &'l Arc<Layout>,
        alternates: &'l [Arc<Layout>],
        headerless: bool,
    ) -> (&'l Arc<Layout>, Fit) {
        let want = layout.len();
        let has_empty = self.spans.iter().any(|&(s, e)| s == e) || memchr::memchr(b'\t', line).is_some();
        if has_empty {
            self.split_runs(line);
            if self.spans.len() == want {
                return (layout, Fit::Collapsed);
            }
        }
        if memchr::memchr(b'"', line).is_some() {
            self.split_quoted(line);
            if self.spans.len() == want {
                return (layout, Fit::Quoted);
            }
            if has_empty {
                self.split_runs(line);
            } else {
                self.split_spaces(line);
            }
        }
        let n = self.spans.len();
        if let Some(alt) = alternates.iter().rev().find(|a| a.len() == n && a.describes_requests()) {
            return (alt, Fit::Alternate);
        }
        if headerless {
            if let Some(alt) = alternates
                .iter()
                .filter(|a| a.len() < n && a.len() > want && a.describes_requests())
                .max_by_key(|a| a.len())
            {
                return (alt, Fit::Extra(n - alt.len()));
            }
        }
        if n > want {
            (layout, Fit::Extra(n - want))
        } else {
            (layout, Fit::Short(want - n))
        }
    }
}

/// Bytes equal to zero in `x`, as 0x80 in each such byte (exact: no false positives).
#[inline(always)]
pub fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
}

/// Eight copies of a byte.
#[inline(always)]
pub const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101u64 * b as u64
}

/// Trims the line end: CR (CRLF files), and spaces or tabs (IIS never ends a data line with one; pasted logs do).
#[inline]
pub fn trim_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\r' | b' ' | b'\t') {
        end -= 1;
    }
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::super::fields::{self, Layout};
    use super::*;

    fn toks<'a>(line: &'a [u8], s: &Splitter) -> Vec<&'a str> {
        s.spans
            .iter()
            .map(|&(a, b)| std::str::from_utf8(&line[a as usize..b as usize]).unwrap())
            .collect()
    }

    #[test]
    fn exact_and_collapsed() {
        let layout = Arc::new(Layout::new(&["date", "time", "cs-username", "sc-status"]));
        let mut s = Splitter::default();
        let line = b"2024-01-01 10:00:00 - 200";
        assert_eq!(s.fit(line, &layout, &[], false).1, Fit::Exact);
        let line = b"2024-01-01 10:00:00  CONTOSO\\ann 200";
        assert_eq!(s.fit(line, &layout, &[], false).1, Fit::Collapsed);
        assert_eq!(toks(line, &s), ["2024-01-01", "10:00:00", "CONTOSO\\ann", "200"]);
    }

    #[test]
    fn quoted_values_keep_their_spaces() {
        let layout = Arc::new(Layout::new(&["date", "cs(User-Agent)", "sc-substatus", "sc-status"]));
        let mut s = Splitter::default();
        let line = br#"2012-08-15 "Mozilla/5.0 (X11; Linux)" " ""garbage"" w/ spaces " 404"#;
        assert_eq!(s.fit(line, &layout, &[], false).1, Fit::Quoted);
        assert_eq!(
            toks(line, &s),
            [
                "2012-08-15",
                "\"Mozilla/5.0 (X11; Linux)\"",
                "\" \"\"garbage\"\" w/ spaces \"",
                "404"
            ]
        );
    }

    #[test]
    fn an_iis_default_fits_a_line_the_header_does_not() {
        let layout = Arc::new(Layout::new(fields::IIS_ALL));
        let alternates = fields::defaults();
        let mut s = Splitter::default();
        let line = b"2018-12-31 12:52:33 10.44.0.136 GET / - 443 - 10.50.6.188 Mozilla/4.0 - 401 0 0 0";
        let (l, fit) = s.fit(line, &layout, &alternates, false);
        assert_eq!(fit, Fit::Alternate);
        assert_eq!(l.len(), 15);
    }

    #[test]
    fn extra_and_short() {
        let layout = Arc::new(Layout::new(&["date", "time", "sc-status"]));
        let mut s = Splitter::default();
        assert_eq!(s.fit(b"a b c d", &layout, &[], false).1, Fit::Extra(1));
        assert_eq!(s.fit(b"a b", &layout, &[], false).1, Fit::Short(1));
    }

    #[test]
    fn completing_a_prefix_gives_the_whole_split() {
        let line = b"2024-05-01 00:00:00 10.0.0.5 GET /owa/auth/logon.aspx replaceCurrent=1&url=https%3a%2f%2fmail.contoso.com%2fowa%2f 443 - 10.20.9.106 Mozilla/5.0+(Windows;+U;+Windows+NT+6.0) - 200 0 0 487";
        let mut whole = Splitter::default();
        whole.split_spaces(line);
        for keep in 0..whole.spans.len() {
            let mut s = Splitter {
                spans: whole.spans[..keep].to_vec(),
            };
            s.complete(line, whole.spans.len());
            assert_eq!(s.spans, whole.spans, "{keep} kept");
        }
    }

    #[test]
    fn zero_bytes_is_exact() {
        let w = u64::from_le_bytes(*b"a b\n  xy");
        assert_eq!(zero_bytes(w ^ splat(b' ')), 0x0000_8080_0000_8000);
        assert_eq!(zero_bytes(w ^ splat(b'\n')), 0x0000_0000_8000_0000);
        let w = u64::from_le_bytes([0x20, 0xA0, 0x21, 0x1F, 0x00, 0xFF, 0x60, 0x20]);
        assert_eq!(zero_bytes(w ^ splat(b' ')), 0x8000_0000_0000_0080);
    }

    #[test]
    fn trims_cr_and_trailing_spaces() {
        assert_eq!(trim_end(b"a b  \r"), b"a b");
        assert_eq!(trim_end(b"\r"), b"");
    }
}
