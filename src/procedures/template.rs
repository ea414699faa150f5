//! The values a procedure's `{placeholders}` are filled with.

use crate::facts::names::Names;
use crate::rules::Finding;
use std::collections::BTreeMap;

/// Placeholder values: this server's names, plus the details the positive findings carry.
///
/// A placeholder may hold several values (the OWA build folders; a finding var written one value per line, such
/// as the metabase paths to delete): a step that names it is rendered once per value (see [`Vars::expand`]),
/// while `{name}` elsewhere shows the values joined by `, `.
#[derive(Debug, Default, Clone)]
pub struct Vars {
    map: BTreeMap<String, String>,
    /// Values a step may test with [`Vars::has`] (e.g. which rights hold Guests).
    flags: Vec<String>,
    /// Placeholders with several values.
    lists: BTreeMap<String, Vec<String>>,
}

impl Vars {
    pub fn new(names: &Names, findings: &[&Finding]) -> Vars {
        let mut v = Vars::default();
        v.set("server", names.server_or_placeholder());
        v.set("account", names.anonymous_account.value.clone());
        v.set("account_bare", names.anonymous_bare().to_string());
        v.set("web_site", names.web_site.value.clone());
        v.set("site_id", names.site_id.value.clone());
        v.set(
            "build",
            names
                .builds
                .first()
                .map(|b| b.value.clone())
                .unwrap_or_else(|| "<build>".into()),
        );
        v.set(
            "builds",
            if names.builds.is_empty() {
                "<build>".into()
            } else {
                names
                    .builds
                    .iter()
                    .map(|b| b.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        v.set(
            "domain",
            crate::facts::accounts::domain_of(&names.anonymous_account.value)
                .map(str::to_string)
                .or_else(|| names.domain.as_ref().map(|d| d.value.clone()))
                .unwrap_or_else(|| "<DOMAIN>".into()),
        );
        if names.builds.len() > 1 {
            v.set_list("build", names.builds.iter().map(|b| b.value.clone()).collect());
        }
        if let Some(g) = names.iis_generation {
            v.flags.push(format!("iis{g}"));
        }
        if names.anonymous_is_domain_account() == Some(true) {
            v.flags.push("domain-account".into());
        }
        for f in findings {
            v.flags.push(f.cause.id().to_string());
            for (k, val) in &f.vars {
                if val.contains('\n') {
                    v.set_list(k, val.lines().map(str::to_string).filter(|l| !l.is_empty()).collect());
                    continue;
                }
                if let Some(old) = v.map.get(*k).filter(|o| !o.split(", ").any(|x| x == val)) {
                    let joined = format!("{old}, {val}");
                    v.map.insert(k.to_string(), joined);
                } else {
                    v.map.insert(k.to_string(), val.clone());
                }
                v.flags.push(format!("{k}={val}"));
            }
        }
        if !v.map.contains_key("anonymous_fix") {
            let fix = match v.map.get("anonymous_off") {
                Some(off) => off.clone(),
                None => v.fill("the OWA build folder(s) {builds} and /owa/auth of {web_site}"),
            };
            v.set("anonymous_fix", fix);
        }
        // The build folders to fix default to every build folder the bundle names.
        if !v.map.contains_key("build_off") {
            let builds = v.lists.get("build").cloned();
            match builds {
                Some(list) => v.set_list("build_off", list),
                None => v.set("build_off", v.map.get("build").cloned().unwrap_or_default()),
            }
        }
        v
    }

    pub fn set(&mut self, key: &str, value: String) {
        self.map.insert(key.to_string(), value);
    }

    /// Sets a placeholder with several values: `{key}` shows them joined by `, `; a step naming it is repeated.
    pub fn set_list(&mut self, key: &str, values: Vec<String>) {
        self.map.insert(key.to_string(), values.join(", "));
        if values.len() > 1 {
            self.lists.insert(key.to_string(), values);
        } else {
            self.lists.remove(key);
        }
    }

    /// The variants of these values for a step whose templates are `texts`: one per value of each
    /// several-valued placeholder the step names (all combinations), else just these values.
    pub fn expand(&self, texts: &[&str]) -> Vec<Vars> {
        let named = self
            .lists
            .keys()
            .find(|k| texts.iter().any(|t| t.contains(&format!("{{{k}}}"))));
        let Some(key) = named else {
            return vec![self.clone()];
        };
        let mut out = Vec::new();
        for value in &self.lists[key] {
            let mut one = self.clone();
            one.lists.remove(key);
            one.map.insert(key.clone(), value.clone());
            out.extend(one.expand(texts));
        }
        out
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }

    /// True when a flag (`iis6`, `iis7`, `domain-account`, a positive cause id, or `var=value`) is set.
    pub fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    /// Replaces every `{name}` with its value; an unknown name stays as written.
    pub fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) if self.map.contains_key(&after[..close]) => {
                    out.push_str(&self.map[&after[..close]]);
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}
