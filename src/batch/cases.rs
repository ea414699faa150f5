//! Finding the cases of a batch.

use std::path::{Path, PathBuf};

/// One case: a folder or a .zip, named by its file name (the case id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: String,
    pub path: PathBuf,
}

/// Every subfolder or .zip directly under `dir`, sorted by id. Symbolic links are not followed.
pub fn list_cases(dir: &Path) -> std::io::Result<Vec<Case>> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let id = entry.file_name().to_string_lossy().into_owned();
        let is_zip = meta.is_file() && id.to_ascii_lowercase().ends_with(".zip");
        if meta.is_dir() || is_zip {
            cases.push(Case { id, path });
        }
    }
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(cases)
}

/// Cases from a list file: one path per line (blank lines and `#` comments ignored); the id is the path as written.
pub fn read_case_list(file: &Path) -> std::io::Result<Vec<Case>> {
    let text = std::fs::read_to_string(file)?;
    let base = file.parent().unwrap_or(Path::new("."));
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let p = Path::new(l);
            let path = if p.is_absolute() || p.exists() {
                p.to_path_buf()
            } else {
                base.join(p)
            };
            Case {
                id: l.to_string(),
                path,
            }
        })
        .collect())
}
