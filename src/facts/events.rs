//! Failed logons from the Security event log (.evtx, `wevtutil qe /f:xml`, Event Viewer CSV/tab exports).
//!
//! Readers keep only the failed logons (4625, and Windows 2003's 529-539) with the fields the rules read, plus a
//! summary per file with its record counts, so a rule can tell "no failures" from "no log".

use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// NTSTATUS codes of failed logons.
pub mod status {
    /// Unknown user name or bad password (the umbrella of 0xC000006A and 0xC0000064).
    pub const BAD_NAME_OR_PASSWORD: u32 = 0xC000_006D;
    pub const NO_SUCH_USER: u32 = 0xC000_0064;
    pub const WRONG_PASSWORD: u32 = 0xC000_006A;
    /// Account restriction (the umbrella of the next five).
    pub const ACCOUNT_RESTRICTION: u32 = 0xC000_006E;
    pub const INVALID_LOGON_HOURS: u32 = 0xC000_006F;
    pub const INVALID_WORKSTATION: u32 = 0xC000_0070;
    pub const PASSWORD_EXPIRED: u32 = 0xC000_0071;
    pub const ACCOUNT_DISABLED: u32 = 0xC000_0072;
    pub const ACCOUNT_EXPIRED: u32 = 0xC000_0193;
    pub const LOGON_TYPE_NOT_GRANTED: u32 = 0xC000_015B;
    pub const ACCOUNT_LOCKED_OUT: u32 = 0xC000_0234;
    pub const TIME_SKEW: u32 = 0xC000_0133;
    pub const PASSWORD_MUST_CHANGE: u32 = 0xC000_0224;

    /// What a failure code means, in a few words.
    pub fn meaning(code: u32) -> &'static str {
        match code {
            BAD_NAME_OR_PASSWORD => "unknown user name or bad password",
            NO_SUCH_USER => "no such user",
            WRONG_PASSWORD => "bad password",
            ACCOUNT_RESTRICTION => "account restriction",
            INVALID_LOGON_HOURS => "outside the account's logon hours",
            INVALID_WORKSTATION => "not allowed to log on to this computer (Log On To)",
            PASSWORD_EXPIRED => "password expired",
            ACCOUNT_DISABLED => "account disabled",
            ACCOUNT_EXPIRED => "account expired",
            LOGON_TYPE_NOT_GRANTED => "logon type not granted (a deny logon right)",
            ACCOUNT_LOCKED_OUT => "account locked out",
            TIME_SKEW => "clock skew",
            PASSWORD_MUST_CHANGE => "password must change",
            _ => "other failure",
        }
    }
}

/// Whether an event id is a failed logon this tool reads.
pub fn is_logon_failure_id(id: u32) -> bool {
    id == 4625 || (529..=539).contains(&id)
}

/// The NTSTATUS a Windows 2003 failure event stands for (its id says the reason; it carries no status).
pub fn legacy_status(id: u32) -> Option<u32> {
    Some(match id {
        529 => status::WRONG_PASSWORD,
        530 => status::INVALID_LOGON_HOURS,
        531 => status::ACCOUNT_DISABLED,
        532 => status::ACCOUNT_EXPIRED,
        533 => status::INVALID_WORKSTATION,
        534 => status::LOGON_TYPE_NOT_GRANTED,
        535 => status::PASSWORD_EXPIRED,
        539 => status::ACCOUNT_LOCKED_OUT,
        _ => return None,
    })
}

/// Parses `0xC000006A` (any case), `-1073741718`-style decimals, or `%%2313`-free hex; `None` for anything else.
pub fn parse_status(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u32::from_str_radix(hex, 16).ok();
    }
    if let Ok(n) = t.parse::<i64>() {
        return u32::try_from(n)
            .ok()
            .or_else(|| i32::try_from(n).ok().map(|n| n as u32));
    }
    None
}

fn hex_status<S: Serializer>(v: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(n) => s.serialize_str(&format!("{n:#010x}")),
        None => s.serialize_none(),
    }
}

/// One failed logon (4625, or 529-539 on Windows 2003).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogonFailure {
    pub event_id: u32,
    /// `Status` of a 4625 (`0xc000006e`); none on 529-539.
    #[serde(serialize_with = "hex_status", skip_serializing_if = "Option::is_none")]
    pub status: Option<u32>,
    /// `SubStatus` of a 4625 (`0xc0000070`); `0x0` is kept as written.
    #[serde(serialize_with = "hex_status", skip_serializing_if = "Option::is_none")]
    pub sub_status: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logon_type: Option<u32>,
    pub target_user: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target_domain: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ip_address: String,
    /// `LogonProcessName` with its trailing spaces removed (`Advapi`, `User32`, `NtLmSsp`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub logon_process: String,
    /// `TimeCreated` as written (UTC for .evtx and XML, the exporter's locale for CSV).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub time: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub computer: String,
    /// `EventRecordID`, when the source gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<u64>,
}

impl LogonFailure {
    /// The reason code: a non-zero `SubStatus`, else `Status`, else what a 529-539 id stands for.
    pub fn code(&self) -> Option<u32> {
        self.sub_status
            .filter(|&s| s != 0)
            .or(self.status)
            .or_else(|| legacy_status(self.event_id))
    }

    /// Whether the failure is for `account` (`DOMAIN\name` or `name`), by the event's user and domain.
    pub fn is_for(&self, account: &str) -> bool {
        let who = if self.target_domain.is_empty() {
            self.target_user.clone()
        } else {
            format!("{}\\{}", self.target_domain, self.target_user)
        };
        super::accounts::same_account(&who, account)
    }

    /// A compact one-line rendering for evidence excerpts.
    pub fn one_line(&self) -> String {
        let mut s = format!("{}", self.event_id);
        if !self.time.is_empty() {
            s.push_str(&format!(" {}", self.time));
        }
        let user = if self.target_domain.is_empty() {
            self.target_user.clone()
        } else {
            format!("{}\\{}", self.target_domain, self.target_user)
        };
        s.push_str(&format!(" {user}"));
        if let Some(st) = self.status {
            s.push_str(&format!(" Status={st:#010x}"));
        }
        if let Some(st) = self.sub_status {
            s.push_str(&format!(" SubStatus={st:#010x}"));
        }
        if let Some(t) = self.logon_type {
            s.push_str(&format!(" LogonType={t}"));
        }
        if !self.logon_process.is_empty() {
            s.push_str(&format!(" LogonProcess={}", self.logon_process));
        }
        if !self.ip_address.is_empty() {
            s.push_str(&format!(" IpAddress={}", self.ip_address));
        }
        if !self.computer.is_empty() {
            s.push_str(&format!(" Computer={}", self.computer));
        }
        s
    }
}

/// How many failures of one kind a log held (all of them, also those not kept as located facts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureCount {
    pub event_id: u32,
    pub user: String,
    #[serde(serialize_with = "hex_status", skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logon_type: Option<u32>,
    pub count: u64,
}

/// One event log file read, and how many records it held.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EventLogSummary {
    pub path: String,
    /// `evtx`, `xml` or `csv`.
    pub format: &'static str,
    /// Records read (events of every id).
    pub records: u64,
    /// Records (or chunks) that could not be read.
    pub errors: u64,
    /// Failed logons found (4625, 529-539), also those beyond [`MAX_KEPT_PER_KIND`].
    pub logon_failures: u64,
    /// Failed logons by event id, user, code and logon type.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failure_counts: Vec<FailureCount>,
}

/// How many failures of one kind (id, user, code, logon type) a reader keeps as located facts: a password spray
/// writes millions of 4625s, and the rules need a few located examples and the counts.
pub const MAX_KEPT_PER_KIND: u64 = 20;
/// How many distinct kinds are counted one by one; the rest are counted together under the user `*`.
pub const MAX_KINDS: usize = 5000;

/// Collects failures for one file: keeps the first few of each kind and counts them all.
#[derive(Debug, Default)]
pub struct FailureCollector {
    counts: BTreeMap<(u32, String, Option<u32>, Option<u32>), u64>,
    pub kept: Vec<super::Located<LogonFailure>>,
    pub total: u64,
}

impl FailureCollector {
    /// Counts `f` and keeps it when fewer than [`MAX_KEPT_PER_KIND`] of its kind were kept.
    pub fn add(&mut self, f: super::Located<LogonFailure>) {
        self.total += 1;
        let mut key = (
            f.value.event_id,
            f.value.target_user.to_ascii_lowercase(),
            f.value.code(),
            f.value.logon_type,
        );
        if !self.counts.contains_key(&key) && self.counts.len() >= MAX_KINDS {
            key.1 = "*".into();
        }
        let n = self.counts.entry(key).or_insert(0);
        *n += 1;
        if *n <= MAX_KEPT_PER_KIND {
            self.kept.push(f);
        }
    }

    /// The counts, most frequent first.
    pub fn counts(&self) -> Vec<FailureCount> {
        let mut v: Vec<FailureCount> = self
            .counts
            .iter()
            .map(|((id, user, code, lt), n)| FailureCount {
                event_id: *id,
                user: user.clone(),
                code: *code,
                logon_type: *lt,
                count: *n,
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.user.cmp(&b.user)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_prefers_a_nonzero_substatus() {
        let f = LogonFailure {
            event_id: 4625,
            status: Some(status::ACCOUNT_RESTRICTION),
            sub_status: Some(status::INVALID_WORKSTATION),
            ..Default::default()
        };
        assert_eq!(f.code(), Some(status::INVALID_WORKSTATION));
        let f = LogonFailure {
            event_id: 4625,
            status: Some(status::LOGON_TYPE_NOT_GRANTED),
            sub_status: Some(0),
            ..Default::default()
        };
        assert_eq!(f.code(), Some(status::LOGON_TYPE_NOT_GRANTED));
        let f = LogonFailure {
            event_id: 533,
            ..Default::default()
        };
        assert_eq!(f.code(), Some(status::INVALID_WORKSTATION));
    }

    #[test]
    fn statuses_parse_in_hex_and_signed_decimal() {
        assert_eq!(parse_status("0xC000006A"), Some(0xC000_006A));
        assert_eq!(parse_status("0xc0000070"), Some(0xC000_0070));
        assert_eq!(parse_status("-1073741718"), Some(0xC000_006A));
        assert_eq!(parse_status("%%2313"), None);
    }

    #[test]
    fn collector_keeps_a_few_of_each_kind_and_counts_all() {
        let mut c = FailureCollector::default();
        for i in 0..50 {
            c.add(super::super::Located::new(
                LogonFailure {
                    event_id: 4625,
                    target_user: if i % 2 == 0 { "a".into() } else { "B".into() },
                    status: Some(status::WRONG_PASSWORD),
                    ..Default::default()
                },
                super::super::Source::at("x", i),
                "",
            ));
        }
        assert_eq!(c.total, 50);
        assert_eq!(c.kept.len() as u64, 2 * MAX_KEPT_PER_KIND);
        assert_eq!(c.counts().iter().map(|k| k.count).sum::<u64>(), 50);
    }
}
