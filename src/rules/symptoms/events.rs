//! Symptom evidence from the Security event log: failed logons (4625, 529-539) of the anonymous account, or of
//! the IIS 6 WAM account that goes with it (`IWAM_X` beside `IUSR_X`). Failures of other accounts never count.
//!
//! The signature of each cause is a reason code ([`LogonFailure::code`]: a 4625's SubStatus, else its Status, else
//! what a 529-539 id stands for). Codes that say the account itself cannot log on (disabled, locked out, expired,
//! logon hours, password expired) are reported as notes on the causes they bear on, and as evidence by
//! [`account_state`] for the rule that checks the account.

use super::SourceReport;
use crate::facts::accounts::bare_name;
use crate::facts::events::{status, LogonFailure};
use crate::facts::names::Names;
use crate::facts::{Facts, Located};
use crate::rules::evidence::{Evidence, EvidenceKind};

/// How many events one cause shows as evidence; the rest are counted in a note.
pub const MAX_EVIDENCE: usize = 5;

/// The accounts whose failures count: the anonymous account, and `IWAM_X` when it is `IUSR_X`.
fn accounts(names: &Names) -> Vec<String> {
    let anon = names.anonymous_account.value.clone();
    let bare = bare_name(&anon);
    let mut v = vec![anon.clone()];
    if let Some(rest) = bare
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("IUSR_"))
        .and_then(|_| bare.get(5..))
    {
        if !rest.is_empty() {
            v.push(format!("IWAM_{rest}"));
        }
    }
    v
}

fn counts(facts: &Facts, names: &Names, want: &dyn Fn(Option<u32>, Option<u32>) -> bool) -> u64 {
    let accts = accounts(names);
    facts
        .event_logs
        .iter()
        .flat_map(|l| l.failure_counts.iter())
        .filter(|c| want(c.code, c.logon_type) && accts.iter().any(|a| bare_name(a).eq_ignore_ascii_case(&c.user)))
        .map(|c| c.count)
        .sum()
}

fn could_show(facts: &Facts) -> bool {
    facts.event_logs.iter().any(|l| l.records > 0)
}

/// The failures of the anonymous (or WAM) account that `want` picks.
fn matching<'a>(
    facts: &'a Facts,
    names: &Names,
    want: &'a dyn Fn(&LogonFailure) -> bool,
) -> impl Iterator<Item = &'a Located<LogonFailure>> + 'a {
    let accts = accounts(names);
    facts
        .logon_failures
        .iter()
        .filter(move |f| want(&f.value) && accts.iter().any(|a| f.value.is_for(a)))
}

fn describe(f: &LogonFailure) -> String {
    let code = f.code().unwrap_or(0);
    let user = if f.target_domain.is_empty() {
        f.target_user.clone()
    } else {
        format!("{}\\{}", f.target_domain, f.target_user)
    };
    let lt = f.logon_type.map(|t| format!(", logon type {t}")).unwrap_or_default();
    format!(
        "event {} for {user}: {code:#010X} ({}){lt}",
        f.event_id,
        status::meaning(code)
    )
}

/// Evidence for the failures `want` picks, capped at [`MAX_EVIDENCE`], with a note giving the full count.
fn report(
    facts: &Facts,
    names: &Names,
    what: &str,
    want: &dyn Fn(&LogonFailure) -> bool,
    count: &dyn Fn(Option<u32>, Option<u32>) -> bool,
) -> SourceReport {
    let found: Vec<&Located<LogonFailure>> = matching(facts, names, want).collect();
    let mut r = SourceReport {
        could_show: could_show(facts),
        ..SourceReport::default()
    };
    for f in found.iter().take(MAX_EVIDENCE) {
        r.evidence.push(Evidence::new(
            EvidenceKind::Symptom,
            &f.source,
            f.excerpt.clone(),
            describe(&f.value),
        ));
    }
    let total = counts(facts, names, count).max(found.len() as u64);
    if total > r.evidence.len() as u64 {
        r.notes.push(format!(
            "The Security log holds {total} such events ({what}) for {}; the first {} are shown.",
            names.anonymous_account.value,
            r.evidence.len()
        ));
    }
    if found.is_empty() {
        let others: u64 = facts.logon_failures.iter().filter(|f| want(&f.value)).count() as u64;
        if others > 0 {
            r.notes.push(format!(
                "{others} events of this kind ({what}) are for other accounts than {}: not counted.",
                names.anonymous_account.value
            ));
        }
    }
    r
}

fn code_is(codes: &'static [u32]) -> impl Fn(&LogonFailure) -> bool {
    move |f| f.code().is_some_and(|c| codes.contains(&c))
}

/// A deny logon right: 0xC000015B (534) with logon type 2 (interactive) or 3 / 8 (network, network cleartext).
pub fn deny_logon(facts: &Facts, names: &Names, interactive: bool) -> SourceReport {
    let types: &[u32] = if interactive { &[2] } else { &[3, 8] };
    let pick = move |f: &LogonFailure| {
        f.code() == Some(status::LOGON_TYPE_NOT_GRANTED) && f.logon_type.is_some_and(|t| types.contains(&t))
    };
    let count = move |c: Option<u32>, t: Option<u32>| {
        c == Some(status::LOGON_TYPE_NOT_GRANTED) && t.is_some_and(|t| types.contains(&t))
    };
    let what = if interactive {
        "0xC000015B / 534, logon type 2"
    } else {
        "0xC000015B / 534, logon type 3 or 8"
    };
    report(facts, names, what, &pick, &count)
}

/// Anonymous credentials out of sync: 0xC000006A (529). Lockouts (0xC0000234 / 539) are noted: many bad
/// passwords lock the account out.
pub fn anonymous_credentials(facts: &Facts, names: &Names) -> SourceReport {
    let mut r = report(
        facts,
        names,
        "0xC000006A / 529, bad password",
        &code_is(&[status::WRONG_PASSWORD]),
        &|c, _| c == Some(status::WRONG_PASSWORD),
    );
    for mut note in state_notes(facts, names, &[status::ACCOUNT_LOCKED_OUT]) {
        note.push_str(
            " Many bad passwords lock an account out: a password IIS holds out of sync with the account does that.",
        );
        r.notes.push(note);
    }
    r
}

/// Log On To: 0xC0000070 (533). The account's other restrictions are [`account_state`]'s.
pub fn logon_to(facts: &Facts, names: &Names) -> SourceReport {
    report(
        facts,
        names,
        "0xC0000070 / 533, workstation restriction",
        &code_is(&[status::INVALID_WORKSTATION]),
        &|c, _| c == Some(status::INVALID_WORKSTATION),
    )
}

/// Notes for the findings that do not check the account: what its own failures (disabled, locked out, ...) say.
pub fn account_state_notes(facts: &Facts, names: &Names) -> Vec<String> {
    state_notes(facts, names, STATE_CODES)
}

/// The codes that say the account itself cannot log on anywhere (or not now).
pub const STATE_CODES: &[u32] = &[
    status::ACCOUNT_DISABLED,
    status::ACCOUNT_LOCKED_OUT,
    status::ACCOUNT_EXPIRED,
    status::INVALID_LOGON_HOURS,
    status::PASSWORD_EXPIRED,
];

/// Evidence of the account's own state: disabled (0xC0000072 / 531), locked out (0xC0000234 / 539), expired
/// (0xC0000193 / 532), outside logon hours (0xC000006F / 530), password expired (0xC0000071 / 535).
pub fn account_state(facts: &Facts, names: &Names) -> SourceReport {
    report(
        facts,
        names,
        "the account cannot log on: disabled, locked out, expired, logon hours or password expired",
        &code_is(STATE_CODES),
        &|c, _| c.is_some_and(|c| STATE_CODES.contains(&c)),
    )
}

/// The codes among [`STATE_CODES`] (and 0xC0000070) that the anonymous account's failures show, in that order.
pub fn codes_seen(facts: &Facts, names: &Names) -> Vec<u32> {
    let all: Vec<u32> = STATE_CODES
        .iter()
        .copied()
        .chain([status::INVALID_WORKSTATION])
        .collect();
    all.into_iter()
        .filter(|&code| {
            let pick = move |f: &LogonFailure| f.code() == Some(code);
            let seen = matching(facts, names, &pick).next().is_some();
            seen
        })
        .collect()
}

/// One note per code of `codes` that the anonymous account's failures show.
fn state_notes(facts: &Facts, names: &Names, codes: &[u32]) -> Vec<String> {
    let mut notes = Vec::new();
    for &code in codes {
        let pick = move |f: &LogonFailure| f.code() == Some(code);
        let found: Vec<&Located<LogonFailure>> = matching(facts, names, &pick).collect();
        if let Some(first) = found.first() {
            let total = counts(facts, names, &|c, _| c == Some(code)).max(found.len() as u64);
            notes.push(format!(
                "The Security log shows {} failed logon(s) of {} with {code:#010X} ({}), first at {}: `{}`.",
                total,
                names.anonymous_account.value,
                status::meaning(code),
                first.source,
                first.excerpt
            ));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::events::EventLogSummary;
    use crate::facts::names;
    use crate::facts::Source;

    fn failure(user: &str, status: u32, sub: u32, lt: u32, line: u64) -> Located<LogonFailure> {
        Located::new(
            LogonFailure {
                event_id: 4625,
                status: Some(status),
                sub_status: Some(sub),
                logon_type: Some(lt),
                target_user: user.into(),
                target_domain: "CAS01".into(),
                ..Default::default()
            },
            Source::at("sec.xml", line),
            format!("4625 {user}"),
        )
    }

    fn facts(failures: Vec<Located<LogonFailure>>) -> Facts {
        let mut f = Facts {
            logon_failures: failures,
            ..Facts::default()
        };
        f.event_logs.push(EventLogSummary {
            path: "sec.xml".into(),
            format: "xml",
            records: 10,
            ..Default::default()
        });
        f.accounts.push(Located::new(
            crate::facts::accounts::Account {
                name: "IUSR_CAS01".into(),
                ..Default::default()
            },
            Source::at("iusr.txt", 1),
            "",
        ));
        f
    }

    #[test]
    fn logon_type_decides_which_deny_right_the_event_shows() {
        let f = facts(vec![
            failure("IUSR_CAS01", status::LOGON_TYPE_NOT_GRANTED, 0, 8, 3),
            failure("IWAM_CAS01", status::LOGON_TYPE_NOT_GRANTED, 0, 2, 4),
        ]);
        let n = names::derive(&f);
        let net = deny_logon(&f, &n, false);
        assert_eq!(net.evidence.len(), 1);
        assert_eq!(net.evidence[0].line, Some(3));
        assert_eq!(net.evidence[0].kind, EvidenceKind::Symptom);
        let local = deny_logon(&f, &n, true);
        assert_eq!(local.evidence.len(), 1, "the WAM account counts too");
        assert_eq!(local.evidence[0].line, Some(4));
        assert!(local.could_show);
    }

    #[test]
    fn bad_passwords_show_and_lockouts_are_noted() {
        let f = facts(vec![
            failure("IUSR_CAS01", status::BAD_NAME_OR_PASSWORD, status::WRONG_PASSWORD, 8, 2),
            failure("IUSR_CAS01", status::ACCOUNT_LOCKED_OUT, 0, 8, 5),
            failure("alice", status::BAD_NAME_OR_PASSWORD, status::WRONG_PASSWORD, 3, 6),
        ]);
        let n = names::derive(&f);
        let r = anonymous_credentials(&f, &n);
        assert_eq!(r.evidence.iter().map(|e| e.line).collect::<Vec<_>>(), [Some(2)]);
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("0xC0000234") && n.contains("sec.xml:5")),
            "{:?}",
            r.notes
        );
        assert!(logon_to(&f, &n).evidence.is_empty());
        assert_eq!(account_state(&f, &n).evidence.len(), 1);
    }

    #[test]
    fn no_event_log_cannot_show_anything() {
        let mut f = facts(vec![]);
        f.event_logs.clear();
        let n = names::derive(&f);
        assert!(!logon_to(&f, &n).could_show);
    }
}
