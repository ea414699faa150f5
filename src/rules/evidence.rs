//! Findings and their evidence.

use super::{inputs::Input, Cause, Verdict};
use crate::facts::{Located, Source};
use serde::Serialize;
use std::collections::BTreeMap;

/// Configuration evidence shows how the server is set; symptom evidence (logs, events) shows what it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    Config,
    Symptom,
}

/// One piece of evidence: where, what the line says, and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub excerpt: String,
    pub kind: EvidenceKind,
    /// What this evidence shows, in a sentence.
    pub note: String,
}

impl Evidence {
    pub fn new(kind: EvidenceKind, source: &Source, excerpt: impl Into<String>, note: impl Into<String>) -> Self {
        Evidence {
            path: source.path.clone(),
            line: source.line,
            excerpt: excerpt.into(),
            kind,
            note: note.into(),
        }
    }
    pub fn config<T>(fact: &Located<T>, note: impl Into<String>) -> Self {
        Evidence::new(EvidenceKind::Config, &fact.source, fact.excerpt.clone(), note)
    }
    /// `path:line`.
    pub fn location(&self) -> String {
        Source::new(&self.path, self.line).to_string()
    }
}

/// An input that would decide the cause, and how to collect it.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub input: String,
    pub file: String,
    pub command: String,
    /// Why it is needed.
    pub why: String,
}

impl Missing {
    pub fn of(input: &Input, why: impl Into<String>) -> Self {
        Missing {
            input: input.what.into(),
            file: input.file.into(),
            command: input.command.into(),
            why: why.into(),
        }
    }
}

/// The verdict on one cause, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub cause: Cause,
    pub title: &'static str,
    pub verdict: Verdict,
    /// The verdict's reason, in a sentence or two.
    pub summary: String,
    pub evidence: Vec<Evidence>,
    pub missing: Vec<Missing>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Details the procedure needs (e.g. which rights hold Guests), by name.
    #[serde(skip)]
    pub vars: BTreeMap<&'static str, String>,
}

impl Finding {
    pub fn new(cause: Cause, verdict: Verdict, summary: impl Into<String>) -> Self {
        Finding {
            cause,
            title: cause.title(),
            verdict,
            summary: summary.into(),
            evidence: Vec::new(),
            missing: Vec::new(),
            notes: Vec::new(),
            vars: BTreeMap::new(),
        }
    }
}

impl Evidence {
    /// `config` or `symptom`.
    pub fn kind_word(&self) -> &'static str {
        match self.kind {
            EvidenceKind::Config => "config",
            EvidenceKind::Symptom => "symptom",
        }
    }
}
