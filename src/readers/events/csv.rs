//! Reader for Event Viewer's "Save As" CSV and tab-separated exports and for `Get-WinEvent | Export-Csv`.
//!
//! Event Viewer (2008+) writes `Level,Date and Time,Source,Event ID,Task Category` and puts the rendered message
//! in a sixth, unnamed column (quoted, over many lines); Export-Csv names it `Message`; Windows 2003's Event
//! Viewer writes no header (`Date,Time,Source,Type,Category,Event,User,Computer,Description`). The failed logon's
//! fields come from the message text (`Account Name:`, `Status:`, `Sub Status:`, `Logon Type:`, ... in English;
//! `User Name:`, `Domain:` on 2003), so a localized message gives the event id alone, which still counts.
//! Evidence lines are the line each row starts on.

use super::{computer_name, finish, MAX_ERRORS_LISTED};
use crate::facts::events::{is_logon_failure_id, parse_status, FailureCollector, LogonFailure};
use crate::facts::{Located, Source};
use crate::readers::{Problem, ReadOutput};

/// One CSV row with the line it starts on.
struct Row {
    line: u64,
    cells: Vec<String>,
}

/// RFC 4180 rows: quoted cells may hold the delimiter, doubled quotes and line breaks.
fn rows(text: &str, delim: char) -> (Vec<Row>, Option<u64>) {
    let mut out = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut line = 1u64;
    let mut start = 1u64;
    let mut chars = text.chars().peekable();
    let mut at_cell_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                quoted = true;
                at_cell_start = false;
            }
            c if c == delim => {
                cells.push(std::mem::take(&mut cell));
                at_cell_start = true;
            }
            '\r' => {}
            '\n' => {
                cells.push(std::mem::take(&mut cell));
                if cells.iter().any(|c| !c.is_empty()) {
                    out.push(Row {
                        line: start,
                        cells: std::mem::take(&mut cells),
                    });
                }
                cells.clear();
                line += 1;
                start = line;
                at_cell_start = true;
            }
            _ => {
                cell.push(c);
                at_cell_start = false;
            }
        }
    }
    let unterminated = quoted.then_some(start);
    cells.push(cell);
    if cells.iter().any(|c| !c.is_empty()) {
        out.push(Row { line: start, cells });
    }
    (out, unterminated)
}

/// The columns the reader uses.
#[derive(Default)]
struct Columns {
    id: Option<usize>,
    time: Vec<usize>,
    message: Option<usize>,
    record_id: Option<usize>,
    computer: Option<usize>,
}

fn columns(header: &[String]) -> Option<Columns> {
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let id = find(&["Event ID", "EventID", "Id", "InstanceId", "Event"])?;
    let time = match find(&["Date and Time", "TimeCreated", "TimeGenerated"]) {
        Some(t) => vec![t],
        None => [find(&["Date"]), find(&["Time"])].into_iter().flatten().collect(),
    };
    Some(Columns {
        id: Some(id),
        time,
        // Event Viewer leaves the message column unnamed: it is the one past the header.
        message: find(&["Message", "Description"]).or(Some(header.len())),
        record_id: find(&["RecordId", "Index"]),
        computer: find(&["MachineName", "Computer"]),
    })
}

/// Windows 2003 Event Viewer's headerless CSV.
fn legacy_columns() -> Columns {
    Columns {
        id: Some(5),
        time: vec![0, 1],
        message: Some(8),
        record_id: None,
        computer: Some(7),
    }
}

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with("#TYPE"))
        .unwrap_or("");
    // Count delimiters outside quotes only: a quoted description holds tabs.
    let unquoted: String = first.split('"').step_by(2).collect();
    let delim = if unquoted.matches('\t').count() > unquoted.matches(',').count() {
        '\t'
    } else {
        ','
    };
    let (rows, unterminated) = rows(text, delim);
    let mut rows = rows.into_iter().filter(|r| !r.cells[0].starts_with("#TYPE")).peekable();
    let cols = match rows.peek().and_then(|r| columns(&r.cells)) {
        Some(c) => {
            rows.next();
            c
        }
        None => {
            out.notes.push(
                "no header row: read as Windows 2003 Event Viewer CSV (Date, Time, Source, Type, Category, Event, User, Computer, Description)"
                    .into(),
            );
            legacy_columns()
        }
    };
    let mut failures = FailureCollector::default();
    let (mut records, mut errors) = (0u64, 0u64);
    for row in rows {
        let cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i)).map(|s| s.trim()).unwrap_or("");
        let Ok(id) = cell(cols.id).parse::<u32>() else {
            errors += 1;
            if out.errors.len() < MAX_ERRORS_LISTED {
                out.errors.push(Problem::at(
                    row.line,
                    format!("no event id in this row: {:?}", cell(cols.id)),
                ));
            }
            continue;
        };
        records += 1;
        if out.facts.server_names.is_empty() && !cell(cols.computer).is_empty() {
            computer_name(&mut out, cell(cols.computer), Source::at(path, row.line));
        }
        if !is_logon_failure_id(id) {
            continue;
        }
        let message = cell(cols.message);
        let mut f = from_message(id, message);
        f.time = cols
            .time
            .iter()
            .map(|&i| cell(Some(i)))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        f.computer = cell(cols.computer).to_string();
        f.record_id = cell(cols.record_id).parse().ok();
        if f.target_user.is_empty() && !message.is_empty() {
            out.warnings.push(Problem::at(
                row.line,
                format!("event {id}: the message names no account (a localized message?): counted, not matched to an account"),
            ));
        }
        let excerpt = f.one_line();
        failures.add(Located::new(f, Source::at(path, row.line), excerpt));
    }
    if let Some(line) = unterminated {
        errors += 1;
        out.errors.push(Problem::at(
            line,
            "a quoted cell is never closed: the file is cut short",
        ));
    }
    if records == 0 && errors == 0 {
        out.errors.push(Problem::file("no event rows found"));
    }
    finish(&mut out, path, "csv", records, errors, failures);
    out
}

/// The value after `label:` where the label starts a line or a field (after a tab, a line break or two spaces),
/// up to the end of the line, a tab or two spaces. With `after`, only past that text (a section heading).
fn labelled<'a>(text: &'a str, label: &str, after: Option<&str>) -> Option<&'a str> {
    let from = after.and_then(|a| text.find(a).map(|i| i + a.len())).unwrap_or(0);
    let hay = &text[from..];
    let needle = format!("{label}:");
    let mut search = 0;
    while let Some(rel) = hay[search..].find(&needle) {
        let at = search + rel;
        let before = &hay[..at];
        let starts_field = before.is_empty()
            || before.ends_with(['\n', '\t', '\r'])
            || before.ends_with("  ")
            || before.trim_end_matches([' ', '\t']).ends_with('\n')
            || before.trim().is_empty();
        if starts_field {
            let rest = hay[at + needle.len()..].trim_start_matches([' ', '\t']);
            let end = rest.find(['\r', '\n', '\t']).unwrap_or(rest.len());
            let end = rest[..end].find("  ").unwrap_or(end);
            return Some(rest[..end].trim());
        }
        search = at + needle.len();
    }
    None
}

/// A failed logon's fields from the rendered message of a 4625 or a 529-539.
fn from_message(id: u32, msg: &str) -> LogonFailure {
    let get = |labels: &[&str], after: Option<&str>| {
        labels
            .iter()
            .find_map(|l| labelled(msg, l, after))
            .unwrap_or("")
            .to_string()
    };
    let failed_section = Some("Account For Which Logon Failed:");
    let mut f = LogonFailure {
        event_id: id,
        ..Default::default()
    };
    if id == 4625 {
        f.target_user = get(&["Account Name"], failed_section);
        f.target_domain = get(&["Account Domain"], failed_section);
        f.status = parse_status(&get(&["Status"], None));
        f.sub_status = parse_status(&get(&["Sub Status"], None));
    } else {
        f.target_user = get(&["User Name"], None);
        f.target_domain = get(&["Domain"], None);
    }
    f.logon_type = get(&["Logon Type"], None).parse().ok();
    f.logon_process = get(&["Logon Process"], None);
    f.ip_address = get(&["Source Network Address"], None);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEWER: &str = "Level,Date and Time,Source,Event ID,Task Category\r\nInformation,3/2/2010 9:14:05 AM,Microsoft-Windows-Security-Auditing,4624,Logon,\"An account was successfully logged on.\r\n\r\nSubject:\r\n\tAccount Name:\t\tCAS01$\"\r\nInformation,3/2/2010 9:14:06 AM,Microsoft-Windows-Security-Auditing,4625,Logon,\"An account failed to log on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-5-18\r\n\tAccount Name:\t\tCAS01$\r\n\tAccount Domain:\t\tCONTOSO\r\n\r\nLogon Type:\t\t\t8\r\n\r\nAccount For Which Logon Failed:\r\n\tSecurity ID:\t\tS-1-0-0\r\n\tAccount Name:\t\tIUSR_CAS01\r\n\tAccount Domain:\t\tCONTOSO\r\n\r\nFailure Information:\r\n\tFailure Reason:\t\tUser not allowed to logon at this computer.\r\n\tStatus:\t\t\t0xC000006E\r\n\tSub Status:\t\t0xC0000070\r\n\r\nNetwork Information:\r\n\tSource Network Address:\t-\r\n\r\nDetailed Authentication Information:\r\n\tLogon Process:\t\tAdvapi  \r\n\tAuthentication Package:\tNegotiate\"\r\n";

    #[test]
    fn event_viewer_csv_gives_the_failed_account_not_the_subject() {
        let out = read(VIEWER, "sec.csv");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.facts.event_logs[0].records, 2);
        let f = &out.facts.logon_failures[0];
        assert_eq!(f.source.line, Some(6));
        assert_eq!(f.value.target_user, "IUSR_CAS01");
        assert_eq!(f.value.target_domain, "CONTOSO");
        assert_eq!(f.value.code(), Some(0xC000_0070));
        assert_eq!(f.value.logon_type, Some(8));
        assert_eq!(f.value.logon_process, "Advapi");
        assert_eq!(f.value.ip_address, "-");
        assert_eq!(f.value.time, "3/2/2010 9:14:06 AM");
    }

    #[test]
    fn tab_separated_export_reads_the_same() {
        let tsv = VIEWER.replace(",\"", "\t\"").replacen(
            "Level,Date and Time,Source,Event ID,Task Category",
            "Level\tDate and Time\tSource\tEvent ID\tTask Category",
            1,
        );
        let tsv = tsv
            .replace(
                "Information,3/2/2010 9:14:05 AM,Microsoft-Windows-Security-Auditing,4624,Logon",
                "Information\t3/2/2010 9:14:05 AM\tMicrosoft-Windows-Security-Auditing\t4624\tLogon",
            )
            .replace(
                "Information,3/2/2010 9:14:06 AM,Microsoft-Windows-Security-Auditing,4625,Logon",
                "Information\t3/2/2010 9:14:06 AM\tMicrosoft-Windows-Security-Auditing\t4625\tLogon",
            );
        let out = read(&tsv, "sec.txt");
        assert_eq!(out.facts.logon_failures.len(), 1);
        assert_eq!(out.facts.logon_failures[0].value.target_user, "IUSR_CAS01");
    }

    #[test]
    fn windows_2003_headerless_csv_with_one_line_descriptions() {
        let text = "3/2/2010,9:14:05 AM,Security,Failure Audit,Logon/Logoff ,533,NT AUTHORITY\\SYSTEM,CAS01,\"Logon Failure:  \tReason:\t\tUser not allowed to logon at this computer  \tUser Name:\tIUSR_CAS01  \tDomain:\t\tCONTOSO  \tLogon Type:\t8  \tLogon Process:\tAdvapi  \tAuthentication Package:\tNegotiate  \tWorkstation Name:\tCAS01  \tCaller User Name:\tCAS01$  \tCaller Domain:\tCONTOSO  \tSource Network Address:\t-\"\r\n";
        let out = read(text, "sec.csv");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let f = &out.facts.logon_failures[0].value;
        assert_eq!(
            (f.event_id, f.target_user.as_str(), f.target_domain.as_str()),
            (533, "IUSR_CAS01", "CONTOSO")
        );
        assert_eq!(f.logon_type, Some(8));
        assert_eq!(f.code(), Some(0xC000_0070));
        assert_eq!(f.computer, "CAS01");
    }

    #[test]
    fn a_row_without_an_id_and_a_cut_quote_are_located_errors() {
        let text = "Level,Date and Time,Source,Event ID,Task Category\nInformation,x,y,notanumber,z\nInformation,x,y,4625,z,\"An account failed";
        let out = read(text, "sec.csv");
        assert_eq!(out.errors[0].line, Some(2));
        assert_eq!(out.errors[1].line, Some(3));
        assert_eq!(out.facts.event_logs[0].records, 1);
    }
}
