//! Inputs that once crashed a reader (found by fuzzing), kept so they never do again. Each file under
//! `tests/regressions/` goes through every reader and through recognition; none may fail inside a reader.

use owa440::bundle::{kind::recognise, BundleFile, Kind};

#[test]
fn every_kept_crash_input_is_read_cleanly_by_every_reader() {
    let mut n = 0;
    for entry in std::fs::read_dir("tests/regressions").expect("tests/regressions") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
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
        n += 1;
    }
    assert!(n >= 1);
}
