//! The real binary: every output format, exit codes, colour, broken pipes, `rules`, `parse`.

use assert_cmd::Command;
use serde_json::Value;
use std::io::Read;
use std::process::Stdio;

fn owa440() -> Command {
    Command::cargo_bin("owa440").expect("binary")
}

fn json_of(args: &[&str]) -> (Value, i32) {
    let out = owa440().args(args).output().expect("run");
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap_or(-1))
}

const CAUSES: [&str; 6] = [
    "owa-virtual-directories",
    "anonymous-credentials",
    "anonymous-access-disabled",
    "iusr-logon-workstations",
    "guests-deny-logon-locally",
    "guests-deny-network-access",
];

fn verdict(v: &Value, cause: &str) -> String {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["cause"] == cause)
        .expect("cause present")["verdict"]
        .as_str()
        .expect("verdict")
        .to_string()
}

#[test]
fn json_contract_lists_six_causes_inputs_evidence_and_plan() {
    let (v, code) = json_of(&["diagnose", "fixtures/guests-deny-network-access", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(v["schema"], "owa440.diagnosis/1");
    let causes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["cause"].as_str().unwrap())
        .collect();
    assert_eq!(causes, CAUSES);
    assert_eq!(verdict(&v, "guests-deny-network-access"), "likely");
    assert_eq!(verdict(&v, "guests-deny-logon-locally"), "ruled-out");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["cause"] == "guests-deny-network-access")
        .unwrap();
    let ev = f["evidence"].as_array().unwrap();
    assert!(ev.iter().any(|e| e["path"] == "exports/secedit-export.inf"
        && e["kind"] == "config"
        && e["excerpt"].as_str().unwrap().starts_with("SeDenyNetworkLogonRight")
        && e["line"].as_u64().is_some()));
    assert!(ev
        .iter()
        .any(|e| e["path"] == "exports/iusr_user.txt" && e["excerpt"] == "*Guests"));
    let plan = v["plan"].as_array().unwrap();
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0]["procedure"], "remove-guests-deny");
    let cmds: Vec<&str> = plan[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["command"].as_str())
        .collect();
    assert!(cmds.contains(&"net localgroup Guests IUSR_CAS01 /delete"), "{cmds:?}");
    // Unknown causes name what to collect.
    let unknown = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["cause"] == "anonymous-access-disabled")
        .unwrap();
    assert_eq!(unknown["verdict"], "unknown");
    assert!(unknown["missing"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["command"].as_str().unwrap().contains("applicationHost.config")));
    // Every input is listed with its kind.
    let kinds: Vec<(&str, &str)> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].as_str().unwrap(), i["kind"].as_str().unwrap()))
        .collect();
    assert!(kinds.contains(&("exports/secedit-export.inf", "secedit")));
    assert!(kinds.contains(&("exports/iusr_user.txt", "net-user")));
}

#[test]
fn healthy_bundle_exits_zero_and_says_nothing_to_fix() {
    let out = owa440().args(["diagnose", "fixtures/healthy"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ruled-out"));
    assert!(text.contains("nothing to fix"));
    assert!(!text.contains('\x1b'), "no colour when stdout is not a terminal");
    assert!(!text.contains('┌'), "no box drawing when stdout is not a terminal");
}

#[test]
fn table_has_verdicts_then_evidence_then_plan() {
    let out = owa440()
        .args(["diagnose", "fixtures/guests-deny-logon-locally"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let (a, b, c) = (
        text.find("Verdicts").unwrap(),
        text.find("Evidence").unwrap(),
        text.find("Plan").unwrap(),
    );
    assert!(a < b && b < c);
    assert!(text.contains("secpol.inf:"), "evidence as file:line");
    assert!(text.contains("net localgroup Guests IUSR_CAS01 /delete"));
}

#[test]
fn color_always_colours_and_never_does_not() {
    let out = owa440()
        .args(["diagnose", "fixtures/guests-deny-logon-locally", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b["));
    let out = owa440()
        .args(["diagnose", "fixtures/guests-deny-logon-locally", "--color", "never"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\x1b["));
}

#[test]
fn markdown_is_a_ticket_comment() {
    let out = owa440()
        .args(["diagnose", "fixtures/zipped", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("## owa440 diagnosis"));
    assert!(md.contains("| `guests-deny-network-access` | **likely** |"));
    assert!(md.contains("CAS01-bundle.zip/CAS01/policy/secpol.inf"));
    assert!(md.contains("```"));
}

#[test]
fn missing_bundle_and_bad_flags_exit_2_with_a_message() {
    let out = owa440().args(["diagnose", "/nonexistent/bundle"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file or folder"));
    assert_eq!(owa440().arg("--no-such-flag").output().unwrap().status.code(), Some(2));
    assert_eq!(
        owa440()
            .args(["diagnose", "fixtures/healthy", "--format", "yaml"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_bundle_with_nothing_readable_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("junk.bin"), [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0, 7]).unwrap();
    std::fs::write(dir.path().join("empty.log"), b"").unwrap();
    let out = owa440()
        .args(["diagnose", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing in") && err.contains("junk.bin"), "{err}");
}

#[test]
fn an_unreadable_file_is_a_located_error_and_the_rest_is_analysed() {
    let (v, code) = json_of(&["diagnose", "fixtures/unreadable-file", "--format", "json"]);
    assert_eq!(code, 1);
    let inputs = v["inputs"].as_array().unwrap();
    let bad = inputs.iter().find(|i| i["path"] == "collected.zip/iusr.txt").unwrap();
    assert_eq!(bad["kind"], "unreadable");
    assert!(bad["error"].as_str().unwrap().starts_with("collected.zip/iusr.txt: "));
    let pol = inputs.iter().find(|i| i["path"] == "secpol.inf").unwrap();
    assert_eq!(pol["warnings"][0]["line"].as_u64(), Some(51));
    assert_eq!(verdict(&v, "guests-deny-network-access"), "likely");
}

#[test]
fn broken_pipe_is_not_an_error() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("owa440"))
        .args(["diagnose", "fixtures/guests-deny-network-access", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        status.code(),
        Some(1),
        "the diagnosis' own exit code, not an error: {err}"
    );
}

#[test]
fn rules_lists_every_cause_with_inputs_and_procedure() {
    let out = owa440().arg("rules").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for c in CAUSES {
        assert!(text.contains(c), "{c}");
    }
    assert!(text.contains("secedit /export"));
    assert!(text.contains("Procedure remove-guests-deny"));
    let (v, code) = json_of(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(v["rules"].as_array().unwrap().len(), 6);
}

#[test]
fn parse_shows_what_a_reader_made_of_one_file() {
    let (v, code) = json_of(&["parse", "fixtures/guests-deny-logon-locally/secpol.inf"]);
    assert_eq!(code, 0);
    assert_eq!(v["kind"], "secedit");
    assert_eq!(v["encoding"], "utf-16le");
    let rights = v["facts"]["rights"].as_array().unwrap();
    let deny = rights
        .iter()
        .find(|r| r["right"] == "SeDenyInteractiveLogonRight")
        .unwrap();
    assert_eq!(deny["principals"][0]["sid"], "S-1-5-32-546");
    assert_eq!(deny["principals"][0]["well_known"], "Guests");
    assert!(deny["source"]["line"].as_u64().is_some());
    let out = owa440().args(["parse", "fixtures/zipped"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn zipped_bundle_given_directly_is_read_in_memory() {
    let (v, code) = json_of(&["diagnose", "fixtures/zipped/CAS01-bundle.zip", "--format", "json"]);
    assert_eq!(code, 1);
    assert!(v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["path"] == "CAS01/policy/secpol.inf" && i["kind"] == "secedit"));
    assert_eq!(verdict(&v, "guests-deny-network-access"), "likely");
}

#[test]
fn columns_wraps_the_tables_of_output_that_is_not_a_terminal() {
    let run = |columns: Option<&str>| {
        let mut c = Command::cargo_bin("owa440").expect("binary");
        c.args(["diagnose", "fixtures/iis6-two-builds", "--color", "never"]);
        match columns {
            Some(w) => c.env("COLUMNS", w),
            None => c.env_remove("COLUMNS"),
        };
        String::from_utf8(c.output().expect("run").stdout).expect("utf-8")
    };
    let widest = |out: &str| {
        out.lines()
            .filter(|l| l.starts_with('|') || l.starts_with('+'))
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    };
    let plain = run(None);
    assert!(widest(&plain) > 150, "one row a line without COLUMNS");
    let wrapped = run(Some("100"));
    assert!(widest(&wrapped) <= 100, "{wrapped}");
    assert!(wrapped.contains("8.1.278.2"), "the content is all there");
    // Nonsense or tiny widths are ignored.
    assert_eq!(widest(&run(Some("abc"))), widest(&plain));
    assert_eq!(widest(&run(Some("10"))), widest(&plain));
}
