//! Symptom evidence from the W3C logs and the Security event log, per cause.

use super::verdict::Symptom;
use super::{inputs, Evidence, Missing};
use crate::facts::{names::Names, Facts};

/// What the logs and events say about one cause.
#[derive(Debug)]
pub struct SymptomReport {
    pub state: Symptom,
    pub evidence: Vec<Evidence>,
    pub missing: Vec<Missing>,
    pub notes: Vec<String>,
}

impl SymptomReport {
    fn none(facts: &Facts) -> SymptomReport {
        let mut missing = Vec::new();
        if facts.logs.is_empty() {
            missing.push(Missing::of(
                &inputs::W3C_LOGS,
                "would show the failing anonymous requests and confirm the cause",
            ));
        }
        if facts.event_logs.is_empty() {
            missing.push(Missing::of(
                &inputs::SECURITY_LOG,
                "would show the failed logons of the anonymous account",
            ));
        }
        let state = if facts.logs.is_empty() && facts.event_logs.is_empty() {
            Symptom::NoInput
        } else {
            Symptom::NotSeen
        };
        SymptomReport {
            state,
            evidence: Vec::new(),
            missing,
            notes: Vec::new(),
        }
    }
}

/// A deny logon right: `401 1 1385` on anonymous requests; 4625/534 with 0xC000015B and the matching logon type.
pub fn deny_logon(facts: &Facts, _names: &Names, _interactive: bool) -> SymptomReport {
    SymptomReport::none(facts)
}
