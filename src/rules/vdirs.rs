//! Rule `owa-virtual-directories`: Exchange's OWA virtual directories (Get-OwaVirtualDirectory) against what the
//! server's Exchange version needs, and against IIS's own view of them.
//!
//! Exchange 2007 needs `owa` (OwaVersion Exchange2007) and the legacy `exchange`, `public` and `exchweb`
//! (Exchange2003or2000; VirtualDirectoryType Mailboxes, PublicFolders, Exchweb), each once on the web site that
//! hosts OWA. Exchange 2010 and later need `owa` alone. The Exchange side ([`exchange_side`]) finds missing,
//! duplicated and mistyped objects; the IIS side ([`iis_side`]) finds a `MetabasePath` naming a site or path IIS
//! lacks, IIS virtual directories without read and script access or away from the ClientAccess\Owa folder, and
//! authentication that disagrees with Exchange's (Exchange writes its settings into IIS, so a disagreement means
//! one side was changed behind the other's back).

mod exchange_side;
mod iis_side;

use super::verdict::{combine, Config};
use super::{inputs, symptoms, Cause, Evidence, Finding, Missing, Verdict};
use crate::facts::iis::{self, IisConfig, Site};
use crate::facts::names::Names;
use crate::facts::owa::{Generation, OwaVdir};
use crate::facts::{Facts, Located};

/// The OwaVersion a virtual directory must have.
#[derive(Debug, Clone, Copy)]
enum Version {
    Exactly(&'static str),
    /// Exchange2010 or later (the owa vdir of Exchange 2010+).
    Modern,
    /// Anything but the legacy Exchange2003or2000 (the owa vdir when the Exchange version is not known).
    NotLegacy,
}

impl Version {
    fn accepts(self, v: &str) -> bool {
        match self {
            Version::Exactly(want) => v.eq_ignore_ascii_case(want),
            Version::Modern => {
                let v = v.to_ascii_lowercase();
                v.starts_with("exchange20") && v != "exchange2003or2000" && v != "exchange2007"
            }
            Version::NotLegacy => !v.eq_ignore_ascii_case("Exchange2003or2000"),
        }
    }
    fn describe(self) -> &'static str {
        match self {
            Version::Exactly(want) => want,
            Version::Modern => "Exchange2010 or later",
            Version::NotLegacy => "not Exchange2003or2000",
        }
    }
}

/// One OWA virtual directory the server must have.
#[derive(Debug, Clone, Copy)]
struct Expected {
    name: &'static str,
    version: Version,
    vdir_type: Option<&'static str>,
}

/// The legacy virtual directories of Exchange 2007 (for Exchange 2000/2003 mailboxes and public folders).
const LEGACY: [Expected; 3] = [
    Expected {
        name: "exchange",
        version: Version::Exactly("Exchange2003or2000"),
        vdir_type: Some("Mailboxes"),
    },
    Expected {
        name: "public",
        version: Version::Exactly("Exchange2003or2000"),
        vdir_type: Some("PublicFolders"),
    },
    Expected {
        name: "exchweb",
        version: Version::Exactly("Exchange2003or2000"),
        vdir_type: Some("Exchweb"),
    },
];

fn expected(generation: Option<Generation>) -> Vec<Expected> {
    let owa = |version| Expected {
        name: "owa",
        version,
        vdir_type: None,
    };
    match generation {
        Some(Generation::Exchange2007) => {
            let mut v = vec![owa(Version::Exactly("Exchange2007"))];
            v.extend(LEGACY);
            v
        }
        Some(Generation::Exchange2010Plus) => vec![owa(Version::Modern)],
        None => vec![owa(Version::NotLegacy)],
    }
}

/// What the rule knows before it checks: this server's vdirs, its Exchange version, the OWA web site, IIS.
struct Context<'a> {
    vdirs: Vec<&'a Located<OwaVdir>>,
    server: Option<String>,
    generation: Option<Generation>,
    expected: Vec<Expected>,
    /// The web site that hosts OWA.
    site: String,
    iis: Option<(&'a IisConfig, &'a Site)>,
    /// Whether any IIS configuration was read (it may host no OWA site).
    iis_read: bool,
}

/// The findings of the checks, as they accumulate.
#[derive(Default)]
struct Found {
    /// Configuration evidence of a fault, with a short phrase for the summary.
    faults: Vec<(String, Evidence)>,
    /// Configuration evidence that a check passed.
    clean: Vec<Evidence>,
    notes: Vec<String>,
    /// Flags for the procedure (`remove_owa=yes`, `iis_leftover=/exchange`, ...).
    vars: Vec<(&'static str, String)>,
}

impl Found {
    fn fault(&mut self, short: impl Into<String>, ev: Evidence) {
        self.faults.push((short.into(), ev));
    }
}

pub fn evaluate(facts: &Facts, names: &Names) -> Finding {
    let symptom = symptoms::vdirs(facts, names);
    let mut found = Found::default();
    let ctx = context(facts, names, &mut found);
    let mut missing = Vec::new();

    if ctx.vdirs.is_empty() {
        // Without Exchange's list the procedure cannot tell which exist: it removes each before creating it.
        for name in ["owa", "exchange", "public", "exchweb"] {
            found.vars.push((remove_key(name), "yes".into()));
        }
        missing.push(Missing::of(
            &inputs::OWA_VDIRS,
            "shows which OWA virtual directories Exchange has, with their OwaVersion, type and MetabasePath",
        ));
    } else {
        exchange_side::check(&ctx, &mut found);
    }
    if ctx.iis_read {
        iis_side::check(facts, &ctx, &mut found);
    } else {
        missing.push(Missing::of(
            &inputs::IIS_CONFIG,
            "the IIS-side checks (the virtual directory nodes, their access flags and physical paths, authentication against Exchange's) are not possible without it",
        ));
        if !ctx.vdirs.is_empty() {
            found
                .notes
                .push("No IIS configuration in the bundle: the verdict rests on Exchange's side alone.".into());
        }
    }

    let config = if !found.faults.is_empty() {
        Config::Fault
    } else if !ctx.vdirs.is_empty() || ctx.iis.is_some() {
        Config::Clean
    } else {
        Config::Unknown
    };
    let verdict = combine(config, symptom.state);
    let subject = match (&ctx.server, ctx.generation) {
        (Some(s), Some(g)) => format!("{s} ({})", g.title()),
        (Some(s), None) => s.clone(),
        (None, Some(g)) => g.title().to_string(),
        (None, None) => "this server".into(),
    };
    let summary = match (verdict, config) {
        (_, Config::Fault) => {
            let mut shorts: Vec<String> = Vec::new();
            for (s, _) in &found.faults {
                if !shorts.contains(s) {
                    shorts.push(s.clone());
                }
            }
            let tail = if verdict == Verdict::Confirmed {
                "; the logs show the failing requests"
            } else {
                ""
            };
            format!("OWA virtual directories of {subject} on {}: {}{tail}.", ctx.site, shorts.join("; "))
        }
        (Verdict::Likely, _) => "The logs show requests to the OWA virtual directories failing; the configuration in the bundle does not explain it.".into(),
        (Verdict::RuledOut, _) => {
            let what = ctx.expected.iter().map(|e| e.name).collect::<Vec<_>>().join(", ");
            match (!ctx.vdirs.is_empty(), ctx.iis.is_some()) {
                (true, true) => format!(
                    "The OWA virtual directories {subject} needs ({what}) are there once each on {}, of the right version and type, and IIS agrees: read and script access, the ClientAccess\\Owa folder, the same authentication.",
                    ctx.site
                ),
                (true, false) => format!(
                    "The OWA virtual directories {subject} needs ({what}) are there once each on {}, of the right version and type, as Exchange shows them; no IIS configuration to compare.",
                    ctx.site
                ),
                _ => format!(
                    "IIS has the virtual directories {subject} needs ({what}) on {}, with read and script access and the ClientAccess\\Owa folder; Exchange's own list (Get-OwaVirtualDirectory) is not in the bundle to compare.",
                    ctx.site
                ),
            }
        }
        _ => "Neither Get-OwaVirtualDirectory output nor a readable IIS configuration is in the bundle.".into(),
    };

    let mut f = Finding::new(Cause::OwaVirtualDirectories, verdict, summary);
    f.evidence = found.faults.into_iter().map(|(_, e)| e).collect();
    if config != Config::Fault {
        f.evidence.extend(found.clean);
    }
    f.evidence.extend(symptom.evidence);
    f.missing = missing;
    f.missing.extend(symptom.missing);
    f.notes = found.notes;
    f.notes.extend(symptom.notes);
    if let Some(g) = ctx.generation {
        f.vars.insert("exchange", g.flag().into());
    }
    for (k, v) in found.vars {
        match f.vars.get_mut(k) {
            Some(old) if !old.split(", ").any(|x| x == v) => *old = format!("{old}, {v}"),
            Some(_) => {}
            None => {
                f.vars.insert(k, v);
            }
        }
    }
    f
}

fn context<'a>(facts: &'a Facts, names: &Names, found: &mut Found) -> Context<'a> {
    let (vdirs, server) = this_server(facts, names, &mut found.notes);
    let iis = iis::owa_config(facts);
    let generation = generation(&vdirs, names, &mut found.notes);
    let site = hosting_site(&vdirs, names, iis);
    Context {
        expected: expected(generation),
        vdirs,
        server,
        generation,
        site,
        iis,
        iis_read: !facts.iis.is_empty(),
    }
}

/// The procedure flag that says Exchange has this virtual directory (so the procedure removes it before creating it).
fn remove_key(name: &str) -> &'static str {
    match name {
        "owa" => "remove_owa",
        "exchange" => "remove_exchange",
        "public" => "remove_public",
        _ => "remove_exchweb",
    }
}

/// NetBIOS part of a name, upper-cased (`cas01.contoso.com` → `CAS01`).
fn netbios(name: &str) -> String {
    name.split('.').next().unwrap_or(name).to_ascii_uppercase()
}

/// Get-OwaVirtualDirectory without `-Server` lists every server of the organisation: keep this server's.
fn this_server<'a>(
    facts: &'a Facts,
    names: &Names,
    notes: &mut Vec<String>,
) -> (Vec<&'a Located<OwaVdir>>, Option<String>) {
    let mut servers: Vec<String> = Vec::new();
    for v in &facts.owa_vdirs {
        if let Some(s) = &v.value.server {
            if !servers.iter().any(|x| netbios(x) == netbios(s)) {
                servers.push(s.clone());
            }
        }
    }
    let chosen = names
        .server
        .as_ref()
        .and_then(|n| servers.iter().find(|s| netbios(s) == netbios(&n.value)).cloned())
        .or_else(|| servers.first().cloned());
    if servers.len() > 1 {
        if let Some(c) = &chosen {
            notes.push(format!(
                "The export lists the OWA virtual directories of {} servers ({}); those of {c} were evaluated.",
                servers.len(),
                servers.join(", ")
            ));
        }
    }
    let vdirs = facts
        .owa_vdirs
        .iter()
        .filter(|v| match (&v.value.server, &chosen) {
            (Some(s), Some(c)) => netbios(s) == netbios(c),
            _ => true,
        })
        .collect();
    (vdirs, chosen)
}

/// The server's Exchange version, best evidence first: the server's build (AdminDisplayVersion), the AD object's
/// version, the OWA build folders IIS shows, the owa vdir's OwaVersion, the presence of Exchange 2007's legacy vdirs.
fn generation(vdirs: &[&Located<OwaVdir>], names: &Names, notes: &mut Vec<String>) -> Option<Generation> {
    let by_property = |prop: &str| {
        vdirs.iter().find_map(|v| {
            v.value
                .generation()
                .filter(|(_, p)| *p == prop)
                .map(|(g, p)| (g, format!("{p} of {} ({})", v.value.name, v.source)))
        })
    };
    let from_builds = || {
        names.builds.iter().find_map(|b| {
            let major: u32 = b.value.split('.').next()?.parse().ok()?;
            Generation::from_major(major).map(|g| (g, format!("the OWA build folder {} ({})", b.value, b.how)))
        })
    };
    let from_legacy = || {
        vdirs
            .iter()
            .find(|v| {
                v.value
                    .owa_version
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case("Exchange2003or2000"))
            })
            .map(|v| {
                (
                    Generation::Exchange2007,
                    format!(
                        "the legacy virtual directory {} ({}), which only Exchange 2007 has",
                        v.value.name, v.source
                    ),
                )
            })
    };
    let found = by_property("AdminDisplayVersion")
        .or_else(|| by_property("ExchangeVersion"))
        .or_else(from_builds)
        .or_else(|| by_property("OwaVersion"))
        .or_else(from_legacy);
    match &found {
        Some((g, how)) => notes.push(format!("Exchange version: {}, from {how}.", g.title())),
        None if !vdirs.is_empty() || !names.builds.is_empty() => notes.push(
            "The Exchange version is not shown (no AdminDisplayVersion, ExchangeVersion, build folder or OwaVersion): only owa was checked; Exchange 2007 also needs exchange, public and exchweb.".into(),
        ),
        None => {}
    }
    found.map(|(g, _)| g)
}

/// The web site hosting OWA: the IIS site with /owa, else the site of Exchange's owa vdir, else the default.
fn hosting_site(vdirs: &[&Located<OwaVdir>], names: &Names, iis: Option<(&IisConfig, &Site)>) -> String {
    if let Some((_, site)) = iis {
        return site.name.clone();
    }
    let owa_sites: Vec<String> = vdirs
        .iter()
        .filter(|v| v.value.short_name() == "owa")
        .filter_map(|v| v.value.site())
        .collect();
    owa_sites
        .iter()
        .find(|s| s.eq_ignore_ascii_case(&names.web_site.value))
        .or_else(|| owa_sites.first())
        .cloned()
        .unwrap_or_else(|| names.web_site.value.clone())
}

/// The physical folder OWA's virtual directories point at: `...\ClientAccess\Owa` (Exchange 2007 and 2010);
/// Exchange 2013 and later also `...\FrontEnd\HttpProxy\owa` on the front-end site.
fn is_owa_folder(path: &str) -> bool {
    let p = path.trim().replace('/', "\\").to_ascii_lowercase();
    let p = p.trim_end_matches('\\');
    p.ends_with("\\clientaccess\\owa") || p.ends_with("\\frontend\\httpproxy\\owa")
}

/// Evidence at the line of one property of a vdir (at the object's first line when the export lacks it).
fn at_prop(v: &Located<OwaVdir>, property: &str, note: impl Into<String>) -> Evidence {
    match v.value.line_of(property) {
        Some(l) => Evidence::new(
            super::EvidenceKind::Config,
            &crate::facts::Source::at(&v.source.path, l.line),
            l.excerpt.clone(),
            note,
        ),
        None => Evidence::config(v, note),
    }
}

#[cfg(test)]
mod tests;
