//! `--format json`: the `owa440.diagnosis/1` contract (see the README).

use crate::diagnosis::Diagnosis;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, d: &Diagnosis) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, d).map_err(io::Error::from)?;
    writeln!(out)
}

/// The diagnosis as a JSON value (batch output, tests).
pub fn to_value(d: &Diagnosis) -> serde_json::Value {
    serde_json::to_value(d).unwrap_or(serde_json::Value::Null)
}
