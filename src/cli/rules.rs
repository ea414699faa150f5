//! `owa440 rules`: every cause, what it looks for, the inputs it needs, and its procedure.

use super::{written, Outcome, RulesFormat};
use crate::procedures::{procedure, Vars};
use crate::rules::Cause;
use serde_json::json;
use std::io::Write;

pub fn run(format: RulesFormat, out: &mut dyn Write) -> Outcome {
    let r = match format {
        RulesFormat::Json => {
            let rules: Vec<_> = Cause::ALL
                .iter()
                .map(|c| {
                    json!({
                        "cause": c.id(),
                        "title": c.title(),
                        "looks_for": c.looks_for(),
                        "inputs": c.inputs(),
                        "procedure": c.procedure(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &json!({ "schema": "owa440.rules/1", "rules": rules }))
                .map_err(std::io::Error::from)
                .and_then(|_| writeln!(out))
        }
        RulesFormat::Table => write_text(out),
    };
    written(r, 0)
}

fn write_text(out: &mut dyn Write) -> std::io::Result<()> {
    let vars = Vars::default();
    for (i, c) in Cause::ALL.iter().enumerate() {
        writeln!(out, "{}. {} — {}", i + 1, c.id(), c.title())?;
        writeln!(out, "   Looks for: {}", c.looks_for())?;
        writeln!(out, "   Inputs:")?;
        for input in c.inputs() {
            writeln!(out, "     - {} ({}): {}", input.what, input.file, input.command)?;
        }
        if let Some(p) = procedure(c.procedure()) {
            writeln!(out, "   Procedure {}: {}", p.id, vars.fill(p.title))?;
            for s in p.steps {
                writeln!(out, "     - {}", s.text)?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}
