//! No output of owa440 ever shows a secret of its inputs: for every fixture bundle, `diagnose` in every format and
//! `parse` of every file are searched for every password value, encrypted blob and `*Pass*` property value found
//! in the fixture's files (nor a 24-character piece of one, so a cut value is caught too).

use assert_cmd::Command;
use regex::Regex;
use std::path::{Path, PathBuf};

fn fixture_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from("fixtures")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.join("expected.json").is_file() {
                    out.push(p.clone());
                }
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

fn files(dir: &Path) -> Vec<PathBuf> {
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
    out
}

/// The text of a file: UTF-16 with a BOM, else UTF-8 (lossy).
fn text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every secret value in a text: `*Pass*=`/`password=`/`SessionKey=` attribute values, `<Custom>` values named
/// `*Pass*` or marked SECURE, IIS 6 encrypted blobs and IIS 7 `[enc:...:enc]` values.
fn secrets(text: &str) -> Vec<String> {
    let attr = Regex::new(r#"(?i)\b(\w*pass\w*|sessionkey)\s*=\s*"([^"]*)""#).expect("regex");
    let custom = Regex::new(r"(?s)<Custom\b(.*?)/>").expect("regex");
    let value = Regex::new(r#"(?i)\bValue\s*=\s*"([^"]*)""#).expect("regex");
    let blob = Regex::new(r"(?i)49634462[0-9a-f]{16,}|\[enc:[^\]]*:enc\]").expect("regex");
    let mut out: Vec<String> = attr.captures_iter(text).map(|c| c[2].to_string()).collect();
    for c in custom.captures_iter(text) {
        let body = &c[1];
        let lower = body.to_ascii_lowercase();
        if lower.contains("pass") || lower.contains("secure") {
            out.extend(value.captures_iter(body).map(|v| v[1].to_string()));
        }
    }
    out.extend(blob.find_iter(text).map(|m| m.as_str().to_string()));
    out.retain(|s| s.trim().len() >= 6);
    out.sort();
    out.dedup();
    out
}

fn pieces(secret: &str) -> Vec<&str> {
    let mut v = vec![secret];
    if secret.len() > 24 && secret.is_ascii() {
        v.push(&secret[..24]);
        v.push(&secret[secret.len() - 24..]);
        v.push(&secret[secret.len() / 2 - 12..secret.len() / 2 + 12]);
    }
    v
}

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args(args)
        .output()
        .expect("run owa440");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_output_shows_a_secret_of_any_fixture() {
    let mut checked = 0;
    let mut bundles_with_secrets = 0;
    for dir in fixture_dirs() {
        let inputs = files(&dir);
        let found: Vec<String> = inputs.iter().flat_map(|f| secrets(&text(f))).collect();
        if found.is_empty() {
            continue;
        }
        bundles_with_secrets += 1;
        let d = dir.to_string_lossy().into_owned();
        let mut outputs = Vec::new();
        for format in ["table", "json", "markdown"] {
            outputs.push((
                format!("diagnose --format {format}"),
                run(&["diagnose", &d, "--format", format, "--color", "never"]),
            ));
        }
        for f in &inputs {
            let p = f.to_string_lossy().into_owned();
            outputs.push((format!("parse {p}"), run(&["parse", &p, "--format", "json"])));
        }
        for (what, out) in &outputs {
            assert!(!out.is_empty(), "{d}: {what} printed nothing");
            for s in &found {
                for piece in pieces(s) {
                    assert!(!out.contains(piece), "{d}: {what} shows a secret of the inputs");
                }
            }
            checked += 1;
        }
    }
    // The IIS fixtures hold AnonymousUserPass / WAMUserPass blobs, a SessionKey and IIS 7 passwords.
    assert!(
        bundles_with_secrets >= 8,
        "only {bundles_with_secrets} fixtures hold secrets"
    );
    assert!(checked >= 30, "only {checked} outputs checked");
}

#[test]
fn the_secret_finder_finds_what_the_fixtures_hide() {
    let mb = "<IIsWebService\tLocation =\"/LM/W3SVC\"\r\n\t\tAnonymousUserPass=\"4963446270000000aabbccddeeff00112233\"\r\n\t\tWAMUserPass=\"plain-text-pw\"\r\n\t>\r\n\t<Custom\r\n\t\tName=\"X\"\r\n\t\tValue=\"topsecret1\"\r\n\t\tAttributes=\"INHERIT | SECURE\"\r\n\t/>";
    let s = secrets(mb);
    assert!(s.contains(&"4963446270000000aabbccddeeff00112233".to_string()));
    assert!(s.contains(&"plain-text-pw".to_string()));
    assert!(s.contains(&"topsecret1".to_string()));
    let ah = r#"<anonymousAuthentication enabled="true" userName="C\u" password="[enc:AesProvider:abc=:enc]" />"#;
    assert_eq!(secrets(ah), ["[enc:AesProvider:abc=:enc]"]);
}
