//! A generic reader of PowerShell CLIXML (`Export-Clixml`): `<Objs>` holding `<Obj>`s with their type names
//! (`<TN>`, or `<TNRef>` naming an earlier `<TN>`), `<ToString>`, adapted properties (`<Props>`), extended ones
//! (`<MS>`), collections (`<LST>`, `<IE>`, `<STK>`, `<QUE>`, `<DCT>`), primitives (`<S>`, `<B>`, `<I32>`, `<Nil>`,
//! ...) and `<Ref RefId>` back-references to an earlier object. Enums are objects with a `<ToString>` and an
//! `<I32>`. Each object and property carries the line it starts on, so readers of particular cmdlets (OWA virtual
//! directories, Get-LocalGroupMember) can locate their facts.
//!
//! Secure strings (`<SS>`) are kept as [`Value::Secret`] and never as text; binary payloads (`<BA>`) are dropped.

use super::text::Lines;
use super::{xml_limits, Problem};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;

/// One CLIXML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Nil,
    /// `<S>`, and every other primitive kept as its text (`<DT>`, `<G>`, `<URI>`, `<Version>`, `<Db>`, ...).
    Text(String),
    Bool(bool),
    /// `<I32>`, `<I64>`, `<U32>`, `<By>`, ... (kept as text when out of range).
    Int(i64),
    /// `<SS>` (a secure string) or `<BA>` (bytes): present, never shown.
    Secret,
    Obj(Box<Object>),
}

/// One `<Obj>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object {
    /// 1-based line of its `<Obj>` tag.
    pub line: u64,
    /// Its type names, most derived first.
    pub type_names: Vec<String>,
    pub to_string: Option<String>,
    /// A primitive held directly (an enum's `<I32>`, a wrapped `<S>`).
    pub inner: Option<Box<Value>>,
    /// `<Props>` and `<MS>` members, in file order.
    pub props: Vec<Property>,
    /// `<LST>` / `<IE>` / `<STK>` / `<QUE>` items.
    pub items: Vec<Value>,
    /// Whether it is a collection (an empty `<LST />` too).
    pub is_list: bool,
    /// `<DCT>` entries.
    pub entries: Vec<(Value, Value)>,
}

/// A named member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    pub value: Value,
    pub line: u64,
    /// The element as it stands in the file (one line, shortened).
    pub excerpt: String,
}

impl Value {
    /// The value as PowerShell would print it: text, `True`/`False`, a number, an object's `ToString`.
    /// `None` for `$null` and for secrets.
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Nil | Value::Secret => None,
            Value::Text(s) => Some(s.clone()),
            Value::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
            Value::Int(i) => Some(i.to_string()),
            Value::Obj(o) => o.to_string.clone().or_else(|| o.inner.as_ref().and_then(|v| v.text())),
        }
    }
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Obj(o) => Some(o),
            _ => None,
        }
    }
}

impl Object {
    /// The member with this name (case-insensitive, as PowerShell looks members up).
    pub fn prop(&self, name: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }
    /// True when one of its type names contains `part`.
    pub fn is_type(&self, part: &str) -> bool {
        self.type_names.iter().any(|t| t.contains(part))
    }
}

/// How deep objects may nest before the document is refused (real exports nest a handful of levels).
const MAX_DEPTH: usize = 64;
/// How many values `<Ref>`s may copy in all: a hostile document of references to references would otherwise grow
/// exponentially. Real exports copy a few hundred.
const REF_BUDGET: usize = 1_000_000;
/// The longest excerpt kept (Export-Clixml may write one 145 KB line).
const EXCERPT_CHARS: usize = 160;

/// A parsed document: the top-level values of `<Objs>`, the errors that lost content (a malformed or cut
/// document: the values read before the fault are kept) and the warnings that did not.
#[derive(Debug, Default)]
pub struct Document {
    pub values: Vec<Value>,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// Parses a CLIXML document.
pub fn parse(text: &str) -> Document {
    let mut p = Parser {
        reader: Reader::from_str(text),
        text,
        lines: Lines::new(text),
        depth: xml_limits::Depth::default(),
        types: HashMap::new(),
        refs: HashMap::new(),
        ref_budget: REF_BUDGET,
        ref_spent: false,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let mut top = Vec::new();
    let mut seen_objs = false;
    loop {
        let start = p.pos();
        match p.next(start) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"Objs" => seen_objs = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == b"Objs" => break,
            Ok(Event::Start(e)) if seen_objs => match p.element(&e, start, false, 0) {
                Ok((_, v)) => top.push(v),
                Err(prob) => {
                    p.problems.push(prob);
                    break;
                }
            },
            Ok(Event::Empty(e)) if seen_objs => match p.element(&e, start, true, 0) {
                Ok((_, v)) => top.push(v),
                Err(prob) => {
                    p.problems.push(prob);
                    break;
                }
            },
            Ok(Event::Eof) => {
                if !seen_objs {
                    p.problems
                        .push(Problem::file("not a CLIXML document: no <Objs> element"));
                } else {
                    p.problems.push(Problem::at(
                        p.line_at(p.text.len()),
                        "the document ends before </Objs>: the file is cut short",
                    ));
                }
                break;
            }
            Ok(_) => {}
            Err(prob) => {
                p.problems.push(prob);
                break;
            }
        }
    }
    Document {
        values: top,
        errors: p.problems,
        warnings: p.warnings,
    }
}

struct Parser<'a> {
    reader: Reader<&'a [u8]>,
    text: &'a str,
    lines: Lines<'a>,
    depth: xml_limits::Depth,
    /// `<TN RefId>` → type names.
    types: HashMap<String, Vec<String>>,
    /// `<Obj RefId>` → the finished object and its size in values, for `<Ref>`.
    refs: HashMap<String, (Object, usize)>,
    /// What `<Ref>`s may still copy (see [`REF_BUDGET`]).
    ref_budget: usize,
    ref_spent: bool,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

type Parsed = Result<(Option<String>, Value), Problem>;

impl<'a> Parser<'a> {
    fn pos(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    fn line_at(&self, pos: usize) -> u64 {
        self.lines.line(pos)
    }

    fn excerpt(&self, from: usize, to: usize) -> String {
        let slice = self.text.get(from..to.min(self.text.len())).unwrap_or("");
        let one_line: String = slice.split_whitespace().collect::<Vec<_>>().join(" ");
        shorten(&one_line)
    }

    fn fault(&self, at: usize, what: impl Into<String>) -> Problem {
        Problem::at(self.line_at(at), what)
    }

    /// The next event, within the nesting limit; a malformed or too deep document is a located fault.
    fn next(&mut self, at: usize) -> Result<Event<'a>, Problem> {
        let ev = self
            .reader
            .read_event()
            .map_err(|err| self.fault(at, super::xml_errors::describe(&err)))?;
        self.depth.track(&ev).map_err(|m| self.fault(at, m))?;
        Ok(ev)
    }

    /// Reads one value element whose start tag was just read; returns its `N` attribute and the value.
    fn element(&mut self, e: &BytesStart<'_>, start: usize, empty: bool, depth: usize) -> Parsed {
        if depth > MAX_DEPTH {
            return Err(self.fault(start, format!("objects nest deeper than {MAX_DEPTH} levels")));
        }
        let name = attr(e, b"N");
        let tag = e.local_name().as_ref().to_vec();
        let value = match tag.as_slice() {
            b"Obj" => Value::Obj(Box::new(self.object(e, start, empty, depth)?)),
            b"Nil" => {
                if !empty {
                    self.skip(start)?;
                }
                Value::Nil
            }
            b"Ref" => {
                if !empty {
                    self.skip(start)?;
                }
                let id = attr(e, b"RefId").unwrap_or_default();
                match self.refs.get(&id) {
                    Some((o, size)) if *size <= self.ref_budget => {
                        self.ref_budget -= size;
                        Value::Obj(Box::new(o.clone()))
                    }
                    Some(_) => {
                        if !self.ref_spent {
                            self.ref_spent = true;
                            self.warnings.push(self.fault(
                                start,
                                "too many <Ref> copies (references to references): the rest are read as empty",
                            ));
                        }
                        Value::Nil
                    }
                    None => {
                        self.warnings.push(self.fault(
                            start,
                            format!("<Ref RefId=\"{id}\"> names no earlier object: read as empty"),
                        ));
                        Value::Nil
                    }
                }
            }
            b"SS" | b"BA" => {
                if !empty {
                    self.skip(start)?;
                }
                Value::Secret
            }
            _ => {
                let text = if empty {
                    String::new()
                } else {
                    self.text_content(start)?
                };
                primitive(&tag, text)
            }
        };
        Ok((name, value))
    }

    fn object(&mut self, e: &BytesStart<'_>, start: usize, empty: bool, depth: usize) -> Result<Object, Problem> {
        let mut obj = Object {
            line: self.line_at(start),
            ..Object::default()
        };
        let ref_id = attr(e, b"RefId");
        if !empty {
            loop {
                let at = self.pos();
                let ev = self.next(at)?;
                match ev {
                    Event::Start(c) => self.object_child(&mut obj, &c, at, false, depth)?,
                    Event::Empty(c) => self.object_child(&mut obj, &c, at, true, depth)?,
                    Event::End(_) => break,
                    Event::Eof => return Err(self.fault(at, "the document ends inside an <Obj>")),
                    _ => {}
                }
            }
        }
        if let Some(id) = ref_id {
            self.refs.insert(id, (obj.clone(), weight(&obj)));
        }
        Ok(obj)
    }

    fn object_child(
        &mut self,
        obj: &mut Object,
        c: &BytesStart<'_>,
        at: usize,
        empty: bool,
        depth: usize,
    ) -> Result<(), Problem> {
        match c.local_name().as_ref() {
            b"TN" => {
                let id = attr(c, b"RefId");
                let names = if empty { Vec::new() } else { self.type_names(at)? };
                if let Some(id) = id {
                    self.types.insert(id, names.clone());
                }
                obj.type_names = names;
            }
            b"TNRef" => {
                if !empty {
                    self.skip(at)?;
                }
                let id = attr(c, b"RefId").unwrap_or_default();
                obj.type_names = self.types.get(&id).cloned().unwrap_or_default();
            }
            b"ToString" => {
                obj.to_string = Some(if empty { String::new() } else { self.text_content(at)? });
            }
            b"Props" | b"MS" => {
                if !empty {
                    self.members(obj, depth)?;
                }
            }
            b"LST" | b"IE" | b"STK" | b"QUE" => {
                obj.is_list = true;
                if !empty {
                    obj.items = self.items(depth)?;
                }
            }
            b"DCT" => {
                obj.is_list = true;
                if !empty {
                    obj.entries = self.dictionary(depth)?;
                }
            }
            _ => {
                let (_, v) = self.element(c, at, empty, depth + 1)?;
                obj.inner = Some(Box::new(v));
            }
        }
        Ok(())
    }

    /// The children of `<Props>` / `<MS>` until its end tag.
    fn members(&mut self, obj: &mut Object, depth: usize) -> Result<(), Problem> {
        loop {
            let at = self.pos();
            let ev = self.next(at)?;
            let (c, empty) = match ev {
                Event::Start(c) => (c, false),
                Event::Empty(c) => (c, true),
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.fault(at, "the document ends inside <Props>")),
                _ => continue,
            };
            let (name, value) = self.element(&c, at, empty, depth + 1)?;
            let end = self.pos();
            let excerpt = match &value {
                Value::Obj(o) => {
                    let tag_end = self
                        .text
                        .get(at..end.min(self.text.len()))
                        .and_then(|t| t.find('>'))
                        .map_or(end, |i| at + i + 1);
                    let head = self.excerpt(at, tag_end);
                    match &o.to_string {
                        Some(s) => shorten(&format!("{head} … <ToString>{s}</ToString>")),
                        None => head,
                    }
                }
                Value::Secret => format!("<{} N=\"{}\"> (not shown)", tag_name(&c), name.as_deref().unwrap_or("")),
                _ => self.excerpt(at, end),
            };
            obj.props.push(Property {
                name: name.unwrap_or_default(),
                value,
                line: self.line_at(at),
                excerpt,
            });
        }
    }

    fn items(&mut self, depth: usize) -> Result<Vec<Value>, Problem> {
        Ok(self.children(depth)?.into_iter().map(|(_, v)| v).collect())
    }

    /// The value elements up to the current element's end tag, with their `N` attributes.
    fn children(&mut self, depth: usize) -> Result<Vec<(Option<String>, Value)>, Problem> {
        let mut out = Vec::new();
        loop {
            let at = self.pos();
            let ev = self.next(at)?;
            match ev {
                Event::Start(c) => out.push(self.element(&c, at, false, depth + 1)?),
                Event::Empty(c) => out.push(self.element(&c, at, true, depth + 1)?),
                Event::End(_) => return Ok(out),
                Event::Eof => return Err(self.fault(at, "the document ends inside a collection")),
                _ => {}
            }
        }
    }

    /// `<DCT>`: `<En>` entries holding `<X N="Key">` and `<X N="Value">`.
    fn dictionary(&mut self, depth: usize) -> Result<Vec<(Value, Value)>, Problem> {
        let mut out = Vec::new();
        loop {
            let at = self.pos();
            let ev = self.next(at)?;
            match ev {
                Event::Start(c) if c.local_name().as_ref() == b"En" => {
                    let mut key = Value::Nil;
                    let mut val = Value::Nil;
                    for (n, v) in self.children(depth)? {
                        if n.as_deref() == Some("Key") {
                            key = v;
                        } else {
                            val = v;
                        }
                    }
                    out.push((key, val));
                }
                Event::Start(_) => self.skip(at)?,
                Event::End(_) => return Ok(out),
                Event::Eof => return Err(self.fault(at, "the document ends inside a <DCT>")),
                _ => {}
            }
        }
    }

    /// The `<T>` texts of a `<TN>`.
    fn type_names(&mut self, start: usize) -> Result<Vec<String>, Problem> {
        let mut names = Vec::new();
        loop {
            let at = self.pos();
            let ev = self.next(at)?;
            match ev {
                Event::Start(_) => names.push(self.text_content(at)?),
                Event::End(_) => return Ok(names),
                Event::Eof => return Err(self.fault(start, "the document ends inside a <TN>")),
                _ => {}
            }
        }
    }

    /// The text of an element whose start tag was read, through its end tag (entities resolved, PowerShell's
    /// `_xHHHH_` escapes decoded). Child elements are skipped.
    fn text_content(&mut self, start: usize) -> Result<String, Problem> {
        let mut s = String::new();
        loop {
            let at = self.pos();
            let ev = self.next(at)?;
            match ev {
                Event::Text(t) => s.push_str(&t.decode().map_err(|err| self.fault(at, err.to_string()))?),
                Event::CData(t) => s.push_str(&t.decode().map_err(|err| self.fault(at, err.to_string()))?),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        Ok(None) => r
                            .decode()
                            .ok()
                            .and_then(|n| resolve_predefined_entity(&n).map(str::to_string)),
                        Err(_) => None,
                    };
                    match resolved {
                        Some(c) => s.push_str(&c),
                        None => {
                            return Err(self.fault(
                                at,
                                "an entity that is not one of XML's own (entities are never expanded)",
                            ));
                        }
                    }
                }
                Event::Start(_) => self.skip(at)?,
                Event::End(_) => return Ok(decode_escapes(&s)),
                Event::Eof => return Err(self.fault(start, "the document ends inside an element")),
                _ => {}
            }
        }
    }

    /// Skips to the end of the element whose start tag was just read.
    fn skip(&mut self, start: usize) -> Result<(), Problem> {
        let mut depth = 1usize;
        loop {
            let at = self.pos();
            match self.next(at)? {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.fault(start, "the document ends inside an element")),
                _ => {}
            }
        }
    }
}

/// The number of values an object holds, itself included.
fn weight(o: &Object) -> usize {
    let of = |v: &Value| match v {
        Value::Obj(o) => weight(o),
        _ => 1,
    };
    1 + o.inner.as_deref().map_or(0, of)
        + o.props.iter().map(|p| of(&p.value)).sum::<usize>()
        + o.items.iter().map(of).sum::<usize>()
        + o.entries.iter().map(|(k, v)| of(k) + of(v)).sum::<usize>()
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    xml_limits::attributes(e)
        .take(xml_limits::MAX_ATTRIBUTES)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn tag_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

fn primitive(tag: &[u8], text: String) -> Value {
    match tag {
        b"B" => match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Value::Bool(true),
            t if t.eq_ignore_ascii_case("false") => Value::Bool(false),
            _ => Value::Text(text),
        },
        b"I32" | b"I64" | b"I16" | b"U16" | b"U32" | b"U64" | b"By" | b"SB" => match text.trim().parse::<i64>() {
            Ok(n) => Value::Int(n),
            Err(_) => Value::Text(text),
        },
        _ => Value::Text(text),
    }
}

/// Decodes PowerShell's `_xHHHH_` escapes (control characters, and `_` itself where it would be ambiguous).
pub fn decode_escapes(s: &str) -> String {
    if !s.contains("_x") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let cand = &rest[i..];
        let decoded = cand
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| cand.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &cand[7..];
            }
            None => {
                out.push_str("_x");
                rest = &cand[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= EXCERPT_CHARS {
        s.to_string()
    } else {
        let cut: String = s.chars().take(EXCERPT_CHARS).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Some.Type</T><T>System.Object</T></TN>
    <ToString>SRV\thing</ToString>
    <Props>
      <S N="Name">a &amp; b_x000D__x000A_c</S>
      <B N="Flag">true</B>
      <Nil N="Nothing" />
      <SS N="Password">01000000d08c9ddf</SS>
      <Obj N="Kind" RefId="1">
        <TN RefId="1"><T>Some.Enum</T><T>System.Enum</T></TN>
        <ToString>Fba</ToString>
        <I32>3</I32>
      </Obj>
      <Obj N="List" RefId="2">
        <TN RefId="2"><T>System.Collections.ArrayList</T></TN>
        <LST><S>x</S><Ref RefId="1" /></LST>
      </Obj>
    </Props>
    <MS><S N="Extra">e</S></MS>
  </Obj>
  <Obj RefId="3"><TNRef RefId="0" /><Props><S N="Name">second</S></Props></Obj>
</Objs>"#;

    #[test]
    fn objects_props_enums_lists_and_refs() {
        let doc = parse(DOC);
        assert!(doc.errors.is_empty() && doc.warnings.is_empty(), "{doc:?}");
        let top = doc.values;
        assert_eq!(top.len(), 2);
        let o = top[0].as_object().expect("object");
        assert_eq!(o.line, 2);
        assert_eq!(o.type_names, vec!["Some.Type", "System.Object"]);
        assert_eq!(o.to_string.as_deref(), Some("SRV\\thing"));
        assert_eq!(
            o.prop("name").and_then(|p| p.value.text()).as_deref(),
            Some("a & b\r\nc")
        );
        assert_eq!(o.prop("Name").map(|p| p.line), Some(6));
        assert_eq!(o.prop("Flag").map(|p| &p.value), Some(&Value::Bool(true)));
        assert_eq!(o.prop("Nothing").map(|p| &p.value), Some(&Value::Nil));
        let pw = o.prop("Password").expect("kept");
        assert_eq!(pw.value, Value::Secret);
        assert!(!pw.excerpt.contains("01000000"), "{}", pw.excerpt);
        assert_eq!(o.prop("Kind").and_then(|p| p.value.text()).as_deref(), Some("Fba"));
        let list = o.prop("List").and_then(|p| p.value.as_object()).expect("list");
        assert!(list.is_list);
        let texts: Vec<String> = list.items.iter().filter_map(Value::text).collect();
        assert_eq!(texts, vec!["x", "Fba"]);
        assert_eq!(o.prop("Extra").and_then(|p| p.value.text()).as_deref(), Some("e"));
        let second = top[1].as_object().expect("object");
        assert_eq!(second.type_names, vec!["Some.Type", "System.Object"]);
    }

    #[test]
    fn one_line_documents_still_locate_and_shorten() {
        let one = DOC.replace('\n', "");
        let doc = parse(&one);
        assert!(doc.errors.is_empty());
        let top = doc.values;
        let o = top[0].as_object().expect("object");
        let p = o.prop("Name").expect("name");
        assert_eq!(p.line, 1);
        assert!(p.excerpt.starts_with("<S N=\"Name\">"), "{}", p.excerpt);
        assert!(p.excerpt.chars().count() <= EXCERPT_CHARS + 1);
    }

    #[test]
    fn cut_and_malformed_documents_give_located_errors() {
        let cut = &DOC[..DOC.find("<MS>").expect("has MS")];
        let doc = parse(cut);
        assert!(doc.values.is_empty());
        assert!(doc.errors.iter().any(|p| p.line.is_some()), "{:?}", doc.errors);
        let doc = parse("<Objs><Obj RefId=\"0\"><Props><S N=\"a\">x</B></Props></Obj></Objs>");
        assert!(!doc.errors.is_empty());
        assert_eq!(parse("hello").errors.len(), 1);
        let doc = parse("<Objs><Obj RefId=\"0\"><Props><Ref N=\"a\" RefId=\"9\" /></Props></Obj></Objs>");
        assert_eq!((doc.values.len(), doc.errors.len(), doc.warnings.len()), (1, 0, 1));
    }

    #[test]
    fn references_to_references_do_not_explode() {
        let mut doc = String::from("<Objs><Obj RefId=\"0\"><LST><S>x</S><S>y</S></LST></Obj>");
        for i in 1..40 {
            doc.push_str(&format!(
                "<Obj RefId=\"{i}\"><LST><Ref RefId=\"{p}\" /><Ref RefId=\"{p}\" /></LST></Obj>",
                p = i - 1
            ));
        }
        doc.push_str("</Objs>");
        let parsed = parse(&doc);
        assert_eq!(parsed.values.len(), 40);
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    #[test]
    fn dictionaries() {
        let doc =
            parse("<Objs><Obj RefId=\"0\"><DCT><En><S N=\"Key\">k</S><I32 N=\"Value\">7</I32></En></DCT></Obj></Objs>");
        let o = doc.values[0].as_object().expect("object");
        assert_eq!(o.entries, vec![(Value::Text("k".into()), Value::Int(7))]);
    }

    #[test]
    fn escapes() {
        assert_eq!(decode_escapes("a_x005F_b"), "a_b");
        assert_eq!(decode_escapes("_x_y_x00"), "_x_y_x00");
        assert_eq!(decode_escapes("x_x000A_"), "x\n");
    }
}
