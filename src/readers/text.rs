//! Small helpers shared by the line-oriented text readers.

/// The lines of `text` with their 1-based numbers, CR removed (CRLF, LF and lone CR all end a line).
pub fn numbered_lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim_end_matches('\r')))
}

/// `text` with every line longer than `max` bytes replaced by an empty line (line numbers unchanged), and a
/// located error for each. Borrowed when no line is that long.
pub fn blank_long_lines(text: &str, max: usize) -> (std::borrow::Cow<'_, str>, Vec<super::Problem>) {
    let bytes = text.as_bytes();
    let mut problems = Vec::new();
    let mut kept = String::new();
    let mut copied = 0usize;
    let mut start = 0usize;
    let mut line = 1u64;
    while start <= bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        if end - start > max {
            let len = end - start - usize::from(bytes[end - 1] == b'\r');
            problems.push(super::Problem::at(
                line,
                format!(
                    "a line of {len} bytes, over the {} MiB limit of a line: skipped",
                    max >> 20
                ),
            ));
            kept.push_str(&text[copied..start]);
            copied = end;
        }
        start = end + 1;
        line += 1;
    }
    if problems.is_empty() {
        return (std::borrow::Cow::Borrowed(text), problems);
    }
    kept.push_str(&text[copied..]);
    (std::borrow::Cow::Owned(kept), problems)
}

/// Byte offsets of a text to 1-based lines, counting newlines from the last offset asked (forwards or
/// backwards), so that memory stays constant whatever the number of lines and a streamed document that asks
/// in file order costs one pass.
pub struct Lines<'t> {
    text: &'t str,
    /// The last offset asked and its line.
    at: std::cell::Cell<(usize, u64)>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        Lines {
            text,
            at: std::cell::Cell::new((0, 1)),
        }
    }

    /// The line of a byte offset (offsets past the end are the last line).
    pub fn line(&self, offset: usize) -> u64 {
        let offset = offset.min(self.text.len());
        let (from, line) = self.at.get();
        let bytes = self.text.as_bytes();
        let line = if offset >= from {
            line + memchr::memchr_iter(b'\n', &bytes[from..offset]).count() as u64
        } else {
            line - memchr::memchr_iter(b'\n', &bytes[offset..from]).count() as u64
        };
        self.at.set((offset, line));
        line
    }

    /// The line of a slice that points into the text (tag names and attributes read from the text itself);
    /// `fallback` when it does not.
    pub fn line_of(&self, bytes: &[u8], fallback: u64) -> u64 {
        let base = self.text.as_ptr() as usize;
        let at = bytes.as_ptr() as usize;
        if at >= base && at <= base + self.text.len() {
            self.line(at - base)
        } else {
            fallback
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{blank_long_lines, Lines};

    #[test]
    fn long_lines_are_blanked_and_located() {
        let (t, p) = blank_long_lines("a\nbbbbbb\r\nc\ndddddd", 4);
        assert_eq!(t, "a\n\nc\n");
        assert_eq!(p.iter().map(|p| p.line).collect::<Vec<_>>(), vec![Some(2), Some(4)]);
        assert!(matches!(blank_long_lines("ab\ncd", 4).0, std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn lines_forwards_and_backwards() {
        let l = Lines::new("a\nbb\n\nc");
        assert_eq!(l.line(0), 1);
        assert_eq!(l.line(6), 4);
        assert_eq!(l.line(2), 2);
        assert_eq!(l.line(5), 3);
        assert_eq!(l.line(1), 1);
        assert_eq!(l.line(99), 4);
    }
}
