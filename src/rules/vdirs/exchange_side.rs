//! The Exchange side: each virtual directory the server needs is there once on the OWA web site, with the right
//! OwaVersion and VirtualDirectoryType, and a MetabasePath (and, without IIS configuration to ask, a Path) that
//! fits it.

use super::{at_prop, is_owa_folder, Context, Found, Version};
use crate::facts::owa::{Generation, MetabasePath};
use crate::facts::Source;
use crate::rules::{Evidence, EvidenceKind};

pub(super) fn check(ctx: &Context<'_>, found: &mut Found) {
    let first = ctx.vdirs[0];
    let listed: Vec<String> = ctx
        .vdirs
        .iter()
        .map(|v| v.value.name.clone())
        .filter(|n| !n.is_empty())
        .collect();
    for e in &ctx.expected {
        let on_site: Vec<_> = ctx
            .vdirs
            .iter()
            .filter(|v| v.value.short_name() == e.name)
            .filter(|v| v.value.site().is_none_or(|s| s.eq_ignore_ascii_case(&ctx.site)))
            .copied()
            .collect();
        if on_site.is_empty() {
            let elsewhere: Vec<String> = ctx
                .vdirs
                .iter()
                .filter(|v| v.value.short_name() == e.name)
                .map(|v| v.value.name.clone())
                .collect();
            let also = if elsewhere.is_empty() {
                String::new()
            } else {
                format!(" (only on another web site: {})", elsewhere.join(", "))
            };
            found.fault(
                format!("{} missing", e.name),
                Evidence::new(
                    EvidenceKind::Config,
                    &Source::new(&first.source.path, None),
                    format!("listed: {}", listed.join(", ")),
                    format!(
                        "Exchange has no `{} ({})` virtual directory{also}; {} needs it",
                        e.name,
                        ctx.site,
                        ctx.generation.map_or("OWA", Generation::title)
                    ),
                ),
            );
            continue;
        }
        if on_site.len() > 1 {
            found.vars.push(("duplicated", e.name.to_string()));
            for v in &on_site {
                found.fault(
                    format!("{} duplicated", e.name),
                    at_prop(
                        v,
                        "Name",
                        format!(
                            "`{}` is listed {} times for one server: Exchange keeps one object per virtual directory",
                            v.value.name,
                            on_site.len()
                        ),
                    ),
                );
            }
        } else {
            found.vars.push((super::remove_key(e.name), "yes".into()));
        }
        for v in &on_site {
            let before = found.faults.len();
            match v.value.owa_version.as_deref() {
                Some(ver) if !e.version.accepts(ver) => found.fault(
                    format!("{} has OwaVersion {ver}", e.name),
                    at_prop(
                        v,
                        "OwaVersion",
                        format!(
                            "{} has OwaVersion {ver}; it must be {}",
                            v.value.name,
                            e.version.describe()
                        ),
                    ),
                ),
                None if v.value.line_of("OwaVersion").is_some() && matches!(e.version, Version::Exactly(_)) => found
                    .fault(
                        format!("{} has no OwaVersion", e.name),
                        at_prop(
                            v,
                            "OwaVersion",
                            format!(
                                "{} has an empty OwaVersion; it must be {}",
                                v.value.name,
                                e.version.describe()
                            ),
                        ),
                    ),
                _ => {}
            }
            if let Some(want) = e.vdir_type {
                let got = v.value.virtual_directory_type.as_deref();
                let shown = v.value.line_of("VirtualDirectoryType").is_some();
                if got.is_some_and(|g| !g.eq_ignore_ascii_case(want)) || (got.is_none() && shown) {
                    let got = got.unwrap_or("empty");
                    found.fault(
                        format!("{} has VirtualDirectoryType {got}", e.name),
                        at_prop(
                            v,
                            "VirtualDirectoryType",
                            format!("{} has VirtualDirectoryType {got}; it must be {want}", v.value.name),
                        ),
                    );
                }
            }
            if let Some(raw) = v.value.metabase_path.as_deref() {
                match MetabasePath::parse(raw) {
                    None => found.fault(
                        format!("{} MetabasePath unreadable", e.name),
                        at_prop(
                            v,
                            "MetabasePath",
                            format!(
                                "MetabasePath `{raw}` names no IIS site path (IIS://server/W3SVC/<id>/ROOT/{})",
                                e.name
                            ),
                        ),
                    ),
                    Some(m) if !m.vpath.eq_ignore_ascii_case(&format!("/{}", e.name)) => found.fault(
                        format!("{} MetabasePath points at {}", e.name, m.vpath),
                        at_prop(
                            v,
                            "MetabasePath",
                            format!(
                                "{}'s MetabasePath points at {} in IIS, not /{}",
                                v.value.name, m.vpath, e.name
                            ),
                        ),
                    ),
                    Some(_) => {}
                }
            }
            if ctx.iis.is_none() {
                if let Some(p) = v.value.path.as_deref().filter(|p| !is_owa_folder(p)) {
                    found.fault(
                        format!("{} points at another folder", e.name),
                        at_prop(
                            v,
                            "Path",
                            format!("{} points at `{p}`, not the ClientAccess\\Owa folder", v.value.name),
                        ),
                    );
                }
            }
            if found.faults.len() == before && on_site.len() == 1 {
                let ver = v.value.owa_version.as_deref().unwrap_or("not shown");
                let ty = v
                    .value
                    .virtual_directory_type
                    .as_deref()
                    .map(|t| format!(", VirtualDirectoryType {t}"))
                    .unwrap_or_default();
                found.clean.push(at_prop(
                    v,
                    "Name",
                    format!("{}: present once, OwaVersion {ver}{ty}", v.value.name),
                ));
            }
        }
    }
    if ctx.generation == Some(Generation::Exchange2010Plus) {
        for v in ctx.vdirs.iter().filter(|v| {
            let n = v.value.short_name();
            super::LEGACY.iter().any(|l| l.name == n)
        }) {
            found.notes.push(format!(
                "{} ({}) is a legacy virtual directory Exchange 2010 and later do not use: not a cause.",
                v.value.name, v.source
            ));
        }
    }
    for v in ctx
        .vdirs
        .iter()
        .filter(|v| v.value.short_name() == "owa" && v.value.site().is_some_and(|s| !s.eq_ignore_ascii_case(&ctx.site)))
    {
        found.notes.push(format!(
            "{} ({}) is on another web site than {}, which hosts OWA: not checked.",
            v.value.name, v.source, ctx.site
        ));
    }
}
