//! The synthetic cases of `gencases` are read without errors, and `owa440 batch` finds the causes planted in them.

use assert_cmd::Command;
use owa440::casesynth;
use owa440::rules::Cause;
use serde_json::Value;
use std::collections::BTreeMap;

#[test]
fn every_generated_case_is_read_cleanly_and_its_planted_causes_are_found() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("cases");
    let mut planted = BTreeMap::new();
    // Two rounds of every kind of case (healthy, each cause, the mixes), on both platforms.
    for i in 0..24 {
        let case = casesynth::case(7, i);
        casesynth::write(&case, &dir, 150_000).unwrap();
        planted.insert(case.id.clone(), case);
    }
    let out = t.path().join("results.jsonl");
    let run = Command::cargo_bin("owa440")
        .unwrap()
        .args([
            "batch",
            dir.to_str().unwrap(),
            "--jobs",
            "2",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stdout));
    let text = std::fs::read_to_string(&out).unwrap();
    let records: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), planted.len());
    for r in &records {
        let id = r["case"].as_str().unwrap();
        let case = &planted[id];
        assert!(r["error"].is_null(), "{id}: {}", r["error"]);
        let inputs = r["inputs"].as_array().unwrap();
        assert_eq!(inputs.len(), 6, "{id}: {inputs:?}");
        for input in inputs {
            assert!(input["error"].is_null(), "{id}: {input}");
            assert!(input["errors"].is_null(), "{id}: {input}");
            assert_ne!(input["kind"], "not-recognised", "{id}: {input}");
        }
        assert_eq!(r["names"]["server"]["value"], case.server.as_str(), "{id}");
        for f in r["findings"].as_array().unwrap() {
            let cause = Cause::from_id(f["cause"].as_str().unwrap()).unwrap();
            let verdict = f["verdict"].as_str().unwrap();
            let want: &[&str] = if case.planted.first() == Some(&cause) {
                &["confirmed"] // the log carries its signature
            } else if case.planted.contains(&cause) {
                &["confirmed", "likely"]
            } else {
                &["ruled-out"]
            };
            assert!(
                want.contains(&verdict),
                "{id}: {} is {verdict}, expected {want:?}",
                cause.id()
            );
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_cases() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [a.path(), b.path()] {
        for i in 0..3 {
            casesynth::write(&casesynth::case(3, i), dir, 20_000).unwrap();
        }
    }
    for i in 0..3 {
        let id = casesynth::case(3, i).id;
        for f in ["secpol.inf", "owavdir.txt", "net-localgroup-guests.txt"] {
            assert_eq!(
                std::fs::read(a.path().join(&id).join(f)).unwrap(),
                std::fs::read(b.path().join(&id).join(f)).unwrap(),
                "{id}/{f}"
            );
        }
    }
    let servers = |seed| (0..8).map(|i| casesynth::case(seed, i).server).collect::<Vec<_>>();
    assert_ne!(servers(3), servers(4), "another seed, other names");
}
