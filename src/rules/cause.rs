//! The six causes of a 440 on OWA logon, their stable ids and what each needs.

use super::inputs::{self, Input};
use serde::Serialize;

/// A cause. The order of [`Cause::ALL`] is the order the procedures must be tried in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    OwaVirtualDirectories,
    AnonymousCredentials,
    AnonymousAccessDisabled,
    IusrLogonWorkstations,
    GuestsDenyLogonLocally,
    GuestsDenyNetworkAccess,
}

impl Cause {
    pub const ALL: [Cause; 6] = [
        Cause::OwaVirtualDirectories,
        Cause::AnonymousCredentials,
        Cause::AnonymousAccessDisabled,
        Cause::IusrLogonWorkstations,
        Cause::GuestsDenyLogonLocally,
        Cause::GuestsDenyNetworkAccess,
    ];

    /// The stable id (JSON output, tests, users' scripts).
    pub fn id(self) -> &'static str {
        match self {
            Cause::OwaVirtualDirectories => "owa-virtual-directories",
            Cause::AnonymousCredentials => "anonymous-credentials",
            Cause::AnonymousAccessDisabled => "anonymous-access-disabled",
            Cause::IusrLogonWorkstations => "iusr-logon-workstations",
            Cause::GuestsDenyLogonLocally => "guests-deny-logon-locally",
            Cause::GuestsDenyNetworkAccess => "guests-deny-network-access",
        }
    }

    pub fn from_id(id: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.id() == id)
    }

    pub fn title(self) -> &'static str {
        match self {
            Cause::OwaVirtualDirectories => "OWA virtual directories missing, duplicated or misconfigured",
            Cause::AnonymousCredentials => "anonymous account credentials out of sync (IIS metabase)",
            Cause::AnonymousAccessDisabled => "anonymous access disabled on /owa/<build> or /owa/auth",
            Cause::IusrLogonWorkstations => "anonymous domain account not allowed to log on to this server",
            Cause::GuestsDenyLogonLocally => "Guests in \"Deny log on locally\" with the anonymous account a member",
            Cause::GuestsDenyNetworkAccess => {
                "Guests in \"Deny access to this computer from the network\" with the anonymous account a member"
            }
        }
    }

    /// What the rule looks for, in one paragraph.
    pub fn looks_for(self) -> &'static str {
        match self {
            Cause::OwaVirtualDirectories => "Exchange's OWA virtual directories (owa; on Exchange 2007 also exchange, public, exchweb) missing, duplicated, of the wrong OwaVersion or VirtualDirectoryType, or pointing at a site or path IIS lacks; IIS vdirs without read+script access or with a wrong physical path. Logs: 404/403/401.3/500 on those paths.",
            Cause::AnonymousCredentials => "IIS 6: AnonymousUserPass, AnonymousUserName or WAMUserPass set at more than one metabase level on the path to /owa with different values, or empty. Logs: anonymous requests to /owa/auth or /owa/<build> answered 401 1 1326. Events: 4625/529 with 0xC000006A for the anonymous account.",
            Cause::AnonymousAccessDisabled => "The effective authentication (nearest level that sets it) of /owa/<build> and /owa/auth is not anonymous-only. Logs: 401 2 5 or 401 2 2148074254 on anonymous requests there.",
            Cause::IusrLogonWorkstations => "The anonymous account is a domain account whose \"Log On To\" list leaves out this server. Also: disabled, locked out, expired, outside logon hours. Logs: 401 1 1329. Events: 4625/533 with 0xC0000070.",
            Cause::GuestsDenyLogonLocally => "SeDenyInteractiveLogonRight holds the Guests group (or the anonymous account) and the anonymous account is a member of Guests. Not the Guest account. Logs: 401 1 1385. Events: 4625/534 with 0xC000015B, logon type 2.",
            Cause::GuestsDenyNetworkAccess => "SeDenyNetworkLogonRight holds the Guests group (or the anonymous account) and the anonymous account is a member of Guests. Not the Guest account. Logs: 401 1 1385. Events: 4625/534 with 0xC000015B, logon type 3 or 8.",
        }
    }

    /// The inputs that can show this cause.
    pub fn inputs(self) -> Vec<&'static Input> {
        match self {
            Cause::OwaVirtualDirectories => vec![&inputs::OWA_VDIRS, &inputs::IIS_CONFIG, &inputs::W3C_LOGS],
            Cause::AnonymousCredentials => vec![&inputs::IIS_CONFIG, &inputs::W3C_LOGS, &inputs::SECURITY_LOG],
            Cause::AnonymousAccessDisabled => vec![&inputs::IIS_CONFIG, &inputs::W3C_LOGS],
            Cause::IusrLogonWorkstations => {
                vec![
                    &inputs::IIS_CONFIG,
                    &inputs::ANONYMOUS_ACCOUNT,
                    &inputs::W3C_LOGS,
                    &inputs::SECURITY_LOG,
                ]
            }
            Cause::GuestsDenyLogonLocally | Cause::GuestsDenyNetworkAccess => vec![
                &inputs::SECURITY_POLICY,
                &inputs::GUESTS_MEMBERS,
                &inputs::IIS_CONFIG,
                &inputs::W3C_LOGS,
                &inputs::SECURITY_LOG,
            ],
        }
    }

    /// The procedure that fixes this cause.
    pub fn procedure(self) -> &'static str {
        match self {
            Cause::OwaVirtualDirectories => "recreate-owa-vdirs",
            Cause::AnonymousCredentials => "resync-anonymous-credentials",
            Cause::AnonymousAccessDisabled => "enable-anonymous-access",
            Cause::IusrLogonWorkstations => "allow-iusr-logon-to",
            Cause::GuestsDenyLogonLocally | Cause::GuestsDenyNetworkAccess => "remove-guests-deny",
        }
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}
