//! Text decoding: by BOM (UTF-16LE/BE, UTF-8), else UTF-16 recognised by its NUL bytes, else UTF-8, else
//! Windows-1252 (what a western-European Windows server writes).
//!
//! Two repairs a support engineer would make by hand:
//! - mixed encodings (a file appended to from two consoles, `>>`): when some lines are valid UTF-8 with non-ASCII
//!   characters and others are not UTF-8, each line is decoded on its own (UTF-8 where valid, else Windows-1252);
//!   the encoding is then `utf-8+windows-1252` and the first Windows-1252 line is told.
//! - NUL characters (a file padded with NULs by a crash or a copy, or a stray NUL in an export) carry nothing: they
//!   are removed, which leaves every line number as it was, and the first line that held one is told.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// Decoded text and the encoding it was decoded from.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
    /// True when some bytes were not valid in that encoding and were replaced.
    pub replaced: bool,
    /// Mixed encodings: the first line decoded as Windows-1252 and how many were.
    pub windows_1252_lines: Option<(u64, u64)>,
    /// NUL characters removed: the first line that held one and how many there were.
    pub nuls_removed: Option<(u64, usize)>,
}

/// Decodes `bytes` to text (see the module comment for the order), NULs removed.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let mut d = decode_text(bytes);
    if d.text.contains('\0') {
        let first = d.text.find('\0').unwrap_or(0);
        let line = 1 + memchr::memchr_iter(b'\n', &d.text.as_bytes()[..first]).count() as u64;
        let count = d.text.matches('\0').count();
        d.text = Cow::Owned(d.text.replace('\0', ""));
        d.nuls_removed = Some((line, count));
    }
    d
}

fn decode_text(bytes: &[u8]) -> Decoded<'_> {
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
                windows_1252_lines: None,
                nuls_removed: None,
            };
        }
        if let Some(mixed) = mixed(body) {
            return mixed;
        }
        // Not UTF-8: unless it is almost UTF-8 (a truncated multibyte sequence at the end), it is Windows-1252.
        if !almost_utf8(body) {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(body);
            return Decoded {
                text,
                encoding: "windows-1252",
                replaced: false,
                windows_1252_lines: None,
                nuls_removed: None,
            };
        }
    }
    let (text, replaced) = enc.decode_without_bom_handling(body);
    Decoded {
        text,
        encoding: name(enc),
        replaced,
        windows_1252_lines: None,
        nuls_removed: None,
    }
}

/// Lines of valid non-ASCII UTF-8 beside lines that are not UTF-8 (a cut multibyte sequence at the very end does
/// not count): each line decoded on its own.
fn mixed(bytes: &[u8]) -> Option<Decoded<'static>> {
    let mut utf8_non_ascii = false;
    let mut other: Option<(u64, u64)> = None;
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(s) => {
                utf8_non_ascii |= !s.is_ascii();
                text.push_str(s);
            }
            Err(e) if e.error_len().is_none() && line.len() + text_len_before(bytes, line) == bytes.len() => {
                // The file is cut inside a character: not another encoding.
                return None;
            }
            Err(_) => {
                let n = i as u64 + 1;
                other = Some(other.map_or((n, 1), |(first, count)| (first, count + 1)));
                text.push_str(&WINDOWS_1252.decode_without_bom_handling(line).0);
            }
        }
    }
    let (first, count) = other?;
    utf8_non_ascii.then_some(Decoded {
        text: Cow::Owned(text),
        encoding: "utf-8+windows-1252",
        replaced: false,
        windows_1252_lines: Some((first, count)),
        nuls_removed: None,
    })
}

/// Where `line` (a slice of `bytes`) starts in `bytes`.
fn text_len_before(bytes: &[u8], line: &[u8]) -> usize {
    line.as_ptr() as usize - bytes.as_ptr() as usize
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
    fn mixed_lines_are_decoded_each_in_its_encoding() {
        let d = decode(b"Comment  Jos\xC3\xA9\r\nFull Name M\xFCller\r\nx\r\n");
        assert_eq!(d.encoding, "utf-8+windows-1252");
        assert_eq!(d.text, "Comment  José\r\nFull Name Müller\r\nx\r\n");
        assert_eq!(d.windows_1252_lines, Some((2, 1)));
        // A cut character at the very end is not a second encoding.
        let d = decode(b"Jos\xC3\xA9 M\xC3");
        assert_ne!(d.encoding, "utf-8+windows-1252");
    }

    #[test]
    fn nuls_are_removed_and_located() {
        let d = decode(b"User name  x\r\n\0\0\0\0\0\0Account active  Yes\r\n\0");
        assert_eq!(d.text, "User name  x\r\nAccount active  Yes\r\n");
        assert_eq!(d.nuls_removed, Some((2, 7)));
    }

    #[test]
    fn windows_1252_when_not_utf8() {
        let d = decode(b"Full Name   Jos\xE9 M\xFCller");
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "Full Name   José Müller");
    }
}
