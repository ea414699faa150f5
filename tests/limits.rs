//! The readers' limits on hostile input: XML nested 100,000 deep, billion laughs, a file over the size limit,
//! lines of 64 MB, a folder of 120,000 files. Each gives a located error (or warning) quickly, with bounded
//! memory, and the good files beside it keep their findings.

use assert_cmd::Command;
use owa440::bundle::Bundle;
use owa440::readers::{self, clixml, events, iis, xml_limits, Problem};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

mod common;
use common::{input, verdicts};

const FIXTURE: &str = "fixtures/guests-deny-logon-locally";
const TOO_DEEP: &str = "XML nested deeper than 256 elements: not read further";

/// A folder with the fixture's good files (a deny right on Guests, and IUSR a Guests member).
fn good_bundle() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    for f in ["secpol.inf", "net-localgroup-guests.txt"] {
        std::fs::copy(Path::new(FIXTURE).join(f), t.path().join(f)).unwrap();
    }
    t
}

/// Runs the binary, checks it took less than `within`, returns the JSON diagnosis.
fn diagnose(dir: &Path, within: Duration) -> Value {
    let started = Instant::now();
    let out = Command::cargo_bin("owa440")
        .unwrap()
        .args(["diagnose", dir.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(took < within, "took {took:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn fixture_verdicts() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(Path::new(FIXTURE).join("expected.json")).unwrap();
    verdicts(&serde_json::from_str(&text).unwrap())
}

fn deep(open: &str, n: usize) -> String {
    open.repeat(n)
}

#[test]
fn xml_nested_100k_deep_is_a_located_error_in_every_xml_reader() {
    let n = 100_000;
    // applicationHost.config: <configuration> is element 1, so the 257th open element is on line 257.
    let text = format!("<configuration>\n{}", deep("<a>\n", n));
    let out = iis::apphost::read(&text, "deep.config");
    assert_eq!(out.errors, vec![Problem::at(257, TOO_DEEP)]);
    assert!(out.facts.iis.is_empty());

    let text = format!(
        "<configuration xmlns=\"urn:microsoft-catalog:XML_Metabase_V64_0\">\n<MBProperty>\n{}",
        deep("<IIsWebVirtualDir Location=\"/LM/W3SVC/1/ROOT/x\">\n", n)
    );
    let out = iis::metabase::read(&text, "MetaBase.xml");
    assert_eq!(out.errors, vec![Problem::at(257, TOO_DEEP)]);

    let text = format!(
        "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n<Obj RefId=\"0\">\n<Props>\n<S N=\"Name\">\n{}",
        deep("<a>\n", n)
    );
    let doc = clixml::parse(&text);
    assert_eq!(doc.errors, vec![Problem::at(257, TOO_DEEP)]);
    // Objects nested inside objects stop at the CLIXML reader's own, lower, limit.
    let text = format!(
        "<Objs>\n<Obj RefId=\"0\"><Props>\n{}",
        deep("<Obj N=\"x\"><Props>\n", n)
    );
    let doc = clixml::parse(&text);
    assert_eq!(doc.errors.len(), 1);
    assert!(doc.errors[0].line.is_some(), "{:?}", doc.errors);

    let event = "<Event><System><EventID>4625</EventID><Computer>CAS01</Computer></System></Event>";
    let text = format!("{event}\n<Events>\n{}", deep("<Event>\n", n));
    let out = events::xml::read(&text, "security.xml");
    assert_eq!(
        out.errors[0],
        Problem::at(258, format!("not readable as event XML: {TOO_DEEP}"))
    );
    assert!(out.errors.len() <= events::MAX_ERRORS_LISTED);
    assert_eq!(out.facts.event_logs[0].records, 1, "the event before the nest is kept");
}

#[test]
fn a_deep_config_beside_good_files_in_a_bundle() {
    let t = good_bundle();
    let text = format!(
        "<?xml version=\"1.0\"?>\n<configuration>\n<system.webServer>\n{}",
        deep("<a>", 100_000)
    );
    std::fs::write(t.path().join("applicationHost.config"), text).unwrap();
    let v = diagnose(t.path(), Duration::from_secs(20));
    assert_eq!(
        input(&v, "applicationHost.config")["error"],
        format!("applicationHost.config line 4: {TOO_DEEP}")
    );
    assert_eq!(verdicts(&v), fixture_verdicts());
}

const LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE configuration [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"#;

#[test]
fn billion_laughs_is_never_expanded() {
    let started = Instant::now();
    // applicationHost.config: the DOCTYPE is a warning, the entity is kept as written, the rest is read.
    let text = format!(
        "{LAUGHS}<configuration>\n<system.applicationHost>\n<sites>\n<site name=\"&lol9;\" id=\"1\" />\n</sites>\n</system.applicationHost>\n</configuration>\n"
    );
    let out = iis::apphost::read(&text, "applicationHost.config");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.warnings[0], Problem::at(2, xml_limits::DOCTYPE_WARNING));
    assert_eq!(out.warnings[1].line, Some(17));
    assert!(out.warnings[1].message.contains("never expanded"), "{:?}", out.warnings);
    assert_eq!(out.facts.iis[0].sites[0].name, "&lol9;");

    // Event XML: the data keeps the entity as written.
    let text = format!(
        "{LAUGHS}<Events><Event><System><EventID>4625</EventID></System><EventData><Data Name=\"TargetUserName\">&lol9;</Data><Data Name=\"Status\">0xc000006d</Data><Data Name=\"SubStatus\">0xc0000070</Data><Data Name=\"LogonType\">8</Data></EventData></Event></Events>\n"
    );
    let out = events::xml::read(&text, "security.xml");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.facts.logon_failures[0].value.target_user, "&lol9;");

    // CLIXML: an unknown entity in a value is a located error; the objects before it are kept.
    let text = format!(
        "{LAUGHS}<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n<Obj RefId=\"0\"><Props><S N=\"Name\">owa</S></Props></Obj>\n<Obj RefId=\"1\"><Props><S N=\"Name\">&lol9;</S></Props></Obj>\n</Objs>"
    );
    let doc = clixml::parse(&text);
    assert_eq!(doc.values.len(), 1);
    assert_eq!(
        doc.errors,
        vec![Problem::at(
            16,
            "an entity that is not one of XML's own (entities are never expanded)"
        )]
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let t = good_bundle();
    let path = t.path().join("applicationHost.config");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"<?xml version=\"1.0\"?>\n<configuration>\n<system.applicationHost>\n<sites>\n")
        .unwrap();
    f.write_all(" ".repeat(owa440::bundle::kind::SNIFF_BYTES).as_bytes())
        .unwrap();
    // Sparse beyond what recognition looks at: nothing more is written to disk, and nothing of it is read.
    f.set_len(readers::MAX_TEXT_BYTES + 1).unwrap();
    drop(f);
    let v = diagnose(t.path(), Duration::from_secs(10));
    let i = input(&v, "applicationHost.config");
    assert_eq!(i["kind"], "iis7-applicationhost");
    assert_eq!(
        i["error"],
        "applicationHost.config: larger than 256 MiB, the most read of a configuration file or text export: not read"
    );
    assert_eq!(verdicts(&v), fixture_verdicts());
}

/// `text` with `line` inserted as line `at` (1-based), lines ending in CRLF.
fn with_line(text: &str, at: usize, line: &str) -> String {
    let mut lines: Vec<&str> = text.split("\r\n").collect();
    lines.insert(at - 1, line);
    lines.join("\r\n")
}

#[test]
fn lines_of_64_mb_are_skipped_located_and_the_rest_is_read() {
    let t = tempfile::tempdir().unwrap();
    let huge = "X".repeat(64 << 20);
    // The UTF-16LE policy (BOM, then CRLF lines) with the line inserted as line 6, built as bytes.
    let policy = std::fs::read(Path::new(FIXTURE).join("secpol.inf")).unwrap();
    let crlf = [b'\r', 0, b'\n', 0];
    let mut cut = 2;
    for _ in 0..5 {
        cut += policy[cut..].windows(4).position(|w| w == crlf).unwrap() + 4;
    }
    let mut bytes = policy[..cut].to_vec();
    bytes.extend(huge.bytes().flat_map(|b| [b, 0]));
    bytes.extend(crlf);
    bytes.extend(&policy[cut..]);
    std::fs::write(t.path().join("secpol.inf"), bytes).unwrap();
    let guests = std::fs::read_to_string(Path::new(FIXTURE).join("net-localgroup-guests.txt")).unwrap();
    std::fs::write(t.path().join("guests.txt"), with_line(&guests, 5, &huge)).unwrap();
    // A log on disk (scanned in place, memory-mapped) with a 64 MB line among its requests.
    std::fs::write(t.path().join("ex080520.log"), log_with_line(&huge)).unwrap();
    let v = diagnose(t.path(), Duration::from_secs(60));
    let limit = "over the 1 MiB limit of a line: skipped";
    assert_eq!(
        input(&v, "secpol.inf")["error"],
        format!("secpol.inf line 6: a line of 67108864 bytes, {limit}")
    );
    assert_eq!(
        input(&v, "guests.txt")["error"],
        format!("guests.txt line 5: a line of 67108864 bytes, {limit}")
    );
    let log = input(&v, "ex080520.log");
    assert_eq!(log["warnings"][0]["line"], 7, "{log}");
    assert!(log["warnings"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("3 fields where the #Fields in force lists 16"));
    assert_eq!(log["notes"][0], "27 requests read", "every request of the log: {log}");
    // The rights and the membership give the fixture's verdict; the log's logon failures are a symptom.
    let found = verdicts(&v);
    assert!(
        found.contains(&("guests-deny-logon-locally".into(), "likely".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("guests-deny-network-access".into(), "likely".into())),
        "{found:?}"
    );
}

/// The fixture log with `line` (after a date and time) inserted as line 7.
fn log_with_line(line: &str) -> String {
    let log = std::fs::read_to_string("fixtures/logs-guests-deny-network-confirmed/ex080520.log").unwrap();
    let mut lines: Vec<String> = log.lines().map(str::to_string).collect();
    lines.insert(6, format!("2008-05-20 10:00:00 {line}"));
    lines.join("\n")
}

#[test]
fn a_compressed_log_line_over_16_mib_is_cut_and_the_rest_is_read() {
    let t = tempfile::tempdir().unwrap();
    // A gzipped log is streamed through a bounded buffer: a line over the W3C reader's limit is cut.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    gz.write_all(log_with_line(&"Z".repeat(17 << 20)).as_bytes()).unwrap();
    std::fs::write(t.path().join("ex080520.log.gz"), gz.finish().unwrap()).unwrap();
    let v = diagnose(t.path(), Duration::from_secs(60));
    let log = input(&v, "ex080520.log.gz");
    assert_eq!(
        log["warnings"][1],
        serde_json::json!({"line": 7, "message": "longer than 16 MiB: cut"})
    );
    assert_eq!(log["notes"][0], "27 requests read", "{log}");
}

#[test]
fn a_folder_of_120k_files_stops_at_the_limit_quickly() {
    let t = tempfile::tempdir().unwrap();
    for i in 0..120_000u32 {
        std::fs::File::create(t.path().join(format!("{i:06}.txt"))).unwrap();
    }
    let started = Instant::now();
    let b = Bundle::open(t.path()).unwrap();
    let opened = started.elapsed();
    assert_eq!(b.files.len(), 100_000);
    assert_eq!(b.files[0].path, "000000.txt");
    assert_eq!(b.files[99_999].path, "099999.txt", "the first 100,000 in sorted order");
    assert_eq!(
        b.skipped,
        vec![(
            "100000.txt".to_string(),
            "more than 100000 files: the rest not read".to_string()
        )]
    );
    assert!(opened < Duration::from_secs(10), "walk took {opened:?}");
    let d = owa440::diagnosis::diagnose_bundle(&b);
    assert_eq!(d.inputs.len(), 100_001);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_panic_in_a_reader_is_that_files_error_only() {
    let out = readers::guarded(owa440::bundle::Kind::Secedit, || panic!("index out of bounds"));
    assert_eq!(
        out.errors,
        vec![Problem::file(
            "the secedit reader failed on this file (index out of bounds); the rest of the bundle is analysed without it"
        )]
    );
    // The next file on the same thread is read as usual.
    let policy = std::fs::read(Path::new(FIXTURE).join("secpol.inf")).unwrap();
    let file = owa440::bundle::BundleFile::in_memory("secpol.inf".into(), policy);
    let out = readers::read(&file, owa440::bundle::Kind::Secedit);
    assert!(out.errors.is_empty() && !out.facts.is_empty());
}

#[test]
fn a_zip_of_more_entries_than_the_limit_is_read_up_to_it_without_its_directory() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for i in 0..3000 {
            z.start_file(format!("f{i:04}.txt"), opts).unwrap();
        }
        z.finish().unwrap();
    }
    let limits = owa440::bundle::ZipLimits {
        max_entries: 1000,
        ..owa440::bundle::ZipLimits::default()
    };
    let b = Bundle::from_zip_bytes("case.zip", buf.get_ref(), &limits).unwrap();
    assert_eq!(
        b.skipped[0],
        (
            "case.zip".to_string(),
            "a zip of 3000 entries, more than the 1000 files a bundle may hold: its first entries are read from their local headers, up to the limit".to_string()
        )
    );
    assert_eq!(b.files.len(), 999);
    assert_eq!(b.files[0].path, "f0000.txt");
    assert_eq!(
        b.skipped[1],
        ("…".to_string(), "more than 1000 files: the rest not read".to_string())
    );
}
