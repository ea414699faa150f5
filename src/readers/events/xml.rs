//! Reader for `wevtutil qe Security /f:xml` output (and Event Viewer's "Save as XML": the same `<Event>` elements
//! under an `<Events>` root). Evidence lines are the line each `<Event>` starts on.

use super::record::walk_events;
use super::{computer_name, finish, LineCounter, MAX_ERRORS_LISTED};
use crate::facts::events::FailureCollector;
use crate::facts::{Located, Source};
use crate::readers::{Problem, ReadOutput};

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let mut failures = FailureCollector::default();
    let mut records = 0u64;
    let mut errors = 0u64;
    let mut lines = LineCounter::new(text);
    let mut base = 0usize;
    // A broken event (a cut line, stray text) stops the XML parser: report it and go on from the next <Event.
    loop {
        let rest = &text[base..];
        let mut found_here = Vec::new();
        let result = walk_events(rest, |f| found_here.push(f));
        for f in found_here {
            records += 1;
            if !f.event.computer.is_empty() && out.facts.server_names.is_empty() {
                let line = lines.line_at(base + f.offset);
                computer_name(&mut out, &f.event.computer, Source::at(path, line));
            }
            if let Some(failure) = f.event.logon_failure() {
                let line = lines.line_at(base + f.offset);
                let excerpt = failure.one_line();
                failures.add(Located::new(failure, Source::at(path, line), excerpt));
            }
        }
        match result {
            Ok(()) => break,
            Err((offset, message)) => {
                errors += 1;
                let at = base + offset;
                if out.errors.len() < MAX_ERRORS_LISTED {
                    out.errors.push(Problem::at(
                        lines.line_at(at),
                        format!("not readable as event XML: {message}"),
                    ));
                }
                match next_event(text, at) {
                    Some(next) => base = next,
                    None => break,
                }
            }
        }
    }
    if records == 0 && errors == 0 {
        out.errors.push(Problem::file("no <Event> element found"));
    }
    if errors as usize > MAX_ERRORS_LISTED {
        out.notes.push(format!(
            "{errors} unreadable stretches in all; the first {MAX_ERRORS_LISTED} are listed"
        ));
    }
    finish(&mut out, path, "xml", records, errors, failures);
    out
}

/// The byte offset of the next `<Event>` or `<Event ` after `from` (a byte search: `from` may sit inside a
/// character, the match never does).
fn next_event(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from + 1;
    while at < bytes.len() {
        let start = at + memchr::memmem::find(&bytes[at..], b"<Event")?;
        let after = bytes.get(start + 6).copied();
        if matches!(after, Some(b'>') | Some(b' ') | Some(b'\t') | Some(b'\r') | Some(b'\n')) {
            return Some(start);
        }
        at = start + 6;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u32, user: &str, status: &str, sub: &str, lt: u32, rid: u32) -> String {
        format!(
            r#"<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Security-Auditing"/><EventID>{id}</EventID><TimeCreated SystemTime="2010-03-02T09:14:05.000Z"/><EventRecordID>{rid}</EventRecordID><Computer>CAS01.contoso.com</Computer></System><EventData><Data Name="TargetUserName">{user}</Data><Data Name="TargetDomainName">CONTOSO</Data><Data Name="Status">{status}</Data><Data Name="SubStatus">{sub}</Data><Data Name="LogonType">{lt}</Data><Data Name="LogonProcessName">Advapi  </Data><Data Name="IpAddress">-</Data></EventData></Event>"#
        )
    }

    #[test]
    fn reads_each_event_with_its_line_and_counts_all_records() {
        let text = [
            event(4624, "alice", "0x0", "0x0", 3, 1),
            event(4625, "IUSR_CAS01", "0xc000006e", "0xc0000070", 8, 2),
            event(4625, "IUSR_CAS01", "0xc000015b", "0x0", 3, 3),
        ]
        .join("\r\n");
        let out = read(&text, "sec.xml");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.facts.event_logs[0].records, 3);
        assert_eq!(out.facts.event_logs[0].logon_failures, 2);
        let f = &out.facts.logon_failures;
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].source.line, Some(2));
        assert_eq!(f[0].value.code(), Some(0xC000_0070));
        assert_eq!(f[1].source.line, Some(3));
        assert_eq!(f[1].value.code(), Some(0xC000_015B));
        assert!(f[1].excerpt.contains("LogonType=3"), "{}", f[1].excerpt);
        let server = &out.facts.server_names;
        assert_eq!(server.len(), 1, "one server name per file");
        assert_eq!(
            (server[0].value.name.as_str(), server[0].source.line),
            ("CAS01", Some(1))
        );
    }

    #[test]
    fn a_broken_event_is_a_located_error_and_the_rest_is_read() {
        let text = format!(
            "{}\n<Event><System><EventID>4625<</EventID>\n{}\n",
            event(4625, "a", "0xc000006d", "0xc000006a", 3, 1),
            event(4625, "b", "0xc000006d", "0xc000006a", 3, 3)
        );
        let out = read(&text, "sec.xml");
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].line, Some(2));
        assert_eq!(out.facts.logon_failures.len(), 2);
        assert_eq!(out.facts.logon_failures[1].source.line, Some(3));
    }

    #[test]
    fn text_without_events_is_an_error() {
        let out = read("<Events></Events>", "x.xml");
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.facts.event_logs[0].records, 0);
    }
}
