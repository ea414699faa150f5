//! Fuzz target: recognition and decoding of arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = owa440::bundle::kind::recognise(data);
    let _ = owa440::bundle::decode::decode(data);
});
