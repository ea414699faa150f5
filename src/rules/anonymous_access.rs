//! Rule `anonymous-access-disabled`: the EFFECTIVE authentication of `/owa/<build>` (each build folder) and
//! `/owa/auth` on the site hosting OWA is not "anonymous only".
//!
//! Effective means by inheritance ([`IisConfig::effective`]): a build folder with no metabase key of its own, or no
//! `<location>` of its own, takes /owa's authentication, which on Exchange 2007/2010 is Basic for forms-based
//! logon: the static files and the logon page then answer 401 to the anonymous browser. IIS 6 the `AuthFlags` must
//! be exactly `AuthAnonymous`; IIS 7+ `anonymousAuthentication` enabled and basic, windows and digest disabled.

use super::evidence::EvidenceKind;
use super::verdict::{combine, Config};
use super::{inputs, symptoms, Cause, Evidence, Finding, Missing, Verdict};
use crate::facts::iis::{owa_config, Effective, IisConfig, Setting, Site};
use crate::facts::{names::Names, Facts};

pub fn evaluate(facts: &Facts, names: &Names) -> Finding {
    let symptom = symptoms::anonymous_access(facts, names);
    let mut evidence = Vec::new();
    let mut notes = Vec::new();
    let mut missing = Vec::new();
    let mut off: Vec<String> = Vec::new();
    let config = match owa_config(facts) {
        None if facts.iis.is_empty() => {
            missing.push(Missing::of(
                &inputs::IIS_CONFIG,
                "shows the effective authentication of /owa/<build> and /owa/auth",
            ));
            Config::Unknown
        }
        None => {
            notes.push(
                "No web site of the IIS configuration in the bundle has an /owa virtual directory (see owa-virtual-directories), so its authentication cannot be checked."
                    .into(),
            );
            Config::Unknown
        }
        Some((cfg, site)) => check(cfg, site, &mut evidence, &mut notes, &mut off),
    };
    let verdict = combine(config, symptom.state);
    let paths = off.join(" and ");
    let summary = match (verdict, config) {
        (Verdict::Confirmed, _) => format!(
            "{paths} {} not anonymous-only, and the logs show anonymous requests refused there (401 2).",
            if off.len() > 1 { "are" } else { "is" }
        ),
        (Verdict::Likely, Config::Fault) => format!(
            "{paths} {} not anonymous-only; no log in the bundle shows the refused anonymous requests yet.",
            if off.len() > 1 { "are" } else { "is" }
        ),
        (Verdict::Likely, _) => "The logs show anonymous requests to /owa/auth or /owa/<build> refused for their authentication method (401 2); the IIS configuration in the bundle does not explain it.".into(),
        (Verdict::RuledOut, _) => "/owa/auth and every OWA build folder allow anonymous access only.".into(),
        (Verdict::Unknown, _) => "No readable IIS configuration in the bundle shows the authentication of /owa/auth and /owa/<build>.".into(),
    };
    let mut f = Finding::new(Cause::AnonymousAccessDisabled, verdict, summary);
    f.evidence = evidence;
    f.evidence.extend(symptom.evidence);
    f.missing = missing;
    f.missing.extend(symptom.missing);
    f.notes = notes;
    f.notes.extend(symptom.notes);
    if !off.is_empty() {
        f.vars.insert("anonymous_off", off.join(", "));
        scope_fix(&mut f, &off);
    }
    f
}

/// Narrows the fix to what the configuration shows off: the build folders at fault (`build_off`), and
/// `fix_scope=builds` / `fix_scope=auth` when /owa/auth, or every build folder, is already right.
fn scope_fix(f: &mut Finding, off: &[String]) {
    let builds: Vec<&str> = off
        .iter()
        .filter_map(|p| p.rsplit_once("/owa/").map(|(_, b)| b))
        .filter(|b| !b.eq_ignore_ascii_case("auth"))
        .collect();
    if builds.is_empty() {
        f.vars.insert("fix_scope", "auth".into());
    } else {
        f.vars.insert("build_off", builds.join("\n"));
        if builds.len() == off.len() {
            f.vars.insert("fix_scope", "builds".into());
        }
    }
}

/// Checks /owa/auth and each build folder; pushes the evidence, and the paths found at fault into `off`.
fn check(
    cfg: &IisConfig,
    site: &Site,
    evidence: &mut Vec<Evidence>,
    notes: &mut Vec<String>,
    off: &mut Vec<String>,
) -> Config {
    let builds = cfg.owa_builds(site);
    if builds.is_empty() {
        notes.push(format!(
            "{} names no build folder under {}/owa; a build folder without a key or <location> of its own takes /owa's authentication. Only /owa/auth was checked.",
            cfg.path, site.name
        ));
    }
    let mut paths: Vec<String> = builds.iter().map(|(b, _)| format!("/owa/{b}")).collect();
    paths.push("/owa/auth".into());
    let mut unknown = false;
    for vpath in &paths {
        let e = cfg.effective(site, vpath);
        let shown = format!("{}{}", site.name, vpath);
        match e.anonymous_only() {
            Some(true) => {
                if let Some(a) = &e.anonymous {
                    push(evidence, a, format!("{shown}: anonymous only, set at {}", a.level));
                }
            }
            Some(false) => {
                off.push(shown.clone());
                describe_fault(cfg, &e, &shown, evidence, notes);
            }
            None => {
                unknown = true;
                notes.push(format!(
                    "No metabase level on the path to {shown} sets AuthFlags, so its authentication cannot be told."
                ));
            }
        }
    }
    if !off.is_empty() {
        Config::Fault
    } else if unknown {
        Config::Unknown
    } else {
        Config::Clean
    }
}

fn describe_fault(cfg: &IisConfig, e: &Effective, shown: &str, evidence: &mut Vec<Evidence>, notes: &mut Vec<String>) {
    match &e.anonymous {
        Some(a) if !a.value => push(
            evidence,
            a,
            format!(
                "{shown}: anonymous access is OFF (nearest level that sets it: {})",
                a.level
            ),
        ),
        None => notes.push(format!(
            "No level of {} enables anonymousAuthentication for {shown}: the IIS schema default (disabled) applies.",
            cfg.path
        )),
        Some(_) => {}
    }
    for (method, s) in e.other_methods_enabled() {
        push(
            evidence,
            s,
            format!(
                "{shown}: {method} authentication is ON beside anonymous (set at {})",
                s.level
            ),
        );
    }
}

/// Adds config evidence from a setting, once per file line (one `AuthFlags` sets every method).
fn push<T>(evidence: &mut Vec<Evidence>, s: &Setting<T>, note: String) {
    if let Some(e) = evidence
        .iter_mut()
        .find(|e| e.path == s.source.path && e.line == s.source.line && e.kind == EvidenceKind::Config)
    {
        if !e.note.contains(&note) {
            e.note = format!("{}; {note}", e.note);
        }
        return;
    }
    evidence.push(Evidence::new(EvidenceKind::Config, &s.source, s.excerpt.clone(), note));
}
