//! Where the line ends and the spaces of 64 bytes are, as two bit masks (bit `i` set: byte `i` is one).
//!
//! On x86_64 the bytes are compared sixteen at a time (SSE2, which every x86_64 processor has); elsewhere eight
//! at a time in a word ([`zero_bytes`]).

/// The newline and space masks of `block`.
#[inline(always)]
pub fn masks(block: &[u8; 64]) -> (u64, u64) {
    imp::masks(block)
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};

    #[inline(always)]
    pub fn masks(block: &[u8; 64]) -> (u64, u64) {
        let (mut n, mut s) = (0u64, 0u64);
        // SAFETY: SSE2 is part of every x86_64 target; each load reads the 16 bytes of `part`, unaligned.
        unsafe {
            let nl = _mm_set1_epi8(b'\n' as i8);
            let sp = _mm_set1_epi8(b' ' as i8);
            for (i, part) in block.chunks_exact(16).enumerate() {
                let v = _mm_loadu_si128(part.as_ptr().cast::<__m128i>());
                n |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)) as u16 as u64) << (16 * i);
                s |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp)) as u16 as u64) << (16 * i);
            }
        }
        (n, s)
    }
}

#[cfg(not(target_arch = "x86_64"))]
use portable as imp;

/// Eight bytes at a time in a word: every target but x86_64 (and the tests, which compare it with SSE2's).
#[cfg(any(not(target_arch = "x86_64"), test))]
mod portable {
    use super::super::line::{splat, zero_bytes};

    /// The high bit of each byte of `z` gathered into the low eight bits.
    #[inline(always)]
    fn gather(z: u64) -> u64 {
        ((z >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
    }

    #[inline(always)]
    pub fn masks(block: &[u8; 64]) -> (u64, u64) {
        let (mut n, mut s) = (0u64, 0u64);
        for (i, word) in block.chunks_exact(8).enumerate() {
            let w = u64::from_le_bytes([word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7]]);
            n |= gather(zero_bytes(w ^ splat(b'\n'))) << (8 * i);
            s |= gather(zero_bytes(w ^ splat(b' '))) << (8 * i);
        }
        (n, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_newline_and_space_and_nothing_else() {
        let mut block = [b'a'; 64];
        for (i, b) in block.iter_mut().enumerate() {
            *b = match i % 7 {
                0 => b' ',
                3 => b'\n',
                5 => 0xA0,
                6 => b'\r',
                _ => i as u8,
            };
        }
        for (n, s) in [masks(&block), portable::masks(&block)] {
            for (i, &b) in block.iter().enumerate() {
                assert_eq!(n >> i & 1 == 1, b == b'\n', "byte {i}");
                assert_eq!(s >> i & 1 == 1, b == b' ', "byte {i}");
            }
        }
    }

    #[test]
    fn the_portable_masks_equal_the_simd_ones_on_every_byte_value() {
        for v in 0..=255u8 {
            let mut block = [v; 64];
            for (i, b) in block.iter_mut().enumerate().step_by(3) {
                *b = [b'\n', b' ', 0, 0x80 | v, v.wrapping_add(1)][i % 5];
            }
            assert_eq!(masks(&block), portable::masks(&block), "value {v}");
        }
    }
}
