//! Binary XML (MS-EVEN6 2.2.12) as a chunk holds it, without templates: every element, attribute and text is
//! written in full. Names live in the chunk: a name's first use stores it inline (with the link to the next
//! name of its hash bucket), later uses give its offset in the chunk.

/// An element of an event, written as Binary XML by [`Names::write`].
pub struct Element {
    pub name: &'static str,
    pub attributes: Vec<(&'static str, String)>,
    pub children: Vec<Node>,
}

pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn new(name: &'static str) -> Self {
        Element {
            name,
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.attributes.push((name, value.into()));
        self
    }

    pub fn child(mut self, child: Element) -> Self {
        self.children.push(Node::Element(child));
        self
    }

    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.children.push(Node::Text(text.into()));
        self
    }
}

const FRAGMENT_HEADER: [u8; 4] = [0x0f, 0x01, 0x01, 0x00];
const OPEN_START: u8 = 0x01;
const CLOSE_START: u8 = 0x02;
const CLOSE_EMPTY: u8 = 0x03;
const END_ELEMENT: u8 = 0x04;
const VALUE: u8 = 0x05;
const ATTRIBUTE: u8 = 0x06;
/// On an element start: it has attributes. On an attribute: another follows.
const MORE: u8 = 0x40;
const STRING_TYPE: u8 = 0x01;
const END_OF_STREAM: u8 = 0x00;

/// The names a chunk holds so far: where each is, and the 64 buckets of the chunk header's string table.
#[derive(Clone)]
pub struct Names {
    at: Vec<(&'static str, u32)>,
    pub buckets: [u32; 64],
}

/// The hash Windows keeps beside a name (and picks its bucket with): `h = h * 65599 + unit` over UTF-16.
fn name_hash(name: &str) -> u16 {
    let h = name
        .encode_utf16()
        .fold(0u32, |h, u| h.wrapping_mul(65599).wrapping_add(u32::from(u)));
    (h & 0xffff) as u16
}

fn utf16(out: &mut Vec<u8>, text: &str) {
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
}

fn put_u32(out: &mut [u8], at: usize, v: u32) {
    out[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

impl Default for Names {
    fn default() -> Self {
        Names {
            at: Vec::new(),
            buckets: [0; 64],
        }
    }
}

impl Names {
    /// The Binary XML of `root` as one record's content, for a record whose content starts at `base` in the chunk.
    pub fn write(&mut self, root: &Element, base: u32) -> Vec<u8> {
        let mut out = FRAGMENT_HEADER.to_vec();
        self.element(&mut out, root, base);
        out.push(END_OF_STREAM);
        out
    }

    /// A name reference: the offset, then the name itself the first time the chunk uses it.
    fn name(&mut self, out: &mut Vec<u8>, name: &'static str, base: u32) {
        if let Some(&(_, offset)) = self.at.iter().find(|(n, _)| *n == name) {
            out.extend(offset.to_le_bytes());
            return;
        }
        let offset = base + out.len() as u32 + 4;
        let hash = name_hash(name);
        let bucket = usize::from(hash) % self.buckets.len();
        out.extend(offset.to_le_bytes());
        out.extend(self.buckets[bucket].to_le_bytes());
        out.extend(hash.to_le_bytes());
        out.extend((name.encode_utf16().count() as u16).to_le_bytes());
        utf16(out, name);
        out.extend([0, 0]);
        self.buckets[bucket] = offset;
        self.at.push((name, offset));
    }

    fn value(out: &mut Vec<u8>, text: &str) {
        out.extend([VALUE, STRING_TYPE]);
        out.extend((text.encode_utf16().count() as u16).to_le_bytes());
        utf16(out, text);
    }

    fn element(&mut self, out: &mut Vec<u8>, e: &Element, base: u32) {
        let has_attributes = !e.attributes.is_empty();
        out.push(if has_attributes { OPEN_START | MORE } else { OPEN_START });
        let size_at = out.len();
        out.extend([0; 4]);
        self.name(out, e.name, base);
        if has_attributes {
            let list_at = out.len();
            out.extend([0; 4]);
            for (i, (name, value)) in e.attributes.iter().enumerate() {
                let more = i + 1 < e.attributes.len();
                out.push(if more { ATTRIBUTE | MORE } else { ATTRIBUTE });
                self.name(out, name, base);
                Self::value(out, value);
            }
            let list_size = (out.len() - list_at - 4) as u32;
            put_u32(out, list_at, list_size);
        }
        if e.children.is_empty() {
            out.push(CLOSE_EMPTY);
        } else {
            out.push(CLOSE_START);
            for child in &e.children {
                match child {
                    Node::Element(c) => self.element(out, c, base),
                    Node::Text(t) => Self::value(out, t),
                }
            }
            out.push(END_ELEMENT);
        }
        let size = (out.len() - size_at - 4) as u32;
        put_u32(out, size_at, size);
    }
}
