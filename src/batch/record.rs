//! One line of a batch's results file: the case id, its duration, and its full diagnosis (or its error).

use crate::render::json;
use crate::rules::{Cause, Verdict};
use serde_json::{Map, Value};

/// A case's result as written to (and read back from) the JSONL file.
#[derive(Debug, Clone)]
pub struct CaseRecord(pub Value);

impl CaseRecord {
    /// The diagnosis object with `case` and `duration_ms` added.
    pub fn from_diagnosis(case: &str, duration_ms: u64, d: &crate::diagnosis::Diagnosis) -> CaseRecord {
        let mut v = json::to_value(d);
        if let Some(o) = v.as_object_mut() {
            let mut head = Map::new();
            head.insert("case".into(), Value::from(case));
            head.insert("duration_ms".into(), Value::from(duration_ms));
            head.extend(std::mem::take(o));
            *o = head;
        }
        CaseRecord(v)
    }

    /// A case that could not be analysed.
    pub fn from_error(case: &str, duration_ms: u64, error: &str) -> CaseRecord {
        CaseRecord(serde_json::json!({ "case": case, "duration_ms": duration_ms, "error": error }))
    }

    pub fn case(&self) -> &str {
        self.0["case"].as_str().unwrap_or("")
    }

    pub fn error(&self) -> Option<&str> {
        self.0["error"].as_str()
    }

    /// The verdict of each cause.
    pub fn verdicts(&self) -> Vec<(Cause, Verdict)> {
        let Some(findings) = self.0["findings"].as_array() else {
            return Vec::new();
        };
        findings
            .iter()
            .filter_map(|f| {
                let cause = Cause::from_id(f["cause"].as_str()?)?;
                let verdict = match f["verdict"].as_str()? {
                    "confirmed" => Verdict::Confirmed,
                    "likely" => Verdict::Likely,
                    "ruled-out" => Verdict::RuledOut,
                    _ => Verdict::Unknown,
                };
                Some((cause, verdict))
            })
            .collect()
    }

    /// The first confirmed cause in procedure order, else the first likely one.
    pub fn top(&self) -> Option<(Cause, Verdict)> {
        let v = self.verdicts();
        v.iter()
            .find(|(_, x)| *x == Verdict::Confirmed)
            .or_else(|| v.iter().find(|(_, x)| *x == Verdict::Likely))
            .copied()
    }

    pub fn server(&self) -> Option<&str> {
        self.0["names"]["server"]["value"].as_str()
    }

    /// Inputs analysed (recognised kinds) and inputs with an error.
    pub fn input_counts(&self) -> (usize, usize) {
        let Some(inputs) = self.0["inputs"].as_array() else {
            return (0, 0);
        };
        let read = inputs
            .iter()
            .filter(|i| {
                i["error"].is_null()
                    && !matches!(
                        i["kind"].as_str(),
                        Some("not-recognised" | "owa440-diagnosis" | "unreadable")
                    )
            })
            .count();
        let errors = inputs.iter().filter(|i| !i["error"].is_null()).count();
        (read, errors)
    }

    pub fn to_line(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }
}
