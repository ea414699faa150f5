//! Reader for `Get-OwaVirtualDirectory | ConvertTo-Json`: one object, an array of objects, or the
//! `{"value": [...], "Count": n}` wrapper `ConvertTo-Json -InputObject` writes for a collection.
//!
//! Windows PowerShell writes enums as numbers (`"OwaVersion": 2`), PowerShell 7 with `-EnumsAsStrings` as names;
//! some serializers wrap them as `{"Value": 2}`. Objects past `-Depth` are written as their string, objects within
//! it as their members: an AD id gives its `Name`, a version its `Major`/`Minor`/`Build`/`Revision`.
//!
//! serde_json does not report positions, so a small scan of the text finds the line each object starts on and
//! the line of each of its keys.

use super::record::{self, excerpt, split_list, Prop, Record, Val};
use crate::readers::{Problem, ReadOutput};
use serde_json::{Map, Value};
use std::collections::HashMap;

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let start = text.find(['{', '[']).unwrap_or(0);
    let body = &text[start..];
    let offset_lines = text[..start].matches('\n').count() as u64;
    let root: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            out.errors.push(Problem::at(
                e.line() as u64 + offset_lines,
                format!("not valid JSON: {e}"),
            ));
            return out;
        }
    };
    let (objects, depth): (Vec<&Map<String, Value>>, usize) = match &root {
        Value::Array(items) => (items.iter().filter_map(Value::as_object).collect(), 2),
        Value::Object(o) => match o.get("value").or_else(|| o.get("Value")) {
            Some(Value::Array(items)) if o.contains_key("Count") || o.len() == 1 => {
                (items.iter().filter_map(Value::as_object).collect(), 3)
            }
            _ => (vec![o], 1),
        },
        _ => (vec![], 0),
    };
    let located = key_lines(body, depth);
    let lines: Vec<&str> = body.split('\n').collect();
    let line_text = |n: u64| lines.get(n.saturating_sub(1) as usize).copied().unwrap_or("");
    for (i, obj) in objects.iter().enumerate() {
        let (first, keys) = located.get(i).cloned().unwrap_or((1, HashMap::new()));
        let props = obj
            .iter()
            .map(|(name, value)| {
                let line = keys.get(name).copied().unwrap_or(first);
                Prop {
                    name: name.clone(),
                    val: val(value),
                    truncated: false,
                    line: line + offset_lines,
                    excerpt: excerpt(line_text(line)),
                }
            })
            .collect();
        let rec = Record {
            line: first + offset_lines,
            excerpt: excerpt(line_text(first)),
            props,
        };
        record::build(&rec, path, &mut out);
    }
    if out.facts.owa_vdirs.is_empty() {
        out.errors.push(Problem::file("the JSON holds no object"));
    }
    out
}

fn val(v: &Value) -> Val {
    match v {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Array(items) => Val::List(items.iter().filter_map(text).collect()),
        Value::String(s) if s.starts_with('{') && s.ends_with('}') => Val::List(split_list(s).0),
        other => text(other).map_or(Val::Null, Val::Text),
    }
}

/// A value as text: strings and numbers as they are, objects by their `Value`, version parts or `Name`.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(items.iter().filter_map(text).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => {
            let get = |k: &str| o.get(k).and_then(text);
            if let Some(v) = o.get("Value").or_else(|| o.get("value")) {
                return text(v);
            }
            if let (Some(ma), Some(mi), Some(b), Some(r)) = (get("Major"), get("Minor"), get("Build"), get("Revision"))
            {
                return Some(format!("Version {ma}.{mi} (Build {b}.{r})"));
            }
            if let Some(Value::Object(eb)) = o.get("ExchangeBuild") {
                let part = |k: &str| eb.get(k).and_then(text).unwrap_or_else(|| "0".into());
                return Some(format!(
                    "{}.{} ({}.{}.{}.{})",
                    get("Major").unwrap_or_default(),
                    get("Minor").unwrap_or_default(),
                    part("Major"),
                    part("Minor"),
                    part("Build"),
                    part("BuildRevision")
                ));
            }
            get("Name").or_else(|| get("ToString"))
        }
    }
}

/// For each object at `depth` (1 = the root object, 2 = the items of a root array, 3 = the items of a
/// `{"value": [...]}` wrapper), in text order: the line it starts on and the line of each of its own keys.
fn key_lines(text: &str, depth: usize) -> Vec<(u64, HashMap<String, u64>)> {
    let mut out: Vec<(u64, HashMap<String, u64>)> = Vec::new();
    let mut stack: Vec<char> = Vec::new();
    let mut line = 1u64;
    let mut expect_key = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '{' => {
                stack.push('{');
                if stack.len() == depth {
                    out.push((line, HashMap::new()));
                }
                expect_key = true;
            }
            '[' => {
                stack.push('[');
                expect_key = false;
            }
            '}' | ']' => {
                stack.pop();
                expect_key = false;
            }
            ',' => expect_key = stack.last() == Some(&'{'),
            '"' => {
                let mut s = String::new();
                let mut escaped = false;
                for c in chars.by_ref() {
                    match c {
                        _ if escaped => {
                            escaped = false;
                            s.push(c);
                        }
                        '\\' => escaped = true,
                        '"' => break,
                        '\n' => line += 1,
                        c => s.push(c),
                    }
                }
                if expect_key && stack.len() == depth {
                    if let Some((_, keys)) = out.last_mut() {
                        keys.entry(s).or_insert(line);
                    }
                }
                expect_key = false;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARRAY: &str = r#"[
    {
        "Server":  {
                       "Name":  "CAS01",
                       "DistinguishedName":  "CN=CAS01,CN=Servers"
                   },
        "OwaVersion":  2,
        "Name":  "owa (Default Web Site)",
        "InternalAuthenticationMethods":  [
                                              0,
                                              3
                                          ],
        "AdminDisplayVersion":  {
                                    "Major":  8,
                                    "Minor":  1,
                                    "Build":  240,
                                    "Revision":  6
                                },
        "FormsAuthentication":  true
    },
    {
        "Name":  "public (Default Web Site)",
        "OwaVersion":  {"Value": 1},
        "VirtualDirectoryType":  2,
        "Server":  "CAS01"
    }
]"#;

    #[test]
    fn arrays_numbers_and_nested_objects() {
        let out = read(ARRAY, "owavdir.json");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let v = &out.facts.owa_vdirs;
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].source.line, Some(2));
        assert_eq!(v[0].value.server.as_deref(), Some("CAS01"));
        assert_eq!(v[0].value.owa_version.as_deref(), Some("Exchange2007"));
        assert_eq!(v[0].value.line_of("Name").map(|l| l.line), Some(8));
        assert_eq!(v[0].value.line_of("OwaVersion").map(|l| l.line), Some(7));
        assert_eq!(
            v[0].value.admin_display_version.as_deref(),
            Some("Version 8.1 (Build 240.6)")
        );
        assert_eq!(
            v[0].value.internal_authentication_methods.as_deref(),
            Some(&["Basic".to_string(), "Fba".to_string()][..])
        );
        assert_eq!(v[1].source.line, Some(21));
        assert_eq!(v[1].value.owa_version.as_deref(), Some("Exchange2003or2000"));
        assert_eq!(v[1].value.virtual_directory_type.as_deref(), Some("PublicFolders"));
        assert_eq!(v[1].value.line_of("VirtualDirectoryType").map(|l| l.line), Some(24));
        assert_eq!(out.facts.server_names.len(), 1);
    }

    #[test]
    fn single_objects_wrappers_and_bad_json() {
        let out = read(
            r#"{"Name": "owa (Default Web Site)", "OwaVersion": "Exchange2010"}"#,
            "v.json",
        );
        assert_eq!(
            out.facts.owa_vdirs[0].value.owa_version.as_deref(),
            Some("Exchange2010")
        );
        let out = read(
            "\u{feff}{\n \"value\": [\n  {\"Name\": \"owa (Default Web Site)\"}\n ],\n \"Count\": 1\n}",
            "v.json",
        );
        assert_eq!(out.facts.owa_vdirs.len(), 1);
        assert_eq!(out.facts.owa_vdirs[0].source.line, Some(3));
        let out = read("[\n {\"Name\": \"owa\",\n  \"OwaVersion\": }\n]", "v.json");
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].line, Some(3));
    }
}
