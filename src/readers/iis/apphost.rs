//! Reader for IIS 7+ applicationHost.config, streamed with quick-xml.
//!
//! Read: the global `system.webServer` and every `<location path>` (authentication sections with all their
//! attributes, `handlers accessPolicy`, `access sslFlags`), sites with their ids, applications, virtual directories
//! and physical paths, and application pools with their identities. Password attributes are kept as
//! [`Secret`]s only. Everything else in the file (configSections, modules, handlers' lists, ...) is passed over.

use super::xml::{self, Attr, Lines};
use crate::facts::iis::{flags, AppPool, Flags, IisConfig, Node, Property, Secret, Site, Value, VirtualDir};
use crate::facts::Facts;
use crate::readers::{xml_limits, Problem, ReadOutput};
use quick_xml::events::Event;

/// The authentication sections kept, all attributes each.
const AUTH_SECTIONS: &[&str] = &[
    "anonymousAuthentication",
    "basicAuthentication",
    "windowsAuthentication",
    "digestAuthentication",
    "clientCertificateMappingAuthentication",
    "iisClientCertificateMappingAuthentication",
];

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let lines = Lines::new(text);
    let mut r = xml::reader(text);
    let mut cfg = IisConfig::new(path, 7);
    let mut st = State::default();
    let mut stack: Vec<(String, u64)> = Vec::new();
    let mut last_line = 1;
    let mut depth = xml_limits::Depth::default();
    loop {
        let ev = match r.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                out.errors.push(xml::xml_error(&r, &lines, &e));
                out.notes.push(
                    "applicationHost.config is not well-formed XML: nothing of it is used (IIS itself would not load it and answers 500.19)"
                        .into(),
                );
                return out;
            }
        };
        if let Some(too_deep) = xml::too_deep(&mut depth, &ev, &lines, last_line) {
            out.errors.push(too_deep);
            out.notes
                .push("applicationHost.config nests deeper than any real one: nothing of it is used".into());
            return out;
        }
        match ev {
            Event::DocType(ref t) => {
                let line = lines.line_of(t.as_ref(), last_line);
                out.warnings.push(Problem::at(line, xml_limits::DOCTYPE_WARNING));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let name = xml::local_name(e);
                let line = xml::tag_line(e, &lines, last_line);
                last_line = line;
                let attrs = xml::attributes(e, &lines, line, &mut out.warnings);
                element(&mut cfg, &mut st, &stack, &name, line, &attrs, &mut out.warnings);
                if empty {
                    leave(&mut st, &stack, &name);
                } else {
                    stack.push((name, line));
                }
            }
            Event::End(_) => {
                if let Some((name, _)) = stack.pop() {
                    leave(&mut st, &stack, &name);
                }
            }
            Event::Eof => {
                if let Some((name, line)) = stack.last() {
                    out.errors.push(Problem::at(
                        *line,
                        format!("malformed XML: <{name}> is never closed (the file may be cut short)"),
                    ));
                    out.notes
                        .push("applicationHost.config is cut short: nothing of it is used".into());
                    return out;
                }
                break;
            }
            _ => {}
        }
    }
    for pool in cfg.app_pools.iter_mut().filter(|p| p.identity_type.is_none()) {
        pool.identity_type = st.default_identity.clone();
    }
    if cfg.sites.is_empty() && cfg.nodes.is_empty() {
        out.warnings.push(Problem::file(
            "no site and no authentication setting in this applicationHost.config",
        ));
    }
    out.notes.push(format!(
        "{} sites, {} locations, {} application pools",
        cfg.sites.len(),
        cfg.nodes.iter().filter(|n| n.kind == "location").count(),
        cfg.app_pools.len()
    ));
    out.facts = Facts {
        iis: vec![cfg],
        ..Facts::default()
    };
    out
}

/// Where the reader stands.
#[derive(Default)]
struct State {
    /// Index in `cfg.nodes` of the open `<location>`.
    location: Option<usize>,
    /// Index of the global node, once made.
    global: Option<usize>,
    /// The open `<application>`'s path and pool.
    application: Option<(String, Option<String>)>,
    /// `applicationPoolDefaults/processModel identityType`.
    default_identity: Option<String>,
}

/// The element path below the level root: `configuration/...` or `configuration/location/...`.
fn relative(stack: &[(String, u64)], in_location: bool) -> Vec<&str> {
    let skip = if in_location { 2 } else { 1 };
    stack.iter().skip(skip).map(|(n, _)| n.as_str()).collect()
}

fn element(
    cfg: &mut IisConfig,
    st: &mut State,
    stack: &[(String, u64)],
    name: &str,
    line: u64,
    attrs: &[Attr],
    warnings: &mut Vec<Problem>,
) {
    let depth = stack.len();
    if depth == 1 && name == "location" {
        cfg.nodes.push(Node {
            path: xml::get(attrs, "path")
                .map(|a| a.value.trim().to_string())
                .unwrap_or_default(),
            kind: "location".into(),
            line,
            properties: Vec::new(),
        });
        st.location = Some(cfg.nodes.len() - 1);
        return;
    }
    let rel = relative(stack, st.location.is_some());
    match (rel.as_slice(), name) {
        (["system.webServer", "security", "authentication"], section) if AUTH_SECTIONS.contains(&section) => {
            let props: Vec<Property> = attrs.iter().map(|a| setting(section, a, warnings)).collect();
            push_props(cfg, st, line, props);
        }
        (["system.webServer"], "handlers") => {
            if let Some(a) = xml::get(attrs, "accessPolicy") {
                let props = vec![setting("handlers", a, warnings)];
                push_props(cfg, st, line, props);
            }
        }
        (["system.webServer", "security"], "access") => {
            if let Some(a) = xml::get(attrs, "sslFlags") {
                let props = vec![setting("access", a, warnings)];
                push_props(cfg, st, line, props);
            }
        }
        _ if st.location.is_some() => {}
        (["system.applicationHost", "sites"], "site") => {
            let id = xml::get(attrs, "id")
                .map(|a| a.value.trim().to_string())
                .unwrap_or_default();
            let name = xml::get(attrs, "name")
                .map(|a| a.value.trim().to_string())
                .unwrap_or_default();
            if id.is_empty() {
                warnings.push(Problem::at(line, format!("site \"{name}\" has no id")));
            }
            cfg.sites.push(Site {
                id,
                name,
                line,
                vdirs: Vec::new(),
            });
        }
        (["system.applicationHost", "sites", "site"], "application") => {
            let path = xml::get(attrs, "path")
                .map(|a| a.value.trim().to_string())
                .unwrap_or_else(|| "/".into());
            let pool = xml::get(attrs, "applicationPool").map(|a| a.value.trim().to_string());
            st.application = Some((path, pool));
        }
        (["system.applicationHost", "sites", "site", "application"], "virtualDirectory") => {
            let (app, pool) = st.application.clone().unwrap_or_else(|| ("/".into(), None));
            let vdir = xml::get(attrs, "path")
                .map(|a| a.value.trim().to_string())
                .unwrap_or_else(|| "/".into());
            let vpath = join_vpath(&app, &vdir);
            if let Some(site) = cfg.sites.last_mut() {
                site.vdirs.push(VirtualDir {
                    vpath,
                    physical_path: xml::get(attrs, "physicalPath").map(|a| a.value.trim().to_string()),
                    app_pool: pool,
                    line,
                });
            }
        }
        (["system.applicationHost", "applicationPools"], "add") => {
            cfg.app_pools.push(AppPool {
                name: xml::get(attrs, "name")
                    .map(|a| a.value.trim().to_string())
                    .unwrap_or_default(),
                identity_type: None,
                user_name: None,
                password: None,
                line,
            });
        }
        (["system.applicationHost", "applicationPools", "add"], "processModel") => {
            if let Some(pool) = cfg.app_pools.last_mut() {
                pool.identity_type = xml::get(attrs, "identityType").map(|a| a.value.trim().to_string());
                pool.user_name = xml::get(attrs, "userName")
                    .map(|a| a.value.trim().to_string())
                    .filter(|u| !u.is_empty());
                pool.password = xml::get(attrs, "password").map(|a| Secret::of(&a.value));
            }
        }
        (["system.applicationHost", "applicationPools", "applicationPoolDefaults"], "processModel") => {
            st.default_identity = xml::get(attrs, "identityType").map(|a| a.value.trim().to_string());
        }
        _ => {}
    }
}

/// Closing an element: a `<location>` or an `<application>` ends.
fn leave(st: &mut State, stack: &[(String, u64)], name: &str) {
    if stack.len() == 1 && name == "location" {
        st.location = None;
    } else if name == "application" {
        st.application = None;
    }
}

/// Adds properties to the open location, or to the global node.
fn push_props(cfg: &mut IisConfig, st: &mut State, line: u64, props: Vec<Property>) {
    let idx = match (st.location, st.global) {
        (Some(i), _) | (None, Some(i)) => i,
        (None, None) => {
            cfg.nodes.push(Node {
                path: String::new(),
                kind: "global".into(),
                line,
                properties: Vec::new(),
            });
            st.global = Some(cfg.nodes.len() - 1);
            cfg.nodes.len() - 1
        }
    };
    if let Some(node) = cfg.nodes.get_mut(idx) {
        node.properties.extend(props);
    }
}

/// `section/attribute` with its value: a secret for passwords, flags for `accessPolicy`, else text
/// (booleans are checked here so a bad one is reported where it is).
fn setting(section: &str, a: &Attr, warnings: &mut Vec<Problem>) -> Property {
    let value = if crate::facts::iis::is_secret(&a.name, &a.value) {
        Value::Secret(Secret::of(&a.value))
    } else if a.name == "accessPolicy" {
        let (f, unknown): (Flags, Vec<String>) = Flags::parse(&a.value, flags::ACCESS_POLICY);
        if !unknown.is_empty() {
            warnings.push(Problem::at(
                a.line,
                format!("accessPolicy: unknown token(s) {} ignored", unknown.join(", ")),
            ));
        }
        Value::Flags(f)
    } else {
        if a.name == "enabled" && crate::facts::iis::parse_bool(&a.value).is_none() {
            warnings.push(Problem::at(
                a.line,
                format!("{section} enabled=\"{}\" is neither true nor false: ignored", a.value),
            ));
        }
        Value::Text(a.value.clone())
    };
    Property {
        name: format!("{section}/{}", a.name),
        value,
        line: a.line,
        custom: false,
    }
}

/// Application `/owa` + virtual directory `/` = `/owa`; application `/` + `/Exchange` = `/Exchange`.
fn join_vpath(app: &str, vdir: &str) -> String {
    let a = app.trim_end_matches('/');
    let v = vdir.trim_matches('/');
    match (a.is_empty(), v.is_empty()) {
        (true, true) => "/".into(),
        (true, false) => format!("/{v}"),
        (false, true) => a.to_string(),
        (false, false) => format!("{a}/{v}"),
    }
}
