//! Hashing for the tallies' small keys: Fx (the hash of rustc), since log content cannot choose its way into a slow
//! path that matters here, and SipHash was a tenth of the scan time.

use rustc_hash::FxHasher;
use std::hash::{BuildHasherDefault, Hasher};

pub type Fx = BuildHasherDefault<FxHasher>;

/// The case-insensitive hash of a user name or client IP, for distinct counts.
#[inline]
pub fn id_hash(v: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    for chunk in v.chunks(8) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        h.write_u64(u64::from_le_bytes(b) | 0x2020_2020_2020_2020 & ascii_letters(&b));
    }
    h.write_usize(v.len());
    h.finish()
}

/// 0x20 in each byte of `b` that is an ASCII letter (so that OR-ing it lower-cases the letters only).
#[inline]
fn ascii_letters(b: &[u8; 8]) -> u64 {
    let mut m = 0u64;
    for (i, c) in b.iter().enumerate() {
        if c.is_ascii_alphabetic() {
            m |= 0x20 << (8 * i);
        }
    }
    m
}
