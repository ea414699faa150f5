//! Synthetic customer bundles for the batch benchmark and its tests, deterministic from a seed: each case is what
//! a customer collects on one Client Access server (security policy export, `net localgroup Guests`, `net user`
//! for the anonymous account, the IIS 6 metabase or IIS 7 applicationHost.config, `Get-OwaVirtualDirectory |
//! Format-List`, and a W3C log from [`crate::logsynth`]), with the causes it holds chosen per case: healthy, each
//! of the six causes, or two at once. `gencases` (src/bin/gencases.rs) writes many of them.
//!
//! A case knows the causes planted in it ([`Case::planted`]): its configuration shows each of them, and its log
//! carries the fault signature of the first one, so that cause is `confirmed` and the others at least `likely`.

mod accounts;
mod iis;
mod plan;
mod vdirs;

pub use plan::{Case, Platform};

use crate::logsynth;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The `index`-th case of the set generated from `seed`.
pub fn case(seed: u64, index: u64) -> Case {
    plan::case(seed, index)
}

/// Writes `case` as a folder `dir/<case.id>` with about `log_bytes` of W3C log; returns the folder.
pub fn write(case: &Case, dir: &Path, log_bytes: u64) -> io::Result<std::path::PathBuf> {
    let root = dir.join(&case.id);
    std::fs::create_dir_all(root.join("W3SVC1"))?;
    std::fs::write(root.join("secpol.inf"), utf16le(&accounts::secedit(case)))?;
    std::fs::write(
        root.join("net-localgroup-guests.txt"),
        accounts::net_localgroup_guests(case),
    )?;
    std::fs::write(
        root.join(format!("{}.txt", case.anonymous.to_ascii_lowercase())),
        accounts::net_user(case),
    )?;
    match case.platform {
        Platform::Iis6 => std::fs::write(root.join("MetaBase.xml"), iis::metabase(case))?,
        Platform::Iis7 => {
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend(iis::application_host(case).into_bytes());
            std::fs::write(root.join("applicationHost.config"), bytes)?
        }
    }
    std::fs::write(root.join("owavdir.txt"), utf16le(&vdirs::format_list(case)))?;
    let log = root.join("W3SVC1").join(case.log_name());
    let mut out = BufWriter::with_capacity(1 << 16, std::fs::File::create(log)?);
    logsynth::generate(&case.log_config(log_bytes), &mut out)?;
    out.flush()?;
    Ok(root)
}

/// UTF-16LE with a byte order mark: what `secedit /export` and Windows PowerShell's `>` write.
fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}
