//! The EVTX v3 file layout: a 4096-byte file header, then 64 KiB chunks of event records, with the CRC32s
//! Windows stores (file header over bytes 0..120; chunk header over 0..120 and 128..512; records over the chunk's
//! used space).

use crate::binxml::{Element, Names};

const FILE_HEADER_SIZE: usize = 4096;
const CHUNK_SIZE: usize = 65536;
const CHUNK_HEADER_SIZE: usize = 512;
const RECORD_HEADER_SIZE: usize = 24;

/// One event record: its id, its time (FILETIME) and its XML.
pub struct Record {
    pub id: u64,
    pub filetime: u64,
    pub event: Element,
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

/// A chunk being filled.
struct Chunk {
    data: Vec<u8>,
    names: Names,
    /// (first, last) record id, and the offset of the last record.
    ids: Option<(u64, u64)>,
    last_offset: usize,
    free: usize,
}

impl Chunk {
    fn new() -> Self {
        Chunk {
            data: vec![0; CHUNK_SIZE],
            names: Names::default(),
            ids: None,
            last_offset: 0,
            free: CHUNK_HEADER_SIZE,
        }
    }

    /// Adds the record if it fits; false (and the chunk unchanged) if it does not.
    fn add(&mut self, r: &Record) -> bool {
        let mut names = self.names.clone();
        let base = self.free + RECORD_HEADER_SIZE;
        let content = names.write(&r.event, base as u32);
        let size = RECORD_HEADER_SIZE + content.len() + 4;
        if self.free + size > CHUNK_SIZE {
            return false;
        }
        self.names = names;
        let at = self.free;
        let d = &mut self.data;
        d[at..at + 4].copy_from_slice(&[0x2a, 0x2a, 0, 0]);
        put_u32(d, at + 4, size as u32);
        put_u64(d, at + 8, r.id);
        put_u64(d, at + 16, r.filetime);
        d[base..base + content.len()].copy_from_slice(&content);
        put_u32(d, at + size - 4, size as u32);
        self.ids = Some((self.ids.map_or(r.id, |(first, _)| first), r.id));
        self.last_offset = at;
        self.free = at + size;
        true
    }

    fn finish(mut self) -> Vec<u8> {
        let (first, last) = self.ids.expect("a chunk holds a record");
        let d = &mut self.data;
        d[..8].copy_from_slice(b"ElfChnk\0");
        // Record numbers and ids are the same in a log that was never cleared.
        put_u64(d, 8, first);
        put_u64(d, 16, last);
        put_u64(d, 24, first);
        put_u64(d, 32, last);
        put_u32(d, 40, 128);
        put_u32(d, 44, self.last_offset as u32);
        put_u32(d, 48, self.free as u32);
        let records = crc32fast::hash(&d[CHUNK_HEADER_SIZE..self.free]);
        put_u32(d, 52, records);
        for (i, offset) in self.names.buckets.iter().enumerate() {
            put_u32(d, 128 + i * 4, *offset);
        }
        // No templates: the template table (384..512) stays empty.
        let mut h = crc32fast::Hasher::new();
        h.update(&d[..120]);
        h.update(&d[128..CHUNK_HEADER_SIZE]);
        put_u32(d, 124, h.finalize());
        self.data
    }
}

/// The whole .evtx file holding `records`, in order, as many to a chunk as fit.
pub fn file(records: &[Record]) -> Vec<u8> {
    let mut chunks = Vec::new();
    let mut chunk = Chunk::new();
    for r in records {
        if !chunk.add(r) {
            chunks.push(std::mem::replace(&mut chunk, Chunk::new()).finish());
            assert!(chunk.add(r), "record {} is larger than a chunk", r.id);
        }
    }
    if chunk.ids.is_some() {
        chunks.push(chunk.finish());
    }
    let mut out = vec![0; FILE_HEADER_SIZE];
    out[..8].copy_from_slice(b"ElfFile\0");
    let count = chunks.len() as u64;
    put_u64(&mut out, 8, 0);
    put_u64(&mut out, 16, count.saturating_sub(1));
    put_u64(&mut out, 24, records.last().map_or(1, |r| r.id + 1));
    put_u32(&mut out, 32, 128);
    put_u16(&mut out, 36, 1);
    put_u16(&mut out, 38, 3);
    put_u16(&mut out, 40, FILE_HEADER_SIZE as u16);
    put_u16(&mut out, 42, count as u16);
    // Flags (120) 0: closed cleanly, not full.
    let crc = crc32fast::hash(&out[..120]);
    put_u32(&mut out, 124, crc);
    for c in chunks {
        out.extend(c);
    }
    out
}
