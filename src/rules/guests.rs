//! Rules `guests-deny-logon-locally` and `guests-deny-network-access`: a deny logon right holds the Guests GROUP
//! (or the anonymous account itself) and the anonymous account is a member of Guests.
//!
//! The Guest ACCOUNT in a deny right is Windows Server 2003's default and never a cause.

use super::evidence::EvidenceKind;
use super::verdict::{combine, Config};
use super::{inputs, symptoms, Cause, Evidence, Finding, Missing, Verdict};
use crate::facts::accounts::{self, AccountScope};
use crate::facts::names::Names;
use crate::facts::policy::{right_title, PrivilegeRight};
use crate::facts::{Facts, Located, Source};

/// Which deny right a rule checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    Interactive,
    Network,
}

impl Right {
    pub fn privilege(self) -> &'static str {
        match self {
            Right::Interactive => "SeDenyInteractiveLogonRight",
            Right::Network => "SeDenyNetworkLogonRight",
        }
    }
    fn cause(self) -> Cause {
        match self {
            Right::Interactive => Cause::GuestsDenyLogonLocally,
            Right::Network => Cause::GuestsDenyNetworkAccess,
        }
    }
    /// Whether IIS's logon type for the anonymous account is the one this right denies.
    fn is_live(self, logon_type: u32) -> bool {
        match self {
            Right::Interactive => logon_type == 2,
            Right::Network => logon_type == 3 || logon_type == 8,
        }
    }
}

/// Whether the anonymous account is a member of Guests, and what shows it.
enum Membership {
    Member(Vec<Evidence>),
    NotMember(Vec<Evidence>),
    Unknown,
}

pub fn evaluate(facts: &Facts, names: &Names, right: Right) -> Finding {
    let cause = right.cause();
    let anon = names.anonymous_account.value.as_str();
    let symptom = symptoms::deny_logon(facts, names, right == Right::Interactive);
    let mut config_ev = Vec::new();
    let mut notes = Vec::new();
    let mut missing = Vec::new();

    let config = if !facts.has_policy() {
        missing.push(Missing::of(
            &inputs::SECURITY_POLICY,
            format!("shows who {} denies", right.privilege()),
        ));
        Config::Unknown
    } else {
        let entries: Vec<&Located<PrivilegeRight>> = facts
            .rights
            .iter()
            .filter(|r| r.value.right.eq_ignore_ascii_case(right.privilege()))
            .collect();
        for e in &entries {
            if e.value.principals.iter().any(|p| p.is_guest_account())
                && !e.value.principals.iter().any(|p| p.is_guests_group())
            {
                notes.push(format!(
                    "{} at {} holds the Guest ACCOUNT, not the Guests group: that is the Windows default and not a cause.",
                    right.privilege(),
                    e.source
                ));
            }
        }
        let names_account: Vec<&&Located<PrivilegeRight>> = entries
            .iter()
            .filter(|e| e.value.principals.iter().any(|p| p.names_account(anon)))
            .collect();
        let holds_guests: Vec<&&Located<PrivilegeRight>> = entries
            .iter()
            .filter(|e| e.value.principals.iter().any(|p| p.is_guests_group()))
            .collect();
        if let Some(e) = names_account.first() {
            config_ev.push(Evidence::config(
                e,
                format!("{} names the anonymous account {anon} itself", right.privilege()),
            ));
            Config::Fault
        } else if holds_guests.is_empty() {
            match entries.first() {
                Some(e) => config_ev.push(Evidence::config(
                    e,
                    format!("{} does not hold the Guests group or {anon}", right.privilege()),
                )),
                None => notes.push(format!("No security policy in the bundle sets {}.", right.privilege())),
            }
            Config::Clean
        } else {
            for e in &holds_guests {
                config_ev.push(Evidence::config(
                    e,
                    format!(
                        "\"{}\" ({}) holds the Guests group",
                        right_title(right.privilege()),
                        right.privilege()
                    ),
                ));
            }
            match membership(facts, names) {
                Membership::Member(ev) => {
                    config_ev.extend(ev);
                    Config::Fault
                }
                Membership::NotMember(ev) => {
                    config_ev.extend(ev);
                    notes.push(format!(
                        "Guests is denied, but {anon} is not a member of Guests, so the deny does not reach it."
                    ));
                    Config::Clean
                }
                Membership::Unknown if iis6_default_member(names) => {
                    missing.push(Missing::of(
                        &inputs::GUESTS_MEMBERS,
                        format!("confirms whether {anon} is a member of Guests"),
                    ));
                    notes.push(format!(
                        "Membership of Guests is not in the bundle; IIS 6 makes its local {anon} a member of Guests by default, so it is assumed."
                    ));
                    Config::Fault
                }
                Membership::Unknown => {
                    missing.push(Missing::of(
                        &inputs::GUESTS_MEMBERS,
                        format!("shows whether {anon} is a member of Guests"),
                    ));
                    Config::Unknown
                }
            }
        }
    };

    let live = right.is_live(names.logon_type());
    if config == Config::Fault {
        notes.push(if live {
            format!(
                "IIS logs {anon} on with logon method {} ({}), which this right denies: this is the live deny.",
                names.logon_method.value, names.logon_method.how
            )
        } else {
            format!(
                "IIS logs {anon} on with logon method {} ({}), which this right does not cover; it still denies {anon} and is worth removing.",
                names.logon_method.value, names.logon_method.how
            )
        });
    }

    let verdict = combine(config, symptom.state);
    let summary = match (verdict, config) {
        (Verdict::Confirmed, _) => format!(
            "{} denies Guests, {anon} is a member, and the logs or events show the denied logons.",
            right.privilege()
        ),
        (Verdict::Likely, Config::Fault) => format!(
            "{} denies Guests and {anon} is a member; no log or event in the bundle shows the denied logons yet.",
            right.privilege()
        ),
        (Verdict::Likely, _) => "Logs or events show logons denied by a logon right (1385 / 0xC000015B); the policy in the bundle does not explain it.".into(),
        (Verdict::RuledOut, _) => format!("{} does not deny {anon} through Guests.", right.privilege()),
        (Verdict::Unknown, _) => "The security policy or the Guests membership needed to decide is not in the bundle.".into(),
    };
    let mut f = Finding::new(cause, verdict, summary);
    f.evidence = config_ev;
    f.evidence.extend(symptom.evidence);
    f.missing = missing;
    f.missing.extend(symptom.missing);
    f.notes = notes;
    f.notes.extend(symptom.notes);
    f.vars.insert("right", right.privilege().into());
    f.vars.insert("right_title", right_title(right.privilege()).into());
    f
}

/// IIS 6 (or unknown generation) with a local `IUSR_<server>` account: a Guests member by default.
fn iis6_default_member(names: &Names) -> bool {
    names.iis_generation != Some(7)
        && names.anonymous_bare().to_ascii_uppercase().starts_with("IUSR_")
        && names.anonymous_is_domain_account() != Some(true)
}

fn membership(facts: &Facts, names: &Names) -> Membership {
    let anon = names.anonymous_account.value.as_str();
    let mut not_member = Vec::new();
    // `net localgroup Guests` (or Get-LocalGroupMember).
    for g in facts.groups.iter().filter(|g| g.value.is_guests()) {
        if let Some(m) = g.value.member(anon) {
            return Membership::Member(vec![Evidence::new(
                EvidenceKind::Config,
                &Source::at(&g.source.path, m.line),
                m.name.clone(),
                format!("{anon} is a member of Guests"),
            )]);
        }
        // Domain Guests nested in Guests, with a domain anonymous account in Domain Guests.
        if let Some(dg) = g
            .value
            .members
            .iter()
            .find(|m| accounts::bare_name(&m.name).eq_ignore_ascii_case("Domain Guests"))
        {
            if let Some((acct, via)) =
                anonymous_accounts(facts, anon).find_map(|a| a.value.member_of("Domain Guests").map(|m| (a, m)))
            {
                return Membership::Member(vec![
                    Evidence::new(
                        EvidenceKind::Config,
                        &Source::at(&g.source.path, dg.line),
                        dg.name.clone(),
                        "Domain Guests is a member of Guests",
                    ),
                    Evidence::new(
                        EvidenceKind::Config,
                        &Source::at(&acct.source.path, via.line),
                        via.name.clone(),
                        format!("{anon} is a member of Domain Guests"),
                    ),
                ]);
            }
        }
        if g.value.complete {
            not_member.push(Evidence::new(
                EvidenceKind::Config,
                &g.source,
                g.excerpt.clone(),
                format!(
                    "the Guests listing ({} members) does not hold {anon}",
                    g.value.members.len()
                ),
            ));
        }
    }
    // `net user IUSR_...` Local / Global Group Memberships.
    for a in anonymous_accounts(facts, anon) {
        if let Some(m) = a
            .value
            .member_of("Guests")
            .or_else(|| a.value.member_of("Domain Guests"))
        {
            return Membership::Member(vec![Evidence::new(
                EvidenceKind::Config,
                &Source::at(&a.source.path, m.line),
                format!("*{}", m.name),
                format!("{anon}'s group memberships include {}", m.name),
            )]);
        }
        if !a.value.local_groups.is_empty() && a.value.scope != AccountScope::Domain {
            not_member.push(Evidence::new(
                EvidenceKind::Config,
                &a.source,
                a.excerpt.clone(),
                format!("{anon}'s local group memberships do not include Guests"),
            ));
        }
    }
    if not_member.is_empty() {
        Membership::Unknown
    } else {
        Membership::NotMember(not_member)
    }
}

fn anonymous_accounts<'a>(
    facts: &'a Facts,
    anon: &'a str,
) -> impl Iterator<Item = &'a Located<accounts::Account>> + 'a {
    facts.accounts.iter().filter(move |a| {
        accounts::same_account(&a.value.qualified(), anon) || accounts::same_account(&a.value.name, anon)
    })
}
