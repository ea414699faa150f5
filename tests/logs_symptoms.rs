//! Log symptoms per cause on the log fixtures: each fault signature feeds its own cause and no other, and a
//! healthy server's idle 440s and NTLM first legs feed none.

use owa440::diagnosis::diagnose;
use owa440::facts::{names::Names, Facts};
use owa440::rules::symptoms::{logs, SourceReport};
use std::path::Path;

fn facts(fixture: &str) -> (Facts, Names) {
    let d = diagnose(Path::new("fixtures").join(fixture).as_path()).expect("fixture");
    (d.facts, d.names)
}

/// The symptom reports of every cause, by name.
fn all(f: &Facts, n: &Names) -> Vec<(&'static str, SourceReport)> {
    vec![
        ("vdirs", logs::vdirs(f, n)),
        ("anonymous_credentials", logs::anonymous_credentials(f, n)),
        ("anonymous_access", logs::anonymous_access(f, n)),
        ("logon_to", logs::logon_to(f, n)),
        ("deny_logon_locally", logs::deny_logon(f, n, true)),
        ("deny_logon_network", logs::deny_logon(f, n, false)),
    ]
}

fn seen(fixture: &str) -> Vec<&'static str> {
    let (f, n) = facts(fixture);
    let reports = all(&f, &n);
    assert!(
        reports.iter().all(|(_, r)| r.could_show),
        "{fixture}: logs with OWA traffic could show every cause"
    );
    reports
        .into_iter()
        .filter(|(_, r)| !r.evidence.is_empty())
        .map(|(c, _)| c)
        .collect()
}

#[test]
fn each_signature_feeds_its_own_cause() {
    assert_eq!(seen("logs-anonymous-credentials-1326"), ["anonymous_credentials"]);
    assert_eq!(seen("logs-anonymous-access-401-2"), ["anonymous_access"]);
    // IIS's default logon method (ClearText) is a network logon: 1385 is the network deny right's.
    assert_eq!(seen("logs-deny-logon-1385"), ["deny_logon_network"]);
}

#[test]
fn healthy_idle_timeouts_and_handshakes_raise_nothing() {
    assert_eq!(seen("logs-healthy"), Vec::<&str>::new());
}

#[test]
fn evidence_is_located_at_a_log_line_with_counts_in_the_note() {
    let (f, n) = facts("logs-anonymous-access-401-2");
    let r = logs::anonymous_access(&f, &n);
    assert_eq!(
        r.evidence.len(),
        2,
        "one per signature: 401 2 5 on /owa/auth, 401 2 2148074254 on /owa/<build>"
    );
    let first = &r.evidence[0];
    assert_eq!((first.path.as_str(), first.line), ("u_ex090615.log", Some(9)));
    assert!(first.excerpt.ends_with("401 2 5 15"), "{}", first.excerpt);
    assert!(
        first.note.contains("5 requests") && first.note.contains("5 client IPs"),
        "{}",
        first.note
    );
    assert!(
        first.note.contains("2009-06-15 09:12:03") && first.note.contains("2009-06-15 10:06:01"),
        "{}",
        first.note
    );
    assert_eq!(first.kind_word(), "symptom");
}

#[test]
fn no_log_means_no_input_and_logs_without_owa_say_so() {
    let (f, n) = facts("guests-not-a-member");
    let r = logs::anonymous_credentials(&f, &n);
    assert!(!r.could_show && r.evidence.is_empty() && r.notes.is_empty());

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("u_ex100101.log"),
        "#Fields: date time cs-method cs-uri-stem cs-username c-ip sc-status sc-substatus sc-win32-status\r\n\
         2010-01-01 00:00:00 GET /intranet/default.aspx - 10.0.0.1 401 1 1326\r\n",
    )
    .unwrap();
    let d = diagnose(dir.path()).unwrap();
    let r = logs::anonymous_credentials(&d.facts, &d.names);
    assert!(!r.could_show && r.evidence.is_empty());
    assert!(r.notes[0].contains("no request to /owa"), "{:?}", r.notes);
}
