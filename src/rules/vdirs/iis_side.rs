//! The IIS side: each virtual directory the server needs exists on the OWA site with read and script access and
//! the ClientAccess\Owa folder behind it; each `MetabasePath` names a site and path IIS has; and IIS's
//! authentication on each is what Exchange says it set.

use super::{at_prop, is_owa_folder, Context, Found};
use crate::facts::iis::{flags, IisConfig, Setting, Site};
use crate::facts::owa::{AuthSettings, MetabasePath, OwaVdir};
use crate::facts::{Facts, Located, Source};
use crate::rules::{Evidence, EvidenceKind};

fn from_setting<T>(s: &Setting<T>, note: impl Into<String>) -> Evidence {
    Evidence::new(EvidenceKind::Config, &s.source, s.excerpt.clone(), note)
}

pub(super) fn check(facts: &Facts, ctx: &Context<'_>, found: &mut Found) {
    let Some((cfg, site)) = ctx.iis else {
        if let Some(cfg) = facts.iis.first() {
            let sites: Vec<String> = cfg.sites.iter().map(|s| format!("{} {}", s.id, s.name)).collect();
            found.fault(
                "no IIS web site has /owa",
                Evidence::new(
                    EvidenceKind::Config,
                    &Source::new(&cfg.path, None),
                    format!(
                        "sites: {}",
                        if sites.is_empty() {
                            "none".into()
                        } else {
                            sites.join(", ")
                        }
                    ),
                    "no web site in the IIS configuration has an /owa virtual directory",
                ),
            );
        }
        return;
    };
    for e in &ctx.expected {
        let vpath = format!("/{}", e.name);
        let exchange_has = ctx.vdirs.iter().any(|v| {
            v.value.short_name() == e.name && v.value.site().is_none_or(|s| s.eq_ignore_ascii_case(&site.name))
        });
        let Some(info) = cfg.vdir(site, &vpath) else {
            found.fault(
                format!("IIS lacks /{}", e.name),
                Evidence::new(
                    EvidenceKind::Config,
                    &Source::at(&cfg.path, site.line),
                    format!("site {} ({})", site.id, site.name),
                    format!(
                        "IIS has no /{} virtual directory on {} (site {})",
                        e.name, site.name, site.id
                    ),
                ),
            );
            continue;
        };
        if !exchange_has && !ctx.vdirs.is_empty() {
            found.vars.push(("iis_leftover", vpath.clone()));
            found.notes.push(format!(
                "IIS still has {vpath} on {} ({}) though Exchange lists no such virtual directory: New-OwaVirtualDirectory stops while it exists.",
                site.name, info.source
            ));
        }
        let before = found.faults.len();
        match &info.access_flags {
            Some(s) if !(s.value.has(flags::ACCESS_READ) && s.value.has(flags::ACCESS_SCRIPT)) => {
                let lacks: Vec<&str> = [
                    (flags::ACCESS_READ, "AccessRead"),
                    (flags::ACCESS_SCRIPT, "AccessScript"),
                ]
                .into_iter()
                .filter(|(b, _)| !s.value.has(*b))
                .map(|(_, n)| n)
                .collect();
                found.fault(
                    format!("/{} lacks {}", e.name, lacks.join("+")),
                    from_setting(
                        s,
                        format!(
                            "{} of {}{vpath} (set at {}) lacks {}: OWA needs read and script access",
                            s.property,
                            site.name,
                            s.level,
                            lacks.join(" and ")
                        ),
                    ),
                );
            }
            Some(_) => {}
            None if cfg.generation == 6 => found.notes.push(format!(
                "No metabase level sets AccessFlags for {}{vpath}: not checked.",
                site.name
            )),
            // IIS 7+: no accessPolicy anywhere is the schema default, Read and Script.
            None => {}
        }
        if let Some(p) = info.physical_path.as_ref().filter(|p| !is_owa_folder(&p.value)) {
            found.fault(
                format!("/{} points at another folder", e.name),
                from_setting(
                    p,
                    format!(
                        "{}{vpath} points at `{}`, not the ClientAccess\\Owa folder",
                        site.name, p.value
                    ),
                ),
            );
        }
        for v in ctx.vdirs.iter().filter(|v| v.value.short_name() == e.name) {
            auth(cfg, site, &vpath, v, found);
        }
        if found.faults.len() == before {
            let access = info
                .access_flags
                .as_ref()
                .map_or("the IIS default access".to_string(), |s| s.value.text.clone());
            found.clean.push(Evidence::new(
                EvidenceKind::Config,
                &info.source,
                format!("{}{vpath}", site.name),
                format!(
                    "IIS has {vpath} on {} ({access}; {})",
                    site.name,
                    info.physical_path
                        .as_ref()
                        .map_or("physical path not shown", |p| p.value.as_str())
                ),
            ));
        }
    }
    for v in &ctx.vdirs {
        metabase(cfg, site, v, ctx, found);
    }
}

/// `MetabasePath` must name a site IIS has, the same site as the vdir's, and a path that site has.
fn metabase(cfg: &IisConfig, owa_site: &Site, v: &Located<OwaVdir>, ctx: &Context<'_>, found: &mut Found) {
    let name = v.value.short_name();
    if !ctx.expected.iter().any(|e| e.name == name) {
        return;
    }
    let Some(m) = v.value.metabase() else { return };
    let Some(site) = cfg.site(&m.site_id) else {
        let sites: Vec<String> = cfg.sites.iter().map(|s| format!("{} ({})", s.id, s.name)).collect();
        found.fault(
            format!("{name} MetabasePath names a site IIS lacks"),
            at_prop(
                v,
                "MetabasePath",
                format!(
                    "{}'s MetabasePath names site {}, which the IIS configuration lacks (its sites: {})",
                    v.value.name,
                    m.site_id,
                    sites.join(", ")
                ),
            ),
        );
        return;
    };
    if let Some(vsite) = v.value.site().filter(|s| !s.eq_ignore_ascii_case(&site.name)) {
        found.fault(
            format!("{name} MetabasePath names another site"),
            at_prop(
                v,
                "MetabasePath",
                format!(
                    "{}'s MetabasePath names site {} ({}), not {vsite}",
                    v.value.name, m.site_id, site.name
                ),
            ),
        );
        return;
    }
    if site.id == owa_site.id
        && ctx
            .expected
            .iter()
            .any(|e| format!("/{}", e.name).eq_ignore_ascii_case(&m.vpath))
    {
        // The expected paths of the OWA site were checked above; a missing one is already a fault.
        if cfg.vdir(site, &m.vpath).is_none() {
            found.fault(
                format!("{name} MetabasePath names a path IIS lacks"),
                at_prop(v, "MetabasePath", format!("IIS has no {} on {}", m.vpath, site.name)),
            );
        }
        return;
    }
    if cfg.vdir(site, &m.vpath).is_none() {
        found.fault(
            format!("{name} MetabasePath names a path IIS lacks"),
            at_prop(
                v,
                "MetabasePath",
                format!(
                    "{}'s MetabasePath names {}, which IIS does not have on {}",
                    v.value.name,
                    show(&m),
                    site.name
                ),
            ),
        );
    }
}

fn show(m: &MetabasePath) -> String {
    format!(
        "/W3SVC/{}/ROOT{}",
        m.site_id,
        if m.vpath == "/" { "" } else { &m.vpath }
    )
}

/// Exchange's authentication for a vdir against IIS's effective authentication there. With forms-based
/// authentication Exchange sets Basic in IIS and nothing else; otherwise exactly its Basic, Integrated Windows and
/// Digest settings. IIS 7 sections no level sets are off (the schema default); IIS 6 without AuthFlags is unknown.
fn auth(cfg: &IisConfig, site: &Site, vpath: &str, v: &Located<OwaVdir>, found: &mut Found) {
    let Some((ex, from)) = v.value.auth() else { return };
    let eff = cfg.effective(site, vpath);
    let want = AuthSettings {
        forms: ex.forms,
        basic: ex.basic || ex.forms,
        windows: ex.windows && !ex.forms,
        digest: ex.digest && !ex.forms,
    };
    let default = if cfg.generation >= 7 { Some(false) } else { None };
    let mut disagree: Vec<(String, Option<&Setting<bool>>)> = Vec::new();
    for (label, wanted, got) in [
        ("Basic", want.basic, eff.basic.as_ref()),
        ("Integrated Windows", want.windows, eff.windows.as_ref()),
        ("Digest", want.digest, eff.digest.as_ref()),
    ] {
        let Some(is) = got.map(|s| s.value).or(default) else {
            continue;
        };
        if is != wanted {
            let onoff = |b: bool| if b { "on" } else { "off" };
            disagree.push((
                format!("{label} {} in IIS, {} for Exchange", onoff(is), onoff(wanted)),
                got,
            ));
        }
    }
    if disagree.is_empty() {
        return;
    }
    let what = disagree.iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>().join("; ");
    let prop = if from == "InternalAuthenticationMethods" {
        "InternalAuthenticationMethods"
    } else if ex.forms {
        "FormsAuthentication"
    } else {
        "BasicAuthentication"
    };
    found.fault(
        format!("{} authentication differs between Exchange and IIS", v.value.short_name()),
        at_prop(
            v,
            prop,
            format!(
                "Exchange has {} for {} (from {from}); IIS disagrees on {}{vpath}: {what}. Exchange writes these into IIS, so one side was changed behind the other's back",
                ex.describe(),
                v.value.name,
                site.name
            ),
        ),
    );
    let mut shown: Vec<&Source> = Vec::new();
    for (d, s) in disagree {
        if let Some(s) = s {
            if !shown.contains(&&s.source) {
                shown.push(&s.source);
                found.fault(
                    format!(
                        "{} authentication differs between Exchange and IIS",
                        v.value.short_name()
                    ),
                    from_setting(s, format!("IIS at {} ({}{vpath}): {d}", s.level, site.name)),
                );
            }
        }
    }
}
