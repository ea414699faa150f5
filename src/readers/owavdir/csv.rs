//! Reader for `Get-OwaVirtualDirectory | Export-Csv` (with or without the `#TYPE` first line that
//! `-NoTypeInformation` leaves out; comma-separated, or semicolon-separated with `-UseCulture` on a continental
//! server). Fields are quoted; a quoted field may hold the separator, doubled quotes and line breaks. Export-Csv
//! writes a collection as its type name, not its items: such a value is reported, not guessed.

use super::record::{self, Prop, Record, Val};
use crate::readers::{Problem, ReadOutput};

/// One CSV row: the line it starts on and its fields.
#[derive(Debug, PartialEq)]
struct Row {
    line: u64,
    fields: Vec<String>,
}

/// Splits CSV text into rows (RFC 4180 quoting).
fn rows(text: &str, sep: char) -> Vec<Row> {
    let mut out = Vec::new();
    let mut line = 1u64;
    let mut start = 1u64;
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            '\n' if quoted => {
                line += 1;
                field.push('\n');
            }
            '\r' if !quoted => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                out.push(Row {
                    line: start,
                    fields: std::mem::take(&mut fields),
                });
                line += 1;
                start = line;
            }
            c if c == sep && !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        out.push(Row { line: start, fields });
    }
    out
}

/// The separator of the header line: whichever of `,` `;` and tab occurs most outside quotes.
fn separator(header: &str) -> char {
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| counts[i]).unwrap_or(0);
    [',', ';', '\t'][best]
}

fn is_header(fields: &[String]) -> bool {
    fields.iter().any(|f| {
        ["OwaVersion", "MetabasePath"]
            .iter()
            .any(|h| f.trim().eq_ignore_ascii_case(h))
    })
}

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let header_text = text
        .lines()
        .find(|l| l.contains("OwaVersion") || l.contains("MetabasePath"))
        .unwrap_or("");
    let sep = separator(header_text);
    let all = rows(text, sep);
    let Some(h) = all.iter().position(|r| is_header(&r.fields)) else {
        out.errors.push(Problem::file(
            "no Export-Csv header naming OwaVersion or MetabasePath was found",
        ));
        return out;
    };
    let header: Vec<String> = all[h].fields.iter().map(|f| f.trim().to_string()).collect();
    let skipped = all[..h]
        .iter()
        .filter(|r| !r.fields.concat().trim().is_empty() && !r.fields[0].starts_with("#TYPE"))
        .count();
    if skipped > 0 {
        out.notes
            .push(format!("{skipped} line(s) before the CSV header were skipped"));
    }
    for row in &all[h + 1..] {
        if row.fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if row.fields.len() != header.len() {
            out.warnings.push(Problem::at(
                row.line,
                format!(
                    "{} fields where the header names {}: the fields are matched to the header in order",
                    row.fields.len(),
                    header.len()
                ),
            ));
        }
        let props = header
            .iter()
            .zip(&row.fields)
            .map(|(name, value)| Prop {
                name: name.clone(),
                val: if value.trim().is_empty() {
                    Val::Null
                } else {
                    Val::Text(value.clone())
                },
                truncated: false,
                line: row.line,
                excerpt: format!("\"{name}\" = \"{value}\""),
            })
            .collect();
        let rec = Record {
            line: row.line,
            excerpt: format!("row at line {}", row.line),
            props,
        };
        record::build(&rec, path, &mut out);
    }
    if out.facts.owa_vdirs.is_empty() {
        out.errors
            .push(Problem::at(all[h].line, "the CSV header is followed by no rows"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_hold_separators_quotes_and_line_breaks() {
        let r = rows("\"a\",\"b,c\",\"d\"\"e\"\r\n\"x\ny\",z\r\n", ',');
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].fields, vec!["a", "b,c", "d\"e"]);
        assert_eq!(
            r[1],
            Row {
                line: 2,
                fields: vec!["x\ny".into(), "z".into()]
            }
        );
        assert_eq!(separator("\"a\";\"b,c\";\"d\""), ';');
    }

    #[test]
    fn rows_become_vdirs() {
        let text = "#TYPE Microsoft.Exchange.Data.Directory.SystemConfiguration.ADOwaVirtualDirectory\r\n\
\"Name\",\"Server\",\"OwaVersion\",\"VirtualDirectoryType\",\"FormsAuthentication\",\"InternalAuthenticationMethods\"\r\n\
\"owa (Default Web Site)\",\"CAS01\",\"Exchange2007\",\"\",\"True\",\"Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthenticationMethod]\"\r\n\
\"exchweb (Default Web Site)\",\"CAS01\",\"Exchange2003or2000\",\"Exchweb\",\"False\",\"Basic,Fba\"\r\n";
        let out = read(text, "owavdir.csv");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let v = &out.facts.owa_vdirs;
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].source.line, Some(3));
        assert_eq!(v[0].value.forms_authentication, Some(true));
        assert_eq!(v[0].value.internal_authentication_methods, None);
        assert_eq!(v[0].value.virtual_directory_type, None);
        assert_eq!(v[1].value.virtual_directory_type.as_deref(), Some("Exchweb"));
        assert_eq!(
            v[1].value.internal_authentication_methods.as_deref(),
            Some(&["Basic".to_string(), "Fba".to_string()][..])
        );
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    }

    #[test]
    fn semicolons_without_type_line_and_a_header_alone() {
        let out = read("\"Name\";\"OwaVersion\"\n\"owa (Default Web Site)\";\"2\"\n", "v.csv");
        assert_eq!(
            out.facts.owa_vdirs[0].value.owa_version.as_deref(),
            Some("Exchange2007")
        );
        let out = read("\"Name\",\"OwaVersion\"\n", "v.csv");
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].line, Some(1));
    }
}
