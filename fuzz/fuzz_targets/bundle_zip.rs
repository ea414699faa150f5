//! Fuzz target: a .zip bundle from arbitrary bytes, recognised and diagnosed end to end.
#![no_main]
use libfuzzer_sys::fuzz_target;
use owa440::bundle::{Bundle, ZipLimits};

fuzz_target!(|data: &[u8]| {
    let limits = ZipLimits { max_entries: 64, max_entry: 4 << 20, max_total: 16 << 20, max_ratio: 500 };
    if let Ok(bundle) = Bundle::from_zip_bytes("fuzz.zip", data, &limits) {
        let d = owa440::diagnosis::diagnose_bundle(&bundle);
        assert_eq!(d.findings.len(), 6);
    }
});
