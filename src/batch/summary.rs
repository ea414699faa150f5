//! The batch summary: one row per case, and counts per cause and verdict.

use super::expect::Expectation;
use super::CaseRecord;
use crate::render::long_table;
use crate::render::style::Style;
use crate::rules::{Cause, Verdict};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// What the summary keeps of a case: a few short strings and fixed-size fields, so a batch of any size keeps
/// little per case (the full diagnosis is in the results file).
#[derive(Debug, Clone)]
pub struct Row {
    pub case: String,
    pub server: Option<String>,
    pub top: Option<(Cause, Verdict)>,
    pub inputs_read: u32,
    pub input_errors: u32,
    pub error: Option<String>,
    /// The verdict of each cause, in [`Cause::ALL`] order (`None`: not in the diagnosis).
    pub verdicts: [Option<Verdict>; 6],
    pub expectation: Option<Expectation>,
    pub duration_ms: u64,
}

impl Row {
    pub fn from_record(r: &CaseRecord, expectation: Option<Expectation>) -> Row {
        let (inputs_read, input_errors) = r.input_counts();
        let mut verdicts = [None; 6];
        for (c, v) in r.verdicts() {
            if let Some(i) = Cause::ALL.iter().position(|x| *x == c) {
                verdicts[i] = Some(v);
            }
        }
        Row {
            case: r.case().to_string(),
            server: r.server().map(str::to_string),
            top: r.top(),
            inputs_read: inputs_read.try_into().unwrap_or(u32::MAX),
            input_errors: input_errors.try_into().unwrap_or(u32::MAX),
            error: r.error().map(str::to_string),
            verdicts,
            expectation,
            duration_ms: r.0["duration_ms"].as_u64().unwrap_or(0),
        }
    }

    /// Each cause in the diagnosis with its verdict.
    pub fn verdicts(&self) -> impl Iterator<Item = (Cause, Verdict)> + '_ {
        Cause::ALL
            .iter()
            .zip(&self.verdicts)
            .filter_map(|(c, v)| v.map(|v| (*c, v)))
    }
}

/// Counts per cause and verdict.
pub fn aggregate(rows: &[Row]) -> BTreeMap<Cause, BTreeMap<Verdict, usize>> {
    let mut m: BTreeMap<Cause, BTreeMap<Verdict, usize>> = BTreeMap::new();
    for r in rows {
        for (c, v) in r.verdicts() {
            *m.entry(c).or_default().entry(v).or_default() += 1;
        }
    }
    m
}

pub fn write(out: &mut dyn Write, rows: &[Row], style: Style, resumed: usize) -> io::Result<()> {
    let expect_mode = rows.iter().any(|r| r.expectation.is_some());
    let mut header = vec!["case", "server", "top cause", "verdict", "inputs read", "errors"];
    if expect_mode {
        header.push("expected");
    }
    long_table::write(out, style, &header, rows.len(), |i| {
        let r = &rows[i];
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
        row
    })?;
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
