//! `owa440 parse FILE.log --format jsonl`: one JSON object per request, keyed by the W3C field names, plus
//! `"file"` and `"line"`. `-` is `null`; status, substatus, win32 status, ports, byte counts and time-taken are
//! numbers; `+` in request headers (`cs(User-Agent)`, ...) is a space; quoted values lose their quotes; tokens
//! beyond the field list come as `"extra-fields"`. Query parameters that look like passwords are redacted.

use super::record::{parse_u64, Record};
use super::stream::{scan_reader, ScanReport, Scanner, Visit};
use std::io::{self, Read, Write};

/// Writes each record as one JSON line; the first write error stops the output.
pub struct JsonLines<'w> {
    out: &'w mut dyn Write,
    file: String,
    pub error: Option<io::Error>,
    buf: Vec<u8>,
}

impl<'w> JsonLines<'w> {
    pub fn new(out: &'w mut dyn Write, file: &str) -> Self {
        JsonLines {
            out,
            file: serde_json::to_string(file).unwrap_or_else(|_| "\"\"".into()),
            error: None,
            buf: Vec::with_capacity(1024),
        }
    }
}

fn string(buf: &mut Vec<u8>, v: &str) {
    // Serialising a str cannot fail.
    let _ = serde_json::to_writer(&mut *buf, v);
}

fn unquote(v: &[u8]) -> std::borrow::Cow<'_, str> {
    let text = String::from_utf8_lossy(v);
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        std::borrow::Cow::Owned(text[1..text.len() - 1].replace("\"\"", "\""))
    } else {
        text
    }
}

impl Visit for JsonLines<'_> {
    fn record(&mut self, r: &Record<'_>) {
        if self.error.is_some() {
            return;
        }
        let b = &mut self.buf;
        b.clear();
        b.extend_from_slice(b"{\"file\":");
        b.extend_from_slice(self.file.as_bytes());
        b.extend_from_slice(format!(",\"line\":{}", r.number).as_bytes());
        let l = r.layout;
        for (i, name) in l.names.iter().enumerate() {
            let Some(raw) = r.raw(Some(i)) else { break };
            b.push(b',');
            string(b, name);
            b.push(b':');
            let v = unquote(raw);
            if v.is_empty() || v == "-" {
                b.extend_from_slice(b"null");
            } else if l.numeric[i] && parse_u64(v.as_bytes()).is_some() {
                b.extend_from_slice(v.as_bytes());
            } else if l.plus_is_space[i] {
                string(b, &super::redact(&v.replace('+', " ")));
            } else {
                string(b, &super::redact(&v));
            }
        }
        if r.spans.len() > l.len() {
            b.extend_from_slice(b",\"extra-fields\":[");
            for (k, i) in (l.len()..r.spans.len()).enumerate() {
                if k > 0 {
                    b.push(b',');
                }
                let v = r.raw(Some(i)).map(unquote).unwrap_or_default();
                string(b, &super::redact(&v));
            }
            b.push(b']');
        }
        b.extend_from_slice(b"}\n");
        if let Err(e) = self.out.write_all(b) {
            self.error = Some(e);
        }
    }
}

/// Writes every record of `reader` as JSON lines; returns the scan's report.
pub fn write(reader: impl Read, file: &str, out: &mut dyn Write) -> io::Result<ScanReport> {
    let mut scanner = Scanner::default();
    let mut w = JsonLines::new(out, file);
    scan_reader(reader, &mut scanner, &mut w)?;
    if let Some(e) = w.error {
        return Err(e);
    }
    Ok(scanner.report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn one_object_per_request_keyed_by_field_name() {
        let log = b"#Fields: date time cs-method cs-uri-stem cs-uri-query cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status\n\
2008-01-01 00:00:01 RPC_IN_DATA /rpc/rpcproxy.dll cas01:6001&pwd=x - fe80::1%12 MSRPC+Client 401 1 2148074254\n";
        let mut out = Vec::new();
        let rep = write(&log[..], "u_ex080101.log", &mut out).unwrap();
        assert_eq!(rep.records, 1);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["file"], "u_ex080101.log");
        assert_eq!(v["line"], 2);
        assert_eq!(v["cs-method"], "RPC_IN_DATA");
        assert_eq!(v["cs-username"], Value::Null);
        assert_eq!(v["c-ip"], "fe80::1%12");
        assert_eq!(v["cs(User-Agent)"], "MSRPC Client");
        assert_eq!(v["sc-win32-status"], 2_148_074_254u64);
        assert_eq!(v["cs-uri-query"], "cas01:6001&pwd=<redacted>");
    }
}
