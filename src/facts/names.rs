//! This server's real names, as the bundle shows them, and how each was found.
//!
//! Procedures print these names, so each carries the reason it was chosen ("from the IIS configuration",
//! "from the IUSR_ account name", ...) and the report says so.

use super::{accounts, Facts, Source};
use serde::Serialize;

/// A name a file shows for this server or its domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerName {
    pub name: String,
    pub role: NameRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameRole {
    /// The server's NetBIOS (or DNS) name.
    Server,
    /// The Windows domain the server or an account belongs to.
    Domain,
}

/// A derived name with the reason it was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    pub value: String,
    /// How the name was found, for the report.
    pub how: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

impl Named {
    fn new(value: impl Into<String>, how: impl Into<String>, source: Option<Source>) -> Self {
        Named {
            value: value.into(),
            how: how.into(),
            source,
        }
    }
}

/// The names every rule and procedure uses.
#[derive(Debug, Clone, Serialize)]
pub struct Names {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<Named>,
    /// The account IIS uses for anonymous requests.
    pub anonymous_account: Named,
    /// The web site that hosts OWA (`Default Web Site` unless the bundle says otherwise).
    pub web_site: Named,
    /// Its IIS site id (`1` unless the bundle says otherwise).
    pub site_id: Named,
    /// OWA build folders under /owa (e.g. `8.1.240.6`); empty when the bundle does not show them.
    pub builds: Vec<Named>,
    /// `6` or `7` (IIS 7 and later), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iis_generation: Option<u8>,
    /// How IIS logs the anonymous account on: `Interactive`, `Batch`, `Network` or `ClearText` (the default).
    pub logon_method: Named,
}

impl Names {
    /// The server name for commands, or a placeholder the engineer must replace.
    pub fn server_or_placeholder(&self) -> String {
        self.server
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_else(|| "<ServerName>".into())
    }
    /// The anonymous account without a domain prefix.
    pub fn anonymous_bare(&self) -> &str {
        accounts::bare_name(&self.anonymous_account.value)
    }
    /// The Windows logon type IIS uses for the anonymous account: 2 interactive, 4 batch, 3 network, 8 cleartext.
    pub fn logon_type(&self) -> u32 {
        match self.logon_method.value.to_ascii_lowercase().as_str() {
            "interactive" | "0" => 2,
            "batch" | "1" => 4,
            "network" | "2" => 3,
            _ => 8,
        }
    }
    /// True when the anonymous account is a domain account (`DOMAIN\name` with DOMAIN other than this server).
    pub fn anonymous_is_domain_account(&self) -> Option<bool> {
        let dom = accounts::domain_of(&self.anonymous_account.value)?;
        let server = self.server.as_ref()?;
        Some(!dom.eq_ignore_ascii_case(&server.value) && dom != ".")
    }
}

/// Derives the names from the facts, best source first.
pub fn derive(facts: &Facts) -> Names {
    let iis = super::iis::names(facts);
    // The IIS configuration names the server only through a local IUSR_<server> account: the weakest source.
    let server = first_name(facts, NameRole::Server)
        .or_else(|| server_from_iusr(facts))
        .or(iis.server);
    let domain = first_name(facts, NameRole::Domain);
    let anonymous_account = iis
        .anonymous_account
        .unwrap_or_else(|| anonymous_from_accounts(facts, server.as_ref()));
    Names {
        anonymous_account,
        web_site: iis.web_site.or_else(|| super::owa::web_site(facts)).unwrap_or_else(|| {
            Named::new(
                "Default Web Site",
                "the default: no IIS configuration names the OWA site",
                None,
            )
        }),
        site_id: iis
            .site_id
            .or_else(|| super::owa::site_id(facts))
            .unwrap_or_else(|| Named::new("1", "the default: no IIS configuration gives the OWA site id", None)),
        builds: iis.builds,
        iis_generation: iis.generation,
        logon_method: iis.logon_method.unwrap_or_else(|| {
            Named::new(
                "ClearText",
                "IIS's default, network cleartext; no IIS configuration in the bundle says otherwise",
                None,
            )
        }),
        server,
        domain,
    }
}

fn first_name(facts: &Facts, role: NameRole) -> Option<Named> {
    facts.server_names.iter().find(|n| n.value.role == role).map(|n| {
        Named::new(
            n.value.name.clone(),
            format!("from {}", n.source),
            Some(n.source.clone()),
        )
    })
}

/// `IUSR_CAS01` names its server `CAS01` (IIS 6 creates it so).
fn server_from_iusr(facts: &Facts) -> Option<Named> {
    let from_accounts = facts.accounts.iter().map(|a| (a.value.name.as_str(), &a.source));
    let from_groups = facts
        .groups
        .iter()
        .flat_map(|g| {
            g.value
                .members
                .iter()
                .map(move |m| (m.name.as_str(), &g.source, m.line))
        })
        .map(|(n, s, l)| (n, s, Some(l)));
    from_accounts
        .map(|(n, s)| (n, s, s.line))
        .chain(from_groups)
        .find_map(|(n, s, line)| {
            let bare = accounts::bare_name(n);
            let server = bare
                .get(..5)
                .filter(|p| p.eq_ignore_ascii_case("IUSR_"))
                .map(|_| &bare[5..])?;
            (!server.is_empty()).then(|| {
                Named::new(
                    server,
                    format!(
                        "from the anonymous account name {} ({})",
                        bare,
                        Source::new(&s.path, line)
                    ),
                    Some(Source::new(&s.path, line)),
                )
            })
        })
}

/// Without IIS configuration: the IUSR_ account the bundle shows, else the IIS 6 default for this server.
fn anonymous_from_accounts(facts: &Facts, server: Option<&Named>) -> Named {
    let is_iusr = |n: &str| {
        let b = accounts::bare_name(n);
        b.len() > 5 && b.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("IUSR_"))
    };
    if let Some(a) = facts.accounts.iter().find(|a| is_iusr(&a.value.name)) {
        return Named::new(
            a.value.qualified(),
            format!(
                "no IIS configuration in the bundle: taken from the account listed at {}",
                a.source
            ),
            Some(a.source.clone()),
        );
    }
    for g in &facts.groups {
        if let Some(m) = g.value.members.iter().find(|m| is_iusr(&m.name)) {
            let src = Source::at(&g.source.path, m.line);
            return Named::new(
                m.name.clone(),
                format!(
                    "no IIS configuration in the bundle: taken from the member list of {} at {}",
                    g.value.group, src
                ),
                Some(src),
            );
        }
    }
    if let Some(from_events) = anonymous_from_events(facts, server, &is_iusr) {
        return from_events;
    }
    match server {
        Some(s) => Named::new(
            format!("IUSR_{}", s.value),
            "no IIS configuration or account listing in the bundle: assumed the IIS 6 default IUSR_<server>",
            None,
        ),
        None => Named::new(
            "IUSR_<ServerName>",
            "no IIS configuration or account listing in the bundle: assumed the IIS 6 default IUSR_<server>",
            None,
        ),
    }
}

/// Without IIS configuration or account listing: the IUSR_ account the Security log shows refused at logon (the one
/// named for this server when there are several), with the domain the event gives.
fn anonymous_from_events(facts: &Facts, server: Option<&Named>, is_iusr: &dyn Fn(&str) -> bool) -> Option<Named> {
    let refused = || facts.logon_failures.iter().filter(|e| is_iusr(&e.value.target_user));
    let for_server = |e: &&super::Located<super::events::LogonFailure>| {
        server.is_some_and(|s| {
            e.value
                .target_user
                .get(5..)
                .is_some_and(|n| n.eq_ignore_ascii_case(&s.value))
        })
    };
    let e = refused().find(for_server).or_else(|| refused().next())?;
    let user = e.value.target_user.trim();
    let domain = e.value.target_domain.trim();
    let name = if domain.is_empty() || domain == "-" {
        user.to_string()
    } else {
        format!("{domain}\\{user}")
    };
    Some(Named::new(
        name,
        format!(
            "no IIS configuration or account listing in the bundle: the IUSR_ account refused at logon in the Security log at {}",
            e.source
        ),
        Some(e.source.clone()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::events::LogonFailure;
    use crate::facts::{Located, Source};

    fn refused(user: &str, domain: &str, record: u64) -> Located<LogonFailure> {
        let e = LogonFailure {
            event_id: 4625,
            target_user: user.into(),
            target_domain: domain.into(),
            ..LogonFailure::default()
        };
        Located::new(e, Source::at("security.evtx", record), "4625")
    }

    #[test]
    fn without_configuration_the_anonymous_account_comes_from_the_refused_iusr_logons() {
        let mut facts = Facts::default();
        facts.logon_failures.push(refused("jsmith", "CONTOSO", 7));
        facts.logon_failures.push(refused("IUSR_WEB02", "CONTOSO", 8));
        facts.logon_failures.push(refused("IUSR_CAS01", "CONTOSO", 9));
        facts.server_names.push(Located::new(
            ServerName {
                name: "CAS01".into(),
                role: NameRole::Server,
            },
            Source::at("security.evtx", 9),
            "CAS01",
        ));
        let names = derive(&facts);
        assert_eq!(names.anonymous_account.value, "CONTOSO\\IUSR_CAS01");
        assert_eq!(names.anonymous_account.source, Some(Source::at("security.evtx", 9)));
        assert_eq!(names.anonymous_is_domain_account(), Some(true));

        // A local account (the domain is the server) and no server name: the first IUSR_ refused.
        let mut facts = Facts::default();
        facts.logon_failures.push(refused("IUSR_CAS01", "-", 3));
        assert_eq!(derive(&facts).anonymous_account.value, "IUSR_CAS01");
    }
}
