//! One reader per input kind. A reader turns a file into located [`Facts`] plus located errors and warnings; it
//! knows nothing of rules. Readers never panic on input; should one anyway, [`read`] catches it at the file
//! boundary and reports it as that file's error, so the rest of the bundle is still analysed.

pub mod aduser;
pub mod clixml;
pub mod events;
pub mod iis;
pub mod ldif;
pub mod local_group_member;
pub mod net;
pub mod owavdir;
pub mod secedit;
pub mod text;
pub mod w3c;
pub mod xml_errors;
pub mod xml_limits;

use crate::bundle::{decode::decode, BundleFile, Kind};
use crate::facts::Facts;
use serde::Serialize;

/// A problem in a file, located where possible (`secpol.inf line 12: ...`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub message: String,
}

impl Problem {
    pub fn at(line: u64, message: impl Into<String>) -> Self {
        Problem {
            line: Some(line),
            message: message.into(),
        }
    }
    pub fn file(message: impl Into<String>) -> Self {
        Problem {
            line: None,
            message: message.into(),
        }
    }
    /// `path line N: message` (or `path: message`).
    pub fn located(&self, path: &str) -> String {
        match self.line {
            Some(l) => format!("{path} line {l}: {}", self.message),
            None => format!("{path}: {}", self.message),
        }
    }
}

/// What a reader made of one file.
#[derive(Debug, Default, Serialize)]
pub struct ReadOutput {
    pub facts: Facts,
    /// Problems that lost content (a section that could not be read, a malformed document).
    pub errors: Vec<Problem>,
    /// Problems that did not (an odd line skipped, a value kept as text).
    pub warnings: Vec<Problem>,
    /// Facts about the reading worth telling (e.g. "no #Fields header: assumed the IIS default fields").
    pub notes: Vec<String>,
    /// The text encoding the file was decoded from, for text kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
}

/// The largest configuration or text export read whole (logs and event logs are streamed instead), XML
/// documents included. Real files are far smaller: an applicationHost.config or MetaBase.xml of a server with
/// thousands of sites is a few tens of MiB, a `wevtutil qe /f:xml` export filtered on failed logons a few MiB.
/// 256 MiB leaves a wide margin while bounding what one file costs in memory (its bytes, the decoded text, and
/// the reader's facts: well under 1 GiB). A larger file is refused, unread, with an error saying so.
pub const MAX_TEXT_BYTES: u64 = 256 << 20;

/// The longest line a line-oriented reader (secedit, net user / localgroup, Format-List, CSV, LDIF, Get-ADUser,
/// Event Viewer CSV) takes: a real line is under a few KiB (a long `SeDenyNetworkLogonRight` list, a
/// Format-List value). A longer line is replaced by an empty one (so every other line keeps its number) and
/// reported as a located error; the rest of the file is read. The W3C reader has its own limit
/// ([`w3c::stream::MAX_LINE`]).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads `file` as `kind`, catching any panic at the file boundary.
pub fn read(file: &BundleFile, kind: Kind) -> ReadOutput {
    guarded(kind, || read_kind(file, kind))
}

/// Runs a reader; a panic becomes that file's error instead of ending the run.
pub fn guarded(kind: Kind, reader: impl FnOnce() -> ReadOutput) -> ReadOutput {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(reader)) {
        Ok(out) => out,
        Err(panic) => {
            let what = crate::panic_message::take().unwrap_or_else(|| {
                panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown failure".into())
            });
            ReadOutput {
                errors: vec![Problem::file(format!(
                    "the {kind} reader failed on this file ({what}); the rest of the bundle is analysed without it"
                ))],
                ..ReadOutput::default()
            }
        }
    }
}

fn read_kind(file: &BundleFile, kind: Kind) -> ReadOutput {
    match kind {
        Kind::Secedit => with_lines(file, secedit::read),
        Kind::NetUser | Kind::NetLocalGroup => with_lines(file, net::read),
        Kind::W3cLog | Kind::HttpErrLog => w3c::read(file, kind),
        Kind::LocalGroupMemberClixml => with_text(file, local_group_member::read),
        Kind::OwaVdirList => with_lines(file, owavdir::list::read),
        Kind::OwaVdirClixml => with_text(file, owavdir::clixml::read),
        Kind::OwaVdirCsv => with_lines(file, owavdir::csv::read),
        Kind::OwaVdirJson => with_text(file, owavdir::json::read),
        Kind::Iis6Metabase => with_text(file, iis::metabase::read),
        Kind::Iis7ApplicationHost => with_text(file, iis::apphost::read),
        Kind::AdUser => with_lines(file, aduser::read),
        Kind::Ldif => with_lines(file, ldif::read),
        Kind::Evtx => events::evtx::read(file),
        Kind::EventXml => with_text(file, events::xml::read),
        Kind::EventCsv => with_lines(file, events::csv::read),
        Kind::NotRecognised | Kind::Owa440Diagnosis | Kind::Unreadable => ReadOutput::default(),
    }
}

/// Reads the whole file, decodes it, and hands the text to a text reader.
pub fn with_text(file: &BundleFile, reader: impl FnOnce(&str, &str) -> ReadOutput) -> ReadOutput {
    read_text(file, None, reader)
}

/// [`with_text`] for a line-oriented reader: lines longer than [`MAX_LINE_BYTES`] are blanked first, each a
/// located error.
pub fn with_lines(file: &BundleFile, reader: impl FnOnce(&str, &str) -> ReadOutput) -> ReadOutput {
    read_text(file, Some(MAX_LINE_BYTES), reader)
}

fn read_text(file: &BundleFile, max_line: Option<usize>, reader: impl FnOnce(&str, &str) -> ReadOutput) -> ReadOutput {
    match file.read_all(MAX_TEXT_BYTES) {
        Ok(bytes) => {
            let decoded = decode(&bytes);
            let text = decoded.text.trim_start_matches('\u{feff}');
            let (text, long) = match max_line {
                Some(max) => text::blank_long_lines(text, max),
                None => (std::borrow::Cow::Borrowed(text), Vec::new()),
            };
            let mut out = reader(&text, &file.path);
            out.encoding = Some(decoded.encoding);
            if !long.is_empty() {
                let mut errors = long;
                errors.append(&mut out.errors);
                out.errors = errors;
            }
            if let Some((line, count)) = decoded.windows_1252_lines {
                out.warnings.push(Problem::at(
                    line,
                    format!("{count} line(s) from here are not UTF-8 like the rest of the file: read as Windows-1252"),
                ));
            }
            if let Some((line, count)) = decoded.nuls_removed {
                out.warnings.push(Problem::at(
                    line,
                    format!("{count} NUL byte(s) from here carry no text: removed"),
                ));
            }
            if decoded.replaced {
                out.warnings.push(Problem::file(format!(
                    "some bytes are not valid {}: replaced by U+FFFD",
                    decoded.encoding
                )));
            }
            out
        }
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => ReadOutput {
            errors: vec![Problem::file(format!(
                "larger than {} MiB, the most read of a configuration file or text export: not read",
                MAX_TEXT_BYTES >> 20
            ))],
            ..ReadOutput::default()
        },
        Err(e) => ReadOutput {
            errors: vec![Problem::file(format!("cannot be read: {e}"))],
            ..ReadOutput::default()
        },
    }
}
