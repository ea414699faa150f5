//! The IIS readers on real Exchange 2013–2019 applicationHost.config files from CSS-Exchange, in
//! `../shared/peer/iisconfig` (skipped with a message when it is absent).
//!
//! Upstream (HealthChecker's Get-IISAuthenticationType) reads these files the same way: for each path, the
//! nearest `<location>` that sets `enabled`, then the global section. On the Exchange 2013+ front end, /owa itself
//! is Basic (not anonymous) and /owa/auth is anonymous only; build folders live on Exchange Back End only.

use assert_cmd::Command;
use owa440::bundle::{BundleFile, Kind};
use owa440::diagnosis::read_file;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn configs() -> Option<Vec<PathBuf>> {
    let dir = Path::new("../shared/peer/iisconfig");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return None;
    };
    let mut v: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "config"))
        .collect();
    v.sort();
    Some(v)
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_bad(p: &Path) -> bool {
    name(p).ends_with("BadApplicationHost.config")
}

#[test]
fn every_good_config_gives_the_effective_owa_authentication() {
    let Some(files) = configs() else { return };
    assert!(
        files.len() >= 9,
        "the peer set holds nine configs and one malformed one"
    );
    for f in files.iter().filter(|f| !is_bad(f)) {
        let file = BundleFile::on_disk(f.display().to_string(), f.clone(), 0);
        let (report, facts) = read_file(&file);
        assert_eq!(report.kind, Kind::Iis7ApplicationHost, "{}", name(f));
        assert!(report.errors.is_empty(), "{}: {:?}", name(f), report.errors);
        let cfg = &facts.iis[0];
        let site = cfg.owa_site().expect("a site hosts /owa");
        assert_eq!(
            (site.id.as_str(), site.name.as_str()),
            ("1", "Default Web Site"),
            "{}",
            name(f)
        );
        assert!(cfg.sites.iter().any(|s| s.name == "Exchange Back End"));

        let owa = cfg.effective(site, "/owa");
        assert_eq!(owa.anonymous_enabled(), Some(false), "{}: /owa anonymous", name(f));
        assert_eq!(
            owa.basic.as_ref().map(|b| b.value),
            Some(true),
            "{}: /owa basic",
            name(f)
        );
        assert!(owa
            .anonymous
            .as_ref()
            .is_some_and(|a| a.level.contains("Default Web Site/owa")));

        let auth = cfg.effective(site, "/owa/auth");
        assert_eq!(auth.anonymous_only(), Some(true), "{}: /owa/auth", name(f));
        assert_eq!(auth.logon_method.as_ref().map(|m| m.value.as_str()), Some("ClearText"));
        let anon = auth.anonymous.as_ref().expect("set");
        assert_eq!(anon.level, "<location path=\"Default Web Site/owa/auth\">");
        // The global section names IUSR.
        assert_eq!(auth.anonymous_user.as_ref().map(|u| u.value.as_str()), Some("IUSR"));
        assert!(auth
            .physical_path
            .as_ref()
            .is_some_and(|p| p.value.ends_with(r"FrontEnd\HttpProxy\owa\auth")));

        // No build folder on the front end; Exchange Back End has one.
        assert!(cfg.owa_builds(site).is_empty(), "{}", name(f));
        let back = cfg
            .sites
            .iter()
            .find(|s| s.name == "Exchange Back End")
            .expect("back end");
        assert!(cfg.owa_builds(back).iter().all(|(b, _)| b.starts_with("15.")));
        assert!(cfg
            .vdir(site, "/owa")
            .is_some_and(|v| v.app_pool.as_deref() == Some("MSExchangeOWAAppPool")));
    }
}

#[test]
fn the_e19_front_end_owa_is_basic_only_at_its_location_line() {
    let Some(files) = configs() else { return };
    let Some(f) = files
        .iter()
        .find(|f| name(f).ends_with("E19__Exchange__IIS__applicationHost.config"))
    else {
        return;
    };
    let file = BundleFile::on_disk(f.display().to_string(), f.clone(), 0);
    let (_, facts) = read_file(&file);
    let cfg = &facts.iis[0];
    let site = cfg.owa_site().expect("site");
    let owa = cfg.effective(site, "/owa");
    // `<location path="Default Web Site/owa">` at line 1961; its anonymousAuthentication at 1975, basic at 1977.
    assert_eq!(owa.anonymous.as_ref().and_then(|a| a.source.line), Some(1975));
    assert_eq!(owa.basic.as_ref().and_then(|a| a.source.line), Some(1977));
    let auth = cfg.effective(site, "/owa/auth");
    assert_eq!(auth.anonymous.as_ref().and_then(|a| a.source.line), Some(1996));
    assert_eq!(auth.anonymous_user.as_ref().and_then(|a| a.source.line), Some(669));
}

#[test]
fn the_malformed_config_is_a_located_error_and_the_bundle_is_still_analysed() {
    let Some(files) = configs() else { return };
    let Some(bad) = files.iter().find(|f| is_bad(f)) else {
        return;
    };
    let file = BundleFile::on_disk(bad.display().to_string(), bad.clone(), 0);
    let (report, facts) = read_file(&file);
    assert_eq!(report.kind, Kind::Iis7ApplicationHost);
    assert!(facts.iis.is_empty());
    // An unclosed <sectionGroup>: the parser stops at the </configSections> that does not match, line 128.
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].line, Some(128), "{:?}", report.errors);

    let t = tempfile::tempdir().expect("temp dir");
    std::fs::copy(bad, t.path().join("applicationHost.config")).expect("copy");
    for f in ["secpol.inf", "net-localgroup-guests.txt"] {
        std::fs::copy(
            Path::new("fixtures/guests-deny-logon-locally").join(f),
            t.path().join(f),
        )
        .expect("copy");
    }
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args(["diagnose", &t.path().to_string_lossy(), "--format", "json"])
        .output()
        .expect("run");
    let d: Value = serde_json::from_slice(&out.stdout).expect("json");
    let input = d["inputs"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["path"] == "applicationHost.config"))
        .expect("listed");
    assert!(
        input["error"].as_str().is_some_and(|e| e.contains("line 128")),
        "{input}"
    );
    let verdict = |c: &str| {
        d["findings"]
            .as_array()
            .and_then(|a| a.iter().find(|f| f["cause"] == c))
            .map(|f| f["verdict"].clone())
    };
    assert_eq!(verdict("guests-deny-logon-locally"), Some(Value::from("likely")));
    assert_eq!(verdict("anonymous-access-disabled"), Some(Value::from("unknown")));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn parse_json_of_each_config_names_the_owa_location() {
    let Some(files) = configs() else { return };
    for f in &files {
        let out = Command::cargo_bin("owa440")
            .expect("binary")
            .args(["parse", &f.to_string_lossy(), "--format", "json"])
            .output()
            .expect("run");
        let text = String::from_utf8_lossy(&out.stdout);
        if is_bad(f) {
            assert!(text.contains("\"line\": 128"), "{}", name(f));
        } else {
            assert_eq!(out.status.code(), Some(0), "{}", name(f));
            assert!(text.contains("Default Web Site/owa"), "{}", name(f));
            assert!(
                !text.contains("[enc:"),
                "{}: an encrypted value reached the output",
                name(f)
            );
        }
    }
}

#[test]
fn the_healthy_peer_configs_rule_out_both_anonymous_causes() {
    let Some(files) = configs() else { return };
    for f in files.iter().filter(|f| !is_bad(f)) {
        let t = tempfile::tempdir().expect("temp dir");
        std::fs::copy(f, t.path().join("applicationHost.config")).expect("copy");
        let out = Command::cargo_bin("owa440")
            .expect("binary")
            .args(["diagnose", &t.path().to_string_lossy(), "--format", "json"])
            .output()
            .expect("run");
        let d: Value = serde_json::from_slice(&out.stdout).expect("json");
        for cause in ["anonymous-access-disabled", "anonymous-credentials"] {
            let v = d["findings"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["cause"] == cause))
                .map(|x| x["verdict"].clone());
            assert_eq!(v, Some(Value::from("ruled-out")), "{}: {cause}", name(f));
        }
        assert_eq!(d["names"]["web_site"]["value"], "Default Web Site");
        assert_eq!(d["names"]["iis_generation"], 7);
        assert_eq!(d["names"]["anonymous_account"]["value"], "IUSR");
    }
}
