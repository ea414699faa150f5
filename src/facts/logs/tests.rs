use super::*;

#[test]
fn distinct_counts_ignore_case() {
    assert_eq!(id_hash(b"CONTOSO\\Ann"), id_hash(b"contoso\\ann"));
    assert_ne!(id_hash(b"contoso\\ann"), id_hash(b"contoso\\bob"));
    assert_ne!(id_hash(b"10.0.0.1"), id_hash(b"10.0.0.1\0"));
}

#[test]
fn areas_by_path() {
    assert_eq!(Area::classify(b"/owa/auth/logon.aspx"), Some(Area::OwaAuth));
    assert_eq!(Area::classify(b"/OWA/Auth/owaauth.dll"), Some(Area::OwaAuth));
    assert_eq!(Area::classify(b"/owa/auth.owa"), Some(Area::OwaAuth));
    assert_eq!(
        Area::classify(b"/owa/8.1.240.6/themes/base/lgntopl.gif"),
        Some(Area::OwaBuild)
    );
    assert_eq!(Area::classify(b"/owa/"), Some(Area::Owa));
    assert_eq!(Area::classify(b"/owa"), Some(Area::Owa));
    assert_eq!(Area::classify(b"/owa/ev.owa"), Some(Area::Owa));
    assert_eq!(Area::classify(b"/exchweb/bin/auth/owaauth.dll"), Some(Area::Exchweb));
    assert_eq!(Area::classify(b"/Exchange/ann"), Some(Area::Exchange));
    assert_eq!(Area::classify(b"/public"), Some(Area::Public));
    assert_eq!(Area::classify(b"/owafoo"), None);
    assert_eq!(Area::classify(b"/EWS/Exchange.asmx"), None);
    assert_eq!(Area::classify(b"/Microsoft-Server-ActiveSync"), None);
    assert_eq!(Area::classify(b"/"), None);
}

fn req<'a>(
    t: i64,
    method: &'a str,
    stem: &'a str,
    user: Option<&'a str>,
    ip: &'a str,
    status: (u64, u64, u64),
) -> Request<'a> {
    Request {
        time: Some(t),
        method: Some(method.as_bytes()),
        stem: Some(stem.as_bytes()),
        username: user.map(str::as_bytes),
        client_ip: Some(ip.as_bytes()),
        status: Some(status.0),
        substatus: Some(status.1),
        win32: Some(status.2),
        computer: None,
        line: b"line",
        number: t as u64,
    }
}

#[test]
fn a_440_soon_after_logon_is_told_from_an_idle_timeout() {
    let mut s = LogStats::new("x.log");
    s.add(&req(
        1000,
        "POST",
        "/owa/auth/owaauth.dll",
        None,
        "10.0.0.1",
        (302, 0, 0),
    ));
    s.add(&req(1010, "GET", "/owa/", None, "10.0.0.1", (440, 0, 0)));
    s.add(&req(
        1000,
        "POST",
        "/owa/auth/owaauth.dll",
        None,
        "10.0.0.2",
        (302, 0, 0),
    ));
    s.add(&req(
        1000 + 3 * 3600,
        "GET",
        "/owa/",
        Some("CONTOSO\\bob"),
        "10.0.0.2",
        (440, 0, 0),
    ));
    let e = s.finish();
    assert_eq!(
        (
            e.session_timeouts.total,
            e.session_timeouts.soon_after_logon,
            e.session_timeouts.after_idle
        ),
        (2, 1, 1)
    );
    assert_eq!(e.hourly.len(), 2);
    assert!(e.onset.is_none(), "a 440 is not a fault signature");
}

#[test]
fn merging_parts_matches_440s_with_logons_of_the_part_before() {
    let mut a = LogStats::new("x.log");
    a.add(&req(
        1000,
        "POST",
        "/owa/auth/owaauth.dll",
        None,
        "10.0.0.1",
        (302, 0, 0),
    ));
    let mut b = LogStats::new("x.log");
    b.add(&req(1020, "GET", "/owa/", None, "10.0.0.1", (440, 0, 0)));
    b.add(&req(1030, "GET", "/owa/", None, "10.0.0.9", (440, 0, 0)));
    a.merge(b);
    let e = a.finish();
    assert_eq!(e.session_timeouts.soon_after_logon, 1);
    assert_eq!(e.session_timeouts.no_logon_seen, 1);
    assert_eq!(e.top_users[0].soon_after_logon, Some(1));
}

#[test]
fn faults_onset_and_still_going() {
    let mut s = LogStats::new("x.log");
    s.add(&req(100, "GET", "/owa/auth/logon.aspx", None, "10.0.0.1", (200, 0, 0)));
    s.add(&req(
        200,
        "GET",
        "/owa/auth/logon.aspx",
        None,
        "10.0.0.1",
        (401, 1, 1326),
    ));
    s.add(&req(
        300,
        "GET",
        "/owa/8.1.240.6/x.gif",
        None,
        "10.0.0.2",
        (401, 1, 1326),
    ));
    s.add(&req(
        400,
        "GET",
        "/owa/",
        Some("a"),
        "10.0.0.2",
        (401, 2, 2_148_074_254),
    ));
    let e = s.finish();
    let onset = e.onset.as_ref().unwrap();
    assert_eq!((onset.signature.as_str(), onset.path), ("401 1 1326", "/owa/auth"));
    assert!(e.still_going);
    assert!(e.signatures[0].fault);
    let handshake = e
        .signatures
        .iter()
        .find(|s| s.status == 401 && s.substatus == 2)
        .unwrap();
    assert!(!handshake.fault, "a user's NTLM first leg is not a fault");
    assert_eq!(e.affected_client_ips, 2);
}
