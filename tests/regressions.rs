//! Inputs that once crashed, hung or exhausted a reader (found by fuzzing), kept so they never do again. Each file
//! under `tests/regressions/` (named for the fuzz target that found it and what it triggered) goes through every
//! reader, through recognition and, as a .zip bundle, through the whole diagnosis; none may fail inside a reader, and
//! none may take long.

use owa440::bundle::{kind::recognise, Bundle, BundleFile, Kind, ZipLimits};
use std::time::{Duration, Instant};

/// What a debug build may spend on one kept input, every reader and the diagnosis together.
const SLOW: Duration = Duration::from_secs(20);

#[test]
fn every_kept_input_is_read_cleanly_by_every_reader() {
    let mut n = 0;
    for entry in std::fs::read_dir("tests/regressions").expect("tests/regressions") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let started = Instant::now();
        let _ = recognise(&bytes);
        for kind in Kind::ANALYSED {
            let out = owa440::readers::read(&BundleFile::in_memory("input".into(), bytes.clone()), kind);
            assert!(
                !out.errors.iter().any(|e| e.message.contains("reader failed")),
                "{} as {kind}: {:?}",
                path.display(),
                out.errors
            );
        }
        let limits = ZipLimits {
            max_entries: 64,
            max_entry: 4 << 20,
            max_total: 16 << 20,
            max_ratio: 500,
        };
        if let Ok(bundle) = Bundle::from_zip_bytes("input.zip", &bytes, &limits) {
            let d = owa440::diagnosis::diagnose_bundle(&bundle);
            assert!(!d.findings.is_empty(), "{}: no finding", path.display());
        }
        assert!(
            started.elapsed() < SLOW,
            "{} took {:?}",
            path.display(),
            started.elapsed()
        );
        n += 1;
    }
    assert!(n >= 2);
}
