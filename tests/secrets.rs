//! No output of owa440 ever shows a secret of its inputs. Every command in every format — `diagnose` (table, json,
//! markdown), `logs` (table, json), `parse` (json, jsonl) of every file, `batch` (its summary and its `--out` JSON
//! lines), `merge` of those lines and `rules` — runs over every fixture bundle holding a secret and over two built
//! cases holding plain passwords (a metabase, adsutil.vbs output, an applicationHost.config, passwords in log
//! queries), also zipped. Each output is searched for every password value, encrypted blob and `*Pass*` value of
//! the inputs, and for 24-character pieces of the long ones, so a cut value is caught too.

mod common;
#[path = "secrets/finder.rs"]
mod finder;
#[path = "secrets/synthetic.rs"]
mod synthetic;

use assert_cmd::Command;
use finder::{files, fixture_dirs, secrets, shown, text};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs owa440; its stdout and stderr together.
fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("owa440")
        .expect("binary")
        .args(args)
        .output()
        .expect("run owa440");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// What each command prints about one bundle (a folder or a .zip): `diagnose` in every format, `logs` in every
/// format, and `parse` in both formats for every file of a folder.
fn outputs(bundle: &Path) -> Vec<(String, String)> {
    let b = bundle.to_string_lossy().into_owned();
    let mut out = Vec::new();
    for format in ["table", "json", "markdown"] {
        out.push((
            format!("diagnose --format {format}"),
            run(&["diagnose", &b, "--format", format, "--color", "never"]),
        ));
    }
    for format in ["table", "json"] {
        out.push((
            format!("logs --format {format}"),
            run(&["logs", &b, "--format", format, "--color", "never"]),
        ));
    }
    if bundle.is_dir() {
        for f in files(bundle) {
            let p = f.to_string_lossy().into_owned();
            for format in ["json", "jsonl"] {
                out.push((
                    format!("parse --format {format} {p}"),
                    run(&["parse", &p, "--format", format]),
                ));
            }
        }
    }
    out
}

/// Fails when an output is empty or shows a secret; returns how many outputs were searched.
fn assert_none_shown(what: &str, outs: &[(String, String)], found: &[String]) -> usize {
    for (command, out) in outs {
        assert!(!out.is_empty(), "{what}: {command} printed nothing");
        if let Some(s) = shown(out, found) {
            let head: String = s.chars().take(6).collect();
            panic!("{what}: {command} shows a secret of the inputs ({head}...)");
        }
    }
    outs.len()
}

/// The secrets held by the files of a bundle folder or .zip.
fn secrets_of(bundle: &Path) -> Vec<String> {
    let inputs = if bundle.is_dir() {
        files(bundle)
    } else {
        vec![bundle.to_path_buf()]
    };
    inputs.iter().flat_map(|f| secrets(&text(f))).collect()
}

fn fixtures_with_secrets() -> Vec<PathBuf> {
    fixture_dirs()
        .into_iter()
        .filter(|d| !secrets_of(d).is_empty())
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// A .zip of a folder's files, named as in the folder.
fn zip_dir(dir: &Path, to: &Path) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(to).expect("create zip"));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for f in files(dir) {
        let name = f
            .strip_prefix(dir)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        z.start_file(name, opts).expect("zip entry");
        z.write_all(&std::fs::read(&f).expect("read")).expect("zip write");
    }
    z.finish().expect("zip finish");
}

/// The two built cases under `dir`, and a .zip of the IIS 6 one.
fn built_cases(dir: &Path) -> Vec<PathBuf> {
    let (six, seven, zipped) = (
        dir.join("built-iis6"),
        dir.join("built-iis7"),
        dir.join("built-iis6.zip"),
    );
    synthetic::iis6(&six);
    synthetic::iis7(&seven);
    zip_dir(&six, &zipped);
    vec![six, seven, zipped]
}

#[test]
fn no_command_shows_a_secret_of_any_fixture() {
    let mut checked = 0;
    let dirs = fixtures_with_secrets();
    for dir in &dirs {
        checked += assert_none_shown(&dir.to_string_lossy(), &outputs(dir), &secrets_of(dir));
    }
    // The IIS fixtures hold AnonymousUserPass / WAMUserPass blobs, a SessionKey and IIS 7 passwords.
    assert!(dirs.len() >= 8, "only {} fixtures hold secrets", dirs.len());
    assert!(checked >= 100, "only {checked} outputs checked");
}

#[test]
fn no_command_shows_a_plain_password_of_the_built_cases() {
    let t = tempfile::tempdir().expect("tempdir");
    let cases = built_cases(t.path());
    let all: String = cases.iter().flat_map(|c| files(c)).map(|f| text(&f)).collect();
    assert!(
        synthetic::PLAIN.iter().all(|p| all.contains(p)),
        "a built password is missing"
    );
    for case in &cases {
        let found = secrets_of(case);
        let held = if case.is_dir() {
            files(case).iter().map(|f| text(f)).collect()
        } else {
            text(case)
        };
        for plain in synthetic::PLAIN.iter().filter(|p| held.contains(*p)) {
            assert!(
                found.iter().any(|s| s == plain),
                "the finder misses {plain} in {}",
                case.display()
            );
        }
        assert_none_shown(&case.to_string_lossy(), &outputs(case), &found);
    }
    // The logs were read (the passwords in their queries reached the readers) and the IIS 6 case was diagnosed.
    let logs = run(&["logs", &cases[0].to_string_lossy(), "--format", "json"]);
    assert!(logs.contains("owaauth.dll"), "logs read nothing: {logs}");
    let diagnosis = run(&["diagnose", &cases[0].to_string_lossy(), "--format", "json"]);
    assert!(
        diagnosis.contains("MetaBase.xml"),
        "the metabase was not read: {diagnosis}"
    );
    // No reader takes adsutil.vbs output: `parse` says so, and shows none of it.
    let ads = cases[0].join("adsutil_enum_w3svc.txt");
    let parsed = run(&["parse", &ads.to_string_lossy()]);
    assert!(parsed.contains("not-recognised"), "{parsed}");
    assert!(
        !parsed.contains("AnonymousUserPass") && !parsed.contains("(STRING)"),
        "{parsed}"
    );
}

#[test]
fn batch_merge_and_rules_show_no_secret() {
    let t = tempfile::tempdir().expect("tempdir");
    let dir = t.path().join("cases");
    for fixture in fixtures_with_secrets() {
        let name = fixture.file_name().expect("name").to_os_string();
        copy_dir(&fixture, &dir.join(name));
    }
    built_cases(&dir);
    let found: Vec<String> = std::fs::read_dir(&dir)
        .expect("cases")
        .flatten()
        .flat_map(|e| secrets_of(&e.path()))
        .collect();
    assert!(
        found.iter().any(|s| s == "ads-anon-Zq81xR") && found.len() >= 20,
        "{} secrets",
        found.len()
    );

    let results = t.path().join("results.jsonl");
    let (d, r) = (
        dir.to_string_lossy().into_owned(),
        results.to_string_lossy().into_owned(),
    );
    let mut outs = vec![(
        "batch".to_string(),
        run(&["batch", &d, "--out", &r, "-j", "1", "--color", "never"]),
    )];
    let lines = std::fs::read_to_string(&results).expect("batch --out");
    assert!(lines.lines().count() >= 10, "{lines}");
    outs.push(("batch --out".into(), lines));
    outs.push(("merge".into(), run(&["merge", &r, "--color", "never"])));
    for format in ["table", "json"] {
        outs.push((format!("rules --format {format}"), run(&["rules", "--format", format])));
    }
    assert_none_shown("batch of the fixtures holding secrets", &outs, &found);
}

#[test]
fn the_secret_finder_finds_what_the_fixtures_hide() {
    let mb = "<IIsWebService\tLocation =\"/LM/W3SVC\"\r\n\t\tAnonymousUserPass=\"4963446270000000aabbccddeeff00112233\"\r\n\t\tWAMUserPass=\"plain-text-pw\"\r\n\t>\r\n\t<Custom\r\n\t\tName=\"X\"\r\n\t\tValue=\"topsecret1\"\r\n\t\tAttributes=\"INHERIT | SECURE\"\r\n\t/>";
    let s = secrets(mb);
    assert!(s.contains(&"4963446270000000aabbccddeeff00112233".to_string()));
    assert!(s.contains(&"plain-text-pw".to_string()));
    assert!(s.contains(&"topsecret1".to_string()));
    let ah = r#"<anonymousAuthentication enabled="true" userName="C\u" password="[enc:AesProvider:abc=:enc]" />"#;
    assert_eq!(secrets(ah), ["[enc:AesProvider:abc=:enc]"]);
    let ads = "AnonymousUserName               : (STRING) \"IUSR_X\"\r\nWAMUserPass                     : (STRING) \"wam-pw-1\"\r\n";
    assert_eq!(secrets(ads), ["wam-pw-1"]);
    let log = "2008-04-02 06:00:09 W3SVC1 POST /owa/auth/owaauth.dll user=d&Password=hunter22&x=1 443 - 10.3.0.5";
    assert_eq!(secrets(log), ["hunter22"]);
    let policy = "MinimumPasswordAge = 1\r\nPasswordComplexity = 1\r\n";
    assert!(secrets(policy).is_empty());
}
