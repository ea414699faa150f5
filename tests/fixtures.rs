//! Every fixture bundle under `fixtures/` (a folder holding `expected.json`) is diagnosed by the real binary and
//! compared with its expected diagnosis. `OWA440_BLESS=1 cargo test --test fixtures` rewrites the expected files
//! after a deliberate change; review the diff before committing it.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

mod common;
use common::fixture_dirs;

/// The parts of a diagnosis that are its result (the tool version is not).
fn comparable(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.shift_remove("version");
    }
    v
}

fn diagnose(dir: &Path) -> (Value, i32) {
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args([
            "diagnose",
            &dir.to_string_lossy().replace('\\', "/"),
            "--format",
            "json",
        ])
        .output()
        .expect("run owa440");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{}: {stderr}", dir.display());
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{}: output is not JSON ({e}); stderr: {stderr}", dir.display()));
    (v, out.status.code().unwrap_or(-1))
}

/// The fixture regression run is the same `batch --expect` a team runs over its own cases.
#[test]
fn batch_expect_holds_on_every_fixture() {
    if std::env::var_os("OWA440_BLESS").is_some() {
        return;
    }
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args(["batch", "fixtures", "--expect"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("0 mismatch(es)") && !text.contains("no expectation"),
        "{text}"
    );
}

#[test]
fn every_fixture_gives_its_expected_diagnosis() {
    let dirs = fixture_dirs();
    assert!(
        dirs.len() >= 6,
        "expected at least six fixture bundles, found {}",
        dirs.len()
    );
    let bless = std::env::var_os("OWA440_BLESS").is_some();
    let mut failures = Vec::new();
    for dir in &dirs {
        let (got, code) = diagnose(dir);
        let positive = got["findings"].as_array().is_some_and(|f| {
            f.iter()
                .any(|f| f["verdict"] == "confirmed" || f["verdict"] == "likely")
        });
        assert_eq!(code, if positive { 1 } else { 0 }, "{}: exit code", dir.display());
        let expected_path = dir.join("expected.json");
        if bless {
            let text = serde_json::to_string_pretty(&comparable(got.clone())).expect("json") + "\n";
            std::fs::write(&expected_path, text).expect("write expected.json");
            continue;
        }
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&expected_path).expect("read expected"))
            .expect("expected.json is JSON");
        let got = comparable(got);
        if got != comparable(expected.clone()) {
            let verdicts = |v: &Value| -> Vec<String> {
                v["findings"]
                    .as_array()
                    .map(|a| a.iter().map(|f| format!("{}={}", f["cause"], f["verdict"])).collect())
                    .unwrap_or_default()
            };
            failures.push(format!(
                "{}: diagnosis differs from expected.json\n  expected verdicts {:?}\n  got      verdicts {:?}\n  (OWA440_BLESS=1 rewrites it; diff with `owa440 diagnose {} --format json`)",
                dir.display(),
                verdicts(&expected),
                verdicts(&got),
                dir.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
