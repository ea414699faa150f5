//! `--format table` (the default): a verdict table, then evidence with file:line, then the plan, then the inputs.

use super::style::Style;
use crate::diagnosis::Diagnosis;
use crate::rules::{EvidenceKind, Verdict};
use comfy_table::Cell;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, d: &Diagnosis, style: Style) -> io::Result<()> {
    let n = &d.names;
    writeln!(out, "{}", style.heading(&format!("owa440 diagnosis of {}", d.bundle)))?;
    writeln!(
        out,
        "server {} · anonymous account {} ({}) · web site \"{}\" (id {})",
        n.server.as_ref().map(|s| s.value.as_str()).unwrap_or("unknown"),
        n.anonymous_account.value,
        n.anonymous_account.how,
        n.web_site.value,
        n.site_id.value
    )?;
    writeln!(out)?;

    let mut t = style.table();
    t.set_header(vec!["cause", "verdict", "why"]);
    for f in &d.findings {
        let mut verdict = Cell::new(f.verdict.id());
        if let Some(c) = style.verdict_color(f.verdict) {
            verdict = verdict.fg(c);
        }
        t.add_row(vec![Cell::new(f.cause.id()), verdict, Cell::new(&f.summary)]);
    }
    writeln!(out, "{}", style.heading("Verdicts"))?;
    writeln!(out, "{t}")?;

    if d.findings.iter().any(|f| !f.evidence.is_empty()) {
        let mut t = style.table();
        t.set_header(vec!["cause", "kind", "where", "what the file says", "meaning"]);
        for f in d
            .findings
            .iter()
            .filter(|f| f.verdict.is_positive() || f.verdict.id() == "ruled-out")
        {
            for e in &f.evidence {
                let kind = match e.kind {
                    EvidenceKind::Config => "config",
                    EvidenceKind::Symptom => "symptom",
                };
                t.add_row(vec![f.cause.id(), kind, &e.location(), &e.excerpt, &e.note]);
            }
        }
        writeln!(out)?;
        writeln!(out, "{}", style.heading("Evidence"))?;
        writeln!(out, "{t}")?;
    }

    let notes: Vec<(&str, &String)> = d
        .findings
        .iter()
        .flat_map(|f| f.notes.iter().map(move |n| (f.cause.id(), n)))
        .collect();
    if !notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.heading("Notes"))?;
        for (cause, note) in notes {
            writeln!(out, "- {cause}: {note}")?;
        }
    }

    writeln!(out)?;
    writeln!(out, "{}", style.heading("Plan"))?;
    if d.plan.is_empty() {
        writeln!(out, "No cause is confirmed or likely: nothing to fix from this bundle.")?;
    }
    for item in &d.plan {
        let causes: Vec<&str> = item.causes.iter().map(|c| c.id()).collect();
        writeln!(
            out,
            "{}. {} [{}] (for {})",
            item.order,
            item.title,
            item.procedure,
            causes.join(", ")
        )?;
        for (i, s) in item.steps.iter().enumerate() {
            writeln!(out, "   {}. {}", i + 1, s.text)?;
            if let Some(c) = &s.command {
                for line in c.lines() {
                    writeln!(out, "        {line}")?;
                }
            }
        }
        writeln!(out, "   Check: {}", item.check)?;
    }

    let missing: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.verdict != Verdict::RuledOut)
        .flat_map(|f| f.missing.iter().map(move |m| (f.cause.id(), m)))
        .collect();
    if !missing.is_empty() {
        let mut t = style.table();
        t.set_header(vec!["to decide or confirm", "collect", "command"]);
        let mut seen = std::collections::BTreeMap::<&str, Vec<&str>>::new();
        let mut order = Vec::new();
        for (cause, m) in &missing {
            let e = seen.entry(m.input.as_str()).or_insert_with(|| {
                order.push(*m);
                Vec::new()
            });
            if !e.contains(cause) {
                e.push(cause);
            }
        }
        for m in order {
            t.add_row(vec![
                seen[m.input.as_str()].join(", "),
                format!("{} ({})", m.input, m.file),
                m.command.clone(),
            ]);
        }
        writeln!(out)?;
        writeln!(out, "{}", style.heading("Missing inputs"))?;
        writeln!(out, "{t}")?;
    }

    let mut t = style.table();
    t.set_header(vec!["input", "kind", "status"]);
    for i in &d.inputs {
        let status = match (&i.error, i.warnings.len()) {
            (Some(e), _) => e.clone(),
            (None, 0) if i.kind.is_analysed() => "read".to_string(),
            (None, 0) => "listed, not analysed".to_string(),
            (None, w) => format!("read, {w} warning(s): {}", i.warnings[0].located(&i.path)),
        };
        t.add_row(vec![i.path.clone(), i.kind.id().to_string(), status]);
    }
    writeln!(out)?;
    writeln!(out, "{}", style.heading("Inputs"))?;
    writeln!(out, "{t}")?;
    Ok(())
}
