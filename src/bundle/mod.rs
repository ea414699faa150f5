//! The bundle: a folder (walked recursively) or a .zip (read in memory, never extracted), its files, their text
//! and their kinds.

pub mod decode;
pub mod file;
pub mod kind;
mod walk;
mod zipped;

pub use file::{BundleFile, Content};
pub use kind::Kind;
pub use zipped::ZipLimits;

use std::path::Path;

/// A bundle's files, in a stable order (sorted by path).
#[derive(Debug, Default)]
pub struct Bundle {
    /// The bundle as given on the command line.
    pub root: String,
    pub files: Vec<BundleFile>,
    /// Entries that could not be taken in (a zip limit, an unreadable folder, a symlink not followed), by path.
    pub skipped: Vec<(String, String)>,
}

/// Why a bundle could not be opened at all.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{0}: no such file or folder")]
    NotFound(String),
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
}

impl Bundle {
    /// Opens a folder or a .zip with the default limits.
    pub fn open(path: &Path) -> Result<Bundle, BundleError> {
        Bundle::open_with(path, &ZipLimits::default())
    }

    /// A bundle from the bytes of a .zip (as if given on the command line), within `limits`.
    pub fn from_zip_bytes(name: &str, bytes: &[u8], limits: &ZipLimits) -> Result<Bundle, BundleError> {
        let mut bundle = Bundle {
            root: name.to_string(),
            ..Bundle::default()
        };
        zipped::expand(bytes, "", limits, &mut bundle).map_err(|message| BundleError::Unreadable {
            path: name.to_string(),
            message,
        })?;
        bundle.files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(bundle)
    }

    pub fn open_with(path: &Path, limits: &ZipLimits) -> Result<Bundle, BundleError> {
        let root = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BundleError::NotFound(root.clone()),
            _ => BundleError::Unreadable {
                path: root.clone(),
                message: e.to_string(),
            },
        })?;
        let mut bundle = Bundle {
            root: root.clone(),
            ..Bundle::default()
        };
        if meta.is_dir() {
            walk::walk(path, limits, &mut bundle);
        } else {
            // A single file: a zip is the bundle's content; any other file is a bundle of one.
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| root.clone());
            let file = BundleFile::on_disk(name, path.to_path_buf(), meta.len());
            if file.is_zip() {
                let bytes = std::fs::read(path).map_err(|e| BundleError::Unreadable {
                    path: root.clone(),
                    message: e.to_string(),
                })?;
                zipped::expand(&bytes, "", limits, &mut bundle).map_err(|message| BundleError::Unreadable {
                    path: root.clone(),
                    message,
                })?;
            } else {
                bundle.files.push(file);
            }
        }
        bundle.files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(bundle)
    }
}
