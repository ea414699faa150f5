//! Conformance of the W3C reader with other projects' test logs (`../shared/peer/iislog`): the record counts
//! their upstream tests expect (plaso's `iis.py`, beats' `*-expected.json`), beats' statuses per event, and
//! every data line kept in real server logs. Skips with a message when the peer folder is absent.
//!
//! Where owa440 reads a file differently from an upstream, the test says who is right and why.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const PEER: &str = "../shared/peer/iislog";
const PLASO: &str = "log2timeline__plaso__test_data__iis__";
const BEATS: &str = "elastic__beats__filebeat__module__iis__access__test__";

fn peer() -> Option<PathBuf> {
    let p = PathBuf::from(PEER);
    if p.is_dir() {
        Some(p)
    } else {
        println!("{PEER} is absent: peer conformance skipped");
        None
    }
}

/// `owa440 parse FILE --format jsonl`, one value per record.
fn records(path: &Path) -> Vec<Value> {
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args(["parse", &path.to_string_lossy(), "--format", "jsonl"])
        .output()
        .expect("run owa440");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: not JSON ({e}): {l}", path.display())))
        .collect()
}

fn count(dir: &Path, name: &str) -> usize {
    records(&dir.join(name)).len()
}

#[test]
fn plaso_event_counts() {
    let Some(dir) = peer() else { return };
    // plaso's tests/parsers/text_plugins/iis.py.
    for (file, want) in [
        ("iis6.log", 12),
        ("iis7_sqli.log", 2),
        ("iis7_owa.log", 3),
        ("iis_without_date.log", 11),
        ("iis10.log", 1),
        ("iis10_cookies.log", 3),
        // The double space before cs-username on six lines is an artefact, not an empty field (IIS writes `-`
        // for one): plaso is right to read those lines as 15 fields, and so does owa440, by taking runs of
        // spaces as one separator when single spaces give one token too many.
        ("iis10_edge_cases.log", 15),
    ] {
        assert_eq!(count(&dir, &format!("{PLASO}{file}")), want, "{file}");
    }
}

#[test]
fn plaso_edge_cases_keep_rpc_methods_and_64_bit_win32_status() {
    let Some(dir) = peer() else { return };
    let recs = records(&dir.join(format!("{PLASO}iis10_edge_cases.log")));
    let methods: Vec<&str> = recs.iter().filter_map(|r| r["cs-method"].as_str()).collect();
    assert!(
        methods.contains(&"RPC_IN_DATA") && methods.contains(&"RPC_OUT_DATA"),
        "{methods:?}"
    );
    let win32: Vec<u64> = recs.iter().filter_map(|r| r["sc-win32-status"].as_u64()).collect();
    assert!(
        win32.contains(&214_784_354_254) && win32.contains(&67_567_567_567),
        "{win32:?}"
    );
    // The collapsed lines keep their user names in cs-username, not in c-ip.
    assert!(recs
        .iter()
        .any(|r| r["cs-username"] == "random\\ranuser1" && r["c-ip"] == "::1"));
    // No date field: the date comes from #Date.
    let no_date = records(&dir.join(format!("{PLASO}iis_without_date.log")));
    assert!(no_date.iter().all(|r| r.get("date").is_none() && r["time"].is_string()));
}

#[test]
fn beats_events_and_statuses() {
    let Some(dir) = peer() else { return };
    for file in ["test.log", "test-iis-7.2.log"] {
        let recs = records(&dir.join(format!("{BEATS}{file}")));
        let expected: Vec<Value> = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{BEATS}{file}-expected.json"))).expect("expected json"),
        )
        .expect("json");
        assert_eq!(recs.len(), expected.len(), "{file}");
        for (r, e) in recs.iter().zip(&expected) {
            assert_eq!(r["sc-status"], e["http.response.status_code"], "{file}: {r}");
            assert_eq!(r["sc-substatus"], e["iis.access.sub_status"], "{file}: {r}");
            assert_eq!(r["sc-win32-status"], e["iis.access.win32_status"], "{file}: {r}");
            assert_eq!(r["cs-method"], e["http.request.method"], "{file}: {r}");
            assert_eq!(r["c-ip"], e["source.ip"], "{file}: {r}");
            // beats decodes `+` in the user agent; so does owa440 (a request header field).
            if let Some(ua) = e["user_agent.original"].as_str() {
                assert_eq!(r["cs(User-Agent)"], ua, "{file}");
            }
        }
    }
    // test.log's last two lines have 15 tokens under a 22-field #Fields: beats reads them as the IIS default
    // layout, and that is right (the statuses 401 and 404 sit where that layout puts them); owa440 does the same
    // and warns about the two lines.
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args([
            "parse",
            &dir.join(format!("{BEATS}test.log")).to_string_lossy(),
            "--format",
            "jsonl",
        ])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 16") && stderr.contains("line 17"), "{stderr}");
}

#[test]
fn real_server_logs_keep_every_data_line() {
    let Some(dir) = peer() else { return };
    for name in [
        "brianary__scripts__test__data__u_ex100815.log",
        "brianary__scripts__test__data__u_ex160110.log",
        "sbousseaden__EVTX-ATTACK-SAMPLES__Command and Control__Tunna_rdp_tunnel_IIS.log",
        "tstack__lnav__test__logfile_w3c_big.0",
    ] {
        let bytes = std::fs::read(dir.join(name)).expect("read");
        let data_lines = bytes
            .split(|&b| b == b'\n')
            .filter(|l| {
                let l = String::from_utf8_lossy(l);
                !l.trim().is_empty() && !l.starts_with('#')
            })
            .count();
        assert_eq!(count(&dir, name), data_lines, "{name}");
    }
}

#[test]
fn lnav_odd_files_are_read_without_losing_lines() {
    let Some(dir) = peer() else { return };
    // w3c.3 (IIS Advanced Logging): quoted values with spaces. lnav reads sc-substatus of the third line as null
    // (its value is the garbage `" ""garbage"" w/ spaces "`); owa440 keeps the text (not a number) so nothing is
    // lost, and the first two lines' substatus are 0 as lnav says.
    let recs = records(&dir.join("tstack__lnav__test__logfile_w3c.3"));
    let sub: Vec<&Value> = recs.iter().map(|r| &r["sc-substatus"]).collect();
    assert_eq!(sub[0], 0);
    assert_eq!(sub[1], 0);
    assert!(!sub[2].is_number());
    assert_eq!(
        recs[0]["cs(User-Agent)"].as_str().map(|s| s.contains("Android 4.4.4")),
        Some(true)
    );
    // w3c.2 (IIS 4 FTP): time only, two header blocks: every line kept.
    assert_eq!(count(&dir, "tstack__lnav__test__logfile_w3c.2"), 14);
}

#[test]
fn httperr_log_is_its_own_kind() {
    let Some(dir) = peer() else { return };
    let path = dir.join("elastic__beats__filebeat__module__iis__error__test__test.log");
    assert_eq!(records(&path).len(), 4);
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args(["parse", &path.to_string_lossy(), "--format", "json"])
        .output()
        .expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["kind"], "httperr-log");
    assert!(
        v["facts"].get("logs").is_none(),
        "HTTPERR requests never feed the OWA evidence: {v}"
    );
}

#[test]
fn other_formats_are_not_taken_for_w3c() {
    let Some(dir) = peer() else { return };
    // ex010320.log is the IIS native (comma) format, not W3C.
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args([
            "parse",
            &dir.join("brianary__scripts__test__data__ex010320.log")
                .to_string_lossy(),
            "--format",
            "jsonl",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
