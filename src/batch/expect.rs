//! `--expect`: compare a case's diagnosis with the expected one kept beside it, so a rules change is regression-tested
//! against every case a team has collected.
//!
//! Where the expectation lives: `CASE/expected.json` for a folder, `NAME.expected.json` beside `NAME.zip`. It is an
//! `owa440 diagnose CASE --format json` output; `version` and `bundle` are not compared (they name the tool and the
//! path it was run from, not the result).

use super::{Case, CaseRecord};
use serde_json::Value;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    Match,
    /// What differs, in a line.
    Mismatch(String),
    /// The case has no expected diagnosis.
    None,
}

/// The expected-diagnosis file of a case.
pub fn expected_path(case: &Case) -> PathBuf {
    if case.path.is_dir() {
        case.path.join("expected.json")
    } else {
        let stem = case
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        case.path.with_file_name(format!("{stem}.expected.json"))
    }
}

/// The parts of a diagnosis that are its result.
pub fn comparable(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        for k in ["version", "bundle", "case", "duration_ms"] {
            o.shift_remove(k);
        }
    }
    v
}

pub fn check(case: &Case, record: &CaseRecord) -> Expectation {
    let path = expected_path(case);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Expectation::None;
    };
    let expected: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return Expectation::Mismatch(format!("{} is not JSON: {e}", path.display())),
    };
    if let Some(err) = record.error() {
        return Expectation::Mismatch(format!("no diagnosis: {err}"));
    }
    let (want, got) = (comparable(&expected), comparable(&record.0));
    if want == got {
        return Expectation::Match;
    }
    Expectation::Mismatch(first_difference(&want, &got, String::new()).unwrap_or_else(|| "differs".into()))
}

/// The path of the first difference, e.g. `findings[4].verdict: "likely" != "confirmed"`.
fn first_difference(want: &Value, got: &Value, at: String) -> Option<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let here = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                match b.get(k) {
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, here) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{here}: missing")),
                }
            }
            b.keys()
                .find(|k| !a.contains_key(*k))
                .map(|k| format!("{at}.{k}: unexpected"))
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                if let Some(d) = first_difference(va, vb, format!("{at}[{i}]")) {
                    return Some(d);
                }
            }
            (a.len() != b.len()).then(|| format!("{at}: {} items expected, {} found", a.len(), b.len()))
        }
        _ if want == got => None,
        _ => Some(format!("{at}: expected {want}, got {got}")),
    }
}
