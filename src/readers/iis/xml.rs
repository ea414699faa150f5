//! What the two IIS readers share: line numbers of tags and attributes in a streamed XML document, attribute
//! values that never put a secret into a message, and located XML errors.

use crate::readers::{xml_limits, Problem};
use quick_xml::events::attributes::Attribute;
use quick_xml::events::BytesStart;
use quick_xml::Reader;

pub use crate::readers::text::Lines;

/// One attribute: its name, its value (unescaped where possible) and its line.
pub struct Attr {
    pub name: String,
    pub value: String,
    pub line: u64,
}

/// The attributes of a tag, each with its line. A malformed attribute becomes a warning that names the
/// attribute, never its value (it may be a password), and ends the tag's attribute list.
pub fn attributes(e: &BytesStart<'_>, lines: &Lines<'_>, tag_line: u64, warnings: &mut Vec<Problem>) -> Vec<Attr> {
    let mut out = Vec::new();
    if xml_limits::more_than_max(e) {
        warnings.push(Problem::at(
            tag_line,
            format!(
                "more than {} attributes in one tag: the rest are skipped",
                xml_limits::MAX_ATTRIBUTES
            ),
        ));
    }
    for a in xml_limits::attributes(e).take(xml_limits::MAX_ATTRIBUTES) {
        match a {
            Ok(a) => out.push(attr(&a, lines, tag_line, warnings)),
            Err(err) => {
                warnings.push(Problem::at(
                    tag_line,
                    format!("a malformed attribute ({err}); the rest of this tag's attributes are skipped"),
                ));
                break;
            }
        }
    }
    out
}

fn attr(a: &Attribute<'_>, lines: &Lines<'_>, tag_line: u64, warnings: &mut Vec<Problem>) -> Attr {
    let name = String::from_utf8_lossy(a.key.as_ref()).into_owned();
    let line = lines.line_of(a.key.as_ref(), tag_line);
    let value = match a.unescape_value() {
        Ok(v) => v.into_owned(),
        Err(_) => {
            warnings.push(Problem::at(
                line,
                format!(
                    "attribute {name} holds an unknown entity or a malformed character reference: kept as written \
                     (entities are never expanded)"
                ),
            ));
            String::from_utf8_lossy(&a.value).into_owned()
        }
    };
    Attr { name, value, line }
}

/// The value of the attribute `name` (case-insensitive).
pub fn get<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a Attr> {
    attrs.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

/// The local name of a tag (`IIsWebVirtualDir`, `location`).
pub fn local_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// A reader over the whole text with the checks that make a malformed file an error.
pub fn reader(text: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(text);
    let c = r.config_mut();
    c.check_end_names = true;
    c.trim_text(true);
    r
}

/// A located XML error: where the parser stopped and why (quick-xml's messages name tags, never values).
pub fn xml_error(r: &Reader<&[u8]>, lines: &Lines<'_>, err: &quick_xml::Error) -> Problem {
    let offset = usize::try_from(r.error_position()).unwrap_or(usize::MAX);
    Problem::at(lines.line(offset), crate::readers::xml_errors::describe(err))
}

/// Tracks `ev`'s nesting in `depth`: past the limit, the located error (at the tag that went too deep).
pub fn too_deep(
    depth: &mut xml_limits::Depth,
    ev: &quick_xml::events::Event<'_>,
    lines: &Lines<'_>,
    last_line: u64,
) -> Option<Problem> {
    let message = depth.track(ev).err()?;
    let line = match ev {
        quick_xml::events::Event::Start(e) => tag_line(e, lines, last_line),
        _ => last_line,
    };
    Some(Problem::at(line, message))
}

/// The line of a tag, from its name (which points into the text).
pub fn tag_line(e: &BytesStart<'_>, lines: &Lines<'_>, fallback: u64) -> u64 {
    lines.line_of(e.name().as_ref(), fallback)
}
