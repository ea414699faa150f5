//! Reader for the IIS 6 metabase: MetaBase.xml and `iiscnfg /export` output, streamed with quick-xml.
//!
//! Every element with a `Location` attribute is a key; its element name is its type (`IIsWebService`,
//! `IIsWebServer`, `IIsWebVirtualDir`, `IIsWebDirectory`, `IIsApplicationPool`, ...), its other attributes are
//! its properties (usually one per tab-indented line, each kept with its own line), and its
//! `<Custom Name=".." ID=".." Value=".."/>` children are more properties. `AuthFlags`, `AccessFlags` and
//! `AccessSSLFlags` are read as tokens or numbers. Secrets (any property whose name holds `Pass`, or a `<Custom>`
//! marked `SECURE`) are kept as [`Secret`]s only.

use super::xml::{self, Attr, Lines};
use crate::facts::iis::{
    flags, strip_prefix_ci, AppPool, Flags, IisConfig, Node, Property, Secret, Site, Value, VirtualDir,
};
use crate::facts::Facts;
use crate::readers::{xml_limits, Problem, ReadOutput};
use quick_xml::events::Event;

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let lines = Lines::new(text);
    let mut r = xml::reader(text);
    let mut cfg = IisConfig::new(path, 6);
    // Open elements: name, line, and whether it is the key being read.
    let mut stack: Vec<(String, u64, bool)> = Vec::new();
    let mut last_line = 1;
    let mut depth = xml_limits::Depth::default();
    loop {
        let ev = match r.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                out.errors.push(xml::xml_error(&r, &lines, &e));
                out.notes.push(
                    "the metabase is not well-formed XML: nothing of it is used (IIS itself would not load it)".into(),
                );
                return out;
            }
        };
        if let Some(too_deep) = xml::too_deep(&mut depth, &ev, &lines, last_line) {
            out.errors.push(too_deep);
            out.notes
                .push("the metabase nests deeper than any real one: nothing of it is used".into());
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
                let in_key = stack.iter().any(|(_, _, k)| *k);
                let mut is_key = false;
                if name.eq_ignore_ascii_case("Custom") && in_key {
                    if let Some(p) = custom(&attrs, line, &mut out.warnings) {
                        if let Some(node) = cfg.nodes.last_mut() {
                            node.properties.push(p);
                        }
                    }
                } else if let Some(loc) = xml::get(&attrs, "Location") {
                    is_key = true;
                    let properties = attrs
                        .iter()
                        .filter(|a| !a.name.eq_ignore_ascii_case("Location"))
                        .map(|a| property(&a.name, &a.value, a.line, false, &mut out.warnings))
                        .collect();
                    cfg.nodes.push(Node {
                        path: loc.value.trim().to_string(),
                        kind: name.clone(),
                        line,
                        properties,
                    });
                }
                if !empty {
                    stack.push((name, line, is_key));
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => {
                if let Some((name, line, _)) = stack.last() {
                    out.errors.push(Problem::at(
                        *line,
                        format!("malformed XML: <{name}> is never closed (the file may be cut short)"),
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    if cfg.nodes.is_empty() {
        out.warnings.push(Problem::file(
            "no metabase key (an element with a Location attribute) in this file",
        ));
        return out;
    }
    derive_sites(&mut cfg);
    out.notes.push(format!(
        "{} metabase keys, {} web sites, {} application pools",
        cfg.nodes.len(),
        cfg.sites.len(),
        cfg.app_pools.len()
    ));
    out.facts = Facts {
        iis: vec![cfg],
        ..Facts::default()
    };
    out
}

/// A property from an attribute or a `<Custom>`: a secret, flags, or text.
fn property(name: &str, value: &str, line: u64, secure: bool, warnings: &mut Vec<Problem>) -> Property {
    let value = if secure || crate::facts::iis::is_secret(name, value) {
        Value::Secret(Secret::of(value))
    } else if let Some(table) = flags::table_for(name) {
        let (f, unknown): (Flags, Vec<String>) = Flags::parse(value, table);
        if !unknown.is_empty() {
            warnings.push(Problem::at(
                line,
                format!("{name}: unknown token(s) {} ignored", unknown.join(", ")),
            ));
        }
        Value::Flags(f)
    } else {
        Value::Text(value.to_string())
    };
    Property {
        name: name.to_string(),
        value,
        line,
        custom: false,
    }
}

/// `<Custom Name="AdminServer" ID="2115" Value="2" Type="STRING" UserType="IIS_MD_UT_SERVER" Attributes="INHERIT"/>`.
fn custom(attrs: &[Attr], line: u64, warnings: &mut Vec<Problem>) -> Option<Property> {
    let Some(name) = xml::get(attrs, "Name")
        .map(|a| a.value.trim().to_string())
        .filter(|n| !n.is_empty())
    else {
        warnings.push(Problem::at(line, "a <Custom> property without a Name: skipped"));
        return None;
    };
    let secure = xml::get(attrs, "Attributes").is_some_and(|a| a.value.to_ascii_uppercase().contains("SECURE"));
    let (value, vline) = xml::get(attrs, "Value")
        .map(|a| (a.value.as_str(), a.line))
        .unwrap_or(("", line));
    let mut p = property(&name, value, vline, secure, warnings);
    p.custom = true;
    Some(p)
}

/// Sites, virtual directories and application pools from the keys.
fn derive_sites(cfg: &mut IisConfig) {
    let mut sites: Vec<Site> = Vec::new();
    for n in &cfg.nodes {
        let path = n.path.trim_end_matches('/');
        let Some(rest) = strip_prefix_ci(path, "/LM/W3SVC/") else {
            if n.kind.eq_ignore_ascii_case("IIsApplicationPool") {
                cfg.app_pools.push(app_pool(n));
            }
            continue;
        };
        let mut parts = rest.splitn(2, '/');
        let id = parts.next().unwrap_or_default();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            if n.kind.eq_ignore_ascii_case("IIsApplicationPool") {
                cfg.app_pools.push(app_pool(n));
            }
            continue;
        }
        let below = parts.next().unwrap_or_default();
        let idx = match sites.iter().position(|s| s.id == id) {
            Some(i) => i,
            None => {
                sites.push(Site {
                    id: id.to_string(),
                    name: String::new(),
                    line: n.line,
                    vdirs: Vec::new(),
                });
                sites.len() - 1
            }
        };
        let site = &mut sites[idx];
        if below.is_empty() {
            site.line = n.line;
            if let Some(name) = n.property("ServerComment").and_then(|p| p.value.as_text()) {
                site.name = name.trim().to_string();
            }
        } else if n.kind.eq_ignore_ascii_case("IIsWebVirtualDir") {
            let Some(vpath) = strip_prefix_ci(below, "ROOT") else {
                continue;
            };
            if !(vpath.is_empty() || vpath.starts_with('/')) {
                continue;
            }
            site.vdirs.push(VirtualDir {
                vpath: if vpath.is_empty() {
                    "/".into()
                } else {
                    vpath.to_string()
                },
                physical_path: n.property("Path").and_then(|p| p.value.as_text()).map(str::to_string),
                app_pool: n
                    .property("AppPoolId")
                    .and_then(|p| p.value.as_text())
                    .map(str::to_string),
                line: n.line,
            });
        }
    }
    cfg.sites = sites;
}

/// `AppPoolIdentityType`: 0 LocalSystem, 1 LocalService, 2 NetworkService, 3 a named user (`WAMUserName`).
fn app_pool(n: &Node) -> AppPool {
    let identity_type = n
        .property("AppPoolIdentityType")
        .and_then(|p| p.value.as_text())
        .map(|t| match t.trim() {
            "0" => "LocalSystem".to_string(),
            "1" => "LocalService".to_string(),
            "2" => "NetworkService".to_string(),
            "3" => "SpecificUser".to_string(),
            other => other.to_string(),
        });
    AppPool {
        name: n
            .path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string(),
        identity_type,
        user_name: n
            .property("WAMUserName")
            .and_then(|p| p.value.as_text())
            .map(str::to_string),
        password: n.property("WAMUserPass").and_then(|p| p.value.as_secret()).cloned(),
        line: n.line,
    }
}
