//! Symptom evidence per cause: what the W3C logs ([`logs`]) and the Security event log ([`events`]) show.
//! Each cause's function joins both sources into one [`SymptomReport`].

pub mod events;
pub mod logs;

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

/// What one source (logs, or events) says about one cause.
#[derive(Debug, Default)]
pub struct SourceReport {
    /// The signature was found: its evidence (non-empty means seen).
    pub evidence: Vec<Evidence>,
    /// The source was present and could have shown the signature (so its absence means something).
    pub could_show: bool,
    pub notes: Vec<String>,
}

/// Joins the log and event reports of a cause. `events` says whether the Security log can show this cause at all.
fn join(facts: &Facts, parts: [SourceReport; 2], events: bool) -> SymptomReport {
    let mut evidence = Vec::new();
    let mut notes = Vec::new();
    let mut could_show = false;
    for p in parts {
        evidence.extend(p.evidence);
        notes.extend(p.notes);
        could_show |= p.could_show;
    }
    let state = if !evidence.is_empty() {
        Symptom::Seen
    } else if could_show {
        Symptom::NotSeen
    } else {
        Symptom::NoInput
    };
    let mut missing = Vec::new();
    if state != Symptom::Seen {
        if facts.logs.is_empty() {
            missing.push(Missing::of(
                &inputs::W3C_LOGS,
                "would show the failing anonymous requests",
            ));
        }
        if events && facts.event_logs.is_empty() {
            missing.push(Missing::of(
                &inputs::SECURITY_LOG,
                "would show the failed logons of the anonymous account",
            ));
        }
    }
    SymptomReport {
        state,
        evidence,
        missing,
        notes,
    }
}

/// A deny logon right: `401 1 1385` on anonymous requests; 4625/534 with 0xC000015B and the matching logon type.
pub fn deny_logon(facts: &Facts, names: &Names, interactive: bool) -> SymptomReport {
    join(
        facts,
        [
            logs::deny_logon(facts, names, interactive),
            events::deny_logon(facts, names, interactive),
        ],
        true,
    )
}

/// Anonymous credentials out of sync: `401 1 1326`; 4625/529 with 0xC000006A; 539/0xC0000234 (locked out).
pub fn anonymous_credentials(facts: &Facts, names: &Names) -> SymptomReport {
    join(
        facts,
        [
            logs::anonymous_credentials(facts, names),
            events::anonymous_credentials(facts, names),
        ],
        true,
    )
}

/// Anonymous access off: `401 2 5` / `401 2 2148074254` on anonymous requests to /owa/auth and /owa/<build>.
pub fn anonymous_access(facts: &Facts, names: &Names) -> SymptomReport {
    join(
        facts,
        [logs::anonymous_access(facts, names), SourceReport::default()],
        false,
    )
}

/// Log On To: `401 1 1329`; 4625/533 with 0xC0000070.
pub fn logon_to(facts: &Facts, names: &Names) -> SymptomReport {
    join(
        facts,
        [logs::logon_to(facts, names), events::logon_to(facts, names)],
        true,
    )
}

/// Virtual directories: 404 / 403.x / 401.3 / 500 on /owa, /exchange, /public, /exchweb.
pub fn vdirs(facts: &Facts, names: &Names) -> SymptomReport {
    join(facts, [logs::vdirs(facts, names), SourceReport::default()], false)
}
