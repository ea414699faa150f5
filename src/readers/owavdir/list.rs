//! Reader for `Get-OwaVirtualDirectory | Format-List` text (`> file` in Windows PowerShell writes UTF-16LE with a
//! BOM; decoding is done before this reader).
//!
//! Grammar, one line at a time: `Name<padding> : value` starts a property (any padding width: the longest name
//! of the object has one space); an indented line continues the value of the property above (PowerShell wraps long
//! values at the console width); a blank line ends an object; anything else (a `[PS] C:\>` prompt, a `WARNING:`) is
//! noise, and ends the object it follows. A property name met twice starts a new object too (a lost blank line).
//!
//! Rejoining wrapped values: PowerShell wraps at a space where it can, and cuts a word only when it is longer than
//! the line, filling the line to the last column. So a line that reaches the widest column of the file was cut
//! inside a word and joins its continuation without a space; any shorter line ended at a space, which the wrap
//! swallowed, and joins with one. The widest column is trusted as the wrap width only when two lines or more reach
//! it: a single line that long may just be the longest value, wrapped at a space like the others.

use super::record::{self, excerpt, split_list, Prop, Record, Val};
use crate::readers::text::numbered_lines;
use crate::readers::{Problem, ReadOutput};
use nom::bytes::complete::take_while1;
use nom::character::complete::{char, space0, space1};
use nom::combinator::{eof, opt, rest};
use nom::{IResult, Parser};

/// One line of Format-List output.
#[derive(Debug, Clone, PartialEq)]
enum Line<'a> {
    /// `name : value`, with the column (in characters) where the value starts.
    Prop {
        name: &'a str,
        value: &'a str,
        col: usize,
    },
    /// An indented line: the next part of the value above.
    Cont(&'a str),
    Blank,
    Noise,
}

fn prop(i: &str) -> IResult<&str, Line<'_>> {
    let (r, name) = take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_').parse(i)?;
    let (r, pad) = space1.parse(r)?;
    let (r, _) = char(':').parse(r)?;
    let (r, space) = opt(char(' ')).parse(r)?;
    let (r, value) = rest.parse(r)?;
    let col = name.chars().count() + pad.chars().count() + 1 + usize::from(space.is_some());
    Ok((r, Line::Prop { name, value, col }))
}

fn continuation(i: &str) -> IResult<&str, Line<'_>> {
    let (r, _) = space1.parse(i)?;
    let (r, text) = take_while1(|_| true).parse(r)?;
    Ok((r, Line::Cont(text)))
}

fn blank(i: &str) -> IResult<&str, Line<'_>> {
    let (r, _) = (space0, eof).parse(i)?;
    Ok((r, Line::Blank))
}

fn classify(line: &str) -> Line<'_> {
    let line = line.trim_end();
    blank(line)
        .or_else(|_| prop(line))
        .or_else(|_| continuation(line))
        .map(|(_, l)| l)
        .unwrap_or(Line::Noise)
}

/// A property being read (its value may continue on the next lines).
struct Open {
    prop: Prop,
    value: String,
    /// Characters on the last physical line of the value, to tell a cut word from a wrap at a space.
    last_len: usize,
    /// Whether the value continued on further lines (the excerpt then shows it rejoined).
    wrapped: bool,
}

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let (records, noise) = records(text);
    if records.is_empty() {
        out.errors.push(Problem::file(
            "no `Name : value` lines of Get-OwaVirtualDirectory | Format-List were found",
        ));
        return out;
    }
    if noise > 0 {
        out.notes.push(format!(
            "{noise} line(s) that are not Format-List output (prompts, warnings) were skipped"
        ));
    }
    for rec in &records {
        record::build(rec, path, &mut out);
    }
    out
}

/// The objects of a Format-List text, every property with its rejoined value, and the count of noise lines.
pub fn records(text: &str) -> (Vec<Record>, usize) {
    let lines: Vec<(u64, &str, Line<'_>)> = numbered_lines(text).map(|(n, l)| (n, l, classify(l))).collect();
    let widths: Vec<usize> = lines
        .iter()
        .filter(|(_, _, l)| matches!(l, Line::Prop { .. } | Line::Cont(_)))
        .map(|(_, raw, _)| raw.trim_end().chars().count())
        .collect();
    let widest = widths.iter().copied().max().unwrap_or(0);
    let width = if widths.iter().filter(|&&w| w == widest).count() >= 2 {
        widest
    } else {
        usize::MAX
    };
    let mut records: Vec<Record> = Vec::new();
    let mut current: Option<Record> = None;
    let mut open: Option<Open> = None;
    let mut noise = 0usize;

    for (n, raw, line) in lines {
        match line {
            Line::Prop { name, value, col } => {
                close(&mut open, &mut current);
                if current.as_ref().is_some_and(|r| r.has(name)) {
                    records.extend(current.take());
                }
                let rec = current.get_or_insert_with(|| Record {
                    line: n,
                    excerpt: excerpt(raw),
                    props: Vec::new(),
                });
                let _ = rec;
                open = Some(Open {
                    prop: Prop {
                        name: name.to_string(),
                        val: Val::Null,
                        truncated: false,
                        line: n,
                        excerpt: excerpt(raw),
                    },
                    value: value.trim_end().to_string(),
                    last_len: raw.trim_end().chars().count().max(col),
                    wrapped: false,
                });
            }
            Line::Cont(more) => match open.as_mut() {
                Some(o) => {
                    if !o.value.is_empty() && o.last_len < width {
                        o.value.push(' ');
                    }
                    o.value.push_str(more);
                    o.last_len = raw.trim_end().chars().count();
                    o.wrapped = true;
                }
                None => noise += 1,
            },
            Line::Blank => {
                close(&mut open, &mut current);
                records.extend(current.take());
            }
            Line::Noise => {
                close(&mut open, &mut current);
                records.extend(current.take());
                noise += 1;
            }
        }
    }
    close(&mut open, &mut current);
    records.extend(current.take());
    records.retain(|r| !r.props.is_empty());
    (records, noise)
}

/// Finishes the open property into the current record.
fn close(open: &mut Option<Open>, current: &mut Option<Record>) {
    let Some(Open { mut prop, value, .. }) = open.take() else {
        return;
    };
    let v = value.trim();
    if v.starts_with('{') {
        let (items, truncated) = split_list(v);
        prop.val = Val::List(items);
        prop.truncated = truncated;
    } else if let Some(cut) = v.strip_suffix("...") {
        prop.val = Val::Text(cut.trim_end().to_string());
        prop.truncated = true;
    } else if v.is_empty() {
        prop.val = Val::Null;
    } else {
        prop.val = Val::Text(v.to_string());
    }
    if let Some(rec) = current.as_mut() {
        rec.props.push(prop);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_grammar() {
        assert_eq!(
            classify("Name                 : owa (Default Web Site)"),
            Line::Prop {
                name: "Name",
                value: "owa (Default Web Site)",
                col: 23
            }
        );
        assert_eq!(
            classify("DefaultDomain :"),
            Line::Prop {
                name: "DefaultDomain",
                value: "",
                col: 15
            }
        );
        assert_eq!(classify("          Server\\V15"), Line::Cont("Server\\V15"));
        assert_eq!(classify("   \r"), Line::Blank);
        assert_eq!(classify("WARNING: the object is read-only"), Line::Noise);
        assert_eq!(classify("[PS] C:\\>Get-OwaVirtualDirectory | fl"), Line::Noise);
        assert_eq!(classify("PS C:\\> Get-OwaVirtualDirectory"), Line::Noise);
    }

    const TWO: &[&str] = &[
        "[PS] C:\\>Get-OwaVirtualDirectory | fl",
        "",
        "Name                  : owa (Default Web Site)",
        "Server                : CAS01",
        "OwaVersion            : Exchange2007",
        "Path                  : C:\\Program Files\\Microsoft\\Exchange",
        "                        Server\\ClientAccess\\Owa",
        "InternalAuthenticationMethods : {Fba}",
        "AllowedFileTypes      : {.rpmsg, .xlsx, .docx...}",
        "DefaultDomain         :",
        "",
        "Name                  : exchange (Default Web Site)",
        "Server                : CAS01",
        "OwaVersion            : Exchange2003or2000",
        "VirtualDirectoryType  : Mailboxes",
        "",
        "[PS] C:\\>",
    ];

    #[test]
    fn objects_wrapped_values_and_noise() {
        let out = read(&TWO.join("\r\n"), "owavdir.txt");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let v = &out.facts.owa_vdirs;
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].value.name, "owa (Default Web Site)");
        assert_eq!(v[0].source.line, Some(3));
        assert_eq!(
            v[0].value.path.as_deref(),
            Some("C:\\Program Files\\Microsoft\\Exchange Server\\ClientAccess\\Owa")
        );
        assert_eq!(
            v[0].value.internal_authentication_methods.as_deref(),
            Some(&["Fba".to_string()][..])
        );
        assert_eq!(v[1].value.virtual_directory_type.as_deref(), Some("Mailboxes"));
        assert_eq!(v[1].source.line, Some(12));
        assert_eq!(v[1].value.line_of("OwaVersion").map(|l| l.line), Some(14));
        assert_eq!(out.facts.server_names.len(), 1);
        assert_eq!(out.notes.len(), 1);
    }

    #[test]
    fn a_word_cut_at_the_last_column_joins_without_a_space() {
        let text = [
            "Name         : owa (Default Web Site)",
            "MetabasePath : IIS://CAS01.contoso.com/W3SVC/1/RO",
            "               OT/owa",
            "InternalUrl  : https://mail.contoso.com/owa?x=123",
            "               45678",
            "Path         : C:\\Program Files\\Microsoft",
            "               Exchange Server\\ClientAccess\\Owa",
        ]
        .join("\n");
        let out = read(&text, "x.txt");
        let v = &out.facts.owa_vdirs[0].value;
        assert_eq!(
            v.metabase_path.as_deref(),
            Some("IIS://CAS01.contoso.com/W3SVC/1/ROOT/owa")
        );
        assert_eq!(
            v.internal_url.as_deref(),
            Some("https://mail.contoso.com/owa?x=12345678")
        );
        assert_eq!(
            v.path.as_deref(),
            Some("C:\\Program Files\\Microsoft Exchange Server\\ClientAccess\\Owa")
        );
    }

    #[test]
    fn a_repeated_name_starts_a_new_object_and_empty_input_is_an_error() {
        let text = "Name : a (Default Web Site)\nServer : X\nName : b (Default Web Site)\n";
        let out = read(text, "x.txt");
        assert_eq!(out.facts.owa_vdirs.len(), 2);
        let out = read("nothing here\n", "x.txt");
        assert_eq!(out.errors.len(), 1);
    }
}
