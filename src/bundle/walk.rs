//! Walking a bundle folder: recursive, sorted, symlinks never followed, zips inside expanded in memory.

use super::{zipped, Bundle, BundleFile, ZipLimits};
use std::collections::BinaryHeap;
use std::ffi::OsString;
use std::path::Path;

pub(super) fn walk(root: &Path, limits: &ZipLimits, bundle: &mut Bundle) {
    let mut stack = vec![root.to_path_buf()];
    // Folders count towards the limit too: a tree of millions of empty folders is as costly as files.
    let mut folders = 0usize;
    while let Some(dir) = stack.pop() {
        let rel_dir = relative(root, &dir);
        let room = limits
            .max_entries
            .saturating_sub(bundle.files.len() + bundle.skipped.len() + folders);
        let names = match first_names(&dir, room + 1) {
            Ok(n) => n,
            Err(e) => {
                bundle
                    .skipped
                    .push((display_dir(&rel_dir), format!("folder not readable: {e}")));
                continue;
            }
        };
        for name in names {
            let path = dir.join(&name);
            let rel = relative(root, &path);
            if bundle.files.len() + bundle.skipped.len() + folders >= limits.max_entries {
                bundle.skipped.push((
                    rel,
                    format!("more than {} files: the rest not read", limits.max_entries),
                ));
                return;
            }
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    bundle.skipped.push((rel, format!("not readable: {e}")));
                    continue;
                }
            };
            if meta.file_type().is_symlink() {
                bundle.skipped.push((rel, "a symbolic link: not followed".into()));
            } else if meta.is_dir() {
                folders += 1;
                stack.push(path);
            } else if meta.is_file() {
                let file = BundleFile::on_disk(rel.clone(), path.clone(), meta.len());
                if file.is_zip() {
                    expand_zip(&file, &rel, limits, bundle);
                } else {
                    bundle.files.push(file);
                }
            }
        }
    }
}

/// The `keep` first names of a folder in sorted order, whatever its size: one pass over its entries keeping the
/// smallest names in a bounded heap, so a folder of millions of files costs `keep` names of memory and no
/// `stat` beyond them.
fn first_names(dir: &Path, keep: usize) -> std::io::Result<Vec<OsString>> {
    let mut heap: BinaryHeap<OsString> = BinaryHeap::with_capacity(keep.min(1 << 16) + 1);
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        if heap.len() < keep {
            heap.push(name);
        } else if heap.peek().is_some_and(|largest| name < *largest) {
            heap.pop();
            heap.push(name);
        }
    }
    Ok(heap.into_sorted_vec())
}

fn expand_zip(file: &BundleFile, rel: &str, limits: &ZipLimits, bundle: &mut Bundle) {
    if file.size > limits.max_total {
        bundle.skipped.push((
            rel.to_string(),
            format!("zip larger than {} MiB: not read", limits.max_total >> 20),
        ));
        return;
    }
    match file.read_all(limits.max_total) {
        Ok(bytes) => {
            if let Err(message) = zipped::expand(&bytes, &format!("{rel}/"), limits, bundle) {
                bundle.skipped.push((rel.to_string(), message));
            }
        }
        Err(e) => bundle.skipped.push((rel.to_string(), e.to_string())),
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn display_dir(rel: &str) -> String {
    if rel.is_empty() {
        ".".into()
    } else {
        rel.to_string()
    }
}
