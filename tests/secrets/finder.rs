//! Finds the secrets a bundle holds, so the outputs can be searched for them: the fixture bundles, the files in
//! them, their text, and every password value, encrypted blob and `*Pass*` value in that text.

pub use crate::common::fixture_dirs;
use regex::Regex;
use std::path::{Path, PathBuf};

/// The input files of a bundle folder (walked recursively), without its `expected.json`.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "expected.json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The text of a file: UTF-16 with a BOM, else UTF-8 (lossy); the text of every entry of a .zip.
pub fn text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_text(&bytes);
    }
    decode(&bytes)
}

fn decode(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    String::from_utf8_lossy(bytes).into_owned()
}

fn zip_text(bytes: &[u8]) -> String {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return String::new();
    };
    let mut out = String::new();
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else { continue };
        let mut buf = Vec::new();
        if std::io::Read::read_to_end(&mut entry, &mut buf).is_ok() {
            out.push_str(&decode(&buf));
            out.push('\n');
        }
    }
    out
}

/// Every secret value in a text: `*Pass*=`/`password=`/`SessionKey=` attribute values, `<Custom>` values named
/// `*Pass*` or marked SECURE, IIS 6 encrypted blobs, IIS 7 `[enc:...:enc]` values, adsutil.vbs `*Pass* : (STRING)`
/// values and query parameters named `*pass*`/`*pwd*` in a log line.
pub fn secrets(text: &str) -> Vec<String> {
    let attr = Regex::new(r#"(?i)\b(\w*pass\w*|sessionkey)\s*=\s*"([^"]*)""#).expect("regex");
    let custom = Regex::new(r"(?s)<Custom\b(.*?)/>").expect("regex");
    let value = Regex::new(r#"(?i)\bValue\s*=\s*"([^"]*)""#).expect("regex");
    let blob = Regex::new(r"(?i)49634462[0-9a-f]{16,}|\[enc:[^\]]*:enc\]").expect("regex");
    let adsutil = Regex::new(r#"(?im)^\s*(\w*pass\w*|sessionkey)\s*:\s*\(\w+\)\s*"([^"]*)""#).expect("regex");
    let query = Regex::new(r#"(?i)[?&; ]\w*(?:pass|pwd)\w*=([^&;\s"]+)"#).expect("regex");
    let mut out: Vec<String> = attr.captures_iter(text).map(|c| c[2].to_string()).collect();
    for c in custom.captures_iter(text) {
        let body = &c[1];
        let lower = body.to_ascii_lowercase();
        if lower.contains("pass") || lower.contains("secure") {
            out.extend(value.captures_iter(body).map(|v| v[1].to_string()));
        }
    }
    out.extend(blob.find_iter(text).map(|m| m.as_str().to_string()));
    out.extend(adsutil.captures_iter(text).map(|c| c[2].to_string()));
    out.extend(query.captures_iter(text).map(|c| c[1].to_string()));
    out.retain(|s| s.trim().len() >= 6);
    out.sort();
    out.dedup();
    out
}

/// A secret and, for a long one, three 24-character pieces of it: a cut value is caught too.
pub fn pieces(secret: &str) -> Vec<&str> {
    let mut v = vec![secret];
    if secret.len() > 24 && secret.is_ascii() {
        v.push(&secret[..24]);
        v.push(&secret[secret.len() - 24..]);
        v.push(&secret[secret.len() / 2 - 12..secret.len() / 2 + 12]);
    }
    v
}

/// The first secret (or piece of one) an output shows.
pub fn shown<'a>(output: &str, secrets: &'a [String]) -> Option<&'a str> {
    secrets
        .iter()
        .find(|s| pieces(s).iter().any(|p| output.contains(p)))
        .map(String::as_str)
}
