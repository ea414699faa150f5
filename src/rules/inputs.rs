//! The inputs a customer can collect, with the file to ask for and the command that collects it.

use serde::Serialize;

/// An input kind as a support engineer asks for it.
#[derive(Debug, Serialize)]
pub struct Input {
    pub what: &'static str,
    pub file: &'static str,
    pub command: &'static str,
}

pub const SECURITY_POLICY: Input = Input {
    what: "security policy (user rights)",
    file: "secpol.inf",
    command: r"secedit /export /cfg c:\secpol.inf /areas USER_RIGHTS",
};
pub const GUESTS_MEMBERS: Input = Input {
    what: "members of the local Guests group",
    file: "guests.txt",
    command: r"net localgroup Guests > c:\guests.txt",
};
pub const ANONYMOUS_ACCOUNT: Input = Input {
    what: "the anonymous account's properties",
    file: "iusr.txt",
    command: r"net user IUSR_<ServerName> /domain > c:\iusr.txt   (or: Get-ADUser IUSR_<ServerName> -Properties * | Format-List)",
};
pub const IIS_CONFIG: Input = Input {
    what: "IIS configuration",
    file: "MetaBase.xml (IIS 6) or applicationHost.config (IIS 7+)",
    command: r"copy %windir%\system32\inetsrv\MetaBase.xml   (IIS 7+: %windir%\system32\inetsrv\config\applicationHost.config)",
};
pub const W3C_LOGS: Input = Input {
    what: "IIS logs around the first 440",
    file: "exYYMMDD.log / u_exYYMMDD.log",
    command: r"copy %windir%\system32\LogFiles\W3SVC1\*.log   (IIS 7+: %SystemDrive%\inetpub\logs\LogFiles\W3SVC1)",
};
pub const OWA_VDIRS: Input = Input {
    what: "Exchange's OWA virtual directories",
    file: "owavdir.xml",
    command: r"Get-OwaVirtualDirectory | Export-Clixml c:\owavdir.xml   (or: | Format-List > c:\owavdir.txt)",
};
pub const SECURITY_LOG: Input = Input {
    what: "Security event log",
    file: "security.evtx",
    command: r"wevtutil epl Security c:\security.evtx",
};
