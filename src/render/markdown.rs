//! `--format markdown`: the diagnosis as a ticket comment.

use crate::diagnosis::Diagnosis;
use std::io::{self, Write};

/// Escapes the characters that would break a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn write(out: &mut dyn Write, d: &Diagnosis) -> io::Result<()> {
    let n = &d.names;
    writeln!(out, "## owa440 diagnosis: `{}`", d.bundle)?;
    writeln!(out)?;
    writeln!(
        out,
        "- Server: {}",
        n.server
            .as_ref()
            .map(|s| format!("`{}` ({})", s.value, s.how))
            .unwrap_or_else(|| "unknown".into())
    )?;
    writeln!(
        out,
        "- Anonymous account: `{}` ({})",
        n.anonymous_account.value, n.anonymous_account.how
    )?;
    writeln!(out, "- Web site: `{}` (id {})", n.web_site.value, n.site_id.value)?;
    writeln!(out)?;
    writeln!(out, "| cause | verdict | why |")?;
    writeln!(out, "|---|---|---|")?;
    for f in &d.findings {
        writeln!(
            out,
            "| `{}` | **{}** | {} |",
            f.cause.id(),
            f.verdict.id(),
            cell(&f.summary)
        )?;
    }
    for f in d
        .findings
        .iter()
        .filter(|f| !f.evidence.is_empty() || !f.notes.is_empty())
    {
        writeln!(out)?;
        writeln!(out, "### `{}`: {}", f.cause.id(), f.verdict.id())?;
        for e in &f.evidence {
            writeln!(
                out,
                "- {} `{}`: `{}` — {}",
                e.kind_word(),
                e.location(),
                e.excerpt.replace('`', "'"),
                e.note
            )?;
        }
        for note in &f.notes {
            writeln!(out, "- Note: {note}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "### Plan")?;
    if d.plan.is_empty() {
        writeln!(out, "No cause is confirmed or likely: nothing to fix from this bundle.")?;
    }
    for item in &d.plan {
        writeln!(out)?;
        writeln!(out, "{}. **{}** (`{}`)", item.order, item.title, item.procedure)?;
        for s in &item.steps {
            writeln!(out, "   - {}", s.text)?;
            if let Some(c) = &s.command {
                writeln!(out, "     ```")?;
                for l in c.lines() {
                    writeln!(out, "     {l}")?;
                }
                writeln!(out, "     ```")?;
            }
        }
        writeln!(out, "   - Check: {}", item.check)?;
    }
    let missing: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.verdict != crate::rules::Verdict::RuledOut)
        .flat_map(|f| &f.missing)
        .collect();
    if !missing.is_empty() {
        writeln!(out)?;
        writeln!(out, "### To collect")?;
        let mut seen = Vec::new();
        for m in missing {
            if seen.contains(&&m.input) {
                continue;
            }
            seen.push(&m.input);
            writeln!(out, "- {} (`{}`): `{}`", m.input, m.file, m.command)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "### Inputs")?;
    writeln!(out, "| file | kind | status |")?;
    writeln!(out, "|---|---|---|")?;
    for i in &d.inputs {
        let status = i.error.clone().unwrap_or_else(|| {
            if i.kind.is_analysed() {
                "read".into()
            } else {
                "not analysed".into()
            }
        });
        writeln!(out, "| `{}` | {} | {} |", cell(&i.path), i.kind.id(), cell(&status))?;
    }
    Ok(())
}
