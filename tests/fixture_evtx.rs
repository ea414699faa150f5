//! The .evtx fixtures (written by `examples/genevtx`) read in full: every record the file header counts, with
//! valid checksums, and the fields of each failed logon.

use evtx::{EvtxParser, ParserSettings};
use owa440::bundle::BundleFile;
use owa440::facts::events::LogonFailure;
use owa440::readers::events::evtx as evtx_reader;
use std::path::Path;

/// How many records the file says it holds: its next record id less the first chunk's first record id.
fn records_written(bytes: &[u8]) -> u64 {
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    u64_at(24) - u64_at(4096 + 24)
}

fn read(path: &str) -> owa440::readers::ReadOutput {
    let p = Path::new(path);
    let size = std::fs::metadata(p).expect("fixture").len();
    evtx_reader::read(&BundleFile::on_disk("security.evtx".into(), p.to_path_buf(), size))
}

#[test]
fn every_record_reads_with_valid_checksums() {
    for path in [
        "fixtures/evtx-only-logon-to/security.evtx",
        "fixtures/evtx-guests-network/security.evtx",
    ] {
        let bytes = std::fs::read(path).expect("fixture");
        let settings = ParserSettings::new().validate_checksums(true);
        let mut parser = EvtxParser::from_buffer(bytes.clone())
            .unwrap()
            .with_configuration(settings);
        assert!(parser.header().validate_checksum(), "{path}");
        let records: Vec<_> = parser.records().collect::<Result<_, _>>().expect(path);
        assert_eq!(records.len() as u64, records_written(&bytes), "{path}");
        assert_eq!(records.len(), 16, "{path}");
        for r in &records {
            assert!(
                r.data.contains("<Computer>CAS01.contoso.com</Computer>"),
                "{path}: {}",
                r.data
            );
            assert!(r
                .data
                .contains(&format!("<EventRecordID>{}</EventRecordID>", r.event_record_id)));
        }
    }
}

#[test]
fn logon_to_fixture_gives_each_failure_with_its_fields() {
    let out = read("fixtures/evtx-only-logon-to/security.evtx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let s = &out.facts.event_logs[0];
    assert_eq!((s.records, s.errors, s.logon_failures), (16, 0, 13));
    let (iusr, other): (Vec<&LogonFailure>, Vec<_>) = out
        .facts
        .logon_failures
        .iter()
        .map(|f| &f.value)
        .partition(|f| f.target_user == "IUSR_CAS01");
    assert_eq!((iusr.len(), other.len()), (12, 1));
    for f in iusr {
        assert_eq!(f.event_id, 4625);
        assert_eq!(f.target_domain, "CONTOSO");
        assert_eq!((f.status, f.sub_status), (Some(0xC000_006E), Some(0xC000_0070)));
        assert_eq!(f.logon_type, Some(8));
        assert_eq!((f.logon_process.as_str(), f.ip_address.as_str()), ("Advapi", "-"));
        assert_eq!(f.computer, "CAS01.contoso.com");
        assert!(f.time.starts_with("2010-03-02T09:"), "{}", f.time);
    }
    let f = other[0];
    assert_eq!(
        (f.target_domain.as_str(), f.target_user.as_str()),
        ("CONTOSO", "tjones")
    );
    assert_eq!((f.code(), f.logon_type), (Some(0xC000_006A), Some(3)));
    assert_eq!(f.ip_address, "10.1.4.57");
}

#[test]
fn guests_network_fixture_gives_logon_type_not_granted() {
    let out = read("fixtures/evtx-guests-network/security.evtx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let iusr: Vec<_> = out
        .facts
        .logon_failures
        .iter()
        .map(|f| &f.value)
        .filter(|f| f.target_user == "IUSR_CAS01")
        .collect();
    assert_eq!(iusr.len(), 12);
    for f in iusr {
        assert_eq!((f.status, f.sub_status), (Some(0xC000_015B), Some(0)));
        assert_eq!((f.code(), f.logon_type), (Some(0xC000_015B), Some(8)));
    }
}
