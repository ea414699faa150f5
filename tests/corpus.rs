//! The corpus of broken inputs: each file (or folder) under `tests/corpus/` is put in a bundle beside the good files
//! of `fixtures/guests-deny-logon-locally`, and `owa440 diagnose --format json` must give exactly what
//! `tests/corpus/NAME.expected` says: `inputs`, the `inputs[]` entries of its files (kind, encoding, located errors,
//! warnings, notes), and `verdicts`, every cause's verdict. The good files must be read cleanly and the causes they
//! speak to (the two Guests deny rights) keep the fixture's verdicts; a broken file that still gives evidence (a cut
//! event log's complete events) may move another cause, and its `verdicts` say so. `OWA440_BLESS=1 cargo test
//! --test corpus` rewrites the `.expected` files: review the diff.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::{diagnose_json, verdicts};

const FIXTURE: &str = "fixtures/guests-deny-logon-locally";
const GOOD: [&str; 2] = ["secpol.inf", "net-localgroup-guests.txt"];
/// The causes the good files speak to.
const GOOD_CAUSES: [&str; 2] = ["guests-deny-logon-locally", "guests-deny-network-access"];

/// Every case: a file or folder of `tests/corpus`, beside its `.expected`.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir("tests/corpus")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|x| x != "expected") && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    cases.sort();
    cases
}

fn copy_into(case: &Path, dir: &Path) {
    let name = case.file_name().unwrap();
    if case.is_dir() {
        for e in std::fs::read_dir(case).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    } else {
        std::fs::copy(case, dir.join(name)).unwrap();
    }
}

#[test]
fn every_broken_input_gives_its_exact_located_entry_and_the_good_files_their_findings() {
    let expected_verdicts = {
        let text = std::fs::read_to_string(Path::new(FIXTURE).join("expected.json")).unwrap();
        verdicts(&serde_json::from_str(&text).unwrap())
    };
    let bless = std::env::var_os("OWA440_BLESS").is_some();
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 9, "{cases:?}");
    for case in cases {
        let t = tempfile::tempdir().unwrap();
        for f in GOOD {
            std::fs::copy(Path::new(FIXTURE).join(f), t.path().join(f)).unwrap();
        }
        copy_into(&case, t.path());
        let (v, _) = diagnose_json(t.path());
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let mut good = 0;
        let entries: Vec<Value> = v["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                let is_good = GOOD.contains(&i["path"].as_str().unwrap());
                if is_good {
                    good += 1;
                    assert_eq!(i["error"], Value::Null, "{name}: a good file has an error: {i}");
                }
                !is_good
            })
            .cloned()
            .collect();
        assert_eq!(good, 2, "{name}: both good files listed");
        let got = serde_json::json!({
            "inputs": entries,
            "verdicts": verdicts(&v).into_iter().map(|(c, v)| (c, Value::String(v))).collect::<serde_json::Map<_, _>>(),
        });
        let expected_path = case.with_file_name(format!("{name}.expected"));
        if bless {
            std::fs::write(&expected_path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        } else {
            let expected: Value = std::fs::read_to_string(&expected_path)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(Value::Null);
            if got != expected {
                failures.push(format!(
                    "{name}: expected {}\ngot {}",
                    serde_json::to_string_pretty(&expected).unwrap(),
                    serde_json::to_string_pretty(&got).unwrap()
                ));
            }
        }
        for cause in GOOD_CAUSES {
            let wanted = expected_verdicts.iter().find(|(c, _)| c == cause);
            let found = verdicts(&v).into_iter().find(|(c, _)| c == cause);
            if wanted != found.as_ref() {
                failures.push(format!(
                    "{name}: the good files' finding changed: {found:?}, not {wanted:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_log_cut_in_two_reads_its_data_with_the_header_before() {
    let d = owa440::diagnosis::diagnose(Path::new("tests/corpus/w3c-header-apart")).unwrap();
    let log = d
        .facts
        .logs
        .iter()
        .find(|l| l.path == "u_ex090702.log")
        .expect("the data piece gives evidence");
    assert_eq!(log.records, 6);
    // Read with the first piece's fields: the status and the path are where that #Fields puts them.
    let seen: Vec<(&str, u64)> = log.signatures.iter().map(|s| (s.path, u64::from(s.status))).collect();
    assert_eq!(
        seen,
        vec![("/owa/auth", 200), ("/owa/auth", 302), ("/owa/<build>", 304)]
    );
}
