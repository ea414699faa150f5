//! Reading a .zip bundle in memory, within limits: nothing is ever written to disk.

use super::{Bundle, BundleFile};
use std::io::Read;

/// Bounds on what a zip may expand to. A violation skips the entry (or the rest of the zip) with a clear message.
#[derive(Debug, Clone)]
pub struct ZipLimits {
    /// Files in the bundle, zip entries and folder files together.
    pub max_entries: usize,
    /// Uncompressed bytes of one entry.
    pub max_entry: u64,
    /// Uncompressed bytes of all the entries of a zip (and the size of a zip read into memory).
    pub max_total: u64,
    /// Uncompressed / compressed size of one entry, checked for entries over 1 MiB.
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_entries: 100_000,
            max_entry: 2 << 30,
            max_total: 8 << 30,
            max_ratio: 500,
        }
    }
}

/// Adds the entries of the zip `bytes` to `bundle`, their paths prefixed with `prefix`.
/// Err: the zip itself cannot be read. A zip cut short (no central directory at its end) still gives the complete
/// entries before the cut, read from their local headers, and is listed with an error saying so.
pub(super) fn expand(bytes: &[u8], prefix: &str, limits: &ZipLimits, bundle: &mut Bundle) -> Result<(), String> {
    if let Some(n) = declared_entries(bytes).filter(|&n| n > limits.max_entries as u64) {
        // Millions of entries: the first ones are read from their local headers, up to the limit.
        let label = zip_label(prefix, bundle);
        bundle.skipped.push((
            label,
            format!(
                "a zip of {n} entries, more than the {} files a bundle may hold: its first entries are read from their local headers, up to the limit",
                limits.max_entries
            ),
        ));
        one_by_one(bytes, prefix, limits, bundle);
        return Ok(());
    }
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) if e.to_string().contains("EOCD") => return salvage(bytes, prefix, limits, bundle, &e),
        Err(e) => return Err(format!("not a readable zip: {e}")),
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        if bundle.files.len() + bundle.skipped.len() >= limits.max_entries {
            bundle.skipped.push((
                format!("{prefix}…"),
                format!("more than {} files: the rest not read", limits.max_entries),
            ));
            break;
        }
        let entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                bundle.skipped.push((
                    format!("{prefix}entry {}", i + 1),
                    format!("zip entry not readable: {e}"),
                ));
                continue;
            }
        };
        if take(entry, prefix, limits, &mut total, bundle) == Flow::Stop {
            break;
        }
    }
    Ok(())
}

/// A zip without its central directory (the end of the file is missing): its entries read one after the other
/// from their local headers, until the cut.
fn salvage(
    bytes: &[u8],
    prefix: &str,
    limits: &ZipLimits,
    bundle: &mut Bundle,
    why: &zip::result::ZipError,
) -> Result<(), String> {
    let found = one_by_one(bytes, prefix, limits, bundle);
    // The last entry read may be the one cut: it ends short of its declared size and is then listed as
    // not readable by `take`.
    let cut = format!("not a readable zip: {why} (no central directory at its end: the zip is cut short)");
    if found == 0 {
        return Err(cut);
    }
    let label = zip_label(prefix, bundle);
    bundle
        .skipped
        .push((label, format!("{cut}; the entries before the cut are read")));
    Ok(())
}

/// Reads entries from their local headers, in file order, until the end, a fault or the entry limit; returns how
/// many were found.
fn one_by_one(bytes: &[u8], prefix: &str, limits: &ZipLimits, bundle: &mut Bundle) -> usize {
    let mut cursor = std::io::Cursor::new(bytes);
    let mut total: u64 = 0;
    let mut found = 0usize;
    loop {
        if bundle.files.len() + bundle.skipped.len() >= limits.max_entries {
            bundle.skipped.push((
                format!("{prefix}…"),
                format!("more than {} files: the rest not read", limits.max_entries),
            ));
            break;
        }
        match zip::read::read_zipfile_from_stream(&mut cursor) {
            Ok(Some(entry)) => {
                found += 1;
                if take(entry, prefix, limits, &mut total, bundle) == Flow::Stop {
                    break;
                }
            }
            Ok(None) | Err(_) => break,
        }
    }
    found
}

/// The name a zip is listed under: its path in the bundle, or the bundle itself.
fn zip_label(prefix: &str, bundle: &Bundle) -> String {
    match prefix.trim_end_matches('/') {
        "" => bundle.root.clone(),
        p => p.to_string(),
    }
}

/// The number of entries the end of central directory record declares (zip64 too), read before the central
/// directory itself: parsing a directory of millions of entries would cost hundreds of bytes of memory each.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    let tail_from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = tail_from + memchr::memmem::rfind(&bytes[tail_from..], b"PK\x05\x06")?;
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u64_at = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
    };
    let entries = u16_at(eocd + 10)?;
    if entries != 0xFFFF {
        return Some(entries);
    }
    let locator = eocd.checked_sub(20)?;
    if bytes.get(locator..locator + 4)? != b"PK\x06\x07" {
        return Some(entries);
    }
    let record = usize::try_from(u64_at(locator + 8)?).ok()?;
    if bytes.get(record..record + 4)? != b"PK\x06\x06" {
        return Some(entries);
    }
    u64_at(record + 32)
}

#[derive(PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

/// Takes one entry into the bundle within the limits (or lists it as skipped, saying why).
fn take<R: Read>(
    mut entry: zip::read::ZipFile<'_, R>,
    prefix: &str,
    limits: &ZipLimits,
    total: &mut u64,
    bundle: &mut Bundle,
) -> Flow {
    if entry.is_dir() {
        return Flow::Continue;
    }
    // The name is only ever a label: nothing is written from a bundle.
    let name = format!("{prefix}{}", entry.name().trim_start_matches('/'));
    if entry.is_symlink() {
        bundle.skipped.push((name, "a symbolic link: not followed".into()));
        return Flow::Continue;
    }
    let declared = entry.size();
    let compressed = entry.compressed_size().max(1);
    if declared > limits.max_entry {
        bundle.skipped.push((
            name,
            format!("expands to more than {} MiB: not read", limits.max_entry >> 20),
        ));
        return Flow::Continue;
    }
    if declared > (1 << 20) && declared / compressed > limits.max_ratio {
        bundle.skipped.push((
            name,
            format!(
                "compression ratio {}:1 exceeds {}:1 (a zip bomb?): not read",
                declared / compressed,
                limits.max_ratio
            ),
        ));
        return Flow::Continue;
    }
    // Declared sizes can lie: bound the actual read too.
    let room = limits.max_entry.min(limits.max_total.saturating_sub(*total));
    let mut buf = Vec::with_capacity(declared.min(room) as usize);
    match (&mut entry).take(room + 1).read_to_end(&mut buf) {
        Ok(_) if buf.len() as u64 > room => {
            bundle
                .skipped
                .push((name, format!("expands beyond the {} MiB limit: not read", room >> 20)));
            if room < limits.max_entry {
                bundle
                    .skipped
                    .push((format!("{prefix}…"), "total uncompressed size limit reached".into()));
                return Flow::Stop;
            }
            return Flow::Continue;
        }
        Ok(_) => {}
        Err(e) => {
            bundle.skipped.push((name, format!("zip entry not readable: {e}")));
            return Flow::Continue;
        }
    }
    if buf.len() as u64 > (1 << 20) && buf.len() as u64 / compressed > limits.max_ratio {
        bundle.skipped.push((
            name,
            format!(
                "compression ratio exceeds {}:1 (a zip bomb?): not read",
                limits.max_ratio
            ),
        ));
        return Flow::Continue;
    }
    *total += buf.len() as u64;
    if buf.starts_with(b"PK\x03\x04") && prefix.matches(".zip/").count() < 2 {
        let nested = format!("{name}/");
        if let Err(m) = expand(&buf, &nested, limits, bundle) {
            bundle.skipped.push((name, m));
        }
        return Flow::Continue;
    }
    bundle.files.push(BundleFile::in_memory(name, buf));
    Flow::Continue
}
