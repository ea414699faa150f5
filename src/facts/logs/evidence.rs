//! The evidence a log gives the rules: [`LogEvidence`], what [`super::LogStats::finish`] makes of the tallies.

use super::request::{Area, Example, SigKey};
use super::HourCounts;
use super::SessionTimeouts;
use serde::Serialize;

/// One signature's tally.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub area: Area,
    /// The area as a path (`/owa/auth`).
    pub path: &'static str,
    /// True for requests without a user name (`cs-username` `-`).
    pub anonymous: bool,
    pub status: u16,
    pub substatus: u32,
    pub win32: u64,
    pub meaning: &'static str,
    /// A fault signature (see [`SigKey::is_fault`]).
    pub fault: bool,
    pub count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    #[serde(skip)]
    pub first_time: Option<i64>,
    #[serde(skip)]
    pub last_time: Option<i64>,
    /// Distinct users (0 for anonymous requests) and client IPs, counted up to 10,000.
    pub users: u64,
    pub client_ips: u64,
    /// A fault not followed by any successful anonymous request to the forms-logon paths: still failing at the end.
    pub still_going: bool,
    pub examples: Vec<Example>,
}

impl Signature {
    pub fn key(&self) -> SigKey {
        SigKey {
            area: self.area,
            anonymous: self.anonymous,
            status: self.status,
            substatus: self.substatus,
            win32: self.win32,
        }
    }
    /// `401 1 1326`.
    pub fn triple(&self) -> String {
        self.key().triple()
    }
}

/// The first fault signature.
#[derive(Debug, Clone, Serialize)]
pub struct Onset {
    pub time: String,
    pub signature: String,
    pub path: &'static str,
    pub anonymous: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Example>,
}

/// A user or client IP and how often it was hit.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    pub name: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub soon_after_logon: Option<u64>,
}

/// An `s-computername` value and the line it was first seen on.
#[derive(Debug, Clone, Serialize)]
pub struct ComputerName {
    pub name: String,
    pub line: u64,
}

/// One hour of the timeline (UTC, as IIS logs).
#[derive(Debug, Clone, Serialize)]
pub struct Hour {
    /// `YYYY-MM-DD HH:00`.
    pub hour: String,
    #[serde(skip)]
    pub start: i64,
    #[serde(flatten)]
    pub counts: HourCounts,
}

/// What one log file (or, for `owa440 logs`, several) shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogEvidence {
    pub path: String,
    pub records: u64,
    /// Requests to /owa, /exchange, /public and /exchweb.
    pub owa_requests: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// `s-computername` values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub computer_names: Vec<ComputerName>,
    /// Every status on anonymous requests to the forms-logon paths, and every 4xx/5xx on OWA; faults first.
    pub signatures: Vec<Signature>,
    pub session_timeouts: SessionTimeouts,
    /// Distinct users (or client IPs where no user is logged) that got a 440.
    pub affected_users: u64,
    /// Distinct client IPs that got a 440 or a fault signature.
    pub affected_client_ips: u64,
    pub top_users: Vec<Tally>,
    pub top_client_ips: Vec<Tally>,
    /// The first fault signature.
    pub onset: Option<Onset>,
    /// A fault signature is still failing at the end of the logs.
    pub still_going: bool,
    /// 440s and 401s on OWA per hour (hours with none left out).
    pub hourly: Vec<Hour>,
}

impl LogEvidence {
    /// True when the log holds requests to the OWA virtual directories (so it could show their signatures).
    pub fn has_owa_traffic(&self) -> bool {
        self.owa_requests > 0
    }
}
