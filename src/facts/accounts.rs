//! Account facts: users (`net user`, `Get-ADUser`, LDIF) and group listings (`net localgroup`).

use serde::Serialize;

/// One user account as a file shows it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Account {
    /// The account name (`User name`, `SamAccountName`, `sAMAccountName`).
    pub name: String,
    /// The domain when the listing came from a domain query (`net user NAME /domain`, AD) or names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    pub scope: AccountScope,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// `Account active`: Yes / No / Locked (or `Enabled` from AD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_out: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_expires: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_expires: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logon_hours: Option<String>,
    /// `Workstations allowed`: `None` when the file does not say; `Some(vec![])`... never: `All` is `Some(["All"])`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workstations: Option<Workstations>,
    /// `Local Group Memberships` (names as shown, `*` removed; `net user` cuts them at 21 characters).
    pub local_groups: Vec<Member>,
    /// `Global Group memberships` (or AD `MemberOf`).
    pub global_groups: Vec<Member>,
    /// Every labelled field as read, in order (label, value), for `parse`.
    pub fields: Vec<(String, String)>,
    /// The 1-based line of each entry of `fields` (same index), when the reader records it; rules fall back to
    /// the account's own line.
    #[serde(skip)]
    pub field_lines: Vec<u64>,
}

/// Where an account lives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountScope {
    Local,
    Domain,
    #[default]
    Unknown,
}

/// "Log On To": all computers, or a list of NetBIOS names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Workstations {
    All,
    List(Vec<String>),
}

/// A group member or a group membership, with its own line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub name: String,
    pub line: u64,
    /// True when the name may be cut (21-character column of `net user`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// A group and its members (`net localgroup Guests`, Get-LocalGroupMember).
#[derive(Debug, Clone, Default, Serialize)]
pub struct GroupListing {
    pub group: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub members: Vec<Member>,
    /// False when the listing has no closing line (`The command completed successfully.`): it may be cut short.
    pub complete: bool,
}

/// The name without its `DOMAIN\` prefix, `@domain` suffix, or leading `*` (net user lists).
pub fn bare_name(name: &str) -> &str {
    let n = name.trim().trim_start_matches('*');
    let n = n.rsplit('\\').next().unwrap_or(n);
    n.split('@').next().unwrap_or(n).trim()
}

/// The `DOMAIN` of `DOMAIN\name`, if any.
pub fn domain_of(name: &str) -> Option<&str> {
    let n = name.trim();
    n.find('\\').map(|i| &n[..i]).filter(|d| !d.is_empty())
}

/// Whether two domain names are the same domain: `CONTOSO` and `contoso.com` are (NetBIOS name vs DNS name, first label).
pub fn same_domain(a: &str, b: &str) -> bool {
    let first = |d: &str| d.split('.').next().unwrap_or(d).trim().to_ascii_lowercase();
    a == "." || b == "." || first(a) == first(b)
}

/// Account names compare case-insensitively, with or without the domain prefix and a trailing `$`.
/// When both carry a domain, the domains must agree too.
pub fn same_account(a: &str, b: &str) -> bool {
    let (ba, bb) = (bare_name(a).trim_end_matches('$'), bare_name(b).trim_end_matches('$'));
    if !ba.eq_ignore_ascii_case(bb) {
        return false;
    }
    match (domain_of(a), domain_of(b)) {
        (Some(x), Some(y)) => same_domain(x, y),
        _ => true,
    }
}

/// Whether `full` could be the name `shown`, which `net user` cut at 21 characters.
pub fn matches_truncated(shown: &str, full: &str) -> bool {
    let s = bare_name(shown);
    let f = bare_name(full);
    if s.eq_ignore_ascii_case(f) {
        return true;
    }
    s.chars().count() >= 20 && f.len() > s.len() && f.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s))
}

impl GroupListing {
    /// The member line naming `account`, if the listing holds it.
    pub fn member(&self, account: &str) -> Option<&Member> {
        self.members.iter().find(|m| same_account(&m.name, account))
    }
    pub fn is_guests(&self) -> bool {
        bare_name(&self.group).eq_ignore_ascii_case("Guests")
    }
}

impl Account {
    /// Membership of `group` (e.g. `Guests`) in the local or global lists, allowing for the 21-character cut.
    pub fn member_of(&self, group: &str) -> Option<&Member> {
        self.local_groups
            .iter()
            .chain(self.global_groups.iter())
            .find(|m| matches_truncated(&m.name, group))
    }
    /// The value of the first field with this label (case-insensitive), and its line when recorded.
    pub fn field(&self, label: &str) -> Option<(&str, Option<u64>)> {
        self.fields
            .iter()
            .enumerate()
            .find(|(_, (l, _))| l.eq_ignore_ascii_case(label))
            .map(|(i, (_, v))| (v.as_str(), self.field_lines.get(i).copied()))
    }
    /// Whether this account is `name` (`DOMAIN\name` or `name`), domains compared loosely.
    pub fn is(&self, name: &str) -> bool {
        same_account(&self.qualified(), name)
    }
    /// `DOMAIN\name` when the domain is known, else the name.
    pub fn qualified(&self) -> String {
        match &self.domain {
            Some(d) => format!(
                "{}\\{}",
                d.split('.').next().unwrap_or(d).to_ascii_uppercase(),
                self.name
            ),
            None => self.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_domain_case_and_dollar() {
        assert!(same_account("CONTOSO\\IUSR_CAS01", "iusr_cas01"));
        assert!(same_account("CAS01$", "cas01"));
        assert!(!same_account("CONTOSO\\IUSR_CAS01", "FABRIKAM\\IUSR_CAS01"));
        assert!(!same_account("Guest", "Guests"));
    }

    #[test]
    fn truncated_group_names_match_their_full_name() {
        assert!(matches_truncated("Remote Management Use", "Remote Management Users"));
        assert!(!matches_truncated("Guest", "Guests"));
    }
}
