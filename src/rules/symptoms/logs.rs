//! Symptom evidence from the W3C logs: the fault signatures of each cause in the per-file [`LogEvidence`].
//!
//! Only ANONYMOUS requests count for the account causes: a 401.1 for a named user is that user's own logon
//! failing (a bad password, a handshake's first leg), not the anonymous account. A healthy server's idle 440s
//! and NTLM/Negotiate first legs (`401 2 2148074254`, `401 1 0` on authenticated requests or outside the forms
//! logon paths) match no cause.

use super::SourceReport;
use crate::facts::logs::{LogEvidence, Signature};
use crate::facts::Source;
use crate::facts::{names::Names, Facts};
use crate::rules::{Evidence, EvidenceKind};

/// A signature on an anonymous request to any OWA path, `401 1 <win32>`.
fn anonymous_401_1(s: &Signature, win32: u64) -> bool {
    s.anonymous && s.status == 401 && s.substatus == 1 && s.win32 == win32
}

/// Evidence for every signature `matches` picks, one per log file and signature, at its first example line.
fn report(facts: &Facts, matches: impl Fn(&Signature) -> bool) -> SourceReport {
    let mut r = SourceReport {
        could_show: facts.logs.iter().any(LogEvidence::has_owa_traffic),
        ..SourceReport::default()
    };
    for log in &facts.logs {
        for s in log.signatures.iter().filter(|s| matches(s)) {
            r.evidence.push(evidence(log, s));
        }
    }
    r.evidence.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    if !facts.logs.is_empty() && !r.could_show {
        r.notes.push(
            "The W3C logs in the bundle hold no request to /owa, /exchange, /public or /exchweb, so they cannot show this cause (collect the log of the web site that hosts OWA)."
                .into(),
        );
    }
    r
}

fn evidence(log: &LogEvidence, s: &Signature) -> Evidence {
    let who = if s.anonymous {
        format!("anonymous requests to {}", s.path)
    } else {
        format!("requests of signed-in users to {}", s.path)
    };
    let span = match (&s.first_seen, &s.last_seen) {
        (Some(f), Some(l)) if f == l => format!(" at {f}"),
        (Some(f), Some(l)) => format!(" from {f} to {l}"),
        _ => String::new(),
    };
    let mut people = Vec::new();
    if s.users > 0 {
        people.push(plural(s.users, "user"));
    }
    if s.client_ips > 0 {
        people.push(plural(s.client_ips, "client IP"));
    }
    let people = if people.is_empty() {
        String::new()
    } else {
        format!(", {}", people.join(" and "))
    };
    let going = if s.still_going {
        "; still failing at the end of the log"
    } else {
        "; anonymous requests succeeded again after the last one"
    };
    let note = format!(
        "{} on {who} ({}): {}{span}{people}{going}",
        s.triple(),
        s.meaning,
        plural(s.count, "request"),
    );
    match s.examples.first() {
        Some(e) => Evidence::new(
            EvidenceKind::Symptom,
            &Source::at(&e.path, e.line),
            e.excerpt.clone(),
            note,
        ),
        None => Evidence::new(EvidenceKind::Symptom, &Source::new(&log.path, None), "", note),
    }
}

fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `401 1 1385` on anonymous requests: a deny logon right refused the anonymous account. The log line is the same
/// whichever right did it; the logon type IIS asks for decides which one applies (interactive: "Deny log on
/// locally"; network or network cleartext, the IIS default: "Deny access to this computer from the network";
/// batch: neither of the two). So the evidence goes to the right of the logon method in force, and the other
/// right's rule sees logs that could have shown it and did not.
pub fn deny_logon(facts: &Facts, names: &Names, interactive: bool) -> SourceReport {
    let logon_type = names.logon_type();
    let applies = if interactive {
        logon_type == 2
    } else {
        logon_type == 3 || logon_type == 8
    };
    let mut r = report(facts, |s| applies && anonymous_401_1(s, 1385));
    let seen = facts
        .logs
        .iter()
        .any(|l| l.signatures.iter().any(|s| anonymous_401_1(s, 1385)));
    if seen {
        let right = if interactive {
            "\"Deny log on locally\""
        } else {
            "\"Deny access to this computer from the network\""
        };
        r.notes.push(if applies {
            format!(
                "The logs' 401 1 1385 (logon type not granted) is attributed to {right}, the right that governs logon method {}.",
                names.logon_method.value
            )
        } else {
            format!(
                "The logs show 401 1 1385 (logon type not granted), but {right} does not govern logon method {} ({}).",
                names.logon_method.value, names.logon_method.how
            )
        });
    }
    r
}

/// `401 1 1326` on anonymous requests: the anonymous account's password does not match.
pub fn anonymous_credentials(facts: &Facts, _names: &Names) -> SourceReport {
    report(facts, |s| anonymous_401_1(s, 1326))
}

/// `401 2 5` or `401 2 2148074254` on anonymous requests to /owa/auth, /owa/<build> or /exchweb: anonymous access
/// is off there. (Outside those paths, or for a signed-in user, `401 2 2148074254` is a handshake's first leg.)
pub fn anonymous_access(facts: &Facts, _names: &Names) -> SourceReport {
    report(facts, |s| {
        s.anonymous
            && s.area.is_anonymous_path()
            && s.status == 401
            && s.substatus == 2
            && matches!(s.win32, 5 | 2_148_074_254)
    })
}

/// `401 1 1329` on anonymous requests: the anonymous domain account may not log on to this server.
pub fn logon_to(facts: &Facts, _names: &Names) -> SourceReport {
    report(facts, |s| anonymous_401_1(s, 1329))
}

/// 404, 403.x (not 403.4, SSL required), 401.3 or 500 on /owa, /exchange, /public or /exchweb.
pub fn vdirs(facts: &Facts, _names: &Names) -> SourceReport {
    report(facts, |s| s.key().is_vdir_fault())
}
