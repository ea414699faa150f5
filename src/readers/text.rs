//! Small helpers shared by the line-oriented text readers.

/// The lines of `text` with their 1-based numbers, CR removed (CRLF, LF and lone CR all end a line).
pub fn numbered_lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim_end_matches('\r')))
}
