//! The facts model: what the readers found, each fact with its source (file, line).
//!
//! Every reader returns a [`Facts`] holding only what it found; the bundle merges them. Rules read the merged
//! [`Facts`] and never see a file.

pub mod accounts;
pub mod calendar;
pub mod events;
pub mod iis;
pub mod logs;
pub mod names;
pub mod owa;
pub mod policy;

use serde::Serialize;

/// Where a fact was read: a file of the bundle and, where it applies, a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl Source {
    pub fn new(path: &str, line: Option<u64>) -> Self {
        Source {
            path: path.to_string(),
            line,
        }
    }
    pub fn at(path: &str, line: u64) -> Self {
        Source {
            path: path.to_string(),
            line: Some(line),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.path, l),
            None => write!(f, "{}", self.path),
        }
    }
}

/// A value with the place it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct Located<T> {
    #[serde(flatten)]
    pub value: T,
    pub source: Source,
    /// The line as it stands in the file (trimmed), for evidence excerpts.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub excerpt: String,
}

impl<T> Located<T> {
    pub fn new(value: T, source: Source, excerpt: impl Into<String>) -> Self {
        Located {
            value,
            source,
            excerpt: excerpt.into(),
        }
    }
}

/// Everything the readers found in a bundle (or in one file, before merging).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    /// `[Privilege Rights]` of secedit exports and GptTmpl.inf.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rights: Vec<Located<policy::PrivilegeRight>>,
    /// Every other `Key = Value` of a secedit export, by section.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy_settings: Vec<Located<policy::PolicySetting>>,
    /// `[Group Membership]`: Restricted Groups policy (not actual membership).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restricted_groups: Vec<Located<policy::RestrictedGroup>>,
    /// Accounts: `net user`, `Get-ADUser`, LDIF.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<Located<accounts::Account>>,
    /// Group listings: `net localgroup`, Get-LocalGroupMember.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Located<accounts::GroupListing>>,
    /// Names of this server and its domain that a file shows (a `net user` list header, a log's s-computername, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub server_names: Vec<Located<names::ServerName>>,
    /// IIS configuration: metabase (IIS 6) or applicationHost.config (IIS 7+).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub iis: Vec<iis::IisConfig>,
    /// Get-OwaVirtualDirectory objects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owa_vdirs: Vec<Located<owa::OwaVdir>>,
    /// W3C log evidence, one summary per log file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logs: Vec<logs::LogEvidence>,
    /// Failed logons from the Security event log.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logon_failures: Vec<Located<events::LogonFailure>>,
    /// Security event log files read, with their record counts (so a rule can tell "no failures" from "no log").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub event_logs: Vec<events::EventLogSummary>,
}

impl Facts {
    /// Moves every fact of `other` into `self`.
    pub fn merge(&mut self, other: Facts) {
        let Facts {
            rights,
            policy_settings,
            restricted_groups,
            accounts,
            groups,
            server_names,
            iis,
            owa_vdirs,
            logs,
            logon_failures,
            event_logs,
        } = other;
        self.rights.extend(rights);
        self.policy_settings.extend(policy_settings);
        self.restricted_groups.extend(restricted_groups);
        self.accounts.extend(accounts);
        self.groups.extend(groups);
        self.server_names.extend(server_names);
        self.iis.extend(iis);
        self.owa_vdirs.extend(owa_vdirs);
        self.logs.extend(logs);
        self.logon_failures.extend(logon_failures);
        self.event_logs.extend(event_logs);
    }

    /// True when a secedit export (or GptTmpl.inf) with a `[Privilege Rights]` section or any setting was read.
    pub fn has_policy(&self) -> bool {
        !self.rights.is_empty() || !self.policy_settings.is_empty()
    }
}

impl Facts {
    /// True when no reader found anything.
    pub fn is_empty(&self) -> bool {
        self.rights.is_empty()
            && self.policy_settings.is_empty()
            && self.restricted_groups.is_empty()
            && self.accounts.is_empty()
            && self.groups.is_empty()
            && self.server_names.is_empty()
            && self.iis.is_empty()
            && self.owa_vdirs.is_empty()
            && self.logs.is_empty()
            && self.logon_failures.is_empty()
            && self.event_logs.is_empty()
    }
}
