//! A log continued from the file before it: a log cut in pieces (by hand, or by a tool that splits large files)
//! has its `#Fields` header in the first piece only. A support engineer reads the next piece with the header of
//! the piece before, not with a guessed default; so does owa440, when a W3C file starts with data lines and the
//! file before it in the same folder (in name order) is a W3C log with a `#Fields` header. The data lines are then
//! read with the last `#Fields` of that file, and a note says so.

use super::stream::{scan_reader, Header, Scanner, Visit};
use super::{read_from, Record};
use crate::bundle::kind::SNIFF_BYTES;
use crate::bundle::{BundleFile, Kind};
use crate::readers::ReadOutput;
use std::io;

/// True when the first non-blank line of `head` (the start of a file) is a data line, not a `#` directive.
pub fn starts_headerless(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .find(|l| !l.is_empty())
        .is_some_and(|l| l[0] != b'#')
}

struct Nothing;

impl Visit for Nothing {
    fn record(&mut self, _: &Record<'_>) {}
}

/// The directives in force at the end of `file` when `start` is in force at its start (one streamed pass,
/// nothing kept).
pub fn final_header(file: &BundleFile, start: Header) -> io::Result<Header> {
    let mut scanner = Scanner::at(start, 0);
    scan_reader(file.open()?, &mut scanner, &mut Nothing)?;
    Ok(scanner.header)
}

/// Reads `file` as the continuation of `before`, whose final directives are `header`.
pub fn read_continued(file: &BundleFile, kind: Kind, header: Header, before: &str) -> ReadOutput {
    let mut out = read_from(file, kind, header);
    out.notes.push(note(before));
    out
}

/// For each of `files` (a bundle's files, in path order), the log it continues and the directives in force at the
/// end of that log, when the file is a W3C log (`is_log`) that starts with data lines and the nearest W3C log
/// before it in the same folder ends with a `#Fields` in force. A chain of pieces carries the first one's header.
pub fn continuations(files: &[BundleFile], is_log: impl Fn(usize) -> bool) -> Vec<Option<(usize, Header)>> {
    let folder = |p: &str| p.rsplit_once('/').map_or("", |(f, _)| f).to_string();
    let mut out: Vec<Option<(usize, Header)>> = vec![None; files.len()];
    for i in 1..files.len() {
        if !is_log(i) {
            continue;
        }
        let headerless = files[i].head(SNIFF_BYTES).is_ok_and(|h| starts_headerless(&h));
        let before = (0..i)
            .rev()
            .take_while(|&j| folder(&files[j].path) == folder(&files[i].path))
            .find(|&j| is_log(j));
        let (true, Some(j)) = (headerless, before) else {
            continue;
        };
        let start = out[j].as_ref().map(|(_, h)| h.clone()).unwrap_or_default();
        let Ok(header) = final_header(&files[j], start) else {
            continue;
        };
        if header.seen_fields {
            out[i] = Some((j, header));
        }
    }
    out
}

/// The note on a log read as the continuation of `before`.
pub fn note(before: &str) -> String {
    format!("no #Fields header before its first data line: read with the last #Fields of {before}, the log before it")
}
