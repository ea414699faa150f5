//! Reader for .evtx files (Windows 2008 and later: `wevtutil epl Security c:\security.evtx`), with the `evtx`
//! crate. The file is streamed chunk by chunk (64 KiB each), never held whole; a chunk or record that cannot be
//! read becomes a located error ("chunk 6: ...") and the reading goes on with the next one.
//!
//! Evidence from an .evtx is located by its record id, given as the "line" of the [`Source`]: an .evtx has no
//! lines. It is the id in the record's header, the one the evtx crate and `evtx_dump` report; Event Viewer's
//! `EventRecordID` (inside the event, kept as `record_id`) is the same number in a log Windows wrote, and differs
//! only in logs rebuilt from selected records.

use super::record::walk_events;
use super::{computer_name, finish, MAX_ERRORS_LISTED};
use crate::bundle::{BundleFile, Content};
use crate::facts::events::{is_logon_failure_id, FailureCollector};
use crate::facts::{Located, Source};
use crate::readers::{Problem, ReadOutput};
use evtx::err::EvtxError;
use evtx::EvtxParser;
use std::io::Cursor;

/// The largest compressed (.evtx.gz) event log read into memory; plain files on disk are streamed at any size.
pub const MAX_IN_MEMORY: u64 = 1 << 30;

pub fn read(file: &BundleFile) -> ReadOutput {
    let parser = match (&file.content, file.is_gzip()) {
        (Content::Disk(p), false) => std::fs::File::open(p)
            .map_err(|e| format!("cannot be read: {e}"))
            .and_then(|f| EvtxParser::from_read_seek(f).map_err(describe))
            .map(|p| read_parser(p, &file.path)),
        (Content::Memory(b), false) => EvtxParser::from_read_seek(Cursor::new(b.clone()))
            .map_err(describe)
            .map(|p| read_parser(p, &file.path)),
        _ => file
            .read_all(MAX_IN_MEMORY)
            .map_err(|e| format!("cannot be read: {e}"))
            .and_then(|bytes| EvtxParser::from_buffer(bytes).map_err(describe))
            .map(|p| read_parser(p, &file.path)),
    };
    parser.unwrap_or_else(|message| ReadOutput {
        errors: vec![Problem::file(format!("not a readable .evtx file: {message}"))],
        ..ReadOutput::default()
    })
}

fn read_parser<T: std::io::Read + std::io::Seek>(mut parser: EvtxParser<T>, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let mut failures = FailureCollector::default();
    let (mut records, mut errors) = (0u64, 0u64);
    for rec in parser.records() {
        match rec {
            Ok(rec) => {
                records += 1;
                if out.facts.server_names.is_empty() {
                    if let Some(c) = quick_computer(&rec.data) {
                        computer_name(&mut out, c, Source::at(path, rec.event_record_id));
                    }
                }
                if !quick_event_id(&rec.data).is_some_and(is_logon_failure_id) {
                    continue;
                }
                let mut found = Vec::new();
                let parsed = walk_events(&rec.data, |f| found.push(f));
                for f in found {
                    if let Some(mut failure) = f.event.logon_failure() {
                        failure.record_id = failure.record_id.or(Some(rec.event_record_id));
                        let excerpt = failure.one_line();
                        failures.add(Located::new(failure, Source::at(path, rec.event_record_id), excerpt));
                    }
                }
                if let Err((_, message)) = parsed {
                    errors += 1;
                    if out.errors.len() < MAX_ERRORS_LISTED {
                        out.errors.push(Problem::file(format!(
                            "record {}: rendered XML not readable: {message}",
                            rec.event_record_id
                        )));
                    }
                }
            }
            Err(e) => {
                errors += 1;
                if out.errors.len() < MAX_ERRORS_LISTED {
                    out.errors.push(Problem::file(describe(e)));
                }
            }
        }
    }
    if errors as usize > MAX_ERRORS_LISTED {
        out.notes.push(format!(
            "{errors} unreadable chunks or records in all; the first {MAX_ERRORS_LISTED} are listed"
        ));
    }
    if errors > 0 {
        out.notes.push(format!(
            "{records} records read; {errors} chunks or records could not be read and were skipped"
        ));
    }
    finish(&mut out, path, "evtx", records, errors, failures);
    out
}

/// The event id of a rendered record, found without parsing the whole XML (most records are not failures).
fn quick_event_id(xml: &str) -> Option<u32> {
    let at = xml.find("<EventID")?;
    let rest = &xml[at..];
    let gt = rest.find('>')?;
    let digits: String = rest[gt + 1..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The `<Computer>` of a rendered record.
fn quick_computer(xml: &str) -> Option<&str> {
    let start = xml.find("<Computer>")? + "<Computer>".len();
    let end = xml[start..].find('<')?;
    Some(&xml[start..start + end]).filter(|c| !c.trim().is_empty())
}

/// An evtx error with its chain of causes, led by where it happened: `chunk 6: ...`, `record 1234: ...`.
fn describe(e: EvtxError) -> String {
    let lead = match &e {
        EvtxError::FailedToParseChunk { chunk_id, .. } => format!("chunk {chunk_id}"),
        EvtxError::FailedToParseRecord { record_id, .. } => format!("record {record_id}"),
        EvtxError::FailedToReadRecordAt { chunk: Some(c), .. } => format!("chunk {c}"),
        _ => String::new(),
    };
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    let chain = parts.join(": ");
    if lead.is_empty() {
        chain
    } else {
        format!("{lead}: {chain}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_id_is_found_without_a_full_parse() {
        assert_eq!(
            quick_event_id("<Event><System><EventID Qualifiers=\"\">4625</EventID></System></Event>"),
            Some(4625)
        );
        assert_eq!(quick_event_id("<Event/>"), None);
    }

    #[test]
    fn a_file_that_is_not_evtx_is_one_error() {
        let out = read(&BundleFile::in_memory("x.evtx".into(), b"ElfFile\0short".to_vec()));
        assert_eq!(out.errors.len(), 1);
        assert!(out.errors[0].message.contains("not a readable .evtx"));
    }
}
