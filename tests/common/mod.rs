//! Helpers the integration tests share: the fixture bundles, running the binary, and reading a diagnosis.
// Each test crate uses only some of these.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The owa440 binary of this build.
pub fn owa440() -> Command {
    Command::cargo_bin("owa440").expect("binary")
}

/// Every fixture bundle: a folder under `fixtures/` holding an `expected.json`, sorted.
pub fn fixture_dirs() -> Vec<PathBuf> {
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

/// `owa440 diagnose DIR --format json`: the diagnosis (Null when stdout is not JSON) and the exit code.
/// Fails the test when the tool printed a panic.
pub fn diagnose_json(dir: &Path) -> (Value, i32) {
    let out = owa440()
        .args(["diagnose", &dir.to_string_lossy(), "--format", "json"])
        .output()
        .expect("run owa440");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    (
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        out.status.code().unwrap_or(-1),
    )
}

/// The `inputs[]` entry of `path`.
pub fn input<'a>(v: &'a Value, path: &str) -> &'a Value {
    v["inputs"]
        .as_array()
        .expect("inputs[]")
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("{path} not listed"))
}

/// The six (cause, verdict) pairs, in order.
pub fn verdicts(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .expect("findings[]")
        .iter()
        .map(|f| {
            (
                f["cause"].as_str().unwrap_or_default().into(),
                f["verdict"].as_str().unwrap_or_default().into(),
            )
        })
        .collect()
}

/// The verdict of one cause.
pub fn verdict(v: &Value, cause: &str) -> String {
    verdicts(v)
        .into_iter()
        .find(|(c, _)| c == cause)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("{cause} missing"))
}
