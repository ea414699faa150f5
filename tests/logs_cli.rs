//! `owa440 logs`: the report over log files, folders and zips; JSON and table; exit codes.

use assert_cmd::Command;
use serde_json::Value;
use std::io::Write;

fn logs(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .arg("logs")
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let (code, out, err) = logs(&a);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("json")
}

#[test]
fn the_1326_fixture_shows_the_fault_its_onset_and_refused_cookies() {
    let v = json(&["fixtures/logs-anonymous-credentials-1326"]);
    assert_eq!(v["schema"], "owa440.logs/1");
    let e = &v["evidence"];
    let sigs = e["signatures"].as_array().unwrap();
    // Faults first; the first is the anonymous 1326 on /owa/<build> or /owa/auth.
    assert_eq!(sigs[0]["fault"], true);
    assert_eq!(
        (sigs[0]["status"].as_u64(), sigs[0]["win32"].as_u64()),
        (Some(401), Some(1326))
    );
    let auth = sigs
        .iter()
        .find(|s| s["path"] == "/owa/auth" && s["win32"] == 1326)
        .expect("1326 on /owa/auth");
    assert_eq!(auth["count"], 8);
    assert_eq!(auth["client_ips"], 4);
    // The user's own bad password on ActiveSync is not an OWA signature.
    assert!(sigs.iter().all(|s| s["anonymous"] == true));
    assert_eq!(e["onset"]["time"], "2008-04-02 07:00:01");
    assert_eq!(e["onset"]["example"]["line"], 15);
    // The two forms logons at 09:30 succeeded after the last 1326 (09:00): not still failing at the end.
    assert_eq!(e["still_going"], false);
    assert_eq!(auth["last_seen"], "2008-04-02 09:00:09");
    // Those two users were refused within seconds of their logon: the fault pattern of 440s.
    assert_eq!(e["session_timeouts"]["soon_after_logon"], 2);
    assert_eq!(e["computer_names"][0]["name"], "CAS01");
    assert_eq!(v["files"][0]["records"], 37);
}

#[test]
fn healthy_log_idle_timeouts_and_handshakes_are_not_faults() {
    let v = json(&["fixtures/logs-healthy/u_ex090701.log"]);
    let e = &v["evidence"];
    assert!(
        e["signatures"].as_array().unwrap().iter().all(|s| s["fault"] == false),
        "{e}"
    );
    assert_eq!(e["onset"], Value::Null);
    assert_eq!(e["still_going"], false);
    let t = &e["session_timeouts"];
    assert_eq!(
        (
            t["total"].as_u64(),
            t["after_idle"].as_u64(),
            t["soon_after_logon"].as_u64()
        ),
        (Some(3), Some(3), Some(0))
    );
}

#[test]
fn several_bundles_are_read_together() {
    let v = json(&["fixtures/logs-deny-logon-1385", "fixtures/logs-anonymous-access-401-2"]);
    assert_eq!(v["files"].as_array().unwrap().len(), 2);
    assert_eq!(v["evidence"]["path"], "2 files");
    let sigs = v["evidence"]["signatures"].as_array().unwrap();
    assert!(sigs.iter().any(|s| s["win32"] == 1385));
    assert!(sigs.iter().any(|s| s["substatus"] == 2 && s["win32"] == 5));
    // The expected.json beside each fixture is listed as not a log.
    assert_eq!(v["not_logs"], 2);
}

#[test]
fn gzip_logs_are_read_like_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read("fixtures/logs-deny-logon-1385/ex080311.log").unwrap();
    let gz = dir.path().join("ex080311.log.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    enc.write_all(&plain).unwrap();
    enc.finish().unwrap();
    let a = json(&["fixtures/logs-deny-logon-1385/ex080311.log"]);
    let b = json(&[&gz.to_string_lossy()]);
    let summary = |v: &Value| -> Vec<String> {
        v["evidence"]["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{} {} {} {} {} {}",
                    s["path"], s["status"], s["substatus"], s["win32"], s["count"], s["examples"][0]["line"]
                )
            })
            .collect()
    };
    assert_eq!(summary(&a), summary(&b));
    assert_eq!(a["evidence"]["hourly"], b["evidence"]["hourly"]);
    assert_eq!(b["files"][0]["records"], 47);
}

#[test]
fn table_shows_signatures_timeline_and_top_lists() {
    let (code, out, err) = logs(&["fixtures/logs-anonymous-access-401-2", "--color", "never"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("401 2 5") && out.contains("FAULT"), "{out}");
    assert!(out.contains("Onset: 2009-06-15 09:12:03"), "{out}");
    // Hours 08..10 drawn, 09 and 10 with anonymous 401 bars.
    let bars: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("2009-06-15 ") && l.contains('|'))
        .collect();
    assert_eq!(bars.len(), 2, "{out}");
    assert!(bars.iter().all(|l| l.contains('!')), "{bars:?}");
    assert!(out.contains("Client IPs hit"), "{out}");
}

#[test]
fn nothing_readable_is_exit_2() {
    let (code, _, err) = logs(&["fixtures/guests-not-a-member"]);
    assert_eq!(code, 2);
    assert!(err.contains("no W3C log"), "{err}");
    let (code, _, _) = logs(&["no/such/folder"]);
    assert_eq!(code, 2);
    let (code, _, _) = logs(&[]);
    assert_eq!(code, 2);
}

#[test]
fn a_log_cut_in_two_is_read_with_the_header_of_the_piece_before() {
    // The second piece has no `#Fields`: read with the IIS default fields, its paths would be in the wrong column.
    let v = json(&["tests/corpus/w3c-header-apart"]);
    let second = &v["files"][1];
    assert_eq!(second["path"], "u_ex090702.log");
    assert_eq!(second["records"], 6);
    let notes = second["notes"].to_string();
    assert!(
        notes.contains("read with the last #Fields of u_ex090701.log"),
        "{notes}"
    );
    assert!(!notes.contains("IIS default fields"), "{notes}");
    assert_eq!(v["evidence"]["owa_requests"], 5);
    // Given alone, the piece has nothing before it: the default fields, and the reader says so.
    let alone = json(&["tests/corpus/w3c-header-apart/u_ex090702.log"]);
    assert!(alone["files"][0]["notes"].to_string().contains("IIS default fields"));
}
