//! `owa440 batch` and `owa440 merge` on copies of the fixture bundles.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn owa440() -> Command {
    Command::cargo_bin("owa440").expect("binary")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// A batch folder with four good cases, a zip case, a garbage zip and an empty folder.
fn cases() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("cases");
    for name in [
        "healthy",
        "guests-deny-logon-locally",
        "guests-deny-network-access",
        "guest-account-only",
    ] {
        copy_dir(&Path::new("fixtures").join(name), &dir.join(name));
    }
    std::fs::copy("fixtures/zipped/CAS01-bundle.zip", dir.join("case-77.zip")).unwrap();
    std::fs::write(dir.join("broken.zip"), b"PK\x03\x04 this is not really a zip").unwrap();
    std::fs::create_dir_all(dir.join("empty-case")).unwrap();
    std::fs::write(dir.join("notes.txt"), b"not a case: a file that is not a zip").unwrap();
    (t, dir)
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

#[test]
fn every_case_gets_a_line_and_bad_cases_do_not_stop_the_batch() {
    let (t, dir) = cases();
    let out = t.path().join("results.jsonl");
    let run = owa440()
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
    assert_eq!(run.status.code(), Some(1), "a failed case makes the batch exit 1");
    let recs = lines(&out);
    let ids: std::collections::BTreeSet<&str> = recs.iter().map(|r| r["case"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert!(!ids.contains("notes.txt"));
    let zip = recs.iter().find(|r| r["case"] == "case-77.zip").unwrap();
    assert_eq!(zip["schema"], "owa440.diagnosis/1");
    assert!(zip["duration_ms"].is_u64());
    let f = zip["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["cause"] == "guests-deny-network-access")
        .unwrap();
    assert_eq!(f["verdict"], "likely");
    for bad in ["broken.zip", "empty-case"] {
        let r = recs.iter().find(|r| r["case"] == bad).unwrap();
        assert!(r["error"].is_string(), "{bad}: {r}");
    }
    let summary = String::from_utf8(run.stdout).unwrap();
    assert!(summary.contains("7 case(s): 5 analysed, 2 failed"), "{summary}");
    assert!(summary.contains("guests-deny-logon-locally"));
}

#[test]
fn resume_skips_cases_already_written_and_mends_a_half_written_line() {
    let (t, dir) = cases();
    let out = t.path().join("results.jsonl");
    let first = owa440()
        .args(["diagnose", "fixtures/healthy", "--format", "json"])
        .output()
        .unwrap();
    let mut v: Value = serde_json::from_slice(&first.stdout).unwrap();
    v.as_object_mut().unwrap().insert("case".into(), "healthy".into());
    let kept = serde_json::to_string(&v).unwrap();
    std::fs::write(&out, format!("{kept}\n{{\"case\": \"guests-deny-lo")).unwrap();
    let run = owa440()
        .args([
            "batch",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--resume",
        ])
        .output()
        .unwrap();
    let summary = String::from_utf8(run.stdout).unwrap();
    assert!(summary.contains("1 resumed from the results file"), "{summary}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with(&kept), "the resumed line is untouched");
    let recs = lines(&out);
    assert_eq!(recs.len(), 7);
    assert_eq!(recs.iter().filter(|r| r["case"] == "healthy").count(), 1);
}

#[test]
fn shards_partition_the_cases_and_merge_joins_them() {
    let (t, dir) = cases();
    let mut all = Vec::new();
    let mut files = Vec::new();
    for k in 1..=3 {
        let out = t.path().join(format!("results-{k}.jsonl"));
        owa440()
            .args([
                "batch",
                dir.to_str().unwrap(),
                "--shard",
                &format!("{k}/3"),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        all.extend(lines(&out).into_iter().map(|r| r["case"].as_str().unwrap().to_string()));
        files.push(out);
    }
    all.sort();
    let mut dedup = all.clone();
    dedup.dedup();
    assert_eq!(all, dedup, "no case in two shards");
    assert_eq!(all.len(), 7, "every case in one shard");
    let merged = owa440().arg("merge").args(&files).output().unwrap();
    let text = String::from_utf8(merged.stdout).unwrap();
    assert!(text.contains("7 case(s): 5 analysed, 2 failed"), "{text}");
    assert_eq!(merged.status.code(), Some(1));
    assert_eq!(
        owa440()
            .args(["batch", dir.to_str().unwrap(), "--shard", "4/3"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn expect_mode_fails_on_a_changed_diagnosis() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("cases");
    copy_dir(Path::new("fixtures/healthy"), &dir.join("healthy"));
    copy_dir(Path::new("fixtures/guests-deny-logon-locally"), &dir.join("deny-local"));
    let ok = owa440()
        .args(["batch", dir.to_str().unwrap(), "--expect"])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    // The customer's policy changes: the expectation no longer holds.
    let pol = dir.join("deny-local/secpol.inf");
    let text: Vec<u16> = std::fs::read(&pol).unwrap()[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let fixed = String::from_utf16(&text).unwrap().replace(
        "SeDenyInteractiveLogonRight = *S-1-5-32-546,",
        "SeDenyInteractiveLogonRight = ",
    );
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(fixed.encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(&pol, bytes).unwrap();
    let bad = owa440()
        .args(["batch", dir.to_str().unwrap(), "--expect"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let text = String::from_utf8(bad.stdout).unwrap();
    assert!(text.contains("FAIL: findings[4].verdict"), "{text}");
}

#[test]
fn a_case_list_file_names_the_cases() {
    let t = tempfile::tempdir().unwrap();
    let list = t.path().join("cases.txt");
    let root = std::env::current_dir().unwrap();
    std::fs::write(
        &list,
        format!(
            "# weekly sweep\n{}\n\n{}\n",
            root.join("fixtures/healthy").display(),
            root.join("fixtures/zipped").display()
        ),
    )
    .unwrap();
    let out = t.path().join("r.jsonl");
    let run = owa440()
        .args([
            "batch",
            "--cases",
            list.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(lines(&out).len(), 2);
}
