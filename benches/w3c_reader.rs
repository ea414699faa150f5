//! Micro-benchmarks of the W3C reader (divan): splitting one line, scanning a generated log held in memory with
//! and without the evidence tally, and the parallel scan of a file on disk.
//!
//! `cargo bench --bench w3c_reader`. The end-to-end comparison with `wc -l` and GoAccess is
//! `benches/logs_throughput.sh`.

use divan::counter::BytesCount;
use divan::Bencher;
use owa440::bundle::{BundleFile, Kind};
use owa440::logsynth::{generate, Config, Fault};
use owa440::readers::w3c::{self, fields, line::Splitter, record::Record, stream};
use std::sync::{Arc, OnceLock};

fn main() {
    divan::main();
}

/// An 8 MiB generated Exchange log (header blocks every 2 MiB, a 1326 fault from 70%).
fn log() -> &'static [u8] {
    static LOG: OnceLock<Vec<u8>> = OnceLock::new();
    LOG.get_or_init(|| {
        let mut v = Vec::new();
        let cfg = Config {
            size: 8 << 20,
            restart_every: 2 << 20,
            fault: Some(Fault::BadPassword),
            fault_from: 0.7,
            ..Config::default()
        };
        generate(&cfg, &mut v).expect("generate");
        v
    })
}

#[divan::bench]
fn split_one_line(b: Bencher) {
    let line = b"2024-05-01 10:11:12 W3SVC1 CAS01 10.0.0.5 POST /Microsoft-Server-ActiveSync/default.eas Cmd=Sync&User=user00042&DeviceId=Appl0000052B5A&DeviceType=iPhone 443 CONTOSO\\user00042 10.20.0.42 Mozilla/4.0+(compatible;+MSIE+8.0;+Windows+NT+6.1;+Trident/4.0;+SLCC2) 200 0 0 1234";
    let layout = Arc::new(fields::Layout::from_directive(
        b"date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken",
    ));
    let alternates = fields::defaults();
    let mut s = Splitter::default();
    b.counter(BytesCount::new(line.len())).bench_local(|| {
        let (l, _) = s.fit(divan::black_box(line), &layout, &alternates, false);
        divan::black_box(l.len())
    });
}

struct Count(u64);
impl stream::Visit for Count {
    fn record(&mut self, r: &Record<'_>) {
        self.0 += r.spans.len() as u64;
    }
}

/// Directives, splitting and fitting only: the scanner's own cost.
#[divan::bench]
fn scan_memory(b: Bencher) {
    let log = log();
    b.counter(BytesCount::new(log.len())).bench(|| {
        let mut s = stream::Scanner::default();
        let mut c = Count(0);
        stream::scan_reader(log, &mut s, &mut c).expect("scan");
        divan::black_box(c.0)
    });
}

/// Scanning and the evidence tally, one thread.
#[divan::bench]
fn evidence_memory(b: Bencher) {
    let log = log();
    b.counter(BytesCount::new(log.len())).bench(|| {
        let (stats, report) = w3c::evidence_of(log, "bench.log").expect("scan");
        divan::black_box((stats.finish().signatures.len(), report.records))
    });
}

/// The file reader as `owa440 logs` uses it: ranges read on every core.
#[divan::bench(sample_count = 20)]
fn evidence_file_parallel(b: Bencher) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("u_ex240501.log");
    std::fs::write(&path, log()).expect("write");
    let size = log().len() as u64;
    let file = BundleFile::on_disk("u_ex240501.log".into(), path, size);
    b.counter(BytesCount::new(size as usize)).bench(|| {
        let scan = w3c::scan_file_with(&file, Kind::W3cLog, 1 << 20, 0).expect("scan");
        divan::black_box(scan.report.records)
    });
}
