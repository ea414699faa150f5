//! Evidence from W3C IIS logs, computed in one pass per file.

use serde::Serialize;

/// What one log file shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogEvidence {
    pub path: String,
    pub records: u64,
}
