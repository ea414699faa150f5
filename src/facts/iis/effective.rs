//! Effective settings by inheritance: the nearest level that sets a property wins.
//!
//! IIS 6: `/LM/W3SVC` → `/LM/W3SVC/<id>` → `/LM/W3SVC/<id>/ROOT` → `/ROOT/owa` → `/ROOT/owa/auth`; a key that does
//! not set a property inherits it from above, and a folder with no key inherits from its parent.
//! IIS 7+: for each setting, the deepest `<location path>` on the path that sets it, then `<location path="">`,
//! then the global section, as CSS-Exchange HealthChecker's Get-IISAuthenticationType walks it. A setting no level
//! writes is left `None`; the caller knows the schema default (IIS 7 `anonymousAuthentication` `userName` IUSR,
//! `logonMethod` ClearText; every `enabled` false) and says that it used it. `web.config` files can not set
//! authentication under Exchange's default section locking, so applicationHost.config is the whole story.

use super::{flags, Flags, IisConfig, Node, Property, Secret, Site, Value};
use crate::facts::Source;
use serde::Serialize;

/// One effective setting, with the level, file and line that set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
    /// The level that set it: a metabase key path or a `<location path>`.
    pub level: String,
    /// The property as named in the file (`AuthFlags`, `anonymousAuthentication/enabled`).
    pub property: String,
    /// The setting as it stands in the file (secrets never shown).
    pub excerpt: String,
}

/// The settings that apply to one path of one site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Effective {
    pub generation: u8,
    /// The site's name and the path asked for (`Default Web Site/owa/auth`).
    pub path: String,
    pub anonymous: Option<Setting<bool>>,
    pub basic: Option<Setting<bool>>,
    /// Integrated Windows authentication (IIS 6 `AuthNTLM`).
    pub windows: Option<Setting<bool>>,
    /// IIS 6 `AuthMD5`, IIS 7 `digestAuthentication`.
    pub digest: Option<Setting<bool>>,
    /// IIS 6 `AuthPassport` (IIS 7 has none).
    pub passport: Option<Setting<bool>>,
    /// IIS 6: the `AuthFlags` that set the five above.
    pub auth_flags: Option<Setting<Flags>>,
    /// IIS 6 `AccessFlags`; IIS 7 `handlers accessPolicy` (same bits).
    pub access_flags: Option<Setting<Flags>>,
    /// IIS 6 `AnonymousUserName`, IIS 7 `anonymousAuthentication userName`.
    pub anonymous_user: Option<Setting<String>>,
    /// IIS 6 `AnonymousUserPass`, IIS 7 `anonymousAuthentication password`.
    pub anonymous_password: Option<Setting<Secret>>,
    /// `Interactive`, `Batch`, `Network` or `ClearText` (IIS 6 `LogonMethod` 0..3 translated).
    pub logon_method: Option<Setting<String>>,
    pub physical_path: Option<Setting<String>>,
}

impl Effective {
    /// The authenticated methods that are enabled (`basic`, `windows`, `digest`, `passport`), with their settings.
    pub fn other_methods_enabled(&self) -> Vec<(&'static str, &Setting<bool>)> {
        [
            ("basic", &self.basic),
            ("windows", &self.windows),
            ("digest", &self.digest),
            ("passport", &self.passport),
        ]
        .into_iter()
        .filter_map(|(n, s)| s.as_ref().filter(|s| s.value).map(|s| (n, s)))
        .collect()
    }

    /// Whether anonymous is enabled: IIS 6 from `AuthFlags` (None when no level sets it); IIS 7 from the nearest
    /// `anonymousAuthentication enabled`, the schema default (false) when none sets it.
    pub fn anonymous_enabled(&self) -> Option<bool> {
        match (&self.anonymous, self.generation) {
            (Some(s), _) => Some(s.value),
            (None, 6) => None,
            (None, _) => Some(false),
        }
    }

    /// "Anonymous only": anonymous on and every authenticated method off.
    pub fn anonymous_only(&self) -> Option<bool> {
        self.anonymous_enabled()
            .map(|a| a && self.other_methods_enabled().is_empty())
    }
}

/// A virtual directory or folder as [`IisConfig::vdir`] finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VdirInfo {
    pub vpath: String,
    /// IIS 6 the key type (`IIsWebVirtualDir`, `IIsWebDirectory`); IIS 7 `virtualDirectory`.
    pub kind: String,
    pub source: Source,
    /// Effective (a folder's is its virtual directory's path plus the folder).
    pub physical_path: Option<Setting<String>>,
    pub access_flags: Option<Setting<Flags>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_pool: Option<String>,
}

fn setting<T>(cfg: &IisConfig, node: &Node, p: &Property, value: T) -> Setting<T> {
    Setting {
        value,
        source: Source::at(&cfg.path, p.line),
        level: node.level(),
        property: p.name.clone(),
        excerpt: p.excerpt(),
    }
}

/// `true`/`false` as IIS writes them (also `TRUE`, `1`, `0`).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// IIS 6 `LogonMethod` number as the IIS 7 word (0 Interactive, 1 Batch, 2 Network, 3 ClearText).
pub fn logon_method_word(text: &str) -> String {
    match text.trim() {
        "0" => "Interactive".into(),
        "1" => "Batch".into(),
        "2" => "Network".into(),
        "3" => "ClearText".into(),
        other => other.to_string(),
    }
}

impl IisConfig {
    /// The effective settings of `vpath` (`/owa/auth`, `/owa/8.1.240.6`) on `site`.
    pub fn effective(&self, site: &Site, vpath: &str) -> Effective {
        let levels = self.levels(site, vpath);
        let find = |name: &str| levels.iter().find_map(|n| n.property(name).map(|p| (*n, p)));
        let find_with = |name: &str, ok: &dyn Fn(&Value) -> bool| {
            levels
                .iter()
                .find_map(|n| n.property(name).filter(|p| ok(&p.value)).map(|p| (*n, p)))
        };
        let text = |name: &str| {
            find_with(name, &|v| v.as_text().is_some())
                .map(|(n, p)| setting(self, n, p, p.value.as_text().unwrap_or_default().to_string()))
        };
        let flag = |name: &str| {
            find_with(name, &|v| v.as_flags().is_some())
                .and_then(|(n, p)| p.value.as_flags().map(|f| setting(self, n, p, f.clone())))
        };
        let secret = |name: &str| {
            find_with(name, &|v| v.as_secret().is_some())
                .and_then(|(n, p)| p.value.as_secret().map(|s| setting(self, n, p, s.clone())))
        };
        let boolean = |name: &str| {
            find_with(name, &|v| v.as_text().and_then(parse_bool).is_some())
                .and_then(|(n, p)| p.value.as_text().and_then(parse_bool).map(|b| setting(self, n, p, b)))
        };
        let mut e = Effective {
            generation: self.generation,
            path: format!("{}{}", site.name, vpath),
            ..Effective::default()
        };
        if self.generation == 6 {
            e.auth_flags = flag("AuthFlags");
            if let Some(a) = &e.auth_flags {
                let bit = |b: u32| {
                    Some(Setting {
                        value: a.value.has(b),
                        source: a.source.clone(),
                        level: a.level.clone(),
                        property: a.property.clone(),
                        excerpt: a.excerpt.clone(),
                    })
                };
                e.anonymous = bit(flags::AUTH_ANONYMOUS);
                e.basic = bit(flags::AUTH_BASIC);
                e.windows = bit(flags::AUTH_NTLM);
                e.digest = bit(flags::AUTH_MD5);
                e.passport = bit(flags::AUTH_PASSPORT);
            }
            e.access_flags = flag("AccessFlags");
            e.anonymous_user = text("AnonymousUserName");
            e.anonymous_password = secret("AnonymousUserPass");
            e.logon_method = text("LogonMethod").map(|mut s| {
                s.value = logon_method_word(&s.value);
                s
            });
            e.physical_path = find("Path").and_then(|(n, p)| {
                let base = p.value.as_text()?;
                let rest = self.remainder(site, vpath, n);
                Some(setting(self, n, p, join_physical(base, &rest)))
            });
        } else {
            e.anonymous = boolean("anonymousAuthentication/enabled");
            e.basic = boolean("basicAuthentication/enabled");
            e.windows = boolean("windowsAuthentication/enabled");
            e.digest = boolean("digestAuthentication/enabled");
            e.access_flags = flag("handlers/accessPolicy");
            e.anonymous_user = text("anonymousAuthentication/userName");
            e.anonymous_password = secret("anonymousAuthentication/password");
            e.logon_method = text("anonymousAuthentication/logonMethod");
            e.physical_path = self.physical_iis7(site, vpath);
        }
        e
    }

    /// The path segments of `vpath` below `node` (`/owa/auth` below `/ROOT/owa` is `auth`).
    fn remainder(&self, site: &Site, vpath: &str, node: &Node) -> String {
        let full = format!("/LM/W3SVC/{}/ROOT{}", site.id, vpath.trim_end_matches('/'));
        let np = node.path.trim_end_matches('/');
        super::strip_prefix_ci(&full, np)
            .map(|rest| rest.trim_matches('/').to_string())
            .unwrap_or_default()
    }

    /// The IIS 7 virtual directory whose path is the longest prefix of `vpath`.
    fn containing_vdir<'a>(&self, site: &'a Site, vpath: &str) -> Option<(&'a super::VirtualDir, String)> {
        let want = vpath.trim_end_matches('/');
        site.vdirs
            .iter()
            .filter_map(|v| {
                let vp = v.vpath.trim_end_matches('/');
                let rest = super::strip_prefix_ci(want, vp)?;
                (rest.is_empty() || rest.starts_with('/')).then(|| (v, rest.trim_matches('/').to_string()))
            })
            .max_by_key(|(v, _)| v.vpath.trim_end_matches('/').len())
    }

    fn physical_iis7(&self, site: &Site, vpath: &str) -> Option<Setting<String>> {
        let (v, rest) = self.containing_vdir(site, vpath)?;
        let base = v.physical_path.as_deref()?;
        Some(Setting {
            value: join_physical(base, &rest),
            source: Source::at(&self.path, v.line),
            level: format!("<virtualDirectory> {}{}", site.name, v.vpath),
            property: "physicalPath".into(),
            excerpt: format!("<virtualDirectory physicalPath=\"{base}\" />"),
        })
    }

    /// The virtual directory or folder at `vpath` of `site`, or None when the configuration has none there.
    /// IIS 6: an `IIsWebVirtualDir` or `IIsWebDirectory` key at `/LM/W3SVC/<id>/ROOT<vpath>`; IIS 7: a
    /// `<virtualDirectory>` (with its application's path) at `vpath`.
    pub fn vdir(&self, site: &Site, vpath: &str) -> Option<VdirInfo> {
        let want = if vpath.is_empty() { "/" } else { vpath };
        let eff = || self.effective(site, want);
        if self.generation == 6 {
            let key = format!("/LM/W3SVC/{}/ROOT{}", site.id, want.trim_end_matches('/'));
            let node = self.nodes.iter().rev().find(|n| {
                n.path.trim_end_matches('/').eq_ignore_ascii_case(&key)
                    && (n.kind.eq_ignore_ascii_case("IIsWebVirtualDir")
                        || n.kind.eq_ignore_ascii_case("IIsWebDirectory"))
            })?;
            let e = eff();
            let app_pool = self.levels(site, want).iter().find_map(|n| {
                n.property("AppPoolId")
                    .and_then(|p| p.value.as_text().map(str::to_string))
            });
            Some(VdirInfo {
                vpath: want.to_string(),
                kind: node.kind.clone(),
                source: Source::at(&self.path, node.line),
                physical_path: e.physical_path,
                access_flags: e.access_flags,
                app_pool,
            })
        } else {
            let v = site.vdirs.iter().find(|v| {
                v.vpath
                    .trim_end_matches('/')
                    .eq_ignore_ascii_case(want.trim_end_matches('/'))
            })?;
            let e = eff();
            Some(VdirInfo {
                vpath: want.to_string(),
                kind: "virtualDirectory".into(),
                source: Source::at(&self.path, v.line),
                physical_path: e.physical_path,
                access_flags: e.access_flags,
                app_pool: v.app_pool.clone(),
            })
        }
    }
}

/// `C:\...\Owa` + `auth` = `C:\...\Owa\auth`.
fn join_physical(base: &str, rest: &str) -> String {
    if rest.is_empty() {
        base.to_string()
    } else {
        format!("{}\\{}", base.trim_end_matches(['\\', '/']), rest.replace('/', "\\"))
    }
}
