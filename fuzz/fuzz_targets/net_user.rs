//! Fuzz target: the NetUser reader on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use owa440::bundle::{BundleFile, Kind};

fuzz_target!(|data: &[u8]| {
    let out = owa440::readers::read(&BundleFile::in_memory("input".into(), data.to_vec()), Kind::NetUser);
    assert!(!out.errors.iter().any(|e| e.message.contains("reader failed")), "{:?}", out.errors);
});
