//! Hostile and broken bundles: zip bombs, symbolic links, `..` names, many files, junk. The tool never crashes,
//! never follows a link out of the bundle, never writes anything, and keeps every good file's evidence.

use owa440::bundle::{Bundle, ZipLimits};
use std::io::Write;

mod common;
use common::{diagnose_json, input, verdict};

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn good_policy() -> Vec<u8> {
    std::fs::read("fixtures/guests-deny-logon-locally/secpol.inf").unwrap()
}

fn good_guests() -> Vec<u8> {
    std::fs::read("fixtures/guests-deny-logon-locally/net-localgroup-guests.txt").unwrap()
}

#[test]
fn a_zip_bomb_entry_is_refused_and_the_other_entries_are_analysed() {
    let t = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 64 << 20];
    let policy = good_policy();
    let guests = good_guests();
    let bytes = zip_with(&[("bomb.log", &zeros), ("secpol.inf", &policy), ("guests.txt", &guests)]);
    assert!(bytes.len() < 1 << 20, "the bomb is small on disk");
    std::fs::write(t.path().join("case.zip"), bytes).unwrap();
    let (v, code) = diagnose_json(t.path());
    assert_eq!(code, 1);
    let bomb = input(&v, "case.zip/bomb.log");
    assert_eq!(bomb["kind"], "unreadable");
    assert!(bomb["error"].as_str().unwrap().contains("compression ratio"), "{bomb}");
    assert_eq!(verdict(&v, "guests-deny-logon-locally"), "likely");
}

#[test]
fn zip_size_limits_give_clear_errors() {
    let t = tempfile::tempdir().unwrap();
    let big: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let policy = good_policy();
    std::fs::write(
        t.path().join("b.zip"),
        zip_with(&[("a.bin", &big), ("b.bin", &big), ("secpol.inf", &policy)]),
    )
    .unwrap();
    let limits = ZipLimits {
        max_entries: 100,
        max_entry: 4 << 20,
        max_total: 5 << 20,
        max_ratio: 500,
    };
    let b = Bundle::open_with(t.path(), &limits).unwrap();
    assert_eq!(b.files.len(), 1, "{:?}", b.skipped);
    assert!(
        b.skipped
            .iter()
            .any(|(p, why)| p == "b.zip/b.bin" && why.contains("limit")),
        "{:?}",
        b.skipped
    );
    let limits = ZipLimits {
        max_entries: 100,
        max_entry: 1 << 20,
        max_total: 64 << 20,
        max_ratio: 500,
    };
    let b = Bundle::open_with(t.path(), &limits).unwrap();
    assert!(
        b.skipped
            .iter()
            .any(|(p, why)| p == "b.zip/a.bin" && why.contains("MiB")),
        "{:?}",
        b.skipped
    );
}

#[test]
fn many_tiny_files_stop_at_the_entry_limit() {
    let t = tempfile::tempdir().unwrap();
    for i in 0..50 {
        std::fs::write(t.path().join(format!("f{i:03}.txt")), b"x").unwrap();
    }
    let limits = ZipLimits {
        max_entries: 20,
        ..ZipLimits::default()
    };
    let b = Bundle::open_with(t.path(), &limits).unwrap();
    assert_eq!(b.files.len(), 20);
    assert!(b.skipped.iter().any(|(_, why)| why.contains("more than 20 files")));
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed() {
    let t = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.inf"), good_policy()).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.inf"), t.path().join("policy.inf")).unwrap();
    std::os::unix::fs::symlink(outside.path(), t.path().join("elsewhere")).unwrap();
    std::fs::write(t.path().join("guests.txt"), good_guests()).unwrap();
    let (v, _) = diagnose_json(t.path());
    for link in ["policy.inf", "elsewhere"] {
        let i = input(&v, link);
        assert!(
            i["error"].as_str().unwrap().contains("symbolic link: not followed"),
            "{i}"
        );
    }
    assert_eq!(
        verdict(&v, "guests-deny-logon-locally"),
        "unknown",
        "the linked policy was not read"
    );
}

#[test]
fn dot_dot_names_in_a_zip_are_only_labels() {
    let t = tempfile::tempdir().unwrap();
    let case = t.path().join("case");
    std::fs::create_dir(&case).unwrap();
    let policy = good_policy();
    let guests = good_guests();
    std::fs::write(
        case.join("c.zip"),
        zip_with(&[("../../escape.inf", &policy), ("/abs/guests.txt", &guests)]),
    )
    .unwrap();
    let before: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    let (v, code) = diagnose_json(&case);
    assert_eq!(code, 1);
    assert_eq!(input(&v, "c.zip/../../escape.inf")["kind"], "secedit");
    assert_eq!(input(&v, "c.zip/abs/guests.txt")["kind"], "net-localgroup");
    let after: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before, after, "nothing is written from a bundle");
}

#[test]
fn junk_and_empty_files_beside_good_ones() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("secpol.inf"), good_policy()).unwrap();
    std::fs::write(t.path().join("guests.txt"), good_guests()).unwrap();
    std::fs::write(t.path().join("empty.inf"), b"").unwrap();
    std::fs::write(t.path().join("nul.txt"), vec![0u8; 5000]).unwrap();
    let junk: Vec<u8> = (0..20000u32).map(|i| (i.wrapping_mul(7919) % 251) as u8).collect();
    std::fs::write(t.path().join("junk.log"), junk).unwrap();
    std::fs::write(t.path().join("long-line.txt"), vec![b'A'; 8 << 20]).unwrap();
    let (v, code) = diagnose_json(t.path());
    assert_eq!(code, 1);
    for f in ["empty.inf", "nul.txt", "junk.log", "long-line.txt"] {
        assert_eq!(input(&v, f)["kind"], "not-recognised", "{f}");
    }
    assert_eq!(verdict(&v, "guests-deny-logon-locally"), "likely");
}

#[test]
fn a_truncated_utf16_policy_still_gives_its_rights() {
    let t = tempfile::tempdir().unwrap();
    let mut policy = good_policy();
    policy.truncate(policy.len() - 301); // odd length: cut mid code unit, [Version] lost
    std::fs::write(t.path().join("secpol.inf"), policy).unwrap();
    std::fs::write(t.path().join("guests.txt"), good_guests()).unwrap();
    let (v, _) = diagnose_json(t.path());
    assert_eq!(input(&v, "secpol.inf")["kind"], "secedit");
    assert_eq!(verdict(&v, "guests-deny-logon-locally"), "likely");
}
