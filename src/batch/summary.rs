//! The batch summary: one row per case, and counts per cause and verdict.

use super::expect::Expectation;
use super::CaseRecord;
use crate::render::style::Style;
use crate::rules::{Cause, Verdict};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// What the summary keeps of a case (small: the full diagnosis is in the results file).
#[derive(Debug, Clone)]
pub struct Row {
    pub case: String,
    pub server: Option<String>,
    pub top: Option<(Cause, Verdict)>,
    pub inputs_read: usize,
    pub input_errors: usize,
    pub error: Option<String>,
    pub verdicts: Vec<(Cause, Verdict)>,
    pub expectation: Option<Expectation>,
    pub duration_ms: u64,
}

impl Row {
    pub fn from_record(r: &CaseRecord, expectation: Option<Expectation>) -> Row {
        let (inputs_read, input_errors) = r.input_counts();
        Row {
            case: r.case().to_string(),
            server: r.server().map(str::to_string),
            top: r.top(),
            inputs_read,
            input_errors,
            error: r.error().map(str::to_string),
            verdicts: r.verdicts(),
            expectation,
            duration_ms: r.0["duration_ms"].as_u64().unwrap_or(0),
        }
    }
}

/// Counts per cause and verdict.
pub fn aggregate(rows: &[Row]) -> BTreeMap<Cause, BTreeMap<Verdict, usize>> {
    let mut m: BTreeMap<Cause, BTreeMap<Verdict, usize>> = BTreeMap::new();
    for r in rows {
        for (c, v) in &r.verdicts {
            *m.entry(*c).or_default().entry(*v).or_default() += 1;
        }
    }
    m
}

pub fn write(out: &mut dyn Write, rows: &[Row], style: Style, resumed: usize) -> io::Result<()> {
    let expect_mode = rows.iter().any(|r| r.expectation.is_some());
    let mut t = style.table();
    let mut header = vec!["case", "server", "top cause", "verdict", "inputs read", "errors"];
    if expect_mode {
        header.push("expected");
    }
    t.set_header(header);
    for r in rows {
        let (cause, verdict) = match (&r.error, r.top) {
            (Some(_), _) => ("-".to_string(), "failed".to_string()),
            (None, Some((c, v))) => (c.id().to_string(), v.id().to_string()),
            (None, None) => ("none".to_string(), "-".to_string()),
        };
        let errors = match &r.error {
            Some(e) => e.clone(),
            None => r.input_errors.to_string(),
        };
        let mut row = vec![
            r.case.clone(),
            r.server.clone().unwrap_or_else(|| "-".into()),
            cause,
            verdict,
            r.inputs_read.to_string(),
            errors,
        ];
        if expect_mode {
            row.push(match &r.expectation {
                Some(Expectation::Match) => "pass".into(),
                Some(Expectation::Mismatch(d)) => format!("FAIL: {d}"),
                Some(Expectation::None) => "no expectation".into(),
                None => "(resumed)".into(),
            });
        }
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
    writeln!(out)?;
    let agg = aggregate(rows);
    let mut t = style.table();
    t.set_header(vec!["cause", "confirmed", "likely", "ruled-out", "unknown"]);
    for c in Cause::ALL {
        let counts = agg.get(&c);
        let n = |v: Verdict| counts.and_then(|m| m.get(&v)).copied().unwrap_or(0).to_string();
        t.add_row(vec![
            c.id().to_string(),
            n(Verdict::Confirmed),
            n(Verdict::Likely),
            n(Verdict::RuledOut),
            n(Verdict::Unknown),
        ]);
    }
    writeln!(out, "{t}")?;
    let failed = rows.iter().filter(|r| r.error.is_some()).count();
    let mismatched = rows
        .iter()
        .filter(|r| matches!(r.expectation, Some(Expectation::Mismatch(_))))
        .count();
    let mut line = format!(
        "{} case(s): {} analysed, {} failed",
        rows.len(),
        rows.len() - failed,
        failed
    );
    if resumed > 0 {
        line.push_str(&format!(", {resumed} resumed from the results file"));
    }
    if expect_mode {
        line.push_str(&format!("; expectations: {mismatched} mismatch(es)"));
    }
    writeln!(out, "{line}")
}
