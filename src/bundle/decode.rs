//! Text decoding: by BOM (UTF-16LE/BE, UTF-8), else UTF-16 recognised by its NUL bytes, else UTF-8, else
//! Windows-1252 (what a western-European Windows server writes).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// Decoded text and the encoding it was decoded from.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
    /// True when some bytes were not valid in that encoding and were replaced.
    pub replaced: bool,
}

/// Decodes `bytes` to text (see the module comment for the order).
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let (enc, body): (&'static Encoding, &[u8]) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => (sniff_utf16(bytes).unwrap_or(UTF_8), bytes),
    };
    if enc == UTF_8 {
        if let Ok(s) = std::str::from_utf8(body) {
            return Decoded {
                text: Cow::Borrowed(s),
                encoding: "utf-8",
                replaced: false,
            };
        }
        // Not UTF-8: unless it is almost UTF-8 (a truncated multibyte sequence at the end), it is Windows-1252.
        if !almost_utf8(body) {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(body);
            return Decoded {
                text,
                encoding: "windows-1252",
                replaced: false,
            };
        }
    }
    let (text, replaced) = enc.decode_without_bom_handling(body);
    Decoded {
        text,
        encoding: name(enc),
        replaced,
    }
}

fn name(enc: &'static Encoding) -> &'static str {
    if enc == UTF_16LE {
        "utf-16le"
    } else if enc == UTF_16BE {
        "utf-16be"
    } else if enc == UTF_8 {
        "utf-8"
    } else {
        "windows-1252"
    }
}

/// UTF-16 without a BOM: text where most even (BE) or odd (LE) bytes are NUL.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let odd_nul = sample.chunks_exact(2).filter(|c| c[1] == 0 && c[0] != 0).count();
    let even_nul = sample.chunks_exact(2).filter(|c| c[0] == 0 && c[1] != 0).count();
    if odd_nul * 10 >= pairs * 7 {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 7 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Valid UTF-8 except for a few bad sequences (at most one per 1,000 bytes): decode it as UTF-8 with replacement.
fn almost_utf8(bytes: &[u8]) -> bool {
    let mut bad = 0usize;
    let mut rest = bytes;
    let mut multibyte = false;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multibyte |= !s.is_ascii();
                break;
            }
            Err(e) => {
                multibyte |= !std::str::from_utf8(&rest[..e.valid_up_to()])
                    .map(str::is_ascii)
                    .unwrap_or(true);
                bad += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to()).max(1);
                rest = &rest[skip.min(rest.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    multibyte && bad * 1000 <= bytes.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFF, 0xFE] } else { vec![] };
        v.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        v
    }

    #[test]
    fn utf16le_with_and_without_bom() {
        let bytes = utf16le("[Unicode]\r\nUnicode=yes\r\n", true);
        let d = decode(&bytes);
        assert_eq!(d.encoding, "utf-16le");
        assert!(d.text.starts_with("[Unicode]"));
        let bytes = utf16le("[Unicode]\r\nUnicode=yes\r\n", false);
        let d = decode(&bytes);
        assert_eq!(d.encoding, "utf-16le");
        assert!(d.text.starts_with("[Unicode]"));
    }

    #[test]
    fn utf16be_bom() {
        let mut v = vec![0xFE, 0xFF];
        v.extend("Alias name".encode_utf16().flat_map(|u| u.to_be_bytes()));
        let d = decode(&v);
        assert_eq!((d.encoding, d.text.as_ref()), ("utf-16be", "Alias name"));
    }

    #[test]
    fn utf8_bom_is_removed() {
        let d = decode(b"\xEF\xBB\xBFUser name  x");
        assert_eq!((d.encoding, d.text.as_ref()), ("utf-8", "User name  x"));
    }

    #[test]
    fn windows_1252_when_not_utf8() {
        let d = decode(b"Full Name   Jos\xE9 M\xFCller");
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "Full Name   José Müller");
    }
}
