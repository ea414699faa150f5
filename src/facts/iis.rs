//! IIS configuration facts: the IIS 6 metabase and IIS 7+ applicationHost.config, in one model.
//!
//! Both generations are held as configuration *nodes* with *properties*:
//! - IIS 6: a node is a metabase key (`<IIsWebVirtualDir Location ="/LM/W3SVC/1/ROOT/owa" ...>`), its kind the key
//!   type, its properties the attributes and `<Custom>` children (`AuthFlags`, `AnonymousUserName`, `Path`, ...).
//! - IIS 7+: a node is the global `<system.webServer>` (path `""`, kind `global`) or a `<location path="...">`
//!   (kind `location`); its properties are the settings owa440 reads, named `element/attribute`
//!   (`anonymousAuthentication/enabled`, `anonymousAuthentication/userName`, `handlers/accessPolicy`).
//!
//! Sites, their virtual directories and the application pools are kept apart, for both generations.
//!
//! The one query the rules use is [`IisConfig::effective`]: the settings that apply to a path of a site, each
//! with the node (level), file and line that set it. Secrets (`AnonymousUserPass`, `WAMUserPass`, any property
//! whose name holds `Pass`, IIS 7 `password` attributes) are held as a [`Secret`]: whether it is set, whether it
//! is empty, and a fingerprint to compare two levels. The text of a secret is never kept.

mod effective;
pub mod flags;
mod naming;

pub use effective::{logon_method_word, parse_bool, Effective, Setting, VdirInfo};
pub use flags::Flags;
pub use naming::{names, owa_config, IisNames, OWA_AUTH};

use super::Source;
use serde::Serialize;
use std::hash::{Hash, Hasher};

/// One IIS configuration file as read.
#[derive(Debug, Clone, Serialize)]
pub struct IisConfig {
    pub path: String,
    /// 6 for the metabase, 7 for applicationHost.config (IIS 7 and later).
    pub generation: u8,
    /// The web sites, with their virtual directories.
    pub sites: Vec<Site>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub app_pools: Vec<AppPool>,
    /// Every metabase key (IIS 6), or the global section and every `<location>` (IIS 7+).
    pub nodes: Vec<Node>,
}

/// A web site. Pass it to [`IisConfig::effective`] and [`IisConfig::vdir`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    /// The site id (`1` for Default Web Site): IIS 6 `/LM/W3SVC/<id>`, IIS 7 `<site id>`.
    pub id: String,
    /// The site's name: IIS 6 `ServerComment`, IIS 7 `<site name>`.
    pub name: String,
    /// The line of the `IIsWebServer` key or the `<site>` element.
    pub line: u64,
    pub vdirs: Vec<VirtualDir>,
}

/// Another name for [`Site`] where it is passed to a query.
pub type SiteRef = Site;

/// A virtual directory of a site: IIS 6 an `IIsWebVirtualDir` key, IIS 7 a `<virtualDirectory>` with the path of
/// its `<application>` in front (application `/owa`, virtual directory `/` give `/owa`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VirtualDir {
    /// `/` for the site's root, `/owa`, `/owa/auth`, ...
    pub vpath: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_pool: Option<String>,
    pub line: u64,
}

/// An application pool (IIS 6 `IIsApplicationPool`, IIS 7 `<applicationPools><add>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppPool {
    pub name: String,
    /// IIS 7 `processModel identityType` (`ApplicationPoolIdentity`, `NetworkService`, `SpecificUser`, ...);
    /// IIS 6 `AppPoolIdentityType` as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    pub line: u64,
}

/// A configuration node: a metabase key, or the IIS 7 global section or a `<location>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// IIS 6 the key's `Location` (`/LM/W3SVC/1/ROOT/owa`); IIS 7 the location path (`Default Web Site/owa`),
    /// `""` for the global section.
    pub path: String,
    /// IIS 6 the key type (`IIsWebService`, `IIsWebVirtualDir`, `IIsWebDirectory`, ...); IIS 7 `global` or `location`.
    pub kind: String,
    pub line: u64,
    pub properties: Vec<Property>,
}

/// One property of a node, with its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Property {
    pub name: String,
    pub value: Value,
    pub line: u64,
    /// True for a metabase `<Custom Name=".." ID=".." Value=".."/>` property.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub custom: bool,
}

/// A property's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Value {
    Text(String),
    /// `AuthFlags`, `AccessFlags`, `AccessSSLFlags`, `handlers/accessPolicy`.
    Flags(Flags),
    /// A password: never its text.
    Secret(Secret),
}

/// A secret property as owa440 keeps it: set (it is a value), empty or not, and a fingerprint of the value.
///
/// The fingerprint is a 64-bit SipHash of the value as written (for IIS 6 the encrypted blob): enough to tell
/// two levels apart, useless to recover the value, and never serialized.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Secret {
    /// True when the property is set to an empty value.
    pub empty: bool,
    #[serde(skip)]
    fingerprint: u64,
}

impl Secret {
    /// Keeps what may be kept of a secret value: whether it is empty, and its fingerprint.
    pub fn of(value: &str) -> Secret {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        value.trim().hash(&mut h);
        Secret {
            empty: value.trim().is_empty(),
            fingerprint: h.finish(),
        }
    }
    /// True when both were set to the same value.
    pub fn same_as(&self, other: &Secret) -> bool {
        self.fingerprint == other.fingerprint
    }
    /// A short tag for telling levels apart in a sentence (`value A`, `value B` are assigned by the caller);
    /// the fingerprint itself is not shown.
    pub fn describe(&self) -> &'static str {
        if self.empty {
            "set, EMPTY"
        } else {
            "set (encrypted value, not shown)"
        }
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", self.describe())
    }
}

/// True for a property name that holds a password (`AnonymousUserPass`, `WAMUserPass`, `UNCPassword`, `password`)
/// or a key (`SessionKey`).
pub fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("pass") || n.contains("sessionkey")
}

/// True for a value that is an encrypted blob whatever its property is called: IIS 6 writes encrypted values as
/// hex starting `49634462` (`IcDb`), IIS 7 as `[enc:Provider:...:enc]`.
pub fn is_encrypted_value(value: &str) -> bool {
    let v = value.trim();
    (v.len() >= 24 && v.bytes().all(|b| b.is_ascii_hexdigit()) && v[..8].eq_ignore_ascii_case("49634462"))
        || (v.starts_with("[enc:") && v.ends_with(":enc]"))
}

/// True when a property must be kept as a [`Secret`]: by its name or by its value.
pub fn is_secret(name: &str, value: &str) -> bool {
    is_secret_name(name) || is_encrypted_value(value)
}

impl Value {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
    pub fn as_flags(&self) -> Option<&Flags> {
        match self {
            Value::Flags(f) => Some(f),
            _ => None,
        }
    }
    pub fn as_secret(&self) -> Option<&Secret> {
        match self {
            Value::Secret(s) => Some(s),
            _ => None,
        }
    }
    /// The value as an excerpt may show it: secrets as `(set, not shown)`.
    pub fn shown(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Flags(f) => f.text.clone(),
            Value::Secret(s) if s.empty => String::new(),
            Value::Secret(_) => "(encrypted value, not shown)".into(),
        }
    }
}

impl Property {
    /// The property as it stands in the file, rebuilt from what was read (never the raw line, which may hold a
    /// secret beside it): `AuthFlags="AuthBasic | AuthNTLM"`, `<anonymousAuthentication enabled="false" />`.
    pub fn excerpt(&self) -> String {
        match self.name.split_once('/') {
            Some((element, attr)) => format!("<{element} {attr}=\"{}\" />", self.value.shown()),
            None if self.custom => format!("<Custom Name=\"{}\" Value=\"{}\" />", self.name, self.value.shown()),
            None => format!("{}=\"{}\"", self.name, self.value.shown()),
        }
    }
}

impl Node {
    /// The property of this node with this name (case-insensitive), the last one when written twice.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().rev().find(|p| p.name.eq_ignore_ascii_case(name))
    }
    /// `/LM/W3SVC/1/ROOT/owa`, `location Default Web Site/owa`, `global system.webServer`: how a report names it.
    pub fn level(&self) -> String {
        match self.kind.as_str() {
            "global" => "the global system.webServer section".into(),
            "location" => format!("<location path=\"{}\">", self.path),
            _ => self.path.clone(),
        }
    }
}

impl IisConfig {
    /// An empty configuration of `generation` read from `path`.
    pub fn new(path: &str, generation: u8) -> Self {
        IisConfig {
            path: path.to_string(),
            generation,
            sites: Vec::new(),
            app_pools: Vec::new(),
            nodes: Vec::new(),
        }
    }

    /// The web sites.
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// The site with this id.
    pub fn site(&self, id: &str) -> Option<&Site> {
        self.sites.iter().find(|s| s.id == id)
    }

    /// The site that hosts OWA: a site with an `/owa` virtual directory. When several do (Exchange 2013 and later
    /// have `/owa` on both Default Web Site and Exchange Back End), the one users reach is chosen: not
    /// `Exchange Back End`, then the lowest site id.
    pub fn owa_site(&self) -> Option<&Site> {
        let mut hosting: Vec<&Site> = self
            .sites
            .iter()
            .filter(|s| s.vdirs.iter().any(|v| v.vpath.eq_ignore_ascii_case("/owa")))
            .collect();
        hosting.sort_by_key(|s| {
            (
                s.name.eq_ignore_ascii_case("Exchange Back End"),
                s.id.parse::<u64>().unwrap_or(u64::MAX),
            )
        });
        hosting.first().copied()
    }

    /// The nodes that apply to `vpath` of `site`, nearest first: IIS 6 `/ROOT/owa/auth`, `/ROOT/owa`, `/ROOT`,
    /// `/LM/W3SVC/<id>`, `/LM/W3SVC`; IIS 7 the deepest `<location path>` first, then `<location path="">`, then
    /// the global section. Where one level is written twice, the later one comes first (it wins).
    pub fn levels(&self, site: &Site, vpath: &str) -> Vec<&Node> {
        let chain = self.chain(site, vpath);
        let mut out = Vec::new();
        for want in chain.iter().rev() {
            let mut here: Vec<&Node> = self
                .nodes
                .iter()
                .filter(|n| normalise(&n.path).eq_ignore_ascii_case(want))
                .collect();
            here.reverse();
            here.sort_by_key(|n| n.kind == "global");
            out.extend(here);
        }
        out
    }

    /// The level paths from the top to `vpath` (IIS 6 metabase locations, IIS 7 location paths).
    fn chain(&self, site: &Site, vpath: &str) -> Vec<String> {
        let segments: Vec<&str> = vpath.split('/').filter(|s| !s.is_empty()).collect();
        let mut chain = Vec::new();
        let mut current = if self.generation == 6 {
            chain.push("/LM/W3SVC".to_string());
            chain.push(format!("/LM/W3SVC/{}", site.id));
            format!("/LM/W3SVC/{}/ROOT", site.id)
        } else {
            chain.push(String::new());
            site.name.clone()
        };
        chain.push(current.clone());
        for seg in segments {
            current = format!("{current}/{seg}");
            chain.push(current.clone());
        }
        chain
    }

    /// Every level on the paths to `vpaths` that sets `property`, top level first, each once.
    pub fn settings_of(&self, site: &Site, vpaths: &[&str], property: &str) -> Vec<(&Node, &Property)> {
        let mut out: Vec<(&Node, &Property)> = Vec::new();
        for vpath in vpaths {
            let mut levels = self.levels(site, vpath);
            levels.reverse();
            for node in levels {
                if let Some(p) = node.property(property) {
                    if !out.iter().any(|(n, _)| std::ptr::eq(*n, node)) {
                        out.push((node, p));
                    }
                }
            }
        }
        out
    }

    /// The OWA build folders under `/owa` of `site` (e.g. `8.1.240.6`), as the configuration names them: IIS 6
    /// keys `/LM/W3SVC/<id>/ROOT/owa/<build>`, IIS 7 `<location path="<site>/owa/<build>">` or a virtual directory
    /// there. Several builds coexist after an update; each is returned once, in file order.
    pub fn owa_builds(&self, site: &Site) -> Vec<(String, Source)> {
        let prefix = if self.generation == 6 {
            format!("/LM/W3SVC/{}/ROOT/owa/", site.id)
        } else {
            format!("{}/owa/", site.name)
        };
        let mut out: Vec<(String, Source, u64)> = Vec::new();
        let mut add = |name: &str, line: u64| {
            if is_build(name) && !out.iter().any(|(b, _, _)| b.eq_ignore_ascii_case(name)) {
                out.push((name.to_string(), Source::at(&self.path, line), line));
            }
        };
        for n in &self.nodes {
            if let Some(rest) = strip_prefix_ci(normalise(&n.path), &prefix) {
                add(rest, n.line);
            }
        }
        for v in &site.vdirs {
            if v.vpath.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("/owa/")) {
                add(&v.vpath[5..], v.line);
            }
        }
        out.sort_by_key(|(_, _, line)| *line);
        out.into_iter().map(|(b, s, _)| (b, s)).collect()
    }
}

/// A build folder name: dotted numbers (`8.1.240.6`, `14.3.123.4`, `15.2.922.7`).
pub fn is_build(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    (3..=4).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `s` without `prefix` (compared ignoring ASCII case), if it starts with it.
pub fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

/// A node path without leading or trailing slashes on IIS 7 locations, without a trailing slash on metabase keys.
fn normalise(path: &str) -> &str {
    let p = path.trim();
    if p.starts_with("/LM") || p.starts_with("/lm") {
        p.trim_end_matches('/')
    } else {
        p.trim_matches('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_folders_are_dotted_numbers() {
        assert!(is_build("8.1.240.6"));
        assert!(is_build("14.3.123.4"));
        assert!(is_build("15.2.922.7"));
        assert!(!is_build("auth"));
        assert!(!is_build("8.1"));
        assert!(!is_build("8.1.x.6"));
    }

    #[test]
    fn secrets_compare_without_keeping_the_text() {
        let a = Secret::of("4963446270000000aa");
        let b = Secret::of("4963446270000000bb");
        assert!(a.same_as(&Secret::of("4963446270000000aa")));
        assert!(!a.same_as(&b));
        assert!(Secret::of("").empty);
        assert!(!format!("{a:?}").contains("4963"));
        assert!(!serde_json::to_string(&a).unwrap_or_default().contains("4963"));
    }
}
