//! `owa440 diagnose BUNDLE`.

use super::{written, Outcome};
use crate::diagnosis;
use crate::render::style::{ColorChoice, Style};
use crate::render::{json, markdown, table, Format};
use std::io::Write;
use std::path::Path;

pub fn run(bundle: &Path, format: Format, color: ColorChoice, out: &mut dyn Write, is_terminal: bool) -> Outcome {
    let d = diagnosis::diagnose(bundle).map_err(|e| e.to_string())?;
    if !d.analysed_any {
        let listed: Vec<String> = d
            .inputs
            .iter()
            .map(|i| {
                i.error
                    .clone()
                    .unwrap_or_else(|| format!("{}: {}", i.path, i.kind.id()))
            })
            .collect();
        return Err(format!(
            "nothing in {} could be analysed ({} file(s): {})",
            d.bundle,
            d.inputs.len(),
            if listed.is_empty() {
                "empty".into()
            } else {
                listed.join("; ")
            }
        ));
    }
    let code = if d.positive() { 1 } else { 0 };
    let r = match format {
        Format::Table => table::write(out, &d, Style::resolve(color, is_terminal)),
        Format::Json => json::write(out, &d),
        Format::Markdown => markdown::write(out, &d),
    };
    written(r, code)
}
