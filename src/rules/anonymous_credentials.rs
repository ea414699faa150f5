//! Rule `anonymous-credentials`: the anonymous account's credentials are out of sync in the IIS 6 metabase.
//!
//! IIS 6: `AnonymousUserPass`, `AnonymousUserName` or `WAMUserPass` set at more than one level on the path to
//! /owa/auth and /owa/<build> (`/LM/W3SVC`, `/LM/W3SVC/<id>`, `/ROOT`, `/ROOT/owa`, ...) with different values,
//! or the effective anonymous user or password empty (or set nowhere while the export holds `/LM/W3SVC`).
//! Passwords are compared by fingerprint only; one level only is healthy; the same value at two levels is
//! reported as a note, not a fault.
//!
//! IIS 7 and later: the built-in IUSR has no password, so the cause as the metabase knows it does not arise; the
//! finding says so and is `ruled-out`, except when a named account (not IUSR, not the pool identity) is the
//! anonymous identity and either its `userName` differs between levels, it has no password anywhere, or its
//! password is written at two or more levels. IIS 7 encrypts each copy with its own salt, so two copies can not be
//! compared: every extra copy is one that can be left behind when the password changes, and it is reported as a
//! fault for the logs (401 1 1326) to confirm.

use super::evidence::EvidenceKind;
use super::verdict::{combine, Config};
use super::{inputs, symptoms, Cause, Evidence, Finding, Missing, Verdict};
use crate::facts::accounts;
use crate::facts::iis::{owa_config, IisConfig, Node, Property, Site};
use crate::facts::{names::Names, Facts, Source};

/// What the configuration side found.
#[derive(Default)]
struct Report {
    evidence: Vec<Evidence>,
    notes: Vec<String>,
    faults: Vec<String>,
    /// Duplicated properties, the levels that set them, and the adsutil paths to delete.
    duplicated: Vec<&'static str>,
    duplicated_at: Vec<String>,
    delete: Vec<String>,
}

pub fn evaluate(facts: &Facts, names: &Names) -> Finding {
    let symptom = symptoms::anonymous_credentials(facts, names);
    let mut r = Report::default();
    let mut missing = Vec::new();
    let mut generation = None;
    let config = match owa_config(facts) {
        None if facts.iis.is_empty() => {
            missing.push(Missing::of(
                &inputs::IIS_CONFIG,
                "shows at which metabase levels the anonymous credentials are set",
            ));
            Config::Unknown
        }
        None => {
            r.notes.push(
                "No web site of the IIS configuration in the bundle has an /owa virtual directory (see owa-virtual-directories), so the path to /owa cannot be walked."
                    .into(),
            );
            Config::Unknown
        }
        Some((cfg, site)) => {
            generation = Some(cfg.generation);
            if cfg.generation == 6 {
                iis6(cfg, site, &mut r)
            } else {
                iis7(cfg, site, &mut r)
            }
        }
    };
    let verdict = combine(config, symptom.state);
    let faults = r.faults.join("; ");
    let summary = match (verdict, config) {
        (Verdict::Confirmed, _) => format!("{faults}; the logs or events show the anonymous logons failing (1326 / 0xC000006A)."),
        (Verdict::Likely, Config::Fault) => format!("{faults}; no log or event in the bundle shows failing anonymous logons yet."),
        (Verdict::Likely, _) => "Logs or events show the anonymous account's logons failing for a bad password (1326 / 0xC000006A); the IIS configuration in the bundle does not explain it.".into(),
        (Verdict::RuledOut, _) if generation == Some(6) => "The anonymous credentials are set once on the path to /owa (or the same at every level) and are not empty.".into(),
        (Verdict::RuledOut, _) => "IIS 7 and later: the anonymous identity has no password of its own to fall out of sync.".into(),
        (Verdict::Unknown, _) => "No readable IIS configuration in the bundle shows the anonymous credentials on the path to /owa.".into(),
    };
    let mut f = Finding::new(Cause::AnonymousCredentials, verdict, summary);
    f.evidence = r.evidence;
    f.evidence.extend(symptom.evidence);
    f.missing = missing;
    f.missing.extend(symptom.missing);
    f.notes = r.notes;
    f.notes.extend(symptom.notes);
    if !r.duplicated.is_empty() {
        f.vars.insert("duplicated_property", r.duplicated.join(", "));
        f.vars.insert("duplicated_at", r.duplicated_at.join(" and "));
        f.vars.insert("duplicated_delete", r.delete.join("\n"));
        f.vars.insert(
            "find_property",
            r.duplicated
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    if generation == Some(6) {
        let wam = wam_account(facts, names);
        f.vars.insert("wam_account_bare", accounts::bare_name(&wam).to_string());
        f.vars.insert("wam_account", wam);
    }
    f
}

/// The properties compared between levels.
const COMPARED: [&str; 3] = ["AnonymousUserName", "AnonymousUserPass", "WAMUserPass"];

fn iis6(cfg: &IisConfig, site: &Site, r: &mut Report) -> Config {
    let mut paths = vec!["/owa/auth".to_string()];
    paths.extend(cfg.owa_builds(site).into_iter().map(|(b, _)| format!("/owa/{b}")));
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    for prop in COMPARED {
        let set = cfg.settings_of(site, &refs, prop);
        compare(cfg, prop, &set, r);
    }
    let service_key = cfg
        .nodes
        .iter()
        .any(|n| n.path.trim_end_matches('/').eq_ignore_ascii_case("/LM/W3SVC"));
    for vpath in &refs {
        let e = cfg.effective(site, vpath);
        let shown = format!("{}{vpath}", site.name);
        match &e.anonymous_user {
            Some(u) if u.value.trim().is_empty() => fault_at(
                r,
                &u.source,
                &u.excerpt,
                format!("AnonymousUserName is EMPTY at {} (applies to {shown})", u.level),
            ),
            None if service_key => r.faults.push(format!(
                "no metabase level on the path to {shown} sets AnonymousUserName"
            )),
            _ => {}
        }
        match &e.anonymous_password {
            Some(p) if p.value.empty => fault_at(
                r,
                &p.source,
                &p.excerpt,
                format!("AnonymousUserPass is EMPTY at {} (applies to {shown})", p.level),
            ),
            None if service_key => r.faults.push(format!(
                "no metabase level on the path to {shown} sets AnonymousUserPass"
            )),
            _ => {}
        }
    }
    if !service_key {
        r.notes.push(format!(
            "{} has no /LM/W3SVC key (an export of part of the metabase): settings inherited from /LM/W3SVC are not seen; export with `iiscnfg /export /f c:\\mb.xml /sp /LM/W3SVC /children`.",
            cfg.path
        ));
    }
    r.faults.dedup();
    if !r.faults.is_empty() {
        Config::Fault
    } else if !service_key {
        Config::Unknown
    } else {
        Config::Clean
    }
}

/// Compares the levels that set one property; a difference is a fault and names the copies to delete.
fn compare(cfg: &IisConfig, prop: &'static str, set: &[(&Node, &Property)], r: &mut Report) {
    let Some((_, below)) = set.split_first() else {
        return;
    };
    // Value classes by equality: A, B, C... (never the value).
    let mut classes: Vec<&Property> = Vec::new();
    let mut labels: Vec<char> = Vec::new();
    for (_, p) in set {
        let i = classes.iter().position(|c| same(c, p)).unwrap_or_else(|| {
            classes.push(p);
            classes.len() - 1
        });
        labels.push((b'A' + (i.min(25)) as u8) as char);
    }
    let differ = labels.iter().any(|l| *l != labels[0]);
    if below.is_empty() {
        let (n, p) = set[0];
        r.evidence.push(Evidence::new(
            EvidenceKind::Config,
            &Source::at(&cfg.path, p.line),
            p.excerpt(),
            format!(
                "{prop} is set at one level only on the path to /owa ({}): healthy",
                n.level()
            ),
        ));
        return;
    }
    let levels: Vec<String> = set.iter().map(|(n, _)| n.level()).collect();
    for ((n, p), label) in set.iter().zip(&labels) {
        let note = if differ {
            format!(
                "{prop} set at {} (value {label}; the levels hold different values)",
                n.level()
            )
        } else {
            format!(
                "{prop} set at {} (all {} levels hold the same value)",
                n.level(),
                set.len()
            )
        };
        r.evidence.push(Evidence::new(
            EvidenceKind::Config,
            &Source::at(&cfg.path, p.line),
            p.excerpt(),
            note,
        ));
    }
    if differ {
        r.faults.push(format!(
            "{prop} is set at {} levels on the path to /owa with different values ({})",
            set.len(),
            levels.join(", ")
        ));
        r.duplicated.push(prop);
        for l in &levels {
            if !r.duplicated_at.contains(l) {
                r.duplicated_at.push(l.clone());
            }
        }
        for (n, _) in below {
            r.delete.push(adsutil_path(&n.path, prop));
        }
    } else {
        r.notes.push(format!(
            "{prop} is set at {} with the same value: not a fault, though one copy would do.",
            levels.join(" and ")
        ));
    }
}

/// Two properties hold the same value: secrets by fingerprint, text case-insensitively.
fn same(a: &Property, b: &Property) -> bool {
    match (a.value.as_secret(), b.value.as_secret()) {
        (Some(x), Some(y)) => x.same_as(y),
        _ => a
            .value
            .as_text()
            .zip(b.value.as_text())
            .is_some_and(|(x, y)| x.trim().eq_ignore_ascii_case(y.trim())),
    }
}

/// `/LM/W3SVC/1/ROOT` + `AnonymousUserPass` = `w3svc/1/ROOT/anonymoususerpass` (adsutil's path).
fn adsutil_path(key: &str, prop: &str) -> String {
    let k = key.trim_end_matches('/');
    let rest = crate::facts::iis::strip_prefix_ci(k, "/LM/").unwrap_or(k);
    let rest = match rest.get(..5) {
        Some(w) if w.eq_ignore_ascii_case("W3SVC") => format!("w3svc{}", &rest[5..]),
        _ => rest.to_string(),
    };
    format!("{rest}/{}", prop.to_ascii_lowercase())
}

fn fault_at(r: &mut Report, src: &Source, excerpt: &str, what: String) {
    r.evidence.push(Evidence::new(
        EvidenceKind::Config,
        src,
        excerpt.to_string(),
        what.clone(),
    ));
    r.faults.push(what);
}

fn iis7(cfg: &IisConfig, site: &Site, r: &mut Report) -> Config {
    r.notes.push(
        "IIS 7 and later: this cause belongs to the IIS 6 metabase. The built-in IUSR has no password to resynchronise; only a named anonymous account can fall out of sync."
            .into(),
    );
    let mut paths = vec!["/owa/auth".to_string()];
    paths.extend(cfg.owa_builds(site).into_iter().map(|(b, _)| format!("/owa/{b}")));
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let users = cfg.settings_of(site, &refs, "anonymousAuthentication/userName");
    let named: Vec<&(&Node, &Property)> = users
        .iter()
        .filter(|(_, p)| {
            p.value
                .as_text()
                .is_some_and(|u| !u.trim().is_empty() && !u.trim().eq_ignore_ascii_case("IUSR"))
        })
        .collect();
    if named.is_empty() {
        return Config::Clean;
    }
    for (n, p) in &named {
        r.evidence.push(Evidence::new(
            EvidenceKind::Config,
            &Source::at(&cfg.path, p.line),
            p.excerpt(),
            format!("a named anonymous account is set at {}", n.level()),
        ));
    }
    // A named account overriding the global IUSR is an ordinary setup; two different named accounts on the
    // paths to /owa are not.
    let distinct_named = {
        let mut v: Vec<String> = named
            .iter()
            .filter_map(|(_, p)| p.value.as_text().map(|t| t.trim().to_ascii_lowercase()))
            .collect();
        v.sort();
        v.dedup();
        v.len()
    };
    if distinct_named > 1 {
        r.faults.push(format!(
            "different named anonymous accounts are set on the paths to /owa ({})",
            named.iter().map(|(n, _)| n.level()).collect::<Vec<_>>().join(", ")
        ));
    }
    let passwords = cfg.settings_of(site, &refs, "anonymousAuthentication/password");
    let set: Vec<&(&Node, &Property)> = passwords
        .iter()
        .filter(|(_, p)| p.value.as_secret().is_some_and(|s| !s.empty))
        .collect();
    if set.is_empty() {
        r.faults
            .push("a named anonymous account is configured with no password at any level on the path to /owa".into());
    } else if set.len() > 1 {
        let levels: Vec<String> = set.iter().map(|(n, _)| n.level()).collect();
        for (n, p) in &set {
            r.evidence.push(Evidence::new(
                EvidenceKind::Config,
                &Source::at(&cfg.path, p.line),
                p.excerpt(),
                format!("the anonymous account's password is stored at {} too", n.level()),
            ));
        }
        r.faults.push(format!(
            "the named anonymous account's password is stored at {} levels ({}); IIS 7 encrypts each copy apart, so one left behind at a password change cannot be seen",
            set.len(),
            levels.join(", ")
        ));
        r.duplicated.push("password");
        r.duplicated_at.extend(levels);
    }
    if r.faults.is_empty() {
        Config::Clean
    } else {
        Config::Fault
    }
}

/// The WAM account: IIS 6 `WAMUserName` for /owa, else the IIS 6 default `IWAM_<server>`.
fn wam_account(facts: &Facts, names: &Names) -> String {
    crate::facts::iis::names(facts)
        .wam_account
        .map(|n| n.value)
        .unwrap_or_else(|| format!("IWAM_{}", names.server_or_placeholder()))
}
