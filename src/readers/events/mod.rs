//! Security event log readers: .evtx ([`evtx`]), `wevtutil qe Security /f:xml` exports ([`xml`]) and Event
//! Viewer's CSV / tab-separated exports ([`csv`]). Each keeps only the failed logons (4625, 529-539) in one pass,
//! with a per-file [`EventLogSummary`] of record counts.

pub mod csv;
pub mod evtx;
pub mod record;
pub mod xml;

use super::ReadOutput;
use crate::facts::events::{EventLogSummary, FailureCollector};
use crate::facts::names::{NameRole, ServerName};
use crate::facts::{Located, Source};

/// How many located read errors one event log reports one by one; the rest are counted in a note.
pub const MAX_ERRORS_LISTED: usize = 50;

/// Turns what a reader collected into its output: the failures kept, and the summary with every count.
pub(crate) fn finish(
    out: &mut ReadOutput,
    path: &str,
    format: &'static str,
    records: u64,
    errors: u64,
    failures: FailureCollector,
) {
    out.facts.event_logs.push(EventLogSummary {
        path: path.to_string(),
        format,
        records,
        errors,
        logon_failures: failures.total,
        failure_counts: failures.counts(),
    });
    let kept = failures.kept.len() as u64;
    if failures.total > kept {
        out.notes.push(format!(
            "{} failed logons; the first {} of each kind (event id, account, code, logon type) are kept as located facts, all are counted",
            failures.total,
            crate::facts::events::MAX_KEPT_PER_KIND
        ));
    }
    out.facts.logon_failures.extend(failures.kept);
}

/// The server a Security log was written on: its events' `Computer` (`CAS01.contoso.com` gives `CAS01`), once per
/// file, at the first place it was seen.
pub(crate) fn computer_name(out: &mut ReadOutput, computer: &str, source: Source) {
    let name = computer.trim().split('.').next().unwrap_or("").trim();
    if name.is_empty() || out.facts.server_names.iter().any(|n| n.value.role == NameRole::Server) {
        return;
    }
    out.facts.server_names.push(Located::new(
        ServerName {
            name: name.to_string(),
            role: NameRole::Server,
        },
        source,
        format!("Computer: {}", computer.trim()),
    ));
}

/// Byte offsets to 1-based line numbers, for offsets visited in increasing order.
pub(crate) struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }
    /// The line of byte `offset` (offsets before the last one asked restart the count).
    pub fn line_at(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let newlines = memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.offset..offset]).count();
        self.line += newlines as u64;
        self.offset = offset;
        self.line
    }
}
