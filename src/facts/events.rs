//! Failed logons from the Security event log.

use serde::Serialize;

/// One failed logon (4625, or 529-539 on Windows 2003).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogonFailure {
    pub event_id: u32,
}

/// One event log file read, and how many records it held.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EventLogSummary {
    pub path: String,
    pub records: u64,
}
