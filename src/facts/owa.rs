//! Exchange's view of the OWA virtual directories (Get-OwaVirtualDirectory), as any of its exports shows it
//! (Format-List text, Export-Clixml, Export-Csv, ConvertTo-Json).

use super::names::Named;
use super::Facts;
use serde::Serialize;
use std::collections::BTreeMap;

/// One OWA virtual directory object. Every field is `None` (or empty) when the export does not show it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OwaVdir {
    /// `owa (Default Web Site)`; empty when the export lacks the Name property.
    pub name: String,
    /// The Exchange server (`Server`, else `ServerName`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// `Exchange2007`, `Exchange2003or2000`, `Exchange2010`, `Exchange2013`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owa_version: Option<String>,
    /// `Mailboxes`, `PublicFolders`, `Exchweb` (the legacy vdirs of Exchange 2007), `NotSpecified`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_directory_type: Option<String>,
    /// `IIS://CAS01.contoso.com/W3SVC/1/ROOT/owa`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metabase_path: Option<String>,
    /// The physical path Exchange recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_site: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forms_authentication: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_authentication: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows_authentication: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest_authentication: Option<bool>,
    /// `Basic`, `Fba`, `Ntlm`, `WindowsIntegrated`, `Digest`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal_authentication_methods: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_authentication_methods: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_url: Option<String>,
    /// `CAS01\owa (Default Web Site)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// `Version 8.1 (Build 240.6)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_display_version: Option<String>,
    /// The AD object's version, `0.1 (8.0.535.0)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_version: Option<String>,
    /// Properties whose value the export cut short (`{a, b...}`): what is there is kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub truncated: Vec<String>,
    /// Where each property above was read (by its PowerShell name), for evidence.
    #[serde(skip)]
    pub lines: BTreeMap<String, PropLine>,
}

/// The line a property was read from, and that line as it stands (trimmed, shortened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropLine {
    pub line: u64,
    pub excerpt: String,
}

/// Exchange 2007 (OWA with the legacy exchange/public/exchweb vdirs) or Exchange 2010 and later (owa alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Generation {
    Exchange2007,
    Exchange2010Plus,
}

impl Generation {
    /// The value of the `exchange` flag procedures test.
    pub fn flag(self) -> &'static str {
        match self {
            Generation::Exchange2007 => "2007",
            Generation::Exchange2010Plus => "2010+",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Generation::Exchange2007 => "Exchange 2007",
            Generation::Exchange2010Plus => "Exchange 2010 or later",
        }
    }
    /// From a major version number (8 is Exchange 2007, 14 is 2010, 15 is 2013 and later).
    pub fn from_major(major: u32) -> Option<Generation> {
        match major {
            8 => Some(Generation::Exchange2007),
            14.. => Some(Generation::Exchange2010Plus),
            _ => None,
        }
    }
}

/// The parts of a `MetabasePath`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetabasePath {
    /// The host named after `IIS://` (FQDN or NetBIOS name).
    pub host: String,
    /// The IIS site id (`1`).
    pub site_id: String,
    /// The virtual path below the site root, `/owa` (`/` for the root itself).
    pub vpath: String,
}

impl MetabasePath {
    /// `IIS://host/W3SVC/<id>/ROOT[/path]` (case-insensitive); `None` for anything else.
    pub fn parse(s: &str) -> Option<MetabasePath> {
        let s = s.trim();
        let rest = s
            .get(..6)
            .filter(|p| p.eq_ignore_ascii_case("IIS://"))
            .map(|_| &s[6..])?;
        let mut parts = rest.split('/');
        let host = parts.next().filter(|h| !h.is_empty())?;
        if !parts.next()?.eq_ignore_ascii_case("W3SVC") {
            return None;
        }
        let site_id = parts.next().filter(|id| !id.is_empty())?;
        if !parts.next()?.eq_ignore_ascii_case("ROOT") {
            return None;
        }
        let below: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
        Some(MetabasePath {
            host: host.to_string(),
            site_id: site_id.to_string(),
            vpath: format!("/{}", below.join("/")),
        })
    }
}

/// The authentication methods Exchange says a vdir uses, whichever properties say it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthSettings {
    pub forms: bool,
    pub basic: bool,
    pub windows: bool,
    pub digest: bool,
}

impl AuthSettings {
    /// `Fba, Basic` style list for reports.
    pub fn describe(self) -> String {
        let mut v = Vec::new();
        if self.forms {
            v.push("forms-based (FBA)");
        }
        if self.basic {
            v.push("Basic");
        }
        if self.windows {
            v.push("Integrated Windows");
        }
        if self.digest {
            v.push("Digest");
        }
        if v.is_empty() {
            "none".into()
        } else {
            v.join(", ")
        }
    }
}

impl OwaVdir {
    /// The vdir's own name without the web site: `owa` for `owa (Default Web Site)`, lower-cased.
    pub fn short_name(&self) -> String {
        let n = self.name.trim();
        let base = match n.rfind(" (") {
            Some(i) if n.ends_with(')') => &n[..i],
            _ => n,
        };
        base.trim().to_ascii_lowercase()
    }

    /// The web site: the `WebSite` property, else the name's parenthesis (`Default Web Site`).
    pub fn site(&self) -> Option<String> {
        if let Some(w) = self.web_site.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
            return Some(w.to_string());
        }
        let n = self.name.trim();
        let open = n.rfind(" (")?;
        n.ends_with(')').then(|| n[open + 2..n.len() - 1].trim().to_string())
    }

    pub fn metabase(&self) -> Option<MetabasePath> {
        self.metabase_path.as_deref().and_then(MetabasePath::parse)
    }

    /// Which Exchange wrote this object, and the property that says so: `AdminDisplayVersion` (the server's build),
    /// else `ExchangeVersion` (the AD object's version, `0.1 (8.0.535.0)` on Exchange 2007), else `OwaVersion`
    /// when it is Exchange2007 or later (Exchange2003or2000 names no server version: Exchange 2007 keeps its legacy
    /// vdirs so). A mistyped OwaVersion is what the rule looks for, so it comes last.
    pub fn generation(&self) -> Option<(Generation, &'static str)> {
        if let Some(g) = self.admin_display_version.as_deref().and_then(admin_display_major) {
            return Some((g, "AdminDisplayVersion"));
        }
        if let Some(g) = self.exchange_version.as_deref().and_then(exchange_version_major) {
            return Some((g, "ExchangeVersion"));
        }
        match self.owa_version.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("exchange2007") => Some((Generation::Exchange2007, "OwaVersion")),
            Some(v) if v.starts_with("exchange20") && v != "exchange2003or2000" => {
                Some((Generation::Exchange2010Plus, "OwaVersion"))
            }
            _ => None,
        }
    }

    /// The authentication Exchange records for this vdir. The booleans say it, unless they are all false and
    /// the InternalAuthenticationMethods list is not empty: that is what `-ADPropertiesOnly` writes (the booleans
    /// come from IIS and are not read then), and the list is the truth.
    pub fn auth(&self) -> Option<(AuthSettings, &'static str)> {
        let bools = [
            self.forms_authentication,
            self.basic_authentication,
            self.windows_authentication,
            self.digest_authentication,
        ];
        let from_bools = AuthSettings {
            forms: bools[0] == Some(true),
            basic: bools[1] == Some(true),
            windows: bools[2] == Some(true),
            digest: bools[3] == Some(true),
        };
        let any_bool_known = bools.iter().any(Option::is_some);
        let methods = self
            .internal_authentication_methods
            .as_deref()
            .filter(|m| !m.is_empty());
        match methods {
            Some(m) if from_bools == AuthSettings::default() => {
                let has = |names: &[&str]| m.iter().any(|x| names.iter().any(|n| x.eq_ignore_ascii_case(n)));
                Some((
                    AuthSettings {
                        forms: has(&["Fba"]),
                        basic: has(&["Basic"]),
                        windows: has(&["Ntlm", "WindowsIntegrated", "Negotiate", "Kerberos"]),
                        digest: has(&["Digest"]),
                    },
                    "InternalAuthenticationMethods",
                ))
            }
            _ if any_bool_known => Some((from_bools, "the *Authentication properties")),
            _ => None,
        }
    }

    /// Where a property was read, if it was.
    pub fn line_of(&self, property: &str) -> Option<&PropLine> {
        self.lines
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(property))
            .map(|(_, v)| v)
    }
}

/// The first owa virtual directory Exchange lists that names its web site (and, through its MetabasePath, the
/// site id): what the bundle says of the OWA site when no IIS configuration says it.
fn first_owa(facts: &Facts) -> Option<&super::Located<OwaVdir>> {
    facts
        .owa_vdirs
        .iter()
        .find(|v| v.value.short_name() == "owa" && v.value.site().is_some())
}

/// The web site hosting OWA as Exchange's owa virtual directory names it (`owa (Exchange Site)`).
pub fn web_site(facts: &Facts) -> Option<Named> {
    let v = first_owa(facts)?;
    Some(Named {
        value: v.value.site()?,
        how: format!(
            "from Exchange's virtual directory `{}` ({}): no IIS configuration names the OWA site",
            v.value.name, v.source
        ),
        source: Some(v.source.clone()),
    })
}

/// The OWA site's id as the owa virtual directory's MetabasePath gives it (`IIS://CAS01/W3SVC/1/ROOT/owa`).
pub fn site_id(facts: &Facts) -> Option<Named> {
    let v = first_owa(facts)?;
    let m = v.value.metabase()?;
    let at = v
        .value
        .line_of("MetabasePath")
        .map_or(v.source.clone(), |l| super::Source::at(&v.source.path, l.line));
    Some(Named {
        value: m.site_id,
        how: format!(
            "from the MetabasePath of Exchange's `{}` ({at}): no IIS configuration gives the OWA site id",
            v.value.name
        ),
        source: Some(at),
    })
}

/// `Version 8.1 (Build 240.6)` → Exchange 2007.
fn admin_display_major(s: &str) -> Option<Generation> {
    let v = s.trim();
    let v = v.strip_prefix("Version").unwrap_or(v).trim_start();
    let major: u32 = v.split('.').next()?.trim().parse().ok()?;
    Generation::from_major(major)
}

/// `0.1 (8.0.535.0)` → Exchange 2007; `0.10 (14.0.100.0)` → 2010 or later.
fn exchange_version_major(s: &str) -> Option<Generation> {
    let inner = s.split('(').nth(1)?.split(')').next()?;
    let major: u32 = inner.split('.').next()?.trim().parse().ok()?;
    Generation::from_major(major)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metabase_path_parts() {
        let m = MetabasePath::parse("IIS://CAS01.contoso.com/W3SVC/1/ROOT/owa").expect("parses");
        assert_eq!(
            (m.host.as_str(), m.site_id.as_str(), m.vpath.as_str()),
            ("CAS01.contoso.com", "1", "/owa")
        );
        let root = MetabasePath::parse("iis://cas01/w3svc/2/root").expect("parses");
        assert_eq!((root.site_id.as_str(), root.vpath.as_str()), ("2", "/"));
        assert!(MetabasePath::parse("C:\\inetpub\\wwwroot").is_none());
        assert!(MetabasePath::parse("IIS://cas01/W3SVC/1/owa").is_none());
    }

    #[test]
    fn names_and_sites() {
        let v = OwaVdir {
            name: "Exchweb (Exchange Site)".into(),
            ..OwaVdir::default()
        };
        assert_eq!(v.short_name(), "exchweb");
        assert_eq!(v.site().as_deref(), Some("Exchange Site"));
        let w = OwaVdir {
            name: "owa".into(),
            web_site: Some("Default Web Site".into()),
            ..OwaVdir::default()
        };
        assert_eq!(
            (w.short_name().as_str(), w.site().as_deref()),
            ("owa", Some("Default Web Site"))
        );
    }

    #[test]
    fn generation_from_each_property() {
        let mut v = OwaVdir {
            owa_version: Some("Exchange2003or2000".into()),
            exchange_version: Some("0.1 (8.0.535.0)".into()),
            ..OwaVdir::default()
        };
        assert_eq!(v.generation(), Some((Generation::Exchange2007, "ExchangeVersion")));
        v.exchange_version = None;
        assert_eq!(v.generation(), None, "Exchange2003or2000 names no server version");
        v.owa_version = Some("Exchange2010".into());
        assert_eq!(v.generation(), Some((Generation::Exchange2010Plus, "OwaVersion")));
        v.admin_display_version = Some("Version 8.1 (Build 240.6)".into());
        assert_eq!(v.generation(), Some((Generation::Exchange2007, "AdminDisplayVersion")));
        v.admin_display_version = Some("Version 15.1 (Build 2375.7)".into());
        assert_eq!(v.generation().map(|g| g.0), Some(Generation::Exchange2010Plus));
    }

    #[test]
    fn ad_properties_only_exports_take_the_method_list() {
        let v = OwaVdir {
            forms_authentication: Some(false),
            basic_authentication: Some(false),
            windows_authentication: Some(false),
            digest_authentication: Some(false),
            internal_authentication_methods: Some(vec!["Basic".into(), "Fba".into()]),
            ..OwaVdir::default()
        };
        let (a, from) = v.auth().expect("known");
        assert_eq!(from, "InternalAuthenticationMethods");
        assert!(a.forms && a.basic && !a.windows && !a.digest);
        let w = OwaVdir {
            windows_authentication: Some(true),
            internal_authentication_methods: Some(vec!["Fba".into()]),
            ..OwaVdir::default()
        };
        assert_eq!(w.auth().map(|a| a.0.windows), Some(true));
        assert!(OwaVdir::default().auth().is_none());
    }
}
