//! The diagnosis of one bundle: every input with its kind, every cause's finding, and the plan.

use crate::bundle::{kind, Bundle, BundleError, BundleFile, Kind};
use crate::facts::names::{self, Names};
use crate::facts::Facts;
use crate::procedures::{self, PlanItem};
use crate::readers::w3c::continued;
use crate::readers::{self, Problem};
use crate::rules::{self, Finding};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// The JSON schema id of [`Diagnosis`].
pub const SCHEMA: &str = "owa440.diagnosis/1";

/// One file of the bundle as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    pub path: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
    /// The first error, located (`secpol.inf line 12: ...`); null when the file was read cleanly.
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Problem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Problem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl InputReport {
    /// True when the file was recognised and gave something to analyse.
    pub fn analysed(&self) -> bool {
        self.kind.is_analysed() && (self.errors.is_empty() || !self.warnings.is_empty() || self.error.is_none())
    }
}

/// The whole result, which every renderer prints.
#[derive(Debug, Serialize)]
pub struct Diagnosis {
    pub schema: &'static str,
    /// The owa440 version that wrote it.
    pub version: &'static str,
    pub bundle: String,
    pub names: Names,
    pub inputs: Vec<InputReport>,
    pub findings: Vec<Finding>,
    pub plan: Vec<PlanItem>,
    #[serde(skip)]
    pub facts: Facts,
    /// Whether any recognised input could be read (else the exit code is 2).
    #[serde(skip)]
    pub analysed_any: bool,
}

impl Diagnosis {
    /// True when at least one cause is confirmed or likely.
    pub fn positive(&self) -> bool {
        self.findings.iter().any(|f| f.verdict.is_positive())
    }
}

/// Reads one file: recognises its kind and runs its reader.
pub fn read_file(file: &BundleFile) -> (InputReport, Facts) {
    let (kind, out) = match file.head(kind::SNIFF_BYTES) {
        Ok(head) => {
            let kind = kind::recognise(&head);
            let mut out = readers::read(file, kind);
            if head.is_empty() {
                out.notes.push("an empty file".into());
            }
            (kind, out)
        }
        Err(e) => (
            Kind::Unreadable,
            readers::ReadOutput {
                errors: vec![Problem::file(format!("cannot be read: {e}"))],
                ..Default::default()
            },
        ),
    };
    report(file, kind, out)
}

fn report(file: &BundleFile, kind: Kind, out: readers::ReadOutput) -> (InputReport, Facts) {
    let report = InputReport {
        path: file.path.clone(),
        kind,
        encoding: out.encoding,
        error: out.errors.first().map(|p| p.located(&file.path)),
        errors: out.errors,
        warnings: out.warnings,
        notes: out.notes,
    };
    (report, out.facts)
}

/// W3C logs cut in pieces: a log file that starts with data lines, after a W3C log of the same folder, is read
/// again with the directives in force at the end of that log (see [`continued`]). `read` is in `files` order.
fn continue_logs(files: &[BundleFile], read: &mut [(InputReport, Facts)]) {
    let is_log = |i: usize| read[i].0.kind == Kind::W3cLog;
    let continued = continued::continuations(files, is_log);
    for (i, c) in continued.into_iter().enumerate() {
        let Some((j, header)) = c else { continue };
        let out = readers::guarded(Kind::W3cLog, || {
            continued::read_continued(&files[i], Kind::W3cLog, header, &files[j].path)
        });
        read[i] = report(&files[i], Kind::W3cLog, out);
    }
}

/// Diagnoses an opened bundle.
pub fn diagnose_bundle(bundle: &Bundle) -> Diagnosis {
    let mut read: Vec<(InputReport, Facts)> = bundle.files.par_iter().map(read_file).collect();
    continue_logs(&bundle.files, &mut read);
    let mut facts = Facts::default();
    let mut inputs = Vec::with_capacity(read.len() + bundle.skipped.len());
    let mut analysed_any = false;
    for (report, f) in read {
        let gave_facts = !f.is_empty();
        analysed_any |= report.kind.is_analysed() && (gave_facts || report.errors.is_empty());
        facts.merge(f);
        inputs.push(report);
    }
    for (path, why) in &bundle.skipped {
        inputs.push(InputReport {
            path: path.clone(),
            kind: Kind::Unreadable,
            encoding: None,
            error: Some(format!("{path}: {why}")),
            errors: vec![Problem::file(why.clone())],
            warnings: vec![],
            notes: vec![],
        });
    }
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    diagnose_facts(bundle.root.clone(), inputs, facts, analysed_any)
}

/// Runs the rules and the plan over merged facts.
pub fn diagnose_facts(bundle: String, inputs: Vec<InputReport>, facts: Facts, analysed_any: bool) -> Diagnosis {
    let names = names::derive(&facts);
    let findings = rules::evaluate(&facts, &names);
    let plan = procedures::plan(&findings, &names);
    Diagnosis {
        schema: SCHEMA,
        version: env!("CARGO_PKG_VERSION"),
        bundle,
        names,
        inputs,
        findings,
        plan,
        facts,
        analysed_any,
    }
}

/// Opens and diagnoses the bundle at `path`.
pub fn diagnose(path: &Path) -> Result<Diagnosis, BundleError> {
    Ok(diagnose_bundle(&Bundle::open(path)?))
}
