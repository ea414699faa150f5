//! Rule `iusr-logon-workstations`: the anonymous account cannot log on to this server.
//!
//! The topic's cause is a DOMAIN anonymous account whose "Log On To" list (`net user /domain` "Workstations
//! allowed", Get-ADUser `LogonWorkstations`, LDIF `userWorkstations`) leaves out this server's NetBIOS name. The
//! same 440 follows when the account is disabled, locked out or expired, so those are faults of this rule too, for
//! local and domain accounts alike (the plan then enables, unlocks or extends the account). Log On To itself
//! applies to domain accounts only: a healthy local account rules the cause out.
//!
//! Symptoms: `401 1 1329` in the logs, 4625 / 533 with 0xC0000070 in the Security log; the account's own state shows
//! as 0xC0000072 (disabled), 0xC0000234 (locked out), 0xC0000193 (expired), 0xC000006F (logon hours).

use super::evidence::EvidenceKind;
use super::symptoms::{self, events};
use super::verdict::{combine, Config, Symptom};
use super::{inputs, Cause, Evidence, Finding, Missing, Verdict};
use crate::facts::accounts::{Account, AccountScope, Workstations};
use crate::facts::names::Names;
use crate::facts::{Facts, Located, Source};

use crate::facts::calendar::civil_from_days as civil;
pub use crate::facts::calendar::Date;

pub fn evaluate(facts: &Facts, names: &Names) -> Finding {
    evaluate_on(facts, names, today())
}

/// The day the analysis runs (UTC): an expiry date before it has passed. The rule takes it as an argument so that
/// its result for a given bundle and day is fixed.
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    civil(secs.div_euclid(86_400))
}

/// Whether an `Account expires` value has passed on `today`: `None` for `Never`, and for a day and month that
/// could be either way round (`3/4/2010`) when the two readings disagree.
pub fn expiry_passed(value: &str, today: Date) -> Option<bool> {
    let v = value.trim();
    if v.is_empty() || v.eq_ignore_ascii_case("never") {
        return None;
    }
    let nums: Vec<i64> = v
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .filter_map(|s| s.parse().ok())
        .collect();
    if nums.len() < 3 {
        return None;
    }
    let passed = |y: i64, m: i64, d: i64| (y, m as u32, d as u32) < today;
    if nums[0] > 31 {
        return Some(passed(nums[0], nums[1], nums[2]));
    }
    let (a, b, y) = (nums[0], nums[1], nums[2]);
    let y = if y < 100 { 2000 + y } else { y };
    let us = (a <= 12).then(|| passed(y, a, b));
    let eu = (b <= 12).then(|| passed(y, b, a));
    match (us, eu) {
        (Some(x), Some(z)) if x == z => Some(x),
        (Some(x), None) | (None, Some(x)) => Some(x),
        _ => None,
    }
}

/// The NetBIOS form of a server name (`CAS01.contoso.com` gives `CAS01`).
fn netbios(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// The anonymous account's listings, domain listings first. When the anonymous account is known to be a domain
/// account, a local listing of the same name is another account and is left out.
fn listings<'a>(facts: &'a Facts, names: &Names) -> Vec<&'a Located<Account>> {
    let anon = names.anonymous_account.value.as_str();
    let domain_anon = names.anonymous_is_domain_account() == Some(true);
    let mut v: Vec<&Located<Account>> = facts
        .accounts
        .iter()
        .filter(|a| a.value.is(anon))
        .filter(|a| !(domain_anon && a.value.scope == AccountScope::Local))
        .collect();
    v.sort_by_key(|a| a.value.scope != AccountScope::Domain);
    v
}

/// Evidence at a field of an account (its own line when the reader recorded it).
fn field_evidence(acct: &Located<Account>, labels: &[&str], note: String) -> Evidence {
    let found = labels
        .iter()
        .find_map(|l| acct.value.field(l).map(|(v, line)| (*l, v, line)));
    match found {
        Some((label, value, line)) => {
            let sep = if label.contains(' ') { "  " } else { ": " };
            let src = Source::new(&acct.source.path, line.or(acct.source.line));
            Evidence::new(EvidenceKind::Config, &src, format!("{label}{sep}{value}"), note)
        }
        None => Evidence::config(acct, note),
    }
}

const WORKSTATION_LABELS: &[&str] = &["Workstations allowed", "LogonWorkstations", "userWorkstations"];

pub fn evaluate_on(facts: &Facts, names: &Names, today: Date) -> Finding {
    let anon = names.anonymous_account.value.clone();
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    let mut notes = Vec::new();
    let mut vars: Vec<(&'static str, String)> = Vec::new();
    let mut faults: Vec<String> = Vec::new();

    let found = listings(facts, names);
    let builtin_iusr = names.anonymous_bare().eq_ignore_ascii_case("IUSR")
        && crate::facts::accounts::domain_of(&anon).is_none_or(|d| d.eq_ignore_ascii_case("NT AUTHORITY"));
    let mut ws_config = Config::Unknown;
    let mut clean_reason = String::new();

    if let Some(acct) = found.first() {
        let a = &acct.value;
        let scope = match a.scope {
            AccountScope::Unknown => match names.anonymous_is_domain_account() {
                Some(true) => AccountScope::Domain,
                Some(false) => AccountScope::Local,
                None => AccountScope::Unknown,
            },
            s => s,
        };
        vars.push((
            "scope",
            match scope {
                AccountScope::Domain => "domain",
                AccountScope::Local => "local",
                AccountScope::Unknown => "unknown",
            }
            .into(),
        ));

        // The account's own state: the same 440, wherever the account lives.
        let active = a.active.as_deref().unwrap_or("");
        if active.eq_ignore_ascii_case("No") {
            faults.push("disabled".into());
            vars.push(("disabled", "yes".into()));
            evidence.push(field_evidence(
                acct,
                &["Account active", "Enabled", "userAccountControl"],
                format!("{anon} is disabled: every anonymous logon fails (0xC0000072, 401 1 1331)"),
            ));
        }
        if a.locked_out == Some(true) || active.eq_ignore_ascii_case("Locked") {
            faults.push("locked out".into());
            vars.push(("locked", "yes".into()));
            evidence.push(field_evidence(
                acct,
                &["Account active", "LockedOut", "lockoutTime", "userAccountControl"],
                format!("{anon} is locked out (0xC0000234, 401 1 1909); many bad passwords do that, so check the anonymous credentials too"),
            ));
        }
        if let Some(exp) = a.account_expires.as_deref() {
            match expiry_passed(exp, today) {
                Some(true) => {
                    faults.push(format!("expired ({exp})"));
                    vars.push(("expired", "yes".into()));
                    evidence.push(field_evidence(
                        acct,
                        &["Account expires", "AccountExpirationDate", "accountExpires"],
                        format!("{anon} expired on {exp} (0xC0000193, 401 1 1793)"),
                    ));
                }
                Some(false) => notes.push(format!(
                    "{anon} expires on {exp}: anonymous logons will fail from then on."
                )),
                None if !exp.eq_ignore_ascii_case("never") => notes.push(format!(
                    "{anon} has an expiry date ({exp}) whose day and month order is ambiguous: check whether it has passed."
                )),
                None => {}
            }
        }
        match a.logon_hours.as_deref() {
            Some(h) if h.eq_ignore_ascii_case("None") => {
                faults.push("no logon hours".into());
                evidence.push(field_evidence(
                    acct,
                    &["Logon hours allowed", "logonHours"],
                    format!("{anon} may log on at no hour at all (0xC000006F, 401 1 1328)"),
                ));
            }
            Some(h) if !h.eq_ignore_ascii_case("All") => {
                evidence.push(field_evidence(
                    acct,
                    &["Logon hours allowed", "logonHours"],
                    format!("{anon}'s logon hours are limited ({h}): outside them anonymous logons fail (0xC000006F, 401 1 1328); set them to all hours"),
                ));
                notes.push(format!(
                    "{anon}'s logon hours are limited: if the 440s come at certain hours only, that is the reason."
                ));
            }
            _ => {}
        }

        // Log On To.
        match (scope, &a.workstations) {
            (AccountScope::Local, _) => {
                ws_config = Config::Clean;
                clean_reason = format!("{anon} is a local account: Log On To applies to domain accounts only");
                evidence.push(Evidence::config(
                    acct,
                    format!("{anon} is a local account of this server (Log On To does not apply)"),
                ));
            }
            (_, None) => {
                missing.push(account_input(
                    names,
                    "its \"Workstations allowed\" / LogonWorkstations is not in the listing",
                ));
            }
            (_, Some(Workstations::All)) => {
                ws_config = Config::Clean;
                clean_reason = format!("{anon} may log on to all computers");
                let shown = WORKSTATION_LABELS.iter().any(|l| a.field(l).is_some());
                evidence.push(field_evidence(
                    acct,
                    WORKSTATION_LABELS,
                    if shown {
                        format!("{anon} may log on to all computers")
                    } else {
                        format!("{anon} has no Log On To list (no userWorkstations): it may log on to all computers")
                    },
                ));
            }
            (_, Some(Workstations::List(list))) => {
                vars.push(("existing_workstations", list.join(",")));
                match &names.server {
                    None => {
                        evidence.push(field_evidence(
                            acct,
                            WORKSTATION_LABELS,
                            format!("{anon} may log on only to {}", list.join(", ")),
                        ));
                        notes.push(format!(
                            "{anon} may log on only to {}; the bundle does not name this server, so whether it is one of them is not known.",
                            list.join(", ")
                        ));
                        missing.push(Missing::of(&inputs::IIS_CONFIG, "names this server"));
                    }
                    Some(server) => {
                        let nb = netbios(&server.value);
                        vars.push(("new_workstations", format!("{},{}", list.join(","), nb)));
                        if list.iter().any(|w| netbios(w).eq_ignore_ascii_case(nb)) {
                            ws_config = Config::Clean;
                            clean_reason = format!("{anon}'s Log On To list holds this server, {nb}");
                            evidence.push(field_evidence(
                                acct,
                                WORKSTATION_LABELS,
                                format!("{anon}'s Log On To list holds {nb}"),
                            ));
                        } else {
                            ws_config = Config::Fault;
                            vars.push(("logon_to", "restricted".into()));
                            faults.push(format!("its Log On To list ({}) leaves out {nb}", list.join(", ")));
                            evidence.push(field_evidence(
                                acct,
                                WORKSTATION_LABELS,
                                format!(
                                    "{anon} may log on only to {}: not to this server, {nb} (0xC0000070, 401 1 1329)",
                                    list.join(", ")
                                ),
                            ));
                            notes.push(format!("This server is {} ({}).", server.value, server.how));
                        }
                    }
                }
            }
        }
        if scope == AccountScope::Unknown && ws_config == Config::Fault {
            notes.push(format!(
                "The listing does not say whether {anon} is a domain account; Log On To is enforced for domain accounts."
            ));
        }
    } else if builtin_iusr {
        ws_config = Config::Clean;
        clean_reason = format!(
            "the anonymous account is IIS's built-in IUSR ({}): not a domain account, with no Log On To list",
            names.anonymous_account.how
        );
    } else {
        missing.push(account_input(
            names,
            "shows the anonymous account's Log On To list and whether it is enabled",
        ));
        if names.anonymous_account.source.is_none() {
            missing.push(Missing::of(&inputs::IIS_CONFIG, "names the anonymous account"));
        }
        let other_scope = facts.accounts.iter().find(|a| {
            crate::facts::accounts::same_account(&a.value.name, &anon) && a.value.scope == AccountScope::Local
        });
        if let Some(o) = other_scope {
            notes.push(format!(
                "{} lists a local account {}; the anonymous account is the domain account {anon}: collect `net user {} /domain`.",
                o.source,
                o.value.name,
                names.anonymous_bare()
            ));
        }
    }

    let config = if !faults.is_empty() { Config::Fault } else { ws_config };

    // What the failed logons say the account hit, so the plan has the steps for it even without a listing.
    use crate::facts::events::status;
    for code in events::codes_seen(facts, names) {
        let flag = match code {
            status::INVALID_WORKSTATION => ("logon_to", "restricted"),
            status::ACCOUNT_DISABLED => ("disabled", "yes"),
            status::ACCOUNT_LOCKED_OUT => ("locked", "yes"),
            status::ACCOUNT_EXPIRED => ("expired", "yes"),
            _ => continue,
        };
        if !vars.iter().any(|(k, _)| *k == flag.0) {
            vars.push((flag.0, flag.1.into()));
        }
    }

    // Symptoms: the Log On To signature, and the account's own failures.
    let sym = symptoms::logon_to(facts, names);
    let state = events::account_state(facts, names);
    let seen_state = !state.evidence.is_empty();
    let sym_state = if seen_state { Symptom::Seen } else { sym.state };
    evidence.extend(sym.evidence);
    evidence.extend(state.evidence);
    if sym_state != Symptom::Seen {
        missing.extend(sym.missing);
    }
    notes.extend(sym.notes);
    notes.extend(state.notes);

    let verdict = combine(config, sym_state);
    let summary = match (verdict, config) {
        (Verdict::Confirmed, _) => format!(
            "{anon} cannot log on to this server: {}; the logs or events show the failing anonymous logons.",
            faults.join("; ")
        ),
        (Verdict::Likely, Config::Fault) => format!(
            "{anon} cannot log on to this server: {}; no log or event in the bundle shows the failures yet.",
            faults.join("; ")
        ),
        (Verdict::Likely, _) => {
            "Logs or events show the anonymous account refused at logon (workstation restriction or the account's state); the account listing in the bundle does not explain it.".into()
        }
        (Verdict::RuledOut, _) => format!(
            "{clean_reason}, and nothing in the bundle shows it disabled, locked out or expired."
        ),
        (Verdict::Unknown, _) => format!(
            "The listing of {anon} (its Log On To list and state) is not in the bundle, so whether it may log on to this server is not known."
        ),
    };
    let mut f = Finding::new(Cause::IusrLogonWorkstations, verdict, summary);
    f.evidence = evidence;
    f.missing = missing;
    f.notes = notes;
    for (k, v) in vars {
        f.vars.insert(k, v);
    }
    f
}

/// The account listing to collect, with the real account name in its command.
fn account_input(names: &Names, why: &str) -> Missing {
    let mut m = Missing::of(&inputs::ANONYMOUS_ACCOUNT, why);
    if names.anonymous_is_domain_account() != Some(true) {
        // Not known to be a domain account: IIS 6's own IUSR_<server> is local on a member server.
        m.command = format!(
            r"net user IUSR_<ServerName> > c:\iusr.txt   (a domain account: {})",
            m.command
        );
    }
    let bare = names.anonymous_bare();
    if !bare.contains('<') {
        m.command = m.command.replace("IUSR_<ServerName>", bare);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::events::{EventLogSummary, LogonFailure};
    use crate::facts::names::{self, NameRole, ServerName};

    const TODAY: Date = (2010, 3, 2);

    fn account(name: &str, domain: Option<&str>, scope: AccountScope, ws: Option<Workstations>) -> Located<Account> {
        Located::new(
            Account {
                name: name.into(),
                domain: domain.map(str::to_string),
                scope,
                active: Some("Yes".into()),
                account_expires: Some("Never".into()),
                workstations: ws,
                fields: vec![("Workstations allowed".into(), "CAS02,DC01".into())],
                field_lines: vec![14],
                ..Account::default()
            },
            Source::at("iusr.txt", 1),
            "User name                    IUSR_CAS01",
        )
    }

    fn facts_with(accounts: Vec<Located<Account>>) -> Facts {
        Facts {
            accounts,
            server_names: vec![Located::new(
                ServerName {
                    name: "CAS01".into(),
                    role: NameRole::Server,
                },
                Source::at("users.txt", 2),
                "User accounts for \\\\CAS01",
            )],
            ..Facts::default()
        }
    }

    fn list(v: &[&str]) -> Option<Workstations> {
        Some(Workstations::List(v.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn domain_account_whose_list_leaves_out_the_server_is_likely() {
        let facts = facts_with(vec![account(
            "IUSR_CAS01",
            Some("CONTOSO"),
            AccountScope::Domain,
            list(&["CAS02", "DC01"]),
        )]);
        let names = names::derive(&facts);
        let f = evaluate_on(&facts, &names, TODAY);
        assert_eq!(f.verdict, Verdict::Likely, "{}", f.summary);
        assert_eq!(f.evidence[0].line, Some(14));
        assert!(f.evidence[0].note.contains("CAS01"));
        assert_eq!(f.vars["existing_workstations"], "CAS02,DC01");
        assert_eq!(f.vars["new_workstations"], "CAS02,DC01,CAS01");
    }

    #[test]
    fn the_server_in_the_list_or_all_computers_rules_it_out() {
        for ws in [list(&["cas01.contoso.com", "DC01"]), Some(Workstations::All)] {
            let facts = facts_with(vec![account("IUSR_CAS01", Some("CONTOSO"), AccountScope::Domain, ws)]);
            let f = evaluate_on(&facts, &names::derive(&facts), TODAY);
            assert_eq!(f.verdict, Verdict::RuledOut, "{}", f.summary);
        }
    }

    #[test]
    fn a_local_account_rules_log_on_to_out_but_a_disabled_one_is_a_fault() {
        let facts = facts_with(vec![account("IUSR_CAS01", None, AccountScope::Local, list(&["X"]))]);
        let f = evaluate_on(&facts, &names::derive(&facts), TODAY);
        assert_eq!(f.verdict, Verdict::RuledOut, "{}", f.summary);
        let mut a = account("IUSR_CAS01", None, AccountScope::Local, Some(Workstations::All));
        a.value.active = Some("No".into());
        let facts = facts_with(vec![a]);
        let f = evaluate_on(&facts, &names::derive(&facts), TODAY);
        assert_eq!(f.verdict, Verdict::Likely, "{}", f.summary);
        assert!(f.summary.contains("disabled"));
        assert_eq!(f.vars["disabled"], "yes");
    }

    #[test]
    fn no_listing_is_unknown_with_the_real_name_to_collect() {
        let facts = facts_with(vec![]);
        let f = evaluate_on(&facts, &names::derive(&facts), TODAY);
        assert_eq!(f.verdict, Verdict::Unknown);
        assert!(
            f.missing
                .iter()
                .any(|m| m.command.contains("net user IUSR_CAS01 /domain")),
            "{:?}",
            f.missing
        );
    }

    #[test]
    fn the_event_signature_confirms() {
        let mut facts = facts_with(vec![account(
            "IUSR_CAS01",
            Some("CONTOSO"),
            AccountScope::Domain,
            list(&["CAS02"]),
        )]);
        facts.event_logs.push(EventLogSummary {
            path: "sec.xml".into(),
            format: "xml",
            records: 3,
            ..Default::default()
        });
        facts.logon_failures.push(Located::new(
            LogonFailure {
                event_id: 4625,
                status: Some(0xC000_006E),
                sub_status: Some(0xC000_0070),
                logon_type: Some(8),
                target_user: "IUSR_CAS01".into(),
                target_domain: "CONTOSO".into(),
                ..Default::default()
            },
            Source::at("sec.xml", 2),
            "4625 CONTOSO\\IUSR_CAS01",
        ));
        let names = names::derive(&facts);
        assert_eq!(evaluate_on(&facts, &names, TODAY).verdict, Verdict::Confirmed);
        // The same event for another account does not count.
        facts.logon_failures[0].value.target_user = "alice".into();
        let f = evaluate_on(&facts, &names, TODAY);
        assert_eq!(f.verdict, Verdict::Likely);
        assert!(f.notes.iter().any(|n| n.contains("other accounts")), "{:?}", f.notes);
    }

    #[test]
    fn expiry_dates_in_several_forms() {
        assert_eq!(expiry_passed("Never", TODAY), None);
        assert_eq!(expiry_passed("2010-01-01 00:00:00 UTC", TODAY), Some(true));
        assert_eq!(expiry_passed("12/31/2011 12:00:00 AM", TODAY), Some(false));
        assert_eq!(expiry_passed("31.12.2009", TODAY), Some(true));
        assert_eq!(
            expiry_passed("3/4/2010", TODAY),
            Some(false),
            "March 4 or April 3: both still to come"
        );
        assert_eq!(
            expiry_passed("2/3/2010", TODAY),
            None,
            "February 3 has passed, March 2 has not"
        );
        assert_eq!(expiry_passed("1/2/2010", TODAY), Some(true));
        assert_eq!(civil(14_670), (2010, 3, 2));
    }
}
