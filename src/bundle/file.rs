//! One file of a bundle: on disk (read when needed) or in memory (from a zip).

use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;

/// Where a file's bytes are.
#[derive(Debug, Clone)]
pub enum Content {
    Disk(PathBuf),
    Memory(Arc<[u8]>),
}

/// A file of the bundle. `path` is relative to the bundle root, with `/` separators (`logs/u_ex100815.log`,
/// `case.zip/secpol.inf` for a zip found inside a folder).
#[derive(Debug, Clone)]
pub struct BundleFile {
    pub path: String,
    pub content: Content,
    /// Size as stored (compressed size for .gz).
    pub size: u64,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

impl BundleFile {
    pub fn on_disk(path: String, disk: PathBuf, size: u64) -> Self {
        BundleFile {
            path,
            content: Content::Disk(disk),
            size,
        }
    }

    pub fn in_memory(path: String, bytes: Vec<u8>) -> Self {
        let size = bytes.len() as u64;
        BundleFile {
            path,
            content: Content::Memory(bytes.into()),
            size,
        }
    }

    /// The raw bytes as stored, streamed.
    fn open_raw(&self) -> io::Result<Box<dyn Read + Send>> {
        Ok(match &self.content {
            Content::Disk(p) => Box::new(std::fs::File::open(p)?),
            Content::Memory(b) => Box::new(io::Cursor::new(Arc::clone(b))),
        })
    }

    fn starts_with(&self, magic: &[u8]) -> bool {
        let mut head = vec![0u8; magic.len()];
        match self.open_raw().and_then(|mut r| r.read_exact(&mut head)) {
            Ok(()) => head == magic,
            Err(_) => false,
        }
    }

    /// True for a gzip-compressed file (`u_ex100815.log.gz`), recognised by its magic.
    pub fn is_gzip(&self) -> bool {
        self.starts_with(&GZIP_MAGIC)
    }

    /// True for a zip archive, recognised by its magic (one read of four bytes).
    pub fn is_zip(&self) -> bool {
        if self.size < 4 {
            return false;
        }
        let mut head = [0u8; 4];
        match self.open_raw().and_then(|mut r| r.read_exact(&mut head)) {
            Ok(()) => &head == b"PK\x03\x04" || &head == b"PK\x05\x06",
            Err(_) => false,
        }
    }

    /// The file's content, streamed, gzip already undone.
    pub fn open(&self) -> io::Result<Box<dyn Read + Send>> {
        let raw = self.open_raw()?;
        if self.is_gzip() {
            Ok(Box::new(flate2::read::MultiGzDecoder::new(raw)))
        } else {
            Ok(raw)
        }
    }

    /// The first `n` bytes of the content (fewer for a shorter file).
    pub fn head(&self, n: usize) -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(n.min(1 << 20));
        self.open()?.take(n as u64).read_to_end(&mut buf)?;
        Ok(buf)
    }

    /// The whole content, refusing more than `max` bytes with a clear error (of kind `FileTooLarge`). A file
    /// whose stored size is already over `max` is refused without reading a byte of it; a `.gz` is read up to
    /// `max + 1` bytes.
    pub fn read_all(&self, max: u64) -> io::Result<Vec<u8>> {
        if self.size > max && !self.is_gzip() {
            return Err(too_large(max));
        }
        let mut buf = Vec::new();
        self.open()?.take(max + 1).read_to_end(&mut buf)?;
        if buf.len() as u64 > max {
            return Err(too_large(max));
        }
        Ok(buf)
    }

    /// The file name without folders (`u_ex100815.log`).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

fn too_large(max: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "larger than {} MiB: not read (this kind of file is never that big)",
            max >> 20
        ),
    )
}
