//! The names the IIS configuration gives: the site hosting OWA, its id, the OWA build folders, the anonymous and
//! WAM accounts, the logon method, and the IIS generation. Each says how it was found.

use super::{IisConfig, Site};
use crate::facts::accounts;
use crate::facts::names::Named;
use crate::facts::{Facts, Source};

/// The names the IIS configuration gives, each `None` when no IIS configuration says.
#[derive(Debug, Default)]
pub struct IisNames {
    /// A hint only: the server named by a local `IUSR_<server>` / `IWAM_<server>` account of the configuration.
    pub server: Option<Named>,
    pub anonymous_account: Option<Named>,
    /// IIS 6 `WAMUserName` (the IWAM_ account of out-of-process applications).
    pub wam_account: Option<Named>,
    pub web_site: Option<Named>,
    pub site_id: Option<Named>,
    pub builds: Vec<Named>,
    pub generation: Option<u8>,
    pub logon_method: Option<Named>,
}

/// The path whose anonymous settings are the anonymous account OWA uses: the forms-based logon pages.
pub const OWA_AUTH: &str = "/owa/auth";

/// The IIS configuration of the bundle that hosts OWA, and its OWA site (the first such file; else none).
pub fn owa_config(facts: &Facts) -> Option<(&IisConfig, &Site)> {
    facts.iis.iter().find_map(|c| c.owa_site().map(|s| (c, s)))
}

fn named(value: impl Into<String>, how: impl Into<String>, source: Option<Source>) -> Named {
    Named {
        value: value.into(),
        how: how.into(),
        source,
    }
}

/// The names the IIS configuration of the bundle gives.
pub fn names(facts: &Facts) -> IisNames {
    let Some((cfg, site)) = owa_config(facts) else {
        return IisNames {
            generation: facts.iis.first().map(|c| c.generation),
            ..IisNames::default()
        };
    };
    let site_src = Source::at(&cfg.path, site.line);
    let hosting: Vec<&str> = cfg
        .sites
        .iter()
        .filter(|s| s.vdirs.iter().any(|v| v.vpath.eq_ignore_ascii_case("/owa")) && s.id != site.id)
        .map(|s| s.name.as_str())
        .collect();
    let also = if hosting.is_empty() {
        String::new()
    } else {
        format!(
            "; {} also has /owa, the site users reach was chosen",
            hosting.join(", ")
        )
    };
    let (site_name, site_how) = if site.name.is_empty() {
        let n = if site.id == "1" {
            "Default Web Site".to_string()
        } else {
            format!("Web site {}", site.id)
        };
        (
            n,
            format!("the IIS site hosting /owa at {site_src}; it has no ServerComment, so named by its id{also}"),
        )
    } else {
        (
            site.name.clone(),
            format!("the IIS site hosting /owa at {site_src}{also}"),
        )
    };
    let eff = cfg.effective(site, OWA_AUTH);
    let anonymous_account = anonymous(cfg, site, &eff);
    let wam_account = (cfg.generation == 6)
        .then(|| {
            cfg.levels(site, "/owa").iter().find_map(|n| {
                let p = n.property("WAMUserName")?;
                let v = p.value.as_text()?.trim();
                (!v.is_empty()).then(|| {
                    let src = Source::at(&cfg.path, p.line);
                    named(v, format!("WAMUserName at {} ({src})", n.level()), Some(src))
                })
            })
        })
        .flatten();
    let server = [&anonymous_account, &wam_account]
        .into_iter()
        .flatten()
        .find_map(server_hint);
    IisNames {
        server,
        web_site: Some(named(site_name, site_how.clone(), Some(site_src.clone()))),
        site_id: Some(named(site.id.clone(), site_how, Some(site_src))),
        builds: cfg
            .owa_builds(site)
            .into_iter()
            .map(|(b, src)| named(b, format!("an OWA build folder under /owa at {src}"), Some(src)))
            .collect(),
        generation: Some(cfg.generation),
        logon_method: Some(logon_method(cfg, &eff)),
        anonymous_account,
        wam_account,
    }
}

/// The account IIS uses for anonymous requests to /owa/auth.
fn anonymous(cfg: &IisConfig, site: &Site, eff: &super::Effective) -> Option<Named> {
    match &eff.anonymous_user {
        Some(u) if !u.value.trim().is_empty() => Some(named(
            u.value.trim(),
            format!(
                "{} at {} ({}), the nearest level that sets it for {OWA_AUTH}",
                u.property, u.level, u.source
            ),
            Some(u.source.clone()),
        )),
        Some(u) if cfg.generation != 6 => {
            // IIS 7: an empty userName means "use the application pool identity".
            let pool = cfg.vdir(site, OWA_AUTH).and_then(|v| v.app_pool).or_else(|| {
                site.vdirs
                    .iter()
                    .filter(|v| OWA_AUTH.starts_with(v.vpath.trim_end_matches('/')))
                    .max_by_key(|v| v.vpath.len())
                    .and_then(|v| v.app_pool.clone())
            })?;
            let identity = cfg.app_pools.iter().find(|p| p.name.eq_ignore_ascii_case(&pool));
            let account = match identity.and_then(|p| p.identity_type.as_deref()) {
                Some(t) if t.eq_ignore_ascii_case("NetworkService") => "NT AUTHORITY\\NETWORK SERVICE".to_string(),
                Some(t) if t.eq_ignore_ascii_case("LocalSystem") => "NT AUTHORITY\\SYSTEM".to_string(),
                Some(t) if t.eq_ignore_ascii_case("LocalService") => "NT AUTHORITY\\LOCAL SERVICE".to_string(),
                Some(t) if t.eq_ignore_ascii_case("SpecificUser") => identity
                    .and_then(|p| p.user_name.clone())
                    .unwrap_or_else(|| format!("IIS APPPOOL\\{pool}")),
                _ => format!("IIS APPPOOL\\{pool}"),
            };
            Some(named(
                account,
                format!(
                    "{} is empty at {} ({}): anonymous requests run as the identity of application pool {pool}",
                    u.property.replace('/', " "),
                    u.level,
                    u.source
                ),
                Some(u.source.clone()),
            ))
        }
        Some(_) => None,
        None if cfg.generation != 6 => Some(named(
            "IUSR",
            format!(
                "the IIS 7+ default: no level of {} sets anonymousAuthentication userName for {OWA_AUTH}",
                cfg.path
            ),
            None,
        )),
        None => None,
    }
}

fn logon_method(cfg: &IisConfig, eff: &super::Effective) -> Named {
    match &eff.logon_method {
        Some(m) if cfg.generation == 6 => named(
            m.value.clone(),
            format!("LogonMethod at {} ({}) for {OWA_AUTH}", m.level, m.source),
            Some(m.source.clone()),
        ),
        Some(m) => named(
            m.value.clone(),
            format!(
                "anonymousAuthentication logonMethod at {} ({}) for {OWA_AUTH}",
                m.level, m.source
            ),
            Some(m.source.clone()),
        ),
        None if cfg.generation == 6 => named(
            "ClearText",
            format!(
                "the IIS 6 default LogonMethod 3 (network cleartext): no level of {} on the path to {OWA_AUTH} sets it",
                cfg.path
            ),
            None,
        ),
        None => named(
            "ClearText",
            format!(
                "the IIS 7+ default logonMethod ClearText: no level of {} on the path to {OWA_AUTH} sets it",
                cfg.path
            ),
            None,
        ),
    }
}

/// `IUSR_CAS01` (a local account, IIS 6 names it after its server) gives `CAS01`.
fn server_hint(account: &Named) -> Option<Named> {
    if accounts::domain_of(&account.value).is_some() {
        return None;
    }
    let bare = accounts::bare_name(&account.value);
    let upper = bare.to_ascii_uppercase();
    let server = ["IUSR_", "IWAM_"]
        .iter()
        .find(|p| upper.starts_with(*p))
        .map(|p| &bare[p.len()..])
        .filter(|s| !s.is_empty())?;
    Some(named(
        server,
        format!(
            "from the local account name {bare} in the IIS configuration ({})",
            account.how
        ),
        account.source.clone(),
    ))
}
