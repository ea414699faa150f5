//! The `owa440 logs` report: table (signatures, session timeouts, onset, hourly timeline as text bars, top users
//! and client IPs, files) and JSON (`owa440.logs/1`).

use super::style::Style;
use crate::bundle::Kind;
use crate::facts::logs::{Hour, HourCounts, LogEvidence};
use crate::readers::Problem;
use comfy_table::{Cell, Color};
use serde::Serialize;
use std::io::{self, Write};

/// The JSON schema id of [`LogsReport`].
pub const SCHEMA: &str = "owa440.logs/1";

/// One log file read.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub kind: Kind,
    pub records: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Problem>,
}

/// Everything `owa440 logs` prints.
#[derive(Debug, Clone, Serialize)]
pub struct LogsReport {
    pub files: Vec<FileReport>,
    /// Files that are not W3C logs (listed by count only).
    pub not_logs: usize,
    /// Files that could not be read, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
    /// The evidence of all the logs together.
    pub evidence: LogEvidence,
}

pub fn json(out: &mut dyn Write, r: &LogsReport) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        schema: &'static str,
        #[serde(flatten)]
        report: &'a LogsReport,
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Doc {
            schema: SCHEMA,
            report: r,
        },
    )
    .map_err(io::Error::from)?;
    writeln!(out)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn table(out: &mut dyn Write, r: &LogsReport, style: Style) -> io::Result<()> {
    let e = &r.evidence;
    writeln!(out, "{}", style.heading(&format!("OWA in the IIS logs: {}", e.path)))?;
    writeln!(
        out,
        "{} requests, {} to /owa, /exchange, /public or /exchweb; {} to {} (UTC, as IIS logs)",
        thousands(e.records),
        thousands(e.owa_requests),
        e.first_seen.as_deref().unwrap_or("?"),
        e.last_seen.as_deref().unwrap_or("?"),
    )?;
    if !e.computer_names.is_empty() {
        let names: Vec<&str> = e.computer_names.iter().map(|c| c.name.as_str()).collect();
        writeln!(out, "server (s-computername): {}", names.join(", "))?;
    }
    writeln!(out)?;
    signatures(out, e, style)?;
    timeouts(out, e)?;
    onset(out, e)?;
    timeline(out, &e.hourly, style)?;
    top(out, e, style)?;
    files(out, r, style)
}

fn signatures(out: &mut dyn Write, e: &LogEvidence, style: Style) -> io::Result<()> {
    writeln!(out, "{}", style.heading("Signatures (faults first)"))?;
    if e.signatures.is_empty() {
        writeln!(
            out,
            "none: no anonymous request to the forms-logon paths and no error on OWA"
        )?;
        return writeln!(out);
    }
    let mut t = style.table();
    t.set_header(vec![
        "path",
        "who",
        "status",
        "meaning",
        "count",
        "users",
        "client IPs",
        "first seen",
        "last seen",
    ]);
    for s in &e.signatures {
        let mut status = Cell::new(s.triple());
        if s.fault && style.color {
            status = status.fg(Color::Red);
        }
        t.add_row(vec![
            Cell::new(s.path),
            Cell::new(if s.anonymous { "anonymous" } else { "users" }),
            status,
            Cell::new(if s.fault {
                format!("FAULT: {}", s.meaning)
            } else {
                s.meaning.to_string()
            }),
            Cell::new(thousands(s.count)),
            Cell::new(s.users),
            Cell::new(s.client_ips),
            Cell::new(s.first_seen.as_deref().unwrap_or("-")),
            Cell::new(s.last_seen.as_deref().unwrap_or("-")),
        ]);
    }
    writeln!(out, "{t}")?;
    for s in e.signatures.iter().filter(|s| s.fault) {
        if let Some(x) = s.examples.first() {
            writeln!(out, "  {} {}: {}:{}  {}", s.triple(), s.path, x.path, x.line, x.excerpt)?;
        }
    }
    writeln!(out)
}

fn timeouts(out: &mut dyn Write, e: &LogEvidence) -> io::Result<()> {
    let t = &e.session_timeouts;
    if t.total == 0 {
        return writeln!(out, "Session timeouts (440): none\n");
    }
    writeln!(
        out,
        "Session timeouts (440): {} — {} within {} minutes of the same user's or client's logon (cookie refused: the fault pattern), {} after idle time (genuine timeouts), {} with no logon in the logs",
        thousands(t.total),
        thousands(t.soon_after_logon),
        t.window_seconds / 60,
        thousands(t.after_idle),
        thousands(t.no_logon_seen),
    )?;
    writeln!(out)
}

fn onset(out: &mut dyn Write, e: &LogEvidence) -> io::Result<()> {
    match &e.onset {
        Some(o) => {
            let at = o
                .example
                .as_ref()
                .map(|x| format!(" ({}:{})", x.path, x.line))
                .unwrap_or_default();
            writeln!(
                out,
                "Onset: {} — {} on {} requests to {}{at}; {}",
                o.time,
                o.signature,
                if o.anonymous { "anonymous" } else { "users'" },
                o.path,
                if e.still_going {
                    "still failing at the end of the logs"
                } else {
                    "the forms-logon paths answered anonymous requests again afterwards"
                }
            )?;
        }
        None => writeln!(out, "Onset: no fault signature in the logs")?,
    }
    writeln!(out)
}

/// The hours to draw: every hour from the first to the last when that is at most a week, else only hours with counts.
fn hours_to_draw(hourly: &[Hour]) -> Vec<(String, HourCounts)> {
    let (Some(first), Some(last)) = (hourly.first(), hourly.last()) else {
        return Vec::new();
    };
    let span = (last.start - first.start) / 3600;
    if span > 24 * 7 {
        return hourly.iter().map(|h| (h.hour.clone(), h.counts)).collect();
    }
    let mut v = Vec::with_capacity(span as usize + 1);
    let mut it = hourly.iter().peekable();
    let mut t = first.start;
    while t <= last.start {
        match it.peek() {
            Some(h) if h.start == t => {
                v.push((h.hour.clone(), h.counts));
                it.next();
            }
            _ => v.push((
                crate::readers::w3c::format_time(t)[..13].to_string() + ":00",
                HourCounts::default(),
            )),
        }
        t += 3600;
    }
    v
}

const BAR: usize = 40;

fn timeline(out: &mut dyn Write, hourly: &[Hour], style: Style) -> io::Result<()> {
    writeln!(out, "{}", style.heading("Hourly 440s and 401s on OWA (UTC)"))?;
    let rows = hours_to_draw(hourly);
    if rows.is_empty() {
        writeln!(out, "none")?;
        return writeln!(out);
    }
    writeln!(
        out,
        "  # = 440   ! = 401 on anonymous forms-logon requests (fault)   . = other 401 (handshakes, users)"
    )?;
    let max = rows
        .iter()
        .map(|(_, c)| c.s440 + c.anonymous_401 + c.other_401)
        .max()
        .unwrap_or(0)
        .max(1);
    for (hour, c) in rows {
        let width = |n: u64| -> usize {
            if n == 0 {
                0
            } else {
                ((n as u128 * BAR as u128).div_ceil(max as u128) as usize).max(1)
            }
        };
        let (a, b, d) = (width(c.s440), width(c.anonymous_401), width(c.other_401));
        let mut bar = String::with_capacity(BAR + 3);
        bar.extend(std::iter::repeat_n('#', a));
        bar.extend(std::iter::repeat_n('!', b));
        bar.extend(std::iter::repeat_n('.', d));
        let bar: String = bar.chars().take(BAR).collect();
        writeln!(
            out,
            "{hour} |{bar:<BAR$}| {:>7} 440 {:>7} anon-401 {:>7} other-401",
            thousands(c.s440),
            thousands(c.anonymous_401),
            thousands(c.other_401),
        )?;
    }
    writeln!(out)
}

fn top(out: &mut dyn Write, e: &LogEvidence, style: Style) -> io::Result<()> {
    if !e.top_users.is_empty() {
        writeln!(
            out,
            "{}",
            style.heading(&format!(
                "Users hit by 440 (top {} of {})",
                e.top_users.len(),
                e.affected_users
            ))
        )?;
        let mut t = style.table();
        t.set_header(vec!["user (or client IP)", "440s", "soon after logon"]);
        for u in &e.top_users {
            t.add_row(vec![
                u.name.clone(),
                thousands(u.count),
                thousands(u.soon_after_logon.unwrap_or(0)),
            ]);
        }
        writeln!(out, "{t}\n")?;
    }
    if !e.top_client_ips.is_empty() {
        writeln!(
            out,
            "{}",
            style.heading(&format!(
                "Client IPs hit by 440 or a fault (top {} of {})",
                e.top_client_ips.len(),
                e.affected_client_ips
            ))
        )?;
        let mut t = style.table();
        t.set_header(vec!["client IP", "requests"]);
        for u in &e.top_client_ips {
            t.add_row(vec![u.name.clone(), thousands(u.count)]);
        }
        writeln!(out, "{t}\n")?;
    }
    Ok(())
}

fn files(out: &mut dyn Write, r: &LogsReport, style: Style) -> io::Result<()> {
    writeln!(out, "{}", style.heading("Files"))?;
    let mut t = style.table();
    t.set_header(vec!["file", "kind", "records", "warnings"]);
    for f in &r.files {
        t.add_row(vec![
            f.path.clone(),
            f.kind.id().to_string(),
            thousands(f.records),
            f.warnings.len().to_string(),
        ]);
    }
    writeln!(out, "{t}")?;
    for f in &r.files {
        for n in f.notes.iter().filter(|n| !n.ends_with("requests read")) {
            writeln!(out, "  {}: {n}", f.path)?;
        }
        for w in &f.warnings {
            writeln!(out, "  warning: {}", w.located(&f.path))?;
        }
    }
    if r.not_logs > 0 {
        writeln!(
            out,
            "  {} other file(s) are not W3C logs: not read here (owa440 diagnose reads them)",
            r.not_logs
        )?;
    }
    for s in &r.skipped {
        writeln!(out, "  not read: {s}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
