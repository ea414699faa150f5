//! The two IIS procedures as the plan renders them from the IIS fixtures: the real build folders (one set of
//! steps per folder), site id and web site name; adsutil only on IIS 6; the property actually duplicated.

use assert_cmd::Command;
use serde_json::Value;

fn plan(fixture: &str) -> Vec<Value> {
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args(["diagnose", &format!("fixtures/{fixture}"), "--format", "json"])
        .output()
        .expect("run");
    let d: Value = serde_json::from_slice(&out.stdout).expect("json");
    d["plan"].as_array().cloned().unwrap_or_default()
}

fn steps(item: &Value) -> Vec<String> {
    item["steps"]
        .as_array()
        .map(|s| {
            s.iter()
                .map(|s| {
                    format!(
                        "{}\n{}",
                        s["text"].as_str().unwrap_or(""),
                        s["command"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn only_the_folders_at_fault_get_steps() {
    // IIS 6: 8.1.278.2 has Integrated beside anonymous; 8.1.240.6 and /owa/auth are anonymous only.
    let p = plan("iis6-two-builds");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0]["procedure"], "enable-anonymous-access");
    let s = steps(&p[0]);
    let one = s.iter().filter(|t| t.contains("owa › 8.1.240.6 ›")).count();
    let two = s.iter().filter(|t| t.contains("owa › 8.1.278.2 ›")).count();
    assert_eq!((one, two), (0, 1), "{s:#?}");
    assert!(s
        .iter()
        .any(|t| t.contains("adsutil.vbs set w3svc/1/ROOT/owa/8.1.278.2/AuthFlags 1")));
    assert!(!s.iter().any(|t| t.contains("owa/auth/AuthFlags")), "{s:#?}");
    assert_eq!(
        p[0]["title"],
        "Enable anonymous access (only) on Default Web Site/owa/8.1.278.2"
    );

    // IIS 7: 14.3.158.1 and /owa/auth are off, 14.3.123.4 is right.
    let p = plan("iis7-anonymous-disabled");
    let s = steps(&p[0]);
    let per = |b: &str| {
        s.iter()
            .filter(|t| {
                t.contains(&format!(
                    "\"Default Web Site/owa/{b}\" /section:anonymousAuthentication"
                ))
            })
            .count()
    };
    assert_eq!((per("14.3.123.4"), per("14.3.158.1"), per("auth")), (0, 1, 1), "{s:#?}");
    assert!(!s.iter().any(|t| t.contains("adsutil")), "no adsutil on IIS 7");
    assert!(!s.iter().any(|t| t.contains("{")), "every placeholder filled");
}

#[test]
fn resync_deletes_the_property_actually_duplicated_and_prints_no_password() {
    let p = plan("iis6-anonymous-credentials");
    assert_eq!(p[0]["procedure"], "resync-anonymous-credentials");
    let s = steps(&p[0]).join("\n");
    assert!(
        s.contains("cscript adsutil.vbs delete w3svc/1/ROOT/anonymoususerpass"),
        "{s}"
    );
    assert!(s.contains("cscript adsutil.vbs find w3svc/anonymoususerpass"));
    assert!(s.contains("cscript adsutil.vbs get w3svc/1/wamuserpass"));
    assert!(s.contains("net user IWAM_CAS01 *") && s.contains("net user IUSR_CAS01 *"));
    assert!(!s.to_ascii_lowercase().contains("wamsuserpass"));
    assert!(
        !s.contains("anonymoususername"),
        "the topic's slip: deleting the name, not the duplicated password"
    );
    assert!(!s.contains('{'), "every placeholder filled: {s}");

    let p = plan("iis6-anonymous-name-differs");
    let s = steps(&p[0]).join("\n");
    assert!(
        s.contains("cscript adsutil.vbs delete w3svc/1/ROOT/owa/anonymoususername"),
        "{s}"
    );
    // A domain anonymous account is reset in the domain.
    assert!(s.contains(r"net user owa-anon * /domain"), "{s}");

    let p = plan("iis7-anonymous-credentials");
    let s = steps(&p[0]).join("\n");
    assert!(!s.contains("adsutil"), "{s}");
    assert!(s.contains(r"CONTOSO\svc-owaanon") && s.contains("owa › 14.3.123.4"));
    assert!(
        s.contains("Default Web Site/owa/auth"),
        "the levels holding the password are named: {s}"
    );
}
