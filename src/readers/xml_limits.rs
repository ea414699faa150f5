//! The limits every XML reader (IIS metabase, applicationHost.config, CLIXML, event XML) applies to a document,
//! so that a hostile or broken one gives a located error instead of a stack overflow, a hang or all the memory:
//!
//! - nesting: at most [`MAX_DEPTH`] open elements. Real files nest a dozen levels (applicationHost.config about
//!   eight, CLIXML about twenty); a deeper document is refused at the first element past the limit.
//! - size: the file is read whole only up to [`crate::readers::MAX_TEXT_BYTES`] (see there).
//! - entities: quick-xml never expands an entity declared in a DOCTYPE (billion laughs stays one `&lol9;`).
//!   Readers keep an unknown entity as written (IIS attributes, event data) or report it located (CLIXML); the IIS
//!   readers report a DOCTYPE as a warning.
//! - attributes: duplicate-name checking in quick-xml is quadratic in the number of attributes of a tag; readers
//!   take at most [`MAX_ATTRIBUTES`] attributes of one tag, unchecked, and warn about the rest.

use quick_xml::events::attributes::Attributes;
use quick_xml::events::{BytesStart, Event};

/// The deepest element nesting read.
pub const MAX_DEPTH: usize = 256;

/// The most attributes read from one tag (a metabase key has about a hundred).
pub const MAX_ATTRIBUTES: usize = 4096;

/// The message of a document nested too deep.
pub fn too_deep() -> String {
    format!("XML nested deeper than {MAX_DEPTH} elements: not read further")
}

/// The message of a DOCTYPE found in a document.
pub const DOCTYPE_WARNING: &str =
    "a <!DOCTYPE> declaration: the entities it declares are never expanded (unknown entities are kept as written)";

/// Counts open elements as events go by.
#[derive(Debug, Default)]
pub struct Depth {
    open: usize,
}

impl Depth {
    /// Takes one event into account; `Err` with [`too_deep`] when a start tag goes past [`MAX_DEPTH`].
    pub fn track(&mut self, ev: &Event<'_>) -> Result<(), String> {
        match ev {
            Event::Start(_) => {
                self.open += 1;
                if self.open > MAX_DEPTH {
                    return Err(too_deep());
                }
            }
            Event::End(_) => self.open = self.open.saturating_sub(1),
            _ => {}
        }
        Ok(())
    }

    /// The number of elements open.
    pub fn open(&self) -> usize {
        self.open
    }
}

/// The attributes of a tag without quick-xml's quadratic duplicate check, at most [`MAX_ATTRIBUTES`] of them
/// (take them with `.take(MAX_ATTRIBUTES)`; [`more_than_max`] tells whether some were left).
pub fn attributes<'a>(e: &'a BytesStart<'a>) -> Attributes<'a> {
    let mut a = e.attributes();
    a.with_checks(false);
    a
}

/// True when a tag has more attributes than [`MAX_ATTRIBUTES`].
pub fn more_than_max(e: &BytesStart<'_>) -> bool {
    attributes(e).nth(MAX_ATTRIBUTES).is_some()
}
