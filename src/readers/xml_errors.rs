//! How a malformed XML document is described, the same in every XML reader: quick-xml's message (which names
//! tags, never values), and for a document that ends inside a tag, a comment or a CDATA section, that it is cut
//! short (a copy stopped early, a size limit of the tool that collected it).

use quick_xml::errors::SyntaxError;

/// `malformed XML: ...`, saying when the document is cut short.
pub fn describe(err: &quick_xml::Error) -> String {
    match err {
        quick_xml::Error::Escape(_) => "malformed XML: malformed character reference".into(),
        quick_xml::Error::Syntax(
            SyntaxError::UnclosedTag
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedCData
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedPIOrXmlDecl,
        ) => format!("malformed XML: {err} (the file is cut short)"),
        other => format!("malformed XML: {other}"),
    }
}
