//! Security policy facts: user rights, other settings, Restricted Groups.

use serde::Serialize;

/// The SID of the built-in Guests group.
pub const GUESTS_SID: &str = "S-1-5-32-546";
/// The SID of the built-in IIS 7+ anonymous account `IUSR`.
pub const IUSR_SID: &str = "S-1-5-17";

/// One user right (`SeDenyNetworkLogonRight = *S-1-5-32-546,Guest`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrivilegeRight {
    pub right: String,
    pub principals: Vec<Principal>,
}

/// A principal as a policy names it: `*SID` or a bare (possibly domain-qualified) name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    /// The text as written, e.g. `*S-1-5-32-546` or `CONTOSO\svc`.
    pub raw: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The well-known name of the SID, when it has one (`Guests` for S-1-5-32-546).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub well_known: Option<&'static str>,
}

impl Principal {
    pub fn parse(raw: &str) -> Principal {
        let raw = raw.trim().trim_matches('"').trim();
        if let Some(sid) = raw.strip_prefix('*') {
            let sid = sid.trim().to_ascii_uppercase();
            Principal {
                raw: raw.to_string(),
                well_known: well_known_sid(&sid),
                sid: Some(sid),
                name: None,
            }
        } else if raw.len() > 4 && raw.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("S-1-")) {
            let sid = raw.to_ascii_uppercase();
            Principal {
                raw: raw.to_string(),
                well_known: well_known_sid(&sid),
                sid: Some(sid),
                name: None,
            }
        } else {
            Principal {
                raw: raw.to_string(),
                sid: None,
                name: Some(raw.to_string()),
                well_known: None,
            }
        }
    }

    /// The built-in Guests GROUP (by SID, or by name `Guests` / `BUILTIN\Guests`). Not the Guest account.
    pub fn is_guests_group(&self) -> bool {
        if let Some(sid) = &self.sid {
            return sid == GUESTS_SID;
        }
        self.name.as_deref().is_some_and(|n| {
            let bare = crate::facts::accounts::bare_name(n);
            bare.eq_ignore_ascii_case("Guests")
        })
    }

    /// The Guest ACCOUNT (RID 501 or the name `Guest`): a default member of deny rights, not a cause.
    pub fn is_guest_account(&self) -> bool {
        if let Some(sid) = &self.sid {
            return sid.starts_with("S-1-5-21-") && sid.ends_with("-501");
        }
        self.name
            .as_deref()
            .is_some_and(|n| crate::facts::accounts::bare_name(n).eq_ignore_ascii_case("Guest"))
    }

    /// Domain Guests (RID 514), a default member of the local Guests group on a domain member.
    pub fn is_domain_guests(&self) -> bool {
        if let Some(sid) = &self.sid {
            return sid.starts_with("S-1-5-21-") && sid.ends_with("-514");
        }
        self.name
            .as_deref()
            .is_some_and(|n| crate::facts::accounts::bare_name(n).eq_ignore_ascii_case("Domain Guests"))
    }

    /// Whether this principal names the account `account` (by name, or IUSR by its well-known SID).
    pub fn names_account(&self, account: &str) -> bool {
        if let Some(sid) = &self.sid {
            return sid == IUSR_SID && crate::facts::accounts::bare_name(account).eq_ignore_ascii_case("IUSR");
        }
        self.name
            .as_deref()
            .is_some_and(|n| crate::facts::accounts::same_account(n, account))
    }

    /// A readable form: `Guests (*S-1-5-32-546)` or the name.
    pub fn display(&self) -> String {
        match (self.well_known, &self.sid) {
            (Some(w), Some(_)) => format!("{} ({})", w, self.raw),
            _ => self.raw.clone(),
        }
    }
}

/// Names of the well-known SIDs that matter to a 440 diagnosis.
pub fn well_known_sid(sid: &str) -> Option<&'static str> {
    Some(match sid {
        "S-1-1-0" => "Everyone",
        "S-1-5-7" => "Anonymous Logon",
        "S-1-5-17" => "IUSR",
        "S-1-5-32-544" => "Administrators",
        "S-1-5-32-545" => "Users",
        "S-1-5-32-546" => "Guests",
        "S-1-5-32-568" => "IIS_IUSRS",
        "S-1-5-113" => "Local account",
        "S-1-5-114" => "Local account and member of Administrators group",
        "S-1-5-11" => "Authenticated Users",
        "S-1-5-6" => "Service",
        "S-1-5-19" => "Local Service",
        "S-1-5-20" => "Network Service",
        s if s.starts_with("S-1-5-21-") && s.ends_with("-501") => "Guest",
        s if s.starts_with("S-1-5-21-") && s.ends_with("-514") => "Domain Guests",
        _ => return None,
    })
}

/// Any other `Key = Value` of a policy file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicySetting {
    pub section: String,
    pub key: String,
    pub value: String,
}

/// `[Group Membership]`: `*S-1-5-32-546__Members = ...` (policy, not the actual membership).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestrictedGroup {
    pub group: Principal,
    /// `Members` or `Memberof`.
    pub relation: String,
    pub principals: Vec<Principal>,
}

/// `SeDenyInteractiveLogonRight` and friends, in the words of Local Security Policy.
pub fn right_title(right: &str) -> &str {
    match right {
        "SeDenyInteractiveLogonRight" => "Deny log on locally",
        "SeDenyNetworkLogonRight" => "Deny access to this computer from the network",
        "SeDenyBatchLogonRight" => "Deny log on as a batch job",
        "SeDenyServiceLogonRight" => "Deny log on as a service",
        "SeInteractiveLogonRight" => "Allow log on locally",
        "SeNetworkLogonRight" => "Access this computer from the network",
        "SeBatchLogonRight" => "Log on as a batch job",
        _ => right,
    }
}
